"""The benchmark's references answer what the API answers: the same todos, every field, labels included.

Ratios to them only mean something while they do the API's work (bench/reference_wsgi.py: the same SQL and
JSON; bench/reference_django.py: a values() view; bench/stock_drf.py: DRF written the stock way).
"""

import datetime
import io
import json

import pytest
from django.db import connection
from rest_framework.test import APIClient, APIRequestFactory, force_authenticate

from accounts.services import api_token_create
from bench import reference_wsgi
from bench.reference_django import todos_page
from bench.stock_drf import TodoListView
from todoproject.tests.servers import database_url
from todos.models import Priority
from todos.tests.factories import LabelFactory, TodoFactory, TodoListFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def todo_list(user):
    todo_list = TodoListFactory(owner=user)
    home, work = LabelFactory(owner=user, name="home"), LabelFactory(owner=user, name="work", colour="teal")
    TodoFactory(list=todo_list, description="plain")
    TodoFactory(
        list=todo_list,
        description="dated",
        due_date=datetime.date(2026, 12, 24),
        due_time=datetime.time(9, 30),
        priority=Priority.HIGH,
        notes="by noon",
        labels=[work, home],
    )
    TodoFactory(list=todo_list, description="done", completed=True, labels=[home])
    return todo_list


def api_results(user, todo_list):
    client = APIClient(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user, name='bench').key}")
    return client.get("/api/todos/", {"list": todo_list.pk, "page_size": 50}).json()["results"]


def test_the_values_view_and_stock_drf_answer_the_apis_todos(user, todo_list):
    expected = api_results(user, todo_list)
    query = {"list": todo_list.pk, "page_size": 50}

    values = json.loads(todos_page(APIRequestFactory().get("/bench/reference/todos/", query)).content)["results"]
    request = APIRequestFactory().get("/bench/drf/todos/", query)
    force_authenticate(request, user)
    response = TodoListView.as_view()(request)
    response.render()
    stock = json.loads(response.content)["results"]

    assert stock == expected
    # The values() view writes datetimes with Django's JSON encoder, which keeps milliseconds only.
    times = ("created_at", "updated_at", "completed_at")
    assert [{k: v for k, v in todo.items() if k not in times} for todo in values] == [
        {k: v for k, v in todo.items() if k not in times} for todo in expected
    ]
    assert [todo["created_at"][:23] for todo in values] == [todo["created_at"][:23] for todo in expected]
    assert [len(todo["labels"]) for todo in expected] == [0, 2, 1]


def test_the_plain_wsgi_reference_answers_the_apis_todos_and_toggle(user, todo_list, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the plain reference speaks psycopg2 to PostgreSQL: the PostgreSQL pass runs it")
    monkeypatch.setenv("DATABASE_URL", database_url())
    monkeypatch.setattr(reference_wsgi, "_connection", None)

    def call(method, path, query="", body=b""):
        environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "wsgi.input": io.BytesIO(body)}
        environ["CONTENT_LENGTH"] = str(len(body))
        return json.loads(b"".join(reference_wsgi.application(environ, lambda status, headers: None)))

    expected = api_results(user, todo_list)
    page = call("GET", "/todos/", f"list={todo_list.pk}&page_size=50")
    dated = next(todo for todo in page["results"] if todo["description"] == "dated")
    toggled = call("PATCH", f"/todos/{dated['id']}/", body=b'{"completed": true}')
    reference_wsgi._connection.close()

    assert page["results"] == expected
    assert toggled["completed"] is True
    assert toggled["completed_at"] is not None
    unchanged = set(dated) - {"completed", "completed_at", "updated_at"}
    assert {key: toggled[key] for key in unchanged} == {key: dated[key] for key in unchanged}
