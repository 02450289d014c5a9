"""The awards reminder sources: dossiers, decisions and council votes against their legal
time limits, with frozen time (TODAY is Monday 02/03/2026)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import AwardForm
from awards.procedure import appraisal, council, decisions, drafting
from awards.reminders import (
    COUNCIL_VOTE_KIND,
    DECISION_SIGNATURE_KIND,
    NOMINATION_CHECK_KIND,
    NOMINATION_DECISION_KIND,
    council_votes_due,
    decisions_to_sign,
    nominations_to_check,
    nominations_to_decide,
)
from awards.workflow import Status
from portal.background.digests import send_digest
from portal.background.reminders import plan_reminders
from portal.models import NotificationPreference, Reminder, Role
from tests.factories import make_member, make_person

from .nomination_helpers import (
    TODAY,
    approved,
    checked,
    council_of,
    received,
    refresh,
    submitted,
)

MONDAY = TODAY.date()


def on(day: int) -> datetime.date:
    """A day of March 2026."""
    return datetime.date(2026, 3, day)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def recipients(kind: str) -> set[tuple[str, bool]]:
    return {
        (row.recipient.username, row.escalated)
        for row in Reminder.objects.filter(kind=kind).select_related("recipient")
    }


def test_a_submitted_dossier_reminds_the_nearest_noi_vu_before_and_after_its_limit(world):
    nomination = submitted(world)
    assert nomination.due_on == on(9)  # five working days after Monday 2 March

    assert list(nominations_to_check(on(6))) == []
    (item,) = nominations_to_check(on(7))
    assert (item.target_id, item.unit_id, item.due_on, item.overdue) == (
        nomination.pk,
        world.ward.pk,
        on(9),
        False,
    )
    assert (
        item.title == f"Hồ sơ đề nghị Lao động tiên tiến – {world.person.full_name}: chờ tiếp nhận"
    )
    assert item.url == reverse("awards:nomination_detail", args=[nomination.pk])
    assert [i.overdue for i in nominations_to_check(on(9))] == [False]
    assert [i.overdue for i in nominations_to_check(on(10))] == [True]

    plan_reminders(on(10))
    # The ward has no Nội vụ of its own: the province's standing body acts for it.
    assert recipients(NOMINATION_CHECK_KIND) == {("noivu", False)}
    assert Reminder.objects.filter(kind=NOMINATION_CHECK_KIND, legal_deadline=True).count() == 1


def test_a_reviewer_of_the_handling_unit_itself_is_preferred_to_the_one_above(world):
    make_member(world.ward, Role.REVIEWER, "noivu_xuantrung", "Nội vụ phường")
    submitted(world)
    plan_reminders(on(9))
    assert recipients(NOMINATION_CHECK_KIND) == {("noivu_xuantrung", False)}


def test_a_received_dossier_waits_for_its_check_and_a_decided_level_for_its_decision(world):
    nomination = received(world)
    (item,) = nominations_to_check(nomination.due_on)
    assert item.title.endswith("chờ thẩm định")
    assert list(nominations_to_decide(nomination.due_on)) == []

    nomination = appraisal.check_nomination(
        nomination, actor=world.reviewer, opinion="Đủ điều kiện."
    )
    # The ward confers Lao động tiên tiến itself: its leader decides (or puts it to the council).
    assert list(nominations_to_check(nomination.due_on)) == []
    (item,) = nominations_to_decide(nomination.due_on)
    assert item.title.endswith("chờ chấp thuận hoặc đưa ra Hội đồng")
    plan_reminders(nomination.due_on)
    assert recipients(NOMINATION_DECISION_KIND) == {("ct_xuantrung", False), ("noivu", False)}


def test_a_checked_dossier_beyond_the_level_authority_waits_for_noi_vu_to_forward_it(world):
    nomination = drafting.create_nomination(
        world.ward,
        actor=world.ward_officer,
        item=AwardForm.objects.get(code="bang-khen-tinh"),
        year=2025,
        basis_kind="merit",
        person=world.person,
        report_achievements="Thành tích xuất sắc năm 2025.",
    )
    drafting.update_nomination(
        nomination,
        actor=world.ward_officer,
        justifications={f["code"]: "Thành tích đột phá riêng." for f in nomination.findings},
    )
    nomination = submitted(world, refresh(nomination))
    nomination = appraisal.receive_nomination(nomination, actor=world.reviewer)
    nomination = appraisal.check_nomination(nomination, actor=world.reviewer, opinion="Trình tỉnh.")
    assert nomination.handling_unit == world.district
    (item,) = nominations_to_check(nomination.due_on)
    assert item.title.endswith("chờ trình cấp trên")
    assert item.unit_id == world.district.pk


def test_an_approved_dossier_links_the_queue_where_the_decision_is_drafted(world):
    nomination = approved(world)
    (item,) = nominations_to_decide(nomination.due_on)
    assert item.title.endswith("chờ dự thảo, ký quyết định")
    assert item.url == reverse("awards:queue") + "?status=approved"


def test_a_drafted_decision_keeps_the_approved_limit_and_reminds_the_leader_to_sign(world):
    nomination = approved(world)
    limit = nomination.due_on
    decisions.draft_decision([nomination], actor=world.reviewer)
    nomination = refresh(nomination)
    # Drafting the Quyết định does not restart (nor stop) the clock of the approved step.
    assert (nomination.status, nomination.due_on) == (Status.DECIDED, limit)
    assert list(nominations_to_decide(limit)) == []
    (item,) = decisions_to_sign(limit)
    assert (item.target_id, item.unit_id, item.due_on) == (
        nomination.decision_id,
        world.ward.pk,
        limit,
    )
    assert item.url == reverse("awards:decision_detail", args=[nomination.decision_id])
    assert item.title == "Dự thảo quyết định khen thưởng (1 hồ sơ): chờ ký ban hành"
    plan_reminders(limit)
    assert recipients(DECISION_SIGNATURE_KIND) == {("ct_xuantrung", False)}

    decisions.issue_decision(refresh(nomination).decision, actor=world.ward_leader)
    assert list(decisions_to_sign(limit)) == []
    assert refresh(nomination).due_on is None


def test_seated_members_who_have_not_voted_on_every_dossier_are_reminded(world):
    first = checked(world)
    other = make_person(world.ward, "Lê Văn Tám", gender="male")
    second = checked(world, person=other)
    board = council_of(world, world.ward, size=3)
    for nomination in (first, second):
        council.put_on_agenda(nomination, actor=world.reviewer, session=board.session)
    items = list(board.session.items.order_by("pk"))
    for item in items:
        council.cast_vote(item, actor=board.users[0], choice="yes")
    council.cast_vote(items[0], actor=board.users[1], choice="yes")  # one of two
    council.declare_conflict(items[0], actor=board.users[2], reason="Người thân.")
    council.cast_vote(items[1], actor=board.users[2], choice="no")

    assert list(council_votes_due(MONDAY - datetime.timedelta(days=3))) == []
    (item,) = council_votes_due(MONDAY)
    assert item.recipient_ids == (board.users[1].pk,)
    assert (item.due_on, item.overdue) == (MONDAY, False)
    assert item.url == reverse("awards:session_detail", args=[board.session.pk])
    assert next(iter(council_votes_due(on(3)))).overdue

    plan_reminders(on(3))
    # Only the member who has not voted; no one else of the ward.
    assert recipients(COUNCIL_VOTE_KIND) == {(board.users[1].username, False)}


def test_legal_deadlines_reach_a_recipient_who_muted_e_mail(world, mailoutbox):
    world.reviewer.email = "noivu@thidua.test"
    world.reviewer.save(update_fields=["email"])
    NotificationPreference.objects.create(user=world.reviewer, mute_email=True)
    submitted(world)
    plan_reminders(on(10))
    outcome = send_digest(world.reviewer.pk, on(10))
    assert outcome.emailed and len(mailoutbox) == 1
    assert world.person.full_name in mailoutbox[0].body


@pytest.mark.parametrize(
    "source", [nominations_to_check, nominations_to_decide, decisions_to_sign, council_votes_due]
)
def test_each_source_costs_the_same_queries_for_one_dossier_as_for_four(world, source):
    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            items = list(source(on(20)))
        return len(queries), len(items)

    def build(person):
        nomination = approved(world, person=person)
        decisions.draft_decision([nomination], actor=world.reviewer)
        received(world, person=person, year=2024)
        board = council_of(world, world.ward, size=2)
        council.put_on_agenda(
            checked(world, person=person, year=2023), actor=world.reviewer, session=board.session
        )

    build(world.person)
    count()  # content types cached, as in a planner that has run before
    one = count()
    for name in ("Lê Văn Một", "Lê Văn Hai", "Lê Văn Ba"):
        build(make_person(world.ward, name, gender="male"))
    four = count()
    assert four == (one[0], 4 * one[1])
