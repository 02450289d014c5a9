"""Public comment: the window gates the check; comments are taken only while it is open."""

from __future__ import annotations

import datetime

import pytest

from awards import nominations as flow
from awards.models import EmulationTitle, PublicCommentRule, RuleSet
from awards.workflow import Status
from portal.errors import RuleViolation
from tests.awards.nomination_helpers import TODAY, received, refresh


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
    with pytest.raises(RuleViolation, match="không phải lấy ý kiến"):
        flow.open_public_comment(nomination, actor=world.reviewer)


def test_checking_cannot_finish_before_the_window_closes(world, comment_rule, time_machine):
    nomination = received(world)
    with pytest.raises(RuleViolation, match="phải lấy ý kiến công khai"):
        flow.check_nomination(nomination, actor=world.reviewer, opinion="Đạt.")
    nomination = flow.open_public_comment(nomination, actor=world.reviewer)
    assert nomination.comment_closes_on == datetime.date(2026, 3, 9)
    flow.add_public_comment(nomination, author_name="Trần Văn Dân", text="Đồng tình.")
    with pytest.raises(RuleViolation, match="Chưa hết thời gian"):
        flow.check_nomination(refresh(nomination), actor=world.reviewer, opinion="Đạt.")
    time_machine.move_to(datetime.datetime(2026, 3, 10, 9, tzinfo=datetime.UTC), tick=False)
    with pytest.raises(RuleViolation, match="không trong thời gian"):
        flow.add_public_comment(refresh(nomination), author_name="Muộn", text="Góp ý muộn.")
    flow.check_nomination(refresh(nomination), actor=world.reviewer, opinion="Không có phản ánh.")
    nomination = refresh(nomination)
    assert nomination.status == Status.CHECKED
    assert [c.author_name for c in nomination.public_comments.all()] == ["Trần Văn Dân"]
