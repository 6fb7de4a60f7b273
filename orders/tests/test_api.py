"""The products and orders REST API: /api/products/[{id}/[orders/]] and /api/orders/[{id}/]."""

import datetime
from decimal import Decimal
from http import HTTPStatus

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from orders import services
from orders.models import Order, OrderItem, OrderStatus, Product
from orders.tests.factories import OrderFactory, OrderItemFactory, ProductFactory

pytestmark = pytest.mark.django_db

CANCELLED_AT = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)


def products_url():
    return reverse("api:product-list")


def product_url(product):
    return reverse("api:product-detail", kwargs={"pk": product.pk})


def product_orders_url(product):
    return reverse("api:product-orders", kwargs={"pk": product.pk})


def orders_url():
    return reverse("api:order-list")


def order_url(order):
    return reverse("api:order-detail", kwargs={"pk": order.pk})


@pytest.fixture
def staff_api_client(api_client, staff_user):
    api_client.force_authenticate(staff_user)
    return api_client


@pytest.fixture
def pen():
    return ProductFactory(name="Pen", price=Decimal("1.50"))


@pytest.fixture
def ink():
    return ProductFactory(name="Ink", price=Decimal("4.00"))


@pytest.fixture
def order(user, pen, ink):
    return services.order_create(
        owner=user, items=[{"product": pen.pk, "quantity": 2}, {"product": ink, "quantity": 1}]
    )


# /api/products/


def test_products_are_readable_by_anyone_logged_in(auth_api_client, pen, ink):
    response = auth_api_client.get(products_url())

    assert response.status_code == HTTPStatus.OK
    assert [p["name"] for p in response.json()["results"]] == ["Ink", "Pen"]
    assert response.json()["results"][1]["price"] == "1.50"


def test_products_search_and_ordering(auth_api_client, pen, ink):
    ProductFactory(name="Paper", description="For the pen", price=Decimal("3.00"))

    by_price = auth_api_client.get(products_url(), {"ordering": "-price"}).json()["results"]
    pens = auth_api_client.get(products_url(), {"search": "pen"}).json()["results"]

    assert [p["name"] for p in by_price] == ["Ink", "Paper", "Pen"]
    assert [p["name"] for p in pens] == ["Paper", "Pen"]


def test_products_anonymous_is_401(api_client, pen):
    assert api_client.get(products_url()).status_code == HTTPStatus.UNAUTHORIZED
    assert api_client.get(product_url(pen)).status_code == HTTPStatus.UNAUTHORIZED
    assert (
        api_client.post(products_url(), {"name": "x", "price": "1"}, format="json").status_code
        == HTTPStatus.UNAUTHORIZED
    )


def test_product_create_by_staff_is_201_with_location(staff_api_client):
    response = staff_api_client.post(products_url(), {"name": " Stapler ", "price": "12.00"}, format="json")

    assert response.status_code == HTTPStatus.CREATED
    created = Product.objects.get()
    assert (created.name, created.price) == ("Stapler", Decimal("12.00"))
    assert response["Location"] == f"http://testserver{product_url(created)}"


def test_product_writes_by_non_staff_are_403(auth_api_client, pen):
    assert (
        auth_api_client.post(products_url(), {"name": "x", "price": "1"}, format="json").status_code
        == HTTPStatus.FORBIDDEN
    )
    assert auth_api_client.patch(product_url(pen), {"price": "0"}, format="json").status_code == HTTPStatus.FORBIDDEN
    assert (
        auth_api_client.put(product_url(pen), {"name": "x", "price": "0"}, format="json").status_code
        == HTTPStatus.FORBIDDEN
    )
    response = auth_api_client.delete(product_url(pen))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json() == {"detail": "You do not have permission to perform this action."}
    pen.refresh_from_db()
    assert pen.price == Decimal("1.50")


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"name": "x", "price": "-1"}, {"price"}),
        ({"name": "  ", "price": "1"}, {"name"}),
        ({"price": "abc"}, {"name", "price"}),
    ],
)
def test_product_create_bad_input_is_400(staff_api_client, body, fields):
    response = staff_api_client.post(products_url(), body, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert set(response.json()) == fields
    assert not Product.objects.exists()


def test_product_patch_and_put_by_staff(staff_api_client, pen):
    patched = staff_api_client.patch(product_url(pen), {"price": "2.00"}, format="json")
    put = staff_api_client.put(product_url(pen), {"name": "Fountain pen", "price": "30.00"}, format="json")

    assert (patched.status_code, put.status_code) == (HTTPStatus.OK, HTTPStatus.OK)
    pen.refresh_from_db()
    assert (pen.name, pen.price) == ("Fountain pen", Decimal("30.00"))


def test_product_post_to_item_is_405(staff_api_client, pen):
    assert staff_api_client.post(product_url(pen), {}, format="json").status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_product_unknown_is_404(auth_api_client):
    response = auth_api_client.get(reverse("api:product-detail", kwargs={"pk": 999}))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == {"detail": "No Product matches the given query."}


def test_product_delete_by_staff(staff_api_client, pen):
    assert staff_api_client.delete(product_url(pen)).status_code == HTTPStatus.NO_CONTENT
    assert not Product.objects.exists()


def test_product_delete_when_ordered_is_409(staff_api_client, order, pen):
    response = staff_api_client.delete(product_url(pen))

    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json() == {"product": ["A product that has been ordered cannot be deleted."]}
    assert Product.objects.filter(pk=pen.pk).exists()


# /api/products/{id}/orders/


def test_product_orders_are_my_orders_containing_it_with_full_totals(auth_api_client, user, other_user, order, pen):
    OrderItemFactory(order=OrderFactory(owner=other_user), product=pen)
    services.order_create(owner=user, items=[{"product": ProductFactory().pk, "quantity": 1}])

    response = auth_api_client.get(product_orders_url(pen))

    assert response.status_code == HTTPStatus.OK
    [found] = response.json()["results"]
    assert found["id"] == order.pk
    # Every item of the order counts, not only the line with this product.
    assert (found["total"], found["item_count"], len(found["items"])) == ("7.00", 3, 2)


def test_product_orders_of_unknown_product_is_404(auth_api_client):
    response = auth_api_client.get(reverse("api:product-orders", kwargs={"pk": 999}))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_product_orders_anonymous_is_401(api_client, pen):
    assert api_client.get(product_orders_url(pen)).status_code == HTTPStatus.UNAUTHORIZED


# /api/orders/


def test_orders_are_mine_with_items_and_totals(auth_api_client, other_user, order, pen):
    OrderItemFactory(order=OrderFactory(owner=other_user), product=pen)

    response = auth_api_client.get(orders_url())

    assert response.status_code == HTTPStatus.OK
    [found] = response.json()["results"]
    assert found["id"] == order.pk
    assert found["status"] == "pending"
    assert (found["total"], found["item_count"]) == ("7.00", 3)
    assert sorted((i["product_name"], i["quantity"], i["unit_price"], i["line_total"]) for i in found["items"]) == [
        ("Ink", 1, "4.00", "4.00"),
        ("Pen", 2, "1.50", "3.00"),
    ]


def test_orders_filter_by_status_newest_first(auth_api_client, user, pen):
    older = services.order_create(owner=user, items=[{"product": pen.pk, "quantity": 1}])
    newer = services.order_create(owner=user, items=[{"product": pen.pk, "quantity": 1}])
    services.order_set_status(order=older, status=OrderStatus.CANCELLED, user=user)

    everything = auth_api_client.get(orders_url()).json()["results"]
    cancelled = auth_api_client.get(orders_url(), {"status": "cancelled"}).json()["results"]

    assert [o["id"] for o in everything] == [newer.pk, older.pk]
    assert [o["id"] for o in cancelled] == [older.pk]


def test_orders_anonymous_is_401(api_client, order, pen):
    assert api_client.get(orders_url()).status_code == HTTPStatus.UNAUTHORIZED
    assert api_client.get(order_url(order)).status_code == HTTPStatus.UNAUTHORIZED
    body = {"items": [{"product": pen.pk, "quantity": 1}]}
    assert api_client.post(orders_url(), body, format="json").status_code == HTTPStatus.UNAUTHORIZED
    assert api_client.delete(order_url(order)).status_code == HTTPStatus.UNAUTHORIZED
    assert Order.objects.count() == 1


def test_order_create_with_items_is_201_with_location(auth_api_client, user, pen, ink):
    body = {"items": [{"product": pen.pk, "quantity": 3}, {"product": ink.pk, "quantity": 1}]}

    response = auth_api_client.post(orders_url(), body, format="json")

    assert response.status_code == HTTPStatus.CREATED
    created = Order.objects.get()
    assert response["Location"] == f"http://testserver{order_url(created)}"
    assert (created.owner, created.status) == (user, OrderStatus.PENDING)
    assert (response.json()["total"], response.json()["item_count"]) == ("8.50", 4)


def test_order_create_ignores_status_owner_and_prices(auth_api_client, user, other_user, pen):
    """Mass assignment: a new order is mine, pending, at the catalogue price, whatever the body says."""
    body = {
        "owner": other_user.pk,
        "status": "delivered",
        "items": [{"product": pen.pk, "quantity": 1, "unit_price": "0.01"}],
    }

    response = auth_api_client.post(orders_url(), body, format="json")

    assert response.status_code == HTTPStatus.CREATED
    created = Order.objects.get()
    assert (created.owner, created.status) == (user, OrderStatus.PENDING)
    assert created.items.get().unit_price == Decimal("1.50")


def test_order_create_with_an_unknown_product_creates_nothing(auth_api_client, pen):
    body = {"items": [{"product": pen.pk, "quantity": 1}, {"product": 999, "quantity": 1}]}

    response = auth_api_client.post(orders_url(), body, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"items": ["Unknown product id(s): 999."]}
    assert not Order.objects.exists()
    assert not OrderItem.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"items": []},
        {"items": [{"product": 1, "quantity": 0}]},
        {"items": [{"product": "pen", "quantity": 1}]},
        {"items": "everything"},
    ],
)
def test_order_create_bad_input_is_400(auth_api_client, pen, body):
    response = auth_api_client.post(orders_url(), body, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()) == ["items"]
    assert not Order.objects.exists()


def test_order_create_with_a_form_body_is_415(auth_api_client, pen):
    response = auth_api_client.post(orders_url(), {"items": pen.pk})

    assert response.status_code == HTTPStatus.UNSUPPORTED_MEDIA_TYPE


def test_order_retrieve(auth_api_client, order):
    response = auth_api_client.get(order_url(order))

    assert response.status_code == HTTPStatus.OK
    assert response.json()["total"] == "7.00"


def test_order_of_another_user_is_404(auth_api_client, other_user, pen):
    theirs = services.order_create(owner=other_user, items=[{"product": pen.pk, "quantity": 1}])

    for method in ("get", "patch", "delete"):
        response = getattr(auth_api_client, method)(order_url(theirs), {"status": "cancelled"}, format="json")
        assert response.status_code == HTTPStatus.NOT_FOUND, method
    theirs.refresh_from_db()
    assert theirs.status == OrderStatus.PENDING


def test_order_put_and_post_to_item_are_405(auth_api_client, order):
    assert auth_api_client.put(order_url(order), {}, format="json").status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert auth_api_client.post(order_url(order), {}, format="json").status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_order_owner_may_cancel_a_pending_order(auth_api_client, order):
    response = auth_api_client.patch(order_url(order), {"status": "cancelled"}, format="json")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["status"] == "cancelled"
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED


@pytest.mark.parametrize("status", ["processing", "shipped", "delivered"])
def test_order_owner_may_not_advance_the_status(auth_api_client, order, status):
    response = auth_api_client.patch(order_url(order), {"status": status}, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"status": [f"An order cannot go from pending to {status}."]}


def test_order_unknown_status_is_400(auth_api_client, order):
    response = auth_api_client.patch(order_url(order), {"status": "lost"}, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"status": ['"lost" is not a valid choice.']}


def test_order_staff_may_advance_their_order(staff_api_client, staff_user, pen):
    order = services.order_create(owner=staff_user, items=[{"product": pen.pk, "quantity": 1}])

    response = staff_api_client.patch(order_url(order), {"status": "processing"}, format="json")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["status"] == "processing"


def test_order_patch_items_replaces_them(auth_api_client, order, ink):
    response = auth_api_client.patch(order_url(order), {"items": [{"product": ink.pk, "quantity": 5}]}, format="json")

    assert response.status_code == HTTPStatus.OK
    assert (response.json()["total"], response.json()["item_count"]) == ("20.00", 5)
    assert list(order.items.values_list("product__name", "quantity")) == [("Ink", 5)]


def test_order_patch_items_of_a_cancelled_order_is_409(auth_api_client, user, order, ink):
    services.order_set_status(order=order, status=OrderStatus.CANCELLED, user=user)

    response = auth_api_client.patch(order_url(order), {"items": [{"product": ink.pk, "quantity": 5}]}, format="json")

    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json() == {"items": ["Only a pending order's items can be changed."]}
    assert order.items.count() == 2


def test_order_patch_items_and_status_is_all_or_nothing(auth_api_client, order, ink):
    body = {"items": [{"product": ink.pk, "quantity": 5}], "status": "shipped"}

    response = auth_api_client.patch(order_url(order), body, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert order.items.count() == 2  # the item replacement was rolled back with the refused status


def test_order_cancel_once_processing_is_409(auth_api_client, staff_user, order):
    services.order_set_status(order=order, status=OrderStatus.PROCESSING, user=staff_user)

    response = auth_api_client.patch(order_url(order), {"status": "cancelled"}, format="json")

    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json() == {"status": ["An order cannot go from processing to cancelled."]}


def test_order_cancel_judges_the_stored_status_not_the_one_read_before(user, staff_user, order):
    """A cancel whose copy of the order still says pending is refused once staff moved the order on."""
    stale = Order.objects.get(pk=order.pk)
    services.order_set_status(order=order, status=OrderStatus.PROCESSING, user=staff_user)

    with pytest.raises(services.OrderConflict):
        services.order_set_status(order=stale, status=OrderStatus.CANCELLED, user=user)

    assert Order.objects.get(pk=order.pk).status == OrderStatus.PROCESSING


def test_owner_sets_their_cancelled_order_back_to_pending_within_ten_minutes(auth_api_client, user, order):
    with time_machine.travel(CANCELLED_AT, tick=False):
        services.order_set_status(order=order, status=OrderStatus.CANCELLED, user=user)

    with time_machine.travel(CANCELLED_AT + datetime.timedelta(minutes=5), tick=False):
        response = auth_api_client.patch(order_url(order), {"status": "pending"}, format="json")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["status"] == "pending"
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING


def test_owner_setting_a_cancelled_order_back_to_pending_later_is_409(auth_api_client, user, order):
    with time_machine.travel(CANCELLED_AT, tick=False):
        services.order_set_status(order=order, status=OrderStatus.CANCELLED, user=user)

    with time_machine.travel(CANCELLED_AT + datetime.timedelta(minutes=11), tick=False):
        response = auth_api_client.patch(order_url(order), {"status": "pending"}, format="json")

    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json() == {"status": ["A cancel can only be undone within 10 minutes."]}
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED


def test_owner_setting_an_order_cancelled_by_staff_back_to_pending_is_409(auth_api_client, staff_user, order):
    services.order_set_status(order=order, status=OrderStatus.CANCELLED, user=staff_user)

    response = auth_api_client.patch(order_url(order), {"status": "pending"}, format="json")

    assert response.status_code == HTTPStatus.CONFLICT
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED


@pytest.mark.parametrize("status", [OrderStatus.PENDING, OrderStatus.CANCELLED])
def test_order_delete_while_open_or_cancelled(auth_api_client, user, order, status):
    services.order_set_status(order=order, status=status, user=user)

    response = auth_api_client.delete(order_url(order))

    assert response.status_code == HTTPStatus.NO_CONTENT
    assert not Order.objects.exists()


def test_order_delete_once_processing_is_409(auth_api_client, staff_user, order):
    services.order_set_status(order=order, status=OrderStatus.PROCESSING, user=staff_user)

    response = auth_api_client.delete(order_url(order))

    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json() == {"status": ["Only a pending or cancelled order can be deleted."]}
    assert Order.objects.filter(pk=order.pk).exists()


# Query counts: the same at 1 and at 30 rows (cold caches)


@pytest.mark.parametrize("rows", [1, 30])
def test_products_query_count_does_not_grow(auth_api_client, rows, django_assert_num_queries):
    ProductFactory.create_batch(rows)

    with django_assert_num_queries(2):  # count, page
        response = auth_api_client.get(products_url(), {"page_size": 50})

    assert len(response.json()["results"]) == rows


def _orders(owner, product, rows):
    extra = ProductFactory()
    for _ in range(rows):
        services.order_create(
            owner=owner, items=[{"product": product.pk, "quantity": 2}, {"product": extra.pk, "quantity": 1}]
        )


@pytest.mark.parametrize("rows", [1, 30])
def test_orders_query_count_does_not_grow(auth_api_client, user, pen, rows, django_assert_num_queries):
    _orders(user, pen, rows)

    with django_assert_num_queries(4):  # count, the page's ids and versions, those orders with totals, their items
        response = auth_api_client.get(orders_url(), {"page_size": 50})

    assert len(response.json()["results"]) == rows
    assert all(len(order["items"]) == 2 for order in response.json()["results"])


@pytest.mark.parametrize("rows", [1, 30])
def test_product_orders_query_count_does_not_grow(auth_api_client, user, pen, rows, django_assert_num_queries):
    _orders(user, pen, rows)

    with django_assert_num_queries(4):  # product, count, page with totals, items
        response = auth_api_client.get(product_orders_url(pen), {"page_size": 50})

    assert len(response.json()["results"]) == rows


def test_an_order_reads_the_same_in_a_page_and_on_its_own(auth_api_client, user, pen):
    cheap = ProductFactory(price=Decimal("0.10"))
    order = services.order_create(
        owner=user, items=[{"product": pen.pk, "quantity": 3}, {"product": cheap.pk, "quantity": 7}]
    )
    empty = OrderFactory(owner=user)  # no items: total 0.00, item_count 0

    page = auth_api_client.get(orders_url()).json()["results"]
    containing = auth_api_client.get(product_orders_url(pen)).json()["results"]

    assert page == [auth_api_client.get(order_url(empty)).json(), auth_api_client.get(order_url(order)).json()]
    assert (page[0]["total"], page[0]["item_count"], page[0]["items"]) == ("0.00", 0, [])
    assert (page[1]["total"], page[1]["item_count"]) == ("5.20", 10)
    assert containing == page[1:]


def test_a_page_of_orders_shows_the_items_of_its_own_orders_when_an_order_arrives_meanwhile(
    auth_api_client, user, pen, ink
):
    """An order placed after the page was read, before its items were, leaves every order on it with its items."""
    _orders(user, pen, 3)
    placed = []

    def place_an_order_before_the_items_are_read(execute, sql, params, many, context):
        reads_items = sql.lstrip().startswith("SELECT") and all(
            t in sql for t in ("orders_orderitem", "orders_product")
        )
        if reads_items and not placed:
            placed.append(services.order_create(owner=user, items=[{"product": ink.pk, "quantity": 1}]))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(place_an_order_before_the_items_are_read):
        page = auth_api_client.get(orders_url(), {"page_size": 2}).json()

    assert placed
    assert [len(order["items"]) for order in page["results"]] == [2, 2]
    assert all(order["item_count"] == 3 for order in page["results"])


def test_a_page_of_my_orders_takes_two_queries_once_cached(auth_api_client, user, pen, django_assert_num_queries):
    _orders(user, pen, 30)

    with django_assert_num_queries(4):  # count, the page's ids and versions, those orders with totals, their items
        first = auth_api_client.get(orders_url(), {"page_size": 20}).json()
    with django_assert_num_queries(2):  # count, the page's ids and versions: nothing changed, so the answer is cached
        again = auth_api_client.get(orders_url(), {"page_size": 20}).json()

    assert again == first
    assert first["count"] == 30
    assert len(first["results"]) == 20


def test_a_cached_page_of_my_orders_shows_every_change(auth_api_client, staff_user, user, order, pen, ink):
    def page():
        return auth_api_client.get(orders_url(), {"page_size": 2}).json()

    def first_order():
        return page()["results"][0]

    assert page()["count"] == 1
    auth_api_client.patch(order_url(order), {"items": [{"product": ink.pk, "quantity": 5}]}, format="json")
    assert [(item["product_name"], item["quantity"]) for item in first_order()["items"]] == [("Ink", 5)]
    services.product_update(product=ink, name="Blue ink")
    assert first_order()["items"][0]["product_name"] == "Blue ink"
    services.order_set_status(order=order, status=OrderStatus.PROCESSING, user=staff_user)
    assert first_order()["status"] == "processing"
    newer = services.order_create(owner=user, items=[{"product": pen.pk, "quantity": 1}])
    assert (page()["count"], first_order()["id"]) == (2, newer.pk)
    auth_api_client.patch(order_url(newer), {"status": "cancelled"}, format="json")
    assert first_order()["status"] == "cancelled"
    auth_api_client.delete(order_url(newer))
    assert (page()["count"], first_order()["id"]) == (1, order.pk)


def test_a_product_changed_but_not_renamed_leaves_its_orders_version(order, ink):
    versions = list(Order.objects.values_list("version", flat=True))

    services.product_update(product=ink, price=Decimal("5.00"))
    assert list(Order.objects.values_list("version", flat=True)) == versions
    services.product_update(product=ink, name="Blue ink")
    assert list(Order.objects.values_list("version", flat=True)) == [version + 1 for version in versions]


def test_a_page_of_my_orders_past_the_end_is_404(auth_api_client, user, pen):
    _orders(user, pen, 3)

    assert auth_api_client.get(orders_url(), {"page": 2, "page_size": 3}).status_code == HTTPStatus.NOT_FOUND
    assert auth_api_client.get(orders_url(), {"page": 0}).status_code == HTTPStatus.NOT_FOUND
    assert auth_api_client.get(orders_url(), {"page": 2**70}).status_code == HTTPStatus.NOT_FOUND
