import datetime
import re
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from todos import services
from todos.models import Label, Todo
from todos.tests.factories import LabelFactory, TodoFactory, TodoListFactory, UserFactory

pytestmark = pytest.mark.django_db


def make_lists(count):
    for _ in range(count):
        todo_list = TodoListFactory()
        TodoFactory(list=todo_list, completed=True, labels=[LabelFactory(owner=todo_list.owner)])
        TodoFactory(list=todo_list, priority="high")


@pytest.mark.parametrize("model", ["todolist", "todo"])
def test_changelist_query_count_does_not_grow_with_rows(admin_client, model):
    url = reverse(f"admin:todos_{model}_changelist")
    counts = []
    for rows in (1, 50):
        make_lists(rows)
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(url)
        assert response.status_code == HTTPStatus.OK
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_list_changelist_shows_open_and_total_counts(admin_client):
    todo_list = TodoListFactory(name="Groceries")
    TodoFactory(list=todo_list, completed=True)
    TodoFactory(list=todo_list)
    TodoFactory(list=todo_list)
    response = admin_client.get(reverse("admin:todos_todolist_changelist"))
    row = next(r for r in response.context["cl"].result_list if r.pk == todo_list.pk)
    assert (row.open_count, row.total_count) == (2, 3)


@pytest.mark.parametrize(("state", "expected"), [("complete", ["done"]), ("open", ["busy"]), ("empty", ["empty"])])
def test_list_changelist_filters_by_computed_state(admin_client, state, expected):
    TodoFactory(list__name="done", completed=True)
    TodoFactory(list__name="busy")
    TodoListFactory(name="empty")
    response = admin_client.get(reverse("admin:todos_todolist_changelist"), {"state": state})
    assert [r.name for r in response.context["cl"].result_list] == expected


def test_list_changelist_search_by_name_and_owner(admin_client):
    TodoListFactory(name="Groceries", owner__username="bob")
    TodoListFactory(name="Work", owner__username="carol")
    url = reverse("admin:todos_todolist_changelist")
    assert [r.name for r in admin_client.get(url, {"q": "groc"}).context["cl"].result_list] == ["Groceries"]
    assert [r.name for r in admin_client.get(url, {"q": "carol"}).context["cl"].result_list] == ["Work"]


def test_todo_changelist_filters_by_completed_and_owner(admin_client):
    done = TodoFactory(completed=True, list__owner__username="bob")
    TodoFactory(completed=False, list__owner__username="bob")
    TodoFactory(completed=True, list__owner__username="carol")
    url = reverse("admin:todos_todo_changelist")
    response = admin_client.get(url, {"completed__exact": "1", "list__owner__id__exact": done.list.owner_id})
    assert list(response.context["cl"].result_list) == [done]


def test_complete_todos_action_completes_the_selected_lists_only(admin_client):
    chosen, untouched = TodoListFactory(), TodoListFactory()
    TodoFactory.create_batch(2, list=chosen)
    TodoFactory(list=untouched)
    response = admin_client.post(
        reverse("admin:todos_todolist_changelist"),
        {"action": "complete_todos", "_selected_action": [chosen.pk]},
        follow=True,
    )
    assert response.status_code == HTTPStatus.OK
    assert not chosen.todos.filter(completed=False).exists()
    assert not untouched.todos.filter(completed=True).exists()


def test_list_change_page_shows_its_todos_inline_with_their_labels(admin_client):
    todo_list = TodoListFactory()
    home = LabelFactory(owner=todo_list.owner, name="home")
    TodoFactory(
        list=todo_list, description="Inline me", labels=[home, LabelFactory(owner=todo_list.owner, name="work")]
    )
    response = admin_client.get(reverse("admin:todos_todolist_change", args=[todo_list.pk]))
    assert response.status_code == HTTPStatus.OK
    assert "Inline me" in response.content.decode()
    assert re.search(r'<td class="field-label_names">\s*<p>home, work</p>\s*</td>', response.content.decode())


def test_list_change_page_labels_each_todo_input_and_captions_rows_with_the_change_link_alone(admin_client):
    todo_list = TodoListFactory()
    first = TodoFactory(list=todo_list, description="Buy milk")
    TodoFactory(list=todo_list, description="Bake bread")
    content = admin_client.get(reverse("admin:todos_todolist_change", args=[todo_list.pk])).content.decode()
    for row in (0, 1):
        for field, label in [("description", "Description"), ("completed", "Completed"), ("priority", "Priority")]:
            assert (
                f'<label for="id_todos-{row}-{field}" class="inline-label">{label} of item {row + 1}</label>' in content
            )
    change_url = reverse("admin:todos_todo_change", args=[first.pk])
    assert (
        f'<p><a href="{change_url}" class="inlinechangelink">Change<span class="inline-label"> item 1</span></a></p>'
        in content
    )
    assert "<p>Buy milk" not in content  # the todo's text is in its input, not again in a caption


@pytest.mark.parametrize("size", [1, 20])
def test_list_change_page_reads_its_todos_labels_in_one_query(admin_client, size, django_assert_max_num_queries):
    todo_list = TodoListFactory()
    label = LabelFactory(owner=todo_list.owner)
    for _ in range(size):
        TodoFactory(list=todo_list, labels=[label])
    admin_client.get(reverse("admin:todos_todolist_change", args=[todo_list.pk]))  # sessions and the like, warm
    with django_assert_max_num_queries(12):
        admin_client.get(reverse("admin:todos_todolist_change", args=[todo_list.pk]))


@pytest.mark.parametrize("model", ["todolist", "todo"])
def test_add_pages_render(admin_client, model):
    assert admin_client.get(reverse(f"admin:todos_{model}_add")).status_code == HTTPStatus.OK


def positions(todo_list):
    return list(todo_list.todos.values_list("description", "position"))


def test_adding_a_todo_in_the_admin_appends_it(admin_client):
    todo_list = TodoListFactory()
    TodoFactory(list=todo_list, description="first")
    response = admin_client.post(
        reverse("admin:todos_todo_add"),
        {"list": todo_list.pk, "description": "second", "completed": "", "priority": "none"},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert positions(todo_list) == [("first", 0), ("second", 1)]


def test_moving_a_todo_in_the_admin_keeps_both_lists_dense(admin_client):
    source = TodoListFactory()
    target = TodoListFactory(owner=source.owner)
    moved = TodoFactory(list=source, description="a")
    TodoFactory(list=source, description="b")
    TodoFactory(list=target, description="x")
    response = admin_client.post(
        reverse("admin:todos_todo_change", args=[moved.pk]),
        {"list": target.pk, "description": "a2", "priority": "none"},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert positions(source) == [("b", 0)]
    assert positions(target) == [("x", 0), ("a2", 1)]


def test_moving_a_todo_to_another_owners_list_in_the_admin_is_a_form_error(admin_client):
    moved = TodoFactory(description="a")
    foreign = TodoListFactory()
    response = admin_client.post(
        reverse("admin:todos_todo_change", args=[moved.pk]),
        {"list": foreign.pk, "description": "a", "priority": "none"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "same owner" in str(response.context["adminform"].form.errors["list"])
    moved.refresh_from_db()
    assert moved.list != foreign


def test_deleting_todos_in_the_admin_closes_the_gaps(admin_client):
    todo_list = TodoListFactory()
    a, b, _ = (TodoFactory(list=todo_list, description=d) for d in "abc")
    admin_client.post(
        reverse("admin:todos_todo_changelist"),
        {"action": "delete_selected", "_selected_action": [a.pk, b.pk], "post": "yes"},
    )
    assert positions(todo_list) == [("c", 0)]


def test_inline_todos_added_and_deleted_in_the_list_admin_stay_dense(admin_client):
    todo_list = TodoListFactory(name="L")
    a = TodoFactory(list=todo_list, description="a")
    TodoFactory(list=todo_list, description="b")
    b = todo_list.todos.get(description="b")
    data = {
        "owner": todo_list.owner.pk,
        "name": "L",
        "todos-TOTAL_FORMS": "3",
        "todos-INITIAL_FORMS": "2",
        "todos-MIN_NUM_FORMS": "0",
        "todos-MAX_NUM_FORMS": "1000",
        "todos-0-id": a.pk,
        "todos-0-list": todo_list.pk,
        "todos-0-description": "a",
        "todos-0-priority": "none",
        "todos-0-DELETE": "on",
        "todos-1-id": b.pk,
        "todos-1-list": todo_list.pk,
        "todos-1-description": "b",
        "todos-1-priority": "none",
        "todos-2-list": todo_list.pk,
        "todos-2-description": "new",
        "todos-2-priority": "none",
    }
    response = admin_client.post(reverse("admin:todos_todolist_change", args=[todo_list.pk]), data)
    assert response.status_code == HTTPStatus.FOUND, response.context["errors"] if response.context else ""
    assert positions(todo_list) == [("b", 0), ("new", 1)]


def test_giving_a_shared_list_to_another_owner_in_the_admin_revokes_its_share_link(admin_client, api_client):
    todo_list = TodoListFactory(name="Shared")
    TodoFactory(list=todo_list)
    secret = services.todo_list_share(todo_list=todo_list)
    new_owner = UserFactory(username="heir")
    old_url = reverse("api:todobackend-root", kwargs={"secret": secret})
    assert api_client.get(old_url).status_code == HTTPStatus.OK

    response = admin_client.post(
        reverse("admin:todos_todolist_change", args=[todo_list.pk]),
        {
            "owner": new_owner.pk,
            "name": "Shared",
            "share_token": secret,
            "todos-TOTAL_FORMS": "0",
            "todos-INITIAL_FORMS": "0",
            "todos-MIN_NUM_FORMS": "0",
            "todos-MAX_NUM_FORMS": "1000",
        },
    )

    assert response.status_code == HTTPStatus.FOUND, response.context["errors"] if response.context else ""
    todo_list.refresh_from_db()
    assert todo_list.owner == new_owner
    assert todo_list.share_token is None
    assert api_client.get(old_url).status_code == HTTPStatus.NOT_FOUND


def test_admin_pages_carry_the_sites_title_and_header(admin_client):
    response = admin_client.get(reverse("admin:index"))

    content = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "todoproject administration" in content
    assert "<title>Lists, todos, products and orders | todoproject admin</title>" in content


def test_list_changelist_truncates_long_names_with_the_full_name_as_title(admin_client):
    name = "A very long list name that goes on and on about groceries and errands"
    TodoListFactory(name=name)

    content = admin_client.get(reverse("admin:todos_todolist_changelist")).content.decode()

    assert f'<span title="{name}">A very long list name that goes on and …</span>' in content


def test_list_changelist_says_which_lists_are_shared(admin_client):
    services.todo_list_share(todo_list=TodoListFactory(name="Shared"))
    TodoListFactory(name="Private")

    content = admin_client.get(reverse("admin:todos_todolist_changelist")).content.decode()

    assert content.count('<img src="/static/admin/img/icon-yes.svg" alt="True">') == 1
    assert content.count('<img src="/static/admin/img/icon-no.svg" alt="False">') == 1


def change_list_form(todo_list, **fields):
    return {
        "owner": todo_list.owner.pk,
        "name": todo_list.name,
        "todos-TOTAL_FORMS": "0",
        "todos-INITIAL_FORMS": "0",
        "todos-MIN_NUM_FORMS": "0",
        "todos-MAX_NUM_FORMS": "1000",
        **fields,
    }


def test_share_token_is_shown_read_only_and_cannot_be_set_in_the_form(admin_client):
    todo_list = TodoListFactory(name="Shared")
    secret = services.todo_list_share(todo_list=todo_list)
    url = reverse("admin:todos_todolist_change", args=[todo_list.pk])

    content = admin_client.get(url).content.decode()
    response = admin_client.post(url, change_list_form(todo_list, name="Renamed", share_token="chosen-by-hand"))

    assert f'<div class="readonly">{secret}</div>' in content
    assert 'name="share_token"' not in content
    assert response.status_code == HTTPStatus.FOUND
    todo_list.refresh_from_db()
    assert (todo_list.name, todo_list.share_token) == ("Renamed", secret)


def run_action(admin_client, action, *todo_lists):
    return admin_client.post(
        reverse("admin:todos_todolist_changelist"),
        {"action": action, "_selected_action": [todo_list.pk for todo_list in todo_lists]},
        follow=True,
    )


def test_regenerate_share_link_action_replaces_the_secret(admin_client, api_client):
    shared = TodoListFactory()
    old_secret = services.todo_list_share(todo_list=shared)
    private = TodoListFactory()
    version = shared.version

    response = run_action(admin_client, "regenerate_share_link", shared, private)

    assert response.status_code == HTTPStatus.OK
    assert "New share link for 2 list(s)" in response.content.decode()
    shared.refresh_from_db()
    private.refresh_from_db()
    assert shared.share_token not in (None, old_secret)
    assert private.share_token is not None
    assert shared.version > version  # through the service, which raises the list's version
    old_url = reverse("api:todobackend-root", kwargs={"secret": old_secret})
    new_url = reverse("api:todobackend-root", kwargs={"secret": shared.share_token})
    assert api_client.get(old_url).status_code == HTTPStatus.NOT_FOUND
    assert api_client.get(new_url).status_code == HTTPStatus.OK


def test_revoke_share_link_action_unshares_the_lists(admin_client, api_client):
    shared = TodoListFactory()
    secret = services.todo_list_share(todo_list=shared)
    private = TodoListFactory()
    private_version = private.version

    response = run_action(admin_client, "revoke_share_link", shared, private)

    assert response.status_code == HTTPStatus.OK
    assert "Share link revoked for 1 list(s)." in response.content.decode()
    shared.refresh_from_db()
    private.refresh_from_db()
    assert (shared.share_token, private.share_token) == (None, None)
    assert private.version == private_version  # nothing to revoke: left alone
    assert api_client.get(reverse("api:todobackend-root", kwargs={"secret": secret})).status_code == (
        HTTPStatus.NOT_FOUND
    )


def test_share_link_actions_need_the_change_permission(client):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_todolist"))
    client.force_login(viewer)
    todo_list = TodoListFactory()
    secret = services.todo_list_share(todo_list=todo_list)

    page = client.get(reverse("admin:todos_todolist_changelist")).content.decode()
    client.post(
        reverse("admin:todos_todolist_changelist"),
        {"action": "revoke_share_link", "_selected_action": [todo_list.pk]},
    )

    assert "revoke_share_link" not in page
    todo_list.refresh_from_db()
    assert todo_list.share_token == secret


# Due dates, priority, notes, labels


def todo_form(todo, **changes):
    return {
        "list": todo.list_id,
        "description": todo.description,
        "priority": todo.priority,
        "labels": list(todo.labels.values_list("pk", flat=True)),
        **changes,
    }


def test_the_todo_changelist_filters_by_due_date_priority_and_label(admin_client):
    label = LabelFactory()
    TodoFactory(list__owner=label.owner, description="labelled", labels=[label])
    TodoFactory(description="high", priority="high")
    TodoFactory(description="due", due_date=datetime.date.today())
    url = reverse("admin:todos_todo_changelist")

    def shown(**query):
        response = admin_client.get(url, query)
        assert response.status_code == HTTPStatus.OK
        return [todo.description for todo in response.context["cl"].result_list]

    assert shown(priority__exact="high") == ["high"]
    assert shown(labels__id__exact=label.pk) == ["labelled"]
    assert shown(due_date__isnull="False") == ["due"]
    assert "column-due_date" in admin_client.get(url).text


def test_the_todo_form_saves_every_field_through_the_services(admin_client):
    todo = TodoFactory()
    label = LabelFactory(owner=todo.list.owner)
    data = todo_form(
        todo,
        due_date="2026-03-10",
        due_time="09:00",
        priority="medium",
        notes="n",
        labels=[label.pk],
        completed="on",
    )

    response = admin_client.post(reverse("admin:todos_todo_change", args=[todo.pk]), data)

    assert response.status_code == HTTPStatus.FOUND
    todo = Todo.objects.get(pk=todo.pk)
    assert (str(todo.due_date), str(todo.due_time), todo.priority, todo.notes) == (
        "2026-03-10",
        "09:00:00",
        "medium",
        "n",
    )
    assert list(todo.labels.all()) == [label]
    assert todo.completed_at is not None


def test_the_todo_form_offers_the_owners_labels_only_and_refuses_others(admin_client):
    todo = TodoFactory()
    mine, theirs = LabelFactory(owner=todo.list.owner), LabelFactory()
    url = reverse("admin:todos_todo_change", args=[todo.pk])
    assert list(admin_client.get(url).context["adminform"].form.fields["labels"].queryset) == [mine]

    response = admin_client.post(url, todo_form(todo, labels=[theirs.pk]))

    assert response.status_code == HTTPStatus.OK
    assert "labels" in response.context["adminform"].form.errors
    assert not todo.labels.exists()


def test_adding_a_todo_with_another_owners_label_is_a_form_error(admin_client):
    todo_list = TodoListFactory()
    response = admin_client.post(
        reverse("admin:todos_todo_add"),
        {"list": todo_list.pk, "description": "x", "priority": "none", "labels": [LabelFactory().pk]},
    )
    assert response.status_code == HTTPStatus.OK
    assert "labels" in response.context["adminform"].form.errors
    assert not Todo.objects.exists()


def test_a_due_time_without_a_date_is_a_form_error_in_the_admin(admin_client):
    todo = TodoFactory()
    response = admin_client.post(reverse("admin:todos_todo_change", args=[todo.pk]), todo_form(todo, due_time="09:00"))
    assert response.status_code == HTTPStatus.OK
    assert "A due time needs a due date." in str(response.context["adminform"].form.errors)


def test_reopening_in_the_changelist_clears_completed_at(admin_client):
    todo = TodoFactory(completed=True)
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": todo.pk,
        "form-0-completed": "",
        "_save": "Save",
    }
    admin_client.post(reverse("admin:todos_todo_changelist") + f"?id__exact={todo.pk}", data)
    assert Todo.objects.get(pk=todo.pk).completed_at is None


def test_the_label_admin_searches_filters_and_refuses_a_name_taken_in_another_case(admin_client):
    work = LabelFactory(name="Work")
    LabelFactory(name="Home")
    url = reverse("admin:todos_label_changelist")
    assert list(admin_client.get(url, {"q": "wor"}).context["cl"].result_list) == [work]
    assert list(admin_client.get(url, {"owner__id__exact": work.owner_id}).context["cl"].result_list) == [work]

    response = admin_client.post(
        reverse("admin:todos_label_add"), {"owner": work.owner_id, "name": "WORK", "colour": "red"}
    )

    assert response.status_code == HTTPStatus.OK
    assert "You already have a label with this name." in str(response.context["adminform"].form.errors)
    assert Label.objects.count() == 2


def test_the_label_admin_creates_and_renames_through_the_services(admin_client):
    user = UserFactory()
    response = admin_client.post(
        reverse("admin:todos_label_add"), {"owner": user.pk, "name": " Home ", "colour": "red"}
    )
    assert response.status_code == HTTPStatus.FOUND
    label = Label.objects.get()
    assert label.name == "Home"
    response = admin_client.post(
        reverse("admin:todos_label_change", args=[label.pk]), {"name": "House", "colour": "blue"}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Label.objects.values_list("name", "colour", "owner").get() == ("House", "blue", user.pk)


def test_todo_changelist_shows_the_columns_an_operator_needs_long_text_cut(admin_client):
    """Description, list, owner, state, due date, priority, last change: long ones cut, whole in the title."""
    owner = UserFactory(username="o" * 30)
    todo = TodoFactory(list=TodoListFactory(owner=owner, name="L" * 50), description="d" * 200)

    response = admin_client.get(reverse("admin:todos_todo_changelist"))

    content = response.content.decode()
    table = content[content.index('<table id="result_list">') :]
    headers = [re.sub(r"<[^>]+>|\s+", " ", h).strip() for h in re.findall(r'<th scope="col".*?</th>', table, re.S)]
    assert headers[1:] == ["Description", "List", "Owner", "Completed", "Due date", "Priority", "Updated"]
    assert f'<span title="{todo.description}">{"d" * 59}…</span>' in content
    assert f'<span title="{"L" * 50}">{"L" * 29}…</span>' in content
    assert f'<span title="{"o" * 30}">{"o" * 19}…</span>' in content


def test_todo_changelist_completed_boxes_are_named_after_their_todo(admin_client):
    TodoFactory(description="Water the plants")

    content = admin_client.get(reverse("admin:todos_todo_changelist")).content.decode()

    box = re.search(r'<input type="checkbox" name="form-0-completed"[^>]*>', content).group(0)
    assert 'aria-label="Completed: Water the plants"' in box
