"""Each title and form gets the paper the law gives it, and decisions read as the law writes
them (#13 §§2–3), checked on the real PDFs with pdfplumber."""

from __future__ import annotations

from io import BytesIO
from types import SimpleNamespace

import pdfplumber
import pytest

from awards.models import AwardForm, Choice, EmulationTitle, Paper
from awards.paperwork import certificates
from awards.procedure import approval, council, decisions, drafting
from portal import documents
from tests.awards.nomination_helpers import TODAY, checked, council_of, issued, refresh
from tests.refusals import refused

# What the law hands over with each item of the seeded catalogue (migration 0017).
EXPECTED = {
    "cstd-toan-quoc": Paper.BANG_CHUNG_NHAN,
    "cstd-tinh": Paper.BANG_CHUNG_NHAN,
    "cstd-co-so": Paper.BANG_CHUNG_NHAN,
    "lao-dong-tien-tien": Paper.NONE,
    "co-thi-dua-chinh-phu": Paper.CO_THI_DUA,
    "co-thi-dua-tinh": Paper.CO_THI_DUA,
    "tap-the-lao-dong-xuat-sac": Paper.BANG_CHUNG_NHAN,
    "tap-the-lao-dong-tien-tien": Paper.NONE,
    "xa-phuong-tieu-bieu": Paper.GIAY_CHUNG_NHAN,
    "thon-to-dan-pho-van-hoa": Paper.GIAY_CHUNG_NHAN,
    "gia-dinh-van-hoa": Paper.GIAY_KHEN,
    "huan-chuong-lao-dong-hang-nhat": Paper.STATE,
    "huan-chuong-lao-dong-hang-nhi": Paper.STATE,
    "huan-chuong-lao-dong-hang-ba": Paper.STATE,
    "bang-khen-thu-tuong": Paper.STATE,
    "bang-khen-tinh": Paper.BANG_KHEN,
    "giay-khen": Paper.GIAY_KHEN,
}


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def _text(pdf: bytes) -> str:
    with pdfplumber.open(BytesIO(pdf)) as opened:
        return "\n".join(page.extract_text() or "" for page in opened.pages)


def _flat(pdf: bytes) -> str:
    return " ".join(_text(pdf).split())


def _stored(field) -> bytes:
    with field.open("rb") as opened:
        return opened.read()


def _certificates_pdf(world, decision) -> bytes:
    layout = certificates.certificate_layout(decision, actor=world.reviewer)
    rows = [documents.CertificateRow(**row) for row in certificates.certificate_rows(decision)]
    return documents.render_certificates(rows, layout=layout)


def test_the_catalogue_gives_each_item_the_paper_the_law_gives_both_ways(db):
    items = [*EmulationTitle.objects.all(), *AwardForm.objects.all()]
    assert {item.code: item.paper for item in items} == EXPECTED
    for item in items:
        assert item.paper_article, item
    # The unverified names stay marked as such in the data.
    assert EmulationTitle.objects.get(code="gia-dinh-van-hoa").paper_unverified
    assert not EmulationTitle.objects.get(code="cstd-co-so").paper_unverified


def test_lao_dong_tien_tien_prints_no_giay_khen_the_law_gives_it_money_only(world):
    nomination = issued(world)
    with refused("no_printed_paper") as caught:
        certificates.print_certificates(nomination.decision, actor=world.reviewer)
    assert "Lao động tiên tiến: không có (chỉ tiền thưởng)" in caught.value.message


def test_a_chien_si_thi_dua_co_so_decision_prints_a_bang_chung_nhan(world):
    nomination = checked(world, code="cstd-co-so")
    members = council_of(world, world.ward, size=5)
    item = council.put_on_agenda(nomination, actor=world.reviewer, session=members.session)
    for user in members.users:
        council.cast_vote(item, actor=user, choice=Choice.YES)
    council.close_session(members.session, actor=world.reviewer)
    decision = decisions.draft_decision([refresh(nomination)], actor=world.reviewer)
    decisions.issue_decision(decision, actor=world.ward_leader)
    decision.refresh_from_db()
    text = _flat(_certificates_pdf(world, decision))
    number = decision.document.number_and_symbol
    assert "BẰNG CHỨNG NHẬN" in text
    assert "GIẤY KHEN" not in text and "BẰNG KHEN" not in text
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG XUÂN TRUNG" in text
    assert world.person.full_name in text
    assert "Đạt danh hiệu Chiến sĩ thi đua cơ sở năm 2025" in text
    assert f"Quyết định số {number} ngày 02/03/2026" in text
    assert "Võ Văn Phường" in text

    decision_text = _flat(_stored(decision.document.pdf))
    assert "Về việc tặng danh hiệu Chiến sĩ thi đua cơ sở năm 2025" in decision_text
    assert "Theo kết quả họp Hội đồng Thi đua – Khen thưởng Phường Xuân Trung." in decision_text


def _family_decision(world):
    nomination = drafting.create_nomination(
        world.ward,
        actor=world.ward_officer,
        item=EmulationTitle.objects.get(code="gia-dinh-van-hoa"),
        year=2025,
        basis_kind="yearly",
        unit=world.ward,
        household_name="Hộ ông Trần Văn Tư, khu phố 3",
        report_achievements="Gia đình gương mẫu, tích cực tham gia phong trào ở khu phố.",
    )
    nomination = checked(world, nomination=nomination)
    approval.approve_nomination(nomination, actor=world.ward_leader)
    decision = decisions.draft_decision([refresh(nomination)], actor=world.reviewer)
    decisions.issue_decision(decision, actor=world.ward_leader)
    decision.refresh_from_db()
    return decision


def test_gia_dinh_van_hoa_prints_its_giay_khen_with_the_household_and_the_decision(world):
    decision = _family_decision(world)
    text = _flat(_certificates_pdf(world, decision))
    assert "GIẤY KHEN" in text
    assert "Hộ ông Trần Văn Tư, khu phố 3" in text
    assert "Đạt danh hiệu Gia đình văn hóa năm 2025" in text
    assert f"Quyết định số {decision.document.number_and_symbol} ngày 02/03/2026" in text


def test_the_decision_reads_as_the_law_writes_it(world):
    decision = _family_decision(world)
    text = _flat(_stored(decision.document.pdf))
    assert "Về việc tặng danh hiệu Gia đình văn hóa năm 2025" in text
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG XUÂN TRUNG" in text
    assert "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;" in text
    assert "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;" in text
    assert "Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025" in text
    assert "Nghị định số 129/2025/NĐ-CP" in text
    # The ward's own proposal went from its Văn phòng: its head by the title of the post.
    assert "Xét đề nghị của Chánh Văn phòng HĐND và UBND tại Tờ trình số" in text
    # Điều 1 names only the kinds present and points to the annex.
    assert "cho 1 hộ gia đình (có danh sách kèm theo)" in text
    assert "cá nhân (có danh sách" not in text
    assert "không kèm tiền thưởng" in text
    assert "Không kèm tiền" in text  # the annex row (its cell wraps)
    assert "khen thưởng:" not in text  # the old "Về việc khen thưởng: …"


def test_a_department_prints_its_own_authority_line(world):
    from awards.paperwork.decisions import authority_line, head_title

    assert authority_line(world.home_affairs) == "GIÁM ĐỐC SỞ NỘI VỤ"
    assert head_title(world.home_affairs) == "GIÁM ĐỐC"
    assert authority_line(world.ward) == "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG XUÂN TRUNG"


def test_a_decision_giving_two_kinds_of_paper_is_printed_from_separate_decisions(
    world, monkeypatch
):
    decision = issued(world).decision
    # Its dossiers as a decision that gave a Bằng chứng nhận and a Giấy khen would list them.
    title = EmulationTitle.objects.get(code="cstd-co-so")
    form = AwardForm.objects.get(code="giay-khen")
    given = [
        SimpleNamespace(title_id=title.pk, award_form_id=None, item=title),
        SimpleNamespace(title_id=None, award_form_id=form.pk, item=form),
    ]
    monkeypatch.setattr(certificates, "_nominations", lambda decision: given)
    with refused("several_papers") as refusal:
        certificates.printed_paper(decision)
    assert "Bằng chứng nhận" in refusal.value.message and "Giấy khen" in refusal.value.message
