"""REST API viewsets for lists and todos: scoped to the requesting user, writes through todos.services.

Their answers are cached and tagged under the versions of the lists they show (core.api.ConditionalGetMixin):
asked again before any of those lists changes, a page costs one query, and a client holding its ETag a 304.
"""

from functools import partial

from django.db.models import F
from django.utils import timezone
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.settings import api_settings

from core.api import BoundedSearchFilter, ConditionalGetMixin, ConditionalWriteMixin, LocationMixin
from core.idempotency import IdempotentCreateMixin
from core.schema import IDEMPOTENCY_ERRORS, IDEMPOTENCY_KEY, IF_MATCH, PRECONDITION_FAILED
from todos import schema as _schema  # noqa: F401 (registers the OpenAPI extension of the todo's labels)
from todos import selectors, services
from todos.filters import MAX_ID, ListTodoFilter, TodoFilter, TodoSearchFilter
from todos.models import Label, Todo, TodoList, priority_rank
from todos.serializers import (
    BulkCompletedSerializer,
    CountSerializer,
    LabelSerializer,
    QuickAddSerializer,
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

# How both todo collections filter, search (todos.filters.TodoSearchFilter: todos.selectors.todo_search, not
# DRF's search fields) and order. `due` sorts by date then time, todos without one last;
# `priority` by rank (none < low < medium < high: `-priority` puts high first).
TODO_FILTER_BACKENDS = [
    TodoSearchFilter if backend is BoundedSearchFilter else backend for backend in api_settings.DEFAULT_FILTER_BACKENDS
]
TODO_ORDERING_FIELDS = ["position", "created_at", "updated_at", "description", "completed", "due", "priority"]
TODO_ORDERING_EXPRESSIONS = {"due": [F("due_date"), F("due_time")], "priority": [priority_rank()]}


def todo_fields(data: dict, *, partial: bool) -> dict:
    """The todo_create / todo_update arguments for the validated fields beyond description and state."""
    if not partial:
        return {name: data[name] for name in ("due_date", "due_time", "priority", "notes", "labels") if name in data}
    fields = {name: data.get(name) for name in ("priority", "notes", "labels")}
    fields |= {name: data.get(name, services.UNSET) for name in ("due_date", "due_time")}
    return fields


def answer_day() -> str:
    """The date in the active time zone: what `overdue` and `view` are functions of, so part of a todo page's
    cache key (cached_answer adds the zone itself)."""
    return timezone.localdate().isoformat()


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
class TodoListViewSet(
    IdempotentCreateMixin, ConditionalGetMixin, ConditionalWriteMixin, LocationMixin, viewsets.ModelViewSet
):
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
        # A function of my lists' versions (each raised by every change to what the list shows) and the URL.
        parts = (request.user.pk, selectors.todo_list_versions(owner=request.user), request.build_absolute_uri())
        return self.cached_answer("api-lists", parts, partial(super().list, request, *args, **kwargs))

    def perform_create(self, serializer):
        data = serializer.validated_data
        todo_list = services.todo_list_create(owner=self.request.user, name=data["name"], shared=data.get("shared"))
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


class ListTodoSchema(AutoSchema):
    """Names the todo of `/api/lists/{id}/todos/` ListTodo in the OpenAPI schema: there its `list` is read-only."""

    def get_serializer_name(self, serializer, direction):
        if isinstance(serializer, TodoSerializer):
            return "ListTodo"
        return super().get_serializer_name(serializer, direction)


@extend_schema(parameters=[OpenApiParameter("list_pk", int, OpenApiParameter.PATH, description="One of your lists.")])
@extend_schema_view(
    list=extend_schema(responses={200: TodoSerializer(many=True), **ERRORS, **NOT_FOUND}),
    create=extend_schema(
        parameters=[IDEMPOTENCY_KEY],
        responses={201: TodoSerializer, **BAD_INPUT, **ERRORS, **NOT_FOUND, **IDEMPOTENCY_ERRORS},
    ),
)
class ListTodoViewSet(
    IdempotentCreateMixin,
    ConditionalGetMixin,
    LocationMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The todos of one of my lists, plus bulk PATCH (complete/reopen all) and bulk DELETE (all, or completed)."""

    schema = ListTodoSchema()
    serializer_class = TodoSerializer
    filterset_class = ListTodoFilter
    filter_backends = TODO_FILTER_BACKENDS
    ordering_fields = TODO_ORDERING_FIELDS
    ordering_expressions = TODO_ORDERING_EXPRESSIONS
    location_route = "api:todo-detail"

    def get_view_name(self):
        """The browsable API's page title: the collection's name, or one item's (an extra action names itself)."""
        return self.name or ("Todo of a list" if self.detail else "Todos of a list")

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
        return self.get_todo_list().todos.with_labels().order_by("position", "id")

    def get_serializer_context(self):
        # The list the URL names: the serializer shows it and takes no other.
        todo_list = None if getattr(self, "swagger_fake_view", False) else self.get_todo_list()
        return {**super().get_serializer_context(), "todo_list": todo_list}

    def list(self, request, *args, **kwargs):
        # A function of the list's version (raised by every change to what it shows), the URL and the day.
        todo_list = self.get_todo_list()
        parts = (todo_list.pk, todo_list.version, request.build_absolute_uri(), answer_day())
        return self.cached_answer("api-list-todos", parts, partial(super().list, request, *args, **kwargs))

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.todo_insert(
            todo_list=self.get_todo_list(),
            description=data["description"],
            completed=data.get("completed", False),
            position=data.get("position"),
            **todo_fields(data, partial=False),
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
class TodoViewSet(
    IdempotentCreateMixin, ConditionalGetMixin, ConditionalWriteMixin, LocationMixin, viewsets.ModelViewSet
):
    """All my todos across my lists; the body of a create or move names the list."""

    def get_view_name(self):
        """The browsable API's page title: the collection's name, or one item's (an extra action names itself)."""
        return self.name or ("Todo" if self.detail else "My todos")

    serializer_class = TodoSerializer
    filterset_class = TodoFilter
    filter_backends = TODO_FILTER_BACKENDS
    ordering_fields = TODO_ORDERING_FIELDS
    ordering_expressions = TODO_ORDERING_EXPRESSIONS
    lookup_value_regex = "[0-9]+"
    location_route = "api:todo-detail"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Todo.objects.none()
        return Todo.objects.for_owner(self.request.user).with_labels().order_by("list_id", "position", "id")

    def list(self, request, *args, **kwargs):
        # A function of the versions of the lists the todos come from (all mine, or the one of ?list=), the URL
        # and the day.
        list_id = request.query_params.get("list", "")
        versions = selectors.todo_list_versions(
            owner=request.user, list_id=int(list_id) if list_id.isdecimal() and int(list_id) <= MAX_ID else None
        )
        parts = (request.user.pk, versions, request.build_absolute_uri(), answer_day())
        return self.cached_answer("api-todos", parts, partial(super().list, request, *args, **kwargs))

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
            **todo_fields(data, partial=False),
        )

    def perform_update(self, serializer):
        data = serializer.validated_data
        services.todo_update(
            todo=serializer.instance,
            description=data.get("description"),
            completed=data.get("completed"),
            position=data.get("position"),
            todo_list=data.get("list"),
            **todo_fields(data, partial=serializer.partial),
        )

    def perform_destroy(self, instance):
        services.todo_delete(todo=instance)

    # Quick add: the new-todo field's text, read as the list page reads it

    def _idempotent(self, request) -> bool:
        return super()._idempotent(request) or (request.method == "POST" and self.action == "quick")

    @extend_schema(
        request=QuickAddSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: TodoSerializer, **BAD_INPUT, **ERRORS, **IDEMPOTENCY_ERRORS},
        summary="Add a todo from quick-add text (its due date, priority and labels read from it)",
    )
    @action(detail=False, methods=["post"], url_path="quick", serializer_class=QuickAddSerializer)
    def quick(self, request):
        serializer = QuickAddSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        todo = services.todo_quick_add(
            owner=request.user, todo_list=data["list"], text=data["text"], now=timezone.localtime()
        )
        representation = TodoSerializer(todo, context=self.get_serializer_context()).data
        return Response(
            representation, status=status.HTTP_201_CREATED, headers=self.get_success_headers(representation)
        )


@extend_schema_view(
    list=extend_schema(responses={200: LabelSerializer(many=True), **ERRORS}),
    create=extend_schema(
        parameters=[IDEMPOTENCY_KEY], responses={201: LabelSerializer, **BAD_INPUT, **ERRORS, **IDEMPOTENCY_ERRORS}
    ),
    retrieve=extend_schema(responses={200: LabelSerializer, **ERRORS, **NOT_FOUND}),
    update=extend_schema(
        parameters=[IF_MATCH],
        responses={200: LabelSerializer, **BAD_INPUT, **ERRORS, **NOT_FOUND, **PRECONDITION_FAILED},
    ),
    partial_update=extend_schema(
        parameters=[IF_MATCH],
        responses={200: LabelSerializer, **BAD_INPUT, **ERRORS, **NOT_FOUND, **PRECONDITION_FAILED},
    ),
    destroy=extend_schema(parameters=[IF_MATCH], responses={204: None, **ERRORS, **NOT_FOUND, **PRECONDITION_FAILED}),
)
class LabelViewSet(
    IdempotentCreateMixin, ConditionalGetMixin, ConditionalWriteMixin, LocationMixin, viewsets.ModelViewSet
):
    """My labels: names unique among mine (ignoring case), colours from a fixed palette."""

    def get_view_name(self):
        """The browsable API's page title: the collection's name, or one item's (an extra action names itself)."""
        return self.name or ("Label" if self.detail else "My labels")

    serializer_class = LabelSerializer
    search_fields = ["name"]
    ordering_fields = ["name", "created_at"]
    lookup_value_regex = "[0-9]+"
    location_route = "api:label-detail"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Label.objects.none()
        return Label.objects.for_owner(self.request.user)

    def lock_object(self, pk):
        # Its lists before the label, the order every writer takes (see services.label_lock).
        services.label_lock(owner=self.request.user, label_id=pk)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.label_create(
            owner=self.request.user, name=data["name"], colour=data.get("colour", Label.colour.field.default)
        )

    def perform_update(self, serializer):
        data = serializer.validated_data
        services.label_update(label=serializer.instance, name=data.get("name"), colour=data.get("colour"))

    def perform_destroy(self, instance):
        services.label_delete(label=instance)
