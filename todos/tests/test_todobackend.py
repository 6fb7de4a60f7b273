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
        {"title": "Milk", "completed": True, "order": None, "url": f"http://testserver{todo_url(todo)}"}
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
        "order": None,
        "url": f"http://testserver{todo_url(todo)}",
    }
    assert response["Location"] == body["url"]
    assert_open_cors(response)


def test_root_post_with_completed_and_order_adds_at_the_bottom(api_client, shared_list, root):
    """`order` is the client's number, not a place in the list: the new todo still goes to the bottom."""
    TodoFactory(list=shared_list, description="first")

    response = api_client.post(root, {"title": "second", "completed": True, "order": 0}, format="json")

    assert (response.json()["completed"], response.json()["order"]) == (True, 0)
    assert list(Todo.objects.values_list("description", "position", "backend_order")) == [
        ("first", 0, None),
        ("second", 1, 0),
    ]


def test_root_post_order_is_kept_as_sent(api_client, shared_list, root):
    response = api_client.post(root, {"title": "blah", "order": 523}, format="json")

    assert response.json()["order"] == 523
    assert api_client.get(response.json()["url"]).json()["order"] == 523
    assert Todo.objects.values_list("position", "backend_order").get() == (0, 523)


@pytest.mark.parametrize("order", [-1, 2**31 - 1, -(2**31)])
def test_root_post_accepts_any_order_in_the_columns_range(api_client, root, order):
    response = api_client.post(root, {"title": "blah", "order": order}, format="json")

    assert response.status_code == HTTPStatus.CREATED
    assert response.json()["order"] == order


@pytest.mark.parametrize("order", [2**31, -(2**31) - 1, "soon", 1.5])
def test_root_post_order_outside_the_columns_range_or_not_a_whole_number_is_400(api_client, root, order):
    response = api_client.post(root, {"title": "blah", "order": order}, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()) == ["order"]
    assert not Todo.objects.exists()


def test_patch_order_is_kept_and_moves_nothing(api_client, shared_list):
    first = TodoFactory(list=shared_list, description="first")
    second = TodoFactory(list=shared_list, description="second")

    patched = api_client.patch(todo_url(second), {"order": 95}, format="json")

    assert patched.json()["order"] == 95
    assert api_client.get(todo_url(second)).json()["order"] == 95
    assert list(Todo.objects.values_list("pk", "position", "backend_order")) == [
        (first.pk, 0, None),
        (second.pk, 1, 95),
    ]


def test_patch_order_null_clears_it(api_client, shared_list):
    todo = TodoFactory(list=shared_list, backend_order=10)

    response = api_client.patch(todo_url(todo), {"order": None}, format="json")

    assert response.json()["order"] is None
    todo.refresh_from_db()
    assert todo.backend_order is None


def test_reordering_the_list_leaves_order_alone(api_client, shared_list, root):
    """Dragging a todo on the list page changes its position, never the Todo-Backend client's `order`."""
    first = TodoFactory(list=shared_list, description="first", backend_order=7)
    TodoFactory(list=shared_list, description="second")

    services.todo_reorder(todo=first, position=1)

    assert [(todo["title"], todo["order"]) for todo in api_client.get(root).json()] == [("second", None), ("first", 7)]


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
        assert response["Access-Control-Allow-Headers"].lower() == "content-type, idempotency-key"


def test_todobackend_is_not_served_to_configured_origins_with_an_echoed_origin(api_client, root, settings):
    """django-cors-headers leaves this path alone; the view's own `*` is the only CORS header."""
    settings.CORS_ALLOWED_ORIGINS = [ORIGIN]

    response = api_client.get(root, HTTP_ORIGIN=ORIGIN)

    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_contract_end_to_end(api_client, root):
    """The todobackend.com spec's story: empty, add, navigate by url, change, set order, delete, clear."""
    assert api_client.delete(root).status_code == HTTPStatus.NO_CONTENT
    assert api_client.get(root).json() == []

    first = api_client.post(root, {"title": "a todo"}, format="json").json()
    second = api_client.post(root, {"title": "another", "order": 523}, format="json").json()
    assert (first["completed"], first["order"], second["order"]) == (False, None, 523)

    listed = api_client.get(root).json()
    assert [t["title"] for t in listed] == ["a todo", "another"]
    assert api_client.get(listed[0]["url"]).json() == first

    api_client.patch(first["url"], {"title": "changed", "completed": True}, format="json")
    api_client.patch(first["url"], {"order": 95}, format="json")
    assert api_client.get(first["url"]).json() == {**first, "title": "changed", "completed": True, "order": 95}
    assert api_client.get(second["url"]).json()["order"] == 523

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


# The share link opened in a browser

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


def test_browser_gets_a_page_saying_what_the_link_is_with_the_todos_read_only(client, shared_list, root):
    shared_list.name = "Groceries"
    shared_list.save()
    TodoFactory(list=shared_list, description="Milk", completed=True)
    TodoFactory(list=shared_list, description="Bread")

    response = client.get(root, HTTP_ACCEPT=BROWSER_ACCEPT)

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/html; charset=utf-8"
    content = response.content.decode()
    assert 'a <a href="https://todobackend.com/">Todo-Backend</a> link to the list «Groceries»' in content
    assert '<li class="completed"><s>Milk</s> <span class="visually-hidden">(done)</span></li>' in content
    assert "<li>Bread</li>" in content
    share_url = f"http://testserver{root}"
    assert f'<input id="share-url" type="url" value="{share_url}" readonly>' in content
    assert f"curl -s {share_url}\n" in content
    assert shared_list.owner.username not in content
    assert "<form" not in content  # nothing to change from the page


def test_share_page_sets_no_cookie_and_is_neither_stored_nor_mixed_with_the_json(client, shared_list, root):
    response = client.get(root, HTTP_ACCEPT=BROWSER_ACCEPT)

    assert response.cookies == {}
    assert "Accept" in response["Vary"]
    assert set(response["Cache-Control"].split(", ")) == {"private", "no-store"}
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_share_page_escapes_the_todos(client, shared_list, root):
    TodoFactory(list=shared_list, description="<script>alert(1)</script>")

    content = client.get(root, HTTP_ACCEPT=BROWSER_ACCEPT).content.decode()

    assert "<script>alert(1)" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


@pytest.mark.parametrize("accept", ["application/json", "*/*", None])
def test_api_clients_still_get_the_bare_array(api_client, shared_list, root, accept):
    TodoFactory(list=shared_list, description="Milk")
    headers = {"HTTP_ACCEPT": accept} if accept else {}

    response = api_client.get(root, **headers)

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/json"
    assert [todo["title"] for todo in response.json()] == ["Milk"]
    assert "Accept" in response["Vary"]
    assert "Cache-Control" not in response


def test_unknown_or_revoked_secret_is_a_404_page_for_browsers(client, shared_list, root):
    services.todo_list_unshare(todo_list=shared_list)

    for url in (root, reverse("api:todobackend-root", kwargs={"secret": "no-such-secret"})):
        response = client.get(url, HTTP_ACCEPT=BROWSER_ACCEPT)

        assert response.status_code == HTTPStatus.NOT_FOUND
        assert response["Content-Type"] == "text/html; charset=utf-8"
        assert "<h1>Not found</h1>" in response.content.decode()
        assert response.cookies == {}


def test_only_get_of_the_root_has_a_page(client, shared_list, root):
    todo = TodoFactory(list=shared_list)

    response = client.get(todo_url(todo), HTTP_ACCEPT="text/html")
    post = client.post(root, {"title": "x"}, content_type="application/json", HTTP_ACCEPT="text/html")

    assert response.status_code == HTTPStatus.NOT_ACCEPTABLE
    assert post.status_code == HTTPStatus.NOT_ACCEPTABLE
    assert not Todo.objects.filter(description="x").exists()


@pytest.mark.parametrize("rows", [1, 50])
def test_share_page_query_count_does_not_grow(client, shared_list, root, rows, django_assert_num_queries):
    TodoFactory.create_batch(rows, list=shared_list)

    with django_assert_num_queries(2):  # the list by its secret, its todos
        response = client.get(root, HTTP_ACCEPT=BROWSER_ACCEPT)

    assert response.content.decode().count("<li>") == rows


def test_completed_at_follows_completed_through_the_todobackend(api_client, shared_list, root):
    created = api_client.post(root, {"title": "Milk", "completed": True}, format="json")
    todo = Todo.objects.get(pk=created.json()["url"].rstrip("/").rsplit("/", 1)[1])
    assert todo.completed_at is not None

    api_client.patch(todo_url(todo), {"completed": False}, format="json")
    assert Todo.objects.get(pk=todo.pk).completed_at is None
    api_client.patch(todo_url(todo), {"completed": True}, format="json")
    assert Todo.objects.get(pk=todo.pk).completed_at is not None
