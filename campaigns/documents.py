"""The launching Kế hoạch or Chỉ thị, printed from the author's own text.

Everything the paper says is what the author wrote in the campaign's form, in this order: the
preamble, the purpose, the content items (each with its own label, never numbered on top), the
solutions, the organisation, the rewards and the closing paragraph. Nothing is added at render
time: a sentence the portal proposes is put into the form, where the author sees and edits it
(`propose_preamble`). A Chỉ thị prints no "Căn cứ" block (Decree 30 gives that to a Quyết định;
a directive weaves its bases into its preamble); a Kế hoạch prints its parts ("I. MỤC ĐÍCH, YÊU
CẦU", …) where the author puts them. The documents engine freezes what is composed here.
"""

from __future__ import annotations

import datetime
import re

from django.utils import timezone

from campaigns.models import Campaign, LaunchForm
from portal import documents
from portal.models import DocumentKind, Person

# A line the author starts with a Roman numeral ("II. NỘI DUNG") is a part heading: printed bold.
PART_HEADING = re.compile(r"^[IVXL]+\.\s")


def document_kind(campaign: Campaign) -> str:
    return (
        DocumentKind.DIRECTIVE
        if campaign.launch_form == LaunchForm.DIRECTIVE
        else (DocumentKind.PLAN)
    )


def signature(campaign: Campaign, signer: Person | None, day: datetime.date | None = None) -> dict:
    """The signature block from the issuer's posts (`documents.post_signature`): as of `day`
    (the launch day), else today, or the issuer's last day for a unit closed in 2025 (its
    past plans); `signer` among its leaders that day, None the head."""
    if day is None:
        day = timezone.localdate()
        if campaign.issuer.valid_to is not None and campaign.issuer.valid_to < day:
            day = campaign.issuer.valid_to
    return documents.post_signature(document_kind(campaign), campaign.issuer, day, signer)


def default_summary(campaign: Campaign) -> str:
    """The trích yếu offered when the author leaves it blank."""
    if campaign.launch_form == LaunchForm.DIRECTIVE:
        return f"Về việc phát động {campaign.title}"
    return f"Phát động {campaign.title}"


def summary(campaign: Campaign) -> str:
    return campaign.summary or default_summary(campaign)


def issuer_phrase(campaign: Campaign) -> str:
    """How the issuer names itself in the body: "Ủy ban nhân dân phường Long Khánh"."""
    unit = campaign.issuer
    if unit.is_administrative:
        return f"Ủy ban nhân dân {unit.name[:1].lower()}{unit.name[1:]}"
    return unit.name


def propose_preamble(campaign: Campaign, citations: list[str]) -> str:
    """The opening the portal offers for a blank preamble; it is stored as the author's text
    and shown in the form, so the author sees and edits every word of it."""
    issuer = issuer_phrase(campaign)
    if campaign.launch_form == LaunchForm.DIRECTIVE:
        cited = f"Thực hiện {'; '.join(citations)}, để" if citations else "Để"
        return f"{cited} thực hiện thắng lợi {campaign.title}, {issuer} chỉ thị:"
    lines = [f"Căn cứ {citation};" for citation in citations]
    lines.append(f"{issuer} ban hành Kế hoạch phát động {campaign.title} như sau:")
    return "\n".join(lines)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _paragraphs(text: str) -> list[dict]:
    return [
        {"type": "heading" if PART_HEADING.match(line) else "paragraph", "text": line}
        for line in _lines(text)
    ]


def body(campaign: Campaign) -> list[dict]:
    """The document body as the engine's blocks: the author's paragraphs, in order."""
    blocks = _paragraphs(campaign.preamble) + _paragraphs(campaign.purpose)
    for item in campaign.items.all():
        blocks += [{"type": "paragraph", "text": line} for line in _lines(item.as_written())]
    for text in (campaign.solutions, campaign.organisation, campaign.rewards, campaign.closing):
        blocks += _paragraphs(text)
    return blocks
