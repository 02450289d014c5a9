"""The tasks page's row tag (`pledges/templatetags/pledge_rows.py`) writes what the row's
template wrote before it (kept below as the reference): text escaped, the target, the due date
and its overdue flag, the progress bar's numbers."""

import datetime
from collections import namedtuple
from decimal import Decimal

import pytest
from django.template import Context, Template

from pledges.models import Measure, RegistrationTask
from pledges.templatetags.pledge_rows import task_row, task_rows
from pledges.views import TASK_COLUMNS

TODAY = datetime.date(2026, 12, 6)

# The row as the template drew it before the tag.
REFERENCE = Template(
    """<tr><td>{{ t.description }}</td><td>{{ t.target_display }}</td>
        <td>{{ t.due_on|date:"d/m/Y" }}{% if t.due_on < today and t.latest_percent < 100 %} <span class="badge text-bg-danger">Quá hạn</span>{% endif %}</td>
        <td style="min-width:8rem"><div class="progress" role="progressbar" aria-label="Tiến độ: {{ t.description|truncatechars:60 }}" aria-valuenow="{{ t.latest_percent|stringformat:'.0f' }}" aria-valuemin="0" aria-valuemax="100"><div class="progress-bar bg-success" style="width: {{ t.latest_percent|stringformat:'s' }}%">{{ t.latest_percent|floatformat:"0" }}%</div></div></td></tr>"""  # noqa: E501
)


def _task(**fields) -> RegistrationTask:
    values = {
        "description": "Xây dựng mô hình <dân vận khéo> & chuyển đổi số",
        "measure": Measure.NUMBER,
        "target_value": Decimal("10.00"),
        "unit_of_measure": "mô hình",
        "due_on": datetime.date(2026, 12, 31),
        "latest_percent": Decimal("50.0"),
    }
    return RegistrationTask(**(values | fields))


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"due_on": datetime.date(2026, 1, 5), "latest_percent": Decimal("33.3")},  # overdue
        {"due_on": datetime.date(2026, 1, 5), "latest_percent": Decimal("100.0")},  # done late
        {"due_on": TODAY, "latest_percent": Decimal("0")},
        {"latest_percent": Decimal("12.5")},
        {"latest_percent": Decimal("99.5")},
        {"measure": Measure.MILESTONE, "target_value": None, "unit_of_measure": ""},
        {"target_value": Decimal("2.50"), "unit_of_measure": "tỷ đồng"},
        {"description": "Nhiệm vụ rất dài " * 8 + '"cuối"'},
    ],
)
def test_the_row_tag_writes_what_the_template_wrote(fields):
    task = _task(**fields)
    expected = REFERENCE.render(Context({"t": task, "today": TODAY}))
    assert task_row(task, TODAY) == expected
    # The tasks page's plain rows (`pledges.views.TASK_COLUMNS`) draw the same.
    row = namedtuple("Row", TASK_COLUMNS)(*(getattr(task, name) for name in TASK_COLUMNS))
    assert task_row(row, TODAY) == expected
    assert task_rows([row, row], TODAY) == f"{expected}\n{expected}"
