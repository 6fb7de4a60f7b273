"""The side column: create, rename, delete and complete lists, with counts; other users' lists are 404."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.conftest import add_todos, descriptions, wait_saved
from todos.models import TodoList
from todos.tests.factories import TodoFactory, TodoListFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def side_item(page, todo_list):
    return page.locator(f".list-item[data-list-id='{todo_list.pk}']")


def test_side_column_lists_lists_with_open_counts_and_highlights_the_current_one(list_page, todo_list, user):
    work = TodoListFactory(owner=user, name="Work")
    TodoFactory.create_batch(2, list=work)
    TodoFactory(list=work, completed=True)
    list_page.reload()

    expect(list_page.locator(".list-item .list-link")).to_have_text(["Groceries", "Work"])
    expect(side_item(list_page, todo_list)).to_have_class(re.compile(r"\bcurrent\b"))
    expect(side_item(list_page, work).locator(".list-count")).to_have_text("Open todos: 2")

    add_todos(list_page, "Milk")
    expect(side_item(list_page, todo_list).locator(".list-count")).to_have_text("Open todos: 1")


def test_create_a_list_opens_it_ready_for_its_first_todo(list_page, user):
    list_page.get_by_label("New list name").fill("  Holiday  ")
    list_page.get_by_label("New list name").press("Enter")

    holiday = TodoList.objects.filter(owner=user, name="Holiday")
    expect(list_page.locator(".list-title")).to_have_text("Holiday")
    assert list_page.url.endswith(reverse("list_detail", args=[holiday.get().pk]))
    expect(list_page.locator(".list-item .list-link")).to_have_text(["Groceries", "Holiday"])
    expect(list_page.locator("#alerts [data-notice]")).to_contain_text("Created the list “Holiday”.")
    expect(list_page.get_by_label("New todo")).to_be_focused()
    expect(list_page.locator(".todo-empty")).to_contain_text("This list is empty")

    add_todos(list_page, "Passport")
    expect(descriptions(list_page)).to_have_text(["Passport"])
    wait_saved(list_page)
    assert list(holiday.get().todos.values_list("description", flat=True)) == ["Passport"]


def test_rename_the_list(list_page, todo_list):
    list_page.get_by_text("Rename").click()
    list_page.get_by_label("List name", exact=True).fill("Shopping")
    list_page.get_by_role("button", name="Save").click()

    expect(list_page.locator(".list-title")).to_have_text("Shopping")
    expect(side_item(list_page, todo_list).locator(".list-link")).to_have_text("Shopping")
    wait_saved(list_page)
    list_page.reload()
    expect(list_page.locator(".list-title")).to_have_text("Shopping")


def test_renaming_to_blank_shows_an_error_and_keeps_the_name(list_page, todo_list):
    list_page.get_by_text("Rename").click()
    list_page.get_by_label("List name", exact=True).fill("   ")
    list_page.get_by_role("button", name="Save").click()

    expect(list_page.get_by_role("alert")).to_contain_text("This field is required.")
    expect(list_page.locator(".list-title")).to_have_text("Groceries")


def test_delete_the_shown_list_at_once_lands_on_another_list_with_an_undo(list_page, todo_list, user):
    work = TodoListFactory(owner=user, name="Work")
    TodoFactory(list=todo_list)

    list_page.get_by_role("button", name="Delete list", exact=True).click()

    expect(list_page.locator(".list-title")).to_have_text("Work")
    expect(list_page.locator("#alerts")).to_contain_text("Deleted the list “Groceries”.")
    expect(list_page.locator("#alerts").get_by_role("button", name="Undo")).to_be_visible()
    assert list(TodoList.objects.filter(owner=user)) == [work]


def test_delete_another_list_from_the_side_column_returns_to_the_shown_list(list_page, todo_list, user):
    work = TodoListFactory(owner=user, name="Work")
    list_page.reload()

    side_item(list_page, work).hover()
    side_item(list_page, work).locator(".list-delete").click()

    expect(list_page.locator(".list-title")).to_have_text("Groceries")
    expect(list_page.locator(".list-item")).to_have_count(1)


def test_complete_checkbox_works_both_ways(list_page, todo_list):
    add_todos(list_page, "Milk", "Bread")
    checkbox = side_item(list_page, todo_list).locator(".list-complete")
    expect(checkbox).not_to_be_checked()

    checkbox.check()
    expect(list_page.locator(".todo-list li.completed")).to_have_count(2)
    expect(list_page.locator("#toggle-all")).to_be_checked()
    wait_saved(list_page)
    assert set(todo_list.todos.values_list("completed", flat=True)) == {True}

    checkbox.uncheck()
    expect(list_page.locator(".todo-list li.completed")).to_have_count(0)
    wait_saved(list_page)
    assert set(todo_list.todos.values_list("completed", flat=True)) == {False}


@pytest.mark.parametrize("which", ["shown", "other"])
def test_focus_stays_on_the_side_column_checkbox_after_ticking_it(list_page, todo_list, user, which):
    """Regression: focus dropped to <body> once the side column was redrawn."""
    work = TodoListFactory(owner=user, name="Work")
    TodoFactory(list=todo_list)
    TodoFactory(list=work)
    list_page.reload()
    wait_saved(list_page)
    checkbox = side_item(list_page, todo_list if which == "shown" else work).locator(".list-complete")

    checkbox.focus()
    list_page.keyboard.press("Space")

    expect(checkbox).to_be_checked()
    wait_saved(list_page)
    expect(checkbox).to_be_focused()
    list_page.keyboard.press("Space")
    expect(checkbox).not_to_be_checked()
    wait_saved(list_page)
    expect(checkbox).to_be_focused()
    assert set((todo_list if which == "shown" else work).todos.values_list("completed", flat=True)) == {False}


def test_complete_checkbox_of_another_list_completes_it(list_page, user):
    work = TodoListFactory(owner=user, name="Work")
    TodoFactory.create_batch(2, list=work)
    list_page.reload()

    side_item(list_page, work).locator(".list-complete").check()

    expect(side_item(list_page, work).locator(".list-count")).to_have_text("Open todos: 0")
    wait_saved(list_page)
    assert set(work.todos.values_list("completed", flat=True)) == {True}


def test_complete_checkbox_follows_the_todos(list_page, todo_list):
    add_todos(list_page, "Milk", "Bread")
    checkbox = side_item(list_page, todo_list).locator(".list-complete")
    toggles = list_page.locator(".todo-list .toggle")

    toggles.nth(0).check()
    expect(checkbox).not_to_be_checked()
    toggles.nth(1).check()
    expect(checkbox).to_be_checked()
    toggles.nth(0).uncheck()
    expect(checkbox).not_to_be_checked()


def test_empty_list_is_never_shown_complete(list_page, todo_list):
    expect(side_item(list_page, todo_list).locator(".list-complete")).not_to_be_checked()
    expect(side_item(list_page, todo_list).locator(".list-complete")).to_be_disabled()


def test_another_users_list_answers_404(page, login, live_server, user, other_user):
    secret = TodoListFactory(owner=other_user, name="Secret")
    TodoFactory(list=secret, description="Hidden")
    login(user)

    response = page.goto(live_server.url + reverse("list_detail", args=[secret.pk]))

    assert response.status == HTTPStatus.NOT_FOUND
    expect(page.get_by_text("Hidden")).to_have_count(0)


def test_home_goes_to_the_first_list(page, login, live_server, user, todo_list):
    TodoListFactory(owner=user, name="Later")
    login(user)

    page.goto(live_server.url + reverse("home"))

    expect(page.locator(".list-title")).to_have_text("Groceries")
    expect(descriptions(page)).to_have_count(0)


def test_share_a_list_and_revoke_the_link(list_page, todo_list, live_server):
    list_page.get_by_text("Share", exact=True).click()
    list_page.get_by_role("button", name="Create link").click()
    wait_saved(list_page)  # the answer redraws the heading, its Share section closed

    share_url = list_page.locator("[data-share-url]")
    list_page.get_by_text("Share", exact=True).click()
    expect(share_url).to_have_value(re.compile(rf"^{re.escape(live_server.url)}/api/todobackend/[\w-]+/$"))
    assert list_page.request.get(share_url.input_value()).status == HTTPStatus.OK

    revoked = share_url.input_value()
    list_page.get_by_role("button", name="Revoke link").click()
    wait_saved(list_page)
    list_page.get_by_text("Share", exact=True).click()
    expect(list_page.get_by_role("button", name="Create link")).to_be_visible()
    assert list_page.request.get(revoked).status == HTTPStatus.NOT_FOUND
