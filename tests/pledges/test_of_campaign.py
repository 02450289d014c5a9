"""`of_campaign(user, campaign)`, which the registration and review lists read, holds the same
rows as `visible_to(user).filter(campaign=campaign)` for every kind of user and issuer: it only
decides the issuer's half of the filter on the campaign already read."""

import pytest

from campaigns.models import ReviewKind
from pledges.models import Registration, UnitReview
from portal.models import Role, UnitKind
from tests.campaign_fixtures import make_campaign
from tests.factories import make_member, make_unit

pytestmark = pytest.mark.django_db

USERS = [
    "admin",
    "leader",
    "officer",
    "viewer",
    "city_officer",
    "city_leader",
    "ward_officer",
    "ward_leader",
    "outsider",
    "elsewhere",
]


def _fill(campaign, units):
    for unit in units:
        registration = Registration.objects.create(campaign=campaign, unit=unit)
        for kind in ReviewKind.values:
            UnitReview.objects.create(
                campaign=campaign, unit=unit, registration=registration, kind=kind
            )


def test_of_campaign_holds_the_visible_rows_of_the_campaign(city):
    w = city
    # An officer of a ward outside every listed unit: sees none of the campaigns' rows.
    w.elsewhere = make_member(
        make_unit(w.district, UnitKind.WARD, "Phường Khác"), Role.OFFICER, "cb_khac"
    )
    campaigns = [
        make_campaign(w.province, w.officer, document=False, title="Của tỉnh"),
        make_campaign(w.district, w.city_officer, document=False, title="Của thành phố"),
        make_campaign(w.ward, w.ward_officer, document=False, title="Của phường"),
    ]
    units = [w.district, w.ward, w.sibling_ward, w.ward_office, w.home_affairs]
    for campaign in campaigns:
        _fill(campaign, units)
    seen_some = seen_none = 0
    for campaign in campaigns:
        for name in USERS:
            user = getattr(w, name)
            for model in (Registration, UnitReview):
                expected = set(
                    model.objects.visible_to(user).filter(campaign=campaign).values_list("pk")
                )
                got = set(model.objects.of_campaign(user, campaign).values_list("pk"))
                assert got == expected, (campaign.title, name, model.__name__)
                seen_some += 0 < len(got) < len(units) * (1 if model is Registration else 2)
                seen_none += not got
    # The cases the shortcut decides differently are all there: a user who sees part of the
    # campaign's units only, and one who sees none of them.
    assert seen_some and seen_none
