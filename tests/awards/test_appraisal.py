"""Thẩm định per criterion: pre-filled from the eligibility engine, confirmed or corrected by
the reviewer, refused while a criterion is not met, shown to the sender and carried up."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from awards.models import AwardForm, AwardRecord, Choice, CriterionOpinion, Verdict
from awards.procedure import appraisal, bulk, council, drafting, submission
from awards.procedure.criteria import criteria_for
from awards.workflow import Status
from tests.awards.nomination_helpers import TODAY, council_of, received, refresh, submitted
from tests.factories import make_person
from tests.refusals import refused


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def _all_met(nomination, **changes) -> dict[str, tuple[str, str]]:
    verdicts = {c.code: (Verdict.MET, "") for c in criteria_for(nomination)}
    verdicts.update(changes)
    return verdicts


def test_each_criterion_is_prefilled_from_the_eligibility_findings(world):
    nomination = received(world)
    criteria = criteria_for(nomination)
    codes = [c.code for c in criteria]
    assert codes[0] == "standard" and "conduct" in codes and "authority" in codes
    assert "Lao động tiên tiến" in criteria[0].label
    assert criteria[0].article == nomination.item.legal_article
    assert {c.suggested for c in criteria} == {Verdict.MET}
    # A hard finding pre-fills its criterion "Không đạt", with the engine's words and article.
    findings = [
        {
            "code": "discipline",
            "severity": "hard",
            "article": "Điều 4 NĐ 152/2025",
            "message": "Điều 4 NĐ 152/2025: đang bị kỷ luật khiển trách.",
            "unverified": False,
        },
        {
            "code": "once",
            "severity": "soft",
            "article": "Điều 6",
            "message": "Điều 6: đã được khen cùng thành tích.",
            "unverified": False,
        },
    ]
    by_code = {c.code: c for c in criteria_for(nomination, findings=findings)}
    assert by_code["conduct"].suggested == Verdict.NOT_MET
    assert by_code["conduct"].article == "Điều 4 NĐ 152/2025"
    assert "khiển trách" in by_code["conduct"].finding
    assert by_code["principles"].suggested == Verdict.INCOMPLETE
    nomination.justifications = {"once": "Thành tích khác năm trước."}
    by_code = {c.code: c for c in criteria_for(nomination, findings=findings)}
    assert by_code["principles"].suggested == Verdict.MET
    assert "Thành tích khác năm trước." in by_code["principles"].finding


def test_confirming_the_prefilled_verdicts_records_one_audited_opinion_per_criterion(world):
    nomination = received(world)
    expected = [c.code for c in criteria_for(nomination)]
    appraisal.check_nomination(nomination, actor=world.reviewer, opinion="Đủ điều kiện.")
    rows = list(CriterionOpinion.objects.filter(nomination=nomination))
    assert [row.code for row in rows] == expected
    assert {row.verdict for row in rows} == {Verdict.MET}
    assert all(row.recorded_by == world.reviewer for row in rows)
    history = rows[0].history.first()
    assert history.history_change_reason == "awards.criterion_opinion.recorded"
    assert history.history_user == world.reviewer
    assert refresh(nomination).reviewer_opinion == "Đủ điều kiện."


def test_a_criterion_judged_not_met_refuses_the_check_naming_it(world):
    nomination = received(world)
    verdicts = _all_met(nomination, conduct=(Verdict.NOT_MET, "Đang bị xem xét kỷ luật."))
    with refused("criterion_not_met"):
        appraisal.check_nomination(
            nomination, actor=world.reviewer, opinion="Ý kiến", verdicts=verdicts
        )
    assert refresh(nomination).status == Status.RECEIVED
    assert not CriterionOpinion.objects.filter(nomination=nomination).exists()


def test_a_criterion_lacking_papers_refuses_the_check_and_asks_for_a_return(world):
    nomination = received(world)
    verdicts = _all_met(nomination, standard=(Verdict.INCOMPLETE, "Thiếu bảng điểm."))
    with refused("criterion_incomplete"):
        appraisal.check_nomination(
            nomination, actor=world.reviewer, opinion="Ý kiến", verdicts=verdicts
        )
    assert refresh(nomination).status == Status.RECEIVED


def test_every_criterion_needs_a_verdict(world):
    nomination = received(world)
    verdicts = _all_met(nomination)
    del verdicts["conduct"]
    with refused("criterion_verdict_missing"):
        appraisal.check_nomination(
            nomination, actor=world.reviewer, opinion="Ý kiến", verdicts=verdicts
        )
    verdicts = _all_met(nomination, conduct=("dat", ""))
    with refused("criterion_verdict_invalid"):
        appraisal.check_nomination(
            nomination, actor=world.reviewer, opinion="Ý kiến", verdicts=verdicts
        )
    assert refresh(nomination).status == Status.RECEIVED


def test_the_reviewer_notes_are_kept_and_a_recheck_updates_the_rows_with_history(world):
    nomination = received(world)
    verdicts = _all_met(nomination, standard=(Verdict.MET, "Đã đối chiếu bảng điểm."))
    appraisal.check_nomination(nomination, actor=world.reviewer, opinion="Đạt.", verdicts=verdicts)
    row = CriterionOpinion.objects.get(nomination=nomination, code="standard")
    assert row.note == "Đã đối chiếu bảng điểm."
    appraisal.return_nomination(refresh(nomination), actor=world.reviewer, reason="Bổ sung ảnh.")
    submitted(world, refresh(nomination))
    appraisal.receive_nomination(refresh(nomination), actor=world.reviewer)
    appraisal.check_nomination(refresh(nomination), actor=world.reviewer, opinion="Đạt lần hai.")
    row.refresh_from_db()
    assert row.note == ""
    assert CriterionOpinion.objects.filter(nomination=nomination, code="standard").count() == 1
    assert row.history.count() == 2


def test_the_sender_sees_the_verdict_per_criterion_on_the_dossier_page(world, client):
    nomination = received(world)
    verdicts = _all_met(nomination, standard=(Verdict.MET, "Đã đối chiếu bảng điểm."))
    appraisal.check_nomination(nomination, actor=world.reviewer, opinion="Đạt.", verdicts=verdicts)
    client.force_login(world.ward_officer)
    page = client.get(
        reverse("awards:nomination_detail", kwargs={"nomination_id": nomination.pk})
    ).content.decode()
    assert "Ý kiến thẩm định theo tiêu chí" in page
    assert "Đã đối chiếu bảng điểm." in page
    assert "Không bị kỷ luật, không trong thời gian tạm đình chỉ xét khen thưởng" in page


def test_the_check_form_on_the_dossier_page_is_prefilled_and_confirms_as_is(world, client):
    nomination = received(world)
    client.force_login(world.reviewer)
    url = reverse("awards:nomination_detail", kwargs={"nomination_id": nomination.pk})
    page = client.get(url).content.decode()
    assert 'name="verdict_standard"' in page
    assert '<option value="met" selected>Đạt</option>' in page
    assert "Thẩm định xong" in page
    # The opinion alone (the journey's flow) confirms every pre-filled verdict.
    action = reverse(
        "awards:nomination_action", kwargs={"nomination_id": nomination.pk, "action": "check"}
    )
    response = client.post(action, {"reason": "Hồ sơ đầy đủ."}, follow=True)
    assert "Đã thực hiện: Thẩm định xong." in response.content.decode()
    assert refresh(nomination).status == Status.CHECKED
    assert CriterionOpinion.objects.filter(nomination=nomination).count() >= 3


def test_a_not_met_verdict_sent_from_the_page_is_refused_with_its_message(world, client):
    nomination = received(world)
    client.force_login(world.reviewer)
    data = {"reason": "Ý kiến."}
    for code, (verdict, note) in _all_met(nomination).items():
        data[f"verdict_{code}"], data[f"note_{code}"] = verdict, note
    data["verdict_conduct"] = Verdict.NOT_MET
    action = reverse(
        "awards:nomination_action", kwargs={"nomination_id": nomination.pk, "action": "check"}
    )
    page = client.post(action, data, follow=True).content.decode()
    assert "không đạt" in page
    assert refresh(nomination).status == Status.RECEIVED


def test_the_forwarded_toi_trinh_carries_the_verdicts_per_criterion(world):
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
    batch = submission.forward_batch([refresh(nomination)], actor=world.reviewer)
    batch.submission.pdf.open("rb")
    try:
        pages = PdfReader(io.BytesIO(batch.submission.pdf.read())).pages
    finally:
        batch.submission.pdf.close()
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert f"Kết quả thẩm định {world.person.full_name}: Đủ hồ sơ." in text
    assert "Theo từng tiêu chí" in text and "Không bị kỷ luật" in text and ": đạt" in text


def test_bulk_check_confirms_the_prefilled_verdicts_row_by_row(world):
    first = received(world)
    second = received(world, person=make_person(world.ward, "Lê Văn Tám", gender="male"))
    results = bulk.bulk_apply("check", [first, second], actor=world.reviewer, reason="Đạt.")
    assert [r.ok for r in results] == [True, True]
    assert CriterionOpinion.objects.filter(nomination__in=[first, second]).count() == 2 * len(
        criteria_for(refresh(first))
    )


def test_the_council_minutes_report_the_appraisal_per_criterion(world):
    nomination = received(world, code="cstd-co-so")
    verdicts = _all_met(nomination, standard=(Verdict.MET, "Sáng kiến đã được công nhận."))
    appraisal.check_nomination(
        nomination, actor=world.reviewer, opinion="Đề nghị xét.", verdicts=verdicts
    )
    c = council_of(world, world.ward, size=3)
    item = council.put_on_agenda(refresh(nomination), actor=world.reviewer, session=c.session)
    for user in c.users:
        council.cast_vote(item, actor=user, choice=Choice.YES)
    session = council.close_session(c.session, actor=world.reviewer)
    session.minutes.pdf.open("rb")
    try:
        pages = PdfReader(io.BytesIO(session.minutes.pdf.read())).pages
    finally:
        session.minutes.pdf.close()
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "1. Kết quả thẩm định" in text  # the section of the Biên bản's Nội dung
    assert f"Kết quả thẩm định {world.person.full_name}: Đề nghị xét." in text
    assert "Tiêu chuẩn “Chiến sĩ thi đua cơ sở”" in text
