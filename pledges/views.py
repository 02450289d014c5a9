"""Registration, progress, cascade and review pages: parse, call one service, report."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Expression, F, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from campaigns.models import Campaign, ReviewKind
from campaigns.workflow import PUBLISHED, RUNNING
from pledges import cascade as cascade_view
from pledges import excel, reviews, services, workflow
from pledges.forms import (
    ExemplarFormSet,
    ImportForm,
    ProgressForm,
    ProposalFormSet,
    RegistrationFilterForm,
    RegistrationTransitionForm,
    ReviewOpenForm,
    StartUnitSearchForm,
    TaskFormSet,
    TitleFormSet,
    UnitChoiceForm,
    UnitReviewForm,
    kept,
)
from pledges.listing import campaign_count, campaign_review_rows, review_rows, start_units
from pledges.models import (
    Evidence,
    Exemplar,
    ProgressReport,
    Registration,
    RegistrationTask,
    UnitReview,
)
from pledges.workflow import RegistrationStatus
from portal import access
from portal.access import Cap
from portal.downloads import attach, file_name
from portal.files import file_response
from portal.models import Person, Unit
from portal.paging import page_of, page_of_positions
from portal.params import id_param
from portal.service_calls import REFUSED, attempt_and_tell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _seen_campaign(request, campaigns: QuerySet[Campaign], campaign_id: int) -> Campaign:
    """Row `campaign_id` of `campaigns` if `Campaign.visible_to(user)` holds it, decided for this
    one row (#16); outside it the same answer as no such campaign."""
    campaign = get_object_or_404(campaigns, pk=campaign_id)
    if not Campaign.objects.seen_by(request.user, campaign):
        raise Http404("Không tìm thấy phong trào.")
    return campaign


def _campaign(request, campaign_id: int) -> Campaign:
    return _seen_campaign(request, Campaign.objects.select_related("issuer"), campaign_id)


def _listed_campaign(request, campaign_id: int, **totals: Expression) -> Campaign:
    """The campaign a list of its rows is drawn for: its title and its issuer's place in the
    tree (the scope of the rows), not the texts of its plan, and the `totals` of its rows when
    the user sees them all (`CampaignQuerySet.with_totals`): a query less (#16)."""
    return _seen_campaign(
        request,
        Campaign.objects.select_related("issuer")
        .only("title", "status", "issuer__path")
        .with_totals(request.user, **totals),
        campaign_id,
    )


def _registration(request, registration_id: int) -> Registration:
    return get_object_or_404(
        Registration.objects.visible_to(request.user).select_related("campaign__issuer", "unit"),
        pk=registration_id,
    )


# The start form offers at most this many units; a province has thousands of targets, so past it
# the official types a name to narrow the choice instead of scrolling a list of thousands.
START_CHOICES = 50


def _top_unit_seen(user, issuer: Unit) -> Unit | None:
    """The highest unit of the issuer's subtree that `user` sees: the issuer, or else the
    highest of the user's branches inside it. Read by a few paths: sorting every visible unit
    of the subtree by depth read 20,000 units at 10× data (10 ms, #16)."""
    roots = access.view_roots(user)
    if roots is None or any(issuer.path.startswith(root) for root in roots):
        tops = [issuer.path]
    else:
        tops = [root for root in roots if root.startswith(issuer.path)]
    return Unit.objects.filter(path__in=tops).order_by("depth", "path").first()


@login_required
def cascade(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(request, campaign_id)
    user = request.user
    inside = Unit.objects.visible_to(user).filter(path__startswith=campaign.issuer.path)
    if (unit_id := id_param(request, "unit")) is not None:
        root = get_object_or_404(inside, pk=unit_id)
    elif (root := _top_unit_seen(user, campaign.issuer)) is None:
        raise Http404("Không có đơn vị nào trong phạm vi của bạn.")
    trail = list(
        Unit.objects.visible_to(user)
        .filter(path__in=root.ancestor_paths(), path__startswith=campaign.issuer.path)
        .order_by("depth")
    )
    view = cascade_view.build(campaign, root=root, today=timezone.localdate())
    # A province's 160 districts made a 100 KB page, over half its time in the template: the
    # branches are drawn a page at a time; the totals still count every one.
    return render(
        request,
        "pledges/cascade.html",
        {
            "campaign": campaign,
            "cascade": view,
            "trail": trail,
            "page": page_of(request, view.branches),
        },
    )


# A registration list row's fields, read as plain rows: 50 model instances with deferred
# fields cost more than their rows (#16).
REGISTRATION_ROW = ("pk", "unit_name", "task_count", "status", "first_submitted_at", "is_late")


@login_required
def registration_list(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _listed_campaign(request, campaign_id, total=campaign_count(Registration))
    registrations = Registration.objects.of_campaign(request.user, campaign)
    total = campaign.total
    form = RegistrationFilterForm(request.GET or None)
    if form.is_valid() and any(form.cleaned_data.values()):
        registrations = registrations.search(form.cleaned_data["q"])
        if form.cleaned_data["status"]:
            registrations = registrations.filter(status=form.cleaned_data["status"])
        total = None
    # The unit's name is read in the page's one query (its ORDER BY joins the unit anyway),
    # not through select_related, which would make the pager read the ids first and then the
    # rows: one query and 50 unit objects less; the rows are plain named rows. The total is
    # counted without that join, read with the campaign when the list is the whole
    # campaign's (#16).
    page = page_of(
        request,
        registrations.annotate(unit_name=F("unit__name"))
        .order_by("unit__path")
        .values_list(*REGISTRATION_ROW, named=True),
        count=registrations.count() if total is None else total,
    )
    search_form = StartUnitSearchForm(request.GET or None)
    unit_query = search_form.cleaned_data["don_vi"] if search_form.is_valid() else ""
    candidates = start_units(request.user, campaign, unit_query, START_CHOICES + 1)
    start_form = UnitChoiceForm(
        units=Unit.objects.filter(pk__in=[u.pk for u in candidates[:START_CHOICES]])
    )
    start_form.fields["unit"].choices = [("", "— Chọn —")] + [
        (u.pk, u.name) for u in candidates[:START_CHOICES]
    ]
    return render(
        request,
        "pledges/registration_list.html",
        {
            "campaign": campaign,
            "page": page,
            "form": form,
            "start_form": start_form,
            "start_units": candidates[:START_CHOICES],
            "more_start_units": len(candidates) > START_CHOICES,
            "search_form": search_form,
        },
    )


@login_required
@require_POST
def registration_start(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(request, campaign_id)
    form = UnitChoiceForm(request.POST, units=Unit.objects.visible_to(request.user))
    if not form.is_valid():
        messages.error(request, "Hãy chọn đơn vị đăng ký.")
        return redirect("pledges:list", campaign_id=campaign.pk)
    unit = form.cleaned_data["unit"]
    existing = Registration.objects.filter(campaign=campaign, unit=unit).first()
    if existing is not None:
        return redirect("pledges:detail", registration_id=existing.pk)
    registration = attempt_and_tell(
        request, services.start_registration, campaign, actor=request.user, unit=unit
    )
    if registration is REFUSED:
        return redirect("pledges:list", campaign_id=campaign.pk)
    return redirect("pledges:tasks", registration_id=registration.pk)


@login_required
def registration_detail(request: HttpRequest, registration_id: int) -> HttpResponse:
    registration = _registration(request, registration_id)
    user = request.user
    moves = workflow.REGISTRATION.buttons(user, registration, services.held_on(registration))
    tasks = registration.tasks.select_related("content_item").prefetch_related(
        Prefetch(
            "reports",
            queryset=ProgressReport.objects.prefetch_related("evidence").order_by(
                "-reported_on", "-pk"
            ),
        )
    )
    today = timezone.localdate()
    return render(
        request,
        "pledges/registration_detail.html",
        {
            "registration": registration,
            "campaign": registration.campaign,
            "tasks": tasks,
            "titles": registration.titles.select_related("person"),
            "moves": moves,
            "today": today,
            "editable": registration.status in workflow.EDITABLE
            and access.can(user, Cap.SUBMIT_REGISTRATION, registration.unit),
            "can_report": registration.status == RegistrationStatus.ACCEPTED
            and registration.campaign.status in RUNNING
            and access.can(user, Cap.REPORT_PROGRESS, registration.unit),
            "import_form": ImportForm(),
        },
    )


@login_required
def registration_tasks(request: HttpRequest, registration_id: int) -> HttpResponse:
    registration = _registration(request, registration_id)
    access.require(request.user, Cap.SUBMIT_REGISTRATION, registration.unit)
    campaign = registration.campaign
    items = list(campaign.items.all())
    initial = [
        {
            "item_number": task.content_item.number,
            "description": task.description,
            "measure": task.measure,
            "target_value": task.target_value,
            "unit_of_measure": task.unit_of_measure,
            "due_on": task.due_on,
            "responsible": task.responsible,
        }
        for task in registration.tasks.select_related("content_item")
    ]
    people = Person.objects.filter(unit__path__startswith=registration.unit.path, is_active=True)
    title_initial = [{"title": t.title, "person": t.person_id} for t in registration.titles.all()]
    data = request.POST or None
    tasks = TaskFormSet(data, initial=initial, prefix="tasks", form_kwargs={"items": items})
    titles = TitleFormSet(
        data, initial=title_initial, prefix="titles", form_kwargs={"people": people}
    )
    if request.method == "POST" and tasks.is_valid() and titles.is_valid():
        saved = attempt_and_tell(
            request,
            services.set_registration_content,
            registration,
            actor=request.user,
            tasks=[f.as_input() for f in kept(tasks)],
            titles=[(f.cleaned_data["title"], f.cleaned_data["person"]) for f in kept(titles)],
            done="Đã lưu các nhiệm vụ đăng ký.",
        )
        if saved is not REFUSED:
            return redirect("pledges:detail", registration_id=registration.pk)
    return render(
        request,
        "pledges/registration_tasks.html",
        {
            "registration": registration,
            "campaign": campaign,
            "tasks": tasks,
            "titles": titles,
            "items": items,
        },
    )


# The service behind each action of the registration table (pledges.workflow.REGISTRATION).
MOVE_SERVICES = {
    "submit": lambda r, *, actor, reason: services.submit_registration(r, actor=actor),
    "approve": lambda r, *, actor, reason: services.approve_registration(r, actor=actor),
    "accept": lambda r, *, actor, reason: services.accept_registration(r, actor=actor),
    "return": services.return_registration,
    "amend": services.amend_registration,
}


@login_required
@require_POST
def registration_transition(request: HttpRequest, registration_id: int) -> HttpResponse:
    registration = _registration(request, registration_id)
    form = RegistrationTransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Yêu cầu không hợp lệ.")
        return redirect("pledges:detail", registration_id=registration.pk)
    action, actor = form.cleaned_data["action"], request.user
    target = RegistrationStatus(workflow.REGISTRATION.target_of(action))
    attempt_and_tell(
        request,
        MOVE_SERVICES[action],
        registration,
        actor=actor,
        reason=form.cleaned_data["reason"],
        done=f"Bản đăng ký đã chuyển sang “{target.label}”.",
    )
    return redirect("pledges:detail", registration_id=registration.pk)


@login_required
def registration_export(request: HttpRequest, registration_id: int) -> HttpResponse:
    registration = _registration(request, registration_id)
    response = HttpResponse(excel.export_registration(registration), content_type=XLSX)
    return attach(response, file_name("Đăng ký thi đua", registration.unit.name, extension="xlsx"))


@login_required
@require_POST
def registration_import(request: HttpRequest, registration_id: int) -> HttpResponse:
    registration = _registration(request, registration_id)
    access.require(request.user, Cap.SUBMIT_REGISTRATION, registration.unit)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Hãy chọn tệp Excel để nhập.")
        return redirect("pledges:detail", registration_id=registration.pk)
    created = attempt_and_tell(
        request,
        excel.import_registration_tasks,
        registration,
        actor=request.user,
        file=form.cleaned_data["file"],
    )
    if created is not REFUSED:
        messages.success(request, f"Đã nhập {len(created)} nhiệm vụ từ tệp Excel.")
    return redirect("pledges:detail", registration_id=registration.pk)


@login_required
def task_report(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_object_or_404(
        RegistrationTask.objects.filter(
            registration__in=Registration.objects.visible_to(request.user)
        ).select_related("registration__unit", "registration__campaign", "content_item"),
        pk=task_id,
    )
    registration = task.registration
    access.require(request.user, Cap.REPORT_PROGRESS, registration.unit)
    form = ProgressForm(
        request.POST or None, request.FILES or None, initial={"reported_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        reported = attempt_and_tell(
            request,
            # The milestone's "done" is the service's own; the message is the helper's.
            functools.partial(services.report_progress, done=data["done"]),
            task,
            actor=request.user,
            reported_on=data["reported_on"],
            value=data["value"],
            narrative=data["narrative"],
            links=data["links"],
            files=data["files"],
            done="Đã ghi báo cáo tiến độ.",
        )
        if reported is not REFUSED:
            return redirect("pledges:detail", registration_id=registration.pk)
    reports = task.reports.prefetch_related("evidence")
    return render(
        request,
        "pledges/task_report.html",
        {"task": task, "registration": registration, "form": form, "reports": reports},
    )


@login_required
def evidence_download(request: HttpRequest, evidence_id: int) -> HttpResponse:
    evidence = get_object_or_404(
        Evidence.objects.filter(
            report__task__registration__in=Registration.objects.visible_to(request.user)
        ),
        pk=evidence_id,
    )
    return file_response(
        evidence.file, content_type=evidence.content_type, filename=evidence.original_name
    )


@login_required
@require_POST
def review_open(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(request, campaign_id)
    form = ReviewOpenForm(request.POST, units=Unit.objects.visible_to(request.user))
    if not form.is_valid():
        messages.error(request, "Hãy chọn đơn vị và loại báo cáo.")
        return redirect("campaigns:detail", campaign_id=campaign.pk)
    unit, kind = form.cleaned_data["unit"], form.cleaned_data["kind"]
    existing = UnitReview.objects.filter(campaign=campaign, unit=unit, kind=kind).first()
    if existing is not None:
        return redirect("pledges:review", review_id=existing.pk)
    review = attempt_and_tell(
        request, reviews.open_unit_review, campaign, actor=request.user, unit=unit, kind=kind
    )
    if review is REFUSED:
        return redirect("campaigns:detail", campaign_id=campaign.pk)
    return redirect("pledges:review", review_id=review.pk)


@login_required
def review_list(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The unit reviews of the subtree, for the issuing level (and each unit its own)."""
    campaign = _listed_campaign(
        request,
        campaign_id,
        **{f"{kind}_reviews": campaign_count(UnitReview, kind=kind) for kind in ReviewKind.values},
    )
    # Sorted on (kind, unit path) at once, PostgreSQL joined every review of the campaign to
    # its unit and sorted them all to keep 50: 20,000 units read at 10× data, 36 ms. One kind
    # at a time, it walks the units' path index and stops at the page; the page holds one kind
    # or the end of one and the start of the next, counted per kind with the campaign (#16).
    # Those totals come for a user who sees every review, whose page is then read written out;
    # anyone else's rows are counted and read through their scope.
    counts = {kind: getattr(campaign, f"{kind}_reviews") for kind in ReviewKind.values}
    if None in counts.values():
        unit_reviews = UnitReview.objects.of_campaign(request.user, campaign)
        counts = dict(unit_reviews.order_by().values_list("kind").annotate(n=Count("pk")))
        read = functools.partial(review_rows, unit_reviews)
    else:
        read = functools.partial(campaign_review_rows, campaign)
    page = page_of_positions(request, sum(counts.values()))
    page.object_list = read(counts, page.object_list)
    return render(
        request,
        "pledges/review_list.html",
        {
            "campaign": campaign,
            "page": page,
            "can_report": access.can(request.user, Cap.MANAGE_CAMPAIGN, campaign.issuer),
        },
    )


@login_required
@require_POST
def review_report(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Draft the issuing level's Báo cáo sơ kết/tổng kết, to be completed and issued on the
    documents pages."""
    campaign = _campaign(request, campaign_id)
    kind = request.POST.get("kind", "")
    draft = attempt_and_tell(
        request,
        reviews.draft_review_report,
        campaign,
        actor=request.user,
        kind=kind,
        done="Đã soạn dự thảo báo cáo với số liệu từ dữ liệu của phong trào.",
    )
    if draft is REFUSED:
        return redirect("pledges:reviews", campaign_id=campaign.pk)
    return redirect("document_detail", document_id=draft.pk)


@login_required
def review_edit(request: HttpRequest, review_id: int) -> HttpResponse:
    review = get_object_or_404(
        UnitReview.objects.visible_to(request.user).select_related("campaign", "unit"),
        pk=review_id,
    )
    unit = review.unit
    editable = review.status == workflow.UnitReviewStatus.DRAFT and access.can(
        request.user, Cap.REPORT_PROGRESS, unit
    )
    units = Unit.objects.filter(path__startswith=unit.path)
    people = Person.objects.filter(unit__path__startswith=unit.path, is_active=True)
    data = (request.POST or None) if editable else None
    form = UnitReviewForm(
        data,
        initial={
            "self_assessment": review.self_assessment,
            "strengths": review.strengths,
            "shortcomings": review.shortcomings,
        },
    )
    exemplars = ExemplarFormSet(
        data,
        prefix="exemplars",
        initial=[
            {"kind": e.kind, "name": e.name, "description": e.description}
            for e in review.exemplars.all()
        ],
    )
    proposals = ProposalFormSet(
        data,
        prefix="proposals",
        initial=[
            {
                "award": p.award,
                "unit": p.unit_id,
                "person": p.person_id,
                "achievement": p.achievement,
            }
            for p in review.proposals.all()
        ],
        form_kwargs={"units": units, "people": people},
    )
    if request.method == "POST":
        access.require(request.user, Cap.REPORT_PROGRESS, unit)
        if form.is_valid() and exemplars.is_valid() and proposals.is_valid():
            submit = "submit" in request.POST
            saved = attempt_and_tell(
                request,
                reviews.save_unit_review,
                review,
                actor=request.user,
                exemplars=[f.as_input() for f in kept(exemplars)],
                proposals=[f.as_input() for f in kept(proposals)],
                submit=submit,
                done="Đã gửi báo cáo." if submit else "Đã lưu báo cáo.",
                **form.cleaned_data,
            )
            if saved is not REFUSED:
                return redirect("pledges:review", review_id=review.pk)
    return render(
        request,
        "pledges/review_form.html",
        {
            "review": review,
            "form": form,
            "exemplars": exemplars,
            "proposals": proposals,
            "editable": editable,
            "saved_proposals": review.proposals.select_related("unit", "person"),
        },
    )


# What a row of the tasks page reads (`pledges.templatetags.pledge_rows.task_rows`).
TASK_COLUMNS = (
    "registration_id",
    "description",
    "measure",
    "target_value",
    "unit_of_measure",
    "due_on",
    "latest_percent",
)


@login_required
def unit_tasks(request: HttpRequest, unit_id: int) -> HttpResponse:
    """A unit's registered tasks in every campaign, with their progress and overdue flags."""
    # The unit's name and its number of registrations (the pager's count) in one query.
    unit = get_object_or_404(
        Unit.objects.visible_to(request.user)
        .only("name")
        .annotate(registration_count=Count("registrations")),
        pk=unit_id,
    )
    # Only what the page shows: the campaign's title and issuer read with the row (#16).
    registrations = (
        Registration.objects.filter(unit=unit)
        .only("status", "is_late")
        .annotate(campaign_title=F("campaign__title"), issuer_name=F("campaign__issuer__name"))
        .order_by("-campaign__starts_on", "-pk")
    )
    page = page_of(request, registrations, count=unit.registration_count)
    # The page's tasks as plain rows of their shown columns, in their order within each
    # registration: a model instance each cost more than drawing its row (#16).
    tasks: dict[int, list] = {}
    for task in (
        RegistrationTask.objects.filter(registration__in=[r.pk for r in page])
        .order_by("registration_id", "position", "pk")
        .values_list(*TASK_COLUMNS, named=True)
    ):
        tasks.setdefault(task.registration_id, []).append(task)
    return render(
        request,
        "pledges/unit_tasks.html",
        {
            "unit": unit,
            "page": page,
            "rows": [(r, tasks.get(r.pk, [])) for r in page],
            "today": timezone.localdate(),
        },
    )


def public_campaigns(request: HttpRequest) -> HttpResponse:
    """Launched campaigns with their issued plan and the exemplars their reviews recognised."""
    campaigns = (
        Campaign.objects.filter(status__in=PUBLISHED)
        .select_related("issuer", "document")
        .order_by("-starts_on", "-pk")
    )
    page = page_of(request, campaigns)
    ids = [campaign.pk for campaign in page]
    exemplars: dict[int, list[Exemplar]] = {}
    for exemplar in (
        Exemplar.objects.filter(
            review__campaign_id__in=ids, review__status=workflow.UnitReviewStatus.SUBMITTED
        )
        .select_related("review__unit")
        .order_by("review__campaign_id", "pk")
    ):
        exemplars.setdefault(exemplar.review.campaign_id, []).append(exemplar)
    rows = [(campaign, exemplars.get(campaign.pk, [])) for campaign in page]
    return render(request, "pledges/public.html", {"page": page, "rows": rows})
