"""The pledges lists' row tags (`pledges/templatetags/pledge_rows.py`) write what each list's
template loop wrote before them (kept below as the references): text escaped, labels of the
stored values, dates on the local calendar, numbers as the template showed them (#16)."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone

from campaigns.models import ReviewKind
from campaigns.templatetags.campaign_rows import day, text
from pledges.models import Criterion, Registration, ScoreSheet, UnitReview
from pledges.models.covenants import CriterionKind, Formula
from pledges.templatetags.pledge_rows import (
    criterion_boxes,
    criterion_rows,
    registration_rows,
    review_rows,
    sheet_rows,
)
from pledges.workflow import RegistrationStatus, ScoreSheetStatus, UnitReviewStatus
from portal.models import Unit

REGISTRATIONS = Template(
    """{% load campaign_rows %}{% for r in rows %}<tr><td><a href="{% url 'pledges:detail' registration_id=r.pk %}">{{ r.unit_name }}</a></td><td>{{ r.task_count }}</td>
      <td>{{ r.get_status_display }}</td><td>{{ r.first_submitted_at|date:"d/m/Y" }}</td>
      <td>{% if r.is_late %}<span class="badge text-bg-warning">Đăng ký muộn</span>{% endif %}</td></tr>{% if not forloop.last %}
{% endif %}{% endfor %}"""  # noqa: E501
)
REVIEWS = Template(
    """{% for r in rows %}<tr><td><a href="{% url 'pledges:review' review_id=r.pk %}">{{ r.unit_name }}</a></td><td>{{ r.get_kind_display }}</td><td>{{ r.get_status_display }}</td>
      <td>{{ r.submitted_at|date:"d/m/Y" }}</td><td class="text-end">{{ r.exemplar_count }}</td><td class="text-end">{{ r.proposal_count }}</td></tr>{% if not forloop.last %}
{% endif %}{% endfor %}"""  # noqa: E501
)
CRITERIA = Template(
    """{% for c in rows %}<tr><td>{{ c.position }}</td><td>{{ c.group }}</td><td>{{ c.text }}</td><td>{{ c.get_kind_display }}</td><td class="text-end">{{ c.max_points }}</td><td>{{ c.get_formula_display }}{% if c.points_per_item %} ({{ c.points_per_item }} điểm/đơn vị){% endif %}</td><td>{{ c.evidence_required }}</td></tr>{% if not forloop.last %}
  {% endif %}{% endfor %}"""  # noqa: E501
)

# Late in the evening in Hà Nội is the next day in UTC's terms and the reverse: the date shown
# must be the local one.
LATE_UTC = datetime.datetime(2026, 3, 1, 20, 30, tzinfo=datetime.UTC)


def _registration(pk: int, **fields) -> Registration:
    registration = Registration(
        pk=pk,
        status=fields.pop("status", RegistrationStatus.SUBMITTED),
        is_late=fields.pop("is_late", False),
        first_submitted_at=fields.pop("first_submitted_at", LATE_UTC),
        task_count=fields.pop("task_count", 12),
    )
    registration.unit_name = fields.pop("unit_name", "Phường <Tân Phong> & “Bửu Long”")
    return registration


def test_registration_rows_write_what_the_template_wrote():
    rows = [
        _registration(1),
        _registration(2, is_late=True, status=RegistrationStatus.DRAFT, first_submitted_at=None),
        _registration(3, task_count=12345, status="không-còn-trong-bảng", unit_name="Xã 'Đồi'"),
        _registration(10**9, first_submitted_at=timezone.now()),
    ]
    assert registration_rows(rows) == REGISTRATIONS.render(Context({"rows": rows}))
    assert "02/03/2026" in registration_rows(rows[:1])  # 20:30 UTC is 03:30 the next day here


def _review(pk: int, **fields) -> UnitReview:
    review = UnitReview(
        pk=pk,
        kind=fields.pop("kind", ReviewKind.MIDTERM),
        status=fields.pop("status", UnitReviewStatus.SUBMITTED),
        submitted_at=fields.pop("submitted_at", LATE_UTC),
    )
    review.unit_name = "Phòng <Nội vụ> & Tổ “A”"
    review.exemplar_count, review.proposal_count = fields.pop("counts", (3, 0))
    return review


def test_review_rows_write_what_the_template_wrote():
    rows = [
        _review(1),
        _review(2, kind=ReviewKind.FINAL, status=UnitReviewStatus.DRAFT, submitted_at=None),
        _review(3, counts=(0, 1500)),
    ]
    assert review_rows(rows) == REVIEWS.render(Context({"rows": rows}))


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {
            "kind": CriterionKind.BONUS,
            "formula": Formula.PER_ITEM,
            "points_per_item": Decimal("0.5"),
        },
        {"kind": CriterionKind.PENALTY, "max_points": Decimal("2.25"), "evidence_required": ""},
        {"text": "Tỷ lệ <100%> & “đúng hạn”", "group": "Nhóm 'II'", "position": 12},
    ],
)
def test_criterion_rows_write_what_the_template_wrote(fields):
    values = {
        "position": 1,
        "group": "Nhóm I",
        "text": "Hoàn thành chỉ tiêu",
        "kind": CriterionKind.CRITERION,
        "max_points": Decimal("10.00"),
        "formula": Formula.RATIO,
        "points_per_item": None,
        "evidence_required": "Báo cáo <có xác nhận>",
    }
    rows = [Criterion(**(values | fields)), Criterion(**values)]
    assert criterion_rows(rows) == CRITERIA.render(Context({"rows": rows}))


@pytest.mark.parametrize(
    "value",
    [None, 0, 7, 1234567, Decimal("10.50"), Decimal("0"), 2.5, True, "<b>&", "Đã gửi"],
)
def test_text_is_what_the_template_shows(value):
    assert text(value) == Template("{{ v }}").render(Context({"v": value}))


@pytest.mark.parametrize(
    "value",
    [
        None,
        datetime.date(2026, 12, 6),
        datetime.date(5, 1, 9),
        LATE_UTC,
        datetime.datetime(2026, 3, 1, 16, 59, tzinfo=datetime.UTC),
        datetime.datetime(2026, 3, 1, 23, 0),  # naive: shown as it is
    ],
)
def test_day_is_the_date_filter(value):
    assert day(value) == Template('{{ v|date:"d/m/Y" }}').render(Context({"v": value}))


BOXES = Template(
    """{% for c in rows %}<label class="me-2"><input type="checkbox" name="criterion" value="{{ c.pk }}"> TC {{ c.position }}</label>{% endfor %}"""  # noqa: E501
)
SHEETS = Template(
    """{% for s in rows %}<tr><td><a href="{% url 'pledges:sheet' scoresheet_id=s.pk %}">{{ s.unit.name }}</a></td><td>{{ s.get_status_display }}</td><td class="text-end">{{ s.total }}</td></tr>{% endfor %}"""  # noqa: E501
)


def test_criterion_boxes_write_what_the_template_wrote():
    rows = [Criterion(pk=3, position=1), Criterion(pk=123456, position=12)]
    assert criterion_boxes(rows) == BOXES.render(Context({"rows": rows}))
    assert criterion_boxes([]) == ""


def _sheet(pk: int, name: str, status: str, total: Decimal) -> ScoreSheet:
    sheet = ScoreSheet(pk=pk, unit=Unit(name=name), status=status, total=total)
    sheet.unit_name = name
    return sheet


def test_sheet_rows_write_what_the_template_wrote():
    rows = [
        _sheet(1, "Phường <Tân Phong> & “Bửu Long”", ScoreSheetStatus.DRAFT, Decimal("0.00")),
        _sheet(22, "Xã 'Đồi'", ScoreSheetStatus.REVIEWED, Decimal("87.25")),
        _sheet(10**9, "Phường A", "không-còn-trong-bảng", Decimal("1234.5")),
    ]
    assert sheet_rows(rows) == SHEETS.render(Context({"rows": rows}))
    assert "87,25" in sheet_rows(rows)  # numbers as the Vietnamese locale writes them
