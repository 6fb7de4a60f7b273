import pytest
from django.db import IntegrityError

from todos.models import Todo, TodoList
from todos.tests.factories import TodoFactory, TodoListFactory, UserFactory

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
