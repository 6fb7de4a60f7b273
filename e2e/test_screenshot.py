"""The README's screenshot of the list page, taken by the test suite's browser."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from e2e.conftest import wait_saved
from todos.tests.factories import TodoFactory, TodoListFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

README_SCREENSHOT = Path(__file__).resolve().parent.parent / "docs" / "screenshot-list.png"


def test_screenshot_of_the_list_page(list_page, todo_list, user, tmp_path):
    """Always take it; write it into docs/ when UPDATE_SCREENSHOTS=1 (so test runs leave the tree clean)."""
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
    list_page.reload()
    wait_saved(list_page)
    expect(list_page.locator(".todo-count")).to_have_text("3 items left")
    list_page.locator(".todo-list li").nth(2).hover()

    target = README_SCREENSHOT if os.environ.get("UPDATE_SCREENSHOTS") else tmp_path / "screenshot-list.png"
    target.parent.mkdir(exist_ok=True)
    list_page.screenshot(path=str(target), clip={"x": 0, "y": 0, "width": 1200, "height": 560})

    assert target.read_bytes().startswith(b"\x89PNG")
