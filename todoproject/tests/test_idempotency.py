"""Idempotency-Key on API creates: a repeated POST creates one row and gets the first answer back."""

import threading
from http import HTTPStatus

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import api_token_create
from orders.models import Order, OrderItem
from orders.tests.factories import ProductFactory
from todos import services
from todos.models import Todo, TodoList
from todos.tests.factories import TodoListFactory

THREADS = 8


def token_client(user, key=None) -> APIClient:
    """A client sending a token of the user's: `key`, or a new token's."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key or api_token_create(user=user, name='test').key}")
    return client


@pytest.fixture
def client_alice(user):
    return token_client(user)


@pytest.fixture
def creates(user):
    """Per resource: (URL, a valid body, another valid body, the model's rows that a create adds to)."""
    todo_list = TodoListFactory(owner=user, name="Groceries")
    first, second = ProductFactory(), ProductFactory()
    return {
        "list": (reverse("api:todolist-list"), {"name": "Chores"}, {"name": "Other"}, TodoList.objects.all()),
        "todo": (
            reverse("api:todo-list"),
            {"list": todo_list.pk, "description": "Milk"},
            {"list": todo_list.pk, "description": "Bread"},
            Todo.objects.all(),
        ),
        "list-todo": (
            reverse("api:todolist-todo-list", kwargs={"list_pk": todo_list.pk}),
            {"description": "Eggs"},
            {"description": "Ham"},
            Todo.objects.all(),
        ),
        "order": (
            reverse("api:order-list"),
            {"items": [{"product": first.pk, "quantity": 2}]},
            {"items": [{"product": second.pk, "quantity": 1}]},
            Order.objects.all(),
        ),
    }


RESOURCES = ["list", "todo", "list-todo", "order"]


@pytest.mark.django_db
@pytest.mark.parametrize("resource", RESOURCES)
def test_repeated_post_creates_one_row_and_replays_the_response(client_alice, creates, resource):
    url, body, _, rows = creates[resource]
    before = rows.count()

    first = client_alice.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    again = client_alice.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="key-1")

    assert first.status_code == HTTPStatus.CREATED
    assert rows.count() == before + 1
    assert again.status_code == first.status_code
    assert again.content == first.content
    assert again["Location"] == first["Location"]
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first


@pytest.mark.django_db
@pytest.mark.parametrize("resource", RESOURCES)
def test_same_key_with_another_body_is_422_and_creates_nothing(client_alice, creates, resource):
    url, body, other_body, rows = creates[resource]
    client_alice.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    before = rows.count()

    response = client_alice.post(url, other_body, format="json", HTTP_IDEMPOTENCY_KEY="key-1")

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "different request body" in response.json()["detail"]
    assert rows.count() == before


@pytest.mark.django_db
def test_without_a_key_every_post_creates(client_alice, creates):
    url, body, _, rows = creates["list"]

    client_alice.post(url, body, format="json")
    client_alice.post(url, body, format="json")

    assert rows.count() == 3  # the fixture's list and two new ones


@pytest.mark.django_db
def test_keys_are_scoped_to_the_caller(client_alice, other_user, creates):
    url, body, _, rows = creates["list"]
    client_mallory = token_client(other_user)

    client_alice.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    response = client_mallory.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="shared")

    assert response.status_code == HTTPStatus.CREATED
    assert "Idempotent-Replayed" not in response
    assert rows.filter(owner=other_user).count() == 1


@pytest.mark.django_db
def test_keys_are_scoped_to_the_path(client_alice, creates):
    list_url, list_body, _, _ = creates["list"]
    todo_url, todo_body, _, _ = creates["todo"]

    client_alice.post(list_url, list_body, format="json", HTTP_IDEMPOTENCY_KEY="k")
    response = client_alice.post(todo_url, todo_body, format="json", HTTP_IDEMPOTENCY_KEY="k")

    assert response.status_code == HTTPStatus.CREATED


@pytest.mark.django_db
def test_a_refused_create_is_replayed_as_refused(client_alice, creates):
    url, _, _, rows = creates["list"]

    first = client_alice.post(url, {"name": " "}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    again = client_alice.post(url, {"name": " "}, format="json", HTTP_IDEMPOTENCY_KEY="k")

    assert first.status_code == again.status_code == HTTPStatus.BAD_REQUEST
    assert again.content == first.content
    assert rows.count() == 1


@pytest.mark.django_db
def test_a_server_error_releases_the_key_so_a_retry_runs(user, creates, monkeypatch):
    url, body, _, rows = creates["list"]
    client = token_client(user)
    client.raise_request_exception = False
    real_create = services.todo_list_create
    calls = []

    def fail_once(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise RuntimeError("injected failure")
        return real_create(**kwargs)

    monkeypatch.setattr(services, "todo_list_create", fail_once)

    failed = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k")
    retried = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k")

    assert failed.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert retried.status_code == HTTPStatus.CREATED
    assert "Idempotent-Replayed" not in retried
    assert rows.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "x" * 256])
def test_an_empty_or_overlong_key_is_400(client_alice, creates, key):
    url, body, _, rows = creates["list"]

    response = client_alice.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Idempotency-Key" in response.json()["detail"]
    assert rows.count() == 1


@pytest.mark.django_db
def test_the_todobackend_create_is_idempotent_too(api_client, user):
    todo_list = TodoListFactory(owner=user)
    secret = services.todo_list_share(todo_list=todo_list)
    url = reverse("api:todobackend-root", kwargs={"secret": secret})

    first = api_client.post(url, {"title": "walk"}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    again = api_client.post(url, {"title": "walk"}, format="json", HTTP_IDEMPOTENCY_KEY="k")

    assert first.status_code == again.status_code == HTTPStatus.CREATED
    assert again.content == first.content
    assert todo_list.todos.count() == 1


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.django_db(transaction=True)
def test_concurrent_repeats_create_one_row_and_all_get_the_same_response(user, creates, resource):
    """THREADS clients send the same POST with one key at the same moment."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serializes the whole database): PostgreSQL pass")
    url, body, _, rows = creates[resource]
    before = rows.count()
    key = api_token_create(user=user, name="test").key  # one client: Idempotency-Keys are scoped to its token
    start = threading.Barrier(THREADS)
    responses = [None] * THREADS

    def post(index):
        try:
            client = token_client(user, key)
            start.wait(timeout=10)
            responses[index] = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="concurrent")
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not any(thread.is_alive() for thread in threads)
    assert rows.count() == before + 1
    assert {r.status_code for r in responses} == {HTTPStatus.CREATED}
    assert len({r.content for r in responses}) == 1
    assert len({r["Location"] for r in responses}) == 1
    assert sum(r.has_header("Idempotent-Replayed") for r in responses) == THREADS - 1
    if resource == "order":
        assert OrderItem.objects.count() == 1
