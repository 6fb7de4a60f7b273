"""A page on another origin drives a shared list's Todo-Backend URL with `fetch`, in Chromium."""

import json
import threading
from contextlib import contextmanager
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from todos import services
from todos.models import Todo
from todos.tests.factories import TodoListFactory

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Todo-Backend client</title>
<script type="module" src="/client.js"></script></head>
<body data-api="{api}" data-private="{private}"><pre id="result"></pre></body></html>
"""

# A minimal Todo-Backend client: JSON bodies make every write a preflighted CORS request.
CLIENT_JS = """
const { api, private: privateUrl } = document.body.dataset;
const send = (url, method, body) =>
  fetch(url, { method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
const steps = {};
try {
  const created = await (await send(api, "POST", { title: "from afar" })).json();
  steps.created = created;
  steps.patchStatus = (await send(created.url, "PATCH", { completed: true })).status;
  steps.listed = await (await fetch(api)).json();
  const second = await (await send(api, "POST", { title: "gone soon" })).json();
  steps.deleteStatus = (await fetch(second.url, { method: "DELETE" })).status;
  steps.missingStatus = (await fetch(second.url)).status;
} catch (error) {
  steps.error = String(error);
}
try {
  await fetch(privateUrl);
  steps.privateReadable = true;
} catch (error) {
  steps.privateReadable = false;
}
const result = document.getElementById("result");
result.textContent = JSON.stringify(steps);
result.dataset.done = "true";
"""


@contextmanager
def other_origin(files):
    """Serve `files` ({path: (content type, body)}) from a second port: a different origin than live_server."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            content_type, body = files.get(self.path, ("text/plain", "not found"))
            self.send_response(HTTPStatus.OK if self.path in files else HTTPStatus.NOT_FOUND)
            self.send_header("Content-Type", content_type)
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.e2e
def test_cross_origin_fetch_uses_the_todobackend_url(live_server, page, user):
    """Create, complete, list and delete todos from another origin; the rest of /api/ stays closed to it."""
    todo_list = TodoListFactory(owner=user)
    secret = services.todo_list_share(todo_list=todo_list)
    api = live_server.url + reverse("api:todobackend-root", kwargs={"secret": secret})
    private = live_server.url + reverse("api:product-list")
    files = {
        "/index.html": ("text/html", PAGE.format(api=api, private=private)),
        "/client.js": ("text/javascript", CLIENT_JS),
    }

    with other_origin(files) as origin:
        assert origin.split(":")[-1] != live_server.url.split(":")[-1]
        page.goto(f"{origin}/index.html")
        page.wait_for_selector("#result[data-done]")
        steps = json.loads(page.text_content("#result"))

    assert "error" not in steps, steps["error"]
    assert steps["created"]["title"] == "from afar"
    assert steps["created"]["url"].startswith(f"{api}")
    assert steps["patchStatus"] == HTTPStatus.OK
    assert steps["listed"] == [{**steps["created"], "completed": True}]
    assert (steps["deleteStatus"], steps["missingStatus"]) == (HTTPStatus.NO_CONTENT, HTTPStatus.NOT_FOUND)
    assert steps["privateReadable"] is False
    assert list(Todo.objects.values_list("description", "completed")) == [("from afar", True)]


# The same POST twice with one Idempotency-Key: the preflight must allow the header, and the replay must
# carry the CORS headers (else fetch rejects it) and expose Idempotent-Replayed.
IDEMPOTENT_CLIENT_JS = """
const { api } = document.body.dataset;
const post = () =>
  fetch(api, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Idempotency-Key": "browser-retry-1" },
    body: JSON.stringify({ title: "once" }),
  });
const steps = {};
try {
  const first = await post();
  const again = await post();
  steps.statuses = [first.status, again.status];
  steps.bodies = [await first.json(), await again.json()];
  steps.replayed = [first.headers.get("Idempotent-Replayed"), again.headers.get("Idempotent-Replayed")];
} catch (error) {
  steps.error = String(error);
}
const result = document.getElementById("result");
result.textContent = JSON.stringify(steps);
result.dataset.done = "true";
"""


@pytest.mark.e2e
def test_cross_origin_retry_with_an_idempotency_key_creates_once_and_reads_the_replay(live_server, page, user):
    todo_list = TodoListFactory(owner=user)
    secret = services.todo_list_share(todo_list=todo_list)
    api = live_server.url + reverse("api:todobackend-root", kwargs={"secret": secret})
    files = {
        "/index.html": ("text/html", PAGE.format(api=api, private="")),
        "/client.js": ("text/javascript", IDEMPOTENT_CLIENT_JS),
    }

    with other_origin(files) as origin:
        page.goto(f"{origin}/index.html")
        page.wait_for_selector("#result[data-done]")
        steps = json.loads(page.text_content("#result"))

    assert "error" not in steps, steps["error"]
    assert steps["statuses"] == [HTTPStatus.CREATED, HTTPStatus.CREATED]
    assert steps["bodies"][0] == steps["bodies"][1]
    assert steps["replayed"] == [None, "true"]
    assert list(Todo.objects.values_list("description", flat=True)) == ["once"]
