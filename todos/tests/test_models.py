import datetime
from datetime import UTC

import pytest
from django.db import IntegrityError

from todos.models import NOTES_MAX_LENGTH, Label, Todo, TodoList, priority_rank
from todos.tests.factories import LabelFactory, TodoFactory, TodoListFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_deleting_a_list_deletes_its_todos():
    todo = TodoFactory()
    todo.list.delete()
    assert not Todo.objects.filter(pk=todo.pk).exists()


@pytest.mark.parametrize("name", ["", "   "])
def test_database_rejects_blank_list_name(name):
    with pytest.raises(IntegrityError):
        TodoList.objects.create(owner=UserFactory(), name=name)


@pytest.mark.parametrize("description", ["", "   "])
def test_database_rejects_blank_todo_description(description):
    with pytest.raises(IntegrityError):
        Todo.objects.create(list=TodoListFactory(), description=description)


def test_todos_are_ordered_by_position_then_id():
    todo_list = TodoListFactory()
    second = TodoFactory(list=todo_list, position=1)
    first = TodoFactory(list=todo_list, position=0)
    tie = TodoFactory(list=todo_list, position=1)
    assert list(todo_list.todos.all()) == [first, second, tie]


def test_with_counts_annotates_open_and_total_in_one_query(django_assert_num_queries):
    todo_list = TodoListFactory()
    TodoFactory(list=todo_list, completed=True)
    TodoFactory(list=todo_list)
    with django_assert_num_queries(1):
        annotated = TodoList.objects.with_counts().get(pk=todo_list.pk)
    assert (annotated.total_count, annotated.open_count) == (2, 1)


@pytest.mark.parametrize(
    ("states", "complete"),
    [([], False), ([False], False), ([True, False], False), ([True], True), ([True, True], True)],
)
def test_list_is_complete_exactly_when_it_has_todos_and_all_are_done(states, complete):
    todo_list = TodoListFactory()
    for state in states:
        TodoFactory(list=todo_list, completed=state)
    assert todo_list.is_complete is complete
    assert TodoList.objects.with_counts().get(pk=todo_list.pk).is_complete is complete


def test_for_owner_scopes_lists_and_todos_to_one_user():
    mine = TodoFactory()
    TodoFactory()
    owner = mine.list.owner
    assert list(TodoList.objects.for_owner(owner)) == [mine.list]
    assert list(Todo.objects.for_owner(owner)) == [mine]


def test_active_and_completed_querysets():
    todo_list = TodoListFactory()
    done = TodoFactory(list=todo_list, completed=True)
    open_ = TodoFactory(list=todo_list)
    assert list(Todo.objects.active()) == [open_]
    assert list(Todo.objects.completed()) == [done]


def test_str_is_the_user_text():
    todo = TodoFactory(description="Buy milk", list__name="Groceries")
    assert (str(todo), str(todo.list)) == ("Buy milk", "Groceries")


def test_database_rejects_a_due_time_without_a_due_date():
    with pytest.raises(IntegrityError):
        Todo.objects.create(list=TodoListFactory(), description="x", due_time=datetime.time(9, 0))


def test_database_rejects_an_unknown_priority():
    with pytest.raises(IntegrityError):
        Todo.objects.create(list=TodoListFactory(), description="x", priority="urgent")


def test_database_rejects_notes_over_10000_characters():
    with pytest.raises(IntegrityError):
        Todo.objects.create(list=TodoListFactory(), description="x", notes="n" * (NOTES_MAX_LENGTH + 1))


@pytest.mark.parametrize(
    ("completed", "completed_at"), [(True, None), (False, datetime.datetime(2026, 1, 1, tzinfo=UTC))]
)
def test_database_keeps_completed_at_set_exactly_while_completed(completed, completed_at):
    with pytest.raises(IntegrityError):
        Todo.objects.create(list=TodoListFactory(), description="x", completed=completed, completed_at=completed_at)


def test_database_rejects_two_labels_of_one_owner_differing_only_in_case():
    label = LabelFactory(name="Work")
    LabelFactory(name="work")  # another owner's
    with pytest.raises(IntegrityError):
        Label.objects.create(owner=label.owner, name="WORK")


@pytest.mark.parametrize(("field", "value"), [("name", " "), ("colour", "pink")])
def test_database_rejects_a_blank_label_name_and_an_unknown_colour(field, value):
    with pytest.raises(IntegrityError):
        Label.objects.create(**{"owner": UserFactory(), "name": "ok", field: value})


def test_overdue_is_the_open_todos_due_before_today():
    today = datetime.date(2026, 3, 10)
    late = TodoFactory(due_date=today - datetime.timedelta(days=1))
    TodoFactory(list=late.list, due_date=today)
    TodoFactory(list=late.list, due_date=today - datetime.timedelta(days=1), completed=True)
    TodoFactory(list=late.list)
    assert list(Todo.objects.overdue(today)) == [late]


def test_priority_rank_orders_none_low_medium_high():
    todo_list = TodoListFactory()
    for priority in ("high", "none", "medium", "low"):
        TodoFactory(list=todo_list, priority=priority, description=priority)
    ranked = Todo.objects.order_by(priority_rank())
    assert [todo.description for todo in ranked] == ["none", "low", "medium", "high"]
