"""The Todo-Backend spec runner (e2e/todobackend_spec/), served from another origin, against a shared list's URL."""

import functools
import json
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from todos import services
from todos.tests.factories import TodoFactory, TodoListFactory

SPEC_DIR = Path(__file__).parent / "todobackend_spec"
SPECS = 16  # the upstream spec's expectations, one `it` each in specs.js


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def static_origin(directory: Path):
    """Serve `directory` on a port of its own: an origin other than live_server's."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.e2e
def test_todobackend_spec_runner_passes_every_spec(live_server, page, user):
    """The runner page, opened at `index.html?<share URL>`, reports all 16 specs passed and none failed."""
    if connection.vendor != "postgresql":
        # One spec sends two POSTs at once. The in-memory SQLite test database (shared cache) refuses a
        # connection's statements while another one writes ("database table is locked") instead of
        # waiting as the SQLite file of settings.py does (IMMEDIATE transactions, a timeout).
        pytest.skip("the spec's concurrent writes need a database that waits for locks: PostgreSQL pass")
    page.set_default_timeout(60_000)  # the whole run, about a hundred preflighted requests
    todo_list = TodoListFactory(owner=user)
    TodoFactory(list=todo_list, description="came with the list")
    root = live_server.url + reverse(
        "api:todobackend-root", kwargs={"secret": services.todo_list_share(todo_list=todo_list)}
    )

    with static_origin(SPEC_DIR) as origin:
        page.goto(f"{origin}/index.html?{root}")
        page.wait_for_selector("#result[data-done]", state="attached")
        stats = json.loads(page.text_content("#result"))

    assert [f"{failure['title']}: {failure['error']}" for failure in stats["failed"]] == []
    assert (stats["tests"], stats["passes"], stats["failures"]) == (SPECS, SPECS, 0)
