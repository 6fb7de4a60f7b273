import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from todos import services
from todos.models import Label, Todo, TodoList
from todos.tests.factories import LabelFactory, TodoFactory, TodoListFactory, UserFactory

pytestmark = pytest.mark.django_db


def positions(todo_list):
    return list(todo_list.todos.values_list("description", "position"))


def make_list(*descriptions, **kwargs):
    todo_list = TodoListFactory(**kwargs)
    for description in descriptions:
        services.todo_create(todo_list=todo_list, description=description)
    return todo_list


def test_todo_list_create_trims_the_name():
    todo_list = services.todo_list_create(owner=UserFactory(), name="  Groceries  ")
    assert todo_list.name == "Groceries"


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_todo_list_create_rejects_bad_names(name):
    with pytest.raises(ValidationError) as error:
        services.todo_list_create(owner=UserFactory(), name=name)
    assert "name" in error.value.message_dict
    assert not TodoList.objects.exists()


def test_todo_list_ensure_inbox_creates_inbox_once():
    user = UserFactory()
    inbox = services.todo_list_ensure_inbox(owner=user)
    assert inbox.name == "Inbox"
    assert services.todo_list_ensure_inbox(owner=user) == inbox
    assert TodoList.objects.count() == 1


def test_todo_list_rename():
    todo_list = TodoListFactory(name="Old")
    services.todo_list_rename(todo_list=todo_list, name=" New ")
    todo_list.refresh_from_db()
    assert todo_list.name == "New"


def test_todo_list_rename_rejects_blank_and_keeps_the_old_name():
    todo_list = TodoListFactory(name="Old")
    with pytest.raises(ValidationError):
        services.todo_list_rename(todo_list=todo_list, name=" ")
    todo_list.refresh_from_db()
    assert todo_list.name == "Old"


def test_todo_create_appends_at_the_bottom_with_dense_positions():
    todo_list = make_list("a", "b", "c")
    assert positions(todo_list) == [("a", 0), ("b", 1), ("c", 2)]


@pytest.mark.parametrize("description", ["", "  ", "x" * 501])
def test_todo_create_rejects_bad_descriptions(description):
    todo_list = TodoListFactory()
    with pytest.raises(ValidationError) as error:
        services.todo_create(todo_list=todo_list, description=description)
    assert "description" in error.value.message_dict
    assert not Todo.objects.exists()


def test_todo_list_set_completed_both_ways():
    todo_list = make_list("a", "b")
    assert services.todo_list_set_completed(todo_list=todo_list, completed=True) == 2
    assert todo_list.is_complete
    assert services.todo_list_set_completed(todo_list=todo_list, completed=True) == 0
    assert services.todo_list_set_completed(todo_list=todo_list, completed=False) == 2
    assert not todo_list.todos.filter(completed=True).exists()


def test_todo_list_set_completed_leaves_other_lists_alone():
    mine, other = make_list("a"), make_list("b")
    services.todo_list_set_completed(todo_list=mine, completed=True)
    assert not other.todos.get().completed


def test_todo_list_clear_completed_deletes_done_todos_and_closes_gaps():
    todo_list = make_list("a", "b", "c", "d")
    todo_list.todos.filter(description__in=["a", "c"]).update(completed=True, completed_at=timezone.now())
    assert services.todo_list_clear_completed(todo_list=todo_list) == 2
    assert positions(todo_list) == [("b", 0), ("d", 1)]


def test_todo_list_delete_todos_empties_the_list():
    todo_list = make_list("a", "b")
    assert services.todo_list_delete_todos(todo_list=todo_list) == 2
    assert not todo_list.todos.exists()


def test_todo_update_changes_text_and_state():
    todo = make_list("a").todos.get()
    services.todo_update(todo=todo, description=" b ", completed=True)
    todo.refresh_from_db()
    assert (todo.description, todo.completed) == ("b", True)


def test_todo_update_rejects_blank_text_and_changes_nothing():
    todo = make_list("a").todos.get()
    with pytest.raises(ValidationError):
        services.todo_update(todo=todo, description=" ", completed=True)
    todo.refresh_from_db()
    assert (todo.description, todo.completed) == ("a", False)


@pytest.mark.parametrize(
    ("moved", "to", "expected"),
    [
        ("d", 0, ["d", "a", "b", "c"]),
        ("a", 3, ["b", "c", "d", "a"]),
        ("b", 2, ["a", "c", "b", "d"]),
        ("c", 1, ["a", "c", "b", "d"]),
        ("b", 1, ["a", "b", "c", "d"]),
        ("a", 99, ["b", "c", "d", "a"]),
    ],
)
def test_todo_reorder_keeps_positions_a_permutation(moved, to, expected):
    todo_list = make_list("a", "b", "c", "d")
    services.todo_reorder(todo=todo_list.todos.get(description=moved), position=to)
    assert positions(todo_list) == [(d, i) for i, d in enumerate(expected)]


def test_todo_reorder_rejects_negative_positions():
    todo = make_list("a").todos.get()
    with pytest.raises(ValidationError):
        services.todo_reorder(todo=todo, position=-1)


def test_todo_move_appends_to_the_target_and_closes_the_gap():
    source = make_list("a", "b", "c")
    target = make_list("x", owner=source.owner)
    services.todo_move(todo=source.todos.get(description="a"), to_list=target)
    assert positions(source) == [("b", 0), ("c", 1)]
    assert positions(target) == [("x", 0), ("a", 1)]


def test_todo_move_refuses_another_users_list():
    source, foreign = make_list("a"), make_list("x")
    with pytest.raises(ValidationError) as error:
        services.todo_move(todo=source.todos.get(), to_list=foreign)
    assert "list" in error.value.message_dict
    assert positions(foreign) == [("x", 0)]


def test_todo_update_can_move_and_place_in_one_call():
    source = make_list("a")
    target = make_list("x", "y", owner=source.owner)
    todo = services.todo_update(todo=source.todos.get(), todo_list=target, position=0)
    assert todo.list == target
    assert positions(target) == [("a", 0), ("x", 1), ("y", 2)]


def test_todo_delete_closes_the_gap():
    todo_list = make_list("a", "b", "c")
    services.todo_delete(todo=todo_list.todos.get(description="a"))
    assert positions(todo_list) == [("b", 0), ("c", 1)]


def test_todo_delete_uses_the_stored_position_not_a_stale_one():
    todo_list = make_list("a", "b", "c")
    stale = todo_list.todos.get(description="c")
    services.todo_reorder(todo=todo_list.todos.get(description="c"), position=0)
    services.todo_delete(todo=stale)
    assert positions(todo_list) == [("a", 0), ("b", 1)]


def test_factory_positions_match_the_service():
    todo_list = TodoListFactory()
    TodoFactory.create_batch(3, list=todo_list)
    assert [p for _, p in positions(todo_list)] == [0, 1, 2]


@pytest.mark.parametrize(
    "change",
    [
        lambda tl, todo, other: services.todo_create(todo_list=tl, description="new"),
        lambda tl, todo, other: services.todo_update(todo=todo, completed=True),
        lambda tl, todo, other: services.todo_update(todo=todo, description="edited"),
        lambda tl, todo, other: services.todo_reorder(todo=todo, position=0),
        lambda tl, todo, other: services.todo_delete(todo=todo),
        lambda tl, todo, other: services.todo_move(todo=todo, to_list=other),
        lambda tl, todo, other: services.todo_list_set_completed(todo_list=tl, completed=True),
        lambda tl, todo, other: services.todo_list_delete_todos(todo_list=tl),
        lambda tl, todo, other: (
            services.todo_update(todo=todo, completed=True),
            services.todo_list_clear_completed(todo_list=tl),
        ),
    ],
)
def test_every_change_to_a_lists_todos_raises_its_version(change):
    """The cached counts and list pages are keyed by this version: a change that kept it would show stale data."""
    todo_list = make_list("b", "a")
    other = TodoListFactory(owner=todo_list.owner)
    before = TodoList.objects.get(pk=todo_list.pk).version
    change(todo_list, todo_list.todos.get(description="a"), other)  # "a" is at position 1
    assert TodoList.objects.get(pk=todo_list.pk).version > before


def test_cached_counts_follow_the_version(django_assert_num_queries):
    from todos.selectors import todo_lists_attach_counts

    todo_list = make_list("a", "b")
    services.todo_update(todo=todo_list.todos.first(), completed=True)
    fresh = TodoList.objects.get(pk=todo_list.pk)
    assert (todo_lists_attach_counts(todo_lists=[fresh])[0].total_count, fresh.open_count) == (2, 1)
    with django_assert_num_queries(0):
        todo_lists_attach_counts(todo_lists=[fresh])
    services.todo_delete(todo=todo_list.todos.last())
    fresh = TodoList.objects.get(pk=todo_list.pk)
    assert (todo_lists_attach_counts(todo_lists=[fresh])[0].total_count, fresh.open_count) == (1, 0)


def test_saving_a_list_with_a_new_owner_revokes_its_share_token(todo_list, other_user):
    services.todo_list_share(todo_list=todo_list)
    todo_list.owner = other_user

    services.todo_list_save(todo_list=todo_list)

    todo_list.refresh_from_db()
    assert (todo_list.owner, todo_list.share_token) == (other_user, None)


def test_a_list_given_to_another_owner_carries_their_labels_of_the_same_names_never_the_former_owners(
    todo_list, user, other_user
):
    """Regression: the new owner saw the former owner's labels (names, colours) on the list's todos."""
    home, secret = LabelFactory(owner=user, name="Home"), LabelFactory(owner=user, name="secret plans")
    theirs = LabelFactory(owner=other_user, name="home", colour="teal")
    both = TodoFactory(list=todo_list, labels=[home, secret])
    one = TodoFactory(list=todo_list, labels=[home])
    elsewhere = TodoFactory(list=TodoListFactory(owner=user), labels=[home])
    todo_list.owner = other_user

    services.todo_list_save(todo_list=todo_list)

    created = Label.objects.get(owner=other_user, name="secret plans")
    assert set(both.labels.all()) == {theirs, created}
    assert list(one.labels.all()) == [theirs]
    assert list(elsewhere.labels.all()) == [home]  # the former owner's other lists keep theirs
    assert not Todo.objects.filter(list=todo_list, labels__owner=user).exists()


def test_saving_a_list_with_the_same_owner_keeps_its_share_token(todo_list):
    secret = services.todo_list_share(todo_list=todo_list)
    todo_list.name = "Renamed"

    services.todo_list_save(todo_list=todo_list)

    todo_list.refresh_from_db()
    assert todo_list.share_token == secret


# Due dates, priority, notes, labels, completed_at

DAY = datetime.date(2026, 3, 10)
NINE = datetime.time(9, 0)


def test_todo_create_keeps_every_field():
    todo_list = TodoListFactory()
    label = LabelFactory(owner=todo_list.owner)
    todo = services.todo_create(
        todo_list=todo_list, description="x", due_date=DAY, due_time=NINE, priority="high", notes="n", labels=[label]
    )
    todo = Todo.objects.get(pk=todo.pk)
    assert (todo.due_date, todo.due_time, todo.priority, todo.notes) == (DAY, NINE, "high", "n")
    assert list(todo.labels.all()) == [label]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"due_time": NINE}, "due_time"),
        ({"priority": "urgent"}, "priority"),
        ({"notes": "n" * 10_001}, "notes"),
        ({"labels": "others"}, "labels"),
    ],
)
def test_todo_create_refuses_bad_fields_naming_them_and_writes_nothing(fields, field):
    todo_list = TodoListFactory()
    if fields.get("labels") == "others":
        fields = {"labels": [LabelFactory()]}
    with pytest.raises(ValidationError) as error:
        services.todo_insert(todo_list=todo_list, description="x", **fields)
    assert field in error.value.message_dict
    assert not Todo.objects.exists()


def test_todo_update_changes_and_clears_the_due_date_and_time():
    todo = TodoFactory()
    services.todo_update(todo=todo, due_date=DAY, due_time=NINE)
    services.todo_update(todo=todo, priority="low")  # left out: kept
    assert Todo.objects.values_list("due_date", "due_time").get() == (DAY, NINE)
    services.todo_update(todo=todo, due_date=None, due_time=None)
    assert Todo.objects.values_list("due_date", "due_time").get() == (None, None)


def test_todo_update_refuses_a_due_time_left_without_its_date():
    todo = TodoFactory(due_date=DAY, due_time=NINE)
    with pytest.raises(ValidationError) as error:
        services.todo_update(todo=todo, due_date=None)
    assert "due_time" in error.value.message_dict


def test_todo_update_replaces_the_labels_and_refuses_another_owners():
    todo = TodoFactory()
    mine, others = LabelFactory(owner=todo.list.owner), LabelFactory()
    services.todo_update(todo=todo, labels=[mine])
    assert list(todo.labels.all()) == [mine]
    with pytest.raises(ValidationError) as error:
        services.todo_update(todo=todo, labels=[mine, others])
    assert "labels" in error.value.message_dict
    services.todo_update(todo=todo, labels=[])
    assert not todo.labels.exists()


def test_completed_at_is_set_on_completing_kept_on_completing_again_and_cleared_on_reopening():
    todo = TodoFactory()
    services.todo_update(todo=todo, completed=True)
    first = Todo.objects.get().completed_at
    assert first is not None
    services.todo_update(todo=Todo.objects.get(), completed=True)
    assert Todo.objects.get().completed_at == first
    services.todo_update(todo=todo, completed=False)
    assert Todo.objects.get().completed_at is None


def test_completed_at_is_set_by_creating_completed_and_by_completing_a_whole_list():
    todo_list = TodoListFactory()
    done = services.todo_insert(todo_list=todo_list, description="done", completed=True, position=0)
    assert done.completed_at is not None
    services.todo_create(todo_list=todo_list, description="open")
    services.todo_list_set_completed(todo_list=todo_list, completed=True)
    assert all(todo_list.todos.values_list("completed_at", flat=True))
    services.todo_list_set_completed(todo_list=todo_list, completed=False)
    assert not any(todo_list.todos.values_list("completed_at", flat=True))


def test_label_create_refuses_a_name_of_theirs_in_another_case_but_not_someone_elses():
    user = UserFactory()
    services.label_create(owner=user, name="Work", colour="red")
    with pytest.raises(ValidationError) as error:
        services.label_create(owner=user, name=" WORK ")
    assert "name" in error.value.message_dict
    services.label_create(owner=UserFactory(), name="work")
    assert Label.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "colour", "field"), [("", "red", "name"), ("x" * 51, "red", "name"), ("a", "pink", "colour")]
)
def test_label_create_refuses_bad_names_and_colours(name, colour, field):
    with pytest.raises(ValidationError) as error:
        services.label_create(owner=UserFactory(), name=name, colour=colour)
    assert field in error.value.message_dict


def test_label_update_renames_and_recolours_and_refuses_a_taken_name():
    label = LabelFactory(name="a")
    LabelFactory(owner=label.owner, name="b")
    services.label_update(label=label, name="A", colour="blue")
    assert Label.objects.values_list("name", "colour").get(pk=label.pk) == ("A", "blue")
    with pytest.raises(ValidationError):
        services.label_update(label=label, name="B")


def test_label_delete_takes_it_off_its_todos():
    label = LabelFactory()
    todo = TodoFactory(list__owner=label.owner, labels=[label])
    services.label_delete(label=label)
    assert Todo.objects.filter(pk=todo.pk).exists()
    assert not todo.labels.exists()


def test_label_ensure_gets_or_creates_ignoring_case_in_order_without_repeats():
    user = UserFactory()
    work = LabelFactory(owner=user, name="Work")
    labels = services.label_ensure(owner=user, names=["home", "WORK", "Home"])
    assert [label.name for label in labels] == ["home", "Work"]
    assert labels[1] == work
    assert Label.objects.filter(owner=user).count() == 2


# Quick add

NOW = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)


def test_todo_quick_add_saves_what_the_text_reads_at_the_bottom_of_the_list():
    todo_list = make_list("first")

    todo = services.todo_quick_add(
        owner=todo_list.owner, todo_list=todo_list, text="Pay rent friday 5pm !2 #Home", now=NOW
    )

    todo.refresh_from_db()
    assert (todo.description, todo.due_date, todo.due_time, todo.priority, todo.position) == (
        "Pay rent",
        datetime.date(2026, 3, 13),
        datetime.time(17, 0),
        "medium",
        1,
    )
    assert [label.name for label in todo.labels.all()] == ["Home"]


def test_todo_quick_add_refuses_another_persons_list():
    todo_list = TodoListFactory()

    with pytest.raises(ValidationError) as error:
        services.todo_quick_add(owner=UserFactory(), todo_list=todo_list, text="Hi #x", now=NOW)

    assert list(error.value.message_dict) == ["list"]
    assert not Todo.objects.exists()
    assert not Label.objects.exists()


def test_todo_quick_add_writes_nothing_when_a_label_is_too_long():
    todo_list = TodoListFactory()

    with pytest.raises(ValidationError) as error:
        services.todo_quick_add(owner=todo_list.owner, todo_list=todo_list, text=f"Hi #ok #{'x' * 51}", now=NOW)

    assert list(error.value.message_dict) == ["text"]
    assert not Todo.objects.exists()
    assert not Label.objects.exists()


def test_label_ensure_takes_a_label_a_concurrent_request_just_created(user, monkeypatch):
    """Two quick adds naming the same new label at once: the one that loses the race uses the winner's."""
    twin = LabelFactory(owner=user, name="Home")
    lookups = iter([None])  # the first lookup misses the twin, as if it were created just after
    real = services._label_named
    monkeypatch.setattr(services, "_label_named", lambda **kwargs: next(lookups, None) or real(**kwargs))

    assert services.label_ensure(owner=user, names=["home"]) == [twin]
    assert Label.objects.filter(owner=user).count() == 1


# Undo: each undoable write, then undo_restore, gives back the rows as they were, field by field.


def stored_todos(**filters):
    """Every stored field of the todos (and their labels' names), by id."""
    rows = Todo.objects.filter(**filters).order_by("id").values()
    return {row["id"]: row | {"labels": labels_of(row["id"])} for row in rows}


def labels_of(todo_id):
    return list(
        Todo.labels.through.objects.filter(todo_id=todo_id).order_by("label_id").values_list("label_id", flat=True)
    )


def rich_list(owner):
    """A list of four todos with every field set on some, two completed (one labelled twice)."""
    todo_list = TodoListFactory(owner=owner, name="Groceries")
    red, blue = LabelFactory(owner=owner, name="red"), LabelFactory(owner=owner, name="blue")
    services.todo_create(todo_list=todo_list, description="a", labels=[red])
    services.todo_create(
        todo_list=todo_list,
        description="b",
        completed=True,
        due_date=datetime.date(2026, 3, 10),
        due_time=datetime.time(9, 30),
        priority="high",
        notes="n\nm",
        labels=[red, blue],
    )
    services.todo_create(todo_list=todo_list, description="c")
    services.todo_create(todo_list=todo_list, description="d", completed=True, priority="low")
    Todo.objects.filter(description="b").update(backend_order=7)
    todo_list.refresh_from_db()
    return todo_list


def test_undo_a_deleted_todo_restores_every_field_its_labels_and_its_place(user):
    todo_list = rich_list(user)
    before = stored_todos(list=todo_list)
    b = Todo.objects.get(description="b")

    undo = services.todo_delete_undoable(todo=b, by=user)
    assert positions(todo_list) == [("a", 0), ("c", 1), ("d", 2)]
    changed = services.undo_restore(undo=undo, by=user)

    assert changed == [todo_list.pk]
    assert stored_todos(list=todo_list) == before


def test_undo_a_deleted_todo_puts_it_back_between_the_same_neighbours_when_others_were_added_meanwhile(user):
    todo_list = make_list("a", "b", "c", owner=user)
    undo = services.todo_delete_undoable(todo=Todo.objects.get(description="b"), by=user)
    services.todo_insert(todo_list=todo_list, description="new first", position=0)
    services.todo_create(todo_list=todo_list, description="new last")

    services.undo_restore(undo=undo, by=user)

    assert positions(todo_list) == [("new first", 0), ("a", 1), ("b", 2), ("c", 3), ("new last", 4)]


def test_undo_clear_completed_restores_every_cleared_todo_in_its_place_after_others_were_added(user):
    todo_list = rich_list(user)
    before = stored_todos(list=todo_list)

    undo = services.todo_list_clear_completed_undoable(todo_list=todo_list, by=user)
    assert positions(todo_list) == [("a", 0), ("c", 1)]
    assert undo.summary == "Cleared 2 completed todos from “Groceries”."  # todos, not their label links too
    services.todo_create(todo_list=todo_list, description="e")
    services.undo_restore(undo=undo, by=user)

    assert positions(todo_list) == [("a", 0), ("b", 1), ("c", 2), ("d", 3), ("e", 4)]
    after = stored_todos(list=todo_list)
    assert {pk: after[pk] for pk in before} == before


def test_undo_clear_completed_with_nothing_completed_records_nothing(user):
    todo_list = make_list("a", owner=user)

    assert services.todo_list_clear_completed_undoable(todo_list=todo_list, by=user) is None
    assert not user.undo_actions.exists()


@pytest.mark.parametrize("completed", [True, False])
def test_undo_complete_or_reopen_all_gives_each_todo_its_state_and_completion_time_back(user, completed):
    todo_list = rich_list(user)
    before = stored_todos(list=todo_list)

    undo = services.todo_list_set_completed_undoable(todo_list=todo_list, completed=completed, by=user)
    assert set(todo_list.todos.values_list("completed", flat=True)) == {completed}
    services.undo_restore(undo=undo, by=user)

    after = stored_todos(list=todo_list)
    assert {pk: (row["completed"], row["completed_at"]) for pk, row in after.items()} == {
        pk: (row["completed"], row["completed_at"]) for pk, row in before.items()
    }
    assert {pk: row | {"updated_at": None} for pk, row in after.items()} == {
        pk: row | {"updated_at": None} for pk, row in before.items()
    }


def test_undo_a_deleted_list_restores_it_with_its_id_token_dates_and_todos(user):
    todo_list = rich_list(user)
    services.todo_list_share(todo_list=todo_list)
    list_before = TodoList.objects.filter(pk=todo_list.pk).values().get()
    todos_before = stored_todos(list=todo_list)

    pk = todo_list.pk

    undo = services.todo_list_delete_undoable(todo_list=todo_list, by=user)
    assert not TodoList.objects.filter(pk=pk).exists()
    changed = services.undo_restore(undo=undo, by=user)

    assert changed == [pk]
    list_after = TodoList.objects.filter(pk=pk).values().get()
    assert list_after | {"version": 0} == list_before | {"version": 0}
    assert list_after["version"] > list_before["version"]  # past every version cached pages of it were keyed by
    assert stored_todos(list_id=pk) == todos_before


def test_undo_a_deleted_list_keeps_only_the_labels_that_still_exist(user):
    todo_list = rich_list(user)
    undo = services.todo_list_delete_undoable(todo_list=todo_list, by=user)
    services.label_delete(label=Label.objects.get(name="blue"))

    services.undo_restore(undo=undo, by=user)

    assert [label.name for label in Todo.objects.get(description="b").labels.all()] == ["red"]


def test_undo_a_deleted_list_leaves_out_a_share_token_another_list_took_meanwhile(user):
    todo_list = make_list("a", owner=user)
    token, pk = services.todo_list_share(todo_list=todo_list), todo_list.pk
    undo = services.todo_list_delete_undoable(todo_list=todo_list, by=user)
    TodoList.objects.filter(pk=TodoListFactory(owner=user).pk).update(share_token=token)

    services.undo_restore(undo=undo, by=user)

    assert TodoList.objects.get(pk=pk).share_token is None


def test_undo_works_once(user):
    todo_list = make_list("a", owner=user)
    undo = services.todo_delete_undoable(todo=Todo.objects.get(), by=user)
    services.undo_restore(undo=undo, by=user)

    with pytest.raises(ValidationError, match="undone already"):
        services.undo_restore(undo=undo, by=user)
    assert positions(todo_list) == [("a", 0)]


def test_undo_expires(user):
    todo_list = make_list("a", owner=user)
    undo = services.todo_delete_undoable(todo=Todo.objects.get(), by=user)
    undo.created_at = timezone.now() - services.UNDO_WINDOW - datetime.timedelta(seconds=1)
    undo.save(update_fields=["created_at"])

    with pytest.raises(ValidationError, match="Too late to undo"):
        services.undo_restore(undo=undo, by=user)
    assert positions(todo_list) == []


def test_undo_of_another_person_is_refused(user, other_user):
    todo_list = make_list("a", owner=user)
    undo = services.todo_delete_undoable(todo=Todo.objects.get(), by=user)

    with pytest.raises(ValidationError, match="your own"):
        services.undo_restore(undo=undo, by=other_user)
    assert positions(todo_list) == []


def test_undo_a_deleted_todo_whose_list_is_gone_says_so(user):
    todo_list = make_list("a", owner=user)
    undo = services.todo_delete_undoable(todo=Todo.objects.get(), by=user)
    services.todo_list_delete(todo_list=todo_list)

    with pytest.raises(ValidationError, match="list it was in is gone"):
        services.undo_restore(undo=undo, by=user)


def test_undoable_writes_delete_the_owner_s_old_and_used_records(user, other_user):
    todo_list = make_list("a", "b", "c", owner=user)
    old = services.todo_delete_undoable(todo=Todo.objects.get(description="a"), by=user)
    used = services.todo_delete_undoable(todo=Todo.objects.get(description="b"), by=user)
    services.undo_restore(undo=used, by=user)
    others = services.todo_delete_undoable(todo=TodoFactory(list=TodoListFactory(owner=other_user)), by=other_user)
    type(old).objects.filter(pk__in=[old.pk, others.pk]).update(created_at=timezone.now() - 2 * services.UNDO_WINDOW)

    latest = services.todo_delete_undoable(todo=Todo.objects.get(description="c"), by=user)

    assert list(user.undo_actions.all()) == [latest]
    assert list(other_user.undo_actions.all()) == [others]  # pruned when its owner next writes
    assert todo_list.todos.count() == 1
