"""Reads that several views need. Writes are in todos/services.py."""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, TrigramWordSimilarity
from django.db import connection
from django.db.models import Count, Q

from core.caching import cached, cached_many
from core.search import search_terms
from todos.models import SMART_VIEWS, Label, Todo, TodoList, due_order, search_vector, smart_view_condition

COUNTS_TIMEOUT = 24 * 60 * 60


def todo_lists_attach_counts(*, todo_lists) -> list[TodoList]:
    """Set `total_count` and `open_count` on each list: from the cache, else one grouped query for the rest.

    Counting a list of 100,000 todos takes PostgreSQL milliseconds, and the side column of every list
    page counts all of a person's lists. A list's counts are cached under its `version`, which
    every service that changes them raises in the same transaction, so a stale count is never read:
    the new version misses the cache and is counted afresh (in any process, with or without Redis).
    """
    todo_lists = list(todo_lists)

    def count(missing: list[TodoList]) -> dict[TodoList, tuple[int, int]]:
        rows = (
            Todo.objects.filter(list__in=missing)
            .order_by()
            .values("list_id")
            .annotate(total=Count("id"), open=Count("id", filter=Q(completed=False)))
        )
        counted = {row["list_id"]: (row["total"], row["open"]) for row in rows}
        return {todo_list: counted.get(todo_list.pk, (0, 0)) for todo_list in missing}

    parts_of = {todo_list: (todo_list.pk, todo_list.version) for todo_list in todo_lists}
    counts = cached_many("todolist-counts", parts_of, count, alias="default", timeout=COUNTS_TIMEOUT)
    for todo_list in todo_lists:
        todo_list.total_count, todo_list.open_count = counts[todo_list]
    return todo_lists


def todo_list_page_by_position(*, todo_list: TodoList, offset: int, limit: int):
    """The todos at positions offset..offset+limit-1 of a list, in order: a page of the whole list.

    Positions are dense (0..n-1, kept so by the services), so a page is a range of them and the last
    page of a 100,000-todo list costs what the first does (no OFFSET). The LIMIT matters too: low
    positions occur in every list, and without it PostgreSQL misjudged a huge list's first page as
    most of the list, scanning all of it and sorting (10 ms instead of 0.1 ms at 1e6 todos).
    """
    todos = Todo.objects.filter(list=todo_list, position__gte=offset, position__lt=offset + limit)
    return todos.with_labels().order_by("position", "id")[:limit]


def todo_list_versions(*, owner, list_id: int | None = None) -> list[tuple[int, int]]:
    """(id, version) of each of the owner's lists (or of that one list, if it is theirs), in id order.

    Every write that changes what a list shows raises its version (todos.services.todo_list_touch), so
    these determine any answer made of the owner's lists and todos: they key it in the cache and tag it.
    """
    lists = TodoList.objects.for_owner(owner)
    if list_id is not None:
        lists = lists.filter(pk=list_id)
    return list(lists.order_by("id").values_list("id", "version"))


# Smart views: a person's todos across all their lists (todos.models.smart_view_condition)


def smart_view_todos(*, owner, view: str, today):
    """The owner's todos in smart view `view` on `today` (their local date), in the view's order, with
    their list and labels (two queries for a page, whatever its size)."""
    todos = Todo.objects.for_owner(owner).in_view(view, today)
    return todos.select_related("list").prefetch_related("labels")


def label_todos(*, owner, label: Label):
    """The owner's open todos carrying `label`, in due order, with their list and labels."""
    todos = Todo.objects.for_owner(owner).active().with_label(label).order_by(*due_order())
    return todos.select_related("list").prefetch_related("labels")


def owner_labels(*, owner) -> list[Label]:
    """The owner's labels (id, name and colour), in name order."""
    return list(Label.objects.for_owner(owner).only("id", "name", "colour"))


def smart_view_counts(*, owner, versions, today, zone: str) -> dict[str, int]:
    """{view: how many todos it shows} for each smart view: one query, cached.

    `versions` are the owner's lists' (todo_list_versions), raised by every change to their todos; the
    views change at midnight too, so the local date (and the zone that gives it) key the answer as well.
    """

    def count():
        conditions = {view: Count("pk", filter=smart_view_condition(view, today)) for view in SMART_VIEWS}
        return Todo.objects.for_owner(owner).aggregate(**conditions)

    parts = (owner.pk, versions, today.isoformat(), zone)
    return cached("smart-view-counts", parts, count, alias="default", timeout=COUNTS_TIMEOUT)


def label_open_counts(*, owner, versions, labels) -> dict[int, int]:
    """{label id: its open todos} for the owner's `labels`: one grouped query, cached.

    A change to which todos carry a label, or to their state, raises their lists' versions (todos.services);
    the labels' ids key it too, so a new label is counted.
    """

    if not labels:
        return {}

    def count():
        rows = (
            Todo.objects.for_owner(owner)
            .active()
            .filter(labels__in=labels)
            .order_by()
            .values("labels")
            .annotate(total=Count("pk"))
        )
        return {row["labels"]: row["total"] for row in rows}

    parts = (owner.pk, versions, tuple(label.pk for label in labels))
    return cached("label-open-counts", parts, count, alias="default", timeout=COUNTS_TIMEOUT)


# Search

# Terms shorter than this are not matched by trigram similarity (typos): too few trigrams to tell a typo from
# another word.
TYPO_MIN_LENGTH = 4
# The words PostgreSQL's `english` text search configuration drops (its tsearch_data/english.stop): a term
# that is one of them has no lexeme to match, so full-text search alone would find nothing for "buy the milk".
_STOP_WORDS = (
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers "
    "herself it its itself they them their theirs themselves what which who whom this that these those am is "
    "are was were be been being have has had having do does did doing a an the and but if or because as until "
    "while of at by for with about against between into through during before after above below to from up "
    "down in out on off over under again further then once here there when where why how all any both each "
    "few more most other some such no nor not only own same so than too very s t can will just don should "
    "now"
)
STOP_WORDS = frozenset(_STOP_WORDS.split())


def todo_search(*, owner, query: str, todos=None):
    """The owner's todos (among `todos`, if given) that match every term of `query`, each in its description,
    notes or the name of one of its labels. A ValidationError if the query is out of core.search's bounds.

    On PostgreSQL a term matches a word of description or notes in any of its forms (full-text, English
    stems, through the GIN index of todos.models.search_vector()), a word of description close to it (a
    typo, through the trigram index), or a label name that contains it; the todos come best first (`rank`: the
    full-text rank, description above notes, plus the description's trigram similarity), then by id.
    Stop words and punctuation, which full-text search cannot match, are left out of the terms there ("buy
    the milk" is "buy milk"); a query of nothing else is matched as on SQLite. Elsewhere (SQLite) a term
    matches a description, notes or label name that contains it, ignoring case, and the todos keep the order
    of `todos` (by default list, position, id).

    Without `todos`: with their lists and labels, ready for the search page.
    """
    terms = search_terms(query)
    if todos is None:
        todos = Todo.objects.select_related("list").with_labels().order_by("list_id", "position", "id")
    todos = todos.for_owner(owner)
    if not terms:
        return todos.none()
    words = [term for term in terms if term.lower() not in STOP_WORDS and any(c.isalnum() for c in term)]
    if connection.vendor != "postgresql" or not words:  # no word full-text reads: what contains them, as on SQLite
        for term in terms:
            todos = todos.filter(
                Q(description__icontains=term) | Q(notes__icontains=term) | Q(pk__in=_labelled(owner=owner, term=term))
            )
        return todos
    terms = words  # full-text search leaves stop words and punctuation out of a query, and so do its terms here
    for term in terms:
        todos = todos.filter(pk__in=_postgres_matches(owner=owner, term=term))
    weighted = SearchVector("description", weight="A", config="english") + SearchVector(
        "notes", weight="B", config="english"
    )
    any_term = SearchQuery(terms[0], config="english")
    for term in terms[1:]:
        any_term |= SearchQuery(term, config="english")
    rank = SearchRank(weighted, any_term) + TrigramWordSimilarity(" ".join(terms), "description")
    return todos.annotate(rank=rank).order_by("-rank", "id")


def _labelled(*, owner, term: str):
    """The ids of the todos that carry one of the owner's labels whose name contains `term`."""
    return Todo.labels.through.objects.filter(label__owner=owner, label__name__icontains=term).values("todo_id")


def _postgres_matches(*, owner, term: str):
    """The ids of the owner's todos that `term` matches, as one UNION.

    A UNION, not an OR: the text conditions can then be read from the GIN indexes (a bitmap scan of each,
    OR'd), which a condition on another table (the labels) OR'd with them would rule out. No containment
    on description: Django's `icontains` compares UPPER(description), which the trigram index does not hold.
    """
    text = Q(vector=SearchQuery(term, config="english"))
    if len(term) >= TYPO_MIN_LENGTH:
        text |= Q(description__trigram_word_similar=term)
    matching = Todo.objects.for_owner(owner).annotate(vector=search_vector()).filter(text).order_by().values("pk")
    return matching.union(_labelled(owner=owner, term=term).order_by())
