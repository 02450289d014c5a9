"""The score table's page of a giao ước: its criteria, tie-breakers and the round's sheets, and
the bloc head's editing of them. Parse, call one service, report."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import F, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from pledges.covenants import scoring
from pledges.covenants.forms import CriterionForm
from pledges.models import Pledge, ScoreTable, TieBreaker
from pledges.models.covenants import VOTE
from pledges.workflow import ScoreTableStatus
from portal import access
from portal.access import Cap
from portal.models import Bloc
from portal.service_calls import REFUSED, attempt_and_tell

# The pledge's title (its year and bloc) and status, the places in the tree its access checks
# read, and the whole score table, which the page's actions change.
SHOWN = (
    "year",
    "status",
    "bloc__name",
    "bloc__organiser__path",
    "head__path",
    *(f"score_table__{field.name}" for field in ScoreTable._meta.concrete_fields),
)


@login_required
def score_table(request: HttpRequest, pledge_id: int) -> HttpResponse:
    # The table in the same query, and its tie-breakers' criteria in order, named below from
    # the criteria the page reads anyway: one query for what took two (#16). Of the pledge, its
    # bloc and units only what the page and its access checks read (compiling and reading two
    # units' every column: about a tenth of the view's time at 1×), and unordered: the model's
    # order by bloc joined and sorted on the organiser for a single row.
    tie_order = TieBreaker.objects.filter(table__pledge=OuterRef("pk")).order_by("position")
    pledge = (
        Pledge.objects.select_related("bloc__organiser", "head", "score_table")
        .only(*SHOWN)
        .annotate(tie_order=ArraySubquery(tie_order.values("criterion_id")))
        .filter(pk=pledge_id)
        .order_by()
        .first()
    )
    # `Pledge.visible_to`, decided for this one; outside it the same answer as no such pledge.
    if pledge is None or not Bloc.objects.seen_by(request.user, pledge.bloc):
        raise Http404("Không tìm thấy giao ước.")
    if (table := getattr(pledge, "score_table", None)) is None:
        raise Http404("Giao ước chưa có bảng chấm điểm.")
    manages = access.can(request.user, Cap.MANAGE_PLEDGE, pledge.head)
    editable = manages and table.status == ScoreTableStatus.DRAFT
    form = CriterionForm(request.POST or None) if editable else None
    if request.method == "POST":
        access.require(request.user, Cap.MANAGE_PLEDGE, pledge.head)
        action = request.POST.get("action")
        done = REFUSED
        if action == "publish":
            done = attempt_and_tell(
                request,
                scoring.publish_score_table,
                table,
                actor=request.user,
                done="Đã công bố bảng chấm điểm cho các thành viên.",
            )
        elif action == "tie_breakers":
            chosen = request.POST.getlist("criterion")
            by_id = {str(c.pk): c for c in table.criteria.all()}
            done = attempt_and_tell(
                request,
                scoring.set_tie_breakers,
                table,
                actor=request.user,
                order=[by_id[c] for c in chosen if c in by_id],
                done="Đã lưu thứ tự tiêu chí phụ.",
            )
        elif form is not None and form.is_valid():
            done = attempt_and_tell(
                request,
                scoring.add_criterion,
                table,
                actor=request.user,
                done="Đã thêm tiêu chí.",
                **form.cleaned_data,
            )
        if done is not REFUSED:
            return redirect("pledges:score_table", pledge_id=pledge.pk)
    criteria = list(table.criteria.all())
    named = {c.pk: str(c) for c in criteria}
    sheets = []
    # A draft has no sheets: each member's is opened when the table is published.
    if table.status != ScoreTableStatus.DRAFT:
        sheets = (
            table.sheets.filter(round=table.current_round)
            .annotate(unit_name=F("unit__name"))  # the sort joins the unit anyway
            .only("table", "status", "total")  # the table, set on each row, is read by its id
        )
    return render(
        request,
        "pledges/covenant/score_table.html",
        {
            "pledge": pledge,
            "table": table,
            "criteria": criteria,
            # What each `TieBreaker` reads as: its criterion, or the vote.
            "tie_breakers": [named[c] if c is not None else VOTE for c in pledge.tie_order],
            "form": form,
            "editable": editable,
            "sheets": list(sheets),
        },
    )
