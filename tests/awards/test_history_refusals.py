"""The refusals of the award history's services, each by its code (#19): what an award, a
rating, a discipline, a freeze and an initiative must be, and what was recorded stays."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import Workbook

from awards.history import records
from awards.history.importing import import_award_history
from awards.models import AnnualRating, AwardRecord, Discipline, Freeze, Initiative
from tests.factories import make_person
from tests.refusals import refused

DAY = datetime.date(2025, 1, 10)


def _award(world, catalogue, recipient=None, **overrides):
    fields = dict(
        actor=world.ward_officer,
        item=catalogue.title("lao-dong-tien-tien"),
        year=2024,
        basis_kind="yearly",
        decision_number="1/QĐ",
        decision_date=DAY,
    )
    fields.update(overrides)
    return records.record_award(recipient or world.person, **fields)


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"household_name": "Nguyễn Văn Tư"}, "household_by_locality"),
        ({"basis_kind": "khong-co"}, "basis_kind_invalid"),
        ({"year": 1900}, "year_invalid"),
        ({"decision_number": "  "}, "decision_number_required"),
        ({"decision_date": datetime.date(2023, 12, 31)}, "decision_before_year"),
    ],
)
def test_an_award_is_recorded_only_as_the_law_and_its_decision_allow(
    world, catalogue, overrides, code
):
    with refused(code):
        _award(world, catalogue, **overrides)
    assert not AwardRecord.objects.exists()


def test_a_level_decides_only_for_those_under_it(world, catalogue):
    with refused("recipient_out_of_scope"):
        _award(world, catalogue, world.sibling_person, actor=world.admin, decided_by=world.ward)
    assert not AwardRecord.objects.exists()


def test_an_initiative_backs_only_its_own_authors_award(world, catalogue):
    initiative = records.record_initiative(
        world.person, actor=world.ward_officer, name="Sổ tay số", level="unit", year=2024
    )
    colleague = make_person(world.ward, "Trần Văn Đồng", gender="male")
    with refused("initiative_not_theirs"):
        _award(
            world,
            catalogue,
            colleague,
            item=catalogue.form("giay-khen"),
            basis_kind="merit",
            initiatives=[initiative],
        )
    assert Initiative.objects.get(pk=initiative.pk).used_by is None


def test_a_revocation_names_its_decision_and_reason_and_happens_once(world, catalogue):
    record = _award(world, catalogue)
    with refused("revocation_decision_required"):
        records.revoke_award(
            record, actor=world.ward_officer, revoked_on=DAY, decision="9/QĐ", reason=" "
        )
    records.revoke_award(
        record, actor=world.ward_officer, revoked_on=DAY, decision="9/QĐ", reason="Kê khai sai"
    )
    with refused("award_already_revoked"):
        records.revoke_award(
            record, actor=world.ward_officer, revoked_on=DAY, decision="10/QĐ", reason="Lần hai"
        )
    assert AwardRecord.objects.get(pk=record.pk).revocation_decision == "9/QĐ"


def test_a_rating_is_one_of_the_ratings_once_a_year(world):
    with refused("rating_invalid"):
        records.record_rating(world.person, actor=world.ward_officer, year=2024, rating="gioi")
    records.record_rating(world.person, actor=world.ward_officer, year=2024, rating="htxsnv")
    with refused("rating_exists"):
        records.record_rating(world.person, actor=world.ward_officer, year=2024, rating="httnv")
    assert AnnualRating.objects.get().rating == "htxsnv"


def test_a_discipline_has_a_known_level_and_ends_after_it_starts(world):
    with refused("discipline_level_invalid"):
        records.record_discipline(
            world.person,
            actor=world.ward_officer,
            level="khong-co",
            decided_on=DAY,
            effective_from=DAY,
            effective_to=DAY,
        )
    with refused("discipline_ends_before_start"):
        records.record_discipline(
            world.person,
            actor=world.ward_officer,
            level="reprimand",
            decided_on=DAY,
            effective_from=DAY,
            effective_to=DAY - datetime.timedelta(days=1),
        )
    assert not Discipline.objects.exists()


def test_a_freeze_has_a_known_reason_and_ends_once_not_before_it_began(world):
    with refused("freeze_kind_invalid"):
        records.open_freeze(world.person, actor=world.ward_officer, kind="khac", started_on=DAY)
    freeze = records.open_freeze(
        world.person, actor=world.ward_officer, kind="complaint", started_on=DAY
    )
    with refused("freeze_ends_before_start"):
        records.end_freeze(
            freeze,
            actor=world.ward_officer,
            ended_on=DAY - datetime.timedelta(days=1),
            reason="Đơn không có cơ sở",
        )
    records.end_freeze(freeze, actor=world.ward_officer, ended_on=DAY, reason="Không có cơ sở")
    with refused("freeze_already_ended"):
        records.end_freeze(freeze, actor=world.ward_officer, ended_on=DAY, reason="Lần hai")
    assert Freeze.objects.get(pk=freeze.pk).ended_on == DAY


def test_an_initiative_has_a_name_and_a_known_level(world):
    with refused("initiative_name_required"):
        records.record_initiative(
            world.person, actor=world.ward_officer, name=" ", level="unit", year=2024
        )
    with refused("initiative_level_invalid"):
        records.record_initiative(
            world.person, actor=world.ward_officer, name="Sổ tay số", level="the-gioi", year=2024
        )
    assert not Initiative.objects.exists()


def test_a_workbook_without_either_sheet_is_refused(world):
    book = Workbook()
    book.active.title = "Trang tính 1"
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    with refused("import_sheet_missing"):
        import_award_history(buffer, actor=world.ward_officer)
    assert not AwardRecord.objects.exists()
