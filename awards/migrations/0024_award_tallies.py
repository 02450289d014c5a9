# The standing awards counted per branch (awards.models.tallies, #16): PostgreSQL keeps them
# in the same transaction as every write on awards_awardrecord, and on portal_person when a
# person's unit or counted fields change (their awards follow them); then the existing awards
# are counted once. Nothing on SQLite, where the statistics page counts the records.

import django.db.models.deletion
from django.db import migrations, models

# A unit's path is made of fixed-width steps (portal.models.units.PATH_STEP, frozen here): an
# award counts in every prefix of its subject's unit path. The person's fields are the
# statistics' groups (awards.statistics: MAJORITY_ETHNICITY and the shares, frozen here).
STEP = 4
CONTRIBUTIONS = f"""
    SELECT substr(u.path, 1, k * {STEP}) AS path, r.year, r.title_id, r.award_form_id,
           r.recipient_kind, {{sign}} AS n,
           {{sign}} * coalesce(p.is_direct_worker, false)::int AS direct,
           {{sign}} * coalesce(p.is_manager, false)::int AS managers,
           {{sign}} * coalesce(p.gender = 'female', false)::int AS women,
           {{sign}} * coalesce(p.ethnicity <> 'Kinh', false)::int AS minorities
    FROM {{records}} r {{join}} JOIN {{people}} p ON p.id = r.person_id
    JOIN portal_unit u ON u.id = coalesce(p.unit_id, r.unit_id)
    CROSS JOIN LATERAL generate_series(1, length(u.path) / {STEP}) AS k
    WHERE r.revoked_on IS NULL
"""
SUMS = (
    "sum(n) AS count, sum(direct) AS direct, sum(managers) AS managers,"
    " sum(women) AS women, sum(minorities) AS minorities"
)
NOT_NIL = "(sum(n), sum(direct), sum(managers), sum(women), sum(minorities)) <> (0, 0, 0, 0, 0)"
ADD = (
    "count = t.count + EXCLUDED.count, direct = t.direct + EXCLUDED.direct,"
    " managers = t.managers + EXCLUDED.managers, women = t.women + EXCLUDED.women,"
    " minorities = t.minorities + EXCLUDED.minorities"
)
ITEM_KEY = "path, year, title_id, award_form_id, recipient_kind"


def kind(value: str) -> str:
    return f"coalesce(sum(n) FILTER (WHERE recipient_kind = '{value}'), 0)"


UNIT_SUMS = (
    f"{SUMS}, {kind('individual')} AS individuals, {kind('collective')} AS collectives,"
    f" {kind('household')} AS households,"
    " coalesce(sum(n) FILTER (WHERE title_id IS NOT NULL), 0) AS titles,"
    " coalesce(sum(n) FILTER (WHERE award_form_id IS NOT NULL), 0) AS forms"
)
UNIT_COLUMNS = (
    "count, direct, managers, women, minorities,"
    " individuals, collectives, households, titles, forms"
)

# The net change per key of one statement into both tables; keys whose net change is nil are
# left alone (a save that moves nothing counted touches no row). Sorted, so two statements take
# the rows' locks in one order.
UPSERT = f"""
    WITH d AS ({{rows}}),
    items AS (
        INSERT INTO awards_awardtally AS t
            ({ITEM_KEY}, count, direct, managers, women, minorities)
        SELECT {ITEM_KEY}, {SUMS} FROM d
        GROUP BY {ITEM_KEY} HAVING {NOT_NIL} ORDER BY {ITEM_KEY}
        ON CONFLICT ({ITEM_KEY}) DO UPDATE SET {ADD}
    )
    INSERT INTO awards_awardunittally AS t (path, year, {UNIT_COLUMNS})
    SELECT * FROM (SELECT path, year, {UNIT_SUMS} FROM d GROUP BY path, year) AS s
    WHERE ({UNIT_COLUMNS}) <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    ORDER BY path, year
    ON CONFLICT (path, year) DO UPDATE SET {ADD},
        individuals = t.individuals + EXCLUDED.individuals,
        collectives = t.collectives + EXCLUDED.collectives,
        households = t.households + EXCLUDED.households,
        titles = t.titles + EXCLUDED.titles, forms = t.forms + EXCLUDED.forms;
"""


def records(table: str, sign: int) -> str:
    return CONTRIBUTIONS.format(records=table, people="portal_person", join="LEFT", sign=sign)


# A person's awards move when the person's unit or counted fields change: out with the old
# values, in with the new. (A trigger with transition tables cannot be limited to columns, so
# the rows are compared; a save that changes none of them counts nothing.)
CHANGED = (
    "(SELECT {side}.* FROM new_rows n JOIN old_rows o ON o.id = n.id"
    " WHERE (n.unit_id, n.gender, n.ethnicity, n.is_manager, n.is_direct_worker)"
    " IS DISTINCT FROM (o.unit_id, o.gender, o.ethnicity, o.is_manager, o.is_direct_worker))"
)
MOVED = " UNION ALL ".join(
    CONTRIBUTIONS.format(
        records="awards_awardrecord", people=CHANGED.format(side=side), join="", sign=sign
    )
    for side, sign in (("n", 1), ("o", -1))
)

CREATE = f"""
CREATE FUNCTION awards_award_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {UPSERT.format(rows=records("new_rows", 1))}
    ELSIF TG_OP = 'UPDATE' THEN
        {UPSERT.format(rows=records("new_rows", 1) + " UNION ALL " + records("old_rows", -1))}
    ELSIF TG_OP = 'DELETE' THEN
        {UPSERT.format(rows=records("old_rows", -1))}
    ELSE
        DELETE FROM awards_awardtally;
        DELETE FROM awards_awardunittally;
    END IF;
    RETURN NULL;
END;
$$;
CREATE FUNCTION awards_award_tally_person() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {UPSERT.format(rows=MOVED)}
    RETURN NULL;
END;
$$;
CREATE TRIGGER awards_award_tally_insert AFTER INSERT ON awards_awardrecord
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION awards_award_tally();
CREATE TRIGGER awards_award_tally_update AFTER UPDATE ON awards_awardrecord
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION awards_award_tally();
CREATE TRIGGER awards_award_tally_delete AFTER DELETE ON awards_awardrecord
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION awards_award_tally();
CREATE TRIGGER awards_award_tally_truncate AFTER TRUNCATE ON awards_awardrecord
    FOR EACH STATEMENT EXECUTE FUNCTION awards_award_tally();
CREATE TRIGGER awards_award_tally_person AFTER UPDATE ON portal_person
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION awards_award_tally_person();
"""
DROP = """
DROP TRIGGER awards_award_tally_insert ON awards_awardrecord;
DROP TRIGGER awards_award_tally_update ON awards_awardrecord;
DROP TRIGGER awards_award_tally_delete ON awards_awardrecord;
DROP TRIGGER awards_award_tally_truncate ON awards_awardrecord;
DROP TRIGGER awards_award_tally_person ON portal_person;
DROP FUNCTION awards_award_tally();
DROP FUNCTION awards_award_tally_person();
"""

# No award or person may be written between the count and the triggers taking over. (A plain
# INSERT: the tables are empty, and the key on `awards_awardtally` is made at the migration's
# end, after this.)
FILL = f"""
LOCK TABLE awards_awardrecord, portal_person IN SHARE ROW EXCLUSIVE MODE;
DELETE FROM awards_awardtally;
DELETE FROM awards_awardunittally;
WITH d AS ({records("awards_awardrecord", 1)}),
items AS (
    INSERT INTO awards_awardtally ({ITEM_KEY}, count, direct, managers, women, minorities)
    SELECT {ITEM_KEY}, {SUMS} FROM d GROUP BY {ITEM_KEY}
)
INSERT INTO awards_awardunittally (path, year, {UNIT_COLUMNS})
SELECT path, year, {UNIT_SUMS} FROM d GROUP BY path, year;
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
        ("awards", "0023_nomination_branch_tallies"),
    ]

    operations = [
        migrations.CreateModel(
            name="AwardUnitTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("path", models.CharField(max_length=255)),
                ("year", models.PositiveSmallIntegerField()),
                ("count", models.IntegerField(default=0)),
                ("direct", models.IntegerField(default=0)),
                ("managers", models.IntegerField(default=0)),
                ("women", models.IntegerField(default=0)),
                ("minorities", models.IntegerField(default=0)),
                ("individuals", models.IntegerField(default=0)),
                ("collectives", models.IntegerField(default=0)),
                ("households", models.IntegerField(default=0)),
                ("titles", models.IntegerField(default=0)),
                ("forms", models.IntegerField(default=0)),
            ],
            options={
                "verbose_name": "số khen thưởng theo nhánh và năm (đếm sẵn)",
                "verbose_name_plural": "số khen thưởng theo nhánh và năm (đếm sẵn)",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("path", "year"), name="awards_award_unit_tally_key"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="AwardTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("path", models.CharField(max_length=255)),
                ("year", models.PositiveSmallIntegerField()),
                ("count", models.IntegerField(default=0)),
                ("direct", models.IntegerField(default=0)),
                ("managers", models.IntegerField(default=0)),
                ("women", models.IntegerField(default=0)),
                ("minorities", models.IntegerField(default=0)),
                ("recipient_kind", models.CharField(max_length=20)),
                (
                    "award_form",
                    models.ForeignKey(
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="awards.awardform",
                    ),
                ),
                (
                    "title",
                    models.ForeignKey(
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="awards.emulationtitle",
                    ),
                ),
            ],
            options={
                "verbose_name": "số khen thưởng theo nhánh (đếm sẵn)",
                "verbose_name_plural": "số khen thưởng theo nhánh (đếm sẵn)",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("path", "year", "title", "award_form", "recipient_kind"),
                        name="awards_award_tally_key",
                        nulls_distinct=False,
                    )
                ],
            },
        ),
        migrations.RunPython(on_postgresql(CREATE + FILL), on_postgresql(DROP)),
    ]
