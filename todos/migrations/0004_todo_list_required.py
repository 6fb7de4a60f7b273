import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("todos", "0003_move_todos_to_uncategorized"),
    ]

    operations = [
        migrations.AlterField(
            model_name="todo",
            name="list",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="todos", to="todos.todolist"
            ),
        ),
    ]
