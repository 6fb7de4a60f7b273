"""Dark mode in templates/base.html: the theme script in <head> before the stylesheet, the switch, the strict CSP."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

THEME_SCRIPT = '<script src="/static/js/theme.js"></script>'
STYLESHEET = '<link rel="stylesheet" href="/static/css/app.css">'


def head_of(html):
    return html.split("<head>", 1)[1].split("</head>", 1)[0]


@pytest.mark.parametrize("url_name", ["home", "account", "login", "signup"])
def test_every_page_loads_the_theme_script_in_head_before_the_stylesheet(client, user, url_name):
    """A classic script (no defer, no module) ahead of the CSS sets data-theme before the first paint."""
    if url_name in ("home", "account"):
        client.force_login(user)

    response = client.get(reverse(url_name), follow=True)

    assert response.status_code == HTTPStatus.OK
    head = head_of(response.content.decode())
    assert head.count(THEME_SCRIPT) == 1
    assert head.index(THEME_SCRIPT) < head.index(STYLESHEET)
    assert '<script type="module" src="/static/js/theme-switch.js"></script>' in head


@pytest.mark.parametrize("url_name", ["home", "login"])
def test_pages_with_the_theme_script_keep_the_strict_csp_and_no_inline_script(client, user, url_name):
    if url_name == "home":
        client.force_login(user)

    response = client.get(reverse(url_name), follow=True)

    html = response.content.decode()
    script_src = response["Content-Security-Policy"].split("script-src", 1)[1].split(";", 1)[0]
    assert script_src.split() == ["'self'"]
    assert html.count("<script") == len(re.findall(r'<script (?:type="module" )?src="/static/[^"]+"', html))
    assert not re.search(r"\son[a-z]+=", html)


def test_the_theme_switch_is_labelled_and_hidden_until_its_script_shows_it(auth_client):
    """Without JavaScript the switch could not work: it stays hidden and the system setting applies."""
    html = auth_client.get(reverse("home"), follow=True).content.decode()

    switch = re.search(r'<div class="theme-switch" data-theme-switch hidden>(.*?)</div>', html, re.S).group(1)
    assert '<label for="theme-select">Theme</label>' in switch
    assert re.findall(r'<option value="(\w+)">', switch) == ["auto", "light", "dark"]
