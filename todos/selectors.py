"""Reads that several views need. Writes are in todos/services.py."""

from django.core.cache import cache
from django.db.models import Count, Q

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
