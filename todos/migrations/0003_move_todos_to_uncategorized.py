"""Move every todo that has no list into an "Uncategorized" list (the notes' data migration)."""

from django.db import migrations

UNCATEGORIZED = "Uncategorized"


def move_to_uncategorized(apps, schema_editor):
    Todo = apps.get_model("todos", "Todo")
    TodoList = apps.get_model("todos", "TodoList")
    orphans = Todo.objects.filter(list__isnull=True)
    if not orphans.exists():
        return
    uncategorized = TodoList.objects.create(name=UNCATEGORIZED)
    orphans.update(list=uncategorized)


def move_back_out(apps, schema_editor):
    """Detach the todos of "Uncategorized" lists, then drop those lists (nothing else is lost)."""
    Todo = apps.get_model("todos", "Todo")
    TodoList = apps.get_model("todos", "TodoList")
    uncategorized = TodoList.objects.filter(name=UNCATEGORIZED)
    Todo.objects.filter(list__in=uncategorized).update(list=None)
    uncategorized.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("todos", "0002_todolist"),
    ]

    operations = [
        migrations.RunPython(move_to_uncategorized, move_back_out),
    ]
