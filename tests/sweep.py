"""What the denial sweep (tests/portal/test_denial_sweep.py) fills URL patterns with.

The sweep walks every URL pattern of the project. Each keyword argument of a pattern must be
named here: a new app adds one line per new kwarg to OBJECT_KWARGS, pointing at a record that
belongs to the ward Xuân Trung (`world.ward`) — the outsider, an officer of the sibling ward
Xuân An, must get 404 for it. A function receives the sweep world and returns the value; it may
create the record it needs (with the services, as a real caller would).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from api import tokens as api_tokens
from api.webhooks import services as webhook_services
from awards.history import records as award_services
from awards.models import AwardForm
from awards.rules import quotas as award_quotas
from campaigns import services as campaign_services
from campaigns.models import ReviewKind
from pledges import reviews as pledge_reviews
from pledges import services as pledge_services
from pledges.covenants import scoring, signing
from portal import documents, services
from portal.documents.demo import make_decision
from portal.health import note_beat
from portal.models import Job, Membership, Notification, Role
from reports import services as report_services
from reports.periods import previous_period
from tests.campaign_fixtures import make_campaign, registered
from tests.factories import make_member

# kwarg name → the ward's record (its pk) to put in the URL.
OBJECT_KWARGS: dict[str, Callable[[SimpleNamespace], object]] = {
    "unit_id": lambda w: w.ward.pk,
    "person_id": lambda w: w.person.pk,
    "bloc_id": lambda w: w.ward_bloc.pk,
    "bloc_member_id": lambda w: w.ward_bloc_seat.pk,
    "membership_id": lambda w: Membership.objects.get(user=w.ward_officer, unit=w.ward).pk,
    # Campaigns and registrations: the ward's own draft campaign, and its registration, task,
    # evidence and review under the city's campaign (tests/campaign_fixtures.py personas).
    "campaign_id": lambda w: w.ward_campaign.pk,
    "registration_id": lambda w: w.ward_registration.pk,
    "task_id": lambda w: w.ward_registration.tasks.first().pk,
    "evidence_id": lambda w: w.ward_evidence.pk,
    "review_id": lambda w: w.ward_review.pk,
    # An issued decision with its annex in a separate file, so every document page answers.
    "document_id": lambda w: (
        documents.issue_document(
            make_decision(w.ward, actor=w.ward_leader, awardees=3, annexes_separate=True),
            actor=w.ward_leader,
        ).pk
    ),
    "freeze_id": lambda w: w.ward_freeze.pk,
    "notification_id": lambda w: (
        Notification.objects.create(
            user=w.ward_officer, kind="portal.digest", title="Nhắc việc Phường Xuân Trung"
        ).pk
    ),
    "job_id": lambda w: (
        Job.objects.create(kind="portal.export_units", created_by=w.ward_officer, unit=w.ward).pk
    ),
    "nomination_id": lambda w: w.ward_nomination.pk,
    "session_id": lambda w: w.ward_session.pk,
    "decision_id": lambda w: w.ward_decision.pk,
    "clearance_id": lambda w: w.ward_clearance.pk,
    # The ward's own bloc's giao ước, in force with a published scoring table.
    "pledge_id": lambda w: w.ward_pledge.pk,
    "scoresheet_id": lambda w: w.ward_pledge.score_table.sheets.get(unit=w.ward).pk,
    # The ward's periodic report of last month (app reports).
    "report_id": lambda w: w.ward_report.pk,
    # An award quota in the plan of the ward's own campaign.
    # A stored file (portal.files): the ward's progress evidence.
    "pk": lambda w: w.ward_evidence.pk,
    # A service token of the ward, made by its leader (app api).
    "token_id": lambda w: (
        api_tokens.create_service_token(
            w.ward,
            actor=w.ward_leader,
            name="Hệ thống văn bản Xuân Trung",
            capabilities=["view"],
            expires_on=timezone.localdate() + datetime.timedelta(days=30),
        ).token.pk
    ),
    "webhook_id": lambda w: (
        webhook_services.add_webhook(
            w.ward,
            actor=w.ward_leader,
            url="https://93.184.215.14/su-kien",  # a literal public address: no DNS in tests
            events=["decision.issued"],
        ).webhook.pk
    ),
    "quota_id": lambda w: (
        award_quotas.set_campaign_quota(
            w.ward_campaign,
            actor=w.ward_leader,
            item=AwardForm.objects.get(code="giay-khen"),
            limit=2,
        ).pk
    ),
}

# Django admin plumbing: the whole admin answers anyone but a system administrator with its
# login page, so any value will do.
PLAIN_KWARGS: dict[str, str] = {
    "object_id": "1",
    "content_type_id": "1",
    "id": "1",
    "app_label": "portal",
    "url": "khong-co",
    "code": "KHONGCOMA",
    # A password-reset link that was never sent: refused as invalid.
    "uidb64": "MQ",
    "token": "khong-hop-le",
    # Steps of the nomination pages: POST-only, refused before any record is touched.
    "action": "receive",
    "step": "dong",
    # The kind of stored file behind /tep/<key>/<pk>/; its record is "pk" above.
    "key": "pledges.evidence.file",
}

# URL names anyone may open (namespaced as "ns:name"). They must still never show the ward.
PUBLIC_URL_NAMES: set[str] = {
    "login",
    "logout",
    "admin:login",
    "admin:logout",
    "health",
    "favicon",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "verify_upload",
    "verify_code",
    "pledges:public",
    "campaigns:public_document",
    "awards:public_comments",
    "awards:public_decisions",
    "awards:public_decision",
}


# Malformed values for every query parameter a page reads (tests/portal/test_malformed_input.py):
# not a number, a number too big for any column, a negative one, NUL, a 5 KB string.
QUERY_PARAMS = [
    "trang",
    "page",
    "cho",
    "unit",
    "nomination",
    "truc-thuoc",
    "trang-thai",
    "nam",
    "ma",
    "ky",
    "cu",
    "q",
    "status",
    "year",
    "kind",
    "item",
    "basis",
    "level",
    "issuer",
    "campaign",
    "bloc",
]
MALFORMED_VALUES = ["abc", "99999999999999999999999", "-1", "1\x00", "x" * 5000, "１２", "1e5"]


def ward_markers(world: SimpleNamespace) -> list[str]:
    """Text that only someone who may see the ward Xuân Trung should ever read."""
    return ["Xuân Trung", world.person.full_name]


# Added to list pages (URLs without a record) to tempt a search into leaking the ward; typed
# without accents so that the page echoing the query is not mistaken for a leak.
LIST_QUERY: dict[str, str] = {"q": "xuan trung"}


def extend_world(world: SimpleNamespace) -> SimpleNamespace:
    """The records the mapping above points at that the shared `world` does not have."""
    world.ward_bloc = services.create_bloc(
        world.ward, actor=world.ward_leader, kind="bloc", name="Khối các phòng, ban Xuân Trung"
    )
    world.ward_bloc_seat = services.add_bloc_member(
        world.ward_bloc, actor=world.ward_leader, unit=world.ward_office
    )
    world.ward_freeze = award_services.open_freeze(
        world.person,
        actor=world.ward_officer,
        kind="complaint",
        started_on=datetime.date(2026, 1, 5),
        reference="Đơn phản ánh về Xuân Trung",
    )
    _campaign_records(world)
    _extend_with_nominations(world)
    _pledge_records(world)
    # Beat has ticked (portal.health): with Redis configured, /suc-khoe/ answers 200 as in
    # a running deployment rather than reporting the test run's missing beat.
    note_beat()
    world.ward_report = report_services.generate_report(
        world.ward,
        kind="month",
        period_start=previous_period("month", timezone.localdate()).start,
        actor=world.ward_leader,
    )
    return world


def _pledge_records(world: SimpleNamespace) -> None:
    """The ward's bloc (the ward and its office) signs a pledge and publishes its table."""
    services.add_bloc_member(world.ward_bloc, actor=world.ward_leader, unit=world.ward)
    year = timezone.localdate().year
    services.set_bloc_term(
        world.ward_bloc,
        actor=world.ward_leader,
        year=year,
        head=world.ward,
        deputy=world.ward_office,
    )
    pledge = signing.draft_pledge(
        world.ward_bloc,
        actor=world.ward_officer,
        year=year,
        preamble="Giao ước của khối các phòng, ban Xuân Trung.",
        commitments=[signing.CommitmentInput(text="Hoàn thành nhiệm vụ được giao.")],
    )
    signing.open_pledge(pledge, actor=world.ward_officer)
    signing.upload_signed_pledge(
        pledge,
        actor=world.ward_officer,
        file=SimpleUploadedFile("giao-uoc.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    signing.put_pledge_in_force(pledge, actor=world.ward_officer)
    table = scoring.create_score_table(pledge, actor=world.ward_officer)
    scoring.add_criterion(
        table,
        actor=world.ward_officer,
        group="I",
        text="Công tác chuyên môn",
        max_points=Decimal(10),
        formula="manual",
    )
    scoring.publish_score_table(table, actor=world.ward_officer)
    world.ward_pledge = pledge


def _campaign_records(world: SimpleNamespace) -> None:
    """The city's officials and launched campaign, and the ward's records under it."""
    world.city_leader = make_member(world.district, Role.LEADER, "ct_longkhanh", "Lê Văn Thành")
    world.city_officer = make_member(world.district, Role.OFFICER, "cb_longkhanh", "Mai Thị Phố")
    world.city_campaign = campaign_services.launch_campaign(
        make_campaign(world.district, world.city_officer), actor=world.city_leader
    )
    world.city_campaign.refresh_from_db()
    world.ward_registration = registered(world, world.city_campaign)
    report = pledge_services.report_progress(
        world.ward_registration.tasks.first(),
        actor=world.ward_officer,
        reported_on=timezone.localdate(),
        value=1,
        narrative="Báo cáo tiến độ",
        files=[SimpleUploadedFile("minh-chung.pdf", b"%PDF-1.4\n%%EOF\n")],
    )
    world.ward_evidence = report.evidence.get()
    world.ward_review = pledge_reviews.open_unit_review(
        world.city_campaign, actor=world.ward_officer, unit=world.ward, kind=ReviewKind.MIDTERM
    )
    # A draft: a launched ward campaign would rightly be on the public page, naming the ward.
    world.ward_campaign = make_campaign(world.ward, world.ward_officer)


def _extend_with_nominations(world: SimpleNamespace) -> None:
    """A draft dossier of the ward, a council session at the ward and a drafted decision."""
    from awards.procedure import clearance, council, decisions
    from tests.awards.central_helpers import sent
    from tests.awards.nomination_helpers import approved, draft, received
    from tests.factories import make_person

    # Not the frozen person above: this one must get through to a decision.
    colleague = make_person(world.ward, "Phan Thị Xuân", position="Công chức tư pháp")
    world.ward_nomination = draft(world, person=colleague, year=2024)
    world.ward_session = council.create_session(
        world.ward,
        actor=world.reviewer,
        title="Phiên họp Hội đồng TĐKT Xuân Trung",
        held_on=datetime.date(2026, 3, 2),
        members=[(world.ward_leader, "Chủ tịch Hội đồng")],
    )
    # A request for an outside body's opinion on a dossier under check at the ward.
    world.ward_clearance = clearance.request_clearance(
        [received(world, person=make_person(world.ward, "Lý Thị Sáu"), year=2025)],
        actor=world.reviewer,
        body_name="Công an phường Xuân Trung",
        subject="việc chấp hành pháp luật.",
        due_on=timezone.localdate() + datetime.timedelta(days=14),
    )
    world.ward_decision = decisions.draft_decision(
        [approved(world, person=colleague, year=2025)],
        actor=world.reviewer,
    )
    # A Bằng khen của Thủ tướng dossier of the ward waiting at the central level: the province's
    # page of central outcomes (awards:central_outcomes) lists it, and must not to the outsider.
    world.ward_central_nomination = sent(
        world, person=make_person(world.ward, "Đặng Văn Trình", position="Trưởng khu phố")
    )
