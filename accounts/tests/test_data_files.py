"""The reading of imported files (accounts/data_files.py): what is read, and every refusal with its message."""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest

from accounts.data_files import MAX_FILE_BYTES, MAX_TODOS, FileRejected, error_messages, read_export, read_todoist_csv

NOW = datetime.datetime(2026, 12, 5, 10, 0, tzinfo=ZoneInfo("Pacific/Auckland"))


def export(**fields) -> bytes:
    return json.dumps({"format": "todoproject-export", "version": 1, "lists": [], **fields}).encode()


def test_read_export_returns_the_document():
    document = read_export(export(lists=[{"name": "Home", "todos": []}]))
    assert document["lists"] == [{"name": "Home", "todos": []}]


def test_read_export_takes_a_byte_order_mark():
    assert read_export(b"\xef\xbb\xbf" + export())["version"] == 1


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b'{"format": "todoproject-export",\n "version": 1,\n "lists": [}', "line 3 column 12: not valid JSON"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "The file is not UTF-8 text (byte 1 is not)."),
        ("Todo liste für Köln".encode("latin-1"), "The file is not UTF-8 text (byte 13 is not)."),
        (b"[" * 100_000 + b"]" * 100_000, "nests too deeply"),
        (b"[" * 40 + b"]" * 40, "The file is not valid JSON: nested deeper than 32 levels."),
        (export(lists=[{"name": "\\ud800", "todos": []}]).replace(b"\\\\", b"\\"), "lone surrogates"),
        (b'{"version": NaN}', "NaN is not a JSON number"),
        (b'{"version": ' + b"9" * 5000 + b"}", "The file is not valid JSON"),
        (b'{"format": "todoproject-export", "version": 1e999}', "version: Infinity is not a version this site reads"),
        (b"[]", 'format: this is not a todoproject export (it needs "format": "todoproject-export").'),
        (json.dumps({"format": "todoist"}).encode(), "format: this is not a todoproject export"),
        (export(version=2), "version: 2 is not a version this site reads (it reads 1)."),
        (export(version=True), "version: true is not a version this site reads"),
        (b"\x00" * 10, "NUL characters"),
    ],
    ids=[
        "malformed",
        "binary",
        "latin-1",
        "deep-recursion",
        "deep",
        "lone-surrogate",
        "nan",
        "huge-integer",
        "huge-float",
        "not-an-object",
        "other-format",
        "wrong-version",
        "boolean-version",
        "nul",
    ],
)
def test_read_export_refuses(raw, message):
    with pytest.raises(FileRejected, match=None) as refused:
        read_export(raw)
    assert message in str(refused.value)


def test_read_export_refuses_a_file_over_5_mb():
    with pytest.raises(FileRejected, match="The file is too large: at most 5 MB can be imported."):
        read_export(b" " * (MAX_FILE_BYTES + 1))


def test_read_export_refuses_more_than_10000_todos():
    todos = [{"description": "x"}] * (MAX_TODOS // 2 + 1)
    raw = export(lists=[{"name": "A", "todos": todos}, {"name": "B", "todos": todos}])
    with pytest.raises(FileRejected, match="lists: 10002 todos, more than the 10000 an import may hold."):
        read_export(raw)


def test_error_messages_name_the_field_by_its_path():
    errors = {
        "lists": {1: {"todos": {1: {"due_date": ["'2026-02-30' is not a valid date (YYYY-MM-DD)."]}}}},
        "labels": [{"name": ["This field is required."]}],
        "non_field_errors": ["Broken."],
    }
    assert error_messages(errors) == [
        "lists[1].todos[1].due_date: '2026-02-30' is not a valid date (YYYY-MM-DD).",
        "labels[0].name: This field is required.",
        "non_field_errors: Broken.",
    ]


# A Todoist project exported as CSV, as Todoist writes it (its columns, a meta row, sections, notes, blank rows).
TODOIST = """TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,TIMEZONE,DURATION,DURATION_UNIT
meta,view_style=list,,,,,,,,,,
task,Buy milk @shopping @errands,Semi-skimmed,1,1,Ann (1234),,2026-12-24,en,Pacific/Auckland,,
note,Remember the bags,,,,Ann (1234),,,,,,
task,Call the plumber,,4,1,Ann (1234),,Dec 24,en,Pacific/Auckland,,
,,,,,,,,,,,
section,Garden,,,,,,,,,,
task,Mow the lawn @garden,"Front, then back",2,1,Ann (1234),,tomorrow 17:00,en,Pacific/Auckland,,
task,Prune the roses,,3,2,Ann (1234),,,en,Pacific/Auckland,,
"""


def test_read_todoist_csv_reads_tasks_sections_priorities_dates_and_labels():
    lists = read_todoist_csv(TODOIST.encode(), now=NOW, list_name="Home")
    assert [item.name for item in lists] == ["Home", "Garden"]
    assert lists[0].todos == [
        {
            "description": "Buy milk",
            "notes": "Semi-skimmed",
            "priority": "high",
            "due_date": datetime.date(2026, 12, 24),
            "due_time": None,
            "labels": ["shopping", "errands"],
        },
        {
            "description": "Call the plumber",
            "notes": "",
            "priority": "none",
            "due_date": datetime.date(2026, 12, 24),
            "due_time": None,
            "labels": [],
        },
    ]
    mow, prune = lists[1].todos
    assert (mow["description"], mow["priority"], mow["labels"]) == ("Mow the lawn", "medium", ["garden"])
    assert (mow["due_date"], mow["due_time"]) == (datetime.date(2026, 12, 6), datetime.time(17, 0))
    assert (prune["priority"], prune["due_date"]) == ("low", None)


def test_read_todoist_csv_reads_a_day_and_month_as_the_next_such_day_in_the_persons_zone():
    raw = b"TYPE,CONTENT,PRIORITY,DATE\ntask,New year,4,Jan 1\n"
    (imported,) = read_todoist_csv(raw, now=NOW)
    assert imported.name == "Todoist import"
    assert imported.todos[0]["due_date"] == datetime.date(2027, 1, 1)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("TYPE,CONTENT,PRIORITY\ntask,A,1\ntask,B,7\n", "line 3: PRIORITY must be 1-4, not '7'."),
        ("TYPE,CONTENT,DATE\ntask,A,\ntask,B,every day\n", "line 3: DATE 'every day' is not a date this import reads"),
        ("TYPE,CONTENT,DATE\ntask,A,2026-02-30\n", "line 2: DATE '2026-02-30' is not a date this import reads"),
        ("NAME,NOTES\nA,B\n", "line 1: not a Todoist CSV file (no TYPE or CONTENT column)."),
        ("TYPE,CONTENT\ntask,@only\ntask,\n", "line 3: CONTENT is empty."),
        ("TYPE,CONTENT\ntask," + "x" * 501 + "\n", "line 2: CONTENT is longer than 500 characters."),
        ('TYPE,CONTENT\ntask,"unclosed\n', "not a valid CSV line"),
        (
            "TYPE,CONTENT,DESCRIPTION\ntask,A," + "x" * 10_001 + "\n",
            "line 2: DESCRIPTION is longer than 10000 characters.",
        ),
        ("TYPE,CONTENT\ntask," + "x" * 200_000 + "\n", "line 2: not a valid CSV line (field larger than field limit"),
    ],
    ids=[
        "priority",
        "recurring-date",
        "impossible-date",
        "not-todoist",
        "empty",
        "too-long",
        "bad-quotes",
        "long-notes",
        "huge-field",
    ],
)
def test_read_todoist_csv_refuses_naming_the_line(raw, message):
    with pytest.raises(FileRejected) as refused:
        read_todoist_csv(raw.encode(), now=NOW)
    assert message in str(refused.value)


def test_read_todoist_csv_keeps_a_task_that_is_only_a_label_as_typed():
    (imported,) = read_todoist_csv(b"TYPE,CONTENT\ntask,@only\n", now=NOW)
    assert imported.todos[0]["description"] == "@only"
    assert imported.todos[0]["labels"] == ["only"]


def test_read_todoist_csv_refuses_more_than_10000_tasks():
    raw = "TYPE,CONTENT\n" + "task,x\n" * (MAX_TODOS + 1)
    with pytest.raises(FileRejected, match="line 10002: more than the 10000 todos an import may hold."):
        read_todoist_csv(raw.encode(), now=NOW)
