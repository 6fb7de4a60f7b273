"""Reference endpoints: the API's page of todos and its toggle as a plain WSGI app on psycopg2, no framework.

    GET   /todos/?list=<id>&page=&page_size=   the same three statements as the app (the COUNT for the
                                               envelope, the page ordered by position, id, and the labels of
                                               its todos), the same JSON
    PATCH /todos/<id>/  {"completed": bool}    the same writes as the API's toggle in one transaction (read
                                               the todo's list, raise the list's version, update the todo),
                                               answering the todo as the API does

Served by the same gunicorn settings as the app, they are the practical limit on this machine; the
app's reads are reported as a ratio to the first, its writes to the second. No authentication.

Run: DATABASE_URL=postgres://... gunicorn bench.reference_wsgi:application
"""

import json
import os
import re
from urllib.parse import parse_qs

import psycopg2

COUNT_SQL = "SELECT COUNT(*) FROM todos_todo WHERE list_id = %s"
TODO_COLUMNS = (
    "id, list_id, description, completed, completed_at, position, due_date, due_time, priority, notes,"
    " created_at, updated_at"
)
PAGE_SQL = f"SELECT {TODO_COLUMNS} FROM todos_todo WHERE list_id = %s ORDER BY position, id LIMIT %s OFFSET %s"
LABELS_SQL = (
    "SELECT t.todo_id, l.id, l.name, l.colour FROM todos_label l JOIN todos_todo_labels t ON t.label_id = l.id"
    " WHERE t.todo_id = ANY(%s) ORDER BY l.name, l.id"
)
TODO_LIST_SQL = "SELECT list_id FROM todos_todo WHERE id = %s"
RAISE_VERSION_SQL = "UPDATE todos_todolist SET version = version + 1 WHERE id = %s"
# completed_at as the services keep it (a check constraint holds it): kept while completed, set on completing.
UPDATE_TODO_SQL = (
    "UPDATE todos_todo SET completed = %s, completed_at = CASE WHEN %s THEN COALESCE(completed_at, now()) END,"
    " updated_at = now() WHERE id = %s"
    f" RETURNING {TODO_COLUMNS}"
)
MAX_PAGE_SIZE = 100
TODO_PATH = re.compile(r"^/todos/([0-9]{1,18})/$")

_connection = None


def _connect():
    """One connection per worker process, opened after gunicorn forks, reconnected if it broke."""
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg2.connect(os.environ["DATABASE_URL"])
        _connection.autocommit = True
    return _connection


def _timestamp(value):
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text  # as DRF renders UTC


def _todo(row, labels):
    """The API's JSON of a todo from a row of TODO_COLUMNS and its labels."""
    todo_id, list_id, description, completed, completed_at, position, due_date, due_time, priority = row[:9]
    return {
        "id": todo_id,
        "list": list_id,
        "description": description,
        "completed": completed,
        "completed_at": None if completed_at is None else _timestamp(completed_at),
        "position": position,
        "due_date": None if due_date is None else due_date.isoformat(),
        "due_time": None if due_time is None else due_time.isoformat(),
        "priority": priority,
        "notes": row[9],
        "labels": labels,
        "created_at": _timestamp(row[10]),
        "updated_at": _timestamp(row[11]),
    }


def _labels_of(cursor, todo_ids) -> dict:
    """{todo id: [{id, name, colour}, ...]} for these todos, in the API's order (name, id)."""
    labels = {todo_id: [] for todo_id in todo_ids}
    if todo_ids:
        cursor.execute(LABELS_SQL, [list(todo_ids)])
        for todo_id, label_id, name, colour in cursor.fetchall():
            labels[todo_id].append({"id": label_id, "name": name, "colour": colour})
    return labels


def _respond(start_response, status, payload):
    body = json.dumps(payload).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def application(environ, start_response):
    if environ["REQUEST_METHOD"] == "PATCH":
        return toggle(environ, start_response)
    return todos_page(environ, start_response)


def todos_page(environ, start_response):
    query = parse_qs(environ.get("QUERY_STRING", ""))
    try:
        list_id = int(query["list"][0])
        page = max(1, int(query.get("page", ["1"])[0]))
        page_size = min(MAX_PAGE_SIZE, max(1, int(query.get("page_size", ["20"])[0])))
    except (KeyError, ValueError):
        return _respond(start_response, "400 Bad Request", {"detail": "Give ?list=<id>, optional page and page_size."})
    offset = (page - 1) * page_size
    with _connect().cursor() as cursor:
        cursor.execute(COUNT_SQL, [list_id])
        count = cursor.fetchone()[0]
        cursor.execute(PAGE_SQL, [list_id, page_size, offset])
        rows = cursor.fetchall()
        labels = _labels_of(cursor, [row[0] for row in rows])
    base = f"http://{environ.get('HTTP_HOST', 'localhost')}{environ.get('PATH_INFO', '/')}?list={list_id}"

    def link(number):
        return f"{base}&page={number}&page_size={page_size}"

    return _respond(
        start_response,
        "200 OK",
        {
            "count": count,
            "next": link(page + 1) if offset + page_size < count else None,
            "previous": link(page - 1) if page > 1 else None,
            "results": [_todo(row, labels[row[0]]) for row in rows],
        },
    )


def toggle(environ, start_response):
    match = TODO_PATH.match(environ.get("PATH_INFO", ""))
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        completed = json.loads(environ["wsgi.input"].read(length))["completed"]
    except (ValueError, KeyError, TypeError):
        completed = None
    if match is None or not isinstance(completed, bool):
        return _respond(start_response, "400 Bad Request", {"detail": 'PATCH /todos/<id>/ {"completed": true}.'})
    connection = _connect()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
        try:
            cursor.execute(TODO_LIST_SQL, [int(match.group(1))])
            found = cursor.fetchone()
            row = None
            if found is not None:
                cursor.execute(RAISE_VERSION_SQL, [found[0]])
                cursor.execute(UPDATE_TODO_SQL, [completed, completed, int(match.group(1))])
                row = cursor.fetchone()
                labels = _labels_of(cursor, [row[0]])[row[0]]
            cursor.execute("COMMIT")
        except BaseException:
            cursor.execute("ROLLBACK")
            raise
    if row is None:
        return _respond(start_response, "404 Not Found", {"detail": "No Todo matches the given query."})
    return _respond(start_response, "200 OK", _todo(row, labels))
