"""The migration history runs forward and back, and its data migrations carry real rows along."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = [pytest.mark.migrations, pytest.mark.django_db(transaction=True)]


def migrate_to(*targets):
    """Migrate to `targets` and return the historical apps at that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(list(targets))
    return MigrationExecutor(connection).loader.project_state(list(targets)).apps


@pytest.fixture(autouse=True)
def _back_to_latest():
    yield
    call_command("migrate", verbosity=0)


def test_every_app_migrates_to_zero_and_back():
    call_command("migrate", "orders", "zero", verbosity=0)
    call_command("migrate", "todos", "zero", verbosity=0)
    tables = connection.introspection.table_names()
    assert not [t for t in tables if t.startswith(("todos_", "orders_"))]
    call_command("migrate", verbosity=0)
    tables = connection.introspection.table_names()
    assert {"todos_todo", "todos_todolist", "orders_order", "orders_product", "orders_orderitem"} <= set(tables)


def test_makemigrations_finds_nothing_missing():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_todos_from_before_lists_end_up_in_uncategorized():
    apps = migrate_to(("todos", "0001_todo"))
    OldTodo = apps.get_model("todos", "Todo")
    OldTodo.objects.create(description="first", completed=True)
    OldTodo.objects.create(description="second")

    apps = migrate_to(("todos", "0004_todo_list_required"))
    Todo, TodoList = apps.get_model("todos", "Todo"), apps.get_model("todos", "TodoList")
    uncategorized = TodoList.objects.get()
    assert uncategorized.name == "Uncategorized"
    assert sorted(Todo.objects.filter(list=uncategorized).values_list("description", "completed")) == [
        ("first", True),
        ("second", False),
    ]


def test_the_data_migration_reverses_without_losing_todos():
    apps = migrate_to(("todos", "0001_todo"))
    apps.get_model("todos", "Todo").objects.create(description="kept")
    migrate_to(("todos", "0004_todo_list_required"))

    apps = migrate_to(("todos", "0002_todolist"))
    Todo, TodoList = apps.get_model("todos", "Todo"), apps.get_model("todos", "TodoList")
    assert list(Todo.objects.values_list("description", "list")) == [("kept", None)]
    assert not TodoList.objects.exists()


def test_lists_from_before_accounts_go_to_the_first_superuser_with_dense_positions():
    User.objects.create_user("plain")
    admin = User.objects.create_superuser("boss", password="x")
    User.objects.create_superuser("later-boss", password="x")
    apps = migrate_to(("todos", "0001_todo"))
    for description in ["a", "b", "c"]:
        apps.get_model("todos", "Todo").objects.create(description=description)

    call_command("migrate", verbosity=0)
    from todos.models import Todo, TodoList

    todo_list = TodoList.objects.get()
    assert todo_list.owner == admin
    assert list(Todo.objects.values_list("description", "position")) == [("a", 0), ("b", 1), ("c", 2)]


def test_lists_from_before_accounts_go_to_a_legacy_account_without_superusers():
    apps = migrate_to(("todos", "0001_todo"))
    apps.get_model("todos", "Todo").objects.create(description="orphan")

    call_command("migrate", verbosity=0)
    from todos.models import TodoList

    owner = TodoList.objects.get().owner
    assert owner.username == "legacy"
    assert not owner.has_usable_password()
