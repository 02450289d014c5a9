"""What every list and export shows, not only what it answers: the ward's records stay inside.

The denial sweep (test_denial_sweep.py) checks status codes and the HTML of each URL. A list
the outsider may open (the city's campaign they take part in, their bloc, the portal's own
lists) answers 200 to them, so what matters is its content. Here every such list and export is
opened by the outsider (an officer of the sibling ward Xuân An) and by an insider who may see
the ward Xuân Trung (the city's officer), their bodies read as text whatever the format (HTML,
JSON, Excel, PDF, Word), and:

- the outsider's never contains a record of the ward (its name, its people);
- the insider's does, on the lists pinned in LISTS_SHOWING_THE_WARD, so the check cannot pass
  by a list showing nothing. A list that starts or stops showing the ward to the insider fails
  until that set is changed on purpose.
"""

from __future__ import annotations

import io
import json
import zipfile

import openpyxl
import pdfplumber
import pytest
from django.utils import timezone
from django.utils.regex_helper import normalize

from reports import services as report_services
from reports.periods import previous_period
from tests import sweep
from tests.portal.test_denial_sweep import all_routes

# What fills a list's URL for each persona: (the outsider's, the insider's). The city's
# launched campaign is shared (both wards are its targets); a unit and its periodic report are
# each persona's own: the outsider's ward, and the city the insider works for. Not the bloc both
# wards belong to: its members see one another by design (docs/pledges.md).
PERSONA_KWARGS = {
    "campaign_id": (lambda w: w.city_campaign.pk, lambda w: w.city_campaign.pk),
    "unit_id": (lambda w: w.sibling_ward.pk, lambda w: w.district.pk),
    "report_id": (lambda w: w.sibling_report.pk, lambda w: w.city_report.pk),
}

# The lists and exports where an insider finds the ward's records (so they are lists of them,
# and the outsider's copy is a real test).
LISTS_SHOWING_THE_WARD = {
    # lists
    "awards:central_outcomes",
    "awards:clearance_list",
    "awards:decision_list",
    "awards:nomination_list",
    "awards:queue",
    "awards:session_list",
    "awards:statistics_units",
    "campaigns:list",
    "document_list",
    "pledges:cascade",
    "pledges:list",
    "pledges:reviews",
    "reports:list",
    "unit_children",
    "unit_detail",
    # exports: Excel and PDF, read as text
    "awards:statistics_export",
    "reports:pdf",
    "reports:xlsx",
    # forms whose choices name the units in scope
    "awards:campaign_quotas",
    "awards:nomination_create",
    "campaigns:create",
    "campaigns:edit",
}


def ward_records(world) -> list[str]:
    """The ward's name and the names of its people who have dossiers in the sweep's world."""
    return [
        *sweep.ward_markers(world),
        "Phan Thị Xuân",
        "Lý Thị Sáu",
        "Đặng Văn Trình",
    ]


def as_text(response) -> str:
    """The body as a reader would see it: cells of a workbook, text of a PDF or Word file."""
    body = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    kind = response.get("Content-Type", "")
    if body.startswith(b"%PDF"):
        with pdfplumber.open(io.BytesIO(body)) as pdf:
            return "\n".join(page.extract_text() or "" for page in pdf.pages)
    if body.startswith(b"PK"):
        archive = zipfile.ZipFile(io.BytesIO(body))
        if "xl/workbook.xml" in archive.namelist():
            book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
            return "\n".join(
                " ".join(str(cell) for cell in row if cell is not None)
                for sheet in book.worksheets
                for row in sheet.iter_rows(values_only=True)
            )
        return "\n".join(
            archive.read(name).decode(errors="replace")
            for name in archive.namelist()
            if name.endswith(".xml")
        )
    text = body.decode(errors="replace")
    if "json" in kind:
        return json.dumps(json.loads(text), ensure_ascii=False)
    return text


def list_urls(world) -> list[tuple[str, str, str]]:
    """(route name, the outsider's URL, the insider's URL) of every page filled only with the
    records above, or with nothing."""
    urls = []
    for route in all_routes():
        if route.is_admin or route.is_public or route.name == "logout":
            continue
        template, params = normalize(route.regex)[0]
        if not all(p in PERSONA_KWARGS for p in params):
            continue
        outside, inside = (
            "/" + template % {p: PERSONA_KWARGS[p][side](world) for p in params} for side in (0, 1)
        )
        urls.append((route.name, outside, inside))
    return urls


@pytest.fixture
def sweep_world(world):
    world = sweep.extend_world(world)
    last_month = previous_period("month", timezone.localdate()).start
    world.sibling_report, world.city_report = (
        report_services.generate_report(unit, kind="month", period_start=last_month)
        for unit in (world.sibling_ward, world.district)
    )
    return world


def _open(client, user, url):
    client.force_login(user)
    response = client.get(url)
    return as_text(response) if response.status_code == 200 else ""


def test_lists_and_exports_show_the_ward_to_the_insider_only(sweep_world, client):
    w = sweep_world
    records = ward_records(w)
    urls = list_urls(w)
    names = {name for name, _, _ in urls}
    assert {"pledges:list", "awards:statistics_export", "reports:pdf", "reports:xlsx"} <= names
    failures, showing = [], set()
    for name, outside, inside in urls:
        text = _open(client, w.outsider, outside)
        if leaked := [r for r in records if r in text]:
            failures.append(f"GET {outside} [{name}] shows the outsider {leaked}")
        for insider in (w.city_officer, w.reviewer):
            text = _open(client, insider, inside)
            if any(r in text for r in records):
                showing.add(name)
    assert not failures, "\n".join(failures)
    assert showing == LISTS_SHOWING_THE_WARD, " ".join(sorted(showing))
