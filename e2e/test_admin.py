"""The admin at 1280 px: every changelist fits the window with long data, and the order items' inputs have labels."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.services import api_token_create
from orders.tests.factories import OrderFactory, OrderItemFactory, ProductFactory
from todos.tests.factories import LabelFactory, TodoFactory, TodoListFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHANGELISTS = [
    "todos_todo",
    "todos_todolist",
    "todos_label",
    "orders_order",
    "orders_product",
    "auth_user",
    "accounts_apitoken",
]


@pytest.fixture
def long_data(db):
    """Rows with the longest values the fields take, some without a space to break them at."""
    owner = UserFactory(username="a-person-with-a-very-long-user-name-" + "x" * 110)
    todo_list = TodoListFactory(owner=owner, name="A list with a long name " + "y" * 170)
    label = LabelFactory(owner=owner, name="l" * 50)
    TodoFactory(list=todo_list, description="Remember " * 40 + "z" * 140, labels=[label], notes="n" * 2000)
    TodoFactory(list=todo_list, description="z" * 500)
    product = ProductFactory(name="A product with a very long name " + "p" * 160, price="123456.78")
    OrderItemFactory(order=OrderFactory(owner=owner), product=product, quantity=999)
    api_token_create(user=owner, name="t" * 100)
    return todo_list


@pytest.fixture
def admin_page(context_as):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    return context_as(admin, viewport={"width": 1280, "height": 800}).new_page()


@pytest.mark.parametrize("changelist", CHANGELISTS)
def test_a_changelist_with_long_data_fits_1280_px(admin_page, live_server, long_data, changelist):
    admin_page.goto(live_server.url + reverse(f"admin:{changelist}_changelist"))

    expect(admin_page.locator("#result_list tbody tr").first).to_be_visible()
    scroll_width = admin_page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 1280, f"{changelist}: the page is {scroll_width} px wide"
    # The admin scrolls a table too wide in its own box (#changelist .results): it must not need to either.
    table = admin_page.locator("#result_list").evaluate("table => table.offsetWidth")
    box = admin_page.locator("#changelist .results").evaluate("box => box.clientWidth")
    assert table <= box, f"{changelist}: the table is {table} px wide in a box of {box} px"


def test_a_truncated_todo_shows_its_whole_text_on_hover(admin_page, live_server, long_data):
    admin_page.goto(live_server.url + reverse("admin:todos_todo_changelist"))

    cell = admin_page.locator(f"#result_list .field-short_description span[title='{'z' * 500}']")
    expect(cell).to_have_text("z" * 59 + "…")


def test_the_order_items_inputs_are_labelled(admin_page, live_server, long_data):
    order = long_data.owner.orders.get()
    admin_page.goto(live_server.url + reverse("admin:orders_order_change", args=[order.pk]))

    expect(admin_page.get_by_label("Quantity of item 1")).to_have_value("999")
    expect(admin_page.get_by_label("Unit price of item 1")).to_have_value("123456.78")
