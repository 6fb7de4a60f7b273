"""The details panel: every field of a todo, edited under its row of the list page."""

import pytest
from playwright.sync_api import expect

from e2e.conftest import wait_saved
from todos.tests.factories import LabelFactory, TodoFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def todo_list(todo_list):
    """The list, with a todo and a label in it before the page loads: rows that came with the page."""
    TodoFactory(list=todo_list, description="Pay rent", position=0)
    TodoFactory(list=todo_list, description="Water the plants", position=1)
    LabelFactory(owner=todo_list.owner, name="home")
    return todo_list


def row(page, description):
    return page.locator(".todo-list li").filter(has=page.locator("label", has_text=description))


def open_details(page, description):
    the_row = row(page, description)
    the_row.hover()
    the_row.get_by_role("link", name=f"Details of “{description}”").click()
    panel = the_row.locator(".todo-details")
    expect(panel).to_be_visible()
    return the_row, panel


def test_the_panel_saves_every_field_and_the_row_shows_them_after_a_reload_too(list_page, todo_list):
    the_row, panel = open_details(list_page, "Pay rent")
    expect(panel.get_by_label("Description")).to_be_focused()

    panel.get_by_label("Notes").fill("By transfer, before noon")
    panel.get_by_label("Due date").fill("2026-12-24")
    panel.get_by_label("Due time").fill("09:30")
    panel.get_by_label("Priority").select_option("high")
    panel.get_by_label("Add a label").fill("bills")
    panel.get_by_role("button", name="Save").click()

    expect(panel).to_have_count(0)
    expect(the_row.locator(".due")).to_have_text("Thu 24 Dec 09:30")
    expect(the_row.locator(".priority")).to_have_text("High")
    expect(the_row.locator(".todo-meta .chip")).to_have_text(["bills"])
    expect(the_row.get_by_role("link", name="Details of “Pay rent”")).to_be_focused()
    wait_saved(list_page)
    todo = todo_list.todos.get(description="Pay rent")
    assert todo.notes == "By transfer, before noon"

    list_page.reload()
    the_row = row(list_page, "Pay rent")
    expect(the_row.locator(".due")).to_have_text("Thu 24 Dec 09:30")
    expect(the_row.locator(".priority")).to_have_text("High")
    expect(the_row.locator(".todo-meta .chip")).to_have_text(["bills"])
    _, panel = open_details(list_page, "Pay rent")
    expect(panel.get_by_label("Notes")).to_have_value("By transfer, before noon")
    expect(panel.get_by_role("checkbox", name="bills")).to_be_checked()


def test_a_time_without_a_date_shows_the_error_under_the_field_and_saves_nothing(list_page, todo_list):
    _, panel = open_details(list_page, "Water the plants")

    panel.get_by_label("Due time").fill("09:00")
    panel.get_by_label("Notes").fill("twice a week")
    panel.get_by_role("button", name="Save").click()

    expect(panel.locator(".field-error")).to_have_text(["A due time needs a due date."])
    expect(panel.get_by_label("Due time")).to_be_focused()
    expect(panel.get_by_label("Due time")).to_have_value("09:00")
    expect(panel.get_by_label("Notes")).to_have_value("twice a week")
    expect(list_page.locator("#alerts .alert")).to_have_count(0)
    wait_saved(list_page)
    todo = todo_list.todos.get(description="Water the plants")
    assert (todo.due_time, todo.notes) == (None, "")


def test_escape_closes_the_panel_and_gives_the_focus_back_to_the_details_link(list_page):
    the_row, panel = open_details(list_page, "Pay rent")
    panel.get_by_label("Notes").fill("not saved")

    list_page.keyboard.press("Escape")

    expect(panel).to_have_count(0)
    expect(the_row.get_by_role("link", name="Details of “Pay rent”")).to_be_focused()
    expect(the_row.get_by_role("link", name="Details of “Pay rent”")).to_have_attribute("aria-expanded", "false")
    wait_saved(list_page)


def test_cancel_closes_the_panel(list_page):
    the_row, panel = open_details(list_page, "Pay rent")

    panel.get_by_role("button", name="Cancel").click()

    expect(panel).to_have_count(0)
    expect(the_row.get_by_role("link", name="Details of “Pay rent”")).to_be_focused()
