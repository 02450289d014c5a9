"""The national export: a year's award records and decisions of a unit's subtree as JSON Lines,
for reporting upward (the schema is docs/national-export.schema.json).

Personal data is limited to what identifies the award's holder on the record: the full name
(and a household's name). No birth date, gender or ethnicity (ethnic origin is sensitive
personal data under Decree 356/2025/NĐ-CP, Art. 4, implementing the Law on personal data
protection 91/2025/QH15, both in force since 01/01/2026); never a citizen identity number —
the portal holds none.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Iterator

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count
from openpyxl import Workbook

from awards.history.importing import AWARD_COLUMNS, AWARD_SHEET
from awards.models import AwardDecision, AwardRecord, BasisKind, DecisionStatus, RecipientKind
from portal import access
from portal.access import Cap
from portal.excel import set_up_sheet, workbook_bytes, write_row
from portal.models import Unit

SCHEMA_VERSION = "1"
RECIPIENT_LABELS = {
    RecipientKind.INDIVIDUAL: "Cá nhân",
    RecipientKind.COLLECTIVE: "Tập thể",
    RecipientKind.HOUSEHOLD: "Hộ gia đình",
}
BASIS_LABELS = {
    BasisKind.YEARLY: "Hằng năm",
    BasisKind.CAMPAIGN: "Theo đợt, chuyên đề",
    BasisKind.AD_HOC: "Đột xuất",
    BasisKind.MERIT: "Công trạng",
    BasisKind.CAREER: "Quá trình cống hiến",
}


def _record_line(record: AwardRecord) -> dict:
    item = record.title if record.title_id else record.award_form
    home = record.person.unit if record.person_id else record.unit
    return {
        "record_type": "award_record",
        "schema_version": SCHEMA_VERSION,
        "id": record.pk,
        "recipient_kind": record.recipient_kind,
        "full_name": record.person.full_name if record.person_id else None,
        "household_name": record.household_name or None,
        "unit_code": home.code,
        "unit_code_scheme": home.code_scheme,
        "unit_name": home.name,
        "item_category": "title" if record.title_id else "award_form",
        "item_code": item.code,
        "item_name": item.name,
        "item_level": item.level,
        "year": record.year,
        "basis_kind": record.basis_kind,
        "basis_reference": record.basis_reference,
        "decision_number": record.decision_number,
        "decision_date": record.decision_date,
        "decision_issuer_code": record.decision_issuer.code if record.decision_issuer_id else None,
        "decision_issuer_name": record.issuer_name,
        "revoked_on": record.revoked_on,
    }


def _decision_line(decision: AwardDecision) -> dict:
    document = decision.document
    return {
        "record_type": "decision",
        "schema_version": SCHEMA_VERSION,
        "id": decision.pk,
        "kind": decision.kind,
        "status": decision.status,
        "unit_code": decision.unit.code,
        "unit_name": decision.unit.name,
        "number_and_symbol": document.number_and_symbol,
        "issued_on": document.issued_on,
        "verification_code": document.verification_code,
        "sha256": document.sha256,
        "award_count": decision.award_count,
    }


def national_lines(unit: Unit, year: int, *, actor) -> Iterator[str]:
    """The JSON Lines of `unit`'s subtree for achievement year `year` (the caller needs to see
    the award history there: checked now, before the first line is streamed)."""
    access.require(actor, Cap.VIEW_HISTORY, unit)
    return _lines(unit.path, year, actor)


def _lines(under: str, year: int, actor) -> Iterator[str]:
    records = AwardRecord.objects.visible_to(actor).filter(year=year).filter(
        person__unit__path__startswith=under
    ) | AwardRecord.objects.visible_to(actor).filter(year=year, unit__path__startswith=under)
    records = records.select_related(
        "person__unit", "unit", "title", "award_form", "decision_issuer"
    ).order_by("decision_date", "pk")
    decisions = (
        AwardDecision.objects.visible_to(actor)
        .filter(unit__path__startswith=under, document__issued_on__year=year)
        .exclude(status=DecisionStatus.DRAFT)
        .select_related("unit", "document")
        .annotate(award_count=Count("nominations"))
        .order_by("document__issued_on", "pk")
    )
    for row in records.iterator(chunk_size=500):
        yield json.dumps(_record_line(row), cls=DjangoJSONEncoder, ensure_ascii=False)
    for row in decisions:
        yield json.dumps(_decision_line(row), cls=DjangoJSONEncoder, ensure_ascii=False)


def history_workbook(lines: Iterable[str]) -> bytes:
    """The award lines as the award-history import's workbook (awards.history.importing), so a
    province or the national database can load an export through the same import."""
    book = Workbook()
    sheet = book.active
    sheet.title = AWARD_SHEET
    write_row(sheet, list(AWARD_COLUMNS.values()), bold=True)
    for line in lines:
        row = json.loads(line)
        if row["record_type"] != "award_record":
            continue
        name = row["full_name"] or row["household_name"] or ""
        values = {
            "kind": RECIPIENT_LABELS[row["recipient_kind"]],
            "person_id": None,
            "name": name,
            "unit": row["unit_code"],
            "item": row["item_code"],
            "year": row["year"],
            "basis": BASIS_LABELS[row["basis_kind"]],
            "reference": row["basis_reference"],
            "number": row["decision_number"],
            "date": datetime.date.fromisoformat(row["decision_date"]).strftime("%d/%m/%Y"),
            "issuer": row["decision_issuer_name"],
        }
        # Names and references come from other systems: the writer keeps a formula as text.
        write_row(sheet, [values[key] for key in AWARD_COLUMNS])
    set_up_sheet(sheet)
    return workbook_bytes(book)
