"""The registration gate and the campaign plan's quotas, judged on real dossiers."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from awards.models import CampaignQuota, EmulationTitle, Nomination
from awards.procedure import appraisal, approval, decisions, drafting, screening
from awards.rules import quotas
from awards.rules.registered import CATALOGUE_CODES
from campaigns import services as campaign_services
from campaigns.models import Campaign
from campaigns.workflow import CampaignStatus
from pledges import services as pledge_services
from pledges.models import Title
from tests.awards.nomination_helpers import TODAY, draft, refresh, submitted
from tests.campaign_fixtures import _documents_off_disk, city, make_campaign, task_row
from tests.factories import make_person
from tests.refusals import refused

# The campaign world's fixtures, used here by name (pytest finds them in this module).
__all__ = ["_documents_off_disk", "city"]


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


@pytest.fixture
def titles_campaign(city):
    """The city's campaign for 2026 that asks its units to register titles."""
    campaign = make_campaign(city.district, city.city_officer, asks_for_titles=True)
    return campaign_services.launch_campaign(campaign, actor=city.city_leader)


def register(world, campaign, titles):
    registration = pledge_services.start_registration(
        campaign, actor=world.ward_officer, unit=world.ward
    )
    pledge_services.set_registration_tasks(
        registration, actor=world.ward_officer, tasks=[task_row(1)]
    )
    pledge_services.set_registered_titles(registration, actor=world.ward_officer, titles=titles)
    pledge_services.submit_registration(registration, actor=world.ward_officer)
    return registration


def codes(findings) -> set[str]:
    return {f.code for f in findings}


def only(findings, code):
    found = [f for f in findings if f.code == code]
    assert len(found) == 1, findings
    return found[0]


# --- registration -----------------------------------------------------------------------------


def test_every_registration_title_maps_to_a_catalogue_title(db):
    assert set(CATALOGUE_CODES) == set(Title.values)
    assert EmulationTitle.objects.filter(code__in=CATALOGUE_CODES.values()).count() == len(Title)


def test_a_person_registered_for_the_title_passes_the_gate(city, titles_campaign):
    register(city, titles_campaign, [(Title.LDTT, city.person)])
    nomination = draft(city, campaign=titles_campaign)
    assert "registration" not in codes(screening.run_eligibility(nomination))
    assert screening.candidate_of(nomination).registered is True


def test_a_person_not_registered_for_the_title_is_blocked_with_the_article(city, titles_campaign):
    colleague = make_person(city.ward, "Lê Văn Tám", gender="male")
    register(city, titles_campaign, [(Title.LDTT, colleague), (Title.CSTDCS, city.person)])
    nomination = draft(city, campaign=titles_campaign)
    finding = only(screening.run_eligibility(nomination), "registration")
    assert finding.blocks
    assert finding.message.startswith("NĐ 91/2017/NĐ-CP")
    assert "chưa đăng ký thi đua danh hiệu “Lao động tiên tiến”" in finding.message


def test_without_a_campaign_the_registrations_of_the_achievement_year_decide(city, titles_campaign):
    register(city, titles_campaign, [(Title.CSTDCS, city.person)])
    # The campaign runs in 2026: a 2026 dossier is judged by it, a 2025 one is not known.
    assert "registration" in codes(screening.run_eligibility(draft(city, year=2026)))
    assert screening.candidate_of(draft(city, year=2025)).registered is None


def test_a_unit_that_did_not_register_on_the_portal_is_not_blocked(city, titles_campaign):
    """History from elsewhere (paper registrations): the portal cannot know, so no finding."""
    nomination = draft(city, campaign=titles_campaign)
    assert screening.candidate_of(nomination).registered is None
    assert "registration" not in codes(screening.run_eligibility(nomination))


def test_a_draft_registration_does_not_count_as_registered(city, titles_campaign):
    registration = pledge_services.start_registration(
        titles_campaign, actor=city.ward_officer, unit=city.ward
    )
    pledge_services.set_registered_titles(
        registration, actor=city.ward_officer, titles=[(Title.LDTT, city.person)]
    )
    assert screening.candidate_of(draft(city, campaign=titles_campaign)).registered is None


def test_a_collective_is_judged_by_its_own_registration(city, titles_campaign):
    register(city, titles_campaign, [(Title.TTLDTT, None)])
    item = EmulationTitle.objects.get(code="tap-the-lao-dong-tien-tien")
    excellent = EmulationTitle.objects.get(code="tap-the-lao-dong-xuat-sac")

    def collective(title):
        return drafting.create_nomination(
            city.ward,
            actor=city.ward_officer,
            item=title,
            year=2025,
            basis_kind="yearly",
            unit=city.ward,
            campaign=titles_campaign,
            report_achievements="Hoàn thành tốt nhiệm vụ.",
        )

    assert "registration" not in codes(screening.run_eligibility(collective(item)))
    finding = only(screening.run_eligibility(collective(excellent)), "registration")
    assert "Tập thể lao động xuất sắc" in finding.message


# --- quotas -----------------------------------------------------------------------------------


@pytest.fixture
def plan(city):
    campaign = make_campaign(city.district, city.city_officer)
    return campaign_services.launch_campaign(campaign, actor=city.city_leader)


def ldtt():
    return EmulationTitle.objects.get(code="lao-dong-tien-tien")


def awarded(world, campaign, person):
    """A dossier under `campaign` taken to a signed decision."""
    nomination = submitted(world, draft(world, person=person, campaign=campaign))
    appraisal.receive_nomination(nomination, actor=world.reviewer)
    nomination = appraisal.check_nomination(
        refresh(nomination), actor=world.reviewer, opinion="Đủ."
    )
    nomination = approval.approve_nomination(nomination, actor=world.ward_leader)
    decisions.draft_decision([nomination], actor=world.reviewer)
    decisions.issue_decision(refresh(nomination).decision, actor=world.ward_leader)
    return refresh(nomination)


def test_a_quota_with_room_left_passes(city, plan):
    quotas.set_campaign_quota(
        plan, actor=city.city_officer, item=ldtt(), limit=2, reason="Mục V Kế hoạch"
    )
    awarded(city, plan, make_person(city.ward, "Người Đã Khen"))
    nomination = draft(city, campaign=plan)
    quota = screening.candidate_of(nomination).quota
    assert (quota.limit, quota.used) == (2, 1)
    assert "cap" not in codes(screening.run_eligibility(nomination))


def test_a_full_quota_blocks_and_names_the_plan(city, plan):
    quotas.set_campaign_quota(
        plan,
        actor=city.city_officer,
        item=ldtt(),
        limit=1,
        basis="Mục V Kế hoạch 12/KH-UBND",
        reason="Theo kế hoạch",
    )
    awarded(city, plan, make_person(city.ward, "Người Đã Khen"))
    finding = only(screening.run_eligibility(draft(city, campaign=plan)), "cap")
    assert finding.blocks
    assert finding.message.startswith("Mục V Kế hoạch 12/KH-UBND:")
    assert "tối đa 1" in finding.message and "đã khen 1" in finding.message


def test_pending_dossiers_of_the_same_campaign_count_toward_the_quota(city, plan):
    quotas.set_campaign_quota(plan, actor=city.city_officer, item=ldtt(), limit=1, reason="KH")
    submitted(city, draft(city, person=make_person(city.ward, "Đang Trình"), campaign=plan))
    nomination = draft(city, campaign=plan)
    finding = only(screening.run_eligibility(nomination), "cap")
    assert "đang đề nghị 1" in finding.message
    # Without a basis typed in, the finding cites the campaign's launch document.
    plan.refresh_from_db()
    assert finding.message.startswith(f"{plan.document}:")
    assert str(plan.document).startswith("Kế hoạch số ")


def test_a_units_own_quota_overrides_the_quota_for_every_unit(city, plan):
    quotas.set_campaign_quota(plan, actor=city.city_officer, item=ldtt(), limit=0, reason="KH")
    quotas.set_campaign_quota(
        plan, actor=city.city_officer, item=ldtt(), limit=3, unit=city.ward, reason="KH"
    )
    assert screening.candidate_of(draft(city, campaign=plan)).quota.limit == 3


def test_a_dossier_outside_any_campaign_has_no_quota(city, plan):
    quotas.set_campaign_quota(plan, actor=city.city_officer, item=ldtt(), limit=0, reason="KH")
    assert screening.candidate_of(draft(city)).quota is None


def test_only_who_may_edit_the_plan_sets_quotas_and_history_is_kept(city, plan):
    for outsider in (city.ward_officer, city.outsider, city.reviewer):
        with pytest.raises(PermissionDenied):
            quotas.set_campaign_quota(plan, actor=outsider, item=ldtt(), limit=1, reason="x")
    quota = quotas.set_campaign_quota(
        plan, actor=city.city_officer, item=ldtt(), limit=1, reason="Kế hoạch"
    )
    quotas.set_campaign_quota(
        plan, actor=city.city_officer, item=ldtt(), limit=4, reason="Công văn bổ sung"
    )
    assert CampaignQuota.objects.get().limit == 4
    latest = quota.history.latest()
    assert latest.history_user == city.city_officer
    assert latest.history_change_reason == "awards.quota.changed: Công văn bổ sung"


def test_after_launch_a_quota_change_needs_a_reason(city, plan):
    with refused("quota_change_reason_required"):
        quotas.set_campaign_quota(plan, actor=city.city_officer, item=ldtt(), limit=1)


def test_a_quota_for_a_unit_outside_the_issuer_is_refused(city, plan):
    with refused("unit_out_of_scope"):
        quotas.set_campaign_quota(
            plan, actor=city.city_officer, item=ldtt(), limit=1, unit=city.home_affairs, reason="x"
        )


def test_the_campaign_page_shows_the_quotas_and_the_plan_editor_edits_them(client, city, plan):
    client.force_login(city.city_officer)
    url = reverse("awards:campaign_quotas", kwargs={"campaign_id": plan.pk})
    response = client.post(
        url,
        {"item": f"title-{ldtt().pk}", "unit": "", "limit": "2", "basis": "", "reason": "KH"},
    )
    assert response.status_code == 302
    page = client.get(reverse("campaigns:detail", kwargs={"campaign_id": plan.pk}))
    assert (
        "Lao động tiên tiến – Mỗi đơn vị đề nghị: tối đa 2, đã khen 0, còn 2"
        in page.content.decode()
    )
    quota = CampaignQuota.objects.get()
    client.force_login(city.ward_officer)  # sees the campaign as a target, may not edit its plan
    assert client.get(url).status_code == 200
    assert (
        client.post(url, {"item": f"title-{ldtt().pk}", "limit": "9", "reason": "x"}).status_code
        == 403
    )
    remove = reverse("awards:campaign_quota_remove", kwargs={"quota_id": quota.pk})
    assert client.post(remove, {"reason": "x"}).status_code == 403
    client.force_login(city.city_officer)
    client.post(remove, {"reason": "Bỏ theo công văn"})
    assert not CampaignQuota.objects.exists()
    assert Nomination.objects.count() == 0


def test_a_quota_is_not_negative_and_a_finished_campaigns_quotas_are_kept(city, plan):
    with refused("quota_negative"):
        quotas.set_campaign_quota(
            plan, actor=city.city_officer, item=ldtt(), limit=-1, reason="Công văn"
        )
    Campaign.objects.filter(pk=plan.pk).update(status=CampaignStatus.CLOSED)
    with refused("quota_campaign_finished"):
        quotas.set_campaign_quota(
            plan, actor=city.city_officer, item=ldtt(), limit=1, reason="Công văn"
        )
    assert not CampaignQuota.objects.exists()
