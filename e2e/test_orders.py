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
