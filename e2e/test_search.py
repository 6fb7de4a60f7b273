"""Search: "/" goes to the top bar's search box, and the results come grouped by list, their terms marked."""

import pytest
from playwright.sync_api import expect

from e2e.conftest import wait_saved
from todos.tests.factories import LabelFactory, TodoFactory, TodoListFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def searchable(user, todo_list):
    """Todos in two of the person's lists, that came with the page, and one of another person's."""
    work = TodoListFactory(owner=user, name="Work")
    TodoFactory(list=todo_list, description="Buy oat milk", labels=[LabelFactory(owner=user, name="Shop")])
    TodoFactory(list=todo_list, description="Bread")
    TodoFactory(list=work, description="Order office supplies", notes="Milk for the coffee machine, and filters")
    TodoFactory(list=TodoListFactory(name="Someone else's"), description="Their milk")
    return work


def test_slash_goes_to_the_search_box_and_the_results_lead_to_their_list(list_page, searchable, todo_list):
    search_box = list_page.get_by_role("searchbox", name="Search todos")
    list_page.locator(".list-title").click()  # the page's own field had the focus; click away from it

    list_page.keyboard.press("/")

    expect(search_box).to_be_focused()
    expect(search_box).to_have_value("")  # the "/" is not typed into it
    list_page.keyboard.type("milk")
    list_page.keyboard.press("Enter")

    results = list_page.locator(".search-group")
    expect(results.locator("h2")).to_have_text(["Groceries", "Work"])
    expect(results.nth(0).locator(".search-description mark")).to_have_text(["milk"])
    expect(results.nth(1).locator(".search-notes mark")).to_have_text(["Milk"])
    expect(list_page.locator(".search-page")).not_to_contain_text("Their milk")
    expect(list_page.locator(".search-page")).not_to_contain_text("Bread")
    expect(search_box).to_have_value("milk")

    results.nth(1).get_by_role("link", name="Order office supplies").click()

    expect(list_page.locator(".list-title")).to_have_text("Work")
    expect(list_page.locator(".todo-list li label")).to_have_text(["Order office supplies"])
    wait_saved(list_page)


def test_slash_types_a_slash_in_a_field(list_page):
    new_todo = list_page.locator(".new-todo")
    new_todo.click()

    list_page.keyboard.type("a/b")

    expect(new_todo).to_have_value("a/b")
    expect(new_todo).to_be_focused()
