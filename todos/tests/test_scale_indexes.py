"""Today, Upcoming, a label page and a search read indexes, not every todo, at a million todos (EXPLAIN on PostgreSQL).

A million todos in 10,000 lists of 100, with the skew of real use: the person under test owns 5 lists (500
todos) among 1,981 people; a third of all todos are due within two months either side of today, 40% are
completed, a fifth carry one of their owner's labels, and descriptions and notes draw common and rare words
from a vocabulary with the weights of use; the searched word is in 20 todos. One test per page.

The search is checked twice. For the person under test the planner reads their 500 todos by their lists and
tests each: cheaper than any index of the text, and no sequential scan. The GIN indexes pay off for a heavy
user: the one person with 100 lists (10,000 todos, as the searcher had in the former 100,000-todo test)
gets bitmap scans of `todo_search_vector` and `todo_description_trgm`.

Loading once: pytest-django's database fixtures are per test, so the module-scoped `many_todos` opens its
own transaction on the test database (through `django_db_blocker`), loads the rows, yields, and rolls back
when the module is done; each test's own transaction nests inside it as a savepoint, and no row outlives
the module. The loading follows PostgreSQL's advice for populating a database: the todos are streamed with
COPY, their secondary indexes are dropped first and built again afterwards from their own definitions
(`pg_get_indexdef`: exactly what the migrations created; the rollback restores the originals), the foreign
keys are checked as rows arrive (`SET CONSTRAINTS ALL IMMEDIATE`: deferred, a million checks at once hit
the statement timeout), and the tables are analysed. The statement timeout (DJANGO_DB_STATEMENT_TIMEOUT) is
lifted for the loading only; the EXPLAINs run under it.

SQLite's planner and EXPLAIN output differ; CI's PostgreSQL pass runs these.
"""

import datetime
import io
import itertools
import random
import re
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Min

from todos import selectors
from todos.models import Label, Todo, TodoList
from todos.tests import test_indexes

pytestmark = test_indexes.pytestmark  # database access, on PostgreSQL only

# 1,980 people with 5 lists and one more with 100, each list of 100 todos: 1,000,000 todos.
PEOPLE, LISTS_EACH, HEAVY_LISTS, TODOS_EACH, LABELS_EACH = 1_980, 5, 100, 100, 10
TODAY = datetime.date(2026, 12, 5)
PAGE = 100
CREATED = "2026-12-01T00:00:00+00:00"
RARE_WORD, RARE_TODOS = "zeppelin", 20
SEQ_SCAN_ON_TODOS = re.compile(r"Seq Scan on todos_todo(_labels)? ")

# Most todos say a few everyday words; a long tail says rarer ones (weights ~ 1/rank, as words are used).
VERBS = "buy call email fix clean book pay plan read write order send check water walk cook renew return pick"
NOUNS = (
    "milk bread eggs groceries mum dad dentist doctor car bike rent bills invoice report slides tickets flights "
    "hotel garden plants dog cat laundry kitchen bathroom passport insurance taxes gift birthday party presents "
    "library books letter parcel printer laptop phone charger shoes jacket curtains paint shelf lamp boiler "
    "plumber electrician mortgage pension budget receipts vaccine prescription glasses haircut recipe dinner "
    "lunch picnic camping tent train bus visa embassy conference keynote workshop newsletter podcast backup"
)
NOTE_WORDS = (
    "before friday ask about the price and bring receipt remember code is on the fridge call back tomorrow "
    "morning only if it rains otherwise next week check the website for opening hours compare two offers"
)


def _zipf(text: str, rng, k: int) -> list[str]:
    """`k` words of `text`, drawn with the weights of use."""
    words = text.split()
    return rng.choices(words, weights=[1 / rank for rank in range(1, len(words) + 1)], k=k)


def _copy(table: str, columns: str, lines) -> None:
    """COPY `lines` into `table`, 100,000 to a statement."""
    sql = f"COPY {table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor:
        lines = iter(lines)
        while chunk := "".join(itertools.islice(lines, 100_000)):
            cursor.copy_expert(sql, io.StringIO(chunk))


def _todo_lines(list_ids, rng):
    """One COPY line per todo: its list, words, state, position and (for a third) a due date near TODAY."""
    count = len(list_ids) * TODOS_EACH
    verbs, nouns = _zipf(VERBS, rng, count), _zipf(NOUNS, rng, count)
    note_lengths = rng.choices(range(8), weights=[85, 0, 0, 3, 3, 3, 3, 3], k=count)  # 85% without notes
    note_words = iter(_zipf(NOTE_WORDS, rng, sum(note_lengths)))
    states = rng.choices(("f\t\\N", f"t\t{CREATED}"), weights=(60, 40), k=count)
    dates = [(TODAY + datetime.timedelta(days=offset)).isoformat() for offset in range(-60, 61)]
    dues = rng.choices([*dates, "\\N"], weights=[*[1] * len(dates), 2 * len(dates)], k=count)
    for n, list_id in enumerate(list_id for list_id in list_ids for _ in range(TODOS_EACH)):
        notes = " ".join(itertools.islice(note_words, note_lengths[n]))
        position = n % TODOS_EACH
        description = f"{verbs[n]} {nouns[n]}"
        yield f"{list_id}\t{description}\t{states[n]}\t{position}\t{dues[n]}\tnone\t{notes}\t{CREATED}\t{CREATED}\n"


def _secondary_indexes(tables) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of each index on `tables` that no constraint owns."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index"
            " WHERE indrelid = ANY(%s::regclass[])"
            " AND NOT EXISTS (SELECT FROM pg_constraint WHERE conindid = indexrelid)",
            [list(tables)],
        )
        return cursor.fetchall()


@dataclass
class Loaded:
    owner: object  # 5 lists of 100 todos
    heavy: object  # 100 lists of 100 todos
    label: Label  # one of the owner's, on 50 of their todos


@pytest.fixture(scope="module")
def many_todos(django_db_setup, django_db_blocker):
    """The million todos, indexed and analysed, for the whole module; rolled back after its last test."""
    rng = random.Random(7)
    with django_db_blocker.unblock(), transaction.atomic():
        tables = [Todo._meta.db_table, Todo.labels.through._meta.db_table]
        indexes = _secondary_indexes(tables)
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")  # GIN builds in far fewer passes
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for name, _ in indexes:
                cursor.execute(f"DROP INDEX {name}")
        User = get_user_model()
        people = User.objects.bulk_create(User(username=f"scale{n}", password="!") for n in range(PEOPLE + 1))
        owner, heavy = people[-2], people[-1]
        lists = TodoList.objects.bulk_create(
            TodoList(owner=person, name=f"List {n}")
            for person in people
            for n in range(HEAVY_LISTS if person is heavy else LISTS_EACH)
        )
        labels = Label.objects.bulk_create(
            Label(owner=person, name=f"label {n}") for person in people for n in range(LABELS_EACH)
        )
        columns = (
            "list_id, description, completed, completed_at, position, due_date, priority, notes, created_at, updated_at"
        )
        _copy(Todo._meta.db_table, columns, _todo_lines([item.pk for item in lists], rng))
        first = Todo.objects.aggregate(first=Min("id"))["first"]
        # COPY in one session takes ids in order: todo n is number n % TODOS_EACH of lists[n // TODOS_EACH].
        owner_first = first + (PEOPLE - 1) * LISTS_EACH * TODOS_EACH
        heavy_first = owner_first + LISTS_EACH * TODOS_EACH
        rare = [owner_first + 250, heavy_first + 5_000, *rng.sample(range(first, owner_first), RARE_TODOS - 2)]
        Todo.objects.filter(pk__in=rare).update(notes=f"{RARE_WORD} tickets")
        index_of = {person.pk: n for n, person in enumerate(people)}
        labels_of = [
            labels[index_of[item.owner_id] * LABELS_EACH : (index_of[item.owner_id] + 1) * LABELS_EACH]
            for item in lists
        ]
        links = (
            f"{first + n}\t{rng.choice(labels_of[n // TODOS_EACH]).pk}\n"
            for n in range(len(lists) * TODOS_EACH)
            if rng.random() < 0.2
        )
        _copy(Todo.labels.through._meta.db_table, "todo_id, label_id", links)
        label = labels[(PEOPLE - 1) * LABELS_EACH]
        Todo.labels.through.objects.bulk_create(
            [
                Todo.labels.through(todo_id=todo_id, label_id=label.pk)
                for todo_id in range(owner_first, heavy_first, LISTS_EACH * TODOS_EACH // 50)
            ],
            ignore_conflicts=True,
        )
        with connection.cursor() as cursor:
            for _, definition in indexes:
                cursor.execute(definition)
            for model in (TodoList, Todo, Todo.labels.through, Label):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
            cursor.execute("SET LOCAL statement_timeout TO DEFAULT")  # the EXPLAINs run under the app's limit
        yield Loaded(owner=owner, heavy=heavy, label=label)
        transaction.set_rollback(True)


def plan_of(todos) -> str:
    """The plan of a page of `todos`, as the pages ask for it."""
    return todos[:PAGE].explain()


def test_the_million_todos_are_there(many_todos):
    assert Todo.objects.count() == 1_000_000
    assert Todo.objects.for_owner(many_todos.owner).count() == LISTS_EACH * TODOS_EACH


def test_today_reads_the_owners_open_dated_todos_by_todo_list_due_open(many_todos):
    plan = plan_of(selectors.smart_view_todos(owner=many_todos.owner, view="today", today=TODAY))

    assert "todolist_owner_created" in plan, plan
    assert "todo_list_due_open" in plan, plan
    assert not SEQ_SCAN_ON_TODOS.search(plan), plan


def test_upcoming_reads_the_owners_open_dated_todos_by_todo_list_due_open(many_todos):
    plan = plan_of(selectors.smart_view_todos(owner=many_todos.owner, view="upcoming", today=TODAY))

    assert "todolist_owner_created" in plan, plan
    assert "todo_list_due_open" in plan, plan
    assert not SEQ_SCAN_ON_TODOS.search(plan), plan


def test_a_label_page_reads_the_label_links_by_index(many_todos):
    plan = plan_of(selectors.label_todos(owner=many_todos.owner, label=many_todos.label))

    assert "todos_todo_labels_label_id" in plan, plan
    assert not SEQ_SCAN_ON_TODOS.search(plan), plan


def test_a_search_by_someone_with_few_todos_reads_their_lists_todos_by_index(many_todos):
    """Five hundred todos: the planner reads them by the owner's lists and tests each; no sequential scan."""
    plan = selectors.todo_search(owner=many_todos.owner, query=RARE_WORD).explain()

    assert "todolist_owner_created" in plan, plan
    assert not SEQ_SCAN_ON_TODOS.search(plan), plan


def test_a_search_for_a_rare_word_reads_the_gin_indexes_not_every_todo(many_todos):
    """A rare word, searched by someone with many todos: bitmap scans of the search indexes, no sequential scan."""
    plan = selectors.todo_search(owner=many_todos.heavy, query=RARE_WORD).explain()

    assert "Bitmap Index Scan on todo_search_vector" in plan, plan
    assert "Bitmap Index Scan on todo_description_trgm" in plan, plan
    assert not SEQ_SCAN_ON_TODOS.search(plan), plan
