"""generate_data: counts, dense positions, the bench user's lists, refusing real data, re-runs.

On SQLite these exercise the bulk_create path, on PostgreSQL (CI's second pass) the COPY path.
"""

from collections import defaultdict
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from orders.models import Order, OrderItem, Product
from orders.tests.factories import ProductFactory
from todos.management.commands.generate_data import BENCH_LISTS, BENCH_ORDERS, BENCH_PASSWORD, BENCH_USERNAME
from todos.models import Label, Todo, TodoList
from todos.tests.factories import TodoListFactory, UserFactory

SMALL = {"users": 5, "lists": 12, "todos": 600, "products": 10, "orders": 30, "huge_list": 120, "batch_size": 100}


def generate(**options):
    out = StringIO()
    call_command("generate_data", **{**SMALL, **options}, stdout=out, stderr=StringIO())
    return out.getvalue()


def bench_list_sizes():
    lists = TodoList.objects.filter(owner__username=BENCH_USERNAME)
    return {todo_list.name: todo_list.todos.count() for todo_list in lists}


@pytest.mark.django_db
def test_generates_the_requested_counts():
    generate()

    assert get_user_model().objects.count() == 5
    assert TodoList.objects.count() == 12
    assert Todo.objects.count() == 600
    assert Product.objects.count() == 10
    assert Order.objects.count() == 30
    assert OrderItem.objects.count() >= 30


@pytest.mark.django_db
def test_positions_are_dense_in_every_list():
    generate()

    positions = defaultdict(list)
    for list_id, position in Todo.objects.values_list("list_id", "position"):
        positions[list_id].append(position)
    assert positions
    for list_positions in positions.values():
        assert sorted(list_positions) == list(range(len(list_positions)))


@pytest.mark.django_db
def test_bench_user_logs_in_and_owns_the_named_lists_and_orders():
    generate()

    bench = get_user_model().objects.get(username=BENCH_USERNAME)
    assert bench.check_password(BENCH_PASSWORD)
    expected = {name: 120 if size is None else size for name, size in BENCH_LISTS.items()}
    assert bench_list_sizes() == expected
    assert Order.objects.filter(owner=bench).count() == BENCH_ORDERS


@pytest.mark.django_db
def test_other_users_share_one_usable_password_hash():
    generate()

    hashes = set(get_user_model().objects.exclude(username=BENCH_USERNAME).values_list("password", flat=True))
    assert len(hashes) == 1
    assert get_user_model().objects.exclude(username=BENCH_USERNAME).first().check_password("generated-password")


@pytest.mark.django_db
def test_a_share_of_todos_is_completed_except_in_the_bulk_complete_lists():
    generate(todos=2000)

    others = Todo.objects.exclude(list__name__startswith="bench-50")
    share = others.filter(completed=True).count() / others.count()
    assert 0.25 <= share <= 0.55
    assert not Todo.objects.filter(list__name__startswith="bench-50", completed=True).exists()


@pytest.mark.django_db
def test_descriptions_vary():
    generate()

    assert Todo.objects.values("description").distinct().count() > 300


@pytest.mark.django_db
def test_refuses_a_database_with_real_users():
    real = UserFactory(username="alice")
    TodoListFactory(owner=real, name="Groceries")

    with pytest.raises(CommandError, match=r"did not create \(1 users, 1 lists\)"):
        generate()

    assert Todo.objects.count() == 0
    assert list(get_user_model().objects.values_list("username", flat=True)) == ["alice"]


@pytest.mark.django_db
def test_refuses_a_database_with_real_products():
    ProductFactory(name="Notebook")

    with pytest.raises(CommandError, match=r"1 products"):
        generate()


@pytest.mark.django_db
def test_force_adds_generated_data_and_leaves_real_data_alone():
    real = UserFactory(username="alice")
    real_list = TodoListFactory(owner=real, name="Groceries")
    real_product = ProductFactory(name="Notebook")

    generate(force=True)
    generate(force=True)

    assert TodoList.objects.filter(pk=real_list.pk, owner=real).exists()
    assert Product.objects.filter(pk=real_product.pk).exists()
    assert get_user_model().objects.count() == 5 + 1
    assert Todo.objects.count() == 600


@pytest.mark.django_db
def test_refuses_when_a_real_user_has_a_generated_name():
    UserFactory(username=BENCH_USERNAME)

    with pytest.raises(CommandError, match="names the generator uses"):
        generate(force=True)


@pytest.mark.django_db
def test_rerun_replaces_the_generated_data_with_the_same_content():
    generate(seed=7)
    first = list(Todo.objects.order_by("list__name", "position").values_list("description", "completed"))

    output = generate(seed=7)

    assert "Deleted the data generated before" in output
    assert get_user_model().objects.count() == 5
    assert Todo.objects.count() == 600
    assert list(Todo.objects.order_by("list__name", "position").values_list("description", "completed")) == first


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"todos": 100}, "--todos must be at least"),
        ({"lists": 3}, "--lists must be at least"),
        ({"products": 0}, "Orders need products"),
        ({"batch_size": 0}, "--batch-size must be positive"),
    ],
)
def test_rejects_impossible_sizes(options, message):
    with pytest.raises(CommandError, match=message):
        generate(**options)


@pytest.mark.django_db
def test_todos_carry_due_dates_priorities_and_their_owners_labels():
    generate(todos=2000, huge_list=500)

    todos = Todo.objects.all()
    assert 0.2 < todos.filter(due_date__isnull=False).count() / 2000 < 0.4
    assert todos.filter(due_time__isnull=False, due_date__isnull=True).count() == 0
    assert todos.filter(due_time__isnull=False).exists()
    assert todos.exclude(priority="none").exists()
    through = Todo.labels.through.objects.select_related("todo__list", "label")
    assert 0.2 < through.values("todo").distinct().count() / 2000 < 0.4
    assert all(row.label.owner_id == row.todo.list.owner_id for row in through)
    assert Label.objects.filter(owner__username=BENCH_USERNAME).count() == 4
