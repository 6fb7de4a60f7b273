"""Smart views in the browser: open Today from the side column, complete a todo there, read Upcoming's days."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.humanize import human_date
from todos.models import Todo
from todos.tests.factories import LabelFactory, TodoFactory, TodoListFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def rows(page):
    return page.locator("#smart-main .smart-description")


def count_of(page, view):
    return page.locator(f"#side-views [data-view-count='{view}']")


def test_complete_a_todo_from_today_then_read_upcoming(page, login, live_server, user, todo_list):
    today = timezone.localdate()  # the person's zone is UTC, as the live server's clock
    work = TodoListFactory(owner=user, name="Work")
    errands = LabelFactory(owner=user, name="errands")
    TodoFactory(list=work, description="Pay rent", due_date=today - datetime.timedelta(days=1))
    milk = TodoFactory(list=todo_list, description="Buy milk", due_date=today, labels=[errands])
    TodoFactory(list=todo_list, description="Call mum", due_date=today + datetime.timedelta(days=1))
    TodoFactory(list=work, description="Dentist", due_date=today + datetime.timedelta(days=3))
    TodoFactory(list=work, description="Tax return", due_date=today + datetime.timedelta(days=10))
    TodoFactory(list=todo_list, description="Someday")
    login(user)
    page.goto(live_server.url + f"/lists/{todo_list.pk}/")

    page.locator("#side-views").get_by_role("link", name="Today").click()

    expect(page).to_have_url(live_server.url + "/today/")
    expect(page.locator("#smart-heading")).to_have_text("Today")
    expect(rows(page)).to_have_text(["Pay rent", "Buy milk"])
    expect(page.locator(f"#smart-todo-{milk.pk} .smart-list-link")).to_have_text("Groceries")
    expect(count_of(page, "Today")).to_have_text("Todos: 2")
    expect(count_of(page, "Upcoming")).to_have_text("Todos: 3")
    expect(count_of(page, "Overdue")).to_have_text("Todos: 1")
    expect(count_of(page, "Completed")).to_have_text("Todos: 0")

    page.locator(f"#smart-todo-{milk.pk}").get_by_role("button", name="Done").click()

    expect(rows(page)).to_have_text(["Pay rent"])
    expect(count_of(page, "Today")).to_have_text("Todos: 1")
    expect(count_of(page, "Completed")).to_have_text("Todos: 1")
    expect(page).to_have_url(live_server.url + "/today/")  # swapped in place, not a new page
    assert Todo.objects.get(pk=milk.pk).completed

    page.locator("#side-views").get_by_role("link", name="Upcoming").click()

    expect(rows(page)).to_have_text(["Call mum", "Dentist", "Tax return"])
    expect(page.locator(".smart-day")).to_have_text(
        [
            human_date(today + datetime.timedelta(days=1), today=today),
            human_date(today + datetime.timedelta(days=3), today=today),
            "Later",
        ]
    )

    page.locator("#side-views").get_by_role("link", name="errands").click()

    expect(page.locator("#smart-heading")).to_have_text("errands")
    expect(rows(page)).to_have_count(0)
    expect(page.locator(".smart-empty")).to_be_visible()


def test_complete_and_reopen_from_the_views_without_javascript(context_as, live_server, user, todo_list):
    today = timezone.localdate()
    milk = TodoFactory(list=todo_list, description="Buy milk", due_date=today)
    page = context_as(user, java_script_enabled=False, viewport={"width": 1200, "height": 800}).new_page()
    page.goto(live_server.url + "/today/")

    page.get_by_role("button", name="Done “Buy milk”").click()

    expect(page).to_have_url(live_server.url + "/today/")
    expect(rows(page)).to_have_count(0)
    expect(count_of(page, "Completed")).to_have_text("Todos: 1")

    page.locator("#side-views").get_by_role("link", name="Completed").click()
    page.get_by_role("button", name="Reopen “Buy milk”").click()

    expect(page).to_have_url(live_server.url + "/completed/")
    expect(rows(page)).to_have_count(0)
    expect(count_of(page, "Today")).to_have_text("Todos: 1")
    assert not Todo.objects.get(pk=milk.pk).completed
