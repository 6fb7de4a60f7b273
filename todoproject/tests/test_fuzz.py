"""Fuzz the REST API from its OpenAPI schema with schemathesis: no server errors, every answer as documented.

Each operation gets EXAMPLES generated requests (fixed seed), then the stateful phase chains operations
(create, then read/update/delete what was created) for a bounded number of steps.
"""

import logging
import time

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import reverse
from hypothesis import HealthCheck
from hypothesis.errors import FlakyStrategyDefinition
from hypothesis.stateful import run_state_machine_as_test
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from orders.tests.factories import OrderItemFactory, ProductFactory
from todoproject.wsgi import application
from todos import services
from todos.tests.factories import TodoFactory, TodoListFactory, UserFactory

EXAMPLES = 100
STATEFUL_STEPS = 15
STATEFUL_EXAMPLES = 40
SEED = 20240601
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _quiet_request_log(caplog):
    """Thousands of expected 4xx warnings; a 500 still fails the not_a_server_error check."""
    caplog.set_level(logging.ERROR, logger="django.request")


@pytest.fixture
def fuzz_user(monkeypatch):
    """A staff user (so product writes run too) who owns lists, todos, a shared list and an order."""
    # Thousands of requests a minute from one user: lift the per-user limit for this test only.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"user": "100000/minute", "todobackend": "100000/minute"})
    user = UserFactory(username="fuzzer", is_staff=True)
    todo_list = TodoListFactory(owner=user)
    TodoFactory.create_batch(3, list=todo_list)
    services.todo_list_share(todo_list=todo_list)
    OrderItemFactory(order__owner=user, product=ProductFactory())
    return user


@pytest.fixture
def schema(api_client):
    """The API's own OpenAPI document, with requests sent straight to the WSGI application."""
    document = api_client.get(reverse("api:schema"), {"format": "json"}).json()
    schema = schemathesis.openapi.from_dict(document)
    schema.app = application
    # As Django's test client does (it reconnects these after each of its own requests): the end of a
    # request must not close the connection that holds the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schema
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def hypothesis_settings(max_examples):
    return hypothesis.settings(
        max_examples=max_examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
        # No shrinking: the database changes between examples, so a replayed example may not fail the same way.
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    )


def fuzz(operation, headers) -> int:
    """Send EXAMPLES generated requests to one operation, checking each answer; return how many were sent."""
    sent = []

    @hypothesis_settings(EXAMPLES)
    @hypothesis.given(case=operation.as_strategy())
    def run(case):
        sent.append(case)
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS)

    run()
    return len(sent)


def test_every_operation_answers_as_documented(schema, fuzz_user):
    headers = {"Authorization": f"Token {Token.objects.create(user=fuzz_user).key}"}
    counts = {}
    failures = []
    started = time.monotonic()
    for result in schema.get_all_operations():
        operation = result.ok()
        try:
            counts[operation.label] = fuzz(operation, headers)
        except Exception as error:  # collect every operation's failures, then fail once
            counts[operation.label] = 0
            failures.append(f"{operation.label}: {error}")
    print(f"\nfuzzed {len(counts)} operations, {sum(counts.values())} requests in {time.monotonic() - started:.0f}s")
    for label, count in counts.items():
        print(f"  {count:4} {label}")
    assert not failures, "\n\n".join(failures)
    assert min(counts.values()) >= EXAMPLES


def test_stateful_sequences_answer_as_documented(schema, fuzz_user):
    """Chains of linked operations (create, then read, change and delete what was created)."""
    headers = {"Authorization": f"Token {Token.objects.create(user=fuzz_user).key}"}
    steps = []
    failures = []

    class APIWorkflows(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            # Recorded, not raised: Hypothesis never replays a scenario, whose database state has moved on.
            steps.append(case.operation.label)
            try:
                case.validate_response(response, checks=CHECKS)
            except AssertionError as error:  # schemathesis' FailureGroup is one
                failures.append(f"{case.operation.label}: {error}")

    started = time.monotonic()
    restarts = 0
    while len(steps) < STATEFUL_EXAMPLES * STATEFUL_STEPS // 2 and restarts < 5:
        try:
            run_state_machine_as_test(
                hypothesis.seed(SEED + restarts)(APIWorkflows),
                settings=hypothesis.settings(
                    max_examples=STATEFUL_EXAMPLES,
                    stateful_step_count=STATEFUL_STEPS,
                    deadline=None,
                    database=None,
                    phases=[hypothesis.Phase.generate],
                    suppress_health_check=list(HealthCheck),
                ),
            )
            break
        except FlakyStrategyDefinition:
            # Schemathesis adapts its generation to earlier responses, which Hypothesis may notice when a
            # new scenario shares a prefix with an old one; schemathesis' own runner restarts then too.
            restarts += 1
    elapsed = time.monotonic() - started
    print(f"\nstateful: {len(steps)} steps over {len(set(steps))} operations in {elapsed:.0f}s ({restarts} restarts)")
    assert not failures, "\n\n".join(failures[:10])
    assert len(set(steps)) > 10
