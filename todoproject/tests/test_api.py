"""Cross-cutting REST API behaviour: authentication, CORS, pagination, JSON errors for unknown URLs."""

from http import HTTPStatus

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import APIToken
from accounts.services import api_token_create
from todos.models import TodoList
from todos.tests.factories import TodoFactory, TodoListFactory

pytestmark = pytest.mark.django_db

ALLOWED = "https://app.example.com"
CSRF_SECRET = "a" * 32  # any well-formed secret works when the cookie and the header agree
PASSWORD = "correct horse battery staple"


@pytest.fixture
def user(user):
    """alice, with the password the examples below use."""
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


# Token authentication


def test_token_endpoint_exchanges_username_and_password_for_a_token(api_client, user):
    response = api_client.post(reverse("api:token"), {"username": "alice", "password": PASSWORD}, format="json")

    assert response.status_code == HTTPStatus.OK
    key = response.json()["token"]
    assert APIToken.objects.for_key(key).get().user == user


def test_token_endpoint_accepts_a_form_as_curl_sends_it(api_client, user):
    response = api_client.post(reverse("api:token"), {"username": "alice", "password": PASSWORD})

    assert response.status_code == HTTPStatus.OK


def test_token_endpoint_wrong_password_is_400(api_client, user):
    response = api_client.post(reverse("api:token"), {"username": "alice", "password": "nope"}, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}


def test_token_authenticates_reads_and_writes(api_client, user):
    token = api_token_create(user=user, name="test")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    created = api_client.post(reverse("api:todolist-list"), {"name": "Via token"}, format="json")
    listed = api_client.get(reverse("api:todolist-list"))

    assert created.status_code == HTTPStatus.CREATED
    assert listed.json()["count"] == 1


def test_invalid_token_is_401(api_client, user):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = api_client.get(reverse("api:todolist-list"))

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Invalid token."}


def test_an_inactive_users_token_is_401(api_client, user):
    token = api_token_create(user=user, name="test")
    user.is_active = False
    user.save(update_fields=["is_active"])
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = api_client.get(reverse("api:todolist-list"))

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json() == {"detail": "User inactive or deleted."}


# Session authentication, for the site's own JavaScript


@pytest.fixture
def session_client(user):
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username="alice", password=PASSWORD)
    return client


def test_session_reads_need_no_csrf_token(session_client):
    assert session_client.get(reverse("api:todolist-list")).status_code == HTTPStatus.OK


def test_session_write_without_csrf_token_is_403(session_client):
    response = session_client.post(reverse("api:todolist-list"), {"name": "Forged"}, format="json")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json()["detail"].startswith("CSRF Failed")
    assert not TodoList.objects.exists()


def test_session_write_with_csrf_token_is_accepted(session_client):
    session_client.cookies["csrftoken"] = CSRF_SECRET

    response = session_client.post(
        reverse("api:todolist-list"), {"name": "Real"}, format="json", HTTP_X_CSRFTOKEN=CSRF_SECRET
    )

    assert response.status_code == HTTPStatus.CREATED


# CORS for the API (the configured origins only; /api/todobackend/ is tested with the Todo-Backend)


def preflight(client, origin, method="POST"):
    return client.options(
        reverse("api:todolist-list"),
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )


def test_cors_preflight_from_an_allowed_origin(api_client, settings):
    settings.CORS_ALLOWED_ORIGINS = [ALLOWED]

    response = preflight(api_client, ALLOWED)

    assert response.status_code == HTTPStatus.OK
    assert response["Access-Control-Allow-Origin"] == ALLOWED
    allowed = set(response["Access-Control-Allow-Headers"].split(", "))
    assert {"authorization", "content-type", "if-match", "idempotency-key"} <= allowed
    assert "POST" in response["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in response


def test_cors_preflight_from_a_disallowed_origin_gets_no_cors_headers(api_client, settings):
    settings.CORS_ALLOWED_ORIGINS = [ALLOWED]

    response = preflight(api_client, "https://evil.example.com")

    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Methods" not in response


def test_cors_response_for_an_allowed_origin_exposes_location(auth_api_client, settings):
    settings.CORS_ALLOWED_ORIGINS = [ALLOWED]

    response = auth_api_client.post(reverse("api:todolist-list"), {"name": "x"}, format="json", HTTP_ORIGIN=ALLOWED)

    assert response["Access-Control-Allow-Origin"] == ALLOWED
    exposed = set(response["Access-Control-Expose-Headers"].split(", "))
    assert {"Location", "ETag", "Idempotent-Replayed", "Retry-After"} <= exposed
    assert "origin" in response["Vary"].lower()


def test_cors_is_off_by_default(api_client):
    assert "Access-Control-Allow-Origin" not in preflight(api_client, ALLOWED)


# Pagination


@pytest.fixture
def todos_25(user):
    todo_list = TodoListFactory(owner=user)
    return TodoFactory.create_batch(25, list=todo_list)


def test_pagination_defaults_to_20_with_the_drf_envelope(auth_api_client, todos_25):
    response = auth_api_client.get(reverse("api:todo-list"))

    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert (body["count"], len(body["results"]), body["previous"]) == (25, 20, None)
    assert body["next"] == "http://testserver/api/todos/?page=2"


def test_pagination_last_page(auth_api_client, todos_25):
    body = auth_api_client.get(reverse("api:todo-list"), {"page": 2}).json()

    assert (len(body["results"]), body["next"]) == (5, None)
    assert body["previous"] == "http://testserver/api/todos/"


def test_pagination_page_size(auth_api_client, todos_25):
    body = auth_api_client.get(reverse("api:todo-list"), {"page_size": 10, "page": 3}).json()

    assert [t["id"] for t in body["results"]] == [t.pk for t in todos_25[20:]]


def test_pagination_out_of_range_page_is_json_404(auth_api_client, todos_25):
    for page in ("3", "0", "abc"):
        response = auth_api_client.get(reverse("api:todo-list"), {"page": page})
        assert response.status_code == HTTPStatus.NOT_FOUND, page
        assert response.json() == {"detail": "Invalid page."}


def test_pagination_page_size_above_100_is_clamped(auth_api_client, user):
    TodoFactory.create_batch(101, list=TodoListFactory(owner=user))

    body = auth_api_client.get(reverse("api:todo-list"), {"page_size": 1000}).json()

    assert len(body["results"]) == 100
    assert body["next"] == "http://testserver/api/todos/?page=2&page_size=1000"


@pytest.mark.parametrize("page_size", ["0", "-5", "ten", ""])
def test_pagination_bad_page_size_is_400(auth_api_client, todos_25, page_size):
    response = auth_api_client.get(reverse("api:todo-list"), {"page_size": page_size})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"page_size": ["Must be a whole number of at least 1."]}


def test_pagination_ties_are_broken_by_id(auth_api_client, user):
    """Every todo has the same `completed`: pages still partition the rows, in id order."""
    todo_list = TodoListFactory(owner=user)
    todos = TodoFactory.create_batch(7, list=todo_list)

    seen = []
    for page in (1, 2, 3):
        params = {"ordering": "completed", "page_size": 3, "page": page}
        seen += [t["id"] for t in auth_api_client.get(reverse("api:todo-list"), params).json()["results"]]

    assert seen == [t.pk for t in todos]


# Errors are JSON everywhere under /api/


@pytest.mark.parametrize("path", ["/api/nothing-here/", "/api/lists/abc/", "/api/lists", "/api/lists/1/todos/2/"])
def test_unknown_api_url_is_json_404(auth_api_client, path):
    response = auth_api_client.get(path)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_unknown_api_url_post_without_csrf_is_json_404(user):
    client = APIClient(enforce_csrf_checks=True)
    client.login(username="alice", password=PASSWORD)

    response = client.post("/api/nothing-here/", {"a": 1}, format="json")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == {"detail": "Not found."}


def test_method_not_allowed_on_a_collection_is_405(auth_api_client):
    response = auth_api_client.delete(reverse("api:todo-list"))

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert response.json() == {"detail": 'Method "DELETE" not allowed.'}


def test_browsable_api_stays_available(auth_api_client):
    response = auth_api_client.get(reverse("api:todolist-list"), HTTP_ACCEPT="text/html")

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/html")


def test_api_root_lists_the_resources(auth_api_client):
    response = auth_api_client.get(reverse("api:api-root"))

    assert set(response.json()) == {"lists", "todos", "labels", "products", "orders", "tokens"}
