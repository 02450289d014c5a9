"""A small world with activity in March 2026: the city's campaign, Xuân Trung's registration
and progress, three dossiers at different steps and one issued decision.

    Thành phố Long Khánh launches a campaign for its subtree (Xuân Trung, its office, Xuân An)
    Xuân Trung registers (accepted), reports 5/10 on task 1 on 02/03/2026; the office and
    Xuân An do not register: they are the laggards.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from pledges import services as pledge_services
from reports.periods import PeriodKind, period_containing
from tests.awards.nomination_helpers import TODAY, issued, received, submitted
from tests.campaign_fixtures import (
    _documents_off_disk,
    city,
    city_campaign,
    draft_campaign,
    real_pdf,
    registered,
)
from tests.factories import make_person

__all__ = ["_documents_off_disk", "city", "city_campaign", "draft_campaign", "real_pdf"]

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MARCH = period_containing(PeriodKind.MONTH, datetime.date(2026, 3, 1))
# The night after March ended, local time.
APRIL_FIRST = datetime.datetime(2026, 4, 1, 0, 30, tzinfo=HCM)


@pytest.fixture
def active(city):
    """The activity of March 2026 (clock at TODAY, Monday 02/03/2026)."""
    w = city
    with time_machine.travel(TODAY, tick=False):
        from campaigns import services as campaign_services
        from tests.campaign_fixtures import make_campaign

        w.campaign = campaign_services.launch_campaign(
            make_campaign(w.district, w.city_officer), actor=w.city_leader
        )
        w.registration = registered(w, w.campaign)
        first = w.registration.tasks.order_by("position").first()
        pledge_services.report_progress(
            first,
            actor=w.ward_officer,
            reported_on=TODAY.date(),
            narrative="Đã xây dựng 5 mô hình dân vận khéo.",
            value=Decimal(5),
        )
        w.submitted = submitted(w)
        w.received = received(w, person=make_person(w.ward, "Lý Thị Lan"))
        w.issued = issued(w, person=make_person(w.ward, "Đặng Văn Quyết"))
    return w


@pytest.fixture(autouse=True)
def _reports_without_weasyprint(request, monkeypatch):
    """The report's PDF is a stand-in unless the test asks for `real_pdf` (as the campaign
    tests do for their documents): WeasyPrint takes about a second a report."""
    if "real_pdf" in request.fixturenames:
        return
    from portal.documents import layout as documents

    monkeypatch.setattr(documents, "_weasy_document", lambda html: None)
    monkeypatch.setattr(documents, "_pdf_bytes", lambda rendered: b"%PDF-1.4 stand-in")
