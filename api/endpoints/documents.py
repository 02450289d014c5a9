"""Issued documents: metadata, the PDF (scoped as the documents pages are) and verification."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema

from api.core import ApiError
from api.endpoints.common import (
    ListFilters,
    filter_list,
    get_scoped,
    paginate,
    user_of,
)
from portal.documents import verify
from portal.files import file_response
from portal.models import DocumentStatus, OfficialDocument

router = Router(tags=["Văn bản"])


class DocumentOut(Schema):
    id: int
    kind: str
    kind_label: str
    status: str
    number_and_symbol: str
    issued_on: datetime.date | None
    issuer_code: str
    issuer_name: str
    title: str
    summary: str
    signer_name: str
    signer_position: str
    is_signed: bool
    sha256: str
    verification_code: str | None
    pdf_url: str | None


class DocumentPage(Schema):
    items: list[DocumentOut]
    next_cursor: str | None = None


class VerificationOut(Schema):
    code: str
    state: str
    document: DocumentOut


def document_out(document: OfficialDocument) -> dict:
    issued = document.status == DocumentStatus.ISSUED
    return {
        "id": document.pk,
        "kind": document.kind,
        "kind_label": document.get_kind_display(),
        "status": document.status,
        "number_and_symbol": document.number_and_symbol,
        "issued_on": document.issued_on,
        "issuer_code": document.issuer.code,
        "issuer_name": document.issuer_name or document.issuer.name,
        "title": document.heading,
        "summary": document.summary,
        "signer_name": document.signer_name,
        "signer_position": document.signer_position,
        "is_signed": document.is_signed,
        "sha256": document.sha256,
        "verification_code": document.verification_code,
        "pdf_url": (
            reverse("api:get_document_pdf", kwargs={"document_id": document.pk})
            if issued and document.pdf
            else None
        ),
    }


def _documents(user):
    return OfficialDocument.objects.visible_to(user).issued().select_related("issuer")


@router.get("/documents", response=DocumentPage, summary="Văn bản đã ban hành trong phạm vi")
def list_documents(request: HttpRequest, filters: Query[ListFilters]):
    user = user_of(request)
    rows = filter_list(
        _documents(user),
        filters,
        user,
        unit_path="issuer__path",
        year_field="year",
        date_field="issued_on",
    )
    return paginate(rows, filters, document_out)


@router.get("/documents/{document_id}", response=DocumentOut, summary="Một văn bản")
def get_document(request: HttpRequest, document_id: int):
    return document_out(get_scoped(_documents(user_of(request)), pk=document_id))


@router.get(
    "/documents/{document_id}/pdf",
    summary="Tệp PDF của văn bản đã ban hành",
    response={200: bytes},
    openapi_extra={
        "responses": {200: {"content": {"application/pdf": {"schema": {"type": "string"}}}}}
    },
)
def get_document_pdf(request: HttpRequest, document_id: int):
    document = get_scoped(_documents(user_of(request)), pk=document_id)
    if not document.pdf:
        raise ApiError(404, "not_found", "Văn bản chưa có tệp PDF.")
    label = document.number_and_symbol.replace("/", "-") or f"van-ban-{document.pk}"
    return file_response(document.pdf, content_type="application/pdf", filename=f"{label}.pdf")


@router.get(
    "/verify/{code}", response=VerificationOut, summary="Xác minh văn bản theo mã in trên văn bản"
)
def verify_document(request: HttpRequest, code: str):
    """As the verification page: any signed-in caller may check a code printed on a paper."""
    code = code.strip().upper()
    document = (
        OfficialDocument.objects.issued()
        .select_related("issuer")
        .filter(verification_code=code)
        .first()
    )
    if document is None:
        raise ApiError(404, "not_found", "Không có văn bản nào mang mã xác minh này.", "code")
    return {
        "code": code,
        "state": verify.document_state(document).label,
        "document": document_out(document),
    }
