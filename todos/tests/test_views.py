import datetime
import re
from http import HTTPStatus
from urllib.parse import urlencode

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from accounts.services import profile_for, profile_update
from todos import services
from todos.models import Todo, TodoList, UndoAction
from todos.tests.factories import LabelFactory, TodoFactory, TodoListFactory, UserFactory
from todos.views import todo_version

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock_at_an_hours_start")]  # cached pages: a fresh minute


def page_of(todo_list, query=""):
    return reverse("list_detail", args=[todo_list.pk]) + query


def hx_post(client, url, data=None, *, page, **headers):
    """POST `data` as htmx sends it from the list page at `page`."""
    return client.post(
        url, data or {}, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=f"http://testserver{page}", **headers
    )


def swapped_into(response):
    """Where htmx puts the answer: the element the server names, and how."""
    return response["HX-Retarget"], response["HX-Reswap"]


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def field_error_on_page(client, url, error_id):
    """The message the list page at `url` shows under a field (its element `error_id`), or None."""
    html = client.get(url).content.decode()
    shown = re.search(rf'<p id="{error_id}" class="field-error" role="alert">([^<]*)</p>', html)
    return shown and shown.group(1)


def oob_ids(html):
    """The ids of the elements an answer swaps out of band, in order."""
    return [re.search(r'\sid="([^"]+)"', tag).group(1) for tag in re.findall(r"<[^>]*hx-swap-oob=\"true\"[^>]*>", html)]


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
    bread = TodoFactory(list=todo_list, description="Bread", completed=True)

    response = auth_client.get(page_of(todo_list))

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
    assert f'<li id="todo-{bread.pk}" class="completed" data-id="{bread.pk}"' in html
    assert f'data-version="{escape(todo_version(bread))}"' in html


def test_list_page_loads_htmx_and_sortable_from_our_origin_and_no_inline_script(auth_client, todo_list, todo):
    html = auth_client.get(page_of(todo_list)).content.decode()

    assert '<script src="/static/vendor/htmx.org-2.0.11/htmx.min.js" defer></script>' in html
    assert '<script src="/static/vendor/sortablejs-1.15.7/Sortable.min.js" defer></script>' in html
    # The two above, our modules (todos.js, search-key.js, account-menu.js, theme-switch.js, alerts.js,
    # shortcuts.js) and theme.js, each with a src.
    assert html.count("<script") == 9
    assert html.count("<script") == html.count("<script src=") + html.count('<script type="module" src=')
    assert '"allowEval": false' in html
    assert " hx-on" not in html
    assert " onclick=" not in html


def test_list_page_of_another_user_is_404(auth_client, others_list):
    response = auth_client.get(page_of(others_list))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_list_page_escapes_user_text(auth_client, todo_list):
    TodoFactory(list=todo_list, description="<img src=x onerror=alert(1)>")

    html = auth_client.get(page_of(todo_list)).content.decode()

    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.parametrize(("filter_name", "shown"), [("all", 3), ("active", 2), ("completed", 1), ("nonsense", 3)])
def test_list_page_filters(auth_client, todo_list, filter_name, shown):
    TodoFactory.create_batch(2, list=todo_list)
    TodoFactory(list=todo_list, completed=True)

    response = auth_client.get(page_of(todo_list), {"filter": filter_name})

    assert response.content.decode().count('<li id="todo-') == shown


def empty_state_of(html):
    """The list page's empty state: (shown, its text with white space collapsed)."""
    found = re.search(r'<div class="empty todo-empty" id="todo-empty"([^>]*)>(.*?)</div>', html, re.S)
    return "hidden" not in found.group(1), " ".join(re.sub(r"<[^>]+>", "", found.group(2)).split())


@pytest.mark.parametrize(
    ("open_todos", "done_todos", "filter_name", "says"),
    [
        (0, 0, "all", "This list is empty. Type a todo above and press Enter."),
        (0, 0, "active", "This list is empty."),
        (0, 0, "completed", "This list is empty."),
        (0, 2, "active", "Nothing left to do. Every todo in this list is done"),
        (2, 0, "completed", "No completed todos yet. Tick a todo's box when it is done"),
    ],
)
def test_list_page_says_why_it_shows_no_todo(auth_client, todo_list, open_todos, done_todos, filter_name, says):
    TodoFactory.create_batch(open_todos, list=todo_list)
    TodoFactory.create_batch(done_todos, list=todo_list, completed=True)

    html = auth_client.get(page_of(todo_list), {"filter": filter_name}).content.decode()

    shown, text = empty_state_of(html)
    assert shown
    assert text.startswith(says)
    assert html.count('<li id="todo-') == 0


@pytest.mark.parametrize("filter_name", ["all", "active", "completed"])
def test_list_page_with_todos_to_show_hides_its_empty_state(auth_client, todo_list, filter_name):
    TodoFactory(list=todo_list)
    TodoFactory(list=todo_list, completed=True)

    html = auth_client.get(page_of(todo_list), {"filter": filter_name}).content.decode()

    assert empty_state_of(html) == (False, "")


def test_completing_the_last_open_todo_under_active_answers_the_empty_state(auth_client, todo_list):
    todo = TodoFactory(list=todo_list)

    response = hx_post(
        auth_client,
        reverse("todo_update", args=[todo.pk]),
        {"completed": "true"},
        page=page_of(todo_list, "?filter=active"),
    )

    html = response.content.decode()
    assert swapped_into(response) == ("#todo-main", "outerHTML")
    assert "todo-empty" in oob_ids(html)
    shown, text = empty_state_of(html)
    assert shown
    assert text.startswith("Nothing left to do.")


def test_adding_the_first_todo_answers_the_empty_state_hidden(auth_client, todo_list):
    assert empty_state_of(auth_client.get(page_of(todo_list)).content.decode())[0]  # before

    response = hx_post(
        auth_client, reverse("todo_create", args=[todo_list.pk]), {"description": "Milk"}, page=page_of(todo_list)
    )

    assert empty_state_of(response.content.decode()) == (False, "")


def test_clearing_every_todo_answers_the_empty_state(auth_client, todo_list):
    TodoFactory(list=todo_list, completed=True)

    response = hx_post(auth_client, reverse("list_clear_completed", args=[todo_list.pk]), page=page_of(todo_list))

    shown, text = empty_state_of(response.content.decode())
    assert shown
    assert text.startswith("This list is empty.")


def test_list_page_shows_at_most_100_todos_per_page_and_counts_the_whole_list(auth_client, todo_list):
    Todo.objects.bulk_create(Todo(list=todo_list, description=f"Todo {n}", position=n) for n in range(250))

    first = auth_client.get(page_of(todo_list)).content.decode()
    last = auth_client.get(page_of(todo_list), {"page": 3}).content.decode()

    assert first.count('<li id="todo-') == 100
    assert last.count('<li id="todo-') == 50
    assert 'data-position="200"' in last
    assert 'data-position="249"' in last
    assert 'data-position="199"' not in last
    assert "<strong>250</strong> items left" in last
    assert 'href="?filter=all&amp;page=2"' in last


def make_labelled_todos(todo_list, size):
    """`size` todos in the list, each with two labels and a due date."""
    todos = Todo.objects.bulk_create(
        Todo(list=todo_list, description=f"Todo {n}", position=n, due_date=datetime.date(2026, 3, 1), priority="high")
        for n in range(size)
    )
    labels = LabelFactory.create_batch(2, owner=todo_list.owner)
    Todo.labels.through.objects.bulk_create(
        Todo.labels.through(todo_id=todo.pk, label_id=label.pk) for todo in todos for label in labels
    )


@pytest.mark.parametrize("size", [1, 50])
def test_list_page_query_count_is_constant(auth_client, user, django_assert_num_queries, size):
    todo_list = TodoListFactory(owner=user)
    make_labelled_todos(todo_list, size)
    TodoListFactory.create_batch(size, owner=user)

    url = page_of(todo_list)
    # user (the session is cached), lists, labels, their todo counts, the smart views' and labels' counts (side
    # column), COUNT, a page, its labels
    with django_assert_num_queries(9):
        response = auth_client.get(url, {"filter": "active", "page": 1})
    assert response.content.decode().count('class="chip ') == 2 * size + 2  # and the side column's two labels
    with django_assert_num_queries(3):  # user, lists, labels: the page comes from the cache
        auth_client.get(url, {"filter": "active", "page": 1})
    with django_assert_num_queries(3):  # user, lists, labels: the browser's copy is still the page
        not_modified = auth_client.get(url, {"filter": "active", "page": 1}, HTTP_IF_NONE_MATCH=response["ETag"])
    assert not_modified.status_code == HTTPStatus.NOT_MODIFIED


@pytest.mark.parametrize("size", [2, 50])
def test_fragment_query_count_is_constant(auth_client, user, django_assert_num_queries, size):
    todo_list = TodoListFactory(owner=user)
    make_labelled_todos(todo_list, size)
    TodoListFactory.create_batch(size, owner=user)
    last = todo_list.todos.last()
    auth_client.get(page_of(todo_list))  # the other lists' counts are cached

    # user (the session is cached), the todo; the move (its savepoints, the list's lock and version bump twice, the
    # todo, the count, two updates); then the lists, the moved list's new counts, the COUNT, one page of todos
    # and its labels; the labels, the smart views' and the labels' counts (the side column's "Views")
    with django_assert_num_queries(27):
        response = hx_post(
            auth_client, reverse("todo_update", args=[last.pk]), {"position": 0}, page=page_of(todo_list)
        )
    assert response.status_code == HTTPStatus.OK
    assert response.content.decode().count('<li id="todo-') == size


def test_list_page_answers_304_until_something_on_it_changes(auth_client, todo_list, todo):
    url = page_of(todo_list)
    first = auth_client.get(url)
    assert first["ETag"].startswith('"')
    assert "no-cache" in first["Cache-Control"]
    assert "private" in first["Cache-Control"]

    again = auth_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == HTTPStatus.NOT_MODIFIED
    assert again["ETag"] == first["ETag"]
    assert again.content == b""

    services.todo_update(todo=todo, completed=True)
    changed = auth_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == HTTPStatus.OK
    assert changed["ETag"] != first["ETag"]
    assert 'class="completed"' in changed.content.decode()


def test_list_page_etag_differs_by_page_and_filter(auth_client, todo_list, todo):
    tags = {auth_client.get(page_of(todo_list), query)["ETag"] for query in [{}, {"filter": "active"}, {"page": "2"}]}

    assert len(tags) == 3


def test_list_page_counts_follow_every_change_through_the_cache(auth_client, todo_list, todo):
    """The side column's counts are cached per list version; each write raises the version."""
    url = page_of(todo_list)

    def footer():
        return auth_client.get(url).content.decode().split('class="todo-count">', 1)[1].split("</span>", 1)[0]

    assert footer() == "<strong>1</strong> item left"
    hx_post(auth_client, reverse("todo_create", args=[todo_list.pk]), {"description": "Eggs"}, page=url)
    assert footer() == "<strong>2</strong> items left"
    hx_post(auth_client, reverse("todo_update", args=[todo.pk]), {"completed": "true"}, page=url)
    assert footer() == "<strong>1</strong> item left"
    hx_post(auth_client, reverse("list_set_completed", args=[todo_list.pk]), {"completed": "true"}, page=url)
    assert footer() == "<strong>0</strong> items left"
    hx_post(auth_client, reverse("list_clear_completed", args=[todo_list.pk]), page=url)
    assert 'id="todo-footer" hidden' in auth_client.get(url).content.decode()


# The rendered page is cached (todos.views._page_inputs): never stale, never another session's


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
    url = page_of(todo_list)
    first = auth_client.get(url)
    before = first.content.decode()
    assert auth_client.get(url).content.decode() == before  # cached (the CSRF secret is the same)

    change(todo_list, milk, other)
    response = auth_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    after = response.content.decode()

    assert response.status_code == HTTPStatus.OK
    assert after != before
    assert shown in after
    if shown == "Bread</label>":  # reordered, moved or deleted: Bread is now first
        assert after.index("Bread</label>") < after.find("Milk</label>") or "Milk</label>" not in after


def test_a_cached_list_page_is_not_shown_to_another_session(todo_list, todo):
    url = page_of(todo_list)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(todo_list.owner)
    second.force_login(todo_list.owner)
    page = first.get(url)

    other_page = second.get(url, HTTP_IF_NONE_MATCH=page["ETag"])

    assert other_page.status_code == HTTPStatus.OK  # not the first session's copy
    assert other_page.content != page.content  # its own CSRF tokens, not the first session's
    token = other_page.content.decode().split('"X-CSRFToken": "', 1)[1].split('"', 1)[0]
    response = second.post(
        reverse("todo_create", args=[todo_list.pk]),
        {"description": "Eggs"},
        HTTP_HX_REQUEST="true",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == HTTPStatus.OK


def test_a_cached_list_page_still_shows_new_messages(auth_client, todo_list):
    url = page_of(todo_list)
    etag = auth_client.get(url)["ETag"]
    auth_client.get(url)

    # Refused, so nothing changes: only the message tells the page apart from the cached one.
    response = auth_client.post(
        reverse("list_rename", args=[todo_list.pk]), {"name": " ", "next": url}, follow=True, HTTP_IF_NONE_MATCH=etag
    )

    assert response.redirect_chain[-1][0] == url
    assert response.status_code == HTTPStatus.OK
    assert "This field is required." in response.content.decode()


# Lists


def test_list_create_redirects_to_new_list(auth_client, user):
    response = auth_client.post(reverse("list_create"), {"name": "  Work  "})

    created = TodoList.objects.get(owner=user)
    assert created.name == "Work"
    assert response.url == reverse("list_detail", args=[created.pk])
    assert messages_of(response) == ["Created the list “Work”."]


def test_list_create_by_htmx_opens_the_new_list(auth_client, user, todo_list):
    response = hx_post(auth_client, reverse("list_create"), {"name": "Work"}, page=page_of(todo_list))

    work = user.todo_lists.get(name="Work")
    assert response.status_code == HTTPStatus.OK
    assert response["HX-Redirect"] == reverse("list_detail", args=[work.pk])
    assert "HX-Retarget" not in response
    assert messages_of(response) == ["Created the list “Work”."]  # shown on the page it opens


def test_the_new_list_opens_with_its_new_todo_field_focused(auth_client, user):
    """The page HX-Redirect loads: the new list current in the side column, its new-todo field autofocused."""
    response = hx_post(auth_client, reverse("list_create"), {"name": "Work"}, page="/")
    page = auth_client.get(response["HX-Redirect"])

    html = page.content.decode()
    work = user.todo_lists.get(name="Work")
    assert f'id="side-list-{work.pk}" class="list-item current"' in html
    assert re.search(r'<input id="new-todo"[^>]*\sautofocus\s', html)
    assert "Created the list “Work”." in html


@pytest.mark.parametrize(
    ("name", "error"),
    [("", "This field is required."), ("   ", "This field is required."), ("x" * 201, "at most 200 characters")],
    ids=["empty", "blank", "too-long"],
)
def test_list_create_bad_name(auth_client, todo_list, name, error):
    form_response = auth_client.post(reverse("list_create"), {"name": name, "next": "/lists/7/"})
    htmx_response = hx_post(auth_client, reverse("list_create"), {"name": name}, page=page_of(todo_list))

    assert form_response.status_code == HTTPStatus.FOUND
    assert form_response.url == "/lists/7/"
    assert not messages_of(form_response)  # under the field, not a banner
    assert error in field_error_on_page(auth_client, page_of(todo_list), "new-list-error")
    assert htmx_response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert swapped_into(htmx_response) == ("#new-list-error", "outerHTML")
    html = htmx_response.content.decode()
    assert html.strip().startswith('<p id="new-list-error" class="field-error" role="alert">')
    assert error in html
    assert list(TodoList.objects.all()) == [todo_list]


def test_a_refused_field_without_javascript_is_shown_under_it_once_marked_invalid(auth_client, todo_list):
    auth_client.post(reverse("list_rename", args=[todo_list.pk]), {"name": " ", "next": page_of(todo_list)})

    html = auth_client.get(page_of(todo_list)).content.decode()
    assert '<details class="rename" open>' in html  # the field and its message are shown
    field = re.search(r'<input id="rename-list"[^>]*>', html).group()
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="rename-error"' in field
    assert '<p id="rename-error" class="field-error" role="alert">This field is required.</p>' in html
    assert html.index(field) < html.index('id="rename-error"')
    assert 'aria-invalid="true"' not in html.replace(field, "")  # only that field
    assert 'class="alert alert-error"' not in html

    again = auth_client.get(page_of(todo_list)).content.decode()
    assert "This field is required." not in again
    assert 'aria-invalid="true"' not in again
    assert '<details class="rename">' in again


def test_list_create_ignores_next_pointing_off_site(auth_client):
    response = auth_client.post(reverse("list_create"), {"name": "", "next": "https://evil.example/"})

    assert response.url == reverse("home")


def test_list_rename_by_htmx_answers_the_heading_and_the_side_column_item(auth_client, todo_list):
    response = hx_post(
        auth_client, reverse("list_rename", args=[todo_list.pk]), {"name": " Shopping "}, page=page_of(todo_list)
    )

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert swapped_into(response) == ("#list-heading", "outerHTML")
    assert '<h2 class="list-title">Shopping</h2>' in html
    assert f"side-list-{todo_list.pk}" in oob_ids(html)
    assert "todo-main" in oob_ids(html)
    todo_list.refresh_from_db()
    assert todo_list.name == "Shopping"


def test_list_rename_by_form_post_redirects_back(auth_client, todo_list):
    response = auth_client.post(reverse("list_rename", args=[todo_list.pk]), {"name": "Shopping"})

    assert response.url == page_of(todo_list)
    todo_list.refresh_from_db()
    assert todo_list.name == "Shopping"


@pytest.mark.parametrize("name", ["", "x" * 201], ids=["empty", "too-long"])
def test_list_rename_bad_name_keeps_the_name(auth_client, todo_list, name):
    response = auth_client.post(reverse("list_rename", args=[todo_list.pk]), {"name": name})
    htmx_response = hx_post(
        auth_client, reverse("list_rename", args=[todo_list.pk]), {"name": name}, page=page_of(todo_list)
    )

    assert response.url == page_of(todo_list)
    assert field_error_on_page(auth_client, page_of(todo_list), "rename-error")
    assert htmx_response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert swapped_into(htmx_response) == ("#rename-error", "outerHTML")
    assert 'role="alert"' in htmx_response.content.decode()
    todo_list.refresh_from_db()
    assert todo_list.name == "Groceries"


def test_list_rename_of_another_user_is_404(auth_client, others_list):
    response = auth_client.post(reverse("list_rename", args=[others_list.pk]), {"name": "Mine"})

    assert response.status_code == HTTPStatus.NOT_FOUND
    others_list.refresh_from_db()
    assert others_list.name == "Secret"


def test_list_delete_by_get_deletes_nothing_and_goes_to_the_list(auth_client, todo_list, todo):
    response = auth_client.get(reverse("list_delete", args=[todo_list.pk]))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == page_of(todo_list)
    assert TodoList.objects.filter(pk=todo_list.pk).exists()


def test_list_delete_deletes_todos_and_lands_on_another_list(auth_client, user, todo_list, todo):
    other = TodoListFactory(owner=user)

    response = auth_client.post(reverse("list_delete", args=[todo_list.pk]), {"next": page_of(todo_list)})

    assert response.url == reverse("home")
    assert auth_client.get(response.url).url == page_of(other)
    assert not Todo.objects.exists()


def test_list_delete_of_another_list_returns_to_the_shown_list(auth_client, user, todo_list):
    other = TodoListFactory(owner=user)
    url = page_of(todo_list)

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

    response = hx_post(
        auth_client,
        reverse("list_set_completed", args=[todo_list.pk]),
        {"completed": completed},
        page=page_of(todo_list),
    )

    html = response.content.decode()
    assert swapped_into(response) == (f"#side-list-{todo_list.pk}", "outerHTML")
    assert html.strip().startswith(f'<li id="side-list-{todo_list.pk}"')
    # the shown list: its todos too; and the smart views' counts
    assert oob_ids(html) == ["todo-main", "todo-footer", "todo-empty", "todo-pagination", "side-views"]
    assert html.count('class="completed"') == (2 if completed else 0)
    assert set(todo_list.todos.values_list("completed", flat=True)) == {completed}


def test_list_set_completed_of_a_list_not_shown_answers_its_side_column_item_only(auth_client, user, todo_list, todo):
    work = TodoListFactory(owner=user, name="Work")
    TodoFactory(list=work)

    response = hx_post(
        auth_client, reverse("list_set_completed", args=[work.pk]), {"completed": "true"}, page=page_of(todo_list)
    )

    html = response.content.decode()
    assert swapped_into(response) == (f"#side-list-{work.pk}", "outerHTML")
    assert 'id="list-complete-' + str(work.pk) + '"' in html  # the same id: focus stays on it
    assert oob_ids(html) == ["side-views"]  # the smart views' counts
    assert "Milk" not in html


def test_list_set_completed_by_form_post(auth_client, todo_list, todo):
    response = auth_client.post(reverse("list_set_completed", args=[todo_list.pk]), {"completed": "true"})

    assert response.url == page_of(todo_list)
    todo.refresh_from_db()
    assert todo.completed


@pytest.mark.parametrize("value", ["", "maybe", 3])
def test_list_set_completed_rejects_bad_value(auth_client, todo_list, todo, value):
    response = hx_post(
        auth_client, reverse("list_set_completed", args=[todo_list.pk]), {"completed": value}, page=page_of(todo_list)
    )

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert 'role="alert"' in response.content.decode()
    assert "Completed:" in response.content.decode()
    todo.refresh_from_db()
    assert not todo.completed


def test_list_set_completed_of_another_user_is_404(auth_client, others_todo, todo_list):
    response = hx_post(
        auth_client,
        reverse("list_set_completed", args=[others_todo.list_id]),
        {"completed": "true"},
        page=page_of(todo_list),
    )

    assert response.status_code == HTTPStatus.NOT_FOUND
    others_todo.refresh_from_db()
    assert not others_todo.completed


def test_list_clear_completed(auth_client, todo_list, todo):
    TodoFactory(list=todo_list, completed=True, description="Bread")

    response = hx_post(auth_client, reverse("list_clear_completed", args=[todo_list.pk]), page=page_of(todo_list))

    html = response.content.decode()
    assert swapped_into(response) == ("#todo-main", "outerHTML")
    assert "Milk" in html
    assert "Bread" not in html
    assert list(todo_list.todos.all()) == [todo]


def test_list_clear_completed_by_form_post(auth_client, todo_list, todo):
    TodoFactory(list=todo_list, completed=True)

    response = auth_client.post(reverse("list_clear_completed", args=[todo_list.pk]))

    assert response.url == page_of(todo_list)
    assert list(todo_list.todos.all()) == [todo]


def test_list_clear_completed_of_another_user_is_404(auth_client, others_list):
    TodoFactory(list=others_list, completed=True)

    response = auth_client.post(reverse("list_clear_completed", args=[others_list.pk]))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert others_list.todos.exists()


# Todos


def test_todo_create_by_form_post_redirects_back(auth_client, todo_list):
    url = page_of(todo_list, "?filter=active")

    response = auth_client.post(reverse("todo_create", args=[todo_list.pk]), {"description": " Eggs ", "next": url})

    assert response.url == url
    assert todo_list.todos.get().description == "Eggs"


def test_todo_create_by_htmx_answers_the_rows_and_the_counts(auth_client, todo_list, todo):
    response = hx_post(
        auth_client, reverse("todo_create", args=[todo_list.pk]), {"description": "Eggs"}, page=page_of(todo_list)
    )

    created = todo_list.todos.get(description="Eggs")
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert swapped_into(response) == ("#todo-main", "outerHTML")
    assert html.index(f'id="todo-{todo.pk}"') < html.index(f'id="todo-{created.pk}"')
    assert f'data-position="1" data-url="{reverse("todo_update", args=[created.pk])}"' in html
    assert f'id="move-down-{todo.pk}" class="move-down"' in html
    assert oob_ids(html) == [
        "todo-footer",
        "todo-empty",
        "todo-pagination",
        f"side-list-{todo_list.pk}",
        "side-views",
        "new-todo-error",
    ]
    assert "<strong>2</strong> items left" in html


def test_todo_create_under_the_completed_filter_does_not_show_the_new_todo(auth_client, todo_list):
    page = page_of(todo_list, "?filter=completed")

    response = hx_post(auth_client, reverse("todo_create", args=[todo_list.pk]), {"description": "Eggs"}, page=page)

    html = response.content.decode()
    assert "Eggs</label>" not in html
    assert '<div id="announcer" hx-swap-oob="innerHTML">Added “Eggs”.</div>' in html  # said all the same
    assert "<strong>1</strong> item left" in html
    assert f'<input type="hidden" name="next" value="{page}">' in html  # the page's forms come back to it


@pytest.mark.parametrize(
    ("description", "error"),
    [("", "This field is required."), ("  \t ", "This field is required."), ("x" * 501, "at most 500 characters")],
    ids=["empty", "blank", "too-long"],
)
def test_todo_create_bad_description(auth_client, todo_list, description, error):
    form_response = auth_client.post(reverse("todo_create", args=[todo_list.pk]), {"description": description})
    htmx_response = hx_post(
        auth_client, reverse("todo_create", args=[todo_list.pk]), {"description": description}, page=page_of(todo_list)
    )

    assert form_response.status_code == HTTPStatus.FOUND
    assert not messages_of(form_response)
    assert error in field_error_on_page(auth_client, page_of(todo_list), "new-todo-error")
    assert htmx_response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert swapped_into(htmx_response) == ("#new-todo-error", "outerHTML")
    assert error in htmx_response.content.decode()
    assert not Todo.objects.exists()


def test_todo_create_in_another_users_list_is_404(auth_client, others_list, todo_list):
    response = hx_post(
        auth_client, reverse("todo_create", args=[others_list.pk]), {"description": "Hi"}, page=page_of(todo_list)
    )

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not others_list.todos.exists()


@pytest.mark.parametrize("name", ["todo_create", "list_create", "todo_update", "todo_delete", "list_set_completed"])
def test_writes_without_csrf_token_are_forbidden(user, todo, name):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    args = [] if name == "list_create" else [todo.list_id] if name.startswith(("list", "todo_create")) else [todo.pk]

    response = client.post(
        reverse(name, args=args), {"description": "Hi", "name": "Hi", "completed": "true"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    todo.refresh_from_db()
    assert (todo.description, todo.completed) == ("Milk", False)


def test_todo_update_toggles_by_form_post(auth_client, todo):
    response = auth_client.post(reverse("todo_update", args=[todo.pk]), {"completed": "true"})

    assert response.url == reverse("list_detail", args=[todo.list_id])
    todo.refresh_from_db()
    assert todo.completed


def test_todo_update_toggle_by_htmx_answers_the_row_and_the_counts(auth_client, todo_list, todo):
    TodoFactory(list=todo_list, description="Bread")

    response = hx_post(
        auth_client, reverse("todo_update", args=[todo.pk]), {"completed": "true"}, page=page_of(todo_list)
    )

    html = response.content.decode()
    assert swapped_into(response) == (f"#todo-{todo.pk}", "outerHTML")
    assert html.strip().startswith(f'<li id="todo-{todo.pk}" class="completed"')
    assert "Bread" not in html  # the other row is not sent
    assert oob_ids(html) == ["toggle-all-form", "todo-footer", "todo-empty", f"side-list-{todo_list.pk}", "side-views"]
    assert "<strong>1</strong> item left" in html


def test_todo_update_toggle_under_the_active_filter_answers_the_rows_without_it(auth_client, todo_list, todo):
    TodoFactory(list=todo_list, description="Bread")

    response = hx_post(
        auth_client,
        reverse("todo_update", args=[todo.pk]),
        {"completed": "true"},
        page=page_of(todo_list, "?filter=active"),
    )

    html = response.content.decode()
    assert swapped_into(response) == ("#todo-main", "outerHTML")
    assert "Bread</label>" in html
    assert "Milk</label>" not in html


def test_todo_update_description_by_htmx_changes_only_what_was_sent(auth_client, todo_list, todo):
    response = hx_post(
        auth_client, reverse("todo_update", args=[todo.pk]), {"description": " Oat milk "}, page=page_of(todo_list)
    )

    todo.refresh_from_db()
    assert (todo.description, todo.completed, todo.position) == ("Oat milk", False, 0)
    assert f'data-version="{escape(todo_version(todo))}"' in response.content.decode()
    assert "Oat milk</label>" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "label"),
    [
        ({"completed": "perhaps"}, "Completed"),
        ({"position": -1}, "Position"),
        ({"position": "first"}, "Position"),
    ],
    ids=["bad-completed", "negative-position", "bad-position"],
)
def test_todo_update_bad_input_answers_422_with_the_row_and_changes_nothing(auth_client, todo_list, todo, data, label):
    response = hx_post(auth_client, reverse("todo_update", args=[todo.pk]), data, page=page_of(todo_list))

    html = response.content.decode()
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert swapped_into(response) == (f"#todo-{todo.pk}", "outerHTML")
    notice = html.split('<div id="alerts" hx-swap-oob="innerHTML">', 1)[1]
    assert '<div class="alert alert-error" data-notice role="alert">' in notice
    assert f"<p>{label}: " in notice
    todo.refresh_from_db()
    assert (todo.description, todo.completed, todo.position) == ("Milk", False, 0)


@pytest.mark.parametrize(
    ("description", "message"),
    [(" ", "This field may not be blank."), ("x" * 501, "at most 500 characters (it has 501)")],
    ids=["blank", "too-long"],
)
def test_todo_update_bad_description_by_htmx_answers_the_row_still_edited_with_the_error_under_its_field(
    auth_client, todo_list, todo, description, message
):
    response = hx_post(
        auth_client, reverse("todo_update", args=[todo.pk]), {"description": description}, page=page_of(todo_list)
    )

    html = response.content.decode()
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert swapped_into(response) == (f"#todo-{todo.pk}", "outerHTML")
    assert re.search(rf'<li id="todo-{todo.pk}" class="[^"]*\bediting\b', html)
    error_id = f"todo-edit-error-{todo.pk}"
    field = re.search(r'<input class="edit"[^>]*>', html).group()
    assert f'value="{description}"' in field  # what was typed, to correct it
    assert 'aria-invalid="true"' in field
    assert f'aria-describedby="{error_id}"' in field
    error = re.search(rf'<p id="{error_id}" class="field-error edit-error" role="alert">([^<]*)</p>', html)
    assert message in error.group(1)
    assert html.index(field) < error.start()  # under the field
    assert "alert-error" not in html  # not a banner
    assert "Milk</label>" in html  # the row still shows what is saved
    todo.refresh_from_db()
    assert todo.description == "Milk"


def test_only_the_refused_row_is_drawn_being_edited(auth_client, todo_list, todo):
    """Under a filter the answer is every row shown: the others are drawn as usual."""
    other = TodoFactory(list=todo_list, description="Bread")

    response = hx_post(
        auth_client,
        reverse("todo_update", args=[todo.pk]),
        {"description": " "},
        page=page_of(todo_list, "?filter=active"),
    )

    html = response.content.decode()
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert html.count('aria-invalid="true"') == 1
    assert f'<li id="todo-{other.pk}" class="" data-id' in html
    assert '<input class="edit" name="description" value="Bread" maxlength="500" aria-label="Edit “Bread”">' in html


def test_todo_update_bad_input_by_form_post_shows_a_message(auth_client, todo):
    response = auth_client.post(reverse("todo_update", args=[todo.pk]), {"description": " "})

    assert response.status_code == HTTPStatus.FOUND
    assert messages_of(response) == ["Description: This field may not be blank."]


def test_todo_update_reorders_and_answers_the_rows(auth_client, todo_list, todo):
    second, third = TodoFactory.create_batch(2, list=todo_list)

    response = hx_post(auth_client, reverse("todo_update", args=[third.pk]), {"position": 0}, page=page_of(todo_list))

    assert list(todo_list.todos.values_list("pk", "position")) == [(third.pk, 0), (todo.pk, 1), (second.pk, 2)]
    html = response.content.decode()
    assert swapped_into(response) == ("#todo-main", "outerHTML")
    assert (
        html.index(f'id="todo-{third.pk}"') < html.index(f'id="todo-{todo.pk}"') < html.index(f'id="todo-{second.pk}"')
    )
    assert re.search(rf'id="move-up-{third.pk}"[^>]*disabled>', html)  # first now: nothing above it
    assert re.search(rf'id="move-down-{third.pk}"[^>]*value="1"', html)
    assert re.search(rf'id="move-up-{todo.pk}"[^>]*value="0"', html)


def test_todo_update_moves_to_another_list(auth_client, user, todo_list, todo):
    other = TodoListFactory(owner=user)
    TodoFactory(list=other)

    response = hx_post(auth_client, reverse("todo_update", args=[todo.pk]), {"list": other.pk}, page=page_of(todo_list))

    todo.refresh_from_db()
    assert (todo.list_id, todo.position) == (other.pk, 1)
    html = response.content.decode()
    assert swapped_into(response) == ("#todo-main", "outerHTML")
    assert "Milk" not in html.split('id="todo-footer"')[0]
    assert set(oob_ids(html)) >= {f"side-list-{todo_list.pk}", f"side-list-{other.pk}"}


def test_todo_update_cannot_move_to_another_users_list(auth_client, todo_list, todo, others_list):
    response = hx_post(
        auth_client, reverse("todo_update", args=[todo.pk]), {"list": others_list.pk}, page=page_of(todo_list)
    )

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "List: Select a valid choice." in response.content.decode()
    todo.refresh_from_db()
    assert todo.list_id != others_list.pk


def test_todo_update_of_another_user_is_404(auth_client, others_todo, todo_list):
    response = hx_post(
        auth_client, reverse("todo_update", args=[others_todo.pk]), {"completed": "true"}, page=page_of(todo_list)
    )

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

    assert response.url == page_of(todo_list)
    assert list(todo_list.todos.values_list("pk", "position")) == [(second.pk, 0)]


def test_todo_delete_by_htmx_answers_the_rows_without_it_and_the_counts(auth_client, todo_list, todo):
    second = TodoFactory(list=todo_list, description="Bread")

    response = hx_post(auth_client, reverse("todo_delete", args=[todo.pk]), page=page_of(todo_list))

    html = response.content.decode()
    assert swapped_into(response) == ("#todo-main", "outerHTML")
    assert f'id="todo-{todo.pk}"' not in html
    assert f'id="todo-{second.pk}" class="" data-id="{second.pk}" data-position="0"' in html
    assert "<strong>1</strong> item left" in html


def test_todo_delete_of_another_user_is_404(auth_client, others_todo, todo_list):
    response = hx_post(auth_client, reverse("todo_delete", args=[others_todo.pk]), page=page_of(todo_list))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert Todo.objects.filter(pk=others_todo.pk).exists()


def test_other_users_are_unaffected_by_my_lists(client, todo):
    stranger = UserFactory(username="stranger")
    client.force_login(stranger)

    response = client.get(reverse("list_detail", args=[todo.list_id]))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_fragment_from_a_page_whose_list_is_gone_sends_the_browser_home(auth_client, user, todo_list, todo):
    other = TodoListFactory(owner=user)
    page = page_of(other)
    other.delete()

    response = hx_post(auth_client, reverse("todo_update", args=[todo.pk]), {"completed": "true"}, page=page)

    # the todo's own list is then the page's: its row is answered
    assert swapped_into(response) == (f"#todo-{todo.pk}", "outerHTML")


# Sharing (the list's Todo-Backend URL)


def test_list_share_creates_a_link_shown_on_the_list_page(auth_client, todo_list):
    response = auth_client.post(reverse("list_share", args=[todo_list.pk]), {"shared": "true"})
    assert response.status_code == HTTPStatus.FOUND
    todo_list.refresh_from_db()
    url = reverse("api:todobackend-root", kwargs={"secret": todo_list.share_token})
    page = auth_client.get(page_of(todo_list))
    assert f"http://testserver{url}" in page.content.decode()
    assert auth_client.get(url).status_code == HTTPStatus.OK


def test_list_share_by_htmx_answers_the_heading_with_the_link(auth_client, todo_list):
    response = hx_post(
        auth_client, reverse("list_share", args=[todo_list.pk]), {"shared": "true"}, page=page_of(todo_list)
    )

    todo_list.refresh_from_db()
    url = reverse("api:todobackend-root", kwargs={"secret": todo_list.share_token})
    assert swapped_into(response) == ("#list-heading", "outerHTML")
    assert f'value="http://testserver{url}" readonly data-share-url' in response.content.decode()
    assert not messages_of(response)


def test_list_share_revoke_makes_the_old_link_404(auth_client, todo_list):
    auth_client.post(reverse("list_share", args=[todo_list.pk]), {"shared": "true"})
    todo_list.refresh_from_db()
    url = reverse("api:todobackend-root", kwargs={"secret": todo_list.share_token})
    response = hx_post(
        auth_client, reverse("list_share", args=[todo_list.pk]), {"shared": "false"}, page=page_of(todo_list)
    )
    assert "Create link" in response.content.decode()
    assert auth_client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_list_share_rejects_a_non_boolean(auth_client, todo_list):
    response = hx_post(
        auth_client, reverse("list_share", args=[todo_list.pk]), {"shared": "maybe"}, page=page_of(todo_list)
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "Shared: Enter true or false." in response.content.decode()


def test_list_share_of_another_users_list_is_404(auth_client, others_list):
    response = auth_client.post(reverse("list_share", args=[others_list.pk]), {"shared": "true"})
    assert response.status_code == HTTPStatus.NOT_FOUND
    others_list.refresh_from_db()
    assert others_list.share_token is None


# Lost updates: the page's edits carry the version it read


def test_todo_update_with_the_current_version_saves(auth_client, todo_list, todo):
    version = todo_version(todo)
    assert f'data-version="{escape(version)}"' in auth_client.get(page_of(todo_list)).content.decode()

    response = hx_post(
        auth_client,
        reverse("todo_update", args=[todo.pk]),
        {"completed": "true"},
        page=page_of(todo_list),
        HTTP_IF_MATCH=version,
    )

    assert response.status_code == HTTPStatus.OK
    todo.refresh_from_db()
    assert todo.completed
    assert f'data-version="{escape(version)}"' in response.content.decode()  # done/not done is not part of it


def test_a_todo_version_changes_with_its_text(auth_client, todo_list, todo):
    before = todo_version(todo)
    response = hx_post(
        auth_client, reverse("todo_update", args=[todo.pk]), {"description": "Oat milk"}, page=page_of(todo_list)
    )
    assert f'data-version="{escape(before)}"' not in response.content.decode()


def test_todo_update_with_a_stale_version_is_412_and_shows_the_latest(auth_client, todo_list, todo):
    stale = todo_version(todo)
    Todo.objects.filter(pk=todo.pk).update(description="Changed elsewhere")

    response = hx_post(
        auth_client,
        reverse("todo_update", args=[todo.pk]),
        {"completed": "true"},
        page=page_of(todo_list),
        HTTP_IF_MATCH=stale,
    )

    html = response.content.decode()
    assert response.status_code == HTTPStatus.PRECONDITION_FAILED
    assert swapped_into(response) == (f"#todo-{todo.pk}", "outerHTML")
    assert "Changed elsewhere</label>" in html
    assert "changed somewhere else" in html.split('<div id="alerts" hx-swap-oob="innerHTML">', 1)[1]
    todo.refresh_from_db()
    assert todo.completed is False


def test_moving_other_todos_does_not_make_a_version_stale(auth_client, todo_list, todo):
    version = todo_version(todo)
    other = TodoFactory(list=todo_list)
    hx_post(auth_client, reverse("todo_update", args=[other.pk]), {"position": 0}, page=page_of(todo_list))

    response = hx_post(
        auth_client,
        reverse("todo_update", args=[todo.pk]),
        {"description": "Oat milk"},
        page=page_of(todo_list),
        HTTP_IF_MATCH=version,
    )
    assert response.status_code == HTTPStatus.OK


# Quick add preview


def quick_preview(client, query):
    return client.get(reverse("todo_quick_preview") + query, HTTP_HX_REQUEST="true")


def chips(response):
    """The chips' texts, each with its hidden prefix (Due:, Priority:, ...)."""
    html = response.content.decode()
    return [re.sub(r"<[^>]+>", "", chip).strip() for chip in re.findall(r'<li class="chip[^"]*">(.*?)</li>', html)]


def test_quick_preview_shows_what_the_text_will_be_read_as(auth_client):
    response = quick_preview(auth_client, "?" + urlencode({"description": "Pay rent tomorrow 9am !high #home"}))

    assert response.status_code == HTTPStatus.OK
    assert response["HX-Retarget"] == "#quick-preview"
    assert chips(response) == ["Todo: Pay rent", "Due: Tomorrow 09:00", "Priority: High", "Label: home"]


def test_quick_preview_answers_nothing_for_plain_text(auth_client):
    for query in ("?description=Buy+2+apples", "?description=", ""):
        response = quick_preview(auth_client, query)

        assert response.status_code == HTTPStatus.OK
        assert response.content == b""  # the chips' container is then :empty, so hidden


def test_quick_preview_escapes_the_text(auth_client):
    response = quick_preview(auth_client, "?" + urlencode({"description": "<b>x</b> !low"}))

    assert chips(response) == ["Todo: &lt;b&gt;x&lt;/b&gt;", "Priority: Low"]


def test_quick_preview_reads_dates_in_the_persons_time_zone(auth_client, user):
    """At 23:30 in London it is already 6 December in Auckland."""
    query = "?" + urlencode({"description": "Party dec 6"})
    with time_machine.travel("2026-12-05 23:30Z", tick=False):
        profile_update(profile=profile_for(user=user), time_zone="Europe/London")
        in_london = quick_preview(auth_client, query)
        profile_update(profile=profile_for(user=user), time_zone="Pacific/Auckland")
        in_auckland = quick_preview(auth_client, query)

    assert chips(in_london)[1] == "Due: Tomorrow"
    assert chips(in_auckland)[1] == "Due: Today"


def test_quick_preview_refuses_more_than_500_characters(auth_client):
    assert quick_preview(auth_client, "?description=" + "a" * 500).status_code == HTTPStatus.OK
    assert quick_preview(auth_client, "?description=" + "a" * 501).status_code == HTTPStatus.BAD_REQUEST


@pytest.mark.parametrize(
    "query",
    [
        "?description=%ED%A0%80+tomorrow",  # a lone surrogate, as UTF-8 bytes
        "?description=%00tomorrow%00+!high",
        "?description=%FF%FE+%23home",
        "?description=" + "%22" * 500,
        "?description=tomorrow&description=friday",
        "?description=" + "31/02+" * 80,
    ],
)
def test_quick_preview_never_fails_on_odd_text(auth_client, query):
    response = quick_preview(auth_client, query)

    assert response.status_code == HTTPStatus.OK


def test_quick_preview_needs_a_login(client):
    response = quick_preview(client, "?description=tomorrow")

    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("login"))


def test_quick_preview_only_reads_and_only_by_get(auth_client, todo_list):
    response = auth_client.post(reverse("todo_quick_preview"), {"description": "tomorrow"})

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert not Todo.objects.exists()


def test_quick_preview_costs_the_same_few_queries_whatever_the_text(auth_client, django_assert_num_queries):
    for text in ("x", "Pay rent tomorrow 9am !high #home #a #b #c #d", "31/02 " * 80):
        with django_assert_num_queries(1):  # the user (the session is in the cache)
            quick_preview(auth_client, "?" + urlencode({"description": text}))


def test_the_list_page_has_an_empty_quick_preview(auth_client, todo_list):
    html = auth_client.get(page_of(todo_list)).content.decode()

    assert '<div id="quick-preview" class="quick-preview" aria-live="polite"></div>' in html
    assert f'hx-get="{reverse("todo_quick_preview")}"' in html


# Due dates, priority, notes, labels


@time_machine.travel(datetime.datetime(2026, 3, 10, 23, 30, tzinfo=datetime.UTC), tick=False)
def test_a_row_shows_due_date_priority_and_labels_and_marks_overdue_in_the_persons_zone(auth_client, todo_list):
    label = LabelFactory(owner=todo_list.owner, name="<b>home</b>", colour="teal")
    TodoFactory(list=todo_list, description="late", due_date=datetime.date(2026, 3, 9), priority="high", labels=[label])
    TodoFactory(list=todo_list, description="today", due_date=datetime.date(2026, 3, 10), due_time=datetime.time(9, 5))
    TodoFactory(list=todo_list, description="soon", due_date=datetime.date(2026, 3, 10), due_time=datetime.time(23, 45))
    TodoFactory(list=todo_list, description="plain")

    html = auth_client.get(page_of(todo_list)).content.decode()

    assert '<time class="due overdue" datetime="2026-03-09">Overdue 1 day</time>' in html
    assert '<time class="due overdue" datetime="2026-03-10T09:05">Overdue</time>' in html
    assert '<time class="due" datetime="2026-03-10T23:45">Today 23:45</time>' in html
    assert '<span class="priority priority-high">High</span>' in html
    assert '<span class="chip chip-teal">&lt;b&gt;home&lt;/b&gt;</span>' in html
    assert html.count('class="todo-meta"') == 3  # none for the plain todo

    profile_update(profile=profile_for(user=todo_list.owner), time_zone="Pacific/Auckland")  # 11 March there
    html = auth_client.get(page_of(todo_list)).content.decode()
    assert '<time class="due overdue" datetime="2026-03-10T09:05">Overdue 1 day</time>' in html
    assert '<time class="due overdue" datetime="2026-03-10T23:45">Overdue 1 day</time>' in html


def test_the_cached_list_page_follows_the_clock_past_a_due_time(auth_client, todo_list):
    """A row due today at 09:00 reads "Today 09:00" until then and "Overdue" from then on, cache or not."""
    TodoFactory(list=todo_list, due_date=datetime.date(2026, 3, 10), due_time=datetime.time(9, 0))
    url = page_of(todo_list)
    with time_machine.travel(datetime.datetime(2026, 3, 10, 8, 59, 30, tzinfo=datetime.UTC), tick=False):
        before = auth_client.get(url)
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0, 30, tzinfo=datetime.UTC), tick=False):
        after = auth_client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])

    assert '<time class="due" datetime="2026-03-10T09:00">Today 09:00</time>' in before.content.decode()
    assert after.status_code == HTTPStatus.OK
    assert '<time class="due overdue" datetime="2026-03-10T09:00">Overdue</time>' in after.content.decode()


def test_the_edit_page_shows_every_field_and_the_notes_escaped_with_links(auth_client, user, todo_list):
    label = LabelFactory(owner=user, name="home")
    LabelFactory(name="theirs")
    todo = TodoFactory(
        list=todo_list, due_date=datetime.date(2026, 3, 1), notes="<script>x</script>\nsee https://example.com"
    )

    html = auth_client.get(reverse("todo_update", args=[todo.pk])).content.decode()

    assert 'type="date" name="due_date" value="2026-03-01"' in html
    assert 'type="time" name="due_time"' in html
    assert '<select name="priority"' in html
    assert "<textarea" in html
    assert f'type="checkbox" name="labels" value="{label.pk}"' in html
    assert "theirs" not in html
    assert "&lt;script&gt;x&lt;/script&gt;<br>see " in html
    assert '<a href="https://example.com" rel="nofollow">https://example.com</a>' in html
    assert "<script>x</script>" not in html


def edit(client, todo, **fields):
    data = {
        "every_field": "true",
        "description": todo.description,
        "list": todo.list_id,
        "due_date": "",
        "due_time": "",
        "priority": todo.priority,
        "notes": todo.notes,
        **fields,
    }
    return client.post(reverse("todo_update", args=[todo.pk]), data)


def test_the_edit_page_saves_every_field_and_clears_them(auth_client, user, todo):
    home, work = LabelFactory(owner=user), LabelFactory(owner=user)
    response = edit(
        auth_client,
        todo,
        due_date="2026-03-01",
        due_time="09:30",
        priority="low",
        notes="a\nb",
        labels=[home.pk, work.pk],
    )
    assert response.status_code == HTTPStatus.FOUND
    todo.refresh_from_db()
    assert (str(todo.due_date), str(todo.due_time), todo.priority, todo.notes) == (
        "2026-03-01",
        "09:30:00",
        "low",
        "a\nb",
    )
    assert set(todo.labels.all()) == {home, work}

    assert edit(auth_client, todo, notes="").status_code == HTTPStatus.FOUND  # nothing ticked, no date
    todo.refresh_from_db()
    assert (todo.due_date, todo.due_time, todo.notes, list(todo.labels.all())) == (None, None, "", [])


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"due_date": "2026-02-30"}, "due_date"),
        ({"due_time": "09:00"}, "due_time"),
        ({"notes": "n" * 10_001}, "notes"),
        ({"priority": "urgent"}, "priority"),
        ({"labels": "theirs"}, "labels"),
    ],
)
def test_the_edit_page_shows_errors_under_their_field_and_writes_nothing(auth_client, todo, fields, field):
    if fields.get("labels") == "theirs":
        fields = {"labels": [LabelFactory().pk]}
    before = Todo.objects.values().get(pk=todo.pk)

    response = edit(auth_client, todo, description="changed", **fields)

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert list(response.context["form"].errors) == [field]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert Todo.objects.values().get(pk=todo.pk) == before


def test_completing_a_todo_by_form_post_sets_completed_at(auth_client, todo):
    auth_client.post(reverse("todo_update", args=[todo.pk]), {"completed": "true"})
    assert Todo.objects.get(pk=todo.pk).completed_at is not None
    auth_client.post(reverse("todo_update", args=[todo.pk]), {"completed": "false"})
    assert Todo.objects.get(pk=todo.pk).completed_at is None


def test_a_label_rename_shows_on_the_cached_list_page(auth_client, todo_list):
    label = LabelFactory(owner=todo_list.owner, name="old")
    TodoFactory(list=todo_list, labels=[label])
    assert ">old</span>" in auth_client.get(page_of(todo_list)).content.decode()

    services.label_update(label=label, name="new")

    assert ">new</span>" in auth_client.get(page_of(todo_list)).content.decode()


# Quick add saves what it reads

QUICK_TEXT = "Pay rent tomorrow 9am !high #home"


@time_machine.travel(datetime.datetime(2026, 3, 10, 23, 30, tzinfo=datetime.UTC), tick=False)
def test_a_plain_post_saves_what_quick_add_reads_in_the_persons_zone(auth_client, user, todo_list):
    profile_update(profile=profile_for(user=user), time_zone="Pacific/Auckland")  # 11 March, 12:30 there

    response = auth_client.post(reverse("todo_create", args=[todo_list.pk]), {"description": QUICK_TEXT})

    assert response.status_code == HTTPStatus.FOUND
    todo = todo_list.todos.get()
    assert (todo.description, todo.due_date, todo.due_time, todo.priority) == (
        "Pay rent",
        datetime.date(2026, 3, 12),
        datetime.time(9, 0),
        "high",
    )
    assert [label.name for label in todo.labels.all()] == ["home"]


@time_machine.travel(datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_a_quick_add_by_htmx_answers_the_rows_with_what_was_read(auth_client, todo_list):
    response = hx_post(
        auth_client, reverse("todo_create", args=[todo_list.pk]), {"description": QUICK_TEXT}, page=page_of(todo_list)
    )

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert swapped_into(response) == ("#todo-main", "outerHTML")
    assert '<time class="due" datetime="2026-03-11T09:00">Tomorrow 09:00</time>' in html
    assert '<span class="priority priority-high">High</span>' in html
    assert '<span class="chip chip-grey">home</span>' in html
    assert ">Pay rent</label>" in html


def test_quick_add_labels_are_created_once_and_reused_whatever_the_case(auth_client, user, todo_list):
    home = LabelFactory(owner=user, name="Home")
    LabelFactory(name="work")  # another person's: not theirs to use
    url = reverse("todo_create", args=[todo_list.pk])

    auth_client.post(url, {"description": "Sweep #home #HOME #work"})
    auth_client.post(url, {"description": "Dust #Work #home"})

    first, second = todo_list.todos.order_by("position")
    work = user.labels.get(name="work")
    assert (first.description, list(first.labels.order_by("name"))) == ("Sweep", [home, work])
    assert (second.description, list(second.labels.order_by("name"))) == ("Dust", [home, work])
    assert user.labels.count() == 2


def test_plain_text_is_saved_as_typed(auth_client, todo_list):
    auth_client.post(reverse("todo_create", args=[todo_list.pk]), {"description": 'Buy 2 apples "today"'})

    todo = todo_list.todos.get()
    assert (todo.description, todo.due_date, todo.priority) == ("Buy 2 apples today", None, "none")
    assert not todo.labels.exists()


def test_a_quick_add_label_too_long_is_an_inline_error_and_writes_nothing(auth_client, user, todo_list):
    text = f"Pay rent !high #home #{'x' * 51}"
    url = reverse("todo_create", args=[todo_list.pk])

    htmx_response = hx_post(auth_client, url, {"description": text}, page=page_of(todo_list))
    form_response = auth_client.post(url, {"description": text})

    assert htmx_response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert swapped_into(htmx_response) == ("#new-todo-error", "outerHTML")
    assert "A label has at most 50 characters" in htmx_response.content.decode()
    assert form_response.status_code == HTTPStatus.FOUND
    assert "A label has at most 50 characters" in field_error_on_page(auth_client, page_of(todo_list), "new-todo-error")
    assert not Todo.objects.exists()
    assert not user.labels.exists()  # not even "home", which came before it


@pytest.mark.parametrize("size", [1, 50])
def test_quick_add_query_count_is_constant(auth_client, user, django_assert_num_queries, size):
    todo_list = TodoListFactory(owner=user)
    make_labelled_todos(todo_list, size)
    LabelFactory(owner=user, name="home")
    auth_client.get(page_of(todo_list))  # the other lists' counts are cached

    # user, the list; the labels looked up by name (one created, in its savepoint), the list's lock and version,
    # the position, the todo and its labels; then the lists, the list's counts, the COUNT, one page, its labels,
    # and the side column's views: their counts, the person's labels and their open counts
    with django_assert_num_queries(31):
        response = hx_post(
            auth_client,
            reverse("todo_create", args=[todo_list.pk]),
            {"description": "Sweep tomorrow !low #home #work"},
            page=page_of(todo_list),
        )
    assert response.status_code == HTTPStatus.OK
    assert response.content.decode().count('<li id="todo-') == size + 1


# The details panel


def hx_get(client, url, *, page):
    return client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=f"http://testserver{page}")


def details(client, todo, *, headers=None, **fields):
    """POST the details panel's form as htmx sends it from the list page (every field, as the panel shows them)."""
    data = {
        "every_field": "true",
        "description": todo.description,
        "list": todo.list_id,
        "due_date": "",
        "due_time": "",
        "priority": todo.priority,
        "notes": todo.notes,
        "add_label": "",
        **fields,
    }
    return hx_post(client, reverse("todo_update", args=[todo.pk]), data, page=page_of(todo.list), **(headers or {}))


def test_each_row_has_a_details_link_to_its_edit_page_that_htmx_opens_as_a_panel(auth_client, todo_list, todo):
    html = auth_client.get(page_of(todo_list)).content.decode()

    url = reverse("todo_update", args=[todo.pk])
    assert f'<a class="todo-edit-link" href="{url}?next={page_of(todo_list)}" hx-get="{url}" data-details' in html


def test_the_details_panel_is_the_edit_form_added_under_the_row(auth_client, user, todo_list):
    home = LabelFactory(owner=user, name="home")
    LabelFactory(name="theirs")
    todo = TodoFactory(list=todo_list, notes="<b>n</b>", labels=[home])

    response = hx_get(auth_client, reverse("todo_update", args=[todo.pk]), page=page_of(todo_list))

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert swapped_into(response) == (f"#todo-{todo.pk}", "beforeend")
    assert html.lstrip().startswith(f'<section class="todo-details" id="todo-details-{todo.pk}"')
    assert "<html" not in html
    assert f'hx-post="{reverse("todo_update", args=[todo.pk])}" data-details-form' in html
    assert f'<textarea name="notes" cols="40" rows="5" maxlength="10000" id="todo-{todo.pk}-notes">' in html
    assert "&lt;b&gt;n&lt;/b&gt;</textarea>" in html
    assert f'type="date" name="due_date" id="todo-{todo.pk}-due_date"' in html
    assert f'type="time" name="due_time" id="todo-{todo.pk}-due_time"' in html
    assert '<select name="priority"' in html
    assert f'type="checkbox" name="labels" value="{home.pk}"' in html
    assert f'list="todo-{todo.pk}-add_label_names"' in html
    assert f'<datalist id="todo-{todo.pk}-add_label_names"><option value="home"></option></datalist>' in html
    assert "theirs" not in html
    assert "data-details-close" in html


def test_saving_the_details_panel_answers_the_row_without_it(auth_client, user, todo_list):
    home = LabelFactory(owner=user, name="Home")
    todo = TodoFactory(list=todo_list, description="Pay rent")

    response = details(
        auth_client,
        todo,
        notes="by transfer",
        due_date="2026-12-24",
        due_time="09:30",
        priority="high",
        labels=[home.pk],
        add_label="bills",
    )

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert swapped_into(response) == (f"#todo-{todo.pk}", "outerHTML")
    assert "todo-details" not in html
    assert '<span class="priority priority-high">High</span>' in html
    assert '<span class="chip chip-grey">bills</span>' in html
    todo.refresh_from_db()
    assert (todo.notes, str(todo.due_date), str(todo.due_time), todo.priority) == (
        "by transfer",
        "2026-12-24",
        "09:30:00",
        "high",
    )
    assert sorted(label.name for label in todo.labels.all()) == ["Home", "bills"]


def test_a_label_added_by_name_is_reused_whatever_its_case(auth_client, user, todo):
    home = LabelFactory(owner=user, name="Home")

    details(auth_client, todo, add_label="HOME")
    details(auth_client, todo, labels=[home.pk], add_label="home")

    assert list(todo.labels.all()) == [home]
    assert user.labels.count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"due_time": "09:00"}, "due_time", "A due time needs a due date."),
        ({"notes": "n" * 10_001}, "notes", "at most 10000 characters"),
        ({"due_date": "2026-02-30"}, "due_date", "Enter a valid date."),
        ({"add_label": "x" * 51}, "add_label", "at most 50 characters"),
    ],
    ids=["time-without-date", "notes-too-long", "no-such-date", "label-too-long"],
)
def test_a_refused_details_panel_answers_itself_with_the_error_under_its_field(
    auth_client, user, todo, fields, field, message
):
    before = Todo.objects.values().get(pk=todo.pk)

    response = details(auth_client, todo, priority="high", add_label=fields.pop("add_label", "new"), **fields)

    html = response.content.decode()
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert swapped_into(response) == (f"#todo-details-{todo.pk}", "outerHTML")
    error = re.search(rf'<p class="field-error" id="todo-{todo.pk}-{field}_error">([^<]*)</p>', html)
    assert error
    assert message in error.group(1)
    assert "alert" not in html  # under its field, never a banner
    assert Todo.objects.values().get(pk=todo.pk) == before
    assert not user.labels.exists()


def test_a_details_panel_saved_over_a_changed_todo_is_412(auth_client, todo):
    version = todo_version(todo)
    services.todo_update(todo=todo, description="changed elsewhere")

    response = details(auth_client, todo, notes="mine", headers={"HTTP_IF_MATCH": version})

    assert response.status_code == HTTPStatus.PRECONDITION_FAILED
    assert "changed elsewhere" in response.content.decode()
    todo.refresh_from_db()
    assert todo.notes == ""


@pytest.mark.parametrize("size", [1, 30])
def test_the_details_panel_costs_the_same_queries_whatever_the_labels(
    auth_client, user, django_assert_num_queries, size
):
    todo_list = TodoListFactory(owner=user)
    make_labelled_todos(todo_list, size)
    LabelFactory.create_batch(size, owner=user)
    todo = todo_list.todos.first()
    url = reverse("todo_update", args=[todo.pk])

    with django_assert_num_queries(6):  # user, the todo, its labels, the lists, the labels (boxes, names offered)
        response = hx_get(auth_client, url, page=page_of(todo_list))
    assert response.content.decode().count('name="labels"') == size + 2

    auth_client.get(page_of(todo_list))  # the other lists' counts are cached
    # user, the todo, the form's checks, the label named, the If-Match check (the todo and its labels, read again
    # under the lock), the update (locks, version, the todo, its labels), then the row's answer (the lists, the
    # list's counts, its labels, the side column's views, labels and their counts): the same whatever they hold
    with django_assert_num_queries(26):
        response = details(auth_client, todo, notes="n", labels=[], add_label=todo.labels.first().name)
    assert response.status_code == HTTPStatus.OK


def test_the_edit_page_adds_a_label_by_name_without_javascript(auth_client, user, todo):
    response = edit(auth_client, todo, add_label=" bills ")

    assert response.status_code == HTTPStatus.FOUND
    assert [label.name for label in todo.labels.all()] == ["bills"]


def test_the_details_panel_does_not_overwrite_a_change_made_elsewhere_since_it_opened(auth_client, todo_list):
    """Regression: the panel's version covered the text and list only, so its save put back old notes."""
    todo = TodoFactory(list=todo_list, description="Pay rent", notes="old")
    version = todo_version(todo)
    services.todo_update(todo=todo, notes="changed in another tab", priority="high")

    response = auth_client.post(
        reverse("todo_update", args=[todo.pk]),
        {"description": "Pay rent", "list": todo_list.pk, "notes": "old", "priority": "none", "every_field": "true"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=page_of(todo_list),
        HTTP_IF_MATCH=version,
    )

    assert response.status_code == HTTPStatus.PRECONDITION_FAILED
    todo.refresh_from_db()
    assert (todo.notes, todo.priority) == ("changed in another tab", "high")


# Undo: the notice's plain form (todos.views.undo), htmx's answers, the notice across pages


def undo_url_in(html):
    """The Undo form's URL in a page or fragment."""
    return re.search(r'<form method="post" action="(/undo/\d+/)"', html).group(1)


def test_todo_delete_by_form_post_offers_undo_on_the_page_it_goes_back_to(auth_client, todo_list, todo):
    response = auth_client.post(reverse("todo_delete", args=[todo.pk]), {"next": page_of(todo_list)}, follow=True)

    html = response.content.decode()
    assert "<p>Deleted “Milk”.</p>" in html
    assert undo_url_in(html) == reverse("undo", args=[UndoAction.objects.get().pk])
    assert f'<input type="hidden" name="next" value="{page_of(todo_list)}">' in html.split("data-undo-form", 1)[1]


def test_undo_by_form_post_restores_and_goes_back_with_a_message(auth_client, todo_list, todo):
    auth_client.post(reverse("todo_delete", args=[todo.pk]))
    undo = UndoAction.objects.get()

    response = auth_client.post(reverse("undo", args=[undo.pk]), {"next": page_of(todo_list)})

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == page_of(todo_list)
    assert messages_of(response) == ["Undone: Deleted “Milk”."]
    assert list(todo_list.todos.values_list("pk", "description", "position")) == [(todo.pk, "Milk", 0)]
    page = auth_client.get(page_of(todo_list)).content.decode()
    assert "/undo/" not in page  # used: no longer offered


def test_undo_by_htmx_answers_the_page_s_todos_the_side_column_and_the_notice(auth_client, todo_list, todo):
    hx_post(auth_client, reverse("todo_delete", args=[todo.pk]), page=page_of(todo_list))
    undo = UndoAction.objects.get()

    response = hx_post(auth_client, reverse("undo", args=[undo.pk]), page=page_of(todo_list))

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert swapped_into(response) == ("#side-lists", "outerHTML")
    assert "todo-main" in oob_ids(html)
    assert f'<li id="todo-{todo.pk}"' in html
    notice = html.split('<div id="alerts" hx-swap-oob="innerHTML">', 1)[1]
    assert "<p>Undone: Deleted “Milk”.</p>" in notice
    assert 'data-notice-seconds="6"' in notice


def test_undo_of_another_person_is_404_and_restores_nothing(auth_client, other_user, others_list, others_todo):
    undo = services.todo_delete_undoable(todo=others_todo, by=other_user)

    response = auth_client.post(reverse("undo", args=[undo.pk]))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not others_list.todos.exists()


def test_undo_twice_says_it_was_undone_already(auth_client, todo_list, todo):
    auth_client.post(reverse("todo_delete", args=[todo.pk]))
    url = reverse("undo", args=[UndoAction.objects.get().pk])
    auth_client.post(url, follow=True)  # its message shown

    response = auth_client.post(url, {"next": page_of(todo_list)})
    htmx_response = hx_post(auth_client, url, page=page_of(todo_list))

    assert response.url == page_of(todo_list)
    assert messages_of(response) == ["That was undone already."]
    assert htmx_response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert swapped_into(htmx_response) == ("#alerts", "none")
    assert 'role="alert"' in htmx_response.content.decode()
    assert "That was undone already." in htmx_response.content.decode()
    assert todo_list.todos.count() == 1


def test_undo_too_late_says_so_and_restores_nothing(auth_client, todo_list, todo):
    auth_client.post(reverse("todo_delete", args=[todo.pk]))
    undo = UndoAction.objects.get()
    UndoAction.objects.filter(pk=undo.pk).update(created_at=undo.created_at - services.UNDO_WINDOW)

    response = auth_client.post(reverse("undo", args=[undo.pk]), {"next": page_of(todo_list)})

    assert messages_of(response) == ["Too late to undo: changes can be undone for 10 minutes."]
    assert not todo_list.todos.exists()


def test_undo_by_get_is_not_allowed(auth_client, todo_list, todo):
    auth_client.post(reverse("todo_delete", args=[todo.pk]))

    response = auth_client.get(reverse("undo", args=[UndoAction.objects.get().pk]))

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert not todo_list.todos.exists()


def test_the_undo_notice_comes_back_after_a_reload_until_its_time_is_up(auth_client, todo_list, todo):
    """The list page is cached: the notice must not be baked into it, nor left out of it."""
    TodoFactory(list=todo_list, description="Bread")
    auth_client.get(page_of(todo_list))  # cached without a notice
    auth_client.post(reverse("todo_delete", args=[todo.pk]))

    first, reload = (auth_client.get(page_of(todo_list)).content.decode() for _ in range(2))
    with time_machine.travel(datetime.timedelta(seconds=61)):
        later = auth_client.get(page_of(todo_list)).content.decode()

    assert "<p>Deleted “Milk”.</p>" in first
    assert "<p>Deleted “Milk”.</p>" in reload
    assert "/undo/" in reload
    assert "/undo/" not in later
    assert "Deleted “Milk”." not in later


def test_a_newer_undoable_write_replaces_the_offered_undo(auth_client, todo_list, todo):
    bread = TodoFactory(list=todo_list, description="Bread")
    auth_client.post(reverse("todo_delete", args=[todo.pk]))
    auth_client.post(reverse("todo_delete", args=[bread.pk]))

    html = auth_client.get(page_of(todo_list)).content.decode()

    assert html.count("data-undo-form") == 1
    assert "Deleted “Bread”." in html
    assert "Deleted “Milk”." not in html


def test_list_delete_by_htmx_from_another_list_redraws_the_side_column_with_the_undo_notice(
    auth_client, user, todo_list
):
    other = TodoListFactory(owner=user, name="Work")

    response = hx_post(auth_client, reverse("list_delete", args=[other.pk]), page=page_of(todo_list))

    html = response.content.decode()
    assert swapped_into(response) == ("#side-lists", "outerHTML")
    assert f'id="side-list-{other.pk}"' not in html
    assert "<p>Deleted the list “Work”.</p>" in html.split('<div id="alerts" hx-swap-oob="innerHTML">', 1)[1]


def test_list_delete_by_htmx_from_its_own_page_goes_home_where_the_notice_waits(auth_client, user, todo_list):
    other = TodoListFactory(owner=user, name="Work")

    response = hx_post(auth_client, reverse("list_delete", args=[todo_list.pk]), page=page_of(todo_list))

    assert response["HX-Redirect"] == reverse("home")
    page = auth_client.get(page_of(other)).content.decode()
    assert "<p>Deleted the list “Groceries”.</p>" in page
    auth_client.post(undo_url_in(page))
    assert TodoList.objects.filter(pk=todo_list.pk, name="Groceries").exists()


@pytest.mark.parametrize(
    ("completed", "notice"), [(True, "Completed 2 todos in “Groceries”."), (False, "Reopened 1 todo in “Groceries”.")]
)
def test_list_set_completed_by_htmx_offers_undo(auth_client, todo_list, completed, notice):
    TodoFactory(list=todo_list, description="Milk")
    TodoFactory(list=todo_list, description="Bread", completed=True)
    TodoFactory(list=todo_list, description="Eggs")

    response = hx_post(
        auth_client,
        reverse("list_set_completed", args=[todo_list.pk]),
        {"completed": completed},
        page=page_of(todo_list),
    )

    assert f"<p>{notice}</p>" in response.content.decode().split('<div id="alerts" hx-swap-oob="innerHTML">', 1)[1]
    auth_client.post(undo_url_in(response.content.decode()))
    assert list(todo_list.todos.order_by("position").values_list("completed", flat=True)) == [False, True, False]


def test_clear_completed_with_nothing_completed_offers_no_undo(auth_client, todo_list, todo):
    response = hx_post(auth_client, reverse("list_clear_completed", args=[todo_list.pk]), page=page_of(todo_list))

    assert 'id="alerts"' not in response.content.decode()
    assert not UndoAction.objects.exists()


def test_clear_completed_by_form_post_offers_undo(auth_client, todo_list, todo):
    TodoFactory(list=todo_list, description="Bread", completed=True)

    response = auth_client.post(reverse("list_clear_completed", args=[todo_list.pk]), follow=True)

    assert "<p>Cleared 1 completed todo from “Groceries”.</p>" in response.content.decode()


@pytest.mark.parametrize(("completed", "said"), [("true", "Completed “Milk”."), ("false", "Reopened “Milk”.")])
def test_completing_a_todo_by_htmx_is_announced(auth_client, todo_list, todo, completed, said):
    response = hx_post(
        auth_client, reverse("todo_update", args=[todo.pk]), {"completed": completed}, page=page_of(todo_list)
    )

    assert f'<div id="announcer" hx-swap-oob="innerHTML">{said}</div>' in response.content.decode()
