"""With JavaScript disabled, the plain forms add, complete, edit and delete todos."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.conftest import descriptions

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_add_complete_and_delete_without_javascript(page_without_js, todo_list):
    page = page_without_js

    page.locator(".new-todo").fill("Milk")
    page.locator(".new-todo").press("Enter")
    page.locator(".new-todo").fill("Bread")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(descriptions(page)).to_have_text(["Milk", "Bread"])

    page.get_by_role("button", name="Done Milk").click()
    expect(page.locator(".todo-list li").first).to_have_class("completed")
    expect(page.locator(".todo-count")).to_have_text("1 item left")

    page.get_by_role("button", name="Delete “Bread”").click()
    expect(descriptions(page)).to_have_text(["Milk"])
    assert list(todo_list.todos.values_list("description", "completed")) == [("Milk", True)]


def test_filters_clear_and_reorder_without_javascript(page_without_js, todo_list):
    page = page_without_js
    for description in ["Milk", "Bread"]:
        page.locator(".new-todo").fill(description)
        page.locator(".new-todo").press("Enter")

    page.locator(".todo-list li").nth(1).get_by_role("button", name="Move up").click()
    expect(descriptions(page)).to_have_text(["Bread", "Milk"])
    page.get_by_role("button", name="Done Bread").click()
    page.get_by_role("link", name="Active").click()
    expect(descriptions(page)).to_have_text(["Milk"])
    page.get_by_role("button", name="Clear completed").click()
    expect(descriptions(page)).to_have_text(["Milk"])
    assert list(todo_list.todos.values_list("description", flat=True)) == ["Milk"]


def test_errors_show_under_their_field_without_javascript(page_without_js, todo_list):
    page = page_without_js

    page.get_by_label("New list name").fill("   ")
    page.get_by_role("button", name="Add list").click()

    expect(page.get_by_role("alert")).to_have_text("This field is required.")
    expect(page.get_by_label("New list name")).to_have_accessible_description("This field is required.")
    expect(page.get_by_label("New list name")).to_have_attribute("aria-invalid", "true")

    page.get_by_label("New todo").fill("   ")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_label("New todo")).to_have_accessible_description("This field is required.")
    expect(page.get_by_label("New list name")).not_to_have_attribute("aria-invalid", "true")  # shown once


def test_quick_add_and_details_without_javascript(page_without_js, todo_list):
    """The new-todo form reads quick-add text, and "Details" is the edit page, which adds a label by name."""
    page = page_without_js

    page.locator(".new-todo").fill("Pay rent !high #home")
    page.locator(".new-todo").press("Enter")
    expect(descriptions(page)).to_have_text(["Pay rent"])
    expect(page.locator(".todo-list .priority")).to_have_text("High")

    page.get_by_role("link", name="Details of “Pay rent”").click()
    page.get_by_label("Notes").fill("By transfer")
    page.get_by_label("Add a label").fill("bills")
    page.get_by_role("button", name="Save").click()

    expect(page.locator(".todo-list .todo-meta .chip")).to_have_text(["bills", "home"])
    todo = todo_list.todos.get()
    assert (todo.notes, sorted(label.name for label in todo.labels.all())) == ("By transfer", ["bills", "home"])


def test_a_new_list_opens_and_the_account_menu_works_without_javascript(page_without_js, user):
    page = page_without_js

    page.get_by_label("New list name").fill("Holiday")
    page.get_by_role("button", name="Add list").click()
    expect(page.locator(".list-title")).to_have_text("Holiday")
    expect(page.locator("#todo-empty")).to_contain_text("This list is empty.")
    assert page.url.endswith(reverse("list_detail", args=[user.todo_lists.get(name="Holiday").pk]))

    page.locator(".account-menu > summary").click()  # a <details>: no script needed
    page.get_by_role("link", name="Password", exact=True).click()
    expect(page.get_by_role("heading", name="Change your password")).to_be_visible()
    page.locator(".account-menu > summary").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
