"""Give every user from before profiles one with the defaults (UTC, weeks starting on Monday)."""

from django.conf import settings
from django.db import migrations

BATCH = 1000


def create_profiles(apps, schema_editor):
    User = apps.get_model(settings.AUTH_USER_MODEL)
    Profile = apps.get_model("accounts", "Profile")
    user_ids = User.objects.filter(profile__isnull=True).order_by("pk").values_list("pk", flat=True)
    Profile.objects.bulk_create((Profile(user_id=pk) for pk in user_ids.iterator()), batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_profile"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Reversed, the profiles stay: they are valid rows at 0003 too, and reversing 0003 drops the table.
        migrations.RunPython(create_profiles, migrations.RunPython.noop),
    ]
