import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from orders.models import Order, Product
from todos.models import Todo, TodoList

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (get_user_model(), TodoList, Todo, Product, Order)]


def test_seed_demo_creates_demo_data_and_prints_credentials(capsys):
    call_command("seed_demo", "--superuser", "admin")
    out = capsys.readouterr().out
    assert "username 'demo', password 'demo-password'" in out
    assert "username 'admin', password 'admin-password'" in out
    demo = get_user_model().objects.get(username="demo")
    assert demo.check_password("demo-password")
    assert TodoList.objects.for_owner(demo).count() == 3
    assert Todo.objects.for_owner(demo).exists()
    assert Order.objects.for_owner(demo).count() == 1
    assert get_user_model().objects.get(username="admin").is_superuser


def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo", "--superuser", "admin")
    before = counts()
    call_command("seed_demo", "--superuser", "admin")
    assert counts() == before
    assert "already exists" in capsys.readouterr().out
