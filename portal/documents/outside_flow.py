"""Signing as leaders really sign (#17): the services of a paper signed outside the portal.

    prepare_signing_paper   the paper as it will be issued, number and day blank, to sign
    accept_signed_upload    the file signed with the signer's own tool, checked and kept
    confirm_signer          a văn thư confirms a certificate in another name, with a reason
    issue_signed_document   number and date from the register, filled in; the agency countersigns
    verdict_of              every signature of the issued file, for /xac-minh/<code>/

A giao ước is signed by each member's leader in turn: each upload is the previous file plus
the next member's signature, checked against that member's name, in order.
"""

from __future__ import annotations

import datetime
import hashlib
import json

from django.apps import apps
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from portal import access
from portal.access import Cap
from portal.audit import stamp
from portal.documents import dating, layout, numbering, outside_pdf, signing
from portal.documents.content import TEMPLATE_VERSION
from portal.documents.engine import (
    DRAFT_FIELDS,
    check_signer_on,
    missing_for_issue,
    stamp_issue,
)
from portal.documents.outside_signing import (
    _signed_length,
    check_signed_upload,
    trust_anchors,
)
from portal.documents.recording import check_scan
from portal.errors import RuleViolation
from portal.models import DocumentKind, OfficialDocument, OutsideSigning, Unit
from portal.text import fold

# A verdict on the same bytes and anchors is worked out again after this (certificates expire).
VERDICT_RECHECK_AFTER = datetime.timedelta(days=1)
# The history reason of an issue after outside signing: how the register's file was made.
ISSUED_OUTSIDE = "portal.document.issued_signed_outside"


def expected_signers(document: OfficialDocument) -> list[str]:
    """Who signs, in order: a giao ước's members in turn as the paper prints them, the parties'
    blocks and then the head's, which closes the paper beside "Nơi nhận"; otherwise the signer
    (and those who sign with them, the secretary of a Biên bản)."""
    co_signers = [c["name"] for c in document.co_signers]
    if document.kind == DocumentKind.PLEDGE:
        return [*co_signers, *([document.signer_name] if document.signer_name else [])]
    return [document.signer_name, *co_signers]


def _content_sha256(document: OfficialDocument) -> str:
    content = {name: getattr(document, name) for name in DRAFT_FIELDS if name != "signer"}
    content["signer"] = document.signer_id
    content["issued_on"] = str(content["issued_on"] or "")
    content["template"] = TEMPLATE_VERSION
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


def _check_ready(document: OfficialDocument) -> None:
    if document.is_issued:
        raise RuleViolation(f"Văn bản đã được ban hành: {document}.", code="already_issued")
    if document.is_certificate:
        raise RuleViolation(
            "Giấy khen, Bằng khen được ký số tại cổng, không ký ngoài cổng.",
            code="certificate_signed_inside",
        )
    missing = missing_for_issue(document)
    if missing:
        raise RuleViolation(
            "Chưa thể xuất bản để ký, văn bản còn thiếu: " + "; ".join(missing) + ".",
            code="document_incomplete_for_signing",
        )


def current_signing(document: OfficialDocument) -> OutsideSigning | None:
    return OutsideSigning.objects.filter(document=document).first()


def next_signer(signing_row: OutsideSigning | None, document: OfficialDocument) -> str:
    """The name whose signature comes next ("" when everyone has signed)."""
    expected = expected_signers(document)
    done = len(signing_row.signatures) if signing_row else 0
    return expected[done] if done < len(expected) else ""


def signing_turns(document: OfficialDocument, signing_row: OutsideSigning | None) -> list[dict]:
    """Each expected signer in order with the signature brought back for them, if any."""
    done = signing_row.signatures if signing_row else []
    return [
        {"name": name, "signature": done[i] if i < len(done) else None}
        for i, name in enumerate(expected_signers(document))
    ]


def signing_units(document: OfficialDocument) -> list[Unit | None]:
    """The unit each turn of `expected_signers` signs for where a printed name alone says who
    signs, a giao ước member's representative: the member's own unit, which the pledges app
    records in the member's block ("unit"), and for the closing block the giao ước's head. None
    where the paper does not say: only a recorded account or the văn thư carries that turn
    (portal.access.may_carry_signed_paper). Read once per document object, for giao ước only."""
    cached = getattr(document, "_signing_units", None)
    if cached is not None:
        return cached
    turns = expected_signers(document)
    if document.kind != DocumentKind.PLEDGE:
        document._signing_units = [None] * len(turns)
        return document._signing_units
    ids = [block.get("unit") for block in document.co_signers]
    if document.signer_name:
        # The giao ước whose paper this is names its head (pledges.Pledge.document); read by
        # the app registry so that the portal does not import the pledges app.
        pledges = apps.get_model("pledges", "Pledge").objects.filter(document=document)
        ids.append(pledges.values_list("head_id", flat=True).first())
    units = Unit.objects.in_bulk([pk for pk in ids if pk is not None])
    document._signing_units = [units.get(pk) for pk in ids]
    return document._signing_units


def _may_carry_turn(actor, document: OfficialDocument, turn: int) -> bool:
    """Whether `actor` may carry the paper for turn `turn` of `expected_signers`."""
    name = expected_signers(document)[turn]
    own_turn = document.kind != DocumentKind.PLEDGE and name == document.signer_name
    signer_user_id = document.signer.user_id if document.signer_id and own_turn else None
    unit = signing_units(document)[turn]
    return access.may_carry_signed_paper(actor, document.issuer, name, signer_user_id, unit)


def may_carry(actor, document: OfficialDocument, signing_row) -> bool:
    """Whether `actor` may fetch the paper for the next signature and bring it back: the
    recorded signer's account for their own turn; for a giao ước member's turn, that member's
    own leader of the name printed; the văn thư for anyone. Once everyone has signed, the paper
    is the document's own signer's (the first block; a giao ước's head, the last)."""
    turns = expected_signers(document)
    done = len(signing_row.signatures) if signing_row else 0
    if done < len(turns):
        return _may_carry_turn(actor, document, done)
    if not document.signer_name:
        return access.may_carry_signed_paper(actor, document.issuer, "", None)
    last = len(turns) - 1 if document.kind == DocumentKind.PLEDGE else 0
    return _may_carry_turn(actor, document, last)


def takes_part(actor, document: OfficialDocument) -> bool:
    """Whether `actor` would carry the paper for one of its turns, now or earlier or later: a
    giao ước member's leader follows the organiser's paper on its signing page."""
    return any(
        _may_carry_turn(actor, document, turn) for turn in range(len(expected_signers(document)))
    )


def _require_bearer(actor, document: OfficialDocument, signing_row) -> None:
    if not may_carry(actor, document, signing_row):
        raise access.denied()


@transaction.atomic
def prepare_signing_paper(document: OfficialDocument, *, actor) -> OutsideSigning:
    """The paper to sign, laid out once and kept: the upload must be these very bytes signed.

    Laid out again only when the draft changed since (the signatures already brought back on
    the old paper are then void).
    """
    document = OfficialDocument.objects.select_for_update().get(pk=document.pk)
    signing_row = current_signing(document)
    if actor is not None:
        _require_bearer(actor, document, signing_row)
    _check_ready(document)
    content = _content_sha256(document)
    if signing_row is not None and signing_row.content_sha256 == content:
        return signing_row
    if document.verification_code is None:
        document.verification_code = numbering.new_verification_code()
        stamp(document, actor=actor, reason="portal.document.code_reserved")
        document.save(update_fields=["verification_code"])
    pdf = outside_pdf.render_for_signing(document, document.verification_code)
    signing_row = signing_row or OutsideSigning(document=document)
    signing_row.content_sha256 = content
    signing_row.produced_sha256 = hashlib.sha256(pdf).hexdigest()
    signing_row.produced_year = timezone.localdate().year
    signing_row.signatures = []
    signing_row.signed = None
    signing_row.signed_sha256 = ""
    signing_row.confirmed_by = None
    signing_row.confirmation_reason = ""
    signing_row.produced.save(f"{_label(document)}-de-ky.pdf", ContentFile(pdf), save=False)
    stamp(signing_row, actor=actor, reason="portal.outside_signing.prepared")
    signing_row.save()
    return signing_row


def paper_to_sign(signing_row: OutsideSigning) -> bytes:
    """What the next signer signs: the paper, or the file as the previous member left it."""
    field = signing_row.signed if signing_row.signed else signing_row.produced
    with field.open("rb") as handle:
        return handle.read()


@transaction.atomic
def accept_signed_upload(document: OfficialDocument, *, actor, data: bytes) -> OutsideSigning:
    """Keep the signed file if it is the paper handed out plus the next signatures, each valid,
    trusted and in time; refuse it with the reason otherwise (nothing kept changes)."""
    document = OfficialDocument.objects.select_for_update().get(pk=document.pk)
    signing_row = current_signing(document)
    if actor is not None:
        _require_bearer(actor, document, signing_row)
    if document.is_issued:
        raise RuleViolation(f"Văn bản đã được ban hành: {document}.", code="already_issued")
    if signing_row is None:
        raise RuleViolation(
            "Hãy tải bản để ký trước, ký bản đó rồi tải lên.", code="signing_copy_not_downloaded"
        )
    if signing_row.content_sha256 != _content_sha256(document):
        raise RuleViolation(
            "Dự thảo đã được sửa sau khi xuất bản để ký; hãy tải bản để ký mới và ký lại.",
            code="draft_changed_since_export",
        )
    check_scan(data, label="Tệp đã ký số")
    base = paper_to_sign(signing_row)
    expected = expected_signers(document)
    remaining = expected[len(signing_row.signatures) :]
    if not remaining:
        raise RuleViolation(
            "Văn bản đã có đủ chữ ký; văn thư có thể ban hành.", code="signatures_complete"
        )
    arrived = _new_signature_count(base, data)
    checked = check_signed_upload(base, data, signers=remaining[: max(arrived, 1)])
    uploader = getattr(actor, "pk", None)
    signing_row.signatures = [
        *signing_row.signatures,
        *(
            {
                "holder": s.holder,
                "expected": s.expected,
                "name_matches": s.name_matches,
                "signed_at": s.signed_at.isoformat(),
                "certificate_sha256": s.certificate_sha256,
                "uploaded_by": uploader,
            }
            for s in checked.signatures
        ),
    ]
    signing_row.signed_sha256 = hashlib.sha256(data).hexdigest()
    signing_row.signed.save(f"{_label(document)}-da-ky.pdf", ContentFile(data), save=False)
    stamp(signing_row, actor=actor, reason="portal.outside_signing.signed_upload")
    signing_row.save()
    return signing_row


def _new_signature_count(base: bytes, data: bytes) -> int:
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader

    if not data.startswith(base):
        return 1  # refused by the check, with its reason
    try:
        embedded = PdfFileReader(BytesIO(data), strict=False).embedded_signatures
    except Exception:
        return 1
    return sum(1 for sig in embedded if _signed_length(sig) > len(base))


@transaction.atomic
def confirm_signer(document: OfficialDocument, *, actor, reason: str) -> OutsideSigning:
    """A văn thư vouches that a certificate in another name is the signer's (a name written
    differently, a new certificate after marriage …); the reason stays in the history."""
    # The document's lock, as every step of the flow takes it: an upload made meanwhile
    # rewrites the signing row whole and would write the confirmation away.
    document = OfficialDocument.objects.select_for_update().get(pk=document.pk)
    if actor is not None:
        access.require(actor, Cap.ISSUE_DOCUMENTS, document.issuer)
    signing_row = OutsideSigning.objects.select_for_update().filter(document=document).first()
    if signing_row is None:
        raise RuleViolation(
            "Văn bản chưa có bản ký số ngoài cổng nào để xác nhận.", code="outside_nothing_signed"
        )
    reason = " ".join(reason.split())
    if not reason:
        raise RuleViolation(
            "Cần ghi lý do xác nhận chứng thư số mang tên khác người ký.",
            code="certificate_override_reason_required",
        )
    if not signing_row.mismatches:
        raise RuleViolation(
            "Các chữ ký đều đúng tên người ký; không cần xác nhận.",
            code="certificate_override_unneeded",
        )
    signing_row.confirmed_by = actor if getattr(actor, "pk", None) else None
    signing_row.confirmation_reason = reason
    stamp(signing_row, actor=actor, reason="portal.outside_signing.signer_confirmed")
    signing_row.save()
    return signing_row


@transaction.atomic
def issue_signed_document(
    document: OfficialDocument,
    *,
    actor,
    check_access: bool = True,
    issued_on: datetime.date | None = None,
) -> OfficialDocument:
    """The văn thư issues the signed paper: the number from the register and the day are
    filled into the paper's blanks, and the agency's certificate (DOCUMENT_SIGNING_P12)
    countersigns, both as one incremental update, so the leaders' signatures stay valid.
    Without an agency certificate the leader-signed file, numbered, is the original.
    `check_access=False`: a service that has checked its own capability issues in its
    actor's name (the bloc head's officer issuing the organiser's Giao ước)."""
    document = OfficialDocument.objects.select_for_update().get(pk=document.pk)
    if actor is not None and check_access:
        access.require(actor, Cap.ISSUE_DOCUMENTS, document.issuer)
    if document.is_issued:
        raise RuleViolation(f"Văn bản đã được ban hành: {document}.", code="already_issued")
    signing_row = current_signing(document)
    expected = expected_signers(document)
    if signing_row is None or len(signing_row.signatures) < len(expected):
        still = expected[len(signing_row.signatures) if signing_row else 0 :]
        raise RuleViolation(
            "Văn bản chưa được ký đủ; còn chờ chữ ký của: " + ", ".join(still) + ".",
            code="signatures_missing",
        )
    if signing_row.content_sha256 != _content_sha256(document):
        raise RuleViolation(
            "Dự thảo đã được sửa sau khi ký; cần ký lại bản mới.",
            code="draft_changed_since_signing",
        )
    if signing_row.needs_confirmation:
        names = ", ".join(
            f"{s['holder']} (người ký: {s['expected']})" for s in signing_row.mismatches
        )
        raise RuleViolation(
            f"Chứng thư số mang tên khác người ký: {names}. Văn thư cần xác nhận, có lý do.",
            code="certificate_name_mismatch",
        )
    day = issued_on or timezone.localdate()
    if day.year != signing_row.produced_year:
        raise RuleViolation(
            f"Bản đã ký in năm {signing_row.produced_year}, không ban hành vào năm {day.year}; "
            "hãy xuất bản để ký mới và ký lại.",
            code="signed_copy_year_mismatch",
        )
    dating.check_not_future(day, timezone.localdate())
    dating.check_issuer_on(document.issuer, day)
    check_signer_on(document, day)
    stamp_issue(document, actor=actor, day=day)
    countersign = signing.is_configured()
    with signing_row.signed.open("rb") as handle:
        leader_signed = handle.read()
    pdf = outside_pdf.number_and_date(
        leader_signed,
        number=document.number,
        day=day,
        countersign=countersign,
        reason=f"Ban hành {document}",
        location=document.place_name,
    )
    broken = [v for v in outside_pdf.read_signatures(pdf, _anchors()) if not v.ok]
    if broken:
        raise RuleViolation(
            "Không điền được số và ngày mà giữ nguyên chữ ký của "
            + ", ".join(v.holder for v in broken)
            + " (chữ ký đã khóa văn bản). Người ký cần ký lại, không khóa các ô số và ngày.",
            code="signature_locks_number",
        )
    document.is_signed = True
    document.sha256 = hashlib.sha256(pdf).hexdigest()
    document.pdf.save(f"{_label(document)}.pdf", ContentFile(pdf), save=False)
    if document.annexes_separate and document.annexes and countersign:
        # Phụ lục I: a separate annex file carries the agency's signature, without an image.
        annex = signing.sign_pdf(
            layout.render_annex_pdf(document),
            box=None,
            reason=f"Phụ lục {document}",
            location=document.place_name,
        )
        document.annex_sha256 = hashlib.sha256(annex).hexdigest()
        document.annex_pdf.save(f"{_label(document)}-phu-luc.pdf", ContentFile(annex), save=False)
    stamp(document, actor=actor, reason=ISSUED_OUTSIDE)
    document.save()
    signing_row.countersigned = countersign
    stamp(signing_row, actor=actor, reason="portal.outside_signing.issued")
    signing_row.save(update_fields=["countersigned"])
    return document


def _label(document: OfficialDocument) -> str:
    number = fold(document.number_and_symbol).replace("/", "-") if document.number else ""
    return f"{number or document.kind}-{document.verification_code}"


def _anchors() -> list:
    """What validation trusts: the CA folder and the agency's own certificate."""
    agency = signing.agency_certificate()
    return [*trust_anchors(), *([agency] if agency is not None else [])]


def _anchors_fingerprint(anchors) -> str:
    return hashlib.sha256("".join(sorted(a.sha256.hex() for a in anchors)).encode()).hexdigest()


ORIGINAL_KINDS = {
    "countersigned": "Bản điện tử do lãnh đạo ký số, cơ quan ký số (đóng dấu) khi ban hành",
    "leader_signed": "Bản điện tử do lãnh đạo ký số (chưa có chữ ký số của cơ quan)",
    "scan": "Bản quét văn bản giấy đã ký, đóng dấu",
    "agency_signed": "Bản điện tử do cơ quan ký số tại cổng",
    "unsigned": "Bản điện tử chưa ký số",
}


def issued_outside(document: OfficialDocument) -> bool:
    """Whether the register's file is the one signed outside: its history says how it was
    issued (a paper fetched to sign may still have been issued at the portal instead, and
    the file itself may have been tampered with)."""
    if not document.is_issued or getattr(document, "outside_signing", None) is None:
        return False
    return document.history.filter(history_change_reason=ISSUED_OUTSIDE).exists()


def original_kind(document: OfficialDocument) -> str:
    """Which kind of original the register keeps: a key of ORIGINAL_KINDS."""
    if document.is_recorded:
        return "scan"
    if issued_outside(document):
        return "countersigned" if document.outside_signing.countersigned else "leader_signed"
    return "agency_signed" if document.is_signed else "unsigned"


def verdict_of(document: OfficialDocument) -> dict | None:
    """Every signature of an outside-signed document's file, with whether the file read now is
    the registered one. Kept (validation takes seconds) while the hash and the anchors are the
    same and the verdict is younger than a day."""
    if not document.pdf or not issued_outside(document):
        return None
    signing_row = document.outside_signing
    with document.pdf.open("rb") as handle:
        data = handle.read()
    digest = hashlib.sha256(data).hexdigest()
    anchors = _anchors()
    fingerprint = _anchors_fingerprint(anchors)
    kept = signing_row.verdict or {}
    now = timezone.now()
    if kept.get("sha256") == digest and kept.get("anchors") == fingerprint:
        checked_at = datetime.datetime.fromisoformat(kept["checked_at"])
        if now - checked_at < VERDICT_RECHECK_AFTER:
            return _displayed(kept)
    signatures = [v.as_json() for v in outside_pdf.read_signatures(data, anchors)]
    verdict = {
        "sha256": digest,
        "anchors": fingerprint,
        "checked_at": now.isoformat(),
        "file_matches": digest == document.sha256,
        "signatures": signatures,
        "all_ok": digest == document.sha256
        and bool(signatures)
        and all(s["ok"] for s in signatures),
    }
    # A cache of derived data, not an act of anyone: no history, no audit stamp.
    OutsideSigning.objects.filter(pk=signing_row.pk).update(verdict=verdict)
    signing_row.verdict = verdict
    return _displayed(verdict)


def _local(iso: str) -> str:
    """An ISO 8601 moment as the page prints it: "14:05:09 05/12/2026", Vietnam time."""
    if not iso:
        return ""
    return timezone.localtime(datetime.datetime.fromisoformat(iso)).strftime("%H:%M:%S %d/%m/%Y")


def _displayed(verdict: dict) -> dict:
    return {
        **verdict,
        "checked_local": _local(verdict["checked_at"]),
        "signatures": [
            {**s, "signed_local": _local(s["signed_at"])} for s in verdict["signatures"]
        ],
    }
