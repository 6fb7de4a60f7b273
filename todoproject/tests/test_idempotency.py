"""Idempotency-Key on API creates: a repeated POST creates one row and gets the first answer back."""

import threading
from http import HTTPStatus

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import api_token_create
from core import idempotency
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
def test_a_revoked_token_gets_401_not_the_stored_answer(client_alice, creates):
    url, body, _, rows = creates["list"]
    client_alice.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k")
    client_alice.delete(reverse("api:token"))

    response = client_alice.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k")

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert "Idempotent-Replayed" not in response
    assert rows.count() == 2


@pytest.mark.django_db
def test_a_logged_out_session_gets_refused_not_the_stored_answer(client, user, creates):
    """The old session cookie, sent again after logout, is anonymous: no replay of its create."""
    url, body, _, rows = creates["list"]
    client.force_login(user)
    client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k")
    cookie = client.cookies["sessionid"].value
    client.post(reverse("logout"))
    client.cookies["sessionid"] = cookie

    response = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k")

    assert response.status_code in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN)  # DRF picks by authenticator
    assert "Idempotent-Replayed" not in response
    assert rows.count() == 2


@pytest.mark.django_db
def test_the_same_user_with_another_credential_gets_the_replay(client_alice, user, creates):
    """The record belongs to the user, not to the raw Authorization header or cookie."""
    url, body, _, rows = creates["list"]
    first = client_alice.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k")
    session = APIClient()
    session.force_login(user)

    again = session.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k")

    assert again["Idempotent-Replayed"] == "true"
    assert again.content == first.content
    assert rows.count() == 2


@pytest.mark.django_db
def test_keys_are_scoped_to_the_query_string(client_alice, creates):
    url, body, _, rows = creates["list"]

    client_alice.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k")
    response = client_alice.post(url + "?from=elsewhere", body, format="json", HTTP_IDEMPOTENCY_KEY="k")

    assert response.status_code == HTTPStatus.CREATED
    assert "Idempotent-Replayed" not in response
    assert rows.count() == 3


class WorkerKilled(BaseException):
    """Stands for a worker killed mid-request: no except clause of the app runs, nothing is cleaned up."""


@pytest.fixture
def dead_first_attempt(client_alice, creates, monkeypatch):
    """A first attempt that claimed key `k` on the lists URL and died before writing or answering."""
    url, body, _, _ = creates["list"]
    real_create = services.todo_list_create

    def die(**kwargs):
        raise WorkerKilled

    monkeypatch.setattr(services, "todo_list_create", die)
    with pytest.raises(WorkerKilled):
        client_alice.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k")
    monkeypatch.setattr(services, "todo_list_create", real_create)


@pytest.mark.django_db
def test_a_retry_after_a_dead_attempts_lease_ran_out_runs_and_creates_once(
    client_alice, creates, dead_first_attempt, monkeypatch, settings
):
    url, body, _, rows = creates["list"]
    later = idempotency._now() + settings.IDEMPOTENCY_LEASE_SECONDS + 1
    monkeypatch.setattr(idempotency, "_now", lambda: later)

    retried = client_alice.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k")
    again = client_alice.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k")

    assert retried.status_code == HTTPStatus.CREATED
    assert "Idempotent-Replayed" not in retried
    assert again["Idempotent-Replayed"] == "true"
    assert again.content == retried.content
    assert rows.count() == 2


@pytest.mark.django_db
def test_a_retry_while_the_lease_is_live_is_409_with_retry_after(
    client_alice, creates, dead_first_attempt, monkeypatch
):
    url, body, _, rows = creates["list"]
    monkeypatch.setattr(idempotency, "WAIT_SECONDS", 0.2)

    response = client_alice.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k")

    assert response.status_code == HTTPStatus.CONFLICT
    assert "still being processed" in response.json()["detail"]
    assert 1 <= int(response["Retry-After"]) <= 60
    assert rows.count() == 1


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


@pytest.fixture
def todobackend(api_client, user):
    """A shared list's Todo-Backend root URL, and the list."""
    todo_list = TodoListFactory(owner=user)
    secret = services.todo_list_share(todo_list=todo_list)
    return reverse("api:todobackend-root", kwargs={"secret": secret}), todo_list


@pytest.mark.django_db
def test_a_todobackend_replay_keeps_its_cors_headers(api_client, todobackend):
    url, _ = todobackend

    api_client.post(url, {"title": "walk"}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    again = api_client.post(url, {"title": "walk"}, format="json", HTTP_IDEMPOTENCY_KEY="k")

    assert again["Idempotent-Replayed"] == "true"
    assert again["Access-Control-Allow-Origin"] == "*"
    assert "Idempotent-Replayed" in again["Access-Control-Expose-Headers"]
    assert "Location" in again["Access-Control-Expose-Headers"]


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["revoke", "rotate"])
def test_a_todobackend_replay_after_the_secret_changed_is_404(api_client, todobackend, change):
    url, todo_list = todobackend
    api_client.post(url, {"title": "walk"}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    if change == "revoke":
        services.todo_list_unshare(todo_list=todo_list)
    else:
        services.todo_list_share(todo_list=todo_list)

    response = api_client.post(url, {"title": "walk"}, format="json", HTTP_IDEMPOTENCY_KEY="k")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Idempotent-Replayed" not in response
    assert todo_list.todos.count() == 1


@pytest.mark.django_db
def test_the_todobackend_preflight_allows_the_idempotency_key_header(api_client, todobackend):
    url, _ = todobackend

    response = api_client.options(
        url,
        HTTP_ORIGIN="https://todobackend.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type,idempotency-key",
    )

    allowed = {h.strip().lower() for h in response["Access-Control-Allow-Headers"].split(",")}
    assert {"content-type", "idempotency-key"} <= allowed


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


RACES = 10


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_after_a_dead_attempt_create_one_row(user, creates, monkeypatch, settings):
    """RACES times: a first attempt dies holding its key; once its lease ran out, THREADS retries race for it."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serializes the whole database): PostgreSQL pass")
    url, body, _, rows = creates["list"]
    real_create = services.todo_list_create

    def die(**kwargs):
        raise WorkerKilled

    for race in range(RACES):
        key = f"dead-{race}"
        monkeypatch.setattr(services, "todo_list_create", die)
        with pytest.raises(WorkerKilled):
            token_client(user).post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
        monkeypatch.setattr(services, "todo_list_create", real_create)
        later = idempotency._now() + settings.IDEMPOTENCY_LEASE_SECONDS + 1
        monkeypatch.setattr(idempotency, "_now", lambda later=later: later)
        before = rows.count()
        start = threading.Barrier(THREADS)
        responses = [None] * THREADS

        def post(index, key=key, start=start, responses=responses):
            try:
                client = token_client(user)
                start.wait(timeout=10)
                responses[index] = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
            finally:
                connection.close()

        threads = [threading.Thread(target=post, args=(i,)) for i in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        monkeypatch.undo()

        assert not any(thread.is_alive() for thread in threads)
        assert rows.count() == before + 1, f"race {race}"
        assert {r.status_code for r in responses} == {HTTPStatus.CREATED}
        assert len({r.content for r in responses}) == 1
        assert sum(r.has_header("Idempotent-Replayed") for r in responses) == THREADS - 1
