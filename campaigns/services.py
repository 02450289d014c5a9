"""Every write to a campaign goes through one of these (views, commands and tasks alike)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from campaigns import documents as launch_document
from campaigns import tasks, workflow
from campaigns.checks import check_campaign
from campaigns.models import (
    Campaign,
    CampaignTarget,
    ContentItem,
    LaunchForm,
    LegalBasis,
    ReportingPeriod,
    Review,
    ReviewKind,
    TargetMode,
)
from campaigns.workflow import CampaignStatus
from portal import access, documents
from portal.access import Cap
from portal.audit import stamp
from portal.errors import RuleViolation
from portal.models import (
    COMMUNE_KINDS,
    SETTLEMENT_KINDS,
    Bloc,
    OfficialDocument,
    Person,
    Unit,
)
from portal.text import normalize_text
from portal.workflow import require_atomic

TEXT_FIELDS = (
    "title",
    "theme",
    "summary",
    "preamble",
    "purpose",
    "solutions",
    "organisation",
    "rewards",
    "closing",
    "award_forms",
)
EDITABLE_FIELDS = (
    *TEXT_FIELDS,
    "referenced_campaigns",
    "kind",
    "launch_form",
    "starts_on",
    "ends_on",
    "registration_due",
    "midterm_review_due",
    "final_review_due",
    "asks_for_titles",
    "target_mode",
    "target_kinds",
)


# The labels an author puts before a content item: "1.", "1.2.", "2)", "a)", "b.", "Thứ nhất,",
# "Thứ mười hai,", "-", "+", "•". The label is kept as written; nothing is numbered on top of it.
ITEM_LABEL = re.compile(
    r"^(\d+(?:\.\d+)*\.|\d+\)|[a-zđ][).]|Thứ\s+[^\s,]+(?:\s+[^\s,]+)?,|[-–+•*])\s+(?=\S)"
)


@dataclass(frozen=True)
class BasisInput:
    document_number: str = ""
    issuer_name: str = ""
    summary: str = ""
    issued_on: datetime.date | None = None
    type_word: str = ""
    text: str = ""

    def is_blank(self) -> bool:
        return not any(
            normalize_text(value)
            for value in (self.document_number, self.issuer_name, self.summary, self.type_word)
        ) and not (self.issued_on or normalize_text(self.text))


def split_items(text: str) -> list[str]:
    """The content items of a text area: separated by blank lines when the author leaves any
    (an item may then run over several paragraphs), else one item a line."""
    text = str(text or "").replace("\r\n", "\n").strip()
    chunks = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.splitlines()
    return [chunk for chunk in (_clean_multiline(c) for c in chunks) if chunk]


def _clean_multiline(value: str) -> str:
    """NFC and trimmed lines; line breaks are kept because sections are written in lines."""
    lines = [normalize_text(line) for line in str(value or "").splitlines()]
    return "\n".join(lines).strip()


def _clean(field: str, value):
    if field in ("title", "theme"):
        return normalize_text(value)
    if field == "referenced_campaigns":
        # Each kept exactly as the directive names it (NFC, spaces trimmed only).
        return [name for name in (normalize_text(v) for v in value or ()) if name]
    if field in TEXT_FIELDS:
        return _clean_multiline(value)
    return value


def _set_items(campaign: Campaign, items: Sequence[str], *, actor) -> None:
    texts = [_clean_multiline(text) for text in items]
    created = []
    for text in (text for text in texts if text):
        match = ITEM_LABEL.match(text)
        label, rest = (match.group(1), text[match.end() :]) if match else ("", text)
        created.append(
            ContentItem(campaign=campaign, number=len(created) + 1, label=label, text=rest)
        )
    campaign.items.all().delete()
    bulk_create_with_history(created, ContentItem, default_user=actor)


def basis_problem(basis: BasisInput) -> str:
    """Why a căn cứ row cannot stand, or "" when it can. A row is the cited line, or a type
    word with a number or a trích yếu, or a number with its trích yếu; a number, a date or an
    issuer alone cites nothing."""
    if normalize_text(basis.text):
        return ""
    number = normalize_text(basis.document_number)
    summary = normalize_text(basis.summary)
    if normalize_text(basis.type_word):
        return "" if number or summary else "cần ghi số, ký hiệu hoặc trích yếu của văn bản"
    if number and summary:
        return ""
    return "cần ghi trích dẫn nguyên văn, hoặc loại văn bản (Luật, Nghị quyết, Quyết định…)"


def _set_bases(campaign: Campaign, bases: Sequence[BasisInput], *, actor) -> None:
    rows, refused = [], []
    for index, basis in enumerate(bases, start=1):
        if basis.is_blank():
            continue
        problem = basis_problem(basis)
        if problem:
            refused.append(f"dòng {index}: {problem}")
            continue
        rows.append(
            LegalBasis(
                campaign=campaign,
                position=len(rows) + 1,
                text=normalize_text(basis.text),
                type_word=normalize_text(basis.type_word),
                document_number=normalize_text(basis.document_number),
                issuer_name=normalize_text(basis.issuer_name),
                summary=normalize_text(basis.summary),
                issued_on=basis.issued_on,
            )
        )
    if refused:
        raise RuleViolation("Căn cứ chưa hợp lệ — " + "; ".join(refused) + ".", code="basis_row")
    campaign.bases.all().delete()
    bulk_create_with_history(rows, LegalBasis, default_user=actor)


def _set_target_choices(
    campaign: Campaign, *, blocs: Iterable[Bloc] | None, units: Iterable[Unit] | None
) -> None:
    if blocs is not None:
        blocs = list(blocs)
        for bloc in blocs:
            if not campaign.issuer.contains(bloc.organiser) and not bloc.organiser.contains(
                campaign.issuer
            ):
                raise RuleViolation(
                    f"Cụm, khối “{bloc}” không thuộc phạm vi đơn vị phát động.",
                    code="bloc_out_of_scope",
                )
        campaign.target_blocs.set(blocs)
    if units is not None:
        units = list(units)
        for unit in units:
            if unit.pk == campaign.issuer_id or not campaign.issuer.contains(unit):
                raise RuleViolation(
                    f"“{unit}” không trực thuộc đơn vị phát động.", code="unit_out_of_scope"
                )
        campaign.target_list.set(units)


@transaction.atomic
def create_campaign(
    issuer: Unit,
    *,
    actor,
    title: str,
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    registration_due: datetime.date,
    final_review_due: datetime.date,
    items: Sequence[str] = (),
    bases: Sequence[BasisInput] = (),
    target_blocs: Iterable[Bloc] | None = None,
    target_list: Iterable[Unit] | None = None,
    parent: Campaign | None = None,
    **fields,
) -> Campaign:
    """Draft a campaign of `issuer`, with its content items and legal bases."""
    access.require(actor, Cap.MANAGE_CAMPAIGN, issuer)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise RuleViolation(
            f"Không được đặt các trường: {', '.join(sorted(unknown))}.", code="field_not_settable"
        )
    campaign = Campaign(
        issuer=issuer,
        parent=parent,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        registration_due=registration_due,
        final_review_due=final_review_due,
        title=_clean("title", title),
        **{key: _clean(key, value) for key, value in fields.items()},
    )
    check_campaign(campaign)
    stamp(campaign, actor=actor, reason="campaigns.campaign.created")
    campaign.save()
    _set_items(campaign, items, actor=actor)
    _set_bases(campaign, bases, actor=actor)
    _set_target_choices(campaign, blocs=target_blocs, units=target_list)
    if not campaign.preamble or not campaign.summary:
        # The portal's proposals become the author's text here, shown in the form to edit.
        citations = [basis.citation() for basis in campaign.bases.all()]
        campaign.preamble = campaign.preamble or launch_document.propose_preamble(
            campaign, citations
        )
        campaign.summary = campaign.summary or launch_document.default_summary(campaign)
        campaign.save(update_fields=["preamble", "summary"])
    return campaign


@transaction.atomic
def update_campaign(
    campaign: Campaign,
    *,
    actor,
    items: Sequence[str] | None = None,
    bases: Sequence[BasisInput] | None = None,
    target_blocs: Iterable[Bloc] | None = None,
    target_list: Iterable[Unit] | None = None,
    **changes,
) -> Campaign:
    """Edit a draft; once launched, the plan is a signed document and stays as issued."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    access.require(actor, Cap.MANAGE_CAMPAIGN, campaign.issuer)
    if campaign.status != CampaignStatus.DRAFT:
        raise RuleViolation(
            "Chỉ sửa được phong trào đang ở trạng thái dự thảo.", code="campaign_not_draft"
        )
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise RuleViolation(
            f"Không được sửa các trường: {', '.join(sorted(unknown))}.", code="field_not_editable"
        )
    for key, value in changes.items():
        setattr(campaign, key, _clean(key, value))
    check_campaign(campaign)
    stamp(campaign, actor=actor, reason="campaigns.campaign.updated")
    campaign.save()
    if items is not None:
        _set_items(campaign, items, actor=actor)
    if bases is not None:
        _set_bases(campaign, bases, actor=actor)
    _set_target_choices(campaign, blocs=target_blocs, units=target_list)
    return campaign


def resolve_targets(campaign: Campaign, day: datetime.date | None = None) -> list[Unit]:
    """The units the campaign is for, as its target choice reads on `day` (its launch).

    The whole subtree means every unit below the issuer that existed that day — a former
    district's campaign of 2024 reaches its communes of 2024; above the commune level,
    villages and residential groups are left out (they take part through their commune), while
    a commune's or ward's own campaign is for its offices, villages and residential groups.
    A bloc's members are those seated in it that day.
    """
    day = day or timezone.localdate()
    below = Unit.objects.descendants(campaign.issuer).valid_on(day)
    mode = campaign.target_mode
    if mode == TargetMode.SUBTREE:
        units = below
        if campaign.issuer.kind not in COMMUNE_KINDS:
            units = units.exclude(kind__in=SETTLEMENT_KINDS)
    elif mode == TargetMode.KINDS:
        units = below.filter(kind__in=campaign.target_kinds or [])
    elif mode == TargetMode.BLOCS:
        seated = Q(bloc_seats__joined_on__isnull=True) | Q(bloc_seats__joined_on__lte=day)
        stayed = Q(bloc_seats__left_on__isnull=True) | Q(bloc_seats__left_on__gte=day)
        units = below.filter(seated & stayed, bloc_seats__bloc__in=campaign.target_blocs.all())
    else:
        units = below.filter(pk__in=campaign.target_list.values("pk"))
    return list(units.distinct().order_by("path"))


def _default_periods(campaign: Campaign) -> list[ReportingPeriod]:
    """Quarters (Quý I–IV) cut to the campaign's dates."""
    periods = []
    day = campaign.starts_on
    while day <= campaign.ends_on:
        quarter = (day.month - 1) // 3
        first = datetime.date(day.year, quarter * 3 + 1, 1)
        next_first = (
            datetime.date(day.year + 1, 1, 1)
            if quarter == 3
            else datetime.date(day.year, quarter * 3 + 4, 1)
        )
        last = min(next_first - datetime.timedelta(days=1), campaign.ends_on)
        roman = ("I", "II", "III", "IV")[quarter]
        periods.append(
            ReportingPeriod(
                campaign=campaign,
                name=f"Quý {roman}/{day.year}",
                starts_on=max(first, campaign.starts_on),
                ends_on=last,
            )
        )
        day = next_first
    return periods


def _move(campaign: Campaign, action: str, *, actor, reason: str = "") -> Campaign:
    """Apply one row of the transition table under the row lock; the caller holds the atomic."""
    require_atomic()
    move = workflow.TABLE.ensure(campaign, action)
    access.require(actor, move.cap, campaign.issuer)
    reason = normalize_text(reason)
    if move.needs_reason and not reason:
        raise RuleViolation("Cần nêu lý do.", code="reason_required")
    campaign.status = move.target
    campaign.status_reason = reason
    stamp(
        campaign,
        actor=actor,
        reason=f"campaigns.campaign.{move.target}" + (f": {reason}" if reason else ""),
    )
    campaign.save(update_fields=["status", "status_reason"])
    return campaign


def _locked(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().select_related("issuer").get(pk=campaign.pk)


def _check_recorded_launch(campaign: Campaign, document: OfficialDocument) -> None:
    if not document.is_issued or document.issuer_id != campaign.issuer_id:
        raise RuleViolation(
            "Chỉ phát động được bằng văn bản đã ban hành hoặc đã nhập của chính đơn vị phát động.",
            code="launch_document_foreign",
        )
    if document.kind != launch_document.document_kind(campaign):
        raise RuleViolation(
            f"Phong trào phát động bằng {campaign.get_launch_form_display()}; văn bản đã chọn là "
            f"{document.get_kind_display()}.",
            code="launch_document_kind",
        )
    if Campaign.objects.filter(document=document).exclude(pk=campaign.pk).exists():
        raise RuleViolation(
            f"{document} đã là văn bản phát động của phong trào khác.",
            code="launch_document_taken",
        )


@transaction.atomic
def launch_campaign(
    campaign: Campaign,
    *,
    actor,
    launched_on: datetime.date | None = None,
    document: OfficialDocument | None = None,
) -> Campaign:
    """Launch: resolve and store the target units, open the reporting periods, and issue the
    launching Kế hoạch or Chỉ thị prepared (and previewed) beforehand, dated `launched_on`
    (the signing day, today by default; the register's rules apply). With `document`, a paper
    already signed outside and recorded (portal.documents.record_document) is the launch, and
    its date is the launch date: how earlier campaigns enter the portal as history."""
    campaign = _locked(campaign)
    access.require(actor, workflow.TABLE.ensure(campaign, "launch").cap, campaign.issuer)
    if not campaign.items.exists():
        raise RuleViolation(
            "Phong trào cần ít nhất một nội dung thi đua trước khi phát động.",
            code="criteria_required",
        )
    if document is not None:
        _check_recorded_launch(campaign, document)
        launched_on = document.issued_on
    day = launched_on or timezone.localdate()
    # The day and the issuer are checked before the targets: a former district's campaign
    # dated today is refused for its dissolution (naming its successor), not for emptiness.
    documents.check_not_future(day, timezone.localdate())
    documents.check_issuer_on(campaign.issuer, day)
    targets = resolve_targets(campaign, day)
    if not targets:
        raise RuleViolation(
            f"Phong trào chưa có đơn vị tham gia nào: ngày {day:%d/%m/%Y}, {campaign.issuer} "
            f"không có đơn vị nào khớp cách chọn “{campaign.get_target_mode_display()}”.",
            code="no_targets",
        )
    campaign.launched_on = day
    campaign.launched_by = actor
    update = ["launched_on", "launched_by"]
    if document is not None:
        campaign.document = document
        update.append("document")
    campaign.save(update_fields=update)
    _move(campaign, "launch", actor=actor)
    bulk_create_with_history(
        [CampaignTarget(campaign=campaign, unit=unit) for unit in targets],
        CampaignTarget,
        default_user=actor,
    )
    if not campaign.periods.exists():
        bulk_create_with_history(_default_periods(campaign), ReportingPeriod, default_user=actor)
    if document is None:
        _issue_launch_document(campaign, actor=actor)
    if not launched_as_history(campaign, timezone.localdate()):
        tasks.announce_launch(campaign, actor=actor)
    return campaign


def launched_as_history(campaign: Campaign, today: datetime.date) -> bool:
    """A launch entered after the fact, calling nobody today (no launch e-mail): its period is
    over or its issuer closed. A running campaign launched on a recorded paper is announced;
    the mail names its paper and date."""
    return campaign.ends_on < today or (campaign.issuer.valid_to or today) < today


@transaction.atomic
def prepare_launch_document(
    campaign: Campaign,
    *,
    actor,
    signer: Person | None = None,
    recipients: Sequence[str] = (),
) -> OfficialDocument:
    """Draft (or redraft) the launching Kế hoạch or Chỉ thị from the campaign's sections, so
    that it can be previewed before the campaign is launched. `signer` is one of the issuer's
    leaders on their post today (None: the head); the block prints from the post
    ("TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH"), and a unit nobody leads is refused in Vietnamese."""
    campaign = _locked(campaign)
    access.require(actor, Cap.MANAGE_CAMPAIGN, campaign.issuer)
    if campaign.status != CampaignStatus.DRAFT:
        raise RuleViolation(
            "Văn bản phát động chỉ soạn khi phong trào còn là dự thảo.",
            code="launch_document_after_draft",
        )
    kind = launch_document.document_kind(campaign)
    content = {
        "summary": launch_document.summary(campaign),
        "body": launch_document.body(campaign),
        **launch_document.signature(campaign, signer),
        "recipients": list(recipients),
    }
    draft = campaign.document
    if draft is not None and draft.kind == kind and not draft.is_issued:
        draft = documents.update_draft(draft, actor=actor, **content)
    else:
        draft = documents.create_draft(kind, issuer=campaign.issuer, actor=actor, **content)
        campaign.document = draft
        stamp(campaign, actor=actor, reason="campaigns.campaign.document_drafted")
        campaign.save(update_fields=["document"])
    return draft


def _issue_launch_document(campaign: Campaign, *, actor) -> OfficialDocument:
    """Refresh the draft from the sections as they stand, then number, render and issue it."""
    draft = campaign.document
    if draft is None or draft.kind != launch_document.document_kind(campaign):
        raise RuleViolation(
            "Cần soạn văn bản phát động (người ký, nơi nhận) và xem trước khi phát động.",
            code="launch_document_not_drafted",
        )
    draft = documents.update_draft(
        draft,
        actor=actor,
        summary=launch_document.summary(campaign),
        body=launch_document.body(campaign),
        **launch_document.signature(campaign, draft.signer, campaign.launched_on),
    )
    return documents.issue_document(draft, actor=actor, issued_on=campaign.launched_on)


@transaction.atomic
def close_registration(campaign: Campaign, *, actor) -> Campaign:
    return _move(_locked(campaign), "close_registration", actor=actor)


@transaction.atomic
def start_campaign(campaign: Campaign, *, actor) -> Campaign:
    return _move(_locked(campaign), "start", actor=actor)


def _record_review(
    campaign: Campaign,
    *,
    actor,
    kind: str,
    action: str,
    held_on: datetime.date | None,
    summary: str,
) -> Review:
    campaign = _locked(campaign)
    if held_on is None:
        raise RuleViolation("Cần ghi ngày tổ chức sơ kết, tổng kết.", code="review_date_missing")
    summary = _clean_multiline(summary)
    if not summary:
        raise RuleViolation("Cần ghi kết quả sơ kết, tổng kết.", code="review_summary_required")
    if held_on < campaign.starts_on:
        raise RuleViolation(
            "Ngày sơ kết, tổng kết không được trước ngày bắt đầu phong trào.",
            code="review_before_start",
        )
    _move(campaign, action, actor=actor)
    review = Review(
        campaign=campaign, kind=kind, held_on=held_on, summary=summary, recorded_by=actor
    )
    stamp(review, actor=actor, reason=f"campaigns.review.{kind}")
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError as error:
        raise RuleViolation(
            "Phong trào đã có kết quả sơ kết, tổng kết loại này.", code="review_duplicate"
        ) from error
    return review


@transaction.atomic
def record_midterm_review(
    campaign: Campaign, *, actor, held_on: datetime.date | None, summary: str
) -> Review:
    return _record_review(
        campaign,
        actor=actor,
        kind=ReviewKind.MIDTERM,
        action="midterm_review",
        held_on=held_on,
        summary=summary,
    )


@transaction.atomic
def record_final_review(
    campaign: Campaign, *, actor, held_on: datetime.date | None, summary: str
) -> Review:
    return _record_review(
        campaign,
        actor=actor,
        kind=ReviewKind.FINAL,
        action="final_review",
        held_on=held_on,
        summary=summary,
    )


@transaction.atomic
def close_campaign(campaign: Campaign, *, actor) -> Campaign:
    campaign = _locked(campaign)
    if (
        campaign.status == CampaignStatus.FINAL_REVIEWED
        and not campaign.reviews.filter(kind=ReviewKind.FINAL).exists()
    ):
        raise RuleViolation(
            "Không thể kết thúc phong trào khi chưa có kết quả tổng kết.",
            code="final_review_missing",
        )
    return _move(campaign, "close", actor=actor)


@transaction.atomic
def cancel_campaign(campaign: Campaign, *, actor, reason: str) -> Campaign:
    return _move(_locked(campaign), "cancel", actor=actor, reason=reason)


@transaction.atomic
def create_follow_up_campaign(parent: Campaign, *, actor, issuer: Unit) -> Campaign:
    """A target unit's own campaign under `parent`, pre-filled from it, as a draft to edit."""
    parent = Campaign.objects.select_related("issuer").get(pk=parent.pk)
    access.require(actor, Cap.MANAGE_CAMPAIGN, issuer)
    if parent.status not in workflow.RUNNING:
        raise RuleViolation(
            "Chỉ phát động tiếp được phong trào đang diễn ra.", code="follow_up_parent_not_running"
        )
    if not parent.targets.filter(unit=issuer).exists():
        raise RuleViolation(
            f"“{issuer}” không thuộc đối tượng của phong trào này.",
            code="unit_not_targeted",
        )
    existing = parent.follow_ups.filter(issuer=issuer).exclude(status=CampaignStatus.CANCELLED)
    if existing.exists():
        raise RuleViolation(
            f"“{issuer}” đã có phong trào tiếp nối phong trào này.", code="follow_up_exists"
        )
    bases = [
        BasisInput(
            document_number=basis.document_number,
            issuer_name=basis.issuer_name,
            summary=basis.summary,
            issued_on=basis.issued_on,
            type_word=basis.type_word,
            text=basis.text,
        )
        for basis in parent.bases.all()
    ]
    return create_campaign(
        issuer,
        actor=actor,
        parent=parent,
        title=f"{parent.title} trên địa bàn {issuer.name}"[:500],
        theme=parent.theme,
        kind=parent.kind,
        launch_form=LaunchForm.PLAN,
        starts_on=max(parent.starts_on, min(timezone.localdate(), parent.registration_due)),
        ends_on=parent.ends_on,
        registration_due=parent.registration_due,
        midterm_review_due=parent.midterm_review_due,
        final_review_due=parent.final_review_due,
        purpose=parent.purpose,
        solutions=parent.solutions,
        rewards=parent.rewards,
        award_forms=parent.award_forms,
        asks_for_titles=parent.asks_for_titles,
        items=[item.as_written() for item in parent.items.all()],
        referenced_campaigns=[parent.title],
        bases=bases,
    )
