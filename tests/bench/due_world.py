"""Province-scale domain rows for the reminder sources: run inside a rolled-back transaction.

On the seeded province (portal/scale.py): one running campaign for every unit, accepted
registrations with BENCH_TASKS tasks (default 100,000) spread around today, a third reported
this period; a sơ kết due in three days; a giao ước per twenty units open for signature, half
signed; BENCH_NOMINATIONS dossiers (default 20,000) at every timed step, drafted decisions and
open council sessions with missing ballots. Written with bulk_create, without history rows.
"""

from __future__ import annotations

import datetime
import os

from django.db import connection
from django.utils import timezone

from awards.models import (
    AgendaItem,
    AwardDecision,
    Ballot,
    CouncilSeat,
    CouncilSession,
    EmulationTitle,
    Nomination,
)
from awards.workflow import Status
from campaigns.models import Campaign, CampaignTarget, ContentItem, ReportingPeriod
from campaigns.workflow import CampaignStatus
from pledges.models import (
    Pledge,
    PledgeMember,
    PledgeSignature,
    Registration,
    UnitReview,
)
from pledges.services import recount_task_summaries
from pledges.workflow import PledgeStatus, RegistrationStatus, UnitReviewStatus
from portal.models import Bloc, DocumentKind, Membership, OfficialDocument, Person, Role, Unit, User
from portal.text import fold

TASKS = int(os.environ.get("BENCH_TASKS", "100000"))
NOMINATIONS = int(os.environ.get("BENCH_NOMINATIONS", "20000"))
BATCH = 2000
STEPS = [Status.SUBMITTED, Status.RECEIVED, Status.CHECKED, Status.APPROVED, Status.DECIDED]


def seed(province: Unit, *, tasks: int = TASKS, nominations: int = NOMINATIONS) -> dict[str, int]:
    today = timezone.localdate()
    units = list(Unit.objects.subtree(province).order_by("path").values_list("pk", "parent_id"))
    unit_ids = [pk for pk, _ in units]
    parents = dict(units)
    users = list(User.objects.filter(username__startswith="quymo").values_list("pk", flat=True))
    Membership.objects.get_or_create(user_id=users[0], unit=province, role=Role.REVIEWER)

    campaign = Campaign.objects.create(
        issuer=province,
        title="Phong trào thi đua quy mô tỉnh",
        kind="regular",
        starts_on=today - datetime.timedelta(days=60),
        ends_on=today + datetime.timedelta(days=300),
        registration_due=today - datetime.timedelta(days=30),
        midterm_review_due=today + datetime.timedelta(days=3),
        final_review_due=today + datetime.timedelta(days=200),
        status=CampaignStatus.IN_PROGRESS,
    )
    item = ContentItem.objects.create(campaign=campaign, number=1, text="Thi đua quy mô.")
    quarter = (today.month - 1) // 3 * 3 + 1
    ReportingPeriod.objects.create(
        campaign=campaign,
        name="Kỳ hiện tại",
        starts_on=today.replace(month=quarter, day=1),
        ends_on=today + datetime.timedelta(days=30),
    )
    CampaignTarget.objects.bulk_create(
        [CampaignTarget(campaign=campaign, unit_id=pk) for pk in unit_ids], batch_size=BATCH
    )
    # Every tenth unit has not registered: those are the registration reminders.
    registered = [pk for i, pk in enumerate(unit_ids) if i % 10]
    Registration.objects.bulk_create(
        [
            Registration(campaign=campaign, unit_id=pk, status=RegistrationStatus.ACCEPTED)
            for pk in registered
        ],
        batch_size=BATCH,
    )
    registrations = list(
        Registration.objects.filter(campaign=campaign).order_by("pk").values_list("pk", flat=True)
    )
    old_report = today - datetime.timedelta(days=120)
    _copy_tasks(tasks, registrations, item.pk, today, old_report)
    recount_task_summaries(Registration.objects.filter(campaign=campaign))
    UnitReview.objects.bulk_create(
        [
            UnitReview(
                campaign=campaign, unit_id=pk, kind="midterm", status=UnitReviewStatus.SUBMITTED
            )
            for pk in registered[::3]
        ],
        batch_size=BATCH,
    )

    members = [unit_ids[i : i + 20] for i in range(0, len(unit_ids), 20)]
    blocs = Bloc.objects.bulk_create(
        [
            Bloc(
                organiser=province,
                kind="cluster",
                name=f"Cụm quy mô {n}",
                search_name=fold(f"Cụm quy mô {n}"),
            )
            for n in range(len(members))
        ]
    )
    pledges = Pledge.objects.bulk_create(
        [
            Pledge(
                bloc=bloc,
                year=today.year,
                head_id=group[0],
                status=PledgeStatus.OPEN,
                preamble="Giao ước quy mô.",
                ceremony_on=today + datetime.timedelta(days=3),
            )
            for bloc, group in zip(blocs, members, strict=True)
        ]
    )
    PledgeMember.objects.bulk_create(
        [
            PledgeMember(pledge=pledge, unit_id=pk, position=n)
            for pledge, group in zip(pledges, members, strict=True)
            for n, pk in enumerate(group)
        ],
        batch_size=BATCH,
    )
    now = timezone.now()
    PledgeSignature.objects.bulk_create(
        [
            PledgeSignature(pledge=pledge, unit_id=pk, signed_by_id=users[0], signed_at=now)
            for pledge, group in zip(pledges, members, strict=True)
            for pk in group[::2]
        ],
        batch_size=BATCH,
    )

    title = EmulationTitle.objects.get(code="lao-dong-tien-tien")
    people = list(
        Person.objects.filter(unit__path__startswith=province.path)
        .order_by("pk")
        .values_list("pk", "unit_id")[:nominations]
    )
    document = OfficialDocument.objects.create(
        kind=DocumentKind.DECISION, issuer=province, title="Quyết định quy mô"
    )
    decisions = AwardDecision.objects.bulk_create(
        [AwardDecision(unit=province, document=document) for _ in range(nominations // 50 or 1)]
    )
    rows = []
    for i in range(nominations):
        person_id, unit_id = people[i % len(people)]
        status = STEPS[i % len(STEPS)] if i % 6 else Status.ON_AGENDA
        handling = parents.get(unit_id) or unit_id
        rows.append(
            Nomination(
                title=title,
                recipient_kind="individual",
                person_id=person_id,
                year=2025,
                basis_kind="yearly",
                proposing_unit_id=unit_id,
                handling_unit_id=handling,
                conferring_unit_id=handling if i % 2 else province.pk,
                status=status,
                report_achievements="Hoàn thành xuất sắc nhiệm vụ.",
                due_on=None
                if status == Status.ON_AGENDA
                else today + datetime.timedelta(days=i % 20 - 10),
                decision=decisions[i % len(decisions)] if status == Status.DECIDED else None,
            )
        )
    dossiers = Nomination.objects.bulk_create(rows, batch_size=BATCH)
    on_agenda = [n for n in dossiers if n.status == Status.ON_AGENDA]
    sessions = CouncilSession.objects.bulk_create(
        [
            CouncilSession(unit=province, title=f"Phiên họp quy mô {n}", held_on=today)
            for n in range(len(on_agenda) // 100 + 1)
        ]
    )
    seats = CouncilSeat.objects.bulk_create(
        [CouncilSeat(session=s, user_id=users[k]) for s in sessions for k in range(1, 6)]
    )
    items = AgendaItem.objects.bulk_create(
        [AgendaItem(session=sessions[i // 100], nomination=n) for i, n in enumerate(on_agenda)],
        batch_size=BATCH,
    )
    seats_of = {s.pk: [seat for seat in seats if seat.session_id == s.pk] for s in sessions}
    Ballot.objects.bulk_create(
        [
            Ballot(item=item, seat=seat, choice="yes")
            for item in items
            for seat in seats_of[item.session_id][:3]
        ],
        batch_size=BATCH,
    )
    return {
        "units": len(unit_ids),
        "tasks": tasks,
        "pledge members": len(unit_ids),
        "nominations": nominations,
        "council sessions": len(sessions),
    }


def _copy_tasks(count: int, registrations: list[int], item_id: int, today, old_report) -> None:
    """COPY rather than bulk_create: a million tasks in a minute, not ten."""
    columns = (
        "registration_id, position, content_item_id, description, measure, unit_of_measure, "
        "due_on, responsible, latest_percent, last_reported_on"
    )
    statement = f"COPY pledges_registrationtask ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for i in range(count):
            copy.write_row(
                (
                    registrations[i % len(registrations)],
                    i // len(registrations) + 1,
                    item_id,
                    f"Nhiệm vụ quy mô số {i + 1}",
                    "milestone",
                    "",
                    today + datetime.timedelta(days=i % 40 - 20),
                    "Cán bộ",
                    100 if i % 7 == 0 else 0,
                    (today, old_report, None)[i % 3],
                )
            )
