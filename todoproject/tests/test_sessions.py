"""The session engine (todoproject/sessions.py): what Django's database engine loads, by one plain statement."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from todoproject.sessions import SessionStore

pytestmark = pytest.mark.django_db


def saved_session(**data) -> str:
    session = SessionStore()
    session.update(data)
    session.save()
    return session.session_key


def test_a_saved_session_loads_as_djangos_engine_loads_it(django_assert_num_queries):
    key = saved_session(cart=[1, 2], name="alice")

    with django_assert_num_queries(1):
        loaded = SessionStore(key).load()

    assert loaded == DjangoSessionStore(key).load() == {"cart": [1, 2], "name": "alice"}


def test_an_expired_session_loads_empty_and_forgets_its_key():
    key = saved_session(name="alice")
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))

    store = SessionStore(key)

    assert store.load() == {}
    assert store.session_key is None


@pytest.mark.parametrize("key", ["no-such-session-key-at-all", None])
def test_an_unknown_session_loads_empty(key):
    assert SessionStore(key).load() == {}


def test_a_login_is_read_back_by_the_engine(settings, client, user):
    assert settings.SESSION_ENGINE == "todoproject.sessions"  # without REDIS_URL, as here
    client.force_login(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value

    assert SessionStore(key).load()["_auth_user_id"] == str(user.pk)
