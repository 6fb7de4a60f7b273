"""Quick add: the new-todo field shows, as it is typed in, what its text will be read as."""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import descriptions, wait_saved

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PREVIEW = re.compile(r"/todos/quick-preview/")


def chip(page, kind):
    return page.locator(f"#quick-preview .chip-{kind}")


def test_typing_shows_the_chips_and_clearing_the_field_hides_them(list_page):
    preview = list_page.locator("#quick-preview")
    new_todo = list_page.locator(".new-todo")
    expect(preview).to_be_hidden()

    new_todo.press_sequentially("Pay rent tomorrow 9am !high #home")

    expect(chip(list_page, "due")).to_have_text("Due: Tomorrow 09:00")
    expect(chip(list_page, "priority")).to_have_text("Priority: High")
    expect(chip(list_page, "label")).to_have_text(["Label: home"])
    expect(chip(list_page, "description")).to_have_text("Todo: Pay rent")
    expect(preview).to_be_visible()
    expect(preview).to_have_attribute("aria-live", "polite")
    expect(new_todo).to_be_focused()

    new_todo.fill("")
    expect(preview).to_be_hidden()
    expect(preview.locator(".chip")).to_have_count(0)


def test_plain_text_shows_no_chips(list_page):
    new_todo = list_page.locator(".new-todo")
    new_todo.fill("Pay rent !high")
    expect(chip(list_page, "priority")).to_have_text("Priority: High")

    new_todo.fill("Buy 2 apples")

    expect(list_page.locator("#quick-preview")).to_be_hidden()


def test_adding_the_todo_empties_the_chips(list_page, todo_list):
    new_todo = list_page.locator(".new-todo")
    new_todo.fill("Pay rent tomorrow 9am !high #home")
    expect(chip(list_page, "due")).to_have_text("Due: Tomorrow 09:00")

    new_todo.press("Enter")

    expect(descriptions(list_page)).to_have_text(["Pay rent"])
    expect(list_page.locator("#quick-preview")).to_be_hidden()
    list_page.wait_for_timeout(400)  # past the field's delay: no late answer brings them back
    wait_saved(list_page)
    expect(list_page.locator("#quick-preview")).to_be_hidden()
    assert list(todo_list.todos.values_list("description", flat=True)) == ["Pay rent"]


def test_a_slow_preview_does_not_hold_back_adding_the_todo(list_page, todo_list):
    """The preview has its own hx-sync: it never waits in, nor holds up, the page's queue of writes."""
    held = []
    list_page.route(PREVIEW, lambda route: held.append(route))
    new_todo = list_page.locator(".new-todo")
    new_todo.fill("Milk tomorrow")
    list_page.wait_for_timeout(300)  # past the field's delay: the preview is asked for, and not answered
    assert len(held) == 1

    new_todo.press("Enter")

    expect(descriptions(list_page)).to_have_text(["Milk"])
    for route in held:
        route.continue_()
    list_page.unroute(PREVIEW)
    wait_saved(list_page)
    expect(list_page.locator("#quick-preview")).to_be_hidden()


def test_after_the_session_ended_the_preview_says_so_and_shows_no_login_page(list_page):
    list_page.context.clear_cookies()

    list_page.locator(".new-todo").fill("Pay rent !high")

    expect(list_page.get_by_role("alert")).to_contain_text("Your session has expired")
    wait_saved(list_page)
    expect(list_page.locator("#quick-preview")).to_be_hidden()
    expect(list_page.locator("#quick-preview form")).to_have_count(0)


def expect_pay_rent_row(page):
    expect(descriptions(page)).to_have_text(["Pay rent"])
    row = page.locator(".todo-list li").first
    expect(row.locator(".due")).to_have_text("Tomorrow 09:00")
    expect(row.locator(".priority")).to_have_text("High")
    expect(row.locator(".todo-meta .chip")).to_have_text(["home"])


def test_enter_saves_the_todo_as_the_chips_read_it_and_a_reload_shows_it_too(list_page, todo_list):
    new_todo = list_page.locator(".new-todo")
    new_todo.press_sequentially("Pay rent tomorrow 9am !high #home")
    expect(chip(list_page, "due")).to_have_text("Due: Tomorrow 09:00")

    new_todo.press("Enter")

    expect_pay_rent_row(list_page)
    wait_saved(list_page)
    list_page.reload()
    expect_pay_rent_row(list_page)
    todo = todo_list.todos.get()
    assert (todo.priority, [label.name for label in todo.labels.all()]) == ("high", ["home"])
