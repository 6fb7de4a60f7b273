from http import HTTPStatus

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_security_headers_on_every_response(client):
    response = client.get(reverse("admin:login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_oversized_body_is_refused_without_a_server_error(client):
    body = "username=" + "x" * (1024 * 1024)
    response = client.post(reverse("login"), data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == HTTPStatus.BAD_REQUEST


def script_src(csp: str) -> str:
    return next(part for part in csp.split(";") if part.strip().startswith("script-src"))


@pytest.mark.parametrize(
    ("url_name", "query"),
    [
        ("api:todolist-list", {}),
        ("api:schema", {"format": "json"}),
        ("api:docs", {}),
        ("api:docs", {"script": ""}),  # Swagger UI's init script, served as a file
        ("api:token", {}),
    ],
)
def test_api_and_swagger_ui_carry_the_strict_csp(auth_api_client, url_name, query):
    response = auth_api_client.get(reverse(url_name), query)

    csp = response["Content-Security-Policy"]
    assert "'self'" in script_src(csp)
    assert "unsafe-inline" not in script_src(csp)
    assert "unsafe-eval" not in script_src(csp)
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_json_errors_carry_the_csp_too(api_client):
    response = api_client.get("/api/no-such-thing/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "unsafe-inline" not in script_src(response["Content-Security-Policy"])
