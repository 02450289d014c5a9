"""Drafts to sign outside the portal, shared by the outside-signing tests."""

from __future__ import annotations

from types import SimpleNamespace

from portal import documents
from portal.models import DocumentKind, OfficialDocument

HEAD = "Võ Văn Phường"  # Xuân Trung's chair, the bloc head's signer: signs last
PARTY = {"title": "Đại diện", "name": "Hà Văn An"}


def giao_uoc_draft(
    world: SimpleNamespace, co_signer: dict | None = None, **fields
) -> OfficialDocument:
    """A giao ước drafted at Xuân Trung with one party (`co_signer`, by default Hà Văn An, of no
    unit on record) who signs before the head."""
    return documents.create_draft(
        DocumentKind.PLEDGE,
        issuer=world.ward,
        actor=world.ward_officer,
        summary="Giao ước thi đua năm 2026",
        body=[{"type": "paragraph", "text": "Các đơn vị cùng giao ước thi đua."}],
        signer_name=HEAD,
        signer_position="Trưởng cụm",
        recipients=["Các đơn vị thuộc cụm", "Lưu: VT"],
        co_signers=[co_signer or PARTY],
        **fields,
    )
