"""Races on the later steps of signing outside the portal (portal/documents/outside_flow.py): a
signed file brought back twice at once, the signed paper issued twice at once, and the văn
thư's confirmation of a certificate in another name made while the next member's signature is
brought back. Each step takes the document's lock, so they follow one another.

PostgreSQL only (tests/races.py); how a lock-free variant was shown to fail: docs/testing.md.
"""

from __future__ import annotations

import datetime
import time

import pytest

from portal.documents import outside_flow, signers
from portal.documents.demo import make_decision
from portal.models import OutsideSigning
from tests.portal.outside_drafts import giao_uoc_draft
from tests.portal.test_outside_signing import FakeGovernmentCA, sign
from tests.races import at_once, kinds, needs_row_locks, race
from tests.refusals import refused

pytestmark = race


@pytest.fixture
def trusted(settings, tmp_path):
    settings.DOCUMENT_TRUST_ANCHORS_DIR = str(tmp_path)
    return FakeGovernmentCA("CA thử nghiệm (ký ngoài cổng cùng lúc)", tmp_path)


@pytest.fixture
def slow_stamp(monkeypatch):
    """Each step stamps its row just before saving it: a pause there holds a caller between its
    read and its write (the window the lock closes)."""
    stamp = outside_flow.stamp

    def slow(row, **kwargs):
        time.sleep(0.3)
        return stamp(row, **kwargs)

    monkeypatch.setattr(outside_flow, "stamp", slow)


def _signed_decision(world, trusted, holder=None):
    fields = signers.signature(world.ward, datetime.date.today()).draft_fields()
    decision = make_decision(world.ward, actor=world.ward_officer, awardees=3, **fields)
    paper = outside_flow.prepare_signing_paper(decision, actor=world.ward_leader)
    data = outside_flow.paper_to_sign(paper)
    return decision, sign(data, trusted.signer(holder or world.ward_chair.full_name))


def _reasons(document, reason: str) -> int:
    row = OutsideSigning.objects.get(document=document)
    return row.history.filter(history_change_reason=reason).count()


def test_a_signed_file_brought_back_twice_at_once_is_kept_once(world, trusted, slow_stamp):
    """Two clicks on "Tải lên bản đã ký": the second finds the signature already there and is
    refused (without the lock both find it missing and both keep it)."""
    needs_row_locks()
    decision, signed = _signed_decision(world, trusted)
    outcomes = at_once(
        lambda: outside_flow.accept_signed_upload(decision, actor=world.ward_leader, data=signed),
        lambda: outside_flow.accept_signed_upload(decision, actor=world.ward_leader, data=signed),
    )
    assert kinds(outcomes) == ["RuleViolation", "won"]
    with refused("signatures_complete"):
        raise next(o for o in outcomes if isinstance(o, Exception))
    assert _reasons(decision, "portal.outside_signing.signed_upload") == 1
    assert len(outside_flow.current_signing(decision).signatures) == 1


def test_a_signed_paper_issued_twice_at_once_takes_one_number(world, trusted):
    """Two clicks on "Ban hành": the second finds the paper issued (without the lock both
    issue it, each with its own number from the register)."""
    needs_row_locks()
    decision, signed = _signed_decision(world, trusted)
    outside_flow.accept_signed_upload(decision, actor=world.ward_leader, data=signed)
    outcomes = at_once(
        lambda: outside_flow.issue_signed_document(decision, actor=world.ward_officer),
        lambda: outside_flow.issue_signed_document(decision, actor=world.ward_officer),
    )
    assert kinds(outcomes) == ["RuleViolation", "won"]
    with refused("already_issued"):
        raise next(o for o in outcomes if isinstance(o, Exception))
    winner = next(o for o in outcomes if not isinstance(o, Exception))
    decision.refresh_from_db()
    assert decision.number == winner.number
    assert decision.history.filter(history_change_reason=outside_flow.ISSUED_OUTSIDE).count() == 1
    assert _reasons(decision, "portal.outside_signing.issued") == 1


def test_a_confirmation_made_while_the_next_signature_is_brought_back_is_kept(
    world, trusted, slow_stamp
):
    """A giao ước's party signed with a certificate in another name; the văn thư confirms it
    while the head's signed file is brought back. Both must stand: the upload rewrites the
    signing row whole, so if it read the row before the confirmation was saved it writes the
    confirmation away, and the paper cannot be issued."""
    needs_row_locks()
    pledge = giao_uoc_draft(world)
    paper = outside_flow.prepare_signing_paper(pledge, actor=world.ward_officer)
    first = sign(outside_flow.paper_to_sign(paper), trusted.signer("Hà Văn Ân"), field="X1")
    paper = outside_flow.accept_signed_upload(pledge, actor=world.ward_officer, data=first)
    assert paper.needs_confirmation
    second = sign(first, trusted.signer("Võ Văn Phường"), field="X2")
    reason = "Chứng thư cấp theo tên khai sinh"
    outcomes = at_once(
        lambda: outside_flow.accept_signed_upload(pledge, actor=world.ward_officer, data=second),
        lambda: (
            time.sleep(0.1),
            outside_flow.confirm_signer(pledge, actor=world.ward_officer, reason=reason),
        )[1],
    )
    assert kinds(outcomes) == ["won", "won"], outcomes
    paper = outside_flow.current_signing(pledge)
    assert [s["holder"] for s in paper.signatures] == ["Hà Văn Ân", "Võ Văn Phường"]
    assert (paper.confirmed_by, paper.confirmation_reason) == (world.ward_officer, reason)
    assert not paper.needs_confirmation
