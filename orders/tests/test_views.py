from decimal import Decimal
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from orders import views
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
        ("-1", "greater than or equal to 0"),
        ("1.5", "Enter a whole number."),
        ("many", "Enter a whole number."),
        ("10001", "less than or equal to 10000"),
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

    with django_assert_num_queries(3):  # user (the session is cached), order with totals, items with products
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
