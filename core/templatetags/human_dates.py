"""`{% load human_dates %}`: dates and times in the active time zone (the person's, accounts.middleware), as
people read them (core.humanize).

    {{ order.created_at|human_datetime }}           Today 14:19 · Yesterday 09:02 · 5 Dec 2026 14:19
    {{ todo.due_date|human_date }}                  Today · Tomorrow · Fri · Fri 5 Dec · Fri 5 Dec 2027
    {{ todo.due_date|human_due:todo.due_time }}     Tomorrow 09:00 · Overdue 2 days · Overdue
    {% if todo.due_date|is_overdue:todo.due_time %}
    {{ todo|todo_due }} · {% if todo|todo_overdue %}   a todo's own: its due date and time, "Overdue" only while open

An empty value (None, "") gives "" (is_overdue: False).
"""

from datetime import date, datetime, time

from django import template
from django.utils import timezone

from core import humanize

register = template.Library()


def _local(value: datetime) -> datetime:
    """`value` in the active time zone; a naive one is taken to be in it already."""
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter
def human_date(value: date | datetime | None) -> str:
    if not value:
        return ""
    if isinstance(value, datetime):
        value = _local(value).date()
    return humanize.human_date(value, today=timezone.localdate())


@register.filter
def human_datetime(value: datetime | None) -> str:
    if not value:
        return ""
    return humanize.human_datetime(_local(value), now=timezone.localtime())


@register.filter
def human_due(value: date | None, due_time: time | None = None) -> str:
    if not value:
        return ""
    return humanize.human_due(value, due_time or None, now=timezone.localtime())


@register.filter
def is_overdue(value: date | None, due_time: time | None = None) -> bool:
    if not value:
        return False
    return humanize.is_overdue(value, due_time or None, now=timezone.localtime())


@register.filter
def todo_due(todo) -> str:
    """A todo's due date and time as people read them; a completed one is never "Overdue"."""
    if not todo.due_date:
        return ""
    return humanize.human_due(todo.due_date, todo.due_time, now=timezone.localtime(), done=todo.completed)


@register.filter
def todo_overdue(todo) -> bool:
    """Whether a todo is open and its due date (and time, if any) has passed."""
    if not todo.due_date:
        return False
    return humanize.is_overdue(todo.due_date, todo.due_time, now=timezone.localtime(), done=todo.completed)
