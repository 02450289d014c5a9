"""The documents engine: drafts, issue (number, snapshot, render, hash, sign), correct, revoke.

The API the campaign and award code calls (all of it importable from `portal.documents`):

    doc = create_draft(DocumentKind.PLAN, issuer=unit, actor=user, summary="Phát động ...",
                       body=[{"type": "paragraph", "text": "..."}], signer_name="Nguyễn Văn A",
                       signer_capacity="KT.", signer_authority="CHỦ TỊCH",
                       signer_position="PHÓ CHỦ TỊCH", recipients=["Sở Nội vụ"])
    pdf = render_preview(doc)              # watermarked "DỰ THẢO", no number
    doc = issue_document(doc, actor=user)  # numbered, snapshotted, rendered, hashed (signed)
    render_pdf(doc), render_docx(doc)      # pure functions of the snapshot
    render_certificates(rows, layout=certificate_doc)  # bulk Giấy khen / Bằng khen

`body`, `annexes` and `co_signers` are plain data (see `OfficialDocument`); strings are NFC.
Beside this module in the package: numbering (the register), content (what a document
prints, shared by the PDF and Word renderers), layout (the PDF layout, WeasyPrint), stamp
(bulk certificates), docx (Word), verify (state and upload checks), signing (PAdES, pyHanko).
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal import access
from portal.access import Cap
from portal.audit import stamp
from portal.documents import dating, layout, numbering, signers
from portal.documents.content import (
    TEMPLATE_VERSION,
    archive_line,
    clean,
    clean_count,
    clean_lines,
    clean_mark,
    normalize_annexes,
    normalize_body,
    normalize_co_signers,
    normalize_recipients,
)
from portal.errors import RuleViolation
from portal.models import (
    DocumentKind,
    DocumentStatus,
    OfficialDocument,
    Person,
    Post,
    Register,
    Unit,
)
from portal.models.documents import (
    CERTIFICATE_KINDS,
    KIND_SPECS,
    Circulation,
    Secrecy,
    SignerCapacity,
    Urgency,
)
from portal.text import fold, normalize_text

DRAFT_FIELDS = (
    "title",
    "summary",
    "body",
    "addressees",
    "recipients",
    "annexes",
    "signer",
    "signer_name",
    "signer_capacity",
    "signer_authority",
    "signer_position",
    "co_signers",
    "annexes_separate",
    "issued_on",
    "place_name",
    "issued_as",
    "secrecy",
    "urgency",
    "circulation",
    "drafting_unit",
    "archive_copies",
    "drafter_mark",
    "issued_copies",
)


@transaction.atomic
def create_draft(
    kind: str,
    *,
    issuer: Unit,
    actor,
    check_access: bool = True,
    title: str = "",
    summary: str = "",
    body=(),
    signer=None,
    signer_name: str = "",
    signer_capacity: str = "",
    signer_authority: str = "",
    signer_position: str = "",
    recipients: Iterable[str] = (),
    addressees: Iterable[str] = (),
    annex: dict | None = None,
    annexes: Iterable[dict] = (),
    co_signers: Iterable[dict] = (),
    annexes_separate: bool = False,
    issued_on: datetime.date | None = None,
    corrects: OfficialDocument | None = None,
    revokes: OfficialDocument | None = None,
    place_name: str = "",
    issued_as: str = "",
    secrecy: str = "",
    urgency: str = "",
    circulation: str = "",
    drafting_unit: str = "",
    archive_copies: int | None = None,
    drafter_mark: str = "",
    issued_copies: int | None = None,
    sign_from_posts: bool = False,
) -> OfficialDocument:
    """Start a draft of `kind` for `issuer`. Nothing is checked for completeness until issue.

    `place_name` is the địa danh of the date line when the author gives one (a giao ước is
    dated where its organiser says); empty, the issuer's place on the day is printed.

    `signer_position` may hold several lines ("KT. CHỦ TỊCH\\nPHÓ CHỦ TỊCH"); `annex` is one
    {"title", "note", "columns", "rows"} table (e.g. the list of awardees), `annexes` several;
    with `annexes_separate` they are issued as a second, separately signed file.
    `actor` is the person whose action makes the paper (its `created_by`, and `issued_by` at
    issue); None only for loaders, migrations and tasks. A service that has checked its own
    capability (a proposer's Tờ trình, the Nội vụ's decision draft) passes its actor with
    `check_access=False`: the paper still names them, though they hold no document right.

    `drafting_unit` and `archive_copies` make the last line of "Nơi nhận" ("Lưu: VT, VP(02)");
    `drafter_mark` and `issued_copies` print box 12 ("NTH.(300)"); `circulation` is box 11.

    With `sign_from_posts` the signature block comes from the leadership posts of `issuer` on
    the paper's date (`post_signature`): `signer` chooses the leader, None the head by default;
    the typed signer fields are then ignored.
    """
    if kind not in KIND_SPECS:
        raise RuleViolation(f"Loại văn bản không hợp lệ: {kind}.", code="document_kind_invalid")
    if actor is not None and check_access:
        access.require(actor, Cap.DRAFT_DOCUMENTS, issuer)
    if signer_capacity not in SignerCapacity.values:
        raise RuleViolation(
            "Thẩm quyền ký phải là một trong TM., KT., Q., TL., TUQ.",
            code="signing_authority_invalid",
        )
    check_marks(secrecy, urgency, circulation)
    if sign_from_posts:
        block = post_signature(kind, issuer, issued_on or timezone.localdate(), signer)
        signer, signer_name = block["signer"], block["signer_name"]
        signer_capacity, signer_authority = block["signer_capacity"], block["signer_authority"]
        signer_position = block["signer_position"]
    boxes = _clean_boxes(drafting_unit, archive_copies, drafter_mark, issued_copies)
    archive = archive_line(boxes["drafting_unit"], boxes["archive_copies"])
    document = OfficialDocument(
        kind=kind,
        issuer=issuer,
        title=normalize_text(title).upper(),
        summary=clean_lines(summary),
        body=normalize_body(body),
        addressees=[a for a in clean(list(addressees)) if a],
        recipients=(
            normalize_recipients(recipients, archive) if kind not in CERTIFICATE_KINDS else []
        ),
        annexes=normalize_annexes(annex, annexes),
        signer=signer,
        signer_name=normalize_text(signer_name),
        signer_capacity=signer_capacity,
        signer_authority=normalize_text(signer_authority).upper(),
        signer_position=clean_lines(signer_position).upper(),
        co_signers=normalize_co_signers(co_signers),
        annexes_separate=annexes_separate,
        issued_on=issued_on,
        place_name=normalize_text(place_name),
        issued_as=issued_as,
        secrecy=secrecy,
        urgency=urgency,
        circulation=circulation,
        **boxes,
        corrects=corrects,
        revokes=revokes,
        created_by=actor if getattr(actor, "pk", None) else None,
        template_version=TEMPLATE_VERSION,
    )
    stamp(document, actor=actor, reason="portal.document.drafted")
    document.save()
    return document


@transaction.atomic
def update_draft(
    document: OfficialDocument, *, actor, check_access: bool = True, **changes
) -> OfficialDocument:
    """Change a draft's content; an issued document is frozen (correct it instead)."""
    document = OfficialDocument.objects.select_for_update().get(pk=document.pk)
    if actor is not None and check_access:
        access.require(actor, Cap.DRAFT_DOCUMENTS, document.issuer)
    if document.is_issued:
        raise RuleViolation(
            "Văn bản đã ban hành không được sửa; hãy ban hành văn bản đính chính.",
            code="issued_document_frozen",
        )
    unknown = set(changes) - set(DRAFT_FIELDS) - {"sign_from_posts"}
    if unknown:
        raise RuleViolation(
            f"Không được sửa các trường: {', '.join(sorted(unknown))}.", code="field_not_editable"
        )
    if changes.pop("sign_from_posts", False):
        day = changes.get("issued_on", document.issued_on) or timezone.localdate()
        changes.update(post_signature(document.kind, document.issuer, day, changes.get("signer")))
    cleaners = {
        "title": lambda v: normalize_text(v).upper(),
        "summary": clean_lines,
        "body": normalize_body,
        "addressees": lambda v: [a for a in clean(list(v)) if a],
        "recipients": normalize_recipients,
        "annexes": lambda v: normalize_annexes(annexes=v),
        "signer_name": normalize_text,
        "signer_authority": lambda v: normalize_text(v).upper(),
        "signer_position": lambda v: clean_lines(v).upper(),
        "co_signers": normalize_co_signers,
        "place_name": normalize_text,
    }
    check_marks(
        changes.get("secrecy", document.secrecy),
        changes.get("urgency", document.urgency),
        changes.get("circulation", document.circulation),
    )
    boxes = _clean_boxes(
        *(changes.get(key, getattr(document, key)) for key in ARCHIVE_FIELDS),
    )
    changes = {**changes, **{key: boxes[key] for key in ARCHIVE_FIELDS if key in changes}}
    if "signer_capacity" in changes and changes["signer_capacity"] not in SignerCapacity.values:
        raise RuleViolation(
            "Thẩm quyền ký phải là một trong TM., KT., Q., TL., TUQ.",
            code="signing_authority_invalid",
        )
    for key, value in changes.items():
        setattr(document, key, cleaners.get(key, lambda v: v)(value))
    if {"recipients", "drafting_unit", "archive_copies"} & set(changes) and (
        not document.is_certificate
    ):
        archive = archive_line(document.drafting_unit, document.archive_copies)
        document.recipients = normalize_recipients(document.recipients, archive)
    stamp(document, actor=actor, reason="portal.document.draft_updated")
    document.save()
    return document


def post_signature(kind: str, issuer: Unit, day: datetime.date, person: Person | None) -> dict:
    """The signature block of a paper of `kind` from the leadership posts of `issuer` on `day`
    (portal/documents/signers.py): `person` among the unit's leaders, else the head (or the
    acting head, or a deputy). A decision and its certificates are the head's own (the
    Chairman decides and awards); the other papers of a People's Committee are the
    collective's ("TM. ỦY BAN NHÂN DÂN"). Refused in Vietnamese when nobody, or not that
    person, holds a post that day."""
    collective = kind != DocumentKind.DECISION and kind not in CERTIFICATE_KINDS
    return signers.signature(issuer, day, person=person, collective=collective).draft_fields()


def signer_post_of(document: OfficialDocument) -> Post | None:
    """The post today of the draft's signer in its issuer (what the draft form shows)."""
    if document.signer_id is None:
        return None
    held = Post.objects.held_on(timezone.localdate())
    return held.filter(unit=document.issuer_id, person=document.signer_id).first()


def check_marks(secrecy: str, urgency: str, circulation: str = "") -> None:
    if secrecy not in Secrecy.values:
        raise RuleViolation("Độ mật phải là MẬT, TỐI MẬT hoặc TUYỆT MẬT.", code="secrecy_invalid")
    if urgency not in Urgency.values:
        raise RuleViolation(
            "Độ khẩn phải là KHẨN, THƯỢNG KHẨN hoặc HỎA TỐC.", code="urgency_invalid"
        )
    if circulation not in Circulation.values:
        raise RuleViolation(
            "Phạm vi lưu hành phải là XEM XONG TRẢ LẠI hoặc LƯU HÀNH NỘI BỘ.",
            code="circulation_invalid",
        )


ARCHIVE_FIELDS = ("drafting_unit", "archive_copies", "drafter_mark", "issued_copies")


def _clean_boxes(drafting_unit, archive_copies, drafter_mark, issued_copies) -> dict:
    """The "Lưu" line's and box 12's fields, as printed, or a refusal naming the field."""
    return {
        "drafting_unit": clean_mark(drafting_unit, "Chữ viết tắt đơn vị soạn thảo"),
        "archive_copies": clean_count(archive_copies, "Số bản lưu", most=99),
        "drafter_mark": clean_mark(drafter_mark, "Ký hiệu người soạn thảo"),
        "issued_copies": clean_count(issued_copies, "Số bản phát hành", most=100000),
    }


def missing_for_issue(document: OfficialDocument) -> list[str]:
    """What a document lacks before it can be issued, in the words of the form."""
    spec = document.spec
    missing = []
    if spec.has_summary and not document.summary:
        missing.append("trích yếu")
    if not document.body:
        missing.append("nội dung")
    if spec.needs_addressees and not document.addressees:
        missing.append("nơi gửi (Kính gửi)")
    if not document.signer_name:
        missing.append("họ tên người ký")
    if not (document.signer_position or document.signer_authority):
        missing.append("chức vụ người ký")
    if document.signer_capacity and not document.signer_authority:
        missing.append(f"tập thể hoặc người được {document.signer_capacity} (thay mặt/ký thay)")
    if not document.is_certificate and not [
        r for r in document.recipients if not r.startswith("Lưu")
    ]:
        missing.append("nơi nhận")
    if document.kind == DocumentKind.PLEDGE and not document.co_signers:
        missing.append("đại diện ký của các đơn vị thành viên")
    register = numbering.register_for(document.issuer, document.kind, create=False)
    numbered = register is not None or document.spec.numbered
    if (
        numbered
        and not document.issuing_body(
            document.issued_on or timezone.localdate()
        ).issuer_abbreviation
    ):
        missing.append("chữ viết tắt tên cơ quan ban hành (khai báo tại đơn vị)")
    return missing


def check_signer_on(document: OfficialDocument, day: datetime.date) -> None:
    """A named signer must hold a post in the issuer on the day the paper carries.

    Certificates repeat the decision's signer as of the decision, so they are not checked again.
    """
    if document.signer_id is None or document.is_certificate:
        return
    posts = Post.objects.held_on(day).filter(unit=document.issuer_id, person=document.signer_id)
    if not posts.exists():
        raise RuleViolation(
            f"{document.signer.full_name} không giữ chức vụ lãnh đạo tại {document.issuer.name} "
            f"ngày {day:%d/%m/%Y}; chọn người ký trong lãnh đạo đơn vị.",
            code="signer_not_leader",
        )


@transaction.atomic
def issue_document(
    document: OfficialDocument,
    *,
    actor,
    check_access: bool = True,
    issued_on: datetime.date | None = None,
    sign: bool | None = None,
) -> OfficialDocument:
    """Number, snapshot, render, hash (and sign) a draft in one transaction.

    The register row is locked while its next number is taken, so parallel issues serialise
    and get consecutive numbers; the unique constraints back this up. `sign=None` signs when a
    certificate is configured (DOCUMENT_SIGNING_P12), `True` requires one, `False` skips it.
    """
    document = OfficialDocument.objects.select_for_update().get(pk=document.pk)
    if actor is not None and check_access:
        access.require(actor, Cap.ISSUE_DOCUMENTS, document.issuer)
    if document.is_issued:
        raise RuleViolation(f"Văn bản đã được ban hành: {document}.", code="already_issued")
    day = issued_on or document.issued_on or timezone.localdate()
    dating.check_not_future(day, timezone.localdate())
    dating.check_issuer_on(document.issuer, day)
    document.issued_on = day
    missing = missing_for_issue(document)
    if missing:
        raise RuleViolation(
            "Chưa thể ban hành, văn bản còn thiếu: " + "; ".join(missing) + ".",
            code="document_incomplete",
        )
    check_signer_on(document, day)
    stamp_issue(document, actor=actor, day=day)
    document.template_version = TEMPLATE_VERSION
    document.verification_code = numbering.new_verification_code()

    from portal.documents import signing

    if sign is None:
        sign = signing.is_configured()
    if document.is_certificate:
        pdf = layout.render_pdf(document)
        anchor = layout.signature_anchor(document) if sign else None
    else:
        # One layout serves both the PDF and the position of the signature field.
        pdf, anchor = layout.render_pdf_and_anchor(document)
    if sign:
        pdf = signing.sign_pdf(
            pdf,
            box=anchor,
            reason=f"Ban hành {document}",
            location=document.place_name,
        )
        document.is_signed = True
    document.sha256 = hashlib.sha256(pdf).hexdigest()
    document.pdf.save(_file_name(document), ContentFile(pdf), save=False)
    if document.annexes_separate and document.annexes:
        annex = layout.render_annex_pdf(document)
        if sign:
            # Phụ lục I: the agency's signature on a separate annex file carries no image.
            annex = signing.sign_pdf(
                annex, box=None, reason=f"Phụ lục {document}", location=document.place_name
            )
        document.annex_sha256 = hashlib.sha256(annex).hexdigest()
        document.annex_pdf.save(
            _file_name(document).replace(".pdf", "-phu-luc.pdf"), ContentFile(annex), save=False
        )
    stamp(document, actor=actor, reason="portal.document.issued")
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError as error:
        # Only where the database cannot lock the register row (SQLite): two issues raced.
        raise RuleViolation(
            f"Số {document.number_and_symbol} vừa được cấp cho văn bản khác; hãy ban hành lại.",
            code="number_taken_meanwhile",
        ) from error
    return document


def stamp_issue(document: OfficialDocument, *, actor, day: datetime.date) -> None:
    """What issuing writes on the record however the paper was signed (at the portal or
    outside it): the issuing body of that day, box 13's contacts, the next number of the
    register, and who issued it when. The caller holds the document's row lock; the register's
    row is locked here while its number is taken."""
    _check_original_stands(document)
    body = document.issuing_body(day)
    document.issued_on = day
    document.parent_body_name = body.parent_name
    document.issuer_name = body.issuer_name
    document.issuer_abbreviation = body.issuer_abbreviation
    document.place_name = document.place_name or body.place_name
    if document.spec.contact_block:
        document.issuer_contact = document.issuer.contact_lines(day)
    register = numbering.register_for(document.issuer, document.kind)
    document.symbol = numbering.symbol(register, document.kind, body.issuer_abbreviation)
    if register is not None:
        register = Register.objects.select_for_update().get(pk=register.pk)
        dating.check_next_in_register(register, day)
        document.register = register
        document.year = day.year
        document.sequence = numbering.take_number(register, day.year)
        document.number = register.format_number(document.sequence)
    document.status = DocumentStatus.ISSUED
    document.issued_at = timezone.now()
    document.issued_by = actor if getattr(actor, "pk", None) else None


def _check_original_stands(document: OfficialDocument) -> None:
    """A correction or revocation is issued only while the paper it follows stands. Its lock
    orders this issue after a revocation of that paper being issued at the same moment, which
    then refuses it: no correction of a revoked paper, no paper revoked twice."""
    original_id = document.corrects_id or document.revokes_id
    if original_id is None:
        return
    original = OfficialDocument.objects.select_for_update().get(pk=original_id)
    if original.revocations.filter(status=DocumentStatus.ISSUED).exists():
        raise RuleViolation("Văn bản đã bị thu hồi.", code="document_revoked")


def _file_name(document: OfficialDocument) -> str:
    label = fold(document.number_and_symbol).replace("/", "-") or document.kind
    return f"{label}-{document.verification_code}.pdf"


@transaction.atomic
def correct_document(
    document: OfficialDocument, *, actor, kind: str | None = None, **fields
) -> OfficialDocument:
    """A new draft that corrects or replaces an issued document (the old one stays as it is)."""
    document = OfficialDocument.objects.select_for_update().get(pk=document.pk)
    _check_can_follow(document, actor)
    # A replacement starts from the old content; the author edits what was wrong.
    defaults = {
        "summary": f"Đính chính {document.get_kind_display()} số {document.number_and_symbol}",
        "body": document.body,
        "addressees": document.addressees,
        "annexes": document.annexes,
        "co_signers": document.co_signers,
        "signer_name": document.signer_name,
        "signer_capacity": document.signer_capacity,
        "signer_authority": document.signer_authority,
        "signer_position": document.signer_position,
        "recipients": document.recipients,
    }
    return create_draft(
        kind or document.kind,
        issuer=document.issuer,
        actor=actor,
        corrects=document,
        **{**defaults, **fields},
    )


@transaction.atomic
def revoke_document(
    document: OfficialDocument, *, actor, reason: str, **fields
) -> OfficialDocument:
    """A new draft Quyết định revoking an issued document; issuing it makes the revocation."""
    document = OfficialDocument.objects.select_for_update().get(pk=document.pk)
    _check_can_follow(document, actor)
    reason = normalize_text(reason)
    if not reason:
        raise RuleViolation("Cần nêu lý do thu hồi văn bản.", code="revocation_reason_required")
    cited = (
        f"{document.get_kind_display()} số {document.number_and_symbol or '(không số)'}"
        f" ngày {document.issued_on:%d/%m/%Y}"
    )
    defaults = {
        "summary": f"Về việc thu hồi {cited}",
        "body": [
            {"type": "center", "text": "QUYẾT ĐỊNH:"},
            {"type": "article", "number": 1, "text": f"Thu hồi {cited}. Lý do: {reason}."},
            {"type": "article", "number": 2, "text": "Quyết định này có hiệu lực kể từ ngày ký."},
        ],
        "signer_name": document.signer_name,
        "signer_capacity": document.signer_capacity,
        "signer_authority": document.signer_authority,
        "signer_position": document.signer_position,
        "recipients": document.recipients,
    }
    return create_draft(
        DocumentKind.DECISION,
        issuer=document.issuer,
        actor=actor,
        revokes=document,
        **{**defaults, **fields},
    )


def _check_can_follow(document: OfficialDocument, actor) -> None:
    if actor is not None:
        access.require(actor, Cap.DRAFT_DOCUMENTS, document.issuer)
    if not document.is_issued:
        raise RuleViolation(
            "Chỉ đính chính hoặc thu hồi văn bản đã ban hành; dự thảo thì sửa trực tiếp.",
            code="amend_draft",
        )
    if document.revocations.filter(status=DocumentStatus.ISSUED).exists():
        raise RuleViolation("Văn bản đã bị thu hồi.", code="document_revoked")
