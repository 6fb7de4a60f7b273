"""Hostile input to the API: never a 500, always a clear JSON answer, nothing written."""

import json
import re
from http import HTTPStatus

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from orders.models import Order
from orders.tests.factories import ProductFactory
from todos import services
from todos.models import Todo, TodoList
from todos.tests.factories import TodoListFactory

pytestmark = pytest.mark.django_db

HUGE = 99999999999999999999  # beyond any 64-bit id
MB = 1024 * 1024


def rows():
    return TodoList.objects.count(), Todo.objects.count(), Order.objects.count()


def assert_json_error(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    assert response.json()  # a message, per field or as "detail"


@pytest.mark.parametrize(
    "description",
    ["nul \x00 byte", "x" * 501, "", "   "],
    ids=["nul", "too-long", "empty", "blank"],
)
def test_bad_text_is_400_and_writes_nothing(auth_api_client, todo_list, description):
    before = rows()

    response = auth_api_client.post(
        reverse("api:todolist-todo-list", kwargs={"list_pk": todo_list.pk}), {"description": description}, format="json"
    )

    assert_json_error(response, HTTPStatus.BAD_REQUEST)
    assert "description" in response.json()
    assert rows() == before


@pytest.mark.parametrize("text", ["🧹 sweep 🏠", "اشترِ الحليب", "קנה חלב \u202etxt.exe", "Ω≈ç√∫˜µ≤≥÷"])
def test_emoji_and_right_to_left_text_round_trip(auth_api_client, todo_list, text):
    response = auth_api_client.post(
        reverse("api:todolist-todo-list", kwargs={"list_pk": todo_list.pk}), {"description": text}, format="json"
    )

    assert response.status_code == HTTPStatus.CREATED
    assert auth_api_client.get(response["Location"]).json()["description"] == text


@pytest.mark.parametrize(
    ("path", "method"),
    [
        *((f"/api/lists/{HUGE}/todos/", method) for method in ("get", "post", "patch", "delete")),
        *((f"/api/todobackend/SECRET/{HUGE}/", method) for method in ("get", "patch", "delete")),
        (f"/api/products/{HUGE}/orders/", "get"),
    ],
)
def test_huge_ids_in_nested_and_todobackend_urls_are_404(auth_api_client, todo, path, method):
    path = path.replace("SECRET", services.todo_list_share(todo_list=todo.list))
    before = rows()

    response = getattr(auth_api_client, method)(path, {"title": "x", "description": "x"}, format="json")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response["Content-Type"].startswith("application/json")
    assert rows() == before


def test_a_huge_todobackend_order_is_400(api_client, todo_list):
    url = reverse("api:todobackend-root", kwargs={"secret": services.todo_list_share(todo_list=todo_list)})

    response = api_client.post(url, {"title": "x", "order": HUGE}, format="json")

    assert_json_error(response, HTTPStatus.BAD_REQUEST)
    assert "order" in response.json()
    assert not Todo.objects.exists()


def writable_text_fields():
    """(serializer, field name, field) for every writable text field of every serializer the API writes with."""
    from rest_framework import serializers as drf

    from accounts.api import LoginSerializer
    from orders.serializers import OrderCreateSerializer, OrderSerializer, ProductSerializer
    from todos.serializers import TodoBackendTodoSerializer, TodoListSerializer, TodoSerializer

    for serializer in (
        TodoListSerializer,
        TodoSerializer,
        TodoBackendTodoSerializer,
        ProductSerializer,
        OrderSerializer,
        OrderCreateSerializer,
        LoginSerializer,
    ):
        for name, field in serializer().fields.items():
            if isinstance(field, drf.CharField) and not field.read_only:
                yield serializer.__name__, name, field


def test_every_writable_text_field_of_every_serializer_takes_only_strings():
    from core.fields import StrictCharField

    fields = list(writable_text_fields())

    assert len(fields) >= 6  # name, description, title, a product's name and description, username, password
    assert [(serializer, name) for serializer, name, field in fields if not isinstance(field, StrictCharField)] == []


@pytest.mark.parametrize("value", [["a"], {"a": "b"}, 1, True], ids=["list", "object", "number", "boolean"])
@pytest.mark.parametrize(
    ("url", "field", "method"),
    [
        ("/api/lists/", "name", "post"),
        ("LIST/", "name", "patch"),
        ("LIST/todos/", "description", "post"),
        ("TODO/", "description", "patch"),
        ("/api/products/", "name", "post"),
        ("/api/products/", "description", "post"),
        ("SHARE/", "title", "post"),
        ("SHARE/TODO/", "title", "patch"),
    ],
)
def test_a_json_value_of_the_wrong_type_for_a_text_field_is_400_never_its_repr(
    api_client, staff_user, url, field, method, value
):
    todo_list = TodoListFactory(owner=staff_user)
    todo = services.todo_create(todo_list=todo_list, description="Milk")
    secret = services.todo_list_share(todo_list=todo_list)
    url = {
        "LIST/": f"/api/lists/{todo_list.pk}/",
        "LIST/todos/": f"/api/lists/{todo_list.pk}/todos/",
        "TODO/": f"/api/todos/{todo.pk}/",
        "SHARE/": f"/api/todobackend/{secret}/",
        "SHARE/TODO/": f"/api/todobackend/{secret}/{todo.pk}/",
    }.get(url, url)
    api_client.force_authenticate(staff_user)
    body = {"name": "ok", "description": "ok", "title": "ok", "price": "1.00", field: value}
    before = rows(), list(Todo.objects.values_list("description", flat=True))

    response = getattr(api_client, method)(url, body, format="json")

    assert_json_error(response, HTTPStatus.BAD_REQUEST)
    assert response.json()[field] == ["Not a valid string."]
    assert (rows(), list(Todo.objects.values_list("description", flat=True))) == before


@pytest.mark.parametrize("query", [{"search": "\x00"}, {"search": "a\x00b"}, {"ordering": "\x00"}, {"list": "\x00"}])
def test_nul_bytes_in_query_parameters_are_never_a_500(auth_api_client, todo, query):
    response = auth_api_client.get(reverse("api:todo-list"), query)

    assert response.status_code in {HTTPStatus.OK, HTTPStatus.BAD_REQUEST}
    assert response["Content-Type"].startswith("application/json")


SEARCH_URLS = ["/api/lists/", "/api/todos/", "/api/products/", "LIST_TODOS"]


def search_url(url, todo_list):
    return f"/api/lists/{todo_list.pk}/todos/" if url == "LIST_TODOS" else url


@pytest.mark.parametrize("url", SEARCH_URLS)
@pytest.mark.parametrize(
    ("search", "message"),
    [
        ("a" * 201, "at most 200 characters"),
        (" ".join(["milk"] * 11), "At most 10 search terms"),
        (",".join("abcdefghijk"), "At most 10 search terms"),
        ("\x1e\x85".join("abcdefghijk"), "At most 10 search terms"),  # white space to Python, not to ECMAScript
        ("a " * 5000, "at most 200 characters"),
    ],
    ids=["201-characters", "11-terms", "11-comma-terms", "11-terms-apart-by-control-spaces", "5000-terms"],
)
def test_a_search_over_the_bounds_is_400(auth_api_client, todo, url, search, message):
    response = auth_api_client.get(search_url(url, todo.list), {"search": search})

    assert_json_error(response, HTTPStatus.BAD_REQUEST)
    assert message in response.json()["search"][0]


@pytest.mark.parametrize("url", SEARCH_URLS)
def test_a_search_at_the_bounds_is_answered(auth_api_client, todo, url):
    search = " ".join(["Milk"] * 9 + ["M" * (200 - 5 * 9)])

    response = auth_api_client.get(search_url(url, todo.list), {"search": search})

    assert response.status_code == HTTPStatus.OK


def test_the_schema_states_the_search_bounds(api_client):
    schema = api_client.get(reverse("api:schema"), {"format": "json"}).json()
    (parameter,) = [p for p in schema["paths"]["/api/todos/"]["get"]["parameters"] if p["name"] == "search"]

    assert parameter["schema"]["maxLength"] == settings.SEARCH_MAX_LENGTH
    pattern = re.compile(parameter["schema"]["pattern"])
    assert pattern.search(" ".join(["a"] * 10))
    assert pattern.search(",a, b ,")
    assert not pattern.search(" ".join(["a"] * 11))
    assert not pattern.search("\x1e".join(["a"] * 11))
    # `\s` means less in ECMAScript (no \x1c-\x1f, \x85) than in Python, where the API counts the terms.
    assert "\\s" not in parameter["schema"]["pattern"]
    assert not pattern.search("a\x00")


@pytest.mark.parametrize("path", ["/api/todos/-1/", f"/api/todos/{HUGE}/", f"/api/lists/{HUGE}/", "/api/orders/0/"])
@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_negative_zero_and_huge_ids_in_urls_are_404(auth_api_client, todo, path, method):
    before = rows()

    response = getattr(auth_api_client, method)(
        path, {"description": "x"} if method == "patch" else None, format="json"
    )

    assert_json_error(response, HTTPStatus.NOT_FOUND)
    assert rows() == before


@pytest.mark.parametrize(
    ("url_name", "body"),
    [
        ("api:todo-list", {"list": HUGE, "description": "x"}),
        ("api:todo-list", {"list": -1, "description": "x"}),
        ("api:todo-list", {"list": "1; DROP TABLE todos_todo", "description": "x"}),
        ("api:todo-list", {"list": "LIST", "description": "x", "position": HUGE}),
        ("api:todo-list", {"list": "LIST", "description": "x", "position": -1}),
        ("api:order-list", {"items": [{"product": HUGE, "quantity": 1}]}),
        ("api:order-list", {"items": [{"product": -1, "quantity": 1}]}),
        ("api:order-list", {"items": [{"product": "PRODUCT", "quantity": HUGE}]}),
        ("api:order-list", {"items": [{"product": "PRODUCT", "quantity": 1}] * 101}),
        ("api:order-list", {"items": []}),
        ("api:order-list", {"items": "everything"}),
    ],
)
def test_bad_ids_and_numbers_in_bodies_are_400(auth_api_client, todo_list, url_name, body):
    product = ProductFactory()
    text = json.dumps(body).replace('"LIST"', str(todo_list.pk)).replace('"PRODUCT"', str(product.pk))
    before = rows()

    response = auth_api_client.post(reverse(url_name), text, content_type="application/json")

    assert_json_error(response, HTTPStatus.BAD_REQUEST)
    assert rows() == before


@pytest.mark.parametrize("page", [str(HUGE), "-1", "0", "1e9", "9" * 5000])
def test_huge_and_odd_page_numbers_are_404(auth_api_client, todo, page):
    response = auth_api_client.get(reverse("api:todo-list"), {"page": page})

    assert_json_error(response, HTTPStatus.NOT_FOUND)


@pytest.mark.parametrize("page_size", [str(HUGE), "-1", "1e9"])
def test_huge_and_odd_page_sizes_are_400_or_capped(auth_api_client, todo, page_size):
    response = auth_api_client.get(reverse("api:todo-list"), {"page_size": page_size})

    assert response.status_code in {HTTPStatus.OK, HTTPStatus.BAD_REQUEST}
    if response.status_code == HTTPStatus.OK:
        assert len(response.json()["results"]) <= 100


@pytest.mark.parametrize("body", ['{"name": ', "[1, 2", '{"name": "x"}}', "\x00", "nul\x00{}", '"just a string"', "[]"])
def test_malformed_json_is_400_and_writes_nothing(auth_api_client, body):
    before = rows()

    response = auth_api_client.post(reverse("api:todolist-list"), body, content_type="application/json")

    assert_json_error(response, HTTPStatus.BAD_REQUEST)
    assert rows() == before


DEEP = "[" * 50_000 + "]" * 50_000  # 100 KB: deeper than Python's recursion limit
JSON_URLS = ["api:todolist-list", "api:todo-list", "api:order-list", "api:token", "api:todobackend-root"]


def json_url(user, url_name):
    secret = services.todo_list_share(todo_list=TodoListFactory(owner=user))
    return reverse(url_name, kwargs={"secret": secret}) if "todobackend" in url_name else reverse(url_name)


@pytest.mark.parametrize("url_name", JSON_URLS)
@pytest.mark.parametrize(
    "body",
    [DEEP, "[" * (settings.JSON_MAX_DEPTH + 1) + "]" * (settings.JSON_MAX_DEPTH + 1), '{"a":' * 40 + "1" + "}" * 40],
    ids=["100KB-of-brackets", "just-too-deep-array", "deep-object"],
)
def test_deeply_nested_json_is_400_on_every_endpoint_anonymous_ones_included(api_client, user, url_name, body):
    url = json_url(user, url_name)
    api_client.force_authenticate(user if url_name != "api:token" and "todobackend" not in url_name else None)
    before = rows()

    response = api_client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="deep")

    assert_json_error(response, HTTPStatus.BAD_REQUEST)
    assert "nested deeper than" in response.json()["detail"]
    assert rows() == before


@pytest.mark.parametrize("url_name", JSON_URLS)
@pytest.mark.parametrize(
    "body",
    [
        '{"name": "\\ud800", "description": "\\ud800", "title": "\\ud800", "username": "\\ud800", "password": "x"}',
        '{"\\udfff": "x", "name": "ok", "description": "ok", "title": "ok", "username": "alice", "password": "x"}',
        '[["\\ud800"]]',
    ],
    ids=["in-values", "in-a-key", "in-an-array"],
)
def test_lone_surrogates_in_json_are_400_on_every_endpoint(api_client, user, url_name, body):
    url = json_url(user, url_name)
    api_client.force_authenticate(user if url_name != "api:token" and "todobackend" not in url_name else None)
    before = rows()

    response = api_client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="surrogate")

    assert_json_error(response, HTTPStatus.BAD_REQUEST)
    assert "surrogate" in response.json()["detail"]
    assert rows() == before


def test_json_nested_as_deep_as_allowed_reaches_the_serializer(auth_api_client):
    depth = settings.JSON_MAX_DEPTH
    body = '{"name": ' + "[" * (depth - 1) + "]" * (depth - 1) + "}"

    response = auth_api_client.post(reverse("api:todolist-list"), body, content_type="application/json")

    assert_json_error(response, HTTPStatus.BAD_REQUEST)
    assert response.json() == {"name": ["Not a valid string."]}


def test_pair_of_surrogate_escapes_is_one_character_and_kept(auth_api_client):
    response = auth_api_client.post(
        reverse("api:todolist-list"), '{"name": "\\ud83e\\uddf9 sweep"}', content_type="application/json"
    )

    assert response.status_code == HTTPStatus.CREATED
    assert TodoList.objects.get().name == "\U0001f9f9 sweep"


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml"],
)
def test_wrong_content_type_is_415(auth_api_client, content_type):
    response = auth_api_client.post(reverse("api:todolist-list"), "name=x", content_type=content_type)

    assert_json_error(response, HTTPStatus.UNSUPPORTED_MEDIA_TYPE)
    assert not TodoList.objects.exists()


@pytest.mark.parametrize(
    "url_name", ["api:todolist-list", "api:todo-list", "api:order-list", "api:token", "api:todobackend-root"]
)
def test_a_body_over_the_limit_is_413_before_anything_reads_it(auth_api_client, user, url_name):
    secret = services.todo_list_share(todo_list=TodoListFactory(owner=user))
    url = reverse(url_name, kwargs={"secret": secret}) if "todobackend" in url_name else reverse(url_name)
    body = json.dumps({"name": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    before = rows()

    response = auth_api_client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k")

    assert_json_error(response, HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
    assert "too large" in response.json()["detail"]
    assert rows() == before


def test_a_string_just_under_the_body_limit_is_a_clean_400(auth_api_client, todo_list):
    description = "x" * (MB - 100)

    response = auth_api_client.post(
        reverse("api:todolist-todo-list", kwargs={"list_pk": todo_list.pk}), {"description": description}, format="json"
    )

    assert_json_error(response, HTTPStatus.BAD_REQUEST)
    assert not Todo.objects.exists()


def test_a_form_with_too_many_fields_on_the_token_endpoint_is_a_clean_answer(api_client):
    body = "&".join(f"f{i}=x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 10))

    response = api_client.post(reverse("api:token"), body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response["Content-Type"].startswith("application/json")


def test_session_write_without_csrf_token_is_403_json(client, user):
    client.force_login(user)
    csrf_client = APIClient(enforce_csrf_checks=True)
    csrf_client.cookies = client.cookies

    response = csrf_client.post(reverse("api:todolist-list"), {"name": "Forged"}, format="json")

    assert_json_error(response, HTTPStatus.FORBIDDEN)
    assert "CSRF" in response.json()["detail"]
    assert not TodoList.objects.exists()


def test_unknown_server_errors_under_api_answer_json(user, monkeypatch):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    monkeypatch.setattr(services, "todo_list_create", lambda **kwargs: 1 / 0)

    response = client.post(reverse("api:todolist-list"), {"name": "x"}, format="json")

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert response.json() == {"detail": "Server error."}


def test_server_errors_elsewhere_keep_djangos_html_page(rf):
    from core.views import server_error

    response = server_error(rf.get("/admin/"))

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert response["Content-Type"].startswith("text/html")
