"""The app's hot queries use the indexes declared in todos/models.py, shown with EXPLAIN on PostgreSQL.

The queries are the ones the pages and the API issue: a page of a list's todos, a page of an owner's
lists, the count of a list's active todos ("N items left"). These failed while the foreign keys had their
own single-column indexes (PostgreSQL read those and sorted); migration 0008 dropped them. The smart views,
label pages and search are checked at a million todos in test_scale_indexes.py.
SQLite's planner and EXPLAIN output differ; CI's PostgreSQL pass runs these.
"""

import datetime
import random

import pytest
from django.db import connection
from django.utils import timezone

from todos import selectors
from todos.models import Todo, TodoList
from todos.tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="EXPLAIN plans are checked on PostgreSQL only (CI's PostgreSQL pass runs them)",
    ),
]

USERS, LISTS_PER_USER, TODOS_PER_LIST = 40, 25, 10  # background: 1,000 lists, 10,000 todos
OWNER_LISTS, LIST_TODOS = 60, 150  # the owner and the list under test
TODOS_PAGE, LISTS_PAGE = 50, 20


def todo(todo_list, description, position, *, completed):
    completed_at = timezone.now() if completed else None
    return Todo(
        list=todo_list, description=description, position=position, completed=completed, completed_at=completed_at
    )


@pytest.fixture
def populated():
    """Enough rows for the planner to prefer an index to a sequential scan, with fresh statistics."""
    rng = random.Random(1)
    users = [UserFactory(username=f"owner{i}") for i in range(USERS)]
    owner = UserFactory(username="owner-under-test")
    lists = TodoList.objects.bulk_create(
        [TodoList(owner=user, name=f"List {n}") for user in users for n in range(LISTS_PER_USER)]
        + [TodoList(owner=owner, name=f"Mine {n}") for n in range(OWNER_LISTS)]
    )
    todo_list = lists[-1]
    Todo.objects.bulk_create(
        [
            todo(other, f"Todo {position}", position, completed=rng.random() < 0.4)
            for other in lists[:-OWNER_LISTS]
            for position in range(TODOS_PER_LIST)
        ]
        + [
            todo(todo_list, f"Mine {position}", position, completed=rng.random() < 0.4)
            for position in range(LIST_TODOS)
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {TodoList._meta.db_table}")
        cursor.execute(f"ANALYZE {Todo._meta.db_table}")
    return owner, todo_list


def explain(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_a_page_of_a_lists_todos_uses_todo_list_position(populated):
    _, todo_list = populated

    plan = Todo.objects.filter(list=todo_list).order_by("position", "id")[:TODOS_PAGE].explain()

    assert "todo_list_position" in plan, plan
    assert "Sort" not in plan, plan


def test_the_first_page_of_a_huge_list_reads_the_position_index_not_the_whole_list():
    """Low positions occur in every list: without a LIMIT the planner took a huge list's first page for most of it."""
    owner = UserFactory(username="huge-owner")
    small_lists = TodoList.objects.bulk_create(TodoList(owner=owner, name=f"Small {n}") for n in range(1000))
    huge = TodoList.objects.create(owner=owner, name="Huge")
    Todo.objects.bulk_create(
        [Todo(list=small, description="x", position=p) for small in small_lists for p in range(100)]
        + [todo(huge, "y", p, completed=p % 2 == 0) for p in range(10_000)],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Todo._meta.db_table}")

    plan = selectors.todo_list_page_by_position(todo_list=huge, offset=0, limit=100).explain()

    assert "todo_list_position" in plan, plan
    assert "Sort" not in plan, plan
    assert "Bitmap" not in plan, plan


def test_a_page_of_an_owners_lists_uses_todolist_owner_created(populated):
    owner, _ = populated

    plan = TodoList.objects.for_owner(owner).order_by("created_at", "id")[:LISTS_PAGE].explain()

    assert "todolist_owner_created" in plan, plan
    assert "Sort" not in plan, plan


def test_counting_a_lists_active_todos_uses_todo_list_completed(populated):
    _, todo_list = populated
    query = Todo.objects.filter(list=todo_list).active().order_by().values("pk").query
    sql, params = query.sql_with_params()

    plan = explain(f"SELECT COUNT(*) FROM ({sql}) AS active", params)

    assert "todo_list_completed" in plan, plan


def test_a_lists_overdue_todos_use_todo_list_due_open(populated):
    _, todo_list = populated
    Todo.objects.filter(list=todo_list, completed=False, position__lt=20).update(due_date=datetime.date(2026, 3, 1))
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Todo._meta.db_table}")

    plan = Todo.objects.filter(list=todo_list).overdue(datetime.date(2026, 3, 10)).order_by("due_date").explain()

    assert "todo_list_due_open" in plan, plan
