"""Council sessions: tallies on the whole membership, recusal, written ballots, quorum, Biên bản."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from awards.models import Choice
from awards.procedure import approval, council
from awards.workflow import Status
from tests.awards.nomination_helpers import TODAY, checked, council_of, refresh
from tests.refusals import refused


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def _cstdcs(world):
    """A Chiến sĩ thi đua cơ sở dossier, checked at the ward (80 % of all members, secret)."""
    return checked(world, code="cstd-co-so")


def _vote(item, users, choice):
    for user in users:
        council.cast_vote(item, actor=user, choice=choice)


def _close(world, session):
    return council.close_session(session, actor=world.reviewer)


def test_a_cstdcs_dossier_cannot_be_approved_without_the_council(world):
    nomination = _cstdcs(world)
    with refused("council_vote_required"):
        approval.approve_nomination(nomination, actor=world.ward_leader)


def test_three_yes_of_five_members_fail_the_80_percent_threshold(world):
    nomination = _cstdcs(world)
    c = council_of(world, world.ward, size=5)
    item = council.put_on_agenda(nomination, actor=world.reviewer, session=c.session)
    _vote(item, c.users[:3], Choice.YES)
    _vote(item, c.users[3:], Choice.NO)
    _close(world, c.session)
    item.refresh_from_db()
    assert (item.yes, item.members, item.passed) == (3, 5, False)
    assert refresh(nomination).status == Status.REJECTED
    assert "không đạt ngưỡng 80%" in refresh(nomination).council_summary


def test_absentees_in_writing_and_a_recusal_make_four_of_four(world):
    nomination = _cstdcs(world)
    c = council_of(world, world.ward, size=5, present=4)
    item = council.put_on_agenda(nomination, actor=world.reviewer, session=c.session)
    council.declare_conflict(item, actor=c.users[0], reason="Là vợ của người được đề nghị.")
    with refused("member_recused"):
        council.cast_vote(item, actor=c.users[0], choice=Choice.YES)
    _vote(item, c.users[1:4], Choice.YES)
    with refused("absent_votes_in_writing"):
        council.cast_vote(item, actor=c.users[4], choice=Choice.YES)
    council.record_written_vote(item, actor=world.reviewer, seat=c.seats[4], choice=Choice.YES)
    session = _close(world, c.session)
    item.refresh_from_db()
    assert (item.yes, item.members, item.passed) == (4, 4, True)
    assert refresh(nomination).status == Status.APPROVED
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(session.minutes.pdf.read())).pages
    )
    assert "BIÊN BẢN" in text
    assert world.person.full_name in text
    assert "4/4" in text
    # Secret ballot: the attendance names the members, but no member's name is next to a choice.
    flat = " ".join(text.split())
    assert "Thành viên Hội đồng số 3 – Ủy viên" in flat
    assert "Thành viên Hội đồng số 3: đồng ý" not in flat
    assert "Ý kiến từng thành viên" not in flat


def test_a_member_outside_the_session_cannot_vote(world):
    nomination = _cstdcs(world)
    c = council_of(world, world.ward, size=3)
    item = council.put_on_agenda(nomination, actor=world.reviewer, session=c.session)
    with refused("not_seated"):
        council.cast_vote(item, actor=world.council, choice=Choice.YES)


def test_a_session_without_quorum_cannot_close(world):
    nomination = _cstdcs(world)
    c = council_of(world, world.ward, size=5, present=3)
    item = council.put_on_agenda(nomination, actor=world.reviewer, session=c.session)
    _vote(item, c.users[:3], Choice.YES)
    with refused("quorum_not_met"):
        _close(world, c.session)
    assert refresh(nomination).status == Status.ON_AGENDA


def test_no_vote_after_the_session_is_closed(world):
    nomination = _cstdcs(world)
    c = council_of(world, world.ward, size=3)
    item = council.put_on_agenda(nomination, actor=world.reviewer, session=c.session)
    _vote(item, c.users, Choice.YES)
    _close(world, c.session)
    with refused("council_session.refused"):
        council.cast_vote(item, actor=c.users[0], choice=Choice.NO)
