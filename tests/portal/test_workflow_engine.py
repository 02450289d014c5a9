"""The one transition engine (portal.workflow) and the tables that run on it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from awards import workflow as nomination_workflow
from awards.views import council as council_views
from awards.views import decisions as decision_views
from campaigns import views as campaign_views
from campaigns import workflow as campaign_workflow
from pledges import views as pledges_views
from pledges import workflow as pledges_workflow
from pledges.covenants import views as covenant_views
from portal.access import ROLE_GRANTS, Cap
from portal.documents import numbering
from portal.errors import RuleViolation
from portal.models import DocumentKind
from portal.workflow import Table, move, require_atomic

# Every table on the engine: each is walked by the checks below.
TABLES = [
    campaign_workflow.TABLE,
    nomination_workflow.TABLE,
    nomination_workflow.SESSION_TABLE,
    nomination_workflow.DECISION_TABLE,
    pledges_workflow.REGISTRATION,
    pledges_workflow.UNIT_REVIEW,
    pledges_workflow.PLEDGE,
    pledges_workflow.SCORE_SHEET,
]


def _refusal(source: str, target: str) -> str:
    return f"từ {source} sang {target or '?'}"


class Record:
    def __init__(self, status: str) -> None:
        self.status = status


def test_two_rows_with_one_source_and_one_action_are_refused():
    with pytest.raises(ImproperlyConfigured, match="'go' from 'a' twice"):
        Table(
            "t",
            [move("go", {"a"}, "b", Cap.VIEW), move("go", {"a", "c"}, "b", Cap.VIEW)],
            refusal=_refusal,
        )


def test_one_action_has_one_target():
    with pytest.raises(ImproperlyConfigured, match="'go' has two targets"):
        Table(
            "t",
            [move("go", {"a"}, "b", Cap.VIEW), move("go", {"c"}, "d", Cap.VIEW)],
            refusal=_refusal,
        )


def test_ensure_gives_the_move_or_a_coded_refusal():
    table = Table("t", [move("go", {"a", "c"}, "b", Cap.VIEW, "Đi")], refusal=_refusal)
    assert table.ensure(Record("c"), "go").target == "b"
    with pytest.raises(RuleViolation) as refused:
        table.ensure(Record("b"), "go")
    assert (refused.value.code, refused.value.message) == ("t.refused", "từ b sang b")
    with pytest.raises(RuleViolation) as unknown:
        table.ensure(Record("a"), "fly")
    assert (unknown.value.code, unknown.value.message) == ("t.refused", "từ a sang ?")


def test_buttons_follow_the_capability_on_the_unit(world):
    table = Table(
        "t",
        [
            move("approve", {"a"}, "b", Cap.DECIDE_AWARDS, "Duyệt"),
            move("note", {"a"}, "c", Cap.REPORT_PROGRESS, "Ghi"),
            move("later", {"b"}, "c", Cap.VIEW, "Sau"),
        ],
        refusal=_refusal,
    )
    offered = [t.action for t in table.buttons(world.ward_leader, Record("a"), world.ward)]
    assert offered == ["approve"]
    offered = [t.action for t in table.buttons(world.ward_officer, Record("a"), world.ward)]
    assert offered == ["note"]
    assert table.buttons(world.outsider, Record("a"), world.ward) == []


def test_each_row_is_offered_on_the_unit_of_its_side(world):
    # A registration's leader approves on the ward; the issuing level accepts on the province.
    table = Table(
        "t",
        [
            move("approve", {"a"}, "b", Cap.DECIDE_AWARDS, "Duyệt", on="unit"),
            move("accept", {"a"}, "c", Cap.DECIDE_AWARDS, "Chấp thuận", on="issuer"),
            move("note", {"a"}, "d", Cap.DECIDE_AWARDS, "Ghi", on="nobody"),
        ],
        refusal=_refusal,
    )
    sides = {"unit": world.ward, "issuer": world.province, "nobody": None}
    offered = table.buttons(world.ward_leader, Record("a"), lambda row: sides[row.on])
    assert [t.action for t in offered] == ["approve"]
    offered = table.buttons(world.leader, Record("a"), lambda row: sides[row.on])
    assert [t.action for t in offered] == ["accept"]


def test_a_move_outside_a_transaction_is_refused(db, monkeypatch):
    # The test itself runs in a transaction: step out of it the way a caller without one is.
    monkeypatch.setattr(transaction.get_connection(), "in_atomic_block", False)
    with pytest.raises(RuntimeError, match=r"inside transaction\.atomic"):
        require_atomic()
    monkeypatch.undo()
    with transaction.atomic():
        require_atomic()


def test_a_number_taken_outside_a_transaction_is_refused(world, monkeypatch):
    """The register's lock lasts as long as the caller's transaction: outside one, two papers
    could read the same last number."""
    register = numbering.register_for(world.province, DocumentKind.PLAN)
    assert numbering.take_number(register, 2026) == 1
    monkeypatch.setattr(transaction.get_connection(), "in_atomic_block", False)
    with pytest.raises(RuntimeError, match=r"inside transaction\.atomic"):
        numbering.take_number(register, 2026)
    monkeypatch.undo()


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_every_transition_is_reachable_by_some_role(table):
    unreachable = [
        t.action for t in table if not any(t.cap in grants for grants in ROLE_GRANTS.values())
    ]
    assert unreachable == []


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_every_action_has_a_label_for_its_button(table):
    assert [t.action for t in table if not t.label] == []


def test_every_campaign_action_has_its_service_in_the_view():
    assert set(campaign_views.MOVE_SERVICES) == set(campaign_workflow.TABLE.actions())


def test_every_decision_action_has_its_service_in_the_view():
    assert set(decision_views.MOVE_SERVICES) == set(nomination_workflow.DECISION_TABLE.actions())
    assert set(decision_views.SLUGS.values()) == set(decision_views.MOVE_SERVICES)


def test_every_session_action_has_its_service_in_the_view_but_the_agenda():
    # Dossiers are put on the agenda from the Nội vụ queue, many at once, not from the session.
    actions = set(nomination_workflow.SESSION_TABLE.actions()) - {"put_on_agenda"}
    assert set(council_views.MOVE_SERVICES) == actions
    assert set(council_views.SLUGS.values()) == actions


def test_every_registration_action_has_its_service_in_the_view():
    assert set(pledges_views.MOVE_SERVICES) == set(pledges_workflow.REGISTRATION.actions())


def test_every_giao_uoc_move_is_a_button_or_made_by_another_step():
    buttons = set(covenant_views.MOVE_SERVICES)
    assert buttons | pledges_workflow.BY_ANOTHER_STEP == set(pledges_workflow.PLEDGE.actions())
    assert not buttons & pledges_workflow.BY_ANOTHER_STEP
