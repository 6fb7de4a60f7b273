"""Dates and times as people read them (core.humanize), and the template filters that use the active zone."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template import Context, Template
from django.utils import timezone

from core import humanize

TODAY = date(2026, 12, 5)  # a Saturday
NOW = datetime(2026, 12, 5, 14, 30, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 12, 5), "Today"),
        (date(2026, 12, 6), "Tomorrow"),
        (date(2026, 12, 4), "Yesterday"),
        (date(2026, 12, 7), "Mon"),
        (date(2026, 12, 11), "Fri"),  # 6 days ahead: the weekday alone
        (date(2026, 12, 12), "Sat 12 Dec"),  # 7 days ahead: "Sat" would be ambiguous
        (date(2026, 12, 3), "Thu 3 Dec"),  # 2 days ago
        (date(2026, 1, 1), "Thu 1 Jan"),
        (date(2026, 12, 31), "Thu 31 Dec"),
        (date(2027, 1, 1), "Fri 1 Jan 2027"),  # 27 days ahead, next year
        (date(2027, 12, 5), "Sun 5 Dec 2027"),
        (date(2025, 12, 5), "Fri 5 Dec 2025"),
    ],
)
def test_human_date(value, expected):
    assert humanize.human_date(value, today=TODAY) == expected


def test_human_date_names_the_weekday_across_a_new_year():
    assert humanize.human_date(date(2027, 1, 2), today=date(2026, 12, 30)) == "Sat"


@pytest.mark.parametrize(
    ("due_date", "due_time", "expected"),
    [
        (date(2026, 12, 5), None, "Today"),  # a date without a time is due all day
        (date(2026, 12, 5), time(17, 0), "Today 17:00"),
        (date(2026, 12, 5), time(14, 31), "Today 14:31"),
        (date(2026, 12, 5), time(14, 29), "Overdue"),  # today, the time already past
        (date(2026, 12, 5), time(0, 0), "Overdue"),
        (date(2026, 12, 6), time(9, 0), "Tomorrow 09:00"),
        (date(2026, 12, 6), None, "Tomorrow"),
        (date(2026, 12, 11), time(8, 5), "Fri 08:05"),
        (date(2026, 12, 24), None, "Thu 24 Dec"),
        (date(2027, 3, 1), time(23, 59), "Mon 1 Mar 2027 23:59"),
        (date(2026, 12, 4), None, "Overdue 1 day"),
        (date(2026, 12, 4), time(23, 59), "Overdue 1 day"),
        (date(2026, 12, 3), None, "Overdue 2 days"),
        (date(2025, 12, 5), None, "Overdue 365 days"),
    ],
)
def test_human_due(due_date, due_time, expected):
    assert humanize.human_due(due_date, due_time, now=NOW) == expected


@pytest.mark.parametrize(
    ("due_date", "due_time", "expected"),
    [
        (date(2026, 12, 4), None, True),
        (date(2026, 12, 5), None, False),
        (date(2026, 12, 5), time(14, 29), True),
        (date(2026, 12, 5), time(14, 30), False),  # due this very minute: not yet past
        (date(2026, 12, 6), time(0, 0), False),
    ],
)
def test_is_overdue(due_date, due_time, expected):
    assert humanize.is_overdue(due_date, due_time, now=NOW) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2026, 12, 5, 14, 19, tzinfo=ZoneInfo("Europe/Paris")), "Today 14:19"),
        (datetime(2026, 12, 4, 9, 2, tzinfo=ZoneInfo("Europe/Paris")), "Yesterday 09:02"),
        (datetime(2026, 12, 6, 8, 0, tzinfo=ZoneInfo("Europe/Paris")), "Tomorrow 08:00"),
        (datetime(2026, 12, 3, 14, 19, tzinfo=ZoneInfo("Europe/Paris")), "3 Dec 2026 14:19"),
        (datetime(2025, 12, 5, 14, 19, tzinfo=ZoneInfo("Europe/Paris")), "5 Dec 2025 14:19"),
        # Shown in now's zone: 23:30 UTC on the 4th is 00:30 on the 5th in Paris.
        (datetime(2026, 12, 4, 23, 30, tzinfo=UTC), "Today 00:30"),
        (datetime(2026, 12, 4, 22, 59, tzinfo=UTC), "Yesterday 23:59"),
    ],
)
def test_human_datetime(value, expected):
    assert humanize.human_datetime(value, now=NOW) == expected


def render(source: str, **context) -> str:
    return Template("{% load human_dates %}" + source).render(Context(context))


@time_machine.travel(datetime(2026, 12, 5, 23, 30, tzinfo=UTC), tick=False)
def test_the_filters_read_the_clock_in_the_active_time_zone():
    """23:30 UTC on Saturday 5 December is already Sunday 10:30 in Auckland."""
    moment = datetime(2026, 12, 5, 23, 0, tzinfo=UTC)
    template = (
        "{{ moment|human_datetime }} | {{ moment|human_date }} | {{ day|human_due:at }} | {{ day|is_overdue:at }}"
    )
    context = {"moment": moment, "day": date(2026, 12, 6), "at": time(10, 0)}

    assert render(template, **context) == "Today 23:00 | Today | Tomorrow 10:00 | False"
    with timezone.override("Pacific/Auckland"):
        assert render(template, **context) == "Today 12:00 | Today | Overdue | True"


def test_the_filters_show_nothing_for_no_value():
    assert render("[{{ none|human_datetime }}{{ none|human_date }}{{ none|human_due }}{{ none|is_overdue }}]") == (
        "[False]"
    )


def test_something_done_is_never_overdue_and_reads_its_date():
    now = datetime(2026, 12, 5, 10, 0)

    assert not humanize.is_overdue(date(2026, 12, 1), now=now, done=True)
    assert humanize.human_due(date(2026, 12, 4), time(9, 0), now=now, done=True) == "Yesterday 09:00"
    assert humanize.human_due(date(2026, 12, 4), time(9, 0), now=now) == "Overdue 1 day"
