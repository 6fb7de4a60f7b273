"""Reads of orders that the API needs on nearly every request, as statements written once in SQL.

The ORM spent longer building these queries than PostgreSQL spent running them (todoproject/sql.py).
"""

from functools import cache

from django.db.models import DecimalField, IntegerField

from orders.models import MONEY, Order, OrderItem, Product
from todoproject.sql import Statement

MAX_PAGE = 2**31 - 1  # beyond any page of orders anyone has; keeps OFFSET within SQLite's integers


def order_page_versions(*, owner_id: int, limit: int, offset: int) -> list[tuple]:
    """The ids and versions of the orders on that page of the owner's orders, with the count of all of them.

    Each row: id, version, count. Together they determine the page (Order.version): what keys its cache.
    """
    return _order_page_versions().rows([owner_id, limit, offset])


def order_page_rows(*, owner_id: int, limit: int, offset: int) -> list[tuple]:
    """A page of the owner's orders, newest first, with their totals as Order.objects.with_totals() has them.

    Each row: id, status, total, item_count, created_at, updated_at, then the count of all the owner's orders.
    """
    return _order_page().rows([owner_id, limit, offset])


def order_page_item_rows(*, owner_id: int, limit: int, offset: int) -> list[tuple]:
    """The items of the orders on that page, in id order: order_id, product_id, product name, quantity, unit_price."""
    return _order_page_items().rows([owner_id, limit, offset])


@cache
def _order_page_versions() -> Statement:
    return Statement(
        """
        SELECT id, version, COUNT(*) OVER () FROM orders_order
        WHERE owner_id = %s
        ORDER BY created_at DESC, id DESC
        LIMIT %s OFFSET %s
        """,
        [Order._meta.get_field("id"), Order._meta.get_field("version"), IntegerField()],
    )


@cache
def _order_page() -> Statement:
    money, number = DecimalField(**MONEY), IntegerField()
    return Statement(
        """
        SELECT o.id, o.status, COALESCE(SUM(i.quantity * i.unit_price), 0), COALESCE(SUM(i.quantity), 0),
               o.created_at, o.updated_at, COUNT(*) OVER ()
        FROM orders_order o LEFT OUTER JOIN orders_orderitem i ON i.order_id = o.id
        WHERE o.owner_id = %s
        GROUP BY o.id, o.status, o.created_at, o.updated_at
        ORDER BY o.created_at DESC, o.id DESC
        LIMIT %s OFFSET %s
        """,
        [Order._meta.get_field("id"), Order._meta.get_field("status"), money, number]
        + [Order._meta.get_field("created_at"), Order._meta.get_field("updated_at"), number],
    )


@cache
def _order_page_items() -> Statement:
    return Statement(
        """
        SELECT i.order_id, i.product_id, p.name, i.quantity, i.unit_price
        FROM orders_orderitem i INNER JOIN orders_product p ON p.id = i.product_id
        WHERE i.order_id IN (
            SELECT id FROM orders_order WHERE owner_id = %s ORDER BY created_at DESC, id DESC LIMIT %s OFFSET %s
        )
        ORDER BY i.id
        """,
        [OrderItem._meta.get_field(name) for name in ("order", "product")]
        + [Product._meta.get_field("name")]
        + [OrderItem._meta.get_field(name) for name in ("quantity", "unit_price")],
    )
