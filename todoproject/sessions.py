"""Django's database session engine, reading the session with one statement written in SQL.

Every page a logged-in person opens loads their session first. Django builds that lookup with the ORM,
`Session.objects.get(session_key=..., expire_date__gt=now)` (~0.7 ms of CPU on the benchmark machine);
the same statement written once costs a fifth of that (see todoproject/sql.py). Everything else, saving
included, is Django's. With REDIS_URL, sessions use Django's cached_db engine instead (settings.py).
"""

from functools import cache

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from todoproject.sql import Statement


@cache
def _unexpired_session() -> Statement:
    fields = Session._meta.concrete_fields  # session_key, session_data, expire_date
    return Statement(
        "SELECT session_key, session_data, expire_date FROM django_session WHERE session_key = %s AND expire_date > %s",
        fields,
    )


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        now = connection.ops.adapt_datetimefield_value(timezone.now())  # as the ORM sends it
        sessions = _unexpired_session().instances([self.session_key, now])
        if not sessions:
            self._session_key = None
            return None
        return sessions[0]
