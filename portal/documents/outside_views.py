"""Pages of a paper signed outside the portal with the leader's own certificate (#17): fetch
the paper to sign, bring it back signed, the văn thư's confirmation and issue. Thin: the rules
are in portal.documents.outside_flow, who may do what in portal.access."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from portal import access, documents, uploads
from portal.access import Cap
from portal.documents import outside_flow
from portal.documents.forms import IssueForm
from portal.documents.views import issue_response
from portal.files import content_response
from portal.models import OfficialDocument
from portal.service_calls import REFUSED, attempt_and_tell
from portal.uploads import clean_upload


class SignedUploadForm(forms.Form):
    file = forms.FileField(label="Tệp PDF đã ký số")

    def clean_file(self):
        return clean_upload(self.cleaned_data["file"], allowed=uploads.PDF_ONLY)


class ConfirmSignerForm(forms.Form):
    reason = forms.CharField(
        label="Lý do xác nhận", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


def _document(request: HttpRequest, document_id: int) -> OfficialDocument:
    """A document in the user's scope, or a draft whose paper they sign at one of its turns: a
    giao ước member's leader signs the bloc organiser's paper, outside their own unit's scope."""
    document = get_object_or_404(
        OfficialDocument.objects.select_related("issuer", "signer"), pk=document_id
    )
    visible = OfficialDocument.objects.visible_to(request.user).filter(pk=document.pk).exists()
    if not visible and (document.is_issued or not outside_flow.takes_part(request.user, document)):
        raise Http404
    return document


@login_required
def signing_page(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    paper = outside_flow.current_signing(document)
    can_issue = access.can(request.user, Cap.ISSUE_DOCUMENTS, document.issuer)
    may_carry = outside_flow.may_carry(request.user, document, paper)
    if not (may_carry or can_issue or outside_flow.takes_part(request.user, document)):
        raise access.denied()
    context = {
        "document": document,
        "paper": paper,
        "turns": outside_flow.signing_turns(document, paper),
        "next_signer": outside_flow.next_signer(paper, document),
        "may_carry": may_carry,
        "can_issue": can_issue,
        "missing": [] if document.is_issued else documents.missing_for_issue(document),
        "upload_form": SignedUploadForm(),
        "confirm_form": ConfirmSignerForm(),
        "issue_form": IssueForm(),
    }
    return render(request, "portal/documents/outside_signing.html", context)


@login_required
@require_POST
def paper_download(request: HttpRequest, document_id: int) -> HttpResponse:
    """POST: the first fetch lays the paper out, keeps it and reserves its code."""
    document = _document(request, document_id)
    paper = attempt_and_tell(
        request, outside_flow.prepare_signing_paper, document, actor=request.user
    )
    if paper is REFUSED:
        return redirect("outside_signing", document_id=document.pk)
    label = f"{document.get_kind_display()} {document.verification_code} – bản để ký.pdf"
    return content_response(
        outside_flow.paper_to_sign(paper),
        filename=label,
        content_type="application/pdf",
        as_attachment=True,
    )


@login_required
@require_POST
def signed_upload(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    form = SignedUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", ["Cần chọn tệp PDF đã ký số."]):
            messages.error(request, error)
        return redirect("outside_signing", document_id=document.pk)
    paper = attempt_and_tell(
        request,
        outside_flow.accept_signed_upload,
        document,
        actor=request.user,
        data=form.cleaned_data["file"].read(),
        refused_prefix="Không nhận tệp đã ký: ",
    )
    if paper is not REFUSED:
        last = paper.signatures[-1]
        messages.success(request, f"Đã nhận tệp có chữ ký số của {last['holder']}.")
        if paper.needs_confirmation:
            messages.warning(
                request,
                "Chứng thư số mang tên khác người ký; văn thư cần xác nhận, có lý do.",
            )
    return redirect("outside_signing", document_id=document.pk)


@login_required
@require_POST
def signer_confirm(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    access.require(request.user, Cap.ISSUE_DOCUMENTS, document.issuer)
    form = ConfirmSignerForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    attempt_and_tell(
        request,
        outside_flow.confirm_signer,
        document,
        actor=request.user,
        reason=reason,
        done="Đã xác nhận chứng thư số của người ký.",
    )
    return redirect("outside_signing", document_id=document.pk)


@login_required
@require_POST
def signed_issue(request: HttpRequest, document_id: int) -> HttpResponse:
    return issue_response(
        request,
        _document(request, document_id),
        outside_flow.issue_signed_document,
        back="outside_signing",
        done="Đã cấp số và ban hành {document}.",
    )
