"""The score table's page of a giao ước: its criteria, tie-breakers and the round's sheets, and
the bloc head's editing of them. Parse, call one service, report."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from pledges.covenants import scoring
from pledges.covenants.forms import CriterionForm
from pledges.models import Pledge
from pledges.workflow import ScoreTableStatus
from portal import access
from portal.access import Cap
from portal.service_calls import REFUSED, attempt_and_tell


@login_required
def score_table(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge = get_object_or_404(
        Pledge.objects.visible_to(request.user).select_related(
            "bloc__organiser",
            "head",
            "score_table",  # the table in the same query (#16)
        ),
        pk=pledge_id,
    )
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
    sheets = table.sheets.filter(round=table.current_round).select_related("unit")
    return render(
        request,
        "pledges/covenant/score_table.html",
        {
            "pledge": pledge,
            "table": table,
            "criteria": table.criteria.all(),
            "tie_breakers": table.tie_breakers.select_related("criterion"),
            "form": form,
            "editable": editable,
            "sheets": sheets,
        },
    )
