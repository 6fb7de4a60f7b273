"""The OpenAPI schema at /api/schema/ and the Swagger UI at /api/docs/."""

import re
from http import HTTPStatus

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_schema_generates_and_validates_without_warnings(tmp_path):
    """`manage.py spectacular --validate --fail-on-warn` raises on any warning or invalid schema."""
    target = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    assert yaml.safe_load(target.read_text())["openapi"].startswith("3.")


@pytest.fixture
def schema(api_client):
    response = api_client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == HTTPStatus.OK
    return response.json()


def test_schema_covers_every_resource(schema):
    assert {
        "/api/lists/",
        "/api/lists/{id}/",
        "/api/lists/{list_pk}/todos/",
        "/api/todos/",
        "/api/todos/{id}/",
        "/api/todos/quick/",
        "/api/products/",
        "/api/products/{id}/",
        "/api/products/{id}/orders/",
        "/api/orders/",
        "/api/orders/{id}/",
        "/api/token/",
        "/api/todobackend/{secret}/",
        "/api/todobackend/{secret}/{id}/",
    } <= set(schema["paths"])
    assert set(schema["paths"]["/api/lists/{list_pk}/todos/"]) == {"get", "post", "patch", "delete"}


@pytest.mark.parametrize(
    ("path", "method", "codes"),
    [
        ("/api/lists/", "get", {"200", "400", "401", "403", "404"}),  # 400 page_size, 404 page
        ("/api/lists/{id}/", "patch", {"200", "400", "401", "403", "404", "412"}),
        ("/api/lists/{list_pk}/todos/", "patch", {"200", "400", "401", "403", "404"}),
        ("/api/todos/", "post", {"201", "400", "401", "403", "409", "422"}),
        ("/api/todos/quick/", "post", {"201", "400", "401", "403", "409", "422"}),
        ("/api/orders/{id}/", "delete", {"204", "401", "403", "404", "409"}),
        ("/api/products/{id}/", "delete", {"204", "401", "403", "404", "409"}),
        ("/api/todobackend/{secret}/", "get", {"200", "404"}),
    ],
)
def test_schema_documents_error_responses(schema, path, method, codes):
    assert set(schema["paths"][path][method]["responses"]) == codes | {"429"}  # rate limits, on every operation


def test_schema_documents_pagination_and_token_auth(schema):
    parameters = {p["name"] for p in schema["paths"]["/api/todos/"]["get"]["parameters"]}
    assert {"page", "page_size", "list", "completed", "search", "ordering"} <= parameters
    assert schema["components"]["securitySchemes"]["tokenAuth"]["name"] == "Authorization"


def test_schema_documents_the_api_tokens_endpoints(schema):
    assert set(schema["paths"]["/api/tokens/"]) == {"get", "post"}
    assert set(schema["paths"]["/api/tokens/{id}/"]) == {"delete"}
    created = schema["paths"]["/api/tokens/"]["post"]["responses"]["201"]["content"]["application/json"]["schema"]
    listed = schema["components"]["schemas"]["APIToken"]
    assert "key" in schema["components"]["schemas"][created["$ref"].rsplit("/", 1)[1]]["required"]
    assert "key" not in listed["properties"]  # the secret is only in the answer to the create


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/api/todos/", "post"),
        ("/api/lists/{id}/", "patch"),
        ("/api/tokens/{id}/", "delete"),
        ("/api/token/", "delete"),
    ],
)
def test_schema_says_a_read_only_token_is_403_on_writes(schema, path, method):
    assert "read-only" in schema["paths"][path][method]["responses"]["403"]["description"]
    assert "read-only" in schema["components"]["securitySchemes"]["tokenAuth"]["description"]


def test_schema_gives_no_read_only_403_to_reads_or_the_login(schema):
    assert "403" not in schema["paths"]["/api/token/"]["post"]["responses"]
    assert "read-only" not in schema["paths"]["/api/todos/"]["get"]["responses"]["403"]["description"]


def test_swagger_ui_has_no_inline_script_or_style(api_client):
    """Every script and style is a file (the sidecar bundle, then the split view's own init script): CSP-friendly."""
    response = api_client.get(reverse("api:docs"))

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert len(scripts) == 3
    assert all('src="' in attributes and not body.strip() for attributes, body in scripts)
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html
    assert "<style" not in html
    assert " style=" not in html


def test_swagger_ui_init_script_is_served_as_javascript(api_client):
    response = api_client.get(reverse("api:docs"), {"script": ""})

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("application/javascript")
    assert reverse("api:schema") in response.content.decode()


@pytest.mark.parametrize("path", ["/api/lists/{id}/", "/api/todos/{id}/"])
@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_schema_documents_if_match_and_412_on_detail_writes(schema, path, method):
    operation = schema["paths"][path][method]
    headers = {p["name"]: p for p in operation["parameters"] if p["in"] == "header"}
    assert headers["If-Match"].get("required", False) is False
    assert "412" in operation["responses"]


# The browsable API


@pytest.mark.parametrize(
    ("url", "title", "description"),
    [
        ("/api/", "API root – todoproject API", "Todo lists, todos, products and orders."),
        ("/api/lists/", "My todo lists – todoproject API", "My todo lists, with open/total counts"),
        ("/api/todos/", "My todos – todoproject API", "All my todos across my lists"),
        ("/api/orders/", "My orders – todoproject API", "My orders."),
    ],
)
def test_browsable_api_pages_have_a_title_a_description_and_the_favicon(auth_client, url, title, description):
    response = auth_client.get(url, HTTP_ACCEPT="text/html")

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert re.search(r"<title>\s*(.*?)\s*</title>", html, flags=re.S).group(1) == title
    assert description in html
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
    assert "Django REST framework" not in html


def test_browsable_api_detail_page_is_named_after_one_item(auth_client, todo_list):
    response = auth_client.get(f"/api/lists/{todo_list.pk}/", HTTP_ACCEPT="text/html")

    assert re.search(r"<title>\s*(.*?)\s*</title>", response.content.decode(), flags=re.S).group(1) == (
        "Todo list – todoproject API"
    )


def test_browsable_api_has_no_inline_script(auth_client):
    """Every script is a file, but DRF's CSRF token, a JSON data block that no browser runs: a strict CSP holds."""
    html = auth_client.get("/api/lists/", HTTP_ACCEPT="text/html").content.decode()

    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts
    assert all('src="' in attributes and not body.strip() for attributes, body in scripts if "json" not in attributes)
    assert [attributes for attributes, _ in scripts if "json" in attributes] == [
        ' type="application/json" id="drf_csrf"'
    ]


# Validation refuses what the schema does not allow (schemathesis' negative_data_rejection, one case each)


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/lists/", {"name": 7}, "name"),  # a number is not a string
        ("/api/lists/", {"name": "Errands", "shared": 1}, "shared"),  # 1 is not a boolean
        ("/api/lists/", {"name": " " + "x" * 200}, "name"),  # maxLength counts the string as sent
        ("/api/products/", {"name": "Pen", "price": 1.5}, "price"),  # a price is a decimal string
        ("/api/products/", {"name": "Pen", "price": "-1.50"}, "price"),
        ("/api/orders/", {"items": []}, "items"),  # minItems 1
    ],
)
def test_validation_refuses_what_the_schema_does_not_allow(api_client, staff_user, url, body, field):
    api_client.force_authenticate(staff_user)

    response = api_client.post(url, body, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()) == [field]


@pytest.mark.parametrize("value", ["banana", "", "null", "2"])
def test_a_boolean_filter_that_is_not_a_boolean_is_400(auth_api_client, value):
    response = auth_api_client.get("/api/todos/", {"completed": value})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()) == ["completed"]


def test_bulk_patch_body_is_required_in_the_schema(schema):
    operation = schema["paths"]["/api/lists/{list_pk}/todos/"]["patch"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]

    assert operation["requestBody"]["required"] is True
    assert schema["components"]["schemas"][body]["required"] == ["completed"]


def test_no_text_pattern_in_the_schema_allows_a_nul(schema):
    """The validation refuses NUL in every text field; so must every pattern (`\\S` alone matched one)."""
    patterns = set()

    def collect(node):
        if isinstance(node, dict):
            if node.get("type") == "string" and "pattern" in node:
                patterns.add(node["pattern"])
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(schema)
    assert patterns
    for pattern in patterns:
        assert not re.search(pattern, "a\x00"), pattern
        assert not re.search(pattern, "\x00a"), pattern


def test_schema_documents_quick_add(schema):
    operation = schema["paths"]["/api/todos/quick/"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    fields = schema["components"]["schemas"][body]

    assert set(fields["required"]) == {"text", "list"}
    assert fields["properties"]["text"]["maxLength"] == 500
    assert "Idempotency-Key" in {p["name"] for p in operation["parameters"]}
    assert operation["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith("/Todo")
