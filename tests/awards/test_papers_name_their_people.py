"""Every paper the award procedure makes names the person whose action made it: the proposer's
Tờ trình, the Nội vụ's forwarding and central ones, the council's Biên bản, the clearance letter,
the decision, the certificate page. A system actor (None) is for loaders and tasks only."""

from __future__ import annotations

import datetime

import pytest

from awards.models import Choice
from awards.paperwork import certificates
from awards.procedure import clearance, council, decisions
from portal.models import DocumentKind, OfficialDocument
from tests.awards.central_helpers import sent
from tests.awards.nomination_helpers import TODAY, checked, council_of, received, refresh


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def _authors() -> dict[str, set[tuple[str, str]]]:
    """Per kind, the (creator, issuer) usernames of every paper; "-" where none is recorded."""
    found: dict[str, set[tuple[str, str]]] = {}
    for document in OfficialDocument.objects.select_related("created_by", "issued_by"):
        creator = document.created_by.username if document.created_by else "-"
        issuer = document.issued_by.username if document.issued_by else "-"
        found.setdefault(document.kind, set()).add((creator, issuer))
    return found


def test_a_ward_award_names_the_proposer_the_noi_vu_the_council_and_the_leader(world):
    nomination = checked(world, code="cstd-co-so")
    members = council_of(world, world.ward, size=5)
    item = council.put_on_agenda(nomination, actor=world.reviewer, session=members.session)
    for user in members.users:
        council.cast_vote(item, actor=user, choice=Choice.YES)
    council.close_session(members.session, actor=world.reviewer)
    decision = decisions.draft_decision([refresh(nomination)], actor=world.reviewer)
    decisions.issue_decision(decision, actor=world.ward_leader)
    certificates.certificate_layout(decision, actor=world.reviewer)
    authors = _authors()
    assert authors.pop(DocumentKind.SUBMISSION) == {("cb_xuantrung", "cb_xuantrung")}
    assert authors.pop(DocumentKind.MINUTES) == {("noivu", "noivu")}
    assert authors.pop(DocumentKind.DECISION) == {("noivu", "ct_xuantrung")}
    # What is left is the certificate page, laid out (not issued) by the Nội vụ.
    assert list(authors.values()) == [{("noivu", "-")}]


def test_the_central_leg_names_the_noi_vu_who_forwards_votes_and_sends(world):
    sent(world)
    authors = _authors()
    assert ("cb_xuantrung", "cb_xuantrung") in authors[DocumentKind.SUBMISSION]
    # Forwarding up the tree and sending to the centre are the Nội vụ's acts.
    assert ("noivu", "noivu") in authors[DocumentKind.SUBMISSION]
    assert all(
        creator != "-" and issuer != "-" for creator, issuer in authors[DocumentKind.SUBMISSION]
    )
    assert all(issuer != "-" for _, issuer in authors[DocumentKind.MINUTES])


def test_a_clearance_letter_names_the_noi_vu_who_asks(world):
    clearance.request_clearance(
        [received(world)],
        actor=world.reviewer,
        subject="việc chấp hành pháp luật về an ninh, trật tự.",
        body_name="Ủy ban Kiểm tra Thị ủy Long Khánh",
        due_on=TODAY.date() + datetime.timedelta(days=10),
    )
    assert _authors()[DocumentKind.OFFICIAL_LETTER] == {("noivu", "noivu")}
