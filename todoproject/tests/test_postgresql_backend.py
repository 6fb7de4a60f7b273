"""The PostgreSQL health check (todoproject/postgresql/base.py): no query while alive, a dead connection replaced."""

import time

import psycopg2
import pytest
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the health check is PostgreSQL's")


def outside():
    """A psycopg2 connection of its own, to look at (or end) Django's connection from the server side."""
    outside = psycopg2.connect(**connection.get_connection_params())
    outside.autocommit = True
    return outside


def last_statement(pid: int) -> str:
    with outside() as other, other.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0]


def test_a_live_connection_is_usable_without_a_query():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'the last statement'")
    pid = connection.connection.info.backend_pid
    assert connection.is_usable()
    assert last_statement(pid) == "SELECT 'the last statement'"  # Django's own check sends SELECT 1


def test_a_connection_the_server_ended_is_unusable_and_replaced_before_the_next_query():
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

    # What a request's first query does with CONN_HEALTH_CHECKS: check, reconnect, then run.
    connection.health_check_enabled, connection.health_check_done = True, False
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


def prepared_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {row[0] for row in cursor.fetchall()}


def test_a_statement_is_prepared_once_per_connection_and_again_after_a_reconnect():
    from todoproject.sql import Statement

    statement = Statement("SELECT %s + 1, %s", [])
    assert statement.rows([1, "a"]) == [(2, "a")]
    assert statement.name in prepared_names()
    assert statement.rows([41, "b"]) == [(42, "b")]  # EXECUTE of the prepared statement

    connection.close()  # e.g. CONN_MAX_AGE reached, or the server restarted

    assert statement.rows([2, "c"]) == [(3, "c")]
    assert statement.name in prepared_names()
