"""The Todo-Backend contract (https://todobackend.com/) on a shared list: /api/todobackend/<secret>/[<id>/]."""

from http import HTTPStatus

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from todos import services
from todos.models import Todo
from todos.tests.factories import TodoFactory, TodoListFactory

pytestmark = pytest.mark.django_db

ORIGIN = "https://todo-backend-client.example"


@pytest.fixture
def shared_list(user):
    todo_list = TodoListFactory(owner=user)
    services.todo_list_share(todo_list=todo_list)
    return todo_list


@pytest.fixture
def root(shared_list):
    return reverse("api:todobackend-root", kwargs={"secret": shared_list.share_token})


def todo_url(todo):
    return reverse("api:todobackend-todo", kwargs={"secret": todo.list.share_token, "pk": todo.pk})


def assert_open_cors(response):
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


def test_root_get_is_a_bare_array_of_the_lists_todos(api_client, shared_list, root):
    todo = TodoFactory(list=shared_list, description="Milk", completed=True)
    TodoFactory(list=TodoListFactory(owner=shared_list.owner))

    response = api_client.get(root, HTTP_ORIGIN=ORIGIN)

    assert response.status_code == HTTPStatus.OK
    assert response.json() == [
        {"title": "Milk", "completed": True, "order": 0, "url": f"http://testserver{todo_url(todo)}"}
    ]
    assert_open_cors(response)


def test_root_post_creates_a_todo_without_csrf_even_with_a_session(shared_list, root, user):
    """The secret is the credential: a logged-in browser's cookies neither help nor trigger a CSRF check."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(root, {"title": "walk the dog"}, format="json", HTTP_ORIGIN=ORIGIN)

    assert response.status_code == HTTPStatus.CREATED
    todo = Todo.objects.get()
    body = response.json()
    assert body == {
        "title": "walk the dog",
        "completed": False,
        "order": 0,
        "url": f"http://testserver{todo_url(todo)}",
    }
    assert response["Location"] == body["url"]
    assert_open_cors(response)


def test_root_post_with_completed_and_order(api_client, shared_list, root):
    TodoFactory(list=shared_list, description="first")

    response = api_client.post(root, {"title": "top", "completed": True, "order": 0}, format="json")

    assert (response.json()["completed"], response.json()["order"]) == (True, 0)
    assert list(Todo.objects.order_by("position").values_list("description", flat=True)) == ["top", "first"]


def test_root_post_order_beyond_the_end_is_clamped_to_the_last_position(api_client, shared_list, root):
    """`order` is the todo's 0-based position in the list, which the services keep dense."""
    response = api_client.post(root, {"title": "blah", "order": 523}, format="json")

    assert response.json()["order"] == 0


def test_root_post_without_title_is_400_with_cors(api_client, root):
    response = api_client.post(root, {"completed": True}, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"title": ["This field is required."]}
    assert_open_cors(response)


def test_root_post_with_a_form_body_is_415(api_client, root):
    response = api_client.post(root, {"title": "x"})

    assert response.status_code == HTTPStatus.UNSUPPORTED_MEDIA_TYPE
    assert_open_cors(response)


def test_root_delete_deletes_every_todo_of_the_list(api_client, shared_list, root):
    TodoFactory.create_batch(2, list=shared_list)
    other = TodoFactory(list=TodoListFactory(owner=shared_list.owner))

    response = api_client.delete(root)

    assert response.status_code == HTTPStatus.NO_CONTENT
    assert_open_cors(response)
    assert api_client.get(root).json() == []
    assert list(Todo.objects.all()) == [other]


def test_todo_get_patch_delete(api_client, shared_list):
    todo = TodoFactory(list=shared_list, description="old")
    TodoFactory(list=shared_list, description="second")
    url = todo_url(todo)

    patched = api_client.patch(url, {"title": "new", "completed": True, "order": 1}, format="json")
    fetched = api_client.get(url)
    deleted = api_client.delete(url)

    assert patched.status_code == HTTPStatus.OK
    assert fetched.json() == {"title": "new", "completed": True, "order": 1, "url": f"http://testserver{url}"}
    assert deleted.status_code == HTTPStatus.NO_CONTENT
    assert api_client.get(url).status_code == HTTPStatus.NOT_FOUND
    for response in (patched, fetched, deleted):
        assert_open_cors(response)


def test_todo_patch_blank_title_is_400(api_client, shared_list):
    todo = TodoFactory(list=shared_list, description="keep")

    response = api_client.patch(todo_url(todo), {"title": " "}, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    todo.refresh_from_db()
    assert todo.description == "keep"


def test_todo_of_another_list_is_404(api_client, shared_list):
    elsewhere = TodoFactory(list=TodoListFactory(owner=shared_list.owner))
    url = reverse("api:todobackend-todo", kwargs={"secret": shared_list.share_token, "pk": elsewhere.pk})

    assert api_client.get(url).status_code == HTTPStatus.NOT_FOUND
    assert api_client.delete(url).status_code == HTTPStatus.NOT_FOUND
    assert Todo.objects.filter(pk=elsewhere.pk).exists()


def test_unknown_secret_is_404_with_cors(api_client, shared_list):
    url = reverse("api:todobackend-root", kwargs={"secret": "not-the-secret"})

    response = api_client.get(url)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == {"detail": "No TodoList matches the given query."}
    assert_open_cors(response)
    assert api_client.post(url, {"title": "x"}, format="json").status_code == HTTPStatus.NOT_FOUND
    assert not Todo.objects.exists()


def test_revoked_and_rotated_secrets_are_404(api_client, shared_list, root):
    todo = TodoFactory(list=shared_list)
    old_todo_url = todo_url(todo)

    services.todo_list_share(todo_list=shared_list)  # rotate

    assert api_client.get(root).status_code == HTTPStatus.NOT_FOUND
    assert api_client.get(old_todo_url).status_code == HTTPStatus.NOT_FOUND
    new_root = reverse("api:todobackend-root", kwargs={"secret": shared_list.share_token})
    assert api_client.get(new_root).status_code == HTTPStatus.OK

    services.todo_list_unshare(todo_list=shared_list)

    assert api_client.get(new_root).status_code == HTTPStatus.NOT_FOUND


def test_unknown_url_under_todobackend_is_json_404_with_cors(api_client, root):
    response = api_client.get(f"{root}not-a-todo/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == {"detail": "Not found."}
    assert_open_cors(response)


@pytest.mark.parametrize("method", ["PATCH", "DELETE", "POST"])
def test_preflight_allows_any_origin_without_credentials(api_client, shared_list, root, method):
    todo = TodoFactory(list=shared_list)

    for url in (root, todo_url(todo)):
        response = api_client.options(
            url,
            HTTP_ORIGIN=ORIGIN,
            HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
        )
        assert response.status_code == HTTPStatus.NO_CONTENT
        assert_open_cors(response)
        assert method in response["Access-Control-Allow-Methods"]
        assert response["Access-Control-Allow-Headers"].lower() == "content-type"


def test_todobackend_is_not_served_to_configured_origins_with_an_echoed_origin(api_client, root, settings):
    """django-cors-headers leaves this path alone; the view's own `*` is the only CORS header."""
    settings.CORS_ALLOWED_ORIGINS = [ORIGIN]

    response = api_client.get(root, HTTP_ORIGIN=ORIGIN)

    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_contract_end_to_end(api_client, root):
    """The todobackend.com spec's story: empty, add, navigate by url, change, reorder, delete, clear."""
    assert api_client.delete(root).status_code == HTTPStatus.NO_CONTENT
    assert api_client.get(root).json() == []

    first = api_client.post(root, {"title": "a todo"}, format="json").json()
    second = api_client.post(root, {"title": "another", "order": 0}, format="json").json()
    assert first["completed"] is False

    listed = api_client.get(root).json()
    assert [t["title"] for t in listed] == ["another", "a todo"]
    assert api_client.get(listed[1]["url"]).json() == {**first, "order": 1}

    api_client.patch(first["url"], {"title": "changed", "completed": True}, format="json")
    api_client.patch(first["url"], {"order": 0}, format="json")
    assert api_client.get(first["url"]).json() == {**first, "title": "changed", "completed": True, "order": 0}
    assert api_client.get(second["url"]).json()["order"] == 1

    assert api_client.delete(second["url"]).status_code == HTTPStatus.NO_CONTENT
    assert [t["title"] for t in api_client.get(root).json()] == ["changed"]
    assert api_client.delete(root).status_code == HTTPStatus.NO_CONTENT
    assert api_client.get(root).json() == []


@pytest.mark.parametrize("rows", [1, 50])
def test_root_query_count_does_not_grow(api_client, shared_list, root, rows, django_assert_num_queries):
    TodoFactory.create_batch(rows, list=shared_list)

    with django_assert_num_queries(2):  # the list by its secret, its todos
        response = api_client.get(root)

    assert len(response.json()) == rows
