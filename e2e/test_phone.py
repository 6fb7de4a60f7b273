"""Phones and touch: the list first and the lists in a menu, a ⋯ menu per todo, tap to edit, drag by touch;
and the side column's look at desktop width (whole list names, round checkboxes that show)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.conftest import descriptions, drag_by_touch, wait_saved
from orders.tests.factories import OrderFactory, OrderItemFactory, ProductFactory
from todos.models import Colour, Todo
from todos.tests.factories import LabelFactory, TodoFactory, TodoListFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
LONG_NAME = "Holiday plans for the summer in Portugal"


@pytest.fixture
def rows(todo_list):
    """Three todos that come with the page (rendered by the server, not added by the test)."""
    return [TodoFactory(list=todo_list, description=text) for text in ["Milk", "Bread", "Eggs"]]


@pytest.fixture
def phone(context_as, user):
    """A 390 x 844 phone with a touch screen, logged in as `user`."""
    return context_as(user, **PHONE)


@pytest.fixture
def phone_page(phone, rows, list_url):
    """The phone on the list page of `todo_list`, with its three todos."""
    page = phone.new_page()
    page.goto(list_url)
    wait_saved(page)
    yield page
    wait_saved(page)


def row(page, description):
    return page.locator(".todo-list li").filter(has=page.locator("label", has_text=re.compile(f"^{description}$")))


def open_row_menu(page, description):
    the_row = row(page, description)
    the_row.get_by_role("button", name=f"Actions for “{description}”").tap()
    expect(the_row.get_by_role("button", name=f"Actions for “{description}”")).to_have_attribute(
        "aria-expanded", "true"
    )
    return the_row


def order_in_db(todo_list):
    return list(Todo.objects.filter(list=todo_list).order_by("position").values_list("description", flat=True))


def test_on_a_phone_the_list_and_its_new_todo_field_come_first(phone_page):
    new_todo = phone_page.locator(".new-todo")
    expect(new_todo).to_be_visible()
    assert new_todo.bounding_box()["y"] <= 200
    expect(phone_page.locator("#side-column")).to_be_hidden()
    toggle = phone_page.get_by_role("button", name="Lists", exact=True)
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_have_attribute("aria-controls", "side-column")


def test_the_lists_menu_shows_the_lists_and_goes_to_one(phone_page, user):
    work = TodoListFactory(owner=user, name="Work")
    phone_page.reload()
    wait_saved(phone_page)
    toggle = phone_page.get_by_role("button", name="Lists", exact=True)

    toggle.tap()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    side = phone_page.locator("#side-column")
    expect(side.locator(".list-link")).to_have_text(["Groceries", "Work"])
    expect(side.get_by_role("link", name="Today")).to_be_visible()
    # Opened above the list, under the top bar.
    assert side.bounding_box()["y"] < phone_page.locator(".new-todo").bounding_box()["y"]

    toggle.tap()
    expect(side).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")

    toggle.tap()
    side.get_by_role("link", name="Work", exact=True).tap()
    expect(phone_page).to_have_url(re.compile(reverse("list_detail", args=[work.pk]) + "$"))
    expect(phone_page.locator(".list-title")).to_have_text("Work")
    expect(phone_page.get_by_role("button", name="Lists", exact=True)).to_have_attribute("aria-expanded", "false")


def test_the_lists_menu_works_from_the_keyboard(phone_page):
    toggle = phone_page.get_by_role("button", name="Lists", exact=True)
    toggle.focus()
    phone_page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(phone_page.locator("#side-column")).to_be_visible()
    expect(phone_page.get_by_role("link", name="Today")).to_be_focused()
    phone_page.keyboard.press("Tab")
    expect(phone_page.get_by_role("link", name="Upcoming")).to_be_focused()
    phone_page.keyboard.press("Escape")
    expect(phone_page.locator("#side-column")).to_be_hidden()
    expect(toggle).to_be_focused()


def test_the_lists_menu_on_a_smart_view(phone, live_server, todo_list):
    page = phone.new_page()
    page.goto(live_server.url + reverse("smart_today"))
    expect(page.locator("#side-column")).to_be_hidden()
    page.get_by_role("button", name="Lists", exact=True).tap()
    page.locator("#side-column").get_by_role("link", name="Groceries", exact=True).tap()
    expect(page).to_have_url(re.compile(reverse("list_detail", args=[todo_list.pk]) + "$"))


def test_without_javascript_the_lists_link_goes_down_to_the_lists(context_as, user, list_url, rows):
    page = context_as(user, java_script_enabled=False, **PHONE).new_page()
    page.goto(list_url)
    side = page.locator("#side-column")
    # The list first, its lists after it.
    assert page.locator(".new-todo").bounding_box()["y"] <= 200
    assert side.bounding_box()["y"] > page.locator(".todo-list").bounding_box()["y"]
    expect(page.get_by_role("button", name="Lists", exact=True)).to_have_count(0)

    page.get_by_role("link", name="Lists", exact=True).click()
    expect(page).to_have_url(re.compile("#side-column$"))
    expect(side.get_by_role("link", name="Groceries", exact=True)).to_be_in_viewport()
    # The row's controls stay in the row, as plain forms.
    row(page, "Bread").get_by_role("button", name="Move up").click()
    expect(descriptions(page)).to_have_text(["Bread", "Milk", "Eggs"])


@pytest.mark.parametrize(
    "name", ["list", "today", "label", "search", "search (empty)", "shop", "orders", "order", "account"]
)
def test_no_page_scrolls_sideways_on_a_phone(phone, live_server, user, todo_list, rows, name):
    label = LabelFactory(owner=user, name="errands", colour=Colour.BLUE)
    TodoFactory(list=todo_list, description="A todo with a label, due today", labels=[label])
    TodoListFactory(owner=user, name=LONG_NAME)
    order = OrderFactory(owner=user)
    OrderItemFactory(order=order, product=ProductFactory(name="A notebook with a rather long product name"), quantity=2)
    path = {
        "list": reverse("list_detail", args=[todo_list.pk]),
        "today": reverse("smart_today"),
        "label": reverse("label_view", args=[label.pk]),
        "search": reverse("search") + "?q=milk",
        "search (empty)": reverse("search"),
        "shop": reverse("orders:order_create"),
        "orders": reverse("orders:order_list"),
        "order": reverse("orders:order_detail", args=[order.pk]),
        "account": reverse("account"),
    }[name]
    page = phone.new_page()
    page.goto(live_server.url + path)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_long_todo_gets_most_of_the_row(phone_page, todo_list):
    TodoFactory(list=todo_list, description="Ring the plumber about the dripping kitchen tap before the weekend")
    phone_page.reload()
    wait_saved(phone_page)
    label = row(phone_page, "Ring the plumber.*").locator("label")
    assert label.bounding_box()["width"] >= 240
    # Its controls wait behind ⋯ until asked for.
    expect(row(phone_page, "Ring the plumber.*").get_by_role("button", name="Move up")).to_be_hidden()


def test_the_row_menu_moves_shows_details_and_deletes_rows_that_came_with_the_page(phone_page, todo_list):
    the_row = open_row_menu(phone_page, "Bread")
    menu = the_row.locator(".todo-tools")
    expect(menu.get_by_role("button")).to_have_text(["Edit", "↑ Move up", "↓ Move down", "Delete"])
    menu.get_by_role("button", name="Move up").tap()
    expect(descriptions(phone_page)).to_have_text(["Bread", "Milk", "Eggs"])
    wait_saved(phone_page)
    assert order_in_db(todo_list) == ["Bread", "Milk", "Eggs"]

    open_row_menu(phone_page, "Bread").get_by_role("button", name="Move down").tap()
    expect(descriptions(phone_page)).to_have_text(["Milk", "Bread", "Eggs"])
    wait_saved(phone_page)
    assert order_in_db(todo_list) == ["Milk", "Bread", "Eggs"]

    the_row = open_row_menu(phone_page, "Eggs")
    the_row.get_by_role("link", name="Details of “Eggs”").tap()
    expect(the_row.locator(".todo-details")).to_be_visible()
    expect(the_row.locator(".todo-tools")).to_be_hidden()
    the_row.get_by_role("button", name="Cancel").tap()
    expect(the_row.locator(".todo-details")).to_have_count(0)

    open_row_menu(phone_page, "Milk").get_by_role("button", name="Delete “Milk”").tap()
    expect(descriptions(phone_page)).to_have_text(["Bread", "Eggs"])
    wait_saved(phone_page)
    assert order_in_db(todo_list) == ["Bread", "Eggs"]


def test_the_row_menu_closes_on_escape_and_on_a_tap_elsewhere(phone_page):
    the_row = open_row_menu(phone_page, "Milk")
    menu = the_row.locator(".todo-tools")
    expect(menu).to_be_visible()
    expect(menu.get_by_role("button", name="Edit")).to_be_focused()
    phone_page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(the_row.get_by_role("button", name="Actions for “Milk”")).to_be_focused()

    open_row_menu(phone_page, "Milk")
    # One menu at a time (Milk's covers the ⋯ under it, so the next one is opened from the keyboard).
    eggs_button = row(phone_page, "Eggs").get_by_role("button", name="Actions for “Eggs”")
    eggs_button.focus()
    phone_page.keyboard.press("Enter")
    expect(eggs_button).to_have_attribute("aria-expanded", "true")
    expect(menu).to_be_hidden()
    expect(the_row.get_by_role("button", name="Actions for “Milk”")).to_have_attribute("aria-expanded", "false")
    phone_page.locator(".list-title").tap()
    expect(row(phone_page, "Eggs").locator(".todo-tools")).to_be_hidden()
    expect(row(phone_page, "Eggs").get_by_role("button", name="Actions for “Eggs”")).to_have_attribute(
        "aria-expanded", "false"
    )


def test_tapping_a_todos_text_edits_it_and_enter_saves(phone_page, todo_list):
    row(phone_page, "Bread").locator("label").tap()
    edit = phone_page.locator(".todo-list li.editing .edit")
    expect(edit).to_be_focused()
    expect(edit).to_have_value("Bread")
    edit.fill("Rye bread")
    edit.press("Enter")
    expect(descriptions(phone_page)).to_have_text(["Milk", "Rye bread", "Eggs"])
    wait_saved(phone_page)
    assert order_in_db(todo_list) == ["Milk", "Rye bread", "Eggs"]


def test_edit_in_the_row_menu_edits_and_leaving_the_field_saves(phone_page, todo_list):
    open_row_menu(phone_page, "Eggs").get_by_role("button", name="Edit").tap()
    edit = phone_page.locator(".todo-list li.editing .edit")
    expect(edit).to_be_focused()
    edit.fill("Free-range eggs")
    phone_page.locator(".list-title").tap()  # the on-screen keyboard closed by a tap elsewhere: the field blurs
    expect(descriptions(phone_page)).to_have_text(["Milk", "Bread", "Free-range eggs"])
    wait_saved(phone_page)
    assert order_in_db(todo_list) == ["Milk", "Bread", "Free-range eggs"]


def test_a_tap_on_the_checkbox_completes_without_editing(phone_page, todo_list):
    row(phone_page, "Milk").locator(".toggle").tap()
    expect(row(phone_page, "Milk")).to_have_class(re.compile(r"\bcompleted\b"))
    expect(phone_page.locator(".todo-list li.editing")).to_have_count(0)
    wait_saved(phone_page)
    assert Todo.objects.get(list=todo_list, description="Milk").completed


def test_dragging_by_touch_reorders_rows_that_came_with_the_page(phone_page, todo_list):
    items = phone_page.locator(".todo-list li")
    drag_by_touch(phone_page, items.nth(0).locator("label"), items.nth(2).locator("label"))
    expect(descriptions(phone_page)).to_have_text(["Bread", "Eggs", "Milk"])
    wait_saved(phone_page)
    assert order_in_db(todo_list) == ["Bread", "Eggs", "Milk"]
    expect(phone_page.locator(".todo-list li.editing")).to_have_count(0)


def test_the_hint_speaks_of_taps_on_a_touch_screen_and_of_keys_on_a_desktop(phone_page, list_page):
    expect(phone_page.locator(".hint-touch")).to_contain_text("Tap a todo's text")
    expect(phone_page.locator(".hint-touch")).to_contain_text("⋯")
    expect(phone_page.locator(".hint-touch")).to_contain_text("press and hold")
    expect(phone_page.locator(".hint-pointer")).to_be_hidden()
    expect(list_page.locator(".hint-pointer")).to_contain_text("Double-click")
    expect(list_page.locator(".hint-pointer")).to_contain_text("Alt+↑")
    expect(list_page.locator(".hint-touch")).to_be_hidden()
    # A desktop row keeps its buttons in the row, without a ⋯.
    expect(list_page.locator(".row-menu-toggle")).to_have_count(3)
    expect(list_page.locator(".row-menu-toggle").first).to_be_hidden()


# The side column at desktop width


def _luminance(rgb):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second):
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def rgb(css):
    return tuple(int(part) for part in re.findall(r"\d+", css)[:3])


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_side_column_shows_whole_list_names_and_round_checkboxes_that_stand_out(
    context_as, user, list_url, todo_list, scheme
):
    TodoFactory(list=todo_list, description="Milk")
    empty = TodoListFactory(owner=user, name=LONG_NAME)
    page = context_as(user, viewport={"width": 1200, "height": 800}, color_scheme=scheme).new_page()
    page.goto(list_url)
    item = page.locator(f".list-item[data-list-id='{empty.pk}']")
    link = item.locator(".list-link")
    expect(link).to_have_text(LONG_NAME)
    cut = link.evaluate("el => el.scrollWidth > el.clientWidth || getComputedStyle(el).textOverflow === 'ellipsis'")
    assert not cut

    background = rgb(page.locator(".sidebar").evaluate("el => getComputedStyle(el).backgroundColor"))
    for box in (page.locator(f"#list-complete-{todo_list.pk}"), item.locator(".list-complete")):
        style = box.evaluate(
            "el => { const s = getComputedStyle(el);"
            " return {radius: s.borderTopLeftRadius, appearance: s.appearance,"
            " border: s.borderTopColor, opacity: s.opacity}; }"
        )
        assert style["appearance"] == "none"
        assert style["radius"] == "50%"
        assert style["opacity"] == "1"
        assert contrast(rgb(style["border"]), background) >= 3, (scheme, style)
    expect(item.locator(".list-complete")).to_be_disabled()
