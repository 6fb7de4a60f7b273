"""Your data: the export (JSON, CSV, iCalendar) and the import, through the services, the Account page and the API."""

import csv
import datetime
import io
import json
from decimal import Decimal
from http import HTTPStatus

import icalendar
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.data import export_content, validated_document
from accounts.services import account_data_import, api_token_create, profile_for, profile_update
from orders.models import Order, OrderStatus
from orders.tests.factories import OrderFactory, OrderItemFactory, ProductFactory
from todos.models import Label, Todo, TodoList
from todos.tests.factories import LabelFactory, TodoFactory, TodoListFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 5, 9, 30, tzinfo=datetime.UTC)


def owned_data(user):
    """Lists, todos with every field set somewhere, labels and orders of `user`'s."""
    home = TodoListFactory(owner=user, name="Home")
    work = TodoListFactory(owner=user, name="Work")
    TodoListFactory(owner=user, name="Empty")
    urgent = LabelFactory(owner=user, name="Urgent", colour="red")
    LabelFactory(owner=user, name="Spare", colour="teal")
    errand = LabelFactory(owner=user, name="Errand")
    rent = TodoFactory(
        list=home,
        description="Pay rent",
        due_date=datetime.date(2026, 12, 24),
        due_time=datetime.time(9, 0),
        priority="high",
        notes="Standing order?\nCheck the amount.",
        backend_order=-7,
    )
    rent.labels.set([urgent, errand])
    milk = TodoFactory(
        list=home,
        description="Buy milk",
        completed=True,
        completed_at=datetime.datetime(2026, 12, 1, 8, 15, tzinfo=datetime.UTC),
        due_date=datetime.date(2026, 12, 2),
        priority="low",
    )
    milk.labels.set([errand])
    TodoFactory(list=work, description="Write report", priority="medium")
    shipped = OrderItemFactory(
        order__owner=user, product=ProductFactory(name="Kettle", price=Decimal("30.00")), unit_price=Decimal("25.50")
    ).order
    shipped.status = OrderStatus.DELIVERED
    shipped.save()
    OrderItemFactory(order=shipped, product=ProductFactory(name="Mug", price=Decimal("4.00")), quantity=3)
    OrderItemFactory(order__owner=user, product=ProductFactory(name="Teapot", price=Decimal("12.00")))
    return home


def exported(user) -> dict:
    """The JSON export as a client reads it."""
    return json.loads(json.dumps(export_content("json", user=user, host="testserver", now=NOW)))


def normalised(document: dict) -> dict:
    """The document without what differs between two accounts of equal data: when things were created."""
    document = json.loads(json.dumps(document))
    del document["exported_at"]
    for item in [*document["lists"], *document["orders"]]:
        del item["created_at"]
    for todo_list in document["lists"]:
        for todo in todo_list["todos"]:
            del todo["created_at"]
    return document


def import_document(user, document: dict) -> dict:
    data = validated_document(document)
    return account_data_import(owner=user, lists=data["lists"], labels=data["labels"], orders=data["orders"])


def test_export_holds_everything_the_person_owns_with_every_field():
    user = UserFactory()
    owned_data(user)
    document = exported(user)
    assert (document["format"], document["version"]) == ("todoproject-export", 1)
    assert [item["name"] for item in document["lists"]] == ["Home", "Work", "Empty"]
    rent = document["lists"][0]["todos"][0]
    assert {key: value for key, value in rent.items() if key != "created_at"} == {
        "description": "Pay rent",
        "completed": False,
        "completed_at": None,
        "position": 0,
        "due_date": "2026-12-24",
        "due_time": "09:00:00",
        "priority": "high",
        "notes": "Standing order?\nCheck the amount.",
        "labels": ["Errand", "Urgent"],
        "backend_order": -7,
    }
    assert document["labels"] == [
        {"name": "Errand", "colour": "grey"},
        {"name": "Spare", "colour": "teal"},
        {"name": "Urgent", "colour": "red"},
    ]
    delivered = document["orders"][0]
    assert delivered["status"] == "delivered"
    assert delivered["items"] == [
        {"product": "Kettle", "quantity": 1, "unit_price": "25.50"},
        {"product": "Mug", "quantity": 3, "unit_price": "4.00"},
    ]


def test_round_trip_export_then_import_into_an_empty_account_gives_an_equal_export():
    user, other = UserFactory(), UserFactory()
    owned_data(user)
    first = exported(user)
    counts = import_document(other, first)
    assert counts == {"lists": 3, "todos": 3, "labels": 3, "orders": 2, "orders_skipped": 0}
    assert normalised(exported(other)) == normalised(first)
    assert normalised(exported(user)) == normalised(first)  # the exporter's data is untouched


def test_import_matches_labels_by_name_ignoring_case_and_keeps_their_colour():
    user, other = UserFactory(), UserFactory()
    owned_data(user)
    LabelFactory(owner=other, name="URGENT", colour="blue")
    counts = import_document(other, exported(user))
    assert counts["labels"] == 2
    assert list(Label.objects.filter(owner=other).values_list("name", "colour")) == [
        ("Errand", "grey"),
        ("Spare", "teal"),
        ("URGENT", "blue"),
    ]
    rent = Todo.objects.for_owner(other).get(description="Pay rent")
    assert sorted(rent.labels.values_list("name", flat=True)) == ["Errand", "URGENT"]


def test_import_skips_an_order_naming_an_unknown_product_and_prices_open_orders_from_the_catalogue():
    user, other = UserFactory(), UserFactory()
    owned_data(user)
    document = exported(user)
    document["orders"].append(
        {"status": "pending", "items": [{"product": "Unicorn", "quantity": 1, "unit_price": "0.00"}]}
    )
    document["orders"][1]["items"][0]["unit_price"] = "0.01"  # the pending Teapot order, whose price is 12.00
    counts = import_document(other, document)
    assert (counts["orders"], counts["orders_skipped"]) == (2, 1)
    pending = Order.objects.for_owner(other).with_items().get(status="pending")
    assert [(item.product.name, item.unit_price) for item in pending.items.all()] == [("Teapot", Decimal("12.00"))]


def test_export_never_holds_another_persons_data():
    user, other = UserFactory(), UserFactory()
    owned_data(other)
    TodoListFactory(owner=user, name="Mine")
    document = exported(user)
    assert [item["name"] for item in document["lists"]] == ["Mine"]
    assert document["labels"] == []
    assert document["orders"] == []
    assert "Pay rent" not in export_content("csv", user=user, host="testserver", now=NOW)
    assert b"Pay rent" not in export_content("ics", user=user, host="testserver", now=NOW)


def test_export_reads_a_constant_number_of_queries_as_the_data_grows(django_assert_max_num_queries):
    user = UserFactory()
    owned_data(user)
    with CaptureQueriesContext(connection) as small:
        exported(user)
    labels = LabelFactory.create_batch(3, owner=user)
    for todo_list in TodoListFactory.create_batch(5, owner=user):
        for todo in TodoFactory.create_batch(4, list=todo_list):
            todo.labels.set(labels)
    for order in OrderFactory.create_batch(3, owner=user):
        OrderItemFactory.create_batch(2, order=order)
    with django_assert_max_num_queries(len(small)):
        exported(user)


def test_csv_has_one_row_per_todo_with_its_list_and_every_field():
    user = UserFactory()
    owned_data(user)
    rows = list(csv.DictReader(io.StringIO(export_content("csv", user=user, host="testserver", now=NOW))))
    assert [(row["list"], row["description"]) for row in rows] == [
        ("Home", "Pay rent"),
        ("Home", "Buy milk"),
        ("Work", "Write report"),
    ]
    rent, milk, _ = rows
    assert rent["labels"] == "Errand, Urgent"
    assert (rent["due_date"], rent["due_time"], rent["priority"], rent["backend_order"]) == (
        "2026-12-24",
        "09:00:00",
        "high",
        "-7",
    )
    assert rent["notes"] == "Standing order?\nCheck the amount."
    assert (milk["completed"], milk["completed_at"], milk["position"]) == ("true", "2026-12-01T08:15:00+00:00", "1")
    assert list(rows[0]) == [
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


def test_icalendar_has_a_vtodo_per_dated_todo(settings):
    user = UserFactory()
    owned_data(user)
    rent, milk = Todo.objects.for_owner(user).filter(due_date__isnull=False).order_by("position")
    with timezone.override("Pacific/Auckland"):
        content = export_content("ics", user=user, host="todo.example.com", now=NOW)
    calendar = icalendar.Calendar.from_ical(content)
    todos = {str(item["UID"]): item for item in calendar.walk("VTODO")}
    assert set(todos) == {f"todo-{rent.pk}@todo.example.com", f"todo-{milk.pk}@todo.example.com"}
    timed, dated = todos[f"todo-{rent.pk}@todo.example.com"], todos[f"todo-{milk.pk}@todo.example.com"]
    assert timed.decoded("DUE") == datetime.datetime(2026, 12, 24, 9, 0, tzinfo=timed.decoded("DUE").tzinfo)
    assert timed["DUE"].params["TZID"] == "Pacific/Auckland"
    assert timed.decoded("DUE").utcoffset() == datetime.timedelta(hours=13)
    assert (str(timed["SUMMARY"]), timed["PRIORITY"], str(timed["STATUS"])) == ("Pay rent", 1, "NEEDS-ACTION")
    assert [str(name) for name in timed["CATEGORIES"].cats] == ["Errand", "Urgent"]
    assert str(timed["DESCRIPTION"]) == "Standing order?\nCheck the amount."
    assert "COMPLETED" not in timed
    assert dated.decoded("DUE") == datetime.date(2026, 12, 2)
    assert (dated["PRIORITY"], str(dated["STATUS"])) == (9, "COMPLETED")
    assert dated.decoded("COMPLETED") == datetime.datetime(2026, 12, 1, 8, 15, tzinfo=datetime.UTC)
    assert len(calendar.walk("VTIMEZONE")) == 1


def test_icalendar_leaves_out_the_priority_of_a_todo_without_one():
    user = UserFactory()
    TodoFactory(list__owner=user, description="Someday", due_date=datetime.date(2027, 1, 1))
    (item,) = icalendar.Calendar.from_ical(export_content("ics", user=user, host="h", now=NOW)).walk("VTODO")
    assert {"PRIORITY", "CATEGORIES", "DESCRIPTION", "COMPLETED"}.isdisjoint(item)
    assert calendar_has_no_time_zone(export_content("ics", user=user, host="h", now=NOW))


def calendar_has_no_time_zone(content: bytes) -> bool:
    return not icalendar.Calendar.from_ical(content).walk("VTIMEZONE")


# The Account page


@pytest.mark.parametrize(
    ("kind", "content_type", "filename"),
    [
        ("json", "application/json", "todoproject-export-2026-12-06.json"),
        ("csv", "text/csv; charset=utf-8", "todos-2026-12-06.csv"),
        ("ics", "text/calendar; charset=utf-8", "todos-2026-12-06.ics"),
    ],
)
def test_account_page_downloads_are_attachments_named_by_the_persons_date(
    client, user, kind, content_type, filename, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 12, 5, 12, 0, tzinfo=datetime.UTC), tick=False)
    profile_update(profile=profile_for(user=user), time_zone="Pacific/Auckland")  # already 6 December there
    client.force_login(user)
    response = client.get(reverse("data_export", args=[kind]))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'


def test_account_page_links_the_downloads_and_shows_the_import_form(auth_client):
    page = auth_client.get(reverse("account")).content.decode()
    for kind in ("json", "csv", "ics"):
        assert reverse("data_export", args=[kind]) in page
    assert f'action="{reverse("data_import")}" enctype="multipart/form-data"' in page


def test_downloads_need_a_login(client):
    response = client.get(reverse("data_export", args=["json"]))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("login"))


def test_account_page_imports_an_export_and_says_what_it_created(client):
    user, other = UserFactory(), UserFactory()
    owned_data(user)
    upload = SimpleUploadedFile("export.json", json.dumps(exported(user)).encode(), "application/json")
    client.force_login(other)
    response = client.post(reverse("data_import"), {"file": upload}, follow=True)
    assert response.status_code == HTTPStatus.OK
    assert "Imported 3 lists, 3 todos, 3 labels and 2 orders." in response.content.decode()
    assert list(TodoList.objects.for_owner(other).values_list("name", flat=True)) == ["Home", "Work", "Empty"]


def test_account_page_imports_a_todoist_csv_into_a_list_named_after_the_file(client, user):
    raw = b"TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,DATE\ntask,Buy milk @shop,,1,1,2026-12-24\n"
    client.force_login(user)
    response = client.post(reverse("data_import"), {"file": SimpleUploadedFile("Groceries.csv", raw)}, follow=True)
    assert "Imported 1 list, 1 todo, 1 label and 0 orders." in response.content.decode()
    todo = Todo.objects.for_owner(user).get()
    assert (todo.list.name, todo.description, todo.priority) == ("Groceries", "Buy milk", "high")
    assert list(todo.labels.values_list("name", flat=True)) == ["shop"]


def nothing_written(user) -> bool:
    return not (
        TodoList.objects.for_owner(user).exists()
        or Label.objects.filter(owner=user).exists()
        or Order.objects.for_owner(user).exists()
    )


def document_with(**changes) -> dict:
    document = {
        "format": "todoproject-export",
        "version": 1,
        "labels": [{"name": "ok", "colour": "red"}],
        "lists": [{"name": "A", "todos": [{"description": "fine", "labels": ["new"]}]}] * 4,
    }
    return {**document, **changes}


BAD_TODO = [{"description": "fine"}] * 12 + [{"description": "bad", "due_date": "2026-02-30"}]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b'{"format": "todoproject-export", "lists": [', "line 1 column 44: not valid JSON"),
        (json.dumps(document_with(version=2)).encode(), "version: 2 is not a version this site reads"),
        (
            json.dumps(
                document_with(lists=[{"name": "A", "todos": []}] * 3 + [{"name": "B", "todos": BAD_TODO}])
            ).encode(),
            "lists[3].todos[12].due_date: &#x27;2026-02-30&#x27; is not a valid date (YYYY-MM-DD).",
        ),
        (json.dumps(document_with(lists=[{"todos": []}])).encode(), "lists[0].name: This field is required."),
        (
            json.dumps(
                document_with(lists=[{"name": "A", "todos": [{"description": "x", "due_time": "10:00"}]}])
            ).encode(),
            "lists[0].todos[0].due_time: A due time needs a due date.",
        ),
        (json.dumps(document_with(labels=[{"name": "x", "colour": "pink"}])).encode(), "labels[0].colour: "),
        (
            json.dumps(document_with(lists=[{"name": "A", "todos": [{"description": "x"}] * 10_001}])).encode(),
            "more than the 10000",
        ),
        (b"\xff\xfe\x00junk", "The file is not UTF-8 text"),
    ],
    ids=[
        "malformed",
        "wrong-version",
        "bad-date",
        "missing-field",
        "time-without-date",
        "bad-colour",
        "too-many",
        "binary",
    ],
)
def test_account_page_refuses_a_bad_file_with_its_message_and_writes_nothing(client, user, raw, message):
    client.force_login(user)
    response = client.post(reverse("data_import"), {"file": SimpleUploadedFile("export.json", raw)})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.content.decode()
    assert nothing_written(user)


def test_account_page_refuses_a_file_over_5_mb(client, user):
    client.force_login(user)
    upload = SimpleUploadedFile("export.json", b" " * (5 * 1024 * 1024 + 1))
    response = client.post(reverse("data_import"), {"file": upload})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "The file is too large: at most 5 MB can be imported." in response.content.decode()


def test_account_page_import_without_a_file_asks_for_one(client, user):
    client.force_login(user)
    response = client.post(reverse("data_import"))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "This field is required." in response.content.decode()


def test_a_failure_late_in_the_import_rolls_back_everything(user):
    """A list created before a todo the service refuses is not left behind: all or nothing."""
    lists = [{"name": "Fine", "todos": [{"description": "ok"}]}, {"name": "Bad", "todos": [{"description": "   "}]}]
    with pytest.raises(Exception, match="This field may not be blank."):
        account_data_import(owner=user, lists=lists, labels=[{"name": "kept?", "colour": "red"}])
    assert nothing_written(user)


# The API


def token_header(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {api_token_create(user=user, name='t').key}"}


@pytest.mark.parametrize(
    ("query", "content_type", "filename"),
    [
        ({}, "application/json", "todoproject-export-2026-12-06.json"),
        ({"format": "csv"}, "text/csv; charset=utf-8", "todos-2026-12-06.csv"),
        ({"format": "ics"}, "text/calendar; charset=utf-8", "todos-2026-12-06.ics"),
    ],
)
def test_api_export_answers_each_format_as_a_download(api_client, user, query, content_type, filename, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 5, 12, 0, tzinfo=datetime.UTC), tick=False)
    profile_update(profile=profile_for(user=user), time_zone="Pacific/Auckland")
    owned_data(user)
    response = api_client.get(reverse("api:export"), query, **token_header(user))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert "ETag" in response


def test_api_export_json_writes_datetimes_in_the_persons_zone(api_client, user):
    profile_update(profile=profile_for(user=user), time_zone="Pacific/Auckland")
    TodoFactory(
        list__owner=user, completed=True, completed_at=datetime.datetime(2026, 12, 1, 8, 15, tzinfo=datetime.UTC)
    )
    document = api_client.get(reverse("api:export"), **token_header(user)).json()
    assert document["lists"][0]["todos"][0]["completed_at"] == "2026-12-01T21:15:00+13:00"


def test_api_export_refuses_an_unknown_format(api_client, user):
    response = api_client.get(reverse("api:export"), {"format": "xml"}, **token_header(user))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_api_export_and_import_need_authentication(api_client):
    assert api_client.get(reverse("api:export")).status_code == HTTPStatus.UNAUTHORIZED
    assert api_client.post(reverse("api:import"), {}, format="json").status_code == HTTPStatus.UNAUTHORIZED


def test_api_import_of_a_json_body_answers_201_with_the_counts(api_client):
    user, other = UserFactory(), UserFactory()
    owned_data(user)
    response = api_client.post(reverse("api:import"), exported(user), format="json", **token_header(other))
    assert response.status_code == HTTPStatus.CREATED
    assert response.json() == {"lists": 3, "todos": 3, "labels": 3, "orders": 2, "orders_skipped": 0}
    assert normalised(exported(other)) == normalised(exported(user))


def test_api_import_of_a_file_answers_201_with_the_counts(api_client, user):
    raw = b"TYPE,CONTENT,PRIORITY\ntask,One,4\nsection,Later,\ntask,Two @someday,3\n"
    upload = SimpleUploadedFile("inbox.csv", raw, "text/csv")
    response = api_client.post(reverse("api:import"), {"file": upload}, format="multipart", **token_header(user))
    assert response.status_code == HTTPStatus.CREATED
    assert response.json() == {"lists": 2, "todos": 2, "labels": 1, "orders": 0, "orders_skipped": 0}
    assert list(TodoList.objects.for_owner(user).values_list("name", flat=True)) == ["inbox", "Later"]


def test_api_import_refuses_a_bad_json_body_naming_the_field_and_writes_nothing(api_client, user):
    document = document_with(lists=[{"name": "A", "todos": BAD_TODO}])
    response = api_client.post(reverse("api:import"), document, format="json", **token_header(user))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["lists"]["0"]["todos"]["12"] == {
        "due_date": ["'2026-02-30' is not a valid date (YYYY-MM-DD)."]
    }
    assert nothing_written(user)


def test_api_import_refuses_a_bad_file_with_its_message(api_client, user):
    upload = SimpleUploadedFile("export.json", b"\x89PNG\r\n\x1a\n\x00binary junk")
    response = api_client.post(reverse("api:import"), {"file": upload}, format="multipart", **token_header(user))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"file": ["The file is not UTF-8 text (byte 1 is not)."]}
    assert nothing_written(user)


def test_api_import_refuses_more_than_10000_todos_in_the_body(api_client, user, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = None  # the body limit of /api/ would refuse it first
    lists = [{"name": "A", "todos": [{"description": "x"}] * 5001}] * 2
    response = api_client.post(reverse("api:import"), document_with(lists=lists), format="json", **token_header(user))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"lists": ["10002 todos, more than the 10000 an import may hold."]}
    assert nothing_written(user)


def test_api_import_of_multipart_without_a_file_is_a_400(api_client, user):
    response = api_client.post(reverse("api:import"), {"other": "x"}, format="multipart", **token_header(user))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"file": ["Send the file to import as `file`."]}


def test_import_never_touches_another_persons_data(api_client):
    user, other = UserFactory(), UserFactory()
    owned_data(other)
    before = normalised(exported(other))
    api_client.post(reverse("api:import"), exported(other), format="json", **token_header(user))
    assert normalised(exported(other)) == before
    assert OrderFactory._meta.model.objects.for_owner(other).count() == 2


def test_import_keeps_the_import_time_for_a_completion_time_no_zone_can_write(user):
    todo = {"description": "Ancient", "completed": True, "completed_at": "0001-01-01T00:00:00Z"}
    import_document(user, document_with(labels=[], lists=[{"name": "Old", "todos": [todo]}]))
    (imported,) = Todo.objects.for_owner(user)
    assert imported.completed_at.year >= 2026


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("junk.json", bytes(range(256)) * 40),
        ("utf16.json", json.dumps(document_with()).encode("utf-16")),
        ("deep.json", b"[" * 200_000 + b"]" * 200_000),
        ("surrogate.json", json.dumps(document_with(lists=[{"name": "\ud800", "todos": []}])).encode()),
        (
            "huge.json",
            b'{"format": "todoproject-export", "version": 1, "lists": [{"name": "A", "todos": [{"position": 1'
            + b"0" * 5000
            + b', "description": "x"}]}]}',
        ),
        (
            "huge-order.json",
            json.dumps(
                document_with(lists=[{"name": "A", "todos": [{"description": "x", "backend_order": 2**70}]}])
            ).encode(),
        ),
        ("junk.csv", bytes(range(1, 256)) * 40),
        ("latin1.csv", "TYPE,CONTENT\ntask,Café\n".encode("latin-1")),
        ("empty.csv", b""),
        ("sections-only.csv", b"TYPE,CONTENT\nsection,Later\n"),
    ],
)
def test_account_page_answers_any_hostile_file_with_a_400_and_writes_nothing(client, user, name, raw):
    client.force_login(user)
    response = client.post(reverse("data_import"), {"file": SimpleUploadedFile(name, raw)})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert b"field-error" in response.content
    assert nothing_written(user)


def test_api_import_refuses_more_than_1000_orders(api_client, user):
    order = {"status": "delivered", "items": [{"product": "Kettle", "quantity": 1, "unit_price": "1.00"}]}
    response = api_client.post(
        reverse("api:import"), document_with(orders=[order] * 1001), format="json", **token_header(user)
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"orders": ["1001 orders, more than the 1000 an import may hold."]}
    assert nothing_written(user)
