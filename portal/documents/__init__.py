"""The documents engine: official documents drafted, numbered, laid out, signed and verified.

    engine     drafts, issue (number, snapshot, render, hash, sign), correction, revocation
    numbering  the numbering register: which register, the next number, the symbol
    content    what a document prints: normalised content and the view both renderers read
    layout     the PDF layout (WeasyPrint): documents, drafts, annexes, reports, certificates
    stamp      bulk certificates: the page laid out once, each awardee's lines stamped on it
    docx       the same view as a Word file (python-docx)
    signing    PAdES signatures and their validation (pyHanko)
    dating     which day a paper may carry: register order, no future, the issuer's lifetime
    recording  papers signed outside the portal, entered with their number, date and scan
    verify     is a document still standing, is an uploaded file the one issued
    forms, views, urls   the documents pages;  demo   sample documents for demo, tests, bench

Callers import the engine's API from here (`from portal import documents`, then
`documents.issue_document(...)`); WeasyPrint and pyHanko are imported only inside this package.
The models stay in `portal.models.documents` (Django's models package).
"""

from portal.documents.content import TEMPLATE_VERSION, CertificateRow
from portal.documents.dating import check_issuer_on, check_not_future
from portal.documents.engine import (
    DRAFT_FIELDS,
    correct_document,
    create_draft,
    issue_document,
    missing_for_issue,
    post_signature,
    revoke_document,
    signer_post_of,
    update_draft,
)
from portal.documents.layout import (
    STATIC_BASE,
    local_static_fetcher,
    render_annex_pdf,
    render_certificates,
    render_certificates_docx,
    render_compiled_report,
    render_docx,
    render_pdf,
    render_preview,
    signature_anchor,
    view_of,
)
from portal.documents.numbering import (
    VERIFICATION_ALPHABET,
    VERIFICATION_LENGTH,
    draft_number_line,
    register_for,
)
from portal.documents.recording import check_scan, record_document, render_retypeset

__all__ = [
    "DRAFT_FIELDS",
    "STATIC_BASE",
    "TEMPLATE_VERSION",
    "VERIFICATION_ALPHABET",
    "VERIFICATION_LENGTH",
    "CertificateRow",
    "check_issuer_on",
    "check_not_future",
    "check_scan",
    "correct_document",
    "create_draft",
    "draft_number_line",
    "issue_document",
    "local_static_fetcher",
    "missing_for_issue",
    "post_signature",
    "record_document",
    "register_for",
    "render_annex_pdf",
    "render_certificates",
    "render_certificates_docx",
    "render_compiled_report",
    "render_docx",
    "render_pdf",
    "render_preview",
    "render_retypeset",
    "revoke_document",
    "signature_anchor",
    "signer_post_of",
    "update_draft",
    "view_of",
]
