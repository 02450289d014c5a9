"""Races on the award history services that lock a row before their check: a record revoked,
a freeze ended, an initiative cited, an uploaded workbook imported; and a quota removed.

PostgreSQL only (tests/races.py): two callers at the same instant, one outcome. How a lock-free
variant of each was shown to fail: docs/testing.md.
"""

from __future__ import annotations

import datetime

from awards.history import records
from awards.history.importing import ImportResult, import_award_history
from awards.models import (
    AnnualRating,
    AwardRecord,
    CampaignQuota,
    EmulationTitle,
    Freeze,
    HistoryImport,
    Initiative,
)
from awards.rules import quotas
from campaigns import services as campaign_services
from portal.errors import RuleViolation
from tests.awards.test_history import good_award, workbook
from tests.campaign_fixtures import _documents_off_disk, city, make_campaign
from tests.races import at_once, kinds, needs_row_locks, race

# The campaign world's fixtures, used here by name (pytest finds them in this module).
__all__ = ["_documents_off_disk", "city"]

pytestmark = race

DAY = datetime.date(2025, 1, 10)


def _award(world, catalogue, **fields) -> AwardRecord:
    return records.record_award(
        world.person,
        actor=world.ward_officer,
        **{
            "item": catalogue.title("lao-dong-tien-tien"),
            "year": 2024,
            "basis_kind": "yearly",
            "decision_number": "1/QĐ",
            "decision_date": DAY,
            **fields,
        },
    )


def _reasons(row) -> list[str]:
    return sorted(h.history_change_reason.split(":")[0] for h in row.history.all())


def test_an_award_revoked_twice_at_once_is_revoked_once(world, catalogue):
    """Without the record's lock both see it standing and both revoke it."""
    needs_row_locks()
    record = _award(world, catalogue)

    def revoke(decision):
        return lambda: records.revoke_award(
            record,
            actor=world.ward_officer,
            revoked_on=DAY,
            decision=decision,
            reason="Kê khai sai",
        )

    outcomes = at_once(revoke("9/QĐ"), revoke("10/QĐ"))

    assert kinds(outcomes) == ["RuleViolation", "won"]
    refused = next(o for o in outcomes if isinstance(o, RuleViolation))
    assert refused.message == "Khen thưởng đã bị hủy bỏ từ 10/01/2025."
    winner = next(o for o in outcomes if not isinstance(o, Exception))
    record.refresh_from_db()
    assert record.revocation_decision == winner.revocation_decision
    assert _reasons(record) == ["awards.record.manual", "awards.record.revoked"]


def test_a_freeze_ended_twice_at_once_is_ended_once(world):
    """Without the freeze's lock both see it open and both end it."""
    needs_row_locks()
    freeze = records.open_freeze(
        world.person, actor=world.ward_officer, kind="complaint", started_on=DAY
    )

    def end(on):
        return lambda: records.end_freeze(
            freeze, actor=world.ward_officer, ended_on=on, reason="Đơn không có cơ sở"
        )

    outcomes = at_once(end(DAY), end(DAY + datetime.timedelta(days=1)))

    assert kinds(outcomes) == ["RuleViolation", "won"]
    winner = next(o for o in outcomes if not isinstance(o, Exception))
    refused = next(o for o in outcomes if isinstance(o, RuleViolation))
    assert refused.message == f"Đã chấm dứt tạm dừng từ {winner.ended_on:%d/%m/%Y}."
    freeze = Freeze.objects.get(pk=freeze.pk)
    assert freeze.ended_on == winner.ended_on
    assert _reasons(freeze) == ["awards.freeze.ended", "awards.freeze.opened"]


def test_one_initiative_cited_by_two_awards_at_once_is_used_once(world, catalogue):
    """Without the initiative's lock both awards see it unused: two awards on one initiative."""
    needs_row_locks()
    initiative = records.record_initiative(
        world.person, actor=world.ward_officer, name="Sổ tay số", level="unit", year=2024
    )

    def cite(decision, basis):
        return lambda: _award(
            world,
            catalogue,
            item=catalogue.form("giay-khen"),
            basis_kind=basis,
            basis_reference="" if basis == "merit" else "Bão số 3",
            decision_number=decision,
            initiatives=[initiative],
        )

    outcomes = at_once(cite("5/QĐ", "merit"), cite("6/QĐ", "ad_hoc"))

    assert kinds(outcomes) == ["RuleViolation", "won"]
    refused = next(o for o in outcomes if isinstance(o, RuleViolation))
    assert refused.message == "Sáng kiến “Sổ tay số” đã được dùng làm căn cứ khen thưởng."
    winner = next(o for o in outcomes if not isinstance(o, Exception))
    assert list(AwardRecord.objects.values_list("pk", flat=True)) == [winner.pk]
    assert Initiative.objects.get(pk=initiative.pk).used_by_id == winner.pk


def test_one_upload_imported_twice_at_once_is_imported_once(world, catalogue):
    """A redelivered job runs while the first still imports. Without the upload's lock both find
    it not yet imported and both write its rows."""
    needs_row_locks()
    upload = HistoryImport.objects.create(
        file="private/awards/imports/lich-su.xlsx",
        original_name="lich-su.xlsx",
        unit=world.ward,
        uploaded_by=world.ward_officer,
    )
    rating = ["Cá nhân", world.person.pk, "", "26000", 2024, "Hoàn thành xuất sắc nhiệm vụ"]

    def run():
        return import_award_history(
            workbook([good_award()], [rating]), actor=world.ward_officer, upload=upload
        )

    outcomes = at_once(run, run)

    assert outcomes == [ImportResult(awards=1, ratings=1), ImportResult(awards=1, ratings=1)]
    assert AwardRecord.objects.count() == 1
    assert AnnualRating.objects.count() == 1
    upload.refresh_from_db()
    assert (upload.awards, upload.ratings) == (1, 1)
    stamped = [h.history_change_reason for h in upload.history.all() if h.history_change_reason]
    assert stamped == ["awards.history_import.imported"]


def test_one_quota_removed_twice_at_once_is_removed_once(city):
    """Without the quota's lock both callers find it and both record its removal."""
    needs_row_locks()
    plan = campaign_services.launch_campaign(
        make_campaign(city.district, city.city_officer), actor=city.city_leader
    )
    quota = quotas.set_campaign_quota(
        plan,
        actor=city.city_officer,
        item=EmulationTitle.objects.get(code="lao-dong-tien-tien"),
        limit=2,
        reason="Mục V Kế hoạch",
    )

    def remove():
        return quotas.remove_campaign_quota(quota, actor=city.city_officer, reason="Bỏ trần")

    outcomes = at_once(remove, remove)

    assert kinds(outcomes) == ["DoesNotExist", "won"]
    assert not CampaignQuota.objects.filter(campaign=plan).exists()
    removals = CampaignQuota.history.filter(id=quota.pk, history_type="-")
    assert [h.history_change_reason for h in removals] == ["awards.quota.removed: Bỏ trần"]
