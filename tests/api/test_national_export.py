"""The national export: JSON Lines valid against docs/national-export.schema.json, no personal
data beyond the holder's name, and a round trip through the award-history import."""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path
from urllib.parse import quote

import jsonschema
import pytest
from django.conf import settings

from api.exchange.national import history_workbook, national_lines
from awards.history import records
from awards.history.importing import import_award_history
from awards.models import AwardForm, AwardRecord, EmulationTitle
from tests.api.conftest import bearer, make_token

SCHEMA = json.loads((Path(settings.BASE_DIR) / "docs" / "national-export.schema.json").read_text())
PERSONAL = {"birth_year", "birth_date", "gender", "ethnicity", "citizen_id", "id_number"}


@pytest.fixture
def awarded(world):
    day = datetime.date(2025, 12, 20)
    common = dict(
        actor=world.reviewer, year=2025, decision_date=day, decision_issuer=world.province
    )
    records.record_award(
        world.person,
        item=EmulationTitle.objects.get(code="lao-dong-tien-tien"),
        basis_kind="yearly",
        decision_number="101/QĐ-UBND",
        **common,
    )
    records.record_award(
        world.ward,
        item=AwardForm.objects.get(code="giay-khen"),
        basis_kind="campaign",
        basis_reference="Phong trào Xanh – Sạch – Đẹp",
        decision_number="102/QĐ-UBND",
        **common,
    )
    records.record_award(
        world.ward,
        item=AwardForm.objects.get(code="giay-khen"),
        basis_kind="ad_hoc",
        household_name="Hộ ông Nguyễn Văn Tư",
        decision_number="103/QĐ-UBND",
        **common,
    )
    records.record_award(
        world.sibling_person,
        item=EmulationTitle.objects.get(code="lao-dong-tien-tien"),
        basis_kind="yearly",
        decision_number="104/QĐ-UBND",
        **common,
    )
    return world


def _comparable(lines):
    rows = [json.loads(line) for line in lines]
    return sorted(
        ({k: v for k, v in row.items() if k != "id"} for row in rows),
        key=lambda r: r["decision_number"],
    )


def test_the_export_validates_and_round_trips_through_the_history_import(awarded):
    w = awarded
    lines = list(national_lines(w.province, 2025, actor=w.reviewer))
    assert len(lines) == 4
    for line in lines:
        row = json.loads(line)
        jsonschema.validate(row, SCHEMA)
        assert not PERSONAL & set(row)
    people = [json.loads(line)["full_name"] for line in lines]
    assert w.person.full_name in people
    # Only the ward's subtree when asked for the ward.
    ward_lines = list(national_lines(w.ward, 2025, actor=w.reviewer))
    assert {json.loads(line)["decision_number"] for line in ward_lines} == {
        "101/QĐ-UBND",
        "102/QĐ-UBND",
        "103/QĐ-UBND",
    }
    # Into an empty history through the import, then out again: the same lines.
    workbook = history_workbook(lines)
    AwardRecord.objects.all().delete()
    result = import_award_history(io.BytesIO(workbook), actor=w.reviewer)
    assert result.awards == 4
    assert _comparable(national_lines(w.province, 2025, actor=w.reviewer)) == _comparable(lines)


def test_the_export_needs_the_history_in_scope(awarded, client):
    with pytest.raises(Exception, match="không có quyền"):
        list(national_lines(awarded.province, 2025, actor=awarded.outsider))
    secret = make_token(awarded.ward_leader, awarded.ward, "view", "view_history")
    response = client.get(
        f"/api/v1/exports/national?unit={awarded.ward.pk}&year=2025", **bearer(secret)
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-ndjson")
    # A Vietnamese name every browser keeps (RFC 6266), as every download of the portal has.
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''" + quote(f"Khen thưởng năm 2025 {awarded.ward.name}.jsonl")
    )
    body = b"".join(response.streaming_content).decode()
    assert len(body.strip().splitlines()) == 3
    assert "Trần Văn Bình" not in body
    outside = client.get(
        f"/api/v1/exports/national?unit={awarded.province.pk}&year=2025", **bearer(secret)
    )
    assert outside.status_code == 404
