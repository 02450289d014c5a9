"""The nomination workflow (đề nghị khen thưởng): statuses and the ONE transition table,
on the engine (`portal.workflow`).

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

from django.db import models

from portal.access import Cap
from portal.workflow import Table, move


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


# Whose capability a move needs: the proposing unit's (the sender sends and recalls), or the
# level's that holds the dossier now (everything else). `awards.transitions.unit_on` reads it.
SENDER = "sender"
HOLDER = "holder"


def refusal(source: str, target: str) -> str:
    """The Vietnamese message for a move the table does not allow."""
    to = Status(target).label if target else "bước khác"
    return f"Không thể chuyển hồ sơ đang ở bước “{Status(source).label}” sang “{to}”."


S = Status
TABLE = Table(
    "nomination",
    [
        move("submit", {S.DRAFT, S.RETURNED}, S.SUBMITTED, Cap.PROPOSE_AWARDS, "Trình", on=SENDER),
        move(
            "recall",
            {S.SUBMITTED},
            S.DRAFT,
            Cap.PROPOSE_AWARDS,
            "Rút",
            needs_reason=True,
            on=SENDER,
        ),
        move("receive", {S.SUBMITTED}, S.RECEIVED, Cap.REVIEW_NOMINATIONS, "Tiếp nhận", on=HOLDER),
        move(
            "return",
            {S.SUBMITTED, S.RECEIVED, S.CHECKED},
            S.RETURNED,
            Cap.REVIEW_NOMINATIONS,
            "Trả lại",
            needs_reason=True,
            on=HOLDER,
        ),
        move(
            "open_comment",
            {S.RECEIVED},
            S.PUBLIC_COMMENT,
            Cap.REVIEW_NOMINATIONS,
            "Lấy ý kiến công khai",
            on=HOLDER,
        ),
        move(
            "check",
            {S.RECEIVED, S.PUBLIC_COMMENT},
            S.CHECKED,
            Cap.REVIEW_NOMINATIONS,
            "Thẩm định xong",
            on=HOLDER,
        ),
        move(
            "forward", {S.CHECKED}, S.SUBMITTED, Cap.REVIEW_NOMINATIONS, "Trình cấp trên", on=HOLDER
        ),
        move(
            "put_on_agenda",
            {S.CHECKED},
            S.ON_AGENDA,
            Cap.REVIEW_NOMINATIONS,
            "Đưa vào họp",
            on=HOLDER,
        ),
        move(
            "council_pass",
            {S.ON_AGENDA},
            S.APPROVED,
            Cap.REVIEW_NOMINATIONS,
            "Hội đồng thông qua",
            on=HOLDER,
        ),
        move(
            "council_fail",
            {S.ON_AGENDA},
            S.REJECTED,
            Cap.REVIEW_NOMINATIONS,
            "Hội đồng không thông qua",
            on=HOLDER,
        ),
        move("approve", {S.CHECKED}, S.APPROVED, Cap.DECIDE_AWARDS, "Chấp thuận", on=HOLDER),
        move(
            "reject",
            {S.CHECKED},
            S.REJECTED,
            Cap.DECIDE_AWARDS,
            "Không chấp thuận",
            needs_reason=True,
            on=HOLDER,
        ),
        move(
            "fast_track",
            {S.RECEIVED},
            S.APPROVED,
            Cap.DECIDE_AWARDS,
            "Chấp thuận theo thủ tục đơn giản",
            on=HOLDER,
        ),
        move(
            "draft_decision",
            {S.APPROVED},
            S.DECIDED,
            Cap.REVIEW_NOMINATIONS,
            "Dự thảo quyết định",
            on=HOLDER,
        ),
        move("issue", {S.DECIDED}, S.ISSUED, Cap.DECIDE_AWARDS, "Ký ban hành", on=HOLDER),
        move("publish", {S.ISSUED}, S.PUBLISHED, Cap.DECIDE_AWARDS, "Công bố", on=HOLDER),
        move(
            "revoke",
            {S.ISSUED, S.PUBLISHED},
            S.REVOKED,
            Cap.DECIDE_AWARDS,
            "Hủy bỏ khen thưởng",
            needs_reason=True,
            on=HOLDER,
        ),
        # The central leg: only the province's Nội vụ sends out and records what comes back.
        move(
            "send_to_central",
            {S.CHECKED, S.APPROVED, S.CENTRAL_RETURNED},
            S.SENT_TO_CENTRAL,
            Cap.REVIEW_NOMINATIONS,
            "Trình Trung ương",
            on=HOLDER,
        ),
        move(
            "central_return",
            {S.SENT_TO_CENTRAL},
            S.CENTRAL_RETURNED,
            Cap.REVIEW_NOMINATIONS,
            "Ghi nhận Trung ương trả lại hồ sơ",
            needs_reason=True,
            on=HOLDER,
        ),
        move(
            "return_to_sender",
            {S.CENTRAL_RETURNED},
            S.RETURNED,
            Cap.REVIEW_NOMINATIONS,
            "Trả lại đơn vị đề nghị",
            needs_reason=True,
            on=HOLDER,
        ),
        move(
            "central_approve",
            {S.SENT_TO_CENTRAL},
            S.CENTRAL_DECIDED,
            Cap.REVIEW_NOMINATIONS,
            "Ghi nhận quyết định khen thưởng của Trung ương",
            on=HOLDER,
        ),
        move(
            "central_reject",
            {S.SENT_TO_CENTRAL},
            S.REJECTED,
            Cap.REVIEW_NOMINATIONS,
            "Ghi nhận Trung ương không chấp thuận",
            needs_reason=True,
            on=HOLDER,
        ),
    ],
    refusal=refusal,
)


class SessionStatus(models.TextChoices):
    OPEN = "open", "Đang họp"
    CLOSED = "closed", "Đã kết thúc"


def session_refusal(source: str, target: str) -> str:
    """A council session is worked on only while it sits: after it, the session is closed."""
    return f"Phiên họp {SessionStatus(source).label.lower()}."


# A council session (phiên họp Hội đồng TĐKT): while it sits the Nội vụ puts checked dossiers on
# its agenda and keeps the attendance and the absent members' written ballots; a seated member
# present votes or recuses themself (the service checks the seat); closing tallies every
# dossier, issues the Biên bản and ends the session. Each step but the close keeps it open.
SESSION_TABLE = Table(
    "council_session",
    [
        move(
            "put_on_agenda",
            {SessionStatus.OPEN},
            SessionStatus.OPEN,
            Cap.REVIEW_NOMINATIONS,
            "Đưa hồ sơ vào phiên họp",
        ),
        move(
            "set_attendance",
            {SessionStatus.OPEN},
            SessionStatus.OPEN,
            Cap.REVIEW_NOMINATIONS,
            "Ghi có mặt, vắng mặt",
        ),
        move(
            "cast_vote", {SessionStatus.OPEN}, SessionStatus.OPEN, Cap.VOTE_IN_COUNCIL, "Bỏ phiếu"
        ),
        move(
            "record_written_vote",
            {SessionStatus.OPEN},
            SessionStatus.OPEN,
            Cap.REVIEW_NOMINATIONS,
            "Ghi phiếu bằng văn bản",
        ),
        move(
            "declare_conflict",
            {SessionStatus.OPEN},
            SessionStatus.OPEN,
            Cap.VOTE_IN_COUNCIL,
            "Không tham gia xét hồ sơ này",
        ),
        move(
            "close",
            {SessionStatus.OPEN},
            SessionStatus.CLOSED,
            Cap.REVIEW_NOMINATIONS,
            "Kết thúc phiên họp, lập biên bản",
        ),
    ],
    refusal=session_refusal,
)


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    ISSUED = "issued", "Đã ký ban hành"
    PUBLISHED = "published", "Đã công bố"


def decision_refusal(source: str, target: str) -> str:
    """The Vietnamese message for a decision's move the table does not allow."""
    to = DecisionStatus(target).label if target else "bước khác"
    return (
        f"Quyết định đang ở bước “{DecisionStatus(source).label}”, không chuyển sang “{to}” được."
    )


# An award decision (Quyết định khen thưởng, or a revocation): the Nội vụ drafts it and may
# change its signer while it is a draft; the leader signs it (numbered, the awards recorded),
# then publishes it on the public site. Its dossiers follow it in the nomination table.
DECISION_TABLE = Table(
    "award_decision",
    [
        move(
            "set_signer",
            {DecisionStatus.DRAFT},
            DecisionStatus.DRAFT,
            Cap.REVIEW_NOMINATIONS,
            "Cập nhật người ký",
        ),
        move(
            "issue",
            {DecisionStatus.DRAFT},
            DecisionStatus.ISSUED,
            Cap.DECIDE_AWARDS,
            "Ký ban hành (cấp số)",
        ),
        move(
            "publish",
            {DecisionStatus.ISSUED},
            DecisionStatus.PUBLISHED,
            Cap.DECIDE_AWARDS,
            "Công bố công khai",
        ),
    ],
    refusal=decision_refusal,
)

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
