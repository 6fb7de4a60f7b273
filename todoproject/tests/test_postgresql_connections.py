"""Persistent PostgreSQL connections on Django's own backend: a dead one is replaced, a live one kept.

The app once shipped its own backend, whose health check called `select.select()` on the socket (it
raises for file descriptors of 1024 and above, so busy processes reconnected on every request) and
which PREPAREd statements by name (a transaction-mode pooler such as PgBouncer hands the next
transaction another server connection, where the name does not exist). These check that neither
can come back.
"""

import contextlib
import os
import time

import psycopg2
import pytest
from django.db import connection
from django.urls import reverse

from accounts.services import api_token_create
from todos.tests.factories import TodoFactory, TodoListFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("persistent connections are PostgreSQL's: the PostgreSQL pass runs these")


def outside():
    """A psycopg2 connection of its own, to look at (or end) Django's connection from the server side."""
    outside = psycopg2.connect(**connection.get_connection_params())
    outside.autocommit = True
    return outside


def health_checked_backend_pid() -> int:
    """The server process behind Django's connection after the health check a request's first query runs."""
    connection.health_check_enabled, connection.health_check_done = True, False
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_a_connection_the_server_ended_is_replaced_before_the_next_query():
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    # Ended from outside, as a server restart or an operator's pg_terminate_backend() ends it.
    with outside() as other, other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
            if cursor.fetchone() is None:
                break
            time.sleep(0.01)
    assert not connection.is_usable()

    assert health_checked_backend_pid() != pid


def test_a_live_connection_on_a_file_descriptor_above_1024_is_kept():
    with contextlib.ExitStack() as stack:
        for _ in range(1100):  # push the next socket past select()'s FD_SETSIZE
            stack.callback(os.close, os.open(os.devnull, os.O_RDONLY))
        connection.close()
        connection.ensure_connection()
        assert connection.connection.fileno() >= 1024
        pid = connection.connection.info.backend_pid

        assert connection.is_usable()
        assert health_checked_backend_pid() == pid
        connection.close()  # its socket's number is about to be reused


def test_requests_leave_no_prepared_statements_on_the_connection(client):
    """Nothing is PREPAREd by name, so a transaction-mode pooler may hand each transaction another connection."""
    todo_list = TodoListFactory()
    TodoFactory(list=todo_list)
    headers = {"HTTP_AUTHORIZATION": f"Token {api_token_create(user=todo_list.owner, name='test').key}"}
    for url in (reverse("api:todolist-list"), reverse("api:todo-list"), reverse("api:order-list")):
        assert client.get(url, **headers).status_code == 200
    client.force_login(todo_list.owner)
    assert client.get(reverse("list_detail", kwargs={"pk": todo_list.pk})).status_code == 200

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] == 0
