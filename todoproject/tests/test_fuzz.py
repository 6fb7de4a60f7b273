"""Fuzz the REST API from its OpenAPI schema with schemathesis: every check, every phase, a real token.

schemathesis' own engine (what `schemathesis run` drives) runs in the test process against the WSGI
application, inside the test's transaction: the examples, coverage and fuzzing phases per operation, then
the stateful phase, which chains operations through the links schemathesis infers from the schema and
the answers (create, then read, change and delete what was created). All of schemathesis' checks run,
positive_data_acceptance and negative_data_rejection included: the schema must say exactly what the
validation accepts. The seed is fixed and generation deterministic, so CI sends the same requests every run.
"""

import itertools
import json
import logging
import time
from http import HTTPStatus

import pytest
import schemathesis
from django.db import connections
from django.urls import reverse
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events, from_schema
from schemathesis.transport.wsgi import WSGITransport

from accounts.models import APIToken
from accounts.services import api_token_create
from core.idempotency import MAX_KEY_LENGTH
from orders.tests.factories import OrderItemFactory, ProductFactory
from todoproject.wsgi import application
from todos import services
from todos.tests.factories import TodoFactory, TodoListFactory, UserFactory

SEED = 20240601
BULK_COLLECTION = "/api/lists/{list_pk}/todos/"  # DELETE empties it (todos.api.ListTodoViewSet.bulk_destroy)
EXAMPLES = 50  # per operation in the fuzzing phase
STATEFUL_EXAMPLES = 40  # scenarios of linked calls

# A transactional test: schemathesis' engine sends its requests from a worker thread, whose own database
# connection must see the test's rows (and, on the in-memory SQLite database, not wait on the test's locks).
pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _quiet_request_log(caplog):
    """Thousands of expected 4xx warnings; a 500 still fails the not_a_server_error check."""
    caplog.set_level(logging.ERROR, logger="django.request")


@pytest.fixture
def fuzz_user(settings):
    """A staff user (so product writes run too) who owns lists, todos, a shared list and an order."""
    # Thousands of requests a minute from one user: lift the limits for this test only.
    rates = {"user": "100000/minute", "todobackend": "100000/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    user = UserFactory(username="fuzzer", is_staff=True)
    todo_list = TodoListFactory(owner=user)
    TodoFactory.create_batch(3, list=todo_list)
    user.share_token = services.todo_list_share(todo_list=todo_list)
    OrderItemFactory(order__owner=user, product=ProductFactory())
    return user


@pytest.fixture
def document(api_client):
    return api_client.get(reverse("api:schema"), {"format": "json"}).json()


@pytest.fixture(autouse=True)
def _close_other_threads_connections(monkeypatch):
    """Close the connections that schemathesis' threads opened, so none outlives the test (PostgreSQL
    refuses to drop the test database while a connection to it is open)."""
    opened = []
    create_connection = connections.create_connection

    def create_and_remember(alias):
        connection = create_connection(alias)
        opened.append(connection)
        return connection

    monkeypatch.setattr(connections, "create_connection", create_and_remember)
    yield
    for connection in opened:
        connection.inc_thread_sharing()  # closed from this thread, the one that asks
        connection.close()


@pytest.fixture(autouse=True)
def _wsgi_without_socket_options(monkeypatch):
    """schemathesis 4.32.5 hands socket options to its in-process WSGI transport on some paths, whose test
    client refuses them (TypeError, reported as an error); they mean nothing without a socket."""
    send = WSGITransport.send

    def send_without_socket_options(self, case, *, session=None, **kwargs):
        for name in ("max_redirects", "verify", "cert", "proxies"):
            kwargs.pop(name, None)
        return send(self, case, session=session, **kwargs)

    monkeypatch.setattr(WSGITransport, "send", send_without_socket_options)


def run_schemathesis(document, user, phases: list[str]) -> tuple[dict, list[str]]:
    """Run the given phases with every check; return (figures, failures)."""
    config = SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            # No cache of earlier runs (by default under .schemathesis/): what it remembers would change the run.
            "cache": {"enabled": False},
            "workers": 1,
            "generation": {"deterministic": True, "database": "none", "max-examples": EXAMPLES},
            "phases": {
                **{phase: {"enabled": phase in phases} for phase in ("examples", "coverage", "fuzzing", "stateful")},
                "stateful": {"enabled": "stateful" in phases, "generation": {"max-examples": STATEFUL_EXAMPLES}},
            },
            # The one shared list's secret, so the Todo-Backend operations reach their code, not only the 404.
            "operations": [{"include-path-regex": "^/api/todobackend/", "parameters": {"secret": user.share_token}}],
        }
    )
    schema = schemathesis.openapi.from_dict(document, config=config)
    schema.app = application

    @schema.auth(refresh_interval=None)
    class RealToken:
        """A read-write token of the user's, checked before every request: once DELETE /api/token/ or
        /api/tokens/{id} revokes it, a new one is made (keys are stored hashed, so the key is kept here)."""

        key = None

        def get(self, case, context):
            if RealToken.key is None or not APIToken.objects.for_key(RealToken.key).exists():
                RealToken.key = api_token_create(user=user, name="fuzz").key
            return RealToken.key

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}

    keys = itertools.count()
    figures = {
        "operations": set(),
        "cases": 0,
        "checks": 0,
        "refused for state": 0,
        "violation not sent": 0,
        "emptied collection": 0,
    }
    failures = []

    @schemathesis.hook  # a global hook (before_call has no other scope), removed once the run ends
    def before_call(context, case, kwargs):
        # An Idempotency-Key must be unique to one request body (the same key with another body is a 422,
        # documented and tested in test_idempotency.py); no schema can say "unique across requests", and the
        # generator repeats short strings. A generated key of valid length is made unique, as a client's
        # UUID would be; keys of invalid length stay, for the 400.
        key = (case.headers or {}).get("Idempotency-Key")
        if isinstance(key, str) and 1 <= len(key) <= MAX_KEY_LENGTH:
            case.headers["Idempotency-Key"] = f"fuzz-{next(keys)}"

    @schema.hook
    def filter_failure(context, failure, case, response):
        """Keep every failure but a refusal that depends on the database's state, which no schema can state,
        and a "schema-violating request accepted" whose violation was never sent."""
        if _refused_for_state(case, response):
            figures["refused for state"] += 1
            return False
        if failure.title == "Schema-violating request accepted" and _violation_not_sent(case):
            figures["violation not sent"] += 1
            return False
        if failure.title == "Deleted resource still available" and case.operation.path == BULK_COLLECTION:
            # The bulk DELETE empties a list's todos; the collection itself (the list) is still there.
            figures["emptied collection"] += 1
            return False
        return True

    try:
        return _run(schema, figures, failures), failures
    finally:
        schemathesis.hooks.unregister(before_call)


def _refused_for_state(case, response) -> bool:
    """Whether `response` refuses a well-formed request because of what the database holds (documented answers).

    - 412: an `If-Match` that is not the object's current ETag (the object changed, or never had that tag);
    - 413: an import body over the API's 1 MB (documented; a size in bytes is not a JSON Schema keyword);
    - 400 naming only a list, labels or products that do not exist or are not the caller's (ids the generator
      made up), a label name the caller already has, a due time without a due date (sent or stored),
      a refused order status transition, an API token expiry that is not in the future, or a change to the
      items of an order that is no longer pending;
    - 400 from /api/token/ for a username and password that match no account.
    """
    if response.status_code == HTTPStatus.PRECONDITION_FAILED:
        return "If-Match" in (case.headers or {})
    if response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE:  # a limit in bytes, which no schema can state
        return case.operation.path == "/api/import/" and b"Request body too large" in response.content
    if response.status_code != HTTPStatus.BAD_REQUEST:
        return False
    try:
        errors = json.loads(response.content)
    except ValueError:
        return False
    if case.operation.path == "/api/token/":
        return errors == {"non_field_errors": ["Unable to log in with provided credentials."]}
    if not isinstance(errors, dict) or not errors:
        return False
    return all(
        isinstance(messages, list) and messages and all(_names_state(field, str(message)) for message in messages)
        for field, messages in _leaf_errors(errors)
    )


def _leaf_errors(errors: dict):
    """(field, messages) of a 400's errors, a nested item's under its own field name (an imported todo's `due_time`)."""
    for field, messages in errors.items():
        if isinstance(messages, dict) and messages:
            yield from _leaf_errors(messages)
        else:
            yield field, messages


def _violation_not_sent(case) -> bool:
    """An empty object or array as a query parameter: form-style serialization sends no parameter at all."""
    return any(value in ({}, []) for value in (case.query or {}).values())


def _names_state(field: str, message: str) -> bool:
    if field in ("list", "labels"):
        return message.startswith("Invalid pk") and message.endswith("object does not exist.")
    if field == "name":  # a label name the caller already has (ignoring case)
        return message == "You already have a label with this name."
    if field == "due_time":  # a time needs a date, sent or stored: a rule across fields that OpenAPI 3.0 cannot state
        return message == "A due time needs a due date."
    if field == "items":
        return message.startswith("Unknown product id(s)") or message == "Only a pending order's items can be changed."
    if field == "status":
        return message.startswith("An order cannot go from")
    if field == "expires_at":  # "after now": a rule of the clock, which no schema can state
        return message == "Must be in the future."
    return False


def _run(schema, figures, failures) -> dict:
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            figures["operations"].update(node.value.operation.label for node in event.recorder.cases.values())
            figures["cases"] += len(event.recorder.cases)
            for case_id, checks in event.recorder.checks.items():
                figures["checks"] += len(checks)
                for check in checks:
                    if check.status == Status.FAILURE:
                        failures.append(
                            f"{event.recorder.label} [{check.name}]: {_describe(event.recorder, case_id, check)}"
                        )
        elif isinstance(event, events.NonFatalError):
            failures.append(f"{event.label}: error {event.info.title}: {event.value!r}")
        elif isinstance(event, events.FatalError):
            raise event.exception
    figures["operations"] = len(figures["operations"])
    return figures


def _describe(recorder, case_id, check) -> str:
    case = recorder.cases[case_id].value
    interaction = recorder.interactions.get(case_id)
    status = interaction.response.status_code if interaction and interaction.response else None
    title = check.failure_info.failure.title if check.failure_info else check.name
    answer = interaction.response.content[:300] if interaction and interaction.response else b""
    return f"{title}; {case.method} {case.formatted_path} query={case.query} body={case.body!r} -> {status} {answer!r}"


@pytest.mark.parametrize(
    ("phases", "min_operations"),
    [(["examples", "coverage", "fuzzing"], 36), (["stateful"], 10)],
    ids=["per-operation", "stateful"],
)
def test_schemathesis_finds_nothing(document, fuzz_user, phases, min_operations):
    started = time.monotonic()

    figures, failures = run_schemathesis(document, fuzz_user, phases)

    print(f"\n{'+'.join(phases)}: {figures} in {time.monotonic() - started:.0f}s, {len(failures)} failures")
    assert failures == [], "\n".join(failures)
    assert figures["operations"] >= min_operations
