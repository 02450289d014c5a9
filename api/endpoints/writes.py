"""What an agency's system writes: progress with evidence files, nomination drafts and papers
signed elsewhere. Each POST goes through the same service as the page and is idempotent
(`api.idempotency`); it sits on the router of its subject's reads, since one path is one URL
pattern."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, File, Form, Schema
from ninja.files import UploadedFile

from api.core import ApiError
from api.endpoints import awards, documents, pledges
from api.endpoints.awards import NominationOut, _nominations, nomination_out
from api.endpoints.common import IDEMPOTENCY_HEADER, REFUSALS, get_scoped, user_of
from api.endpoints.documents import DocumentOut, document_out
from api.endpoints.pledges import ProgressOut, progress_out
from api.idempotency import once
from awards.models import AwardForm, EmulationTitle
from awards.procedure import drafting
from campaigns.models import Campaign
from pledges import services as pledge_services
from pledges.models import Registration, RegistrationTask
from portal.documents import recording
from portal.models import DocumentKind, Person, Unit


class ProgressIn(Schema):
    reported_on: datetime.date
    narrative: str
    value: Decimal | None = None  # for a numeric target
    done: bool | None = None  # for a yes/no target
    links: str = ""  # one http(s) link a line


@pledges.router.post(
    "/tasks/{task_id}/progress",
    response={201: ProgressOut, **REFUSALS},
    summary="Báo cáo tiến độ kèm tệp minh chứng",
    openapi_extra=IDEMPOTENCY_HEADER,
)
def report_progress(
    request: HttpRequest,
    task_id: int,
    data: Form[ProgressIn],
    files: File[list[UploadedFile]] = None,
):
    user = user_of(request)
    task = get_scoped(
        RegistrationTask.objects.filter(
            registration__in=Registration.objects.visible_to(user).values("pk")
        ),
        pk=task_id,
    )

    def write():
        report = pledge_services.report_progress(
            task,
            actor=user,
            reported_on=data.reported_on,
            narrative=data.narrative,
            value=data.value,
            done=data.done,
            links=data.links,
            files=files or (),
        )
        return 201, ProgressOut(**progress_out(report)).model_dump(mode="json")

    return once(request, write)


class NominationIn(Schema):
    proposing_unit_id: int
    item_code: str  # a title's or award form's catalogue code, e.g. "giay-khen"
    year: int
    basis_kind: str
    person_id: int | None = None
    unit_id: int | None = None
    household_name: str = ""
    campaign_id: int | None = None
    basis_reference: str = ""
    report_position: str = ""
    report_duties: str = ""
    report_achievements: str = ""
    report_initiatives: str = ""
    report_past_awards: str = ""
    justifications: dict[str, str] = {}


def _item(code: str):
    found = EmulationTitle.objects.filter(code=code).first() or (
        AwardForm.objects.filter(code=code).first()
    )
    if found is None:
        raise ApiError(422, "invalid", "Không có danh hiệu hay hình thức mang mã này.", "item_code")
    return found


def _visible(queryset, pk: int | None, field: str, label: str):
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ApiError(404, "not_found", f"Không tìm thấy {label} trong phạm vi của bạn.", field)
    return found


@awards.router.post(
    "/nominations",
    response={201: NominationOut, **REFUSALS},
    summary="Lập dự thảo hồ sơ đề nghị khen thưởng từ dữ liệu nhân sự",
    openapi_extra=IDEMPOTENCY_HEADER,
)
def draft_nomination(request: HttpRequest, data: NominationIn):
    user = user_of(request)
    proposing = _visible(
        Unit.objects.visible_to(user), data.proposing_unit_id, "proposing_unit_id", "đơn vị"
    )
    person = _visible(Person.objects.visible_to(user), data.person_id, "person_id", "cá nhân")
    unit = _visible(Unit.objects.visible_to(user), data.unit_id, "unit_id", "tập thể")
    campaign = _visible(
        Campaign.objects.visible_to(user), data.campaign_id, "campaign_id", "phong trào"
    )
    item = _item(data.item_code)

    def write():
        nomination = drafting.create_nomination(
            proposing,
            actor=user,
            item=item,
            year=data.year,
            basis_kind=data.basis_kind,
            person=person,
            unit=unit,
            household_name=data.household_name,
            justifications=data.justifications or None,
            campaign=campaign,
            basis_reference=data.basis_reference,
            report_position=data.report_position,
            report_duties=data.report_duties,
            report_achievements=data.report_achievements,
            report_initiatives=data.report_initiatives,
            report_past_awards=data.report_past_awards,
        )
        row = get_scoped(_nominations(user), pk=nomination.pk)
        return 201, NominationOut(**nomination_out(row)).model_dump(mode="json")

    return once(request, write)


class RecordedDocumentIn(Schema):
    kind: str = Field(description="Loại văn bản: " + ", ".join(DocumentKind.values))
    issuer_id: int
    number_and_symbol: str  # as printed on the paper, e.g. "12/CT-UBND"
    issued_on: datetime.date
    summary: str = ""
    signer_name: str = ""
    signer_position: str = ""
    body: str = ""  # optional text, one paragraph a line


@documents.router.post(
    "/recorded-documents",
    response={201: DocumentOut, **REFUSALS},
    summary="Ghi nhận văn bản đã ký ban hành ngoài cổng (kèm bản quét PDF)",
    openapi_extra=IDEMPOTENCY_HEADER,
)
def record_document(
    request: HttpRequest,
    data: Form[RecordedDocumentIn],
    scan: File[UploadedFile],
):
    """As the page "Nhập văn bản đã ban hành": the paper keeps its number and date, the number
    is marked taken in the issuer's register, and the signed scan becomes its file."""
    user = user_of(request)
    issuer = _visible(Unit.objects.visible_to(user), data.issuer_id, "issuer_id", "đơn vị")

    def write():
        document = recording.record_document(
            data.kind,
            issuer=issuer,
            actor=user,
            number_and_symbol=data.number_and_symbol,
            issued_on=data.issued_on,
            summary=data.summary,
            scan=scan.read(),
            body=data.body,
            signer_name=data.signer_name,
            signer_position=data.signer_position,
        )
        return 201, DocumentOut(**document_out(document)).model_dump(mode="json")

    return once(request, write)
