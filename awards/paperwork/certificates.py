"""The papers the portal prints for a decision's awardees, and their codes.

Which paper is catalogue data (`CatalogueItem.paper`, #13 §3): Giấy khen, Bằng khen, the
certificate of a title (Bằng chứng nhận, Giấy chứng nhận); none for money-only titles, flags
and State awards.

The print: `print_certificates` fixes the shared page layout of an issued decision and starts
the job `PRINT_CERTIFICATES_JOB` (run by `awards.jobs`), one page per awardee
(`certificate_rows`), in the annex's order.

Each award recorded by an issued decision gets its own code on its `AwardRecord` (the record
that stands for the award and is marked when it is revoked). The code is printed with a QR
code on the certificate and looked up on the documents engine's public page `/xac-minh/<code>/`
through the hook `portal.documents.verify.register_code_lookup`: citizens verify documents and
certificates in one place, and portal does not import awards.

Codes use the documents' alphabet (no 0/O, 1/I) but are 8 characters where documents have 10,
so the two kinds of code can never be taken for each other.
"""

from __future__ import annotations

import datetime
import secrets

from django.db import transaction

from awards.models import (
    PRINTED_PAPERS,
    AwardDecision,
    AwardForm,
    AwardRecord,
    DecisionKind,
    DecisionStatus,
    Paper,
    RecipientKind,
)
from awards.paperwork import decisions as decision_papers
from awards.paperwork import papers
from awards.transitions import lock_decision
from portal import access, documents
from portal.access import Cap
from portal.audit import stamp
from portal.background import jobs
from portal.documents import VERIFICATION_ALPHABET
from portal.documents.verify import CodeLookup
from portal.errors import RuleViolation
from portal.models import DocumentKind, Job

CERTIFICATE_CODE_LENGTH = 8
BACKFILL_REASON = "awards.record.certificate_code_backfilled"


def _candidates(count: int) -> set[str]:
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(
            "".join(secrets.choice(VERIFICATION_ALPHABET) for _ in range(CERTIFICATE_CODE_LENGTH))
        )
    return codes


def new_certificate_codes(count: int, *, model=None) -> list[str]:
    """`count` distinct codes no award holds yet, checked in one query per round."""
    if model is None:
        model = AwardRecord
    codes: set[str] = set()
    while len(codes) < count:
        fresh = _candidates(count - len(codes)) - codes
        taken = set(
            model.objects.filter(certificate_code__in=fresh).values_list(
                "certificate_code", flat=True
            )
        )
        codes |= fresh - taken
    return sorted(codes)


def backfill_certificate_codes(record_model, historical_model=None) -> int:
    """Give a code to every award decided in the portal (it has a dossier) that lacks one.

    Written with the models the migration passes in; with `historical_model`, each change also
    gets its history row, as the service writes would. Returns how many records got a code.
    """
    records = list(
        record_model.objects.filter(certificate_code="", nomination__isnull=False).order_by("pk")
    )
    for record, code in zip(
        records, new_certificate_codes(len(records), model=record_model), strict=True
    ):
        record.certificate_code = code
    record_model.objects.bulk_update(records, ["certificate_code"], batch_size=500)
    if historical_model is not None and records:
        now = datetime.datetime.now(datetime.UTC)
        historical_model.objects.bulk_create(
            [
                historical_model(
                    **{
                        field.attname: getattr(record, field.attname)
                        for field in record_model._meta.concrete_fields
                    },
                    history_date=now,
                    history_type="~",
                    history_change_reason=BACKFILL_REASON,
                )
                for record in records
            ],
            batch_size=500,
        )
    return len(records)


def lookup_certificate(code: str) -> CodeLookup | None:
    """The public verification of a certificate code, in one query (None: not a certificate).

    Shows only what the public decision page shows of an awardee (name, unit, award), never
    birth year, ethnicity or money; the person holding the paper already reads as much.
    """
    if len(code) != CERTIFICATE_CODE_LENGTH:
        return None
    record = (
        AwardRecord.objects.select_related(
            "person__unit", "unit", "title", "award_form", "decision_issuer"
        )
        .filter(certificate_code=code)
        .first()
    )
    if record is None:
        return None
    return CodeLookup(
        template="awards/public/certificate_verify.html",
        context={"record": record, "code": code},
        title=f"Xác minh bằng, giấy khen {code}",
    )


PRINT_CERTIFICATES_JOB = "awards.print_certificates"


def _nominations(decision: AwardDecision):
    return decision.nominations.select_related(
        "person__unit", "unit", "title", "award_form", "award_record"
    ).order_by("pk")


def printed_paper(decision: AwardDecision) -> str:
    """The one paper the portal prints for this decision's awardees (catalogue data, #13 §3).

    Refused, naming the item and what the law gives it, when the decision's items get no paper
    the portal prints (Lao động tiên tiến: money only; a Cờ thi đua; a State award), or papers
    of several kinds (print them from separate decisions)."""
    items = {(n.title_id, n.award_form_id): n.item for n in _nominations(decision)}
    kinds = {item.paper for item in items.values() if item.paper in PRINTED_PAPERS}
    if not kinds:
        given = "; ".join(
            f"{item.name}: {item.get_paper_display().lower()}" for item in items.values()
        )
        raise RuleViolation(
            f"Quyết định này không có bằng, giấy khen để in ({given}).",
            code="no_printed_paper",
        )
    if len(kinds) > 1:
        raise RuleViolation(
            "Quyết định gồm nhiều loại hiện vật ("
            + ", ".join(sorted(Paper(p).label for p in kinds))
            + "); hãy in từ các quyết định riêng.",
            code="several_papers",
        )
    return kinds.pop()


def certificate_kind(paper: str) -> str:
    """The documents engine's certificate layout: Giấy … or Bằng …."""
    if paper in {Paper.GIAY_KHEN, Paper.GIAY_CHUNG_NHAN}:
        return DocumentKind.MERIT_CERTIFICATE
    return DocumentKind.HONOUR_CERTIFICATE


def certificate_rows(decision: AwardDecision) -> list[dict]:
    """One row per awardee whose item has a printed paper: recipient, item and year, the
    decision's register number, the verification code."""
    rows = []
    for index, nomination in enumerate(_nominations(decision), start=1):
        if nomination.item.paper not in PRINTED_PAPERS:
            continue
        if isinstance(nomination.item, AwardForm):
            achievement = f"Đã có thành tích xuất sắc năm {nomination.year}"
        else:
            achievement = f"Đạt danh hiệu {nomination.item.name} năm {nomination.year}"
        rows.append(
            {
                "awardee": nomination.recipient_name,
                "detail": papers.nominee_detail(nomination)
                if nomination.recipient_kind != RecipientKind.HOUSEHOLD
                else nomination.unit.name,
                "achievement": achievement,
                "book_number": f"{decision.document.number_and_symbol} – {index}",
                "verification_code": nomination.award_record.certificate_code
                if nomination.award_record_id
                else "",
            }
        )
    return rows


@transaction.atomic
def certificate_layout(decision: AwardDecision, *, actor):
    """The shared certificate page of a decision: the paper the law gives its items, the
    issuer's authority line, the decision's number and date, and the signer it names."""
    decision = lock_decision(decision)
    access.require(actor, Cap.REVIEW_NOMINATIONS, decision.unit)
    if decision.status == DecisionStatus.DRAFT or decision.kind != DecisionKind.AWARD:
        raise RuleViolation(
            "Chỉ in bằng, giấy khen của quyết định khen thưởng đã ban hành.",
            code="certificates_of_issued_decision_only",
        )
    paper = printed_paper(decision)
    document = decision.document
    return documents.create_draft(
        certificate_kind(paper),
        issuer=decision.unit,
        actor=actor,
        check_access=False,
        title=PRINTED_PAPERS[paper],
        body=[
            {
                "type": "certificate",
                "authority": decision_papers.authority_line(decision.unit),
                "awardee": "",
                "detail": "",
                "achievement": "",
                "decision": f"Quyết định số {document.number_and_symbol} "
                f"ngày {document.issued_on:%d/%m/%Y}",
            }
        ],
        signer_name=document.signer_name,
        signer_capacity=document.signer_capacity,
        signer_authority=document.signer_authority,
        signer_position=document.signer_position,
        issued_on=document.issued_on,
    )


@transaction.atomic
def print_certificates(decision: AwardDecision, *, actor) -> Job:
    """Start printing every awardee's certificate as a background job with a progress bar.

    The layout is fixed here, so a rerun of the job (a dead worker, a retry) prints the same
    pages. A print still waiting or running is returned instead of starting a second one.
    """
    decision = lock_decision(decision)
    access.require(actor, Cap.REVIEW_NOMINATIONS, decision.unit)
    current = decision.certificates_job
    if current is not None and not current.is_finished:
        return current
    layout = certificate_layout(decision, actor=actor)
    job = jobs.start_job(
        decision.unit,
        actor=actor,
        kind=PRINT_CERTIFICATES_JOB,
        params={"decision_id": decision.pk, "layout_id": layout.pk},
    )
    decision.certificates_job = job
    stamp(decision, actor=actor, reason="awards.decision.certificates_printing")
    decision.save(update_fields=["certificates_job"])
    return job
