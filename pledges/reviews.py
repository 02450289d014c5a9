"""A unit's sơ kết and tổng kết of its part in a campaign (pre-filled from the measured
progress), the exemplars and award proposals it carries, and the issuing level's report drawn
from them. Every write to a unit review goes through one of these."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from campaigns import workflow as campaign_workflow
from campaigns.models import Campaign, ReviewKind
from pledges import workflow
from pledges.cascade import build
from pledges.models import (
    AwardProposal,
    Exemplar,
    ExemplarKind,
    Measure,
    ProposalStatus,
    ProposedAward,
    Registration,
    RegistrationTask,
    UnitReview,
)
from pledges.workflow import RegistrationStatus, UnitReviewStatus
from portal import access, documents
from portal.access import Cap
from portal.audit import stamp
from portal.errors import RuleViolation
from portal.models import DocumentKind, OfficialDocument, Person, Unit
from portal.text import normalize_multiline, normalize_text
from portal.workflow import require_atomic


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
        raise RuleViolation("Loại báo cáo không hợp lệ.", code="review_kind_unknown")
    if campaign.status not in campaign_workflow.RUNNING:
        raise RuleViolation(
            "Phong trào không còn nhận báo cáo sơ kết, tổng kết của đơn vị.",
            code="campaign_closed_for_reviews",
        )
    if not campaign.targets.filter(unit=unit).exists():
        raise RuleViolation(
            f"“{unit}” không thuộc đối tượng của phong trào này.", code="unit_not_targeted"
        )
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
            f"{unit} đã có báo cáo {ReviewKind(kind).label.lower()} cho phong trào này.",
            code="review_exists",
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
        raise RuleViolation("Báo cáo đã gửi, không sửa được nữa.", code="review_not_editable")
    review.self_assessment = normalize_multiline(self_assessment)
    review.strengths = normalize_multiline(strengths)
    review.shortcomings = normalize_multiline(shortcomings)
    exemplar_rows = []
    for exemplar in exemplars:
        if exemplar.kind not in ExemplarKind.values:
            raise RuleViolation("Loại điển hình không hợp lệ.", code="exemplar_kind_unknown")
        name = normalize_text(exemplar.name)
        description = normalize_multiline(exemplar.description)
        if not name or not description:
            raise RuleViolation("Mỗi điển hình cần tên và mô tả.", code="exemplar_incomplete")
        if exemplar.person is not None and not review.unit.contains(exemplar.person.unit):
            raise RuleViolation(
                f"{exemplar.person} không thuộc {review.unit}.", code="person_outside_unit"
            )
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
            raise RuleViolation(
                "Hình thức khen thưởng đề xuất không hợp lệ.", code="proposed_award_unknown"
            )
        if (proposal.unit is None) == (proposal.person is None):
            raise RuleViolation(
                "Mỗi đề xuất khen thưởng chọn một tập thể hoặc một cá nhân.",
                code="proposal_one_nominee",
            )
        nominee_unit = proposal.unit or proposal.person.unit
        if not review.unit.contains(nominee_unit):
            raise RuleViolation(
                f"{proposal.unit or proposal.person} không thuộc {review.unit}.",
                code="person_outside_unit",
            )
        achievement = normalize_multiline(proposal.achievement)
        if not achievement:
            raise RuleViolation(
                "Mỗi đề xuất khen thưởng cần tóm tắt thành tích.", code="achievement_required"
            )
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
def save_unit_review(review: UnitReview, *, actor, submit: bool = False, **content) -> UnitReview:
    """Save the review's form (`update_unit_review`'s fields) and, with `submit`, send it:
    one transaction, so a refused sending keeps the saved text as it was before."""
    review = update_unit_review(review, actor=actor, **content)
    if submit:
        review = submit_unit_review(review, actor=actor)
    return review


@transaction.atomic
def submit_unit_review(review: UnitReview, *, actor) -> UnitReview:
    review = (
        UnitReview.objects.select_for_update(of=("self",)).select_related("unit").get(pk=review.pk)
    )
    require_atomic()
    move = workflow.UNIT_REVIEW.ensure(review, "submit")
    access.require(actor, move.cap, review.unit)
    if not review.self_assessment:
        raise RuleViolation(
            "Cần tự đánh giá kết quả thực hiện trước khi gửi.", code="self_assessment_required"
        )
    review.status = move.target
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
        raise RuleViolation(
            "Đề xuất này đã được chuyển thành hồ sơ đề nghị.", code="proposal_already_nominated"
        )
    if proposal.review.status != UnitReviewStatus.SUBMITTED:
        raise RuleViolation("Chỉ chuyển đề xuất của báo cáo đã gửi.", code="review_not_submitted")
    proposal.status = ProposalStatus.NOMINATED
    proposal.nomination_id = nomination_id
    stamp(proposal, actor=actor, reason="pledges.proposal.nominated")
    proposal.save(update_fields=["status", "nomination_id"])
    return proposal


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
        raise RuleViolation("Loại báo cáo không hợp lệ.", code="review_kind_unknown")
    if campaign.status not in campaign_workflow.PUBLISHED:
        raise RuleViolation("Phong trào chưa được phát động.", code="campaign_not_launched")
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
