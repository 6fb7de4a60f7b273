"""Undo instead of "are you sure": each undoable action on rows that came with the page, then Undo in the
notice, gives back exactly what was there; after a reload, and without JavaScript too. The notice region
holds one notice at a time; success leaves by itself, failure stays until dismissed; screen readers are
told what was added, completed and deleted."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import descriptions, wait_saved
from todos import services
from todos.models import Todo, TodoList
from todos.tests.factories import LabelFactory, TodoFactory, TodoListFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def stored(todo_list_id):
    """Every stored field of the list's todos and their labels' names, in their order."""
    return [
        (row, sorted(Todo.objects.get(pk=row["id"]).labels.values_list("name", flat=True)))
        for row in Todo.objects.filter(list_id=todo_list_id).order_by("position").values()
    ]


@pytest.fixture
def groceries(todo_list, user):
    """Four todos, every field set on some, two completed: made before the page is loaded again."""
    red, blue = LabelFactory(owner=user, name="red"), LabelFactory(owner=user, name="blue")
    TodoFactory(list=todo_list, description="Milk", labels=[red])
    TodoFactory(
        list=todo_list,
        description="Bread",
        completed=True,
        due_date=datetime.date(2026, 3, 10),
        due_time=datetime.time(9, 30),
        priority="high",
        notes="Rye",
        backend_order=4,
        labels=[red, blue],
    )
    TodoFactory(list=todo_list, description="Eggs")
    TodoFactory(list=todo_list, description="Jam", completed=True)
    return todo_list


def notice(page):
    return page.locator("#alerts [data-notice]")


def undo(page):
    notice(page).get_by_role("button", name="Undo").click()


def delete_row(page, description):
    row = page.locator(".todo-list li", has_text=description)
    row.hover()
    row.locator(".destroy").click()


def test_delete_a_todo_then_undo_restores_it_exactly_in_its_place(list_page, groceries):
    list_page.reload()
    before = stored(groceries.pk)

    delete_row(list_page, "Bread")
    expect(descriptions(list_page)).to_have_text(["Milk", "Eggs", "Jam"])
    expect(notice(list_page)).to_contain_text("Deleted “Bread”.")
    undo(list_page)

    expect(descriptions(list_page)).to_have_text(["Milk", "Bread", "Eggs", "Jam"])
    expect(notice(list_page)).to_contain_text("Undone: Deleted “Bread”.")
    expect(list_page.locator(".todo-list li", has_text="Bread")).to_have_class("completed")
    wait_saved(list_page)
    assert stored(groceries.pk) == before


def test_undo_still_works_after_a_reload(list_page, groceries):
    list_page.reload()
    before = stored(groceries.pk)
    delete_row(list_page, "Milk")
    expect(descriptions(list_page)).to_have_text(["Bread", "Eggs", "Jam"])
    wait_saved(list_page)

    list_page.reload()
    expect(notice(list_page)).to_contain_text("Deleted “Milk”.")
    undo(list_page)

    expect(descriptions(list_page)).to_have_text(["Milk", "Bread", "Eggs", "Jam"])
    wait_saved(list_page)
    assert stored(groceries.pk) == before


def test_a_dismissed_undo_does_not_come_back_with_a_reload_but_the_next_change_offers_its_own(list_page, groceries):
    list_page.reload()
    delete_row(list_page, "Milk")
    notice(list_page).get_by_role("button", name="Dismiss").click()
    expect(notice(list_page)).to_have_count(0)

    list_page.reload()
    wait_saved(list_page)
    expect(descriptions(list_page)).to_have_text(["Bread", "Eggs", "Jam"])
    expect(notice(list_page)).to_have_count(0)

    delete_row(list_page, "Eggs")
    expect(notice(list_page)).to_contain_text("Deleted “Eggs”.")
    list_page.reload()
    expect(notice(list_page)).to_contain_text("Deleted “Eggs”.")


def test_clear_completed_then_undo_puts_them_back_among_a_todo_added_meanwhile(list_page, groceries):
    list_page.reload()
    before = stored(groceries.pk)

    list_page.get_by_role("button", name="Clear completed").click()
    expect(descriptions(list_page)).to_have_text(["Milk", "Eggs"])
    expect(notice(list_page)).to_contain_text("Cleared 2 completed todos from “Groceries”.")
    undo(list_page)

    expect(descriptions(list_page)).to_have_text(["Milk", "Bread", "Eggs", "Jam"])
    wait_saved(list_page)
    assert stored(groceries.pk) == before


@pytest.mark.parametrize("control", ["toggle-all", "side-column"])
def test_complete_the_whole_list_then_undo_gives_each_todo_its_state_back(list_page, groceries, control):
    list_page.reload()
    before = stored(groceries.pk)

    if control == "toggle-all":
        list_page.locator("label[for=toggle-all]").click()
    else:
        list_page.locator(f"#list-complete-{groceries.pk}").click()
    expect(list_page.locator(".todo-list li.completed")).to_have_count(4)
    expect(notice(list_page)).to_contain_text("Completed 2 todos in “Groceries”.")
    undo(list_page)

    expect(list_page.locator(".todo-list li.completed")).to_have_count(2)
    expect(list_page.locator(".todo-list li.completed label")).to_have_text(["Bread", "Jam"])
    wait_saved(list_page)
    assert stored(groceries.pk) == before


def test_reopen_the_whole_list_then_undo(list_page, todo_list):
    for description in ("Milk", "Bread"):
        TodoFactory(list=todo_list, description=description, completed=True)
    list_page.reload()
    before = stored(todo_list.pk)

    list_page.locator("label[for=toggle-all]").click()
    expect(list_page.locator(".todo-list li.completed")).to_have_count(0)
    expect(notice(list_page)).to_contain_text("Reopened 2 todos in “Groceries”.")
    undo(list_page)

    expect(list_page.locator(".todo-list li.completed")).to_have_count(2)
    wait_saved(list_page)
    assert stored(todo_list.pk) == before


def test_delete_another_list_from_the_side_column_then_undo_brings_it_back(list_page, todo_list, user):
    work = TodoListFactory(owner=user, name="Work")
    TodoFactory(list=work, description="Report", completed=True)
    services.todo_list_share(todo_list=work)
    list_page.reload()
    before = (TodoList.objects.filter(pk=work.pk).values("name", "share_token", "created_at").get(), stored(work.pk))

    item = list_page.locator(f"#side-list-{work.pk}")
    item.hover()
    item.get_by_role("button", name="Delete list “Work”").click()
    expect(item).to_have_count(0)
    expect(notice(list_page)).to_contain_text("Deleted the list “Work”.")
    undo(list_page)

    expect(list_page.locator(f"#side-list-{work.pk}")).to_contain_text("Work")
    expect(list_page.locator(".list-title")).to_have_text("Groceries")
    wait_saved(list_page)
    assert (
        TodoList.objects.filter(pk=work.pk).values("name", "share_token", "created_at").get(),
        stored(work.pk),
    ) == before


def test_delete_the_shown_list_then_undo_on_the_page_it_landed_on(list_page, groceries, user):
    TodoListFactory(owner=user, name="Work")
    list_page.reload()
    before = stored(groceries.pk)

    list_page.get_by_role("button", name="Delete list", exact=True).click()
    expect(list_page.locator(".list-title")).to_have_text("Work")
    undo(list_page)

    expect(list_page.locator(f"#side-list-{groceries.pk}")).to_contain_text("Groceries")
    list_page.locator(f"#side-list-{groceries.pk} .list-link").click()
    expect(descriptions(list_page)).to_have_text(["Milk", "Bread", "Eggs", "Jam"])
    assert stored(groceries.pk) == before


def test_undo_by_keyboard_keeps_the_focus_in_the_notice(list_page, groceries):
    list_page.reload()
    delete_row(list_page, "Eggs")

    notice(list_page).get_by_role("button", name="Undo").focus()
    list_page.keyboard.press("Enter")

    expect(descriptions(list_page)).to_have_text(["Milk", "Bread", "Eggs", "Jam"])
    expect(notice(list_page).get_by_role("button", name="Dismiss")).to_be_focused()
    list_page.keyboard.press("Enter")
    expect(notice(list_page)).to_have_count(0)


def test_notices_replace_each_other_instead_of_stacking(list_page, groceries):
    list_page.reload()

    delete_row(list_page, "Milk")
    expect(notice(list_page)).to_contain_text("Deleted “Milk”.")
    delete_row(list_page, "Eggs")

    expect(notice(list_page)).to_have_count(1)
    expect(notice(list_page)).to_contain_text("Deleted “Eggs”.")
    undo(list_page)  # the newest: Milk stays deleted
    expect(descriptions(list_page)).to_have_text(["Bread", "Eggs", "Jam"])


def test_success_and_undo_notices_leave_by_themselves(list_page, groceries):
    list_page.reload()
    delete_row(list_page, "Milk")
    expect(notice(list_page)).to_contain_text("Deleted “Milk”.")
    list_page.mouse.move(0, 0)  # pointing at a notice holds it

    expect(notice(list_page)).to_have_count(0, timeout=14_000)  # the Undo notice: about 10 seconds
    list_page.reload()  # still offered for a while after a reload
    undo(list_page)
    expect(notice(list_page)).to_contain_text("Undone")
    list_page.mouse.move(0, 0)
    expect(notice(list_page)).to_have_count(0, timeout=9_000)  # a success: about 6 seconds


def test_a_failure_stays_until_dismissed(list_page, groceries):
    list_page.reload()
    list_page.route(re.compile(r"/todos/\d+/delete/$"), lambda route: route.fulfill(status=500, body="Server Error"))

    delete_row(list_page, "Milk")
    failure = list_page.get_by_role("alert")
    expect(failure).to_contain_text("could not save")
    list_page.wait_for_timeout(7_000)  # longer than a success notice stays
    expect(failure).to_be_visible()
    failure.get_by_role("button", name="Dismiss").click()

    expect(notice(list_page)).to_have_count(0)
    expect(descriptions(list_page)).to_have_text(["Milk", "Bread", "Eggs", "Jam"])


def test_screen_readers_are_told_what_was_added_completed_and_deleted(list_page, todo_list):
    announcer = list_page.locator("#announcer")
    list_page.locator(".new-todo").fill("Oat milk")
    list_page.locator(".new-todo").press("Enter")
    expect(announcer).to_have_text("Added “Oat milk”.")

    list_page.locator(".todo-list li .toggle").click()
    expect(announcer).to_have_text("Completed “Oat milk”.")
    list_page.locator(".todo-list li .toggle").click()
    expect(announcer).to_have_text("Reopened “Oat milk”.")

    delete_row(list_page, "Oat milk")
    expect(list_page.locator("#alerts")).to_have_attribute("aria-live", "polite")
    expect(list_page.locator("#alerts")).to_contain_text("Deleted “Oat milk”.")


# Without JavaScript: the notice's plain Undo form


@pytest.fixture
def page_without_js(page_without_js, groceries):
    """e2e/conftest.py's, showing the groceries' todos (made after it loaded the page)."""
    page_without_js.reload()
    return page_without_js


def test_undo_a_deleted_todo_without_javascript(page_without_js, groceries):
    page = page_without_js
    before = stored(groceries.pk)

    page.get_by_role("button", name="Delete “Bread”").click()
    expect(descriptions(page)).to_have_text(["Milk", "Eggs", "Jam"])
    expect(notice(page)).to_contain_text("Deleted “Bread”.")
    undo(page)

    expect(descriptions(page)).to_have_text(["Milk", "Bread", "Eggs", "Jam"])
    expect(notice(page)).to_contain_text("Undone: Deleted “Bread”.")
    assert stored(groceries.pk) == before


def test_undo_a_deleted_list_and_complete_all_without_javascript(page_without_js, groceries, user):
    page = page_without_js
    TodoListFactory(owner=user, name="Work")
    page.reload()
    before = stored(groceries.pk)

    page.get_by_role("button", name="Complete all").click()
    expect(page.locator(".todo-list li.completed")).to_have_count(4)
    undo(page)
    expect(page.locator(".todo-list li.completed")).to_have_count(2)

    page.get_by_role("button", name="Delete list", exact=True).click()
    expect(page.locator(".list-title")).to_have_text("Work")
    expect(notice(page)).to_contain_text("Deleted the list “Groceries”.")
    undo(page)
    expect(notice(page)).to_contain_text("Undone: Deleted the list “Groceries”.")
    page.locator(f"#side-list-{groceries.pk} .list-link").click()
    expect(descriptions(page)).to_have_text(["Milk", "Bread", "Eggs", "Jam"])
    assert stored(groceries.pk) == before
