"""Hand-written SELECTs for the hottest reads, with the ORM's conversion of the values they return.

Building and compiling a query with the ORM costs more CPU than PostgreSQL spends running it: on the
benchmark machine ~1.2 ms for a page of todos and ~0.7 ms for the token lookup, against ~0.3 ms and
~0.15 ms for the same statements sent through a cursor. The few reads made on nearly every request
are therefore written once in SQL here. Their values still go through the converters the ORM would
apply (on SQLite, for instance, datetimes come back naive and are made aware), so callers get what a
`.values_list()` of the same fields gives; tests compare both on SQLite and PostgreSQL.

On PostgreSQL each statement is also prepared, once per connection (PREPARE, then EXECUTE): planning
took PostgreSQL longer than running them (e.g. 0.8 ms to plan the page of todos, 0.2 ms to run it).
"""

import itertools
import re

from django.db import connection
from django.db.models import Field, Value
from django.db.models.sql import Query

_names = itertools.count(1)


class Statement:
    """A SELECT whose result columns are the values of `fields`, in order.

    A field is a model's (`Todo._meta.get_field("id")`) or, for a computed column, one of no model
    (`DecimalField(max_digits=12, decimal_places=2)` for a SUM of money), converted as an annotation is.
    Parameters are `%s` placeholders, as with a cursor.
    """

    def __init__(self, sql: str, fields: list[Field]):
        self.sql, self.fields = sql, fields
        self.name = f"todoproject_{next(_names)}"
        self._converters = {}  # per database vendor: built on first use

    def rows(self, params) -> list:
        with connection.cursor() as cursor:
            prepared = getattr(connection, "prepared_statements", None)  # todoproject/postgresql/base.py
            if prepared is None:
                cursor.execute(self.sql, params)
            else:
                if self.name not in prepared:
                    self._prepare()
                    prepared.add(self.name)
                cursor.execute(f"EXECUTE {self.name}({', '.join(['%s'] * len(params))})", params)
            rows = cursor.fetchall()
        compiler, converters = self._compiler_and_converters()
        return list(compiler.apply_converters(rows, converters)) if converters else rows

    def instances(self, params) -> list:
        """The rows as instances of the model whose fields the statement selects (all of one model)."""
        model = self.fields[0].model
        names = [field.attname for field in self.fields]
        return [model.from_db(connection.alias, names, row) for row in self.rows(params)]

    def _prepare(self):
        """PREPARE this statement on the current connection (a setup step, so not counted as a query)."""
        numbered = itertools.count(1)
        sql = re.sub("%s", lambda _: f"${next(numbered)}", self.sql)
        with connection.connection.cursor() as cursor:
            cursor.execute(f"PREPARE {self.name} AS {sql}")

    def _compiler_and_converters(self):
        if connection.vendor not in self._converters:
            compiler = Query(None).get_compiler(connection=connection)
            columns = [
                field.get_col(field.model._meta.db_table) if hasattr(field, "model") else Value(None, field)
                for field in self.fields
            ]
            self._converters[connection.vendor] = (compiler, compiler.get_converters(columns))
        return self._converters[connection.vendor]
