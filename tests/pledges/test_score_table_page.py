"""The score table's page (`pledges/covenants/score_views.py`): what it shows, for whom, and its
query budget, the same with ten times the criteria and the members (#16)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from pledges.covenants import scoring
from pledges.models import TieBreaker
from portal.models import Role
from tests.factories import make_member
from tests.pledges.covenant_fixtures import in_force, scoring_table
from tests.pledges.test_covenant_views import _big_bloc

# The user and their roles; the giao ước with its table and tie-breakers, the criteria, the
# round's sheets (the tie-breakers were a query of their own before #16).
BUDGET = 5


def _url(pledge) -> str:
    return reverse("pledges:score_table", kwargs={"pledge_id": pledge.pk})


@pytest.mark.parametrize("extra", [0, 30])
def test_the_head_edits_a_draft_table_within_budget(
    client, world, extra, django_assert_max_num_queries
):
    table = scoring_table(world)
    for number in range(extra):
        scoring.add_criterion(
            table,
            actor=world.ward_officer,
            group="IV",
            text=f"Tiêu chí thêm <{number}>",
            max_points=Decimal(1),
            formula="manual",
        )
    client.force_login(world.ward_officer)
    with django_assert_max_num_queries(BUDGET):
        page = client.get(_url(table.pledge))
    html = page.content.decode()
    order = "; ".join(
        f"{n}. {t}" for n, t in enumerate(TieBreaker.objects.filter(table=table), start=1)
    )
    assert order == "1. 2. Mô hình mới; 2. Kết quả bỏ phiếu suy tôn"
    assert f"Khi bằng điểm, phân định lần lượt theo: {order}.</p>" in html
    for criterion in table.criteria.all():
        assert (
            f'<input type="checkbox" name="criterion" value="{criterion.pk}">'
            f" TC {criterion.position}</label>" in html
        )
    assert html.count('name="criterion"') == 4 + extra
    assert "Tiêu chí thêm &lt;0&gt;" in html if extra else "Tiêu chí thêm" not in html
    assert '<label class="form-label small mb-0" for="id_max_points">Điểm chuẩn</label>' in html
    assert 'id="sheets"' not in html  # a draft has no sheets yet


def test_a_table_without_tie_breakers_leaves_the_tie_to_the_vote(client, world):
    table = scoring.create_score_table(in_force(world), actor=world.ward_officer)
    client.force_login(world.ward_officer)
    html = client.get(_url(table.pledge)).content.decode()
    assert "Khi bằng điểm, phân định lần lượt theo: kết quả bỏ phiếu suy tôn.</p>" in html
    assert "Chưa có tiêu chí." in html


@pytest.mark.parametrize("members", [2, 20])
def test_members_see_the_sheets_of_the_round_within_budget(
    client, world, members, django_assert_max_num_queries
):
    pledge = _big_bloc(world, members)
    client.force_login(world.reviewer)
    with django_assert_max_num_queries(BUDGET):
        page = client.get(_url(pledge))
    html = page.content.decode()
    sheets = pledge.score_table.sheets.select_related("unit").order_by("unit__name")
    rows = [
        f'<tr><td><a href="{reverse("pledges:sheet", kwargs={"scoresheet_id": s.pk})}">'
        f'{s.unit.name}</a></td><td>Nội vụ đã thẩm định</td><td class="text-end">'
        for s in sheets
    ]
    assert len(rows) == members
    assert html.index(rows[0]) < html.index(rows[-1])
    assert all(row in html for row in rows)
    assert 'name="criterion"' not in html  # published: nothing to edit


def test_outsiders_do_not_find_the_table(client, world):
    table = scoring_table(world)
    # An officer of the Sở Nội vụ agency: sees its own subtree only, not the bloc.
    client.force_login(make_member(world.home_affairs, Role.OFFICER, "cb_snv", "Trương Thị Lạ"))
    assert client.get(_url(table.pledge)).status_code == 404


def test_the_page_names_its_giao_uoc_and_a_giao_uoc_without_a_table_is_not_found(client, world):
    table = scoring_table(world)
    pledge = table.pledge
    client.force_login(world.ward_officer)
    html = client.get(_url(pledge)).content.decode()
    assert f'">{escape(pledge)}</a></nav>' in html
    assert f"Bảng chấm điểm năm {pledge.year} – {escape(pledge.bloc.name)}</h1>" in html
    table.delete()
    assert client.get(_url(pledge)).status_code == 404
    missing = reverse("pledges:score_table", kwargs={"pledge_id": pledge.pk + 1000})
    assert client.get(missing).status_code == 404
