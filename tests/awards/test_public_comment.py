"""Public comment: the window gates the check; comments are taken only while it is open."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import AwardForm, EmulationTitle, Nomination, PublicCommentRule, RuleSet
from awards.procedure import appraisal, drafting, public_comment, submission
from awards.workflow import Status
from tests.awards.central_helpers import central_draft, second_person
from tests.awards.nomination_helpers import TODAY, received, refresh
from tests.factories import make_person
from tests.refusals import refused


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


@pytest.fixture
def comment_rule(db):
    """The province puts Lao động tiên tiến to public comment for 5 working days."""
    return PublicCommentRule.objects.create(
        rule_set=RuleSet.objects.national().valid_on(TODAY.date()).get(),
        title=EmulationTitle.objects.get(code="lao-dong-tien-tien"),
        working_days=5,
        article="Quy chế của tỉnh",
    )


def test_an_item_without_the_rule_opens_no_window(world):
    nomination = received(world)
    with refused("public_comment_not_required"):
        public_comment.open_public_comment(nomination, actor=world.reviewer)


def test_checking_cannot_finish_before_the_window_closes(world, comment_rule, time_machine):
    nomination = received(world)
    with refused("public_comment_required"):
        appraisal.check_nomination(nomination, actor=world.reviewer, opinion="Đạt.")
    nomination = public_comment.open_public_comment(nomination, actor=world.reviewer)
    assert nomination.comment_closes_on == datetime.date(2026, 3, 9)
    public_comment.add_public_comment(nomination, author_name="Trần Văn Dân", text="Đồng tình.")
    with refused("public_comment_still_open"):
        appraisal.check_nomination(refresh(nomination), actor=world.reviewer, opinion="Đạt.")
    time_machine.move_to(datetime.datetime(2026, 3, 10, 9, tzinfo=datetime.UTC), tick=False)
    with refused("public_comment_closed"):
        public_comment.add_public_comment(
            refresh(nomination), author_name="Muộn", text="Góp ý muộn."
        )
    appraisal.check_nomination(
        refresh(nomination), actor=world.reviewer, opinion="Không có phản ánh."
    )
    nomination = refresh(nomination)
    assert nomination.status == Status.CHECKED
    assert [c.author_name for c in nomination.public_comments.all()] == ["Trần Văn Dân"]


# ---------------------------------------------------------------------------------------------
# Which level publishes: the one that confers, or the province for a central item


def _bang_khen_tinh(world):
    """A Bằng khen tỉnh for a ward official: the ward proposes, the city forwards."""
    nomination = drafting.create_nomination(
        world.ward,
        actor=world.ward_officer,
        item=AwardForm.objects.get(code="bang-khen-tinh"),
        year=2025,
        basis_kind="merit",
        person=world.person,
        report_achievements="Thành tích xuất sắc năm 2025.",
    )
    return drafting.update_nomination(
        nomination,
        actor=world.ward_officer,
        justifications={f["code"]: "Có giải trình." for f in nomination.findings},
    )


@pytest.fixture
def bk_tinh_rule(db):
    """The province puts its own Bằng khen to public comment for 10 working days."""
    return PublicCommentRule.objects.create(
        rule_set=RuleSet.objects.national().valid_on(TODAY.date()).get(),
        award_form=AwardForm.objects.get(code="bang-khen-tinh"),
        working_days=10,
        article="Quy chế của tỉnh",
    )


def _public_page(client) -> str:
    return client.get(reverse("awards:public_comments")).content.decode()


def _dossier_page(client, nomination) -> str:
    """The dossier page: each button shown is a form posting to …/<id>/<action>/."""
    url = reverse("awards:nomination_detail", kwargs={"nomination_id": nomination.pk})
    return client.get(url).content.decode()


def test_the_city_forwards_a_provincial_item_without_a_window_the_province_opens_it(
    world, bk_tinh_rule, client, time_machine
):
    nomination = _bang_khen_tinh(world)
    submission.submit_batch([nomination], actor=world.ward_officer, sender=world.ward)
    nomination = appraisal.receive_nomination(refresh(nomination), actor=world.reviewer)
    assert nomination.handling_unit == world.district
    assert public_comment.comment_rule(nomination) is None
    client.force_login(world.reviewer)
    assert f"/{nomination.pk}/open_comment/" not in _dossier_page(client, nomination)
    with refused("public_comment_elsewhere"):
        public_comment.open_public_comment(nomination, actor=world.reviewer)
    appraisal.check_nomination(nomination, actor=world.reviewer, opinion="Đủ hồ sơ, trình tỉnh.")
    submission.forward_batch([refresh(nomination)], actor=world.reviewer)
    nomination = appraisal.receive_nomination(refresh(nomination), actor=world.reviewer)
    assert nomination.handling_unit == world.province
    assert public_comment.comment_rule(nomination) == bk_tinh_rule
    assert f"/{nomination.pk}/open_comment/" in _dossier_page(client, nomination)
    with refused("public_comment_required"):
        appraisal.check_nomination(nomination, actor=world.reviewer, opinion="Đạt.")
    nomination = public_comment.open_public_comment(refresh(nomination), actor=world.reviewer)
    assert nomination.comment_closes_on == datetime.date(2026, 3, 16)
    page = _public_page(client)
    assert world.person.full_name in page and "Cơ quan lấy ý kiến: Tỉnh Đồng Nai" in page
    time_machine.move_to(datetime.datetime(2026, 3, 17, 9, tzinfo=datetime.UTC), tick=False)
    assert world.person.full_name not in _public_page(client)
    appraisal.check_nomination(
        refresh(nomination), actor=world.reviewer, opinion="Không có phản ánh."
    )
    assert refresh(nomination).status == Status.CHECKED


def test_a_central_item_is_put_to_public_comment_at_the_province_only(world):
    # Huân chương Lao động hạng Ba: the seeded rule (10 working days, domain.md §6.5).
    nomination = central_draft(world, code="huan-chuong-lao-dong-hang-ba")
    submission.submit_batch([nomination], actor=world.ward_officer, sender=world.ward)
    nomination = appraisal.receive_nomination(refresh(nomination), actor=world.reviewer)
    assert nomination.handling_unit == world.district
    with refused("public_comment_elsewhere"):
        public_comment.open_public_comment(nomination, actor=world.reviewer)
    appraisal.check_nomination(refresh(nomination), actor=world.reviewer, opinion="Đủ hồ sơ.")
    submission.forward_batch([refresh(nomination)], actor=world.reviewer)
    nomination = appraisal.receive_nomination(refresh(nomination), actor=world.reviewer)
    rule = public_comment.comment_rule(nomination)
    assert rule is not None and rule.working_days == 10
    with refused("public_comment_required"):
        appraisal.check_nomination(nomination, actor=world.reviewer, opinion="Đạt.")
    nomination = public_comment.open_public_comment(refresh(nomination), actor=world.reviewer)
    assert nomination.status == Status.PUBLIC_COMMENT


def test_the_public_page_lists_only_windows_held_at_the_publishing_level(
    world, bk_tinh_rule, client
):
    here = _bang_khen_tinh(world)
    submission.submit_batch([here], actor=world.ward_officer, sender=world.ward)
    appraisal.receive_nomination(refresh(here), actor=world.reviewer)
    appraisal.check_nomination(refresh(here), actor=world.reviewer, opinion="Đủ hồ sơ.")
    submission.forward_batch([refresh(here)], actor=world.reviewer)
    appraisal.receive_nomination(refresh(here), actor=world.reviewer)
    public_comment.open_public_comment(refresh(here), actor=world.reviewer)
    # A window left open at the city by the earlier rule (before this fix) is not published.
    stray = _bang_khen_tinh(world)
    stray.person = second_person(world)
    stray.save(update_fields=["person"])
    submission.submit_batch([stray], actor=world.ward_officer, sender=world.ward)
    Nomination.objects.filter(pk=stray.pk).update(
        status=Status.PUBLIC_COMMENT,
        comment_opens_on=TODAY.date(),
        comment_closes_on=datetime.date(2026, 3, 16),
    )
    assert refresh(stray).handling_unit == world.district
    listed = list(Nomination.objects.under_public_comment(TODAY.date()))
    assert listed == [refresh(here)]
    page = _public_page(client)
    assert world.person.full_name in page and "Lê Văn Tám" not in page


def test_the_public_page_costs_the_same_queries_with_more_windows_open(world, client):
    PublicCommentRule.objects.create(
        rule_set=RuleSet.objects.national().valid_on(TODAY.date()).get(),
        title=EmulationTitle.objects.get(code="lao-dong-tien-tien"),
        working_days=5,
        article="Quy chế của tỉnh",
    )

    def open_one(name: str) -> None:
        nomination = received(world, person=make_person(world.ward, name))
        public_comment.open_public_comment(nomination, actor=world.reviewer)

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("awards:public_comments")).status_code == 200
        return len(queries)

    open_one("Người Thứ Nhất")
    one = cost()
    for index in range(6):
        open_one(f"Người Thứ {index + 2}")
    assert _public_page(client).count("Gửi ý kiến") == 7
    assert cost() == one
