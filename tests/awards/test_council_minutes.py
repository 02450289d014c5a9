"""The council's Biên bản is the council's paper (#13 §5): under the unit as cơ quan chủ quản,
with time and place, members present and absent, chair and secretary, agenda, tally per dossier,
closing time and both signatures. Every name on it is the person holding a seat of the session,
never an account label nor a typed name. Read back from the issued PDF with pdfplumber."""

from __future__ import annotations

import datetime
from io import BytesIO

import pdfplumber
import pytest

from awards.models import Choice
from awards.procedure import council
from tests.awards.nomination_helpers import TODAY, checked
from tests.refusals import refused

START, END = datetime.time(8, 0), datetime.time(10, 30)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


NAMES = ("Đinh Văn Một", "Cao Thị Hai", "Kiều Văn Ba", "Lò Thị Bốn", "Mạc Văn Năm")
ROLES = (
    "Chủ tịch Hội đồng",
    "Phó Chủ tịch Hội đồng",
    "Ủy viên, Thư ký Hội đồng",
    "Ủy viên",
    "Ủy viên",
)


def _session(world):
    from portal.models import Role
    from tests.factories import make_member, make_person

    # The accounts carry labels, not the names: only the persons' names may reach the paper.
    users = [
        make_member(world.ward, Role.COUNCIL_MEMBER, full_name=f"Tài khoản hội đồng {index}")
        for index in range(1, 6)
    ]
    for user, name in zip(users, NAMES, strict=True):
        make_person(world.ward, name, user=user)
    session = council.create_session(
        world.ward,
        actor=world.reviewer,
        title="Phiên họp xét khen thưởng",
        held_on=TODAY.date(),
        place="Hội trường Ủy ban nhân dân phường Xuân Trung",
        starts_at=START,
        members=list(zip(users, ROLES, strict=True)),
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
    closed = council.close_session(session, actor=world.reviewer, ends_at=END)
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
    assert "Thành viên có mặt: 4/5 (Đinh Văn Một – Chủ tịch Hội đồng; Cao Thị Hai – Phó" in text
    assert "Thành viên vắng mặt: 1 (Mạc Văn Năm – Ủy viên), gửi phiếu bằng văn bản" in text
    # Chair and secretary follow from the seats' roles in the council.
    assert (
        "Chủ trì: Đinh Văn Một – Chủ tịch Hội đồng. Thư ký: Kiều Văn Ba – Ủy viên, Thư ký Hội "
        "đồng." in text
    )
    assert "Tài khoản hội đồng" not in text
    assert "Xét 1 hồ sơ đề nghị khen thưởng: 1. Nguyễn Thị Hồng – Chiến sĩ thi đua cơ sở." in text
    row = next(line for line in lines if line.startswith("1 Nguyễn Thị Hồng"))
    assert row.endswith("5/5 100,0 % Đạt")
    assert "Cuộc họp kết thúc vào hồi 10 giờ 30 cùng ngày." in text
    # Both sign side by side after the closing line: the secretary left, the chair right.
    closing = next(i for i, line in enumerate(lines) if "Cuộc họp kết thúc vào hồi" in line)
    assert "THƯ KÝ CHỦ TỊCH HỘI ĐỒNG" in lines[closing:]
    assert "Kiều Văn Ba Đinh Văn Một" in lines[closing:]
    closed.refresh_from_db()
    assert closed.ends_at == END


def test_a_closing_time_before_the_opening_is_refused(world):
    nomination = checked(world, code="cstd-co-so")
    session, _users = _session(world)
    council.put_on_agenda(nomination, actor=world.reviewer, session=session)
    with refused("session_ends_before_start"):
        council.close_session(session, actor=world.reviewer, ends_at=datetime.time(7, 30))
    session.refresh_from_db()
    assert session.minutes_id is None and session.ends_at is None


def _voted(world):
    nomination = checked(world, code="cstd-co-so")
    session, users = _session(world)
    item = council.put_on_agenda(nomination, actor=world.reviewer, session=session)
    for user in users[:4]:
        council.cast_vote(item, actor=user, choice=Choice.YES)
    return session, users


def test_with_the_chair_away_the_vice_chair_presides_and_signs_as_such(world):
    session, _users = _voted(world)
    seats = list(session.seats.order_by("pk"))
    council.set_attendance(seats[-1], actor=world.reviewer, present=True)
    council.set_attendance(seats[0], actor=world.reviewer, present=False)
    closed = council.close_session(session, actor=world.reviewer, ends_at=END)
    assert closed.minutes.signer_name == "Cao Thị Hai"
    assert closed.minutes.signer_position == "PHÓ CHỦ TỊCH HỘI ĐỒNG"
    assert closed.minutes.co_signers == [{"title": "THƯ KÝ", "name": "Kiều Văn Ba"}]


def test_a_member_chosen_to_preside_signs_as_the_meetings_chair(world):
    session, _users = _voted(world)
    seats = list(session.seats.order_by("pk"))
    closed = council.close_session(
        session, actor=world.reviewer, chair=seats[3], secretary=seats[1], ends_at=END
    )
    assert closed.minutes.signer_name == "Lò Thị Bốn"
    assert closed.minutes.signer_position == "CHỦ TRÌ"
    assert closed.minutes.co_signers == [{"title": "THƯ KÝ", "name": "Cao Thị Hai"}]


@pytest.mark.parametrize(
    ("chair", "secretary", "code", "message"),
    [
        (4, 2, "presiding_absent", "Người chủ trì phải có mặt tại phiên họp."),
        (0, 4, "presiding_absent", "Thư ký phải có mặt tại phiên họp."),
        (
            0,
            0,
            "chair_is_secretary",
            "Người chủ trì và Thư ký phải là hai thành viên khác nhau.",
        ),
    ],
)
def test_the_chair_and_the_secretary_must_be_two_seats_at_the_meeting(
    world, chair, secretary, code, message
):
    session, _users = _voted(world)
    seats = list(session.seats.order_by("pk"))
    with refused(code) as info:
        council.close_session(
            session, actor=world.reviewer, chair=seats[chair], secretary=seats[secretary]
        )
    assert info.value.message == message
    session.refresh_from_db()
    assert session.minutes_id is None and session.status == "open"


def test_a_seat_not_linked_to_a_person_cannot_be_named_and_the_session_stays_open(world):
    session, users = _voted(world)
    users[3].person.delete()
    with refused("seat_without_person"):
        council.close_session(session, actor=world.reviewer, ends_at=END)
    session.refresh_from_db()
    assert session.minutes_id is None and session.status == "open"


def test_without_a_secretary_in_the_council_one_must_be_chosen(world):
    session, _users = _voted(world)
    session.seats.filter(role__contains="Thư ký").update(role="Ủy viên")
    with refused("presiding_missing"):
        council.close_session(session, actor=world.reviewer, ends_at=END)


def test_the_demo_cycles_biên_bản_names_its_council_and_both_sign(db, settings, monkeypatch):
    """The demo's open session of Phường Long Khánh, voted and closed: its Biên bản (a real PDF)
    names the persons of the demo's council accounts, by their roles in the council."""
    from io import StringIO

    from django.core.management import call_command

    from awards.demo import WARD_COUNCIL
    from awards.models import CouncilSession
    from portal.documents import layout as documents
    from portal.models import User

    settings.DEBUG = True
    # The demo's own papers (a 300-awardee decision) as stand-ins; the Biên bản is real.
    with monkeypatch.context() as stub:
        stub.setattr(documents, "_weasy_document", lambda html: None)
        stub.setattr(documents, "_pdf_bytes", lambda rendered: b"%PDF-1.4 stand-in")
        stub.setattr(documents, "_anchor_in", lambda rendered: (0, (0, 0, 0, 0)))
        call_command("load_demo", stdout=StringIO())
    session = CouncilSession.objects.get(unit__name="Phường Long Khánh")
    item = session.items.get()
    for username in WARD_COUNCIL:
        council.cast_vote(item, actor=User.objects.get(username=username), choice=Choice.YES)
    office = User.objects.get(username="vanphong_longkhanh")
    closed = council.close_session(session, actor=office, ends_at=datetime.time(9, 15))
    with closed.minutes.pdf.open("rb") as opened:
        lines = _lines(opened.read())
    text = " ".join(lines)
    assert (
        "Thành viên có mặt: 3/3 (Nguyễn Hữu Lộc – Phó Chủ tịch Hội đồng; Lê Thị Bích Ngọc – "
        "Ủy viên; Trịnh Quốc Bảo – Ủy viên, Thư ký Hội đồng)." in text
    )
    assert "Thành viên vắng mặt: không." in text
    assert (
        "Chủ trì: Nguyễn Hữu Lộc – Phó Chủ tịch Hội đồng. Thư ký: Trịnh Quốc Bảo – Ủy viên, "
        "Thư ký Hội đồng." in text
    )
    closing = next(
        i for i, line in enumerate(lines) if "Cuộc họp kết thúc vào hồi 09 giờ 15" in line
    )
    assert "THƯ KÝ PHÓ CHỦ TỊCH HỘI ĐỒNG" in lines[closing:]
    assert "Trịnh Quốc Bảo Nguyễn Hữu Lộc" in lines[closing:]
    # Every other paper the demo issued names its sender's leader on a post of the day, in the
    # capacity the decree gives, never an account; a Tờ trình goes to the level that decides.
    from awards.models import AwardDecision
    from portal.models import OfficialDocument, Person, Post

    papers = list(OfficialDocument.objects.issued().exclude(pk=closed.minutes_id))
    kinds = {paper.kind for paper in papers}
    assert {"submission", "decision", "pledge", "official_letter"} <= kinds, kinds
    accounts = {u.get_full_name() for u in User.objects.filter(person__isnull=True)}
    people = set(Person.objects.values_list("full_name", flat=True))
    award_decisions = set(AwardDecision.objects.values_list("document_id", flat=True))
    assert len(award_decisions - {None}) == 2  # the published one and the print batch
    for paper in papers:
        if paper.kind == "pledge":
            # A bloc's giao ước is signed by each member's representative, each a person.
            names = [signer["name"] for signer in paper.co_signers]
            assert names and all(n in people and n not in accounts for n in names), names
            continue
        assert paper.signer_name and paper.signer_name not in accounts, paper
        if paper.kind not in ("submission", "official_letter") and paper.pk not in award_decisions:
            continue  # the campaigns' demo papers: outside the award walk
        assert paper.signer_id is not None, paper
        assert paper.signer_name == paper.signer.full_name, paper
        if not paper.is_certificate:
            held = Post.objects.held_on(paper.issued_on).filter(
                unit=paper.issuer, person=paper.signer
            )
            assert held.exists(), (paper, paper.signer_name)
        if paper.kind == "submission":
            assert paper.addressees, paper
            assert not any(a.startswith(paper.issuer.name) for a in paper.addressees), paper
        if paper.pk in award_decisions:
            assert paper.summary.startswith("Về việc tặng"), paper.summary
        if paper.kind == "official_letter":
            # The clearance Công văn: from the ward, signed for its People's Committee by name,
            # to the body asked, about the dossier it names.
            assert paper.addressees == ["Công an phường Long Khánh"], paper.addressees
            assert (paper.signer_capacity, paper.signer_authority) == ("TM.", "ỦY BAN NHÂN DÂN")
            assert paper.summary.startswith("V/v xin ý kiến"), paper.summary
