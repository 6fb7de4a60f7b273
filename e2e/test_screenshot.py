"""The README's screenshots of the list page (desktop, phone, dark), taken by the test suite's browser."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from e2e.conftest import wait_saved
from todos.tests.factories import TodoFactory, TodoListFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.fixture
def sample_lists(todo_list, user):
    """The lists and todos the screenshots show."""
    for name, count in [("Work", 3), ("Holiday", 0)]:
        TodoFactory.create_batch(count, list=TodoListFactory(owner=user, name=name))
    for description, completed in [
        ("Oat milk", True),
        ("Sourdough bread", False),
        ("Coffee beans", False),
        ("Apples", True),
        ("Basil and tomatoes", False),
    ]:
        TodoFactory(list=todo_list, description=description, completed=completed)


def save(page, name, tmp_path, **options):
    """Always take it; write it into docs/ when UPDATE_SCREENSHOTS=1 (so test runs leave the tree clean)."""
    target = DOCS / name if os.environ.get("UPDATE_SCREENSHOTS") else tmp_path / name
    target.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(target), **options)
    assert target.read_bytes().startswith(b"\x89PNG")


def show(page, url):
    page.goto(url)
    wait_saved(page)
    expect(page.locator(".todo-count")).to_have_text("3 items left")


def hover_a_row(page):
    """Point at the third todo and wait until its controls have faded in."""
    row = page.locator(".todo-list li").nth(2)
    row.hover()
    expect(row.locator(".todo-tools")).to_have_css("opacity", "1")


def test_screenshot_of_the_list_page(list_page, list_url, sample_lists, tmp_path):
    show(list_page, list_url)
    hover_a_row(list_page)
    save(list_page, "screenshot-list.png", tmp_path, clip={"x": 0, "y": 0, "width": 1200, "height": 560})


def test_screenshot_of_the_list_page_in_the_dark_scheme(list_page, list_url, sample_lists, tmp_path):
    list_page.emulate_media(color_scheme="dark")
    show(list_page, list_url)
    expect(list_page.locator("html")).to_have_css("color-scheme", "dark")
    hover_a_row(list_page)
    save(list_page, "screenshot-dark.png", tmp_path, clip={"x": 0, "y": 0, "width": 1200, "height": 560})


def test_screenshot_of_the_list_page_on_a_phone(context_as, user, list_url, sample_lists, tmp_path):
    page = context_as(user, viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True).new_page()
    show(page, list_url)
    page.locator(".todo-list li").nth(1).get_by_role("button", name="Actions for “Sourdough bread”").tap()
    expect(page.locator(".todo-list li.menu-open .todo-tools")).to_be_visible()
    save(page, "screenshot-phone.png", tmp_path)
