"""The search indexes: on PostgreSQL only, so not in Todo.Meta.indexes (see todos.models.search_vector)."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.contrib.postgres.search import SearchVector
from django.db import migrations

# Written out here, not imported: a migration must not change when the app's code does. The vector must
# stay the very expression of todos.models.search_vector(), or searches cannot use its index.
SEARCH_INDEXES = [
    GinIndex(SearchVector("description", "notes", config="english"), name="todo_search_vector"),
    GinIndex(fields=["description"], opclasses=["gin_trgm_ops"], name="todo_description_trgm"),
]


class TrigramExtensionOnPostgreSQL(TrigramExtension):
    """pg_trgm. Django's operation does nothing forwards on other databases, but backwards it asks them for
    pg_extension, which SQLite has not: unmigrating would fail there."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def add_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Todo = apps.get_model("todos", "Todo")
    for index in SEARCH_INDEXES:
        schema_editor.add_index(Todo, index)


def remove_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Todo = apps.get_model("todos", "Todo")
    for index in SEARCH_INDEXES:
        schema_editor.remove_index(Todo, index)


class Migration(migrations.Migration):

    dependencies = [
        ("todos", "0013_todo_fields_labels"),
    ]

    operations = [
        TrigramExtensionOnPostgreSQL(),
        migrations.RunPython(add_search_indexes, remove_search_indexes),
    ]
