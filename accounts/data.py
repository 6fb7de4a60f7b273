"""Your data, as the Account page and the API serve it: the export files with their names, and an uploaded file
read for the import (which kind it is, and its validated content).

An export document (JSON) is read by accounts.data_files and checked by ExportDocumentSerializer; a Todoist
CSV is read by accounts.data_files. Either way a refusal is a FileRejected naming the line or field.
"""

import datetime
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from accounts.data_files import (
    MAX_FILE_BYTES,
    TODOIST_LIST_NAME,
    FileRejected,
    check_size,
    error_messages,
    read_export,
    read_todoist_csv,
    todos_csv,
    todos_ics,
)
from accounts.selectors import account_export, export_todos
from accounts.serializers import ExportDocumentSerializer
from todos.models import TodoList


def validated_document(document) -> dict:
    """The export document's validated data, or FileRejected naming the first field in error."""
    serializer = ExportDocumentSerializer(data=document)
    if not serializer.is_valid():
        messages = error_messages(serializer.errors)
        more = f" (and {len(messages) - 1} more)" if len(messages) > 1 else ""
        raise FileRejected(f"{messages[0]}{more}")
    return serializer.validated_data


def list_name_for(filename: str) -> str:
    """The name of the list a Todoist file's tasks go to: the file's name without its extension."""
    name = " ".join(PurePath(filename or "").stem.split())[: TodoList._meta.get_field("name").max_length]
    return name or TODOIST_LIST_NAME


def read_upload(upload: UploadedFile, *, now: datetime.datetime) -> dict:
    """The service arguments for `upload`: {"lists": ..., "labels": ..., "orders": ...}; CSV files are Todoist's."""
    check_size(upload.size or 0)
    raw = upload.read(MAX_FILE_BYTES + 1)
    if (upload.name or "").lower().endswith(".csv"):
        lists = read_todoist_csv(raw, now=now, list_name=list_name_for(upload.name))
        if not lists:
            raise FileRejected("The file holds no tasks.")
        return {"lists": [{"name": item.name, "todos": item.todos} for item in lists]}
    data = validated_document(read_export(raw))
    return {"lists": data["lists"], "labels": data.get("labels", []), "orders": data.get("orders", [])}


EXPORT_KINDS = {"json": "application/json", "csv": "text/csv; charset=utf-8", "ics": "text/calendar; charset=utf-8"}


def export_filename(kind: str, *, today: datetime.date) -> str:
    stem = "todoproject-export" if kind == "json" else "todos"
    return f"{stem}-{today.isoformat()}.{kind}"


def export_content(kind: str, *, user, host: str, now: datetime.datetime):
    """The export of `kind` ("json": the document's data, for a JSON renderer; "csv" and "ics": text, bytes)."""
    if kind == "csv":
        return todos_csv(export_todos(user=user))
    if kind == "ics":
        return todos_ics(export_todos(user=user), host=host, time_zone=timezone.get_current_timezone(), now=now)
    return ExportDocumentSerializer(account_export(user=user, now=now)).data


def counts_in_words(counts: dict[str, int]) -> str:
    """ "2 lists, 5 todos, 1 label and 0 orders (1 order skipped: a product this site does not sell)" """

    def plural(count: int, noun: str) -> str:
        return f"{count} {noun}{'' if count == 1 else 's'}"

    text = ", ".join(plural(counts[kind], kind[:-1]) for kind in ("lists", "todos", "labels"))
    text += f" and {plural(counts['orders'], 'order')}"
    if counts["orders_skipped"]:
        text += f" ({plural(counts['orders_skipped'], 'order')} skipped: a product this site does not sell)"
    return text
