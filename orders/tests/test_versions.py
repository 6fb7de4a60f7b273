"""Every write path raises the version of each order it changes: Order.version keys the cached pages of orders.

As todos/tests/test_versions.py: each case runs one write (a service, the admin, the API) and fails if an
order reads differently afterwards while its version did not go up, or if the case changed nothing.
"""

from dataclasses import dataclass
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse

from orders import services
from orders.models import Order, OrderItem, OrderStatus, Product
from orders.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


@dataclass
class World:
    order: Order  # pending: 2 pens, 1 ink
    other: Order  # pending: 1 pen
    pen: Product
    ink: Product
    staff: object
    api: object
    admin: object


@pytest.fixture
def world(user, staff_user, admin_client, auth_api_client):
    pen, ink = ProductFactory(name="Pen", price=Decimal("1.50")), ProductFactory(name="Ink", price=Decimal("4.00"))
    order = services.order_create(
        owner=user, items=[{"product": pen.pk, "quantity": 2}, {"product": ink.pk, "quantity": 1}]
    )
    other = services.order_create(owner=user, items=[{"product": pen.pk, "quantity": 1}])
    return World(order, other, pen, ink, staff_user, auth_api_client, admin_client)


def shown() -> dict[int, tuple]:
    """Each order's version, then everything about it that an answer may show."""
    items: dict[int, list] = {}
    for row in OrderItem.objects.order_by("order_id", "id").values_list(
        "order_id", "product_id", "product__name", "quantity", "unit_price"
    ):
        items.setdefault(row[0], []).append(row[1:])
    return {
        order.pk: (order.version, (order.owner_id, order.status, order.updated_at, items.get(order.pk)))
        for order in Order.objects.all()
    }


def admin_post(world: World, url: str, data: dict) -> None:
    response = world.admin.post(url, data)
    assert response.status_code == HTTPStatus.FOUND, response.context and response.context.get("errors")


def admin_change_order(world: World, *, status=None, quantity=None) -> None:
    order = world.order
    items = list(order.items.order_by("id"))
    data = {
        "owner": order.owner_id,
        "status": status or order.status,
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": str(len(items)),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for index, item in enumerate(items):
        data |= {
            f"items-{index}-id": item.pk,
            f"items-{index}-order": order.pk,
            f"items-{index}-product": item.product_id,
            f"items-{index}-quantity": str(quantity if quantity and index == 0 else item.quantity),
            f"items-{index}-unit_price": str(item.unit_price),
        }
    admin_post(world, reverse("admin:orders_order_change", args=[order.pk]), data)


def api(world: World, method: str, order: Order, body) -> None:
    response = getattr(world.api, method)(reverse("api:order-detail", kwargs={"pk": order.pk}), body, format="json")
    assert response.status_code == HTTPStatus.OK, response.content


WRITES = {
    "service: replace items": lambda w: services.order_replace_items(
        order=w.order, items=[{"product": w.ink.pk, "quantity": 5}]
    ),
    "service: cancel": lambda w: services.order_set_status(order=w.order, status=OrderStatus.CANCELLED, user=w.staff),
    "service: advance": lambda w: services.order_set_status(order=w.order, status=OrderStatus.PROCESSING, user=w.staff),
    "service: update": lambda w: services.order_update(
        order=w.order, user=w.staff, status=OrderStatus.CANCELLED, items=[{"product": w.pen.pk, "quantity": 1}]
    ),
    "service: save": lambda w: (setattr(w.order, "status", OrderStatus.SHIPPED), services.order_save(order=w.order)),
    "service: rename a product": lambda w: services.product_update(product=w.pen, name="Fountain pen"),
    "admin: change status": lambda w: admin_change_order(w, status=OrderStatus.SHIPPED),
    "admin: change an item": lambda w: admin_change_order(w, quantity=7),
    "admin: rename a product": lambda w: admin_post(
        w,
        reverse("admin:orders_product_change", args=[w.ink.pk]),
        {"name": "Blue ink", "description": "", "price": "4"},
    ),
    "api: cancel": lambda w: api(w, "patch", w.order, {"status": "cancelled"}),
    "api: replace items": lambda w: api(w, "patch", w.order, {"items": [{"product": w.ink.pk, "quantity": 3}]}),
    "api: rename a product": lambda w: (
        w.api.force_authenticate(w.staff),
        w.api.patch(reverse("api:product-detail", kwargs={"pk": w.pen.pk}), {"name": "Quill"}, format="json"),
    ),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_write_raises_the_version_of_each_order_it_changes(world, write):
    before = shown()

    write(world)

    after = shown()
    changed = [pk for pk in before if pk in after and after[pk][1] != before[pk][1]]
    assert changed, "this write changed nothing: it tests nothing"
    for pk in changed:
        assert after[pk][0] > before[pk][0], f"order {pk} changed, its version stayed {before[pk][0]}"


def test_a_saved_order_never_writes_its_version_back_from_the_instance(world):
    stale = Order.objects.get(pk=world.order.pk)
    services.order_set_status(order=world.order, status=OrderStatus.CANCELLED, user=world.staff)
    raised = Order.objects.get(pk=world.order.pk).version

    services.order_save(order=stale)

    assert Order.objects.get(pk=world.order.pk).version == raised + 1
