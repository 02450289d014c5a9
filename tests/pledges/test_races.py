"""Races on the services of campaigns and pledges that lock a row: two callers at once.

Each test would pass without the lock only by luck: both callers read the row before either
writes, so both move it (two history rows for one step), or each misses the other's write.
PostgreSQL only (tests/races.py); how a lock-free variant was shown to fail: docs/testing.md.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns import services as campaign_services
from campaigns.models import Campaign, ReviewKind
from campaigns.workflow import CampaignStatus
from pledges import reviews, services
from pledges.covenants import signing
from pledges.models import AwardProposal, Pledge, ProposedAward, Registration, UnitReview
from pledges.workflow import PledgeStatus, RegistrationStatus, UnitReviewStatus
from portal.errors import RuleViolation
from tests.campaign_fixtures import registered, task_row
from tests.pledges.covenant_fixtures import drafted, sibling_leader
from tests.races import at_once, kinds, needs_row_locks, race

pytestmark = race


def _submitted(world, campaign) -> Registration:
    registration = services.start_registration(campaign, actor=world.ward_officer, unit=world.ward)
    services.set_registration_tasks(registration, actor=world.ward_officer, tasks=[task_row(1)])
    return services.submit_registration(registration, actor=world.ward_officer)


def _reasons(model, pk: int, reason: str) -> int:
    return model.history.filter(id=pk, history_change_reason__startswith=reason).count()


def test_a_registration_approved_twice_at_once_is_approved_once(city, city_campaign):
    needs_row_locks()
    registration = _submitted(city, city_campaign)
    outcomes = at_once(
        *[lambda: services.approve_registration(registration, actor=city.ward_leader)] * 2
    )
    assert kinds(outcomes) == ["RuleViolation", "won"]
    refused = next(o for o in outcomes if isinstance(o, RuleViolation))
    assert refused.message.startswith("Không thể chuyển bản đăng ký từ “Chờ cấp phát động")
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.APPROVED
    assert _reasons(Registration, registration.pk, "pledges.registration.approved") == 1


def test_accept_and_return_at_once_one_wins_and_the_other_is_refused(city, city_campaign):
    needs_row_locks()
    registration = _submitted(city, city_campaign)
    services.approve_registration(registration, actor=city.ward_leader)
    outcomes = at_once(
        lambda: services.accept_registration(registration, actor=city.city_officer),
        lambda: services.return_registration(registration, actor=city.city_officer, reason="Sửa"),
    )
    assert kinds(outcomes) == ["RuleViolation", "won"]
    status = Registration.objects.get(pk=registration.pk).status
    assert status in {RegistrationStatus.ACCEPTED, RegistrationStatus.RETURNED}
    assert status == next(o for o in outcomes if not isinstance(o, Exception)).status


def test_registration_closed_twice_at_once_is_closed_once(city, city_campaign):
    needs_row_locks()
    outcomes = at_once(
        *[lambda: campaign_services.close_registration(city_campaign, actor=city.city_officer)] * 2
    )
    assert kinds(outcomes) == ["RuleViolation", "won"]
    campaign = Campaign.objects.get(pk=city_campaign.pk)
    assert campaign.status == CampaignStatus.REGISTRATION_CLOSED
    assert _reasons(Campaign, campaign.pk, "campaigns.campaign.registration_closed") == 1


def test_the_last_two_signatures_at_once_make_the_pledge_signed(world):
    """Without the lock each signer misses the other's signature and the pledge stays open."""
    needs_row_locks()
    pledge = drafted(world)
    signing.open_pledge(pledge, actor=world.ward_officer)
    other = sibling_leader(world)
    outcomes = at_once(
        lambda: signing.sign_pledge(pledge, actor=world.ward_leader, unit=world.ward),
        lambda: signing.sign_pledge(pledge, actor=other, unit=world.sibling_ward),
    )
    assert kinds(outcomes) == ["won", "won"]
    assert Pledge.objects.get(pk=pledge.pk).status == PledgeStatus.SIGNED


def test_a_signature_and_the_uploaded_scan_at_once_one_is_refused(world):
    needs_row_locks()
    pledge = drafted(world)
    signing.open_pledge(pledge, actor=world.ward_officer)
    signing.sign_pledge(pledge, actor=world.ward_leader, unit=world.ward)
    scan = SimpleUploadedFile("giao-uoc.pdf", b"%PDF-1.4\n%%EOF\n")
    outcomes = at_once(
        lambda: signing.sign_pledge(pledge, actor=sibling_leader(world), unit=world.sibling_ward),
        lambda: signing.upload_signed_pledge(pledge, actor=world.ward_officer, file=scan),
    )
    assert kinds(outcomes) == ["RuleViolation", "won"]
    refused = next(o for o in outcomes if isinstance(o, RuleViolation))
    assert refused.message == "Giao ước không ở bước lấy chữ ký."
    assert Pledge.objects.get(pk=pledge.pk).status == PledgeStatus.SIGNED


def test_a_pledge_put_in_force_twice_at_once_moves_once(world):
    needs_row_locks()
    pledge = drafted(world)
    signing.open_pledge(pledge, actor=world.ward_officer)
    signing.sign_pledge(pledge, actor=world.ward_leader, unit=world.ward)
    signing.sign_pledge(pledge, actor=sibling_leader(world), unit=world.sibling_ward)
    outcomes = at_once(*[lambda: signing.put_pledge_in_force(pledge, actor=world.ward_officer)] * 2)
    assert kinds(outcomes) == ["RuleViolation", "won"]
    assert _reasons(Pledge, pledge.pk, "pledges.pledge.in_force") == 1


def test_a_unit_review_submitted_twice_at_once_is_submitted_once(city, city_campaign):
    needs_row_locks()
    registered(city, city_campaign)
    review = reviews.open_unit_review(
        city_campaign, actor=city.ward_officer, unit=city.ward, kind=ReviewKind.MIDTERM
    )
    outcomes = at_once(*[lambda: reviews.submit_unit_review(review, actor=city.ward_officer)] * 2)
    assert kinds(outcomes) == ["RuleViolation", "won"]
    assert UnitReview.objects.get(pk=review.pk).status == UnitReviewStatus.SUBMITTED
    assert _reasons(UnitReview, review.pk, "pledges.unit_review.submitted") == 1


def test_a_proposal_turned_into_two_nominations_at_once_keeps_the_first(city, city_campaign):
    """Without the lock both callers see it proposed: the second nomination overwrites."""
    needs_row_locks()
    registered(city, city_campaign)
    review = reviews.open_unit_review(
        city_campaign, actor=city.ward_officer, unit=city.ward, kind=ReviewKind.FINAL
    )
    reviews.update_unit_review(
        review,
        actor=city.ward_officer,
        self_assessment="Hoàn thành các nhiệm vụ.",
        strengths="",
        shortcomings="",
        proposals=[
            reviews.ProposalInput(
                award=ProposedAward.GIAY_KHEN, achievement="Hoàn thành xuất sắc", person=city.person
            )
        ],
    )
    reviews.submit_unit_review(review, actor=city.ward_officer)
    proposal = AwardProposal.objects.get()
    outcomes = at_once(
        lambda: reviews.mark_proposal_nominated(
            proposal, actor=city.ward_officer, nomination_id=41
        ),
        lambda: reviews.mark_proposal_nominated(
            proposal, actor=city.ward_officer, nomination_id=42
        ),
    )
    assert kinds(outcomes) == ["RuleViolation", "won"]
    winner = next(o for o in outcomes if not isinstance(o, Exception))
    assert AwardProposal.objects.get(pk=proposal.pk).nomination_id == winner.nomination_id
    assert _reasons(AwardProposal, proposal.pk, "pledges.proposal.nominated") == 1


def test_two_workers_mailing_the_launch_at_once_mail_each_person_once(
    city, draft_campaign, mailoutbox, monkeypatch
):
    """Without the notice's lock (skip_locked) both workers mail every pending notice."""
    needs_row_locks()
    from campaigns import tasks

    for user in (city.ward_officer, city.ward_leader, city.outsider):
        user.email = f"{user.username}@longkhanh.gov.vn"
        user.save()
    # The launch queues its mailing on commit; here two workers take it up instead, together.
    monkeypatch.setattr(tasks.notify_campaign_launched, "apply_async", lambda **kw: None)
    campaign_services.launch_campaign(draft_campaign, actor=city.city_leader)
    outcomes = at_once(*[lambda: tasks.notify_campaign_launched(draft_campaign.pk)] * 2)
    assert kinds(outcomes) == ["won", "won"]
    assert sum(outcomes) == 3
    assert sorted(m.to[0] for m in mailoutbox) == [
        "cb_xuanan@longkhanh.gov.vn",
        "cb_xuantrung@longkhanh.gov.vn",
        "ct_xuantrung@longkhanh.gov.vn",
    ]
