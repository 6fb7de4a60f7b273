from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

HOUR = 60 * 60


@pytest.fixture
def idle_timeout(settings):
    settings.SESSION_COOKIE_AGE = HOUR
    settings.SESSION_REFRESH_INTERVAL = 5 * 60
    return HOUR


def _logged_in(client) -> bool:
    return client.get(reverse("home")).url != f"{reverse('login')}?next=/"


def test_session_idle_longer_than_the_timeout_is_logged_out(client, user, idle_timeout):
    with time_machine.travel("2026-01-01 09:00", tick=False) as traveller:
        client.post(reverse("login"), {"username": "alice", "password": "password"})
        assert _logged_in(client)

        traveller.shift(timedelta(seconds=idle_timeout + 1))

        assert not _logged_in(client)


def test_active_session_stays_logged_in_past_the_timeout(client, user, idle_timeout):
    with time_machine.travel("2026-01-01 09:00", tick=False) as traveller:
        client.post(reverse("login"), {"username": "alice", "password": "password"})
        for _ in range(6):  # three hours, a request every half hour
            traveller.shift(timedelta(minutes=30))
            assert _logged_in(client)


def test_request_within_the_refresh_interval_does_not_save_the_session(client, user, idle_timeout):
    with time_machine.travel("2026-01-01 09:00", tick=False) as traveller:
        client.post(reverse("login"), {"username": "alice", "password": "password"})
        traveller.shift(timedelta(minutes=4))
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("home"))

    assert not [query for query in queries if "django_session" in query["sql"]]


def test_request_after_the_refresh_interval_saves_the_session(client, user, idle_timeout):
    with time_machine.travel("2026-01-01 09:00", tick=False) as traveller:
        client.post(reverse("login"), {"username": "alice", "password": "password"})
        traveller.shift(timedelta(minutes=6))
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("home"))

    assert [query for query in queries if "django_session" in query["sql"]]


def test_session_older_than_a_lowered_timeout_is_logged_out_though_its_store_still_holds_it(client, user, settings):
    """An operator who lowers DJANGO_SESSION_IDLE_TIMEOUT logs out sessions idle for longer at once."""
    with time_machine.travel("2026-01-01 09:00", tick=False) as traveller:
        client.post(reverse("login"), {"username": "alice", "password": "password"})  # saved for 14 days
        settings.SESSION_COOKIE_AGE = HOUR

        traveller.shift(timedelta(hours=2))

        assert not _logged_in(client)


def test_session_made_before_the_idle_timeout_is_stamped_not_logged_out(client, user, idle_timeout):
    client.force_login(user)
    session = client.session
    del session["_refreshed_at"]  # as a session made before the middleware was
    session.save()

    assert _logged_in(client)
    assert "_refreshed_at" in client.session
