"""Reference endpoint: the API's page of todos as a minimal Django view (values() and JsonResponse).

It runs through the full middleware stack but skips authentication, serializers and DRF: an upper
bound for what the app's `GET /api/todos/?list=..&page_size=..` can reach in Django.
"""

from http import HTTPStatus

from django.http import JsonResponse

from todos.models import Label, Todo

FIELDS = (
    "id", "list", "description", "completed", "completed_at", "position", "due_date", "due_time", "priority", "notes",
    "created_at", "updated_at",
)  # fmt: skip
MAX_PAGE_SIZE = 100


def todos_page(request):
    """Answer DRF's envelope {count, next, previous, results} for one page of a list's todos."""
    try:
        list_id = int(request.GET["list"])
        page = max(1, int(request.GET.get("page", 1)))
        page_size = min(MAX_PAGE_SIZE, max(1, int(request.GET.get("page_size", 20))))
    except (KeyError, ValueError):
        return JsonResponse({"detail": "Give ?list=<id>, optional page and page_size."}, status=HTTPStatus.BAD_REQUEST)
    todos = Todo.objects.filter(list_id=list_id).order_by("position", "id")
    count = todos.count()
    offset = (page - 1) * page_size
    results = list(todos.values(*FIELDS)[offset : offset + page_size])
    labels = {todo["id"]: [] for todo in results}
    rows = Label.objects.filter(todos__in=list(labels)).order_by("name", "id").values("todos", "id", "name", "colour")
    for row in rows:
        labels[row.pop("todos")].append(row)
    for todo in results:
        todo["labels"] = labels[todo["id"]]

    def link(number):
        return request.build_absolute_uri(f"?list={list_id}&page={number}&page_size={page_size}")

    return JsonResponse(
        {
            "count": count,
            "next": link(page + 1) if offset + page_size < count else None,
            "previous": link(page - 1) if page > 1 else None,
            "results": results,
        }
    )
