"""The theme switch in the top bar: Dark is remembered, applied before first paint, and shared with the admin."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Recorded by every page as it loads: the theme <html> carries when <body> starts (before the first paint of any
# content; a module or deferred script would not have run yet) and at DOMContentLoaded.
RECORD_THEME_AT_DOMCONTENTLOADED = """
new MutationObserver((_, observer) => {
  if (!document.body) return;
  window.themeWhenBodyStarts = document.documentElement.getAttribute("data-theme");
  observer.disconnect();
}).observe(document, {childList: true, subtree: true});
document.addEventListener("DOMContentLoaded", () => {
  window.themeAtDomContentLoaded = document.documentElement.getAttribute("data-theme");
});
"""
DARK_BACKGROUND = "rgb(18, 20, 23)"  # app.css's --background in the dark scheme
LIGHT_BACKGROUND = "rgb(244, 245, 247)"


def background(page):
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_dark_is_remembered_applied_before_paint_and_shared_with_the_admin(page, login, live_server, staff_user):
    """A person on a light system picks Dark, reloads, opens the admin, then goes back to Auto."""
    page.add_init_script(RECORD_THEME_AT_DOMCONTENTLOADED)
    login(staff_user)
    page.goto(live_server.url + reverse("home"))
    switch = page.get_by_label("Theme")
    expect(switch).to_have_value("auto")
    assert background(page) == LIGHT_BACKGROUND

    switch.select_option("dark")

    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    assert background(page) == DARK_BACKGROUND
    assert page.evaluate("localStorage.getItem('theme')") == "dark"

    page.reload()
    assert page.evaluate("window.themeWhenBodyStarts") == "dark"
    assert page.evaluate("window.themeAtDomContentLoaded") == "dark"
    expect(page.get_by_label("Theme")).to_have_value("dark")
    assert background(page) == DARK_BACKGROUND

    page.goto(live_server.url + reverse("admin:index"))
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    admin_background = page.evaluate("getComputedStyle(document.body).getPropertyValue('--body-bg').trim()")
    assert admin_background == "#121212"  # the admin's own dark palette (admin/css/dark_mode.css)

    page.goto(live_server.url + reverse("home"))
    page.get_by_label("Theme").select_option("auto")

    expect(page.locator("html")).to_have_attribute("data-theme", "auto")
    assert page.evaluate("localStorage.getItem('theme')") == "auto"
    assert background(page) == LIGHT_BACKGROUND
    page.reload()
    assert page.evaluate("window.themeAtDomContentLoaded") == "auto"


def test_auto_follows_a_dark_system_setting(context_as, live_server, user):
    page = context_as(user, color_scheme="dark").new_page()

    page.goto(live_server.url + reverse("home"))

    expect(page.get_by_label("Theme")).to_have_value("auto")
    assert background(page) == DARK_BACKGROUND
    page.get_by_label("Theme").select_option("light")
    expect(page.locator("html")).to_have_attribute("data-theme", "light")
    assert background(page) == LIGHT_BACKGROUND


def test_another_tab_follows_the_theme_picked_in_one(context, login, live_server, user):
    login(user)
    first, second = context.new_page(), context.new_page()
    for page in (first, second):
        page.goto(live_server.url + reverse("home"))

    first.get_by_label("Theme").select_option("dark")

    expect(second.locator("html")).to_have_attribute("data-theme", "dark")
    expect(second.get_by_label("Theme")).to_have_value("dark")
    assert background(second) == DARK_BACKGROUND
