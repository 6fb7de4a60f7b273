"""bench.population: the benchmark's people log in with their token and their session, on their own lists."""

from http import HTTPStatus
from io import StringIO

import pytest
from django.core.management import call_command

from bench.population import people
from todos.management.commands.generate_data import BENCH_USERNAME
from todos.models import Todo, TodoList

SMALL = {"users": 6, "lists": 14, "todos": 700, "products": 2, "orders": 2, "huge_list": 120, "batch_size": 100}


@pytest.fixture
def generated():
    call_command("generate_data", **SMALL, stdout=StringIO(), stderr=StringIO())


@pytest.mark.django_db
@pytest.mark.usefixtures("generated")
def test_people_are_generated_users_other_than_bench_with_their_own_lists():
    found = people(users=3, todos_per_list=5, lists_per_user=10, seed=1)

    assert len(found) == 3
    for person in found:
        owned = set(TodoList.objects.filter(owner_id=person["user"]).values_list("id", flat=True))
        assert {list_id for list_id, _, _ in person["lists"]} <= owned
        assert TodoList.objects.get(pk=person["lists"][0][0]).owner.username != BENCH_USERNAME


@pytest.mark.django_db
@pytest.mark.usefixtures("generated")
def test_each_list_comes_with_its_size_and_first_todos_in_order():
    person = people(users=1, todos_per_list=5, lists_per_user=10, seed=1)[0]

    for list_id, size, todos in person["lists"]:
        in_order = list(Todo.objects.filter(list_id=list_id).order_by("position", "id").values_list("id", flat=True))
        assert size == len(in_order)
        assert todos == in_order[:5]


@pytest.mark.django_db
@pytest.mark.usefixtures("generated")
def test_a_persons_token_reads_their_todo_and_their_session_opens_their_list_page(client):
    person = people(users=1, todos_per_list=5, lists_per_user=10, seed=1)[0]
    list_id, _, todos = next(item for item in person["lists"] if item[2])

    api = client.get(f"/api/todos/{todos[0]}/", headers={"Authorization": f"Token {person['token']}"})
    client.cookies.load(person["cookie"])
    page = client.get(f"/lists/{list_id}/")

    assert api.status_code == HTTPStatus.OK
    assert api.json()["list"] == list_id
    assert page.status_code == HTTPStatus.OK
