"""Fixtures for the browser tests: a logged-in page showing one of the user's lists."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect


@pytest.fixture
def list_url(live_server, todo_list):
    return live_server.url + reverse("list_detail", args=[todo_list.pk])


@pytest.fixture
def list_page(page, login, user, list_url):
    """The browser, logged in as `user`, on the list page of `todo_list`, its script loaded."""
    login(user)
    page.goto(list_url)
    wait_saved(page)
    yield page
    # Let the page finish sending before the test's database is emptied under the live server: a
    # request still running then fails on a missing row.
    if page.locator(".todoapp").count():
        wait_saved(page)
    page.close()


def add_todos(page, *descriptions):
    new_todo = page.locator(".new-todo")
    for description in descriptions:
        new_todo.fill(description)
        new_todo.press("Enter")


def wait_saved(page):
    """Wait until the page has sent every change and drawn the server's answer."""
    expect(page.locator(".todoapp")).to_have_attribute("aria-busy", "false")


def descriptions(page):
    return page.locator(".todo-list li label")
