"""The nomination workflow (đề nghị khen thưởng): statuses and the ONE transition table.

A unit drafts a nomination and submits it in a batch (đợt trình) with its Tờ trình. The Nội vụ
reviewer of the level that holds the dossier receives it, or returns it for completion with a
reason; until receipt the sender may recall it. The reviewer checks it (thẩm định): opinion, a
verdict per criterion, eligibility re-run, the answers of the bodies asked for their opinion
(`awards.procedure.clearance`). Where the rules require public comment, the level that confers (the
province for central items) opens the window first and cannot finish the check before it closes;
the levels in between check and forward without one. A dossier beyond the level's authority is
forwarded up to the next level's Nội vụ with a new Tờ trình, keeping the whole dossier. Checked
dossiers go on a council agenda; the council votes, and the tally on the whole membership
approves or rejects. Items without a council vote rule are approved or rejected by the
conferring leader. Ad hoc (đột xuất) dossiers take the short path: received → approved. The
approved are drafted into a Quyết định; signing issues it (numbered) and records the awards;
publishing puts it on the public site. An issued award is revoked only by a new decision with a
reason.

Items conferred outside the tree (Thủ tướng Chính phủ, Chủ tịch nước) climb the tree the same
way up to the province. There its Nội vụ, after the provincial council has voted where the rules
ask for a vote (and the Ban Thường vụ Tỉnh ủy has agreed where they reserve the item), sends
them to the Prime Minister via Bộ Nội vụ (Ban Thi đua – Khen thưởng Trung ương) with a Tờ trình
signed by the province chairman. When the central paper arrives the Nội vụ records it: a
decision to confer (the awards enter the history), a refusal with its reason, or a return for
completion (then the province resends, or returns the dossier to its sender).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from portal.access import Cap


class Status(models.TextChoices):
    DRAFT = "draft", "Đang soạn"
    SUBMITTED = "submitted", "Đã trình"
    RETURNED = "returned", "Trả lại để bổ sung"
    RECEIVED = "received", "Nội vụ đã tiếp nhận"
    PUBLIC_COMMENT = "public_comment", "Đang lấy ý kiến công khai"
    CHECKED = "checked", "Đã thẩm định"
    ON_AGENDA = "on_agenda", "Trình Hội đồng"
    APPROVED = "approved", "Được chấp thuận"
    REJECTED = "rejected", "Không được chấp thuận"
    DECIDED = "decided", "Đã dự thảo quyết định"
    ISSUED = "issued", "Đã có quyết định"
    PUBLISHED = "published", "Đã công bố"
    REVOKED = "revoked", "Đã hủy bỏ"
    SENT_TO_CENTRAL = "sent_to_central", "Đã trình Trung ương"
    CENTRAL_RETURNED = "central_returned", "Trung ương trả lại để bổ sung"
    CENTRAL_DECIDED = "central_decided", "Trung ương đã quyết định khen thưởng"


# Where the sender may still edit the dossier.
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
# Dossiers still moving (for duplicate checks and the Nội vụ queue).
OPEN = frozenset(
    {
        Status.SUBMITTED,
        Status.RECEIVED,
        Status.PUBLIC_COMMENT,
        Status.CHECKED,
        Status.ON_AGENDA,
        Status.APPROVED,
        Status.DECIDED,
        Status.SENT_TO_CENTRAL,
        Status.CENTRAL_RETURNED,
    }
)
FINAL = frozenset({Status.REJECTED, Status.REVOKED})


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    cap: Cap
    needs_reason: bool = False
    label: str = ""


def _t(action, sources, target, cap, *, needs_reason=False, label=""):
    return Transition(action, frozenset(sources), target, cap, needs_reason, label)


S = Status
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        _t("submit", {S.DRAFT, S.RETURNED}, S.SUBMITTED, Cap.PROPOSE_AWARDS, label="Trình"),
        _t("recall", {S.SUBMITTED}, S.DRAFT, Cap.PROPOSE_AWARDS, needs_reason=True, label="Rút"),
        _t("receive", {S.SUBMITTED}, S.RECEIVED, Cap.REVIEW_NOMINATIONS, label="Tiếp nhận"),
        _t(
            "return",
            {S.SUBMITTED, S.RECEIVED, S.CHECKED},
            S.RETURNED,
            Cap.REVIEW_NOMINATIONS,
            needs_reason=True,
            label="Trả lại",
        ),
        _t(
            "open_comment",
            {S.RECEIVED},
            S.PUBLIC_COMMENT,
            Cap.REVIEW_NOMINATIONS,
            label="Lấy ý kiến công khai",
        ),
        _t(
            "check",
            {S.RECEIVED, S.PUBLIC_COMMENT},
            S.CHECKED,
            Cap.REVIEW_NOMINATIONS,
            label="Thẩm định xong",
        ),
        _t(
            "forward",
            {S.CHECKED},
            S.SUBMITTED,
            Cap.REVIEW_NOMINATIONS,
            label="Trình cấp trên",
        ),
        _t("put_on_agenda", {S.CHECKED}, S.ON_AGENDA, Cap.REVIEW_NOMINATIONS, label="Đưa vào họp"),
        _t("council_pass", {S.ON_AGENDA}, S.APPROVED, Cap.REVIEW_NOMINATIONS),
        _t("council_fail", {S.ON_AGENDA}, S.REJECTED, Cap.REVIEW_NOMINATIONS),
        _t("approve", {S.CHECKED}, S.APPROVED, Cap.DECIDE_AWARDS, label="Chấp thuận"),
        _t(
            "reject",
            {S.CHECKED},
            S.REJECTED,
            Cap.DECIDE_AWARDS,
            needs_reason=True,
            label="Không chấp thuận",
        ),
        _t(
            "fast_track",
            {S.RECEIVED},
            S.APPROVED,
            Cap.DECIDE_AWARDS,
            label="Chấp thuận theo thủ tục đơn giản",
        ),
        _t("draft_decision", {S.APPROVED}, S.DECIDED, Cap.REVIEW_NOMINATIONS),
        _t("issue", {S.DECIDED}, S.ISSUED, Cap.DECIDE_AWARDS),
        _t("publish", {S.ISSUED}, S.PUBLISHED, Cap.DECIDE_AWARDS),
        _t("revoke", {S.ISSUED, S.PUBLISHED}, S.REVOKED, Cap.DECIDE_AWARDS, needs_reason=True),
        # The central leg: only the province's Nội vụ sends out and records what comes back.
        _t(
            "send_to_central",
            {S.CHECKED, S.APPROVED, S.CENTRAL_RETURNED},
            S.SENT_TO_CENTRAL,
            Cap.REVIEW_NOMINATIONS,
            label="Trình Trung ương",
        ),
        _t(
            "central_return",
            {S.SENT_TO_CENTRAL},
            S.CENTRAL_RETURNED,
            Cap.REVIEW_NOMINATIONS,
            needs_reason=True,
            label="Ghi nhận Trung ương trả lại hồ sơ",
        ),
        _t(
            "return_to_sender",
            {S.CENTRAL_RETURNED},
            S.RETURNED,
            Cap.REVIEW_NOMINATIONS,
            needs_reason=True,
            label="Trả lại đơn vị đề nghị",
        ),
        _t(
            "central_approve",
            {S.SENT_TO_CENTRAL},
            S.CENTRAL_DECIDED,
            Cap.REVIEW_NOMINATIONS,
            label="Ghi nhận quyết định khen thưởng của Trung ương",
        ),
        _t(
            "central_reject",
            {S.SENT_TO_CENTRAL},
            S.REJECTED,
            Cap.REVIEW_NOMINATIONS,
            needs_reason=True,
            label="Ghi nhận Trung ương không chấp thuận",
        ),
    ]
}

# Steps that run against a legal time limit (the clock on the dossier). The central step has no
# seeded limit (the portal sets none for the Prime Minister); a StepLimit row added in the admin
# starts a clock there too, otherwise the dossier shows the days waited.
TIMED = frozenset(
    {
        Status.SUBMITTED,
        Status.RECEIVED,
        Status.CHECKED,
        Status.APPROVED,
        Status.SENT_TO_CENTRAL,
    }
)


def allowed_actions(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.sources]
