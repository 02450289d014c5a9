"""The council's Biên bản is the council's paper (#13 §5): under the unit as cơ quan chủ quản,
with time and place, members present and absent, chair and secretary, agenda, tally per dossier,
closing time and both signatures. Read back from the issued PDF with pdfplumber."""

from __future__ import annotations

import datetime
from io import BytesIO

import pdfplumber
import pytest

from awards.models import Choice
from awards.procedure import council
from portal.errors import RuleViolation
from tests.awards.nomination_helpers import TODAY, checked

START, END = datetime.time(8, 0), datetime.time(10, 30)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def _session(world):
    from portal.models import Role
    from tests.factories import make_member

    users = [
        make_member(world.ward, Role.COUNCIL_MEMBER, full_name=name)
        for name in ("Đinh Văn Một", "Cao Thị Hai", "Kiều Văn Ba", "Lò Thị Bốn", "Mạc Văn Năm")
    ]
    session = council.create_session(
        world.ward,
        actor=world.reviewer,
        title="Phiên họp xét khen thưởng",
        held_on=TODAY.date(),
        place="Hội trường Ủy ban nhân dân phường Xuân Trung",
        starts_at=START,
        members=[(users[0], "Phó Chủ tịch Hội đồng"), *((u, "Ủy viên") for u in users[1:])],
    )
    seats = list(session.seats.order_by("pk"))
    council.set_attendance(seats[-1], actor=world.reviewer, present=False)
    return session, users


def _lines(pdf: bytes) -> list[str]:
    with pdfplumber.open(BytesIO(pdf)) as opened:
        return [
            " ".join(line["text"].split())
            for page in opened.pages
            for line in page.extract_text_lines()
        ]


def test_the_biên_bản_records_the_meeting_and_is_signed_by_chair_and_secretary(world):
    nomination = checked(world, code="cstd-co-so")
    session, users = _session(world)
    item = council.put_on_agenda(nomination, actor=world.reviewer, session=session)
    for user in users[:4]:
        council.cast_vote(item, actor=user, choice=Choice.YES)
    council.record_written_vote(
        item, actor=world.reviewer, seat=session.seats.get(user=users[4]), choice=Choice.YES
    )
    closed = council.close_session(
        session,
        actor=world.reviewer,
        chair_name="Võ Văn Phường",
        secretary_name="Huỳnh Thị Thu",
        ends_at=END,
    )
    minutes = closed.minutes
    assert minutes.number_and_symbol.endswith("/BB-HĐTĐKT")
    with minutes.pdf.open("rb") as opened:
        lines = _lines(opened.read())
    text = " ".join(lines)
    # The council's paper under the ward as cơ quan chủ quản.
    assert lines[0].startswith("UBND PHƯỜNG XUÂN")
    assert "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG" in text
    assert "ỦY BAN NHÂN DÂN PHƯỜNG XUÂN TRUNG" not in text
    assert (
        "Vào hồi 08 giờ 00, ngày 02 tháng 03 năm 2026, tại Hội trường Ủy ban nhân dân phường "
        "Xuân Trung, Hội đồng Thi đua – Khen thưởng Phường Xuân Trung họp xét khen thưởng." in text
    )
    assert "Thành viên có mặt: 4/5 (Đinh Văn Một – Phó Chủ tịch Hội đồng; Cao Thị Hai" in text
    assert "Thành viên vắng mặt: 1 (Mạc Văn Năm – Ủy viên), gửi phiếu bằng văn bản" in text
    assert "Chủ trì: Võ Văn Phường, Chủ tịch Hội đồng. Thư ký: Huỳnh Thị Thu." in text
    assert "Xét 1 hồ sơ đề nghị khen thưởng: 1. Nguyễn Thị Hồng – Chiến sĩ thi đua cơ sở." in text
    row = next(line for line in lines if line.startswith("1 Nguyễn Thị Hồng"))
    assert row.endswith("5/5 100,0 % Đạt")
    assert "Cuộc họp kết thúc vào hồi 10 giờ 30 cùng ngày." in text
    # Both sign side by side after the closing line: the secretary left, the chair right.
    closing = next(i for i, line in enumerate(lines) if "Cuộc họp kết thúc vào hồi" in line)
    assert "THƯ KÝ CHỦ TỊCH HỘI ĐỒNG" in lines[closing:]
    assert "Huỳnh Thị Thu Võ Văn Phường" in lines[closing:]
    closed.refresh_from_db()
    assert closed.ends_at == END


def test_a_closing_time_before_the_opening_is_refused(world):
    nomination = checked(world, code="cstd-co-so")
    session, _users = _session(world)
    council.put_on_agenda(nomination, actor=world.reviewer, session=session)
    with pytest.raises(RuleViolation) as refused:
        council.close_session(
            session,
            actor=world.reviewer,
            chair_name="Võ Văn Phường",
            secretary_name="Huỳnh Thị Thu",
            ends_at=datetime.time(7, 30),
        )
    assert refused.value.message == "Giờ kết thúc phiên họp phải sau giờ bắt đầu."
    session.refresh_from_db()
    assert session.minutes_id is None and session.ends_at is None
