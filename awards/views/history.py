"""Thin pages: a person's and a unit's award history, entries by hand, the history import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from awards.forms.history import (
    AwardEntryForm,
    DisciplineEntryForm,
    EligibilityPreviewForm,
    EndFreezeForm,
    FreezeEntryForm,
    ImportHistoryForm,
    InitiativeEntryForm,
    RatingEntryForm,
)
from awards.history import records
from awards.history.importing import start_history_import, template_workbook
from awards.models import AnnualRating, AwardRecord, Discipline, Freeze, Initiative, RecipientKind
from awards.rules.eligibility import Candidate, check
from portal import access
from portal.access import Cap
from portal.background import jobs
from portal.downloads import attach
from portal.models import Person, Unit
from portal.paging import page_of
from portal.service_calls import REFUSED, attempt, attempt_and_tell


def _preview(request: HttpRequest, *, person: Person | None = None, unit: Unit | None = None):
    """The eligibility preview form, and its findings when it was submitted (a GET, no write)."""
    home = person.unit if person is not None else unit
    kind = RecipientKind.INDIVIDUAL if person is not None else RecipientKind.COLLECTIVE
    today = timezone.localdate()
    if "item" not in request.GET:
        form = EligibilityPreviewForm(
            recipient_kind=kind, home=home, initial={"year": today.year - 1, "basis": "yearly"}
        )
        return form, None
    form = EligibilityPreviewForm(request.GET, recipient_kind=kind, home=home)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    candidate = Candidate(
        item=data["item"],
        year=data["year"],
        basis=data["basis"],
        on=today,
        person=person,
        unit=unit,
        proposing_unit=home,
        conferring_unit=data["conferring_unit"],
    )
    return form, check(candidate)


def _records(queryset):
    return queryset.select_related(
        "title", "award_form", "decision_issuer", "person", "unit"
    ).order_by("-year", "-decision_date", "pk")


@login_required
def person_history(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_object_or_404(
        Person.objects.visible_to(request.user).select_related("unit"), pk=person_id
    )
    sensitive = access.can(request.user, Cap.VIEW_HISTORY, person.unit)
    preview, findings = _preview(request, person=person)
    context = {
        "person": person,
        "can_record": access.can(request.user, Cap.MANAGE_AWARD_HISTORY, person.unit),
        "preview": preview,
        "findings": findings,
        "records": _records(AwardRecord.objects.filter(person=person)),
        "ratings": AnnualRating.objects.filter(person=person),
        "initiatives": Initiative.objects.filter(person=person).select_related(
            "used_by__title", "used_by__award_form"
        ),
        "sensitive": sensitive,
        "disciplines": Discipline.objects.filter(person=person) if sensitive else [],
        "freezes": Freeze.objects.filter(person=person) if sensitive else [],
    }
    return render(request, "awards/person_history.html", context)


@login_required
def unit_history(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=unit_id)
    sensitive = access.can(request.user, Cap.VIEW_HISTORY, unit)
    members = _records(AwardRecord.objects.filter(person__unit=unit))
    preview, findings = _preview(request, unit=unit)
    context = {
        "unit": unit,
        "can_record": access.can(request.user, Cap.MANAGE_AWARD_HISTORY, unit),
        "preview": preview,
        "findings": findings,
        "records": _records(AwardRecord.objects.filter(unit=unit)),
        "ratings": AnnualRating.objects.filter(unit=unit),
        "member_page": page_of(request, members),
        "sensitive": sensitive,
        "freezes": Freeze.objects.filter(unit=unit) if sensitive else [],
    }
    return render(request, "awards/unit_history.html", context)


def _require_importer(user) -> None:
    access.require_anywhere(user, Cap.MANAGE_AWARD_HISTORY)


@login_required
def import_history(request: HttpRequest) -> HttpResponse:
    """Upload the workbook; the rows are imported by a job, whose page shows the progress."""
    _require_importer(request.user)
    form = ImportHistoryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = attempt_and_tell(
            request, start_history_import, form.cleaned_data["file"], actor=request.user
        )
        if job is not REFUSED:
            job.refresh_from_db()
            if jobs.waiting_for_queue(job):
                messages.warning(request, jobs.QUEUE_DOWN)
            return redirect("job_detail", job_id=job.pk)
    return render(request, "awards/import_history.html", {"form": form})


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    _require_importer(request.user)
    response = HttpResponse(
        template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    attach(response, "Mẫu nhập lịch sử khen thưởng.xlsx")
    return response


# What an official may record by hand: form, service, page title.
ENTRIES = {
    "award": (AwardEntryForm, records.record_award, "Ghi nhận khen thưởng đã nhận"),
    "rating": (RatingEntryForm, records.record_rating, "Ghi nhận xếp loại hằng năm"),
    "discipline": (DisciplineEntryForm, records.record_discipline, "Ghi nhận kỷ luật"),
    "freeze": (FreezeEntryForm, records.open_freeze, "Tạm dừng xét khen thưởng"),
    "initiative": (InitiativeEntryForm, records.record_initiative, "Ghi nhận sáng kiến"),
}


def _record_entry(request: HttpRequest, kind: str, subject, home: Unit, back: str) -> HttpResponse:
    access.require(request.user, Cap.MANAGE_AWARD_HISTORY, home)
    form_class, service, title = ENTRIES[kind]
    extra = {}
    if kind == "award":
        kinds = (
            [RecipientKind.INDIVIDUAL]
            if isinstance(subject, Person)
            else [RecipientKind.COLLECTIVE, RecipientKind.HOUSEHOLD]
        )
        extra["recipient_kinds"] = kinds
    form = form_class(request.POST or None, **extra)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(form, service, subject, actor=request.user, **form.cleaned_data) is not REFUSED
    ):
        messages.success(request, f"{title}: đã lưu.")
        return redirect(back)
    context = {"form": form, "title": title, "subject": subject, "back": back}
    return render(request, "awards/entry.html", context)


@login_required
def record_for_person(request: HttpRequest, person_id: int, kind: str) -> HttpResponse:
    person = get_object_or_404(
        Person.objects.visible_to(request.user).select_related("unit"), pk=person_id
    )
    back = reverse("awards:person_history", kwargs={"person_id": person.pk})
    return _record_entry(request, kind, person, person.unit, back)


@login_required
def record_for_unit(request: HttpRequest, unit_id: int, kind: str) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=unit_id)
    back = reverse("awards:unit_history", kwargs={"unit_id": unit.pk})
    return _record_entry(request, kind, unit, unit, back)


@login_required
def end_freeze(request: HttpRequest, freeze_id: int) -> HttpResponse:
    freeze = get_object_or_404(
        Freeze.objects.visible_to(request.user).select_related("person__unit", "unit"),
        pk=freeze_id,
    )
    subject = freeze.subject
    home = subject.unit if isinstance(subject, Person) else subject
    access.require(request.user, Cap.MANAGE_AWARD_HISTORY, home)
    back = (
        reverse("awards:person_history", kwargs={"person_id": subject.pk})
        if isinstance(subject, Person)
        else reverse("awards:unit_history", kwargs={"unit_id": subject.pk})
    )
    form = EndFreezeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ended = attempt(form, records.end_freeze, freeze, actor=request.user, **form.cleaned_data)
        if ended is not REFUSED:
            messages.success(request, "Đã chấm dứt tạm dừng xét khen thưởng.")
            return redirect(back)
    title = f"Chấm dứt tạm dừng: {freeze.get_kind_display().lower()}"
    context = {"form": form, "title": title, "subject": subject, "back": back}
    return render(request, "awards/entry.html", context)
