"""Reads that several views need. Writes are in todos/services.py."""

from functools import cache as memoize

from django.core.cache import cache
from django.db.models import Count, Q

from todoproject.sql import Statement
from todos.models import Todo, TodoList

COUNTS_TIMEOUT = 24 * 60 * 60


def _counts_key(todo_list: TodoList) -> str:
    return f"todolist-counts:{todo_list.pk}:{todo_list.version}"


def todo_lists_attach_counts(*, todo_lists) -> list[TodoList]:
    """Set `total_count` and `open_count` on each list: from the cache, else one grouped query for the rest.

    Counting a list of 100,000 todos takes PostgreSQL milliseconds, and the side column of every list
    page counts all of a person's lists. A list's counts are cached under its `version`, which
    every service that changes them raises in the same transaction, so a stale count is never read:
    the new version misses the cache and is counted afresh (in any process, with or without Redis).
    """
    todo_lists = list(todo_lists)
    keyed = {_counts_key(todo_list): todo_list for todo_list in todo_lists}
    counts = cache.get_many(list(keyed))
    missing = [todo_list for key, todo_list in keyed.items() if key not in counts]
    if missing:
        rows = (
            Todo.objects.filter(list__in=missing)
            .order_by()
            .values("list_id")
            .annotate(total=Count("id"), open=Count("id", filter=Q(completed=False)))
        )
        counted = {row["list_id"]: (row["total"], row["open"]) for row in rows}
        fresh = {_counts_key(todo_list): counted.get(todo_list.pk, (0, 0)) for todo_list in missing}
        cache.set_many(fresh, timeout=COUNTS_TIMEOUT)
        counts.update(fresh)
    for key, todo_list in keyed.items():
        todo_list.total_count, todo_list.open_count = counts[key]
    return todo_lists


def todo_list_page_by_position(*, todo_list: TodoList, offset: int, limit: int):
    """The todos at positions offset..offset+limit-1 of a list, in order: a page of the whole list.

    Positions are dense (0..n-1, kept so by the services), so a page is a range of them and the last
    page of a 100,000-todo list costs what the first does (no OFFSET). The LIMIT matters too: low
    positions occur in every list, and without it PostgreSQL misjudged a huge list's first page as
    most of the list, scanning all of it and sorting (10 ms instead of 0.1 ms at 1e6 todos).
    """
    todos = Todo.objects.filter(list=todo_list, position__gte=offset, position__lt=offset + limit)
    return todos.order_by("position", "id")[:limit]


# The reads behind nearly every API request, as statements written once in SQL (todoproject/sql.py):
# the ORM spent longer building these queries than PostgreSQL spent running them.

MAX_POSITION = 2**31 - 1  # Todo.position is an integer column
TODO_ROW_FIELDS = ("id", "list_id", "description", "completed", "position", "created_at", "updated_at")
LIST_ROW_FIELDS = ("id", "name", "share_token", "version", "created_at", "updated_at")


def todo_page_rows(*, list_id: int, owner_id: int, offset: int, limit: int) -> list[tuple]:
    """Positions offset..offset+limit-1 of the owner's list, in order: TODO_ROW_FIELDS, then the list's version.

    Positions are dense (see todo_list_page_by_position), so this is a page of the whole list.
    """
    return _todo_page().rows([list_id, owner_id, offset, offset + limit, limit])


def todo_list_version(*, list_id: int, owner_id: int) -> int | None:
    """The list's version, or None when the owner has no such list."""
    rows = _todo_list_version().rows([list_id, owner_id])
    return rows[0][0] if rows else None


def todo_lists_first(*, owner_id: int, limit: int) -> list[TodoList]:
    """The owner's first `limit` lists in the API's order (created_at, id), with LIST_ROW_FIELDS only."""
    return _todo_lists_first().instances([owner_id, limit])


def todo_of_owner(*, todo_id: int, owner_id: int) -> Todo | None:
    """The todo, or None when it is not in one of the owner's lists."""
    todos = _todo_of_owner().instances([todo_id, owner_id])
    return todos[0] if todos else None


def _fields(model, names):
    return [model._meta.get_field(name) for name in names]


@memoize
def _todo_page() -> Statement:
    return Statement(
        """
        SELECT todos_todo.id, todos_todo.list_id, todos_todo.description, todos_todo.completed,
               todos_todo.position, todos_todo.created_at, todos_todo.updated_at, todos_todolist.version
        FROM todos_todo INNER JOIN todos_todolist ON todos_todolist.id = todos_todo.list_id
        WHERE todos_todo.list_id = %s AND todos_todolist.owner_id = %s
          AND todos_todo.position >= %s AND todos_todo.position < %s
        ORDER BY todos_todo.position, todos_todo.id
        LIMIT %s
        """,
        [*_fields(Todo, TODO_ROW_FIELDS), TodoList._meta.get_field("version")],
    )


@memoize
def _todo_list_version() -> Statement:
    return Statement(
        "SELECT version FROM todos_todolist WHERE id = %s AND owner_id = %s", _fields(TodoList, ["version"])
    )


@memoize
def _todo_lists_first() -> Statement:
    return Statement(
        """
        SELECT id, name, share_token, version, created_at, updated_at FROM todos_todolist
        WHERE owner_id = %s ORDER BY created_at, id LIMIT %s
        """,
        _fields(TodoList, LIST_ROW_FIELDS),
    )


@memoize
def _todo_of_owner() -> Statement:
    return Statement(
        """
        SELECT todos_todo.id, todos_todo.list_id, todos_todo.description, todos_todo.completed,
               todos_todo.position, todos_todo.created_at, todos_todo.updated_at
        FROM todos_todo INNER JOIN todos_todolist ON todos_todolist.id = todos_todo.list_id
        WHERE todos_todo.id = %s AND todos_todolist.owner_id = %s
        """,
        _fields(Todo, TODO_ROW_FIELDS),
    )
