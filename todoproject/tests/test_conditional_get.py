"""Conditional GETs on the API: every list and detail answer carries an ETag; If-None-Match answers 304.

The list endpoints name their tag from one cheap read (the versions of what they show) before building
anything, so a 304 costs that read only.
"""

import re
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from orders import services as order_services
from orders.tests.factories import ProductFactory
from todos import services
from todos.tests.factories import TodoFactory, TodoListFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(user, todo_list):
    TodoFactory.create_batch(3, list=todo_list)
    pen = ProductFactory(name="Pen", price=Decimal("1.50"))
    order = order_services.order_create(owner=user, items=[{"product": pen.pk, "quantity": 2}])
    return {"list": todo_list, "todo": todo_list.todos.first(), "product": pen, "order": order}


URLS = {
    "lists": lambda d: reverse("api:todolist-list"),
    "list": lambda d: reverse("api:todolist-detail", kwargs={"pk": d["list"].pk}),
    "list todos": lambda d: reverse("api:todolist-todo-list", kwargs={"list_pk": d["list"].pk}),
    "todos": lambda d: reverse("api:todo-list"),
    "todos of a list": lambda d: reverse("api:todo-list") + f"?list={d['list'].pk}",
    "todo": lambda d: reverse("api:todo-detail", kwargs={"pk": d["todo"].pk}),
    "orders": lambda d: reverse("api:order-list"),
    "order": lambda d: reverse("api:order-detail", kwargs={"pk": d["order"].pk}),
    "products": lambda d: reverse("api:product-list"),
    "product": lambda d: reverse("api:product-detail", kwargs={"pk": d["product"].pk}),
    "product orders": lambda d: reverse("api:product-orders", kwargs={"pk": d["product"].pk}),
}


@pytest.mark.parametrize("url_of", URLS.values(), ids=URLS.keys())
def test_a_get_carries_a_strong_etag_and_if_none_match_answers_304_without_a_body(auth_api_client, data, url_of):
    first = auth_api_client.get(url_of(data))
    assert first.status_code == HTTPStatus.OK
    assert re.fullmatch(r'"[0-9a-f]{32}"', first["ETag"])

    again = auth_api_client.get(url_of(data), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == HTTPStatus.NOT_MODIFIED
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert auth_api_client.get(url_of(data), HTTP_IF_NONE_MATCH='"other", ' + first["ETag"]).status_code == 304


@pytest.mark.parametrize("url_of", URLS.values(), ids=URLS.keys())
def test_a_stale_if_none_match_gets_the_whole_answer(auth_api_client, data, url_of):
    response = auth_api_client.get(url_of(data), HTTP_IF_NONE_MATCH='"0123456789abcdef0123456789abcdef"')

    assert response.status_code == HTTPStatus.OK
    assert response.json()


PAGES_OF_THE_LIST = ["lists", "list", "list todos", "todos", "todos of a list"]


@pytest.mark.parametrize("name", PAGES_OF_THE_LIST)
def test_toggling_a_todo_changes_the_etag_of_every_answer_showing_its_list(auth_api_client, data, name):
    url = URLS[name](data)
    before = auth_api_client.get(url)["ETag"]

    auth_api_client.patch(
        reverse("api:todo-detail", kwargs={"pk": data["todo"].pk}), {"completed": True}, format="json"
    )
    after = auth_api_client.get(url, HTTP_IF_NONE_MATCH=before)

    assert after.status_code == HTTPStatus.OK
    assert after["ETag"] != before


def test_editing_a_todo_changes_the_etag_of_its_lists_pages_only(auth_api_client, data, user):
    other = TodoListFactory(owner=user)
    TodoFactory(list=other)
    pages = {name: auth_api_client.get(URLS[name](data))["ETag"] for name in ("list todos", "todos of a list")}
    other_page = reverse("api:todolist-todo-list", kwargs={"list_pk": other.pk})
    other_tag = auth_api_client.get(other_page)["ETag"]

    services.todo_update(todo=data["todo"], description="edited")

    for name, tag in pages.items():
        assert auth_api_client.get(URLS[name](data), HTTP_IF_NONE_MATCH=tag).status_code == HTTPStatus.OK, name
    assert auth_api_client.get(other_page, HTTP_IF_NONE_MATCH=other_tag).status_code == HTTPStatus.NOT_MODIFIED


def test_a_change_to_an_order_changes_the_etag_of_the_page_of_orders(auth_api_client, data):
    url = URLS["orders"](data)
    before = auth_api_client.get(url)["ETag"]

    auth_api_client.patch(
        reverse("api:order-detail", kwargs={"pk": data["order"].pk}), {"status": "cancelled"}, format="json"
    )

    assert auth_api_client.get(url, HTTP_IF_NONE_MATCH=before).status_code == HTTPStatus.OK


@pytest.mark.parametrize(
    ("name", "queries"),
    [
        ("lists", 1),  # my lists' ids and versions
        ("list todos", 1),  # the list (its version)
        ("todos", 1),  # my lists' ids and versions
        ("todos of a list", 1),  # that list's version
        ("orders", 2),  # the count, the page's ids and versions
        ("todo", 2),  # the todo and its labels: its tag is a hash of its representation
        ("list", 1),  # the list (its counts are cached under its version)
    ],
)
def test_a_304_costs_one_cheap_read(auth_api_client, data, name, queries, django_assert_num_queries):
    url = URLS[name](data)
    tag = auth_api_client.get(url)["ETag"]

    with django_assert_num_queries(queries):
        response = auth_api_client.get(url, HTTP_IF_NONE_MATCH=tag)

    assert response.status_code == HTTPStatus.NOT_MODIFIED


def test_another_users_tag_gets_no_304(auth_api_client, other_user, data):
    """The tags hold the person (or a list only its owner may read): nothing leaks to someone else."""
    api_client = APIClient()
    api_client.force_authenticate(other_user)
    for name in ("lists", "todos", "orders"):
        tag = auth_api_client.get(URLS[name](data))["ETag"]
        assert api_client.get(URLS[name](data), HTTP_IF_NONE_MATCH=tag).status_code == HTTPStatus.OK, name
    tag = auth_api_client.get(URLS["list todos"](data))["ETag"]
    assert api_client.get(URLS["list todos"](data), HTTP_IF_NONE_MATCH=tag).status_code == HTTPStatus.NOT_FOUND


def test_the_etag_of_a_detail_is_the_one_if_match_compares(auth_api_client, data):
    url = URLS["todo"](data)
    tag = auth_api_client.get(url)["ETag"]

    response = auth_api_client.patch(url, {"description": "edited"}, format="json", HTTP_IF_MATCH=tag)

    assert response.status_code == HTTPStatus.OK
    assert auth_api_client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == HTTPStatus.NOT_MODIFIED
