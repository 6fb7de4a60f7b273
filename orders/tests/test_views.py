import datetime
import re
from decimal import Decimal
from http import HTTPStatus

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.services import profile_for, profile_update
from orders import services, views
from orders.models import Order, OrderStatus
from orders.tests.factories import OrderFactory, OrderItemFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def notebook():
    return ProductFactory(name="Notebook", price=Decimal("7.50"))


@pytest.fixture
def pen():
    return ProductFactory(name="Pen", price=Decimal("2.00"))


@pytest.fixture
def order(user, notebook):
    order = OrderFactory(owner=user)
    OrderItemFactory(order=order, product=notebook, quantity=2)
    return order


@pytest.fixture
def others_order(other_user, notebook):
    order = OrderFactory(owner=other_user)
    OrderItemFactory(order=order, product=notebook)
    return order


@pytest.mark.parametrize("name", ["orders:order_list", "orders:order_create"])
def test_orders_pages_need_login(client, name):
    response = client.get(reverse(name))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("login"))


def test_catalogue_lists_products_with_quantity_fields(auth_client, notebook, pen):
    response = auth_client.get(reverse("orders:order_create"))

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "Notebook" in html
    assert "$7.50" in html
    assert f'name="quantity_{pen.pk}"' in html


def test_place_order_creates_it_at_todays_prices(auth_client, user, notebook, pen):
    response = auth_client.post(
        reverse("orders:order_create"), {f"quantity_{notebook.pk}": "3", f"quantity_{pen.pk}": ""}
    )

    order = Order.objects.get(owner=user)
    assert response.url == reverse("orders:order_detail", args=[order.pk])
    assert [(item.product, item.quantity, item.unit_price) for item in order.items.all()] == [
        (notebook, 3, Decimal("7.50"))
    ]


@pytest.mark.parametrize(
    ("quantity", "error"),
    [
        ("", "Choose at least one product"),
        ("0", "Choose at least one product"),
        ("-1", "Quantity must be a whole number from 0 to 10000."),
        ("1.5", "Quantity must be a whole number from 0 to 10000."),
        ("many", "Quantity must be a whole number from 0 to 10000."),
        ("10001", "Quantity must be a whole number from 0 to 10000."),
    ],
    ids=["empty", "zero", "negative", "fraction", "text", "too-many"],
)
def test_place_order_with_bad_quantities_shows_errors(auth_client, notebook, quantity, error):
    response = auth_client.post(reverse("orders:order_create"), {f"quantity_{notebook.pk}": quantity})

    assert response.status_code == HTTPStatus.OK
    assert error in response.content.decode()
    assert not Order.objects.exists()


def test_place_order_ignores_unknown_product_ids(auth_client):
    response = auth_client.post(reverse("orders:order_create"), {"quantity_999": "1"})

    assert response.status_code == HTTPStatus.OK
    assert "Choose at least one product" in response.content.decode()
    assert not Order.objects.exists()


def test_place_order_without_csrf_token_is_forbidden(user, notebook):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(reverse("orders:order_create"), {f"quantity_{notebook.pk}": "1"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Order.objects.exists()


def test_my_orders_show_items_and_totals_of_my_orders_only(auth_client, order, others_order, pen):
    OrderItemFactory(order=order, product=pen, quantity=1)

    response = auth_client.get(reverse("orders:order_list"))

    html = response.content.decode()
    assert f"Order #{order.pk}" in html
    assert f"Order #{others_order.pk}" not in html
    assert "2 × Notebook" in html
    assert "$17.00" in html


@pytest.mark.parametrize("size", [1, 50])
def test_my_orders_query_count_is_constant(auth_client, user, django_assert_num_queries, size):
    for _ in range(size):
        OrderItemFactory(order=OrderFactory(owner=user))

    with django_assert_num_queries(4):  # user (the session is cached), count, orders with totals, items with products
        auth_client.get(reverse("orders:order_list"))


@pytest.mark.parametrize("size", [1, 50])
def test_catalogue_query_count_is_constant(auth_client, django_assert_num_queries, size):
    ProductFactory.create_batch(size)

    with django_assert_num_queries(2):  # user (the session is cached), products
        auth_client.get(reverse("orders:order_create"))


@pytest.mark.parametrize("size", [1, 50])
def test_order_detail_query_count_is_constant(auth_client, user, django_assert_num_queries, size):
    order = OrderFactory(owner=user)
    OrderItemFactory.create_batch(size, order=order)

    with django_assert_num_queries(4):  # user (the session is cached), order with totals, items, products to add
        auth_client.get(reverse("orders:order_detail", args=[order.pk]))


def test_order_detail_shows_status_and_total(auth_client, order):
    response = auth_client.get(reverse("orders:order_detail", args=[order.pk]))

    html = response.content.decode()
    assert "Pending" in html
    assert "$15.00" in html
    assert "Cancel order" in html


def test_order_detail_of_another_user_is_404(auth_client, others_order):
    response = auth_client.get(reverse("orders:order_detail", args=[others_order.pk]))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_cancel_pending_order(auth_client, order):
    response = auth_client.post(reverse("orders:order_cancel", args=[order.pk]))

    assert response.url == reverse("orders:order_detail", args=[order.pk])
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED


def test_cancel_shipped_order_is_refused_with_a_message(auth_client, order):
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.SHIPPED)

    response = auth_client.post(reverse("orders:order_cancel", args=[order.pk]), follow=True)

    assert "cannot go from shipped to cancelled" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED


def test_cancel_of_an_order_deleted_while_it_waited_redirects_with_a_message(auth_client, order, monkeypatch):
    """The view read the order, then another request deleted it before the cancel took the order's lock."""
    read_before = Order.objects.get(pk=order.pk)
    monkeypatch.setattr(views, "get_object_or_404", lambda *args, **kwargs: read_before)
    Order.objects.filter(pk=order.pk).delete()

    response = auth_client.post(reverse("orders:order_cancel", args=[order.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("orders:order_list")
    assert f"Order #{read_before.pk} no longer exists." in response.content.decode()


def test_cancel_order_of_another_user_is_404(auth_client, others_order):
    response = auth_client.post(reverse("orders:order_cancel", args=[others_order.pk]))

    assert response.status_code == HTTPStatus.NOT_FOUND
    others_order.refresh_from_db()
    assert others_order.status == OrderStatus.PENDING


def test_cancel_without_csrf_token_is_forbidden(user, order):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    assert client.post(reverse("orders:order_cancel", args=[order.pk])).status_code == HTTPStatus.FORBIDDEN


# The shop's running total


def test_catalogue_renders_prices_for_the_running_total(auth_client, notebook):
    response = auth_client.get(reverse("orders:order_create"))

    html = response.content.decode()
    assert 'data-price="7.50"' in html
    assert '<form method="post" action="/orders/new/" class="order-form" novalidate data-running-total-form>' in html
    assert "<output data-running-total" in html
    assert "js/order-total.js" in html


# Editing a pending order's items


def edit(client, order, data):
    return client.post(reverse("orders:order_items_edit", args=[order.pk]), data)


def lines(order):
    return sorted((item.product.name, item.quantity) for item in order.items.all())


def test_edit_changes_quantities_and_adds_a_product(auth_client, order, notebook, pen):
    response = edit(auth_client, order, {f"quantity_{notebook.pk}": "5", "add_product": pen.pk, "add_quantity": "2"})

    assert response.url == reverse("orders:order_detail", args=[order.pk])
    assert lines(order) == [("Notebook", 5), ("Pen", 2)]
    page = auth_client.get(response.url).content.decode()
    assert "$41.50" in page


def test_edit_quantity_zero_removes_the_line(auth_client, order, notebook, pen):
    OrderItemFactory(order=order, product=pen, quantity=1)

    response = edit(auth_client, order, {f"quantity_{notebook.pk}": "0", f"quantity_{pen.pk}": "3"})

    assert response.status_code == HTTPStatus.FOUND
    assert lines(order) == [("Pen", 3)]


def test_edit_removing_every_line_asks_for_a_product(auth_client, order, notebook):
    response = edit(auth_client, order, {f"quantity_{notebook.pk}": "0"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context["items_form"].errors == {"add_product": ["Choose at least one product."]}
    assert lines(order) == [("Notebook", 2)]


@pytest.mark.parametrize("quantity", ["", "-1", "1.5", "many", "10001"])
def test_edit_with_a_bad_quantity_says_so_beside_the_field(auth_client, order, notebook, quantity):
    response = edit(auth_client, order, {f"quantity_{notebook.pk}": quantity})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    field = f"quantity_{notebook.pk}"
    assert response.context["items_form"].errors == {field: ["Quantity must be a whole number from 0 to 10000."]}
    assert f'<p class="field-error" id="id_{field}_error">' in response.content.decode()
    assert lines(order) == [("Notebook", 2)]


@pytest.mark.parametrize("quantity", ["", "0", "10001"])
def test_edit_adding_a_product_needs_a_quantity_of_one_or_more(auth_client, order, notebook, pen, quantity):
    data = {f"quantity_{notebook.pk}": "2", "add_product": pen.pk, "add_quantity": quantity}

    response = edit(auth_client, order, data)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context["items_form"].errors == {
        "add_quantity": ["Quantity must be a whole number from 1 to 10000."]
    }
    assert lines(order) == [("Notebook", 2)]


def test_edit_adding_an_unknown_product_is_refused(auth_client, order, notebook):
    response = edit(auth_client, order, {f"quantity_{notebook.pk}": "2", "add_product": "999999", "add_quantity": "1"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context["items_form"].errors == {"add_product": ["Choose a product from the list."]}
    assert lines(order) == [("Notebook", 2)]


def test_edit_of_an_order_no_longer_pending_says_so_and_writes_nothing(auth_client, order, notebook):
    """A staff member advanced the order after the page was shown."""
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.PROCESSING)

    response = edit(auth_client, order, {f"quantity_{notebook.pk}": "7"})

    assert response.status_code == HTTPStatus.CONFLICT
    html = response.content.decode()
    assert "Only a pending order&#x27;s items can be changed." in html
    assert "Save changes" not in html
    assert lines(order) == [("Notebook", 2)]


def test_edit_of_another_persons_order_is_404(auth_client, others_order, notebook):
    response = edit(auth_client, others_order, {f"quantity_{notebook.pk}": "7"})

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert lines(others_order) == [("Notebook", 1)]


def test_detail_of_a_pending_order_has_the_edit_form_with_its_quantities(auth_client, order, notebook, pen):
    html = auth_client.get(reverse("orders:order_detail", args=[order.pk])).content.decode()

    assert "Save changes" in html
    assert f'name="quantity_{notebook.pk}"' in html
    assert f'<option value="{pen.pk}">Pen ($2.00)</option>' in html


def test_detail_of_a_shipped_order_has_no_edit_form(auth_client, order):
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.SHIPPED)

    html = auth_client.get(reverse("orders:order_detail", args=[order.pk])).content.decode()

    assert "Save changes" not in html
    assert "Cancel order" not in html


@pytest.mark.parametrize("size", [1, 20])
def test_edit_refused_query_count_is_constant(auth_client, user, django_assert_num_queries, size):
    order = OrderFactory(owner=user)
    OrderItemFactory.create_batch(size, order=order)

    # user, order, items; the form's validation; products to add
    with django_assert_num_queries(4):
        response = edit(auth_client, order, {"add_product": "", "add_quantity": ""})
    assert response.status_code == HTTPStatus.BAD_REQUEST


# Cancel with a way back

CANCELLED_AT = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def cancelled(auth_client, order):
    """The owner cancelled `order` through the page at CANCELLED_AT."""
    with time_machine.travel(CANCELLED_AT, tick=False):
        auth_client.post(reverse("orders:order_cancel", args=[order.pk]))
    return order


def undo(client, order):
    return client.post(reverse("orders:order_uncancel", args=[order.pk]), follow=True)


def test_after_cancelling_the_page_offers_undo(auth_client, cancelled):
    with time_machine.travel(CANCELLED_AT + datetime.timedelta(minutes=1), tick=False):
        html = auth_client.get(reverse("orders:order_detail", args=[cancelled.pk])).content.decode()

    assert f"Order #{cancelled.pk} cancelled." in html
    assert reverse("orders:order_uncancel", args=[cancelled.pk]) in html


def test_undo_within_ten_minutes_restores_the_order(auth_client, cancelled):
    with time_machine.travel(CANCELLED_AT + datetime.timedelta(minutes=9), tick=False):
        response = undo(auth_client, cancelled)

    assert f"Order #{cancelled.pk} is pending again." in response.content.decode()
    cancelled.refresh_from_db()
    assert cancelled.status == OrderStatus.PENDING


def test_undo_after_ten_minutes_is_refused_and_no_longer_offered(auth_client, cancelled):
    with time_machine.travel(CANCELLED_AT + datetime.timedelta(minutes=11), tick=False):
        response = undo(auth_client, cancelled)

    html = response.content.decode()
    assert "A cancel can only be undone within 10 minutes." in html
    assert reverse("orders:order_uncancel", args=[cancelled.pk]) not in html
    cancelled.refresh_from_db()
    assert cancelled.status == OrderStatus.CANCELLED


def test_undo_of_another_persons_order_is_404(auth_client, other_user, others_order):
    services.order_set_status(order=others_order, status=OrderStatus.CANCELLED, user=other_user)

    response = auth_client.post(reverse("orders:order_uncancel", args=[others_order.pk]))

    assert response.status_code == HTTPStatus.NOT_FOUND
    others_order.refresh_from_db()
    assert others_order.status == OrderStatus.CANCELLED


def test_undo_of_an_order_no_longer_cancelled_is_refused(auth_client, cancelled):
    """Restored meanwhile (another tab's Undo) and then advanced by staff: the Undo button was stale."""
    Order.objects.filter(pk=cancelled.pk).update(status=OrderStatus.PROCESSING)

    with time_machine.travel(CANCELLED_AT + datetime.timedelta(minutes=1), tick=False):
        response = undo(auth_client, cancelled)

    assert f"Order #{cancelled.pk} is processing, not cancelled." in response.content.decode()
    cancelled.refresh_from_db()
    assert cancelled.status == OrderStatus.PROCESSING


@pytest.mark.parametrize("size", [1, 20])
def test_cancelled_order_detail_query_count_is_constant(auth_client, user, django_assert_num_queries, size):
    order = OrderFactory(owner=user, status=OrderStatus.CANCELLED)
    OrderItemFactory.create_batch(size, order=order)

    with django_assert_num_queries(3):  # user (the session is cached), order with totals, items with products
        auth_client.get(reverse("orders:order_detail", args=[order.pk]))


@pytest.mark.parametrize(
    ("zone", "shown", "offset"),
    [
        ("Asia/Tokyo", "Today 05:30", "+09:00"),
        ("America/Los_Angeles", "Today 12:30", "-08:00"),
        ("UTC", "Today 20:30", "+00:00"),
    ],
)
def test_order_times_are_in_the_persons_time_zone(auth_client, user, order, zone, shown, offset):
    """Placed at 20:30 UTC on 5 December: 05:30 the next morning in Tokyo, 12:30 in Los Angeles."""
    Order.objects.filter(pk=order.pk).update(created_at=datetime.datetime(2026, 12, 5, 20, 30, tzinfo=datetime.UTC))
    profile_update(profile=profile_for(user=user), time_zone=zone)

    with time_machine.travel(datetime.datetime(2026, 12, 5, 21, 0, tzinfo=datetime.UTC), tick=False):
        for page in (reverse("orders:order_list"), reverse("orders:order_detail", args=[order.pk])):
            html = auth_client.get(page).content.decode()
            assert re.search(rf'<time datetime="[^"]*T\d\d:30:00{re.escape(offset)}"[^>]*>{shown}</time>', html), page
