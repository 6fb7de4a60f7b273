"""Django's PostgreSQL backend: a health check with no round trip while healthy; prepared statements.

With persistent connections and CONN_HEALTH_CHECKS, Django checks a reused connection at the start of
every request by sending `SELECT 1` (one round trip and a query on the server, about a tenth of a
simple API request's database time). A connection that a restart or `pg_terminate_backend()` ended
has been closed by the server, which leaves its socket readable (the server's FATAL message, then
EOF); a healthy idle connection has nothing to read. So: nothing to read means usable, without
asking the server; anything to read, and Django's `SELECT 1` decides as before.

The statements of todoproject/sql.py are prepared once per connection; `prepared_statements` names
those prepared on the current one, and starts empty with each new connection.
"""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        if self.connection is None or self.connection.closed:
            return False
        try:
            readable, _, _ = select.select([self.connection.fileno()], [], [], 0)
        except (OSError, ValueError):  # the socket is gone
            return False
        return not readable or super().is_usable()

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        # The statements of todoproject/sql.py prepared on this connection (a new one has none).
        self.prepared_statements = set()
        return connection
