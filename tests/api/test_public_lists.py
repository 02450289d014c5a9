"""The public lists (published decisions, launched campaigns) answer without a token, and
their `unit` filter narrows them to that unit's subtree as the scoped lists' filter does."""

from __future__ import annotations

import json

from django.test import Client

from awards.procedure import decisions
from tests.awards.nomination_helpers import approved
from tests.factories import make_person


def _ids(client: Client, url: str, **query) -> list[int]:
    response = client.get(url, query)
    assert response.status_code == 200, response.content
    return [item["id"] for item in json.loads(response.content)["items"]]


def test_public_campaigns_follow_the_unit_subtree(api_world, anon):
    w = api_world
    url = "/api/v1/public/campaigns"
    assert w.city_campaign.pk in _ids(anon, url)
    assert w.city_campaign.pk in _ids(anon, url, unit=w.province.pk)
    assert w.city_campaign.pk in _ids(anon, url, unit=w.district.pk)
    assert _ids(anon, url, unit=w.ward.pk) == []
    unknown = anon.get(url, {"unit": 987654})
    assert unknown.status_code == 404
    assert json.loads(unknown.content)["code"] == "not_found"


def test_public_decisions_follow_the_unit_subtree(api_world, anon):
    w = api_world
    nominee = make_person(w.ward, "Hồ Thị Công", position="Chuyên viên")
    decision = decisions.draft_decision([approved(w, person=nominee, year=2025)], actor=w.reviewer)
    decisions.issue_decision(decision, actor=w.ward_leader)
    decisions.publish_decision(decision, actor=w.ward_leader)
    decision.document.refresh_from_db()
    url = "/api/v1/public/decisions"
    assert decision.pk in _ids(anon, url)
    assert decision.pk in _ids(anon, url, unit=decision.unit.pk)
    assert decision.pk in _ids(anon, url, unit=w.province.pk)
    assert decision.pk not in _ids(anon, url, unit=w.sibling_ward.pk)
    assert decision.pk in _ids(anon, url, unit=decision.unit.pk, year=decision.document.year)
    assert decision.pk not in _ids(anon, url, unit=decision.unit.pk, year=1999)
