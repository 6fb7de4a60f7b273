"""Placing an order from the catalogue, seeing it with its total and status, and cancelling it."""

from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from orders.models import Order
from orders.tests.factories import ProductFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_place_an_order_see_it_and_cancel_it(page, login, live_server, user):
    ProductFactory(name="Notebook", price=Decimal("7.50"))
    ProductFactory(name="Pen", price=Decimal("2.00"))
    login(user)
    page.goto(live_server.url + reverse("home"))

    page.get_by_role("link", name="Shop").click()
    page.get_by_label("Quantity of Notebook").fill("2")
    page.get_by_label("Quantity of Pen").fill("3")
    page.get_by_role("button", name="Place order").click()

    order = Order.objects.get(owner=user)
    expect(page.get_by_role("heading", name=f"Order #{order.pk}")).to_be_visible()
    expect(page.locator("[data-order-total]")).to_have_text("$21.00")
    expect(page.locator("[data-order-status]")).to_have_text("Pending")

    page.get_by_role("button", name="Cancel order").click()
    expect(page.locator("[data-order-status]")).to_have_text("Cancelled")

    page.get_by_role("link", name="My orders", exact=True).click()
    expect(page.locator(".order")).to_have_count(1)
    expect(page.locator(".order-total")).to_have_text("Total $21.00")


def test_an_order_without_products_is_refused(page, login, live_server, user):
    ProductFactory(name="Notebook")
    login(user)
    page.goto(live_server.url + reverse("orders:order_create"))

    page.get_by_role("button", name="Place order").click()

    expect(page.get_by_role("alert")).to_contain_text("Choose at least one product")
    assert not Order.objects.exists()


def test_running_total_edit_cancel_and_undo(page, login, live_server, user):
    """Pick quantities and watch the total, place the order, change a quantity, cancel it and take it back."""
    ProductFactory(name="Notebook", price=Decimal("7.50"))
    ProductFactory(name="Pen", price=Decimal("2.05"))
    login(user)
    page.goto(live_server.url + reverse("orders:order_create"))

    total = page.locator("[data-running-total]")
    expect(total).to_have_text("$0.00")
    page.get_by_label("Quantity of Notebook").fill("2")
    expect(total).to_have_text("$15.00")
    page.get_by_label("Quantity of Pen").fill("3")
    expect(total).to_have_text("$21.15")
    page.get_by_label("Quantity of Pen").fill("")
    expect(total).to_have_text("$15.00")
    page.get_by_label("Quantity of Pen").fill("1")
    page.get_by_role("button", name="Place order").click()

    order = Order.objects.get(owner=user)
    expect(page.locator("[data-order-total]")).to_have_text("$17.05")

    page.get_by_label("Quantity of Notebook").fill("1.5")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Quantity must be a whole number from 0 to 10000.")).to_be_visible()
    page.get_by_label("Quantity of Notebook").fill("3")
    page.get_by_label("Quantity of Pen").fill("0")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("[data-order-total]")).to_have_text("$22.50")
    assert [(item.product.name, item.quantity) for item in order.items.all()] == [("Notebook", 3)]

    page.get_by_role("button", name="Cancel order").click()
    expect(page.locator("[data-order-status]")).to_have_text("Cancelled")
    expect(page.get_by_text(f"Order #{order.pk} cancelled.")).to_be_visible()

    page.get_by_role("button", name="Undo").click()
    expect(page.locator("[data-order-status]")).to_have_text("Pending")
    expect(page.get_by_role("button", name="Undo")).to_have_count(0)
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING
