"""The nomination workflow: every step through its service, refusals with their reasons."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from awards.models import AwardRecord, EmulationTitle, NominationEvent
from awards.procedure import appraisal, approval, bulk, decisions, drafting, submission
from awards.workflow import Status
from tests.awards.nomination_helpers import (
    TODAY,
    checked,
    draft,
    issued,
    received,
    refresh,
    submitted,
)
from tests.refusals import refused


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def test_a_ward_dossier_walks_from_draft_to_an_issued_award(world):
    nomination = issued(world)
    assert nomination.status == Status.ISSUED
    record = AwardRecord.objects.get(person=world.person, year=2025)
    assert nomination.award_record == record
    assert record.decision_number == nomination.decision.document.number_and_symbol
    assert record.source == "portal"
    actions = list(nomination.events.values_list("action", flat=True))
    assert actions == ["draft", "submit", "receive", "check", "approve", "draft_decision", "issue"]


def test_the_ward_decides_lao_dong_tien_tien_itself(world):
    nomination = submitted(world)
    assert nomination.conferring_unit == world.ward
    assert nomination.handling_unit == world.ward
    # The ward proposes to its own chairman through its Văn phòng, which signs the Tờ trình.
    assert nomination.batch.submission.number_and_symbol.endswith("/TTr-VP")


def test_submission_is_refused_with_the_article_when_a_hard_rule_fails(world):
    nomination = draft(world, rating="htnv")
    assert any(f["severity"] == "hard" for f in nomination.findings)
    with refused("eligibility_failed"):
        submission.submit_batch([nomination], actor=world.ward_officer, sender=world.ward)
    assert refresh(nomination).status == Status.DRAFT


def test_a_return_needs_a_reason(world):
    nomination = submitted(world)
    with refused("reason_required"):
        appraisal.return_nomination(nomination, actor=world.reviewer, reason="  ")
    appraisal.return_nomination(nomination, actor=world.reviewer, reason="Thiếu biên bản họp.")
    nomination = refresh(nomination)
    assert nomination.status == Status.RETURNED
    assert nomination.last_reason == "Thiếu biên bản họp."


def test_a_returned_dossier_is_fixed_and_resubmitted(world):
    nomination = submitted(world)
    appraisal.return_nomination(nomination, actor=world.reviewer, reason="Bổ sung số liệu.")
    drafting.update_nomination(
        refresh(nomination), actor=world.ward_officer, report_duties="Phụ trách văn hóa."
    )
    nomination = submitted(world, refresh(nomination))
    assert nomination.status == Status.SUBMITTED
    assert nomination.batch.submission is not None


def test_the_sender_recalls_before_receipt_but_not_after(world):
    nomination = submitted(world)
    submission.recall_nomination(nomination, actor=world.ward_officer, reason="Sửa báo cáo.")
    assert refresh(nomination).status == Status.DRAFT
    nomination = received(world, person=world.person, year=2024)
    with refused("nomination.refused"):
        submission.recall_nomination(nomination, actor=world.ward_officer, reason="Muộn.")


def test_an_outsider_cannot_receive_a_dossier(world):
    nomination = submitted(world)
    with pytest.raises(PermissionDenied):
        appraisal.receive_nomination(nomination, actor=world.outsider)


def test_a_reviewer_cannot_submit_for_the_ward_but_the_ward_officer_can(world):
    nomination = draft(world)
    with pytest.raises(PermissionDenied):
        submission.submit_batch([nomination], actor=world.reviewer, sender=world.ward)


def test_a_soft_finding_needs_a_justification_before_submission(world):
    import datetime

    from awards.models import AwardForm

    AwardRecord.objects.create(
        recipient_kind="individual",
        person=world.person,
        year=2025,
        basis_kind="merit",
        decision_number="07/QĐ-UBND",
        decision_date=datetime.date(2026, 1, 10),
        source="imported",
        award_form=AwardForm.objects.get(code="giay-khen"),
    )
    nomination = drafting.create_nomination(
        world.ward,
        actor=world.ward_officer,
        item=AwardForm.objects.get(code="bang-khen-tinh"),
        year=2025,
        basis_kind="merit",
        person=world.person,
        report_achievements="Thành tích xuất sắc năm 2025.",
    )
    soft = [f for f in nomination.findings if f["severity"] == "soft"]
    assert "one_form" in {f["code"] for f in soft}
    with refused("justification_missing"):
        submission.submit_batch([nomination], actor=world.ward_officer, sender=world.ward)
    drafting.update_nomination(
        nomination,
        actor=world.ward_officer,
        justifications={f["code"]: "Thành tích đột phá riêng." for f in soft},
    )
    batch = submission.submit_batch(
        [refresh(nomination)], actor=world.ward_officer, sender=world.ward
    )
    nomination = refresh(nomination)
    assert nomination.status == Status.SUBMITTED
    assert nomination.conferring_unit == world.province
    # Beyond the ward's authority: the next level up receives it first.
    assert batch.addressed_to == world.district


def test_a_batch_submits_two_dossiers_under_one_toi_trinh(world):
    from tests.factories import make_person

    other = make_person(world.ward, "Lê Văn Tám", gender="male")
    first, second = draft(world), draft(world, person=other)
    batch = submission.submit_batch([first, second], actor=world.ward_officer, sender=world.ward)
    assert set(batch.nominations.values_list("pk", flat=True)) == {first.pk, second.pk}


def test_the_clock_counts_working_days_and_flags_overdue(world, time_machine):
    nomination = submitted(world)
    assert nomination.due_on is not None
    assert nomination.limit_article
    assert nomination.days_left(TODAY.date()) == 5
    late = nomination.due_on.toordinal() + 3
    import datetime

    assert nomination.is_overdue(datetime.date.fromordinal(late))


def test_an_ad_hoc_dossier_takes_the_short_path_with_a_shorter_limit(world):
    from awards.models import AwardForm

    form = AwardForm.objects.get(code="giay-khen")
    nomination = drafting.create_nomination(
        world.ward,
        actor=world.ward_officer,
        item=form,
        year=2026,
        basis_kind="ad_hoc",
        basis_reference="Cứu người đuối nước ngày 20/02/2026",
        person=world.person,
        report_achievements="Dũng cảm cứu hai em nhỏ bị đuối nước.",
    )
    nomination = submitted(world, nomination)
    assert nomination.days_left(TODAY.date()) == 2
    appraisal.receive_nomination(nomination, actor=world.reviewer)
    approval.fast_track_nomination(refresh(nomination), actor=world.ward_leader)
    assert refresh(nomination).status == Status.APPROVED


def test_the_short_path_is_refused_for_a_yearly_title(world):
    nomination = received(world)
    with refused("fast_track_ad_hoc_only"):
        approval.fast_track_nomination(nomination, actor=world.ward_leader)


def test_a_bulk_receive_reports_each_row(world):
    from tests.factories import make_person

    first = submitted(world)
    second = draft(world, person=make_person(world.ward, "Lê Văn Tám", gender="male"))
    results = bulk.bulk_apply("receive", [first, second], actor=world.reviewer)
    assert [r.ok for r in results] == [True, False]
    assert "Đang soạn" in results[1].message
    assert refresh(first).status == Status.RECEIVED


def test_a_bulk_return_with_one_reason_needs_it(world):
    first = submitted(world)
    results = bulk.bulk_apply("return", [first], actor=world.reviewer, reason="")
    assert not results[0].ok


def test_a_dossier_beyond_the_level_is_forwarded_up_keeping_the_dossier(world):
    import datetime

    from awards.models import AwardForm

    AwardRecord.objects.create(
        recipient_kind="individual",
        person=world.person,
        year=2025,
        basis_kind="merit",
        decision_number="07/QĐ-UBND",
        decision_date=datetime.date(2026, 1, 10),
        source="imported",
        award_form=AwardForm.objects.get(code="giay-khen"),
    )
    nomination = drafting.create_nomination(
        world.ward,
        actor=world.ward_officer,
        item=AwardForm.objects.get(code="bang-khen-tinh"),
        year=2025,
        basis_kind="merit",
        person=world.person,
        report_achievements="Thành tích xuất sắc năm 2025.",
    )
    drafting.update_nomination(
        nomination,
        actor=world.ward_officer,
        justifications={f["code"]: "Có giải trình." for f in nomination.findings},
    )
    nomination = submitted(world, refresh(nomination))
    appraisal.receive_nomination(nomination, actor=world.reviewer)
    appraisal.check_nomination(refresh(nomination), actor=world.reviewer, opinion="Đủ hồ sơ.")
    with refused("beyond_authority"):
        approval.approve_nomination(refresh(nomination), actor=world.admin)
    batch = submission.forward_batch([refresh(nomination)], actor=world.reviewer)
    nomination = refresh(nomination)
    assert batch.is_forward and batch.sender == world.district
    assert batch.addressed_to == world.province
    assert nomination.handling_unit == world.province
    assert nomination.status == Status.SUBMITTED
    assert nomination.report_achievements == "Thành tích xuất sắc năm 2025."
    appraisal.receive_nomination(nomination, actor=world.reviewer)
    appraisal.check_nomination(refresh(nomination), actor=world.reviewer, opinion="Đồng ý.")
    approval.approve_nomination(refresh(nomination), actor=world.leader)
    assert refresh(nomination).status == Status.APPROVED


def test_revocation_needs_a_new_decision_with_a_reason(world):
    nomination = issued(world)
    with refused("reason_required"):
        decisions.revoke_awards([nomination], actor=world.ward_leader, reason=" ")
    decision = decisions.revoke_awards(
        [nomination],
        actor=world.ward_leader,
        reason="Phát hiện khai man thành tích.",
    )
    nomination = refresh(nomination)
    assert nomination.status == Status.REVOKED
    assert nomination.revocation == decision
    record = nomination.award_record
    assert record.revoked_on is not None
    assert record.revocation_decision == decision.document.number_and_symbol


def test_publishing_moves_every_awardee_to_published(world):
    nomination = issued(world)
    decisions.publish_decision(nomination.decision, actor=world.ward_leader)
    assert refresh(nomination).status == Status.PUBLISHED


def test_checking_records_the_opinion_and_event(world):
    nomination = checked(world)
    assert nomination.reviewer_opinion == "Đủ điều kiện."
    event = NominationEvent.objects.filter(nomination=nomination, action="check").get()
    assert event.actor == world.reviewer
    assert event.reason == "Đủ điều kiện."


def test_an_officer_cannot_nominate_outside_the_unit(world):
    with refused("outside_proposing_unit"):
        drafting.create_nomination(
            world.ward,
            actor=world.ward_officer,
            item=EmulationTitle.objects.get(code="lao-dong-tien-tien"),
            year=2025,
            basis_kind="yearly",
            person=world.sibling_person,
            report_achievements="x",
        )


def test_the_same_person_proposed_by_two_units_for_the_same_title_is_flagged(world):
    from tests.factories import make_person

    clerk = make_person(world.ward_office, "Đoàn Thị Lụa")
    first = draft(world, person=clerk)
    item = EmulationTitle.objects.get(code="lao-dong-tien-tien")
    second = drafting.create_nomination(
        world.ward_office,
        actor=world.ward_officer,
        item=item,
        year=2025,
        basis_kind="yearly",
        person=clerk,
        report_achievements="Thành tích năm 2025.",
    )
    assert "duplicate_nomination" in {f["code"] for f in second.findings}
    assert first.pk != second.pk
