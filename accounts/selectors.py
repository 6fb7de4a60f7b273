"""Reads of the accounts app: a person's time zone, cached so that activating it costs no query."""

from django.conf import settings
from django.core.cache import cache

from accounts.data_files import FORMAT, VERSION
from accounts.models import Profile
from orders.models import Order
from todos.models import Label, Todo, TodoList

# Forgotten by accounts.services.profile_update on every change; the timeout only bounds a stale entry
# left by a change made elsewhere (the admin forgets it too, a shell would not).
TIME_ZONE_CACHE_TIMEOUT = 24 * 60 * 60


def time_zone_cache_key(user_id: int) -> str:
    return f"accounts:time-zone:{user_id}"


def profile_time_zone(*, user_id: int) -> str:
    """The person's IANA time zone name: from the shared cache, else one query (then cached).

    A user without a profile (made by bulk_create, which sends no signal) has settings.TIME_ZONE.
    """
    key = time_zone_cache_key(user_id)
    name = cache.get(key)
    if name is None:
        name = Profile.objects.filter(user_id=user_id).values_list("time_zone", flat=True).first()
        name = name or settings.TIME_ZONE
        cache.set(key, name, timeout=TIME_ZONE_CACHE_TIMEOUT)
    return name


# Your data: what the export holds (accounts/data_files.py writes it as JSON, CSV and iCalendar)


def export_todos(*, user):
    """The person's todos with their lists and labels, list by list in the side column's order, then by position."""
    return (
        Todo.objects.for_owner(user)
        .select_related("list")
        .with_labels()
        .order_by("list__created_at", "list_id", "position", "id")
    )


def account_export(*, user, now) -> dict:
    """The export document of everything the person owns (four queries for lists and todos, three for the rest).

    Orders come oldest first, so that an import, creating them in this order, reads back the same.
    """
    todos_by_list: dict[int, list[Todo]] = {}
    for todo in export_todos(user=user):
        todos_by_list.setdefault(todo.list_id, []).append(todo)
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now,
        "lists": [
            {
                "name": todo_list.name,
                "created_at": todo_list.created_at,
                "todos": [_todo_fields(todo) for todo in todos_by_list.get(todo_list.pk, [])],
            }
            for todo_list in TodoList.objects.for_owner(user)
        ],
        "labels": [{"name": label.name, "colour": label.colour} for label in Label.objects.for_owner(user)],
        "orders": [
            {
                "status": order.status,
                "created_at": order.created_at,
                "items": [
                    {"product": item.product.name, "quantity": item.quantity, "unit_price": item.unit_price}
                    for item in order.items.all()
                ],
            }
            for order in Order.objects.for_owner(user).with_items().order_by("created_at", "id")
        ],
    }


def _todo_fields(todo: Todo) -> dict:
    return {
        "description": todo.description,
        "completed": todo.completed,
        "completed_at": todo.completed_at,
        "position": todo.position,
        "due_date": todo.due_date,
        "due_time": todo.due_time,
        "priority": todo.priority,
        "notes": todo.notes,
        "labels": [label.name for label in todo.labels.all()],
        "backend_order": todo.backend_order,
        "created_at": todo.created_at,
    }
