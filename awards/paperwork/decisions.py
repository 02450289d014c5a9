"""The Quyết định khen thưởng as the law writes it (NĐ 30/2020 Mẫu 1.2; domain.md §11.4).

- the trích yếu names the title or the form: "Về việc tặng danh hiệu Lao động tiên tiến năm
  2025", "Về việc tặng Giấy khen năm 2025";
- the issuer prints its own authority line: "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG …" for a UBND,
  "GIÁM ĐỐC SỞ NỘI VỤ" for a department;
- the Căn cứ lines come from the legal bases in force on the decision's date
  (`awards.rules.bases`), then "Xét đề nghị của …"; the last one ends with ".";
- Điều 1 names the recipients by the kinds present and points to the annex, Điều 2 gives the
  money (or says there is none) and its source, Điều 3 says who executes.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from awards.models import Nomination, RecipientKind
from awards.paperwork.papers import nominee_detail, recipients_phrase
from awards.rules.bases import basis_lines
from awards.rules.money import format_vnd
from portal.documents import signers
from portal.models import Unit
from portal.models.units import ADMINISTRATIVE_KINDS, UnitKind

NO_MONEY = "Không kèm tiền thưởng"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def head_title(unit: Unit) -> str:
    """The position of the one who decides for `unit` ("CHỦ TỊCH", "GIÁM ĐỐC", …)."""
    return signers.head_title(unit)


def head_phrase(unit: Unit, day: datetime.date | None = None) -> str:
    """ "Chủ tịch Ủy ban nhân dân phường Xuân Trung", "Giám đốc Sở Nội vụ": who proposes or
    decides, in running text."""
    return signers.head_phrase(unit, day)


def authority_line(unit: Unit) -> str:
    """The line above the Căn cứ: who decides, in the issuer's own words."""
    if unit.kind in ADMINISTRATIVE_KINDS:
        return f"CHỦ TỊCH ỦY BAN NHÂN DÂN {unit.name.upper()}"
    return f"{head_title(unit)} {unit.name.upper()}"


def _executing_office(unit: Unit) -> str:
    if unit.kind in ADMINISTRATIVE_KINDS:
        return f"Chánh Văn phòng Ủy ban nhân dân {_lower_first(unit.name)}"
    return f"Chánh Văn phòng {unit.name}" if unit.kind == UnitKind.DEPARTMENT else ""


def _kinds_phrase(nominations: Sequence[Nomination]) -> str:
    present = {n.recipient_kind for n in nominations}
    words = {
        RecipientKind.COLLECTIVE: "tập thể",
        RecipientKind.INDIVIDUAL: "cá nhân",
        RecipientKind.HOUSEHOLD: "hộ gia đình",
    }
    return ", ".join(word for kind, word in words.items() if kind in present)


def _item_phrase(nominations: Sequence[Nomination]) -> str:
    """ "danh hiệu Lao động tiên tiến năm 2025", "Giấy khen năm 2025", several joined by "và"."""
    years = sorted({n.year for n in nominations})
    titles = list(dict.fromkeys(n.item.name for n in nominations if n.item.is_title))
    forms = list(dict.fromkeys(n.item.name for n in nominations if not n.item.is_title))
    parts = []
    if titles:
        parts.append("danh hiệu " + ", ".join(titles))
    parts += forms
    phrase = " và ".join(parts)
    if len(years) == 1:
        phrase += f" năm {years[0]}"
    return phrase


def decision_summary(nominations: Sequence[Nomination]) -> str:
    return f"Về việc tặng {_item_phrase(nominations)}"


def money_article(nominations: Sequence[Nomination], amounts: dict[int, int], total: int) -> str:
    paid = [n for n in nominations if amounts[n.pk]]
    unpaid = list(dict.fromkeys(n.item.name for n in nominations if not amounts[n.pk]))
    parts = []
    if paid:
        parts.append(
            f"Tiền thưởng kèm theo tổng cộng {format_vnd(total)}, mức cho từng trường hợp theo "
            "danh sách kèm theo, tính trên mức lương cơ sở tại ngày ký Quyết định, chi từ Quỹ "
            "thi đua, khen thưởng của cấp ra quyết định."
        )
    if unpaid:
        parts.append(
            f"{', '.join(unpaid)}: không kèm tiền thưởng từ Quỹ thi đua, khen thưởng theo quy "
            "định hiện hành."
        )
    return " ".join(parts)


def award_decision(
    nominations: Sequence[Nomination],
    amounts: dict[int, int],
    *,
    unit: Unit,
    day: datetime.date,
    signature: signers.Signature | None,
    proposals: Sequence[str],
) -> dict:
    """`signature` None leaves the signer as drafted (re-worded on the signing day)."""
    total = sum(amounts.values())
    bases = basis_lines(day, unit, list(proposals))
    executing = ", ".join(
        part
        for part in (_executing_office(unit), "Thủ trưởng các cơ quan, đơn vị có liên quan")
        if part
    )
    return {
        "summary": decision_summary(nominations),
        "body": [
            {"type": "authority", "text": authority_line(unit)},
            *({"type": "basis", "text": text} for text in bases),
            {"type": "center", "text": "QUYẾT ĐỊNH:"},
            {
                "type": "article",
                "number": 1,
                "text": f"Tặng {_item_phrase(nominations)} cho "
                f"{recipients_phrase(nominations)} (có danh sách kèm theo) đã có thành tích "
                "xuất sắc trong phong trào thi đua.",
            },
            {"type": "article", "number": 2, "text": money_article(nominations, amounts, total)},
            {
                "type": "article",
                "number": 3,
                "text": f"Quyết định này có hiệu lực kể từ ngày ký. {executing} và các "
                f"{_kinds_phrase(nominations)} có tên tại Điều 1 chịu trách nhiệm thi hành "
                "Quyết định này./.",
            },
        ],
        **(signature.draft_fields() if signature else {}),
        "recipients": ["Như Điều 3", "Lưu: VT, NV"],
        "annex": award_annex(nominations, amounts),
    }


def award_annex(nominations: Sequence[Nomination], amounts: dict[int, int]) -> dict:
    return {
        "title": "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG",
        "columns": ["STT", "Tập thể, cá nhân", "Chức vụ, đơn vị", "Khen thưởng", "Tiền thưởng"],
        "rows": [
            [
                str(index),
                nomination.recipient_name,
                nominee_detail(nomination),
                nomination.item.name,
                format_vnd(amounts[nomination.pk]) if amounts[nomination.pk] else NO_MONEY,
            ]
            for index, nomination in enumerate(nominations, start=1)
        ],
    }


def revocation(
    nominations: Sequence[Nomination],
    *,
    unit: Unit,
    day: datetime.date,
    reason: str,
    signature: signers.Signature,
) -> dict:
    rows = [
        [
            str(index),
            nomination.recipient_name,
            nomination.item.name,
            str(nomination.decision.document) if nomination.decision_id else "",
        ]
        for index, nomination in enumerate(nominations, start=1)
    ]
    return {
        "summary": "Về việc hủy bỏ quyết định khen thưởng",
        "body": [
            {"type": "authority", "text": authority_line(unit)},
            *({"type": "basis", "text": text} for text in basis_lines(day, unit, [])),
            {"type": "center", "text": "QUYẾT ĐỊNH:"},
            {
                "type": "article",
                "number": 1,
                "text": f"Hủy bỏ khen thưởng đối với các trường hợp sau. Lý do: {reason}",
            },
            {
                "type": "table",
                "columns": ["STT", "Tập thể, cá nhân", "Khen thưởng", "Quyết định khen thưởng"],
                "rows": rows,
            },
            {"type": "article", "number": 2, "text": "Quyết định này có hiệu lực kể từ ngày ký."},
        ],
        **signature.draft_fields(),
        "recipients": ["Như Điều 1", "Lưu: VT, NV"],
    }
