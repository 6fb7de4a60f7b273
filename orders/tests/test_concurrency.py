"""Two writes to one order at the same moment (PostgreSQL): they run one after the other under the order's
row lock, the second judges the order as the first left it, a loser answers 409 (404 once the order is
gone), nothing answers 5xx, and the final state is the one the winners' answers described.

A 5xx fails its trial either way: as an answer not listed, or as the exception the test client raises.
"""

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from orders import services
from orders.models import Order, OrderStatus
from orders.tests.factories import ProductFactory
from todoproject.tests.test_concurrency import run_threads
from todos.tests.factories import UserFactory

TRIALS = 25
JITTER = 0.08  # seconds

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serializes the whole database): PostgreSQL pass")


@dataclass
class Race:
    owner: object  # owns the order: a plain user, or staff for the pairs that need a staff owner's API
    staff: object
    old: object  # the order's product before any replacement
    new: object  # the product a replacement orders instead

    def api(self, user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    def url(self, order) -> str:
        return reverse("api:order-detail", kwargs={"pk": order.pk})

    # The writes: each returns an HTTP status (the service call answers as the API would map it)

    def cancel(self, order) -> int:
        return self.api(self.owner).patch(self.url(order), {"status": "cancelled"}, format="json").status_code

    def advance(self, order) -> int:
        """Staff move the order on: over the API when staff own it, else as staff's own code does, by the service."""
        if self.owner.is_staff:
            return self.api(self.owner).patch(self.url(order), {"status": "processing"}, format="json").status_code
        stale = Order.objects.get(pk=order.pk)
        time.sleep(random.random() * JITTER)  # a service call is quicker than a request: let either go first
        try:
            services.order_set_status(order=stale, status=OrderStatus.PROCESSING, user=self.staff)
        except services.OrderConflict:
            return HTTPStatus.CONFLICT
        except Order.DoesNotExist:
            return HTTPStatus.NOT_FOUND
        return HTTPStatus.OK

    def replace(self, order, quantity=3) -> int:
        body = {"items": [{"product": self.new.pk, "quantity": quantity}]}
        return self.api(self.owner).patch(self.url(order), body, format="json").status_code

    def replace_again(self, order) -> int:
        return self.replace(order, quantity=7)

    def delete(self, order) -> int:
        return self.api(self.owner).delete(self.url(order)).status_code

    def page_cancel(self, order) -> str:
        """The owner's Cancel button: a redirect, with a message when refused, told apart here by what it says."""
        client = Client()
        client.force_login(self.owner)
        response = client.post(reverse("orders:order_cancel", args=[order.pk]))
        if response.status_code == HTTPStatus.NOT_FOUND:  # deleted before this request read it
            return GONE
        assert response.status_code == HTTPStatus.FOUND, response.status_code
        told = [str(m) for m in get_messages(response.wsgi_request)]
        if not told:  # cancelled: the order's page says so itself, beside its Undo button
            return "cancelled"
        [message] = told
        if "no longer exists" in message:
            return "told it is gone"
        assert "cannot go from processing to cancelled" in message, message
        return "told it changed"


def items(order_pk) -> list[tuple[str, int]]:
    return list(Order.objects.get(pk=order_pk).items.values_list("product__name", "quantity"))


def gone(pk) -> bool:
    return not Order.objects.filter(pk=pk).exists()


def status_is(pk, status, quantities) -> bool:
    order = Order.objects.filter(pk=pk).first()
    return order is not None and order.status == status and items(pk) == quantities


OK, GONE, LOST, DONE = HTTPStatus.OK, HTTPStatus.NOT_FOUND, HTTPStatus.CONFLICT, HTTPStatus.NO_CONTENT
OLD, NEW, NEWER = [("Old", 1)], [("New", 3)], [("New", 7)]

# Each race: its two writes, whether the order's owner is staff, and each pair of answers that may come
# back with the final state it must leave. A pair of answers not listed (a 5xx, two winners where only
# one can win, a loser not told) fails the trial.
RACES: dict[str, tuple[str, str, bool, dict[tuple, Callable[[int], bool]]]] = {
    "cancel vs advance": (
        "cancel",
        "advance",
        False,
        {
            (OK, LOST): lambda pk: status_is(pk, OrderStatus.CANCELLED, OLD),
            (LOST, OK): lambda pk: status_is(pk, OrderStatus.PROCESSING, OLD),
        },
    ),
    "page cancel vs advance": (
        "page_cancel",
        "advance",
        False,
        {
            ("cancelled", LOST): lambda pk: status_is(pk, OrderStatus.CANCELLED, OLD),
            ("told it changed", OK): lambda pk: status_is(pk, OrderStatus.PROCESSING, OLD),
        },
    ),
    "delete vs advance": (
        "delete",
        "advance",
        True,
        {
            (DONE, GONE): gone,  # the advance found no order left to move
            (LOST, OK): lambda pk: status_is(pk, OrderStatus.PROCESSING, OLD),
        },
    ),
    "replace items vs advance": (
        "replace",
        "advance",
        True,
        {
            (OK, OK): lambda pk: status_is(pk, OrderStatus.PROCESSING, NEW),  # replaced, then advanced
            (LOST, OK): lambda pk: status_is(pk, OrderStatus.PROCESSING, OLD),
        },
    ),
    "cancel vs replace items": (
        "cancel",
        "replace",
        False,
        {
            (OK, LOST): lambda pk: status_is(pk, OrderStatus.CANCELLED, OLD),
            (OK, OK): lambda pk: status_is(pk, OrderStatus.CANCELLED, NEW),  # replaced, then cancelled
        },
    ),
    "delete vs replace items": (
        "delete",
        "replace",
        False,
        {(DONE, GONE): gone, (DONE, OK): gone},  # deleted first, or replaced and then deleted
    ),
    "delete vs cancel": (
        "delete",
        "cancel",
        False,
        {(DONE, GONE): gone, (DONE, OK): gone},  # deleted first, or cancelled and then deleted
    ),
    "delete vs page cancel": (
        "delete",
        "page_cancel",
        False,
        {(DONE, GONE): gone, (DONE, "told it is gone"): gone, (DONE, "cancelled"): gone},
    ),
    "replace items vs replace items": (
        "replace",
        "replace_again",
        False,
        {(OK, OK): lambda pk: items(pk) in (NEW, NEWER)},  # one after the other: the last one's items, whole
    ),
}


@pytest.mark.parametrize("race", RACES.values(), ids=RACES.keys())
def test_two_writes_to_one_order_at_once_leave_one_consistent_outcome(race, staff_user):
    first, second, staff_owner, outcomes = race
    world = Race(
        owner=staff_user if staff_owner else UserFactory(username="owner"),
        staff=staff_user,
        old=ProductFactory(name="Old"),
        new=ProductFactory(name="New"),
    )
    seen = Counter()
    for _ in range(TRIALS):
        order = services.order_create(owner=world.owner, items=[{"product": world.old.pk, "quantity": 1}])
        writes = [getattr(world, first), getattr(world, second)]

        answers = tuple(run_threads(lambda index, order=order, writes=writes: writes[index](order), count=2))

        seen[tuple(int(answer) if isinstance(answer, int) else answer for answer in answers)] += 1
        assert answers in outcomes, f"{first} and {second} answered {answers}"
        assert outcomes[answers](order.pk), f"{answers} left {Order.objects.filter(pk=order.pk).values().first()}"
    server_errors = sum(n for pair, n in seen.items() for answer in pair if isinstance(answer, int) and answer >= 500)
    print(f"\n{first} vs {second}, {TRIALS} trials, answers (first, second): {dict(seen)}; 5xx: {server_errors}")
    assert sum(seen.values()) == TRIALS
