"""The list page behaves as the TodoMVC specification says, and everything persists on the server."""

import re

import pytest
from django.db.models import F
from playwright.sync_api import expect

from e2e.conftest import add_todos, descriptions, drag_by_touch, drag_with_mouse, wait_saved
from todos.models import Todo, TodoList
from todos.tests.factories import TodoFactory, TodoListFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def saved(todo_list):
    return list(todo_list.todos.values_list("description", "completed"))


def test_new_todo_is_focused_and_main_and_footer_are_hidden_without_todos(list_page):
    expect(list_page.locator(".new-todo")).to_be_focused()
    expect(list_page.locator(".new-todo")).to_have_attribute("placeholder", "What needs to be done?")
    expect(list_page.locator(".main")).to_be_hidden()
    expect(list_page.locator(".footer")).to_be_hidden()


def test_enter_adds_trimmed_todos_at_the_bottom_clears_the_field_and_ignores_empty_input(list_page, todo_list):
    add_todos(list_page, "  Milk  ", "Bread", "   ")

    expect(descriptions(list_page)).to_have_text(["Milk", "Bread"])
    expect(list_page.locator(".new-todo")).to_have_value("")
    expect(list_page.locator(".main")).to_be_visible()
    expect(list_page.locator(".footer")).to_be_visible()
    wait_saved(list_page)
    assert saved(todo_list) == [("Milk", False), ("Bread", False)]


def test_counter_says_items_left_with_correct_plurals(list_page):
    count = list_page.locator(".todo-count")

    add_todos(list_page, "Milk")
    expect(count).to_have_text("1 item left")
    add_todos(list_page, "Bread")
    expect(count).to_have_text("2 items left")
    expect(count.locator("strong")).to_have_text("2")
    list_page.locator("label[for=toggle-all]").click()
    expect(count).to_have_text("0 items left")


def test_toggle_marks_a_todo_done_and_not_done(list_page, todo_list):
    add_todos(list_page, "Milk", "Bread")
    first = list_page.locator(".todo-list li").first

    first.locator(".toggle").check()
    expect(first).to_have_class("completed")
    wait_saved(list_page)
    assert saved(todo_list) == [("Milk", True), ("Bread", False)]

    first.locator(".toggle").uncheck()
    expect(first).not_to_have_class("completed")
    wait_saved(list_page)
    assert saved(todo_list) == [("Milk", False), ("Bread", False)]


def test_toggle_all_sets_every_todo_and_stays_in_sync(list_page, todo_list):
    add_todos(list_page, "Milk", "Bread")
    toggle_all = list_page.locator("#toggle-all")
    toggles = list_page.locator(".todo-list .toggle")

    list_page.locator("label[for=toggle-all]").click()
    expect(list_page.locator(".todo-list li.completed")).to_have_count(2)
    expect(toggle_all).to_be_checked()

    toggles.first.uncheck()
    expect(toggle_all).not_to_be_checked()
    toggles.first.check()
    expect(toggle_all).to_be_checked()

    list_page.locator("label[for=toggle-all]").click()
    expect(list_page.locator(".todo-list li.completed")).to_have_count(0)
    wait_saved(list_page)
    assert saved(todo_list) == [("Milk", False), ("Bread", False)]


def test_double_click_edits_hiding_other_controls_and_enter_saves_trimmed(list_page, todo_list):
    add_todos(list_page, "Milk")
    item = list_page.locator(".todo-list li").first

    item.locator("label").dblclick()
    edit = item.locator(".edit")
    expect(item).to_have_class("editing")
    expect(edit).to_be_focused()
    expect(edit).to_have_value("Milk")
    expect(item.locator(".toggle")).to_be_hidden()
    expect(item.locator(".destroy")).to_be_hidden()

    edit.fill("  Oat milk  ")
    edit.press("Enter")
    expect(item).not_to_have_class("editing")
    expect(descriptions(list_page)).to_have_text(["Oat milk"])
    wait_saved(list_page)
    assert saved(todo_list) == [("Oat milk", False)]


def test_blur_saves_the_edit(list_page, todo_list):
    add_todos(list_page, "Milk")
    list_page.locator(".todo-list label").dblclick()

    list_page.locator(".todo-list .edit").fill("Soy milk")
    list_page.locator(".new-todo").click()

    expect(descriptions(list_page)).to_have_text(["Soy milk"])
    wait_saved(list_page)
    assert saved(todo_list) == [("Soy milk", False)]


def test_a_todo_that_came_with_the_page_is_edited_with_the_keyboard(list_page, todo_list):
    """Enter (or F2) on a focused row opens its edit field; Enter saves, Escape cancels; focus stays on the row."""
    TodoFactory(list=todo_list, description="Milk")
    TodoFactory(list=todo_list, description="Bread")
    list_page.reload()
    wait_saved(list_page)
    first = list_page.locator(".todo-list li").first

    first.locator(".toggle").focus()
    list_page.keyboard.press("Enter")
    expect(first).to_have_class("editing")
    expect(first.locator(".edit")).to_be_focused()
    list_page.keyboard.press("Control+a")
    list_page.keyboard.type("Oat milk")
    list_page.keyboard.press("Enter")

    expect(descriptions(list_page)).to_have_text(["Oat milk", "Bread"])
    expect(first.locator(".toggle")).to_be_focused()
    wait_saved(list_page)
    list_page.keyboard.press("F2")
    expect(first.locator(".edit")).to_be_focused()
    list_page.keyboard.type(" and honey")
    list_page.keyboard.press("Escape")

    expect(first).not_to_have_class("editing")
    expect(descriptions(list_page)).to_have_text(["Oat milk", "Bread"])
    expect(first.locator(".toggle")).to_be_focused()
    assert saved(todo_list) == [("Oat milk", False), ("Bread", False)]


def test_escape_cancels_the_edit(list_page, todo_list):
    add_todos(list_page, "Milk")
    list_page.locator(".todo-list label").dblclick()

    list_page.locator(".todo-list .edit").fill("Something else")
    list_page.locator(".todo-list .edit").press("Escape")

    expect(list_page.locator(".todo-list li")).not_to_have_class("editing")
    expect(descriptions(list_page)).to_have_text(["Milk"])
    wait_saved(list_page)
    assert saved(todo_list) == [("Milk", False)]


def test_saving_empty_text_deletes_the_todo(list_page, todo_list):
    add_todos(list_page, "Milk", "Bread")
    # As a person would: edit once both rows are there (the second answer redraws the list's rows).
    expect(descriptions(list_page)).to_have_text(["Milk", "Bread"])
    wait_saved(list_page)
    list_page.locator(".todo-list label").first.dblclick()

    list_page.locator(".todo-list .edit").first.fill("   ")
    list_page.locator(".todo-list .edit").first.press("Enter")

    expect(descriptions(list_page)).to_have_text(["Bread"])
    wait_saved(list_page)
    assert saved(todo_list) == [("Bread", False)]


def test_destroy_deletes_one_todo(list_page, todo_list):
    add_todos(list_page, "Milk", "Bread")
    item = list_page.locator(".todo-list li").first

    item.hover()
    item.locator(".destroy").click()

    expect(descriptions(list_page)).to_have_text(["Bread"])
    wait_saved(list_page)
    assert saved(todo_list) == [("Bread", False)]


@pytest.mark.parametrize("button", [".destroy", ".move-down"])
def test_a_row_button_clicked_while_a_todo_is_being_added_is_not_lost(list_page, todo_list, button):
    """The click waits behind the create; the create's answer redraws the rows; the click is still sent."""
    add_todos(list_page, "Milk", "Eggs")
    expect(descriptions(list_page)).to_have_text(["Milk", "Eggs"])
    wait_saved(list_page)
    held = []  # the create waits here until the test lets it through
    list_page.route(re.compile(r"/lists/\d+/todos/$"), lambda route: held.append(route))
    add_todos(list_page, "Bread")
    expect(list_page.locator(".todoapp")).to_have_attribute("aria-busy", "true")
    item = list_page.locator(".todo-list li").first

    item.hover()
    item.locator(button).click()
    held[0].continue_()

    wait_saved(list_page)
    expected = ["Eggs", "Bread"] if button == ".destroy" else ["Eggs", "Milk", "Bread"]
    expect(descriptions(list_page)).to_have_text(expected)
    assert [description for description, _ in saved(todo_list)] == expected


def test_clear_completed_deletes_completed_todos_and_hides_when_there_are_none(list_page, todo_list):
    add_todos(list_page, "Milk", "Bread", "Eggs")
    clear = list_page.locator(".clear-completed")
    expect(clear).to_be_hidden()

    list_page.locator(".todo-list .toggle").nth(1).check()
    expect(clear).to_be_visible()
    clear.click()

    expect(descriptions(list_page)).to_have_text(["Milk", "Eggs"])
    expect(clear).to_be_hidden()
    wait_saved(list_page)
    assert saved(todo_list) == [("Milk", False), ("Eggs", False)]


def test_filters_show_items_at_once_survive_reload_and_work_with_back_button(list_page):
    add_todos(list_page, "Milk", "Bread", "Eggs")
    list_page.locator(".todo-list .toggle").nth(1).check()
    wait_saved(list_page)
    filters = list_page.locator(".filters a")

    list_page.get_by_role("link", name="Active").click()
    expect(descriptions(list_page)).to_have_text(["Milk", "Eggs"])
    expect(list_page.locator(".filters a.selected")).to_have_text("Active")
    expect(list_page).to_have_url(re.compile(r"\?filter=active$"))

    filters.get_by_text("Completed").click()  # the footer's, not the side column's Completed view
    expect(descriptions(list_page)).to_have_text(["Bread"])

    list_page.reload()
    expect(descriptions(list_page)).to_have_text(["Bread"])
    expect(list_page.locator(".filters a.selected")).to_have_text("Completed")

    list_page.go_back()
    expect(descriptions(list_page)).to_have_text(["Milk", "Eggs"])
    expect(list_page.locator(".filters a.selected")).to_have_text("Active")

    filters.first.click()
    expect(descriptions(list_page)).to_have_text(["Milk", "Bread", "Eggs"])


def test_ticking_a_todo_under_active_filter_hides_it(list_page):
    add_todos(list_page, "Milk", "Bread")
    list_page.get_by_role("link", name="Active").click()
    expect(descriptions(list_page)).to_have_text(["Milk", "Bread"])

    list_page.locator(".todo-list .toggle").first.click()  # not check(): the todo disappears

    expect(descriptions(list_page)).to_have_text(["Bread"])


def test_a_reload_shows_exactly_what_was_there(list_page):
    add_todos(list_page, "Milk", "Bread", "Eggs")
    list_page.locator(".todo-list .toggle").nth(2).check()
    list_page.locator(".todo-list label").first.dblclick()
    list_page.locator(".todo-list .edit").first.fill("Oat milk")
    list_page.locator(".todo-list .edit").first.press("Enter")
    wait_saved(list_page)

    list_page.reload()

    expect(descriptions(list_page)).to_have_text(["Oat milk", "Bread", "Eggs"])
    expect(list_page.locator(".todo-list li")).to_have_class(["", "", "completed"])
    expect(list_page.locator(".todo-count")).to_have_text("2 items left")


def test_keyboard_reordering_persists_position(list_page, todo_list):
    add_todos(list_page, "Milk", "Bread", "Eggs")
    wait_saved(list_page)
    eggs = list_page.locator(".todo-list li").nth(2).locator(".toggle")

    eggs.focus()
    list_page.keyboard.press("Alt+ArrowUp")
    expect(descriptions(list_page)).to_have_text(["Milk", "Eggs", "Bread"])
    list_page.keyboard.press("Alt+ArrowUp")  # focus stays on the moved todo
    expect(descriptions(list_page)).to_have_text(["Eggs", "Milk", "Bread"])
    list_page.locator(".todo-list li").first.locator(".move-down").click()
    expect(descriptions(list_page)).to_have_text(["Milk", "Eggs", "Bread"])

    wait_saved(list_page)
    assert list(todo_list.todos.values_list("description", "position")) == [("Milk", 0), ("Eggs", 1), ("Bread", 2)]
    list_page.reload()
    expect(descriptions(list_page)).to_have_text(["Milk", "Eggs", "Bread"])


def test_drag_reordering_persists_position(list_page, todo_list):
    add_todos(list_page, "Milk", "Bread", "Eggs")
    wait_saved(list_page)
    items = list_page.locator(".todo-list li")

    drag_with_mouse(list_page, items.nth(0).locator("label"), items.nth(2).locator("label"))

    expect(descriptions(list_page)).to_have_text(["Bread", "Eggs", "Milk"])
    wait_saved(list_page)
    assert list(todo_list.todos.values_list("description", flat=True)) == ["Bread", "Eggs", "Milk"]


def test_rows_that_came_with_the_page_can_be_dragged_with_the_mouse(list_page, todo_list):
    """Regression: only rows the script had added were draggable, never the ones the server drew."""
    for description in ["Milk", "Bread", "Eggs", "Tea"]:
        TodoFactory(list=todo_list, description=description)
    list_page.reload()
    wait_saved(list_page)
    items = list_page.locator(".todo-list li")

    drag_with_mouse(list_page, items.nth(3).locator("label"), items.nth(1).locator("label"))

    expect(descriptions(list_page)).to_have_text(["Milk", "Tea", "Bread", "Eggs"])
    wait_saved(list_page)
    assert list(todo_list.todos.values_list("description", "position")) == [
        ("Milk", 0),
        ("Tea", 1),
        ("Bread", 2),
        ("Eggs", 3),
    ]
    list_page.reload()
    drag_with_mouse(list_page, items.nth(0).locator("label"), items.nth(2).locator("label"))
    expect(descriptions(list_page)).to_have_text(["Tea", "Bread", "Milk", "Eggs"])
    wait_saved(list_page)
    assert list(todo_list.todos.values_list("description", flat=True)) == ["Tea", "Bread", "Milk", "Eggs"]


def test_rows_that_came_with_the_page_can_be_dragged_by_touch(touch_page, todo_list):
    for description in ["Milk", "Bread", "Eggs"]:
        TodoFactory(list=todo_list, description=description)
    touch_page.reload()
    wait_saved(touch_page)
    items = touch_page.locator(".todo-list li")

    drag_by_touch(touch_page, items.nth(0).locator("label"), items.nth(2).locator("label"))

    expect(descriptions(touch_page)).to_have_text(["Bread", "Eggs", "Milk"])
    wait_saved(touch_page)
    assert list(todo_list.todos.values_list("description", flat=True)) == ["Bread", "Eggs", "Milk"]


def test_a_row_that_came_with_the_page_can_be_dropped_on_another_list(list_page, todo_list, user):
    work = TodoListFactory(owner=user, name="Work")
    TodoFactory(list=work, description="Report")
    TodoFactory(list=todo_list, description="Milk")
    TodoFactory(list=todo_list, description="Call the bank")
    list_page.reload()
    wait_saved(list_page)

    drag_with_mouse(
        list_page,
        list_page.locator(".todo-list li").nth(1).locator("label"),
        list_page.locator(f".list-item[data-list-id='{work.pk}'] .list-link"),
    )

    expect(descriptions(list_page)).to_have_text(["Milk"])
    expect(list_page.locator(f".list-item[data-list-id='{work.pk}'] .list-count")).to_contain_text("2")
    wait_saved(list_page)
    assert list(work.todos.values_list("description", "position")) == [("Report", 0), ("Call the bank", 1)]
    list_page.reload()
    expect(descriptions(list_page)).to_have_text(["Milk"])


def test_a_row_can_be_dropped_on_another_list_by_touch(touch_page, todo_list, user):
    work = TodoListFactory(owner=user, name="Work")
    TodoFactory(list=todo_list, description="Milk")
    TodoFactory(list=todo_list, description="Call the bank")
    touch_page.reload()
    wait_saved(touch_page)

    drag_by_touch(
        touch_page,
        touch_page.locator(".todo-list li").nth(0).locator("label"),
        touch_page.locator(f".list-item[data-list-id='{work.pk}'] .list-link"),
    )

    expect(descriptions(touch_page)).to_have_text(["Call the bank"])
    wait_saved(touch_page)
    assert list(work.todos.values_list("description", flat=True)) == ["Milk"]


def test_drag_a_todo_onto_another_list_moves_it(list_page, todo_list, user):
    work = TodoListFactory(owner=user, name="Work")
    TodoFactory(list=work, description="Report")
    list_page.reload()
    add_todos(list_page, "Milk", "Call the bank")
    wait_saved(list_page)

    drag_with_mouse(
        list_page,
        list_page.locator(".todo-list li").nth(1).locator("label"),
        list_page.locator(f".list-item[data-list-id='{work.pk}'] .list-link"),
    )

    expect(descriptions(list_page)).to_have_text(["Milk"])
    expect(list_page.locator(f".list-item[data-list-id='{work.pk}'] .list-count")).to_contain_text("2")
    wait_saved(list_page)
    assert list(work.todos.values_list("description", "position")) == [("Report", 0), ("Call the bank", 1)]


def test_the_details_panel_moves_a_todo_to_another_list(list_page, todo_list, user):
    work = TodoListFactory(owner=user, name="Work")
    add_todos(list_page, "Call the bank")
    wait_saved(list_page)

    list_page.locator(".todo-list .todo-edit-link").click()
    panel = list_page.locator(".todo-list .todo-details")
    panel.get_by_label("List", exact=True).select_option(label="Work")
    panel.get_by_role("button", name="Save").click()

    expect(list_page.locator(".list-title")).to_have_text("Groceries")
    expect(list_page.locator(".todo-list li")).to_have_count(0)
    assert list(work.todos.values_list("description", flat=True)) == ["Call the bank"]


def test_user_text_is_shown_as_text_never_as_html(list_page, todo_list):
    dialogs = []
    list_page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    payload = "<img src=x onerror=alert(1)>"

    add_todos(list_page, payload)
    expect(descriptions(list_page)).to_have_text([payload])
    wait_saved(list_page)
    list_page.reload()

    expect(descriptions(list_page)).to_have_text([payload])
    expect(list_page.locator(".todoapp img")).to_have_count(0)
    assert dialogs == []


def test_server_error_shows_alert_and_page_matches_the_server(list_page, todo_list):
    TodoFactory(list=todo_list, description="Milk")
    list_page.reload()
    list_page.route(re.compile(r"/todos/\d+/$"), lambda route: route.fulfill(status=500, body="Server Error"))

    # One click, as a person makes: check() would click again when the answer redraws the row unticked.
    list_page.locator(".todo-list .toggle").click()

    expect(list_page.get_by_role("alert")).to_contain_text("could not save")
    expect(list_page.locator(".todo-list .toggle")).not_to_be_checked()
    expect(list_page.locator(".todo-count")).to_have_text("1 item left")
    assert saved(todo_list) == [("Milk", False)]


def test_a_todo_changed_elsewhere_is_not_overwritten_and_the_page_shows_the_latest(list_page, todo_list):
    """Lost updates: the toggle carries the version the page read; the server answers 412."""
    todo = TodoFactory(list=todo_list, description="Milk")
    list_page.reload()
    wait_saved(list_page)
    Todo.objects.filter(pk=todo.pk).update(description="Oat milk")  # another tab or device

    # One click, as a person makes: check() would click again when the answer redraws the row unticked.
    list_page.locator(".todo-list .toggle").click()

    expect(list_page.get_by_role("alert")).to_contain_text("changed somewhere else")
    expect(descriptions(list_page)).to_have_text(["Oat milk"])
    expect(list_page.locator(".todo-list .toggle")).not_to_be_checked()
    assert saved(todo_list) == [("Oat milk", False)]


def test_unreachable_server_shows_alert_and_keeps_nothing_it_did_not_save(list_page, todo_list):
    list_page.route(re.compile(r"/lists/\d+/todos/$"), lambda route: route.abort())

    add_todos(list_page, "Milk")

    expect(list_page.get_by_role("alert")).to_contain_text("Could not reach the server")
    expect(list_page.locator(".todo-list li")).to_have_count(0)
    expect(list_page.locator(".main")).to_be_hidden()
    assert not Todo.objects.exists()


def test_long_lists_are_paginated_with_counts_for_the_whole_list(list_page, todo_list):
    Todo.objects.bulk_create(Todo(list=todo_list, description=f"Todo {n}", position=n) for n in range(150))
    TodoList.objects.filter(pk=todo_list.pk).update(version=F("version") + 1)  # as services do
    list_page.reload()

    expect(list_page.locator(".todo-list li")).to_have_count(100)
    expect(list_page.locator(".todo-count")).to_have_text("150 items left")
    list_page.get_by_role("link", name="Next →").click()

    expect(list_page.locator(".todo-list li")).to_have_count(50)
    expect(descriptions(list_page).first).to_have_text("Todo 100")
    expect(list_page).to_have_url(re.compile(r"page=2"))


def test_toggling_one_todo_right_after_complete_all_is_no_conflict(list_page, todo_list):
    """Complete all, then reopen one at once: no 412, the server keeps exactly that."""
    add_todos(list_page, "Milk", "Bread")
    wait_saved(list_page)

    list_page.locator("label[for=toggle-all]").click()
    list_page.locator(".todo-list .toggle").first.uncheck()

    wait_saved(list_page)
    expect(list_page.get_by_role("alert")).to_have_count(0)
    assert saved(todo_list) == [("Milk", False), ("Bread", True)]
