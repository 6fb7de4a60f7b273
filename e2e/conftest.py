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


@pytest.fixture
def context_as(browser, client, live_server):
    """Make a browser context (Playwright's options: viewport, color_scheme, has_touch, java_script_enabled ...),
    logged in as `user` unless None; every one made is closed after the test."""
    contexts = []

    def make(user, **options):
        context = browser.new_context(**options)
        context.set_default_timeout(5000)
        if user is not None:
            client.force_login(user)
            cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}
            context.add_cookies([cookie])
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page_without_js(context_as, user, list_url):
    """A browser with JavaScript off, logged in as `user`, on the list page of `todo_list`."""
    page = context_as(user, java_script_enabled=False, viewport={"width": 1200, "height": 800}).new_page()
    page.goto(list_url)
    return page


@pytest.fixture
def touch_page(context_as, user, list_url):
    """A phone-sized browser with a touch screen, logged in as `user`, on the list page of `todo_list`."""
    page = context_as(user, viewport={"width": 1000, "height": 800}, has_touch=True, is_mobile=False).new_page()
    page.goto(list_url)
    wait_saved(page)
    yield page
    wait_saved(page)


def _center(locator):
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def drag_with_mouse(page, source, target):
    """Press the mouse on `source`, move it to `target` in small steps, as a hand does, and let go."""
    (x0, y0), (x1, y1) = _center(source), _center(target)
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x0, y0 + 6, steps=3)
    page.mouse.move(x1, y1, steps=15)
    page.wait_for_timeout(150)  # the page looks where the pointer is every 50 ms
    page.mouse.up()


def drag_by_touch(page, source, target):
    """Touch `source`, hold, slide the finger to `target` and lift it: real touch events, through CDP."""
    cdp = page.context.new_cdp_session(page)
    (x0, y0), (x1, y1) = _center(source), _center(target)

    def touch(kind, points):
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": x, "y": y} for x, y in points]})

    touch("touchStart", [(x0, y0)])
    page.wait_for_timeout(400)  # held: on a touch screen a row follows the finger after a moment
    steps = 15
    for step in range(1, steps + 1):
        touch("touchMove", [(x0 + (x1 - x0) * step / steps, y0 + (y1 - y0) * step / steps)])
        page.wait_for_timeout(25)
    page.wait_for_timeout(150)
    touch("touchEnd", [])
    cdp.detach()
