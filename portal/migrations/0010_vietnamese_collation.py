"""Names of units, blocs and people sort in Vietnamese order on PostgreSQL (issue #15).

The ICU collation `vi-x-icu` ("Bảo" < "Bình" < "Đồng", "Hoàng Đức" < "Hoàng Văn") is set on the
name columns in the database only: Django's `db_collation` would write it into SQLite's tables
too, which have no ICU. SQLite keeps its byte order and the lists sorted in Python use
`portal.text.vietnamese_key`. tests/portal/test_vietnamese_order.py checks the columns keep the
collation, so a later AlterField that rewrites a column's type must set it again.
"""

from django.db import migrations

COLUMNS = (
    ("portal_unit", "name", 255),
    ("portal_bloc", "name", 255),
    ("portal_person", "full_name", 150),
    ("portal_user", "full_name", 150),
)


def _collate(collation: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table, column, length in COLUMNS:
            schema_editor.execute(
                f'ALTER TABLE "{table}" ALTER COLUMN "{column}" '
                f'TYPE varchar({length}) COLLATE "{collation}"'
            )

    return run


class Migration(migrations.Migration):
    dependencies = [("portal", "0009_document_recorded")]

    operations = [
        migrations.RunPython(_collate("vi-x-icu"), _collate("default")),
    ]
