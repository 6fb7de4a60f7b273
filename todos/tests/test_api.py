"""The lists and todos REST API: /api/lists/[{id}/[todos/]] and /api/todos/[{id}/]."""

import datetime
from http import HTTPStatus

import pytest
import time_machine
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import api_token_create, profile_for, profile_update
from todos import services
from todos.models import Label, Todo, TodoList
from todos.tests.factories import LabelFactory, TodoFactory, TodoListFactory

pytestmark = pytest.mark.django_db


def lists_url():
    return reverse("api:todolist-list")


def list_url(todo_list):
    return reverse("api:todolist-detail", kwargs={"pk": todo_list.pk})


def list_todos_url(todo_list):
    return reverse("api:todolist-todo-list", kwargs={"list_pk": todo_list.pk})


def todos_url():
    return reverse("api:todo-list")


def todo_url(todo):
    return reverse("api:todo-detail", kwargs={"pk": todo.pk})


def positions(todo_list):
    return list(Todo.objects.filter(list=todo_list).order_by("position").values_list("description", "position"))


# /api/lists/


def test_lists_are_only_mine_with_counts(auth_api_client, todo_list, others_list):
    TodoFactory(list=todo_list, completed=True)
    TodoFactory(list=todo_list)
    TodoFactory(list=others_list)

    response = auth_api_client.get(lists_url())

    assert response.status_code == HTTPStatus.OK
    assert response.json()["count"] == 1
    [item] = response.json()["results"]
    assert item["id"] == todo_list.pk
    assert (item["total_count"], item["open_count"], item["is_complete"]) == (2, 1, False)
    assert (item["shared"], item["share_url"]) == (False, None)


def test_lists_anonymous_is_401_with_www_authenticate(api_client):
    response = api_client.get(lists_url())

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_list_create_is_201_with_location(auth_api_client, user):
    response = auth_api_client.post(lists_url(), {"name": "  Chores "}, format="json")

    assert response.status_code == HTTPStatus.CREATED
    created = TodoList.objects.get(owner=user)
    assert created.name == "Chores"
    assert response["Location"] == f"http://testserver{list_url(created)}"
    assert response.json()["total_count"] == 0


def test_list_create_blank_name_is_400_with_field_message(auth_api_client):
    response = auth_api_client.post(lists_url(), {"name": "   "}, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"name": ["This field may not be blank."]}


def test_list_create_ignores_id_owner_and_timestamps(auth_api_client, user, other_user):
    """Mass assignment: read-only fields in the body are ignored."""
    body = {"name": "Mine", "id": 999, "owner": other_user.pk, "created_at": "2000-01-01T00:00:00Z"}

    response = auth_api_client.post(lists_url(), body, format="json")

    assert response.status_code == HTTPStatus.CREATED
    created = TodoList.objects.get()
    assert created.owner == user
    assert created.pk != 999
    assert created.created_at.year != 2000


def test_list_create_with_a_form_body_is_415(auth_api_client):
    response = auth_api_client.post(lists_url(), {"name": "Form"})

    assert response.status_code == HTTPStatus.UNSUPPORTED_MEDIA_TYPE
    assert "detail" in response.json()
    assert not TodoList.objects.exists()


def test_list_retrieve(auth_api_client, todo_list):
    response = auth_api_client.get(list_url(todo_list))

    assert response.status_code == HTTPStatus.OK
    assert response.json()["name"] == "Groceries"


def test_list_of_another_user_is_404(auth_api_client, others_list):
    for method in ("get", "put", "patch", "delete"):
        response = getattr(auth_api_client, method)(list_url(others_list), {"name": "Mine now"}, format="json")
        assert response.status_code == HTTPStatus.NOT_FOUND, method
        assert response.json() == {"detail": "No TodoList matches the given query."}
    others_list.refresh_from_db()
    assert others_list.name == "Secret"


def test_list_item_anonymous_is_401(api_client, todo_list):
    assert api_client.get(list_url(todo_list)).status_code == HTTPStatus.UNAUTHORIZED
    assert api_client.delete(list_url(todo_list)).status_code == HTTPStatus.UNAUTHORIZED
    assert TodoList.objects.filter(pk=todo_list.pk).exists()


def test_list_post_to_item_is_405(auth_api_client, todo_list):
    response = auth_api_client.post(list_url(todo_list), {"name": "x"}, format="json")

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert response.json() == {"detail": 'Method "POST" not allowed.'}


def test_list_patch_renames(auth_api_client, todo_list):
    response = auth_api_client.patch(list_url(todo_list), {"name": "Food"}, format="json")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["name"] == "Food"
    todo_list.refresh_from_db()
    assert todo_list.name == "Food"


def test_list_put_without_name_is_400(auth_api_client, todo_list):
    response = auth_api_client.put(list_url(todo_list), {}, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"name": ["This field is required."]}


def test_list_put_replaces_name(auth_api_client, todo_list):
    response = auth_api_client.put(list_url(todo_list), {"name": "Food"}, format="json")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["name"] == "Food"


def test_list_delete_deletes_its_todos(auth_api_client, todo_list):
    TodoFactory.create_batch(2, list=todo_list)

    response = auth_api_client.delete(list_url(todo_list))

    assert response.status_code == HTTPStatus.NO_CONTENT
    assert not TodoList.objects.exists()
    assert not Todo.objects.exists()


# Sharing: PATCH {"shared": true|false} on the list


def test_list_patch_shared_true_creates_share_url(auth_api_client, todo_list):
    response = auth_api_client.patch(list_url(todo_list), {"shared": True}, format="json")

    assert response.status_code == HTTPStatus.OK
    todo_list.refresh_from_db()
    assert len(todo_list.share_token) == 43
    root = reverse("api:todobackend-root", kwargs={"secret": todo_list.share_token})
    assert response.json()["shared"] is True
    assert response.json()["share_url"] == f"http://testserver{root}"


def test_list_patch_shared_true_again_keeps_the_token(auth_api_client, todo_list):
    token = services.todo_list_share(todo_list=todo_list)

    response = auth_api_client.patch(list_url(todo_list), {"shared": True, "name": "Renamed"}, format="json")

    assert response.status_code == HTTPStatus.OK
    todo_list.refresh_from_db()
    assert (todo_list.share_token, todo_list.name) == (token, "Renamed")


def test_list_patch_shared_false_revokes_the_url(auth_api_client, api_client, todo_list):
    token = services.todo_list_share(todo_list=todo_list)

    response = auth_api_client.patch(list_url(todo_list), {"shared": False}, format="json")

    assert response.status_code == HTTPStatus.OK
    assert (response.json()["shared"], response.json()["share_url"]) == (False, None)
    old_url = reverse("api:todobackend-root", kwargs={"secret": token})
    assert api_client.get(old_url).status_code == HTTPStatus.NOT_FOUND


def test_list_create_shared(auth_api_client):
    response = auth_api_client.post(lists_url(), {"name": "Party", "shared": True}, format="json")

    assert response.status_code == HTTPStatus.CREATED
    assert response.json()["share_url"].startswith("http://testserver/api/todobackend/")


def test_list_shared_must_be_boolean(auth_api_client, todo_list):
    response = auth_api_client.patch(list_url(todo_list), {"shared": "perhaps"}, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()) == ["shared"]


# /api/lists/{id}/todos/


def test_list_todos_are_that_lists_in_position_order(auth_api_client, todo_list):
    first, second = TodoFactory(list=todo_list), TodoFactory(list=todo_list)
    services.todo_reorder(todo=second, position=0)
    TodoFactory(list=TodoListFactory(owner=todo_list.owner))

    response = auth_api_client.get(list_todos_url(todo_list))

    assert response.status_code == HTTPStatus.OK
    assert [t["id"] for t in response.json()["results"]] == [second.pk, first.pk]
    assert [t["position"] for t in response.json()["results"]] == [0, 1]


def test_list_todos_filter_and_search(auth_api_client, todo_list):
    TodoFactory(list=todo_list, description="Buy milk", completed=True)
    TodoFactory(list=todo_list, description="Buy bread")
    TodoFactory(list=todo_list, description="Walk dog")

    done = auth_api_client.get(list_todos_url(todo_list), {"completed": "true"}).json()["results"]
    buys = auth_api_client.get(list_todos_url(todo_list), {"search": "buy"}).json()["results"]
    open_buys = auth_api_client.get(list_todos_url(todo_list), {"search": "buy", "completed": "false"}).json()

    assert [t["description"] for t in done] == ["Buy milk"]
    assert [t["description"] for t in buys] == ["Buy milk", "Buy bread"]
    assert [t["description"] for t in open_buys["results"]] == ["Buy bread"]


def test_list_todos_of_another_users_list_is_404(auth_api_client, others_list):
    TodoFactory(list=others_list, completed=False)
    url = list_todos_url(others_list)

    assert auth_api_client.get(url).status_code == HTTPStatus.NOT_FOUND
    assert auth_api_client.post(url, {"description": "x"}, format="json").status_code == HTTPStatus.NOT_FOUND
    assert auth_api_client.patch(url, {"completed": True}, format="json").status_code == HTTPStatus.NOT_FOUND
    assert auth_api_client.delete(url).status_code == HTTPStatus.NOT_FOUND
    assert list(Todo.objects.values_list("completed", flat=True)) == [False]


def test_list_todos_anonymous_is_401(api_client, todo_list):
    TodoFactory(list=todo_list)
    url = list_todos_url(todo_list)

    assert api_client.get(url).status_code == HTTPStatus.UNAUTHORIZED
    assert api_client.patch(url, {"completed": True}, format="json").status_code == HTTPStatus.UNAUTHORIZED
    assert api_client.delete(url).status_code == HTTPStatus.UNAUTHORIZED
    assert Todo.objects.filter(completed=False).count() == 1


def test_list_todos_create_appends_with_location(auth_api_client, todo_list):
    TodoFactory(list=todo_list)

    response = auth_api_client.post(list_todos_url(todo_list), {"description": "Eggs"}, format="json")

    assert response.status_code == HTTPStatus.CREATED
    created = Todo.objects.get(description="Eggs")
    assert response["Location"] == f"http://testserver{todo_url(created)}"
    assert (response.json()["list"], response.json()["position"], response.json()["completed"]) == (
        todo_list.pk,
        1,
        False,
    )


def test_list_todos_create_at_a_position_shifts_the_others(auth_api_client, todo_list):
    TodoFactory(list=todo_list, description="a")
    TodoFactory(list=todo_list, description="b")

    response = auth_api_client.post(list_todos_url(todo_list), {"description": "top", "position": 0}, format="json")

    assert response.status_code == HTTPStatus.CREATED
    assert positions(todo_list) == [("top", 0), ("a", 1), ("b", 2)]


def test_list_todos_create_bad_input_is_400(auth_api_client, todo_list):
    response = auth_api_client.post(list_todos_url(todo_list), {"description": "", "position": -1}, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert set(response.json()) == {"description", "position"}
    assert not Todo.objects.exists()


def test_list_todos_put_is_405(auth_api_client, todo_list):
    response = auth_api_client.put(list_todos_url(todo_list), {"completed": True}, format="json")

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_list_todos_bulk_patch_completes_all_and_answers_the_count(auth_api_client, todo_list):
    TodoFactory(list=todo_list, completed=True)
    TodoFactory.create_batch(2, list=todo_list)
    other = TodoFactory(list=TodoListFactory(owner=todo_list.owner))

    response = auth_api_client.patch(list_todos_url(todo_list), {"completed": True}, format="json")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"count": 2}
    assert not Todo.objects.filter(list=todo_list, completed=False).exists()
    other.refresh_from_db()
    assert other.completed is False


def test_list_todos_bulk_patch_reopens_all(auth_api_client, todo_list):
    TodoFactory.create_batch(3, list=todo_list, completed=True)

    response = auth_api_client.patch(list_todos_url(todo_list), {"completed": False}, format="json")

    assert response.json() == {"count": 3}
    assert not Todo.objects.filter(completed=True).exists()


@pytest.mark.parametrize("body", [{}, {"completed": "maybe"}, {"description": "all the same"}])
def test_list_todos_bulk_patch_bad_input_is_400(auth_api_client, todo_list, body):
    TodoFactory(list=todo_list)

    response = auth_api_client.patch(list_todos_url(todo_list), body, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()) == ["completed"]


def test_list_todos_bulk_patch_is_atomic(auth_api_client, todo_list, monkeypatch):
    """A failure after the UPDATE ran rolls it back: no todo stays completed."""
    TodoFactory.create_batch(3, list=todo_list)
    real_update = QuerySet.update

    def update_then_fail(self, **kwargs):
        real_update(self, **kwargs)
        raise RuntimeError("injected failure")

    monkeypatch.setattr(QuerySet, "update", update_then_fail)

    with pytest.raises(RuntimeError, match="injected failure"):
        auth_api_client.patch(list_todos_url(todo_list), {"completed": True}, format="json")

    monkeypatch.undo()
    assert Todo.objects.filter(list=todo_list, completed=False).count() == 3


def test_list_todos_bulk_delete_deletes_all(auth_api_client, todo_list):
    TodoFactory.create_batch(3, list=todo_list)
    other = TodoFactory(list=TodoListFactory(owner=todo_list.owner))

    response = auth_api_client.delete(list_todos_url(todo_list))

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"count": 3}
    assert list(Todo.objects.all()) == [other]


def test_list_todos_bulk_delete_completed_clears_completed_and_renumbers(auth_api_client, todo_list):
    TodoFactory(list=todo_list, description="a", completed=True)
    TodoFactory(list=todo_list, description="b")
    TodoFactory(list=todo_list, description="c", completed=True)
    TodoFactory(list=todo_list, description="d")

    response = auth_api_client.delete(f"{list_todos_url(todo_list)}?completed=true")

    assert response.json() == {"count": 2}
    assert positions(todo_list) == [("b", 0), ("d", 1)]


def test_list_todos_bulk_delete_completed_false_is_400(auth_api_client, todo_list):
    TodoFactory(list=todo_list)

    response = auth_api_client.delete(f"{list_todos_url(todo_list)}?completed=false")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()) == ["completed"]
    assert Todo.objects.count() == 1


def test_list_todos_bulk_delete_completed_is_atomic(auth_api_client, todo_list, monkeypatch):
    """A failure while renumbering after the DELETE rolls the DELETE back."""
    TodoFactory(list=todo_list, completed=True)
    TodoFactory(list=todo_list)

    def fail(todo_list_id):
        raise RuntimeError("injected failure")

    monkeypatch.setattr(services, "_renumber", fail)

    with pytest.raises(RuntimeError, match="injected failure"):
        auth_api_client.delete(f"{list_todos_url(todo_list)}?completed=true")

    assert Todo.objects.filter(list=todo_list).count() == 2


def test_list_todos_bulk_delete_is_atomic(auth_api_client, todo_list, monkeypatch):
    TodoFactory.create_batch(2, list=todo_list)
    real_delete = QuerySet.delete

    def delete_then_fail(self):
        real_delete(self)
        raise RuntimeError("injected failure")

    monkeypatch.setattr(QuerySet, "delete", delete_then_fail)

    with pytest.raises(RuntimeError, match="injected failure"):
        auth_api_client.delete(list_todos_url(todo_list))

    monkeypatch.undo()
    assert Todo.objects.filter(list=todo_list).count() == 2


# /api/todos/


def test_todos_are_all_of_mine_across_lists(auth_api_client, todo_list, others_list):
    mine = [TodoFactory(list=todo_list), TodoFactory(list=TodoListFactory(owner=todo_list.owner))]
    TodoFactory(list=others_list)

    response = auth_api_client.get(todos_url())

    assert response.status_code == HTTPStatus.OK
    assert [t["id"] for t in response.json()["results"]] == [t.pk for t in mine]


def test_todos_filter_by_list_completed_search_and_ordering(auth_api_client, todo_list, others_list):
    second_list = TodoListFactory(owner=todo_list.owner)
    TodoFactory(list=todo_list, description="alpha", completed=True)
    TodoFactory(list=todo_list, description="beta")
    TodoFactory(list=second_list, description="gamma alpha")
    TodoFactory(list=others_list, description="alpha of another user")

    def descriptions(**params):
        response = auth_api_client.get(todos_url(), params)
        assert response.status_code == HTTPStatus.OK
        return [t["description"] for t in response.json()["results"]]

    assert descriptions(list=second_list.pk) == ["gamma alpha"]
    assert descriptions(list=others_list.pk) == []
    assert descriptions(completed="true") == ["alpha"]
    assert descriptions(search="alpha") == ["alpha", "gamma alpha"]
    assert descriptions(ordering="-description") == ["gamma alpha", "beta", "alpha"]


def test_todos_bad_filter_value_is_400(auth_api_client):
    response = auth_api_client.get(todos_url(), {"list": "abc"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()) == ["list"]


def test_todos_anonymous_is_401(api_client, todo_list):
    assert api_client.get(todos_url()).status_code == HTTPStatus.UNAUTHORIZED
    response = api_client.post(todos_url(), {"list": todo_list.pk, "description": "x"}, format="json")
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert not Todo.objects.exists()


def test_todo_create_names_the_list(auth_api_client, todo_list):
    body = {"list": todo_list.pk, "description": "Milk", "completed": True}

    response = auth_api_client.post(todos_url(), body, format="json")

    assert response.status_code == HTTPStatus.CREATED
    created = Todo.objects.get()
    assert response["Location"] == f"http://testserver{todo_url(created)}"
    assert (created.list, created.description, created.completed, created.position) == (todo_list, "Milk", True, 0)


def test_todo_create_in_another_users_list_is_400(auth_api_client, others_list):
    response = auth_api_client.post(todos_url(), {"list": others_list.pk, "description": "Sneaky"}, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"list": [f'Invalid pk "{others_list.pk}" - object does not exist.']}
    assert not Todo.objects.exists()


def test_todo_create_bad_input_is_400(auth_api_client):
    response = auth_api_client.post(todos_url(), {"description": "x" * 501}, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert set(response.json()) == {"list", "description"}


def test_todo_create_with_a_form_body_is_415(auth_api_client, todo_list):
    response = auth_api_client.post(todos_url(), {"list": todo_list.pk, "description": "x"})

    assert response.status_code == HTTPStatus.UNSUPPORTED_MEDIA_TYPE


def test_todo_retrieve(auth_api_client, todo_list):
    todo = TodoFactory(list=todo_list, description="Milk")

    response = auth_api_client.get(todo_url(todo))

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "id": todo.pk,
        "list": todo_list.pk,
        "description": "Milk",
        "completed": False,
        "completed_at": None,
        "position": 0,
        "due_date": None,
        "due_time": None,
        "priority": "none",
        "notes": "",
        "labels": [],
        "created_at": response.json()["created_at"],
        "updated_at": response.json()["updated_at"],
    }


def test_todo_of_another_user_is_404(auth_api_client, others_list):
    todo = TodoFactory(list=others_list, description="Secret")

    for method in ("get", "put", "patch", "delete"):
        response = getattr(auth_api_client, method)(todo_url(todo), {"description": "Mine"}, format="json")
        assert response.status_code == HTTPStatus.NOT_FOUND, method
    todo.refresh_from_db()
    assert todo.description == "Secret"


def test_todo_item_anonymous_is_401(api_client, todo_list):
    todo = TodoFactory(list=todo_list)

    assert api_client.get(todo_url(todo)).status_code == HTTPStatus.UNAUTHORIZED
    response = api_client.patch(todo_url(todo), {"completed": True}, format="json")
    assert response.status_code == HTTPStatus.UNAUTHORIZED


def test_todo_post_to_item_is_405(auth_api_client, todo_list):
    todo = TodoFactory(list=todo_list)

    assert auth_api_client.post(todo_url(todo), {}, format="json").status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_todo_patch_toggles_and_edits(auth_api_client, todo_list):
    todo = TodoFactory(list=todo_list)

    response = auth_api_client.patch(todo_url(todo), {"completed": True, "description": " Oat milk "}, format="json")

    assert response.status_code == HTTPStatus.OK
    todo.refresh_from_db()
    assert (todo.completed, todo.description) == (True, "Oat milk")
    assert response.json()["completed"] is True


def test_todo_patch_position_reorders_the_list(auth_api_client, todo_list):
    a, b, c = (TodoFactory(list=todo_list, description=d) for d in "abc")

    response = auth_api_client.patch(todo_url(c), {"position": 0}, format="json")

    assert response.json()["position"] == 0
    assert positions(todo_list) == [("c", 0), ("a", 1), ("b", 2)]


def test_todo_patch_position_beyond_the_end_is_clamped(auth_api_client, todo_list):
    a = TodoFactory(list=todo_list, description="a")
    TodoFactory(list=todo_list, description="b")

    response = auth_api_client.patch(todo_url(a), {"position": 99}, format="json")

    assert response.json()["position"] == 1
    assert positions(todo_list) == [("b", 0), ("a", 1)]


def test_todo_patch_list_moves_it_to_the_end_of_my_other_list(auth_api_client, todo_list):
    target = TodoListFactory(owner=todo_list.owner)
    TodoFactory(list=target, description="x")
    moving = TodoFactory(list=todo_list, description="a")
    TodoFactory(list=todo_list, description="b")

    response = auth_api_client.patch(todo_url(moving), {"list": target.pk}, format="json")

    assert response.status_code == HTTPStatus.OK
    assert (response.json()["list"], response.json()["position"]) == (target.pk, 1)
    assert positions(todo_list) == [("b", 0)]
    assert positions(target) == [("x", 0), ("a", 1)]


def test_todo_patch_into_another_users_list_is_400(auth_api_client, todo_list, others_list):
    todo = TodoFactory(list=todo_list)

    response = auth_api_client.patch(todo_url(todo), {"list": others_list.pk}, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()) == ["list"]
    todo.refresh_from_db()
    assert todo.list == todo_list


def test_todo_patch_blank_description_is_400(auth_api_client, todo_list):
    todo = TodoFactory(list=todo_list, description="Keep")

    response = auth_api_client.patch(todo_url(todo), {"description": "  "}, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"description": ["This field may not be blank."]}


def test_todo_put_replaces_and_requires_the_writable_fields(auth_api_client, todo_list):
    todo = TodoFactory(list=todo_list)

    missing = auth_api_client.put(todo_url(todo), {"completed": True}, format="json")
    full = auth_api_client.put(
        todo_url(todo), {"list": todo_list.pk, "description": "New", "completed": True}, format="json"
    )

    assert missing.status_code == HTTPStatus.BAD_REQUEST
    assert set(missing.json()) == {"list", "description"}
    assert full.status_code == HTTPStatus.OK
    todo.refresh_from_db()
    assert (todo.description, todo.completed) == ("New", True)


def test_todo_delete_closes_the_gap(auth_api_client, todo_list):
    a = TodoFactory(list=todo_list, description="a")
    TodoFactory(list=todo_list, description="b")

    response = auth_api_client.delete(todo_url(a))

    assert response.status_code == HTTPStatus.NO_CONTENT
    assert positions(todo_list) == [("b", 0)]


# Query counts: the same at 1 and at 30 rows (cold caches; a page asked again costs less, see below)


@pytest.mark.parametrize("rows", [1, 30])
def test_lists_query_count_does_not_grow(auth_api_client, user, rows, django_assert_num_queries):
    for todo_list in TodoListFactory.create_batch(rows, owner=user):
        TodoFactory.create_batch(2, list=todo_list)
        services.todo_list_share(todo_list=todo_list)

    with django_assert_num_queries(4):  # my lists' versions, count, page, their counts
        response = auth_api_client.get(lists_url(), {"page_size": 50})

    assert len(response.json()["results"]) == rows


def labelled(todo_list, rows):
    """`rows` todos in the list, each with two of the owner's labels."""
    labels = LabelFactory.create_batch(2, owner=todo_list.owner)
    return TodoFactory.create_batch(rows, list=todo_list, labels=labels)


@pytest.mark.parametrize("rows", [1, 50])
def test_list_todos_query_count_does_not_grow(auth_api_client, todo_list, rows, django_assert_num_queries):
    labelled(todo_list, rows)

    with django_assert_num_queries(4):  # the list, count, page, the page's labels
        response = auth_api_client.get(list_todos_url(todo_list), {"page_size": 50})

    assert len(response.json()["results"]) == rows
    assert all(len(todo["labels"]) == 2 for todo in response.json()["results"])


@pytest.mark.parametrize("rows", [1, 25])
def test_todos_query_count_does_not_grow(auth_api_client, todo_list, rows, django_assert_num_queries):
    labelled(todo_list, rows)
    labelled(TodoListFactory(owner=todo_list.owner), rows)

    with django_assert_num_queries(4):  # my lists' versions, count, page, the page's labels
        response = auth_api_client.get(todos_url(), {"page_size": 100})

    assert len(response.json()["results"]) == 2 * rows


# Cached pages: asked again before their lists change, one query; every change shows at once


def one_list_params(url_of, todo_list, **params):
    return params if url_of is list_todos_url else {"list": todo_list.pk, **params}


@pytest.mark.parametrize("url_of", [lambda todo_list: todos_url(), list_todos_url])
def test_a_page_of_one_list_takes_one_query_once_it_is_cached(
    auth_api_client, todo_list, url_of, django_assert_num_queries
):
    TodoFactory.create_batch(60, list=todo_list)
    params = one_list_params(url_of, todo_list, page_size=50)
    first = auth_api_client.get(url_of(todo_list), params).json()

    with django_assert_num_queries(1):  # the list's version (with /api/lists/<id>/todos/, the list itself)
        again = auth_api_client.get(url_of(todo_list), params).json()

    assert again == first
    assert again["count"] == 60


@pytest.mark.parametrize("url_of", [lambda todo_list: todos_url(), list_todos_url])
def test_a_cached_page_of_one_list_shows_every_change(auth_api_client, todo_list, url_of):
    first, second = TodoFactory.create_batch(2, list=todo_list)
    params = one_list_params(url_of, todo_list)

    def descriptions():
        return [todo["description"] for todo in auth_api_client.get(url_of(todo_list), params).json()["results"]]

    assert descriptions() == [first.description, second.description]
    services.todo_update(todo=first, description="Edited")
    assert descriptions() == ["Edited", second.description]
    services.todo_reorder(todo=second, position=0)
    assert descriptions() == [second.description, "Edited"]
    auth_api_client.patch(todo_url(second), {"completed": True}, format="json")
    assert [todo["completed"] for todo in auth_api_client.get(url_of(todo_list), params).json()["results"]] == [
        True,
        False,
    ]


def test_a_cached_page_of_all_my_todos_shows_a_change_in_any_list(auth_api_client, todo_list):
    other = TodoListFactory(owner=todo_list.owner)
    TodoFactory(list=todo_list, description="mine")
    moving = TodoFactory(list=other, description="elsewhere")
    assert len(auth_api_client.get(todos_url()).json()["results"]) == 2

    other_pk = other.pk
    services.todo_move(todo=moving, to_list=todo_list)
    assert auth_api_client.get(todos_url(), {"list": other_pk}).json()["count"] == 0
    services.todo_create(todo_list=other, description="new there")
    services.todo_list_delete(todo_list=other)

    assert [todo["list"] for todo in auth_api_client.get(todos_url()).json()["results"]] == [todo_list.pk] * 2


@pytest.mark.parametrize("url_of", [lambda todo_list: todos_url(), list_todos_url])
def test_a_page_of_one_list_counts_what_changed_since_the_last_answer(auth_api_client, todo_list, url_of):
    TodoFactory.create_batch(3, list=todo_list)
    params = one_list_params(url_of, todo_list, page_size=2)
    assert auth_api_client.get(url_of(todo_list), params).json()["count"] == 3

    auth_api_client.post(todos_url(), {"list": todo_list.pk, "description": "One more"}, format="json")
    assert auth_api_client.get(url_of(todo_list), params).json()["count"] == 4
    services.todo_delete(todo=todo_list.todos.first())
    services.todo_delete(todo=todo_list.todos.first())
    answer = auth_api_client.get(url_of(todo_list), params).json()
    assert answer["count"] == 2
    assert answer["next"] is None


def test_a_page_of_someone_elses_list_is_empty(auth_api_client, others_list):
    TodoFactory.create_batch(3, list=others_list)

    answer = auth_api_client.get(todos_url(), {"list": others_list.pk}).json()

    assert answer == {"count": 0, "next": None, "previous": None, "results": []}


def test_all_lists_on_one_page_take_one_query_once_cached(auth_api_client, user, django_assert_num_queries):
    TodoListFactory.create_batch(3, owner=user)
    auth_api_client.get(lists_url())

    with django_assert_num_queries(1):  # my lists' versions
        answer = auth_api_client.get(lists_url()).json()

    assert answer["count"] == 3


def test_a_cached_page_of_lists_shows_every_change(auth_api_client, user, todo_list):
    def only_list():
        [item] = auth_api_client.get(lists_url()).json()["results"]
        return item

    assert only_list()["total_count"] == 0
    services.todo_create(todo_list=todo_list, description="a")
    assert (only_list()["total_count"], only_list()["open_count"]) == (1, 1)
    services.todo_list_rename(todo_list=todo_list, name="Renamed")
    assert only_list()["name"] == "Renamed"
    services.todo_list_share(todo_list=todo_list)
    assert only_list()["shared"] is True
    services.todo_list_set_completed(todo_list=todo_list, completed=True)
    assert only_list()["is_complete"] is True


def test_more_lists_than_a_page_are_paged_and_counted(auth_api_client, user):
    made = TodoListFactory.create_batch(5, owner=user)

    first = auth_api_client.get(lists_url(), {"page_size": 4}).json()
    second = auth_api_client.get(lists_url(), {"page_size": 4, "page": 2}).json()

    assert first["count"] == second["count"] == 5
    assert [item["id"] for item in first["results"] + second["results"]] == [item.pk for item in made]
    assert first["next"]
    assert not second["next"]


# The one serializer of a todo, in both its places


def test_a_todo_reads_the_same_in_its_list_and_among_all_my_todos(auth_api_client, todo_list):
    TodoFactory.create_batch(2, list=todo_list)

    in_list = auth_api_client.get(list_todos_url(todo_list)).json()["results"]
    everywhere = auth_api_client.get(todos_url()).json()["results"]
    one = auth_api_client.get(todo_url(todo_list.todos.first())).json()

    assert in_list == everywhere
    assert one == in_list[0]


def test_the_list_in_a_nested_create_comes_from_the_url_not_the_body(auth_api_client, todo_list):
    other = TodoListFactory(owner=todo_list.owner)

    response = auth_api_client.post(list_todos_url(todo_list), {"description": "x", "list": other.pk}, format="json")

    assert response.status_code == HTTPStatus.CREATED
    assert response.json()["list"] == todo_list.pk
    assert not other.todos.exists()


@pytest.mark.parametrize("nested", [False, True], ids=["todos", "list-todos"])
def test_todo_representation_is_what_the_serializer_fields_write(rf, user, todo, nested):
    """TodoSerializer writes its JSON by hand: it must stay what each of its fields would write."""
    from rest_framework import serializers

    from todos.serializers import TodoSerializer

    request = rf.get("/")
    request.user = user
    context = {"request": request, **({"todo_list": todo.list} if nested else {})}
    serializer = TodoSerializer(context=context)
    by_fields = serializers.ModelSerializer.to_representation(serializer, todo)

    assert serializer.to_representation(todo) == by_fields
    assert list(serializer.to_representation(todo)) == list(serializer.fields)


# Due dates, priority, notes, labels


def labels_url():
    return reverse("api:label-list")


def label_url(label):
    return reverse("api:label-detail", kwargs={"pk": label.pk})


@pytest.mark.parametrize("nested", [False, True], ids=["todos", "list-todos"])
def test_a_todo_with_every_field_is_represented_as_its_fields_write_it(rf, user, todo_list, nested):
    from rest_framework import serializers

    from todos.serializers import TodoSerializer

    labels = [LabelFactory(owner=user, name="b", colour="red"), LabelFactory(owner=user, name="a")]
    todo = TodoFactory(
        list=todo_list,
        completed=True,
        due_date=datetime.date(2026, 3, 1),
        due_time=datetime.time(9, 30),
        priority="high",
        notes="line\nline",
        labels=labels,
    )
    request = rf.get("/")
    request.user = user
    serializer = TodoSerializer(context={"request": request, **({"todo_list": todo_list} if nested else {})})

    by_fields = serializers.ModelSerializer.to_representation(serializer, todo)

    assert serializer.to_representation(todo) == by_fields
    assert by_fields["labels"] == [{"id": lb.pk, "name": lb.name, "colour": lb.colour} for lb in reversed(labels)]
    assert (by_fields["due_date"], by_fields["due_time"]) == ("2026-03-01", "09:30:00")


def test_todo_create_with_every_field(auth_api_client, user, todo_list):
    label = LabelFactory(owner=user, name="Home", colour="green")
    body = {
        "list": todo_list.pk,
        "description": "x",
        "due_date": "2026-03-01",
        "due_time": "09:30",
        "priority": "medium",
        "notes": "see https://example.com",
        "labels": [label.pk],
        "completed": True,
    }

    response = auth_api_client.post(todos_url(), body, format="json")

    assert response.status_code == HTTPStatus.CREATED, response.content
    data = response.json()
    assert (data["due_date"], data["due_time"], data["priority"]) == ("2026-03-01", "09:30:00", "medium")
    assert data["labels"] == [{"id": label.pk, "name": "Home", "colour": "green"}]
    assert data["completed_at"] is not None
    assert list(Todo.objects.get().labels.all()) == [label]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"labels": [999_999]}, "labels"),
        ({"labels": "others"}, "labels"),
        ({"labels": [True]}, "labels"),
        ({"due_date": "2026-02-30"}, "due_date"),
        ({"notes": "n" * 10_001}, "notes"),
        ({"notes": "a\x00"}, "notes"),
        ({"notes": 5}, "notes"),
        ({"due_date": "20260301"}, "due_date"),
        ({"due_date": "2026-03-01", "due_time": "09:00+01:00"}, "due_time"),
        ({"due_time": "09:00"}, "due_time"),
        ({"due_time": "09:00", "due_date": None}, "due_time"),
        ({"priority": "urgent"}, "priority"),
    ],
)
def test_todo_create_refuses_bad_fields_with_a_message_and_writes_nothing(
    auth_api_client, todo_list, others_list, fields, field
):
    if fields.get("labels") == "others":
        fields = {"labels": [LabelFactory(owner=others_list.owner).pk]}
    for url, body in ((todos_url(), {"list": todo_list.pk}), (list_todos_url(todo_list), {})):
        response = auth_api_client.post(url, {**body, "description": "x", **fields}, format="json")

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert list(response.json()) == [field]
    assert not Todo.objects.exists()


def test_todo_patch_changes_and_clears_fields_and_refuses_a_time_left_without_date(auth_api_client, user, todo):
    label = LabelFactory(owner=user)
    response = auth_api_client.patch(
        todo_url(todo), {"due_date": "2026-03-01", "due_time": "08:00", "labels": [label.pk]}, format="json"
    )
    assert response.status_code == HTTPStatus.OK
    assert response.json()["labels"][0]["id"] == label.pk

    response = auth_api_client.patch(todo_url(todo), {"due_date": None}, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()) == ["due_time"]

    response = auth_api_client.patch(todo_url(todo), {"due_date": None, "due_time": None, "labels": []}, format="json")
    assert response.status_code == HTTPStatus.OK
    todo.refresh_from_db()
    assert (todo.due_date, todo.due_time, list(todo.labels.all())) == (None, None, [])


def test_notes_may_be_empty_and_are_stored_trimmed(auth_api_client, todo):
    assert auth_api_client.patch(todo_url(todo), {"notes": "  a\n"}, format="json").json()["notes"] == "a"
    assert auth_api_client.patch(todo_url(todo), {"notes": ""}, format="json").json()["notes"] == ""


def test_completed_at_is_set_and_cleared_through_the_api(auth_api_client, todo):
    done = auth_api_client.patch(todo_url(todo), {"completed": True}, format="json").json()
    assert done["completed_at"] is not None
    reopened = auth_api_client.patch(todo_url(todo), {"completed": False}, format="json").json()
    assert reopened["completed_at"] is None


def test_completed_at_is_set_by_the_bulk_patch(auth_api_client, todo_list, todo):
    auth_api_client.patch(list_todos_url(todo_list), {"completed": True}, format="json")
    assert Todo.objects.get().completed_at is not None


def due(todo_list, description, day=None, time=None, **fields):
    return TodoFactory(list=todo_list, description=description, due_date=day, due_time=time, **fields)


def descriptions(response):
    assert response.status_code == HTTPStatus.OK, response.content
    return [todo["description"] for todo in response.json()["results"]]


def test_filter_by_due_dates_and_priority(auth_api_client, todo_list):
    due(todo_list, "march", datetime.date(2026, 3, 1), priority="high")
    due(todo_list, "april", datetime.date(2026, 4, 1))
    due(todo_list, "none")

    assert descriptions(auth_api_client.get(todos_url(), {"due_before": "2026-03-01"})) == ["march"]
    assert descriptions(auth_api_client.get(todos_url(), {"due_after": "2026-03-02"})) == ["april"]
    assert descriptions(auth_api_client.get(todos_url(), {"priority": "high"})) == ["march"]
    assert auth_api_client.get(todos_url(), {"priority": "urgent"}).status_code == HTTPStatus.BAD_REQUEST
    assert auth_api_client.get(todos_url(), {"due_before": "2026-02-30"}).status_code == HTTPStatus.BAD_REQUEST


@time_machine.travel(datetime.datetime(2026, 3, 10, 23, 30, tzinfo=datetime.UTC), tick=False)
def test_overdue_is_before_today_in_the_persons_time_zone(user, todo_list):
    due(todo_list, "yesterday", datetime.date(2026, 3, 9))
    due(todo_list, "today", datetime.date(2026, 3, 10))
    due(todo_list, "done", datetime.date(2026, 3, 1), completed=True)
    due(todo_list, "undated")
    client = APIClient(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user, name='test').key}")

    assert descriptions(client.get(todos_url(), {"overdue": "true"})) == ["yesterday"]
    assert descriptions(client.get(todos_url(), {"overdue": "false"})) == ["today", "done", "undated"]
    profile_update(profile=profile_for(user=user), time_zone="Pacific/Auckland")  # already 11 March there
    assert descriptions(client.get(todos_url(), {"overdue": "true"})) == ["yesterday", "today"]


def test_the_label_filter_keeps_the_todos_carrying_all_of_them(auth_api_client, user, todo_list):
    home, work = LabelFactory(owner=user), LabelFactory(owner=user)
    TodoFactory(list=todo_list, description="both", labels=[home, work])
    TodoFactory(list=todo_list, description="home", labels=[home])
    TodoFactory(list=todo_list, description="none")

    assert descriptions(auth_api_client.get(todos_url(), {"label": [home.pk, work.pk]})) == ["both"]
    assert descriptions(auth_api_client.get(list_todos_url(todo_list), {"label": [home.pk]})) == ["both", "home"]
    assert auth_api_client.get(todos_url(), {"label": "x"}).status_code == HTTPStatus.BAD_REQUEST


def test_search_finds_by_notes_and_label_names_without_repeats(auth_api_client, user, todo_list):
    TodoFactory(
        list=todo_list,
        description="one",
        notes="call the plumber",
        labels=[LabelFactory(owner=user, name="plumbing"), LabelFactory(owner=user, name="plumber")],
    )
    TodoFactory(list=todo_list, description="two", labels=[LabelFactory(owner=user, name="garden")])

    assert descriptions(auth_api_client.get(todos_url(), {"search": "plumb"})) == ["one"]
    assert descriptions(auth_api_client.get(list_todos_url(todo_list), {"search": "garden"})) == ["two"]


def test_ordering_by_due_puts_undated_last_and_by_priority_ranks_them(auth_api_client, todo_list):
    due(todo_list, "undated", priority="low")
    due(todo_list, "later", datetime.date(2026, 3, 2), priority="high")
    due(todo_list, "morning", datetime.date(2026, 3, 1), datetime.time(8), priority="none")
    due(todo_list, "whole day", datetime.date(2026, 3, 1), priority="medium")
    due(todo_list, "evening", datetime.date(2026, 3, 1), datetime.time(20), priority="high")

    by_due = descriptions(auth_api_client.get(todos_url(), {"ordering": "due"}))
    by_due_desc = descriptions(auth_api_client.get(todos_url(), {"ordering": "-due"}))
    by_priority = descriptions(auth_api_client.get(list_todos_url(todo_list), {"ordering": "-priority"}))

    assert by_due == ["morning", "evening", "whole day", "later", "undated"]
    assert by_due_desc == ["later", "evening", "morning", "whole day", "undated"]
    assert by_priority == ["later", "evening", "whole day", "undated", "morning"]


def test_a_label_rename_shows_in_the_cached_todo_pages_at_once(auth_api_client, user, todo_list):
    label = LabelFactory(owner=user, name="old")
    TodoFactory(list=todo_list, labels=[label])
    assert auth_api_client.get(todos_url()).json()["results"][0]["labels"][0]["name"] == "old"

    auth_api_client.patch(label_url(label), {"name": "new"}, format="json")

    for url in (todos_url(), list_todos_url(todo_list)):
        assert auth_api_client.get(url).json()["results"][0]["labels"][0]["name"] == "new"


def test_labels_crud_scoped_to_the_owner(auth_api_client, user, other_user):
    LabelFactory(owner=other_user, name="theirs")
    created = auth_api_client.post(labels_url(), {"name": "Home", "colour": "teal"}, format="json")
    assert created.status_code == HTTPStatus.CREATED
    assert created["Location"].endswith(reverse("api:label-detail", kwargs={"pk": created.json()["id"]}))

    listed = auth_api_client.get(labels_url())
    assert [label["name"] for label in listed.json()["results"]] == ["Home"]
    label = Label.objects.get(name="Home")
    assert auth_api_client.patch(label_url(label), {"colour": "red"}, format="json").json()["colour"] == "red"
    assert auth_api_client.get(label_url(Label.objects.get(name="theirs"))).status_code == HTTPStatus.NOT_FOUND
    assert auth_api_client.delete(label_url(label)).status_code == HTTPStatus.NO_CONTENT
    assert not Label.objects.filter(owner=user).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "HOME"}, "name"),
        ({"name": " "}, "name"),
        ({"name": "x" * 51}, "name"),
        ({"name": "a", "colour": "pink"}, "colour"),
    ],
)
def test_label_create_refuses_bad_input_with_400(auth_api_client, user, body, field):
    LabelFactory(owner=user, name="home")
    response = auth_api_client.post(labels_url(), body, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()) == [field]
    assert Label.objects.count() == 1


def test_a_label_may_repeat_another_persons_name(auth_api_client, other_user):
    LabelFactory(owner=other_user, name="home")
    assert auth_api_client.post(labels_url(), {"name": "Home"}, format="json").status_code == HTTPStatus.CREATED


@pytest.mark.parametrize("rows", [1, 50])
def test_labels_query_count_does_not_grow(auth_api_client, user, rows, django_assert_num_queries):
    LabelFactory.create_batch(rows, owner=user)
    with django_assert_num_queries(2):  # count, page
        response = auth_api_client.get(labels_url(), {"page_size": 50})
    assert len(response.json()["results"]) == rows


def test_labels_get_answers_304_to_its_etag(auth_api_client, user):
    LabelFactory(owner=user)
    first = auth_api_client.get(labels_url())
    again = auth_api_client.get(labels_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == HTTPStatus.NOT_MODIFIED


def test_a_label_write_with_a_stale_if_match_answers_412_and_changes_nothing(auth_api_client, user):
    label = LabelFactory(owner=user, name="old")
    tag = auth_api_client.get(label_url(label))["ETag"]
    services.label_update(label=label, colour="red")

    response = auth_api_client.patch(label_url(label), {"name": "new"}, format="json", HTTP_IF_MATCH=tag)

    assert response.status_code == HTTPStatus.PRECONDITION_FAILED
    assert Label.objects.get().name == "old"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's (SQLite locks the database)")
def test_a_label_write_with_if_match_locks_its_lists_before_the_label(auth_api_client, user, todo_list):
    """The order every writer takes (lists, then what their todos refer to): the label first could deadlock
    with a todo write that adds it."""
    label = LabelFactory(owner=user, name="old")
    TodoFactory(list=todo_list, labels=[label])
    tag = auth_api_client.get(label_url(label))["ETag"]

    with CaptureQueriesContext(connection) as queries:
        response = auth_api_client.patch(label_url(label), {"name": "new"}, format="json", HTTP_IF_MATCH=tag)

    assert response.status_code == HTTPStatus.OK
    statements = [query["sql"] for query in queries.captured_queries]
    touch = next(i for i, sql in enumerate(statements) if sql.startswith('UPDATE "todos_todolist"'))
    lock = next(i for i, sql in enumerate(statements) if sql.endswith("FOR UPDATE") and '"todos_label"' in sql)
    assert touch < lock


def test_a_label_write_with_if_match_on_another_persons_label_touches_nothing(auth_api_client, other_user):
    theirs = LabelFactory(owner=other_user)
    their_list = TodoListFactory(owner=other_user)
    TodoFactory(list=their_list, labels=[theirs])
    version = TodoList.objects.get(pk=their_list.pk).version

    response = auth_api_client.patch(label_url(theirs), {"name": "x"}, format="json", HTTP_IF_MATCH='"any"')

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert TodoList.objects.get(pk=their_list.pk).version == version


def test_a_label_create_repeated_with_its_idempotency_key_creates_one(auth_api_client):
    first = auth_api_client.post(labels_url(), {"name": "Home"}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    again = auth_api_client.post(labels_url(), {"name": "Home"}, format="json", HTTP_IDEMPOTENCY_KEY="k1")

    assert (first.status_code, again.status_code) == (HTTPStatus.CREATED, HTTPStatus.CREATED)
    assert again["Idempotent-Replayed"] == "true"
    assert Label.objects.count() == 1


# /api/todos/quick/


def quick_url():
    return reverse("api:todo-quick")


def token_client(user):
    """A client with a real token: its authentication activates the person's time zone (force_authenticate does not)."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user, name='t').key}")
    return client


@time_machine.travel(datetime.datetime(2026, 3, 10, 23, 30, tzinfo=datetime.UTC), tick=False)
def test_quick_add_creates_what_the_text_reads_in_the_persons_zone(user, todo_list):
    profile_update(profile=profile_for(user=user), time_zone="Pacific/Auckland")  # 11 March, 12:30 there
    home = LabelFactory(owner=user, name="Home")

    response = token_client(user).post(
        quick_url(), {"text": "Pay rent tomorrow 9am !high #home #bills", "list": todo_list.pk}, format="json"
    )

    assert response.status_code == HTTPStatus.CREATED
    todo = todo_list.todos.get()
    assert response["Location"] == f"http://testserver{todo_url(todo)}"
    body = response.json()
    assert {key: body[key] for key in ("id", "list", "description", "due_date", "due_time", "priority")} == {
        "id": todo.pk,
        "list": todo_list.pk,
        "description": "Pay rent",
        "due_date": "2026-03-12",
        "due_time": "09:00:00",
        "priority": "high",
    }
    bills = user.labels.get(name="bills")
    assert body["labels"] == [
        {"id": home.pk, "name": "Home", "colour": home.colour},
        {"id": bills.pk, "name": "bills", "colour": "grey"},
    ]
    assert body == token_client(user).get(todo_url(todo)).json()  # TodoSerializer's representation


@pytest.mark.parametrize(
    ("text", "which_list", "field"),
    [
        (None, "mine", "text"),
        ("   ", "mine", "text"),
        ("x" * 501, "mine", "text"),
        (f"Pay #home #{'x' * 51}", "mine", "text"),
        ("Pay rent", None, "list"),
        ("Pay rent", "unknown", "list"),
        ("Pay rent", "others", "list"),
    ],
    ids=["missing-text", "blank-text", "too-long", "label-too-long", "missing-list", "unknown-list", "others-list"],
)
def test_quick_add_bad_input_is_400_on_its_field_and_writes_nothing(
    auth_api_client, todo_list, others_list, text, which_list, field
):
    lists = {"mine": todo_list.pk, "others": others_list.pk, "unknown": 999_999}
    body = {"text": text, "list": lists.get(which_list)}

    body = {key: value for key, value in body.items() if value is not None}

    response = auth_api_client.post(quick_url(), body, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()) == [field]
    assert not Todo.objects.exists()
    assert not Label.objects.exists()


def test_quick_add_with_an_idempotency_key_creates_once(user, todo_list):
    client = token_client(user)
    body = {"text": "Pay rent !high #home", "list": todo_list.pk}

    first = client.post(quick_url(), body, format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    again = client.post(quick_url(), body, format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    other = client.post(quick_url(), {**body, "text": "Other"}, format="json", HTTP_IDEMPOTENCY_KEY="key-1")

    assert (first.status_code, again.status_code) == (HTTPStatus.CREATED, HTTPStatus.CREATED)
    assert again["Idempotent-Replayed"] == "true"
    assert (again.json(), again["Location"]) == (first.json(), first["Location"])
    assert other.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert todo_list.todos.count() == 1
    assert user.labels.count() == 1


def test_a_plain_create_never_reads_quick_add_text(auth_api_client, todo_list):
    text = "Pay rent tomorrow 9am !high #home"

    response = auth_api_client.post(todos_url(), {"list": todo_list.pk, "description": text}, format="json")

    assert response.status_code == HTTPStatus.CREATED
    assert (response.json()["description"], response.json()["due_date"], response.json()["labels"]) == (text, None, [])
    assert response.json()["priority"] == "none"
    assert not Label.objects.exists()


def test_quick_add_needs_a_login(api_client, todo_list):
    response = api_client.post(quick_url(), {"text": "Pay rent", "list": todo_list.pk}, format="json")

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert not Todo.objects.exists()


@pytest.mark.parametrize("size", [1, 50])
def test_quick_add_costs_the_same_queries_whatever_the_list_holds(
    auth_api_client, user, django_assert_num_queries, size
):
    todo_list = TodoListFactory(owner=user)
    TodoFactory.create_batch(size, list=todo_list)
    LabelFactory(owner=user, name="home")

    # the list; the two labels looked up by name, one created in its savepoint; the list's lock and
    # version, the position, the todo and its labels; then its labels, read for the answer
    with django_assert_num_queries(21):
        response = auth_api_client.post(
            quick_url(), {"text": "Sweep !low #home #work", "list": todo_list.pk}, format="json"
        )
    assert response.status_code == HTTPStatus.CREATED
