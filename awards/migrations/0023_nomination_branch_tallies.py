# The dossiers counted per branch of proposing units (awards.models.tallies, #16): PostgreSQL
# keeps them in the same transaction as every write on awards_nomination, then the existing
# dossiers are counted once. Nothing on SQLite, where the sender's list counts exactly.

from django.db import migrations, models

# A unit's path is made of fixed-width steps (portal.models.units.PATH_STEP, frozen here): a
# dossier counts in every prefix of its proposing unit's path, and as `own` in the full one.
STEP = 4
BRANCHES = f"""
    SELECT substr(d.path, 1, k * {STEP}) AS branch, sum(d.n) AS count,
           sum(CASE WHEN k * {STEP} = length(d.path) THEN d.n ELSE 0 END) AS own
    FROM ({{rows}}) AS d CROSS JOIN LATERAL generate_series(1, length(d.path) / {STEP}) AS k
    GROUP BY branch
"""
# Net change per branch of one statement; nil changes are left alone. Sorted, so statements take
# the rows' locks root first, in one order.
UPSERT = f"""
    INSERT INTO awards_nominationbranchtally AS t (path, count, own)
    SELECT branch, count, own FROM ({BRANCHES}) AS b
    WHERE count <> 0 OR own <> 0 ORDER BY branch
    ON CONFLICT (path) DO UPDATE SET count = t.count + EXCLUDED.count, own = t.own + EXCLUDED.own;
"""
ADDED = "SELECT u.path, 1 AS n FROM new_rows r JOIN portal_unit u ON u.id = r.proposing_unit_id"
REMOVED = "SELECT u.path, -1 AS n FROM old_rows r JOIN portal_unit u ON u.id = r.proposing_unit_id"
# An UPDATE counts only the rows whose proposing unit it changed: a step of the workflow saves
# every column but moves no dossier between branches. (A trigger with transition tables cannot
# be limited to a column, so the rows are compared.)
MOVED = (
    "FROM new_rows r JOIN old_rows o ON o.id = r.id"
    " JOIN portal_unit u ON u.id = {side}.proposing_unit_id"
    " WHERE r.proposing_unit_id IS DISTINCT FROM o.proposing_unit_id"
)
MOVED_IN = "SELECT u.path, 1 AS n " + MOVED.format(side="r")
MOVED_OUT = "SELECT u.path, -1 AS n " + MOVED.format(side="o")

CREATE = f"""
CREATE FUNCTION awards_nomination_branch_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {UPSERT.format(rows=ADDED)}
    ELSIF TG_OP = 'UPDATE' THEN
        {UPSERT.format(rows=MOVED_IN + " UNION ALL " + MOVED_OUT)}
    ELSIF TG_OP = 'DELETE' THEN
        {UPSERT.format(rows=REMOVED)}
    ELSE
        DELETE FROM awards_nominationbranchtally;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER awards_nomination_branch_insert AFTER INSERT ON awards_nomination
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION awards_nomination_branch_tally();
CREATE TRIGGER awards_nomination_branch_update AFTER UPDATE ON awards_nomination
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION awards_nomination_branch_tally();
CREATE TRIGGER awards_nomination_branch_delete AFTER DELETE ON awards_nomination
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION awards_nomination_branch_tally();
CREATE TRIGGER awards_nomination_branch_truncate AFTER TRUNCATE ON awards_nomination
    FOR EACH STATEMENT EXECUTE FUNCTION awards_nomination_branch_tally();
"""
DROP = """
DROP TRIGGER awards_nomination_branch_insert ON awards_nomination;
DROP TRIGGER awards_nomination_branch_update ON awards_nomination;
DROP TRIGGER awards_nomination_branch_delete ON awards_nomination;
DROP TRIGGER awards_nomination_branch_truncate ON awards_nomination;
DROP FUNCTION awards_nomination_branch_tally();
"""

# No dossier may be written between the count and the triggers taking over.
COUNTED = (
    "SELECT u.path, count(*) AS n FROM awards_nomination r"
    " JOIN portal_unit u ON u.id = r.proposing_unit_id GROUP BY u.path"
)
FILL = f"""
LOCK TABLE awards_nomination IN SHARE ROW EXCLUSIVE MODE;
DELETE FROM awards_nominationbranchtally;
INSERT INTO awards_nominationbranchtally (path, count, own)
SELECT branch, count, own FROM ({BRANCHES.format(rows=COUNTED)}) AS b;
"""


def on_postgresql(sql: str):
    """As 0021: the triggers are PostgreSQL's; SQLite keeps no counts."""

    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for statement in schema_editor.connection.ops.prepare_sql_script(sql):
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0022_verify_hcld_individual_money"),
    ]

    operations = [
        migrations.CreateModel(
            name="NominationBranchTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("path", models.CharField(max_length=255, unique=True)),
                ("count", models.IntegerField(default=0)),
                ("own", models.IntegerField(default=0)),
            ],
            options={
                "verbose_name": "số hồ sơ theo nhánh đơn vị đề nghị (đếm sẵn)",
                "verbose_name_plural": "số hồ sơ theo nhánh đơn vị đề nghị (đếm sẵn)",
            },
        ),
        migrations.RunPython(on_postgresql(CREATE + FILL), on_postgresql(DROP)),
    ]
