from decimal import Decimal
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orders.tests.factories import OrderFactory, OrderItemFactory, ProductFactory

pytestmark = pytest.mark.django_db


def make_orders(count):
    for _ in range(count):
        order = OrderFactory()
        OrderItemFactory.create_batch(2, order=order)


@pytest.mark.parametrize("model", ["order", "product"])
def test_changelist_query_count_does_not_grow_with_rows(admin_client, model):
    url = reverse(f"admin:orders_{model}_changelist")
    counts = []
    for rows in (1, 50):
        make_orders(rows)
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(url).status_code == HTTPStatus.OK
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_order_changelist_shows_totals_and_filters_by_status(admin_client):
    shipped = OrderFactory(status="shipped")
    OrderItemFactory(order=shipped, quantity=3, product__price="2.00")
    OrderFactory(status="pending")
    response = admin_client.get(reverse("admin:orders_order_changelist"), {"status__exact": "shipped"})
    rows = list(response.context["cl"].result_list)
    assert [(o.pk, o.total, o.item_count) for o in rows] == [(shipped.pk, Decimal("6.00"), 3)]


def test_product_search_and_autocomplete(admin_client):
    ProductFactory(name="Fountain pen")
    ProductFactory(name="Lamp")
    changelist = admin_client.get(reverse("admin:orders_product_changelist"), {"q": "pen"})
    assert [p.name for p in changelist.context["cl"].result_list] == ["Fountain pen"]
    autocomplete = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "lam", "app_label": "orders", "model_name": "orderitem", "field_name": "product"},
    )
    assert [r["text"] for r in autocomplete.json()["results"]] == ["Lamp"]


def test_order_add_page_renders_with_item_inline(admin_client):
    response = admin_client.get(reverse("admin:orders_order_add"))
    assert response.status_code == HTTPStatus.OK
    assert "items-TOTAL_FORMS" in response.content.decode()
