"""The read of orders the API makes on every page of orders uses order_owner_created, shown with EXPLAIN.

Checked on PostgreSQL only, as in todos/tests/test_indexes.py; CI's PostgreSQL pass runs these.
"""

import pytest
from django.db import connection

from orders.models import Order
from todos.tests import test_indexes
from todos.tests.factories import UserFactory

pytestmark = test_indexes.pytestmark  # database access, on PostgreSQL only

USERS, ORDERS_PER_USER, OWNER_ORDERS = 100, 30, 1000  # background: 3,000 orders; the owner has many
PAGE = 20


@pytest.fixture
def owner():
    """Enough orders for the planner to prefer an index to a sequential scan, with fresh statistics."""
    users = [UserFactory(username=f"customer{i}") for i in range(USERS)]
    owner = UserFactory(username="owner-under-test")
    Order.objects.bulk_create(
        [Order(owner=user) for user in users for _ in range(ORDERS_PER_USER)]
        + [Order(owner=owner) for _ in range(OWNER_ORDERS)]
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Order._meta.db_table}")
    return owner


def test_a_pages_ids_and_versions_read_order_owner_created_alone(owner):
    """As GET /api/orders/ reads them: the totals' subqueries are left out, so no join and no sort."""
    orders = Order.objects.for_owner(owner).with_totals().with_items()

    plan = orders.versions()[PAGE : 2 * PAGE].explain()

    assert "order_owner_created" in plan, plan
    assert "Sort" not in plan, plan
    assert "orders_orderitem" not in plan, plan
