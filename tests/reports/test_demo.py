import io

from django.utils import timezone

from portal.demo import WARD_LONG_KHANH
from portal.models import UnitKind
from reports import demo
from reports.models import PeriodicReport
from reports.periods import previous_period
from tests.factories import make_unit


def test_the_demo_holds_last_months_report_of_the_city_and_one_ward_once(db):
    city = make_unit(
        None, UnitKind.CENTRAL_CITY, "Thành phố Đồng Nai", code="75", code_scheme="current"
    )
    ward = make_unit(
        city, UnitKind.WARD, "Phường Long Khánh", code=WARD_LONG_KHANH, code_scheme="current"
    )
    out = io.StringIO()
    demo.load(stdout=out)
    demo.load(stdout=out)

    last_month = previous_period("month", timezone.localdate())
    reports = PeriodicReport.objects.order_by("unit__path")
    assert [(r.unit, r.kind, r.period_start) for r in reports] == [
        (city, "month", last_month.start),
        (ward, "month", last_month.start),
    ]
    assert all(r.generation_count == 1 and r.pdf and r.xlsx for r in reports)
    assert out.getvalue().count(": đã có.") == 2
