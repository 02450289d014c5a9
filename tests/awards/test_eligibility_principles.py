"""Each general principle's finding, exactly: its wording, and the severity, article and
unverified mark of the rule that states it (here a provincial override that makes each one soft
and unverified, so that none of the three can be taken from anywhere else), and the days at the
edge of each period."""

from __future__ import annotations

import datetime

import pytest

from awards.models import Discipline, Freeze, GeneralRule, Initiative
from awards.rules.eligibility import SOFT, Candidate, Finding, check, rulebook_for
from awards.rules.eligibility.principles import PrincipleChecks
from tests.awards.eligibility_helpers import (
    award,
    codes,
    collective,
    only,
    person_candidate,
    provincial_rule_set,
    rate,
)

D = datetime.date


@pytest.fixture
def marked(lab):
    """Đồng Nai's own statement of every principle: soft, unverified, its own article."""
    override = provincial_rule_set(lab)
    for number, code in enumerate(
        ["registration", "freeze", "discipline", "once", "one_form", "initiative_once",
         "duplicate_nomination", "dissolved"],
        start=1,
    ):  # fmt: skip
        GeneralRule.objects.create(
            rule_set=override, code=code, severity=SOFT, is_unverified=True,
            article=f"Điều {number} QĐ 86/2025/QĐ-UBND",
        )  # fmt: skip
    rate(lab.person, 2025, "httnv")
    return lab


def stated(code: str, number: int, text: str) -> Finding:
    article = f"Điều {number} QĐ 86/2025/QĐ-UBND"
    return Finding(code, SOFT, article, f"{article}: {text}", True)


def test_registration(marked):
    lab = marked
    finding = only(check(person_candidate(lab, lab.ldtt, registered=False)), "registration")
    assert finding == stated(
        "registration", 1,
        f"Nguyễn Thị Hồng chưa đăng ký thi đua danh hiệu “{lab.ldtt.name}” năm 2025; danh hiệu "
        "chỉ xét cho người, tập thể đã đăng ký.",
    )  # fmt: skip


def test_a_freeze_open_on_the_day_judged_from_its_first_day_to_its_last(marked):
    lab = marked
    day = D(2026, 1, 15)
    freeze = Freeze.objects.create(person=lab.person, kind="complaint", started_on=day)
    finding = only(check(person_candidate(lab, lab.ldtt, on=day)), "freeze")
    assert finding == stated(
        "freeze", 2,
        "Nguyễn Thị Hồng đang trong trường hợp “có khiếu nại, tố cáo, phản ánh đang được xác "
        "minh” (từ 15/01/2026): chưa xét, chưa đề nghị khen thưởng.",
    )  # fmt: skip
    assert "freeze" not in codes(check(person_candidate(lab, lab.ldtt, on=D(2026, 1, 14))))
    freeze.started_on, freeze.ended_on = D(2025, 6, 1), day
    freeze.save()
    assert "freeze" in codes(check(person_candidate(lab, lab.ldtt, on=day)))
    assert "freeze" not in codes(check(person_candidate(lab, lab.ldtt, on=D(2026, 1, 16))))


def test_a_discipline_overlapping_the_year_or_running_on_the_day_judged(marked):
    lab = marked

    def discipline(start, end, level="reprimand"):
        return Discipline.objects.create(
            person=lab.person, level=level, decided_on=start, effective_from=start,
            effective_to=end,
        )  # fmt: skip

    last_day = discipline(D(2024, 1, 1), D(2025, 1, 1))  # its last day is the year's first
    assert only(check(person_candidate(lab, lab.ldtt)), "discipline") == stated(
        "discipline", 3,
        "Nguyễn Thị Hồng bị kỷ luật khiển trách (thời hạn 01/01/2024–01/01/2025), trùng thời "
        "gian tính thành tích năm 2025; thành tích chỉ được tính từ khi hết thời hạn kỷ luật.",
    )  # fmt: skip
    last_day.delete()
    discipline(D(2024, 1, 1), D(2024, 12, 31))  # over before the year
    assert "discipline" not in codes(check(person_candidate(lab, lab.ldtt)))
    discipline(D(2025, 12, 31), D(2026, 12, 30), level="warning")  # from the year's last day
    assert (
        "trùng thời gian tính thành tích năm 2025"
        in only(check(person_candidate(lab, lab.ldtt)), "discipline").message
    )
    Discipline.objects.filter(effective_from=D(2025, 12, 31)).delete()
    discipline(D(2026, 1, 15), D(2027, 1, 14), level="warning")  # from the day judged
    assert only(check(person_candidate(lab, lab.ldtt)), "discipline") == stated(
        "discipline", 3,
        "Nguyễn Thị Hồng bị kỷ luật cảnh cáo (thời hạn 15/01/2026–14/01/2027), còn thời hạn kỷ "
        "luật vào ngày 15/01/2026; thành tích chỉ được tính từ khi hết thời hạn kỷ luật.",
    )  # fmt: skip
    assert "discipline" not in codes(check(person_candidate(lab, lab.ldtt, on=D(2026, 1, 14))))


def test_once_and_one_form(marked):
    lab = marked
    award(lab.person, lab.ldtt, 2025, number="15/QĐ-UBND")
    assert only(check(person_candidate(lab, lab.ldtt)), "once") == stated(
        "once", 4,
        f"Nguyễn Thị Hồng đã được tặng “{lab.ldtt.name}” cho thành tích năm 2025 (hằng năm "
        "(tổng kết năm)) theo Quyết định số 15/QĐ-UBND ngày 10/01/2026; một thành tích chỉ "
        "được khen thưởng một lần.",
    )  # fmt: skip
    award(lab.person, lab.giay_khen, 2025, basis="merit", number="16/QĐ-UBND")
    candidate = person_candidate(lab, lab.bk_tinh, basis="merit", conferring_unit=lab.province)
    assert only(check(candidate), "one_form") == stated(
        "one_form", 5,
        f"Thành tích năm 2025 của Nguyễn Thị Hồng đã được khen bằng “{lab.giay_khen.name}” "
        "(Quyết định số 16/QĐ-UBND); cần giải trình đây là thành tích khác, vì một thành tích "
        "chỉ khen một hình thức.",
    )  # fmt: skip


def test_an_initiative_used_or_in_another_nomination_or_someone_elses(marked):
    lab = marked
    used = award(lab.person, lab.giay_khen, 2024, basis="merit", number="17/QĐ-UBND")
    spent = Initiative.objects.create(
        person=lab.person, name="Một cửa", level="unit", year=2025, used_by=used
    )
    candidate = person_candidate(lab, lab.cstdcs, initiative_ids=(spent.pk,), key=1)
    assert only(check(candidate), "initiative_once") == stated(
        "initiative_once", 6,
        f"Sáng kiến “Một cửa” đã làm căn cứ tặng “{lab.giay_khen.name}” năm 2024 (Quyết định "
        "số 17/QĐ-UBND); mỗi sáng kiến chỉ được dùng làm căn cứ khen thưởng một lần.",
    )  # fmt: skip
    fresh = Initiative.objects.create(person=lab.person, name="Sổ tay", level="unit", year=2025)
    mine = person_candidate(lab, lab.cstdcs, initiative_ids=(fresh.pk,), key=1)
    theirs = person_candidate(lab, lab.giay_khen, basis="merit", initiative_ids=(fresh.pk,), key=2)
    assert only(check(mine, others=[theirs]), "initiative_once") == stated(
        "initiative_once", 6,
        "Sáng kiến “Sổ tay” đang được dùng trong một đề nghị khen thưởng khác; mỗi sáng kiến "
        "chỉ được dùng làm căn cứ khen thưởng một lần.",
    )  # fmt: skip
    other = Initiative.objects.create(
        person=lab.sibling_person, name="Của người khác", level="unit", year=2025
    )
    owner = only(
        check(person_candidate(lab, lab.cstdcs, initiative_ids=(other.pk,))), "initiative_owner"
    )
    article = lab.cstdcs.legal_article
    assert owner == Finding(
        "initiative_owner", "hard", article,
        f"{article}: Sáng kiến “Của người khác” không phải của Nguyễn Thị Hồng.",
    )  # fmt: skip


def test_a_duplicate_nomination_names_the_unit_that_made_it(marked):
    lab = marked
    mine = person_candidate(lab, lab.ldtt, key="a")
    theirs = person_candidate(lab, lab.ldtt, key="b", proposing_unit=lab.ward_office)
    assert only(check(mine, others=[theirs]), "duplicate_nomination") == stated(
        "duplicate_nomination", 7,
        f"Nguyễn Thị Hồng đã được {lab.ward_office.name} đề nghị tặng “{lab.ldtt.name}” năm "
        "2025; không đề nghị trùng một thành tích ở hai nơi.",
    )  # fmt: skip
    nameless = person_candidate(lab, lab.ldtt, key="c", proposing_unit=None)
    finding = only(check(mine, others=[nameless]), "duplicate_nomination")
    assert "đã được một đơn vị khác đề nghị" in finding.message


def test_a_collective_dissolved_before_the_day_judged(marked):
    lab = marked
    rate(lab.ward_office, 2025, "httnv")
    lab.ward_office.valid_to = D(2026, 1, 14)
    lab.ward_office.save(update_fields=["valid_to"])
    assert only(check(collective(lab, lab.ttldtt)), "dissolved") == stated(
        "dissolved", 8,
        f"{lab.ward_office.name} đã giải thể hoặc sáp nhập từ 14/01/2026; không khen thưởng "
        "tập thể đã giải thể do sắp xếp tổ chức bộ máy.",
    )  # fmt: skip
    lab.ward_office.valid_to = D(2026, 1, 15)  # the day judged: not yet gone
    lab.ward_office.save(update_fields=["valid_to"])
    assert "dissolved" not in codes(check(collective(lab, lab.ttldtt)))


def test_only_the_same_subject_for_the_same_item_and_year_is_a_duplicate(marked):
    lab = marked
    mine = person_candidate(lab, lab.ldtt, key="a")
    others = [
        person_candidate(lab, lab.cstdcs, key="b", proposing_unit=lab.ward_office),  # other item
        person_candidate(lab, lab.ldtt, key="c", year=2024),  # another year
        Candidate(
            item=lab.ldtt,
            year=2025,
            basis="yearly",
            on=D(2026, 1, 15),
            person=lab.sibling_person,
            key="d",
        ),
        person_candidate(lab, lab.ldtt, key="e", proposing_unit=lab.ward_office),
    ]
    findings = [f for f in check(mine, others=others) if f.code == "duplicate_nomination"]
    assert len(findings) == 1
    assert lab.ward_office.name in findings[0].message


def test_someone_elses_freeze_does_not_stop_a_nomination(marked):
    lab = marked
    Freeze.objects.create(person=lab.sibling_person, kind="complaint", started_on=D(2025, 12, 1))
    assert "freeze" not in codes(check(person_candidate(lab, lab.ldtt)))


def test_initiatives_spent_are_named_with_their_awards_read_in_the_same_query(
    marked, django_assert_num_queries
):
    lab = marked
    on_title = award(lab.person, lab.cstdcs, 2024, number="18/QĐ-UBND")
    on_form = award(lab.person, lab.giay_khen, 2024, basis="merit", number="19/QĐ-UBND")
    spent = [
        Initiative.objects.create(
            person=lab.person, name=name, level="unit", year=2025, used_by=used
        )
        for name, used in (("Một cửa", on_title), ("Sổ tay", on_form))
    ]
    candidate = person_candidate(
        lab, lab.bk_tinh, basis="merit", conferring_unit=lab.province,
        initiative_ids=tuple(i.pk for i in spent),
    )  # fmt: skip
    principles = PrincipleChecks(candidate=candidate, rules=rulebook_for(candidate), others=[])
    principles.general("initiative_once")  # the rule set's principles, read once for all checks
    with django_assert_num_queries(1):
        principles.check_initiatives()
    messages = [f.message for f in principles.findings if f.code == "initiative_once"]
    assert len(messages) == 2
    assert f"đã làm căn cứ tặng “{lab.cstdcs.name}” năm 2024" in messages[0]
    assert f"đã làm căn cứ tặng “{lab.giay_khen.name}” năm 2024" in messages[1]


def test_a_collectives_initiatives_must_be_its_own_each_checked_with_or_without_the_rule(marked):
    lab = marked

    def initiative(name, unit):
        return Initiative.objects.create(unit=unit, name=name, level="unit", year=2025).pk

    own = initiative("Của phòng", lab.ward_office)
    other = initiative("Của văn phòng", lab.ward_secretariat)
    assert "initiative_owner" not in codes(
        check(collective(lab, lab.ttldtt, initiative_ids=(own,)))
    )
    both = collective(lab, lab.ttldtt, initiative_ids=(own, other))
    refused = f"Sáng kiến “Của văn phòng” không phải của {lab.ward_office.name}."
    assert only(check(both), "initiative_owner").message.endswith(refused)
    # Without the once-only principle, the owner of every initiative is still checked.
    GeneralRule.objects.filter(code="initiative_once").update(enabled=False)
    assert only(check(both), "initiative_owner").message.endswith(refused)


def test_the_same_item_the_same_year_on_another_basis_is_another_achievement(marked):
    lab = marked
    award(lab.person, lab.giay_khen, 2025, basis="ad_hoc")
    merit = person_candidate(lab, lab.giay_khen, basis="merit")
    assert "once" not in codes(check(merit))
    assert "once" in codes(check(person_candidate(lab, lab.giay_khen, basis="ad_hoc")))


def test_one_form_counts_only_another_form_on_a_merit_basis_read_in_one_query(
    marked, django_assert_num_queries
):
    lab = marked
    award(lab.person, lab.giay_khen, 2025, basis="ad_hoc")  # not a merit award
    award(lab.person, lab.bk_tinh, 2025, basis="merit", basis_reference="Đợt 1")  # this form
    candidate = person_candidate(
        lab, lab.bk_tinh, basis="merit", basis_reference="Đợt 2", conferring_unit=lab.province
    )
    assert "one_form" not in codes(check(candidate))
    award(lab.person, lab.giay_khen, 2025, basis="merit", number="20/QĐ-UBND")
    principles = PrincipleChecks(candidate=candidate, rules=rulebook_for(candidate), others=[])
    principles.general("once")  # the rule set's principles, read once for all checks
    with django_assert_num_queries(2):  # the same achievement, then another form's
        principles.check_once()
    finding = only(principles.findings, "one_form")
    assert f"“{lab.giay_khen.name}” (Quyết định số 20/QĐ-UBND)" in finding.message
