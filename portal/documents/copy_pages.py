"""The copies page of an issued document: its copies (each verifiable and downloadable by
those who see its copying body) and, for a văn thư, the form that makes a new one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from portal import access
from portal.documents import copies
from portal.files import file_url
from portal.models import CopyKind, DocumentCopy, OfficialDocument, Unit
from portal.service_calls import REFUSED, attempt
from portal.text import normalize_text


class CopyForm(forms.Form):
    kind = forms.ChoiceField(label="Hình thức sao", choices=CopyKind.choices)
    issuer = forms.ModelChoiceField(label="Cơ quan sao", queryset=Unit.objects.none())
    transcribed = forms.ModelChoiceField(
        label="Sao lục từ bản sao y",
        queryset=DocumentCopy.objects.none(),
        required=False,
        help_text="Chỉ khi sao lục.",
    )
    first_page = forms.IntegerField(label="Trích sao từ trang", min_value=1, required=False)
    last_page = forms.IntegerField(label="đến trang", min_value=1, required=False)
    recipients = forms.CharField(
        label="Nơi nhận (mỗi dòng một nơi)",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Dòng cuối “Lưu: VT” được thêm nếu chưa có.",
    )

    def __init__(self, *args, issuers, transcribable, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = issuers
        self.fields["transcribed"].queryset = transcribable

    def clean_recipients(self) -> list[str]:
        lines = [normalize_text(x) for x in self.cleaned_data["recipients"].splitlines()]
        return [line for line in lines if line]


@login_required
def document_copies(request: HttpRequest, document_id: int) -> HttpResponse:
    document = get_object_or_404(
        OfficialDocument.objects.visible_to(request.user).issued(), pk=document_id
    )
    listed = list(
        DocumentCopy.objects.visible_to(request.user)
        .filter(original=document)
        .select_related("issuer", "copied_from")
        .order_by("made_on", "pk")
    )
    transcribable = DocumentCopy.objects.visible_to(request.user).filter(
        original=document, kind=CopyKind.TRUE_COPY
    )
    may_copy = access.may_copy_documents(request.user)
    issuers = Unit.objects.filter(pk__in=[u.pk for u in access.copying_units(request.user)])
    form = None
    if may_copy:
        form = CopyForm(request.POST or None, issuers=issuers, transcribable=transcribable)
    elif request.method == "POST":
        access.require_anywhere(request.user, access.Cap.ISSUE_DOCUMENTS)
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        source = data["transcribed"] if data["kind"] == CopyKind.TRANSCRIPT else document
        made = attempt(
            form,
            copies.make_copy,
            source or document,
            actor=request.user,
            issuer=data["issuer"],
            kind=data["kind"],
            recipients=data["recipients"],
            first_page=data["first_page"],
            last_page=data["last_page"],
        )
        if made is not REFUSED:
            messages.success(request, f"Đã lập {str(made)[0].lower()}{str(made)[1:]}.")
            return redirect("document_copies", document_id=document.pk)
    return render(
        request,
        "portal/documents/copies.html",
        {
            "document": document,
            "copies": [(c, file_url(c, "pdf")) for c in listed],
            "form": form,
        },
    )
