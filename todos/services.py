"""Writes to lists and todos. Views, forms, serializers and the admin call these; they hold the rules.

A list's todo positions are kept dense (0..n-1). Every write that reads or changes positions first
locks the list row, so concurrent writers to one list take turns instead of clashing.
"""

import contextlib
import datetime
import enum
import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from todos import quickadd
from todos.models import NOTES_MAX_LENGTH, Colour, Label, Priority, Todo, TodoList, UndoAction, UndoKind

INBOX_NAME = "Inbox"


class Unset(enum.Enum):
    """The value of an argument left out, where None (clear the field) is a value."""

    UNSET = enum.auto()


UNSET = Unset.UNSET


def _clean_text(value: str, *, field: str, max_length: int) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: "This field may not be blank."})
    if len(text) > max_length:
        raise ValidationError({field: f"Ensure this field has no more than {max_length} characters."})
    return text


def _check_due(due_date: datetime.date | None, due_time: datetime.time | None) -> None:
    if due_time is not None and due_date is None:
        raise ValidationError({"due_time": "A due time needs a due date."})


def _check_priority(priority: str) -> str:
    if priority not in Priority.values:
        raise ValidationError({"priority": f"Choose one of: {', '.join(Priority.values)}."})
    return priority


def _check_notes(notes: str) -> str:
    if len(notes) > NOTES_MAX_LENGTH:
        raise ValidationError({"notes": f"Ensure this field has no more than {NOTES_MAX_LENGTH} characters."})
    return notes


def _check_labels(labels: Iterable[Label], *, owner_id: int) -> list[Label]:
    labels = list(labels)
    if any(label.owner_id != owner_id for label in labels):
        raise ValidationError({"labels": "You can only use your own labels."})
    return labels


def todo_list_touch(*, list_ids) -> None:
    """Raise the `version` of these lists, and hold their row locks until the caller's transaction ends.

    The only writer of TodoList.version: every service that changes what a list shows (its todos, its
    name, its sharing) calls it inside its transaction, so the new version commits with the change and
    what is cached under the old one is never used again. The UPDATEs also take the lists' row locks (on
    SQLite, the transaction holds the database) in id order, the order every writer takes, so writers to
    one list take turns and positions stay dense. A write that turns out to change nothing raises the
    version too, which costs a cache miss.
    """
    for pk in sorted(set(list_ids)):
        TodoList.objects.filter(pk=pk).update(version=F("version") + 1)


class _MovedMeanwhile(Exception):
    pass


def _lock_todo(todo: Todo, *other_list_ids: int) -> None:
    """Lock the todo's list (and `other_list_ids`) in id order, then the todo row; refresh its list, position,
    state and due date and time (what the services' checks read).

    Lists before todos, in id order, is the order every writer takes, so concurrent writers wait but never
    deadlock. If the todo moved to another list before its list was locked, the attempt's locks are given
    back (rolling back a savepoint releases them on PostgreSQL) and it starts over, still in id order.
    A concurrent delete raises Todo.DoesNotExist (the API answers 404).
    """
    list_id = todo.list_id  # as the caller read it; checked under the lock below
    while True:
        try:
            with transaction.atomic():
                if list_id is None:
                    list_id = Todo.objects.filter(pk=todo.pk).values_list("list_id", flat=True).get()
                todo_list_touch(list_ids=[list_id, *other_list_ids])
                locked_list_id, *stored = (
                    Todo.objects.select_for_update()
                    .filter(pk=todo.pk)
                    .values_list("list_id", "position", "completed", "completed_at", "due_date", "due_time")
                    .get()
                )
                if locked_list_id != list_id:
                    raise _MovedMeanwhile
        except _MovedMeanwhile:
            list_id = None  # read it again
            continue
        todo.list_id = locked_list_id
        todo.position, todo.completed, todo.completed_at, todo.due_date, todo.due_time = stored
        return


def _renumber(todo_list_id: int) -> None:
    """Close the gaps in a list's positions, keeping their order: only the todos whose position changes are written."""
    todos = Todo.objects.filter(list_id=todo_list_id).order_by("position", "id").only("id", "position")
    moved = []
    for position, todo in enumerate(todos):
        if todo.position != position:
            todo.position = position
            moved.append(todo)
    Todo.objects.bulk_update(moved, ["position"], batch_size=1000)


def _next_position(todo_list_id: int) -> int:
    highest = Todo.objects.filter(list_id=todo_list_id).aggregate(highest=Max("position"))["highest"]
    return 0 if highest is None else highest + 1


# Lists


@transaction.atomic
def todo_list_create(*, owner, name: str, shared: bool = False) -> TodoList:
    """A new list, empty; shared (with a secret Todo-Backend URL) if `shared`."""
    name = _clean_text(name, field="name", max_length=TodoList._meta.get_field("name").max_length)
    todo_list = TodoList.objects.create(owner=owner, name=name)
    if shared:
        todo_list_share(todo_list=todo_list)
    return todo_list


def todo_list_ensure_inbox(*, owner) -> TodoList:
    """Return the owner's first list, creating an empty "Inbox" when they have none."""
    first = TodoList.objects.for_owner(owner).first()
    return first or todo_list_create(owner=owner, name=INBOX_NAME)


@transaction.atomic
def todo_list_rename(*, todo_list: TodoList, name: str) -> TodoList:
    todo_list.name = _clean_text(name, field="name", max_length=TodoList._meta.get_field("name").max_length)
    todo_list_touch(list_ids=[todo_list.pk])
    todo_list.save(update_fields=["name", "updated_at"])
    return todo_list


@transaction.atomic
def todo_list_save(*, todo_list: TodoList) -> TodoList:
    """Save a list edited as a whole (the admin's form): a new one is created, a changed one's version raised.

    The version is never written from the instance, which may hold an older one than the row. A list given
    to another owner is no longer shared: its old secret URL, handed out by the former owner, answers 404.
    Its todos' labels become the new owner's labels of the same names (found ignoring case, or created):
    the former owner's labels are theirs alone.
    """
    todo_list.name = _clean_text(todo_list.name, field="name", max_length=TodoList._meta.get_field("name").max_length)
    if todo_list.pk is None:
        todo_list.save()
        return todo_list
    todo_list_touch(list_ids=[todo_list.pk])
    owner_id = TodoList.objects.values_list("owner_id", flat=True).get(pk=todo_list.pk)  # read under the lock
    if todo_list.owner_id != owner_id:
        todo_list.share_token = None
    fields = [field.name for field in TodoList._meta.concrete_fields if field.editable and not field.primary_key]
    todo_list.save(update_fields=[*fields, "updated_at"])
    if todo_list.owner_id != owner_id:
        _relabel_for_owner(todo_list)
    return todo_list


def _relabel_for_owner(todo_list: TodoList) -> None:
    """Swap each label of the list's todos that is not its owner's for the owner's label of that name."""
    Through = Todo.labels.through
    foreign = Through.objects.filter(todo__list=todo_list).exclude(label__owner_id=todo_list.owner_id)
    links = list(foreign.values_list("todo_id", "label__name"))
    if not links:
        return
    names = list(dict.fromkeys(name for _, name in links))
    own = {label.name.lower(): label.pk for label in label_ensure(owner=todo_list.owner, names=names)}
    foreign.delete()
    relinked = {(todo_id, own[name.lower()]) for todo_id, name in links}
    Through.objects.bulk_create(
        [Through(todo_id=todo_id, label_id=label_id) for todo_id, label_id in relinked], ignore_conflicts=True
    )


@transaction.atomic
def todo_list_delete(*, todo_list: TodoList) -> None:
    todo_list_touch(list_ids=[todo_list.pk])  # before the cascade locks its todos: the order every writer takes
    todo_list.delete()


@transaction.atomic
def todo_list_set_completed(*, todo_list: TodoList, completed: bool) -> int:
    """Complete (or reopen) every todo of the list; return how many changed."""
    todo_list_touch(list_ids=[todo_list.pk])
    completed_at = timezone.now() if completed else None
    changed = Todo.objects.filter(list=todo_list).exclude(completed=completed)
    return changed.update(completed=completed, completed_at=completed_at)


@transaction.atomic
def todo_list_clear_completed(*, todo_list: TodoList) -> int:
    """Delete the list's completed todos; return how many were deleted."""
    todo_list_touch(list_ids=[todo_list.pk])
    deleted, _ = Todo.objects.filter(list=todo_list, completed=True).delete()
    if deleted:
        _renumber(todo_list.pk)
    return deleted


@transaction.atomic
def todo_list_delete_todos(*, todo_list: TodoList) -> int:
    """Delete every todo of the list; return how many were deleted."""
    todo_list_touch(list_ids=[todo_list.pk])
    deleted, _ = Todo.objects.filter(list=todo_list).delete()
    return deleted


# Todos


@transaction.atomic
def todo_create(
    *,
    todo_list: TodoList,
    description: str,
    completed: bool = False,
    due_date: datetime.date | None = None,
    due_time: datetime.time | None = None,
    priority: str = Priority.NONE,
    notes: str = "",
    labels: Iterable[Label] = (),
) -> Todo:
    """Add a todo at the bottom of the list; `labels` must be the list owner's."""
    description = _clean_text(
        description, field="description", max_length=Todo._meta.get_field("description").max_length
    )
    _check_due(due_date, due_time)
    labels = _check_labels(labels, owner_id=todo_list.owner_id)
    todo_list_touch(list_ids=[todo_list.pk])
    todo = Todo.objects.create(
        list=todo_list,
        description=description,
        completed=completed,
        completed_at=timezone.now() if completed else None,
        due_date=due_date,
        due_time=due_time,
        priority=_check_priority(priority),
        notes=_check_notes(notes),
        position=_next_position(todo_list.pk),
    )
    if labels:
        todo.labels.set(labels)
    return todo


@transaction.atomic
def todo_update(
    *,
    todo: Todo,
    description: str | None = None,
    completed: bool | None = None,
    position: int | None = None,
    todo_list: TodoList | None = None,
    due_date: datetime.date | None | Unset = UNSET,
    due_time: datetime.time | None | Unset = UNSET,
    priority: str | None = None,
    notes: str | None = None,
    labels: Iterable[Label] | None = None,
) -> Todo:
    """Change any of a todo's fields, place in its list, or list (moving it to the end of that list).

    None leaves a field as it is; `due_date` and `due_time` are cleared with None and left out to keep them.
    Completing sets `completed_at`, reopening clears it. `labels` replaces the todo's labels.
    """
    _lock_todo(todo, *([todo_list.pk] if todo_list is not None else []))
    fields = []
    if description is not None:
        todo.description = _clean_text(
            description, field="description", max_length=Todo._meta.get_field("description").max_length
        )
        fields.append("description")
    if completed is not None:
        if completed != todo.completed:
            todo.completed_at = timezone.now() if completed else None
        todo.completed = completed
        fields += ["completed", "completed_at"]
    if due_date is not UNSET:
        todo.due_date = due_date
        fields.append("due_date")
    if due_time is not UNSET:
        todo.due_time = due_time
        fields.append("due_time")
    _check_due(todo.due_date, todo.due_time)
    if priority is not None:
        todo.priority = _check_priority(priority)
        fields.append("priority")
    if notes is not None:
        todo.notes = _check_notes(notes)
        fields.append("notes")
    if labels is not None:
        owner_id = TodoList.objects.values_list("owner_id", flat=True).get(pk=todo.list_id)
        todo.labels.set(_check_labels(labels, owner_id=owner_id))
    if fields or labels is not None:
        todo.save(update_fields=[*fields, "updated_at"])
    if todo_list is not None and todo_list.pk != todo.list_id:
        todo_move(todo=todo, to_list=todo_list)
    if position is not None:
        todo_reorder(todo=todo, position=position)
    return todo


@transaction.atomic
def todo_reorder(*, todo: Todo, position: int) -> Todo:
    """Put the todo at 0-based `position` in its list (clamped to the list), shifting the others."""
    if position < 0:
        raise ValidationError({"position": "Ensure this value is greater than or equal to 0."})
    _lock_todo(todo)
    siblings = Todo.objects.filter(list_id=todo.list_id)
    current = todo.position
    target = min(position, siblings.count() - 1)
    if target < current:
        siblings.filter(position__gte=target, position__lt=current).update(position=F("position") + 1)
    elif target > current:
        siblings.filter(position__gt=current, position__lte=target).update(position=F("position") - 1)
    if target != current:
        siblings.filter(pk=todo.pk).update(position=target)
    todo.position = target
    return todo


@transaction.atomic
def todo_move(*, todo: Todo, to_list: TodoList) -> Todo:
    """Move a todo to the end of another list of the same owner."""
    source_id = todo.list_id
    if to_list.pk == source_id:
        return todo
    if to_list.owner_id != TodoList.objects.values_list("owner_id", flat=True).get(pk=source_id):
        raise ValidationError({"list": "You can only move a todo to one of your own lists."})
    _lock_todo(todo, to_list.pk)
    source_id, old_position = todo.list_id, todo.position
    if to_list.pk == source_id:  # moved there meanwhile
        return todo
    todo.list = to_list
    todo.position = _next_position(to_list.pk)
    todo.save(update_fields=["list", "position", "updated_at"])
    Todo.objects.filter(list_id=source_id, position__gt=old_position).update(position=F("position") - 1)
    return todo


@transaction.atomic
def todo_delete(*, todo: Todo) -> None:
    _lock_todo(todo)
    position = todo.position
    todo.delete()
    Todo.objects.filter(list_id=todo.list_id, position__gt=position).update(position=F("position") - 1)


@transaction.atomic
def todo_lock(*, todo_id: int, to_list_id: int | None = None) -> None:
    """Lock a todo's list (and the list it is about to move to), then the todo, for a check-then-write.

    The locks last until the caller's transaction ends. Nothing is locked if the todo is gone.
    """
    with contextlib.suppress(Todo.DoesNotExist):
        _lock_todo(Todo(pk=todo_id), *([to_list_id] if to_list_id is not None else []))


# Sharing and API compositions


@transaction.atomic
def todo_list_share(*, todo_list: TodoList) -> str:
    """Give the list a new secret sharing token, replacing (revoking) any earlier one, and return it."""
    todo_list.share_token = secrets.token_urlsafe(32)
    todo_list_touch(list_ids=[todo_list.pk])
    todo_list.save(update_fields=["share_token", "updated_at"])
    return todo_list.share_token


@transaction.atomic
def todo_list_unshare(*, todo_list: TodoList) -> None:
    """Revoke the list's sharing token; its public URL answers 404 from now on."""
    todo_list.share_token = None
    todo_list_touch(list_ids=[todo_list.pk])
    todo_list.save(update_fields=["share_token", "updated_at"])


@transaction.atomic
def todo_list_update(*, todo_list: TodoList, name: str | None = None, shared: bool | None = None) -> TodoList:
    """Rename the list and/or share or unshare it; sharing an already shared list keeps its token."""
    if name is not None:
        todo_list_rename(todo_list=todo_list, name=name)
    if shared and todo_list.share_token is None:
        todo_list_share(todo_list=todo_list)
    elif shared is False and todo_list.share_token is not None:
        todo_list_unshare(todo_list=todo_list)
    return todo_list


@transaction.atomic
def todo_insert(
    *,
    todo_list: TodoList,
    description: str,
    completed: bool = False,
    position: int | None = None,
    due_date: datetime.date | None = None,
    due_time: datetime.time | None = None,
    priority: str = Priority.NONE,
    notes: str = "",
    labels: Iterable[Label] = (),
) -> Todo:
    """Add a todo at 0-based `position` in the list (clamped), or at the bottom when there is none."""
    todo = todo_create(
        todo_list=todo_list,
        description=description,
        completed=completed,
        due_date=due_date,
        due_time=due_time,
        priority=priority,
        notes=notes,
        labels=labels,
    )
    if position is not None:
        todo_reorder(todo=todo, position=position)
    return todo


# Labels


def _clean_label_name(name: str) -> str:
    return _clean_text(name, field="name", max_length=Label._meta.get_field("name").max_length)


def _check_colour(colour: str) -> str:
    if colour not in Colour.values:
        raise ValidationError({"colour": f"Choose one of: {', '.join(Colour.values)}."})
    return colour


def _label_named(*, owner, name: str, exclude_pk: int | None = None) -> Label | None:
    """The owner's label of this name, ignoring case as the database's unique constraint does."""
    labels = Label.objects.for_owner(owner).named(name)
    if exclude_pk is not None:
        labels = labels.exclude(pk=exclude_pk)
    return labels.first()


def _save_label(label: Label, **kwargs) -> None:
    """Save, answering a concurrent twin (the unique constraint refusing it) as a name already taken."""
    try:
        with transaction.atomic():
            label.save(**kwargs)
    except IntegrityError as error:
        raise ValidationError({"name": "You already have a label with this name."}) from error


def label_lock(*, owner, label_id: int) -> None:
    """Lock the lists holding the owner's label `label_id`, then the label: in a caller's transaction.

    Lists first, as every writer takes them: a todo write locks its list, then adding a label to a todo
    checks the label's row (a key-share lock), so locking the label first and its lists second could deadlock
    with it. Another person's label (or none) locks nothing.
    """
    list_ids = Todo.objects.filter(labels=label_id, labels__owner=owner).values_list("list_id", flat=True).distinct()
    todo_list_touch(list_ids=list(list_ids))
    Label.objects.for_owner(owner).select_for_update().filter(pk=label_id).values_list("pk").first()


def _touch_lists_of(label: Label) -> None:
    """Raise the version of each list holding a todo with this label: they show its name and colour."""
    list_ids = Todo.objects.filter(labels=label).values_list("list_id", flat=True).distinct()
    todo_list_touch(list_ids=list(list_ids))


@transaction.atomic
def label_create(*, owner, name: str, colour: str = Colour.GREY) -> Label:
    """A new label of the owner's; its name must differ (ignoring case) from their other labels'."""
    name = _clean_label_name(name)
    if _label_named(owner=owner, name=name) is not None:
        raise ValidationError({"name": "You already have a label with this name."})
    label = Label(owner=owner, name=name, colour=_check_colour(colour))
    _save_label(label)
    return label


@transaction.atomic
def label_update(*, label: Label, name: str | None = None, colour: str | None = None) -> Label:
    """Rename or recolour a label; every list showing it gets a new version."""
    if name is not None:
        label.name = _clean_label_name(name)
        if _label_named(owner=label.owner_id, name=label.name, exclude_pk=label.pk) is not None:
            raise ValidationError({"name": "You already have a label with this name."})
    if colour is not None:
        label.colour = _check_colour(colour)
    _touch_lists_of(label)
    _save_label(label, update_fields=["name", "colour"])
    return label


@transaction.atomic
def label_delete(*, label: Label) -> None:
    """Delete a label, taking it off its todos; every list showing it gets a new version."""
    _touch_lists_of(label)
    label.delete()


@transaction.atomic
def label_ensure(*, owner, names: Iterable[str]) -> list[Label]:
    """The owner's labels of these names (ignoring case), creating the missing ones (grey), in the names' order."""
    labels: dict[int, Label] = {}
    for name in names:
        name = _clean_label_name(name)
        label = _label_named(owner=owner, name=name) or _label_create_or_read(owner=owner, name=name)
        labels.setdefault(label.pk, label)
    return list(labels.values())


def _label_create_or_read(*, owner, name: str) -> Label:
    """A new label of that name, or the one a concurrent request created first (not an error: both want it)."""
    try:
        return label_create(owner=owner, name=name)
    except ValidationError:
        found = _label_named(owner=owner, name=name)
        if found is None:
            raise
        return found


# Quick add


@transaction.atomic
def todo_quick_add(*, owner, todo_list: TodoList, text: str, now: datetime.datetime) -> Todo:
    """Add a todo at the bottom of the owner's list from quick-add text (todos.quickadd), read at `now`
    (aware, in the person's zone): its due date and time, priority and labels, the labels found by name
    (ignoring case) or created. All or nothing: a label name too long is an error on `text`."""
    if todo_list.owner_id != owner.pk:
        raise ValidationError({"list": "You can only add todos to your own lists."})
    quick = quickadd.parse_quick_add(text, now=now)
    longest = Label._meta.get_field("name").max_length
    too_long = next((name for name in quick.labels if len(name) > longest), None)
    if too_long is not None:
        raise ValidationError({"text": f"A label has at most {longest} characters: #{too_long[:20]}… is longer."})
    return todo_create(
        todo_list=todo_list,
        description=quick.description,
        due_date=quick.due_date,
        due_time=quick.due_time,
        priority=quick.priority,
        labels=label_ensure(owner=owner, names=quick.labels),
    )


# Import (accounts.services.account_data_import): whole lists at once, a few queries for any number of todos


@transaction.atomic
def label_import(*, owner, labels: Iterable[tuple[str, str]]) -> tuple[dict[str, Label], int]:
    """The owner's labels of these (name, colour)s, matched ignoring case or created in that colour.

    Returns them by lower-cased name, and how many were created; an existing label keeps its colour.
    """
    found: dict[str, Label] = {}
    created = 0
    for name, colour in labels:
        name = _clean_label_name(name)
        if name.lower() in found:
            continue
        label = _label_named(owner=owner, name=name)
        if label is None:
            label = label_create(owner=owner, name=name, colour=colour)
            created += 1
        found[name.lower()] = label
    return found, created


@transaction.atomic
def todo_list_import(*, owner, name: str, todos: Iterable[dict], labels: dict[str, Label]) -> tuple[TodoList, int]:
    """A new list of the owner's holding `todos`, in their order; return it and how many todos it holds.

    Each todo is a dict of todo_create's fields (`labels` as names, looked up lower-cased in `labels`,
    which label_import made), plus `completed_at` (kept for a completed todo; now if missing) and
    `backend_order`. Written with bulk inserts: an import of thousands of todos is a few queries.
    """
    todo_list = todo_list_create(owner=owner, name=name)
    rows, names = [], []
    now = timezone.now()
    description_length = Todo._meta.get_field("description").max_length
    for position, fields in enumerate(todos):
        completed = bool(fields.get("completed", False))
        _check_due(fields.get("due_date"), fields.get("due_time"))
        rows.append(
            Todo(
                list=todo_list,
                position=position,
                description=_clean_text(fields["description"], field="description", max_length=description_length),
                completed=completed,
                completed_at=(fields.get("completed_at") or now) if completed else None,
                due_date=fields.get("due_date"),
                due_time=fields.get("due_time"),
                priority=_check_priority(fields.get("priority", Priority.NONE)),
                notes=_check_notes(fields.get("notes", "")),
                backend_order=fields.get("backend_order"),
            )
        )
        names.append(fields.get("labels", ()))
    Todo.objects.bulk_create(rows, batch_size=500)
    through = Todo.labels.through
    links = {
        (todo.pk, labels[name.strip().lower()].pk)
        for todo, todo_names in zip(rows, names, strict=True)
        for name in todo_names
    }
    through.objects.bulk_create(
        [through(todo_id=todo_id, label_id=label_id) for todo_id, label_id in sorted(links)], batch_size=1000
    )
    return todo_list, len(rows)


# Undo: the undoable writes of the web pages record what they change (an UndoAction), so that
# undo_restore can put it back, later, from another request (the notice's plain Undo form).

UNDO_WINDOW = datetime.timedelta(minutes=10)  # how long an UndoAction can be restored
_TODO_FIELDS = (
    "id",
    "list_id",
    "description",
    "completed",
    "completed_at",
    "position",
    "backend_order",
    "due_date",
    "due_time",
    "priority",
    "notes",
    "created_at",
    "updated_at",
)
_DATE_FIELDS = {"due_date": datetime.date.fromisoformat, "due_time": datetime.time.fromisoformat}
_DATETIME_FIELDS = ("completed_at", "created_at", "updated_at")


def _to_json(value):
    """Dates and times as ISO text, to the microsecond (DjangoJSONEncoder would cut them to milliseconds)."""
    return value.isoformat() if isinstance(value, datetime.date | datetime.time) else value


def _from_json(field: str, value):
    if value is None:
        return None
    if field in _DATETIME_FIELDS:
        return datetime.datetime.fromisoformat(value)
    if field in _DATE_FIELDS:
        return _DATE_FIELDS[field](value)
    return value


def _todos_snapshot(todos) -> list[dict]:
    """Every stored field of these todos, their labels' ids, and `after`: the id of the todo before each
    in its list (None for the first), which undo_restore puts it back behind. As JSON."""
    rows = list(todos.order_by("list_id", "position", "id").values(*_TODO_FIELDS))
    before: dict[int, int | None] = {}
    for list_id in {row["list_id"] for row in rows}:
        order = Todo.objects.filter(list_id=list_id).order_by("position", "id").values_list("id", flat=True)
        previous = None
        for pk in order:
            before[pk], previous = previous, pk
    labels: dict[int, list[int]] = {}
    links = Todo.labels.through.objects.filter(todo_id__in=[row["id"] for row in rows]).order_by("todo_id", "label_id")
    for todo_id, label_id in links.values_list("todo_id", "label_id"):
        labels.setdefault(todo_id, []).append(label_id)
    return [
        {key: _to_json(value) for key, value in row.items()}
        | {"labels": labels.get(row["id"], []), "after": before[row["id"]]}
        for row in rows
    ]


def _undo_record(*, owner, kind: str, summary: str, snapshot: dict) -> UndoAction:
    """Keep what a write changed; the owner's records too old to restore (or restored) are deleted."""
    cutoff = timezone.now() - UNDO_WINDOW
    UndoAction.objects.for_owner(owner).filter(Q(created_at__lt=cutoff) | Q(undone_at__isnull=False)).delete()
    return UndoAction.objects.create(owner=owner, kind=kind, summary=summary[:300], snapshot=snapshot)


def _quoted(text: str, limit: int = 60) -> str:
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


@transaction.atomic
def todo_delete_undoable(*, todo: Todo, by) -> UndoAction:
    """Delete the todo (todo_delete) and keep it, labels and place, for undo_restore."""
    _lock_todo(todo)
    snapshot = {"todos": _todos_snapshot(Todo.objects.filter(pk=todo.pk))}
    todo_delete(todo=todo)
    return _undo_record(
        owner=by, kind=UndoKind.DELETE_TODO, summary=f"Deleted {_quoted(todo.description)}.", snapshot=snapshot
    )


@transaction.atomic
def todo_list_clear_completed_undoable(*, todo_list: TodoList, by) -> UndoAction | None:
    """Delete the list's completed todos (todo_list_clear_completed) and keep them for undo_restore.

    None when there was nothing to clear (nothing to undo).
    """
    todo_list_touch(list_ids=[todo_list.pk])
    snapshot = {"todos": _todos_snapshot(Todo.objects.filter(list=todo_list, completed=True))}
    todo_list_clear_completed(todo_list=todo_list)
    count = len(snapshot["todos"])  # not the service's count, which adds the label links deleted with them
    if not count:
        return None
    summary = f"Cleared {count} completed todo{'' if count == 1 else 's'} from {_quoted(todo_list.name)}."
    return _undo_record(owner=by, kind=UndoKind.CLEAR_COMPLETED, summary=summary, snapshot=snapshot)


@transaction.atomic
def todo_list_set_completed_undoable(*, todo_list: TodoList, completed: bool, by) -> UndoAction | None:
    """Complete or reopen every todo of the list (todo_list_set_completed), keeping each changed todo's
    state for undo_restore; None when no todo changed."""
    todo_list_touch(list_ids=[todo_list.pk])
    changed = Todo.objects.filter(list=todo_list).exclude(completed=completed).order_by("id")
    before = [
        {"id": pk, "completed": done, "completed_at": _to_json(at)}
        for pk, done, at in changed.values_list("id", "completed", "completed_at")
    ]
    count = todo_list_set_completed(todo_list=todo_list, completed=completed)
    if not count:
        return None
    verb = "Completed" if completed else "Reopened"
    summary = f"{verb} {count} todo{'' if count == 1 else 's'} in {_quoted(todo_list.name)}."
    snapshot = {"list_id": todo_list.pk, "todos": before}
    return _undo_record(owner=by, kind=UndoKind.SET_COMPLETED, summary=summary, snapshot=snapshot)


@transaction.atomic
def todo_list_delete_undoable(*, todo_list: TodoList, by) -> UndoAction:
    """Delete the list and its todos (todo_list_delete), keeping both for undo_restore."""
    todo_list_touch(list_ids=[todo_list.pk])
    stored = TodoList.objects.values("id", "owner_id", "name", "share_token", "version", "created_at", "updated_at")
    snapshot = {
        "list": {key: _to_json(value) for key, value in stored.get(pk=todo_list.pk).items()},
        "todos": _todos_snapshot(Todo.objects.filter(list=todo_list)),
    }
    todo_list_delete(todo_list=todo_list)
    summary = f"Deleted the list {_quoted(todo_list.name)}."
    return _undo_record(owner=by, kind=UndoKind.DELETE_LIST, summary=summary, snapshot=snapshot)


def undo_refusal(*, undo: UndoAction, now: datetime.datetime | None = None) -> str:
    """Why `undo` cannot be restored (already restored, too old), or "" when it can."""
    if undo.undone_at is not None:
        return "That was undone already."
    if undo.created_at < (now or timezone.now()) - UNDO_WINDOW:
        minutes = int(UNDO_WINDOW.total_seconds() // 60)
        return f"Too late to undo: changes can be undone for {minutes} minutes."
    return ""


def _restore_todos(*, rows: list[dict], owner_id: int) -> list[int]:
    """Put deleted todos back into their lists, with their ids, fields and labels (those that still exist).

    Each list's todos stay dense: the restored ones go back to their old places among the todos there now,
    in the order of their old positions: each right behind the todo it followed (`after`, first if none),
    or, if that one has left the list, at its old position (or the end). Todos of a list deleted meanwhile
    are not restored. Returns the ids of the lists they went back to.
    """
    list_ids = set(
        TodoList.objects.filter(pk__in={row["list_id"] for row in rows}, owner_id=owner_id).values_list("pk", flat=True)
    )
    existing = set(Todo.objects.filter(pk__in=[row["id"] for row in rows]).values_list("pk", flat=True))
    rows = [row for row in rows if row["list_id"] in list_ids and row["id"] not in existing]
    restored, moved = [], []
    for list_id in sorted({row["list_id"] for row in rows}):
        order = list(Todo.objects.filter(list_id=list_id).order_by("position", "id").only("id", "position"))
        coming = sorted(
            (row for row in rows if row["list_id"] == list_id), key=lambda row: (row["position"], row["id"])
        )
        for row in coming:
            todo = Todo(**{field: _from_json(field, row[field]) for field in _TODO_FIELDS})
            ids = [item.pk for item in order]
            if row["after"] is None:
                index = 0
            elif row["after"] in ids:
                index = ids.index(row["after"]) + 1
            else:
                index = min(row["position"], len(order))
            order.insert(index, todo)
            restored.append(todo)
        for position, todo in enumerate(order):
            if todo.position != position:
                todo.position = position
                if todo.pk not in {row["id"] for row in coming}:
                    moved.append(todo)
    Todo.objects.bulk_update(moved, ["position"], batch_size=1000)
    Todo.objects.bulk_create(restored, batch_size=500)
    # bulk_create stamps created_at and updated_at with now (auto_now_add, auto_now): write back the old ones.
    stamps = {row["id"]: row for row in rows}
    for todo in restored:
        todo.created_at = _from_json("created_at", stamps[todo.pk]["created_at"])
        todo.updated_at = _from_json("updated_at", stamps[todo.pk]["updated_at"])
    Todo.objects.bulk_update(restored, ["created_at", "updated_at"], batch_size=500)
    label_ids = set(Label.objects.filter(owner_id=owner_id).values_list("pk", flat=True))
    Through = Todo.labels.through
    Through.objects.bulk_create(
        [
            Through(todo_id=row["id"], label_id=label_id)
            for row in rows
            for label_id in row["labels"]
            if label_id in label_ids
        ],
        batch_size=1000,
    )
    return sorted({row["list_id"] for row in rows})


def _restore_list(*, stored: dict) -> TodoList | None:
    """Create the deleted list again with its id, name, sharing token (unless another list took it) and dates.

    Its `version` goes on from the one it had, never back to a number that cached pages of it were
    keyed by. None when a list of that id exists.
    """
    if TodoList.objects.filter(pk=stored["id"]).exists():
        return None
    token = stored["share_token"]
    if token is not None and TodoList.objects.filter(share_token=token).exists():
        token = None
    todo_list = TodoList(
        id=stored["id"], owner_id=stored["owner_id"], name=stored["name"], share_token=token, version=stored["version"]
    )
    todo_list.save(force_insert=True)
    TodoList.objects.filter(pk=todo_list.pk).update(
        created_at=_from_json("created_at", stored["created_at"]),
        updated_at=_from_json("updated_at", stored["updated_at"]),
    )
    return todo_list


@transaction.atomic
def undo_restore(*, undo: UndoAction, by) -> list[int]:
    """Put back what `undo` recorded; return the ids of the lists restored or changed.

    Locks, in the order every writer takes: the lists it names (id order, todo_list_touch), then the
    UndoAction's row, whose `undone_at` makes a second restore (even a concurrent one) refused. Refused
    with a ValidationError when it is someone else's, done already, or too old (undo_refusal).
    """
    if undo.owner_id != by.pk:
        raise ValidationError("You can only undo your own changes.")
    snapshot = undo.snapshot
    named = {row["list_id"] for row in snapshot.get("todos", []) if "list_id" in row}
    if "list_id" in snapshot:
        named.add(snapshot["list_id"])
    todo_list_touch(list_ids=named)
    locked = UndoAction.objects.select_for_update().get(pk=undo.pk)
    refusal = undo_refusal(undo=locked)
    if refusal:
        raise ValidationError(refusal)
    match undo.kind:
        case UndoKind.DELETE_TODO | UndoKind.CLEAR_COMPLETED:
            changed = _restore_todos(rows=snapshot["todos"], owner_id=by.pk)
        case UndoKind.DELETE_LIST:
            todo_list = _restore_list(stored=snapshot["list"])
            if todo_list is None:
                raise ValidationError("That list exists already.")
            changed = [todo_list.pk, *_restore_todos(rows=snapshot["todos"], owner_id=by.pk)]
        case UndoKind.SET_COMPLETED:
            todos = list(
                Todo.objects.filter(list_id=snapshot["list_id"], pk__in=[row["id"] for row in snapshot["todos"]])
            )
            before = {row["id"]: row for row in snapshot["todos"]}
            for todo in todos:
                todo.completed = before[todo.pk]["completed"]
                todo.completed_at = _from_json("completed_at", before[todo.pk]["completed_at"])
            Todo.objects.bulk_update(todos, ["completed", "completed_at"], batch_size=1000)
            changed = [snapshot["list_id"]] if todos else []
        case _:
            raise ValidationError("This change cannot be undone.")
    if not changed:
        raise ValidationError("Nothing to restore: the list it was in is gone.")
    todo_list_touch(list_ids=changed)  # the restored list's version goes past the one it had when deleted
    locked.undone_at = timezone.now()
    locked.save(update_fields=["undone_at"])
    return sorted(set(changed))
