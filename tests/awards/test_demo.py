import datetime
import io

from awards import demo
from awards.eligibility import Candidate, check
from awards.models import AwardRecord, EmulationTitle, Freeze
from portal.demo import WARD_LONG_KHANH
from portal.models import UnitKind, User
from tests.factories import make_person, make_unit


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


def test_the_demo_nominations_show_a_published_decision_and_an_open_council(db):
    from awards.models import AwardDecision, CouncilSession, Nomination
    from portal.models import Membership, Role

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
        ("noivu", city, Role.REVIEWER),
        ("hoidong", city, Role.COUNCIL_MEMBER),
    ):
        user = User.objects.create_user(name, password="x", full_name=name)
        Membership.objects.create(user=user, unit=unit, role=role)
    for name in ("Võ Văn Hùng", "Huỳnh Thị Thoa", "Lê Văn Ba"):
        make_person(ward, name)
    demo.load(stdout=io.StringIO())
    published, to_print = AwardDecision.objects.order_by("pk")
    assert published.status == "published"
    assert CouncilSession.objects.get().items.count() == 1
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
