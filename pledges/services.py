"""Every write to registrations, progress and unit reviews goes through one of these."""

from __future__ import annotations

import datetime
import os
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from campaigns import workflow as campaign_workflow
from campaigns.models import Campaign, ReviewKind
from pledges import workflow
from pledges.cascade import build
from pledges.evidence import check_evidence
from pledges.models import (
    COLLECTIVE_TITLES,
    AwardProposal,
    Evidence,
    Exemplar,
    ExemplarKind,
    Measure,
    ProgressReport,
    ProposalStatus,
    ProposedAward,
    RegisteredTitle,
    Registration,
    RegistrationTask,
    Title,
    UnitReview,
)
from pledges.workflow import RegistrationStatus, Side, UnitReviewStatus
from portal import access, documents
from portal.access import Cap
from portal.audit import stamp
from portal.errors import RuleViolation
from portal.models import DocumentKind, OfficialDocument, Person, Unit
from portal.text import normalize_text


@dataclass(frozen=True)
class TaskInput:
    """One task row as typed in the form or read from the Excel sheet (before validation)."""

    item_number: int | None
    description: str
    measure: str
    target_value: Decimal | None
    unit_of_measure: str
    due_on: datetime.date | None
    responsible: str
    line: int | None = None  # the sheet's row number, when read from Excel


class ImportRefused(RuleViolation):
    """An all-or-nothing import refused; `errors` lists each bad row with its message."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("Không nhập được: có dòng sai, chưa dòng nào được lưu.")
        self.errors = errors


def _multiline(value: str) -> str:
    return "\n".join(normalize_text(line) for line in str(value or "").splitlines()).strip()


def _require_on(actor, move: workflow.Transition, registration: Registration) -> None:
    unit = registration.unit if move.side == Side.UNIT else registration.campaign.issuer
    access.require(actor, move.capability, unit)


def _locked(registration: Registration) -> Registration:
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("campaign__issuer", "unit")
        .get(pk=registration.pk)
    )


def _move(registration: Registration, target: str, *, actor, reason: str = "") -> Registration:
    move = workflow.transition("registration", registration.status, target)
    if move is None:
        raise RuleViolation(workflow.refusal("registration", registration.status, target))
    _require_on(actor, move, registration)
    reason = normalize_text(reason)
    if move.needs_reason and not reason:
        raise RuleViolation("Cần nêu lý do.")
    registration.status = target
    registration.status_reason = reason
    stamp(
        registration,
        actor=actor,
        reason=f"pledges.registration.{target}" + (f": {reason}" if reason else ""),
    )
    registration.save(
        update_fields=["status", "status_reason", "is_late", "first_submitted_at", "accepted_at"]
    )
    return registration


@transaction.atomic
def start_registration(campaign: Campaign, *, actor, unit: Unit) -> Registration:
    """Open the draft registration of `unit` under `campaign`."""
    access.require(actor, Cap.SUBMIT_REGISTRATION, unit)
    campaign = Campaign.objects.get(pk=campaign.pk)
    if campaign.status not in campaign_workflow.OPEN_FOR_REGISTRATION:
        raise RuleViolation("Phong trào không còn nhận đăng ký.")
    if not campaign.targets.filter(unit=unit).exists():
        raise RuleViolation(f"“{unit}” không thuộc đối tượng của phong trào này.")
    registration = Registration(campaign=campaign, unit=unit)
    stamp(registration, actor=actor, reason="pledges.registration.started")
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:
        raise RuleViolation(f"“{unit}” đã có bản đăng ký cho phong trào này.") from error
    return registration


def task_errors(campaign: Campaign, row: TaskInput, items: dict[int, int]) -> list[str]:
    """What is wrong with one task row; `items` maps content item numbers to their ids."""
    errors = []
    if row.item_number is None or row.item_number not in items:
        numbers = ", ".join(str(n) for n in sorted(items))
        errors.append(f"Nội dung thi đua phải là một trong các số: {numbers}.")
    if not normalize_text(row.description):
        errors.append("Thiếu mô tả nhiệm vụ.")
    if row.measure == Measure.NUMBER:
        if row.target_value is None or row.target_value <= 0:
            errors.append("Chỉ tiêu số lượng phải là số lớn hơn 0.")
        if not normalize_text(row.unit_of_measure):
            errors.append("Chỉ tiêu số lượng cần đơn vị tính.")
    elif row.measure == Measure.MILESTONE:
        if row.target_value is not None:
            errors.append("Mốc hoàn thành không ghi chỉ tiêu số.")
    else:
        errors.append("Loại chỉ tiêu phải là “Số lượng” hoặc “Mốc hoàn thành”.")
    if row.due_on is None:
        errors.append("Thiếu hạn hoàn thành (dd/mm/yyyy).")
    elif not campaign.starts_on <= row.due_on <= campaign.ends_on:
        errors.append(
            f"Hạn hoàn thành phải trong thời gian phong trào "
            f"({campaign.starts_on:%d/%m/%Y} – {campaign.ends_on:%d/%m/%Y})."
        )
    if not normalize_text(row.responsible):
        errors.append("Thiếu người phụ trách.")
    return errors


def _editable(registration: Registration, actor) -> None:
    access.require(actor, Cap.SUBMIT_REGISTRATION, registration.unit)
    if registration.status not in workflow.EDITABLE:
        raise RuleViolation("Chỉ sửa được bản đăng ký đang soạn hoặc đang điều chỉnh.")


@transaction.atomic
def set_registration_tasks(
    registration: Registration, *, actor, tasks: Sequence[TaskInput]
) -> list[RegistrationTask]:
    """Replace the registration's tasks with `tasks`, all or nothing.

    Tasks that already carry progress reports cannot be dropped: their history would go too.
    """
    registration = _locked(registration)
    _editable(registration, actor)
    campaign = registration.campaign
    items = dict(campaign.items.values_list("number", "pk"))
    errors = []
    for index, row in enumerate(tasks, start=1):
        line = row.line or index
        errors += [f"Dòng {line}: {message}" for message in task_errors(campaign, row, items)]
    if errors:
        raise ImportRefused(errors)
    if ProgressReport.objects.filter(task__registration=registration).exists():
        raise RuleViolation("Các nhiệm vụ đã có báo cáo tiến độ; không thể thay toàn bộ danh sách.")
    registration.tasks.all().delete()
    created = [
        RegistrationTask(
            registration=registration,
            position=position,
            content_item_id=items[row.item_number],
            description=_multiline(row.description),
            measure=row.measure,
            target_value=row.target_value if row.measure == Measure.NUMBER else None,
            unit_of_measure=normalize_text(row.unit_of_measure)
            if row.measure == Measure.NUMBER
            else "",
            due_on=row.due_on,
            responsible=normalize_text(row.responsible),
        )
        for position, row in enumerate(tasks, start=1)
    ]
    return bulk_create_with_history(created, RegistrationTask, default_user=actor)


@transaction.atomic
def set_registered_titles(
    registration: Registration, *, actor, titles: Sequence[tuple[str, Person | None]]
) -> list[RegisteredTitle]:
    registration = _locked(registration)
    _editable(registration, actor)
    if titles and not registration.campaign.asks_for_titles:
        raise RuleViolation("Phong trào này không yêu cầu đăng ký danh hiệu thi đua.")
    seen = set()
    rows = []
    for title, person in titles:
        if title not in Title.values:
            raise RuleViolation("Danh hiệu không hợp lệ.")
        label = Title(title).label
        if title in COLLECTIVE_TITLES and person is not None:
            raise RuleViolation(f"“{label}” là danh hiệu tập thể, không ghi cá nhân.")
        if title not in COLLECTIVE_TITLES and person is None:
            raise RuleViolation(f"“{label}” là danh hiệu cá nhân, cần chọn người đăng ký.")
        if person is not None and not registration.unit.contains(person.unit):
            raise RuleViolation(f"{person} không thuộc {registration.unit}.")
        key = (title, person.pk if person else None)
        if key in seen:
            raise RuleViolation(f"“{label}” được đăng ký hai lần cho cùng một đối tượng.")
        seen.add(key)
        rows.append(RegisteredTitle(registration=registration, title=title, person=person))
    registration.titles.all().delete()
    return bulk_create_with_history(rows, RegisteredTitle, default_user=actor)


@transaction.atomic
def submit_registration(registration: Registration, *, actor) -> Registration:
    """Send to the unit's leader; a late registration is marked, not refused."""
    registration = _locked(registration)
    move = workflow.transition("registration", registration.status, RegistrationStatus.SUBMITTED)
    if move is not None:
        _require_on(actor, move, registration)
    if not registration.tasks.exists():
        raise RuleViolation("Bản đăng ký chưa có nhiệm vụ nào, không thể gửi.")
    if registration.first_submitted_at is None and move is not None:
        registration.first_submitted_at = timezone.now()
        registration.is_late = registration.campaign.is_registration_overdue(timezone.localdate())
    return _move(registration, RegistrationStatus.SUBMITTED, actor=actor)


@transaction.atomic
def approve_registration(registration: Registration, *, actor) -> Registration:
    """The unit's leader approves the registration, which goes to the issuing level."""
    return _move(_locked(registration), RegistrationStatus.APPROVED, actor=actor)


@transaction.atomic
def accept_registration(registration: Registration, *, actor) -> Registration:
    registration = _locked(registration)
    if registration.status == RegistrationStatus.APPROVED:
        registration.accepted_at = timezone.now()
    return _move(registration, RegistrationStatus.ACCEPTED, actor=actor)


@transaction.atomic
def return_registration(registration: Registration, *, actor, reason: str) -> Registration:
    """Send back with a reason: by the unit's leader before approval, by the issuing level after."""
    return _move(_locked(registration), RegistrationStatus.RETURNED, actor=actor, reason=reason)


@transaction.atomic
def amend_registration(registration: Registration, *, actor, reason: str = "") -> Registration:
    return _move(_locked(registration), RegistrationStatus.AMENDED, actor=actor, reason=reason)


def compute_percent(task: RegistrationTask, *, value: Decimal | None, done: bool | None) -> Decimal:
    """The share of the target reached, 0–100, to one decimal."""
    if task.measure == Measure.MILESTONE:
        return Decimal(100) if done else Decimal(0)
    share = (value or Decimal(0)) / task.target_value * 100
    return min(Decimal(100), share).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _parse_links(links: str) -> str:
    kept = []
    for line in str(links or "").splitlines():
        line = normalize_text(line)
        if not line:
            continue
        if not line.startswith(("http://", "https://")):
            raise RuleViolation(f"Đường dẫn “{line}” phải bắt đầu bằng http:// hoặc https://.")
        kept.append(line)
    return "\n".join(kept)


@transaction.atomic
def report_progress(
    task: RegistrationTask,
    *,
    actor,
    reported_on: datetime.date,
    narrative: str,
    value: Decimal | None = None,
    done: bool | None = None,
    links: str = "",
    files: Sequence = (),
) -> ProgressReport:
    """Record progress on `task` with its evidence; the task keeps the latest figures."""
    task = (
        RegistrationTask.objects.select_for_update(of=("self",))
        .select_related("registration__unit", "registration__campaign")
        .get(pk=task.pk)
    )
    registration = task.registration
    access.require(actor, Cap.REPORT_PROGRESS, registration.unit)
    if registration.status != RegistrationStatus.ACCEPTED:
        raise RuleViolation("Chỉ báo cáo tiến độ khi bản đăng ký đã được chấp thuận.")
    campaign = registration.campaign
    if campaign.status not in campaign_workflow.RUNNING:
        raise RuleViolation("Phong trào không còn nhận báo cáo tiến độ.")
    if reported_on > timezone.localdate():
        raise RuleViolation("Ngày báo cáo không được ở tương lai.")
    narrative = _multiline(narrative)
    if not narrative:
        raise RuleViolation("Cần diễn giải kết quả thực hiện.")
    if task.measure == Measure.NUMBER:
        if value is None or value < 0:
            raise RuleViolation("Cần ghi kết quả đạt được (số không âm).")
        done = None
    else:
        if done is None:
            raise RuleViolation("Cần cho biết đã hoàn thành hay chưa.")
        value = None
    links = _parse_links(links)
    content_types = [check_evidence(upload) for upload in files]
    period = campaign.periods.filter(starts_on__lte=reported_on, ends_on__gte=reported_on).first()
    report = ProgressReport(
        task=task,
        period=period,
        reported_on=reported_on,
        value=value,
        done=done,
        percent=compute_percent(task, value=value, done=done),
        narrative=narrative,
        links=links,
        reported_by=actor,
    )
    stamp(report, actor=actor, reason="pledges.progress.reported")
    report.save()
    for upload, content_type in zip(files, content_types, strict=True):
        evidence = Evidence(
            report=report,
            original_name=normalize_text(os.path.basename(upload.name))[:255],
            content_type=content_type,
            size=upload.size,
        )
        evidence.file.save(upload.name, upload, save=False)
        stamp(evidence, actor=actor, reason="pledges.evidence.attached")
        evidence.save()
    if task.last_reported_on is None or reported_on >= task.last_reported_on:
        task.latest_value, task.latest_done = value, done
        task.latest_percent = report.percent
        task.last_reported_on = reported_on
        stamp(task, actor=actor, reason="pledges.task.progress")
        task.save(
            update_fields=["latest_value", "latest_done", "latest_percent", "last_reported_on"]
        )
    return report


def _measured_lines(tasks: Sequence[RegistrationTask]) -> str:
    lines = []
    for number, task in enumerate(tasks, start=1):
        if task.measure == Measure.MILESTONE:
            result = "đã hoàn thành" if task.latest_done else "chưa hoàn thành"
        elif task.latest_value is None:
            result = "chưa có báo cáo"
        else:
            result = f"đạt {task.latest_value.normalize():f} {task.unit_of_measure}"
        lines.append(
            f"{number}. {task.description}: chỉ tiêu {task.target_display}; "
            f"{result} ({task.latest_percent.normalize():f}%)."
        )
    return "\n".join(lines)


@transaction.atomic
def open_unit_review(campaign: Campaign, *, actor, unit: Unit, kind: str) -> UnitReview:
    """Open the unit's sơ kết or tổng kết, pre-filled from the measured progress of its tasks."""
    access.require(actor, Cap.REPORT_PROGRESS, unit)
    if kind not in ReviewKind.values:
        raise RuleViolation("Loại báo cáo không hợp lệ.")
    if campaign.status not in campaign_workflow.RUNNING:
        raise RuleViolation("Phong trào không còn nhận báo cáo sơ kết, tổng kết của đơn vị.")
    if not campaign.targets.filter(unit=unit).exists():
        raise RuleViolation(f"“{unit}” không thuộc đối tượng của phong trào này.")
    registration = Registration.objects.filter(campaign=campaign, unit=unit).first()
    tasks = list(registration.tasks.all()) if registration else []
    review = UnitReview(
        campaign=campaign,
        unit=unit,
        registration=registration,
        kind=kind,
        self_assessment=_measured_lines(tasks),
        measured={str(task.pk): float(task.latest_percent) for task in tasks},
    )
    stamp(review, actor=actor, reason=f"pledges.unit_review.opened.{kind}")
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError as error:
        raise RuleViolation(
            f"{unit} đã có báo cáo {ReviewKind(kind).label.lower()} cho phong trào này."
        ) from error
    return review


@dataclass(frozen=True)
class ExemplarInput:
    kind: str
    name: str
    description: str
    person: Person | None = None


@dataclass(frozen=True)
class ProposalInput:
    award: str
    achievement: str
    unit: Unit | None = None
    person: Person | None = None


@transaction.atomic
def update_unit_review(
    review: UnitReview,
    *,
    actor,
    self_assessment: str,
    strengths: str,
    shortcomings: str,
    exemplars: Sequence[ExemplarInput] = (),
    proposals: Sequence[ProposalInput] = (),
) -> UnitReview:
    review = (
        UnitReview.objects.select_for_update(of=("self",)).select_related("unit").get(pk=review.pk)
    )
    access.require(actor, Cap.REPORT_PROGRESS, review.unit)
    if review.status != UnitReviewStatus.DRAFT:
        raise RuleViolation("Báo cáo đã gửi, không sửa được nữa.")
    review.self_assessment = _multiline(self_assessment)
    review.strengths = _multiline(strengths)
    review.shortcomings = _multiline(shortcomings)
    exemplar_rows = []
    for exemplar in exemplars:
        if exemplar.kind not in ExemplarKind.values:
            raise RuleViolation("Loại điển hình không hợp lệ.")
        name = normalize_text(exemplar.name)
        description = _multiline(exemplar.description)
        if not name or not description:
            raise RuleViolation("Mỗi điển hình cần tên và mô tả.")
        if exemplar.person is not None and not review.unit.contains(exemplar.person.unit):
            raise RuleViolation(f"{exemplar.person} không thuộc {review.unit}.")
        exemplar_rows.append(
            Exemplar(
                review=review,
                kind=exemplar.kind,
                name=name,
                description=description,
                person=exemplar.person,
            )
        )
    proposal_rows = []
    for proposal in proposals:
        if proposal.award not in ProposedAward.values:
            raise RuleViolation("Hình thức khen thưởng đề xuất không hợp lệ.")
        if (proposal.unit is None) == (proposal.person is None):
            raise RuleViolation("Mỗi đề xuất khen thưởng chọn một tập thể hoặc một cá nhân.")
        nominee_unit = proposal.unit or proposal.person.unit
        if not review.unit.contains(nominee_unit):
            raise RuleViolation(f"{proposal.unit or proposal.person} không thuộc {review.unit}.")
        achievement = _multiline(proposal.achievement)
        if not achievement:
            raise RuleViolation("Mỗi đề xuất khen thưởng cần tóm tắt thành tích.")
        proposal_rows.append(
            AwardProposal(
                review=review,
                award=proposal.award,
                unit=proposal.unit,
                person=proposal.person,
                achievement=achievement,
            )
        )
    stamp(review, actor=actor, reason="pledges.unit_review.updated")
    review.save(update_fields=["self_assessment", "strengths", "shortcomings"])
    review.exemplars.all().delete()
    review.proposals.all().delete()
    bulk_create_with_history(exemplar_rows, Exemplar, default_user=actor)
    bulk_create_with_history(proposal_rows, AwardProposal, default_user=actor)
    return review


@transaction.atomic
def submit_unit_review(review: UnitReview, *, actor) -> UnitReview:
    review = (
        UnitReview.objects.select_for_update(of=("self",)).select_related("unit").get(pk=review.pk)
    )
    move = workflow.transition("review", review.status, UnitReviewStatus.SUBMITTED)
    if move is None:
        raise RuleViolation(workflow.refusal("review", review.status, UnitReviewStatus.SUBMITTED))
    access.require(actor, move.capability, review.unit)
    if not review.self_assessment:
        raise RuleViolation("Cần tự đánh giá kết quả thực hiện trước khi gửi.")
    review.status = UnitReviewStatus.SUBMITTED
    review.submitted_at = timezone.now()
    stamp(review, actor=actor, reason="pledges.unit_review.submitted")
    review.save(update_fields=["status", "submitted_at"])
    return review


@transaction.atomic
def mark_proposal_nominated(proposal: AwardProposal, *, actor, nomination_id: int) -> AwardProposal:
    """Called by the awards app when it has turned the proposal into a draft nomination."""
    proposal = (
        AwardProposal.objects.select_for_update(of=("self",))
        .select_related("review__unit")
        .get(pk=proposal.pk)
    )
    access.require(actor, Cap.REPORT_PROGRESS, proposal.review.unit)
    if proposal.status != ProposalStatus.PROPOSED:
        raise RuleViolation("Đề xuất này đã được chuyển thành hồ sơ đề nghị.")
    if proposal.review.status != UnitReviewStatus.SUBMITTED:
        raise RuleViolation("Chỉ chuyển đề xuất của báo cáo đã gửi.")
    proposal.status = ProposalStatus.NOMINATED
    proposal.nomination_id = nomination_id
    stamp(proposal, actor=actor, reason="pledges.proposal.nominated")
    proposal.save(update_fields=["status", "nomination_id"])
    return proposal


def parse_decimal(raw) -> Decimal | None:
    """A number as Vietnamese users type it ("1.250,5" or "1250.5"); None when blank."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, int | float | Decimal):
        return Decimal(str(raw))
    text = str(raw).strip().replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation as error:
        raise ValueError(raw) from error


def review_figures(campaign: Campaign, *, kind: str, today: datetime.date) -> dict:
    """The figures of the issuing level's sơ kết/tổng kết report, measured from the data."""
    totals = build(campaign, root=campaign.issuer, today=today).totals
    tasks = RegistrationTask.objects.filter(
        registration__campaign=campaign, registration__status=RegistrationStatus.ACCEPTED
    )
    measured = tasks.aggregate(
        count=Count("pk"),
        done=Count("pk", filter=Q(latest_percent__gte=100)),
        average=Avg("latest_percent"),
    )
    reviews = UnitReview.objects.filter(
        campaign=campaign, kind=kind, status=UnitReviewStatus.SUBMITTED
    )
    proposals = (
        AwardProposal.objects.filter(review__in=reviews)
        .values("award")
        .annotate(count=Count("pk"))
        .order_by("award")
    )
    return {
        **totals,
        "follow_ups": campaign.follow_ups.exclude(status="cancelled").count(),
        "tasks": measured["count"],
        "tasks_done": measured["done"],
        "average": (measured["average"] or Decimal(0)).quantize(Decimal("0.1")),
        "reviews": reviews.count(),
        "exemplars": list(
            Exemplar.objects.filter(review__in=reviews)
            .select_related("review__unit")
            .order_by("review__unit__path", "pk")[:30]
        ),
        "shortcomings": list(
            reviews.exclude(shortcomings="").select_related("unit").order_by("unit__path")[:30]
        ),
        "proposals": [(ProposedAward(row["award"]).label, row["count"]) for row in proposals],
    }


@transaction.atomic
def draft_review_report(campaign: Campaign, *, actor, kind: str) -> OfficialDocument:
    """A draft Báo cáo sơ kết/tổng kết of the issuing level, its figures filled in from the
    registrations, progress and unit reviews; the officer completes and issues it."""
    access.require(actor, Cap.MANAGE_CAMPAIGN, campaign.issuer)
    if kind not in ReviewKind.values:
        raise RuleViolation("Loại báo cáo không hợp lệ.")
    if campaign.status not in campaign_workflow.PUBLISHED:
        raise RuleViolation("Phong trào chưa được phát động.")
    label = ReviewKind(kind).label
    f = review_figures(campaign, kind=kind, today=timezone.localdate())
    body = [
        {"type": "heading", "text": "I. KẾT QUẢ THỰC HIỆN"},
        {
            "type": "paragraph",
            "text": f"1. Triển khai phong trào: {f['targets']} đơn vị tham gia; "
            f"{f['follow_ups']} đơn vị phát động phong trào tiếp nối.",
        },
        {
            "type": "paragraph",
            "text": f"2. Đăng ký thi đua: {f['registered']}/{f['targets']} đơn vị đã đăng ký "
            f"({f['late']} đơn vị đăng ký muộn, {f['missing']} đơn vị chưa đăng ký); "
            f"{f['accepted']} bản đăng ký được chấp thuận với {f['tasks']} nhiệm vụ, chỉ tiêu.",
        },
        {
            "type": "paragraph",
            "text": "3. Kết quả thực hiện: tỷ lệ hoàn thành bình quân "
            f"{str(f['average']).replace('.', ',')}%; "
            f"{f['tasks_done']}/{f['tasks']} nhiệm vụ đã hoàn thành; "
            f"{f['overdue']} đơn vị có nhiệm vụ quá hạn; "
            f"{f['reported']} đơn vị đã báo cáo trong kỳ.",
        },
        {
            "type": "paragraph",
            "text": f"4. Phát hiện, nhân rộng điển hình: {len(f['exemplars'])} điển hình từ "
            f"{f['reviews']} báo cáo {label.lower()} của các đơn vị.",
        },
        *[
            {
                "type": "paragraph",
                "text": f"- {e.get_kind_display()}: {e.name} ({e.review.unit.name}).",
            }
            for e in f["exemplars"]
        ],
        {"type": "paragraph", "text": "5. Đề xuất khen thưởng của các đơn vị:"},
        *[{"type": "paragraph", "text": f"- {award}: {count}."} for award, count in f["proposals"]],
        {"type": "heading", "text": "II. HẠN CHẾ, NGUYÊN NHÂN"},
        *[
            {"type": "paragraph", "text": f"- {r.unit.name}: {r.shortcomings}"}
            for r in f["shortcomings"]
        ],
    ]
    launch = campaign.document
    return documents.create_draft(
        DocumentKind.REPORT,
        issuer=campaign.issuer,
        actor=actor,
        summary=f"{label} {campaign.title}",
        body=body,
        signer_name=launch.signer_name if launch else "",
        signer_capacity=launch.signer_capacity if launch else "",
        signer_authority=launch.signer_authority if launch else "",
        signer_position=launch.signer_position if launch else "",
        recipients=[r for r in (launch.recipients if launch else []) if not r.startswith("Lưu")],
    )
