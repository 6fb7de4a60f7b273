import re
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


# Edits in the admin reach the cached pages of orders (orders/api.py) through Order.version.


def orders_page(client):
    return client.get(reverse("api:order-list")).json()["results"]


def test_an_order_edited_in_the_admin_shows_on_its_owners_cached_page(admin_client, auth_api_client, user):
    order = OrderFactory(owner=user)
    item = OrderItemFactory(order=order, quantity=1, unit_price="2.00")
    assert orders_page(auth_api_client)[0]["status"] == "pending"  # cached from here on
    form = {
        "owner": user.pk,
        "status": "shipped",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "1",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-id": item.pk,
        "items-0-order": order.pk,
        "items-0-product": item.product.pk,
        "items-0-quantity": "3",
        "items-0-unit_price": "2.00",
    }

    response = admin_client.post(reverse("admin:orders_order_change", args=[order.pk]), form)

    assert response.status_code == HTTPStatus.FOUND
    [shown] = orders_page(auth_api_client)
    assert (shown["status"], shown["item_count"], shown["total"]) == ("shipped", 3, "6.00")


def test_a_product_renamed_in_the_admin_shows_on_cached_pages_of_orders(admin_client, auth_api_client, user):
    item = OrderItemFactory(order=OrderFactory(owner=user), product__name="Pen", product__price="1.50")
    assert orders_page(auth_api_client)[0]["items"][0]["product_name"] == "Pen"  # cached from here on

    response = admin_client.post(
        reverse("admin:orders_product_change", args=[item.product.pk]),
        {"name": "Fountain pen", "description": "", "price": "1.75"},
    )

    assert response.status_code == HTTPStatus.FOUND
    item.product.refresh_from_db()
    assert (item.product.name, item.product.price) == ("Fountain pen", Decimal("1.75"))
    assert orders_page(auth_api_client)[0]["items"][0]["product_name"] == "Fountain pen"


def test_order_totals_show_two_decimal_places(admin_client):
    """SQLite sums money as floating point: 18.2000000000000 must read 18.20, in the list and on the order."""
    order = OrderFactory()
    OrderItemFactory(order=order, quantity=7, unit_price="2.60", product__price="2.60")
    OrderItemFactory(order=order, quantity=1, unit_price="0.00", product__price="0.00")

    changelist = admin_client.get(reverse("admin:orders_order_changelist")).content.decode()
    change = admin_client.get(reverse("admin:orders_order_change", args=[order.pk])).content.decode()

    assert '<td class="field-total">18.20</td>' in changelist
    assert "18.200" not in changelist
    assert "18.20" in change
    assert "18.200" not in change


def test_order_items_are_not_captioned_with_their_own_summary(admin_client):
    """The inline rows show their fields only, not the item's __str__ ("2 x Notebook") above each row."""
    order = OrderFactory()
    OrderItemFactory(order=order, quantity=2, product__name="Notebook")

    response = admin_client.get(reverse("admin:orders_order_change", args=[order.pk]))

    content = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "2 x Notebook" not in content
    assert '<table class="without-captions">' in content
    assert "css/admin.css" in content


def test_money_shows_two_decimal_places_on_every_admin_page(admin_client):
    product = ProductFactory(name="Ruler", price=Decimal("5"))
    order = OrderFactory()
    item = OrderItemFactory(order=order, quantity=3, product=product, unit_price=Decimal("5"))
    product.refresh_from_db()
    item.refresh_from_db()

    products = admin_client.get(reverse("admin:orders_product_changelist")).content.decode()
    product_page = admin_client.get(reverse("admin:orders_product_change", args=[product.pk])).content.decode()
    orders = admin_client.get(reverse("admin:orders_order_changelist")).content.decode()
    order_page = admin_client.get(reverse("admin:orders_order_change", args=[order.pk])).content.decode()

    assert '<td class="field-price">5.00</td>' in products
    assert 'name="price" value="5.00"' in product_page
    assert '<td class="field-total">15.00</td>' in orders
    assert 'name="items-0-unit_price" value="5.00"' in order_page
    assert re.search(r'<td class="field-line_total">\s*<p>15.00</p>', order_page)
    assert '<div class="readonly">15.00</div>' in order_page


def test_each_order_item_input_has_a_label_naming_its_row(admin_client):
    order = OrderFactory()
    OrderItemFactory.create_batch(2, order=order)

    content = admin_client.get(reverse("admin:orders_order_change", args=[order.pk])).content.decode()

    for row in (0, 1):
        for field, label in [("product", "Product"), ("quantity", "Quantity"), ("unit_price", "Unit price")]:
            assert (
                f'<label for="id_items-{row}-{field}" class="inline-label">{label} of item {row + 1}</label>' in content
            )
        assert f'<label for="id_items-{row}-DELETE" class="inline-label">Delete item {row + 1}</label>' in content


def test_long_product_names_and_owners_are_cut_with_the_whole_text_as_title(admin_client):
    product = ProductFactory(name="A fountain pen " + "p" * 100)
    OrderItemFactory(order=OrderFactory(owner__username="u" * 40), product=product)

    products = admin_client.get(reverse("admin:orders_product_changelist")).content.decode()
    orders = admin_client.get(reverse("admin:orders_order_changelist")).content.decode()

    assert f'<span title="{product.name}">{product.name[:49]}…</span>' in products
    assert f'<span title="{"u" * 40}">{"u" * 19}…</span>' in orders
