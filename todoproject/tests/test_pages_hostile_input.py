"""Hostile input to the pages and forms: never a 500, a clear message every time, nothing written."""

import re
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from todos.models import Todo, TodoList
from todos.tests.factories import TodoFactory

pytestmark = pytest.mark.django_db

HUGE = 99999999999999999999


def rows():
    return list(TodoList.objects.values_list("id", "name")), list(Todo.objects.values_list("id", "description"))


def htmx(todo_list):
    """The headers htmx sends from the page of `todo_list`."""
    return {
        "HTTP_HX_REQUEST": "true",
        "HTTP_HX_CURRENT_URL": "http://testserver" + reverse("list_detail", args=[todo_list.pk]),
    }


@pytest.mark.parametrize(
    ("description", "message"),
    [
        ("nul\x00byte", "Null characters are not allowed."),
        ("x" * 501, "Ensure this value has at most 500 characters"),
        ("x" * 900_000, "Ensure this value has at most 500 characters"),
        ("   ", "This field is required."),
    ],
)
def test_bad_todo_text_is_refused_with_a_message_by_htmx_and_as_a_form(auth_client, todo_list, description, message):
    before = rows()
    url = reverse("todo_create", args=[todo_list.pk])

    by_htmx = auth_client.post(url, {"description": description}, **htmx(todo_list))
    as_form = auth_client.post(url, {"description": description})

    assert by_htmx.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert message in by_htmx.content.decode()
    assert as_form.status_code == HTTPStatus.FOUND
    page = auth_client.get(as_form.url).content.decode()  # the message under the new-todo field
    assert re.search(rf'<p id="new-todo-error" class="field-error" role="alert">{re.escape(message)}', page)
    assert rows() == before


@pytest.mark.parametrize("text", ["Café ☕ 🎉👩‍👩‍👧", "שלום עולם", "مرحبا بالعالم", "\u202eevil\u202c"])
def test_emoji_and_right_to_left_text_are_kept_exactly(auth_client, todo_list, text):
    response = auth_client.post(reverse("todo_create", args=[todo_list.pk]), {"description": text}, **htmx(todo_list))
    assert response.status_code == HTTPStatus.OK
    assert Todo.objects.get().description == text
    assert text in response.content.decode()
    assert text in auth_client.get(reverse("list_detail", args=[todo_list.pk])).content.decode()


def test_a_body_over_the_size_limit_is_a_400_and_writes_nothing(auth_client, todo_list):
    before = rows()
    body = {"description": "x" * (1024 * 1024 + 1)}
    response = auth_client.post(reverse("todo_create", args=[todo_list.pk]), body, **htmx(todo_list))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert rows() == before


@pytest.mark.parametrize("body", ["{", "[1, 2]", '"text"', "null", "\x00", '{"description": "Milk"}'])
def test_a_json_body_is_not_a_form_and_is_refused_with_a_message(auth_client, todo_list, body):
    """The pages take forms only (the API takes JSON): never a 500, nothing written."""
    before = rows()
    response = auth_client.post(
        reverse("todo_create", args=[todo_list.pk]), body, "application/json", **htmx(todo_list)
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "This field is required." in response.content.decode()
    assert rows() == before


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "multipart/form-data; boundary=x"])
def test_wrong_content_types_are_refused_clearly(auth_client, todo_list, content_type):
    before = rows()
    response = auth_client.post(
        reverse("todo_create", args=[todo_list.pk]), "description=Milk", content_type, **htmx(todo_list)
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "This field is required." in response.content.decode()
    assert rows() == before


@pytest.mark.parametrize("pk", [0, HUGE, 2**63, 2**31])
@pytest.mark.parametrize("route", ["list_detail", "todo_update"])
def test_huge_and_zero_ids_are_404(auth_client, route, pk):
    assert auth_client.get(reverse(route, args=[pk])).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("path", ["/lists/-1/", "/todos/-5/", "/lists/1e3/", "/lists/%00/"])
def test_negative_and_malformed_ids_are_404(auth_client, path):
    assert auth_client.get(path).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("page", ["-1", "0", str(HUGE), "abc", "1.5", "\x00", "9" * 5000])
def test_any_page_number_shows_a_page(auth_client, todo_list, page):
    TodoFactory(list=todo_list)
    response = auth_client.get(reverse("list_detail", args=[todo_list.pk]), {"page": page, "filter": "\x00"})
    assert response.status_code == HTTPStatus.OK


def test_moving_a_todo_to_a_huge_list_id_is_refused(auth_client, todo_list):
    todo = TodoFactory(list=todo_list)
    response = auth_client.post(
        reverse("todo_update", args=[todo.pk]), {"list": HUGE, "position": HUGE}, **htmx(todo_list)
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "List: Select a valid choice." in response.content.decode()
    assert "Position:" not in response.content.decode()
    todo.refresh_from_db()
    assert todo.list == todo_list


@pytest.mark.parametrize(
    ("route", "kind"),
    [("todo_create", "list"), ("list_rename", "list"), ("list_share", "list"), ("todo_delete", "todo")],
)
def test_a_post_without_csrf_token_is_refused_and_writes_nothing(user, todo_list, route, kind):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    todo = TodoFactory(list=todo_list)
    before = rows()
    pk = todo_list.pk if kind == "list" else todo.pk
    response = client.post(reverse(route, args=[pk]), {"name": "x", "description": "x", "shared": "true"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert rows() == before


SURROGATE = "%ED%A0%80"  # U+D800 in UTF-8's form: not text; Django decodes it as replacement characters


def test_an_encoded_lone_surrogate_in_a_form_is_never_a_500(auth_client, todo_list):
    response = auth_client.post(
        reverse("todo_create", args=[todo_list.pk]),
        f"description={SURROGATE}",
        content_type="application/x-www-form-urlencoded",
        **htmx(todo_list),
    )

    assert response.status_code == HTTPStatus.OK
    assert Todo.objects.get().description == "\ufffd" * 3


def test_an_encoded_lone_surrogate_in_the_query_still_shows_the_page(auth_client, todo_list):
    url = reverse("list_detail", args=[todo_list.pk])

    response = auth_client.get(f"{url}?filter={SURROGATE}&page={SURROGATE}")

    assert response.status_code == HTTPStatus.OK


def test_an_encoded_lone_surrogate_as_a_login_username_is_a_form_error():
    response = Client().post(
        reverse("login"), f"username={SURROGATE}&password=x", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == HTTPStatus.OK
    assert "Please enter a correct username and password" in response.content.decode()


@pytest.mark.parametrize(
    "body", ['{"username": "\\ud800", "password": "x"}', "[" * 50_000 + "]" * 50_000], ids=["surrogate", "deep"]
)
def test_a_hostile_json_body_to_the_login_page_is_a_form_error(body):
    """The failed-login limiter reads a JSON body's username before the page does: it must not fail on it."""
    response = Client().post(reverse("login"), body, content_type="application/json")

    assert response.status_code == HTTPStatus.OK
    assert "This field is required." in response.content.decode()
