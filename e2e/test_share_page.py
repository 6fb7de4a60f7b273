"""A shared list's Todo-Backend URL opened in Chromium: a read-only page about the link, not JSON."""

from http import HTTPStatus

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from todos import services
from todos.tests.factories import TodoFactory, TodoListFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shared_url(live_server, user):
    todo_list = TodoListFactory(owner=user, name="Groceries")
    TodoFactory(list=todo_list, description="Milk", completed=True)
    TodoFactory(list=todo_list, description="Bread")
    secret = services.todo_list_share(todo_list=todo_list)
    return todo_list, live_server.url + reverse("api:todobackend-root", kwargs={"secret": secret})


def test_a_browser_opening_a_share_link_sees_the_list_read_only(page, context, shared_url):
    _, url = shared_url
    console = []
    page.on("console", lambda message: console.append(message.text))

    response = page.goto(url)

    assert response.headers["content-type"].startswith("text/html")
    expect(page.get_by_role("heading", level=1)).to_have_text("Groceries")
    expect(page.locator(".lead")).to_contain_text("a Todo-Backend link to the list «Groceries»")
    todos = page.locator(".share-todos li")
    expect(todos).to_have_count(2)
    assert todos.nth(0).locator("s").evaluate("e => getComputedStyle(e).textDecorationLine") == "line-through"
    assert todos.nth(1).evaluate("e => getComputedStyle(e).textDecorationLine") == "none"
    expect(todos.nth(1)).to_have_text("Bread")
    field = page.get_by_label("Todo-Backend root URL")
    expect(field).to_have_value(url)
    expect(field).not_to_be_editable()
    expect(page.locator(".share-example")).to_contain_text(f"curl -s {url}")
    assert context.cookies() == []
    assert not [text for text in console if "Content Security Policy" in text]


def test_a_revoked_share_link_is_a_not_found_page(page, context, shared_url):
    todo_list, url = shared_url
    services.todo_list_unshare(todo_list=todo_list)

    response = page.goto(url)

    assert response.status == HTTPStatus.NOT_FOUND
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    assert context.cookies() == []
