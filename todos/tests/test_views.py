import json
from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from todos import services
from todos.models import Todo, TodoList
from todos.tests.factories import TodoFactory, TodoListFactory, UserFactory
from todos.views import todo_version

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def post_json(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json", **JSON)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# Login


@pytest.mark.parametrize(
    ("name", "args"),
    [("home", []), ("list_detail", [1]), ("list_delete", [1]), ("todo_update", [1])],
)
def test_pages_redirect_anonymous_visitors_to_login(client, name, args):
    response = client.get(reverse(name, args=args))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("login"))


def test_anonymous_post_creates_nothing(client, todo_list):
    response = client.post(reverse("todo_create", args=[todo_list.pk]), {"description": "Hi"})

    assert response.status_code == HTTPStatus.FOUND
    assert not Todo.objects.exists()


# Home


def test_home_redirects_to_first_list(auth_client, user):
    first = TodoListFactory(owner=user)
    TodoListFactory(owner=user)

    response = auth_client.get(reverse("home"))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("list_detail", args=[first.pk])


def test_home_creates_inbox_when_user_has_no_list(auth_client, user, others_list):
    response = auth_client.get(reverse("home"))

    inbox = TodoList.objects.get(owner=user)
    assert inbox.name == "Inbox"
    assert response.url == reverse("list_detail", args=[inbox.pk])


@pytest.mark.parametrize("size", [1, 50])
def test_home_query_count_is_constant(auth_client, user, django_assert_num_queries, size):
    TodoListFactory.create_batch(size, owner=user)

    with django_assert_num_queries(2):  # user (the session is cached), first list
        auth_client.get(reverse("home"))


# The list page


def test_list_page_renders_todomvc_markup(auth_client, todo_list, todo):
    TodoFactory(list=todo_list, description="Bread", completed=True)

    response = auth_client.get(reverse("list_detail", args=[todo_list.pk]))

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    for fragment in [
        'class="todoapp"',
        'class="new-todo"',
        'placeholder="What needs to be done?"',
        'id="toggle-all" class="toggle-all"',
        '<label for="toggle-all">',
        'class="todo-list"',
        'class="toggle"',
        'class="destroy"',
        'class="edit"',
        '<span class="todo-count"><strong>1</strong> item left</span>',
        'class="selected"',
        'class="clear-completed"',
    ]:
        assert fragment in html
    assert '<li data-id="{}" class="completed">'.format(todo_list.todos.get(description="Bread").pk) in html


def test_list_page_of_another_user_is_404(auth_client, others_list):
    response = auth_client.get(reverse("list_detail", args=[others_list.pk]))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_list_page_escapes_user_text(auth_client, todo_list):
    TodoFactory(list=todo_list, description="<img src=x onerror=alert(1)>")

    html = auth_client.get(reverse("list_detail", args=[todo_list.pk])).content.decode()

    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_list_page_json_gives_state(auth_client, todo_list, todo):
    done = TodoFactory(list=todo_list, description="Bread", completed=True)

    response = auth_client.get(reverse("list_detail", args=[todo_list.pk]), {"filter": "completed"}, **JSON)

    data = response.json()
    assert data["filter"] == "completed"
    assert data["todos"] == [
        {
            "id": done.pk,
            "description": "Bread",
            "completed": True,
            "position": 1,
            "list": todo_list.pk,
            "version": todo_version(done),
        }
    ]
    assert data["list"] | {"url": None} == {
        "id": todo_list.pk,
        "name": "Groceries",
        "url": None,
        "total_count": 2,
        "open_count": 1,
        "completed_count": 1,
        "is_complete": False,
    }
    assert [item["id"] for item in data["lists"]] == [todo_list.pk]
    assert data["page"] == {"number": 1, "num_pages": 1, "count": 1, "page_size": 100}


@pytest.mark.parametrize(("filter_name", "shown"), [("all", 3), ("active", 2), ("completed", 1), ("nonsense", 3)])
def test_list_page_filters(auth_client, todo_list, filter_name, shown):
    TodoFactory.create_batch(2, list=todo_list)
    TodoFactory(list=todo_list, completed=True)

    response = auth_client.get(reverse("list_detail", args=[todo_list.pk]), {"filter": filter_name})

    assert len(response.context["todos"]) == shown


def test_list_page_shows_at_most_100_todos_per_page_and_counts_the_whole_list(auth_client, todo_list):
    Todo.objects.bulk_create(Todo(list=todo_list, description=f"Todo {n}", position=n) for n in range(250))

    first = auth_client.get(reverse("list_detail", args=[todo_list.pk]))
    last = auth_client.get(reverse("list_detail", args=[todo_list.pk]), {"page": 3})

    assert len(first.context["todos"]) == 100
    assert [todo.position for todo in last.context["todos"]] == list(range(200, 250))
    assert "<strong>250</strong> items left" in last.content.decode()
    assert 'href="?filter=all&amp;page=2"' in last.content.decode()


@pytest.mark.parametrize("size", [1, 50])
def test_list_page_query_count_is_constant(auth_client, user, django_assert_num_queries, size):
    todo_list = TodoListFactory(owner=user)
    Todo.objects.bulk_create(Todo(list=todo_list, description=f"Todo {n}", position=n) for n in range(size))
    TodoListFactory.create_batch(size, owner=user)

    url = reverse("list_detail", args=[todo_list.pk])
    with django_assert_num_queries(4):  # user (the session is cached), lists, their todo counts, one page of todos
        auth_client.get(url, {"filter": "active", "page": 1})
    with django_assert_num_queries(
        2
    ):  # user (the session is cached), lists: the counts and the page come from the caches
        auth_client.get(url, {"filter": "active", "page": 1})


def test_list_page_counts_follow_every_change_through_the_cache(auth_client, todo_list, todo):
    """The side column's counts are cached per list version; each write raises the version."""
    url = reverse("list_detail", args=[todo_list.pk])

    def counts():
        page = auth_client.get(url, HTTP_ACCEPT="application/json").json()
        return page["list"]["total_count"], page["list"]["open_count"]

    assert counts() == (1, 1)
    post_json(auth_client, reverse("todo_create", args=[todo_list.pk]), {"description": "Eggs"})
    assert counts() == (2, 2)
    post_json(auth_client, reverse("todo_update", args=[todo.pk]), {"completed": True})
    assert counts() == (2, 1)
    post_json(auth_client, reverse("list_set_completed", args=[todo_list.pk]), {"completed": True})
    assert counts() == (2, 0)
    auth_client.post(reverse("list_clear_completed", args=[todo_list.pk]), HTTP_ACCEPT="application/json")
    assert counts() == (0, 0)


# The rendered page is cached (todos.views._list_page_key): never stale, never another session's


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        (lambda tl, todo, other: services.todo_create(todo_list=tl, description="Eggs"), "Eggs"),
        (lambda tl, todo, other: services.todo_update(todo=todo, description="Oat milk"), "Oat milk"),
        (lambda tl, todo, other: services.todo_update(todo=todo, completed=True), 'class="completed"'),
        (lambda tl, todo, other: services.todo_reorder(todo=todo, position=1), "Bread</label>"),
        (lambda tl, todo, other: services.todo_move(todo=todo, to_list=other), "Bread</label>"),
        (lambda tl, todo, other: services.todo_delete(todo=todo), "Bread</label>"),
        (lambda tl, todo, other: services.todo_list_rename(todo_list=tl, name="Errands"), "Errands"),
        (lambda tl, todo, other: services.todo_list_rename(todo_list=other, name="Later"), "Later"),
        (lambda tl, todo, other: services.todo_list_share(todo_list=tl), "Revoke link"),
        (lambda tl, todo, other: services.todo_list_create(owner=tl.owner, name="Garden"), "Garden"),
    ],
)
def test_list_page_shows_every_change_made_since_it_was_cached(auth_client, todo_list, change, shown):
    milk = services.todo_create(todo_list=todo_list, description="Milk")
    services.todo_create(todo_list=todo_list, description="Bread")
    other = TodoListFactory(owner=todo_list.owner, name="Other")
    url = reverse("list_detail", args=[todo_list.pk])
    before = auth_client.get(url).content.decode()
    assert auth_client.get(url).content.decode() == before  # cached (the CSRF secret is the same)

    change(todo_list, milk, other)
    after = auth_client.get(url).content.decode()

    assert after != before
    assert shown in after
    if shown == "Bread</label>":  # reordered, moved or deleted: Bread is now first
        assert after.index("Bread</label>") < after.find("Milk</label>") or "Milk</label>" not in after


def test_a_cached_list_page_is_not_shown_to_another_session(todo_list, todo):
    url = reverse("list_detail", args=[todo_list.pk])
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(todo_list.owner)
    second.force_login(todo_list.owner)
    page = first.get(url).content.decode()

    other_page = second.get(url).content.decode()

    assert other_page != page  # its own CSRF tokens, not the first session's
    token = other_page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    response = second.post(
        reverse("todo_create", args=[todo_list.pk]), {"description": "Eggs", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == HTTPStatus.FOUND


def test_a_cached_list_page_still_shows_new_messages(auth_client, todo_list):
    url = reverse("list_detail", args=[todo_list.pk])
    auth_client.get(url)
    auth_client.get(url)

    # Refused, so nothing changes: only the message tells the page apart from the cached one.
    response = auth_client.post(reverse("list_rename", args=[todo_list.pk]), {"name": " ", "next": url}, follow=True)

    assert response.redirect_chain[-1][0] == url
    assert "This field is required." in response.content.decode()


# Lists


def test_list_create_redirects_to_new_list(auth_client, user):
    response = auth_client.post(reverse("list_create"), {"name": "  Work  "})

    created = TodoList.objects.get(owner=user)
    assert created.name == "Work"
    assert response.url == reverse("list_detail", args=[created.pk])


def test_list_create_json_answers_the_list(auth_client, user):
    response = post_json(auth_client, reverse("list_create"), {"name": "Work"})

    assert response.status_code == HTTPStatus.CREATED
    assert response.json() | {"id": None} == {
        "id": None,
        "name": "Work",
        "url": reverse("list_detail", args=[user.todo_lists.get().pk]),
        "total_count": 0,
        "open_count": 0,
        "completed_count": 0,
        "is_complete": False,
    }


@pytest.mark.parametrize(
    ("name", "error"),
    [("", "This field is required."), ("   ", "This field is required."), ("x" * 201, "at most 200 characters")],
    ids=["empty", "blank", "too-long"],
)
def test_list_create_bad_name(auth_client, name, error):
    form_response = auth_client.post(reverse("list_create"), {"name": name, "next": "/lists/7/"})
    json_response = post_json(auth_client, reverse("list_create"), {"name": name})

    assert form_response.status_code == HTTPStatus.FOUND
    assert form_response.url == "/lists/7/"
    assert any(error in message for message in messages_of(form_response))
    assert json_response.status_code == HTTPStatus.BAD_REQUEST
    assert error in json_response.json()["errors"]["name"][0]
    assert not TodoList.objects.exists()


def test_list_create_rejects_malformed_json(auth_client):
    response = auth_client.post(reverse("list_create"), "{not json", content_type="application/json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"errors": {"__all__": ["Send a JSON object."]}}


def test_list_create_ignores_next_pointing_off_site(auth_client):
    response = auth_client.post(reverse("list_create"), {"name": "", "next": "https://evil.example/"})

    assert response.url == reverse("home")


def test_list_rename(auth_client, todo_list):
    response = post_json(auth_client, reverse("list_rename", args=[todo_list.pk]), {"name": " Shopping "})

    assert response.status_code == HTTPStatus.OK
    assert response.json()["name"] == "Shopping"
    todo_list.refresh_from_db()
    assert todo_list.name == "Shopping"


@pytest.mark.parametrize("name", ["", "x" * 201], ids=["empty", "too-long"])
def test_list_rename_bad_name_keeps_the_name(auth_client, todo_list, name):
    response = auth_client.post(reverse("list_rename", args=[todo_list.pk]), {"name": name})

    assert response.url == reverse("list_detail", args=[todo_list.pk])
    assert messages_of(response)
    todo_list.refresh_from_db()
    assert todo_list.name == "Groceries"


def test_list_rename_of_another_user_is_404(auth_client, others_list):
    response = auth_client.post(reverse("list_rename", args=[others_list.pk]), {"name": "Mine"})

    assert response.status_code == HTTPStatus.NOT_FOUND
    others_list.refresh_from_db()
    assert others_list.name == "Secret"


def test_list_delete_asks_for_confirmation(auth_client, todo_list, todo):
    response = auth_client.get(reverse("list_delete", args=[todo_list.pk]))

    assert response.status_code == HTTPStatus.OK
    assert "Its 1 todo will be deleted with it." in response.content.decode()
    assert TodoList.objects.filter(pk=todo_list.pk).exists()


def test_list_delete_deletes_todos_and_lands_on_another_list(auth_client, user, todo_list, todo):
    other = TodoListFactory(owner=user)
    url = reverse("list_detail", args=[todo_list.pk])

    response = auth_client.post(reverse("list_delete", args=[todo_list.pk]), {"next": url})

    assert response.url == reverse("home")
    assert auth_client.get(response.url).url == reverse("list_detail", args=[other.pk])
    assert not Todo.objects.exists()


def test_list_delete_of_another_list_returns_to_the_shown_list(auth_client, user, todo_list):
    other = TodoListFactory(owner=user)
    url = reverse("list_detail", args=[todo_list.pk])

    response = auth_client.post(reverse("list_delete", args=[other.pk]), {"next": url})

    assert response.url == url


def test_list_delete_of_another_user_is_404(auth_client, others_list):
    response = auth_client.post(reverse("list_delete", args=[others_list.pk]))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert TodoList.objects.filter(pk=others_list.pk).exists()


@pytest.mark.parametrize("completed", [True, False])
def test_list_set_completed_works_both_ways(auth_client, todo_list, completed):
    TodoFactory(list=todo_list, completed=True)
    TodoFactory(list=todo_list, completed=False)

    response = post_json(auth_client, reverse("list_set_completed", args=[todo_list.pk]), {"completed": completed})

    assert response.json()["is_complete"] is completed
    assert set(todo_list.todos.values_list("completed", flat=True)) == {completed}


def test_list_set_completed_by_form_post(auth_client, todo_list, todo):
    response = auth_client.post(reverse("list_set_completed", args=[todo_list.pk]), {"completed": "true"})

    assert response.url == reverse("list_detail", args=[todo_list.pk])
    todo.refresh_from_db()
    assert todo.completed


@pytest.mark.parametrize("value", ["", "maybe", 3])
def test_list_set_completed_rejects_bad_value(auth_client, todo_list, todo, value):
    response = post_json(auth_client, reverse("list_set_completed", args=[todo_list.pk]), {"completed": value})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "completed" in response.json()["errors"]


def test_list_set_completed_of_another_user_is_404(auth_client, others_todo):
    response = post_json(auth_client, reverse("list_set_completed", args=[others_todo.list_id]), {"completed": True})

    assert response.status_code == HTTPStatus.NOT_FOUND
    others_todo.refresh_from_db()
    assert not others_todo.completed


def test_list_clear_completed(auth_client, todo_list, todo):
    TodoFactory(list=todo_list, completed=True)

    response = auth_client.post(reverse("list_clear_completed", args=[todo_list.pk]), **JSON)

    assert response.json()["total_count"] == 1
    assert list(todo_list.todos.all()) == [todo]


def test_list_clear_completed_of_another_user_is_404(auth_client, others_list):
    TodoFactory(list=others_list, completed=True)

    response = auth_client.post(reverse("list_clear_completed", args=[others_list.pk]))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert others_list.todos.exists()


# Todos


def test_todo_create_by_form_post_redirects_back(auth_client, todo_list):
    url = reverse("list_detail", args=[todo_list.pk]) + "?filter=active"

    response = auth_client.post(reverse("todo_create", args=[todo_list.pk]), {"description": " Eggs ", "next": url})

    assert response.url == url
    assert todo_list.todos.get().description == "Eggs"


def test_todo_create_json_answers_the_todo_at_the_bottom(auth_client, todo_list, todo):
    response = post_json(auth_client, reverse("todo_create", args=[todo_list.pk]), {"description": "Eggs"})

    assert response.status_code == HTTPStatus.CREATED
    created = todo_list.todos.get(description="Eggs")
    assert response.json() == {
        "id": created.pk,
        "description": "Eggs",
        "completed": False,
        "position": 1,
        "list": todo_list.pk,
        "version": todo_version(created),
    }


@pytest.mark.parametrize(
    ("description", "error"),
    [("", "This field is required."), ("  \t ", "This field is required."), ("x" * 501, "at most 500 characters")],
    ids=["empty", "blank", "too-long"],
)
def test_todo_create_bad_description(auth_client, todo_list, description, error):
    form_response = auth_client.post(reverse("todo_create", args=[todo_list.pk]), {"description": description})
    json_response = post_json(auth_client, reverse("todo_create", args=[todo_list.pk]), {"description": description})

    assert form_response.status_code == HTTPStatus.FOUND
    assert any(error in message for message in messages_of(form_response))
    assert json_response.status_code == HTTPStatus.BAD_REQUEST
    assert error in json_response.json()["errors"]["description"][0]
    assert not Todo.objects.exists()


def test_todo_create_in_another_users_list_is_404(auth_client, others_list):
    response = post_json(auth_client, reverse("todo_create", args=[others_list.pk]), {"description": "Hi"})

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not others_list.todos.exists()


@pytest.mark.parametrize("name", ["todo_create", "list_create", "todo_update", "todo_delete", "list_set_completed"])
def test_writes_without_csrf_token_are_forbidden(user, todo, name):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    args = [] if name == "list_create" else [todo.list_id] if name.startswith(("list", "todo_create")) else [todo.pk]

    response = client.post(reverse(name, args=args), {"description": "Hi", "name": "Hi", "completed": "true"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    todo.refresh_from_db()
    assert (todo.description, todo.completed) == ("Milk", False)


def test_todo_update_toggles_by_form_post(auth_client, todo):
    response = auth_client.post(reverse("todo_update", args=[todo.pk]), {"completed": "true"})

    assert response.url == reverse("list_detail", args=[todo.list_id])
    todo.refresh_from_db()
    assert todo.completed


def test_todo_update_json_changes_only_what_was_sent(auth_client, todo):
    response = post_json(auth_client, reverse("todo_update", args=[todo.pk]), {"description": " Oat milk "})

    todo.refresh_from_db()
    assert response.json() == {
        "id": todo.pk,
        "description": "Oat milk",
        "completed": False,
        "position": 0,
        "list": todo.list_id,
        "version": todo_version(todo),
    }


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"description": ""}, "description"),
        ({"description": "x" * 501}, "description"),
        ({"completed": "perhaps"}, "completed"),
        ({"position": -1}, "position"),
        ({"position": "first"}, "position"),
    ],
    ids=["empty", "too-long", "bad-completed", "negative-position", "bad-position"],
)
def test_todo_update_bad_input_answers_400_and_changes_nothing(auth_client, todo, data, field):
    response = post_json(auth_client, reverse("todo_update", args=[todo.pk]), data)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()["errors"]) == [field]
    todo.refresh_from_db()
    assert (todo.description, todo.completed, todo.position) == ("Milk", False, 0)


def test_todo_update_bad_input_by_form_post_shows_a_message(auth_client, todo):
    response = auth_client.post(reverse("todo_update", args=[todo.pk]), {"description": " "})

    assert response.status_code == HTTPStatus.FOUND
    assert messages_of(response) == ["Description: This field may not be blank."]


def test_todo_update_reorders(auth_client, todo_list, todo):
    second, third = TodoFactory.create_batch(2, list=todo_list)

    post_json(auth_client, reverse("todo_update", args=[third.pk]), {"position": 0})

    assert list(todo_list.todos.values_list("pk", "position")) == [(third.pk, 0), (todo.pk, 1), (second.pk, 2)]


def test_todo_update_moves_to_another_list(auth_client, user, todo):
    other = TodoListFactory(owner=user)
    TodoFactory(list=other)

    response = post_json(auth_client, reverse("todo_update", args=[todo.pk]), {"list": other.pk})

    assert response.json()["list"] == other.pk
    assert response.json()["position"] == 1


def test_todo_update_cannot_move_to_another_users_list(auth_client, todo, others_list):
    response = post_json(auth_client, reverse("todo_update", args=[todo.pk]), {"list": others_list.pk})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "list" in response.json()["errors"]
    todo.refresh_from_db()
    assert todo.list_id != others_list.pk


def test_todo_update_of_another_user_is_404(auth_client, others_todo):
    response = post_json(auth_client, reverse("todo_update", args=[others_todo.pk]), {"completed": True})

    assert response.status_code == HTTPStatus.NOT_FOUND
    others_todo.refresh_from_db()
    assert not others_todo.completed


def test_todo_edit_page_offers_only_own_lists(auth_client, todo, others_list):
    response = auth_client.get(reverse("todo_update", args=[todo.pk]))

    assert response.status_code == HTTPStatus.OK
    assert "Groceries" in response.content.decode()
    assert "Secret" not in response.content.decode()


def test_todo_edit_page_of_another_user_is_404(auth_client, others_todo):
    assert auth_client.get(reverse("todo_update", args=[others_todo.pk])).status_code == HTTPStatus.NOT_FOUND


def test_todo_delete(auth_client, todo_list, todo):
    second = TodoFactory(list=todo_list)

    response = auth_client.post(reverse("todo_delete", args=[todo.pk]))

    assert response.url == reverse("list_detail", args=[todo_list.pk])
    assert list(todo_list.todos.values_list("pk", "position")) == [(second.pk, 0)]


def test_todo_delete_of_another_user_is_404(auth_client, others_todo):
    response = auth_client.post(reverse("todo_delete", args=[others_todo.pk]), **JSON)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert Todo.objects.filter(pk=others_todo.pk).exists()


def test_other_users_are_unaffected_by_my_lists(client, todo):
    stranger = UserFactory(username="stranger")
    client.force_login(stranger)

    response = client.get(reverse("list_detail", args=[todo.list_id]))

    assert response.status_code == HTTPStatus.NOT_FOUND


# Sharing (the list's Todo-Backend URL)


def test_list_share_creates_a_link_shown_on_the_list_page(auth_client, todo_list):
    response = auth_client.post(reverse("list_share", args=[todo_list.pk]), {"shared": "true"})
    assert response.status_code == HTTPStatus.FOUND
    todo_list.refresh_from_db()
    url = reverse("api:todobackend-root", kwargs={"secret": todo_list.share_token})
    page = auth_client.get(reverse("list_detail", args=[todo_list.pk]))
    assert f"http://testserver{url}" in page.content.decode()
    assert auth_client.get(url).status_code == HTTPStatus.OK


def test_list_share_revoke_makes_the_old_link_404(auth_client, todo_list):
    auth_client.post(reverse("list_share", args=[todo_list.pk]), {"shared": "true"})
    todo_list.refresh_from_db()
    url = reverse("api:todobackend-root", kwargs={"secret": todo_list.share_token})
    response = post_json(auth_client, reverse("list_share", args=[todo_list.pk]), {"shared": False})
    assert response.json() == {"id": todo_list.pk, "share_url": None}
    assert auth_client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_list_share_rejects_a_non_boolean(auth_client, todo_list):
    response = post_json(auth_client, reverse("list_share", args=[todo_list.pk]), {"shared": "maybe"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "shared" in response.json()["errors"]


def test_list_share_of_another_users_list_is_404(auth_client, others_list):
    response = auth_client.post(reverse("list_share", args=[others_list.pk]), {"shared": "true"})
    assert response.status_code == HTTPStatus.NOT_FOUND
    others_list.refresh_from_db()
    assert others_list.share_token is None


# Lost updates: the page's edits carry the version it read


def test_todo_update_with_the_current_version_saves(auth_client, todo):
    version = post_json(auth_client, reverse("todo_update", args=[todo.pk]), {})  # read the current dict
    response = auth_client.post(
        reverse("todo_update", args=[todo.pk]),
        json.dumps({"completed": True}),
        content_type="application/json",
        HTTP_IF_MATCH=version.json()["version"],
        **JSON,
    )
    assert response.status_code == HTTPStatus.OK
    assert response.json()["completed"] is True
    assert response.json()["version"] == version.json()["version"]  # done/not done is not part of it


def test_a_todo_version_changes_with_its_text(auth_client, todo):
    before = post_json(auth_client, reverse("todo_update", args=[todo.pk]), {}).json()["version"]
    after = post_json(auth_client, reverse("todo_update", args=[todo.pk]), {"description": "Oat milk"})
    assert after.json()["version"] != before


def test_todo_update_with_a_stale_version_is_412_and_changes_nothing(auth_client, todo):
    stale = post_json(auth_client, reverse("todo_update", args=[todo.pk]), {}).json()["version"]
    Todo.objects.filter(pk=todo.pk).update(description="Changed elsewhere")

    response = auth_client.post(
        reverse("todo_update", args=[todo.pk]),
        json.dumps({"completed": True}),
        content_type="application/json",
        HTTP_IF_MATCH=stale,
        **JSON,
    )

    assert response.status_code == HTTPStatus.PRECONDITION_FAILED
    assert "changed somewhere else" in response.json()["errors"]["__all__"][0]
    assert response.json()["todo"]["description"] == "Changed elsewhere"
    todo.refresh_from_db()
    assert todo.completed is False


def test_moving_other_todos_does_not_make_a_version_stale(auth_client, todo_list, todo):
    version = post_json(auth_client, reverse("todo_update", args=[todo.pk]), {}).json()["version"]
    other = TodoFactory(list=todo_list)
    post_json(auth_client, reverse("todo_update", args=[other.pk]), {"position": 0})

    response = auth_client.post(
        reverse("todo_update", args=[todo.pk]),
        json.dumps({"description": "Oat milk"}),
        content_type="application/json",
        HTTP_IF_MATCH=version,
        **JSON,
    )
    assert response.status_code == HTTPStatus.OK
