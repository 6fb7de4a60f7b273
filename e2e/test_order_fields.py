"""A refused quantity on the shop's pages: plain words next to the field, and its label stays where it was."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from orders.tests.factories import OrderFactory, OrderItemFactory, ProductFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MESSAGE = "Quantity must be a whole number from 0 to 10000."


@pytest.mark.parametrize("width", [1280, 390])
def test_a_bad_quantity_in_the_shop_says_so_beside_the_field_without_moving_its_label(
    page, login, live_server, user, width
):
    ProductFactory(name="Notebook")
    login(user)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + reverse("orders:order_create"))
    label = page.locator(".product-buy .quantity-label")
    before = label.bounding_box()

    field = page.get_by_label("Quantity of Notebook")
    field.fill("-3")
    field.evaluate("input => input.form.noValidate = true")  # what the server says, not the browser's bubble
    page.get_by_role("button", name="Place order").click()

    expect(page.get_by_label("Quantity of Notebook")).to_have_accessible_description(MESSAGE)
    expect(page.locator(".product-buy .field-error")).to_have_text(MESSAGE)
    after = label.bounding_box()
    assert (round(after["x"]), round(after["width"])) == (round(before["x"]), round(before["width"]))


def test_a_bad_quantity_on_an_order_page_says_so_beside_the_field(page, login, live_server, user):
    order = OrderFactory(owner=user)
    OrderItemFactory(order=order, product=ProductFactory(name="Notebook"), quantity=2)
    login(user)
    page.goto(live_server.url + reverse("orders:order_detail", args=[order.pk]))
    label = page.locator(".order-edit-field label").first
    before = label.bounding_box()

    field = page.locator(".order-edit-field input.quantity").first
    field.fill("20000")
    field.evaluate("input => input.form.noValidate = true")
    field.press("Enter")

    expect(page.locator(".order-edit-field .field-error").first).to_have_text(MESSAGE)
    after = page.locator(".order-edit-field label").first.bounding_box()
    assert (round(after["x"]), round(after["y"])) == (round(before["x"]), round(before["y"]))
