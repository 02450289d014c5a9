"""`Campaign.objects.seen_by(user, campaign)`, which the campaign pages' lookup reads, answers
as `visible_to(user)` does for every kind of user and campaign: it only decides one row (#16)."""

import pytest

from campaigns import services
from campaigns.models import Campaign, TargetMode
from portal import access
from portal.models import Role, User
from tests.campaign_fixtures import make_campaign
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_seen_by_answers_visible_to_for_one_campaign(
    city, django_user_model, django_assert_num_queries
):
    w = city
    city_wide = services.launch_campaign(
        make_campaign(w.district, w.city_officer, title="Toàn thành phố"),
        actor=w.city_leader,
    )
    # Launched for the sibling ward alone: Xuân Trung's officials are not among its targets.
    sibling_only = services.launch_campaign(
        make_campaign(
            w.district,
            w.city_officer,
            title="Riêng Xuân An",
            target_mode=TargetMode.LIST,
            target_list=[w.sibling_ward],
        ),
        actor=w.city_leader,
    )
    city_draft = make_campaign(w.district, w.city_officer, document=False, title="Nháp")
    province_wide = services.launch_campaign(
        make_campaign(w.province, w.officer, title="Toàn tỉnh"), actor=w.leader
    )
    ward_own = make_campaign(w.ward, w.ward_officer, document=False, title="Của phường")
    roleless = django_user_model.objects.create_user("khongvaitro", password="x")
    stranger = make_member(w.home_affairs, Role.OFFICER, "cb_snv", "Trương Thị Lạ")
    retired = make_member(w.ward, Role.OFFICER, "cb_nghi", "Phan Văn Nghỉ")
    retired.is_active = False
    retired.save()
    users = [
        w.admin,
        w.leader,
        w.officer,
        w.viewer,
        w.city_leader,
        w.city_officer,
        w.ward_leader,
        w.ward_officer,
        w.outsider,
        stranger,
        roleless,
        retired,
    ]
    campaigns = list(Campaign.objects.select_related("issuer"))
    assert len(campaigns) == 5
    for user in users:
        visible = set(Campaign.objects.visible_to(user))
        for campaign in campaigns:
            assert Campaign.objects.seen_by(user, campaign) == (campaign in visible), (
                user.username,
                campaign.title,
            )
    # The cases each branch decides, checked against `visible_to` above, named here.
    assert Campaign.objects.seen_by(w.ward_officer, city_wide)
    assert not Campaign.objects.seen_by(w.ward_officer, sibling_only)
    assert Campaign.objects.seen_by(w.outsider, sibling_only)
    assert not Campaign.objects.seen_by(w.outsider, city_draft)
    assert not Campaign.objects.seen_by(w.outsider, ward_own)
    assert Campaign.objects.seen_by(stranger, province_wide)
    ward_officer = User.objects.get(pk=w.ward_officer.pk)  # no roles read yet
    access.memberships_of(ward_officer)
    with django_assert_num_queries(0):
        assert Campaign.objects.seen_by(ward_officer, ward_own)
    with django_assert_num_queries(1):
        assert Campaign.objects.seen_by(ward_officer, city_wide)
