"""The score table's page of a giao ước: its criteria, tie-breakers and the round's sheets, and
the bloc head's editing of them. Parse, call one service, report."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from pledges.covenants import scoring
from pledges.covenants.forms import CriterionForm
from pledges.models import Criterion, Pledge, ScoreTable
from pledges.models.covenants import VOTE
from pledges.workflow import ScoreTableStatus
from portal import access
from portal.access import Cap
from portal.models import Bloc, Unit
from portal.service_calls import REFUSED, attempt_and_tell

# The pledge's title (its year and bloc) and status, the places in the tree its access checks
# read, the whole score table, which the page's actions change, and its tie-breakers' criteria
# in order (named below from the criteria the page reads anyway), in one query written out:
# built through the ORM (select_related over four tables, only(), the tie-breakers' array) it
# cost 2.4 ms of Python a request against 0.3-0.45 ms written out, and PostgreSQL planned its
# five-way join in 0.5-0.6 ms against 0.25-0.3 ms for the scalar subqueries (#16).
TABLE_FIELDS = [field.attname for field in ScoreTable._meta.concrete_fields]
PLEDGE_SQL = f"""
SELECT p.bloc_id, p.year, p.head_id, p.status, b.organiser_id, b.name,
    (SELECT path FROM portal_unit WHERE id = b.organiser_id),
    (SELECT path FROM portal_unit WHERE id = p.head_id),
    {{tie_order}},
    {", ".join(f't."{name}"' for name in TABLE_FIELDS)}
FROM pledges_pledge p
JOIN portal_bloc b ON b.id = p.bloc_id
LEFT JOIN pledges_scoretable t ON t.pledge_id = p.id
WHERE p.id = %s"""
# The tie-breakers' criteria: an array in PostgreSQL; on SQLite (the first run's database, which
# has no arrays) JSON pairs of position and criterion, put in order here: SQLite keeps no order
# of an aggregate's rows.
TIE_ORDER_SQL = {
    "postgresql": (
        "ARRAY(SELECT criterion_id FROM pledges_tiebreaker WHERE table_id = t.id ORDER BY position)"
    ),
    "sqlite": (
        "(SELECT json_group_array(json_array(position, criterion_id)) FROM pledges_tiebreaker "
        "WHERE table_id = t.id)"
    ),
}


def _tie_order(value: list | str) -> list:
    if isinstance(value, str):
        return [criterion for _, criterion in sorted(json.loads(value))]
    return value


# A table's criteria in their order (the model's), written out: the ORM's query cost 0.5 ms
# more of Python (#16).
CRITERIA_SQL = """
SELECT * FROM pledges_criterion WHERE table_id = %s ORDER BY position, id"""


def _shown_pledge(pledge_id: int) -> tuple[Pledge, ScoreTable | None] | None:
    """The pledge with its bloc, the bloc's organiser and its head (their paths), its
    tie-breakers' criteria (`tie_order`, None for the vote), and its score table."""
    with connection.cursor() as cursor:
        cursor.execute(PLEDGE_SQL.format(tie_order=TIE_ORDER_SQL[connection.vendor]), [pledge_id])
        row = cursor.fetchone()
    if row is None:
        return None
    bloc_id, year, head_id, status, organiser_id, name, organiser_path, head_path, *rest = row
    tie_order, *table_row = rest
    db = connection.alias
    # from_db takes the values in the model's field order; the fields not named are deferred.
    pledge = Pledge.from_db(
        db,
        ["id", "bloc_id", "year", "head_id", "status"],
        [pledge_id, bloc_id, year, head_id, status],
    )
    pledge.bloc = Bloc.from_db(db, ["id", "organiser_id", "name"], [bloc_id, organiser_id, name])
    pledge.bloc.organiser = Unit.from_db(db, ["id", "path"], [organiser_id, organiser_path])
    pledge.head = Unit.from_db(db, ["id", "path"], [head_id, head_path])
    pledge.tie_order = _tie_order(tie_order)
    if table_row[0] is None:
        return pledge, None
    table = ScoreTable.from_db(db, TABLE_FIELDS, table_row)
    # And the pledge cached on the table, as select_related did: the page's actions read it.
    pledge.score_table = table
    return pledge, table


@login_required
def score_table(request: HttpRequest, pledge_id: int) -> HttpResponse:
    shown = _shown_pledge(pledge_id)
    # `Pledge.visible_to`, decided for this one; outside it the same answer as no such pledge.
    if shown is None or not Bloc.objects.seen_by(request.user, shown[0].bloc):
        raise Http404("Không tìm thấy giao ước.")
    pledge, table = shown
    if table is None:
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
    criteria = list(Criterion.objects.raw(CRITERIA_SQL, [table.pk]))
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
