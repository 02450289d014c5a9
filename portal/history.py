"""A record's change history as officials read it: who, when, which fields changed, and why.

Rows come from django-simple-history. Each row is compared with the row before it of the same
record, fetched in the same query (one extra row past the window), and the records that foreign
keys point at are loaded once per related model, so a page of history costs a fixed number of
queries however long the history is.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone

# Bookkeeping columns that officials never edit and that would only add noise to a diff.
HIDDEN_FIELDS = frozenset({"id", "path", "depth", "search_name", "password", "last_login"})

ACTIONS = {"+": "Tạo mới", "~": "Sửa", "-": "Xóa"}

# Change reasons are dotted codes set by the services (portal.audit.stamp); officials read these.
# The codes of every app are here (text only: the portal imports no app), so that a history
# page never shows a raw code; tests/portal/test_vietnamese_strings.py checks every literal code
# stamped in the source has its label.
REASON_LABELS = {
    "portal.unit.created": "Thêm đơn vị",
    "portal.unit.updated": "Sửa thông tin đơn vị",
    "portal.unit.closed": "Giải thể, sáp nhập",
    "portal.unit.loaded": "Nạp từ danh mục đơn vị hành chính",
    "portal.bloc.created": "Thành lập cụm, khối",
    "portal.bloc.updated": "Sửa cụm, khối",
    "portal.bloc.member_added": "Thêm thành viên",
    "portal.bloc.member_left": "Thành viên rời cụm, khối",
    "portal.bloc.term_set": "Phân công trưởng, phó cụm/khối",
    "portal.person.created": "Thêm cá nhân",
    "portal.person.updated": "Sửa thông tin cá nhân",
    "portal.person.moved": "Chuyển đơn vị công tác",
    "portal.membership.granted": "Phân quyền",
    "portal.membership.revoked": "Thu hồi quyền",
    "portal.post.appointed": "Giao chức vụ lãnh đạo (người ký văn bản)",
    "portal.post.ended": "Thôi giữ chức vụ lãnh đạo",
    "portal.demo.password_reset": "Đặt lại mật khẩu tài khoản mẫu",
    "portal.demo.user_reset": "Đặt lại tài khoản mẫu",
    "portal.document.drafted": "Soạn dự thảo văn bản",
    "portal.document.draft_updated": "Sửa dự thảo văn bản",
    "portal.document.issued": "Ban hành văn bản (cấp số)",
    "portal.document.code_reserved": "Cấp mã xác minh cho bản để ký số",
    "portal.document.issued_signed_outside": "Ban hành văn bản lãnh đạo đã ký số (cấp số, ngày)",
    "portal.outside_signing.prepared": "Xuất bản để ký số",
    "portal.outside_signing.signed_upload": "Nhận tệp đã ký số",
    "portal.outside_signing.signer_confirmed": "Văn thư xác nhận chứng thư khác tên người ký",
    "portal.outside_signing.issued": "Văn thư cấp số, cơ quan ký số",
    "portal.document.recorded": "Vào sổ văn bản",
    "portal.document.copied": "Lập bản sao văn bản (sao y, sao lục, trích sao)",
    "portal.notification_preference.updated": "Đổi cài đặt nhận bản tin",
    "campaigns.campaign.created": "Soạn phong trào",
    "campaigns.campaign.updated": "Sửa dự thảo phong trào",
    "campaigns.campaign.document_drafted": "Soạn văn bản phát động",
    "campaigns.launch_notice.recorded": "Ghi nhận người nhận thông báo phát động",
    "campaigns.launch_notice.sent": "Gửi thông báo phát động",
    "pledges.registration.started": "Bắt đầu đăng ký thi đua",
    "pledges.commitment.task_linked": "Gắn cam kết với nhiệm vụ",
    "pledges.commitment.withdrawn": "Rút cam kết",
    "pledges.commitment.written": "Ghi cam kết",
    "pledges.criterion.added": "Thêm tiêu chí chấm điểm",
    "pledges.evidence.attached": "Đính kèm minh chứng",
    "pledges.honour_vote.recorded": "Ghi kết quả suy tôn",
    "pledges.pledge.amended": "Sửa đổi giao ước",
    "pledges.pledge.closed": "Kết thúc giao ước",
    "pledges.pledge.document_drafted": "Lập văn bản giao ước để ký số",
    "pledges.pledge.document_issued": "Ban hành văn bản giao ước",
    "pledges.pledge.drafted": "Soạn giao ước",
    "pledges.pledge.in_force": "Giao ước có hiệu lực",
    "pledges.pledge.member_added": "Thêm đơn vị ký giao ước",
    "pledges.pledge.opened": "Mở ký giao ước",
    "pledges.pledge.scan_uploaded": "Tải lên bản giao ước đã ký",
    "pledges.pledge.scored": "Chấm điểm giao ước",
    "pledges.pledge.signed": "Ký giao ước",
    "pledges.pledge.signed_by_member": "Đơn vị thành viên ký giao ước",
    "pledges.pledge.version_kept": "Lưu phiên bản giao ước",
    "pledges.progress.reported": "Báo cáo tiến độ",
    "pledges.task.progress": "Cập nhật tiến độ nhiệm vụ",
    "pledges.proposal.nominated": "Đề nghị khen thưởng từ báo cáo",
    "pledges.bloc_proposal.nominated": "Đề nghị khen thưởng của cụm, khối",
    "pledges.bloc_proposal.proposed": "Cụm, khối đề xuất khen thưởng",
    "pledges.ranking.published": "Công bố xếp hạng",
    "pledges.score.correction_copied": "Chép điểm để đính chính",
    "pledges.score.opened": "Mở chấm điểm",
    "pledges.score.self_assessed": "Đơn vị tự chấm",
    "pledges.score_sheet.opened": "Mở phiếu chấm điểm",
    "pledges.score_sheet.self_saved": "Lưu phiếu tự chấm",
    "pledges.score_sheet.total": "Tính tổng điểm",
    "pledges.score_table.correction_opened": "Mở đính chính bảng điểm",
    "pledges.score_table.created": "Lập bảng điểm",
    "pledges.score_table.locked": "Khóa bảng điểm",
    "pledges.score_table.published": "Công bố bảng điểm",
    "pledges.score_table.report_issued": "Ban hành báo cáo chấm điểm",
    "pledges.tie_breaker.replaced": "Thay tiêu chí phân định",
    "pledges.tie_breaker.set": "Đặt tiêu chí phân định",
    "pledges.unit_review.submitted": "Gửi báo cáo sơ kết, tổng kết",
    "pledges.unit_review.updated": "Sửa báo cáo sơ kết, tổng kết",
    "awards.batch.forwarded": "Chuyển tiếp hồ sơ lên cấp trên",
    "awards.batch.sent_to_central": "Trình Trung ương",
    "awards.batch.submitted": "Gửi hồ sơ đề nghị",
    "awards.central_decision.copy_attached": "Đính kèm bản sao quyết định Trung ương",
    "awards.central_decision.recorded": "Ghi quyết định của Trung ương",
    "awards.clearance.requested": "Xin ý kiến cơ quan liên quan",
    "awards.clearance.withdrawn": "Rút văn bản xin ý kiến",
    "awards.council.agenda_added": "Thêm vào chương trình họp Hội đồng",
    "awards.council.attendance": "Ghi thành phần dự họp",
    "awards.council.closed": "Kết thúc phiên họp Hội đồng",
    "awards.council.created": "Tạo phiên họp Hội đồng",
    "awards.council.recused": "Thành viên không tham gia xét hồ sơ (xung đột lợi ích)",
    "awards.council.seated": "Xếp thành viên Hội đồng",
    "awards.council.tallied": "Kiểm phiếu",
    "awards.council.voted": "Thành viên bỏ phiếu tại phiên họp",
    "awards.council.written_vote": "Ghi phiếu bằng văn bản của thành viên vắng mặt",
    "awards.criterion_opinion.dropped": "Bỏ ý kiến thẩm định tiêu chí",
    "awards.criterion_opinion.recorded": "Ghi ý kiến thẩm định tiêu chí",
    "awards.decision.certificates_printing": "In bằng, giấy khen",
    "awards.decision.drafted": "Soạn quyết định khen thưởng",
    "awards.decision.issued": "Ký ban hành quyết định (cấp số)",
    "awards.decision.published": "Công bố công khai quyết định",
    "awards.decision.revocation_issued": "Ban hành quyết định thu hồi",
    "awards.demo.print_batch": "In bằng mẫu",
    "awards.demo.submitted_earlier": "Hồ sơ mẫu gửi trước",
    "awards.discipline.recorded": "Ghi kỷ luật",
    "awards.evidence.added": "Thêm tài liệu minh chứng",
    "awards.freeze.opened": "Tạm dừng xét khen thưởng",
    "awards.freeze.ended": "Hết tạm dừng xét khen thưởng",
    "awards.history_import.imported": "Nhập lịch sử khen thưởng",
    "awards.history_import.queued": "Chờ nhập lịch sử khen thưởng",
    "awards.history_import.uploaded": "Tải lên tệp lịch sử khen thưởng",
    "awards.initiative.recorded": "Ghi sáng kiến",
    "awards.initiative.used": "Dùng sáng kiến làm căn cứ",
    "awards.nomination.drafted": "Soạn hồ sơ đề nghị",
    "awards.nomination.issue": "Ghi vấn đề của hồ sơ",
    "awards.nomination.signed_report": "Đính kèm báo cáo thành tích đã ký",
    "awards.nomination.updated": "Sửa hồ sơ đề nghị",
    "awards.public_comment.received": "Nhận ý kiến Nhân dân",
    "awards.quota.changed": "Sửa chỉ tiêu khen thưởng",
    "awards.quota.removed": "Bỏ chỉ tiêu khen thưởng",
    "awards.quota.set": "Đặt chỉ tiêu khen thưởng",
    "awards.record.certificate_code_backfilled": "Bổ sung mã xác minh bằng",
    "awards.record.revoked": "Thu hồi khen thưởng",
    "reports.report.generated": "Lập báo cáo định kỳ",
    "reports.report.regenerated": "Lập lại báo cáo định kỳ",
    "reports.schedule.updated": "Sửa lịch báo cáo",
}

# Codes built from a workflow step (`pledges.registration.<status>`, `awards.record.<source>`):
# their last word, when no exact label exists.
STEP_LABELS = {
    "submitted": "Gửi",
    "approved": "Duyệt",
    "accepted": "Tiếp nhận",
    "returned": "Trả lại",
    "rejected": "Từ chối",
    "draft": "Trả về dự thảo",
    "launched": "Phát động",
    "closed": "Kết thúc",
    "cancelled": "Hủy",
    "withdrawn": "Rút",
    "opened": "Mở",
    "midterm": "Sơ kết",
    "final": "Tổng kết",
    "agreed": "Thống nhất",
    "completed": "Hoàn tất",
    "scored": "Chấm điểm",
    "manual": "Nhập tay",
    "imported": "Nhập từ tệp",
    "decision": "Theo quyết định",
    "cleared": "Không có ý kiến khác",
    "objection": "Có ý kiến",
    "ended": "Kết thúc",
    "revoked": "Thu hồi",
}
GENERIC_LABEL = "Cập nhật"
CODE = re.compile(r"[a-z_]+(\.[a-z_]+)+")


def reason_label(code: str) -> str:
    """The officials' words for a change reason code; never the code itself."""
    if code in REASON_LABELS:
        return REASON_LABELS[code]
    if not CODE.fullmatch(code):
        return code  # already words: an engine's reason such as "Ban hành 12/QĐ-UBND"
    for word in reversed(code.split(".")):
        for part in (word, word.rsplit("_", 1)[-1]):
            if part in STEP_LABELS:
                return STEP_LABELS[part]
    return GENERIC_LABEL


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: object | None
    action: str
    reason: str
    note: str
    changes: list[FieldChange] = field(default_factory=list)


def split_reason(reason: str | None) -> tuple[str, str]:
    """("Giải thể, sáp nhập", "Sáp nhập vào …") from "portal.unit.closed: Sáp nhập vào …"."""
    if not reason:
        return "", ""
    code, _, note = reason.partition(": ")
    return reason_label(code), note.strip()


def history_entries(rows: models.QuerySet, start: int = 0, stop: int = 20) -> list[HistoryEntry]:
    """Entries for rows [start, stop) of one record's history, newest first."""
    ordered = rows.select_related("history_user").order_by("-history_date", "-history_id")
    # One row past the window: the state the window's oldest entry changed from.
    window = list(ordered[start : stop + 1])
    if not window:
        return []
    tracked = [f for f in window[0].tracked_fields if f.name not in HIDDEN_FIELDS and f.editable]
    names = _related_names(tracked, window)
    entries = []
    for index, row in enumerate(window[: stop - start]):
        older = window[index + 1] if index + 1 < len(window) else None
        label, note = split_reason(row.history_change_reason)
        entries.append(
            HistoryEntry(
                when=row.history_date,
                who=row.history_user,
                action=ACTIONS.get(row.history_type, row.history_type),
                reason=label,
                note=note,
                changes=_changes(tracked, older, row, names),
            )
        )
    return entries


def _changes(tracked, older, row, names) -> list[FieldChange]:
    changes = []
    for model_field in tracked:
        new = getattr(row, model_field.attname)
        old = getattr(older, model_field.attname) if older is not None else None
        if older is not None and old == new:
            continue
        if older is None and new in (None, ""):
            continue
        changes.append(
            FieldChange(
                label=str(model_field.verbose_name).capitalize(),
                old=_display(model_field, old, names) if older is not None else "—",
                new=_display(model_field, new, names),
            )
        )
    return changes


def _related_names(tracked, window) -> dict[tuple[type, object], str]:
    """One query per related model for every foreign key value in the window."""
    wanted: dict[type, set] = {}
    for model_field in tracked:
        if model_field.is_relation and model_field.many_to_one:
            values = {getattr(row, model_field.attname) for row in window} - {None}
            wanted.setdefault(model_field.related_model, set()).update(values)
    names = {}
    for model, ids in wanted.items():
        if ids:
            for pk, obj in model._default_manager.in_bulk(ids).items():
                names[(model, pk)] = str(obj)
    return names


def _display(model_field, value, names) -> str:
    if value is None or value == "":
        return "—"
    if model_field.is_relation:
        return names.get((model_field.related_model, value), f"#{value}")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)
