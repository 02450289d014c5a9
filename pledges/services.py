"""Every write to registrations and their progress goes through one of these (unit reviews:
`pledges.reviews`)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from campaigns import workflow as campaign_workflow
from campaigns.models import Campaign
from pledges import workflow
from pledges.models import (
    COLLECTIVE_TITLES,
    Evidence,
    Measure,
    ProgressReport,
    RegisteredTitle,
    Registration,
    RegistrationTask,
    Title,
)
from pledges.workflow import RegistrationStatus
from portal import access, uploads
from portal.access import Cap
from portal.audit import stamp
from portal.errors import RuleViolation
from portal.models import Person, Unit
from portal.text import normalize_multiline, normalize_text
from portal.uploads import accept_upload
from portal.workflow import Transition, require_atomic


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
        super().__init__(
            "Không nhập được: có dòng sai, chưa dòng nào được lưu.", code="import_refused"
        )
        self.errors = errors


def held_on(registration: Registration) -> Callable[[Transition], Unit]:
    """The unit each move of the registration table is checked on: the registration's own
    unit, or the level that issued its campaign (the row's `on`)."""
    sides = {workflow.UNIT: registration.unit, workflow.ISSUER: registration.campaign.issuer}
    return lambda row: sides[row.on]


def _locked(registration: Registration) -> Registration:
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("campaign__issuer", "unit")
        .get(pk=registration.pk)
    )


def _move(registration: Registration, action: str, *, actor, reason: str = "") -> Registration:
    """Apply one row of the registration table under the row lock; the caller holds the atomic."""
    require_atomic()
    move = workflow.REGISTRATION.ensure(registration, action)
    access.require(actor, move.cap, held_on(registration)(move))
    reason = normalize_text(reason)
    if move.needs_reason and not reason:
        raise RuleViolation("Cần nêu lý do.", code="reason_required")
    registration.status = move.target
    registration.status_reason = reason
    stamp(
        registration,
        actor=actor,
        reason=f"pledges.registration.{move.target}" + (f": {reason}" if reason else ""),
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
        raise RuleViolation(
            "Phong trào không còn nhận đăng ký.", code="campaign_closed_for_registration"
        )
    if not campaign.targets.filter(unit=unit).exists():
        raise RuleViolation(
            f"“{unit}” không thuộc đối tượng của phong trào này.", code="unit_not_targeted"
        )
    registration = Registration(campaign=campaign, unit=unit)
    stamp(registration, actor=actor, reason="pledges.registration.started")
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:
        raise RuleViolation(
            f"“{unit}” đã có bản đăng ký cho phong trào này.", code="registration_exists"
        ) from error
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
        raise RuleViolation(
            "Chỉ sửa được bản đăng ký đang soạn hoặc đang điều chỉnh.",
            code="registration_not_editable",
        )


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
        raise RuleViolation(
            "Các nhiệm vụ đã có báo cáo tiến độ; không thể thay toàn bộ danh sách.",
            code="tasks_have_progress",
        )
    registration.tasks.all().delete()
    created = [
        RegistrationTask(
            registration=registration,
            position=position,
            content_item_id=items[row.item_number],
            description=normalize_multiline(row.description),
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
    created = bulk_create_with_history(created, RegistrationTask, default_user=actor)
    refresh_task_summary(registration)
    return created


@transaction.atomic
def set_registered_titles(
    registration: Registration, *, actor, titles: Sequence[tuple[str, Person | None]]
) -> list[RegisteredTitle]:
    registration = _locked(registration)
    _editable(registration, actor)
    if titles and not registration.campaign.asks_for_titles:
        raise RuleViolation(
            "Phong trào này không yêu cầu đăng ký danh hiệu thi đua.", code="titles_not_asked"
        )
    seen = set()
    rows = []
    for title, person in titles:
        if title not in Title.values:
            raise RuleViolation("Danh hiệu không hợp lệ.", code="title_unknown")
        label = Title(title).label
        if title in COLLECTIVE_TITLES and person is not None:
            raise RuleViolation(
                f"“{label}” là danh hiệu tập thể, không ghi cá nhân.",
                code="title_collective_no_person",
            )
        if title not in COLLECTIVE_TITLES and person is None:
            raise RuleViolation(
                f"“{label}” là danh hiệu cá nhân, cần chọn người đăng ký.",
                code="title_individual_needs_person",
            )
        if person is not None and not registration.unit.contains(person.unit):
            raise RuleViolation(
                f"{person} không thuộc {registration.unit}.", code="person_outside_unit"
            )
        key = (title, person.pk if person else None)
        if key in seen:
            raise RuleViolation(
                f"“{label}” được đăng ký hai lần cho cùng một đối tượng.",
                code="title_registered_twice",
            )
        seen.add(key)
        rows.append(RegisteredTitle(registration=registration, title=title, person=person))
    registration.titles.all().delete()
    return bulk_create_with_history(rows, RegisteredTitle, default_user=actor)


@transaction.atomic
def set_registration_content(
    registration: Registration,
    *,
    actor,
    tasks: Sequence[TaskInput],
    titles: Sequence[tuple[str, Person | None]] = (),
) -> Registration:
    """Save the registration's form as one: its tasks, and its titles where the campaign asks
    for them; a refusal of either leaves both as they were."""
    set_registration_tasks(registration, actor=actor, tasks=tasks)
    if registration.campaign.asks_for_titles:
        set_registered_titles(registration, actor=actor, titles=titles)
    return registration


@transaction.atomic
def submit_registration(registration: Registration, *, actor) -> Registration:
    """Send to the unit's leader; a late registration is marked, not refused."""
    registration = _locked(registration)
    move = workflow.REGISTRATION.ensure(registration, "submit")
    access.require(actor, move.cap, held_on(registration)(move))
    if not registration.tasks.exists():
        raise RuleViolation(
            "Bản đăng ký chưa có nhiệm vụ nào, không thể gửi.", code="registration_without_tasks"
        )
    if registration.first_submitted_at is None:
        registration.first_submitted_at = timezone.now()
        registration.is_late = registration.campaign.is_registration_overdue(timezone.localdate())
    return _move(registration, "submit", actor=actor)


@transaction.atomic
def approve_registration(registration: Registration, *, actor) -> Registration:
    """The unit's leader approves the registration, which goes to the issuing level."""
    return _move(_locked(registration), "approve", actor=actor)


@transaction.atomic
def accept_registration(registration: Registration, *, actor) -> Registration:
    registration = _locked(registration)
    if registration.status == RegistrationStatus.APPROVED:
        registration.accepted_at = timezone.now()
    return _move(registration, "accept", actor=actor)


@transaction.atomic
def return_registration(registration: Registration, *, actor, reason: str) -> Registration:
    """Send back with a reason: by the unit's leader before approval, by the issuing level after."""
    return _move(_locked(registration), "return", actor=actor, reason=reason)


@transaction.atomic
def amend_registration(registration: Registration, *, actor, reason: str = "") -> Registration:
    return _move(_locked(registration), "amend", actor=actor, reason=reason)


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
            raise RuleViolation(
                f"Đường dẫn “{line}” phải bắt đầu bằng http:// hoặc https://.", code="link_not_http"
            )
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
        raise RuleViolation(
            "Chỉ báo cáo tiến độ khi bản đăng ký đã được chấp thuận.",
            code="registration_not_accepted",
        )
    campaign = registration.campaign
    if campaign.status not in campaign_workflow.RUNNING:
        raise RuleViolation(
            "Phong trào không còn nhận báo cáo tiến độ.", code="campaign_closed_for_progress"
        )
    if reported_on > timezone.localdate():
        raise RuleViolation("Ngày báo cáo không được ở tương lai.", code="report_date_future")
    narrative = normalize_multiline(narrative)
    if not narrative:
        raise RuleViolation("Cần diễn giải kết quả thực hiện.", code="narrative_required")
    if task.measure == Measure.NUMBER:
        if value is None or value < 0:
            raise RuleViolation(
                "Cần ghi kết quả đạt được (số không âm).", code="result_value_required"
            )
        done = None
    else:
        if done is None:
            raise RuleViolation(
                "Cần cho biết đã hoàn thành hay chưa.", code="milestone_done_required"
            )
        value = None
    links = _parse_links(links)
    kept = [accept_upload(upload, allowed=uploads.EVIDENCE) for upload in files]
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
    for upload, found in zip(files, kept, strict=True):
        evidence = Evidence(
            report=report,
            original_name=normalize_text(found.original_name)[:255],
            content_type=found.content_type,
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
        refresh_task_summary(registration)
    return report


def refresh_task_summary(registration: Registration) -> None:
    """Recount the registration's kept task summary from its tasks, inside the caller's
    transaction. The row lock comes first so that the recount's snapshot sees every
    transaction that wrote to the same registration before it."""
    list(Registration.objects.select_for_update().filter(pk=registration.pk).values_list("pk"))
    recount_task_summaries(Registration.objects.filter(pk=registration.pk))


def recount_task_summaries(registrations) -> int:
    """Recount the kept task summary of every registration in the queryset, in one UPDATE
    (after a bulk load of tasks; one registration's writes go through refresh_task_summary)."""
    tasks = RegistrationTask.objects.filter(registration=OuterRef("pk")).values("registration")
    return registrations.update(
        task_count=Coalesce(Subquery(tasks.annotate(n=Count("pk")).values("n")), 0),
        open_due_on=Subquery(
            tasks.filter(latest_percent__lt=100).annotate(d=Min("due_on")).values("d")
        ),
        last_reported_on=Subquery(tasks.annotate(d=Max("last_reported_on")).values("d")),
    )


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
