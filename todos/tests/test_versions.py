"""Every write path raises the version of each list it changes: TodoList.version keys the caches and the ETags.

Each case runs one write, through a service, the admin, the API or the Todo-Backend. The test compares what
every list shows before and after (its own fields and its todos) and fails if a list changed while its
version did not go up, or if the case changed nothing at all (then it tests nothing).
"""

import datetime
from dataclasses import dataclass
from http import HTTPStatus

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from todos import services
from todos.models import Label, Todo, TodoList
from todos.tests.factories import LabelFactory, TodoFactory, TodoListFactory

pytestmark = pytest.mark.django_db


@dataclass
class World:
    a: TodoList  # todos a0 (labelled), a1 (completed), a2
    b: TodoList  # todo b0 (labelled); shared
    label: Label  # on a0 and b0
    spare: Label  # on no todo
    api: APIClient  # logged in as their owner
    anonymous: APIClient
    admin: object  # Django's test client, logged in as a superuser

    def todo(self, description: str) -> Todo:
        return Todo.objects.get(description=description)


@pytest.fixture
def world(user, admin_client, auth_api_client):
    a, b = TodoListFactory(owner=user, name="A"), TodoListFactory(owner=user, name="B")
    for description, completed in (("a0", False), ("a1", True), ("a2", False)):
        TodoFactory(list=a, description=description, completed=completed)
    TodoFactory(list=b, description="b0")
    label, spare = LabelFactory(owner=user, name="L"), LabelFactory(owner=user, name="S")
    for todo in Todo.objects.filter(description__in=["a0", "b0"]):
        todo.labels.set([label])
    services.todo_list_share(todo_list=b)
    b.refresh_from_db()
    a.refresh_from_db()
    return World(a=a, b=b, label=label, spare=spare, api=auth_api_client, anonymous=APIClient(), admin=admin_client)


def shown() -> dict[int, tuple]:
    """Each list's version, then everything about it that an answer may show."""
    todos: dict[int, list] = {}
    labels: dict[int, list] = {}
    for todo_id, name, colour in Todo.labels.through.objects.order_by("todo_id", "label_id").values_list(
        "todo_id", "label__name", "label__colour"
    ):
        labels.setdefault(todo_id, []).append((name, colour))
    for row in Todo.objects.order_by("list_id", "position", "id").values_list(
        "list_id",
        "id",
        "description",
        "completed",
        "completed_at",
        "position",
        "due_date",
        "due_time",
        "priority",
        "notes",
        "updated_at",
    ):
        todos.setdefault(row[0], []).append((*row[1:], labels.get(row[1])))
    return {
        todo_list.pk: (
            todo_list.version,
            (todo_list.name, todo_list.share_token, todo_list.owner_id, todo_list.updated_at, todos.get(todo_list.pk)),
        )
        for todo_list in TodoList.objects.all()
    }


# Writes through the admin: the forms as the admin's pages post them


def admin_list_form(
    todo_list: TodoList, *, name=None, change_todo=None, delete_todo=None, add=None, todo_priority=None
) -> dict:
    todos = list(todo_list.todos.order_by("position", "id"))
    data = {
        "owner": todo_list.owner_id,
        "name": todo_list.name if name is None else name,
        "share_token": todo_list.share_token or "",
        "todos-TOTAL_FORMS": str(len(todos) + (1 if add else 0)),
        "todos-INITIAL_FORMS": str(len(todos)),
        "todos-MIN_NUM_FORMS": "0",
        "todos-MAX_NUM_FORMS": "1000",
    }
    for index, todo in enumerate(todos):
        description = todo.description
        if change_todo is not None and change_todo[0] == todo.description:
            description = change_todo[1]
        data |= {
            f"todos-{index}-id": todo.pk,
            f"todos-{index}-list": todo_list.pk,
            f"todos-{index}-description": description,
            f"todos-{index}-priority": todo.priority,
            f"todos-{index}-due_date": todo.due_date or "",
            f"todos-{index}-due_time": todo.due_time or "",
            f"todos-{index}-completed": "on" if todo.completed else "",
        }
        if delete_todo == todo.description:
            data[f"todos-{index}-DELETE"] = "on"
        if todo_priority is not None and todo_priority[0] == todo.description:
            data[f"todos-{index}-priority"] = todo_priority[1]
    if add:
        data |= {
            f"todos-{len(todos)}-list": todo_list.pk,
            f"todos-{len(todos)}-description": add,
            f"todos-{len(todos)}-priority": "none",
        }
    return data


def admin_post(world: World, url: str, data: dict) -> None:
    response = world.admin.post(url, data)
    assert response.status_code == HTTPStatus.FOUND, response.context and response.context.get("errors")


def admin_change_list(world: World, todo_list: TodoList, **changes) -> None:
    url = reverse("admin:todos_todolist_change", args=[todo_list.pk])
    admin_post(world, url, admin_list_form(todo_list, **changes))


def admin_change_todo(world: World, todo: Todo, **changes) -> None:
    data = {
        "list": todo.list_id,
        "description": todo.description,
        "completed": "on" if todo.completed else "",
        "priority": todo.priority,
        "labels": list(todo.labels.values_list("pk", flat=True)),
    }
    admin_post(world, reverse("admin:todos_todo_change", args=[todo.pk]), data | changes)


def admin_changelist_toggle(world: World, todo: Todo) -> None:
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": todo.pk,
        "form-0-completed": "" if todo.completed else "on",
        "_save": "Save",
    }
    admin_post(world, reverse("admin:todos_todo_changelist") + f"?id__exact={todo.pk}", data)


# Writes through the API and the Todo-Backend


def api(world: World, method: str, url: str, body=None, **headers) -> None:
    response = getattr(world.api, method)(url, body, format="json", **headers)
    assert response.status_code < HTTPStatus.BAD_REQUEST, response.content


def list_url(todo_list):
    return reverse("api:todolist-detail", kwargs={"pk": todo_list.pk})


def list_todos_url(todo_list):
    return reverse("api:todolist-todo-list", kwargs={"list_pk": todo_list.pk})


def todo_url(todo):
    return reverse("api:todo-detail", kwargs={"pk": todo.pk})


def label_url(label):
    return reverse("api:label-detail", kwargs={"pk": label.pk})


def with_current_if_match(world: World, url: str) -> dict:
    return {"HTTP_IF_MATCH": world.api.get(url)["ETag"]}


def todobackend(world: World, method: str, todo: Todo | None = None, body=None) -> None:
    kwargs = {"secret": world.b.share_token}
    url = reverse("api:todobackend-root", kwargs=kwargs)
    if todo is not None:
        url = reverse("api:todobackend-todo", kwargs={**kwargs, "pk": todo.pk})
    response = getattr(world.anonymous, method)(url, body, format="json")
    assert response.status_code < HTTPStatus.BAD_REQUEST, response.content


DAY, NINE = datetime.date(2026, 3, 10), datetime.time(9, 0)

WRITES = {
    # Services
    "service: rename": lambda w: services.todo_list_rename(todo_list=w.a, name="Renamed"),
    "service: share": lambda w: services.todo_list_share(todo_list=w.a),
    "service: unshare": lambda w: services.todo_list_unshare(todo_list=w.b),
    "service: update name": lambda w: services.todo_list_update(todo_list=w.a, name="Renamed"),
    "service: update shared": lambda w: services.todo_list_update(todo_list=w.a, shared=True),
    "service: update unshared": lambda w: services.todo_list_update(todo_list=w.b, shared=False),
    "service: save": lambda w: (setattr(w.a, "name", "Saved"), services.todo_list_save(todo_list=w.a)),
    "service: complete all": lambda w: services.todo_list_set_completed(todo_list=w.a, completed=True),
    "service: reopen all": lambda w: services.todo_list_set_completed(todo_list=w.a, completed=False),
    "service: clear completed": lambda w: services.todo_list_clear_completed(todo_list=w.a),
    "service: delete todos": lambda w: services.todo_list_delete_todos(todo_list=w.a),
    "service: delete todo, undoable": lambda w: services.todo_delete_undoable(todo=w.todo("a0"), by=w.a.owner),
    "service: clear completed, undoable": lambda w: services.todo_list_clear_completed_undoable(
        todo_list=w.a, by=w.a.owner
    ),
    "service: complete all, undoable": lambda w: services.todo_list_set_completed_undoable(
        todo_list=w.a, completed=True, by=w.a.owner
    ),
    "service: delete list, undoable": lambda w: services.todo_list_delete_undoable(todo_list=w.b, by=w.b.owner),
    "service: create todo": lambda w: services.todo_create(todo_list=w.a, description="new"),
    "service: insert todo": lambda w: services.todo_insert(todo_list=w.a, description="new", position=0),
    "service: edit todo": lambda w: services.todo_update(todo=w.todo("a1"), description="edited"),
    "service: toggle todo": lambda w: services.todo_update(todo=w.todo("a0"), completed=True),
    "service: place todo": lambda w: services.todo_update(todo=w.todo("a2"), position=0),
    "service: move todo by update": lambda w: services.todo_update(todo=w.todo("a0"), todo_list=w.b),
    "service: reorder todo": lambda w: services.todo_reorder(todo=w.todo("a0"), position=2),
    "service: move todo": lambda w: services.todo_move(todo=w.todo("a1"), to_list=w.b),
    "service: delete todo": lambda w: services.todo_delete(todo=w.todo("a0")),
    "service: create todo with every field": lambda w: services.todo_insert(
        todo_list=w.a,
        description="new",
        due_date=DAY,
        due_time=NINE,
        priority="high",
        notes="n",
        labels=[w.spare],
        completed=True,
    ),
    "service: due date": lambda w: services.todo_update(todo=w.todo("a0"), due_date=DAY, due_time=NINE),
    "service: priority": lambda w: services.todo_update(todo=w.todo("a0"), priority="high"),
    "service: notes": lambda w: services.todo_update(todo=w.todo("a0"), notes="n"),
    "service: labels": lambda w: services.todo_update(todo=w.todo("a2"), labels=[w.spare]),
    "service: rename label": lambda w: services.label_update(label=w.label, name="Renamed"),
    "service: recolour label": lambda w: services.label_update(label=w.label, colour="red"),
    "service: delete label": lambda w: services.label_delete(label=w.label),
    # The admin's saves and actions
    "admin: rename list": lambda w: admin_change_list(w, w.a, name="Renamed"),
    "admin: edit todo inline": lambda w: admin_change_list(w, w.a, change_todo=("a1", "edited")),
    "admin: delete todo inline": lambda w: admin_change_list(w, w.a, delete_todo="a0"),
    "admin: add todo inline": lambda w: admin_change_list(w, w.a, add="new"),
    "admin: complete todos action": lambda w: admin_post(
        w, reverse("admin:todos_todolist_changelist"), {"action": "complete_todos", "_selected_action": [w.a.pk]}
    ),
    "admin: edit todo": lambda w: admin_change_todo(w, w.todo("a0"), description="edited"),
    "admin: move todo": lambda w: admin_change_todo(w, w.todo("a0"), list=w.b.pk),
    "admin: add todo": lambda w: admin_post(
        w, reverse("admin:todos_todo_add"), {"list": w.a.pk, "description": "new", "completed": "", "priority": "none"}
    ),
    "admin: todo fields": lambda w: admin_change_todo(
        w, w.todo("a2"), due_date="2026-03-10", due_time="09:00", priority="high", notes="n", labels=[w.spare.pk]
    ),
    "admin: todo fields inline": lambda w: admin_change_list(w, w.a, todo_priority=("a1", "low")),
    "admin: rename label": lambda w: admin_post(
        w, reverse("admin:todos_label_change", args=[w.label.pk]), {"name": "Renamed", "colour": "grey"}
    ),
    "admin: delete label": lambda w: admin_post(
        w, reverse("admin:todos_label_delete", args=[w.label.pk]), {"post": "yes"}
    ),
    "admin: delete selected labels": lambda w: admin_post(
        w,
        reverse("admin:todos_label_changelist"),
        {"action": "delete_selected", "_selected_action": [w.label.pk], "post": "yes"},
    ),
    "admin: delete todo": lambda w: admin_post(
        w, reverse("admin:todos_todo_delete", args=[w.todo("a0").pk]), {"post": "yes"}
    ),
    "admin: delete selected todos": lambda w: admin_post(
        w,
        reverse("admin:todos_todo_changelist"),
        {"action": "delete_selected", "_selected_action": [w.todo("a0").pk, w.todo("b0").pk], "post": "yes"},
    ),
    "admin: toggle todo in the changelist": lambda w: admin_changelist_toggle(w, w.todo("a0")),
    # The API: every write, the bulk endpoints included
    "api: patch list name": lambda w: api(w, "patch", list_url(w.a), {"name": "Renamed"}),
    "api: patch list name if-match": lambda w: api(
        w, "patch", list_url(w.a), {"name": "Renamed"}, **with_current_if_match(w, list_url(w.a))
    ),
    "api: put list": lambda w: api(w, "put", list_url(w.a), {"name": "Renamed"}),
    "api: share list": lambda w: api(w, "patch", list_url(w.a), {"shared": True}),
    "api: unshare list": lambda w: api(w, "patch", list_url(w.b), {"shared": False}),
    "api: create todo in list": lambda w: api(w, "post", list_todos_url(w.a), {"description": "new"}),
    "api: complete all": lambda w: api(w, "patch", list_todos_url(w.a), {"completed": True}),
    "api: reopen all": lambda w: api(w, "patch", list_todos_url(w.a), {"completed": False}),
    "api: delete all": lambda w: api(w, "delete", list_todos_url(w.a)),
    "api: clear completed": lambda w: api(w, "delete", list_todos_url(w.a) + "?completed=true"),
    "api: create todo": lambda w: api(w, "post", reverse("api:todo-list"), {"list": w.a.pk, "description": "new"}),
    "api: toggle todo": lambda w: api(w, "patch", todo_url(w.todo("a0")), {"completed": True}),
    "api: toggle todo if-match": lambda w: api(
        w, "patch", todo_url(w.todo("a0")), {"completed": True}, **with_current_if_match(w, todo_url(w.todo("a0")))
    ),
    "api: edit todo": lambda w: api(w, "patch", todo_url(w.todo("a0")), {"description": "edited"}),
    "api: place todo": lambda w: api(w, "patch", todo_url(w.todo("a2")), {"position": 0}),
    "api: move todo": lambda w: api(w, "patch", todo_url(w.todo("a0")), {"list": w.b.pk}),
    "api: put todo": lambda w: api(
        w, "put", todo_url(w.todo("a0")), {"list": w.a.pk, "description": "put", "completed": True}
    ),
    "api: delete todo": lambda w: api(w, "delete", todo_url(w.todo("a0"))),
    "api: delete todo if-match": lambda w: api(
        w, "delete", todo_url(w.todo("a0")), **with_current_if_match(w, todo_url(w.todo("a0")))
    ),
    "api: todo fields": lambda w: api(
        w,
        "patch",
        todo_url(w.todo("a0")),
        {"due_date": "2026-03-10", "due_time": "09:00", "priority": "low", "notes": "n", "labels": [w.spare.pk]},
    ),
    "api: create todo with labels": lambda w: api(
        w, "post", list_todos_url(w.a), {"description": "new", "labels": [w.spare.pk], "priority": "high"}
    ),
    "api: rename label": lambda w: api(w, "patch", label_url(w.label), {"name": "Renamed"}),
    "api: recolour label": lambda w: api(w, "put", label_url(w.label), {"name": "L", "colour": "blue"}),
    "api: delete label": lambda w: api(w, "delete", label_url(w.label)),
    # The Todo-Backend of the shared list
    "todobackend: create": lambda w: todobackend(w, "post", body={"title": "new", "order": 0}),
    "todobackend: delete all": lambda w: todobackend(w, "delete"),
    "todobackend: patch": lambda w: todobackend(w, "patch", w.todo("b0"), {"title": "edited", "completed": True}),
    "todobackend: reorder": lambda w: (
        services.todo_create(todo_list=w.b, description="b1"),
        todobackend(w, "patch", w.todo("b0"), {"order": 1}),
    ),
    "todobackend: delete": lambda w: todobackend(w, "delete", w.todo("b0")),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_write_raises_the_version_of_each_list_it_changes(world, write):
    before = shown()

    write(world)

    after = shown()
    changed = [pk for pk in before if pk in after and after[pk][1] != before[pk][1]]
    assert changed or set(after) != set(before), "this write changed nothing: it tests nothing"
    for pk in changed:
        assert after[pk][0] > before[pk][0], f"list {pk} changed, its version stayed {before[pk][0]}"


def test_the_version_is_written_by_todo_list_touch_alone():
    """A save of a list never writes its version back from the instance (which may hold an older one)."""
    todo_list = TodoListFactory()
    stale = TodoList.objects.get(pk=todo_list.pk)
    services.todo_create(todo_list=todo_list, description="meanwhile")  # raises the version
    raised = TodoList.objects.get(pk=todo_list.pk).version

    stale.name = "Renamed"
    services.todo_list_save(todo_list=stale)

    assert TodoList.objects.get(pk=todo_list.pk).version == raised + 1


UNDOABLE = {
    "delete todo": lambda w: services.todo_delete_undoable(todo=w.todo("a0"), by=w.a.owner),
    "clear completed": lambda w: services.todo_list_clear_completed_undoable(todo_list=w.a, by=w.a.owner),
    "complete all": lambda w: services.todo_list_set_completed_undoable(todo_list=w.a, completed=True, by=w.a.owner),
    "reopen all": lambda w: services.todo_list_set_completed_undoable(todo_list=w.a, completed=False, by=w.a.owner),
    "delete list": lambda w: services.todo_list_delete_undoable(todo_list=w.b, by=w.b.owner),
}


@pytest.mark.parametrize("undoable", UNDOABLE.values(), ids=UNDOABLE.keys())
def test_undo_restore_raises_the_version_of_each_list_it_brings_back_or_changes(world, undoable):
    undo = undoable(world)
    before = shown()

    services.undo_restore(undo=undo, by=world.a.owner)

    after = shown()
    changed = [pk for pk in after if pk not in before or after[pk][1] != before[pk][1]]
    assert changed, "this undo changed nothing: it tests nothing"
    for pk in changed:
        # A list deleted and brought back goes past the version it had, which cached pages of it were keyed by.
        old = before[pk][0] if pk in before else undo.snapshot["list"]["version"]
        assert after[pk][0] > old, f"list {pk} changed, its version stayed {old}"
