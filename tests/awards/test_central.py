"""The central leg: items of the Prime Minister or the President climb to the province, go out
under the province's Tờ trình, and come back as a decision, a refusal or a return."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from awards import statistics
from awards.models import (
    AwardForm,
    AwardRecord,
    CentralDecision,
    Choice,
    ClearanceStatus,
    EmulationTitle,
    PartyOpinionRule,
    RuleSet,
    Source,
    VoteRule,
)
from awards.procedure import (
    appraisal,
    approval,
    central,
    clearance,
    council,
    decisions,
    drafting,
    public_comment,
    screening,
    submission,
)
from awards.rules.rulebook import Rulebook
from awards.workflow import Status
from portal.documents import signers
from portal.models import Role
from tests.awards.central_helpers import (
    at_province,
    central_draft,
    ready,
    second_person,
    sent,
    voted,
)
from tests.awards.nomination_helpers import TODAY, checked, council_of, refresh
from tests.factories import make_member, make_person
from tests.refusals import refused

SIGNED = datetime.date(2026, 2, 20)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def _text(field) -> str:
    field.open("rb")
    try:
        pages = PdfReader(io.BytesIO(field.read())).pages
        return " ".join(" ".join(page.extract_text() for page in pages).split())
    finally:
        field.close()


def _approve(world, nominations, **overrides):
    fields = {
        "actor": world.reviewer,
        "number": "123/QĐ-TTg",
        "signed_on": SIGNED,
        "authority": "prime_minister",
        "result": "approved",
    }
    fields.update(overrides)
    return central.record_central_decision(nominations, **fields)


# ---------------------------------------------------------------------------------------------
# Up the tree


def test_a_central_item_names_its_central_decider_and_climbs_the_tree_to_the_province(world):
    nomination = central_draft(world)
    submission.submit_batch([nomination], actor=world.ward_officer, sender=world.ward)
    nomination = refresh(nomination)
    assert nomination.conferring_unit is None
    assert nomination.conferring_level == "prime_minister"
    assert nomination.is_central
    assert nomination.handling_unit == world.district
    appraisal.receive_nomination(nomination, actor=world.reviewer)
    appraisal.check_nomination(refresh(nomination), actor=world.reviewer, opinion="Đủ hồ sơ.")
    with refused("beyond_authority"):
        approval.approve_nomination(refresh(nomination), actor=world.admin)
    with refused("central_only_from_province"):
        central.send_to_central([refresh(nomination)], actor=world.reviewer)
    submission.forward_batch([refresh(nomination)], actor=world.reviewer)
    assert refresh(nomination).handling_unit == world.province


def test_the_province_forwards_no_further_it_sends_to_central(world):
    nomination = at_province(world)
    with refused("forward_to_central_instead"):
        submission.forward_batch([nomination], actor=world.reviewer)
    with refused("beyond_authority"):
        approval.approve_nomination(nomination, actor=world.leader)
    assert refresh(nomination).status == Status.CHECKED


def test_the_authority_check_accepts_the_prime_minister_for_his_bang_khen(world):
    nomination = at_province(world)
    assert not [f for f in screening.run_eligibility(nomination) if f.code == "authority"]


# ---------------------------------------------------------------------------------------------
# Sending out


def test_the_province_sends_several_dossiers_to_the_prime_minister_under_one_toi_trinh(world):
    first, second = voted(
        world, at_province(world), at_province(world, person=second_person(world))
    )
    batch = central.send_to_central([first, second], actor=world.reviewer)
    assert batch.is_central and batch.addressed_to is None and batch.sender == world.province
    for nomination in (refresh(first), refresh(second)):
        assert nomination.status == Status.SENT_TO_CENTRAL
        assert nomination.batch == batch
        assert nomination.handling_unit == world.province
        # No portal limit for the central level: the page shows the days waited instead.
        assert nomination.due_on is None
        assert nomination.days_waited(TODAY.date() + datetime.timedelta(days=9)) == 9
        event = nomination.events.last()
        assert event.action == "send_to_central" and event.document == batch.submission
    document = batch.submission
    text = _text(document.pdf)
    assert "TỜ TRÌNH" in text
    assert document.number_and_symbol in text
    assert "Kính gửi: Thủ tướng Chính phủ" in text
    assert "Ban Thi đua – Khen thưởng Trung ương" in text
    assert world.person.full_name in text and "Lê Văn Tám" in text
    assert "Bằng khen của Thủ tướng Chính phủ" in text
    assert "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH Nguyễn Văn Lãnh" in text


def test_only_the_province_nội_vụ_sends_to_central(world):
    nomination = ready(world)
    city_reviewer = make_member(world.district, Role.REVIEWER, "noivu_lk", "Trịnh Văn Phố")
    for actor in (world.ward_officer, world.leader, city_reviewer, world.outsider):
        with pytest.raises(PermissionDenied):
            central.send_to_central([refresh(nomination)], actor=actor)
    assert refresh(nomination).status == Status.APPROVED
    assert not refresh(nomination).events.filter(action="send_to_central").exists()


def test_an_item_the_province_confers_itself_is_not_sent_to_central(world):
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
    nomination = at_province(world, refresh(nomination))
    with refused("central_not_needed"):
        central.send_to_central([nomination], actor=world.reviewer)


def test_a_lower_item_is_never_sent_to_central(world):
    nomination = checked(world)
    with refused("central_not_needed"):
        central.send_to_central([nomination], actor=world.reviewer)


def test_the_province_council_votes_on_bang_khen_thu_tuong_before_it_goes_out(world):
    # Seeded from domain.md §6.6 point 4: the council reviews it, by majority (no threshold).
    rule = VoteRule.objects.get(
        rule_set=RuleSet.objects.national().valid_on(TODAY.date()).get(),
        award_form__code="bang-khen-thu-tuong",
    )
    assert rule.threshold_percent is None and rule.is_unverified
    assert "thực tiễn cấp tỉnh" in rule.article and "Bắc Ninh" not in rule.article
    nomination = at_province(world)
    with refused("council_vote_before_central"):
        central.send_to_central([nomination], actor=world.reviewer)
    assert refresh(nomination).status == Status.CHECKED
    [nomination] = voted(world, nomination)
    assert nomination.status == Status.APPROVED
    assert "5/5 thành viên đồng ý (100,0%), đạt quá bán" in nomination.council_summary
    # Approved by the province council, yet not a portal decision: no Quyết định, no certificate.
    with refused("decision_mixed_levels"):
        decisions.draft_decision([nomination], actor=world.reviewer)
    batch = central.send_to_central([nomination], actor=world.reviewer)
    assert refresh(nomination).status == Status.SENT_TO_CENTRAL
    assert "5/5" in _text(batch.submission.pdf)


def test_half_of_the_council_is_not_a_majority_for_bang_khen_thu_tuong(world):
    nomination = at_province(world)
    members = council_of(world, world.province, size=4)
    item = council.put_on_agenda(nomination, actor=world.reviewer, session=members.session)
    for user, choice in zip(
        members.users, [Choice.YES, Choice.YES, Choice.NO, Choice.NO], strict=True
    ):
        council.cast_vote(item, actor=user, choice=choice)
    council.close_session(members.session, actor=world.reviewer)
    nomination = refresh(nomination)
    assert nomination.status == Status.REJECTED
    assert "không đạt quá bán" in nomination.council_summary
    with refused("nomination.refused"):
        central.send_to_central([nomination], actor=world.reviewer)


def test_a_huan_chuong_is_refused_at_central_until_the_province_council_approves_it(
    world, time_machine
):
    nomination = central_draft(world, code="huan-chuong-lao-dong-hang-nhat")
    submission.submit_batch([nomination], actor=world.ward_officer, sender=world.ward)
    appraisal.receive_nomination(refresh(nomination), actor=world.reviewer)
    appraisal.check_nomination(refresh(nomination), actor=world.reviewer, opinion="Đủ hồ sơ.")
    submission.forward_batch([refresh(nomination)], actor=world.reviewer)
    appraisal.receive_nomination(refresh(nomination), actor=world.reviewer)
    nomination = public_comment.open_public_comment(refresh(nomination), actor=world.reviewer)
    time_machine.move_to(datetime.datetime(2026, 3, 17, 9, tzinfo=datetime.UTC), tick=False)
    nomination = appraisal.check_nomination(
        nomination, actor=world.reviewer, opinion="Đồng ý trình."
    )
    with refused("council_vote_before_central"):
        central.send_to_central([nomination], actor=world.reviewer)
    assert refresh(nomination).status == Status.CHECKED
    [nomination] = voted(world, nomination)
    central.send_to_central([nomination], actor=world.reviewer)
    assert refresh(nomination).status == Status.SENT_TO_CENTRAL


# ---------------------------------------------------------------------------------------------
# What comes back


def test_the_prime_ministers_decision_enters_the_award_history_with_its_number_and_date(world):
    first = sent(world)
    second = sent(world, person=second_person(world))
    copy = SimpleUploadedFile(
        "qd-123.pdf", b"%PDF-1.4 ban chup\n%%EOF\n", content_type="application/pdf"
    )
    results = _approve(world, [first, second], file=copy)
    assert [r.ok for r in results] == [True, True]
    paper = CentralDecision.objects.get()
    assert paper.number == "123/QĐ-TTg" and paper.signed_on == SIGNED
    assert paper.unit == world.province and paper.file.name.endswith(".pdf")
    for nomination in (refresh(first), refresh(second)):
        assert nomination.status == Status.CENTRAL_DECIDED
        assert nomination.central_decision == paper
        assert nomination.decided_on == SIGNED
        record = nomination.award_record
        assert record.decision_number == "123/QĐ-TTg"
        assert record.decision_date == SIGNED
        assert record.decision_issuer is None
        assert record.decision_issuer_name == "Thủ tướng Chính phủ"
        assert record.source == Source.CENTRAL
        assert record.item.code == "bang-khen-thu-tuong"
        assert record.revoked_on is None
    assert AwardRecord.objects.standing().count() == 2


def test_a_central_award_counts_in_the_history_the_rules_read(world):
    nomination = sent(world)
    _approve(world, [nomination])
    again = central_draft_allowing_findings(world)
    assert "once" in {f["code"] for f in again.findings if f["severity"] == "hard"}
    report = statistics.compute(world.reviewer, year=2025)
    assert ("Hình thức khen thưởng", "Bằng khen của Thủ tướng Chính phủ") in {
        row[:2] for row in report.by_item
    }
    assert report.decided == 1


def central_draft_allowing_findings(world):
    return drafting.create_nomination(
        world.ward,
        actor=world.ward_officer,
        item=AwardForm.objects.get(code="bang-khen-thu-tuong"),
        year=2025,
        basis_kind="merit",
        person=world.person,
        report_achievements="Đề nghị lần hai cho cùng thành tích.",
    )


def test_only_the_province_nội_vụ_records_the_outcome_each_row_on_its_own(world):
    first = sent(world)
    other = at_province(world, person=second_person(world))
    city_reviewer = make_member(world.district, Role.REVIEWER, "noivu_lk", "Trịnh Văn Phố")
    for actor in (city_reviewer, world.leader, world.outsider, world.ward_officer):
        results = _approve(world, [first], actor=actor)
        assert not results[0].ok
        assert refresh(first).status == Status.SENT_TO_CENTRAL
    assert not CentralDecision.objects.exists()
    assert not AwardRecord.objects.exists()
    # One row not sent yet is refused; the other is recorded.
    results = _approve(world, [other, first])
    by_pk = {r.nomination.pk: r for r in results}
    assert not by_pk[other.pk].ok and "Không thể" in by_pk[other.pk].message
    assert by_pk[first.pk].ok
    assert refresh(other).status == Status.CHECKED
    assert refresh(first).status == Status.CENTRAL_DECIDED


def test_a_decision_from_the_wrong_authority_is_refused(world):
    nomination = sent(world)
    results = _approve(world, [nomination], authority="president", number="45/QĐ-CTN")
    assert not results[0].ok and "Thủ tướng Chính phủ" in results[0].message
    with refused("central_award_signer_invalid"):
        _approve(world, [nomination], authority="home_affairs")
    with refused("central_date_in_future"):
        _approve(world, [nomination], signed_on=TODAY.date() + datetime.timedelta(days=1))
    with refused("central_number_missing"):
        _approve(world, [nomination], number="  ")
    assert refresh(nomination).status == Status.SENT_TO_CENTRAL


def test_one_paper_cannot_be_recorded_with_two_dates(world):
    first = sent(world)
    second = sent(world, person=second_person(world))
    _approve(world, [first])
    results = _approve(world, [second], signed_on=SIGNED - datetime.timedelta(days=3))
    assert not results[0].ok and "đã được ghi nhận" in results[0].message
    assert refresh(second).status == Status.SENT_TO_CENTRAL
    _approve(world, [second])
    assert CentralDecision.objects.get().nominations.count() == 2


def test_a_refusal_from_central_closes_the_dossier_with_its_reason(world):
    nomination = sent(world)
    with refused("central_refusal_reason_missing"):
        _approve(world, [nomination], result="not_approved", authority="home_affairs")
    results = _approve(
        world,
        [nomination],
        result="not_approved",
        authority="home_affairs",
        number="512/BNV-TĐKT",
        reason="Chưa đủ thời gian từ lần khen trước.",
    )
    assert results[0].ok
    nomination = refresh(nomination)
    assert nomination.status == Status.REJECTED
    assert nomination.last_reason == (
        "Trung ương không chấp thuận: Chưa đủ thời gian từ lần khen trước."
    )
    assert nomination.central_decision.number == "512/BNV-TĐKT"
    assert nomination.award_record is None and nomination.decided_on is None
    assert not AwardRecord.objects.exists()


def test_a_return_from_central_comes_back_to_the_province_to_resend_or_return(world):
    nomination = sent(world)
    with refused("reason_required"):
        central.record_central_return(nomination, actor=world.reviewer, reason=" ")
    city_reviewer = make_member(world.district, Role.REVIEWER, "noivu_lk", "Trịnh Văn Phố")
    with pytest.raises(PermissionDenied):
        central.record_central_return(nomination, actor=city_reviewer, reason="Bổ sung.")
    central.record_central_return(
        nomination, actor=world.reviewer, reason="Bổ sung xác nhận sáng kiến cấp tỉnh."
    )
    nomination = refresh(nomination)
    assert nomination.status == Status.CENTRAL_RETURNED
    assert nomination.handling_unit == world.province
    first_batch = nomination.batch
    # Resent with a new Tờ trình.
    batch = central.send_to_central([nomination], actor=world.reviewer)
    assert batch != first_batch and refresh(nomination).status == Status.SENT_TO_CENTRAL
    central.record_central_return(refresh(nomination), actor=world.reviewer, reason="Bổ sung.")
    # Or back to the ward, which completes it and submits again up the tree.
    with pytest.raises(PermissionDenied):
        central.return_to_sender(refresh(nomination), actor=world.ward_officer, reason="Trả.")
    central.return_to_sender(
        refresh(nomination), actor=world.reviewer, reason="Trung ương yêu cầu bổ sung báo cáo."
    )
    nomination = refresh(nomination)
    assert nomination.status == Status.RETURNED
    drafting.update_nomination(
        nomination, actor=world.ward_officer, report_achievements="Báo cáo đã bổ sung số liệu."
    )
    submission.submit_batch([refresh(nomination)], actor=world.ward_officer, sender=world.ward)
    assert refresh(nomination).handling_unit == world.district
    actions = list(refresh(nomination).events.values_list("action", flat=True))
    assert actions.count("send_to_central") == 2
    assert actions.count("central_return") == 2
    assert "return_to_sender" in actions


def test_a_central_award_is_never_put_in_a_portal_decision_or_certificate(world):
    nomination = sent(world)
    _approve(world, [nomination])
    with refused("nomination.refused"):
        decisions.draft_decision([refresh(nomination)], actor=world.reviewer)
    assert refresh(nomination).decision is None


def test_a_central_award_is_not_revoked_by_a_portal_decision(world):
    nomination = sent(world)
    _approve(world, [nomination])
    for actor in (world.leader, world.admin):
        with refused("revocation_central"):
            decisions.revoke_awards([refresh(nomination)], actor=actor, reason="Sai phạm.")
    assert refresh(nomination).award_record.revoked_on is None


def test_a_presidents_item_is_asked_through_the_prime_minister_and_decided_by_the_president(
    world,
):
    from awards.paperwork import papers

    nomination = sent(world)
    # Huân chương are the President's (Law Art. 76); the province still writes to the PM.
    nomination.conferring_level = "president"
    nomination.save(update_fields=["conferring_level"])
    signature = signers.signature(world.province, datetime.date(2026, 1, 5))
    content = papers.central_submission(
        [refresh(nomination)], sender=world.province, signature=signature
    )
    assert content["addressees"] == ["Thủ tướng Chính phủ"]
    assert "trình Chủ tịch nước tặng thưởng" in content["body"][1]["text"]
    results = _approve(world, [nomination])
    assert not results[0].ok and "Chủ tịch nước quyết định" in results[0].message
    results = _approve(world, [nomination], authority="president", number="45/QĐ-CTN")
    assert results[0].ok
    assert refresh(nomination).award_record.decision_issuer_name == "Chủ tịch nước"


# ---------------------------------------------------------------------------------------------
# The Ban Thường vụ Tỉnh ủy's opinion (domain.md §6.6 point 5)


def test_the_seeded_rules_reserve_cstd_toan_quoc_for_the_party_standing_committee(db):
    for rule_set in RuleSet.objects.national():
        rulebook = Rulebook.of(rule_set)
        rule = rulebook.party_opinion(EmulationTitle.objects.get(code="cstd-toan-quoc"))
        assert rule is not None and rule.is_unverified and "thực tiễn cấp tỉnh" in rule.article
        assert "Bắc Ninh" not in rule.article
        assert rulebook.party_opinion(AwardForm.objects.get(code="bang-khen-thu-tuong")) is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ban Thường vụ Tỉnh ủy Đồng Nai", True),
        ("ban thường vụ  thành uỷ Hà Nội", True),
        ("Ủy ban Kiểm tra Tỉnh ủy", False),
        ("Ban Thường vụ Đảng ủy xã", False),
    ],
)
def test_the_party_standing_committee_is_recognised_by_its_name(name, expected):
    assert clearance.is_party_committee(name) is expected


def _ask(world, nomination, body_name: str):
    request = clearance.request_clearance(
        [nomination],
        actor=world.reviewer,
        body_name=body_name,
        subject="đề nghị khen thưởng cấp Nhà nước.",
        due_on=datetime.date(2026, 3, 9),
    )
    clearance.record_clearance_answer(
        request, actor=world.reviewer, verdict=ClearanceStatus.AGREED, text=""
    )


def _at_province_asking(world, name: str, *, city_asks: str = "", province_asks: str = ""):
    """A Bằng khen của Thủ tướng dossier checked at the province, with the bodies each level
    asked during its check (each answer: agreed)."""
    nomination = central_draft(world, person=make_person(world.ward, name))
    submission.submit_batch([nomination], actor=world.ward_officer, sender=world.ward)
    for level, asks in enumerate((city_asks, province_asks)):
        appraisal.receive_nomination(refresh(nomination), actor=world.reviewer)
        if asks:
            _ask(world, refresh(nomination), asks)
        appraisal.check_nomination(refresh(nomination), actor=world.reviewer, opinion="Đủ hồ sơ.")
        if level == 0:
            submission.forward_batch([refresh(nomination)], actor=world.reviewer)
    return refresh(nomination)


def test_an_item_reserved_for_the_party_goes_out_only_with_its_written_agreement(world):
    # A province whose rule set reserves Bằng khen của Thủ tướng too (the rule is data).
    PartyOpinionRule.objects.create(
        rule_set=RuleSet.objects.national().valid_on(TODAY.date()).get(),
        award_form=AwardForm.objects.get(code="bang-khen-thu-tuong"),
        article="Quy chế của Tỉnh ủy",
    )
    committee = "Ban Thường vụ Tỉnh ủy Đồng Nai"
    nobody = _at_province_asking(world, "Đinh Thị Một")
    police = _at_province_asking(world, "Đinh Thị Hai", province_asks="Công an tỉnh Đồng Nai")
    # Only the province's own request counts, not one the city sent on the way up.
    city_only = _at_province_asking(world, "Đinh Thị Ba", city_asks=committee)
    agreed = _at_province_asking(world, "Đinh Thị Bốn", province_asks="Ban Thường vụ Tỉnh uỷ")
    nominations = voted(world, nobody, police, city_only, agreed)
    for held in nominations[:3]:
        with refused("party_agreement_missing"):
            central.send_to_central([held], actor=world.reviewer)
        assert refresh(held).status == Status.APPROVED
    with refused("party_agreement_missing") as info:
        central.send_to_central([nominations[3], nominations[0]], actor=world.reviewer)
    assert "Quy chế của Tỉnh ủy" in info.value.message
    assert refresh(agreed).status == Status.APPROVED
    central.send_to_central([nominations[3]], actor=world.reviewer)
    assert refresh(agreed).status == Status.SENT_TO_CENTRAL
