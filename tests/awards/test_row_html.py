"""The award lists' rows drawn in Python (`awards.row_html`) are the markup of the templates
they replaced, with every value escaped (#16)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.template import engines
from django.template.defaultfilters import date as date_filter

from awards import row_html
from awards.models import (
    AwardDecision,
    AwardForm,
    CouncilSession,
    DecisionKind,
    DecisionStatus,
    EmulationTitle,
    Nomination,
    SessionStatus,
)
from awards.statistics import Report, Share
from awards.templatetags import nominations
from awards.workflow import EDITABLE, Status
from portal.models import OfficialDocument, Person, Unit

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 7)
# The rows as the templates drew them before (`templates/awards/nominations/`).
QUEUE_TEMPLATE = """{% load nominations %}{% for n in page %}
<tr>
  <td><input class="form-check-input" type="checkbox" name="nomination" value="{{ n.pk }}" aria-label="Chọn {{ n.recipient_name }}"></td>
  <td><a href="{% url 'awards:nomination_detail' nomination_id=n.pk %}">{{ n.recipient_name }}</a></td>
  <td>{{ n.item.name }}</td><td>{{ n.year }}</td><td>{{ n.proposing_unit.name }}</td>
  <td>{% nomination_status n %}</td>
  <td>{% nomination_clock n today %}</td>
  <td>{% if n.findings %}<span class="badge text-bg-warning">{{ n.findings|length }} điểm</span>{% else %}<span class="badge text-bg-success">đạt</span>{% endif %}</td>
</tr>
{% empty %}<tr><td colspan="8" class="text-muted">Không có hồ sơ.</td></tr>
{% endfor %}"""  # noqa: E501
SENDER_TEMPLATE = """{% load nominations %}{% for n in page %}
<tr>
  <td>{% if n.status in editable %}<input class="form-check-input" type="checkbox" name="nomination" value="{{ n.pk }}" aria-label="Chọn {{ n.recipient_name }}">{% endif %}</td>
  <td><a href="{% url 'awards:nomination_detail' nomination_id=n.pk %}">{{ n.recipient_name }}</a></td>
  <td>{{ n.item.name }}</td><td>{{ n.year }}</td>
  <td>{% nomination_status n %}{% if n.handling_unit %} <small class="text-muted">tại {{ n.handling_unit.name }}</small>{% endif %}</td>
  <td>{% nomination_clock n today %}</td>
  <td><small>{{ n.last_reason|truncatechars:80 }}</small></td>
</tr>
{% empty %}<tr><td colspan="7" class="text-muted">Chưa có hồ sơ.</td></tr>
{% endfor %}"""  # noqa: E501
DECISION_TEMPLATE = """{% for d in page %}<tr><td><a href="{% url 'awards:decision_detail' decision_id=d.pk %}">{{ d.document }}</a></td><td>{{ d.get_kind_display }}</td><td>{{ d.unit.name }}</td><td>{{ d.get_status_display }}</td></tr>
{% empty %}<tr><td colspan="4" class="text-muted">Chưa có quyết định.</td></tr>{% endfor %}"""  # noqa: E501
SESSION_TEMPLATE = """{% for s in sessions %}<tr><td><a href="{% url 'awards:session_detail' session_id=s.pk %}">{{ s }}</a></td><td>{{ s.unit.name }}</td><td>{{ s.get_status_display }}</td></tr>
{% empty %}<tr><td colspan="3" class="text-muted">Chưa có phiên họp.</td></tr>{% endfor %}"""  # noqa: E501

HOSTILE = '<script>alert("x")</script> & Đào'


def _template(source: str, **context) -> str:
    return _same(engines["django"].from_string(source).render(context))


def _same(html: str) -> str:
    """The markup without the whitespace between tags, which the browser ignores."""
    return re.sub(r">\s+<", "><", html).strip()


def _nominations() -> list[Nomination]:
    unit = Unit(pk=11, name='Xã "Hòa" <An>')
    person = Person(pk=12, full_name=HOSTILE)
    title = EmulationTitle(pk=13, name="Chiến sĩ thi đua <cơ sở>")
    form = AwardForm(pk=14, name="Giấy khen & khen")
    common = {"proposing_unit": unit, "limit_article": "Điều 5 <NĐ 98>", "year": 2025}
    return [
        # An open step with a clock, findings, a long reason.
        Nomination(
            pk=1,
            person=person,
            title=title,
            handling_unit=unit,
            status="submitted",
            due_on=TODAY + datetime.timedelta(days=9),
            findings=[{"code": "x"}, {"code": "y"}],
            last_reason="Thiếu minh chứng <b>" + "ạ" * 120,
            **common,
        ),
        # Overdue, a collective recipient with an award form, no findings.
        Nomination(
            pk=2,
            unit=unit,
            award_form=form,
            handling_unit=unit,
            status="received",
            due_on=TODAY - datetime.timedelta(days=3),
            findings=[],
            **common,
        ),
        # Waiting at the central level; a household; a draft the sender may still tick.
        Nomination(
            pk=3,
            household_name=HOSTILE,
            title=title,
            status="sent_to_central",
            step_started_on=TODAY - datetime.timedelta(days=40),
            **common,
        ),
        Nomination(pk=4, person=person, title=title, status="draft", **common),
    ]


def test_the_queue_rows_are_the_template_rows():
    rows = _nominations()
    html = row_html.queue_rows(rows, TODAY)
    assert _same(html) == _template(QUEUE_TEMPLATE, page=rows, today=TODAY)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert _same(row_html.queue_rows([], TODAY)) == _template(QUEUE_TEMPLATE, page=[])


def test_the_sender_rows_are_the_template_rows():
    rows = _nominations()
    html = row_html.sender_rows(rows, TODAY, EDITABLE)
    expected = _template(SENDER_TEMPLATE, page=rows, today=TODAY, editable=EDITABLE)
    assert _same(html) == expected
    assert html.count('name="nomination"') == 1  # only the draft
    assert "<b>" not in html and "…" in html
    assert _same(row_html.sender_rows([], TODAY, EDITABLE)) == _template(SENDER_TEMPLATE, page=[])


def _decision_values(decision: AwardDecision) -> dict:
    """The row `awards.views.decisions.decision_list` reads for the decision."""
    document = decision.document
    return {
        "pk": decision.pk,
        "kind": decision.kind,
        "status": decision.status,
        "unit_name": decision.unit.name,
        "document_kind": document.kind,
        "document_number": document.number,
        "document_symbol": document.symbol,
        "document_summary": document.summary,
    }


def test_the_decision_and_session_rows_are_the_template_rows():
    unit = Unit(pk=21, name="UBND <tỉnh>")
    decisions = [
        AwardDecision(
            pk=5,
            unit=unit,
            kind="award",
            status="draft",
            document=OfficialDocument(pk=6, kind="decision", summary=HOSTILE),
        ),
        AwardDecision(
            pk=7,
            unit=unit,
            kind="revocation",
            status="published",
            document=OfficialDocument(pk=8, kind="decision", number=12, symbol="QĐ-UBND"),
        ),
    ]
    # Every kind and status, as the template drew their labels.
    document = decisions[1].document
    decisions += [
        AwardDecision(pk=20 + n, unit=unit, kind=kind, status=status, document=document)
        for n, (kind, status) in enumerate(
            (kind, status) for kind in DecisionKind.values for status in DecisionStatus.values
        )
    ]
    # Every way a document names itself: numbered, with a Party joint, by a long summary, bare.
    decisions += [
        AwardDecision(pk=40 + n, unit=unit, kind="award", status="signed", document=document)
        for n, document in enumerate(
            (
                OfficialDocument(kind="plan", number=3, symbol="-CT/TU"),
                OfficialDocument(kind="report", summary="Trích yếu " * 12),
                OfficialDocument(kind="decision"),
            )
        )
    ]
    html = row_html.decision_rows([_decision_values(d) for d in decisions])
    assert _same(html) == _template(DECISION_TEMPLATE, page=decisions)
    assert "<script>" not in html
    assert _same(row_html.decision_rows([])) == _template(DECISION_TEMPLATE, page=[])

    sessions = [
        CouncilSession(
            pk=9 + n, unit=unit, title=HOSTILE, held_on=datetime.date(2026, 3, 4), status=status
        )
        for n, status in enumerate(SessionStatus.values)
    ]
    html = row_html.session_rows(sessions)
    assert _same(html) == _template(SESSION_TEMPLATE, sessions=sessions)
    assert "04/03/2026" in html and "<script>" not in html
    assert _same(row_html.session_rows([])) == _template(SESSION_TEMPLATE, sessions=[])


def test_the_tags_shortcuts_are_djangos_date_filter_and_status_labels():
    for day in (datetime.date(2026, 1, 2), datetime.date(2026, 12, 31), datetime.date(987, 3, 4)):
        assert nominations._day(day) == date_filter(day, "d/m/Y")
    assert nominations._day(None) == date_filter(None, "d/m/Y") == ""
    for status in [*Status.values, "unknown"]:
        assert (
            nominations.STATUS_LABELS.get(status, status)
            == Nomination(status=status).get_status_display()
        )


# The statistics page's three loops as the template drew them (`statistics.html`).
ITEM_TEMPLATE = """{% for kind, name, level, count in report.by_item %}<tr><td>{{ kind }}</td><td>{{ name }}</td><td>{{ level }}</td><td>{{ count }}</td></tr>{% empty %}<tr><td colspan="4" class="text-muted">Chưa có.</td></tr>{% endfor %}"""  # noqa: E501
SHARE_TEMPLATE = """{% for share in report.shares %}
<div class="mb-2"><div class="d-flex justify-content-between small"><span>{{ share.label }}</span><span>{{ share.count }}/{{ share.total }} ({{ share.percent }} %)</span></div>
<div class="progress" role="progressbar" aria-label="{{ share.label }}" aria-valuenow="{{ share.percent|stringformat:'.1f' }}" aria-valuemin="0" aria-valuemax="100"><div class="progress-bar" style="width: {{ share.percent|stringformat:'.1f' }}%"></div></div></div>
{% endfor %}"""  # noqa: E501
LEVEL_YEAR_TEMPLATE = """{% for year, counts in report.by_level_year %}<tr><td>{{ year }}</td>{% for n in counts %}<td class="text-end">{{ n }}</td>{% endfor %}</tr>{% empty %}<tr><td colspan="4" class="text-muted">Chưa có.</td></tr>{% endfor %}"""  # noqa: E501


def test_the_statistics_rows_are_the_template_rows_byte_for_byte():
    report = Report(
        year=None,
        by_item=[
            ("Danh hiệu thi đua", HOSTILE, "Cấp tỉnh", 12345),
            ("Hình thức khen thưởng", "Bằng khen", "", 0),
        ],
        shares=[
            Share(HOSTILE, 1, 3),
            Share("Nữ", 2, 3),
            Share("Người dân tộc thiểu số", 0, 0),
            Share("Lãnh đạo", 1234, 2469),
        ],
        by_level_year=[(2025, [0, 1, 12345]), (2024, [7, 0, 0])],
    )
    empty = Report(year=2025)

    for source, draw, field in (
        (ITEM_TEMPLATE, row_html.item_rows, "by_item"),
        (SHARE_TEMPLATE, row_html.share_bars, "shares"),
        (LEVEL_YEAR_TEMPLATE, row_html.level_year_rows, "by_level_year"),
    ):
        for shown in (report, empty):
            expected = engines["django"].from_string(source).render({"report": shown})
            assert draw(getattr(shown, field)) == expected
    assert "<script>" not in row_html.item_rows(report.by_item) + row_html.share_bars(report.shares)
