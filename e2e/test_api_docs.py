"""Swagger UI at /api/docs/ renders the schema under a strict Content-Security-Policy, in Chromium."""

import pytest
from django.urls import reverse

# What the site's CSP is meant to allow at most: files from itself, images also as data: URIs.
STRICT_CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'"


@pytest.mark.e2e
def test_swagger_ui_renders_every_resource_under_a_strict_csp(live_server, page):
    violations = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security" in message.text else None)

    def with_csp(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": STRICT_CSP})

    page.route("**/*", with_csp)
    page.goto(live_server.url + reverse("api:docs"))

    page.wait_for_selector(".opblock-tag-section")
    tags = page.locator(".opblock-tag").all_text_contents()
    assert {"lists", "todos", "products", "orders", "todobackend", "token"} <= {t.strip().split()[0] for t in tags}
    assert violations == []
