"""The official documents of the nomination workflow, built from the data.

Tờ trình (a batch, or a forward up), Biên bản of a council session, Công văn; the Quyết định
and its annex are in `awards.paperwork.decisions`. Each function returns the arguments of
`portal.documents.create_draft`; the services create and issue them, so no figure is retyped.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence

from awards.models import AgendaItem, CouncilSeat, CouncilSession, Nomination, RecipientKind
from portal.documents import signers
from portal.models import Unit, UnitKind

LAW_BASIS = "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"


def _long_date(day: datetime.date) -> str:
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def nominee_detail(nomination: Nomination) -> str:
    if nomination.person_id:
        person = nomination.person
        return ", ".join(part for part in (person.position, person.unit.name) if part)
    return nomination.unit.name


def nominee_rows(nominations: Sequence[Nomination]) -> list[list[str]]:
    return [
        [
            str(index),
            nomination.recipient_name,
            nominee_detail(nomination),
            nomination.item.name,
            str(nomination.year),
        ]
        for index, nomination in enumerate(nominations, start=1)
    ]


def addressees_for(unit: Unit, day: datetime.date, sender: Unit | None = None) -> list[str]:
    """The "Kính gửi:" of a proposal to `unit`: its head, who decides, and its Nội vụ office
    (the Sở Nội vụ of a province-level unit) that checks the dossiers for them, unless that
    office is the sender: a paper is never addressed to the body that sends it."""
    names = [signers.head_phrase(unit, day)]
    home_affairs = (
        Unit.objects.filter(parent=unit, kind=UnitKind.DEPARTMENT, abbreviation="SNV")
        .valid_on(day)
        .first()
    )
    if home_affairs is not None and home_affairs != sender:
        names.append(home_affairs.name)
    return names


def submission(
    nominations: Sequence[Nomination],
    *,
    sender: Unit,
    addressed_to: Unit,
    forward: bool,
    signature: signers.Signature,
    day: datetime.date,
) -> dict:
    """The Tờ trình from the proposing unit (or, for its own level, its office) to the head of
    the level that decides, signed by the sender's leader on the day."""
    first = nominations[0]
    verb = "trình" if forward else "đề nghị"
    decider = signers.head_phrase(addressed_to, day)
    intro = (
        f"{sender.name} đã thẩm định hồ sơ và kính trình {decider} xem xét, quyết định "
        f"khen thưởng cho {len(nominations)} trường hợp vượt thẩm quyền của cấp mình, "
        "kèm theo toàn bộ hồ sơ đề nghị (báo cáo thành tích, biên bản, minh chứng)."
        if forward
        else f"Căn cứ thành tích đạt được năm {first.year} và kết quả họp Hội đồng Thi đua – "
        f"Khen thưởng, {sender.name} kính đề nghị {decider} xem xét, khen thưởng "
        f"cho {recipients_phrase(nominations)} có tên dưới đây."
    )
    body = [
        {"type": "basis", "text": LAW_BASIS},
        {"type": "paragraph", "text": intro},
        {
            "type": "table",
            "columns": ["STT", "Tập thể, cá nhân", "Chức vụ, đơn vị", "Đề nghị", "Năm"],
            "rows": nominee_rows(nominations),
        },
    ]
    for nomination in nominations:
        votes = ""
        if nomination.unit_council_members:
            votes = (
                f" Hội đồng TĐKT đơn vị họp ngày {nomination.unit_council_on:%d/%m/%Y}: "
                f"{nomination.unit_council_yes}/{nomination.unit_council_members} thành viên "
                "đồng ý."
                if nomination.unit_council_on
                else ""
            )
        body.append(
            {
                "type": "paragraph",
                "text": f"{nomination.recipient_name}: {nomination.report_achievements}{votes}",
            }
        )
        if forward:
            body.append({"type": "paragraph", "text": appraisal_summary(nomination)})
    body.append({"type": "paragraph", "text": f"Kính {verb} {decider} xem xét, quyết định./."})
    return {
        "summary": f"Về việc {verb} khen thưởng năm {first.year}",
        "addressees": addressees_for(addressed_to, day, sender),
        "body": body,
        **signature.draft_fields(),
        "recipients": ["Như trên", "Lưu: VT"],
    }


def recipients_phrase(nominations: Sequence[Nomination]) -> str:
    """ "2 cá nhân, 1 tập thể": only the kinds present, in the law's order."""
    counts = Counter(n.recipient_kind for n in nominations)
    return ", ".join(
        f"{counts[kind]} {RecipientKind(kind).label.lower()}"
        for kind in (RecipientKind.INDIVIDUAL, RecipientKind.COLLECTIVE, RecipientKind.HOUSEHOLD)
        if counts[kind]
    )


def appraisal_summary(nomination: Nomination) -> str:
    """The reviewer's conclusion on each criterion, as the council and the upper level read it."""
    verdicts = "; ".join(
        f"{row.label}: {row.get_verdict_display().lower()}"
        + (f" ({row.note})" if row.overridden and row.note else "")
        for row in nomination.criterion_opinions.all()
    )
    text = f"Kết quả thẩm định {nomination.recipient_name}: {nomination.reviewer_opinion}"
    return f"{text} Theo từng tiêu chí – {verdicts}." if verdicts else text


def clearance_letter(
    nominations: Sequence[Nomination],
    *,
    asking_unit: Unit,
    body_name: str,
    subject: str,
    due_on: datetime.date,
    signature: signers.Signature,
) -> dict:
    """Công văn xin ý kiến: one letter naming every nominee the body is asked about."""
    first = nominations[0]
    return {
        "summary": f"V/v xin ý kiến về khen thưởng năm {first.year}",
        "addressees": [body_name],
        "body": [
            {
                "type": "paragraph",
                "text": f"{asking_unit.name} đang thẩm định hồ sơ đề nghị khen thưởng của "
                f"{len(nominations)} tập thể, cá nhân, hộ gia đình có tên dưới đây. Để có cơ sở "
                f"trình cấp có thẩm quyền xem xét, {asking_unit.name} đề nghị {body_name} cho ý "
                f"kiến về nội dung: {subject}",
            },
            {
                "type": "table",
                "columns": ["STT", "Tập thể, cá nhân", "Chức vụ, đơn vị", "Đề nghị", "Năm"],
                "rows": nominee_rows(nominations),
            },
            {
                "type": "paragraph",
                "text": f"Văn bản trả lời xin gửi về {asking_unit.name} trước ngày "
                f"{due_on:%d/%m/%Y}. Quá thời hạn trên, nếu chưa nhận được ý kiến, "
                f"{asking_unit.name} sẽ liên hệ trực tiếp để được trả lời.",
            },
            {"type": "paragraph", "text": "Trân trọng cảm ơn sự phối hợp của Quý cơ quan./."},
        ],
        **signature.draft_fields(),
        "recipients": ["Như trên", "Lưu: VT, NV"],
    }


def _clock(moment: datetime.time | None) -> str:
    return f"{moment.hour:02d} giờ {moment.minute:02d}" if moment else ""


def _members(seats: Sequence[CouncilSeat], names: dict[int, str]) -> str:
    return "; ".join(f"{names[seat.pk]} – {seat.role}" for seat in seats)


def _chair_position(seat: CouncilSeat) -> str:
    """The chair signs as what they are in the council ("CHỦ TỊCH HỘI ĐỒNG", "PHÓ CHỦ TỊCH
    HỘI ĐỒNG"); a member asked to chair signs as the meeting's "CHỦ TRÌ"."""
    role = seat.role.upper()
    return role if role.startswith(("CHỦ TỊCH", "PHÓ CHỦ TỊCH")) else "CHỦ TRÌ"


def minutes(
    session: CouncilSession,
    items: Sequence[AgendaItem],
    *,
    present: int,
    seats: int,
    secret: dict[int, bool],
    named_votes: dict[int, list[str]],
    names: dict[int, str],
    chair: CouncilSeat,
    secretary: CouncilSeat,
    seat_list: Sequence[CouncilSeat] = (),
) -> dict:
    """The council's Biên bản (NĐ 30, Mẫu 1.9): time and place, who attended and who did not,
    who chaired and who took the minutes, the agenda, the tally per dossier, the closing time,
    signed by the chair and the secretary. `names` are the persons holding the seats, by seat."""
    council = f"Hội đồng Thi đua – Khen thưởng {session.unit.name}"
    started = _clock(session.starts_at)
    opening = f"Vào hồi {started}, " if started else "Hôm nay, "
    attended = [s for s in seat_list if s.present]
    absent = [s for s in seat_list if not s.present]
    body = [
        {"type": "heading", "text": "I. THỜI GIAN, ĐỊA ĐIỂM, THÀNH PHẦN"},
        {
            "type": "paragraph",
            "text": f"{opening}{_long_date(session.held_on)}"
            + (f", tại {session.place}" if session.place else "")
            + f", {council} họp xét khen thưởng.",
        },
        {
            "type": "paragraph",
            "text": f"Thành viên có mặt: {present}/{seats}"
            + (f" ({_members(attended, names)})" if attended else "")
            + ".",
        },
        {
            "type": "paragraph",
            "text": (
                f"Thành viên vắng mặt: {len(absent)} ({_members(absent, names)}), gửi phiếu "
                "bằng văn bản theo quy chế."
                if absent
                else "Thành viên vắng mặt: không."
            ),
        },
        {
            "type": "paragraph",
            "text": f"Chủ trì: {names[chair.pk]} – {chair.role}. "
            f"Thư ký: {names[secretary.pk]} – {secretary.role}.",
        },
        {"type": "heading", "text": "II. NỘI DUNG"},
        {
            "type": "paragraph",
            "text": f"Xét {len(items)} hồ sơ đề nghị khen thưởng: "
            + "; ".join(
                f"{index}. {item.nomination.recipient_name} – {item.nomination.item.name}"
                for index, item in enumerate(items, start=1)
            )
            + ".",
        },
        {"type": "subheading", "text": "1. Kết quả thẩm định"},
        *({"type": "paragraph", "text": appraisal_summary(item.nomination)} for item in items),
        {"type": "subheading", "text": "2. Kết quả biểu quyết"},
        {
            "type": "table",
            "columns": ["STT", "Tập thể, cá nhân", "Đề nghị", "Đồng ý", "Tỉ lệ", "Kết quả"],
            "rows": [
                [
                    str(index),
                    item.nomination.recipient_name,
                    item.nomination.item.name,
                    f"{item.yes}/{item.members}",
                    _percent(item.yes, item.members),
                    "Đạt" if item.passed else "Không đạt",
                ]
                for index, item in enumerate(items, start=1)
            ],
        },
    ]
    for item in items:
        how = "bỏ phiếu kín" if secret[item.pk] else "biểu quyết công khai"
        text = f"{item.nomination.recipient_name} ({how}): {item.summary}"
        if not secret[item.pk] and named_votes[item.pk]:
            text += " Ý kiến từng thành viên: " + "; ".join(named_votes[item.pk]) + "."
        body.append({"type": "paragraph", "text": text})
    ended = _clock(session.ends_at)
    body.append(
        {
            "type": "paragraph",
            "text": (f"Cuộc họp kết thúc vào hồi {ended} cùng ngày. " if ended else "")
            + "Biên bản đã được đọc lại cho các thành viên dự họp cùng nghe và thống nhất./.",
        }
    )
    return {
        "summary": f"Họp {council} ngày {session.held_on:%d/%m/%Y}",
        "body": body,
        "signer_name": names[chair.pk],
        "signer_position": _chair_position(chair),
        "co_signers": [{"title": "THƯ KÝ", "name": names[secretary.pk]}],
        "recipients": ["Thành viên Hội đồng", f"{signers.head_phrase(session.unit)}", "Lưu: VT"],
        "issued_on": session.held_on,
    }


def _percent(yes: int, members: int) -> str:
    return f"{yes * 100 / members:.1f}".replace(".", ",") + " %" if members else ""


CENTRAL_ADDRESSEE = "Thủ tướng Chính phủ"
CENTRAL_CHANNEL = "Bộ Nội vụ (Ban Thi đua – Khen thưởng Trung ương)"


def central_submission(
    nominations: Sequence[Nomination],
    *,
    sender: Unit,
    signature: signers.Signature,
) -> dict:
    """The province's Tờ trình to the Prime Minister via Bộ Nội vụ; items of the President are
    proposed through the Prime Minister too (Law Art. 83.2)."""
    first = nominations[0]
    to_president = [n for n in nominations if n.conferring_level == "president"]
    asks = "xem xét, tặng thưởng"
    if to_president:
        asks = "xem xét, tặng thưởng hoặc trình Chủ tịch nước tặng thưởng"
    body = [
        {"type": "basis", "text": LAW_BASIS},
        {
            "type": "paragraph",
            "text": f"{sender.name} đã thẩm định hồ sơ"
            + (
                ", lấy ý kiến Hội đồng Thi đua – Khen thưởng"
                if any(n.council_summary for n in nominations)
                else ""
            )
            + f" và kính trình {CENTRAL_ADDRESSEE} (qua {CENTRAL_CHANNEL}) {asks} cho "
            f"{len(nominations)} tập thể, cá nhân có tên dưới đây, kèm theo toàn bộ hồ sơ đề "
            "nghị (báo cáo thành tích, biên bản, minh chứng).",
        },
        {
            "type": "table",
            "columns": ["STT", "Tập thể, cá nhân", "Chức vụ, đơn vị", "Đề nghị", "Năm"],
            "rows": nominee_rows(nominations),
        },
    ]
    for nomination in nominations:
        text = f"{nomination.recipient_name}: {nomination.report_achievements}"
        if nomination.council_summary:
            text += f" Hội đồng Thi đua – Khen thưởng tỉnh: {nomination.council_summary}"
        body.append({"type": "paragraph", "text": text})
    body.append(
        {"type": "paragraph", "text": f"Kính trình {CENTRAL_ADDRESSEE} xem xét, quyết định."}
    )
    return {
        "summary": f"Về việc đề nghị khen thưởng cấp Nhà nước năm {first.year}",
        "addressees": [CENTRAL_ADDRESSEE],
        "body": body,
        **signature.draft_fields(),
        "recipients": ["Như trên", CENTRAL_CHANNEL, "Lưu: VT, NV"],
    }
