"""Every list filter and smart view says why it shows no todo, and the message follows what a person does."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import add_todos, descriptions, wait_saved
from todos.tests.factories import LabelFactory, TodoFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def empty_state(page):
    return page.locator("#todo-empty")


def test_an_empty_list_says_how_to_add_a_todo_and_the_first_todo_removes_it(list_page, todo_list):
    expect(empty_state(list_page)).to_be_visible()
    expect(empty_state(list_page)).to_contain_text("This list is empty.")

    add_todos(list_page, "Milk")

    expect(descriptions(list_page)).to_have_text(["Milk"])
    expect(empty_state(list_page)).to_be_hidden()

    list_page.locator(".todo-list li").first.hover()
    list_page.locator(".todo-list li .destroy").first.click()
    expect(empty_state(list_page)).to_contain_text("This list is empty.")
    expect(empty_state(list_page)).to_be_visible()


def test_completing_the_last_open_todo_that_came_with_the_page_under_active_says_nothing_is_left(
    page, login, live_server, user, todo_list
):
    TodoFactory(list=todo_list, description="Milk")
    TodoFactory(list=todo_list, description="Bread", completed=True)
    login(user)
    page.goto(live_server.url + reverse("list_detail", args=[todo_list.pk]) + "?filter=active")
    wait_saved(page)
    expect(empty_state(page)).to_be_hidden()

    # click(), not check(): under Active the row leaves the page as soon as the answer lands, which can be before
    # check() has read the box back (it then waits for a box that is gone).
    page.get_by_role("checkbox", name="Milk").click()

    expect(descriptions(page)).to_have_count(0)
    expect(empty_state(page)).to_be_visible()
    expect(empty_state(page)).to_contain_text("Nothing left to do.")

    add_todos(page, "Eggs")  # an open todo: the Active filter shows it, and the message goes
    expect(descriptions(page)).to_have_text(["Eggs"])
    expect(empty_state(page)).to_be_hidden()
    wait_saved(page)


def test_the_completed_filter_says_none_is_done_until_one_is(page, login, live_server, user, todo_list):
    TodoFactory(list=todo_list, description="Milk")
    login(user)
    page.goto(live_server.url + reverse("list_detail", args=[todo_list.pk]) + "?filter=completed")
    wait_saved(page)

    expect(empty_state(page)).to_contain_text("No completed todos yet.")
    page.get_by_role("link", name="See what is left to do").click()
    expect(descriptions(page)).to_have_text(["Milk"])
    expect(empty_state(page)).to_be_hidden()
    page.get_by_role("checkbox", name="Milk").click()  # under Active: it goes, and nothing is left
    expect(empty_state(page)).to_contain_text("Nothing left to do.")
    wait_saved(page)
    empty_state(page).get_by_role("link", name="Completed").click()  # the one the message offers
    expect(descriptions(page)).to_have_text(["Milk"])
    expect(empty_state(page)).to_be_hidden()


def test_completing_the_last_todo_of_today_shows_its_empty_state(page, login, live_server, user, todo_list):
    TodoFactory(list=todo_list, description="Call mum", due_date=timezone.localdate())
    login(user)
    page.goto(live_server.url + reverse("smart_today"))
    expect(page.locator(".smart-empty")).to_have_count(0)

    page.get_by_role("button", name="Done “Call mum”").click()

    expect(page.locator(".smart-empty")).to_contain_text("No todos due today.")
    page.locator("#side-views").get_by_role("link", name="Overdue").click()
    expect(page.locator(".smart-empty")).to_contain_text("Nothing overdue.")
    page.locator("#side-views").get_by_role("link", name="Upcoming").click()
    expect(page.locator(".smart-empty")).to_contain_text("Nothing coming up.")


def test_a_label_page_and_a_search_without_results_say_what_to_do(page, login, live_server, user, todo_list):
    paint = LabelFactory(owner=user, name="paint")
    TodoFactory(list=todo_list, description="Walls", completed=True, labels=[paint], due_date=datetime.date(2026, 1, 1))
    login(user)
    page.goto(live_server.url + reverse("label_view", args=[paint.pk]))

    expect(page.locator(".smart-empty")).to_contain_text("No open todos labelled “paint”.")

    page.get_by_role("searchbox", name="Search todos").fill("zebra")
    page.get_by_role("searchbox", name="Search todos").press("Enter")
    expect(page.locator(".empty")).to_contain_text("No todos match “zebra”.")
    page.goto(live_server.url + reverse("search"))
    expect(page.locator(".empty")).to_contain_text("to find todos in all your lists")
