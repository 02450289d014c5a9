"""Registrations, their tasks and progress; the giao ước results once published."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Query, Router, Schema

from api.endpoints.common import ListFilters, filter_list, get_scoped, paginate, user_of
from pledges.models import (
    ProgressReport,
    RankingEntry,
    Registration,
    RegistrationTask,
    ScoreTable,
)
from pledges.workflow import RegistrationStatus

router = Router(tags=["Đăng ký, tiến độ, giao ước"])


class TaskOut(Schema):
    id: int
    position: int
    description: str
    measure: str
    target_value: Decimal | None
    unit_of_measure: str
    due_on: datetime.date
    responsible: str
    latest_value: Decimal | None
    latest_done: bool | None
    latest_percent: Decimal
    last_reported_on: datetime.date | None


class RegistrationOut(Schema):
    id: int
    campaign_id: int
    campaign_title: str
    unit_id: int
    unit_code: str
    unit_name: str
    status: str
    status_label: str
    is_late: bool
    accepted_at: datetime.datetime | None
    tasks: list[TaskOut]


class RegistrationPage(Schema):
    items: list[RegistrationOut]
    next_cursor: str | None = None


class EvidenceOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int


class ProgressOut(Schema):
    id: int
    task_id: int
    reported_on: datetime.date
    value: Decimal | None
    done: bool | None
    percent: Decimal
    narrative: str
    links: list[str]
    evidence: list[EvidenceOut]


class ProgressPage(Schema):
    items: list[ProgressOut]
    next_cursor: str | None = None


class RankingOut(Schema):
    id: int
    bloc_id: int
    bloc_name: str
    year: int
    round: int
    unit_id: int
    unit_code: str
    unit_name: str
    total: Decimal
    rank: int
    votes: int
    tie_note: str


class RankingPage(Schema):
    items: list[RankingOut]
    next_cursor: str | None = None


def task_out(task: RegistrationTask) -> dict:
    return {
        "id": task.pk,
        "position": task.position,
        "description": task.description,
        "measure": task.measure,
        "target_value": task.target_value,
        "unit_of_measure": task.unit_of_measure,
        "due_on": task.due_on,
        "responsible": task.responsible,
        "latest_value": task.latest_value,
        "latest_done": task.latest_done,
        "latest_percent": task.latest_percent,
        "last_reported_on": task.last_reported_on,
    }


def registration_out(registration: Registration) -> dict:
    return {
        "id": registration.pk,
        "campaign_id": registration.campaign_id,
        "campaign_title": registration.campaign.title,
        "unit_id": registration.unit_id,
        "unit_code": registration.unit.code,
        "unit_name": registration.unit.name,
        "status": registration.status,
        "status_label": registration.get_status_display(),
        "is_late": registration.is_late,
        "accepted_at": registration.accepted_at,
        "tasks": [task_out(task) for task in registration.tasks.all()],
    }


def progress_out(report: ProgressReport) -> dict:
    return {
        "id": report.pk,
        "task_id": report.task_id,
        "reported_on": report.reported_on,
        "value": report.value,
        "done": report.done,
        "percent": report.percent,
        "narrative": report.narrative,
        "links": [line for line in report.links.splitlines() if line],
        "evidence": [
            {
                "id": e.pk,
                "original_name": e.original_name,
                "content_type": e.content_type,
                "size": e.size,
            }
            for e in report.evidence.all()
        ],
    }


def _registrations(user):
    return (
        Registration.objects.visible_to(user)
        .select_related("campaign", "unit")
        .prefetch_related("tasks")
    )


@router.get("/registrations", response=RegistrationPage, summary="Bản đăng ký thi đua")
def list_registrations(request: HttpRequest, filters: Query[ListFilters]):
    user = user_of(request)
    rows = filter_list(
        _registrations(user),
        filters,
        user,
        unit_path="unit__path",
        year_field="campaign__starts_on__year",
        date_field="created_at__date",
        statuses=RegistrationStatus.values,
    )
    return paginate(rows, filters, registration_out)


@router.get("/registrations/{registration_id}", response=RegistrationOut, summary="Một bản đăng ký")
def get_registration(request: HttpRequest, registration_id: int):
    return registration_out(get_scoped(_registrations(user_of(request)), pk=registration_id))


@router.get("/tasks/{task_id}/progress", response=ProgressPage, summary="Tiến độ của nhiệm vụ")
def list_progress(request: HttpRequest, task_id: int, filters: Query[ListFilters]):
    user = user_of(request)
    task = get_scoped(
        RegistrationTask.objects.filter(
            registration__in=Registration.objects.visible_to(user).values("pk")
        ),
        pk=task_id,
    )
    rows = filter_list(
        ProgressReport.objects.filter(task=task).prefetch_related("evidence"),
        filters,
        user,
        unit_path="task__registration__unit__path",
        year_field="reported_on__year",
        date_field="reported_on",
    )
    return paginate(rows, filters, progress_out)


def ranking_out(entry: RankingEntry) -> dict:
    pledge = entry.table.pledge
    return {
        "id": entry.pk,
        "bloc_id": pledge.bloc_id,
        "bloc_name": pledge.bloc.name,
        "year": pledge.year,
        "round": entry.round,
        "unit_id": entry.unit_id,
        "unit_code": entry.unit.code,
        "unit_name": entry.unit.name,
        "total": entry.total,
        "rank": entry.rank,
        "votes": entry.votes,
        "tie_note": entry.tie_note,
    }


@router.get(
    "/pledge-results",
    response=RankingPage,
    summary="Kết quả chấm điểm giao ước thi đua đã công bố",
)
def list_pledge_results(request: HttpRequest, filters: Query[ListFilters]):
    """Ranking rows exist only for published rounds, so nothing unpublished is listed."""
    user = user_of(request)
    rows = filter_list(
        RankingEntry.objects.filter(
            table__in=ScoreTable.objects.visible_to(user).values("pk")
        ).select_related("table__pledge__bloc", "unit"),
        filters,
        user,
        unit_path="unit__path",
        year_field="table__pledge__year",
    )
    return paginate(rows, filters, ranking_out)
