# The kept counts of dossiers (awards.models.tallies, #16): PostgreSQL keeps them in the same
# transaction as every write on awards_nomination, then the existing dossiers are counted once.

from django.db import migrations, models
import django.db.models.deletion

KEY = "handling_unit_id, status, year"
# The net change per key of one statement; keys whose net change is nil are left alone (a save
# that moves no key column touches no count row). Sorted, so two statements take the count
# rows' locks in one order.
UPSERT = f"""
    INSERT INTO awards_nominationtally AS t ({KEY}, count)
    SELECT {KEY}, sum(n) FROM ({{rows}}) AS d
    GROUP BY {KEY} HAVING sum(n) <> 0 ORDER BY {KEY}
    ON CONFLICT ({KEY}) DO UPDATE SET count = t.count + EXCLUDED.count;
"""
ADDED = f"SELECT {KEY}, 1 AS n FROM new_rows"
REMOVED = f"SELECT {KEY}, -1 AS n FROM old_rows"

CREATE = f"""
CREATE FUNCTION awards_nomination_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {UPSERT.format(rows=ADDED)}
    ELSIF TG_OP = 'UPDATE' THEN
        {UPSERT.format(rows=ADDED + " UNION ALL " + REMOVED)}
    ELSIF TG_OP = 'DELETE' THEN
        {UPSERT.format(rows=REMOVED)}
    ELSE
        DELETE FROM awards_nominationtally;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER awards_nomination_tally_insert AFTER INSERT ON awards_nomination
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION awards_nomination_tally();
CREATE TRIGGER awards_nomination_tally_update AFTER UPDATE ON awards_nomination
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION awards_nomination_tally();
CREATE TRIGGER awards_nomination_tally_delete AFTER DELETE ON awards_nomination
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION awards_nomination_tally();
CREATE TRIGGER awards_nomination_tally_truncate AFTER TRUNCATE ON awards_nomination
    FOR EACH STATEMENT EXECUTE FUNCTION awards_nomination_tally();
"""
DROP = """
DROP TRIGGER awards_nomination_tally_insert ON awards_nomination;
DROP TRIGGER awards_nomination_tally_update ON awards_nomination;
DROP TRIGGER awards_nomination_tally_delete ON awards_nomination;
DROP TRIGGER awards_nomination_tally_truncate ON awards_nomination;
DROP FUNCTION awards_nomination_tally();
"""


def on_postgresql(sql: str):
    """The counts are kept by PostgreSQL's triggers; SQLite (a first run, `make run`) keeps
    none, and the queue counts its dossiers exactly there (`awards.listing`)."""

    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            # As RunSQL runs a script: split into statements, each executed on its own.
            for statement in schema_editor.connection.ops.prepare_sql_script(sql):
                schema_editor.execute(statement, params=None)

    return run


# No dossier may be written between the count and the triggers taking over.
FILL = f"""
LOCK TABLE awards_nomination IN SHARE ROW EXCLUSIVE MODE;
DELETE FROM awards_nominationtally;
INSERT INTO awards_nominationtally ({KEY}, count)
SELECT {KEY}, count(*) FROM awards_nomination GROUP BY {KEY};
"""


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0020_council_time_and_place"),
        ("portal", "0014_outside_signing"),
    ]

    operations = [
        migrations.CreateModel(
            name="NominationTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("status", models.CharField(max_length=20)),
                ("year", models.PositiveSmallIntegerField()),
                ("count", models.IntegerField(default=0)),
                (
                    "handling_unit",
                    models.ForeignKey(
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="portal.unit",
                    ),
                ),
            ],
            options={
                "verbose_name": "số hồ sơ (đếm sẵn)",
                "verbose_name_plural": "số hồ sơ (đếm sẵn)",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("handling_unit", "status", "year"),
                        name="awards_nomination_tally_key",
                        nulls_distinct=False,
                    )
                ],
            },
        ),
        migrations.RunPython(on_postgresql(CREATE + FILL), on_postgresql(DROP)),
    ]
