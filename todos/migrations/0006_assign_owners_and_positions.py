"""Give lists that predate accounts an owner, and number each list's todos in creation order.

Owner of pre-existing lists: the first superuser (lowest id). Where there is none, an account
named "legacy" with an unusable password is created; an operator can set its password or move the
lists to someone else in the admin. Reversing leaves owners and positions in place (0005's reverse
drops the columns).
"""

from django.conf import settings
from django.db import migrations

LEGACY_USERNAME = "legacy"


def assign_owners_and_positions(apps, schema_editor):
    TodoList = apps.get_model("todos", "TodoList")
    Todo = apps.get_model("todos", "Todo")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))

    ownerless = TodoList.objects.filter(owner__isnull=True)
    if ownerless.exists():
        owner = User.objects.filter(is_superuser=True).order_by("id").first()
        if owner is None:
            # The historical model has no set_unusable_password(); "!" is what it stores.
            owner, _ = User.objects.get_or_create(username=LEGACY_USERNAME, defaults={"password": "!"})
        ownerless.update(owner=owner)

    for list_id in TodoList.objects.values_list("id", flat=True):
        todos = list(Todo.objects.filter(list_id=list_id).order_by("id").only("id"))
        for position, todo in enumerate(todos):
            todo.position = position
        Todo.objects.bulk_update(todos, ["position"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("todos", "0005_todolist_owner_timestamps_todo_position"),
    ]

    operations = [
        migrations.RunPython(assign_owners_and_positions, migrations.RunPython.noop),
    ]
