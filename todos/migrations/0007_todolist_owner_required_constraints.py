import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("todos", "0006_assign_owners_and_positions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="todolist",
            name="owner",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="todo_lists",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterModelOptions(name="todolist", options={"ordering": ["created_at", "id"]}),
        migrations.AlterModelOptions(name="todo", options={"ordering": ["position", "id"]}),
        migrations.AddIndex(
            model_name="todolist",
            index=models.Index(fields=["owner", "created_at", "id"], name="todolist_owner_created"),
        ),
        migrations.AddIndex(
            model_name="todo",
            index=models.Index(fields=["list", "position", "id"], name="todo_list_position"),
        ),
        migrations.AddIndex(
            model_name="todo",
            index=models.Index(fields=["list", "completed"], name="todo_list_completed"),
        ),
        migrations.AddConstraint(
            model_name="todolist",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.GreaterThan(
                    django.db.models.functions.text.Length(django.db.models.functions.text.Trim("name")), 0
                ),
                name="todolist_name_not_blank",
            ),
        ),
        migrations.AddConstraint(
            model_name="todo",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.GreaterThan(
                    django.db.models.functions.text.Length(django.db.models.functions.text.Trim("description")),
                    0,
                ),
                name="todo_description_not_blank",
            ),
        ),
    ]
