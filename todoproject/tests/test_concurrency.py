"""Many writers on one list at once (PostgreSQL): no 5xx, no deadlock, positions stay 0..n-1."""

import random
import threading
import time
from collections import Counter
from http import HTTPStatus

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import api_token_create
from todos.models import Todo
from todos.tests.factories import TodoFactory, TodoListFactory

THREADS = 8
OPERATIONS = 25
TODOS = 12
JOIN_TIMEOUT = 60  # seconds for all threads together; a deadlock or lock wait would exceed it

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serializes the whole database): PostgreSQL pass")


def run_threads(worker, count=THREADS):
    """Run worker(index, client) in `count` threads started together; return what each returned."""
    results = [None] * count
    errors = []
    start = threading.Barrier(count)

    def run(index):
        try:
            start.wait(timeout=10)
            results[index] = worker(index)
        except Exception as error:  # reported below, with the thread's index
            errors.append((index, error))
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.1, JOIN_TIMEOUT - (time.monotonic() - started)))
    assert not [t for t in threads if t.is_alive()], f"threads still running after {JOIN_TIMEOUT}s: deadlock?"
    assert not errors, errors
    return results


def token_client(key) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def positions(todo_list):
    return sorted(Todo.objects.filter(list=todo_list).values_list("position", flat=True))


def test_concurrent_toggles_reorders_and_bulk_completes_keep_positions_dense(user):
    todo_list = TodoListFactory(owner=user)
    todo_ids = [TodoFactory(list=todo_list).pk for _ in range(TODOS)]
    key = api_token_create(user=user, name="test").key
    bulk_url = reverse("api:todolist-todo-list", kwargs={"list_pk": todo_list.pk})

    def writer(index):
        client = token_client(key)
        rng = random.Random(index)
        statuses = Counter()
        for _ in range(OPERATIONS):
            url = reverse("api:todo-detail", kwargs={"pk": rng.choice(todo_ids)})
            match rng.choice(["toggle", "reorder", "bulk"]):
                case "toggle":
                    response = client.patch(url, {"completed": rng.random() < 0.5}, format="json")
                case "reorder":
                    response = client.patch(url, {"position": rng.randrange(TODOS + 2)}, format="json")
                case "bulk":
                    response = client.patch(bulk_url, {"completed": rng.random() < 0.5}, format="json")
            statuses[response.status_code] += 1
        return statuses

    statuses = sum(run_threads(writer), Counter())

    print(f"\n{THREADS} threads x {OPERATIONS} operations on one list: {dict(statuses)}")
    assert statuses == Counter({HTTPStatus.OK: THREADS * OPERATIONS})
    assert positions(todo_list) == list(range(TODOS))


def test_concurrent_creates_moves_and_deletes_keep_positions_dense(user):
    """Creates (at the bottom or at a position), deletes and moves between two lists, all at once."""
    first, second = TodoListFactory(owner=user), TodoListFactory(owner=user)
    for todo_list in (first, second):
        TodoFactory.create_batch(5, list=todo_list)
    key = api_token_create(user=user, name="test").key

    def writer(index):
        client = token_client(key)
        rng = random.Random(100 + index)
        statuses = Counter()
        for step in range(OPERATIONS):
            todo_list = rng.choice([first, second])
            action = rng.choice(["create", "create_at", "move", "delete"])
            if action.startswith("create"):
                body = {"description": f"t{index}-{step}"}
                if action == "create_at":
                    body["position"] = rng.randrange(10)
                url = reverse("api:todolist-todo-list", kwargs={"list_pk": todo_list.pk})
                response = client.post(url, body, format="json")
                statuses["created" if response.status_code == HTTPStatus.CREATED else response.status_code] += 1
                continue
            todo_id = Todo.objects.filter(list=todo_list).values_list("pk", flat=True).order_by("?").first()
            if todo_id is None:
                continue
            url = reverse("api:todo-detail", kwargs={"pk": todo_id})
            if action == "move":
                target = second if todo_list == first else first
                response = client.patch(url, {"list": target.pk}, format="json")
            else:
                response = client.delete(url)
            # Another thread may have deleted the todo since we picked it: 404 is the right answer then.
            statuses[response.status_code] += 1
        return statuses

    statuses = sum(run_threads(writer), Counter())

    print(f"\n{THREADS} threads x {OPERATIONS} creates/moves/deletes on two lists: {dict(statuses)}")
    assert not [code for code in statuses if isinstance(code, int) and code >= HTTPStatus.INTERNAL_SERVER_ERROR]
    assert set(statuses) <= {"created", HTTPStatus.OK, HTTPStatus.NO_CONTENT, HTTPStatus.NOT_FOUND}
    for todo_list in (first, second):
        assert positions(todo_list) == list(range(Todo.objects.filter(list=todo_list).count()))


def test_concurrent_creates_in_one_list_get_dense_unique_positions(user):
    todo_list = TodoListFactory(owner=user)
    key = api_token_create(user=user, name="test").key
    url = reverse("api:todolist-todo-list", kwargs={"list_pk": todo_list.pk})

    def creator(index):
        client = token_client(key)
        return [client.post(url, {"description": f"{index}-{n}"}, format="json").status_code for n in range(OPERATIONS)]

    statuses = [code for codes in run_threads(creator) for code in codes]

    assert set(statuses) == {HTTPStatus.CREATED}
    assert positions(todo_list) == list(range(THREADS * OPERATIONS))


def test_concurrent_writes_with_one_etag_let_exactly_one_through(user):
    """Every thread read the same ETag; the If-Match check is under the row lock, so only the first write wins."""
    todo = TodoFactory(list=TodoListFactory(owner=user))
    key = api_token_create(user=user, name="test").key
    url = reverse("api:todo-detail", kwargs={"pk": todo.pk})
    tag = token_client(key).get(url)["ETag"]

    def writer(index):
        return token_client(key).patch(url, {"description": f"writer {index}"}, format="json", HTTP_IF_MATCH=tag)

    responses = run_threads(writer)

    codes = Counter(r.status_code for r in responses)
    assert codes == Counter({HTTPStatus.OK: 1, HTTPStatus.PRECONDITION_FAILED: THREADS - 1})
    [winner] = [r for r in responses if r.status_code == HTTPStatus.OK]
    todo.refresh_from_db()
    assert todo.description == winner.json()["description"]
