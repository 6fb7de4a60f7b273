"""Hostile input to the pages and forms: never a 500, a clear message every time, nothing written."""

import json
from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from todos.models import Todo, TodoList
from todos.tests.factories import TodoFactory

pytestmark = pytest.mark.django_db

JSON_ACCEPT = {"HTTP_ACCEPT": "application/json"}
HUGE = 99999999999999999999


def rows():
    return list(TodoList.objects.values_list("id", "name")), list(Todo.objects.values_list("id", "description"))


@pytest.mark.parametrize(
    ("description", "message"),
    [
        ("nul\x00byte", "Null characters are not allowed."),
        ("x" * 501, "Ensure this value has at most 500 characters"),
        ("x" * 900_000, "Ensure this value has at most 500 characters"),
        ("   ", "This field is required."),
    ],
)
def test_bad_todo_text_is_refused_with_a_message_as_json_and_as_a_form(auth_client, todo_list, description, message):
    before = rows()
    url = reverse("todo_create", args=[todo_list.pk])

    as_json = auth_client.post(url, json.dumps({"description": description}), "application/json", **JSON_ACCEPT)
    as_form = auth_client.post(url, {"description": description})

    assert as_json.status_code == HTTPStatus.BAD_REQUEST
    assert message in as_json.json()["errors"]["description"][0]
    assert as_form.status_code == HTTPStatus.FOUND
    assert any(message in str(m) for m in get_messages(as_form.wsgi_request))
    assert rows() == before


@pytest.mark.parametrize("text", ["Café ☕ 🎉👩‍👩‍👧", "שלום עולם", "مرحبا بالعالم", "\u202eevil\u202c"])
def test_emoji_and_right_to_left_text_are_kept_exactly(auth_client, todo_list, text):
    response = auth_client.post(
        reverse("todo_create", args=[todo_list.pk]), json.dumps({"description": text}), "application/json"
    )
    assert response.status_code == HTTPStatus.CREATED
    assert Todo.objects.get().description == text
    assert text in auth_client.get(reverse("list_detail", args=[todo_list.pk])).content.decode()


def test_a_body_over_the_size_limit_is_a_400_and_writes_nothing(auth_client, todo_list):
    before = rows()
    body = json.dumps({"description": "x" * (1024 * 1024 + 1)})
    response = auth_client.post(reverse("todo_create", args=[todo_list.pk]), body, "application/json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert rows() == before


@pytest.mark.parametrize("body", ["{", "[1, 2]", '"text"', "null", "\x00", "{'single': 'quotes'}"])
def test_malformed_json_is_a_400_with_a_message(auth_client, todo_list, body):
    before = rows()
    response = auth_client.post(reverse("todo_create", args=[todo_list.pk]), body, "application/json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"errors": {"__all__": ["Send a JSON object."]}}
    assert rows() == before


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "multipart/form-data; boundary=x"])
def test_wrong_content_types_are_refused_clearly(auth_client, todo_list, content_type):
    before = rows()
    response = auth_client.post(
        reverse("todo_create", args=[todo_list.pk]), "description=Milk", content_type, **JSON_ACCEPT
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["errors"]["description"] == ["This field is required."]
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


def test_moving_a_todo_to_a_huge_list_id_is_a_400(auth_client, todo_list):
    todo = TodoFactory(list=todo_list)
    response = auth_client.post(
        reverse("todo_update", args=[todo.pk]), json.dumps({"list": HUGE, "position": HUGE}), "application/json"
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert set(response.json()["errors"]) == {"list"}
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
