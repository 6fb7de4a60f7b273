"""Move DRF's plaintext authtoken keys into APIToken, hashed, then drop their table.

rest_framework.authtoken is no longer installed, so its table is read with SQL where it exists (a
database from before this change); a new database has none and nothing is done.
"""

import hashlib

from django.db import migrations

LEGACY_TABLE = "authtoken_token"


def import_authtoken_keys(apps, schema_editor):
    connection = schema_editor.connection
    if LEGACY_TABLE not in connection.introspection.table_names():
        return
    APIToken = apps.get_model("accounts", "APIToken")
    table = schema_editor.quote_name(LEGACY_TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id, created FROM {table}")
        rows = cursor.fetchall()
    APIToken.objects.bulk_create(
        APIToken(
            user_id=user_id,
            name="API login (before hashed tokens)",
            prefix=key[:8],
            digest=hashlib.sha256(key.encode()).hexdigest(),
            created=created,
        )
        for key, user_id, created in rows
    )
    schema_editor.execute(f"DROP TABLE {table}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_api_token"),
    ]

    operations = [
        migrations.RunPython(import_authtoken_keys, migrations.RunPython.noop, elidable=True),
    ]
