"""Every write to the award history goes through one of these (views, import, admin actions).

The nomination workflow records the awards it decides (a portal Quyết định, a central paper)
with `record_nomination_award`, which also marks the dossier's initiatives as used.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction

from awards.models import (
    AnnualRating,
    AwardRecord,
    BasisKind,
    Discipline,
    DisciplineLevel,
    Freeze,
    FreezeKind,
    Initiative,
    InitiativeLevel,
    Item,
    Rating,
    RecipientKind,
    Source,
)
from portal import access
from portal.access import Cap
from portal.audit import stamp
from portal.errors import RuleViolation
from portal.models import Person, Unit
from portal.text import normalize_text

Subject = Person | Unit


def _home(subject: Subject) -> Unit:
    return subject.unit if isinstance(subject, Person) else subject


def _subject_fields(subject: Subject) -> dict:
    if isinstance(subject, Person):
        return {"person": subject, "unit": None}
    return {"person": None, "unit": subject}


def _check_year(year: int) -> None:
    if not 1945 <= year <= 2100:
        raise RuleViolation(f"Năm {year} không hợp lệ.", code="year_invalid")


@transaction.atomic
def record_award(
    recipient: Subject,
    *,
    actor,
    item: Item,
    year: int,
    basis_kind: str,
    decision_number: str,
    decision_date: datetime.date,
    basis_reference: str = "",
    household_name: str = "",
    decision_issuer: Unit | None = None,
    decision_issuer_name: str = "",
    source: str = Source.MANUAL,
    initiatives: Iterable[Initiative] = (),
    note: str = "",
    decided_by: Unit | None = None,
    certificate_code: str = "",
) -> AwardRecord:
    """Record a title or form received by a person, a collective, or (with `household_name`,
    `recipient` being the locality) a household.

    `certificate_code`: the verification code printed on the award's certificate, for awards
    decided in the portal (awards.paperwork.certificates).

    `decided_by`: the conferring level whose decision the actor signs in the portal; then the
    actor needs DECIDE_AWARDS there (and the recipient must be under it) instead of the right to
    edit the recipient's history by hand.
    """
    _require_history_right(actor, _home(recipient), decided_by)
    household_name = normalize_text(household_name)
    if isinstance(recipient, Person):
        kind = RecipientKind.INDIVIDUAL
        if household_name:
            raise RuleViolation(
                "Hộ gia đình được ghi theo địa bàn, không theo cá nhân.",
                code="household_by_locality",
            )
    else:
        kind = RecipientKind.HOUSEHOLD if household_name else RecipientKind.COLLECTIVE
    if not item.accepts_recipient(kind):
        raise RuleViolation(
            f"“{item.name}” không tặng cho {RecipientKind(kind).label.lower()} "
            f"({item.legal_article}).",
            code="item_not_for_recipient",
        )
    if basis_kind not in BasisKind.values:
        raise RuleViolation("Loại khen thưởng không hợp lệ.", code="basis_kind_invalid")
    _check_year(year)
    decision_number = normalize_text(decision_number)
    if not decision_number:
        raise RuleViolation("Cần ghi số quyết định khen thưởng.", code="decision_number_required")
    if decision_date.year < year:
        raise RuleViolation(
            f"Ngày quyết định {decision_date:%d/%m/%Y} trước năm thành tích {year}.",
            code="decision_before_year",
        )
    record = AwardRecord(
        recipient_kind=kind,
        household_name=household_name,
        year=year,
        basis_kind=basis_kind,
        basis_reference=normalize_text(basis_reference),
        decision_number=decision_number,
        decision_date=decision_date,
        decision_issuer=decision_issuer,
        decision_issuer_name=normalize_text(decision_issuer_name),
        source=source,
        note=normalize_text(note),
        certificate_code=certificate_code,
        **_subject_fields(recipient),
    )
    record.item = item
    stamp(record, actor=actor, reason=f"awards.record.{source}")
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as error:
        raise RuleViolation(
            f"{record.recipient_name} đã có “{item.name}” cho thành tích năm {year} "
            f"({BasisKind(basis_kind).label.lower()}) trong lịch sử khen thưởng.",
            code="award_exists",
        ) from error
    for initiative in initiatives:
        _use_initiative(initiative, record=record, actor=actor)
    return record


def record_nomination_award(nomination, *, actor, **decision) -> AwardRecord:
    """The standing award a decided dossier becomes: its subject, item, year, basis and
    initiatives, with the deciding paper's fields (number, date, issuer, source …) in `decision`."""
    return record_award(
        nomination.person or nomination.unit,
        actor=actor,
        item=nomination.item,
        year=nomination.year,
        basis_kind=nomination.basis_kind,
        basis_reference=nomination.basis_reference,
        household_name=nomination.household_name,
        initiatives=list(nomination.initiatives.all()),
        **decision,
    )


def _require_history_right(actor, home: Unit, decided_by: Unit | None) -> None:
    if decided_by is None:
        access.require(actor, Cap.MANAGE_AWARD_HISTORY, home)
        return
    access.require(actor, Cap.DECIDE_AWARDS, decided_by)
    if not decided_by.contains(home):
        raise RuleViolation(
            f"{home.name} không thuộc phạm vi quyết định của {decided_by.name}.",
            code="recipient_out_of_scope",
        )


def _use_initiative(initiative: Initiative, *, record: AwardRecord, actor) -> None:
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if initiative.used_by_id is not None:
        raise RuleViolation(
            f"Sáng kiến “{initiative.name}” đã được dùng làm căn cứ khen thưởng.",
            code="initiative_used",
        )
    if (initiative.person_id, initiative.unit_id) != (record.person_id, record.unit_id):
        raise RuleViolation(
            f"Sáng kiến “{initiative.name}” không phải của người được khen.",
            code="initiative_not_theirs",
        )
    initiative.used_by = record
    stamp(initiative, actor=actor, reason="awards.initiative.used")
    initiative.save(update_fields=["used_by"])


@transaction.atomic
def revoke_award(
    record: AwardRecord,
    *,
    actor,
    revoked_on: datetime.date,
    decision: str,
    reason: str,
    decided_by: Unit | None = None,
) -> AwardRecord:
    """Revoke by a new decision; the record stays, marked, with its history."""
    record = AwardRecord.objects.select_for_update().get(pk=record.pk)
    _require_history_right(actor, _home(record.person or record.unit), decided_by)
    decision, reason = normalize_text(decision), normalize_text(reason)
    if not decision or not reason:
        raise RuleViolation(
            "Hủy bỏ khen thưởng cần số quyết định và lý do.", code="revocation_decision_required"
        )
    if record.revoked_on is not None:
        raise RuleViolation(
            f"Khen thưởng đã bị hủy bỏ từ {record.revoked_on:%d/%m/%Y}.",
            code="award_already_revoked",
        )
    record.revoked_on = revoked_on
    record.revocation_decision = decision
    stamp(record, actor=actor, reason=f"awards.record.revoked: {reason}")
    record.save(update_fields=["revoked_on", "revocation_decision"])
    return record


@transaction.atomic
def record_rating(
    subject: Subject, *, actor, year: int, rating: str, source: str = Source.MANUAL, note: str = ""
) -> AnnualRating:
    access.require(actor, Cap.MANAGE_AWARD_HISTORY, _home(subject))
    _check_year(year)
    if rating not in Rating.values:
        raise RuleViolation("Xếp loại không hợp lệ.", code="rating_invalid")
    existing = AnnualRating.objects.of(subject).filter(year=year).first()
    if existing is not None:
        raise RuleViolation(
            f"{subject} đã có xếp loại năm {year}: {existing.get_rating_display().lower()}.",
            code="rating_exists",
        )
    row = AnnualRating(
        year=year,
        rating=rating,
        source=source,
        note=normalize_text(note),
        **_subject_fields(subject),
    )
    stamp(row, actor=actor, reason=f"awards.rating.{source}")
    row.save()
    return row


@transaction.atomic
def record_discipline(
    subject: Subject,
    *,
    actor,
    level: str,
    decided_on: datetime.date,
    effective_from: datetime.date,
    effective_to: datetime.date,
    decision_number: str = "",
    reason: str = "",
) -> Discipline:
    access.require(actor, Cap.MANAGE_AWARD_HISTORY, _home(subject))
    if level not in DisciplineLevel.values:
        raise RuleViolation("Hình thức kỷ luật không hợp lệ.", code="discipline_level_invalid")
    if effective_to < effective_from:
        raise RuleViolation(
            "Thời hạn kỷ luật kết thúc trước khi bắt đầu.", code="discipline_ends_before_start"
        )
    row = Discipline(
        level=level,
        decided_on=decided_on,
        effective_from=effective_from,
        effective_to=effective_to,
        decision_number=normalize_text(decision_number),
        reason=normalize_text(reason),
        **_subject_fields(subject),
    )
    stamp(row, actor=actor, reason="awards.discipline.recorded")
    row.save()
    return row


@transaction.atomic
def open_freeze(
    subject: Subject,
    *,
    actor,
    kind: str,
    started_on: datetime.date,
    reference: str = "",
    note: str = "",
) -> Freeze:
    """Stop awards and proposals while a review, investigation or complaint is open."""
    access.require(actor, Cap.MANAGE_AWARD_HISTORY, _home(subject))
    if kind not in FreezeKind.values:
        raise RuleViolation("Lý do tạm dừng không hợp lệ.", code="freeze_kind_invalid")
    row = Freeze(
        kind=kind,
        started_on=started_on,
        reference=normalize_text(reference),
        note=normalize_text(note),
        **_subject_fields(subject),
    )
    stamp(row, actor=actor, reason="awards.freeze.opened")
    row.save()
    return row


@transaction.atomic
def end_freeze(freeze: Freeze, *, actor, ended_on: datetime.date, reason: str) -> Freeze:
    freeze = Freeze.objects.select_for_update().get(pk=freeze.pk)
    access.require(actor, Cap.MANAGE_AWARD_HISTORY, _home(freeze.subject))
    reason = normalize_text(reason)
    if not reason:
        raise RuleViolation(
            "Cần nêu kết luận để chấm dứt tạm dừng.", code="freeze_conclusion_required"
        )
    if freeze.ended_on is not None:
        raise RuleViolation(
            f"Đã chấm dứt tạm dừng từ {freeze.ended_on:%d/%m/%Y}.", code="freeze_already_ended"
        )
    if ended_on < freeze.started_on:
        raise RuleViolation(
            "Ngày chấm dứt trước ngày bắt đầu tạm dừng.", code="freeze_ends_before_start"
        )
    freeze.ended_on = ended_on
    stamp(freeze, actor=actor, reason=f"awards.freeze.ended: {reason}")
    freeze.save(update_fields=["ended_on"])
    return freeze


@transaction.atomic
def record_initiative(
    subject: Subject,
    *,
    actor,
    name: str,
    level: str,
    year: int,
    recognised_on: datetime.date | None = None,
    recognised_by: str = "",
    decision_number: str = "",
) -> Initiative:
    access.require(actor, Cap.MANAGE_AWARD_HISTORY, _home(subject))
    name = normalize_text(name)
    if not name:
        raise RuleViolation("Tên sáng kiến không được để trống.", code="initiative_name_required")
    if level not in InitiativeLevel.values:
        raise RuleViolation(
            "Cấp công nhận sáng kiến không hợp lệ.", code="initiative_level_invalid"
        )
    _check_year(year)
    row = Initiative(
        name=name,
        level=level,
        year=year,
        recognised_on=recognised_on,
        recognised_by=normalize_text(recognised_by),
        decision_number=normalize_text(decision_number),
        **_subject_fields(subject),
    )
    stamp(row, actor=actor, reason="awards.initiative.recorded")
    row.save()
    return row
