"""REST API viewsets for lists and todos: scoped to the requesting user, writes through todos.services."""

from django.core.cache import caches
from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from core.api import ConditionalWriteMixin, LocationMixin, ValuesListMixin, iso_datetime
from core.caching import cache_key
from core.schema import IDEMPOTENCY_ERRORS, IDEMPOTENCY_KEY, IF_MATCH, PRECONDITION_FAILED
from todos import selectors, services
from todos.filters import MAX_ID, ListTodoFilter, TodoFilter
from todos.models import Todo, TodoList
from todos.serializers import (
    BulkCompletedSerializer,
    CountSerializer,
    ListTodoSerializer,
    TodoListSerializer,
    TodoSerializer,
)

# Documented on every operation that needs a login; 400/404 are added where they can happen.
ERRORS = {
    401: OpenApiResponse(description="Not authenticated."),
    403: OpenApiResponse(description="Authenticated but not allowed (e.g. a session write without CSRF token)."),
}
NOT_FOUND = {404: OpenApiResponse(description="No such object among yours.")}
BAD_INPUT = {400: OpenApiResponse(description="Invalid input; the body maps each field to its messages.")}

# The columns of a todo in list answers (ValuesListMixin), keyed as TodoSerializer names them.
TODO_COLUMNS = {
    "id": "id",
    "list": "list_id",
    "description": "description",
    "completed": "completed",
    "position": "position",
    "created_at": "created_at",
    "updated_at": "updated_at",
}


class ListPageMixin:
    """Answer the commonest list request, a page of one list in list order, in one query instead of three.

    The generic path (ValuesListMixin) runs the filter backends, then the page query, then a COUNT
    (about half of such a request's time). A request with nothing but the list and `page`/`page_size`
    needs none of that: positions are dense (0..n-1, kept so by todos.services), so the page is a
    range of positions, read with the list's `version` in one statement written in SQL (the ORM took
    longer to build it than PostgreSQL to run it; see todoproject/sql.py), and the count comes from
    the cached list counts (todos.selectors) for that version. The answer itself is then kept in
    the process's "pages" cache under the list's version and the URL: asked again before the list
    changes, it costs the version's lookup only. Anything else, or a page that finds no rows (an
    empty list, a page past the end, someone else's list), takes the generic path, so errors and
    empty answers are exactly as before; tests compare both paths' JSON.
    """

    def one_list_page(self, request, list_id: int, *, version: int | None = None, other_params: set[str] = frozenset()):
        """The answer, or None for the generic path. `version`: the list's, when the caller has read the list."""
        params = request.query_params
        if set(params) - {"page", "page_size", *other_params} or any(len(params.getlist(key)) > 1 for key in params):
            return None
        page = params.get("page", "1")
        if not page.isdigit() or int(page) > selectors.MAX_POSITION:
            return None
        number, size = int(page), self.paginator.get_page_size(request)
        offset = (number - 1) * size
        if number < 1 or offset > selectors.MAX_POSITION:
            return None
        if version is None:
            version = selectors.todo_list_version(list_id=list_id, owner_id=request.user.pk)
            if version is None:
                return None
        # The answer is a function of the list's version and the URL (its links are absolute).
        key = cache_key("api-list-page", list_id, version, request.build_absolute_uri())
        if (data := caches["pages"].get(key)) is not None:
            return Response(data)
        rows = selectors.todo_page_rows(list_id=list_id, owner_id=request.user.pk, offset=offset, limit=size)
        if not rows:
            return None
        todo_list = TodoList(pk=list_id, version=rows[0][-1])
        selectors.todo_lists_attach_counts(todo_lists=[todo_list])
        self.paginator.use_page(request, rows, number=number, size=size, count=todo_list.total_count)
        # The statement's columns are TODO_COLUMNS in order, then the version (not shown).
        response = self.get_paginated_response([self.tuple_representation(row[:-1]) for row in rows])
        if todo_list.version == version:  # no write came in between the two statements
            caches["pages"].set(key, response.data)
        return response

    def tuple_representation(self, row: tuple) -> dict:
        data = dict(zip(self.list_fields, row, strict=True))
        for key in self.datetime_fields:
            data[key] = iso_datetime(data[key])
        return data


@extend_schema_view(
    list=extend_schema(responses={200: TodoListSerializer(many=True), **ERRORS}),
    create=extend_schema(
        parameters=[IDEMPOTENCY_KEY], responses={201: TodoListSerializer, **BAD_INPUT, **ERRORS, **IDEMPOTENCY_ERRORS}
    ),
    retrieve=extend_schema(responses={200: TodoListSerializer, **ERRORS, **NOT_FOUND}),
    update=extend_schema(
        parameters=[IF_MATCH],
        responses={200: TodoListSerializer, **BAD_INPUT, **ERRORS, **NOT_FOUND, **PRECONDITION_FAILED},
    ),
    partial_update=extend_schema(
        parameters=[IF_MATCH],
        responses={200: TodoListSerializer, **BAD_INPUT, **ERRORS, **NOT_FOUND, **PRECONDITION_FAILED},
    ),
    destroy=extend_schema(parameters=[IF_MATCH], responses={204: None, **ERRORS, **NOT_FOUND, **PRECONDITION_FAILED}),
)
class TodoListViewSet(ConditionalWriteMixin, LocationMixin, viewsets.ModelViewSet):
    """My todo lists, with open/total counts; PATCH `{"shared": true}` gives one a public Todo-Backend URL."""

    def get_view_name(self):
        """The browsable API's page title: the collection's name, or one item's (an extra action names itself)."""
        return self.name or ("Todo list" if self.detail else "My todo lists")

    serializer_class = TodoListSerializer
    search_fields = ["name"]
    ordering_fields = ["name", "created_at", "updated_at"]
    lookup_value_regex = "[0-9]+"
    location_route = "api:todolist-detail"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation runs without a user
            return TodoList.objects.none()
        return TodoList.objects.for_owner(self.request.user).order_by("created_at", "id")

    # The counts come from todos.selectors (cached per list version), for the page or the one list shown.

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else selectors.todo_lists_attach_counts(todo_lists=page)

    def get_object(self):
        return selectors.todo_lists_attach_counts(todo_lists=[super().get_object()])[0]

    def list(self, request, *args, **kwargs):
        """A page of lists written directly, not through TodoListSerializer's fields (~a fifth of the request).

        The same JSON (a test compares them); the serializer still defines the schema and the other answers.
        """
        page = self.whole_first_page(request)
        if page is None:
            page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        share_url = TodoListSerializer(context=self.get_serializer_context()).get_share_url
        return self.get_paginated_response(
            [
                {
                    "id": todo_list.pk,
                    "name": todo_list.name,
                    "total_count": todo_list.total_count,
                    "open_count": todo_list.open_count,
                    "is_complete": todo_list.is_complete,
                    "shared": todo_list.share_token is not None,
                    "share_url": share_url(todo_list),
                    "created_at": iso_datetime(todo_list.created_at),
                    "updated_at": iso_datetime(todo_list.updated_at),
                }
                for todo_list in page
            ]
        )

    def whole_first_page(self, request) -> "list[TodoList] | None":  # (`list` here is the method above)
        """All of a person's lists, when they fit on the first page and nothing is filtered: one statement.

        Most people have fewer lists than a page holds, and `GET /api/lists/` then needs no filter
        backends, no COUNT (the rows are all of them) and no ORM: the statement is written in SQL
        (todoproject/sql.py). Otherwise None, and the generic path answers.
        """
        params = request.query_params
        if set(params) - {"page", "page_size"} or params.get("page", "1") != "1" or len(params.getlist("page")) > 1:
            return None
        size = self.paginator.get_page_size(request)
        todo_lists = selectors.todo_lists_first(owner_id=request.user.pk, limit=size + 1)
        if len(todo_lists) > size:  # more than a page: the generic path pages them (and counts them)
            return None
        self.paginator.use_page(request, todo_lists, number=1, size=size, count=len(todo_lists))
        return selectors.todo_lists_attach_counts(todo_lists=todo_lists)

    @transaction.atomic
    def perform_create(self, serializer):
        todo_list = services.todo_list_create(owner=self.request.user, name=serializer.validated_data["name"])
        services.todo_list_update(todo_list=todo_list, shared=serializer.validated_data.get("shared"))
        todo_list.total_count = todo_list.open_count = 0  # a new list is empty: no query for the counts
        serializer.instance = todo_list

    def perform_update(self, serializer):
        services.todo_list_update(
            todo_list=serializer.instance,
            name=serializer.validated_data.get("name"),
            shared=serializer.validated_data.get("shared"),
        )

    def perform_destroy(self, instance):
        services.todo_list_delete(todo_list=instance)


@extend_schema(parameters=[OpenApiParameter("list_pk", int, OpenApiParameter.PATH, description="One of your lists.")])
@extend_schema_view(
    list=extend_schema(responses={200: ListTodoSerializer(many=True), **ERRORS, **NOT_FOUND}),
    create=extend_schema(
        parameters=[IDEMPOTENCY_KEY],
        responses={201: ListTodoSerializer, **BAD_INPUT, **ERRORS, **NOT_FOUND, **IDEMPOTENCY_ERRORS},
    ),
)
class ListTodoViewSet(
    ListPageMixin,
    ValuesListMixin,
    LocationMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The todos of one of my lists, plus bulk PATCH (complete/reopen all) and bulk DELETE (all, or completed)."""

    def get_view_name(self):
        """The browsable API's page title: the collection's name, or one item's (an extra action names itself)."""
        return self.name or ("Todo of a list" if self.detail else "Todos of a list")

    serializer_class = ListTodoSerializer
    list_fields = TODO_COLUMNS
    filterset_class = ListTodoFilter
    search_fields = ["description"]
    ordering_fields = ["position", "created_at", "updated_at", "description", "completed"]
    location_route = "api:todo-detail"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Another user's list is a 404 before the body is validated: a 400 would tell that it exists.
        self.get_todo_list()

    def get_todo_list(self) -> TodoList:
        if not hasattr(self, "_todo_list"):
            lists = TodoList.objects.for_owner(self.request.user)
            self._todo_list = get_object_or_404(lists, pk=self.kwargs["list_pk"])
        return self._todo_list

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Todo.objects.none()
        return Todo.objects.filter(list=self.get_todo_list()).order_by("position", "id")

    def list(self, request, *args, **kwargs):
        todo_list = self.get_todo_list()
        return self.one_list_page(request, todo_list.pk, version=todo_list.version) or super().list(
            request, *args, **kwargs
        )

    def perform_create(self, serializer):
        serializer.instance = services.todo_insert(
            todo_list=self.get_todo_list(),
            description=serializer.validated_data["description"],
            completed=serializer.validated_data.get("completed", False),
            position=serializer.validated_data.get("position"),
        )

    @extend_schema(
        request=BulkCompletedSerializer,
        responses={200: CountSerializer, **BAD_INPUT, **ERRORS, **NOT_FOUND},
        summary="Complete or reopen every todo of the list",
    )
    def bulk_partial_update(self, request, *args, **kwargs):
        serializer = BulkCompletedSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        count = services.todo_list_set_completed(
            todo_list=self.get_todo_list(), completed=serializer.validated_data["completed"]
        )
        return Response({"count": count})

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "completed",
                {"type": "boolean", "enum": [True]},  # only true is supported (anything else: 400)
                description="`true`: delete only the completed todos (clear completed). Leave it out to delete all.",
            )
        ],
        request=None,
        responses={200: CountSerializer, **BAD_INPUT, **ERRORS, **NOT_FOUND},
        summary="Delete every todo of the list, or only the completed ones",
    )
    def bulk_destroy(self, request, *args, **kwargs):
        todo_list = self.get_todo_list()
        match request.query_params.get("completed"):
            case None:
                count = services.todo_list_delete_todos(todo_list=todo_list)
            case "true" | "True" | "1":
                count = services.todo_list_clear_completed(todo_list=todo_list)
            case _:
                raise serializers.ValidationError({"completed": ["Only completed=true is supported here."]})
        return Response({"count": count})


@extend_schema_view(
    list=extend_schema(responses={200: TodoSerializer(many=True), **ERRORS}),
    create=extend_schema(
        parameters=[IDEMPOTENCY_KEY], responses={201: TodoSerializer, **BAD_INPUT, **ERRORS, **IDEMPOTENCY_ERRORS}
    ),
    retrieve=extend_schema(responses={200: TodoSerializer, **ERRORS, **NOT_FOUND}),
    update=extend_schema(
        parameters=[IF_MATCH],
        responses={200: TodoSerializer, **BAD_INPUT, **ERRORS, **NOT_FOUND, **PRECONDITION_FAILED},
    ),
    partial_update=extend_schema(
        parameters=[IF_MATCH],
        responses={200: TodoSerializer, **BAD_INPUT, **ERRORS, **NOT_FOUND, **PRECONDITION_FAILED},
    ),
    destroy=extend_schema(parameters=[IF_MATCH], responses={204: None, **ERRORS, **NOT_FOUND, **PRECONDITION_FAILED}),
)
class TodoViewSet(ListPageMixin, ValuesListMixin, ConditionalWriteMixin, LocationMixin, viewsets.ModelViewSet):
    """All my todos across my lists; the body of a create or move names the list."""

    def get_view_name(self):
        """The browsable API's page title: the collection's name, or one item's (an extra action names itself)."""
        return self.name or ("Todo" if self.detail else "My todos")

    serializer_class = TodoSerializer
    list_fields = TODO_COLUMNS
    filterset_class = TodoFilter
    search_fields = ["description"]
    ordering_fields = ["position", "created_at", "updated_at", "description", "completed"]
    lookup_value_regex = "[0-9]+"
    location_route = "api:todo-detail"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Todo.objects.none()
        return Todo.objects.for_owner(self.request.user).order_by("list_id", "position", "id")

    def get_object(self):
        """One of my todos by its id in the URL, read by a statement written in SQL (todoproject/sql.py).

        Every read, change and delete of one todo starts here; DRF's generic get_object builds the same
        join with the ORM (~1.2 ms of CPU on the benchmark machine, a sixth of a toggle).
        """
        locked = getattr(self, "_locked_object", None)  # ConditionalWriteMixin read it under its lock
        if locked is not None:
            return locked
        pk = self.kwargs["pk"]  # digits (lookup_value_regex)
        todo = selectors.todo_of_owner(todo_id=int(pk), owner_id=self.request.user.pk) if int(pk) <= MAX_ID else None
        if todo is None:
            raise Http404("No Todo matches the given query.")
        self.check_object_permissions(self.request, todo)
        return todo

    def list(self, request, *args, **kwargs):
        list_id = request.query_params.get("list", "")
        if list_id.isdigit() and 1 <= int(list_id) <= MAX_ID:
            response = self.one_list_page(request, int(list_id), other_params={"list"})
            if response is not None:
                return response
        return super().list(request, *args, **kwargs)

    def lock_object(self, pk):
        # A move locks the target list too, and in the one order every writer uses (see services._lock_todo).
        target = self.request.data.get("list") if isinstance(self.request.data, dict) else None
        if not isinstance(target, int) or isinstance(target, bool):
            target = None
        elif not TodoList.objects.for_owner(self.request.user).filter(pk=target).exists():
            target = None  # the serializer refuses it; never lock another user's list
        services.todo_lock(todo_id=pk, to_list_id=target)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.todo_insert(
            todo_list=data["list"],
            description=data["description"],
            completed=data.get("completed", False),
            position=data.get("position"),
        )

    def perform_update(self, serializer):
        data = serializer.validated_data
        services.todo_update(
            todo=serializer.instance,
            description=data.get("description"),
            completed=data.get("completed"),
            position=data.get("position"),
            todo_list=data.get("list"),
        )

    def perform_destroy(self, instance):
        services.todo_delete(todo=instance)
