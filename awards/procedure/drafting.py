"""The sender drafts a dossier: the achievement report, its evidence and the signed report."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from awards.models import (
    BasisKind,
    Evidence,
    Initiative,
    Item,
    Nomination,
    NominationEvent,
    RecipientKind,
)
from awards.procedure.screening import run_eligibility, store_findings
from awards.rules import money
from awards.transitions import lock_nomination, today
from awards.workflow import EDITABLE, Status
from portal import access, uploads
from portal.access import Cap
from portal.audit import stamp
from portal.errors import RuleViolation
from portal.models import Person, Unit
from portal.text import normalize_text
from portal.uploads import accept_upload

REPORT_FIELDS = (
    "report_position",
    "report_duties",
    "report_achievements",
    "report_initiatives",
    "report_past_awards",
    "unit_council_on",
    "unit_council_members",
    "unit_council_yes",
    "basis_reference",
    "campaign",
)
TEXT_FIELDS = {
    "report_position",
    "report_duties",
    "report_achievements",
    "report_initiatives",
    "report_past_awards",
    "basis_reference",
}


def _clean(fields: dict) -> dict:
    return {k: normalize_text(v) if k in TEXT_FIELDS else v for k, v in fields.items()}


def _check_council_vote(nomination: Nomination) -> None:
    members, yes = nomination.unit_council_members, nomination.unit_council_yes
    if members is not None and yes is not None and yes > members:
        raise RuleViolation(
            "Số phiếu đồng ý lớn hơn số thành viên Hội đồng.", code="council_yes_exceeds_members"
        )


@transaction.atomic
def create_nomination(
    proposing_unit: Unit,
    *,
    actor,
    item: Item,
    year: int,
    basis_kind: str,
    person: Person | None = None,
    unit: Unit | None = None,
    household_name: str = "",
    initiatives: Iterable[Initiative] = (),
    justifications: dict[str, str] | None = None,
    **report,
) -> Nomination:
    """A draft dossier; the eligibility findings are stored with it for the form to show."""
    access.require(actor, Cap.PROPOSE_AWARDS, proposing_unit)
    unknown = set(report) - set(REPORT_FIELDS)
    if unknown:
        raise RuleViolation(f"Không có trường: {', '.join(sorted(unknown))}.", code="unknown_field")
    household_name = normalize_text(household_name)
    if (person is None) == (unit is None):
        raise RuleViolation(
            "Chọn một cá nhân, hoặc một tập thể / địa bàn của hộ gia đình.",
            code="recipient_missing",
        )
    if basis_kind not in BasisKind.values:
        raise RuleViolation("Loại khen thưởng không hợp lệ.", code="basis_kind_invalid")
    home = person.unit if person is not None else unit
    if not proposing_unit.contains(home):
        raise RuleViolation(
            f"{proposing_unit.name} chỉ đề nghị khen thưởng trong đơn vị mình.",
            code="outside_proposing_unit",
        )
    if person is not None:
        kind = RecipientKind.INDIVIDUAL
        if household_name:
            raise RuleViolation(
                "Hộ gia đình được ghi theo địa bàn, không theo cá nhân.",
                code="household_by_locality",
            )
    else:
        kind = RecipientKind.HOUSEHOLD if household_name else RecipientKind.COLLECTIVE
    nomination = Nomination(
        recipient_kind=kind,
        person=person,
        unit=unit,
        household_name=household_name,
        year=year,
        basis_kind=basis_kind,
        proposing_unit=proposing_unit,
        justifications=_justifications(justifications),
        created_by=actor if getattr(actor, "pk", None) else None,
        **_clean(report),
    )
    nomination.item = item
    money.check_priced(item, kind, today(), proposing_unit)
    if not nomination.report_achievements:
        raise RuleViolation(
            "Cần nhập thành tích đạt được (báo cáo thành tích).", code="achievements_missing"
        )
    _check_council_vote(nomination)
    stamp(nomination, actor=actor, reason="awards.nomination.drafted")
    nomination.save()
    nomination.initiatives.set(list(initiatives))
    store_findings(nomination, run_eligibility(nomination))
    nomination.save(update_fields=["findings"])
    NominationEvent.objects.create(
        nomination=nomination,
        action="draft",
        to_status=Status.DRAFT,
        actor=actor if getattr(actor, "pk", None) else None,
        unit=proposing_unit,
    )
    return nomination


def _justifications(values: dict[str, str] | None) -> dict[str, str]:
    return {code: normalize_text(text) for code, text in (values or {}).items() if text.strip()}


@transaction.atomic
def update_nomination(
    nomination: Nomination,
    *,
    actor,
    initiatives: Iterable[Initiative] | None = None,
    justifications: dict[str, str] | None = None,
    **report,
) -> Nomination:
    """Edit the report while the dossier is a draft or returned; eligibility is re-run."""
    nomination = lock_nomination(nomination)
    access.require(actor, Cap.PROPOSE_AWARDS, nomination.proposing_unit)
    if nomination.status not in EDITABLE:
        raise RuleViolation(
            "Hồ sơ đã trình, không sửa được; hãy rút hồ sơ hoặc chờ trả lại.",
            code="nomination_not_editable",
        )
    unknown = set(report) - set(REPORT_FIELDS)
    if unknown:
        raise RuleViolation(f"Không có trường: {', '.join(sorted(unknown))}.", code="unknown_field")
    for key, value in _clean(report).items():
        setattr(nomination, key, value)
    if not nomination.report_achievements:
        raise RuleViolation(
            "Cần nhập thành tích đạt được (báo cáo thành tích).", code="achievements_missing"
        )
    _check_council_vote(nomination)
    if justifications is not None:
        nomination.justifications = _justifications(justifications)
    if initiatives is not None:
        nomination.initiatives.set(list(initiatives))
    store_findings(nomination, run_eligibility(nomination))
    stamp(nomination, actor=actor, reason="awards.nomination.updated")
    nomination.save()
    return nomination


@transaction.atomic
def add_evidence(
    nomination: Nomination, *, actor, description: str, file=None, link: str = ""
) -> Evidence:
    nomination = lock_nomination(nomination)
    access.require(actor, Cap.PROPOSE_AWARDS, nomination.proposing_unit)
    if nomination.status not in EDITABLE:
        raise RuleViolation(
            "Chỉ bổ sung minh chứng khi hồ sơ đang soạn hoặc bị trả lại.",
            code="evidence_not_editable",
        )
    description = normalize_text(description)
    if not description or not (file or link):
        raise RuleViolation(
            "Minh chứng cần mô tả và một tệp hoặc đường dẫn.", code="evidence_incomplete"
        )
    evidence = Evidence(nomination=nomination, description=description, link=link)
    if file:
        accept_upload(file, allowed=uploads.EVIDENCE, label="Tệp minh chứng")
        evidence.file = file
    stamp(evidence, actor=actor, reason="awards.evidence.added")
    evidence.save()
    return evidence


@transaction.atomic
def attach_signed_report(nomination: Nomination, *, actor, file) -> Nomination:
    """The achievement report signed on paper, scanned, beside its structured fields."""
    nomination = lock_nomination(nomination)
    access.require(actor, Cap.PROPOSE_AWARDS, nomination.proposing_unit)
    if nomination.status not in EDITABLE:
        raise RuleViolation(
            "Chỉ đính kèm báo cáo khi hồ sơ đang soạn hoặc bị trả lại.", code="report_not_editable"
        )
    accept_upload(file, allowed=uploads.PDF_ONLY, label="Báo cáo thành tích đã ký")
    nomination.signed_report = file
    stamp(nomination, actor=actor, reason="awards.nomination.signed_report")
    nomination.save(update_fields=["signed_report"])
    return nomination
