"""Every object URL of the pages x every method x {owner, other user, anonymous}.

Another user gets exactly what a missing object gets (404, or 405 for a method no one may use), so
nothing tells them the object exists, and nothing of theirs changes; anonymous visitors go to login.
"""

from http import HTTPStatus

import pytest
from django.urls import reverse

from orders.models import Order
from orders.tests.factories import OrderItemFactory
from todos.models import Todo, TodoList
from todos.tests.factories import TodoFactory

pytestmark = pytest.mark.django_db

METHODS = ["get", "post", "put", "patch", "delete"]
MISSING = 987654321

# (route, which object's pk it takes, the methods the owner may use)
ROUTES = [
    ("list_detail", "list", {"get"}),
    ("list_rename", "list", {"post"}),
    ("list_delete", "list", {"get", "post"}),
    ("list_set_completed", "list", {"post"}),
    ("list_share", "list", {"post"}),
    ("list_clear_completed", "list", {"post"}),
    ("todo_create", "list", {"post"}),
    ("todo_update", "todo", {"get", "post"}),
    ("todo_delete", "todo", {"post"}),
    ("orders:order_detail", "order", {"get"}),
    ("orders:order_cancel", "order", {"post"}),
]
CASES = [(route, kind, allowed, method) for route, kind, allowed in ROUTES for method in METHODS]


@pytest.fixture
def objects(user):
    todo = TodoFactory(list__owner=user, description="Mine")
    item = OrderItemFactory(order__owner=user)
    return {"list": todo.list.pk, "todo": todo.pk, "order": item.order.pk}


def snapshot():
    return (
        list(TodoList.objects.values_list("id", "name", "share_token")),
        list(Todo.objects.values_list("id", "list", "description", "completed", "position")),
        list(Order.objects.values_list("id", "status")),
    )


def request(client, method, url):
    data = {"name": "Hijacked", "description": "Hijacked", "completed": "true", "shared": "true"}
    if method == "post":
        return client.post(url, data)
    return getattr(client, method)(url)


@pytest.mark.parametrize(("route", "kind", "allowed", "method"), CASES)
def test_other_user_gets_what_a_missing_object_gets_and_changes_nothing(
    client, other_user, objects, route, kind, allowed, method
):
    client.force_login(other_user)
    before = snapshot()
    response = request(client, method, reverse(route, args=[objects[kind]]))
    missing = request(client, method, reverse(route, args=[MISSING]))

    assert response.status_code == missing.status_code
    assert response.status_code == (HTTPStatus.NOT_FOUND if method in allowed else HTTPStatus.METHOD_NOT_ALLOWED)
    assert snapshot() == before


@pytest.mark.parametrize(("route", "kind", "allowed", "method"), CASES)
def test_anonymous_visitors_are_sent_to_login_and_change_nothing(client, objects, route, kind, allowed, method):
    before = snapshot()
    response = request(client, method, reverse(route, args=[objects[kind]]))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("login") + "?next=")
    assert snapshot() == before


@pytest.mark.parametrize(("route", "kind", "allowed", "method"), CASES)
def test_owner_may_use_exactly_the_allowed_methods(auth_client, objects, route, kind, allowed, method):
    response = request(auth_client, method, reverse(route, args=[objects[kind]]))

    if method in allowed:
        assert response.status_code in {HTTPStatus.OK, HTTPStatus.FOUND}
    else:
        assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


@pytest.mark.parametrize("route", ["home", "orders:order_list", "orders:order_create"])
def test_collection_pages_never_show_another_users_rows(client, user, other_user, route):
    TodoFactory(list__owner=other_user, list__name="Their list", description="Their todo")
    OrderItemFactory(order__owner=other_user, product__name="Their product-only-in-their-order")
    TodoFactory(list__owner=user, list__name="My list", description="My todo")
    client.force_login(user)

    page = client.get(reverse(route), follow=True).content.decode()

    assert "Their list" not in page
    assert "Their todo" not in page
    if route == "orders:order_list":
        assert "Their product-only-in-their-order" not in page
