"""Hand-written SELECTs for the hottest reads, with the ORM's conversion of the values they return.

Building and compiling a query with the ORM costs more CPU than PostgreSQL spends running it: on the
benchmark machine ~1.2 ms for a page of todos and ~0.7 ms for the token lookup, against ~0.3 ms and
~0.15 ms for the same statements sent through a cursor. The few reads made on nearly every API request
are therefore written once in SQL here. Their values still go through the converters the ORM would
apply (on SQLite, for instance, datetimes come back naive and are made aware), so callers get what a
`.values_list()` of the same fields gives; tests compare both on SQLite and PostgreSQL.
"""

from django.db import connection
from django.db.models import Field, Value
from django.db.models.sql import Query


class Statement:
    """A SELECT whose result columns are the values of `fields`, in order.

    A field is a model's (`Todo._meta.get_field("id")`) or, for a computed column, one of no model
    (`DecimalField(max_digits=12, decimal_places=2)` for a SUM of money), converted as an annotation is.
    """

    def __init__(self, sql: str, fields: list[Field]):
        self.sql, self.fields = sql, fields
        self._converters = {}  # per database vendor: built on first use

    def rows(self, params) -> list:
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        compiler, converters = self._compiler_and_converters()
        return list(compiler.apply_converters(rows, converters)) if converters else rows

    def _compiler_and_converters(self):
        if connection.vendor not in self._converters:
            compiler = Query(None).get_compiler(connection=connection)
            columns = [
                field.get_col(field.model._meta.db_table) if hasattr(field, "model") else Value(None, field)
                for field in self.fields
            ]
            self._converters[connection.vendor] = (compiler, compiler.get_converters(columns))
        return self._converters[connection.vendor]
