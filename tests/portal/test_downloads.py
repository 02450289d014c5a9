"""Every download has a Vietnamese file name, and every workbook keeps its numbers as numbers
(issue #15).

The walk opens every page of the project (the denial sweep's routes and records) as the ward's
leader and the system administrator, after the ward's unit list was exported and its report
regenerated as jobs (their results are downloads too). Every answer that is a file (a
Content-Disposition header):
- is named in Vietnamese words — not a code or an English slug such as `month-2026-11-01.xlsx`
  — with `filename*=UTF-8''` carrying any name outside ASCII, since plain `filename=` loses it
  (Chromium saves `download.docx`); a file someone uploaded keeps the name it came with;
- if it is a workbook, holds no decimal or percentage written as text ("83,00", "83.00",
  "92,5%"): Excel sums and sorts numbers, not text.
"""

from __future__ import annotations

import io
import re
from urllib.parse import unquote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from portal import files
from portal.background import jobs
from reports import services as report_services
from tests import sweep
from tests.campaign_fixtures import _documents_off_disk
from tests.portal.test_denial_sweep import UnknownKwarg, all_routes, build_url

__all__ = ["_documents_off_disk"]

VIETNAMESE = re.compile(r"[À-ỹĐđ]")
NUMBER_AS_TEXT = re.compile(r"^\s*-?\d[\d.\s]*[.,]\d+\s*%?\s*$|^\s*-?\d+\s*%\s*$")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def saved_name(header: str) -> str:
    if "filename*=" in header:
        return unquote(header.split("filename*=utf-8''", 1)[1])
    return header.split('filename="', 1)[1].rstrip('"')


def numbers_as_text(content: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(content))
    return [
        f"{sheet.title}!{cell.coordinate} = {cell.value!r}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and NUMBER_AS_TEXT.match(cell.value)
    ]


def test_the_workbook_check_sees_a_number_written_as_text():
    from openpyxl import Workbook

    from portal.excel import workbook_bytes, write_row

    book = Workbook()
    write_row(book.active, ["Tổng điểm", "83,00", "92,5%", 83.5, "75", "12/QĐ-UBND"])
    assert numbers_as_text(workbook_bytes(book)) == ["Sheet!B1 = '83,00'", "Sheet!C1 = '92,5%'"]


@pytest.mark.django_db
def test_every_download_is_named_in_vietnamese_and_its_workbooks_hold_numbers(
    world, client, django_capture_on_commit_callbacks
):
    world = sweep.extend_world(world)
    with django_capture_on_commit_callbacks(execute=True):
        exported = jobs.start_job(world.ward, actor=world.ward_leader, kind=jobs.EXPORT_UNITS_KIND)
        regenerated = report_services.start_regeneration(world.ward_report, actor=world.ward_leader)
    uploaded = {
        row.original_name
        for entry in files.registered().values()
        for row in entry.model.objects.all()
        if getattr(row, "original_name", "")
    }
    names, found, workbooks = {}, [], 0
    for persona in ("ward_leader", "admin"):
        client.force_login(getattr(world, persona))
        urls = [
            (f"job_result {job.pk}", reverse("job_result", kwargs={"job_id": job.pk}))
            for job in (exported, regenerated)
        ]
        for route in all_routes():
            if route.is_admin:
                continue
            try:
                urls.append((route.name, build_url(route, world)[0]))
            except UnknownKwarg:
                continue
        for name, url in urls:
            response = client.get(url)
            header = response.get("Content-Disposition")
            if response.status_code != 200 or not header:
                continue
            saved = saved_name(header)
            names[name] = saved
            if not saved.isascii() and "filename*=utf-8''" not in header:
                found.append(f"{name}: {header} (no RFC 6266 name)")
            if not VIETNAMESE.search(saved) and saved not in uploaded:
                found.append(f"{name}: “{saved}” is not a Vietnamese name")
            if response["Content-Type"].startswith(XLSX) or saved.endswith(".xlsx"):
                workbooks += 1
                content = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
                found += [f"{name}: {cell}" for cell in numbers_as_text(content)]
    # The walk met the portal's downloads: papers, workbooks, reports, job results.
    assert {"job_result " + str(exported.pk), "job_result " + str(regenerated.pk)} <= set(names)
    assert len(names) >= 8 and workbooks >= 4, names
    assert not found, "\n".join(found)
