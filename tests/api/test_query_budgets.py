"""Every API list costs a fixed number of queries: the same with ten times the rows, and
within the pages' budget. Queried with the ward's token (its lookup, the maker's roles and the
use log are part of the count)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.core import api
from awards.history import records
from awards.models import AwardForm, EmulationTitle
from pledges import services as pledge_services
from portal import documents
from portal.documents.demo import make_decision
from portal.models import UnitKind
from tests.api.conftest import bearer
from tests.awards.nomination_helpers import draft
from tests.campaign_fixtures import make_campaign
from tests.factories import make_person, make_unit

BUDGET = 15


def list_paths(world) -> list[str]:
    """Every list operation of the schema (GET without a record in its path)."""
    schema = api.get_openapi_schema()
    paths = []
    for path, item in schema["paths"].items():
        if "get" not in item or "{" in path.replace("{task_id}", ""):
            continue
        if path == "/api/v1/exports/national":
            continue  # a stream, not a page: its rows are read in chunks, not counted here
        task = world.ward_registration.tasks.first().pk
        paths.append(path.replace("{task_id}", str(task)))
    return paths


def grow(world, times: int) -> None:
    """`times` more of every listed kind of row, inside the ward."""
    task = world.ward_registration.tasks.first()
    year = timezone.localdate().year
    for n in range(times):
        unit = make_unit(world.ward, UnitKind.VILLAGE, f"Khu phố {n}", code=f"KP{n}")
        unit.merged_from.add(world.ward_office)
        person = make_person(world.ward, f"Lê Văn Số {n}")
        records.record_award(
            person,
            actor=world.reviewer,
            item=EmulationTitle.objects.get(code="lao-dong-tien-tien"),
            year=2025,
            basis_kind="yearly",
            decision_number=f"{200 + n}/QĐ-UBND",
            decision_date=datetime.date(2025, 12, 1),
            decision_issuer=world.province,
        )
        records.record_award(
            unit,
            actor=world.reviewer,
            item=AwardForm.objects.get(code="giay-khen"),
            year=2025,
            basis_kind="yearly",
            decision_number=f"{300 + n}/QĐ-UBND",
            decision_date=datetime.date(2025, 12, 1),
        )
        draft(world, person=person, year=2025)
        pledge_services.report_progress(
            task,
            actor=world.ward_officer,
            reported_on=timezone.localdate(),
            value=n,
            narrative=f"Báo cáo số {n}",
        )
        make_campaign(world.ward, world.ward_officer, title=f"Phong trào số {n} năm {year}")
        documents.issue_document(
            make_decision(world.ward, actor=world.ward_leader, awardees=2), actor=world.ward_leader
        )


def counts(client, paths, token) -> dict[str, int]:
    result = {}
    for path in paths:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, {"limit": 50}, **bearer(token))
        assert response.status_code == 200, (path, response.content)
        result[path] = len(queries)
    return result


@pytest.mark.parametrize("times", [9])
def test_each_list_costs_the_same_at_ten_times_the_rows(api_world, ward_token, times):
    client = Client()
    paths = list_paths(api_world)
    assert "/api/v1/units" in paths and "/api/v1/award-records" in paths
    counts(client, paths, ward_token)  # warm the per-process caches (content types, catalogue)
    before = counts(client, paths, ward_token)
    grow(api_world, times)
    after = counts(client, paths, ward_token)
    over = {p: n for p, n in after.items() if n > BUDGET}
    assert not over, f"over the budget of {BUDGET}: {over}"
    assert after == before
