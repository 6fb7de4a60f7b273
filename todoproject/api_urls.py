"""The REST API under /api/: one router for the resources, token login, OpenAPI schema and docs, Todo-Backend.

Route names live in the "api" namespace, e.g. reverse("api:todo-detail", kwargs={"pk": 1}).
"""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter, SimpleRouter

from accounts.api import APITokenViewSet, ExportView, ImportView, ProfileView, TokenView
from core.views import api_not_found
from orders.api import OrderViewSet, ProductViewSet
from todos.api import LabelViewSet, ListTodoViewSet, TodoListViewSet, TodoViewSet
from todos.todobackend import TodoBackendRootView, TodoBackendTodoView, todobackend_not_found

app_name = "api"


class APIRootView(DefaultRouter.APIRootView):
    """Todo lists, todos, products and orders. Log in (or send `Authorization: Token <key>`) to browse yours.

    The OpenAPI schema is at /api/schema/, Swagger UI at /api/docs/.
    """

    def get_view_name(self):
        return "API root"


class Router(DefaultRouter):
    """DefaultRouter whose collection URLs also route PATCH and DELETE to a viewset's bulk actions, if it has them.

    Only `/api/lists/{id}/todos/` defines `bulk_partial_update` and `bulk_destroy`; elsewhere they answer 405.
    """

    APIRootView = APIRootView
    routes = [
        SimpleRouter.routes[0]._replace(
            mapping={**SimpleRouter.routes[0].mapping, "patch": "bulk_partial_update", "delete": "bulk_destroy"}
        ),
        *SimpleRouter.routes[1:],
    ]


router = Router()
router.register("lists", TodoListViewSet, basename="todolist")
router.register(r"lists/(?P<list_pk>[0-9]+)/todos", ListTodoViewSet, basename="todolist-todo")
router.register("todos", TodoViewSet, basename="todo")
router.register("labels", LabelViewSet, basename="label")
router.register("products", ProductViewSet, basename="product")
router.register("orders", OrderViewSet, basename="order")
router.register("tokens", APITokenViewSet, basename="apitoken")

urlpatterns = [
    *router.urls,
    path("token/", TokenView.as_view(), name="token"),
    # One profile per person, no id in the URL: a view beside the router, as the token login is.
    path("profile/", ProfileView.as_view(), name="profile"),
    # Your data: everything a person owns, out and back in (accounts/data.py).
    path("export/", ExportView.as_view(), name="export"),
    path("import/", ImportView.as_view(), name="import"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its init script as a file: no inline script, so a strict CSP holds.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
    path("todobackend/<str:secret>/", TodoBackendRootView.as_view(), name="todobackend-root"),
    path("todobackend/<str:secret>/<int:pk>/", TodoBackendTodoView.as_view(), name="todobackend-todo"),
    re_path(r"^todobackend/", todobackend_not_found),
    # Last: every other /api/ URL answers a JSON 404 rather than the site's HTML page.
    re_path(r"^", api_not_found),
]
