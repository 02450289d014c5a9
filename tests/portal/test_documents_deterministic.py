"""A render of an issued document is a pure function of its snapshot (issue #14, "Deterministic
documents"): the same bytes whatever the clock says, whichever time zone a request activated,
and whatever the issuing unit has become since."""

from __future__ import annotations

import datetime
import io
import zipfile
import zoneinfo

import time_machine
from django.utils import timezone
from pypdf import PdfReader

from portal import documents, services
from portal.documents.demo import make_plan
from portal.models import OfficialDocument

# Far apart and across a year's end, a DST change elsewhere and the Vietnamese midnight.
MOMENTS = [
    datetime.datetime(2026, 12, 31, 16, 59, 59, 999_999, tzinfo=datetime.UTC),
    datetime.datetime(2031, 3, 30, 1, 30, 0, 7, tzinfo=datetime.UTC),
]
ZONES = ["Asia/Ho_Chi_Minh", "UTC", "America/New_York"]


def _issued(world) -> OfficialDocument:
    plan = make_plan(world.province, pages=1)
    with time_machine.travel(datetime.datetime(2026, 5, 4, 2, 3, 4, 56789, tzinfo=datetime.UTC)):
        documents.issue_document(plan, actor=world.leader)
    return OfficialDocument.objects.get(pk=plan.pk)


def _renders(document_id: int, render) -> set[bytes]:
    outputs = set()
    for moment in MOMENTS:
        for zone in ZONES:
            with (
                time_machine.travel(moment, tick=False),
                timezone.override(zoneinfo.ZoneInfo(zone)),
            ):
                outputs.add(render(OfficialDocument.objects.get(pk=document_id)))
    return outputs


def test_the_pdf_is_the_same_bytes_at_any_time_and_in_any_zone(world):
    plan = _issued(world)
    renders = _renders(plan.pk, documents.render_pdf)
    assert len(renders) == 1
    assert renders == {documents.render_pdf(plan)}
    # The signing moment goes into the file in the portal's zone and to the second.
    metadata = PdfReader(io.BytesIO(renders.pop())).metadata
    assert metadata["/CreationDate"].startswith("D:20260504090304+07")


def test_the_pdf_does_not_follow_later_changes_of_the_issuer(world):
    plan = _issued(world)
    before = documents.render_pdf(plan)
    services.update_unit(world.province, actor=world.admin, name="Tỉnh Đồng Nai Mới")
    with time_machine.travel(MOMENTS[1], tick=False):
        assert documents.render_pdf(OfficialDocument.objects.get(pk=plan.pk)) == before


def test_the_word_file_is_the_same_at_any_time_and_in_any_zone(world):
    plan = _issued(world)
    renders = _renders(plan.pk, documents.render_docx)
    assert len(renders) == 1
    archive = zipfile.ZipFile(io.BytesIO(renders.pop()))
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    # Its properties carry the moment of issue, not the moment of the render.
    core = archive.read("docProps/core.xml").decode()
    assert "2026-05-04T02:03:04Z" in core
