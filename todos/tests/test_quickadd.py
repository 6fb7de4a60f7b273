import dataclasses
import subprocess
import sys
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from todos.quickadd import QuickAdd, parse_quick_add

ROOT = Path(__file__).resolve().parents[2]
# A Saturday morning in Paris.
NOW = datetime(2026, 12, 5, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
# New Year's Eve, late in New York (already 1 January in UTC): dates are the person's own.
NEW_YEARS_EVE = datetime(2026, 12, 31, 23, 30, tzinfo=ZoneInfo("America/New_York"))


def d(month, day, year=2026):
    return date(year, month, day)


@pytest.mark.parametrize(
    ("text", "description", "due_date", "due_time"),
    [
        ("Pay rent tomorrow 9am", "Pay rent", d(12, 6), time(9)),
        ("Pay rent today", "Pay rent", d(12, 5), None),
        ("Pay rent today 9am", "Pay rent", d(12, 5), time(9)),  # a date given keeps a passed time
        ("Call Ann tonight", "Call Ann", d(12, 5), None),
        ("Call Ann tomorrow at 5pm", "Call Ann", d(12, 6), time(17)),
        ("Call Ann 9am tomorrow", "Call Ann", d(12, 6), time(9)),
        ("Call Ann at 9:30pm on friday", "Call Ann", d(12, 11), time(21, 30)),
        ("Call Ann friday", "Call Ann", d(12, 11), None),
        ("Call Ann fri 17:00", "Call Ann", d(12, 11), time(17)),
        ("Call Ann Monday", "Call Ann", d(12, 7), None),
        ("Call Ann next monday", "Call Ann", d(12, 7), None),
        ("Call Ann tues", "Call Ann", d(12, 8), None),
        ("Call Ann thurs 9am", "Call Ann", d(12, 10), time(9)),
        ("Call Ann saturday", "Call Ann", d(12, 12), None),  # today is Saturday: the next one
        ("Call Ann next sat", "Call Ann", d(12, 12), None),
        ("Call Ann next sun", "Call Ann", d(12, 6), None),
        ("Call Ann next wed", "Call Ann", d(12, 9), None),
        ("Water plants in 3 days", "Water plants", d(12, 8), None),
        ("Water plants in 1 day", "Water plants", d(12, 6), None),
        ("Water plants in 2 weeks", "Water plants", d(12, 19), None),
        ("Water plants in a week", "Water plants", d(12, 12), None),
        ("Water plants in 2 months", "Water plants", d(2, 5, 2027), None),
        ("Water plants in 3 days 5pm", "Water plants", d(12, 8), time(17)),
        ("Wrap gifts dec 24", "Wrap gifts", d(12, 24), None),
        ("Wrap gifts Dec. 24", "Wrap gifts", d(12, 24), None),
        ("Wrap gifts 24 dec", "Wrap gifts", d(12, 24), None),
        ("Wrap gifts 24th of December", "Wrap gifts", d(12, 24), None),
        ("Wrap gifts 24/12", "Wrap gifts", d(12, 24), None),
        ("Wrap gifts 24/12/2027", "Wrap gifts", d(12, 24, 2027), None),
        ("Wrap gifts 24/12/27", "Wrap gifts", d(12, 24, 2027), None),
        ("Wrap gifts 2026-12-24", "Wrap gifts", d(12, 24), None),
        ("Wrap gifts Dec 24, 2027", "Wrap gifts", d(12, 24, 2027), None),
        ("Wrap gifts dec 24 9:30pm", "Wrap gifts", d(12, 24), time(21, 30)),
        ("Wrap gifts on 24 dec at 17:00", "Wrap gifts", d(12, 24), time(17)),
        ("Renew passport jan 3", "Renew passport", d(1, 3, 2027), None),  # past without a year: next year
        ("Renew passport 3/1", "Renew passport", d(1, 3, 2027), None),
        ("Renew passport dec 5", "Renew passport", d(12, 5), None),  # today is not past
        ("Renew passport 4 dec", "Renew passport", d(12, 4, 2027), None),
        ("Renew passport 4 dec 2026", "Renew passport", d(12, 4), None),  # a year given is kept
        ("Renew passport 29 feb", "Renew passport", d(2, 29, 2028), None),
        ("Standup 9am", "Standup", d(12, 6), time(9)),  # a passed time alone: tomorrow
        ("Standup 10am", "Standup", d(12, 6), time(10)),  # now is not later than now
        ("Standup 5 pm", "Standup", d(12, 5), time(17)),
        ("Standup 17:00", "Standup", d(12, 5), time(17)),
        ("Standup at 5pm", "Standup", d(12, 5), time(17)),
        ("Standup 9:30 p.m.", "Standup", d(12, 5), time(21, 30)),
        ("Standup 12pm", "Standup", d(12, 5), time(12)),
        ("Standup 12am", "Standup", d(12, 6), time(0)),
        ("Standup 0:30", "Standup", d(12, 6), time(0, 30)),
        ('Read "tomorrow" by Friday', "Read tomorrow", d(12, 11), None),
        ("Read “today” by Friday", "Read today", d(12, 11), None),
        ("tomorrow dentist friday", "tomorrow dentist", d(12, 11), None),  # the last phrase
        ("Watch Friday Night Lights", "Watch Night Lights", d(12, 11), None),  # a weekday alone counts
        ('Watch "Friday" Night Lights', "Watch Friday Night Lights", None, None),  # unless quoted
        ("Add 1/2 cup sugar", "Add cup sugar", d(2, 1, 2027), None),  # a fraction reads as a date
        ('Add "1/2" cup sugar', "Add 1/2 cup sugar", None, None),  # unless quoted
        ("tomorrow", "tomorrow", d(12, 6), None),  # nothing left: the whole text
        ("Pay rent tomorrow.", "Pay rent .", d(12, 6), None),
        ("Pay rent TOMORROW 9AM", "Pay rent", d(12, 6), time(9)),
    ],
)
def test_date_phrases(text, description, due_date, due_time):
    parsed = parse_quick_add(text, now=NOW)

    assert (parsed.description, parsed.due_date, parsed.due_time) == (description, due_date, due_time)


@pytest.mark.parametrize(
    "text",
    [
        "Buy 2 apples",
        "Read 1984",
        "Call May",
        "may be later",
        "March of the penguins",
        "Email a@b.com",
        "5 km run",
        "room 101",
        "Meet at 5",
        "Sat down with Bob",
        "Sun cream",
        "Wed in Vegas",
        "See a/24/12",
        "Visit example.com/2026-12-24",
        "Take 1.5pm",
        "Plan 31/02",
        "Plan 12/13",
        "Plan 32 dec",
        "Plan 2026-13-01",
        "Plan 2026-02-30",
        "Plan 00/12",
        "Wake 13pm",
        "Wake 0am",
        "Wake 25:00",
        "Wake 9:75",
        "Phone 0612345678",
        "Score 2412",
        "in 3 apples",
        "Pay rent tomorrows",
        "",
        "   ",
    ],
)
def test_no_date_is_read_where_there_is_none(text):
    parsed = parse_quick_add(text, now=NOW)

    assert (parsed.due_date, parsed.due_time) == (None, None)
    assert parsed.description == " ".join(text.split())


@pytest.mark.parametrize(
    ("text", "description", "priority"),
    [
        ("Pay rent !high", "Pay rent", "high"),
        ("Pay rent !medium", "Pay rent", "medium"),
        ("!low Pay rent", "Pay rent", "low"),
        ("Pay rent !1", "Pay rent", "high"),
        ("Pay rent !2", "Pay rent", "medium"),
        ("Pay rent !3", "Pay rent", "low"),
        ("Pay rent !HIGH", "Pay rent", "high"),
        ("Pay rent !high !low", "Pay rent", "low"),  # the last wins
        ("Pay rent !high !none", "Pay rent", "none"),
        ("Pay rent", "Pay rent", "none"),
        ("Pay rent wow!high", "Pay rent wow!high", "none"),
        ("Pay rent !highest", "Pay rent !highest", "none"),
        ("Pay rent !4", "Pay rent !4", "none"),
        ('Pay rent "!high"', "Pay rent !high", "none"),
    ],
)
def test_priorities(text, description, priority):
    parsed = parse_quick_add(text, now=NOW)

    assert (parsed.description, parsed.priority) == (description, priority)


@pytest.mark.parametrize(
    ("text", "description", "labels"),
    [
        ("Pay rent #home", "Pay rent", ("home",)),
        ("#home Pay rent #bills", "Pay rent", ("home", "bills")),
        ("Pay rent #home #Home #HOME", "Pay rent", ("home",)),  # once, the first spelling
        ("Pay rent #home-office #a_b", "Pay rent", ("home-office", "a_b")),
        ("Payer le loyer #maison #été", "Payer le loyer", ("maison", "été")),
        ("Pay rent #काम #家", "Pay rent", ("काम", "家")),
        ("Pay rent #home, then rest", "Pay rent , then rest", ("home",)),
        ("Fix bug #12", "Fix bug", ("12",)),
        ("Learn C# today", "Learn C#", ()),
        ("Mail a#b", "Mail a#b", ()),
        ("Mail # and #-", "Mail # and #-", ()),
        ('Mail "#home"', "Mail #home", ()),
        ("Buy #tomorrow", "Buy", ("tomorrow",)),
    ],
)
def test_labels(text, description, labels):
    parsed = parse_quick_add(text, now=NOW)

    assert (parsed.description, parsed.labels) == (description, labels)


def test_the_example_reads_every_field():
    parsed = parse_quick_add("Pay rent tomorrow 9am !high #home", now=NOW)

    assert parsed == QuickAdd(
        description="Pay rent", due_date=d(12, 6), due_time=time(9), priority="high", labels=("home",)
    )


def test_a_text_made_only_of_tokens_keeps_it_whole_as_the_description():
    parsed = parse_quick_add("  tomorrow   !high #home ", now=NOW)

    assert parsed == QuickAdd(description="tomorrow !high #home", due_date=d(12, 6), priority="high", labels=("home",))


@pytest.mark.parametrize(
    ("text", "due_date", "due_time"),
    [
        ("x today", d(12, 31), None),
        ("x tomorrow", d(1, 1, 2027), None),
        ("x 11pm", d(1, 1, 2027), time(23)),
        ("x 23:45", d(12, 31), time(23, 45)),
        ("x jan 3", d(1, 3, 2027), None),
        ("x dec 24", d(12, 24, 2027), None),
        ("x 31/12", d(12, 31), None),
        ("x friday", d(1, 1, 2027), None),
        ("x thursday", d(1, 7, 2027), None),
        ("x in 2 weeks", d(1, 14, 2027), None),
    ],
)
def test_dates_are_the_persons_own_in_another_zone(text, due_date, due_time):
    parsed = parse_quick_add(text, now=NEW_YEARS_EVE)

    assert (parsed.description, parsed.due_date, parsed.due_time) == ("x", due_date, due_time)


@pytest.mark.parametrize(
    "text",
    ["\ud800 tomorrow", "Pay\x00rent tomorrow\x00", "\x00" * 500, "#\ud800 !high\x00", '"' * 500, "tomorrow " * 55],
)
def test_odd_text_is_read_without_error(text):
    parsed = parse_quick_add(text, now=NOW)

    assert parsed.description


def test_many_phrases_that_are_no_dates_are_given_up_on():
    parsed = parse_quick_add("31/02 " * 80 + "tomorrow", now=NOW)

    assert parsed.due_date == d(12, 6)
    assert parse_quick_add("tomorrow " + "31/02 " * 80, now=NOW).due_date is None


def test_quick_add_is_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        parse_quick_add("x", now=NOW).priority = "high"


def test_parsing_touches_no_network():
    """In a fresh process (dateparser's first import and first parse included) no socket is opened."""
    script = (
        "import socket\n"
        "def refuse(*args, **kwargs): raise OSError('network used')\n"
        "socket.socket = socket.create_connection = socket.getaddrinfo = refuse\n"
        "from datetime import datetime; from zoneinfo import ZoneInfo\n"
        "from todos.quickadd import parse_quick_add\n"
        "now = datetime(2026, 12, 5, 10, tzinfo=ZoneInfo('Europe/Paris'))\n"
        "print(parse_quick_add('Pay rent tomorrow 9am !high #home', now=now).due_date)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False, cwd=ROOT
    )

    assert (result.returncode, result.stdout.strip()) == (0, "2026-12-06"), result.stderr
