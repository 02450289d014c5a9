"""The launching Kế hoạch or Chỉ thị, composed from the campaign's structured sections.

Kế hoạch (domain §11.1): căn cứ lines, then I. Mục đích, yêu cầu; II. Nội dung (theme, the
numbered content items, time and deadlines); III. Giải pháp; IV. Tổ chức thực hiện;
V. Khen thưởng. Chỉ thị (§11.2): a preamble, then numbered directive paragraphs.
The documents engine freezes what is composed here when the campaign is launched.
"""

from __future__ import annotations

from campaigns.models import Campaign, LaunchForm
from portal.models import DocumentKind


def document_kind(campaign: Campaign) -> str:
    return (
        DocumentKind.DIRECTIVE
        if campaign.launch_form == LaunchForm.DIRECTIVE
        else (DocumentKind.PLAN)
    )


def summary(campaign: Campaign) -> str:
    if campaign.launch_form == LaunchForm.DIRECTIVE:
        return f"Về việc phát động {campaign.title}"
    return f"Phát động {campaign.title}"


def issuer_phrase(campaign: Campaign) -> str:
    """How the issuer names itself in the body: "Ủy ban nhân dân phường Long Khánh"."""
    unit = campaign.issuer
    if unit.is_administrative:
        return f"Ủy ban nhân dân {unit.name[:1].lower()}{unit.name[1:]}"
    return unit.name


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _paragraphs(text: str) -> list[dict]:
    return [{"type": "paragraph", "text": line} for line in _lines(text)]


def _timeline(campaign: Campaign) -> list[dict]:
    blocks = [
        {
            "type": "paragraph",
            "text": f"Thời gian thi đua: từ ngày {campaign.starts_on:%d/%m/%Y} "
            f"đến ngày {campaign.ends_on:%d/%m/%Y}.",
        },
        {
            "type": "paragraph",
            "text": "Các đơn vị đăng ký thi đua (nội dung, nhiệm vụ, chỉ tiêu cụ thể) trước ngày "
            f"{campaign.registration_due:%d/%m/%Y}.",
        },
    ]
    if campaign.midterm_review_due:
        blocks.append(
            {
                "type": "paragraph",
                "text": f"Sơ kết phong trào trước ngày {campaign.midterm_review_due:%d/%m/%Y}.",
            }
        )
    blocks.append(
        {
            "type": "paragraph",
            "text": f"Tổng kết phong trào trước ngày {campaign.final_review_due:%d/%m/%Y}.",
        }
    )
    return blocks


def _rewards(campaign: Campaign) -> list[dict]:
    blocks = _paragraphs(campaign.rewards)
    forms = campaign.award_form_lines()
    if forms:
        blocks.append({"type": "paragraph", "text": "Hình thức khen thưởng:"})
        blocks += [{"type": "paragraph", "text": f"- {form}."} for form in forms]
    return blocks


def body(campaign: Campaign) -> list[dict]:
    """The document body as the engine's blocks (paragraph, basis, heading)."""
    blocks: list[dict] = [
        {"type": "basis", "text": f"Căn cứ {basis.citation()};"} for basis in campaign.bases.all()
    ]
    items = [
        {"type": "paragraph", "text": f"{item.number}. {item.text}"}
        for item in campaign.items.all()
    ]
    theme = (
        [{"type": "paragraph", "text": f"Chủ đề: “{campaign.theme}”."}] if campaign.theme else []
    )
    issuer = issuer_phrase(campaign)
    if campaign.launch_form == LaunchForm.DIRECTIVE:
        blocks += _paragraphs(campaign.purpose)
        blocks += theme
        blocks.append(
            {
                "type": "paragraph",
                "text": f"Để thực hiện thắng lợi {campaign.title}, {issuer} chỉ thị:",
            }
        )
        blocks += items
        blocks += _timeline(campaign)
        blocks += _paragraphs(campaign.solutions)
        blocks += _paragraphs(campaign.organisation)
        blocks += _rewards(campaign)
        return blocks
    blocks.append(
        {
            "type": "paragraph",
            "text": f"{issuer} ban hành Kế hoạch phát động {campaign.title} như sau:",
        }
    )
    blocks.append({"type": "heading", "text": "I. MỤC ĐÍCH, YÊU CẦU"})
    blocks += _paragraphs(campaign.purpose)
    blocks.append({"type": "heading", "text": "II. NỘI DUNG THI ĐUA"})
    blocks += theme + items + _timeline(campaign)
    blocks.append({"type": "heading", "text": "III. GIẢI PHÁP"})
    blocks += _paragraphs(campaign.solutions)
    blocks.append({"type": "heading", "text": "IV. TỔ CHỨC THỰC HIỆN"})
    blocks += _paragraphs(campaign.organisation)
    blocks.append({"type": "heading", "text": "V. KHEN THƯỞNG"})
    blocks += _rewards(campaign)
    return blocks
