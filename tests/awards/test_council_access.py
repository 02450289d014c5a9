"""Who sits and votes in a council: only those whose own role lets them vote in the session's
unit's council (Cap.VOTE_IN_COUNCIL there), when seated and again at each vote. The session's
form offers only them, each with their role in the council; a member whose role is withdrawn
after the seating neither votes nor recuses, on the page or through the service."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from awards.models import Ballot, Choice, CouncilSession
from awards.procedure import council
from portal import services
from portal.models import Membership, Role, User
from tests.awards.nomination_helpers import TODAY, checked, council_of
from tests.factories import make_member
from tests.refusals import refused


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def _withdrawn(world, user) -> User:
    """The ward's leader withdraws the user's council role at the ward (a real revocation);
    the account as the next request loads it (roles are read once per request)."""
    membership = Membership.objects.get(user=user, unit=world.ward, role=Role.COUNCIL_MEMBER)
    services.revoke_membership(membership, actor=world.ward_leader)
    return User.objects.get(pk=user.pk)


def _on_agenda(world, size: int = 3):
    c = council_of(world, world.ward, size=size)
    item = council.put_on_agenda(
        checked(world, code="cstd-co-so"), actor=world.reviewer, session=c.session
    )
    return c, item


def test_a_member_whose_role_was_withdrawn_neither_votes_nor_recuses(world):
    c, item = _on_agenda(world)
    council.cast_vote(item, actor=c.users[0], choice=Choice.YES)
    first, second = _withdrawn(world, c.users[0]), _withdrawn(world, c.users[1])
    with pytest.raises(PermissionDenied):
        council.cast_vote(item, actor=first, choice=Choice.NO)
    with pytest.raises(PermissionDenied):
        council.cast_vote(item, actor=second, choice=Choice.YES)
    with pytest.raises(PermissionDenied):
        council.declare_conflict(item, actor=second, reason="Là người thân của người được đề nghị.")
    # The vote cast while entitled stands as cast; nothing was recorded for the refusals.
    assert [(b.seat.user, b.choice) for b in Ballot.objects.filter(item=item)] == [
        (c.users[0], Choice.YES)
    ]
    # A member still holding the role votes and recuses as before.
    ballot = council.declare_conflict(
        item, actor=c.users[2], reason="Là vợ của người được đề nghị."
    )
    assert ballot.choice == Choice.RECUSED


def test_a_seated_account_that_never_could_vote_here_is_refused(world):
    """A seat made before seats were checked (or by hand in the database) votes no more than
    its holder may: a province council member in a ward's session."""
    c, item = _on_agenda(world)
    seat = c.seats[0]
    seat.user = world.council
    seat.save()
    with pytest.raises(PermissionDenied):
        council.cast_vote(item, actor=world.council, choice=Choice.YES)
    with pytest.raises(PermissionDenied):
        council.declare_conflict(item, actor=world.council, reason="Có quan hệ gia đình.")
    assert not Ballot.objects.filter(item=item).exists()


def test_each_ballot_keeps_who_cast_it_and_why(world):
    c = council_of(world, world.ward, size=3, present=2)
    item = council.put_on_agenda(
        checked(world, code="cstd-co-so"), actor=world.reviewer, session=c.session
    )
    council.cast_vote(item, actor=c.users[0], choice=Choice.YES)
    council.declare_conflict(item, actor=c.users[1], reason="Là vợ của người được đề nghị.")
    council.record_written_vote(item, actor=world.reviewer, seat=c.seats[2], choice=Choice.NO)
    rows = [
        (row.seat_id, row.history_user, row.history_change_reason)
        for row in Ballot.history.filter(item=item).order_by("history_date")
    ]
    assert rows == [
        (c.seats[0].pk, c.users[0], "awards.council.voted"),
        (c.seats[1].pk, c.users[1], "awards.council.recused"),
        (c.seats[2].pk, world.reviewer, "awards.council.written_vote"),
    ]


def test_the_session_form_offers_only_who_may_vote_here_each_with_their_role(world, client):
    members = [
        make_member(world.ward, Role.COUNCIL_MEMBER, full_name=f"Ủy viên {i}") for i in (1, 2)
    ]
    client.force_login(world.reviewer)
    url = reverse("awards:session_create", kwargs={"unit_id": world.ward.pk})
    page = client.get(url)
    offered = set(page.context["form"].fields["members"].queryset)
    assert offered == {world.ward_leader, *members}  # not the province's council, no officer
    assert "Chức danh trong Hội đồng – Ủy viên 1" in page.content.decode()
    base = {"title": "Phiên họp xét khen thưởng", "held_on": TODAY.strftime("%d/%m/%Y")}
    base["quorum_percent"] = 67
    # Someone who may not vote here is not a choice: the form refuses, no session is made.
    refused_page = client.post(url, {**base, "members": [world.ward_leader.pk, world.council.pk]})
    assert refused_page.status_code == 200
    assert refused_page.context["form"].errors["members"]
    assert not CouncilSession.objects.exists()
    answer = client.post(
        url,
        {
            **base,
            "members": [world.ward_leader.pk, members[0].pk, members[1].pk],
            f"role_{world.ward_leader.pk}": "Chủ tịch Hội đồng",
            f"role_{members[1].pk}": "Ủy viên, Thư ký Hội đồng",
        },
    )
    session = CouncilSession.objects.get()
    assert answer.status_code == 302
    assert {(s.user, s.role) for s in session.seats.all()} == {
        (world.ward_leader, "Chủ tịch Hội đồng"),
        (members[0], "Ủy viên"),
        (members[1], "Ủy viên, Thư ký Hội đồng"),
    }
    # Two chairmen are refused by the service and said on the page.
    twice = client.post(
        url,
        {
            **base,
            "members": [world.ward_leader.pk, members[0].pk],
            f"role_{world.ward_leader.pk}": "Chủ tịch Hội đồng",
            f"role_{members[0].pk}": "Chủ tịch Hội đồng",
        },
        follow=True,
    )
    assert "Hội đồng chỉ có một Chủ tịch." in twice.content.decode()
    assert CouncilSession.objects.count() == 1


def test_a_withdrawn_member_is_refused_on_the_sessions_page(world, client):
    c, item = _on_agenda(world)
    # Still on the ward's staff (who reads its pages), no longer in its council.
    services.grant_membership(
        world.ward, actor=world.ward_leader, user=c.users[0], role=Role.VIEWER
    )
    _withdrawn(world, c.users[0])
    # Gone from the ward altogether: the session no longer exists for them.
    _withdrawn(world, c.users[2])
    client.force_login(c.users[2])
    url = reverse("awards:session_act", kwargs={"session_id": c.session.pk, "step": "bo-phieu"})
    assert client.post(url, {"item": item.pk, "choice": "yes"}).status_code == 404
    client.force_login(c.users[0])
    page = client.get(reverse("awards:session_detail", kwargs={"session_id": c.session.pk}))
    assert page.status_code == 200
    assert "Không tham gia xét hồ sơ này" not in page.content.decode()
    for step, data in (
        ("bo-phieu", {"item": item.pk, "choice": "yes"}),
        ("xung-dot", {"item": item.pk, "reason": "Có quan hệ gia đình."}),
    ):
        url = reverse("awards:session_act", kwargs={"session_id": c.session.pk, "step": step})
        assert client.post(url, data).status_code == 403
    assert not Ballot.objects.filter(item=item).exists()
    # A member still holding the role is offered the vote and casts it.
    client.force_login(c.users[1])
    page = client.get(reverse("awards:session_detail", kwargs={"session_id": c.session.pk}))
    assert "Không tham gia xét hồ sơ này" in page.content.decode()
    url = reverse("awards:session_act", kwargs={"session_id": c.session.pk, "step": "bo-phieu"})
    assert client.post(url, {"item": item.pk, "choice": "yes"}).status_code == 302
    assert Ballot.objects.get(item=item).seat.user == c.users[1]


def test_a_withdrawn_members_written_ballot_is_not_recorded(world):
    c = council_of(world, world.ward, size=3, present=1)
    item = council.put_on_agenda(
        checked(world, code="cstd-co-so"), actor=world.reviewer, session=c.session
    )
    _withdrawn(world, c.users[1])
    with refused("written_vote_not_entitled"):
        council.record_written_vote(item, actor=world.reviewer, seat=c.seats[1], choice=Choice.YES)
    assert not Ballot.objects.filter(item=item).exists()
    # An absent member still holding the role has their written ballot recorded.
    council.record_written_vote(item, actor=world.reviewer, seat=c.seats[2], choice=Choice.NO)
    assert Ballot.objects.get(item=item).seat == c.seats[2]


def test_a_member_seated_in_another_session_does_not_vote_in_this_one(world):
    """Entitled in the ward's council and seated in its other session, but not in this one:
    refused as not seated here, whatever the seat elsewhere says."""
    member = make_member(world.ward, Role.COUNCIL_MEMBER)
    other = council.create_session(
        world.ward,
        actor=world.reviewer,
        title="Phiên họp khác",
        held_on=TODAY.date(),
        members=[(member, "Ủy viên")],
    )
    other.seats.update(present=True)
    _, item = _on_agenda(world)
    with refused("not_seated") as refusal:
        council.cast_vote(item, actor=member, choice=Choice.YES)
    assert refusal.value.message == "Bạn không phải thành viên của phiên họp này."
    with refused("not_seated"):
        council.declare_conflict(item, actor=member, reason="Có quan hệ gia đình.")
    assert not Ballot.objects.filter(item=item).exists()


def test_only_who_reviews_the_dossiers_records_a_written_ballot(world):
    """The secretary's office (the reviewers) records an absent member's written ballot; a
    fellow member of the council may not, even one present and entitled to vote."""
    c = council_of(world, world.ward, size=3, present=1)
    item = council.put_on_agenda(
        checked(world, code="cstd-co-so"), actor=world.reviewer, session=c.session
    )
    with pytest.raises(PermissionDenied):
        council.record_written_vote(item, actor=c.users[0], seat=c.seats[2], choice=Choice.YES)
    assert not Ballot.objects.filter(item=item).exists()
