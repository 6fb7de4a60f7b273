"""ETag and If-Match on /api/lists/{id}/ and /api/todos/{id}/: a stale write answers 412 and changes nothing."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from todos.models import Todo, TodoList

pytestmark = pytest.mark.django_db


def list_url(todo_list):
    return reverse("api:todolist-detail", kwargs={"pk": todo_list.pk})


def todo_url(todo):
    return reverse("api:todo-detail", kwargs={"pk": todo.pk})


@pytest.fixture(params=["list", "todo"])
def resource(request, todo_list, todo):
    """(detail URL, a valid PATCH body, a valid PUT body, how to read the field they change) for each resource."""
    if request.param == "list":
        return (
            list_url(todo_list),
            {"name": "Food"},
            {"name": "Food", "shared": False},
            lambda: TodoList.objects.get(pk=todo_list.pk).name,
        )
    return (
        todo_url(todo),
        {"description": "Oat milk"},
        {"list": todo_list.pk, "description": "Oat milk", "completed": False, "position": 0},
        lambda: Todo.objects.get(pk=todo.pk).description,
    )


def test_get_carries_a_strong_quoted_etag(auth_api_client, resource):
    url, *_ = resource

    first = auth_api_client.get(url)
    second = auth_api_client.get(url)

    assert first.status_code == HTTPStatus.OK
    assert re.fullmatch(r'"[0-9a-f]{32}"', first["ETag"])  # strong (no W/), quoted
    assert first["ETag"] == second["ETag"]


@pytest.mark.parametrize("method", ["patch", "put"])
def test_write_with_current_if_match_succeeds_and_returns_the_new_etag(auth_api_client, resource, method):
    url, patch_body, put_body, current = resource
    tag = auth_api_client.get(url)["ETag"]

    response = getattr(auth_api_client, method)(
        url, patch_body if method == "patch" else put_body, format="json", HTTP_IF_MATCH=tag
    )

    assert response.status_code == HTTPStatus.OK
    assert response["ETag"] != tag
    assert response["ETag"] == auth_api_client.get(url)["ETag"]
    assert current() in {"Food", "Oat milk"}


@pytest.mark.parametrize("method", ["patch", "put", "delete"])
def test_stale_if_match_is_412_and_changes_nothing(auth_api_client, resource, method):
    url, patch_body, put_body, current = resource
    stale = auth_api_client.get(url)["ETag"]
    assert auth_api_client.patch(url, patch_body, format="json").status_code == HTTPStatus.OK
    fresh = auth_api_client.get(url)["ETag"]
    before = current()

    body = {"patch": patch_body, "put": put_body, "delete": None}[method]
    response = getattr(auth_api_client, method)(url, body, format="json", HTTP_IF_MATCH=stale)

    assert response.status_code == HTTPStatus.PRECONDITION_FAILED
    assert "changed since you read it" in response.json()["detail"]
    assert response["ETag"] == fresh
    assert current() == before
    assert auth_api_client.get(url)["ETag"] == fresh


def test_a_change_by_another_writer_makes_the_etag_stale(auth_api_client, todo_list, todo):
    """Another client completing the todo (here: a bulk PATCH of its list) changes both ETags."""
    todo_tag = auth_api_client.get(todo_url(todo))["ETag"]
    list_tag = auth_api_client.get(list_url(todo_list))["ETag"]
    bulk_url = reverse("api:todolist-todo-list", kwargs={"list_pk": todo_list.pk})
    auth_api_client.patch(bulk_url, {"completed": True}, format="json")

    response = auth_api_client.patch(todo_url(todo), {"completed": False}, format="json", HTTP_IF_MATCH=todo_tag)
    assert response.status_code == HTTPStatus.PRECONDITION_FAILED
    response = auth_api_client.patch(list_url(todo_list), {"name": "X"}, format="json", HTTP_IF_MATCH=list_tag)
    assert response.status_code == HTTPStatus.PRECONDITION_FAILED
    assert Todo.objects.get(pk=todo.pk).completed is True
    assert TodoList.objects.get(pk=todo_list.pk).name == "Groceries"


@pytest.mark.parametrize("if_match", [None, "*"])
def test_no_if_match_or_star_writes_as_before(auth_api_client, resource, if_match):
    url, patch_body, _, current = resource
    headers = {} if if_match is None else {"HTTP_IF_MATCH": if_match}

    response = auth_api_client.patch(url, patch_body, format="json", **headers)

    assert response.status_code == HTTPStatus.OK
    assert current() in {"Food", "Oat milk"}


def test_if_match_with_a_list_of_tags_matches_any(auth_api_client, resource):
    url, patch_body, _, _ = resource
    tag = auth_api_client.get(url)["ETag"]

    response = auth_api_client.patch(url, patch_body, format="json", HTTP_IF_MATCH=f'"0000", {tag}')

    assert response.status_code == HTTPStatus.OK


def test_weak_tag_never_matches(auth_api_client, resource):
    """If-Match uses the strong comparison (RFC 9110 13.1.1)."""
    url, patch_body, _, _ = resource
    tag = auth_api_client.get(url)["ETag"]

    response = auth_api_client.patch(url, patch_body, format="json", HTTP_IF_MATCH=f"W/{tag}")

    assert response.status_code == HTTPStatus.PRECONDITION_FAILED


def test_delete_with_current_if_match_deletes(auth_api_client, todo_list, todo):
    tag = auth_api_client.get(todo_url(todo))["ETag"]

    response = auth_api_client.delete(todo_url(todo), HTTP_IF_MATCH=tag)

    assert response.status_code == HTTPStatus.NO_CONTENT
    assert not Todo.objects.filter(pk=todo.pk).exists()


def test_if_match_on_another_users_object_is_404(api_client, other_user, todo):
    api_client.force_authenticate(other_user)

    response = api_client.patch(todo_url(todo), {"description": "x"}, format="json", HTTP_IF_MATCH='"abc"')

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert Todo.objects.get(pk=todo.pk).description == "Milk"


def test_etag_check_costs_a_bounded_number_of_queries(auth_api_client, todo, django_assert_max_num_queries):
    tag = auth_api_client.get(todo_url(todo))["ETag"]

    with django_assert_max_num_queries(19):
        response = auth_api_client.patch(todo_url(todo), {"completed": True}, format="json", HTTP_IF_MATCH=tag)

    assert response.status_code == HTTPStatus.OK
