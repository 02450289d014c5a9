"""Opinions of other bodies on nominees (xin ý kiến cơ quan liên quan) during the check."""

from __future__ import annotations

import datetime
import io

import docx
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from awards.models import (
    ClearanceRequest,
    ClearanceStatus,
    CriterionOpinion,
    NominationEvent,
    RuleSet,
    Verdict,
)
from awards.procedure import appraisal, bulk, clearance, criteria
from awards.workflow import Status
from portal import documents
from portal.calendar import add_working_days
from portal.errors import RuleViolation
from portal.models import Role, UnitKind
from tests.awards.nomination_helpers import TODAY, received, refresh, submitted
from tests.factories import make_member, make_person, make_unit
from tests.refusals import refused

DUE = datetime.date(2026, 3, 9)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


@pytest.fixture
def police(world):
    """Công an tỉnh, a unit of the portal with its own officer and leader."""
    unit = make_unit(
        world.province, UnitKind.DEPARTMENT, "Công an tỉnh Đồng Nai", abbreviation="CA"
    )
    unit.officer = make_member(unit, Role.OFFICER, "ca_canbo", "Trịnh Văn An")
    unit.leader = make_member(unit, Role.LEADER, "ca_lanhdao", "Hà Văn Ninh")
    return unit


def ask(world, nominations, **fields) -> ClearanceRequest:
    fields.setdefault("subject", "việc chấp hành pháp luật về an ninh, trật tự.")
    fields.setdefault("due_on", DUE)
    if fields.get("body_unit") is None:
        fields.setdefault("body_name", "Ủy ban Kiểm tra Thị ủy Long Khánh")
    return clearance.request_clearance(nominations, actor=world.reviewer, **fields)


def _pdf_text(field) -> str:
    field.open("rb")
    try:
        pages = PdfReader(io.BytesIO(field.read())).pages
        return " ".join(" ".join(page.extract_text() for page in pages).split())
    finally:
        field.close()


# ---------------------------------------------------------------------------------------------
# Asking


def test_one_cong_van_asks_a_body_about_several_nominees(world, police):
    first = received(world)
    second = received(world, person=make_person(world.ward, "Lê Văn Tám", gender="male"))
    request = ask(world, [first, second], body_unit=police)
    assert request.body_name == "Công an tỉnh Đồng Nai"
    assert request.asking_unit == world.ward
    assert set(request.nominations.all()) == {first, second}
    assert request.status == ClearanceStatus.PENDING
    assert request.sent_on == TODAY.date() and request.due_on == DUE
    letter = request.letter
    assert letter.kind == "official_letter" and letter.is_issued
    # A công văn has no type abbreviation: the symbol is the issuer's alone.
    assert letter.number_and_symbol.endswith("/UBND")
    text = _pdf_text(letter.pdf)
    assert letter.number_and_symbol in text
    assert "V/v xin ý kiến về khen thưởng năm 2025" in text
    assert "Kính gửi: Công an tỉnh Đồng Nai" in text
    assert world.person.full_name in text and "Lê Văn Tám" in text
    assert "09/03/2026" in text
    assert "CÔNG VĂN" not in text
    # The Word copy puts the "V/v …" under the number too, with no empty type heading.
    word = docx.Document(io.BytesIO(documents.render_docx(letter)))
    header = word.tables[0].cell(1, 0).text
    assert "V/v xin ý kiến về khen thưởng năm 2025" in header
    assert "V/v xin ý kiến" not in " ".join(p.text for p in word.paragraphs)
    events = NominationEvent.objects.filter(action="clearance_requested", nomination=first)
    assert events.get().document == letter


def test_a_letter_about_the_chairman_is_signed_by_his_deputy(world):
    request = ask(world, [received(world, person=world.ward_chair)])
    letter = request.letter
    assert letter.signer == world.ward_deputy
    assert (letter.signer_capacity, letter.signer_authority) == ("TM.", "ỦY BAN NHÂN DÂN")
    assert letter.signer_position.startswith("KT. CHỦ TỊCH")


def test_the_due_date_comes_from_the_rule_data_in_working_days(world):
    nomination = received(world)
    with refused("clearance_due_missing"):
        ask(world, [nomination], due_on=None)
    national = RuleSet.objects.national().valid_on(TODAY.date()).order_by("-valid_from").first()
    national.clearance_working_days = 7
    national.clearance_article = "Quy chế phối hợp (ví dụ)"
    national.save()
    request = ask(world, [nomination], due_on=None)
    assert request.due_on == add_working_days(TODAY.date(), 7) == datetime.date(2026, 3, 11)
    assert request.due_article == "Quy chế phối hợp (ví dụ)"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"body_name": ""}, "clearance_body_missing"),
        ({"subject": "  "}, "clearance_subject_missing"),
        ({"due_on": datetime.date(2026, 3, 1)}, "clearance_due_before_sent"),
    ],
)
def test_a_request_without_body_subject_or_with_a_past_due_date_is_refused(world, fields, code):
    nomination = received(world)
    with refused(code):
        ask(world, [nomination], **fields)
    assert not ClearanceRequest.objects.exists()


def test_a_body_is_either_a_unit_or_a_name_and_never_the_asking_level(world, police):
    nomination = received(world)
    with refused("clearance_body_twice"):
        ask(world, [nomination], body_unit=police, body_name="Công an")
    with refused("clearance_asks_itself"):
        ask(world, [nomination], body_unit=world.ward)
    with refused("clearance_nothing_chosen"):
        ask(world, [])


def test_only_dossiers_under_check_at_one_level_are_asked_about(world):
    waiting = submitted(world)
    with refused("clearance_not_in_appraisal"):
        ask(world, [waiting])


def test_the_same_body_is_not_asked_twice_while_it_has_not_answered(world, police):
    nomination = received(world)
    ask(world, [nomination], body_unit=police)
    with refused("clearance_already_asked"):
        ask(world, [nomination], body_unit=police)
    # Another body may be asked meanwhile.
    ask(world, [nomination], body_name="Chi cục Thuế khu vực")
    assert ClearanceRequest.objects.count() == 2


@pytest.mark.parametrize("who", ["ward_officer", "outsider", "leader"])
def test_only_the_reviewer_of_the_level_asks(world, who):
    nomination = received(world)
    with pytest.raises(PermissionDenied):
        clearance.request_clearance(
            [nomination],
            actor=getattr(world, who),
            body_name="Công an",
            subject="Ý kiến",
            due_on=DUE,
        )


# ---------------------------------------------------------------------------------------------
# Answering, withdrawing


def test_the_body_in_the_portal_answers_itself_and_the_dossier_shows_it(world, police):
    nomination = received(world)
    request = ask(world, [nomination], body_unit=police)
    reply = SimpleUploadedFile("tra-loi.pdf", b"%PDF-1.4\n%%EOF\n")
    clearance.record_clearance_answer(
        request, actor=police.officer, verdict="agreed", text="Không vi phạm.", file=reply
    )
    request.refresh_from_db()
    assert request.status == ClearanceStatus.AGREED
    assert request.answered_by == police.officer and request.answered_on == TODAY.date()
    assert request.answer_file.name.startswith("awards/clearances/")
    assert request.history.first().history_change_reason == "awards.clearance.agreed"
    event = NominationEvent.objects.get(nomination=nomination, action="clearance_answered")
    assert event.reason == "Công an tỉnh Đồng Nai trả lời: đồng ý – Không vi phạm."


def test_the_reviewer_records_a_paper_reply_of_an_outside_body(world):
    nomination = received(world)
    request = ask(world, [nomination])
    clearance.record_clearance_answer(
        request,
        actor=world.reviewer,
        verdict="agreed",
        text="",
        answered_on=datetime.date(2026, 3, 2),
    )
    assert refresh_request(request).status == ClearanceStatus.AGREED


def refresh_request(request: ClearanceRequest) -> ClearanceRequest:
    return ClearanceRequest.objects.get(pk=request.pk)


@pytest.mark.parametrize("who", ["outsider", "ward_officer", "ward_leader", "council"])
def test_no_one_else_may_answer(world, police, who):
    request = ask(world, [received(world)], body_unit=police)
    with pytest.raises(PermissionDenied):
        clearance.record_clearance_answer(
            request, actor=getattr(world, who), verdict="agreed", text=""
        )
    assert refresh_request(request).is_pending


def test_an_outside_body_cannot_be_answered_by_a_unit_officer(world, police):
    request = ask(world, [received(world)])
    with pytest.raises(PermissionDenied):
        clearance.record_clearance_answer(request, actor=police.officer, verdict="agreed", text="")


def test_answer_refusals_name_their_reason(world, police):
    request = ask(world, [received(world)], body_unit=police)
    with refused("clearance_verdict_invalid"):
        clearance.record_clearance_answer(request, actor=police.leader, verdict="pending", text="")
    with refused("clearance_objection_text_missing"):
        clearance.record_clearance_answer(
            request, actor=police.leader, verdict="objection", text=" "
        )
    with refused("clearance_answer_before_sent"):
        clearance.record_clearance_answer(
            request,
            actor=police.leader,
            verdict="agreed",
            text="",
            answered_on=datetime.date(2026, 2, 27),
        )
    clearance.record_clearance_answer(request, actor=police.leader, verdict="agreed", text="")
    with refused("clearance_closed"):
        clearance.record_clearance_answer(request, actor=police.leader, verdict="agreed", text="")


def test_a_pending_request_is_withdrawn_by_the_reviewer_with_a_reason(world, police):
    nomination = received(world)
    request = ask(world, [nomination], body_unit=police)
    with pytest.raises(PermissionDenied):
        clearance.withdraw_clearance(request, actor=police.officer, reason="Nhầm cơ quan.")
    with refused("reason_required"):
        clearance.withdraw_clearance(request, actor=world.reviewer, reason="")
    clearance.withdraw_clearance(request, actor=world.reviewer, reason="Nhầm cơ quan.")
    request = refresh_request(request)
    assert request.status == ClearanceStatus.WITHDRAWN
    assert request.withdraw_reason == "Nhầm cơ quan."
    with refused("clearance_not_pending"):
        clearance.withdraw_clearance(request, actor=world.reviewer, reason="Lần nữa.")
    with refused("clearance_closed"):
        clearance.record_clearance_answer(request, actor=police.officer, verdict="agreed", text="")
    # A withdrawn request neither blocks nor counts in the check.
    appraisal.check_nomination(nomination, actor=world.reviewer, opinion="Đủ điều kiện.")
    assert refresh(nomination).status == Status.CHECKED
    assert not CriterionOpinion.objects.filter(nomination=nomination, code="clearance").exists()


def test_the_body_sees_the_requests_addressed_to_it_and_no_others(world, police):
    mine = ask(world, [received(world)], body_unit=police)
    other = ask(world, [received(world, year=2024)])
    visible = set(ClearanceRequest.objects.visible_to(police.officer))
    assert visible == {mine}
    assert set(ClearanceRequest.objects.visible_to(world.reviewer)) == {mine, other}
    assert set(ClearanceRequest.objects.visible_to(world.ward_officer)) == {mine, other}
    assert not ClearanceRequest.objects.visible_to(world.outsider).exists()


# ---------------------------------------------------------------------------------------------
# What the answers do to the check


def test_a_pending_request_blocks_the_check_naming_the_body_and_its_due_date(world, police):
    nomination = received(world)
    ask(world, [nomination], body_unit=police)
    with pytest.raises(
        RuleViolation, match=r"Đang chờ ý kiến của Công an tỉnh Đồng Nai \(hạn 09/03/2026\)"
    ):
        appraisal.check_nomination(nomination, actor=world.reviewer, opinion="Đủ điều kiện.")
    assert refresh(nomination).status == Status.RECEIVED
    results = bulk.bulk_apply("check", [nomination], actor=world.reviewer, reason="Đạt.")
    assert not results[0].ok and "Đang chờ ý kiến của Công an tỉnh Đồng Nai" in results[0].message


def test_agreement_of_every_body_asked_becomes_a_met_criterion(world, police):
    nomination = received(world)
    request = ask(world, [nomination], body_unit=police)
    clearance.record_clearance_answer(request, actor=police.officer, verdict="agreed", text="")
    appraisal.check_nomination(nomination, actor=world.reviewer, opinion="Đủ điều kiện.")
    row = CriterionOpinion.objects.get(nomination=nomination, code="clearance")
    assert row.verdict == row.suggested == Verdict.MET
    assert "Công an tỉnh Đồng Nai" in row.note


def test_an_objection_blocks_the_check_until_the_reviewer_justifies_or_returns(world, police):
    nomination = received(world)
    other = received(world, person=make_person(world.ward, "Lê Văn Tám", gender="male"))
    request = ask(world, [nomination, other], body_unit=police)
    clearance.record_clearance_answer(
        request,
        actor=police.officer,
        verdict="objection",
        text="Ông Lê Văn Tám bị xử phạt hành chính năm 2025.",
    )
    # Bulk check confirms the pre-filled verdicts: both rows fail with the body's words.
    results = bulk.bulk_apply("check", [nomination, other], actor=world.reviewer, reason="Đạt.")
    assert [r.ok for r in results] == [False, False]
    assert "Công an tỉnh Đồng Nai có ý kiến khác" in results[1].message
    assert "giải trình" in results[1].message
    # Judged met without a word: refused.
    verdicts = {c.code: (Verdict.MET, "") for c in criteria.criteria_for(refresh(nomination))}
    with refused("criterion_justification_missing"):
        appraisal.check_nomination(
            refresh(nomination), actor=world.reviewer, opinion="Đạt.", verdicts=verdicts
        )
    # With a justification the reviewer may go on; the override is kept beside the finding.
    verdicts["clearance"] = (Verdict.MET, "Xử phạt liên quan ông Tám, không phải bà Hồng.")
    appraisal.check_nomination(
        refresh(nomination), actor=world.reviewer, opinion="Đạt.", verdicts=verdicts
    )
    row = CriterionOpinion.objects.get(nomination=nomination, code="clearance")
    assert row.suggested == Verdict.NOT_MET and row.verdict == Verdict.MET and row.overridden
    assert row.note == "Xử phạt liên quan ông Tám, không phải bà Hồng."
    # The other dossier goes back to its sender with the reason.
    appraisal.return_nomination(refresh(other), actor=world.reviewer, reason="Bị xử phạt năm 2025.")
    assert refresh(other).status == Status.RETURNED


# ---------------------------------------------------------------------------------------------
# Pages


def test_the_reviewer_asks_from_the_queue_for_the_dossiers_ticked(world, client, police):
    first = received(world)
    second = received(world, person=make_person(world.ward, "Lê Văn Tám", gender="male"))
    client.force_login(world.reviewer)
    response = client.post(
        reverse("awards:queue"), {"action": "clearance", "nomination": [first.pk, second.pk]}
    )
    assert response.status_code == 302
    form_page = client.get(response["Location"]).content.decode()
    assert "Một công văn xin ý kiến về 2 hồ sơ" in form_page
    response = client.post(
        reverse("awards:clearance_create"),
        {
            "nomination": [first.pk, second.pk],
            "body_unit": police.name,
            "subject": "việc chấp hành pháp luật.",
            "due_on": "09/03/2026",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Đã gửi" in page and "Công an tỉnh Đồng Nai" in page
    assert ClearanceRequest.objects.get().nominations.count() == 2


def test_the_reviewer_asks_from_the_dossier_page_and_sees_the_overdue_flag(
    world, client, time_machine
):
    nomination = received(world)
    client.force_login(world.reviewer)
    url = reverse("awards:nomination_detail", kwargs={"nomination_id": nomination.pk})
    assert "Gửi công văn xin ý kiến" in client.get(url).content.decode()
    client.post(
        reverse("awards:clearance_create"),
        {
            "nomination": nomination.pk,
            "body_name": "Bảo hiểm xã hội tỉnh",
            "subject": "việc đóng bảo hiểm xã hội.",
            "due_on": "03/03/2026",
        },
    )
    time_machine.move_to(datetime.datetime(2026, 3, 5, 9, 0, tzinfo=datetime.UTC), tick=False)
    client.force_login(world.reviewer)
    page = client.get(url).content.decode()
    assert "Bảo hiểm xã hội tỉnh" in page and "Quá hạn trả lời" in page
    # The sender sees where its dossier waits, too.
    client.force_login(world.ward_officer)
    assert "Bảo hiểm xã hội tỉnh" in client.get(url).content.decode()


def test_the_body_answers_on_its_page_and_cannot_open_the_dossier(world, client, police):
    nomination = received(world)
    request = ask(world, [nomination], body_unit=police)
    client.force_login(police.officer)
    listing = client.get(reverse("awards:clearance_list")).content.decode()
    assert "Chờ đơn vị của bạn trả lời" in listing and world.person.full_name in listing
    detail = reverse("awards:clearance_detail", kwargs={"clearance_id": request.pk})
    assert "Ghi nhận trả lời" in client.get(detail).content.decode()
    dossier = reverse("awards:nomination_detail", kwargs={"nomination_id": nomination.pk})
    assert client.get(dossier).status_code == 404
    response = client.post(
        reverse("awards:clearance_answer", kwargs={"clearance_id": request.pk}),
        {"verdict": "objection", "text": ""},
        follow=True,
    )
    assert "Cần ghi nội dung ý kiến khác" in response.content.decode()
    client.post(
        reverse("awards:clearance_answer", kwargs={"clearance_id": request.pk}),
        {"verdict": "objection", "text": "Đang bị điều tra."},
    )
    assert refresh_request(request).status == ClearanceStatus.OBJECTION
    # Answering again, or withdrawing, is not for the body.
    response = client.post(
        reverse("awards:clearance_withdraw", kwargs={"clearance_id": request.pk}),
        {"reason": "Rút."},
    )
    assert response.status_code == 403


def test_an_outsider_gets_404_on_every_page_of_a_request(world, client):
    request = ask(world, [received(world)])
    client.force_login(world.outsider)
    for name in ("clearance_detail", "clearance_answer", "clearance_withdraw"):
        url = reverse(f"awards:{name}", kwargs={"clearance_id": request.pk})
        response = client.post(url) if name != "clearance_detail" else client.get(url)
        assert response.status_code == 404
    listing = client.get(reverse("awards:clearance_list")).content.decode()
    assert world.person.full_name not in listing


def _many_requests(world, police, count: int) -> None:
    people = [make_person(world.ward, f"Người số {i}") for i in range(count)]
    for index, person in enumerate(people):
        nomination = received(world, person=person)
        ask(world, [nomination], body_unit=police if index % 2 else None)


@pytest.mark.parametrize("count", [4, 40])
def test_the_list_of_requests_keeps_its_query_budget(
    world, client, police, django_assert_max_num_queries, count
):
    _many_requests(world, police, count)
    for user in (world.reviewer, police.officer):
        client.force_login(user)
        with django_assert_max_num_queries(14):
            response = client.get(reverse("awards:clearance_list"))
        assert response.status_code == 200
