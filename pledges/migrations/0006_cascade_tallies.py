# The cascade's counts kept per branch (pledges.models.tallies, #16): PostgreSQL keeps them in the
# same transaction as every write on registrations, campaign targets and campaigns, then the
# existing rows are counted once. Nothing on SQLite, where the cascade counts the registrations.

import django.db.models.deletion
from django.db import migrations, models

# Frozen here as the migration must not follow later code: a unit path's fixed-width step
# (portal.models.units.PATH_STEP), the registered statuses (pledges.workflow.REGISTERED), and
# the cancelled status of a campaign.
STEP = 4
REGISTERED = "('submitted', 'approved', 'accepted', 'returned', 'amended')"
ACCEPTED = "'accepted'"
CANCELLED = "'cancelled'"

# Each row of a write counts, with its sign, in every prefix of its unit's path.
PREFIXES = f"CROSS JOIN LATERAL generate_series(1, length(d.path) / {STEP}) AS k"
BRANCH = f"substr(d.path, 1, k * {STEP}) AS path, substr(d.path, 1, (k - 1) * {STEP}) AS parent"
FIGURES = ("targets", "registered", "accepted", "late", "follow_ups")
DAY_FIGURES = ("due", "accepted_due", "reported")


def _sums(names) -> str:
    return ", ".join(f"sum(d.{name}) AS {name}" for name in names)


def _nonzero(names) -> str:
    return " OR ".join(f"{name} <> 0" for name in names)


def _added(names) -> str:
    return ", ".join(f"{name} = t.{name} + EXCLUDED.{name}" for name in names)


# Net change per branch of one statement; nil changes are left alone, so a write that moves no
# count takes no lock on a count row. Sorted, so statements take the rows' locks in one order.
UPSERT = f"""
    INSERT INTO pledges_cascadetally AS t (campaign_id, path, parent, {", ".join(FIGURES)})
    SELECT * FROM (
        SELECT d.campaign_id, {BRANCH}, {_sums(FIGURES)} FROM ({{rows}}) AS d {PREFIXES}
        GROUP BY 1, 2, 3
    ) AS b WHERE {_nonzero(FIGURES)} ORDER BY campaign_id, path
    ON CONFLICT (campaign_id, path) DO UPDATE SET {_added(FIGURES)};
"""
# The same keyed by date; a row whose counts fall to zero is deleted (its lock is already ours).
UPSERT_DAYS = f"""
    WITH changed AS (
        INSERT INTO pledges_cascadedaytally AS t
            (campaign_id, path, parent, day, {", ".join(DAY_FIGURES)})
        SELECT * FROM (
            SELECT d.campaign_id, {BRANCH}, d.day, {_sums(DAY_FIGURES)}
            FROM ({{rows}}) AS d {PREFIXES} GROUP BY 1, 2, 3, 4
        ) AS b WHERE {_nonzero(DAY_FIGURES)} ORDER BY campaign_id, path, day
        ON CONFLICT (campaign_id, path, day) DO UPDATE SET {_added(DAY_FIGURES)}
        RETURNING id, {", ".join(DAY_FIGURES)}
    )
    SELECT array_agg(id) INTO emptied FROM changed
    WHERE due = 0 AND accepted_due = 0 AND reported = 0;
    DELETE FROM pledges_cascadedaytally WHERE id = ANY(emptied);
"""


def registrations(source: str, sign: int) -> str:
    return (
        f"SELECT r.campaign_id, u.path, 0 AS targets,"
        f" {sign} * (r.status IN {REGISTERED})::int AS registered,"
        f" {sign} * (r.status = {ACCEPTED})::int AS accepted,"
        f" {sign} * r.is_late::int AS late, 0 AS follow_ups"
        f" FROM {source} AS r JOIN portal_unit u ON u.id = r.unit_id"
    )


def registration_days(source: str, sign: int) -> str:
    return (
        f"SELECT r.campaign_id, u.path, r.open_due_on AS day, {sign} AS due,"
        f" {sign} * (r.status = {ACCEPTED})::int AS accepted_due, 0 AS reported"
        f" FROM {source} AS r JOIN portal_unit u ON u.id = r.unit_id"
        f" WHERE r.open_due_on IS NOT NULL"
        f" UNION ALL SELECT r.campaign_id, u.path, r.last_reported_on, 0, 0, {sign}"
        f" FROM {source} AS r JOIN portal_unit u ON u.id = r.unit_id"
        f" WHERE r.last_reported_on IS NOT NULL"
    )


def targets(source: str, sign: int) -> str:
    return (
        f"SELECT r.campaign_id, u.path, {sign} AS targets, 0 AS registered, 0 AS accepted,"
        f" 0 AS late, 0 AS follow_ups FROM {source} AS r JOIN portal_unit u ON u.id = r.unit_id"
    )


def follow_ups(source: str, sign: int) -> str:
    return (
        f"SELECT r.parent_id AS campaign_id, u.path, 0 AS targets, 0 AS registered,"
        f" 0 AS accepted, 0 AS late, {sign} AS follow_ups"
        f" FROM {source} AS r JOIN portal_unit u ON u.id = r.issuer_id"
        f" WHERE r.parent_id IS NOT NULL AND r.status <> {CANCELLED}"
    )


def changed(side: str, columns: str) -> str:
    """The rows of an UPDATE, as they were (`o`) or are (`r`), whose counted columns moved: a
    save that changes none of them counts nothing. (A trigger with transition tables cannot be
    limited to columns, so the rows are compared.)"""
    keys = ", ".join(f"{{side}}.{column}" for column in columns.split())
    return (
        f"(SELECT {side}.* FROM new_rows r JOIN old_rows o ON o.id = r.id"
        f" WHERE ROW({keys.format(side='r')}) IS DISTINCT FROM ROW({keys.format(side='o')}))"
    )


def both(rows, columns: str) -> str:
    return rows(changed("r", columns), 1) + " UNION ALL " + rows(changed("o", columns), -1)


REGISTRATION_COLUMNS = "campaign_id unit_id status is_late open_due_on last_reported_on"


def trigger(table: str, name: str, body: dict[str, str], declare: str = "") -> str:
    return f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
{declare}
BEGIN
    IF TG_OP = 'INSERT' THEN
        {body["INSERT"]}
    ELSIF TG_OP = 'UPDATE' THEN
        {body["UPDATE"]}
    ELSIF TG_OP = 'DELETE' THEN
        {body["DELETE"]}
    ELSE
        {body["TRUNCATE"]}
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER {name}_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {name}();
CREATE TRIGGER {name}_update AFTER UPDATE ON {table}
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {name}();
CREATE TRIGGER {name}_delete AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {name}();
CREATE TRIGGER {name}_truncate AFTER TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION {name}();
"""


def drop(table: str, name: str) -> str:
    return "".join(
        f"DROP TRIGGER {name}_{event} ON {table};\n"
        for event in ("insert", "update", "delete", "truncate")
    ) + f"DROP FUNCTION {name}();\n"


CREATE = (
    trigger(
        "pledges_registration",
        "pledges_cascade_registration",
        {
            "INSERT": UPSERT.format(rows=registrations("new_rows", 1))
            + UPSERT_DAYS.format(rows=registration_days("new_rows", 1)),
            "UPDATE": UPSERT.format(rows=both(registrations, REGISTRATION_COLUMNS))
            + UPSERT_DAYS.format(rows=both(registration_days, REGISTRATION_COLUMNS)),
            "DELETE": UPSERT.format(rows=registrations("old_rows", -1))
            + UPSERT_DAYS.format(rows=registration_days("old_rows", -1)),
            "TRUNCATE": "UPDATE pledges_cascadetally SET registered = 0, accepted = 0, late = 0"
            " WHERE registered <> 0 OR accepted <> 0 OR late <> 0;"
            " DELETE FROM pledges_cascadedaytally;",
        },
        declare="DECLARE emptied bigint[];",
    )
    + trigger(
        "campaigns_campaigntarget",
        "pledges_cascade_target",
        {
            "INSERT": UPSERT.format(rows=targets("new_rows", 1)),
            "UPDATE": UPSERT.format(rows=both(targets, "campaign_id unit_id")),
            "DELETE": UPSERT.format(rows=targets("old_rows", -1)),
            "TRUNCATE": "UPDATE pledges_cascadetally SET targets = 0 WHERE targets <> 0;",
        },
    )
    + trigger(
        "campaigns_campaign",
        "pledges_cascade_follow_up",
        {
            "INSERT": UPSERT.format(rows=follow_ups("new_rows", 1)),
            "UPDATE": UPSERT.format(rows=both(follow_ups, "parent_id issuer_id status")),
            "DELETE": UPSERT.format(rows=follow_ups("old_rows", -1)),
            "TRUNCATE": "UPDATE pledges_cascadetally SET follow_ups = 0 WHERE follow_ups <> 0;",
        },
    )
)
DROP = (
    drop("pledges_registration", "pledges_cascade_registration")
    + drop("campaigns_campaigntarget", "pledges_cascade_target")
    + drop("campaigns_campaign", "pledges_cascade_follow_up")
)

# No counted row may be written between the count and the triggers taking over.
FILL = f"""
LOCK TABLE pledges_registration, campaigns_campaigntarget, campaigns_campaign
    IN SHARE ROW EXCLUSIVE MODE;
DELETE FROM pledges_cascadetally;
DELETE FROM pledges_cascadedaytally;
INSERT INTO pledges_cascadetally (campaign_id, path, parent, {", ".join(FIGURES)})
SELECT d.campaign_id, {BRANCH}, {_sums(FIGURES)} FROM (
    {registrations("pledges_registration", 1)}
    UNION ALL {targets("campaigns_campaigntarget", 1)}
    UNION ALL {follow_ups("campaigns_campaign", 1)}
) AS d {PREFIXES} GROUP BY 1, 2, 3;
INSERT INTO pledges_cascadedaytally (campaign_id, path, parent, day, {", ".join(DAY_FIGURES)})
SELECT * FROM (
    SELECT d.campaign_id, {BRANCH}, d.day, {_sums(DAY_FIGURES)}
    FROM ({registration_days("pledges_registration", 1)}) AS d {PREFIXES} GROUP BY 1, 2, 3, 4
) AS b WHERE {_nonzero(DAY_FIGURES)};
"""


def on_postgresql(sql: str):
    """As awards 0021: the triggers are PostgreSQL's; SQLite keeps no counts."""

    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for statement in schema_editor.connection.ops.prepare_sql_script(sql):
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0002_author_text'),
        ('pledges', '0005_merge_paper_scan_task_summary'),
    ]

    operations = [
        migrations.CreateModel(
            name='CascadeDayTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('path', models.CharField(max_length=255)),
                ('parent', models.CharField(max_length=255)),
                ('day', models.DateField()),
                ('due', models.IntegerField(default=0)),
                ('accepted_due', models.IntegerField(default=0)),
                ('reported', models.IntegerField(default=0)),
                ('campaign', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='campaigns.campaign')),
            ],
            options={
                'verbose_name': 'tiến độ theo nhánh và ngày (đếm sẵn)',
                'verbose_name_plural': 'tiến độ theo nhánh và ngày (đếm sẵn)',
                'indexes': [models.Index(fields=['campaign', 'parent', 'day'], name='pledges_cascade_day_parent')],
                'constraints': [models.UniqueConstraint(fields=('campaign', 'path', 'day'), name='pledges_cascade_day_tally_key')],
            },
        ),
        migrations.CreateModel(
            name='CascadeTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('path', models.CharField(max_length=255)),
                ('parent', models.CharField(max_length=255)),
                ('targets', models.IntegerField(default=0)),
                ('registered', models.IntegerField(default=0)),
                ('accepted', models.IntegerField(default=0)),
                ('late', models.IntegerField(default=0)),
                ('follow_ups', models.IntegerField(default=0)),
                ('campaign', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='campaigns.campaign')),
            ],
            options={
                'verbose_name': 'tiến độ theo nhánh (đếm sẵn)',
                'verbose_name_plural': 'tiến độ theo nhánh (đếm sẵn)',
                'indexes': [models.Index(fields=['campaign', 'parent'], name='pledges_cascade_tally_parent')],
                'constraints': [models.UniqueConstraint(fields=('campaign', 'path'), name='pledges_cascade_tally_key')],
            },
        ),
        migrations.RunPython(on_postgresql(CREATE + FILL), on_postgresql(DROP)),
    ]
