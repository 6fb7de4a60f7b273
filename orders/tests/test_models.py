from decimal import Decimal

import pytest
from django.db import IntegrityError

from orders.models import Order, OrderItem, Product
from orders.tests.factories import OrderFactory, OrderItemFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_database_rejects_negative_price():
    with pytest.raises(IntegrityError):
        Product.objects.create(name="Broken", price=Decimal("-0.01"))


def test_database_rejects_blank_product_name():
    with pytest.raises(IntegrityError):
        Product.objects.create(name="  ", price=Decimal("1.00"))


def test_database_rejects_zero_quantity():
    with pytest.raises(IntegrityError):
        OrderItemFactory(quantity=0)


def test_database_rejects_a_product_twice_in_one_order():
    item = OrderItemFactory()
    with pytest.raises(IntegrityError):
        OrderItem.objects.create(order=item.order, product=item.product, quantity=1, unit_price=Decimal("1"))


def test_database_rejects_unknown_status():
    with pytest.raises(IntegrityError):
        OrderFactory(status="lost")


def test_order_products_go_through_order_items():
    item = OrderItemFactory(quantity=3)
    assert list(item.order.products.all()) == [item.product]
    assert list(item.product.orders.all()) == [item.order]


def test_with_totals_sums_quantity_times_unit_price(django_assert_num_queries):
    order = OrderFactory()
    OrderItemFactory(order=order, quantity=2, unit_price=Decimal("1.25"))
    OrderItemFactory(order=order, quantity=1, unit_price=Decimal("10.00"))
    empty = OrderFactory(owner=order.owner)
    with django_assert_num_queries(1):
        totals = {o.pk: (o.total, o.item_count) for o in Order.objects.with_totals()}
    assert totals == {order.pk: (Decimal("12.50"), 3), empty.pk: (Decimal("0.00"), 0)}


def test_orders_are_newest_first_and_products_by_name():
    first, second = OrderFactory(), OrderFactory()
    assert list(Order.objects.all()) == [second, first]
    ProductFactory(name="b")
    ProductFactory(name="a")
    assert list(Product.objects.values_list("name", flat=True)) == ["a", "b"]


def test_str():
    item = OrderItemFactory(quantity=2, product__name="Pen")
    assert str(item) == "2 x Pen"
    assert str(item.order) == f"Order #{item.order.pk}"
