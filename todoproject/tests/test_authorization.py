"""Authorization matrix over every API object URL x method x {owner, other user, anonymous}.

Other users get 404 (or 405 where the method does not exist), never 403 and never the object;
anonymous requests get 401; nothing is written by either. List endpoints never show another user's row.
The owner's API tokens too: a read-only one reads as the owner and gets 403 on every write; an expired
or revoked one gets 401; another person's real token gets 404 as a session of theirs does.
"""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.authentication import READ_ONLY_MESSAGE
from orders.models import Order, OrderItem, Product
from orders.tests.factories import OrderItemFactory, ProductFactory
from todos import services
from todos.models import Todo, TodoList
from todos.tests.factories import TodoFactory, TodoListFactory, UserFactory

pytestmark = pytest.mark.django_db

METHODS = ["get", "post", "put", "patch", "delete"]
ROLES = ["owner", "other", "anonymous"]
TOKEN_ROLES = ["read_only_token", "expired_token", "revoked_token", "others_token"]
OK = {"get": HTTPStatus.OK, "post": HTTPStatus.CREATED, "put": HTTPStatus.OK, "patch": HTTPStatus.OK}
M405 = HTTPStatus.METHOD_NOT_ALLOWED

# Per route: its URL from the owner's objects, the methods it has, the body for each write, and what the
# owner gets (default: OK above, 204 for DELETE).
ROUTES = {
    "todolist-detail": {"methods": {"get", "put", "patch", "delete"}, "body": {"name": "Renamed"}},
    "todolist-todo-list": {
        "methods": {"get", "post", "patch", "delete"},
        "bodies": {"post": {"description": "New"}, "patch": {"completed": True}},
        "owner": {"delete": HTTPStatus.OK},  # bulk delete answers {"count": n}
    },
    "todo-detail": {"methods": {"get", "put", "patch", "delete"}},
    "order-detail": {"methods": {"get", "patch", "delete"}, "body": {"status": "cancelled"}},
}


@pytest.fixture
def world(user, other_user):
    """The owner's list (shared), todos and order; the other user has data of their own too."""
    todo_list = TodoListFactory(owner=user, name="Mine")
    todo = TodoFactory(list=todo_list, description="my todo")
    TodoFactory(list=todo_list, description="my other todo", completed=True)
    services.todo_list_share(todo_list=todo_list)
    product = ProductFactory(name="Pen")
    order = OrderItemFactory(order__owner=user, product=product).order
    theirs = TodoListFactory(owner=other_user, name="Theirs")
    TodoFactory(list=theirs, description="their todo")
    OrderItemFactory(order__owner=other_user, product=product)
    return {"list": todo_list, "todo": todo, "order": order, "product": product}


def url_for(route, world):
    kwargs = {
        "todolist-detail": {"pk": world["list"].pk},
        "todolist-todo-list": {"list_pk": world["list"].pk},
        "todo-detail": {"pk": world["todo"].pk},
        "order-detail": {"pk": world["order"].pk},
    }[route]
    return reverse(f"api:{route}", kwargs=kwargs)


def body_for(route, method, world):
    spec = ROUTES[route]
    if method in {"get", "delete"}:
        return None  # a GET's data would become query parameters, i.e. filters
    if route == "todo-detail":
        return {"list": world["list"].pk, "description": "Changed", "completed": True, "position": 0}
    return spec.get("bodies", {}).get(method, spec.get("body"))


def snapshot():
    """Every row the API could write, so a refused request can be shown to have changed nothing."""
    return (
        list(TodoList.objects.order_by("pk").values_list("pk", "owner_id", "name", "share_token")),
        list(Todo.objects.order_by("pk").values_list("pk", "list_id", "description", "completed", "position")),
        list(Order.objects.order_by("pk").values_list("pk", "owner_id", "status")),
        list(OrderItem.objects.order_by("pk").values_list("pk", "order_id", "product_id", "quantity")),
        list(Product.objects.order_by("pk").values_list("pk", "name", "price")),
    )


def client_for(role, user, other_user):
    client = APIClient()
    if role in TOKEN_ROLES:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_key_for(role, user, other_user)}")
    elif role != "anonymous":
        client.force_authenticate(user if role == "owner" else other_user)
    return client


def token_key_for(role, user, other_user) -> str:
    create = account_services.api_token_create
    if role == "read_only_token":
        return create(user=user, name="read-only", read_only=True).key
    if role == "expired_token":
        token = create(user=user, name="expired", expires_at=timezone.now() + timedelta(days=1))
        token.expires_at = timezone.now() - timedelta(seconds=1)
        token.save(update_fields=["expires_at"])
        return token.key
    if role == "revoked_token":
        token = create(user=user, name="revoked")
        account_services.api_token_revoke(token=token)
        return token.key
    return create(user=other_user, name="theirs").key  # others_token


def expected(route, method, role):
    spec = ROUTES[route]
    if role in {"anonymous", "expired_token", "revoked_token"}:
        return HTTPStatus.UNAUTHORIZED
    if role == "read_only_token":
        if method != "get":
            return HTTPStatus.FORBIDDEN  # refused at authentication, before the method or the object
        role = "owner"
    if role == "others_token":
        role = "other"
    if role == "other" and route == "todolist-todo-list":
        return HTTPStatus.NOT_FOUND  # the list is looked up first, whatever the method
    if method not in spec["methods"]:
        return M405
    if role == "other":
        return HTTPStatus.NOT_FOUND
    return spec.get("owner", {}).get(method, OK.get(method, HTTPStatus.NO_CONTENT))


TRIED = []


@pytest.mark.parametrize("role", ROLES + TOKEN_ROLES)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("route", list(ROUTES))
def test_object_urls(world, user, other_user, route, method, role):
    client = client_for(role, user, other_user)
    before = snapshot()

    response = getattr(client, method)(url_for(route, world), body_for(route, method, world), format="json")

    TRIED.append((route, method, role))
    assert response.status_code == expected(route, method, role), response.content
    assert response.get("Content-Type", "").startswith("application/json") or response.status_code == 204
    if role != "owner":
        assert snapshot() == before
    if role not in {"owner", "read_only_token"}:
        assert "my todo" not in response.content.decode()
        assert "Mine" not in response.content.decode()
    if role == "read_only_token" and method != "get":
        assert response.json() == {"detail": READ_ONLY_MESSAGE}


@pytest.mark.parametrize("method", ["post", "patch"])
def test_other_users_list_is_404_even_with_an_invalid_body(world, other_user, method):
    """The list is looked up before the body is validated: a 400 would tell that the list exists."""
    client = client_for("other", None, other_user)
    url = url_for("todolist-todo-list", world)

    response = getattr(client, method)(url, {"description": "", "completed": "maybe"}, format="json")

    assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("method", ["put", "patch"])
def test_moving_a_todo_into_another_users_list_is_refused(world, other_user, method):
    client = client_for("other", None, other_user)
    theirs = TodoList.objects.get(owner=other_user)
    their_todo = Todo.objects.get(list=theirs)
    before = snapshot()

    response = getattr(client, method)(
        reverse("api:todo-detail", kwargs={"pk": their_todo.pk}),
        {"list": world["list"].pk, "description": "x", "completed": False, "position": 0},
        format="json",
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "list" in response.json()
    assert snapshot() == before


# Products: one shared catalogue, not owned by anyone. Everyone logged in reads it (and, under
# /orders/, their own orders that contain it); only staff write: 403 for the others, checked before 405.


@pytest.mark.parametrize("role", ["staff", "user", "anonymous"])
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("route", ["product-detail", "product-orders"])
def test_product_urls(world, route, role, method):
    client = APIClient()
    if role != "anonymous":
        client.force_authenticate(UserFactory(username=role, is_staff=role == "staff"))
    body = None if method in {"get", "delete"} else {"name": "Pencil", "price": "2.00"}
    url = reverse(f"api:{route}", kwargs={"pk": world["product"].pk})
    before = snapshot()

    response = getattr(client, method)(url, body, format="json")

    TRIED.append((route, method, role))
    allowed = {"get"} if route == "product-orders" else {"get", "put", "patch", "delete"}
    if role == "anonymous":
        assert response.status_code == HTTPStatus.UNAUTHORIZED
    elif method == "get":
        assert response.status_code == HTTPStatus.OK
        assert "my todo" not in response.content.decode()
        if route == "product-orders":
            assert response.json()["results"] == []  # the owner's order is not theirs
    elif role == "user":
        assert response.status_code == HTTPStatus.FORBIDDEN
    elif method not in allowed:
        assert response.status_code == M405
    else:  # staff; the product was ordered, so it cannot be deleted
        assert response.status_code == {"delete": HTTPStatus.CONFLICT}.get(method, HTTPStatus.OK)
    if role != "staff":
        assert snapshot() == before


# Todo-Backend: the secret is the credential, whoever sends it; a wrong one or another list's todo is 404.


@pytest.mark.parametrize("method", ["get", "post", "patch", "delete"])
def test_todobackend_wrong_secret_or_other_lists_todo_is_404(world, api_client, other_user, method):
    theirs_secret = services.todo_list_share(todo_list=TodoList.objects.get(owner=other_user))
    my_todo = world["todo"]
    before = snapshot()

    for url in [
        reverse("api:todobackend-root", kwargs={"secret": "not-a-secret"}),
        reverse("api:todobackend-todo", kwargs={"secret": "not-a-secret", "pk": my_todo.pk}),
        reverse("api:todobackend-todo", kwargs={"secret": theirs_secret, "pk": my_todo.pk}),
    ]:
        response = getattr(api_client, method)(url, {"title": "x"}, format="json")
        TRIED.append(("todobackend", method, url))
        is_todo_url = url.endswith(f"/{my_todo.pk}/")
        if (method == "post" and is_todo_url) or (method == "patch" and not is_todo_url):
            assert response.status_code == M405  # no such method on that URL, whatever the secret
        else:
            assert response.status_code == HTTPStatus.NOT_FOUND, (url, response.content)
    assert snapshot() == before


# Collections never contain another user's rows.


@pytest.mark.parametrize(
    ("route", "query"),
    [
        ("todolist-list", {}),
        ("todo-list", {}),
        ("todo-list", {"list": "OWNER_LIST"}),
        ("todo-list", {"search": "todo"}),
        ("order-list", {}),
        ("product-orders", {}),
    ],
)
def test_list_endpoints_show_only_my_rows(world, other_user, route, query):
    client = client_for("other", None, other_user)
    kwargs = {"pk": world["product"].pk} if route == "product-orders" else {}
    query = {k: (world["list"].pk if v == "OWNER_LIST" else v) for k, v in query.items()}

    response = client.get(reverse(f"api:{route}", kwargs=kwargs), query)

    TRIED.append((route, "get", "other"))
    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    assert "Mine" not in body
    assert "my todo" not in body
    assert f'"id":{world["order"].pk},' not in body
    rows = response.json()["results"]
    if query.get("list"):
        assert rows == []
    else:
        assert rows  # the other user's own rows are there


def test_zz_report_the_matrix_size():
    """Print how many (route, method, role) combinations this module tried (runs last in the module)."""
    print(f"\nauthorization matrix: {len(TRIED)} route x method x role requests tried")
    assert len(TRIED) >= len(ROUTES) * len(METHODS) * len(ROLES + TOKEN_ROLES)
