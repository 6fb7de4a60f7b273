"""Fixtures shared by every app's tests, including the Playwright browser for the e2e tests."""

import os
import shutil
import time

import pytest
import time_machine
from django.core.cache import caches
from rest_framework.test import APIClient

from todos.tests.factories import TodoFactory, TodoListFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse ORM
# calls from it. https://docs.djangoproject.com/en/5.2/topics/async/#async-safety
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start and end every test with empty caches: rate limits, idempotency keys and pages never leak between tests."""
    for each in caches.all():
        each.clear()
    yield
    for each in caches.all():
        each.clear()


# Rate limits count in fixed windows (core/counters.py), and the list page's cache key holds the local minute
# (todos.views._page_inputs): a test that counts hits, or expects a cached page, and crosses a window's or a
# minute's end would see its count start again or the page rendered anew. This starts the test where none can
# end; tests of app servers, which keep real time, wait instead (todoproject.tests.servers.wait_clear_of_window_end).


@pytest.fixture
def clock_at_an_hours_start():
    """Run an in-process test from the first second of an hour, the clock ticking: every window and minute is fresh."""
    hour = 3600
    with time_machine.travel((int(time.time()) // hour + 1) * hour, tick=True):
        yield


@pytest.fixture
def user(db):
    return UserFactory(username="alice")


@pytest.fixture
def other_user(db):
    return UserFactory(username="mallory")


@pytest.fixture
def staff_user(db):
    return UserFactory(username="staff", is_staff=True)


@pytest.fixture
def todo_list(user):
    return TodoListFactory(owner=user, name="Groceries")


@pytest.fixture
def todo(todo_list):
    return TodoFactory(list=todo_list, description="Milk")


@pytest.fixture
def others_list(other_user):
    return TodoListFactory(owner=other_user, name="Secret")


@pytest.fixture
def others_todo(others_list):
    return TodoFactory(list=others_list, description="Secret todo")


@pytest.fixture
def auth_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def auth_api_client(api_client, user):
    api_client.force_authenticate(user)
    return api_client


# Browser tests


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Missing in CI is a failure, never a skip."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    context.set_default_timeout(5000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def login(live_server, client, context):
    """Return a function that logs `user` into the browser context by copying a Django session cookie."""

    def _login(user):
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])

    return _login
