import pytest
from django.core.exceptions import ValidationError

from todos import services
from todos.models import Todo, TodoList
from todos.tests.factories import TodoFactory, TodoListFactory, UserFactory

pytestmark = pytest.mark.django_db


def positions(todo_list):
    return list(todo_list.todos.values_list("description", "position"))


def make_list(*descriptions, **kwargs):
    todo_list = TodoListFactory(**kwargs)
    for description in descriptions:
        services.todo_create(todo_list=todo_list, description=description)
    return todo_list


def test_todo_list_create_trims_the_name():
    todo_list = services.todo_list_create(owner=UserFactory(), name="  Groceries  ")
    assert todo_list.name == "Groceries"


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_todo_list_create_rejects_bad_names(name):
    with pytest.raises(ValidationError) as error:
        services.todo_list_create(owner=UserFactory(), name=name)
    assert "name" in error.value.message_dict
    assert not TodoList.objects.exists()


def test_todo_list_ensure_inbox_creates_inbox_once():
    user = UserFactory()
    inbox = services.todo_list_ensure_inbox(owner=user)
    assert inbox.name == "Inbox"
    assert services.todo_list_ensure_inbox(owner=user) == inbox
    assert TodoList.objects.count() == 1


def test_todo_list_rename():
    todo_list = TodoListFactory(name="Old")
    services.todo_list_rename(todo_list=todo_list, name=" New ")
    todo_list.refresh_from_db()
    assert todo_list.name == "New"


def test_todo_list_rename_rejects_blank_and_keeps_the_old_name():
    todo_list = TodoListFactory(name="Old")
    with pytest.raises(ValidationError):
        services.todo_list_rename(todo_list=todo_list, name=" ")
    todo_list.refresh_from_db()
    assert todo_list.name == "Old"


def test_todo_create_appends_at_the_bottom_with_dense_positions():
    todo_list = make_list("a", "b", "c")
    assert positions(todo_list) == [("a", 0), ("b", 1), ("c", 2)]


@pytest.mark.parametrize("description", ["", "  ", "x" * 501])
def test_todo_create_rejects_bad_descriptions(description):
    todo_list = TodoListFactory()
    with pytest.raises(ValidationError) as error:
        services.todo_create(todo_list=todo_list, description=description)
    assert "description" in error.value.message_dict
    assert not Todo.objects.exists()


def test_todo_list_set_completed_both_ways():
    todo_list = make_list("a", "b")
    assert services.todo_list_set_completed(todo_list=todo_list, completed=True) == 2
    assert todo_list.is_complete
    assert services.todo_list_set_completed(todo_list=todo_list, completed=True) == 0
    assert services.todo_list_set_completed(todo_list=todo_list, completed=False) == 2
    assert not todo_list.todos.filter(completed=True).exists()


def test_todo_list_set_completed_leaves_other_lists_alone():
    mine, other = make_list("a"), make_list("b")
    services.todo_list_set_completed(todo_list=mine, completed=True)
    assert not other.todos.get().completed


def test_todo_list_clear_completed_deletes_done_todos_and_closes_gaps():
    todo_list = make_list("a", "b", "c", "d")
    todo_list.todos.filter(description__in=["a", "c"]).update(completed=True)
    assert services.todo_list_clear_completed(todo_list=todo_list) == 2
    assert positions(todo_list) == [("b", 0), ("d", 1)]


def test_todo_list_delete_todos_empties_the_list():
    todo_list = make_list("a", "b")
    assert services.todo_list_delete_todos(todo_list=todo_list) == 2
    assert not todo_list.todos.exists()


def test_todo_update_changes_text_and_state():
    todo = make_list("a").todos.get()
    services.todo_update(todo=todo, description=" b ", completed=True)
    todo.refresh_from_db()
    assert (todo.description, todo.completed) == ("b", True)


def test_todo_update_rejects_blank_text_and_changes_nothing():
    todo = make_list("a").todos.get()
    with pytest.raises(ValidationError):
        services.todo_update(todo=todo, description=" ", completed=True)
    todo.refresh_from_db()
    assert (todo.description, todo.completed) == ("a", False)


@pytest.mark.parametrize(
    ("moved", "to", "expected"),
    [
        ("d", 0, ["d", "a", "b", "c"]),
        ("a", 3, ["b", "c", "d", "a"]),
        ("b", 2, ["a", "c", "b", "d"]),
        ("c", 1, ["a", "c", "b", "d"]),
        ("b", 1, ["a", "b", "c", "d"]),
        ("a", 99, ["b", "c", "d", "a"]),
    ],
)
def test_todo_reorder_keeps_positions_a_permutation(moved, to, expected):
    todo_list = make_list("a", "b", "c", "d")
    services.todo_reorder(todo=todo_list.todos.get(description=moved), position=to)
    assert positions(todo_list) == [(d, i) for i, d in enumerate(expected)]


def test_todo_reorder_rejects_negative_positions():
    todo = make_list("a").todos.get()
    with pytest.raises(ValidationError):
        services.todo_reorder(todo=todo, position=-1)


def test_todo_move_appends_to_the_target_and_closes_the_gap():
    source = make_list("a", "b", "c")
    target = make_list("x", owner=source.owner)
    services.todo_move(todo=source.todos.get(description="a"), to_list=target)
    assert positions(source) == [("b", 0), ("c", 1)]
    assert positions(target) == [("x", 0), ("a", 1)]


def test_todo_move_refuses_another_users_list():
    source, foreign = make_list("a"), make_list("x")
    with pytest.raises(ValidationError) as error:
        services.todo_move(todo=source.todos.get(), to_list=foreign)
    assert "list" in error.value.message_dict
    assert positions(foreign) == [("x", 0)]


def test_todo_update_can_move_and_place_in_one_call():
    source = make_list("a")
    target = make_list("x", "y", owner=source.owner)
    todo = services.todo_update(todo=source.todos.get(), todo_list=target, position=0)
    assert todo.list == target
    assert positions(target) == [("a", 0), ("x", 1), ("y", 2)]


def test_todo_delete_closes_the_gap():
    todo_list = make_list("a", "b", "c")
    services.todo_delete(todo=todo_list.todos.get(description="a"))
    assert positions(todo_list) == [("b", 0), ("c", 1)]


def test_todo_delete_uses_the_stored_position_not_a_stale_one():
    todo_list = make_list("a", "b", "c")
    stale = todo_list.todos.get(description="c")
    services.todo_reorder(todo=todo_list.todos.get(description="c"), position=0)
    services.todo_delete(todo=stale)
    assert positions(todo_list) == [("a", 0), ("b", 1)]


def test_factory_positions_match_the_service():
    todo_list = TodoListFactory()
    TodoFactory.create_batch(3, list=todo_list)
    assert [p for _, p in positions(todo_list)] == [0, 1, 2]


@pytest.mark.parametrize(
    "change",
    [
        lambda tl, todo, other: services.todo_create(todo_list=tl, description="new"),
        lambda tl, todo, other: services.todo_update(todo=todo, completed=True),
        lambda tl, todo, other: services.todo_update(todo=todo, description="edited"),
        lambda tl, todo, other: services.todo_reorder(todo=todo, position=0),
        lambda tl, todo, other: services.todo_delete(todo=todo),
        lambda tl, todo, other: services.todo_move(todo=todo, to_list=other),
        lambda tl, todo, other: services.todo_list_set_completed(todo_list=tl, completed=True),
        lambda tl, todo, other: services.todo_list_delete_todos(todo_list=tl),
        lambda tl, todo, other: (
            services.todo_update(todo=todo, completed=True),
            services.todo_list_clear_completed(todo_list=tl),
        ),
    ],
)
def test_every_change_to_a_lists_todos_raises_its_version(change):
    """The cached counts and list pages are keyed by this version: a change that kept it would show stale data."""
    todo_list = make_list("b", "a")
    other = TodoListFactory(owner=todo_list.owner)
    before = TodoList.objects.get(pk=todo_list.pk).version
    change(todo_list, todo_list.todos.get(description="a"), other)  # "a" is at position 1
    assert TodoList.objects.get(pk=todo_list.pk).version > before


def test_cached_counts_follow_the_version(django_assert_num_queries):
    from todos.selectors import todo_lists_attach_counts

    todo_list = make_list("a", "b")
    services.todo_update(todo=todo_list.todos.first(), completed=True)
    fresh = TodoList.objects.get(pk=todo_list.pk)
    assert (todo_lists_attach_counts(todo_lists=[fresh])[0].total_count, fresh.open_count) == (2, 1)
    with django_assert_num_queries(0):
        todo_lists_attach_counts(todo_lists=[fresh])
    services.todo_delete(todo=todo_list.todos.last())
    fresh = TodoList.objects.get(pk=todo_list.pk)
    assert (todo_lists_attach_counts(todo_lists=[fresh])[0].total_count, fresh.open_count) == (1, 0)


def test_saving_a_list_with_a_new_owner_revokes_its_share_token(todo_list, other_user):
    services.todo_list_share(todo_list=todo_list)
    todo_list.owner = other_user

    services.todo_list_save(todo_list=todo_list)

    todo_list.refresh_from_db()
    assert (todo_list.owner, todo_list.share_token) == (other_user, None)


def test_saving_a_list_with_the_same_owner_keeps_its_share_token(todo_list):
    secret = services.todo_list_share(todo_list=todo_list)
    todo_list.name = "Renamed"

    services.todo_list_save(todo_list=todo_list)

    todo_list.refresh_from_db()
    assert todo_list.share_token == secret
