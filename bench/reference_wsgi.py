"""Reference endpoint: the API's page of todos as a plain WSGI app on psycopg2, no framework.

It executes the same two statements as the app (the COUNT for the envelope, then the page ordered by
position, id) and answers the same JSON envelope. Served by the same gunicorn settings as the app,
it is the practical limit on this machine; every app endpoint is reported as a ratio to it.

Run: DATABASE_URL=postgres://... gunicorn bench.reference_wsgi:application
"""

import json
import os
from urllib.parse import parse_qs

import psycopg2

COUNT_SQL = "SELECT COUNT(*) FROM todos_todo WHERE list_id = %s"
PAGE_SQL = (
    "SELECT id, list_id, description, completed, position, created_at, updated_at FROM todos_todo"
    " WHERE list_id = %s ORDER BY position, id LIMIT %s OFFSET %s"
)
MAX_PAGE_SIZE = 100

_connection = None


def _cursor():
    """One connection per worker process, opened after gunicorn forks, reconnected if it broke."""
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg2.connect(os.environ["DATABASE_URL"])
        _connection.autocommit = True
    return _connection.cursor()


def _timestamp(value):
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text  # as DRF renders UTC


def _respond(start_response, status, payload):
    body = json.dumps(payload).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def application(environ, start_response):
    query = parse_qs(environ.get("QUERY_STRING", ""))
    try:
        list_id = int(query["list"][0])
        page = max(1, int(query.get("page", ["1"])[0]))
        page_size = min(MAX_PAGE_SIZE, max(1, int(query.get("page_size", ["20"])[0])))
    except (KeyError, ValueError):
        return _respond(start_response, "400 Bad Request", {"detail": "Give ?list=<id>, optional page and page_size."})
    offset = (page - 1) * page_size
    with _cursor() as cursor:
        cursor.execute(COUNT_SQL, [list_id])
        count = cursor.fetchone()[0]
        cursor.execute(PAGE_SQL, [list_id, page_size, offset])
        rows = cursor.fetchall()
    base = f"http://{environ.get('HTTP_HOST', 'localhost')}{environ.get('PATH_INFO', '/')}?list={list_id}"

    def link(number):
        return f"{base}&page={number}&page_size={page_size}"

    results = [
        {
            "id": row[0],
            "list": row[1],
            "description": row[2],
            "completed": row[3],
            "position": row[4],
            "created_at": _timestamp(row[5]),
            "updated_at": _timestamp(row[6]),
        }
        for row in rows
    ]
    return _respond(
        start_response,
        "200 OK",
        {
            "count": count,
            "next": link(page + 1) if offset + page_size < count else None,
            "previous": link(page - 1) if page > 1 else None,
            "results": results,
        },
    )
