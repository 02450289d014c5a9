"""The kept award sums (#16): equal to a recount from the award records after every kind of
change (an award decided in the portal, a history import, a manual entry, a revocation, a
person moved or changed, bulk writes and deletes), and the statistics page reads them."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from awards import statistics
from awards.history import records
from awards.history.importing import import_award_history
from awards.models import AwardRecord, AwardTally, AwardUnitTally, EmulationTitle, Nomination
from awards.procedure import decisions
from portal import services as portal_services
from portal.models import Person
from portal.models.units import PATH_STEP
from tests.awards.nomination_helpers import TODAY, issued, refresh
from tests.awards.test_history import good_award, workbook
from tests.factories import make_person

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the sums are kept by PostgreSQL triggers; on SQLite the page counts the records",
)

ITEM_KEY = ("path", "year", "title_id", "award_form_id", "recipient_kind")
GROUPS = ("direct", "managers", "women", "minorities")
DAY = datetime.date(2025, 1, 15)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def _per_subject_unit() -> list[dict]:
    """The standing awards counted anew, per subject unit path and item, with the groups."""
    individual = Q(recipient_kind="individual")
    return list(
        AwardRecord.objects.filter(revoked_on__isnull=True)
        .values(
            "year",
            "title_id",
            "award_form_id",
            "recipient_kind",
            subject=Coalesce("person__unit__path", "unit__path"),
        )
        .annotate(
            n=Count("pk"),
            direct=Count("pk", filter=individual & Q(person__is_direct_worker=True)),
            managers=Count("pk", filter=individual & Q(person__is_manager=True)),
            women=Count("pk", filter=individual & Q(person__gender="female")),
            minorities=Count("pk", filter=individual & ~Q(person__ethnicity="Kinh")),
        )
        .order_by()
    )


def recount() -> tuple[dict, dict]:
    items: dict = {}
    units: dict = {}
    for row in _per_subject_unit():
        path = row["subject"]
        for end in range(PATH_STEP, len(path) + 1, PATH_STEP):
            key = (path[:end], row["year"], row["title_id"], row["award_form_id"])
            item = items.setdefault((*key, row["recipient_kind"]), [0] * 5)
            unit = units.setdefault((path[:end], row["year"]), [0] * 10)
            counts = [row["n"], *(row[g] for g in GROUPS)]
            kind = ("individual", "collective", "household").index(row["recipient_kind"])
            extra = [0, 0, 0, row["n"] * (row["title_id"] is not None)]
            extra[kind] += row["n"]
            extra.append(row["n"] * (row["award_form_id"] is not None))
            for i, n in enumerate(counts):
                item[i] += n
            for i, n in enumerate(counts + extra):
                unit[i] += n
    nonzero = lambda table: {k: tuple(v) for k, v in table.items() if any(v)}  # noqa: E731
    return nonzero(items), nonzero(units)


UNIT_FIELDS = ("count", *GROUPS, "individuals", "collectives", "households", "titles", "forms")


def kept() -> tuple[dict, dict]:
    items = {
        tuple(row[:5]): tuple(row[5:])
        for row in AwardTally.objects.values_list(*ITEM_KEY, "count", *GROUPS)
        if any(row[5:])
    }
    units = {
        tuple(row[:2]): tuple(row[2:])
        for row in AwardUnitTally.objects.values_list("path", "year", *UNIT_FIELDS)
        if any(row[2:])
    }
    return items, units


def assert_kept() -> None:
    assert kept() == recount()


def record(world, subject, code: str = "lao-dong-tien-tien", year: int = 2024, **fields):
    item = EmulationTitle.objects.filter(code=code).first()
    if item is None:
        from awards.models import AwardForm

        item = AwardForm.objects.get(code=code)
    return records.record_award(
        subject,
        actor=world.admin,
        item=item,
        year=year,
        basis_kind="yearly",
        decision_number=f"{AwardRecord.objects.count() + 1}/QĐ",
        decision_date=DAY,
        **fields,
    )


def test_entries_imports_and_revocations_keep_the_sums(world, catalogue):
    woman = make_person(world.ward_office, "Lò Thị Mai", gender="female", ethnicity="Thái")
    first = record(world, world.person)
    assert_kept()
    record(world, woman, "cstd-co-so")
    record(world, world.ward, "giay-khen")
    record(world, world.ward, "giay-khen", household_name="Nguyễn Văn Bình")
    assert_kept()
    _items, units = kept()
    assert units[(world.province.path, 2024)][0] == 4
    assert units[(world.province.path, 2024)][5:] == (2, 1, 1, 2, 2)
    import_award_history(workbook([good_award()]), actor=world.ward_officer)
    assert_kept()
    records.revoke_award(
        first, actor=world.admin, revoked_on=DAY, decision="9/QĐ", reason="Kê khai sai"
    )
    assert_kept()
    assert kept()[1][(world.province.path, 2024)][0] == 4


def test_a_decision_and_its_revocation_keep_the_sums(world):
    nomination = issued(world)
    assert AwardRecord.objects.filter(revoked_on__isnull=True).count() == 1
    assert_kept()
    decisions.revoke_awards(
        [nomination], actor=world.ward_leader, reason="Phát hiện khai man thành tích."
    )
    assert refresh(nomination).status == "revoked"
    assert_kept()
    assert sum(row[0] for row in kept()[1].values()) == 0


def test_a_person_moved_or_changed_takes_the_awards_along(world, catalogue):
    record(world, world.person)
    record(world, world.person, "cstd-co-so", 2025)
    portal_services.move_person(world.person, actor=world.admin, to_unit=world.sibling_ward)
    assert_kept()
    assert (world.sibling_ward.path, 2024) in kept()[1]
    assert (world.ward.path, 2024) not in kept()[1]
    Person.objects.filter(pk=world.person.pk).update(
        gender="female", ethnicity="Tày", is_manager=True
    )
    assert_kept()
    assert kept()[1][(world.sibling_ward.path, 2025)][1:5] == (0, 1, 1, 1)
    # A save that changes nothing counted writes no sum.
    before = list(AwardUnitTally.objects.order_by("pk").values_list("pk", "count", "women"))
    Person.objects.update(position="Chuyên viên")
    assert list(AwardUnitTally.objects.order_by("pk").values_list("pk", "count", "women")) == (
        before
    )


def test_bulk_writes_updates_and_deletes_keep_the_sums(world, catalogue):
    title = EmulationTitle.objects.get(code="lao-dong-tien-tien")
    people = [make_person(world.ward_office, f"Người {i}", gender="female") for i in range(4)]
    AwardRecord.objects.bulk_create(
        AwardRecord(
            title=title,
            recipient_kind="individual",
            person=person,
            year=2020 + i % 2,
            basis_kind="yearly",
            decision_number=f"{i}/QĐ",
            decision_date=DAY,
            source="imported",
        )
        for i, person in enumerate(people)
    )
    assert_kept()
    AwardRecord.objects.filter(year=2020).update(year=2019)
    assert_kept()
    AwardRecord.objects.filter(year=2021).update(revoked_on=DAY)
    assert_kept()
    AwardRecord.objects.filter(year=2021).update(revoked_on=None)
    assert_kept()
    AwardRecord.objects.filter(year=2019).delete()
    assert_kept()
    AwardRecord.objects.all().delete()
    assert kept() == ({}, {}) == recount()


def test_the_migration_counts_the_awards_already_there(world, catalogue):
    record(world, world.person)
    record(world, world.ward, "giay-khen", 2023)
    AwardTally.objects.all().delete()
    AwardUnitTally.objects.all().delete()
    assert kept() != recount()
    fill = importlib.import_module("awards.migrations.0024_award_tallies").FILL
    with connection.cursor() as cursor:
        cursor.execute(fill)
    assert_kept()


def test_the_page_reads_the_kept_sums(world, catalogue):
    """The report comes from the sums: a sum changed behind the records' back shows."""
    record(world, world.person)
    assert statistics.compute(world.leader, year=2024).total == 1
    AwardTally.objects.filter(path=world.province.path).update(count=7)
    AwardUnitTally.objects.filter(path=world.district.path).update(count=5)
    report = statistics.compute(world.leader, year=2024)
    assert report.total == 7
    assert {row.name: row.total for row in report.by_unit}["Thành phố Long Khánh"] == 5
    assert Nomination.objects.count() == 0
