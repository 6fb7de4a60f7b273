import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from orders import services
from orders.models import Order, OrderItem, OrderStatus
from orders.tests.factories import OrderFactory, ProductFactory
from todos.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_order_create_snapshots_prices_and_merges_repeated_products():
    pen = ProductFactory(price=Decimal("2.50"))
    ink = ProductFactory(price=Decimal("4.00"))
    order = services.order_create(
        owner=UserFactory(),
        items=[{"product": pen.pk, "quantity": 1}, {"product": ink, "quantity": 2}, {"product": pen.pk, "quantity": 2}],
    )
    pen.price = Decimal("99")
    pen.save()
    items = {i.product_id: (i.quantity, i.unit_price) for i in order.items.all()}
    assert items == {pen.pk: (3, Decimal("2.50")), ink.pk: (2, Decimal("4.00"))}
    assert Order.objects.with_totals().get(pk=order.pk).total == Decimal("15.50")


@pytest.mark.parametrize(
    "items",
    [
        [],
        [{"product": 1, "quantity": 0}],
        [{"product": 1, "quantity": -1}],
        [{"product": 1, "quantity": "2"}],
        [{"product": 1, "quantity": True}],
        [{"product": None, "quantity": 1}],
        [{"product": 1, "quantity": 10_001}],
    ],
)
def test_order_create_rejects_bad_items(items):
    ProductFactory(id=1)
    with pytest.raises(ValidationError) as error:
        services.order_create(owner=UserFactory(), items=items)
    assert "items" in error.value.message_dict
    assert not Order.objects.exists()


def test_order_create_with_an_unknown_product_writes_nothing():
    known = ProductFactory()
    with pytest.raises(ValidationError) as error:
        services.order_create(
            owner=UserFactory(), items=[{"product": known.pk, "quantity": 1}, {"product": 999999, "quantity": 1}]
        )
    assert "999999" in error.value.message_dict["items"][0]
    assert not Order.objects.exists()
    assert not OrderItem.objects.exists()


def test_order_replace_items_only_while_pending():
    order = services.order_create(owner=UserFactory(), items=[{"product": ProductFactory().pk, "quantity": 1}])
    other = ProductFactory()
    services.order_replace_items(order=order, items=[{"product": other.pk, "quantity": 5}])
    assert list(order.items.values_list("product", "quantity")) == [(other.pk, 5)]
    services.order_set_status(order=order, status=OrderStatus.PROCESSING, user=UserFactory(is_staff=True))
    with pytest.raises(ValidationError):
        services.order_replace_items(order=order, items=[{"product": other.pk, "quantity": 1}])
    assert list(order.items.values_list("quantity", flat=True)) == [5]


def test_owner_may_only_cancel_a_pending_order():
    order = OrderFactory()
    with pytest.raises(ValidationError):
        services.order_set_status(order=order, status=OrderStatus.SHIPPED, user=order.owner)
    services.order_set_status(order=order, status=OrderStatus.CANCELLED, user=order.owner)
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED


def test_setting_a_cancelled_order_back_to_pending_is_the_owners_undo():
    """The one way back from cancelled: order_uncancel's rules (its owner, who cancelled it, for a while)."""
    order = OrderFactory()
    services.order_set_status(order=order, status=OrderStatus.CANCELLED, user=order.owner)
    with pytest.raises(services.OrderConflict, match="not cancelled by you"):
        services.order_set_status(order=order, status=OrderStatus.PENDING, user=UserFactory(is_staff=True))
    services.order_set_status(order=order, status=OrderStatus.PENDING, user=order.owner)
    stored = Order.objects.get(pk=order.pk)
    assert (stored.status, stored.cancelled_at) == (OrderStatus.PENDING, None)


def test_staff_advance_an_order_step_by_step():
    order, staff = OrderFactory(), UserFactory(is_staff=True)
    for status in [OrderStatus.PROCESSING, OrderStatus.SHIPPED, OrderStatus.DELIVERED]:
        services.order_set_status(order=order, status=status, user=staff)
    assert order.status == OrderStatus.DELIVERED
    with pytest.raises(ValidationError):
        services.order_set_status(order=order, status=OrderStatus.CANCELLED, user=staff)


@pytest.mark.parametrize(
    ("status", "deletable"),
    [(OrderStatus.PENDING, True), (OrderStatus.CANCELLED, True), (OrderStatus.SHIPPED, False)],
)
def test_order_delete_only_pending_or_cancelled(status, deletable):
    order = OrderFactory(status=status)
    if deletable:
        services.order_delete(order=order)
    else:
        with pytest.raises(ValidationError):
            services.order_delete(order=order)
    assert Order.objects.filter(pk=order.pk).exists() is not deletable


# Undoing a cancel (order_uncancel)

CANCELLED_AT = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def cancelled_order():
    """An order its owner cancelled at CANCELLED_AT."""
    order = OrderFactory()
    with time_machine.travel(CANCELLED_AT, tick=False):
        services.order_set_status(order=order, status=OrderStatus.CANCELLED, user=order.owner)
    return order


def test_cancel_records_who_cancelled_and_when(cancelled_order):
    cancelled_order.refresh_from_db()
    assert (cancelled_order.cancelled_by, cancelled_order.cancelled_at) == (cancelled_order.owner, CANCELLED_AT)


def test_owner_may_undo_their_cancel_within_ten_minutes(cancelled_order):
    version = Order.objects.get(pk=cancelled_order.pk).version

    with time_machine.travel(CANCELLED_AT + datetime.timedelta(minutes=10), tick=False):
        services.order_uncancel(order=cancelled_order, by=cancelled_order.owner)

    stored = Order.objects.get(pk=cancelled_order.pk)
    assert (stored.status, stored.cancelled_at, stored.cancelled_by) == (OrderStatus.PENDING, None, None)
    assert stored.version == version + 1


def test_undo_is_refused_after_ten_minutes(cancelled_order):
    with (
        time_machine.travel(CANCELLED_AT + datetime.timedelta(minutes=10, seconds=1), tick=False),
        pytest.raises(services.OrderConflict, match="within 10 minutes"),
    ):
        services.order_uncancel(order=cancelled_order, by=cancelled_order.owner)

    assert Order.objects.get(pk=cancelled_order.pk).status == OrderStatus.CANCELLED


def test_undo_of_a_cancel_by_staff_is_refused(staff_user):
    order = OrderFactory()
    services.order_set_status(order=order, status=OrderStatus.CANCELLED, user=staff_user)

    with pytest.raises(services.OrderConflict, match="not cancelled by you"):
        services.order_uncancel(order=order, by=order.owner)

    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED


def test_undo_by_another_person_is_refused(cancelled_order, other_user):
    with (
        time_machine.travel(CANCELLED_AT, tick=False),
        pytest.raises(services.OrderConflict, match="not cancelled by you"),
    ):
        services.order_uncancel(order=cancelled_order, by=other_user)


def test_undo_is_judged_on_the_stored_status_not_the_callers(cancelled_order):
    """The row was restored meanwhile (another tab's Undo): the caller's stale copy says cancelled."""
    Order.objects.filter(pk=cancelled_order.pk).update(status=OrderStatus.PENDING)

    with (
        time_machine.travel(CANCELLED_AT, tick=False),
        pytest.raises(services.OrderConflict, match="is pending, not cancelled"),
    ):
        services.order_uncancel(order=cancelled_order, by=cancelled_order.owner)
