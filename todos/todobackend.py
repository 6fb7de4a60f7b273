"""A shared list's todos over the Todo-Backend contract (https://todobackend.com), anonymous and cross-origin.

`/api/todobackend/<secret>/` is the root (GET the bare array, POST one, DELETE all) and
`/api/todobackend/<secret>/<id>/` one todo (GET, PATCH, DELETE). The secret is the list's `share_token`;
an unknown or revoked one answers 404. `title` is the description; `order` is the client's own number, kept
as sent in `Todo.backend_order` (null until set) and separate from the todo's place in the list.

A browser that opens the root (it asks for text/html first) gets a page saying what the link is, with
the list's todos and how to use it (templates/todos/share.html); API clients (application/json, */*) get
the array.

Any origin may call these URLs, without credentials. django-cors-headers serves the rest of /api/ only to
the configured origins, so CORS_URLS_REGEX leaves these paths out and the views send their own headers.
"""

from django.db import transaction
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer, TemplateHTMLRenderer
from rest_framework.response import Response

from core.idempotency import IdempotentCreateMixin
from core.schema import IDEMPOTENCY_ERRORS, IDEMPOTENCY_KEY
from core.views import api_not_found
from todos import services
from todos.models import Todo, TodoList
from todos.serializers import TodoBackendTodoSerializer

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Location, Idempotent-Replayed, Retry-After",
}
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": "GET, POST, PATCH, DELETE, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Idempotency-Key",
    "Access-Control-Max-Age": "86400",
}
NOT_FOUND = {404: OpenApiResponse(description="Unknown or revoked secret, or no such todo in the list.")}


def _with_headers(response, headers):
    for name, value in headers.items():
        response.headers[name] = value
    return response


def _set_order(todo: Todo, data: dict) -> None:
    """Store the contract's `order` as the client sent it, when it sent one (null clears it)."""
    if "backend_order" in data:
        todo.backend_order = data["backend_order"]
        todo.save(update_fields=["backend_order", "updated_at"])


class TodoBackendView(generics.GenericAPIView):
    # No session authentication, so no CSRF check and no cookies involved: the secret is the credential.
    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    pagination_class = None
    filter_backends = []
    serializer_class = TodoBackendTodoSerializer
    # Anonymous traffic, limited per client address by the API's throttle (core/throttling.py) under
    # this scope's rate in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].
    throttle_scope = "todobackend"

    def get_todo_list(self) -> TodoList:
        if not hasattr(self, "_todo_list"):
            self._todo_list = generics.get_object_or_404(TodoList, share_token=self.kwargs["secret"])
        return self._todo_list

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "secret": self.kwargs.get("secret", "")}

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return _with_headers(response, CORS_HEADERS)

    @extend_schema(exclude=True)
    def options(self, request, *args, **kwargs):
        """Answer the CORS preflight (and plain OPTIONS) for any method this contract uses."""
        return Response(status=status.HTTP_204_NO_CONTENT, headers=PREFLIGHT_HEADERS)


class SharePageRenderer(TemplateHTMLRenderer):
    """The share link's page for a browser; an error is the site's page for its status (404.html, 429.html)."""

    template_name = "todos/share.html"

    def get_template_context(self, data, renderer_context):
        context = super().get_template_context(data, renderer_context)
        if renderer_context["response"].exception:
            context["message"] = context.get("detail", "")
        return context


class TodoBackendRootView(IdempotentCreateMixin, TodoBackendView):
    def get_renderers(self):
        """JSON, and for GET the share page too: JSON comes first, so only a client that asks for HTML
        by name (a browser) gets the page, and `*/*` still means the array. The schema shows the API alone."""
        renderers = super().get_renderers()
        if self.request.method == "GET" and not getattr(self, "swagger_fake_view", False):
            renderers.append(SharePageRenderer())
        return renderers

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method == "GET":
            patch_vary_headers(response, ["Accept"])  # one URL, two representations
            if isinstance(getattr(request, "accepted_renderer", None), SharePageRenderer):
                # Like a logged-in person's pages: no shared cache keeps it, no browser keeps it on disk,
                # so a revoked link's page is gone.
                patch_cache_control(response, private=True, no_store=True)
        return response

    def idempotency_scope(self, request) -> str:
        """The shared list and its current secret: a revoked or replaced secret answers 404, never a replay."""
        return f"share:{self.get_todo_list().pk}:{self.kwargs['secret']}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Todo.objects.none()
        return Todo.objects.filter(list=self.get_todo_list())

    @extend_schema(operation_id="todobackend_list", responses={200: TodoBackendTodoSerializer(many=True), **NOT_FOUND})
    def get(self, request, *args, **kwargs):
        todos = self.get_serializer(self.get_queryset(), many=True).data
        if isinstance(request.accepted_renderer, SharePageRenderer):
            return Response({"list_name": self.get_todo_list().name, "todos": todos, "share_url": self.share_url()})
        return Response(todos)

    def share_url(self) -> str:
        return self.request.build_absolute_uri(
            reverse("api:todobackend-root", kwargs={"secret": self.get_todo_list().share_token})
        )

    @extend_schema(
        operation_id="todobackend_create",
        parameters=[IDEMPOTENCY_KEY],
        responses={
            201: TodoBackendTodoSerializer,
            400: OpenApiResponse(description="Invalid input."),
            **NOT_FOUND,
            **IDEMPOTENCY_ERRORS,
        },
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            todo = services.todo_create(
                todo_list=self.get_todo_list(), description=data["description"], completed=data["completed"]
            )
            _set_order(todo, data)
        data = self.get_serializer(todo).data
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": data["url"]})

    @extend_schema(operation_id="todobackend_destroy_all", responses={204: None, **NOT_FOUND})
    def delete(self, request, *args, **kwargs):
        services.todo_list_delete_todos(todo_list=self.get_todo_list())
        return Response(status=status.HTTP_204_NO_CONTENT)


class TodoBackendTodoView(TodoBackendView):
    def get_queryset(self):
        return Todo.objects.filter(list__share_token=self.kwargs.get("secret"))

    @extend_schema(responses={200: TodoBackendTodoSerializer, **NOT_FOUND})
    def get(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        responses={200: TodoBackendTodoSerializer, 400: OpenApiResponse(description="Invalid input."), **NOT_FOUND}
    )
    def patch(self, request, *args, **kwargs):
        todo = self.get_object()
        serializer = self.get_serializer(todo, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            services.todo_update(todo=todo, description=data.get("description"), completed=data.get("completed"))
            _set_order(todo, data)
        return Response(self.get_serializer(todo).data)

    @extend_schema(responses={204: None, **NOT_FOUND})
    def delete(self, request, *args, **kwargs):
        services.todo_delete(todo=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@csrf_exempt
def todobackend_not_found(request, *args, **kwargs):
    """Unknown URLs under /api/todobackend/ answer 404 with the same open CORS headers."""
    response = _with_headers(api_not_found(request), CORS_HEADERS)
    if request.method == "OPTIONS":
        response = _with_headers(response, PREFLIGHT_HEADERS)
    return response
