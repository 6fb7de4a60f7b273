"""The keyboard on the pages that show todos: shortcuts (static/js/shortcuts.js), the focus kept after every
change the server answers (static/js/keep-focus.js), and a refused inline edit's message under its field."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import descriptions, wait_saved
from e2e.test_accessibility import axe_violations, describe
from todos.tests.factories import LabelFactory, TodoFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MARKED = re.compile(r"inset")  # the focused row's bar (app.css: "Keyboard")


@pytest.fixture
def groceries(list_page, todo_list):
    """The list page showing three todos that came with it (rendered by the server), the focus on no field."""
    for description in ("Milk", "Bread", "Eggs"):
        TodoFactory(list=todo_list, description=description)
    list_page.reload()
    wait_saved(list_page)
    list_page.locator(".list-title").click()  # out of the new-todo field (autofocus), as a person clicks the page
    return list_page


def row(page, index):
    return page.locator(".todo-list > li").nth(index)


def saved(todo_list):
    return list(todo_list.todos.values_list("description", "completed"))


def test_j_and_k_move_between_rows_and_mark_the_focused_one(groceries):
    groceries.keyboard.press("j")
    expect(row(groceries, 0).locator(".toggle")).to_be_focused()
    expect(row(groceries, 0)).to_have_css("box-shadow", MARKED)
    expect(row(groceries, 1)).not_to_have_css("box-shadow", MARKED)
    expect(row(groceries, 0).locator(".destroy")).to_have_css("opacity", "1")

    groceries.keyboard.press("j")
    groceries.keyboard.press("j")
    expect(row(groceries, 2).locator(".toggle")).to_be_focused()
    groceries.keyboard.press("j")  # the last row stays focused
    expect(row(groceries, 2).locator(".toggle")).to_be_focused()
    groceries.keyboard.press("k")
    expect(row(groceries, 1).locator(".toggle")).to_be_focused()
    expect(row(groceries, 1)).to_have_css("box-shadow", MARKED)


def test_x_toggles_the_focused_row_and_keeps_the_focus_on_it(groceries, todo_list):
    groceries.keyboard.press("j")
    groceries.keyboard.press("j")
    groceries.keyboard.press("x")

    expect(row(groceries, 1)).to_have_class("completed")
    wait_saved(groceries)
    assert saved(todo_list) == [("Milk", False), ("Bread", True), ("Eggs", False)]
    expect(row(groceries, 1).locator(".toggle")).to_be_focused()
    groceries.keyboard.press("x")
    expect(row(groceries, 1)).not_to_have_class("completed")
    wait_saved(groceries)
    assert saved(todo_list) == [("Milk", False), ("Bread", False), ("Eggs", False)]
    expect(row(groceries, 1).locator(".toggle")).to_be_focused()


def test_e_edits_the_focused_row_and_enter_saves_it_keeping_the_focus(groceries, todo_list):
    groceries.keyboard.press("j")
    groceries.keyboard.press("e")
    edit = row(groceries, 0).locator(".edit")
    expect(edit).to_be_focused()
    groceries.keyboard.type(" and honey")  # typed in the field: "e", "n", "d" do nothing else
    groceries.keyboard.press("Enter")

    expect(descriptions(groceries)).to_have_text(["Milk and honey", "Bread", "Eggs"])
    wait_saved(groceries)
    assert saved(todo_list)[0] == ("Milk and honey", False)
    expect(row(groceries, 0).locator(".toggle")).to_be_focused()


def test_delete_deletes_the_focused_row_and_the_focus_goes_to_the_next_else_the_previous_else_the_new_todo(
    groceries, todo_list
):
    groceries.keyboard.press("j")
    groceries.keyboard.press("Delete")
    expect(descriptions(groceries)).to_have_text(["Bread", "Eggs"])
    expect(row(groceries, 0).locator(".toggle")).to_be_focused()  # Bread, the next

    groceries.keyboard.press("j")
    groceries.keyboard.press("Backspace")
    expect(descriptions(groceries)).to_have_text(["Bread"])
    expect(row(groceries, 0).locator(".toggle")).to_be_focused()  # Bread, the previous

    groceries.keyboard.press("Delete")
    expect(descriptions(groceries)).to_have_count(0)
    expect(groceries.locator(".new-todo")).to_be_focused()
    wait_saved(groceries)
    assert saved(todo_list) == []


def test_n_goes_to_the_new_todo_field_where_shortcuts_are_typed_as_text(groceries, todo_list):
    groceries.keyboard.press("j")
    groceries.keyboard.press("n")
    new_todo = groceries.locator(".new-todo")
    expect(new_todo).to_be_focused()

    groceries.keyboard.type("jkx?e/n")
    groceries.keyboard.press("Backspace")  # deletes a character, not a todo
    expect(new_todo).to_have_value("jkx?e/")
    expect(groceries.locator("[data-shortcuts-help]")).not_to_be_visible()
    groceries.keyboard.press("Enter")

    expect(descriptions(groceries)).to_have_text(["Milk", "Bread", "Eggs", "jkx?e/"])
    expect(new_todo).to_be_focused()  # adding keeps the focus in the field
    wait_saved(groceries)
    assert [description for description, _ in saved(todo_list)] == ["Milk", "Bread", "Eggs", "jkx?e/"]


def test_no_shortcut_fires_while_typing_in_an_inline_edit_or_the_search_box(groceries, todo_list):
    groceries.keyboard.press("j")
    groceries.keyboard.press("Enter")
    groceries.keyboard.press("Control+a")
    groceries.keyboard.type("x jk ?")
    expect(row(groceries, 0).locator(".edit")).to_have_value("x jk ?")
    expect(groceries.locator("[data-shortcuts-help]")).not_to_be_visible()
    groceries.keyboard.press("Escape")
    expect(row(groceries, 0).locator(".toggle")).to_be_focused()

    groceries.keyboard.press("/")
    search = groceries.locator("#search-box")
    expect(search).to_be_focused()
    groceries.keyboard.type("nxj?")
    expect(search).to_have_value("nxj?")
    expect(groceries.locator(".new-todo")).not_to_be_focused()
    expect(groceries.locator("[data-shortcuts-help]")).not_to_be_visible()
    wait_saved(groceries)
    assert saved(todo_list) == [("Milk", False), ("Bread", False), ("Eggs", False)]


def test_question_mark_opens_the_shortcuts_and_escape_closes_them_giving_the_focus_back(groceries):
    help_dialog = groceries.get_by_role("dialog", name="Keyboard shortcuts")
    groceries.keyboard.press("j")
    groceries.keyboard.press("j")
    groceries.keyboard.press("?")
    expect(help_dialog).to_be_visible()
    expect(help_dialog).to_contain_text("Delete the todo")
    groceries.keyboard.press("x")  # the page behind the dialog is out of reach
    groceries.keyboard.press("Escape")

    expect(help_dialog).not_to_be_visible()
    expect(row(groceries, 1).locator(".toggle")).to_be_focused()
    expect(row(groceries, 1)).not_to_have_class("completed")

    button = groceries.get_by_role("button", name="Keyboard shortcuts")
    button.click()
    expect(help_dialog).to_be_visible()
    help_dialog.get_by_role("button", name="Close").click()
    expect(help_dialog).not_to_be_visible()
    expect(button).to_be_focused()


def test_modifier_keys_leave_the_shortcuts_alone(groceries, todo_list):
    groceries.keyboard.press("j")
    groceries.keyboard.press("Alt+x")
    groceries.keyboard.press("Control+Delete")
    groceries.keyboard.press("Alt+ArrowDown")  # reorders, as before

    expect(descriptions(groceries)).to_have_text(["Bread", "Milk", "Eggs"])
    wait_saved(groceries)
    assert saved(todo_list) == [("Bread", False), ("Milk", False), ("Eggs", False)]
    expect(row(groceries, 1).locator(".toggle")).to_be_focused()


def test_moving_a_row_to_the_top_keeps_the_focus_in_it_on_the_button_still_usable(groceries):
    up = row(groceries, 1).locator(".move-up")
    up.focus()
    groceries.keyboard.press("Enter")

    expect(descriptions(groceries)).to_have_text(["Bread", "Milk", "Eggs"])
    wait_saved(groceries)
    expect(row(groceries, 0).locator(".move-up")).to_be_disabled()
    expect(row(groceries, 0).locator(".move-down")).to_be_focused()  # ↑ can no longer be pressed
    groceries.keyboard.press("Enter")
    expect(descriptions(groceries)).to_have_text(["Milk", "Bread", "Eggs"])
    wait_saved(groceries)
    expect(row(groceries, 1).locator(".move-down")).to_be_focused()


def test_complete_all_and_clear_completed_keep_the_focus(groceries, todo_list):
    toggle_all = groceries.locator(".toggle-all")
    toggle_all.focus()
    groceries.keyboard.press("Space")
    expect(groceries.locator(".todo-list li.completed")).to_have_count(3)
    wait_saved(groceries)
    expect(toggle_all).to_be_focused()

    clear = groceries.get_by_role("button", name="Clear completed")
    clear.focus()
    groceries.keyboard.press("Enter")
    expect(descriptions(groceries)).to_have_count(0)
    wait_saved(groceries)
    expect(groceries.locator(".new-todo")).to_be_focused()  # the button is gone with what it cleared
    assert saved(todo_list) == []


def test_a_too_long_inline_edit_shows_its_error_under_the_field_which_stays_open(groceries, todo_list):
    """What the server refuses comes back under the row's field, with what was typed, not as a banner."""
    first = row(groceries, 0)
    # The page's limit is the server's; a page drawn before a lower limit (or a client without it) can send more.
    first.locator(".edit").evaluate("input => input.removeAttribute('maxlength')")
    groceries.keyboard.press("j")
    groceries.keyboard.press("e")
    groceries.keyboard.press("Control+a")
    too_long = "M" * 501
    groceries.keyboard.insert_text(too_long)
    groceries.keyboard.press("Enter")

    edit = first.locator(".edit")
    error = first.locator(".edit-error")
    expect(error).to_be_visible()
    expect(error).to_have_text(re.compile("500 characters"))
    expect(error).to_have_attribute("role", "alert")
    expect(edit).to_be_visible()
    expect(edit).to_be_focused()
    expect(edit).to_have_value(too_long)
    expect(edit).to_have_attribute("aria-invalid", "true")
    expect(edit).to_have_attribute("aria-describedby", error.get_attribute("id"))
    expect(groceries.locator("[data-alerts] .alert-error")).to_have_count(0)
    wait_saved(groceries)
    assert saved(todo_list)[0] == ("Milk", False)

    groceries.keyboard.press("Control+a")
    groceries.keyboard.type("Oat milk")
    groceries.keyboard.press("Enter")
    expect(descriptions(groceries)).to_have_text(["Oat milk", "Bread", "Eggs"])
    expect(first.locator(".edit-error")).to_have_count(0)
    wait_saved(groceries)
    assert saved(todo_list)[0] == ("Oat milk", False)
    expect(first.locator(".toggle")).to_be_focused()


def test_j_and_x_complete_a_todo_on_a_smart_view_and_the_focus_goes_to_the_next_row(
    page, login, live_server, user, todo_list
):
    today = timezone.localdate()
    TodoFactory(list=todo_list, description="Buy milk", due_date=today)
    TodoFactory(list=todo_list, description="Call mum", due_date=today)
    login(user)
    page.goto(live_server.url + reverse("smart_today"))
    page.keyboard.press("j")
    first_button = page.locator(".smart-list > li").first.get_by_role("button")
    expect(first_button).to_be_focused()
    expect(first_button).to_have_text(re.compile("Done"))

    page.keyboard.press("x")  # done, it leaves Today: the focus goes to the next row
    expect(page.locator(".smart-description")).to_have_text(["Call mum"])
    expect(page.locator(".smart-list > li").first.get_by_role("button")).to_be_focused()
    assert todo_list.todos.get(description="Buy milk").completed
    assert not todo_list.todos.get(description="Call mum").completed


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_shortcuts_dialog_and_a_refused_edit_pass_axe_in_both_schemes(
    context_as, user, todo_list, list_url, scheme
):
    TodoFactory(list=todo_list, description="Milk")
    # bypass_csp: the page's strict CSP would refuse the injected axe script (as in test_accessibility.py).
    page = context_as(user, color_scheme=scheme, bypass_csp=True).new_page()
    page.goto(list_url)
    wait_saved(page)
    page.locator(".list-title").click()
    page.keyboard.press("j")
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    violations = axe_violations(page)
    assert not violations, describe(violations)

    page.keyboard.press("Escape")
    row(page, 0).locator(".edit").evaluate("input => input.removeAttribute('maxlength')")
    page.keyboard.press("e")
    page.keyboard.insert_text("M" * 501)
    page.keyboard.press("Enter")
    expect(row(page, 0).locator(".edit-error")).to_be_visible()
    wait_saved(page)
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_j_and_k_move_between_search_results_and_enter_opens_one(page, login, live_server, user, todo_list):
    TodoFactory(list=todo_list, description="Buy oat milk")
    TodoFactory(list=todo_list, description="Milk the goat")
    login(user)
    page.goto(live_server.url + reverse("search") + "?q=milk")
    links = page.locator(".search-results .search-description")
    expect(links).to_have_count(2)

    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(links.nth(1)).to_be_focused()
    expect(page.locator(".search-results > li").nth(1)).to_have_css("box-shadow", MARKED)
    page.keyboard.press("k")
    expect(links.nth(0)).to_be_focused()
    page.keyboard.press("x")  # nothing to tick here: no effect
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/lists/{todo_list.pk}/"))


def test_j_and_x_on_a_labels_page(page, login, live_server, user, todo_list):
    label = LabelFactory(owner=user, name="errands")
    TodoFactory(list=todo_list, description="Post the letter", labels=[label])
    TodoFactory(list=todo_list, description="Buy stamps", labels=[label])
    login(user)
    page.goto(live_server.url + reverse("label_view", args=[label.pk]))
    expect(page.locator(".smart-description")).to_have_text(["Post the letter", "Buy stamps"])

    page.keyboard.press("j")
    page.keyboard.press("x")  # done, it leaves the label's open todos: the focus goes to the next row
    expect(page.locator(".smart-description")).to_have_text(["Buy stamps"])
    expect(page.locator(".smart-list > li").first.get_by_role("button")).to_be_focused()
    assert todo_list.todos.get(description="Post the letter").completed
    assert not todo_list.todos.get(description="Buy stamps").completed
