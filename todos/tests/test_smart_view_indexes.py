"""The smart views read indexes, not the whole todo table, at many todos (EXPLAIN on PostgreSQL).

A quarter of a million todos of 500 people (2,500 lists) are streamed in with COPY, a third of them due
within two months either side of today and 40% completed; a fifth carry one of their owner's labels. The
person under test has 5 of the lists and one label on 50 of their todos. SQLite's planner and EXPLAIN
output differ; CI's PostgreSQL pass runs these.
"""

import datetime
import io
import itertools
import random
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Min

from todos import selectors
from todos.models import Label, Todo, TodoList

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="EXPLAIN plans are checked on PostgreSQL only (CI's PostgreSQL pass runs them)",
    ),
]

# 250,000 todos: a million took over 20 s to load and check here. Each person's share (and so what the
# planner estimates for one person's todos) is as it is at a million; only the number of people differs.
PEOPLE, LISTS_EACH, TODOS_EACH, LABELS_EACH = 500, 5, 100, 10
TODAY = datetime.date(2026, 12, 5)
PAGE = 100
CREATED = "2026-12-01T00:00:00+00:00"
SEQ_SCAN_ON_TODOS = re.compile(r"Seq Scan on todos_todo(_labels)? ")


def _copy(table: str, columns: str, lines) -> None:
    """COPY `lines` into `table`, 100,000 to a statement (each well within the statement timeout)."""
    sql = f"COPY {table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor:
        lines = iter(lines)
        while chunk := "".join(itertools.islice(lines, 100_000)):
            cursor.copy_expert(sql, io.StringIO(chunk))


def _todo_lines(list_ids, rng):
    """One COPY line per todo: its list, state, position and (for a third) a due date near TODAY."""
    for list_id in list_ids:
        for position in range(TODOS_EACH):
            completed = rng.random() < 0.4
            due = TODAY + datetime.timedelta(days=rng.randint(-60, 60)) if rng.random() < 0.33 else None
            done = f"t\t{CREATED}" if completed else "f\t\\N"
            due_text = due.isoformat() if due else "\\N"
            yield f"{list_id}\tTodo {position}\t{done}\t{position}\t{due_text}\tnone\t\t{CREATED}\t{CREATED}\n"


@pytest.fixture
def many_todos():
    """The todos, with fresh statistics; answers the person under test and their label."""
    rng = random.Random(7)
    with connection.cursor() as cursor:  # check the foreign keys as rows arrive, not all at the test's end
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    User = get_user_model()
    people = User.objects.bulk_create(User(username=f"smart{n}", password="!") for n in range(PEOPLE))
    owner = people[-1]
    lists = TodoList.objects.bulk_create(
        TodoList(owner=person, name=f"List {n}") for person in people for n in range(LISTS_EACH)
    )
    labels = Label.objects.bulk_create(
        Label(owner=person, name=f"label {n}") for person in people for n in range(LABELS_EACH)
    )
    columns = (
        "list_id, description, completed, completed_at, position, due_date, priority, notes, created_at, updated_at"
    )
    _copy(Todo._meta.db_table, columns, _todo_lines([item.pk for item in lists], rng))
    first = Todo.objects.aggregate(first=Min("id"))["first"]
    # COPY in one session takes ids in order: todo n of the lists above has id first + n.
    labels_of = [labels[person * LABELS_EACH : (person + 1) * LABELS_EACH] for person in range(PEOPLE)]
    per_person = LISTS_EACH * TODOS_EACH
    links = (
        f"{first + n}\t{rng.choice(labels_of[n // per_person]).pk}\n"
        for n in range(PEOPLE * per_person)
        if rng.random() < 0.2
    )
    _copy(Todo.labels.through._meta.db_table, "todo_id, label_id", links)
    label = labels_of[-1][0]
    owner_todos = range(first + (PEOPLE - 1) * per_person, first + PEOPLE * per_person, per_person // 50)
    Todo.labels.through.objects.bulk_create(
        [Todo.labels.through(todo_id=todo_id, label_id=label.pk) for todo_id in owner_todos], ignore_conflicts=True
    )
    with connection.cursor() as cursor:
        for model in (TodoList, Todo, Todo.labels.through, Label):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    return owner, label


def plan_of(todos) -> str:
    """The plan of a page of `todos`, as the smart view pages ask for it."""
    return todos[:PAGE].explain()


def test_today_upcoming_and_a_label_page_read_indexes_at_many_todos(many_todos):
    owner, label = many_todos
    assert Todo.objects.count() == PEOPLE * LISTS_EACH * TODOS_EACH

    today = plan_of(selectors.smart_view_todos(owner=owner, view="today", today=TODAY))
    upcoming = plan_of(selectors.smart_view_todos(owner=owner, view="upcoming", today=TODAY))
    labelled = plan_of(selectors.label_todos(owner=owner, label=label))

    assert "todo_list_due_open" in today, today
    assert not SEQ_SCAN_ON_TODOS.search(today), today
    assert "todo_list_due_open" in upcoming, upcoming
    assert not SEQ_SCAN_ON_TODOS.search(upcoming), upcoming
    assert not SEQ_SCAN_ON_TODOS.search(labelled), labelled
