"""A submitted unit review's award proposals become draft nominations, nothing retyped."""

import pytest

from awards.models import BasisKind, Nomination
from awards.procedure.proposals import nominate_review_proposals
from awards.workflow import Status
from campaigns.models import ReviewKind
from pledges import reviews
from pledges.models import AwardProposal, ProposalStatus, ProposedAward
from tests.campaign_fixtures import (
    _documents_off_disk,
    city,
    city_campaign,
    draft_campaign,
    registered,
)

# The campaign world's fixtures, used here by name (pytest finds them in this module).
__all__ = ["_documents_off_disk", "city", "city_campaign", "draft_campaign"]


def _submitted_review(city, campaign):
    registered(city, campaign)
    review = reviews.open_unit_review(
        campaign, actor=city.ward_officer, unit=city.ward, kind=ReviewKind.FINAL
    )
    reviews.update_unit_review(
        review,
        actor=city.ward_officer,
        self_assessment=review.self_assessment or "Hoàn thành các nhiệm vụ.",
        strengths="Đoàn kết",
        shortcomings="Kinh phí hạn chế",
        exemplars=[],
        proposals=[
            reviews.ProposalInput(
                award=ProposedAward.GIAY_KHEN,
                achievement="Vận động 120 hộ mở tài khoản thanh toán",
                person=city.person,
            ),
            reviews.ProposalInput(
                award=ProposedAward.TTLDXS, achievement="Dẫn đầu cụm thi đua", unit=city.ward
            ),
        ],
    )
    reviews.submit_unit_review(review, actor=city.ward_officer)
    return review


def test_each_pending_proposal_becomes_a_draft_nomination_linked_both_ways(city, city_campaign):
    review = _submitted_review(city, city_campaign)

    created = nominate_review_proposals(review, actor=city.ward_officer)

    assert [n.status for n in created] == [Status.DRAFT, Status.DRAFT]
    giay_khen, ttldxs = created
    assert giay_khen.person == city.person and giay_khen.item.code == "giay-khen"
    assert ttldxs.unit == city.ward and ttldxs.item.code == "tap-the-lao-dong-xuat-sac"
    for nomination in created:
        assert nomination.campaign == city_campaign
        assert nomination.basis_kind == BasisKind.CAMPAIGN
        assert nomination.proposing_unit == city.ward
    assert giay_khen.report_achievements == "Vận động 120 hộ mở tài khoản thanh toán"
    proposals = AwardProposal.objects.filter(review=review).order_by("pk")
    assert [(p.status, p.nomination_id) for p in proposals] == [
        (ProposalStatus.NOMINATED, giay_khen.pk),
        (ProposalStatus.NOMINATED, ttldxs.pk),
    ]


def test_a_second_run_creates_nothing_more(city, city_campaign):
    review = _submitted_review(city, city_campaign)
    nominate_review_proposals(review, actor=city.ward_officer)
    assert nominate_review_proposals(review, actor=city.ward_officer) == []
    assert Nomination.objects.count() == 2


def test_an_outsider_cannot_turn_the_proposals_into_nominations(city, city_campaign):
    from django.core.exceptions import PermissionDenied

    review = _submitted_review(city, city_campaign)
    with pytest.raises(PermissionDenied):
        nominate_review_proposals(review, actor=city.outsider)
    assert not Nomination.objects.exists()
    assert AwardProposal.objects.pending().filter(review=review).count() == 2


def test_the_review_page_turns_proposals_into_nominations(client, city, city_campaign):
    review = _submitted_review(city, city_campaign)
    client.force_login(city.ward_officer)
    response = client.post(f"/khen-thuong/so-ket/{review.pk}/de-nghi/")
    assert response.status_code == 302
    assert Nomination.objects.filter(campaign=city_campaign).count() == 2
    client.force_login(city.outsider)
    assert client.post(f"/khen-thuong/so-ket/{review.pk}/de-nghi/").status_code == 404
