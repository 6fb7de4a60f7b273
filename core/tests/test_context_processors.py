"""The top bar marks the tab of the page's section as current (core.context_processors.nav_section)."""

import re
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from orders.tests.factories import OrderFactory
from todos.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TABS = {"Lists", "Shop", "My orders", "account"}


def current_tabs(content: str, username: str) -> set[str]:
    """The top bar's links marked aria-current="page", by their text, and "account" when its menu's button
    (the user name) is marked current."""
    links = re.findall(r'<a href="[^"]*"[^>]*aria-current="page"[^>]*>([^<]*)</a>', content)
    menu = re.search(r'<summary class="account-name" aria-current="true">.*?</span>([^<]*)</summary>', content)
    return ({*links} | ({"account"} if menu and menu.group(1) == username else set())) & TABS


@pytest.mark.parametrize(
    ("url_name", "tab"),
    [
        ("list_detail", "Lists"),
        ("order_create", "Shop"),
        ("order_list", "My orders"),
        ("order_detail", "My orders"),
        ("account", "account"),
        ("password_change", "account"),
        ("password_change_done", "account"),
        ("two_factor_setup", "account"),
    ],
)
def test_the_page_s_own_tab_alone_is_current(auth_client, user, todo_list, url_name, tab):
    args = {
        "list_detail": [todo_list.pk],
        "order_detail": [OrderFactory(owner=user).pk] if url_name == "order_detail" else None,
    }.get(url_name)
    namespace = "orders:" if url_name.startswith("order") else ""

    response = auth_client.get(reverse(namespace + url_name, args=args))

    assert response.status_code == HTTPStatus.OK
    assert current_tabs(response.content.decode(), user.username) == {tab}


def test_no_tab_is_current_on_a_page_that_is_not_found(auth_client, user):
    response = auth_client.get("/no-such-page/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert current_tabs(response.content.decode(), user.username) == set()


@pytest.mark.parametrize(
    ("url_name", "current_item"),
    [("account", None), ("password_change", "Password"), ("password_change_done", "Password"), ("home", None)],
)
def test_the_account_menu_marks_the_page_it_is_on(auth_client, url_name, current_item):
    response = auth_client.get(reverse(url_name), follow=True)

    menu = re.search(r'<details class="account-menu".*?</details>', response.content.decode(), re.S).group(0)
    marked = re.findall(r'<a href="[^"]*" aria-current="page">([^<]*)</a>', menu)
    assert marked == ([current_item] if current_item else [])


def test_the_account_menu_links_to_each_part_of_the_account(auth_client):
    menu = re.search(r'<details class="account-menu".*?</details>', auth_client.get(reverse("account")).text, re.S)

    links = re.findall(r'<a href="([^"]*)"[^>]*>([^<]*)</a>', menu.group(0))
    account = reverse("account")
    assert links == [
        (f"{account}#profile", "Profile &amp; time zone"),
        (reverse("password_change"), "Password"),
        (f"{account}#api-tokens", "API tokens"),
        (f"{account}#your-data", "Export / import"),
    ]
    assert f'<form method="post" action="{reverse("logout")}">' in menu.group(0)


def test_the_account_menu_offers_the_admin_to_staff_only(auth_client):
    staff_client = Client()
    staff_client.force_login(UserFactory(is_staff=True))

    assert f'<a href="{reverse("admin:index")}">Admin</a>' in staff_client.get(reverse("account")).text
    assert reverse("admin:index") not in auth_client.get(reverse("account")).text
