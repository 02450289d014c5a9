"""The API tests' world: the denial sweep's (the ward Xuân Trung with a campaign, registration,
progress, nominations and a decision) and tokens made as a unit's leader would."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from pypdf import PdfWriter

from api import tokens
from portal.models import Role
from tests import sweep
from tests.campaign_fixtures import _documents_off_disk  # noqa: F401  (autouse fixture)
from tests.factories import make_member


def make_token(leader, unit, *caps: str, days: int = 30) -> str:
    return tokens.create_service_token(
        unit,
        actor=leader,
        name="Hệ thống quản lý văn bản",
        capabilities=list(caps),
        expires_on=timezone.localdate() + datetime.timedelta(days=days),
    ).secret


def signed_scan() -> bytes:
    """A one-page PDF that opens: what a recorded paper's scan must be."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    """Rate limits count in the cache, which outlives a test; each test starts at zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_world(world):
    w = sweep.extend_world(world)
    w.sibling_leader = make_member(w.sibling_ward, Role.LEADER, "ct_xuanan", "Lý Văn An")
    return w


@pytest.fixture
def ward_token(api_world) -> str:
    return make_token(
        api_world.ward_leader,
        api_world.ward,
        "view",
        "view_history",
        "report_progress",
        "propose_awards",
    )


@pytest.fixture
def sibling_token(api_world) -> str:
    return make_token(
        api_world.sibling_leader,
        api_world.sibling_ward,
        "view",
        "report_progress",
        "propose_awards",
    )


@pytest.fixture
def anon() -> Client:
    return Client()
