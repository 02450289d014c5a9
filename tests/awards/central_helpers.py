"""Builders for the central leg: a Bằng khen của Thủ tướng dossier taken up the tree."""

from __future__ import annotations

from awards.models import AwardForm, Choice, Nomination
from awards.procedure import appraisal, central, council, drafting, submission
from tests.awards.nomination_helpers import council_of, refresh
from tests.factories import make_person

BK_TTG = "bang-khen-thu-tuong"


def central_draft(world, *, person=None, code: str = BK_TTG, year: int = 2025) -> Nomination:
    nomination = drafting.create_nomination(
        world.ward,
        actor=world.ward_officer,
        item=AwardForm.objects.get(code=code),
        year=year,
        basis_kind="merit",
        person=person or world.person,
        report_achievements="Năm năm liền hoàn thành xuất sắc nhiệm vụ, hai sáng kiến cấp tỉnh.",
    )
    # Soft findings need a written justification; hard ones would block the tests' path.
    assert not [f for f in nomination.findings if f["severity"] == "hard"], nomination.findings
    return drafting.update_nomination(
        nomination,
        actor=world.ward_officer,
        justifications={f["code"]: "Có giải trình." for f in nomination.findings},
    )


def at_province(world, nomination: Nomination | None = None, **fields) -> Nomination:
    """Submitted by the ward, checked and forwarded by the city, checked at the province."""
    nomination = nomination or central_draft(world, **fields)
    submission.submit_batch([nomination], actor=world.ward_officer, sender=world.ward)
    appraisal.receive_nomination(refresh(nomination), actor=world.reviewer)
    appraisal.check_nomination(refresh(nomination), actor=world.reviewer, opinion="Đủ hồ sơ.")
    submission.forward_batch([refresh(nomination)], actor=world.reviewer)
    appraisal.receive_nomination(refresh(nomination), actor=world.reviewer)
    appraisal.check_nomination(refresh(nomination), actor=world.reviewer, opinion="Đồng ý trình.")
    return refresh(nomination)


def voted(world, *nominations: Nomination) -> list[Nomination]:
    """The province council votes all of them through (Bằng khen của Thủ tướng and Huân chương
    go to the council, domain.md §6.6 point 4)."""
    members = council_of(world, world.province, size=5)
    for nomination in nominations:
        item = council.put_on_agenda(nomination, actor=world.reviewer, session=members.session)
        for user in members.users:
            council.cast_vote(item, actor=user, choice=Choice.YES)
    council.close_session(members.session, actor=world.reviewer)
    return [refresh(nomination) for nomination in nominations]


def ready(world, **fields) -> Nomination:
    """Checked at the province and approved by its council: ready to go out."""
    return voted(world, at_province(world, **fields))[0]


def sent(world, **fields) -> Nomination:
    nomination = ready(world, **fields)
    central.send_to_central([nomination], actor=world.reviewer)
    return refresh(nomination)


def second_person(world):
    return make_person(world.ward, "Lê Văn Tám", gender="male", position="Trưởng khu phố")
