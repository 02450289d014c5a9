"""The kept counts of dossiers (#16): equal to a recount after every kind of change, and the
Nội vụ queue and the sender's list page the same total with them as with an exact COUNT."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection
from django.db.models import Count
from django.urls import reverse

from awards.listing import queue_listing, sender_listing
from awards.models import EmulationTitle, Nomination, NominationBranchTally, NominationTally
from awards.procedure import appraisal, approval, bulk, decisions, submission
from awards.workflow import Status
from portal import access
from portal.access import Cap, Scope
from portal.models import UnitKind
from portal.models.units import PATH_STEP
from tests.awards.central_helpers import at_province
from tests.awards.nomination_helpers import TODAY, checked, draft, refresh, submitted
from tests.factories import make_person, make_unit

KEY = ("handling_unit_id", "status", "year")

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the counts are kept by PostgreSQL triggers; on SQLite the queue counts exactly",
)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def recount() -> dict:
    return {
        tuple(row[k] for k in KEY): row["n"]
        for row in Nomination.objects.values(*KEY).annotate(n=Count("pk")).order_by()
    }


def kept() -> dict:
    return {
        tuple(row[k] for k in KEY): row["count"]
        for row in NominationTally.objects.exclude(count=0).values(*KEY, "count")
    }


def branch_recount() -> dict:
    """(dossiers in the branch, dossiers of the unit itself) per unit path, counted anew."""
    counts: dict = {}
    rows = Nomination.objects.values_list("proposing_unit__path").annotate(n=Count("pk"))
    for path, n in rows.order_by():
        for end in range(PATH_STEP, len(path) + 1, PATH_STEP):
            counts.setdefault(path[:end], [0, 0])[0] += n
        counts[path][1] += n
    return {path: tuple(pair) for path, pair in counts.items()}


def branch_kept() -> dict:
    rows = NominationBranchTally.objects.exclude(count=0, own=0)
    return {row.path: (row.count, row.own) for row in rows}


def assert_kept() -> None:
    assert kept() == recount()
    assert branch_kept() == branch_recount()


def _person(world, i: int):
    return make_person(world.ward, f"Người đếm {i}", gender="male" if i % 2 else "female")


def test_every_step_of_the_workflow_keeps_the_counts(world):
    nomination = draft(world)
    assert_kept()
    assert sum(kept().values()) == 1
    nomination = submitted(world, nomination)
    assert_kept()
    nomination = submission.recall_nomination(nomination, actor=world.ward_officer, reason="Sửa.")
    assert refresh(nomination).status == Status.DRAFT
    assert_kept()
    nomination = submitted(world, refresh(nomination))
    appraisal.receive_nomination(nomination, actor=world.reviewer)
    assert_kept()
    appraisal.return_nomination(refresh(nomination), actor=world.reviewer, reason="Thiếu.")
    assert_kept()
    nomination = submitted(world, refresh(nomination))
    appraisal.receive_nomination(nomination, actor=world.reviewer)
    appraisal.check_nomination(refresh(nomination), actor=world.reviewer, opinion="Đủ.")
    assert_kept()
    approval.reject_nomination(refresh(nomination), actor=world.ward_leader, reason="Chưa đạt.")
    assert_kept()
    other = approval.approve_nomination(
        checked(world, person=_person(world, 1)), actor=world.ward_leader
    )
    assert_kept()
    decisions.draft_decision([refresh(other)], actor=world.reviewer)
    assert_kept()
    decisions.issue_decision(refresh(other).decision, actor=world.ward_leader)
    assert refresh(other).status == Status.ISSUED
    assert_kept()
    assert sum(kept().values()) == Nomination.objects.count() == 2


def test_forwarding_moves_the_dossier_to_the_upper_levels_count(world):
    nomination = at_province(world)
    assert nomination.handling_unit_id != world.ward.pk
    assert_kept()
    assert kept()[(nomination.handling_unit_id, nomination.status, 2025)] == 1


def test_bulk_actions_bulk_writes_and_deletes_keep_the_counts(world):
    nominations = [submitted(world, person=_person(world, i)) for i in range(3)]
    bulk.bulk_apply("receive", nominations, actor=world.reviewer)
    assert_kept()
    bulk.bulk_apply("check", [refresh(n) for n in nominations], actor=world.reviewer, reason="Đủ.")
    assert_kept()
    item = EmulationTitle.objects.get(code="lao-dong-tien-tien")
    Nomination.objects.bulk_create(
        [
            Nomination(
                recipient_kind="individual",
                person=_person(world, 10 + i),
                title=item,
                year=2024 + i % 2,
                basis_kind="yearly",
                proposing_unit=world.ward,
                handling_unit=world.ward,
                status=Status.SUBMITTED,
            )
            for i in range(4)
        ]
    )
    assert_kept()
    Nomination.objects.filter(year=2024).update(status=Status.RECEIVED, year=2023)
    assert_kept()
    # A save that moves no key column leaves the count rows alone.
    rows = NominationTally.objects.count()
    Nomination.objects.update(last_reason="Ghi chú.")
    assert NominationTally.objects.count() == rows
    assert_kept()
    Nomination.objects.filter(year=2023).delete()
    assert_kept()
    refresh(nominations[0]).delete()
    assert_kept()
    Nomination.objects.all().delete()
    assert kept() == {} == recount()
    assert branch_kept() == {} == branch_recount()


def test_a_dossier_moved_to_another_proposing_unit_moves_between_branches(world):
    nomination = draft(world)
    Nomination.objects.filter(pk=nomination.pk).update(proposing_unit=world.sibling_ward)
    assert_kept()
    assert branch_kept()[world.sibling_ward.path] == (1, 1)
    assert world.ward.path not in branch_kept()
    # Within one branch: the district's total holds, the units' own counts move.
    Nomination.objects.filter(pk=nomination.pk).update(proposing_unit=world.district)
    assert_kept()
    assert branch_kept()[world.district.path] == (1, 1)
    # A statement that leaves the proposing unit alone writes no branch row.
    rows = list(NominationBranchTally.objects.values_list("pk", "count", "own"))
    Nomination.objects.update(status=Status.SUBMITTED)
    assert list(NominationBranchTally.objects.values_list("pk", "count", "own")) == rows


def test_the_migration_counts_the_dossiers_already_there(world):
    for i in range(3):
        submitted(world, person=_person(world, i))
    draft(world, person=_person(world, 5))
    NominationTally.objects.all().delete()
    assert kept() != recount()
    fill = importlib.import_module("awards.migrations.0021_nomination_tallies").FILL
    NominationBranchTally.objects.all().delete()
    assert branch_kept() != branch_recount()
    branches = importlib.import_module("awards.migrations.0023_nomination_branch_tallies").FILL
    with connection.cursor() as cursor:
        cursor.execute(fill)
        cursor.execute(branches)
    assert_kept()


def _fill(world, count: int, *, proposing_unit=None, **fields) -> None:
    item = EmulationTitle.objects.get(code="lao-dong-tien-tien")
    Nomination.objects.bulk_create(
        [
            Nomination(
                recipient_kind="individual",
                person=_person(world, 100 + i),
                title=item,
                year=2025 - i % 2,
                basis_kind="yearly",
                proposing_unit=proposing_unit or world.ward,
                handling_unit=world.ward,
                status=Status.SUBMITTED if i % 3 else Status.RECEIVED,
                due_on=TODAY.date(),
                **fields,
            )
            for i in range(count)
        ]
    )


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"status": "tat-ca", "year": None, "q": "", "overdue": False},
        {"status": Status.RECEIVED, "year": 2024, "q": "", "overdue": False},
    ],
)
def test_the_queue_total_is_the_exact_count(world, data):
    _fill(world, 23)
    draft(world)
    listing = queue_listing(world.reviewer, data)
    assert listing.total() == listing.rows.count() > 0


def test_a_search_keeps_the_exact_count(world):
    _fill(world, 5)
    listing = queue_listing(
        world.reviewer, {"status": "", "year": None, "q": "Người đếm 101", "overdue": False}
    )
    assert listing.total() is None
    assert listing.rows.count() == 1


def test_a_user_without_the_review_right_gets_nothing_from_the_counts(world):
    _fill(world, 7)
    listing = queue_listing(world.ward_officer, None)
    assert listing.total() == listing.rows.count() == 0
    assert queue_listing(world.reviewer, None).total() == 7


def test_a_right_to_review_beyond_what_the_user_sees_keeps_the_exact_count(world):
    _fill(world, 3)
    reviewer = world.reviewer
    # A service token may hold a right without the reading one (`access.grants_of`); the
    # memberships are loaded once per user object.
    for membership in access.memberships_of(reviewer):
        membership.grants = {Cap.REVIEW_NOMINATIONS: Scope.SUBTREE}
    assert not access.sees_where_it_may(reviewer, Cap.REVIEW_NOMINATIONS)
    assert queue_listing(reviewer, None).total() is None


@pytest.mark.parametrize("user", ["ward_officer", "officer", "ward_leader", "admin", "reviewer"])
def test_the_sender_list_total_is_the_exact_count(world, user):
    """A ward officer proposes in the ward's branch, the province's officer in the province's,
    a leader in their unit alone (`Scope.UNIT`: `own`), an administrator everywhere (the
    roots), Nội vụ nowhere."""
    _fill(world, 5)
    draft(world)
    hamlet = make_unit(world.ward, UnitKind.RESIDENTIAL_GROUP, "Khu phố 1")
    _fill(world, 3, proposing_unit=hamlet)
    _fill(world, 2, proposing_unit=world.sibling_ward)
    _fill(world, 4, proposing_unit=world.province)
    listing = sender_listing(getattr(world, user))
    assert listing.total() == listing.rows.count()
    assert sender_listing(world.ward_officer).total() == 9
    assert sender_listing(world.ward_leader).total() == 6
    assert sender_listing(world.officer).total() == sender_listing(world.admin).total() == 15


def test_a_right_to_propose_beyond_what_the_user_sees_keeps_the_exact_count(world):
    _fill(world, 3)
    officer = world.ward_officer
    for membership in access.memberships_of(officer):
        membership.grants = {Cap.PROPOSE_AWARDS: Scope.SUBTREE}
    assert sender_listing(officer).total() is None


@pytest.mark.parametrize(
    ("name", "user", "params"),
    [
        ("awards:nomination_list", "ward_officer", {}),
        ("awards:nomination_list", "officer", {"trang": "2"}),
        ("awards:queue", "reviewer", {}),
        ("awards:queue", "reviewer", {"status": "tat-ca", "trang": "3"}),
        ("awards:queue", "reviewer", {"q": "Người đếm", "trang": "2"}),
    ],
)
def test_the_pages_page_as_with_an_exact_count(world, client, name, user, params):
    _fill(world, 120)
    client.force_login(getattr(world, user))
    response = client.get(reverse(name), params)
    page = response.context["page"]
    exact = page.paginator.object_list.count()
    assert page.paginator.count == exact
    assert page.paginator.num_pages == 3
    assert f"Trang {page.number}/3" in response.content.decode()
