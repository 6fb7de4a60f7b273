"""Dates and times as people read them: "Today 17:00", "Fri", "Fri 5 Dec", "Overdue 2 days", "Yesterday 09:02".

Pure functions: the caller passes `today` or `now` (in the person's time zone), so every answer can be
tested against a fixed clock. English names and 24-hour times, whatever the locale. The template filters
that call these with the active time zone's clock are in core/templatetags/human_dates.py.
"""

from datetime import date, datetime, time

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Days ahead that the weekday alone names ("Fri"): within a week, a weekday can mean only one date.
WEEKDAY_ONLY_WITHIN = 6
NEAR_DAYS = {-1: "Yesterday", 0: "Today", 1: "Tomorrow"}


def clock(value: time) -> str:
    """24-hour hours and minutes: "09:02"."""
    return f"{value.hour:02d}:{value.minute:02d}"


def human_date(value: date, *, today: date) -> str:
    """ "Today", "Tomorrow", "Yesterday", "Fri" within the next 6 days, "Fri 5 Dec" this year, else "Fri 5 Dec 2027"."""
    days = (value - today).days
    if days in NEAR_DAYS:
        return NEAR_DAYS[days]
    weekday = WEEKDAYS[value.weekday()]
    if 1 < days <= WEEKDAY_ONLY_WITHIN:
        return weekday
    text = f"{weekday} {value.day} {MONTHS[value.month - 1]}"
    return text if value.year == today.year else f"{text} {value.year}"


def is_overdue(due_date: date, due_time: time | None = None, *, now: datetime, done: bool = False) -> bool:
    """Whether a due date (and time, if any) has passed at `now`: a date without a time is due all day.

    Something `done` is never overdue.
    """
    if done:
        return False
    today = now.date()
    if due_date != today:
        return due_date < today
    return due_time is not None and due_time < now.time()


def human_due(due_date: date, due_time: time | None = None, *, now: datetime, done: bool = False) -> str:
    """A due date as a person reads it at `now`: "Tomorrow 09:00", "Fri", "Overdue 2 days", "Overdue".

    Something `done` reads its date ("Yesterday 09:00"), never "Overdue".
    """
    if is_overdue(due_date, due_time, now=now, done=done):
        days = (now.date() - due_date).days
        return "Overdue" if days == 0 else f"Overdue {days} day{'' if days == 1 else 's'}"
    text = human_date(due_date, today=now.date())
    return text if due_time is None else f"{text} {clock(due_time)}"


def human_datetime(value: datetime, *, now: datetime) -> str:
    """A moment, in `now`'s time zone: "Today 14:19", "Yesterday 09:02", "Tomorrow 08:00", else "5 Dec 2026 14:19"."""
    if value.tzinfo is not None and now.tzinfo is not None:
        value = value.astimezone(now.tzinfo)
    days = (value.date() - now.date()).days
    day = NEAR_DAYS.get(days) or f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    return f"{day} {clock(value.time())}"
