"""Pages of the official documents: the unit's register for officials, and the public check."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from portal import access, documents
from portal.access import Cap
from portal.documents import outside_flow, verify
from portal.documents.forms import DraftForm, IssueForm, RecordForm, VerifyUploadForm
from portal.files import content_response, file_response
from portal.models import OfficialDocument, Unit
from portal.paging import page_of
from portal.security import rate_limit
from portal.service_calls import REFUSED, attempt_and_tell

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _document(request: HttpRequest, document_id: int) -> OfficialDocument:
    return get_object_or_404(
        OfficialDocument.objects.visible_to(request.user).select_related("issuer"), pk=document_id
    )


def _drafting_units(user, cap: Cap = Cap.DRAFT_DOCUMENTS):
    """Units the user may write papers for — units closed in 2025 included, for their past
    papers (the engine refuses a date after a unit's dissolution)."""
    if access.sees_everything(user):
        return Unit.objects.all()
    return Unit.objects.filter(pk__in=[u.pk for u in access.units_where(user, cap)])


def _file_label(document: OfficialDocument) -> str:
    """ "Quyết định 12-QĐ-UBND", or "Dự thảo kế hoạch 7" before the number is given."""
    kind = document.get_kind_display()
    if document.number_and_symbol:
        return f"{kind} {document.number_and_symbol}".replace("/", "-")
    return f"Dự thảo {kind.lower()} {document.pk}"


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    documents_qs = OfficialDocument.objects.visible_to(request.user).select_related("issuer")
    status = request.GET.get("trang-thai", "")
    if status in {"draft", "issued"}:
        documents_qs = documents_qs.filter(status=status)
    page = page_of(request, documents_qs)
    return render(
        request,
        "portal/documents/list.html",
        {"page": page, "status": status, "can_draft": bool(_drafting_units(request.user))},
    )


@login_required
def document_create(request: HttpRequest) -> HttpResponse:
    issuers = _drafting_units(request.user)
    form = DraftForm(request.POST or None, issuers=issuers)
    if request.method == "POST" and form.is_valid():
        document = attempt_and_tell(
            request,
            documents.create_draft,
            form.cleaned_data["kind"],
            issuer=form.cleaned_data["issuer"],
            actor=request.user,
            done="Đã lưu dự thảo.",
            **form.draft_fields(),
        )
        if document is not REFUSED:
            return redirect("document_detail", document_id=document.pk)
    return render(request, "portal/documents/form.html", {"form": form, "document": None})


@login_required
def document_record(request: HttpRequest) -> HttpResponse:
    """ "Nhập văn bản đã ban hành": a paper signed outside, with its number, date and scan."""
    issuers = _drafting_units(request.user, Cap.ISSUE_DOCUMENTS)
    form = RecordForm(request.POST or None, request.FILES or None, issuers=issuers)
    if request.method == "POST" and form.is_valid():
        document = attempt_and_tell(
            request,
            documents.record_document,
            form.cleaned_data["kind"],
            issuer=form.cleaned_data["issuer"],
            actor=request.user,
            **form.record_fields(),
        )
        if document is not REFUSED:
            messages.success(request, f"Đã nhập {document}; số này đã được đánh dấu trong sổ.")
            return redirect("document_detail", document_id=document.pk)
    return render(request, "portal/documents/record.html", {"form": form})


@login_required
def document_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    context = {
        "document": document,
        "can_draft": access.can(request.user, Cap.DRAFT_DOCUMENTS, document.issuer),
        "can_issue": access.can(request.user, Cap.ISSUE_DOCUMENTS, document.issuer),
        # The way to the leader's own signature, for those who may carry the paper (#17).
        "can_sign_outside": not (document.is_issued or document.is_certificate)
        and outside_flow.may_carry(request.user, document, outside_flow.current_signing(document)),
        "issue_form": IssueForm(),
        "missing": [] if document.is_issued else documents.missing_for_issue(document),
        "state": verify.document_state(document) if document.is_issued else None,
    }
    return render(request, "portal/documents/detail.html", context)


@login_required
def document_edit(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    access.require(request.user, Cap.DRAFT_DOCUMENTS, document.issuer)
    if document.is_issued:
        messages.error(request, "Văn bản đã ban hành không được sửa.")
        return redirect("document_detail", document_id=document.pk)
    initial = {
        "kind": document.kind,
        "issuer": document.issuer,
        "title": document.title,
        "summary": document.summary,
        "addressees": "\n".join(document.addressees),
        "body": "\n".join(b.get("text", "") for b in document.body if b.get("text")),
        "secrecy": document.secrecy,
        "urgency": document.urgency,
        "circulation": document.circulation,
        "drafting_unit": document.drafting_unit,
        "archive_copies": document.archive_copies,
        "drafter_mark": document.drafter_mark,
        "issued_copies": document.issued_copies,
        "signer_post": documents.signer_post_of(document),
        "recipients": "\n".join(document.recipients),
    }
    form = DraftForm(
        request.POST or None,
        initial=initial,
        issuers=Unit.objects.filter(pk=document.issuer_id),
    )
    form.fields["kind"].disabled = True
    form.fields["issuer"].disabled = True
    if request.method == "POST" and form.is_valid():
        saved = attempt_and_tell(
            request,
            documents.update_draft,
            document,
            actor=request.user,
            done="Đã lưu dự thảo.",
            **form.draft_fields(),
        )
        if saved is not REFUSED:
            return redirect("document_detail", document_id=document.pk)
    return render(request, "portal/documents/form.html", {"form": form, "document": document})


@login_required
def document_preview(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    access.require(request.user, Cap.DRAFT_DOCUMENTS, document.issuer)
    return content_response(
        documents.render_preview(document),
        filename=f"{_file_label(document)}-du-thao.pdf",
        content_type=PDF,
        as_attachment=False,
    )


def issue_response(
    request: HttpRequest,
    document: OfficialDocument,
    issue: Callable[..., OfficialDocument],
    *,
    back: str,
    done: str,
) -> HttpResponse:
    """The văn thư's issue, at the portal or after an outside signature: the day from the
    form, the one issuing service, the outcome said; a refusal goes `back` to where the
    văn thư was, an issued document to its page. `done` names it: "Đã ban hành {document}."."""
    access.require(request.user, Cap.ISSUE_DOCUMENTS, document.issuer)
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Ngày ban hành không hợp lệ (dd/mm/yyyy).")
        return redirect(back, document_id=document.pk)
    issued = attempt_and_tell(
        request, issue, document, actor=request.user, issued_on=form.cleaned_data["issued_on"]
    )
    if issued is REFUSED:
        return redirect(back, document_id=document.pk)
    messages.success(request, done.format(document=issued))
    return redirect("document_detail", document_id=issued.pk)


@login_required
@require_POST
def document_issue(request: HttpRequest, document_id: int) -> HttpResponse:
    return issue_response(
        request,
        _document(request, document_id),
        documents.issue_document,
        back="document_detail",
        done="Đã ban hành {document}.",
    )


@login_required
def document_pdf(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    if not document.is_issued:
        access.require(request.user, Cap.DRAFT_DOCUMENTS, document.issuer)
        return document_preview(request, document_id)
    return file_response(document.pdf, content_type=PDF, filename=f"{_file_label(document)}.pdf")


@login_required
def document_annex_pdf(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    if not document.annex_pdf:
        raise Http404("Văn bản không có phụ lục ở tệp riêng.")
    return file_response(
        document.annex_pdf,
        content_type=PDF,
        filename=f"{_file_label(document)} – phụ lục.pdf",
    )


@login_required
def document_retypeset(request: HttpRequest, document_id: int) -> HttpResponse:
    """A recorded paper's text laid out again (its scan stays the paper of record)."""
    document = _document(request, document_id)
    access.require(request.user, Cap.DRAFT_DOCUMENTS, document.issuer)
    pdf = attempt_and_tell(request, documents.render_retypeset, document)
    if pdf is REFUSED:
        return redirect("document_detail", document_id=document.pk)
    return content_response(
        pdf,
        filename=f"{_file_label(document)} – dàn trang lại.pdf",
        content_type=PDF,
        as_attachment=False,
    )


@login_required
def document_docx(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    access.require(request.user, Cap.DRAFT_DOCUMENTS, document.issuer)
    return content_response(
        documents.render_docx(document), filename=f"{_file_label(document)}.docx", content_type=DOCX
    )


@rate_limit("verify_lookup")
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """Public (no login): what the register holds for the code printed on a document, or on
    a paper an app answers for (a certificate); a code nobody knows is a 404 page."""
    code = code.strip().upper()
    document = (
        OfficialDocument.objects.issued()
        .select_related("issuer", "outside_signing")
        .filter(verification_code=code)
        .first()
    )
    if document is None:
        found = verify.lookup_code(code)
        if found is None:
            return render(
                request,
                "portal/documents/verify_not_found.html",
                {"code": code, "form": VerifyUploadForm()},
                status=404,
            )
        return render(request, found.template, {**found.context, "title": found.title})
    outside = outside_flow.verdict_of(document)
    return render(
        request,
        "portal/documents/verify.html",
        {
            "document": document,
            "state": verify.document_state(document),
            # A paper the leader signed with their own certificate: each signature in turn.
            "signature": None if outside else verify.signature_of(document),
            "outside": outside,
            "original": outside_flow.ORIGINAL_KINDS[outside_flow.original_kind(document)],
            "form": VerifyUploadForm(),
        },
    )


@rate_limit("verify_upload", methods=("POST",))
@rate_limit("verify_lookup", methods=("GET",))
def verify_upload(request: HttpRequest) -> HttpResponse:
    """Public (no login): check an uploaded PDF against the register and its signature, or
    go to the page of a code typed in (`?ma=`; spaces and dashes typed with it are dropped)."""
    typed = "".join(ch for ch in request.GET.get("ma", "") if ch.isalnum())
    if typed:
        return redirect("verify_code", code=typed.upper())
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    check = None
    if request.method == "POST" and form.is_valid():
        check = verify.check_upload(form.cleaned_data["file"].read())
    return render(request, "portal/documents/verify_upload.html", {"form": form, "check": check})
