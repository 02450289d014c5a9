import datetime

import pytest
from django.core.exceptions import PermissionDenied

from campaigns import services, workflow
from campaigns.models import Campaign, CampaignTarget, ReviewKind, TargetMode
from campaigns.workflow import CampaignStatus
from portal.access import Cap
from portal.errors import RuleViolation
from portal.models import UnitKind
from tests.campaign_fixtures import ITEMS, days, make_campaign
from tests.refusals import refused

S = CampaignStatus


def _walk_to(campaign, status, world):
    """Drive `campaign` through the table's main path until it reaches `status`."""
    steps = {
        S.LAUNCHED: lambda c: services.launch_campaign(c, actor=world.city_leader),
        S.REGISTRATION_CLOSED: lambda c: services.close_registration(c, actor=world.city_officer),
        S.IN_PROGRESS: lambda c: services.start_campaign(c, actor=world.city_officer),
        S.MIDTERM_REVIEWED: lambda c: services.record_midterm_review(
            c, actor=world.city_officer, held_on=days(0), summary="Sơ kết 6 tháng."
        ),
        S.FINAL_REVIEWED: lambda c: services.record_final_review(
            c, actor=world.city_officer, held_on=days(0), summary="Tổng kết phong trào."
        ),
        S.CLOSED: lambda c: services.close_campaign(c, actor=world.city_leader),
    }
    order = [
        S.DRAFT,
        S.LAUNCHED,
        S.REGISTRATION_CLOSED,
        S.IN_PROGRESS,
        S.MIDTERM_REVIEWED,
        S.FINAL_REVIEWED,
        S.CLOSED,
    ]
    for step in order[order.index(campaign.status) + 1 : order.index(status) + 1]:
        steps[step](campaign)
        campaign = Campaign.objects.get(pk=campaign.pk)
    assert campaign.status == status
    return campaign


def _perform(campaign, target, world):
    if target == S.LAUNCHED:
        return services.launch_campaign(campaign, actor=world.city_leader)
    if target == S.CANCELLED:
        return services.cancel_campaign(campaign, actor=world.city_leader, reason="Trùng kế hoạch")
    if target == S.REGISTRATION_CLOSED:
        return services.close_registration(campaign, actor=world.city_officer)
    if target == S.IN_PROGRESS:
        return services.start_campaign(campaign, actor=world.city_officer)
    if target == S.MIDTERM_REVIEWED:
        return services.record_midterm_review(
            campaign, actor=world.city_officer, held_on=days(0), summary="Sơ kết."
        )
    if target == S.FINAL_REVIEWED:
        return services.record_final_review(
            campaign, actor=world.city_officer, held_on=days(0), summary="Tổng kết."
        )
    return services.close_campaign(campaign, actor=world.city_leader)


def test_draft_campaign_keeps_its_numbered_items_and_legal_bases(draft_campaign):
    assert draft_campaign.status == S.DRAFT
    assert [item.number for item in draft_campaign.items.all()] == [1, 2, 3]
    assert draft_campaign.items.first().as_written() == ITEMS[0]
    basis = draft_campaign.bases.get()
    assert basis.citation() == (
        "Luật số 06/2022/QH15 ngày 15/06/2022 của Quốc hội Luật Thi đua, khen thưởng"
    )


# The procedure (docs/campaigns.md, "Workflows"), written out by hand: adding a move to the
# table must change this list and the procedure together, never follow the table silently.
PINNED = {
    (S.DRAFT, S.LAUNCHED),
    (S.DRAFT, S.CANCELLED),
    (S.LAUNCHED, S.REGISTRATION_CLOSED),
    (S.REGISTRATION_CLOSED, S.IN_PROGRESS),
    (S.IN_PROGRESS, S.MIDTERM_REVIEWED),
    (S.IN_PROGRESS, S.FINAL_REVIEWED),
    (S.MIDTERM_REVIEWED, S.FINAL_REVIEWED),
    (S.FINAL_REVIEWED, S.CLOSED),
}


def test_the_campaign_table_is_exactly_the_procedure():
    assert workflow.TABLE.pairs() == PINNED


# Who may make each move (the leader signs: launch, cancel, close; the officer runs the steps)
# and which moves need a written reason: the buttons each person is offered follow from these.
PINNED_CAPABILITY = {
    (S.DRAFT, S.LAUNCHED): (Cap.LAUNCH_CAMPAIGN, False),
    (S.DRAFT, S.CANCELLED): (Cap.LAUNCH_CAMPAIGN, True),
    (S.LAUNCHED, S.REGISTRATION_CLOSED): (Cap.MANAGE_CAMPAIGN, False),
    (S.REGISTRATION_CLOSED, S.IN_PROGRESS): (Cap.MANAGE_CAMPAIGN, False),
    (S.IN_PROGRESS, S.MIDTERM_REVIEWED): (Cap.MANAGE_CAMPAIGN, False),
    (S.IN_PROGRESS, S.FINAL_REVIEWED): (Cap.MANAGE_CAMPAIGN, False),
    (S.MIDTERM_REVIEWED, S.FINAL_REVIEWED): (Cap.MANAGE_CAMPAIGN, False),
    (S.FINAL_REVIEWED, S.CLOSED): (Cap.LAUNCH_CAMPAIGN, False),
}


def test_each_move_needs_the_procedures_capability_and_reason():
    assert {
        (source, t.target): (t.cap, t.needs_reason) for t in workflow.TABLE for source in t.sources
    } == PINNED_CAPABILITY


@pytest.mark.parametrize("source", list(S))
def test_the_buttons_offered_from_each_status_are_the_procedures_moves(source):
    offered = [t.target for t in workflow.TABLE.from_status(source)]
    assert sorted(offered) == sorted(t for s, t in PINNED if s == source)


@pytest.mark.parametrize(("source", "target"), sorted(PINNED))
def test_every_transition_of_the_table_is_performed_by_its_service(
    city, draft_campaign, source, target
):
    campaign = _walk_to(draft_campaign, source, city)
    _perform(campaign, target, city)
    campaign.refresh_from_db()
    assert campaign.status == target
    assert campaign.history.first().history_change_reason.startswith(f"campaigns.campaign.{target}")


# Every service's move (no service moves a campaign back to draft) from every status,
# except the pinned ones.
ILLEGAL = [
    (source, target)
    for source in S.values
    for target in S.values
    if target != S.DRAFT and (source, target) not in PINNED
]


@pytest.mark.parametrize(("source", "target"), ILLEGAL)
def test_every_move_outside_the_table_is_refused_in_vietnamese(
    city, draft_campaign, source, target
):
    if source == S.CANCELLED:
        services.cancel_campaign(draft_campaign, actor=city.city_leader, reason="Không thực hiện")
        campaign = Campaign.objects.get(pk=draft_campaign.pk)
    else:
        campaign = _walk_to(draft_campaign, source, city)
    with pytest.raises(RuleViolation) as refusal:
        _perform(campaign, target, city)
    assert refusal.value.message == (
        f"Không thể chuyển phong trào từ “{S(source).label}” sang “{S(target).label}”."
    )
    assert refusal.value.code == "campaign.refused"
    campaign.refresh_from_db()
    assert campaign.status == source


# Where the procedure lets units register (late ones are accepted and flagged) and where the
# campaign runs (progress, unit reviews, a follow-up campaign below it): written out by hand,
# checked through the services that read `OPEN_FOR_REGISTRATION` and `RUNNING`.
PINNED_OPEN_FOR_REGISTRATION = {
    S.LAUNCHED,
    S.REGISTRATION_CLOSED,
    S.IN_PROGRESS,
    S.MIDTERM_REVIEWED,
}
PINNED_RUNNING = {S.LAUNCHED, S.REGISTRATION_CLOSED, S.IN_PROGRESS, S.MIDTERM_REVIEWED}
# Public, and acted on by its target units: from its launch, closed campaigns included.
PINNED_PUBLISHED = {
    S.LAUNCHED,
    S.REGISTRATION_CLOSED,
    S.IN_PROGRESS,
    S.MIDTERM_REVIEWED,
    S.FINAL_REVIEWED,
    S.CLOSED,
}


def _at(campaign, status, world):
    if status == S.CANCELLED:
        services.cancel_campaign(campaign, actor=world.city_leader, reason="Không thực hiện")
        return Campaign.objects.get(pk=campaign.pk)
    return _walk_to(campaign, status, world)


@pytest.mark.parametrize("status", list(S))
def test_units_register_exactly_in_the_procedures_statuses(city, draft_campaign, status):
    from pledges import services as pledges_services
    from pledges.models import Registration

    campaign = _at(draft_campaign, status, city)
    if status in PINNED_OPEN_FOR_REGISTRATION:
        registration = pledges_services.start_registration(
            campaign, actor=city.ward_officer, unit=city.ward
        )
        assert (registration.campaign_id, registration.unit_id) == (campaign.pk, city.ward.pk)
        return
    with pytest.raises(RuleViolation) as refusal:
        pledges_services.start_registration(campaign, actor=city.ward_officer, unit=city.ward)
    assert refusal.value.message == "Phong trào không còn nhận đăng ký."
    assert not Registration.objects.filter(campaign=campaign).exists()


@pytest.mark.parametrize("status", list(S))
def test_a_follow_up_is_launched_exactly_while_the_campaign_runs(city, draft_campaign, status):
    campaign = _at(draft_campaign, status, city)
    if status in PINNED_RUNNING:
        follow_up = services.create_follow_up_campaign(
            campaign, actor=city.ward_officer, issuer=city.ward
        )
        assert (follow_up.parent_id, follow_up.status) == (campaign.pk, S.DRAFT)
        return
    with refused("follow_up_parent_not_running") as refusal:
        services.create_follow_up_campaign(campaign, actor=city.ward_officer, issuer=city.ward)
    assert refusal.value.message == "Chỉ phát động tiếp được phong trào đang diễn ra."
    assert not Campaign.objects.filter(parent=campaign).exists()


def test_the_registration_running_and_published_groups_are_exactly_the_procedure():
    assert set(workflow.OPEN_FOR_REGISTRATION) == PINNED_OPEN_FOR_REGISTRATION
    assert set(workflow.RUNNING) == PINNED_RUNNING
    assert set(workflow.PUBLISHED) == PINNED_PUBLISHED


def test_launch_stores_the_resolved_target_units_and_quarterly_periods(city, city_campaign):
    targets = set(
        CampaignTarget.objects.filter(campaign=city_campaign).values_list("unit", flat=True)
    )
    assert targets == {
        city.ward.pk,
        city.sibling_ward.pk,
        city.ward_office.pk,
        city.ward_secretariat.pk,
    }
    assert city_campaign.launched_by == city.city_leader
    assert city_campaign.periods.count() >= 3
    assert city_campaign.periods.first().name.startswith("Quý ")


def test_targets_can_be_chosen_by_kind(city):
    campaign = make_campaign(
        city.district, city.city_officer, target_mode=TargetMode.KINDS, target_kinds=[UnitKind.WARD]
    )
    assert {u.pk for u in services.resolve_targets(campaign)} == {
        city.ward.pk,
        city.sibling_ward.pk,
    }


def test_targets_can_be_chosen_by_bloc_and_by_list(city):
    by_bloc = make_campaign(
        city.province, city.officer, target_mode=TargetMode.BLOCS, target_blocs=[city.bloc]
    )
    assert {u.pk for u in services.resolve_targets(by_bloc)} == {city.ward.pk, city.sibling_ward.pk}
    by_list = make_campaign(
        city.province, city.officer, target_mode=TargetMode.LIST, target_list=[city.home_affairs]
    )
    assert [u.pk for u in services.resolve_targets(by_list)] == [city.home_affairs.pk]


def test_a_listed_unit_outside_the_issuer_is_refused(city):
    with refused("unit_out_of_scope"):
        make_campaign(
            city.district,
            city.city_officer,
            target_mode=TargetMode.LIST,
            target_list=[city.home_affairs],
        )


def test_a_campaign_without_content_items_cannot_be_launched(city):
    campaign = make_campaign(city.district, city.city_officer, items=[])
    with refused("criteria_required"):
        services.launch_campaign(campaign, actor=city.city_leader)


def test_deadlines_outside_the_campaign_are_refused(city):
    with refused("registration_due_outside"):
        make_campaign(city.district, city.city_officer, registration_due=days(400))


def test_an_officer_may_draft_but_only_the_leader_launches(city, draft_campaign):
    with pytest.raises(PermissionDenied):
        services.launch_campaign(draft_campaign, actor=city.city_officer)


def test_a_ward_official_cannot_draft_a_campaign_for_the_city(city):
    with pytest.raises(PermissionDenied):
        make_campaign(city.district, city.ward_officer)


def test_cancel_needs_a_reason(city, draft_campaign):
    with refused("reason_required"):
        services.cancel_campaign(draft_campaign, actor=city.city_leader, reason="  ")


def test_a_launched_campaign_is_no_longer_editable(city, city_campaign):
    with refused("campaign_not_draft"):
        services.update_campaign(city_campaign, actor=city.city_officer, title="Tên mới")


def test_update_replaces_items_and_normalises_text(city, draft_campaign):
    decomposed = "Thi đua chuyển đổi số".replace("ổ", "o\u0302\u0309")
    services.update_campaign(
        draft_campaign, actor=city.city_officer, title="  Tên  mới  ", items=[decomposed, ""]
    )
    draft_campaign.refresh_from_db()
    assert draft_campaign.title == "Tên mới"
    assert [item.text for item in draft_campaign.items.all()] == ["Thi đua chuyển đổi số"]


def test_final_review_is_recorded_once_and_closing_needs_it(city, city_campaign):
    campaign = _walk_to(city_campaign, S.FINAL_REVIEWED, city)
    assert campaign.reviews.filter(kind=ReviewKind.FINAL).exists()
    services.close_campaign(campaign, actor=city.city_leader)


def test_an_in_progress_campaign_cannot_be_closed_without_its_final_review(city, city_campaign):
    campaign = _walk_to(city_campaign, S.IN_PROGRESS, city)
    with refused("campaign.refused"):
        services.close_campaign(campaign, actor=city.city_leader)


def test_follow_up_campaign_is_prefilled_from_its_parent(city):
    province = make_campaign(city.province, city.officer, final_review_due=days(120))
    province = services.launch_campaign(province, actor=city.leader)
    follow_up = services.create_follow_up_campaign(
        province, actor=city.city_officer, issuer=city.district
    )
    assert follow_up.parent == province
    assert follow_up.status == S.DRAFT
    assert follow_up.theme == province.theme
    assert follow_up.title == f"{province.title} trên địa bàn Thành phố Long Khánh"
    assert [i.text for i in follow_up.items.all()] == [i.text for i in province.items.all()]
    assert follow_up.final_review_due == province.final_review_due
    assert follow_up.bases.count() == 1
    with refused("follow_up_exists"):
        services.create_follow_up_campaign(province, actor=city.city_officer, issuer=city.district)


def test_follow_up_deadlines_cannot_be_later_than_the_parents(city):
    province = services.launch_campaign(
        make_campaign(city.province, city.officer), actor=city.leader
    )
    follow_up = services.create_follow_up_campaign(
        province, actor=city.city_officer, issuer=city.district
    )
    with refused("follow_up_later_than_parent"):
        services.update_campaign(
            follow_up,
            actor=city.city_officer,
            final_review_due=province.final_review_due + datetime.timedelta(days=1),
        )


def test_only_a_target_unit_launches_a_follow_up(city, city_campaign):
    with pytest.raises(PermissionDenied):
        services.create_follow_up_campaign(city_campaign, actor=city.outsider, issuer=city.ward)
    follow_up = services.create_follow_up_campaign(
        city_campaign, actor=city.ward_officer, issuer=city.ward
    )
    assert follow_up.issuer == city.ward


def test_campaigns_are_visible_to_the_issuer_side_and_launched_ones_to_their_targets(
    city, draft_campaign
):
    assert draft_campaign in Campaign.objects.visible_to(city.leader)
    assert draft_campaign not in Campaign.objects.visible_to(city.ward_officer)
    services.launch_campaign(draft_campaign, actor=city.city_leader)
    assert draft_campaign in Campaign.objects.visible_to(city.ward_officer)
    ward_campaign = make_campaign(city.ward, city.ward_officer)
    services.launch_campaign(ward_campaign, actor=city.ward_leader)
    assert ward_campaign not in Campaign.objects.visible_to(city.outsider)


def test_search_ignores_accents_and_case(city, draft_campaign):
    assert list(Campaign.objects.search("LONG KHANH chung suc")) == [draft_campaign]
    assert not Campaign.objects.search("phong trào khác hẳn").exists()


def test_launch_notifies_the_target_units_once(
    city, draft_campaign, mailoutbox, django_capture_on_commit_callbacks
):
    from campaigns import tasks

    for user in (city.ward_officer, city.ward_leader, city.outsider, city.viewer):
        user.email = f"{user.username}@longkhanh.gov.vn"
        user.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.launch_campaign(draft_campaign, actor=city.city_leader)
    assert sorted(m.to[0] for m in mailoutbox) == [
        "cb_xuanan@longkhanh.gov.vn",
        "cb_xuantrung@longkhanh.gov.vn",
        "ct_xuantrung@longkhanh.gov.vn",
    ]
    assert "Phát động Phong trào thi đua" in mailoutbox[0].subject
    assert tasks.notify_campaign_launched(draft_campaign.pk) == 0
    assert len(mailoutbox) == 3


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"title": "   "}, "campaign_name_required"),
        ({"kind": "khong-co"}, "campaign_kind_invalid"),
        ({"launch_form": "khong-co"}, "launch_form_invalid"),
        ({"ends_on": days(-40)}, "ends_before_start"),
        ({"midterm_review_due": days(7)}, "midterm_due_out_of_order"),
        (
            {"midterm_review_due": None, "final_review_due": days(7)},
            "final_due_before_registration",
        ),
        ({"target_mode": "khong-co"}, "target_mode_invalid"),
        ({"target_mode": TargetMode.KINDS, "target_kinds": ["khong-co"]}, "target_kind_invalid"),
        ({"colour": "đỏ"}, "field_not_settable"),
    ],
)
def test_a_draft_breaking_a_rule_of_its_fields_is_refused(city, fields, code):
    with refused(code):
        make_campaign(city.district, city.city_officer, document=False, **fields)
    assert not Campaign.objects.exists()


def test_an_update_breaking_a_rule_of_its_fields_is_refused(city, draft_campaign):
    with refused("field_not_editable"):
        services.update_campaign(draft_campaign, actor=city.city_officer, status="launched")
    with refused("ends_before_start"):
        services.update_campaign(draft_campaign, actor=city.city_officer, ends_on=days(-40))
    draft_campaign.refresh_from_db()
    assert (draft_campaign.status, draft_campaign.ends_on) == (S.DRAFT, days(180))


def test_a_bloc_outside_the_issuers_reach_is_refused(city):
    from portal.models import Bloc

    foreign = Bloc.objects.create(
        organiser=city.home_affairs, kind="cluster", name="Cụm thi đua của Sở"
    )
    with refused("bloc_out_of_scope"):
        make_campaign(
            city.district,
            city.city_officer,
            target_mode=TargetMode.BLOCS,
            target_blocs=[foreign],
        )


def test_a_campaign_whose_choice_matches_no_unit_is_not_launched(city):
    campaign = make_campaign(
        city.district,
        city.city_officer,
        target_mode=TargetMode.KINDS,
        target_kinds=[UnitKind.TOWNSHIP],
    )
    with refused("no_targets"):
        services.launch_campaign(campaign, actor=city.city_leader)
    campaign.refresh_from_db()
    assert campaign.status == S.DRAFT


def test_a_review_needs_its_text_a_day_within_the_campaign_and_happens_once(city, city_campaign):
    campaign = _walk_to(city_campaign, S.IN_PROGRESS, city)
    with refused("review_summary_required"):
        services.record_midterm_review(
            campaign, actor=city.city_officer, held_on=days(0), summary="  "
        )
    with refused("review_before_start"):
        services.record_midterm_review(
            campaign, actor=city.city_officer, held_on=days(-31), summary="Sơ kết."
        )
    # A sơ kết already on file (entered with the campaign's history) is not recorded twice.
    campaign.reviews.create(
        kind=ReviewKind.MIDTERM, held_on=days(0), summary="Sơ kết.", recorded_by=city.city_officer
    )
    with refused("review_duplicate"):
        services.record_midterm_review(
            campaign, actor=city.city_officer, held_on=days(0), summary="Sơ kết lần hai."
        )
    campaign.refresh_from_db()
    assert campaign.status == S.IN_PROGRESS


def test_a_review_needs_its_day_from_the_service_and_from_the_page(city, city_campaign):
    from campaigns.views import MOVE_SERVICES

    campaign = _walk_to(city_campaign, S.IN_PROGRESS, city)
    with refused("review_date_missing"):
        services.record_final_review(
            campaign, actor=city.city_officer, held_on=None, summary="Tổng kết."
        )
    with refused("review_date_missing"):
        MOVE_SERVICES["midterm_review"](
            campaign, city.city_officer, {"held_on": None, "summary": "Sơ kết."}
        )
    assert not campaign.reviews.exists()
    campaign.refresh_from_db()
    assert campaign.status == S.IN_PROGRESS


def test_a_campaign_marked_reviewed_without_its_final_review_is_not_closed(city, city_campaign):
    campaign = _walk_to(city_campaign, S.IN_PROGRESS, city)
    Campaign.objects.filter(pk=campaign.pk).update(status=S.FINAL_REVIEWED)
    with refused("final_review_missing"):
        services.close_campaign(campaign, actor=city.city_leader)
    assert Campaign.objects.get(pk=campaign.pk).status == S.FINAL_REVIEWED


def test_only_a_unit_the_campaign_reaches_follows_it_up(city, city_campaign):
    with refused("unit_not_targeted"):
        services.create_follow_up_campaign(city_campaign, actor=city.leader, issuer=city.province)
    assert not Campaign.objects.filter(parent=city_campaign).exists()
