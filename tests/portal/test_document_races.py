"""Races on the documents engine's row locks: one draft issued by two callers at once, a draft
edited while it is issued, two papers signed outside recorded in one register at once, a paper
revoked twice at once, a correction issued while its paper is revoked, two copies made at once,
the paper to sign outside prepared twice at once.

PostgreSQL only (tests/races.py). How a lock-free variant was shown to fail: docs/testing.md.
"""

from __future__ import annotations

import datetime
import time

from portal.documents import dating, engine, outside_flow, signers
from portal.documents.demo import make_decision, make_plan
from portal.errors import RuleViolation
from portal.models import OfficialDocument
from tests.portal.test_document_copies import _decision, _make
from tests.portal.test_documents import issue, notice
from tests.portal.test_documents_dates import _record
from tests.races import at_once, kinds, needs_row_locks, race
from tests.refusals import refused

pytestmark = race


def test_a_draft_issued_twice_at_once_is_issued_once_with_one_number(world):
    """Without the document's lock both callers find it a draft: each takes a number from the
    register, the second overwriting the first's, and a number is lost from the series."""
    needs_row_locks()
    draft = notice(world.province)

    outcomes = at_once(lambda: issue(draft), lambda: issue(draft))

    assert kinds(outcomes) == ["RuleViolation", "won"]
    winner = next(o for o in outcomes if not isinstance(o, Exception))
    refused = next(o for o in outcomes if isinstance(o, RuleViolation))
    assert refused.message == f"Văn bản đã được ban hành: {winner}."
    issued = OfficialDocument.objects.get(pk=draft.pk)
    assert (issued.number_and_symbol, issued.sha256) == ("01/TB-UBND", winner.sha256)
    assert issue(notice(world.province)).number_and_symbol == "02/TB-UBND"


def test_a_draft_edited_while_it_is_issued_is_issued_with_the_edit(world, monkeypatch):
    """The edit starts first and saves the draft whole: without the document's lock the issue
    in between is written over, and the issued paper is a draft again without its number."""
    needs_row_locks()
    stamp = engine.stamp
    monkeypatch.setattr(
        engine,
        "stamp",
        lambda row, **kw: (
            time.sleep(0.4) if kw.get("reason") == "portal.document.draft_updated" else None,
            stamp(row, **kw),
        )[1],
    )
    draft = notice(world.province)
    edited = "Kết quả bình xét thi đua quý I năm 2026 (đã sửa)"
    outcomes = at_once(
        lambda: engine.update_draft(draft, actor=None, summary=edited),
        lambda: (time.sleep(0.15), issue(draft))[1],
    )
    assert kinds(outcomes) == ["won", "won"]
    issued = OfficialDocument.objects.get(pk=draft.pk)
    assert (issued.is_issued, issued.number_and_symbol) == (True, "01/TB-UBND")
    assert issued.summary == edited


def test_two_papers_recorded_at_once_keep_the_registers_dates_in_order(world, monkeypatch):
    """A register's numbers run with its dates. No. 13 of 19/02 and no. 12 of 20/02 are each
    in order with the register alone, not with each other: recorded at once, the later is
    refused (without the register's lock both read the register without the other)."""
    needs_row_locks()
    _record(world, number="11/CT-UBND", day=datetime.date(2024, 2, 16))
    check = dating.check_recorded_place
    monkeypatch.setattr(
        dating,
        "check_recorded_place",
        lambda *args: (check(*args), time.sleep(0.3))[0],
    )
    outcomes = at_once(
        lambda: _record(world, number="12/CT-UBND", day=datetime.date(2024, 2, 20)),
        lambda: _record(world, number="13/CT-UBND", day=datetime.date(2024, 2, 19)),
    )
    assert kinds(outcomes) == ["RuleViolation", "won"]
    with refused("date_out_of_order"):
        raise next(o for o in outcomes if isinstance(o, Exception))
    recorded = OfficialDocument.objects.filter(issuer=world.province, is_recorded=True)
    assert recorded.count() == 2


def test_a_paper_revoked_twice_at_once_is_revoked_once(world):
    """Two revocations drafted in turn, issued at the same instant: each locks its own draft,
    so without the original's lock both find the paper standing and both are issued."""
    needs_row_locks()
    plan = issue(make_plan(world.province, pages=1))
    first, second = (
        engine.revoke_document(plan, actor=world.leader, reason=reason)
        for reason in ("Ban hành sai thẩm quyền", "Sai thể thức")
    )
    outcomes = at_once(lambda: issue(first), lambda: issue(second))
    assert kinds(outcomes) == ["RuleViolation", "won"]
    with refused("document_revoked"):
        raise next(o for o in outcomes if isinstance(o, Exception))
    assert plan.revocations.filter(status="issued").count() == 1


def test_a_correction_issued_while_its_paper_is_revoked_is_refused(world, monkeypatch):
    """The revocation is being issued (its render held open) when the correction is issued:
    without the original's lock the correction finds no issued revocation yet and a correction
    of a revoked paper goes out."""
    needs_row_locks()
    plan = issue(make_plan(world.province, pages=1))
    correction = engine.correct_document(plan, actor=world.leader)
    revocation = engine.revoke_document(plan, actor=world.leader, reason="Sai thẩm quyền")
    stamp_issue = engine.stamp_issue

    def slow_for_the_revocation(document, **kwargs):
        stamp_issue(document, **kwargs)
        if document.pk == revocation.pk:
            time.sleep(0.5)

    monkeypatch.setattr(engine, "stamp_issue", slow_for_the_revocation)
    outcomes = at_once(lambda: issue(revocation), lambda: (time.sleep(0.2), issue(correction))[1])
    assert isinstance(outcomes[0], OfficialDocument)
    with refused("document_revoked"):
        raise outcomes[1]
    assert OfficialDocument.objects.get(pk=correction.pk).status == "draft"


def test_two_copies_made_at_once_take_consecutive_numbers_of_the_copy_register(world):
    """A copy's number is the body's last one plus one: without the body's lock both copies
    read the same last number and the second is refused by the unique index, a 500."""
    needs_row_locks()
    decision = _decision(world)
    outcomes = at_once(
        lambda: _make(world, decision),
        lambda: _make(world, decision, "TrS", first_page=1, last_page=1),
    )
    assert kinds(outcomes) == ["won", "won"]
    assert sorted(c.number for c in outcomes) == ["01", "02"]


def test_the_paper_to_sign_outside_prepared_twice_at_once_is_laid_out_once(world):
    """Two clicks on "Xuất bản để ký": without the document's lock both find no paper yet,
    each reserves a verification code and lays one out, and the second is refused by the
    one-paper-a-document index, a 500."""
    needs_row_locks()
    fields = signers.signature(world.ward, datetime.date.today()).draft_fields()
    draft = make_decision(world.ward, actor=world.ward_officer, awardees=3, **fields)

    outcomes = at_once(
        lambda: outside_flow.prepare_signing_paper(draft, actor=None),
        lambda: outside_flow.prepare_signing_paper(draft, actor=None),
    )
    assert kinds(outcomes) == ["won", "won"]
    assert outcomes[0].pk == outcomes[1].pk
    assert outcomes[0].produced_sha256 == outcomes[1].produced_sha256
    reserved = OfficialDocument.history.filter(
        id=draft.pk, history_change_reason="portal.document.code_reserved"
    )
    assert reserved.count() == 1
    assert OfficialDocument.objects.get(pk=draft.pk).verification_code
