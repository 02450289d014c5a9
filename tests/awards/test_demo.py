import datetime
import io

from django.db.models import Q

from awards import demo
from awards.models import AnnualRating, AwardRecord, EmulationTitle, Freeze
from awards.rules.eligibility import Candidate, check
from portal.demo import WARD_LONG_KHANH
from portal.models import (
    DocumentStatus,
    Membership,
    OfficialDocument,
    Person,
    Role,
    Unit,
    UnitKind,
    User,
)
from tests.factories import make_person, make_post, make_unit


def test_the_demo_history_loads_once_and_blocks_cstd_tinh_for_lack_of_2025(db):
    city = make_unit(
        None, UnitKind.CENTRAL_CITY, "Thành phố Đồng Nai", code="75", code_scheme="current"
    )
    ward = make_unit(
        city, UnitKind.WARD, "Phường Long Khánh", code=WARD_LONG_KHANH, code_scheme="current"
    )
    User.objects.create_superuser("quantri", password="x")
    people = [make_person(ward, name) for name in ("Võ Văn Hùng", "Huỳnh Thị Thoa", "Lê Văn Ba")]
    out = io.StringIO()
    demo.load(stdout=out)
    assert AwardRecord.objects.count() == 11 and Freeze.objects.count() == 1
    demo.load(stdout=out)
    assert AwardRecord.objects.count() == 11
    assert "đã có" in out.getvalue()

    candidate = Candidate(
        item=EmulationTitle.objects.get(code="cstd-tinh"),
        year=2025,
        basis="yearly",
        on=datetime.date(2026, 1, 15),
        person=people[0],
        conferring_unit=city,
    )
    findings = check(candidate)
    assert [f.code for f in findings] == ["prerequisite"]
    assert "các năm 2023, 2024" in findings[0].message


def _leadership(ward) -> None:
    """The ward's chairman (its first person, the demo's awardee), his deputy who signs his
    award, and the Văn phòng that puts the ward's own proposals to him."""
    start = datetime.date(2025, 7, 1)
    make_post(ward, Person.objects.get(unit=ward, full_name="Võ Văn Hùng"), starts_on=start)
    make_post(ward, make_person(ward, "Nguyễn Hữu Lộc"), "deputy", "Phó Chủ tịch", start)
    office = make_unit(ward, UnitKind.OFFICE, "Văn phòng HĐND và UBND", abbreviation="VP")
    make_post(office, make_person(office, "Phan Thị Thanh Vân"), "head", "Chánh Văn phòng", start)


def _load_ward_demo() -> Unit:
    """The ward of the demo with its leader, officer, văn phòng and council, then the demo."""
    city = make_unit(
        None, UnitKind.CENTRAL_CITY, "Thành phố Đồng Nai", code="75", code_scheme="current"
    )
    ward = make_unit(
        city, UnitKind.WARD, "Phường Long Khánh", code=WARD_LONG_KHANH, code_scheme="current"
    )
    User.objects.create_superuser("quantri", password="x")
    for name, unit, role in (
        ("lanhdao_longkhanh", ward, Role.LEADER),
        ("canbo_longkhanh", ward, Role.OFFICER),
        ("vanphong_longkhanh", ward, Role.REVIEWER),
        *((name, ward, Role.COUNCIL_MEMBER) for name in demo.WARD_COUNCIL),
    ):
        user = User.objects.create_user(name, password="x", full_name=name)
        Membership.objects.create(user=user, unit=unit, role=role)
    for name in ("Võ Văn Hùng", "Huỳnh Thị Thoa", "Lê Văn Ba"):
        make_person(ward, name)
    _leadership(ward)
    demo.load(stdout=io.StringIO())
    return ward


def test_the_demo_nominations_show_a_published_decision_and_an_open_council(db):
    from awards.models import AwardDecision, CouncilSession, Nomination

    ward = _load_ward_demo()
    published, to_print = AwardDecision.objects.order_by("pk")
    assert published.status == "published"
    # The ward's own council: its văn phòng keeps the secretariat, its three members vote.
    session = CouncilSession.objects.get()
    assert session.unit == ward and session.items.count() == 1
    assert sorted(session.seats.values_list("user__username", flat=True)) == list(demo.WARD_COUNCIL)
    assert session.created_by.username == "vanphong_longkhanh"
    assert sorted(
        Nomination.objects.exclude(decision=to_print).values_list("status", flat=True)
    ) == [
        "draft",
        "on_agenda",
        "published",
    ]
    # The decision of 300 awardees is issued and ready to print, its records and history kept.
    assert to_print.status == "issued"
    assert to_print.nominations.filter(status="issued", award_record__isnull=False).count() == 300
    assert to_print.nominations.first().history.count() == 2
    demo.load(stdout=io.StringIO())
    assert AwardDecision.objects.count() == 2


def test_the_demo_has_two_candidates_to_walk_the_cycle_and_shares_to_count(db):
    """Rated for 2025 and clear of every rule for Chiến sĩ thi đua cơ sở, topped up on every run;
    the print batch has direct workers, team leaders, women and minorities among its awardees."""
    city = make_unit(
        None, UnitKind.CENTRAL_CITY, "Thành phố Đồng Nai", code="75", code_scheme="current"
    )
    ward = make_unit(
        city, UnitKind.WARD, "Phường Long Khánh", code=WARD_LONG_KHANH, code_scheme="current"
    )
    User.objects.create_superuser("quantri", password="x")
    leader = User.objects.create_user("lanhdao_longkhanh", password="x", full_name="Võ Văn Hùng")
    Membership.objects.create(user=leader, unit=ward, role=Role.LEADER)
    for name in ("Võ Văn Hùng", "Huỳnh Thị Thoa", "Lê Văn Ba"):
        make_person(ward, name)
    _leadership(ward)
    demo.load(stdout=io.StringIO())
    item = EmulationTitle.objects.get(code="cstd-co-so")
    candidates = [Person.objects.get(unit=ward, full_name=row[0]) for row in demo.CYCLE_CANDIDATES]
    for person in candidates:
        found = check(
            Candidate(
                item=item,
                year=2025,
                basis="yearly",
                on=datetime.date(2026, 1, 15),
                person=person,
                conferring_unit=ward,
            )
        )
        assert found == [], person
    assert {p.ethnicity for p in candidates} == {"Xtiêng", "Kinh"}

    ratings = AnnualRating.objects.count()
    AnnualRating.objects.filter(person=candidates[1]).delete()
    demo.load(stdout=io.StringIO())
    assert AnnualRating.objects.count() == ratings
    assert Person.objects.filter(full_name__in=[p.full_name for p in candidates]).count() == 2

    batch = Person.objects.filter(position__in=("Công nhân", "Tổ trưởng sản xuất"))
    assert batch.count() == demo.PRINT_BATCH_SIZE
    assert batch.filter(is_manager=True, is_direct_worker=False).count() == 12
    assert batch.filter(is_direct_worker=True).count() == 288
    assert batch.filter(gender="female").count() == 50
    assert batch.exclude(ethnicity="Kinh").count() == 30
    assert batch.values("full_name").distinct().count() == demo.PRINT_BATCH_SIZE


def test_every_paper_the_demo_issues_names_the_person_who_made_it_and_who_issued_it(db):
    """The demo's papers (the decisions, the Biên bản, the Tờ trình, the Công văn) are issued
    through the services or, for the 300-awardee batch, by the loader in the leader's name:
    none is left without a creator and an issuer."""
    _load_ward_demo()
    issued = OfficialDocument.objects.filter(status=DocumentStatus.ISSUED)
    assert issued.count() >= 2
    nameless = issued.filter(Q(issued_by__isnull=True) | Q(created_by__isnull=True))
    assert list(nameless.values_list("kind", "title")) == []
    assert not issued.filter(issued_by__is_active=False).exists()
