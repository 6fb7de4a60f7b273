"""The files of "Your data": reading an uploaded export or Todoist CSV, writing the CSV and iCalendar exports.

Reading turns bytes into plain Python (the export document as a dict, a Todoist file as lists of todos) or
raises FileRejected with a message naming the line or field; it writes nothing. The document's fields are
checked by accounts.serializers.ExportDocumentSerializer, and the services write (accounts.services).
"""

import csv
import datetime
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import icalendar
from rest_framework.exceptions import ParseError

from core.parsers import check_json_document
from todos.models import NOTES_MAX_LENGTH, Priority, Todo
from todos.quickadd import parse_quick_add

FORMAT = "todoproject-export"
VERSION = 1
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_TODOS = 10_000
TODOIST_LIST_NAME = "Todoist import"


class FileRejected(ValueError):
    """The file cannot be imported; the message says where and why, for the person who sent it."""


def check_size(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise FileRejected(f"The file is too large: at most {MAX_FILE_BYTES // (1024 * 1024)} MB can be imported.")


def _text(raw: bytes) -> str:
    check_size(len(raw))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRejected(f"The file is not UTF-8 text (byte {error.start + 1} is not).") from None
    if "\x00" in text:
        raise FileRejected("The file holds NUL characters: it is not a text file.")
    return text


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def read_export(raw: bytes) -> dict:
    """The export document in `raw` (UTF-8 JSON), its format and version checked (the serializer checks the rest)."""
    text = _text(raw)
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise FileRejected(f"line {error.lineno} column {error.colno}: not valid JSON ({error.msg}).") from None
    except RecursionError:
        raise FileRejected("The file is not valid JSON: it nests too deeply.") from None
    except ValueError as error:  # NaN, Infinity, or an integer too long to read
        raise FileRejected(f"The file is not valid JSON: {error}.") from None
    try:
        check_json_document(document)
    except ParseError as error:
        raise FileRejected(str(error.detail).replace("JSON parse error - ", "The file is not valid JSON: ")) from None
    check_document_header(document)
    return document


def check_document_header(document) -> None:
    """Refuse anything but an object of our format and version, and more than MAX_TODOS todos."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise FileRejected(f'format: this is not a todoproject export (it needs "format": "{FORMAT}").')
    version = document.get("version")
    if version != VERSION or isinstance(version, bool):
        raise FileRejected(
            f"version: {json.dumps(version)[:40]} is not a version this site reads (it reads {VERSION})."
        )
    lists = document.get("lists")
    if isinstance(lists, list):
        count = sum(
            len(item["todos"]) for item in lists if isinstance(item, dict) and isinstance(item.get("todos"), list)
        )
        if count > MAX_TODOS:
            raise FileRejected(f"lists: {count} todos, more than the {MAX_TODOS} an import may hold.")


def _step(path: str, key) -> str:
    """The path to `key` under `path`: an item of a list (DRF keys them by index) or a field."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    if key == "non_field_errors":
        return path or key
    return f"{path}.{key}" if path else str(key)


def error_messages(detail, path: str = "") -> list[str]:
    """DRF's nested validation errors as "lists[3].todos[12].due_date: message" lines."""
    if isinstance(detail, dict):
        return [message for key, value in detail.items() for message in error_messages(value, _step(path, key))]
    if isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            return [f"{path}: {item}" if path else str(item) for item in detail]
        return [message for index, item in enumerate(detail) for message in error_messages(item, f"{path}[{index}]")]
    return [f"{path}: {detail}" if path else str(detail)]


# Todoist CSV (https://todoist.com/help/articles/format-a-csv-file-to-import-into-todoist-UVUXTmm6):
# PRIORITY 1 is p1, Todoist's highest, and 4 is p4, its default "no priority".
TODOIST_PRIORITIES = {
    "1": Priority.HIGH,
    "2": Priority.MEDIUM,
    "3": Priority.LOW,
    "4": Priority.NONE,
    "": Priority.NONE,
}
TODOIST_COLUMNS = ("TYPE", "CONTENT")
_AT_LABEL = re.compile(r"(?<!\S)@([^\s@]+)")


@dataclass
class ImportedList:
    name: str
    todos: list[dict] = field(default_factory=list)


def read_todoist_csv(raw: bytes, *, now: datetime.datetime, list_name: str = TODOIST_LIST_NAME) -> list[ImportedList]:
    """The lists of todos in a Todoist CSV export: tasks go to `list_name`, each section starts a list of its name.

    Notes (comments), meta rows and empty rows are skipped; `@label` words of a task become its labels; DATE is
    read as the quick-add field reads dates, relative to `now` (aware, the person's zone).
    """
    text = _text(raw)
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [name.strip().upper() for name in reader.fieldnames or []]
    except csv.Error as error:
        raise FileRejected(f"line 1: not a CSV file ({error}).") from None
    missing = [column for column in TODOIST_COLUMNS if column not in header]
    if missing:
        raise FileRejected(f"line 1: not a Todoist CSV file (no {' or '.join(missing)} column).")
    reader.fieldnames = header
    lists = [ImportedList(name=list_name)]
    count, line = 0, 1
    try:
        for row in reader:
            line = reader.line_num
            kind = (row.get("TYPE") or "").strip().lower()
            content = (row.get("CONTENT") or "").strip()
            if kind == "section" and content:
                lists.append(ImportedList(name=content[:200]))
            elif kind == "task":
                count += 1
                if count > MAX_TODOS:
                    raise FileRejected(f"line {line}: more than the {MAX_TODOS} todos an import may hold.")
                lists[-1].todos.append(_todoist_task(row, content, line=line, now=now))
    except csv.Error as error:
        raise FileRejected(f"line {line + 1}: not a valid CSV line ({error}).") from None
    return [item for item in lists if item.todos]


def _todoist_task(row: dict, content: str, *, line: int, now: datetime.datetime) -> dict:
    labels = list(dict.fromkeys(match.group(1)[:50] for match in _AT_LABEL.finditer(content)))
    description = " ".join(_AT_LABEL.sub(" ", content).split()) or content
    if not description:
        raise FileRejected(f"line {line}: CONTENT is empty.")
    max_length = Todo._meta.get_field("description").max_length
    if len(description) > max_length:
        raise FileRejected(f"line {line}: CONTENT is longer than {max_length} characters.")
    notes = (row.get("DESCRIPTION") or "").strip()
    if len(notes) > NOTES_MAX_LENGTH:
        raise FileRejected(f"line {line}: DESCRIPTION is longer than {NOTES_MAX_LENGTH} characters.")
    priority = (row.get("PRIORITY") or "").strip()
    if priority not in TODOIST_PRIORITIES:
        raise FileRejected(f"line {line}: PRIORITY must be 1-4, not {priority[:20]!r}.")
    due_date, due_time = _todoist_date((row.get("DATE") or "").strip(), line=line, now=now)
    return {
        "description": description,
        "notes": notes,
        "priority": TODOIST_PRIORITIES[priority],
        "due_date": due_date,
        "due_time": due_time,
        "labels": labels,
    }


def _todoist_date(text: str, *, line: int, now: datetime.datetime):
    if not text:
        return None, None
    try:
        return datetime.date.fromisoformat(text), None
    except ValueError:
        pass
    read = parse_quick_add(text, now=now)
    whole = " ".join(text.split())
    if read.due_date is None or read.description != whole or read.priority != Priority.NONE or read.labels:
        raise FileRejected(
            f"line {line}: DATE {text[:40]!r} is not a date this import reads (e.g. 2026-12-24 or Dec 24)."
        )
    return read.due_date, read.due_time


# Writing: CSV and iCalendar of the person's todos (accounts.selectors.export_todos)

CSV_COLUMNS = [
    "list",
    "description",
    "completed",
    "completed_at",
    "position",
    "due_date",
    "due_time",
    "priority",
    "notes",
    "labels",
    "backend_order",
    "created_at",
]


def _iso(value) -> str:
    return "" if value is None else value.isoformat()


def todos_csv(todos: Iterable[Todo]) -> str:
    """One row per todo, with its list's name and every field; labels joined by ", "; times in UTC (ISO 8601)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for todo in todos:
        writer.writerow(
            [
                todo.list.name,
                todo.description,
                "true" if todo.completed else "false",
                _iso(todo.completed_at and todo.completed_at.astimezone(datetime.UTC)),
                todo.position,
                _iso(todo.due_date),
                _iso(todo.due_time),
                todo.priority,
                todo.notes,
                ", ".join(label.name for label in todo.labels.all()),
                "" if todo.backend_order is None else todo.backend_order,
                _iso(todo.created_at.astimezone(datetime.UTC)),
            ]
        )
    return out.getvalue()


# RFC 5545 3.8.1.9: 1 is the highest priority, 9 the lowest; 5 the middle. No priority: no property.
ICAL_PRIORITIES = {Priority.HIGH: 1, Priority.MEDIUM: 5, Priority.LOW: 9}


def todos_ics(todos: Iterable[Todo], *, host: str, time_zone: datetime.tzinfo, now: datetime.datetime) -> bytes:
    """A calendar with one VTODO per todo with a due date: a DATE, or a date-time in `time_zone` (with TZID)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//todoproject//Your data//EN")
    calendar.add("version", "2.0")
    stamp = now.astimezone(datetime.UTC)
    timed = False
    for todo in todos:
        if todo.due_date is None:
            continue
        item = icalendar.Todo()
        item.add("uid", f"todo-{todo.pk}@{host}")
        item.add("dtstamp", stamp)
        item.add("summary", todo.description)
        if todo.due_time is None:
            item.add("due", todo.due_date)
        else:
            timed = True
            item.add("due", datetime.datetime.combine(todo.due_date, todo.due_time, tzinfo=time_zone))
        if todo.priority in ICAL_PRIORITIES:
            item.add("priority", ICAL_PRIORITIES[todo.priority])
        item.add("status", "COMPLETED" if todo.completed else "NEEDS-ACTION")
        labels = [label.name for label in todo.labels.all()]
        if labels:
            item.add("categories", labels)
        if todo.notes:
            item.add("description", todo.notes)
        if todo.completed_at is not None:
            item.add("completed", todo.completed_at.astimezone(datetime.UTC))
        calendar.add_component(item)
    if timed:
        calendar.add_missing_timezones()
    return calendar.to_ical()
