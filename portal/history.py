"""A record's change history as officials read it: who, when, which fields changed, and why.

Rows come from django-simple-history. Each row is compared with the row before it of the same
record, fetched in the same query (one extra row past the window), and the records that foreign
keys point at are loaded once per related model, so a page of history costs a fixed number of
queries however long the history is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone

# Bookkeeping columns that officials never edit and that would only add noise to a diff.
HIDDEN_FIELDS = frozenset({"id", "path", "depth", "search_name", "password", "last_login"})

ACTIONS = {"+": "Tạo mới", "~": "Sửa", "-": "Xóa"}

# Change reasons are dotted codes set by the services (portal.audit.stamp); officials read these.
REASON_LABELS = {
    "portal.unit.created": "Thêm đơn vị",
    "portal.unit.updated": "Sửa thông tin đơn vị",
    "portal.unit.closed": "Giải thể, sáp nhập",
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
}


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
    return REASON_LABELS.get(code, code), note.strip()


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
