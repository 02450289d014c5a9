"""The criteria a Nội vụ reviewer judges when checking a dossier (thẩm định), and their
pre-filled verdicts.

The catalogue states each item's standard and prerequisites in words with their article; the
eligibility engine checks what the data can tell. A dossier's criteria group the engine's
finding codes under those headings (plus the opinions of the bodies asked, if any), so the
reviewer confirms or corrects each one: a criterion with no finding is pre-filled "Đạt", a hard
finding "Không đạt", a soft one "Đạt" once justified, else "Chưa đủ hồ sơ"; an objection of a
body asked "Không đạt", a body still to answer "Chưa đủ hồ sơ".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from awards.models import ClearanceRequest, ClearanceStatus, Nomination, RecipientKind, Verdict
from portal.errors import RuleViolation
from portal.text import normalize_text


@dataclass(frozen=True)
class Criterion:
    code: str
    label: str
    article: str
    suggested: str  # a Verdict value
    finding: str  # what the engine (or the bodies asked) found, in words

    @property
    def suggested_label(self) -> str:
        return Verdict(self.suggested).label


# (code, label, finding codes it covers); "{item}" is the item's name.
GROUPS: tuple[tuple[str, str, frozenset[str]], ...] = (
    (
        "standard",
        "Tiêu chuẩn “{item}” (đối tượng, loại khen thưởng, thành tích)",
        frozenset({"recipient", "basis"}),
    ),
    (
        "prerequisite",
        "Điều kiện tiên quyết (xếp loại, danh hiệu liên tục, sáng kiến, tỉ lệ thành viên)",
        frozenset(
            {
                "prerequisite",
                "collective_ratio",
                "initiative_once",
                "initiative_owner",
                "no_stacking",
            }
        ),
    ),
    (
        "conduct",
        "Không bị kỷ luật, không trong thời gian tạm đình chỉ xét khen thưởng",
        frozenset({"freeze", "discipline"}),
    ),
    (
        "principles",
        "Nguyên tắc khen thưởng (một lần, một hình thức, không trùng hồ sơ, tỉ lệ, "
        "đăng ký thi đua)",
        frozenset({"once", "one_form", "duplicate_nomination", "cap", "registration", "dissolved"}),
    ),
    ("authority", "Thẩm quyền và quy định áp dụng", frozenset({"ruleset", "authority"})),
)
CLEARANCE = "clearance"
CLEARANCE_LABEL = "Cơ quan liên quan đồng ý"


def _suggest(findings: Sequence[dict], justifications: Mapping[str, str]) -> tuple[str, str]:
    hard = [f for f in findings if f["severity"] == "hard"]
    if hard:
        return Verdict.NOT_MET, " ".join(f["message"] for f in hard)
    unjustified = [f for f in findings if not justifications.get(f["code"])]
    if unjustified:
        return Verdict.INCOMPLETE, "Cần giải trình: " + " ".join(f["message"] for f in unjustified)
    notes = [f"{f['message']} Giải trình: {justifications[f['code']]}" for f in findings]
    return Verdict.MET, " ".join(notes)


def _clearance_criterion(clearances: Iterable[ClearanceRequest]) -> Criterion | None:
    asked = [c for c in clearances if c.status != ClearanceStatus.WITHDRAWN]
    if not asked:
        return None
    pending = [c for c in asked if c.status == ClearanceStatus.PENDING]
    objections = [c for c in asked if c.status == ClearanceStatus.OBJECTION]
    if pending:
        suggested = Verdict.INCOMPLETE
        finding = " ".join(pending_message(c) for c in pending)
    elif objections:
        suggested = Verdict.NOT_MET
        finding = " ".join(f"{c.body_name} có ý kiến khác: {c.answer_text}" for c in objections)
    else:
        suggested = Verdict.MET
        finding = "Đồng ý: " + ", ".join(c.body_name for c in asked) + "."
    return Criterion(CLEARANCE, CLEARANCE_LABEL, "", suggested, finding)


def pending_message(clearance: ClearanceRequest) -> str:
    return f"Đang chờ ý kiến của {clearance.body_name} (hạn {clearance.due_on:%d/%m/%Y})."


def criteria_for(
    nomination: Nomination,
    *,
    findings: Sequence[dict] | None = None,
    clearances: Iterable[ClearanceRequest] | None = None,
) -> list[Criterion]:
    """The criteria of `nomination` with their pre-filled verdicts (stored findings unless
    fresh ones are given)."""
    item = nomination.item
    findings = nomination.findings if findings is None else findings
    justifications = nomination.justifications or {}
    result = []
    for code, label, codes in GROUPS:
        mine = [f for f in findings if f["code"] in codes]
        if code == "prerequisite" and not mine and not item.prerequisites:
            continue
        if code == "conduct" and nomination.recipient_kind == RecipientKind.HOUSEHOLD:
            continue
        suggested, finding = _suggest(mine, justifications)
        article = next((f["article"] for f in mine if f["article"]), "")
        if not article and code in {"standard", "prerequisite"}:
            article = item.legal_article
        result.append(Criterion(code, label.format(item=item.name), article, suggested, finding))
    if clearances is None:
        clearances = nomination.clearances.all()
    clearance = _clearance_criterion(clearances)
    if clearance is not None:
        result.append(clearance)
    return result


@dataclass(frozen=True)
class Judgement:
    criterion: Criterion
    verdict: str
    note: str


def judge(
    criteria: Sequence[Criterion], verdicts: Mapping[str, tuple[str, str]] | None
) -> list[Judgement]:
    """The reviewer's verdicts (code → (verdict, note)) on every criterion, or the pre-filled
    ones when `verdicts` is None (the bulk check). The check cannot end on a criterion that is
    not met or lacks papers: the dossier is returned instead."""
    judgements = []
    for criterion in criteria:
        if verdicts is None:
            verdict, note = criterion.suggested, ""
        else:
            if criterion.code not in verdicts or not verdicts[criterion.code][0]:
                raise RuleViolation(
                    f"Tiêu chí “{criterion.label}” chưa có kết luận thẩm định.",
                    code="criterion_verdict_missing",
                )
            verdict, note = verdicts[criterion.code]
            note = normalize_text(note)
            if verdict not in Verdict.values:
                raise RuleViolation(
                    f"Kết luận của tiêu chí “{criterion.label}” không hợp lệ.",
                    code="criterion_verdict_invalid",
                )
        if verdict == Verdict.NOT_MET and criterion.code == CLEARANCE:
            raise RuleViolation(
                f"Không thể kết thúc thẩm định: {criterion.finding} Hãy trả lại hồ sơ, hoặc kết "
                f"luận “Đạt” ở tiêu chí “{CLEARANCE_LABEL}” kèm giải trình nếu vẫn đề nghị.",
                code="clearance_objection_unresolved",
            )
        if verdict == Verdict.NOT_MET:
            raise RuleViolation(
                f"Không thể kết thúc thẩm định: tiêu chí “{criterion.label}” không đạt"
                + (f" ({criterion.finding})" if criterion.finding else "")
                + ". Hãy trả lại hồ sơ cho đơn vị đề nghị kèm lý do.",
                code="criterion_not_met",
            )
        if verdict == Verdict.INCOMPLETE:
            raise RuleViolation(
                f"Không thể kết thúc thẩm định: tiêu chí “{criterion.label}” chưa đủ hồ sơ"
                + (f" ({criterion.finding})" if criterion.finding else "")
                + ". Hãy trả lại hồ sơ để bổ sung.",
                code="criterion_incomplete",
            )
        if criterion.suggested != Verdict.MET and not note:
            raise RuleViolation(
                f"Tiêu chí “{criterion.label}”: {criterion.finding} Kết luận “Đạt” khác kết quả "
                "kiểm tra, cần ghi giải trình.",
                code="criterion_justification_missing",
            )
        judgements.append(Judgement(criterion, verdict, note))
    return judgements
