"""The smart views (Today, Upcoming, Overdue, Completed, a label's page), their side column and their API filter."""

import datetime
import re
from html import unescape
from http import HTTPStatus

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import api_token_create, profile_for, profile_update
from todos import services
from todos.models import Todo
from todos.tests.factories import LabelFactory, TodoFactory, TodoListFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock_at_an_hours_start")]  # cached pages: a fresh minute

# Saturday 5 December 2026, 12:00 UTC: 13:00 in Paris, Sunday 01:00 in Auckland, Saturday 04:00 in Los Angeles.
NOW = datetime.datetime(2026, 12, 5, 12, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 12, 5)


def day(offset):
    return TODAY + datetime.timedelta(days=offset)


def due(todo_list, description, due_date=None, *, due_time=None, completed=False, labels=(), priority="none"):
    return TodoFactory(
        list=todo_list,
        description=description,
        due_date=due_date,
        due_time=due_time,
        completed=completed,
        labels=list(labels),
        priority=priority,
    )


def rows(response):
    """The descriptions of the rows of a smart view page, in order."""
    found = re.findall(r'<span class="smart-description">([^<]*)</span>', response.content.decode())
    return [unescape(text) for text in found]


def headings(response):
    return re.findall(r'<h2 class="smart-day">([^<]*)</h2>', response.content.decode())


def view_counts(response):
    """{view name: count} from the side column's "Views" group."""
    html = response.content.decode()
    found = re.findall(r'data-view-count="([^"]+)"><span class="visually-hidden">Todos: </span>(\d+)', html)
    return {name: int(count) for name, count in found}


def smart_url(view):
    return reverse(f"smart_{view}")


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def client_in(client):
    """A client logged in as `user` whose profile is in `zone` (the middleware activates it per request)."""

    def _client_in(user, zone="UTC"):
        profile_update(profile=profile_for(user=user), time_zone=zone)
        client.force_login(user)
        return client

    return _client_in


# The pages


@pytest.mark.parametrize("view", ["today", "upcoming", "overdue", "completed"])
def test_smart_views_redirect_anonymous_visitors_to_login(client, view):
    response = client.get(smart_url(view))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("login"))


def test_today_shows_overdue_first_then_today_by_due_time_then_position(clock, auth_client, user, todo_list):
    other_list = TodoListFactory(owner=user, name="Errands")
    due(todo_list, "today, no time", TODAY)
    due(other_list, "today 09:00", TODAY, due_time=datetime.time(9, 0))
    due(todo_list, "two days ago", day(-2))
    due(other_list, "yesterday", day(-1))
    due(todo_list, "today 08:00", TODAY, due_time=datetime.time(8, 0))
    due(todo_list, "tomorrow", day(1))
    due(todo_list, "done today", TODAY, completed=True)
    due(todo_list, "undated")

    response = auth_client.get(smart_url("today"))

    assert response.status_code == HTTPStatus.OK
    assert rows(response) == ["two days ago", "yesterday", "today 08:00", "today 09:00", "today, no time"]
    html = response.content.decode()
    assert 'class="due overdue"' in html
    assert "Overdue 2 days" in html
    assert f'href="{reverse("list_detail", args=[other_list.pk])}">Errands</a>' in html


def test_upcoming_groups_the_next_seven_days_by_day_then_later(clock, auth_client, user, todo_list):
    due(todo_list, "in ten days", day(10))
    due(todo_list, "in a week", day(7))
    due(todo_list, "tomorrow", day(1))
    due(todo_list, "monday", day(2))
    due(todo_list, "tomorrow too", day(1))
    due(todo_list, "today", TODAY)
    due(todo_list, "done tomorrow", day(1), completed=True)

    response = auth_client.get(smart_url("upcoming"))

    assert rows(response) == ["tomorrow", "tomorrow too", "monday", "in a week", "in ten days"]
    assert headings(response) == ["Tomorrow", "Mon", "Sat 12 Dec", "Later"]


def test_overdue_shows_the_open_todos_due_before_today(clock, auth_client, todo_list):
    due(todo_list, "yesterday", day(-1))
    due(todo_list, "last week", day(-7))
    due(todo_list, "today", TODAY)
    due(todo_list, "done last week", day(-7), completed=True)

    response = auth_client.get(smart_url("overdue"))

    assert rows(response) == ["last week", "yesterday"]


def test_completed_groups_by_the_local_day_of_completion_newest_first(auth_client, user, todo_list):
    profile_update(profile=profile_for(user=user), time_zone="Pacific/Auckland")  # UTC+13 in December
    with time_machine.travel(datetime.datetime(2026, 12, 3, 10, 30, tzinfo=datetime.UTC), tick=False):
        due(todo_list, "3 Dec 23:30 in Auckland", completed=True)
    with time_machine.travel(datetime.datetime(2026, 12, 3, 11, 30, tzinfo=datetime.UTC), tick=False):
        due(todo_list, "4 Dec 00:30 in Auckland", completed=True)
    with time_machine.travel(datetime.datetime(2026, 12, 4, 12, 0, tzinfo=datetime.UTC), tick=False):
        due(todo_list, "5 Dec 01:00 in Auckland", completed=True)
    due(todo_list, "open")

    with time_machine.travel(NOW, tick=False):  # Sunday 6 December, 01:00 in Auckland
        response = auth_client.get(smart_url("completed"))

    assert rows(response) == ["5 Dec 01:00 in Auckland", "4 Dec 00:30 in Auckland", "3 Dec 23:30 in Auckland"]
    assert headings(response) == ["Yesterday", "Fri 4 Dec", "Thu 3 Dec"]
    assert "Reopen" in response.content.decode()


def test_a_label_page_shows_the_persons_open_todos_carrying_it(clock, auth_client, user, todo_list):
    home, work = LabelFactory(owner=user, name="home"), LabelFactory(owner=user, name="work")
    due(TodoListFactory(owner=user), "elsewhere", day(3), labels=[home])
    due(todo_list, "undated", labels=[home, work])
    due(todo_list, "tomorrow", day(1), labels=[home])
    due(todo_list, "work only", day(1), labels=[work])
    due(todo_list, "done", day(1), labels=[home], completed=True)

    response = auth_client.get(reverse("label_view", args=[home.pk]))

    assert response.status_code == HTTPStatus.OK
    assert rows(response) == ["tomorrow", "elsewhere", "undated"]
    assert '<h1 id="smart-heading" class="list-title">home</h1>' in response.content.decode()


def test_another_persons_label_is_404(auth_client, other_user):
    label = LabelFactory(owner=other_user)

    response = auth_client.get(reverse("label_view", args=[label.pk]))

    assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("view", ["today", "upcoming", "overdue", "completed"])
def test_another_persons_todos_are_never_shown(clock, auth_client, others_list, view):
    for offset in (-1, 0, 1):
        due(others_list, f"theirs {offset}", day(offset))
    due(others_list, "theirs done", completed=True)

    response = auth_client.get(smart_url(view))

    assert response.status_code == HTTPStatus.OK
    assert rows(response) == []
    assert "theirs" not in response.content.decode()


def test_the_side_column_counts_each_view_and_label(clock, auth_client, user, todo_list, others_list):
    home = LabelFactory(owner=user, name="home")
    LabelFactory(owner=user, name="unused")
    due(todo_list, "yesterday", day(-1), labels=[home])
    due(todo_list, "today", TODAY, labels=[home])
    due(todo_list, "tomorrow", day(1))
    due(todo_list, "next month", day(30))
    due(todo_list, "done", TODAY, completed=True, labels=[home])
    due(todo_list, "undated")
    due(others_list, "theirs", TODAY)

    for url in (smart_url("today"), reverse("list_detail", args=[todo_list.pk])):
        response = auth_client.get(url)
        assert view_counts(response) == {"Today": 2, "Upcoming": 2, "Overdue": 1, "Completed": 1}
        html = response.content.decode()
        home_item = re.search(rf'href="{reverse("label_view", args=[home.pk])}".*?</li>', html, re.S).group(0)
        assert "Open todos: </span>2" in home_item
        assert ">unused</span>" in html


def test_the_counts_follow_a_change(clock, auth_client, user, todo_list):
    todo = due(todo_list, "today", TODAY)
    assert view_counts(auth_client.get(smart_url("today")))["Today"] == 1

    services.todo_update(todo=todo, completed=True)

    assert view_counts(auth_client.get(smart_url("today"))) == {"Today": 0, "Upcoming": 0, "Overdue": 0, "Completed": 1}


def test_today_changes_at_the_persons_midnight(client_in, user, todo_list):
    due(todo_list, "due 5 Dec", TODAY)
    client = client_in(user, "America/Los_Angeles")

    with time_machine.travel(datetime.datetime(2026, 12, 6, 7, 59, tzinfo=datetime.UTC), tick=False):  # 23:59
        before = client.get(smart_url("overdue"))
    with time_machine.travel(datetime.datetime(2026, 12, 6, 8, 0, tzinfo=datetime.UTC), tick=False):  # 00:00
        after = client.get(smart_url("overdue"))

    assert (rows(before), view_counts(before)["Overdue"]) == ([], 0)
    assert (rows(after), view_counts(after)["Overdue"]) == (["due 5 Dec"], 1)


def test_one_instant_is_today_in_auckland_and_tomorrow_in_los_angeles(client_in, user, other_user):
    """At 12:00 UTC on 5 December it is 6 December in Auckland and still 5 December in Los Angeles."""
    due(TodoListFactory(owner=user), "alice's", day(1))
    due(TodoListFactory(owner=other_user), "bob's", day(1))

    with time_machine.travel(NOW, tick=False):
        alice = client_in(user, "Pacific/Auckland")
        alice_today, alice_upcoming = alice.get(smart_url("today")), alice.get(smart_url("upcoming"))
        bob = client_in(other_user, "America/Los_Angeles")
        bob_today, bob_upcoming = bob.get(smart_url("today")), bob.get(smart_url("upcoming"))

    assert rows(alice_today) == ["alice's"]
    assert rows(alice_upcoming) == []
    assert view_counts(alice_today)["Today"] == 1
    assert rows(bob_today) == []
    assert rows(bob_upcoming) == ["bob's"]
    assert headings(bob_upcoming) == ["Tomorrow"]
    assert view_counts(bob_today)["Today"] == 0


def test_the_smart_views_are_paginated(clock, auth_client, todo_list):
    Todo.objects.bulk_create(
        Todo(list=todo_list, description=f"Todo {n:03}", position=n, due_date=TODAY) for n in range(101)
    )

    first = auth_client.get(smart_url("today"))
    second = auth_client.get(smart_url("today"), {"page": 2})

    assert len(rows(first)) == 100
    assert rows(second) == ["Todo 100"]
    assert "Page 2 of 2" in second.content.decode()


# Completing and reopening from a smart view


def test_done_posts_to_todo_update_and_comes_back_to_the_view(clock, auth_client, todo_list):
    todo = due(todo_list, "today", TODAY)
    page = auth_client.get(smart_url("today")).content.decode()
    assert f'action="{reverse("todo_update", args=[todo.pk])}"' in page

    response = auth_client.post(reverse("todo_update", args=[todo.pk]), {"completed": "true", "next": "/today/"})

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == "/today/"
    todo.refresh_from_db()
    assert todo.completed


def test_htmx_done_answers_the_views_todos_and_its_counts(clock, auth_client, todo_list):
    todo = due(todo_list, "today", TODAY)
    due(todo_list, "also today", TODAY)

    response = auth_client.post(
        reverse("todo_update", args=[todo.pk]),
        {"completed": "true", "next": "/today/"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/today/",
    )

    assert response.status_code == HTTPStatus.OK
    assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#smart-main", "outerHTML")
    assert rows(response) == ["also today"]
    html = response.content.decode()
    assert '<nav id="side-views" class="side-views" aria-labelledby="views-heading" hx-swap-oob="true">' in html
    assert view_counts(response) == {"Today": 1, "Upcoming": 0, "Overdue": 0, "Completed": 1}


def empty_state(response):
    """The text of the view's empty state, white space collapsed; "" when it shows todos."""
    found = re.search(r'<div class="empty smart-empty">(.*?)</div>', response.content.decode(), re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", "", found.group(1))).split()) if found else ""


@pytest.mark.parametrize(
    ("view", "says"),
    [
        ("today", "No todos due today. Todos due today, and overdue ones, show here. Give a todo a date"),
        ("upcoming", "Nothing coming up. Open todos due after today show here, by day."),
        ("overdue", "Nothing overdue. Open todos whose due date has passed show here."),
        ("completed", "No completed todos yet. Todos you tick as done show here"),
    ],
)
def test_an_empty_smart_view_says_what_it_shows_and_what_to_do(clock, auth_client, todo_list, view, says):
    due(todo_list, "No date")  # open and without a date: in none of the views

    response = auth_client.get(smart_url(view))

    assert response.status_code == HTTPStatus.OK
    assert rows(response) == []
    assert empty_state(response).startswith(says)


def test_a_smart_view_with_todos_shows_no_empty_state(clock, auth_client, todo_list):
    due(todo_list, "Call mum", TODAY)

    assert empty_state(auth_client.get(smart_url("today"))) == ""


def test_a_label_page_with_no_open_todos_says_how_to_label_one(clock, auth_client, user, todo_list):
    paint = LabelFactory(owner=user, name="paint")
    due(todo_list, "Done already", completed=True, labels=[paint])

    response = auth_client.get(reverse("label_view", args=[paint.pk]))

    assert rows(response) == []
    assert empty_state(response).startswith("No open todos labelled “paint”. Open todos with this label show here.")
    assert "“Buy paint #paint”" in empty_state(response)


def test_htmx_done_of_the_last_todo_of_today_answers_its_empty_state(clock, auth_client, todo_list):
    todo = due(todo_list, "today", TODAY)

    response = auth_client.post(
        reverse("todo_update", args=[todo.pk]),
        {"completed": "true"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/today/",
    )

    assert rows(response) == []
    assert empty_state(response).startswith("No todos due today.")


def test_htmx_reopen_from_the_completed_view_redraws_it(auth_client, todo_list):
    todo = due(todo_list, "done", completed=True)

    response = auth_client.post(
        reverse("todo_update", args=[todo.pk]),
        {"completed": "false"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/completed/?page=1",
    )

    assert rows(response) == []
    assert view_counts(response)["Completed"] == 0
    todo.refresh_from_db()
    assert not todo.completed


def test_htmx_writes_on_the_list_page_update_the_views_counts(clock, auth_client, todo_list):
    todo = due(todo_list, "today", TODAY)
    page = reverse("list_detail", args=[todo_list.pk])

    response = auth_client.post(
        reverse("todo_update", args=[todo.pk]),
        {"completed": "true"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver{page}",
    )

    assert response["HX-Retarget"] == f"#todo-{todo.pk}"
    assert view_counts(response) == {"Today": 0, "Upcoming": 0, "Overdue": 0, "Completed": 1}


# The list page's cache key


def test_the_list_page_shows_a_renamed_label_at_once(auth_client, user, todo_list):
    label = LabelFactory(owner=user, name="home")
    url = reverse("list_detail", args=[todo_list.pk])
    assert ">home</span>" in auth_client.get(url).content.decode()

    services.label_update(label=label, name="house")

    assert ">house</span>" in auth_client.get(url).content.decode()


def test_the_list_pages_counts_change_at_midnight(auth_client, todo_list):
    due(todo_list, "due 5 Dec", TODAY)
    url = reverse("list_detail", args=[todo_list.pk])

    with time_machine.travel(datetime.datetime(2026, 12, 5, 23, 59, tzinfo=datetime.UTC), tick=False):
        before = auth_client.get(url)
    with time_machine.travel(datetime.datetime(2026, 12, 6, 0, 0, tzinfo=datetime.UTC), tick=False):
        after = auth_client.get(url)

    assert view_counts(before)["Overdue"] == 0
    assert view_counts(after)["Overdue"] == 1


# Query counts


def make_todos(user, size):
    """`size` todos in each of today, upcoming, overdue and completed, each with two labels, over `size` lists."""
    lists = TodoListFactory.create_batch(size, owner=user)
    todos = Todo.objects.bulk_create(
        Todo(
            list=lists[n % size],
            description=f"Todo {kind} {n}",
            position=n,
            due_date=day(offset),
            completed=kind == "done",
            completed_at=NOW if kind == "done" else None,
        )
        for n in range(size)
        for kind, offset in (("today", 0), ("upcoming", n % 10 + 1), ("overdue", -1), ("done", 0))
    )
    labels = LabelFactory.create_batch(2, owner=user)
    Todo.labels.through.objects.bulk_create(
        Todo.labels.through(todo_id=todo.pk, label_id=label.pk) for todo in todos for label in labels
    )
    return labels


@pytest.mark.parametrize("size", [1, 50])
@pytest.mark.parametrize("view", ["today", "upcoming", "overdue", "completed", "label"])
def test_smart_view_query_count_is_constant(clock, auth_client, user, django_assert_num_queries, size, view):
    labels = make_todos(user, size)
    url = reverse("label_view", args=[labels[0].pk]) if view == "label" else smart_url(view)
    expected = min(100, {"today": 2 * size, "label": 3 * size}.get(view, size))  # a page is 100 rows

    # user (the session is cached), lists, their counts, labels, the views' counts, the labels' counts, COUNT,
    # a page of todos with their lists, their labels
    with django_assert_num_queries(9):
        response = auth_client.get(url)
    assert len(rows(response)) == expected
    assert response.content.decode().count('class="chip chip-grey"') == 2 * expected + 2
    # the counts now come from the cache
    with django_assert_num_queries(6):
        auth_client.get(url)


@pytest.mark.parametrize("size", [1, 50])
def test_the_list_pages_side_column_costs_the_same_few_queries(auth_client, user, django_assert_num_queries, size):
    make_todos(user, size)
    todo_list = user.todo_lists.first()
    url = reverse("list_detail", args=[todo_list.pk])

    # user, lists, labels, the lists' counts, the views' counts, the labels' counts, COUNT, a page, its labels
    with django_assert_num_queries(9):
        auth_client.get(url)
    with django_assert_num_queries(3):  # user, lists, labels: the page comes from the cache
        auth_client.get(url)


# API


def api_client_in(user, zone="UTC"):
    """A client with a real token: its authentication activates the person's zone (force_authenticate would not)."""
    profile_update(profile=profile_for(user=user), time_zone=zone)
    return APIClient(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user, name='t').key}")


def descriptions(response):
    assert response.status_code == HTTPStatus.OK, response.content
    return [item["description"] for item in response.json()["results"]]


def test_the_api_view_filter_gives_each_view_in_its_order(clock, user, todo_list, others_list):
    other_list = TodoListFactory(owner=user)
    due(todo_list, "today, no time", TODAY)
    due(other_list, "yesterday", day(-1))
    due(todo_list, "today 08:00", TODAY, due_time=datetime.time(8, 0))
    due(todo_list, "in ten days", day(10))
    due(other_list, "tomorrow", day(1))
    with time_machine.travel(NOW - datetime.timedelta(hours=1), tick=False):
        due(todo_list, "done first", completed=True)
    due(todo_list, "done last", completed=True)
    due(todo_list, "undated")
    due(others_list, "theirs", TODAY)
    client = api_client_in(user)
    url = reverse("api:todo-list")

    assert descriptions(client.get(url, {"view": "today"})) == ["yesterday", "today 08:00", "today, no time"]
    assert descriptions(client.get(url, {"view": "upcoming"})) == ["tomorrow", "in ten days"]
    assert descriptions(client.get(url, {"view": "overdue"})) == ["yesterday"]
    assert descriptions(client.get(url, {"view": "completed"})) == ["done last", "done first"]
    assert descriptions(client.get(url, {"view": "today", "ordering": "-description"})) == [
        "yesterday",
        "today, no time",
        "today 08:00",
    ]


@pytest.mark.parametrize("value", ["", "tomorrow", "Today"])
def test_the_api_view_filter_refuses_other_values(auth_api_client, value):
    response = auth_api_client.get(reverse("api:todo-list"), {"view": value})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "view" in response.json()


def test_the_api_view_filter_is_today_in_each_persons_zone(user, other_user):
    due(TodoListFactory(owner=user), "alice's", day(1))
    due(TodoListFactory(owner=other_user), "bob's", day(1))
    url = reverse("api:todo-list")
    alice, bob = api_client_in(user, "Pacific/Auckland"), api_client_in(other_user, "America/Los_Angeles")

    with time_machine.travel(NOW, tick=False):
        assert descriptions(alice.get(url, {"view": "today"})) == ["alice's"]
        assert descriptions(bob.get(url, {"view": "today"})) == []
        assert descriptions(bob.get(url, {"view": "upcoming"})) == ["bob's"]


def test_the_api_view_answer_is_not_reused_after_midnight(user, todo_list):
    """The cached page of `?view=today` is keyed by the date: the next day it is asked afresh."""
    due(todo_list, "due 6 Dec", day(1))
    client = api_client_in(user, "America/Los_Angeles")
    url = reverse("api:todo-list")

    with time_machine.travel(datetime.datetime(2026, 12, 6, 7, 59, tzinfo=datetime.UTC), tick=False):  # 5 Dec 23:59
        assert descriptions(client.get(url, {"view": "today"})) == []
    with time_machine.travel(datetime.datetime(2026, 12, 6, 8, 0, tzinfo=datetime.UTC), tick=False):  # 6 Dec 00:00
        assert descriptions(client.get(url, {"view": "today"})) == ["due 6 Dec"]


def test_the_api_gives_a_labels_todos_through_the_label_filter(clock, user, todo_list):
    home = LabelFactory(owner=user)
    due(todo_list, "home, today", TODAY, labels=[home])
    due(todo_list, "home, tomorrow", day(1), labels=[home])
    due(todo_list, "plain, today", TODAY)
    client = api_client_in(user)

    answer = client.get(reverse("api:todo-list"), {"label": home.pk, "view": "today"})

    assert descriptions(answer) == ["home, today"]


@pytest.mark.parametrize("size", [1, 50])
def test_the_api_view_filter_query_count_is_constant(clock, user, django_assert_num_queries, size):
    make_todos(user, size)
    client = api_client_in(user)

    # the token with its user, its first use noted, the zone, the lists' versions, COUNT, a page, its labels
    with django_assert_num_queries(7):
        response = client.get(reverse("api:todo-list"), {"view": "upcoming"})
    assert response.json()["count"] == size


def test_the_schema_lists_the_views(api_client):
    schema = api_client.get(reverse("api:schema"), {"format": "json"}).json()
    parameters = schema["paths"]["/api/todos/"]["get"]["parameters"]

    view = next(parameter for parameter in parameters if parameter["name"] == "view")
    assert sorted(view["schema"]["enum"]) == ["completed", "overdue", "today", "upcoming"]


def test_a_completed_todo_reads_its_due_date_never_overdue(auth_client, todo_list):
    """Regression: done todos said "Overdue 4 days" in red on Completed and on their list."""
    with time_machine.travel(NOW, tick=False):
        due(todo_list, "filed late", day(-4), completed=True)
        due(todo_list, "still open", day(-4))
        completed = auth_client.get(smart_url("completed")).content.decode()
        list_page = auth_client.get(reverse("list_detail", args=[todo_list.pk])).content.decode()

    assert "filed late" in completed
    assert "Overdue 4 days" not in completed
    assert 'class="due overdue"' not in completed
    assert list_page.count("Overdue 4 days") == 1  # the open one only
    assert list_page.count('class="due overdue"') == 1
