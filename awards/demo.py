"""Award history for the demo ward, so that the eligibility preview has something to read.

The first person of the ward has Chiến sĩ thi đua cơ sở for 2023 and 2024, excellent ratings and
a province-level initiative: proposing them for Chiến sĩ thi đua cấp tỉnh 2025 is blocked until
their 2025 Chiến sĩ thi đua cơ sở is recorded. The second was rated only "hoàn thành nhiệm vụ"
for 2025 (no Lao động tiên tiến); the third has a complaint under verification. Runs once:
a second run finds the ward's history and adds nothing.

Two more people of the ward (CYCLE_CANDIDATES) were rated "hoàn thành xuất sắc nhiệm vụ" for
2025 and have no dossier: they are the ones to propose for Chiến sĩ thi đua cơ sở when walking
the year's cycle in the browser (docs/awards.md). They are topped up on every run.
"""

from __future__ import annotations

import datetime
from typing import TextIO

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from awards.history import records
from awards.models import (
    AnnualRating,
    AwardDecision,
    AwardForm,
    AwardRecord,
    ClearanceStatus,
    DecisionStatus,
    EmulationTitle,
    Nomination,
    NominationEvent,
    Source,
)
from awards.paperwork import certificates
from awards.paperwork import decisions as decision_papers
from awards.rules import money
from awards.workflow import Status
from portal import documents
from portal.audit import stamp
from portal.demo import PROVINCE_CODE, WARD_LONG_KHANH, demo_unit
from portal.documents import signers
from portal.models import CodeScheme, DocumentKind, Person, Unit, User
from portal.text import fold

WARD_COUNCIL = ("hoidong_longkhanh1", "hoidong_longkhanh2", "hoidong_longkhanh3")
# Their roles in the council: the ward's deputy chairman chairs it, the third takes its minutes.
WARD_COUNCIL_ROLES = ("Phó Chủ tịch Hội đồng", "Ủy viên", "Ủy viên, Thư ký Hội đồng")
DEMO_ACTORS = ("lanhdao_longkhanh", "canbo_longkhanh", "vanphong_longkhanh", *WARD_COUNCIL)

# (full name, gender, ethnicity, position, is a direct worker): the ward's candidates for
# Chiến sĩ thi đua cơ sở 2025, both rated "hoàn thành xuất sắc nhiệm vụ" for 2025.
CYCLE_YEAR = 2025
CYCLE_CANDIDATES: tuple[tuple[str, str, str, str, bool], ...] = (
    ("Điểu Thị Hương", "female", "Xtiêng", "Công chức Tư pháp - Hộ tịch", False),
    ("Trần Minh Tâm", "male", "Kinh", "Nhân viên Tổ quản lý trật tự đô thị", True),
)


def _title(code: str) -> EmulationTitle:
    return EmulationTitle.objects.get(code=code)


@transaction.atomic
def load(*, stdout: TextIO) -> None:
    _bloc_nominations(stdout)
    _overdue_nomination(stdout)
    ward = demo_unit(WARD_LONG_KHANH)
    admin = User.objects.get(username="quantri")
    people = _history_people(ward)
    if AwardRecord.objects.filter(unit=ward).exists() or len(people) < 3:
        stdout.write("Khen thưởng: dữ liệu mẫu đã có, không thêm.\n")
        _cycle_candidates(ward, admin, stdout)
        return
    first, second, third = people
    district_issuer = "UBND thành phố Long Khánh"
    ward_issuer = ward.name
    count = 0

    def award(subject, item, year, basis="yearly", issuer=district_issuer, **fields):
        nonlocal count
        records.record_award(
            subject,
            actor=admin,
            item=item,
            year=year,
            basis_kind=basis,
            decision_number=f"{10 + count}/QĐ-UBND",
            decision_date=datetime.date(year + 1, 1, 12),
            decision_issuer_name=issuer,
            source=Source.IMPORTED,
            **fields,
        )
        count += 1

    for year in (2023, 2024):
        award(first, _title("cstd-co-so"), year)
        records.record_rating(first, actor=admin, year=year, rating="htxsnv")
        for person in people:
            award(person, _title("lao-dong-tien-tien"), year)
        records.record_rating(ward, actor=admin, year=year, rating="httnv")
    records.record_rating(first, actor=admin, year=2025, rating="htxsnv")
    records.record_rating(second, actor=admin, year=2025, rating="htnv")
    records.record_rating(third, actor=admin, year=2025, rating="httnv")
    records.record_initiative(
        first,
        actor=admin,
        name="Số hóa hồ sơ thi đua, khen thưởng của phường",
        level="province",
        year=2025,
        recognised_by="Hội đồng sáng kiến thành phố",
    )
    award(ward, _title("tap-the-lao-dong-tien-tien"), 2024)
    award(
        ward,
        _title("gia-dinh-van-hoa"),
        2024,
        issuer=ward_issuer,
        household_name="Nguyễn Văn Tám",
    )
    award(
        second,
        AwardForm.objects.get(code="giay-khen"),
        2025,
        basis="ad_hoc",
        issuer=ward_issuer,
        basis_reference="Cứu người đuối nước trên hồ Suối Tre",
    )
    records.open_freeze(
        third,
        actor=admin,
        kind="complaint",
        started_on=datetime.date(2025, 12, 1),
        reference="Đơn phản ánh ngày 28/11/2025",
    )
    stdout.write(f"Khen thưởng: {count} khen thưởng, xếp loại, sáng kiến, tạm dừng mẫu.\n")
    load_nominations(ward, people, stdout=stdout)
    _cycle_candidates(ward, admin, stdout)
    leader = User.objects.filter(username="lanhdao_longkhanh").first()
    if leader is not None:
        decision = bulk_decision(ward, actor=leader, count=PRINT_BATCH_SIZE)
        stdout.write(
            f"Khen thưởng: quyết định {decision.document.number_and_symbol} với "
            f"{PRINT_BATCH_SIZE} người được khen, sẵn sàng in bằng, giấy khen.\n"
        )


def _history_people(ward: Unit) -> list[Person]:
    """The ward's leader and officer (its first two people), then its first person without a
    login: the demo's personas who sign in are not the ones whose history the demo invents."""
    people = list(Person.objects.filter(unit=ward).order_by("pk")[:20])
    rest = [p for p in people[2:] if p.user_id is None]
    return people[:2] + rest[:1]


def _cycle_candidates(ward: Unit, admin: User, stdout: TextIO) -> None:
    """The two people to propose when walking the cycle, with their 2025 rating (idempotent)."""
    from portal import services as people_services

    added = 0
    for name, gender, ethnicity, position, direct in CYCLE_CANDIDATES:
        person = Person.objects.filter(unit=ward, full_name=name).first()
        if person is None:
            person = people_services.create_person(
                ward,
                actor=admin,
                full_name=name,
                gender=gender,
                birth_year=1988,
                ethnicity=ethnicity,
                position=position,
                is_direct_worker=direct,
            )
            added += 1
        if not AnnualRating.objects.of(person).filter(year=CYCLE_YEAR).exists():
            records.record_rating(person, actor=admin, year=CYCLE_YEAR, rating="htxsnv")
    if added:
        stdout.write(
            f"Khen thưởng: {added} người của {ward.name} xếp loại hoàn thành xuất sắc nhiệm vụ "
            f"năm {CYCLE_YEAR}, chờ đề nghị Chiến sĩ thi đua cơ sở.\n"
        )


def _bloc_nominations(stdout: TextIO) -> None:
    """The scored bloc's proposals (Cờ thi đua, Bằng khen) become the organiser's dossiers."""
    from awards.procedure.proposals import nominate_bloc_proposals
    from pledges.models import BlocAwardProposal, BlocProposalStatus, Pledge

    pending = BlocAwardProposal.objects.filter(status=BlocProposalStatus.PROPOSED)
    pledge_ids = sorted(set(pending.values_list("entry__table__pledge_id", flat=True)))
    if not pledge_ids:
        return
    officer = User.objects.get(username="canbo_tinh")
    created = []
    for pledge_id in pledge_ids:
        pledge = Pledge.objects.get(pk=pledge_id)
        created += nominate_bloc_proposals(pledge, actor=officer)
    if created:
        stdout.write(f"Khen thưởng: {len(created)} hồ sơ đề nghị từ kết quả chấm điểm cụm, khối.\n")


# How long the demo's organiser dossier has waited for the Nội vụ to receive it: past the
# 5-working-day limit of the step, so the planner reminds the reviewer of an overdue legal
# deadline (docs/background-work.md).
OVERDUE_WAITING_DAYS = 10


def _overdue_nomination(stdout: TextIO) -> None:
    """The organiser's first bloc dossier without findings, submitted ten days ago and not yet
    received by the Nội vụ. Only once: skipped when the organiser has a dossier under way."""
    from awards.procedure.submission import submit_batch
    from awards.transitions import restart_clock
    from awards.workflow import OPEN

    province = Unit.objects.filter(code_scheme=CodeScheme.CURRENT, code=PROVINCE_CODE).first()
    if province is None:
        return
    if Nomination.objects.filter(proposing_unit=province, status__in=OPEN).exists():
        return
    draft = next(
        (
            n
            for n in Nomination.objects.filter(proposing_unit=province, status="draft")
            .select_related("title", "award_form", "unit")
            .order_by("pk")
            if not n.findings
        ),
        None,
    )
    officer = User.objects.filter(username="canbo_tinh").first()
    leader = User.objects.filter(username="lanhdao_tinh").first()
    if draft is None or officer is None or leader is None:
        return
    submit_batch([draft], actor=officer, sender=province)
    # The demo tells of a dossier sent earlier: its clock started then, not today.
    nomination = Nomination.objects.select_related("handling_unit").get(pk=draft.pk)
    started = timezone.localdate() - datetime.timedelta(days=OVERDUE_WAITING_DAYS)
    restart_clock(nomination, started)
    nomination.submitted_on = started
    stamp(nomination, actor=None, reason="awards.demo.submitted_earlier")
    nomination.save(update_fields=["step_started_on", "due_on", "limit_article", "submitted_on"])
    # Its timeline tells the same story as its clock (the audit history keeps the real time).
    sent_at = timezone.make_aware(datetime.datetime.combine(started, datetime.time(9)))
    NominationEvent.objects.filter(nomination=nomination).update(at=sent_at)
    stdout.write(
        f"Khen thưởng: hồ sơ {nomination} trình từ {started:%d/%m/%Y}, "
        f"quá hạn tiếp nhận ({nomination.due_on:%d/%m/%Y}).\n"
    )


def load_nominations(ward, people: list[Person], *, stdout: TextIO) -> None:
    """Dossiers of the ward at three steps, for walking the cycle in the browser.

    The first person's Lao động tiên tiến 2025 has gone all the way to a published decision;
    their Chiến sĩ thi đua cơ sở 2025 is checked and on the agenda of an open session of the
    ward's council (sign in as `hoidong_longkhanh1..3` to vote, `vanphong_longkhanh` to close
    it); the second person's Lao động tiên tiến 2025 is a draft blocked by the rating rule.
    """
    users = {u.username: u for u in User.objects.filter(username__in=DEMO_ACTORS)}
    if len(users) < len(DEMO_ACTORS):
        return
    from awards.procedure import (
        appraisal,
        approval,
        clearance,
        council,
        decisions,
        drafting,
        submission,
    )

    leader, officer = users["lanhdao_longkhanh"], users["canbo_longkhanh"]
    reviewer = users["vanphong_longkhanh"]
    first, second = people[0], people[1]

    def nominate(person, code, achievements):
        return drafting.create_nomination(
            ward,
            actor=officer,
            item=_title(code),
            year=2025,
            basis_kind="yearly",
            person=person,
            report_position=f"{person.position or 'Công chức'}, {ward.name}",
            report_achievements=achievements,
            unit_council_on=datetime.date(2025, 12, 20),
            unit_council_members=7,
            unit_council_yes=7,
        )

    done = nominate(
        first, "lao-dong-tien-tien", "Hoàn thành xuất sắc nhiệm vụ; 100 % hồ sơ đúng hạn."
    )
    candidate = nominate(
        first,
        "cstd-co-so",
        "Chủ trì số hóa hồ sơ thi đua của phường; sáng kiến được công nhận cấp thành phố.",
    )
    submission.submit_batch([done, candidate], actor=officer, sender=ward)
    for nomination in (done, candidate):
        appraisal.receive_nomination(nomination, actor=reviewer)
    # The Chiến sĩ thi đua cơ sở dossier was checked after asking the ward's police by a Công
    # văn (its reply, on paper, recorded by the văn phòng): the walk's Công văn.
    asked = clearance.request_clearance(
        [Nomination.objects.get(pk=candidate.pk)],
        actor=reviewer,
        body_name=f"Công an {ward.name[:1].lower()}{ward.name[1:]}",
        subject="việc chấp hành chủ trương, chính sách của Đảng, pháp luật của Nhà nước "
        "và các quy định về an ninh, trật tự của cá nhân được đề nghị khen thưởng",
        # The demo's rule set sets no reply limit: the letter asks for one within ten days.
        due_on=timezone.localdate() + datetime.timedelta(days=10),
    )
    clearance.record_clearance_answer(
        asked,
        actor=reviewer,
        verdict=ClearanceStatus.AGREED,
        text="Không vi phạm pháp luật về an ninh, trật tự.",
    )
    for nomination in (done, candidate):
        appraisal.check_nomination(
            Nomination.objects.get(pk=nomination.pk),
            actor=reviewer,
            opinion="Hồ sơ đầy đủ, đủ điều kiện theo quy định.",
        )
    approval.approve_nomination(Nomination.objects.get(pk=done.pk), actor=leader)
    # The head of the ward signs by default; when they are the awardee, their deputy (KT.).
    decision = decisions.draft_decision([Nomination.objects.get(pk=done.pk)], actor=reviewer)
    decisions.issue_decision(decision, actor=leader)
    decisions.publish_decision(decision, actor=leader)
    session = council.create_session(
        ward,
        actor=reviewer,
        title="Họp Hội đồng TĐKT phường xét khen thưởng năm 2025",
        held_on=timezone.localdate(),
        place=f"Hội trường Ủy ban nhân dân {ward.name[:1].lower()}{ward.name[1:]}",
        starts_at=datetime.time(8, 0),
        members=[
            (users[name], role) for name, role in zip(WARD_COUNCIL, WARD_COUNCIL_ROLES, strict=True)
        ],
    )
    council.put_on_agenda(Nomination.objects.get(pk=candidate.pk), actor=reviewer, session=session)
    nominate(second, "lao-dong-tien-tien", "Hoàn thành nhiệm vụ được giao.")
    stdout.write("Khen thưởng: 3 hồ sơ đề nghị mẫu, 1 quyết định đã công bố, 1 phiên họp.\n")


PRINT_BATCH_SIZE = 300
PRINT_BATCH_REFERENCE = "Tổng kết phong trào thi đua lao động sản xuất năm 2025"
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng")
MIDDLE = ("Văn", "Thị", "Hữu", "Minh", "Ngọc", "Đức")
GIVEN = ("Hùng", "Thoa", "Lan", "Bình", "Cường", "Dũng", "Giang", "Khoa", "Phúc", "Yến")
# One worker in ten is from a minority of Đồng Nai (in place of the tenth family name) and one in
# twenty-five leads a team, so the statistics page has every share it watches to show.
MINORITY_FAMILY = (("Điểu", "Xtiêng"), ("Thạch", "Khơ-me"), ("Lâm", "Chơ Ro"))
TEAM_LEADER_EVERY = 25


def _batch_worker(i: int) -> tuple[str, str]:
    """(full name, ethnicity) of the batch's i-th worker; names stay distinct below 600."""
    family, ethnicity = FAMILY[i % 10], "Kinh"
    if i % 10 == 9:
        family, ethnicity = MINORITY_FAMILY[i // 10 % 3]
    name = f"{family} {MIDDLE[i // 10 % 6]} {GIVEN[i // 60 % 10]}"
    return name + (f" ({i // 600 + 1})" if i >= 600 else ""), ethnicity


def bulk_decision(unit: Unit, *, actor: User, count: int, year: int = 2025) -> AwardDecision:
    """An issued decision giving a Giấy khen to `count` workers of `unit`, to print (Lao động
    tiên tiến itself has no paper: the law gives it money only).

    Built in bulk (people, dossiers and award records with their history rows), because
    walking hundreds of dossiers through each step one by one would make the demo slow; the
    decision itself is drafted and issued through the documents engine like any other.
    """
    item = AwardForm.objects.get(code="giay-khen")
    workers = [_batch_worker(i) for i in range(count)]
    people = bulk_create_with_history(
        [
            Person(
                full_name=name,
                search_name=fold(name),
                gender="female" if " Thị " in name else "male",
                ethnicity=ethnicity,
                position="Tổ trưởng sản xuất" if i % TEAM_LEADER_EVERY == 0 else "Công nhân",
                unit=unit,
                is_manager=i % TEAM_LEADER_EVERY == 0,
                is_direct_worker=i % TEAM_LEADER_EVERY != 0,
            )
            for i, (name, ethnicity) in enumerate(workers)
        ],
        Person,
        default_user=actor,
        default_change_reason="awards.demo.print_batch",
    )
    day = timezone.localdate()
    nominations = bulk_create_with_history(
        [
            Nomination(
                recipient_kind="individual",
                person=person,
                award_form=item,
                year=year,
                basis_kind="yearly",
                basis_reference=PRINT_BATCH_REFERENCE,
                proposing_unit=unit,
                handling_unit=unit,
                conferring_unit=unit,
                status=Status.APPROVED,
                report_position=f"{person.position}, {unit.name}",
                report_achievements="Hoàn thành tốt nhiệm vụ; tích cực thi đua lao động sản xuất.",
                created_by=actor,
            )
            for person in people
        ],
        Nomination,
        default_user=actor,
        default_change_reason="awards.demo.print_batch",
    )
    amount = money.reward(item, "individual", day, unit=unit).amount
    content = decision_papers.award_decision(
        nominations,
        dict.fromkeys((n.pk for n in nominations), amount),
        unit=unit,
        day=day,
        signature=signers.signature(unit, day, collective=False),
        proposals=[],
    )
    draft = documents.create_draft(
        DocumentKind.DECISION, issuer=unit, actor=actor, check_access=False, **content
    )
    document = documents.issue_document(draft, actor=actor, issued_on=day)
    decision = AwardDecision(unit=unit, document=document, status=DecisionStatus.ISSUED)
    stamp(decision, actor=actor, reason="awards.decision.issued")
    decision.save()
    codes = certificates.new_certificate_codes(len(nominations))
    award_records = bulk_create_with_history(
        [
            AwardRecord(
                recipient_kind="individual",
                person=n.person,
                award_form=item,
                year=year,
                basis_kind="yearly",
                basis_reference=PRINT_BATCH_REFERENCE,
                decision_number=document.number_and_symbol,
                decision_date=day,
                decision_issuer=unit,
                decision_issuer_name=document.issuer_name,
                source=Source.PORTAL,
                certificate_code=code,
            )
            for n, code in zip(nominations, codes, strict=True)
        ],
        AwardRecord,
        default_user=actor,
        default_change_reason="awards.demo.print_batch",
    )
    for nomination, record in zip(nominations, award_records, strict=True):
        nomination.status = Status.ISSUED
        nomination.decision = decision
        nomination.award_record = record
        nomination.decided_on = day
    bulk_update_with_history(
        nominations,
        Nomination,
        ["status", "decision", "award_record", "decided_on"],
        default_user=actor,
        default_change_reason="awards.nomination.issue",
    )
    return decision
