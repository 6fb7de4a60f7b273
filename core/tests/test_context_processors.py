"""The top bar marks the tab of the page's section as current (core.context_processors.nav_section)."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from orders.tests.factories import OrderFactory

pytestmark = pytest.mark.django_db

TABS = {"Lists", "Shop", "My orders", "account"}


def current_tabs(content: str, username: str) -> set[str]:
    """The top bar's links marked aria-current="page", by their text ("account" for the user name)."""
    links = re.findall(r'<a href="[^"]*"[^>]*aria-current="page"[^>]*>([^<]*)</a>', content)
    return {"account" if text == username else text for text in links} & TABS


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
