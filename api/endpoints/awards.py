"""Nominations in the reader's scope, award records and decisions; published decisions are
public, as the public pages are."""

from __future__ import annotations

import datetime

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from ninja import Query, Router, Schema

from api.endpoints.common import ListFilters, filter_list, get_scoped, paginate, user_of
from api.endpoints.documents import DocumentOut, document_out
from awards.models import AwardDecision, AwardRecord, DecisionStatus, Nomination
from awards.workflow import Status
from portal.models import Unit

router = Router(tags=["Khen thưởng"])


class ItemOut(Schema):
    """The title or award form, by its catalogue code."""

    code: str
    name: str
    category: str  # "title" (danh hiệu thi đua) or "award_form" (hình thức khen thưởng)


class NominationOut(Schema):
    id: int
    status: str
    status_label: str
    year: int
    basis_kind: str
    recipient_kind: str
    recipient_name: str
    person_id: int | None
    unit_id: int | None
    item: ItemOut
    proposing_unit_code: str
    proposing_unit_id: int
    campaign_id: int | None
    submitted_on: datetime.date | None
    decided_on: datetime.date | None
    last_reason: str


class NominationPage(Schema):
    items: list[NominationOut]
    next_cursor: str | None = None


class AwardRecordOut(Schema):
    id: int
    recipient_kind: str
    recipient_name: str
    person_id: int | None
    unit_id: int | None
    unit_code: str
    item: ItemOut
    year: int
    basis_kind: str
    decision_number: str
    decision_date: datetime.date
    decision_issuer_code: str | None
    decision_issuer_name: str
    source: str
    revoked_on: datetime.date | None
    certificate_code: str | None


class AwardRecordPage(Schema):
    items: list[AwardRecordOut]
    next_cursor: str | None = None


class AwardeeOut(Schema):
    recipient_kind: str
    recipient_name: str
    unit_code: str
    item: ItemOut


class DecisionSummaryOut(Schema):
    """A decision as its list gives it; its awardees are read at `/decisions/{id}`."""

    id: int
    kind: str
    status: str
    status_label: str
    unit_id: int
    unit_code: str
    unit_name: str
    published_at: datetime.datetime | None
    document: DocumentOut
    awardee_count: int


class DecisionOut(DecisionSummaryOut):
    awardees: list[AwardeeOut]


class DecisionPage(Schema):
    items: list[DecisionSummaryOut]
    next_cursor: str | None = None


def item_out(row) -> dict:
    if row.title_id:
        return {"code": row.title.code, "name": row.title.name, "category": "title"}
    return {"code": row.award_form.code, "name": row.award_form.name, "category": "award_form"}


def home_code(row) -> str:
    """The national code of the recipient's unit (the person's, or the collective itself)."""
    unit = row.person.unit if row.person_id else row.unit
    return unit.code if unit is not None else ""


def nomination_out(nomination: Nomination) -> dict:
    return {
        "id": nomination.pk,
        "status": nomination.status,
        "status_label": nomination.get_status_display(),
        "year": nomination.year,
        "basis_kind": nomination.basis_kind,
        "recipient_kind": nomination.recipient_kind,
        "recipient_name": nomination.recipient_name,
        "person_id": nomination.person_id,
        "unit_id": nomination.unit_id,
        "item": item_out(nomination),
        "proposing_unit_code": nomination.proposing_unit.code,
        "proposing_unit_id": nomination.proposing_unit_id,
        "campaign_id": nomination.campaign_id,
        "submitted_on": nomination.submitted_on,
        "decided_on": nomination.decided_on,
        "last_reason": nomination.last_reason,
    }


def record_out(record: AwardRecord) -> dict:
    return {
        "id": record.pk,
        "recipient_kind": record.recipient_kind,
        "recipient_name": record.recipient_name,
        "person_id": record.person_id,
        "unit_id": record.unit_id,
        "unit_code": home_code(record),
        "item": item_out(record),
        "year": record.year,
        "basis_kind": record.basis_kind,
        "decision_number": record.decision_number,
        "decision_date": record.decision_date,
        "decision_issuer_code": (
            record.decision_issuer.code if record.decision_issuer_id else None
        ),
        "decision_issuer_name": record.issuer_name,
        "source": record.source,
        "revoked_on": record.revoked_on,
        "certificate_code": record.certificate_code,
    }


def decision_summary_out(decision: AwardDecision) -> dict:
    return {
        "id": decision.pk,
        "kind": decision.kind,
        "status": decision.status,
        "status_label": decision.get_status_display(),
        "unit_id": decision.unit_id,
        "unit_code": decision.unit.code,
        "unit_name": decision.unit.name,
        "published_at": decision.published_at,
        "document": document_out(decision.document),
        "awardee_count": decision.awardee_count,
    }


def decision_out(decision: AwardDecision) -> dict:
    nominations = list(decision.nominations.all())
    return {
        **decision_summary_out(decision),
        "awardees": [
            {
                "recipient_kind": n.recipient_kind,
                "recipient_name": n.recipient_name,
                "unit_code": home_code(n),
                "item": item_out(n),
            }
            for n in nominations
        ],
    }


# A nomination's catalogue item (titles, award forms: a few dozen rows) is prefetched, not
# joined: with it joined the list's query had eight tables (the scope joins two units) and
# PostgreSQL spent about 60 ms planning it against under 1 ms running it (bench province,
# 05/12/2026).
_RECIPIENT = ("person__unit", "unit")
_CATALOGUE = ("title", "award_form")


def _nominations(user):
    return (
        Nomination.objects.visible_to(user)
        .select_related(*_RECIPIENT, "proposing_unit")
        .prefetch_related(*_CATALOGUE)
    )


@router.get("/nominations", response=NominationPage, summary="Hồ sơ đề nghị trong phạm vi")
def list_nominations(request: HttpRequest, filters: Query[ListFilters]):
    user = user_of(request)
    rows = filter_list(
        _nominations(user),
        filters,
        user,
        unit_path="proposing_unit__path",
        year_field="year",
        date_field="created_at__date",
        statuses=Status.values,
    )
    return paginate(rows, filters, nomination_out)


@router.get("/nominations/{nomination_id}", response=NominationOut, summary="Một hồ sơ")
def get_nomination(request: HttpRequest, nomination_id: int):
    return nomination_out(get_scoped(_nominations(user_of(request)), pk=nomination_id))


@router.get("/award-records", response=AwardRecordPage, summary="Khen thưởng đã nhận")
def list_award_records(request: HttpRequest, filters: Query[ListFilters]):
    user = user_of(request)
    rows = filter_list(
        # Joined, unlike the nominations: this query planned in 3–24 ms in the same measure,
        # and a prefetch would add its queries only once rows exist (the budget is constant).
        AwardRecord.objects.visible_to(user).select_related(
            *_RECIPIENT, *_CATALOGUE, "decision_issuer"
        ),
        filters,
        user,
        unit_path=("person__unit__path", "unit__path"),
        year_field="year",
        date_field="decision_date",
    )
    return paginate(rows, filters, record_out)


def _decision_rows(queryset):
    """Decisions with their awardees counted (one subquery a row), for the lists."""
    counted = (
        Nomination.objects.filter(decision=OuterRef("pk"))
        .order_by()
        .values("decision")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.select_related("unit", "document__issuer").annotate(
        awardee_count=Coalesce(Subquery(counted), 0)
    )


def _decisions(queryset):
    """Decisions with their awardees, for a single decision."""
    return _decision_rows(queryset).prefetch_related(
        Prefetch(
            "nominations",
            queryset=Nomination.objects.select_related(*_RECIPIENT).prefetch_related(*_CATALOGUE),
        )
    )


def _decision_filters(request, queryset, filters, user):
    return filter_list(
        _decision_rows(queryset),
        filters,
        user,
        unit_path="unit__path",
        year_field="document__year",
        date_field="document__issued_on",
        statuses=DecisionStatus.values,
    )


@router.get("/decisions", response=DecisionPage, summary="Quyết định khen thưởng trong phạm vi")
def list_decisions(request: HttpRequest, filters: Query[ListFilters]):
    user = user_of(request)
    rows = _decision_filters(request, AwardDecision.objects.visible_to(user), filters, user)
    return paginate(rows, filters, decision_summary_out)


@router.get("/decisions/{decision_id}", response=DecisionOut, summary="Một quyết định")
def get_decision(request: HttpRequest, decision_id: int):
    user = user_of(request)
    decisions = _decisions(AwardDecision.objects.visible_to(user))
    return decision_out(get_scoped(decisions, pk=decision_id))


@router.get(
    "/public/decisions",
    response=DecisionPage,
    auth=None,
    summary="Quyết định đã công bố (công khai, không cần khóa)",
)
def list_public_decisions(request: HttpRequest, filters: Query[ListFilters]):
    rows = filter_list(
        _decision_rows(AwardDecision.objects.published()),
        filters,
        None,
        units=Unit.objects.all(),
        unit_path="unit__path",
        year_field="document__year",
        date_field="document__issued_on",
    )
    return paginate(rows, filters, decision_summary_out)


@router.get(
    "/public/decisions/{code}",
    response=DecisionOut,
    auth=None,
    summary="Một quyết định đã công bố, theo mã xác minh in trên quyết định",
)
def get_public_decision(request: HttpRequest, code: str):
    published = _decisions(AwardDecision.objects.published())
    return decision_out(get_scoped(published, document__verification_code=code.strip().upper()))
