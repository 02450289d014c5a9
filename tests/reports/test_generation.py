"""Generating a report: the PDF (read back) and the workbook, in place on a rerun, announced
once in the digest."""

import datetime
import io
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import load_workbook
from pypdf import PdfReader

from portal.background.reminders import plan_reminders
from portal.models import Membership, Notification, Reminder, Role
from reports import services
from reports.models import PeriodicReport
from reports.periods import PeriodKind
from reports.recipients import recipients_of
from reports.reminders import NEW_REPORT_KIND
from tests.refusals import refused

from .conftest import APRIL_FIRST, MARCH

pytestmark = pytest.mark.django_db


def generate(unit, *, now=APRIL_FIRST, actor=None):
    return services.generate_report(
        unit, kind=PeriodKind.MONTH, period_start=MARCH.start, now=now, actor=actor
    )


def pdf_text(report) -> str:
    with report.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_pdf_is_a_bao_cao_of_the_unit_for_the_period_naming_the_laggards(active, real_pdf):
    report = generate(active.district)

    text = pdf_text(report)
    assert "BÁO CÁO" in text
    assert "THÀNH PHỐ LONG KHÁNH" in text
    assert "Thành phố Long Khánh" in text
    assert "01/03/2026" in text and "31/03/2026" in text
    assert "Phường Xuân An" in text  # a laggard, named
    assert "Phòng Văn hóa - Xã hội" in text
    assert "Văn phòng HĐND và UBND" in text
    assert "25,0%" in text  # the registration rate (1 of 4 targets), Vietnamese decimal comma
    # Addressed to the city's leader and the Nội vụ above it (held at the province).
    assert "Lãnh đạo Thành phố Long Khánh" in text
    assert "Tỉnh Đồng Nai" in text
    # Compiled, not issued: no number, no draft watermark.
    assert "DỰ THẢO" not in text
    assert "Số:" not in text


def test_the_workbook_holds_the_summary_and_every_section(active):
    report = generate(active.district)

    with report.xlsx.open("rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    assert book.sheetnames == [
        "Tổng hợp",
        "Phong trào",
        "Đơn vị chậm tiến độ",
        "Giao ước",
        "Hồ sơ theo bước",
        "Hồ sơ quá hạn",
        "Quyết định",
    ]
    summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(values_only=True) if row[0]}
    assert summary["Đơn vị"] == "Thành phố Long Khánh"
    # Real dates, shown dd/mm/yyyy by the cell format.
    assert summary["Từ ngày"] == datetime.datetime(2026, 3, 1)
    assert summary["Đến ngày"] == datetime.datetime(2026, 3, 31)
    assert summary["Tỷ lệ đăng ký (%)"] == 25.0
    laggards = list(book["Đơn vị chậm tiến độ"].iter_rows(min_row=2, values_only=True))
    assert sorted(row[0] for row in laggards) == [
        "Phòng Văn hóa - Xã hội",
        "Phường Xuân An",
        "Văn phòng HĐND và UBND",
    ]
    [decision] = list(book["Quyết định"].iter_rows(min_row=2, values_only=True))
    assert decision[0] == active.issued.decision.document.number_and_symbol


def test_a_rerun_regenerates_the_same_record_and_replaces_its_files(active):
    first = generate(active.ward)
    pdf_name, xlsx_name = first.pdf.name, first.xlsx.name
    later = APRIL_FIRST + datetime.timedelta(days=2)

    second = generate(active.ward, now=later, actor=active.ward_leader)

    assert second.pk == first.pk
    assert PeriodicReport.objects.count() == 1
    assert (second.pdf.name, second.xlsx.name) == (pdf_name, xlsx_name)
    assert second.generation_count == 2
    assert second.first_generated_at == APRIL_FIRST
    assert second.generated_at == later
    folder = Path(settings.MEDIA_ROOT) / Path(pdf_name).parent
    assert sorted(p.name for p in folder.iterdir()) == [
        "month-2026-03-01.pdf",
        "month-2026-03-01.xlsx",
    ]
    reasons = [h.history_change_reason for h in second.history.order_by("history_id")]
    assert reasons == ["reports.report.generated", "reports.report.regenerated"]


def test_a_period_not_yet_ended_or_not_starting_a_period_is_refused(active):
    with refused("period_not_over"):
        services.generate_report(
            active.ward,
            kind=PeriodKind.MONTH,
            period_start=MARCH.start,
            now=APRIL_FIRST - datetime.timedelta(hours=1),
        )
    with refused("period_start_misaligned"):
        services.generate_report(
            active.ward,
            kind=PeriodKind.QUARTER,
            period_start=datetime.date(2026, 2, 1),
            now=APRIL_FIRST,
        )
    assert not PeriodicReport.objects.exists()


def test_someone_without_the_capability_cannot_generate(active):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        generate(active.ward, actor=active.outsider)
    with pytest.raises(PermissionDenied):
        generate(active.district, actor=active.ward_leader)  # a ward leader, not the city's
    assert not PeriodicReport.objects.exists()


def test_recipients_are_the_leaders_and_the_nearest_noi_vu_above(active):
    w = active
    recipients = recipients_of(w.ward)
    assert recipients.leader_ids == (w.ward_leader.pk,)
    assert recipients.reviewer_ids == (w.reviewer.pk,)  # the province's, the city has none
    city_reviewer = Membership.objects.create(
        user=w.city_officer, unit=w.district, role=Role.REVIEWER
    )
    assert recipients_of(w.ward).reviewer_ids == (city_reviewer.user_id,)
    # The province reports to its own Nội vụ.
    assert recipients_of(w.province).reviewer_ids == (w.reviewer.pk,)


def test_the_digest_announces_a_new_report_once_and_not_again_when_regenerated(active):
    w = active
    report = generate(w.ward)
    today = APRIL_FIRST.date()

    plan_reminders(today)
    rows = Reminder.objects.filter(kind=NEW_REPORT_KIND)
    assert sorted(rows.values_list("recipient_id", flat=True)) == sorted(
        [w.ward_leader.pk, w.reviewer.pk]
    )
    row = rows.first()
    assert row.url == f"/bao-cao-dinh-ky/{report.pk}/"
    assert row.title == "Báo cáo tháng 03/2026 của Phường Xuân Trung"

    generate(w.ward, now=APRIL_FIRST + datetime.timedelta(hours=5))
    plan_reminders(today)
    plan_reminders(today + datetime.timedelta(days=1))
    assert Reminder.objects.filter(kind=NEW_REPORT_KIND).count() == 2


def test_a_report_line_in_the_digest_shows_no_due_date(active, mailoutbox):
    from portal.background.digests import send_digest

    w = active
    w.ward_leader.email = "lanhdao@xuantrung.example"
    w.ward_leader.save(update_fields=["email"])
    generate(w.ward)
    today = APRIL_FIRST.date()
    plan_reminders(today)
    send_digest(w.ward_leader.pk, today)
    (message,) = [m for m in mailoutbox if m.to == [w.ward_leader.email]]
    line = next(text for text in message.body.splitlines() if "Báo cáo định kỳ mới" in text)
    assert "hạn" not in line
    html = message.alternatives[0][0]
    assert "—</td>" in html
    (item,) = [
        i
        for i in Notification.objects.get(user=w.ward_leader).items
        if i["kind"] == NEW_REPORT_KIND
    ]
    assert item["has_deadline"] is False
