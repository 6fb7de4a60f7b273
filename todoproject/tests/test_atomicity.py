"""A write that fails half-way through leaves nothing behind (the failure is injected after the first write)."""

from http import HTTPStatus

import pytest
from django.db.models import QuerySet
from django.urls import reverse
from rest_framework.test import APIClient

from orders.models import Order, OrderItem
from orders.tests.factories import OrderItemFactory, ProductFactory
from todos import services
from todos.models import Todo
from todos.tests.factories import TodoFactory, TodoListFactory

# Transactional: the services' own transaction is the outermost one, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


class Injected(Exception):
    pass


@pytest.fixture
def client(user):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    return client


def fail_after(monkeypatch, owner, name):
    """Make `owner.name` do its real work and then raise, so the failure comes after a write."""
    real = getattr(owner, name)

    def run_then_fail(*args, **kwargs):
        real(*args, **kwargs)
        raise Injected(f"injected failure after {name}")

    monkeypatch.setattr(owner, name, run_then_fail)


def test_order_create_failing_after_its_items_leaves_no_order(client, monkeypatch):
    first, second = ProductFactory(), ProductFactory()
    fail_after(monkeypatch, OrderItem.objects, "bulk_create")

    response = client.post(
        reverse("api:order-list"),
        {"items": [{"product": first.pk, "quantity": 1}, {"product": second.pk, "quantity": 2}]},
        format="json",
    )

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert not Order.objects.exists()
    assert not OrderItem.objects.exists()


def test_order_items_replacement_failing_half_way_keeps_the_old_items(client, user, monkeypatch):
    item = OrderItemFactory(order__owner=user, quantity=3)
    new_product = ProductFactory()
    fail_after(monkeypatch, OrderItem.objects, "bulk_create")  # after the old items were deleted

    response = client.patch(
        reverse("api:order-detail", kwargs={"pk": item.order.pk}),
        {"items": [{"product": new_product.pk, "quantity": 1}]},
        format="json",
    )

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert list(OrderItem.objects.values_list("pk", "product_id", "quantity")) == [(item.pk, item.product_id, 3)]


def test_bulk_complete_failing_after_its_update_changes_nothing(client, user, monkeypatch):
    todo_list = TodoListFactory(owner=user)
    TodoFactory.create_batch(3, list=todo_list)
    fail_after(monkeypatch, QuerySet, "update")

    response = client.patch(
        reverse("api:todolist-todo-list", kwargs={"list_pk": todo_list.pk}), {"completed": True}, format="json"
    )

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert not Todo.objects.filter(completed=True).exists()


def test_clear_completed_failing_before_renumbering_deletes_nothing(client, user, monkeypatch):
    todo_list = TodoListFactory(owner=user)
    TodoFactory(list=todo_list)
    TodoFactory(list=todo_list, completed=True)
    TodoFactory(list=todo_list)
    fail_after(monkeypatch, services, "_renumber")

    response = client.delete(reverse("api:todolist-todo-list", kwargs={"list_pk": todo_list.pk}) + "?completed=true")

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert sorted(Todo.objects.values_list("position", "completed")) == [(0, False), (1, True), (2, False)]


def test_reorder_failing_after_shifting_the_others_keeps_every_position(client, user, monkeypatch):
    todo_list = TodoListFactory(owner=user)
    todos = TodoFactory.create_batch(4, list=todo_list)
    fail_after(monkeypatch, QuerySet, "update")  # the first UPDATE shifts the siblings

    response = client.patch(reverse("api:todo-detail", kwargs={"pk": todos[3].pk}), {"position": 0}, format="json")

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert list(Todo.objects.order_by("position").values_list("pk", flat=True)) == [t.pk for t in todos]
