from django.db import migrations


class Migration(migrations.Migration):
    """The version now follows every change to a list's todos, not only their counts (see TodoList.version)."""

    dependencies = [
        ("todos", "0010_todolist_counts_version"),
    ]

    operations = [
        migrations.RenameField(model_name="todolist", old_name="counts_version", new_name="version"),
    ]
