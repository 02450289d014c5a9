"""Builders for nomination tests: a dossier for the ward Xuân Trung, taken to any step."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from awards.models import AnnualRating, AwardForm, EmulationTitle, Nomination
from awards.procedure import appraisal, approval, council, decisions, drafting, submission
from awards.workflow import Status

# A Monday under NĐ 152/2025 and NĐ 129/2025 (the ward's chairman confers LĐTT).
TODAY = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def rate(person, year: int, rating: str = "httnv") -> AnnualRating:
    return AnnualRating.objects.create(person=person, year=year, rating=rating, source="imported")


def draft(world, *, person=None, code: str = "lao-dong-tien-tien", year: int = 2025, **fields):
    person = person or world.person
    if not AnnualRating.objects.filter(person=person, year=year).exists():
        rate(person, year, fields.pop("rating", "htxsnv"))
    fields.setdefault("basis_kind", "yearly")
    fields.setdefault("report_achievements", "Hoàn thành xuất sắc nhiệm vụ văn hóa – xã hội.")
    return drafting.create_nomination(
        world.ward,
        actor=world.ward_officer,
        item=EmulationTitle.objects.filter(code=code).first() or AwardForm.objects.get(code=code),
        year=year,
        person=person,
        **fields,
    )


def submitted(world, nomination=None, **fields) -> Nomination:
    nomination = nomination or draft(world, **fields)
    submission.submit_batch([nomination], actor=world.ward_officer, sender=world.ward)
    return refresh(nomination)


def received(world, **fields) -> Nomination:
    nomination = submitted(world, **fields)
    return appraisal.receive_nomination(nomination, actor=world.reviewer)


def checked(world, **fields) -> Nomination:
    nomination = received(world, **fields)
    return appraisal.check_nomination(nomination, actor=world.reviewer, opinion="Đủ điều kiện.")


def approved(world, **fields) -> Nomination:
    return approval.approve_nomination(checked(world, **fields), actor=world.ward_leader)


def decided(world, **fields) -> Nomination:
    nomination = approved(world, **fields)
    decisions.draft_decision([nomination], actor=world.reviewer)
    return refresh(nomination)


def issued(world, **fields) -> Nomination:
    nomination = decided(world, **fields)
    decisions.issue_decision(nomination.decision, actor=world.ward_leader)
    return refresh(nomination)


def refresh(nomination: Nomination) -> Nomination:
    return Nomination.objects.get(pk=nomination.pk)


def council_of(world, unit, *, size: int = 5, present: int | None = None):
    """A council of `size` members at `unit`, each account a named person: the first chairs it,
    the second takes its minutes."""
    from portal.models import Role
    from tests.factories import make_member, make_person

    users = [make_member(unit, Role.COUNCIL_MEMBER) for _ in range(size)]
    for index, user in enumerate(users, start=1):
        make_person(unit, f"Thành viên Hội đồng số {index}", user=user)
    roles = ["Chủ tịch Hội đồng", "Ủy viên, Thư ký Hội đồng"] + ["Ủy viên"] * size
    session = council.create_session(
        unit,
        actor=world.reviewer,
        title="Phiên họp xét khen thưởng",
        held_on=TODAY.date(),
        members=list(zip(users, roles[:size], strict=True)),
    )
    seats = list(session.seats.order_by("pk"))
    if present is not None:
        for seat in seats[present:]:
            council.set_attendance(seat, actor=world.reviewer, present=False)
            seat.refresh_from_db()
    return SimpleNamespace(session=session, users=users, seats=seats)


STATUS_BUILDERS = {
    Status.DRAFT: draft,
    Status.SUBMITTED: submitted,
    Status.RECEIVED: received,
    Status.CHECKED: checked,
    Status.APPROVED: approved,
    Status.DECIDED: decided,
    Status.ISSUED: issued,
}
