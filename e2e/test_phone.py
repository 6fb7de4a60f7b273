"""The side column at desktop width: whole list names, round checkboxes that show."""

import re

import pytest
from playwright.sync_api import expect

from todos.tests.factories import TodoFactory, TodoListFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LONG_NAME = "Holiday plans for the summer in Portugal"


def logged_in_context(browser, client, live_server, user, **options):
    context = browser.new_context(**options)
    context.set_default_timeout(5000)
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context


def _luminance(rgb):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second):
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def rgb(css):
    return tuple(int(part) for part in re.findall(r"\d+", css)[:3])


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_side_column_shows_whole_list_names_and_round_checkboxes_that_stand_out(
    browser, client, live_server, user, list_url, todo_list, scheme
):
    TodoFactory(list=todo_list, description="Milk")
    empty = TodoListFactory(owner=user, name=LONG_NAME)
    context = logged_in_context(
        browser, client, live_server, user, viewport={"width": 1200, "height": 800}, color_scheme=scheme
    )
    page = context.new_page()
    page.goto(list_url)
    item = page.locator(f".list-item[data-list-id='{empty.pk}']")
    link = item.locator(".list-link")
    expect(link).to_have_text(LONG_NAME)
    cut = link.evaluate("el => el.scrollWidth > el.clientWidth || getComputedStyle(el).textOverflow === 'ellipsis'")
    assert not cut

    background = rgb(page.locator(".sidebar").evaluate("el => getComputedStyle(el).backgroundColor"))
    for box in (page.locator(f"#list-complete-{todo_list.pk}"), item.locator(".list-complete")):
        style = box.evaluate(
            "el => { const s = getComputedStyle(el);"
            " return {radius: s.borderTopLeftRadius, appearance: s.appearance,"
            " border: s.borderTopColor, opacity: s.opacity}; }"
        )
        assert style["appearance"] == "none"
        assert style["radius"] == "50%"
        assert style["opacity"] == "1"
        assert contrast(rgb(style["border"]), background) >= 3, (scheme, style)
    expect(item.locator(".list-complete")).to_be_disabled()
    context.close()
