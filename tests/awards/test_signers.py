"""Every paper names who sends it, to whom, and in what capacity (#13 §1): the Tờ trình goes
from the proposing unit to the head of the deciding level; the signer is a named person holding
a post in the issuing unit on the paper's date, in the capacity Decree 30 gives that post; an
awardee never signs their own decision. Read back from the real PDFs with pdfplumber."""

from __future__ import annotations

import datetime
from io import BytesIO

import pdfplumber
import pytest
from django.core.exceptions import PermissionDenied

from awards.paperwork import papers
from awards.procedure import clearance, decisions, drafting, submission
from portal import documents, services
from portal.documents import signers
from portal.models import DocumentKind, Post
from tests.awards.nomination_helpers import TODAY, approved, draft, received, refresh
from tests.factories import make_person, make_post
from tests.refusals import refused

DAY = TODAY.date()


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def _lines(pdf: bytes) -> list[str]:
    with pdfplumber.open(BytesIO(pdf)) as opened:
        return [
            " ".join(line["text"].split())
            for page in opened.pages
            for line in page.extract_text_lines()
        ]


def _flat(pdf: bytes) -> str:
    return " ".join(_lines(pdf))


def _stored(document) -> bytes:
    with document.pdf.open("rb") as opened:
        return opened.read()


def _signature_block(pdf: bytes, name: str) -> list[str]:
    """The lines of the signature column, from its first capacity line down to the name."""
    with pdfplumber.open(BytesIO(pdf)) as opened:
        for page in opened.pages:
            right = page.crop((page.width / 2, 0, page.width, page.height))
            lines = [" ".join(line["text"].split()) for line in right.extract_text_lines()]
            if name in lines:
                break
    end = lines.index(name)
    start = end
    while start > 0 and lines[start - 1].isupper():
        start -= 1
    return lines[start : end + 1]


# --- the capacity of each post (Decree 30, Art. 13) ------------------------------------------


def test_a_peoples_committee_signs_on_behalf_of_the_collective_and_its_deputy_for_the_chairman(
    world,
):
    head = signers.signature(world.ward, DAY)
    assert head.person == world.ward_chair
    assert head.title_lines == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    deputy = signers.signature(world.ward, DAY, person=world.ward_deputy)
    assert deputy.title_lines == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


def test_the_chairmans_own_decision_and_a_department_are_signed_in_the_heads_name(world):
    assert signers.signature(world.ward, DAY, collective=False).title_lines == ["CHỦ TỊCH"]
    deputy = signers.signature(world.ward, DAY, person=world.ward_deputy, collective=False)
    assert deputy.title_lines == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    director = signers.signature(world.home_affairs, DAY)
    assert director.title_lines == ["GIÁM ĐỐC"]
    assert director.person == world.home_affairs_director


def test_acting_by_order_and_authorised_posts_print_q_tl_and_tuq(world):
    acting = make_person(world.home_affairs, "Trịnh Văn Quyền", gender="male", is_manager=True)
    make_post(world.home_affairs, acting, "acting", "Quyền Giám đốc")
    chief = make_person(world.home_affairs, "Mai Thị Chánh", is_manager=True)
    make_post(world.home_affairs, chief, "by_order", "Chánh Văn phòng")
    authorised = make_person(world.home_affairs, "Đoàn Văn Ủy", gender="male", is_manager=True)
    make_post(world.home_affairs, authorised, "authorised", "Trưởng phòng Tổ chức")
    lines = {
        person.full_name: signers.signature(world.home_affairs, DAY, person=person).title_lines
        for person in (acting, chief, authorised)
    }
    assert lines == {
        "Trịnh Văn Quyền": ["Q. GIÁM ĐỐC"],
        "Mai Thị Chánh": ["TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG"],
        "Đoàn Văn Ủy": ["TUQ. GIÁM ĐỐC", "TRƯỞNG PHÒNG TỔ CHỨC"],
    }


def test_the_signer_is_who_held_the_post_on_the_papers_date(world):
    post = Post.objects.get(unit=world.ward, rank="head")
    services.end_post(post, actor=world.admin, ends_on=datetime.date(2026, 1, 31))
    successor = make_person(world.ward, "Tạ Văn Mới", gender="male", is_manager=True)
    services.appoint_post(
        world.ward,
        actor=world.admin,
        person=successor,
        rank="head",
        title="Chủ tịch",
        starts_on=datetime.date(2026, 2, 1),
    )
    assert signers.signature(world.ward, datetime.date(2026, 1, 15)).person == world.ward_chair
    assert signers.signature(world.ward, DAY).person == successor
    with refused("signer_not_leader") as refusal:
        signers.signature(world.ward, DAY, person=world.ward_chair)
    assert refusal.value.message == (
        "Võ Văn Phường không giữ chức vụ lãnh đạo tại Phường Xuân Trung ngày 02/03/2026; "
        "chọn người ký trong lãnh đạo đơn vị."
    )


def test_a_unit_without_leaders_refuses_to_sign_rather_than_print_an_account(world):
    Post.objects.filter(unit=world.sibling_ward).delete()
    with refused("no_signer") as refusal:
        signers.signature(world.sibling_ward, DAY)
    assert refusal.value.message.startswith(
        "Chưa có lãnh đạo của Phường Xuân An giữ chức vụ ngày 02/03/2026 để ký văn bản"
    )


def test_one_head_at_a_time_and_only_who_manages_the_people_appoints(world):
    with refused("single_post_taken") as refusal:
        services.appoint_post(
            world.ward,
            actor=world.admin,
            person=world.person,
            rank="head",
            title="Chủ tịch",
            starts_on=datetime.date(2025, 7, 1),
        )
    assert "đã có người đứng đầu là Võ Văn Phường" in refusal.value.message
    with pytest.raises(PermissionDenied):
        services.appoint_post(
            world.ward,
            actor=world.outsider,
            person=world.person,
            rank="deputy",
            title="Phó Chủ tịch",
            starts_on=DAY,
        )
    assert not Post.objects.filter(person=world.person).exists()


def test_issuing_refuses_a_signer_who_no_longer_holds_the_post(world):
    draft_doc = documents.create_draft(
        DocumentKind.NOTICE,
        issuer=world.ward,
        actor=None,
        summary="Về việc lịch họp",
        body="Nội dung.",
        recipients=["Các phòng"],
        **signers.signature(world.ward, DAY).draft_fields(),
    )
    Post.objects.filter(unit=world.ward, rank="head").update(ends_on=datetime.date(2026, 2, 28))
    with refused("signer_not_leader") as refusal:
        documents.issue_document(draft_doc, actor=None)
    assert refusal.value.message == (
        "Võ Văn Phường không giữ chức vụ lãnh đạo tại Phường Xuân Trung ngày 02/03/2026; "
        "chọn người ký trong lãnh đạo đơn vị."
    )


# --- the papers of the workflow ----------------------------------------------------------------


def test_the_wards_toi_trinh_goes_to_the_upper_chairman_signed_tm_by_the_wards_chairman(world):
    nomination = draft(world, code="bang-khen-tinh")
    drafting.update_nomination(
        nomination,
        actor=world.ward_officer,
        justifications={f["code"]: "Có giải trình." for f in nomination.findings},
    )
    batch = submission.submit_batch([nomination], actor=world.ward_officer, sender=world.ward)
    paper = batch.submission
    pdf = _stored(paper)
    text = _flat(pdf)
    assert paper.issuer == world.ward and paper.signer == world.ward_chair
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân thành phố Long Khánh" in text
    assert "Phường Xuân Trung kính đề nghị Chủ tịch Ủy ban nhân dân thành phố Long Khánh" in text
    assert "Kính gửi: Phường Xuân Trung" not in text
    assert _signature_block(pdf, "Võ Văn Phường") == [
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Võ Văn Phường",
    ]
    assert world.ward_officer.get_full_name() not in text


def test_a_province_is_addressed_through_its_chairman_and_its_home_affairs_department(world):
    assert papers.addressees_for(world.province, DAY) == [
        "Chủ tịch Ủy ban nhân dân tỉnh Đồng Nai",
        "Sở Nội vụ",
    ]
    # Its own Sở Nội vụ, proposing the province's own awards, is not addressed to itself.
    assert papers.addressees_for(world.province, DAY, world.home_affairs) == [
        "Chủ tịch Ủy ban nhân dân tỉnh Đồng Nai"
    ]


def test_a_levels_own_proposal_goes_from_its_office_to_its_chairman(world):
    nomination = submission_of_own_level(world)
    paper = nomination.batch.submission
    pdf = _stored(paper)
    text = _flat(pdf)
    assert paper.issuer == world.ward_secretariat
    assert paper.number_and_symbol.endswith("/TTr-VP")
    assert "UBND PHƯỜNG XUÂN" in text and "VĂN PHÒNG HĐND VÀ UBND" in text
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân phường Xuân Trung" in text
    assert "Văn phòng HĐND và UBND kính đề nghị Chủ tịch Ủy ban nhân dân phường Xuân" in text
    assert _signature_block(pdf, "Bùi Thị Chánh") == ["CHÁNH VĂN PHÒNG", "Bùi Thị Chánh"]


def test_the_provinces_own_proposal_goes_from_its_home_affairs_department(world):
    assert signers.staff_office(world.province, DAY) == world.home_affairs
    assert signers.head_phrase(world.home_affairs, DAY) == "Giám đốc Sở Nội vụ"


def submission_of_own_level(world):
    nomination = draft(world)
    submission.submit_batch([nomination], actor=world.ward_officer, sender=world.ward)
    return refresh(nomination)


def test_the_cong_van_prints_tm_over_kt_for_a_deputy_of_the_committee(world):
    nomination = received(world)
    request = clearance.request_clearance(
        [nomination],
        actor=world.reviewer,
        body_name="Công an phường Xuân Trung",
        subject="việc chấp hành pháp luật.",
        due_on=DAY + datetime.timedelta(days=14),
        signer=world.ward_deputy,
    )
    pdf = _stored(request.letter)
    assert _signature_block(pdf, "Lê Thị Phó") == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Lê Thị Phó",
    ]


def test_the_chairman_never_signs_his_own_award_the_deputy_does(world):
    nomination = approved(world, person=world.ward_chair)
    decision = decisions.draft_decision([nomination], actor=world.reviewer)
    assert decision.document.signer == world.ward_deputy
    with refused("signer_is_awardee") as refusal:
        decisions.set_decision_signer(decision, actor=world.reviewer, signer=world.ward_chair)
    assert refusal.value.message == (
        "Võ Văn Phường có tên trong danh sách được khen thưởng của quyết định này nên không ký "
        "quyết định khen cho chính mình; hãy chọn cấp phó ký thay (KT.)."
    )
    decisions.issue_decision(decision, actor=world.ward_leader)
    pdf = _stored(refresh(nomination).decision.document)
    assert _signature_block(pdf, "Lê Thị Phó") == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Thị Phó"]


def test_without_a_deputy_the_chairmans_own_award_is_refused_with_the_reason(world):
    Post.objects.filter(unit=world.ward, rank="deputy").delete()
    nomination = approved(world, person=world.ward_chair)
    with refused("no_signer_besides_awardees") as refusal:
        decisions.draft_decision([nomination], actor=world.reviewer)
    assert refusal.value.message == (
        "Lãnh đạo của Phường Xuân Trung ngày 02/03/2026 có tên trong danh sách được khen "
        "thưởng và không có cấp phó ký thay; hãy nhập chức vụ cấp phó trước."
    )
    assert refresh(nomination).decision_id is None
