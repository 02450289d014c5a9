import datetime
import io
import zipfile
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from campaigns import services as campaign_services
from campaigns.models import ReviewKind
from pledges import reviews, services, workflow
from pledges.models import (
    AwardProposal,
    Measure,
    ProposalStatus,
    ProposedAward,
    Registration,
    Title,
)
from pledges.workflow import RegistrationStatus
from portal.access import Cap
from portal.errors import RuleViolation
from tests.campaign_fixtures import days, registered, task_row
from tests.refusals import refused

R = RegistrationStatus
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


PNG = _png()


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _start(world, campaign):
    return services.start_registration(campaign, actor=world.ward_officer, unit=world.ward)


def test_an_empty_registration_cannot_be_submitted(city, city_campaign):
    registration = _start(city, city_campaign)
    with refused("registration_without_tasks"):
        services.submit_registration(registration, actor=city.ward_officer)
    registration.refresh_from_db()
    assert registration.status == R.DRAFT


def test_the_full_path_draft_submitted_approved_accepted(city, city_campaign):
    registration = registered(city, city_campaign)
    assert registration.status == R.ACCEPTED
    assert registration.accepted_at is not None
    assert not registration.is_late
    assert [t.position for t in registration.tasks.all()] == [1, 2]
    reasons = [h.history_change_reason for h in registration.history.all()]
    assert "pledges.registration.accepted" in reasons


def test_only_sent_registrations_count_as_registered(city, city_campaign):
    draft = _start(city, city_campaign)
    assert not Registration.objects.registered().filter(pk=draft.pk).exists()
    services.set_registration_tasks(draft, actor=city.ward_officer, tasks=[task_row(1)])
    services.submit_registration(draft, actor=city.ward_officer)
    assert Registration.objects.registered().filter(pk=draft.pk).exists()


def test_a_late_registration_is_accepted_but_marked(city, city_campaign):
    registration = _start(city, city_campaign)
    services.set_registration_tasks(registration, actor=city.ward_officer, tasks=[task_row(1)])
    late_day = city_campaign.registration_due + datetime.timedelta(days=2)
    with time_machine.travel(datetime.datetime.combine(late_day, datetime.time(9)), tick=False):
        services.submit_registration(registration, actor=city.ward_officer)
    services.approve_registration(registration, actor=city.ward_leader)
    services.accept_registration(registration, actor=city.city_officer)
    registration.refresh_from_db()
    assert registration.is_late
    assert registration.status == R.ACCEPTED


def test_returning_needs_a_reason_and_leads_to_amendment_and_resubmission(city, city_campaign):
    registration = registered(city, city_campaign, accept=False)
    with refused("reason_required"):
        services.return_registration(registration, actor=city.city_officer, reason="")
    services.return_registration(registration, actor=city.city_officer, reason="Chỉ tiêu thấp")
    registration.refresh_from_db()
    assert registration.status == R.RETURNED
    assert registration.status_reason == "Chỉ tiêu thấp"
    services.amend_registration(registration, actor=city.ward_officer)
    services.set_registration_tasks(
        registration, actor=city.ward_officer, tasks=[task_row(1, target_value=Decimal(20))]
    )
    services.submit_registration(registration, actor=city.ward_officer)
    registration.refresh_from_db()
    assert registration.status == R.SUBMITTED


def test_the_unit_leader_may_send_it_back_before_approval(city, city_campaign):
    registration = _start(city, city_campaign)
    services.set_registration_tasks(registration, actor=city.ward_officer, tasks=[task_row(1)])
    services.submit_registration(registration, actor=city.ward_officer)
    services.return_registration(registration, actor=city.ward_leader, reason="Bổ sung nhiệm vụ")
    registration.refresh_from_db()
    assert registration.status == R.RETURNED


@pytest.mark.parametrize(
    ("service", "actor_name"),
    [
        ("submit_registration", "ward_leader"),
        ("approve_registration", "ward_officer"),
        ("accept_registration", "ward_leader"),
    ],
)
def test_each_step_needs_its_own_capability(city, city_campaign, service, actor_name):
    registration = _start(city, city_campaign)
    services.set_registration_tasks(registration, actor=city.ward_officer, tasks=[task_row(1)])
    if service != "submit_registration":
        services.submit_registration(registration, actor=city.ward_officer)
    if service == "accept_registration":
        services.approve_registration(registration, actor=city.ward_leader)
    with pytest.raises(PermissionDenied):
        getattr(services, service)(registration, actor=getattr(city, actor_name))


# The procedure (docs/campaigns.md, "Workflows"), written out by hand: adding a move to the
# table must change this list and the procedure together, never follow the table silently.
PINNED = {
    ("registration", R.DRAFT, R.SUBMITTED),
    ("registration", R.AMENDED, R.SUBMITTED),
    ("registration", R.SUBMITTED, R.APPROVED),
    ("registration", R.SUBMITTED, R.RETURNED),
    ("registration", R.APPROVED, R.ACCEPTED),
    ("registration", R.APPROVED, R.RETURNED),
    ("registration", R.RETURNED, R.AMENDED),
    ("registration", R.ACCEPTED, R.AMENDED),
    ("review", "draft", "submitted"),
}


TABLES = {"registration": workflow.REGISTRATION, "review": workflow.UNIT_REVIEW}


def _table_moves() -> dict[tuple[str, str, str], tuple[str, Cap, str, bool]]:
    return {
        (kind, source, row.target): (row.action, row.cap, row.on, row.needs_reason)
        for kind, table in TABLES.items()
        for row in table
        for source in row.sources
    }


def test_the_registration_and_review_table_is_exactly_the_procedure():
    assert set(_table_moves()) == PINNED


# Which action makes each move, who makes it, on which side (the registering unit's own, or
# the issuing level's), and which moves need a written reason.
PINNED_CAPABILITY = {
    ("registration", R.DRAFT, R.SUBMITTED): ("submit", Cap.SUBMIT_REGISTRATION, "unit", False),
    ("registration", R.AMENDED, R.SUBMITTED): ("submit", Cap.SUBMIT_REGISTRATION, "unit", False),
    ("registration", R.SUBMITTED, R.APPROVED): (
        "approve",
        Cap.APPROVE_REGISTRATION,
        "unit",
        False,
    ),
    ("registration", R.SUBMITTED, R.RETURNED): ("return", Cap.APPROVE_REGISTRATION, "unit", True),
    ("registration", R.APPROVED, R.ACCEPTED): (
        "accept",
        Cap.ACCEPT_REGISTRATION,
        "issuer",
        False,
    ),
    ("registration", R.APPROVED, R.RETURNED): ("return", Cap.ACCEPT_REGISTRATION, "issuer", True),
    ("registration", R.RETURNED, R.AMENDED): ("amend", Cap.SUBMIT_REGISTRATION, "unit", False),
    ("registration", R.ACCEPTED, R.AMENDED): ("amend", Cap.SUBMIT_REGISTRATION, "unit", True),
    ("review", "draft", "submitted"): ("submit", Cap.REPORT_PROGRESS, "unit", False),
}


# Where a registration's tasks may be edited (the unit's draft, or an amendment), and which
# statuses count as "registered" (sent at least once): by hand, from the procedure.
PINNED_EDITABLE = {R.DRAFT, R.AMENDED}
PINNED_REGISTERED = {R.SUBMITTED, R.APPROVED, R.ACCEPTED, R.RETURNED, R.AMENDED}


def test_the_editable_and_registered_statuses_are_exactly_the_procedure():
    assert set(workflow.EDITABLE) == PINNED_EDITABLE
    assert set(workflow.REGISTERED) == PINNED_REGISTERED


def test_each_registration_move_needs_the_procedures_capability_side_and_reason():
    assert _table_moves() == PINNED_CAPABILITY


# Every service's move (none moves a registration back to draft) from every status, except
# the pinned ones.
ILLEGAL = [
    (source, target)
    for source in R.values
    for target in (R.SUBMITTED, R.APPROVED, R.ACCEPTED, R.RETURNED, R.AMENDED)
    if ("registration", source, target) not in PINNED
]


def _bring_to(world, campaign, status):
    registration = _start(world, campaign)
    services.set_registration_tasks(registration, actor=world.ward_officer, tasks=[task_row(1)])
    path = {
        R.DRAFT: [],
        R.SUBMITTED: ["submit"],
        R.APPROVED: ["submit", "approve"],
        R.ACCEPTED: ["submit", "approve", "accept"],
        R.RETURNED: ["submit", "approve", "return"],
        R.AMENDED: ["submit", "approve", "return", "amend"],
    }[status]
    for step in path:
        if step == "submit":
            services.submit_registration(registration, actor=world.ward_officer)
        elif step == "approve":
            services.approve_registration(registration, actor=world.ward_leader)
        elif step == "accept":
            services.accept_registration(registration, actor=world.city_officer)
        elif step == "return":
            services.return_registration(registration, actor=world.city_officer, reason="Sửa")
        else:
            services.amend_registration(registration, actor=world.ward_officer)
    registration.refresh_from_db()
    assert registration.status == status
    return registration


def _attempt(world, registration, target):
    if target == R.SUBMITTED:
        return services.submit_registration(registration, actor=world.ward_officer)
    if target == R.APPROVED:
        return services.approve_registration(registration, actor=world.ward_leader)
    if target == R.ACCEPTED:
        return services.accept_registration(registration, actor=world.city_officer)
    if target == R.RETURNED:
        return services.return_registration(registration, actor=world.city_officer, reason="Sửa")
    return services.amend_registration(registration, actor=world.ward_officer, reason="Sửa")


@pytest.mark.parametrize(("source", "target"), ILLEGAL)
def test_every_registration_move_outside_the_table_is_refused(city, city_campaign, source, target):
    registration = _bring_to(city, city_campaign, source)
    with refused("registration.refused") as refusal:
        _attempt(city, registration, target)
    assert refusal.value.message == (
        f"Không thể chuyển bản đăng ký từ “{R(source).label}” sang “{R(target).label}”."
    )
    registration.refresh_from_db()
    assert registration.status == source


@pytest.mark.parametrize(("kind", "source", "target"), sorted(PINNED))
def test_every_transition_of_the_pledges_table_is_performed(
    city, city_campaign, kind, source, target
):
    if kind == "review":
        registered(city, city_campaign)
        review = reviews.open_unit_review(
            city_campaign, actor=city.ward_officer, unit=city.ward, kind=ReviewKind.MIDTERM
        )
        reviews.submit_unit_review(review, actor=city.ward_officer)
        review.refresh_from_db()
        assert review.status == target
        return
    registration = _bring_to(city, city_campaign, source)
    if source == R.SUBMITTED and target == R.RETURNED:
        services.return_registration(registration, actor=city.ward_leader, reason="Sửa")
    else:
        _attempt(city, registration, target)
    registration.refresh_from_db()
    assert registration.status == target


def test_a_unit_outside_the_targets_cannot_register(city, city_campaign):
    with pytest.raises(PermissionDenied):
        services.start_registration(city_campaign, actor=city.ward_officer, unit=city.sibling_ward)
    with refused("unit_not_targeted"):
        services.start_registration(city_campaign, actor=city.admin, unit=city.home_affairs)


def test_a_unit_registers_once_per_campaign(city, city_campaign):
    _start(city, city_campaign)
    with refused("registration_exists"):
        _start(city, city_campaign)


def test_task_rows_are_checked_all_or_nothing(city, city_campaign):
    registration = _start(city, city_campaign)
    with refused("import_refused") as refusal:
        services.set_registration_tasks(
            registration,
            actor=city.ward_officer,
            tasks=[
                task_row(1),
                task_row(9, target_value=Decimal(0), unit_of_measure="", due_on=days(999)),
            ],
        )
    errors = refusal.value.errors
    assert errors[0].startswith("Dòng 2: Nội dung thi đua phải là một trong các số: 1, 2, 3")
    assert any("lớn hơn 0" in e for e in errors)
    assert any("Hạn hoàn thành phải trong thời gian phong trào" in e for e in errors)
    assert not registration.tasks.exists()


def test_titles_follow_the_collective_or_individual_rule(city):
    from tests.campaign_fixtures import make_campaign

    campaign = campaign_services.launch_campaign(
        make_campaign(city.district, city.city_officer, asks_for_titles=True),
        actor=city.city_leader,
    )
    registration = _start(city, campaign)
    services.set_registered_titles(
        registration,
        actor=city.ward_officer,
        titles=[(Title.TTLDXS, None), (Title.CSTDCS, city.person)],
    )
    assert registration.titles.count() == 2
    with refused("title_individual_needs_person"):
        services.set_registered_titles(
            registration, actor=city.ward_officer, titles=[(Title.LDTT, None)]
        )
    with refused("person_outside_unit"):
        services.set_registered_titles(
            registration, actor=city.ward_officer, titles=[(Title.CSTDCS, city.sibling_person)]
        )


def _report(world, task, **fields):
    fields.setdefault("reported_on", days(0))
    fields.setdefault("narrative", "Đã xây dựng các mô hình tại khu phố.")
    return services.report_progress(task, actor=world.ward_officer, **fields)


def test_percentage_is_computed_from_the_value_and_capped_at_100(city, city_campaign):
    registration = registered(city, city_campaign)
    number_task, milestone_task = registration.tasks.all()
    report = _report(city, number_task, value=Decimal(4))
    assert report.percent == Decimal("40.0")
    number_task.refresh_from_db()
    assert number_task.latest_percent == Decimal("40.0")
    assert number_task.latest_value == Decimal(4)
    assert _report(city, number_task, value=Decimal(15)).percent == Decimal(100)
    assert _report(city, milestone_task, done=False).percent == Decimal(0)
    assert _report(city, milestone_task, done=True).percent == Decimal(100)


def test_progress_needs_an_accepted_registration(city, city_campaign):
    registration = registered(city, city_campaign, accept=False)
    with refused("registration_not_accepted"):
        _report(city, registration.tasks.first(), value=Decimal(1))


def test_progress_is_reported_by_the_units_officer_only(city, city_campaign):
    task = registered(city, city_campaign).tasks.first()
    with pytest.raises(PermissionDenied):
        services.report_progress(
            task, actor=city.ward_leader, reported_on=days(0), narrative="x", value=Decimal(1)
        )


def test_evidence_is_checked_by_content_not_by_name(city, city_campaign):
    task = registered(city, city_campaign).tasks.first()
    fake = SimpleUploadedFile("bao-cao.pdf", b"day la van ban thuong, khong phai PDF")
    with pytest.raises(RuleViolation, match="không phải PDF, ảnh hoặc tài liệu văn phòng"):
        _report(city, task, value=Decimal(1), files=[fake])
    assert not task.reports.exists()
    report = _report(
        city,
        task,
        value=Decimal(2),
        files=[
            SimpleUploadedFile("anh.jpg", PNG),
            SimpleUploadedFile("ke-hoach", PDF),
            SimpleUploadedFile("bao-cao.docx", _docx()),
        ],
        links="https://longkhanh.dongnai.gov.vn/tin-tuc",
    )
    assert sorted(e.content_type for e in report.evidence.all()) == [
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "image/png",
    ]
    assert report.link_list() == ["https://longkhanh.dongnai.gov.vn/tin-tuc"]
    assert sorted(e.original_name for e in report.evidence.all()) == [
        "anh.jpg",
        "bao-cao.docx",
        "ke-hoach",
    ]
    assert all(e.file.name.rsplit("/", 1)[1] != e.original_name for e in report.evidence.all())


def test_an_oversized_evidence_file_is_refused(city, city_campaign, settings):
    settings.UPLOAD_MAX_BYTES = 10
    task = registered(city, city_campaign).tasks.first()
    with pytest.raises(RuleViolation, match="vượt giới hạn 10 byte"):
        _report(city, task, value=Decimal(1), files=[SimpleUploadedFile("a.pdf", PDF)])


def test_a_task_is_overdue_when_its_due_date_passes_unmet(city, city_campaign):
    task = registered(city, city_campaign).tasks.first()
    _report(city, task, value=Decimal(5))
    task.refresh_from_db()
    after_due = task.due_on + datetime.timedelta(days=1)
    assert task.is_overdue(after_due)
    assert not task.is_overdue(task.due_on)
    assert task.__class__.objects.overdue(after_due).filter(pk=task.pk).exists()


def test_unit_review_is_prefilled_from_the_measured_progress(city, city_campaign):
    registration = registered(city, city_campaign)
    number_task, milestone_task = registration.tasks.all()
    _report(city, number_task, value=Decimal(8))
    _report(city, milestone_task, done=True)
    review = reviews.open_unit_review(
        city_campaign, actor=city.ward_officer, unit=city.ward, kind=ReviewKind.FINAL
    )
    lines = review.self_assessment.splitlines()
    assert lines[0].endswith("chỉ tiêu 10 mô hình; đạt 8 mô hình (80%).")
    assert lines[1].endswith("chỉ tiêu Hoàn thành; đã hoàn thành (100%).")
    assert review.measured == {str(number_task.pk): 80.0, str(milestone_task.pk): 100.0}
    assert review.registration == registration


def test_a_submitted_unit_review_is_not_submitted_again(city, city_campaign):
    registration = registered(city, city_campaign)
    _report(city, registration.tasks.first(), value=Decimal(8))
    review = reviews.open_unit_review(
        city_campaign, actor=city.ward_officer, unit=city.ward, kind=ReviewKind.FINAL
    )
    reviews.submit_unit_review(review, actor=city.ward_officer)
    with refused("unit_review.refused") as refusal:
        reviews.submit_unit_review(review, actor=city.ward_officer)
    assert refusal.value.message == "Không thể chuyển báo cáo từ “Đã gửi” sang “Đã gửi”."


@pytest.mark.parametrize(
    ("kind", "source"),
    [("registration", s) for s in R.values] + [("review", s) for s in ("draft", "submitted")],
)
def test_the_buttons_offered_from_each_status_are_the_procedures_moves(kind, source):
    assert sorted(row.target for row in TABLES[kind].from_status(source)) == sorted(
        t for k, s, t in PINNED if (k, s) == (kind, source)
    )


def test_review_proposals_are_structured_rows_for_the_awards_app(city, city_campaign):
    registered(city, city_campaign)
    review = reviews.open_unit_review(
        city_campaign, actor=city.ward_officer, unit=city.ward, kind=ReviewKind.FINAL
    )
    reviews.update_unit_review(
        review,
        actor=city.ward_officer,
        self_assessment=review.self_assessment or "Hoàn thành các nhiệm vụ.",
        strengths="Đoàn kết",
        shortcomings="Kinh phí hạn chế",
        exemplars=[
            reviews.ExemplarInput(
                kind="good_practice", name="Tổ dân phố 3", description="Mô hình camera an ninh"
            )
        ],
        proposals=[
            reviews.ProposalInput(
                award=ProposedAward.GIAY_KHEN, achievement="Hoàn thành xuất sắc", person=city.person
            ),
            reviews.ProposalInput(
                award=ProposedAward.BANG_KHEN_TINH, achievement="Dẫn đầu", unit=city.ward
            ),
        ],
    )
    assert not AwardProposal.objects.pending().exists()
    reviews.submit_unit_review(review, actor=city.ward_officer)
    pending = list(AwardProposal.objects.pending().order_by("pk"))
    assert [p.nominee for p in pending] == [city.person, city.ward]
    reviews.mark_proposal_nominated(pending[0], actor=city.ward_officer, nomination_id=42)
    pending[0].refresh_from_db()
    assert pending[0].status == ProposalStatus.NOMINATED
    with refused("review_not_editable"):
        reviews.update_unit_review(
            review, actor=city.ward_officer, self_assessment="x", strengths="", shortcomings=""
        )


def test_a_proposal_for_someone_outside_the_unit_is_refused(city, city_campaign):
    review = reviews.open_unit_review(
        city_campaign, actor=city.ward_officer, unit=city.ward, kind=ReviewKind.MIDTERM
    )
    with refused("person_outside_unit"):
        reviews.update_unit_review(
            review,
            actor=city.ward_officer,
            self_assessment="x",
            strengths="",
            shortcomings="",
            proposals=[
                reviews.ProposalInput(
                    award=ProposedAward.GIAY_KHEN, achievement="x", person=city.sibling_person
                )
            ],
        )


def test_registrations_are_visible_to_the_unit_and_the_issuer_only(city, city_campaign):
    registration = registered(city, city_campaign)
    assert registration in Registration.objects.visible_to(city.city_officer)
    assert registration in Registration.objects.visible_to(city.ward_leader)
    assert registration not in Registration.objects.visible_to(city.outsider)


def test_decimal_parsing_accepts_vietnamese_notation():
    assert services.parse_decimal("1.250,5") == Decimal("1250.5")
    assert services.parse_decimal("12") == Decimal(12)
    assert services.parse_decimal("") is None
    with pytest.raises(ValueError):
        services.parse_decimal("mười")


def test_milestone_rows_carry_no_number(city, city_campaign):
    registration = _start(city, city_campaign)
    with refused("import_refused"):
        services.set_registration_tasks(
            registration,
            actor=city.ward_officer,
            tasks=[task_row(1, measure=Measure.MILESTONE, target_value=Decimal(3))],
        )


def test_the_issuing_levels_report_is_drafted_with_figures_from_the_data(city, city_campaign):
    registration = registered(city, city_campaign)
    number_task, milestone_task = registration.tasks.all()
    _report(city, number_task, value=Decimal(5))
    _report(city, milestone_task, done=True)
    review = reviews.open_unit_review(
        city_campaign, actor=city.ward_officer, unit=city.ward, kind=ReviewKind.MIDTERM
    )
    reviews.update_unit_review(
        review,
        actor=city.ward_officer,
        self_assessment=review.self_assessment,
        strengths="",
        shortcomings="Thiếu kinh phí",
        exemplars=[reviews.ExemplarInput(kind="new_model", name="Tổ tự quản", description="x")],
        proposals=[
            reviews.ProposalInput(award=ProposedAward.GIAY_KHEN, achievement="x", unit=city.ward)
        ],
    )
    reviews.submit_unit_review(review, actor=city.ward_officer)
    with pytest.raises(PermissionDenied):
        reviews.draft_review_report(city_campaign, actor=city.ward_officer, kind="midterm")
    draft = reviews.draft_review_report(city_campaign, actor=city.city_officer, kind="midterm")
    text = "\n".join(block["text"] for block in draft.body)
    assert draft.kind == "report" and not draft.is_issued
    assert draft.summary.startswith("Sơ kết Phong trào thi đua")
    assert "1/4 đơn vị đã đăng ký" in text
    assert "tỷ lệ hoàn thành bình quân 75,0%" in text
    assert "1/2 nhiệm vụ đã hoàn thành" in text
    assert "- Mô hình mới: Tổ tự quản (Phường Xuân Trung)." in text
    assert "- Giấy khen: 1." in text
    assert "- Phường Xuân Trung: Thiếu kinh phí" in text
