"""A periodic report's two files: the Báo cáo (PDF, documents engine) and the Excel workbook.

The PDF names the laggards of each campaign up to PDF_LAGGARDS (the workbook lists them all),
so a province's report stays a few pages long.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from portal import documents
from portal.excel import set_up_sheet, workbook_bytes, write_row
from portal.models import Unit
from reports.figures import ReportFigures

PDF_LAGGARDS = 40
PDF_OVERDUE_NOMINATIONS = 20


def number(value: Decimal | int) -> str:
    """Vietnamese decimal comma: 87,5."""
    return str(value).replace(".", ",")


def _date(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def report_title(figures: ReportFigures) -> str:
    return f"Tình hình thi đua, khen thưởng {figures.period.label} ({figures.period.range_label})"


def _body(figures: ReportFigures, *, generated_on: datetime.date) -> list[dict]:
    period = figures.period
    body: list[dict] = [
        {
            "type": "paragraph",
            "text": f"Cổng thi đua – khen thưởng tổng hợp tình hình thi đua, khen thưởng của "
            f"{figures.unit_name} và các đơn vị trực thuộc {period.label} ({period.range_label}) "
            f"như sau:",
        },
        {"type": "heading", "text": "I. PHONG TRÀO THI ĐUA ĐANG TRIỂN KHAI"},
    ]
    if figures.campaigns:
        body += [
            {
                "type": "paragraph",
                "text": f"Trong kỳ có {len(figures.campaigns)} phong trào thi đua đang triển khai; "
                f"{figures.registered}/{figures.targets} lượt đơn vị đã đăng ký thi đua "
                f"(tỷ lệ đăng ký {number(figures.registration_rate)}%); "
                f"{figures.tasks_done}/{figures.tasks} nhiệm vụ đã hoàn thành, tỷ lệ hoàn thành "
                f"bình quân {number(figures.progress_rate)}%.",
            },
            {
                "type": "table",
                "columns": [
                    "TT",
                    "Phong trào",
                    "Đơn vị phát động",
                    "Đăng ký",
                    "Tỷ lệ đăng ký (%)",
                    "Báo cáo trong kỳ",
                    "Có nhiệm vụ quá hạn",
                    "Hoàn thành bình quân (%)",
                ],
                "rows": [
                    [
                        str(i),
                        c.title,
                        c.issuer,
                        f"{c.registered}/{c.targets}",
                        number(c.registration_rate),
                        str(c.reported),
                        str(c.overdue),
                        number(c.average),
                    ]
                    for i, c in enumerate(figures.campaigns, start=1)
                ],
            },
        ]
    else:
        body.append({"type": "paragraph", "text": "Trong kỳ không có phong trào thi đua nào."})
    body.append({"type": "heading", "text": "II. ĐƠN VỊ CHẬM TIẾN ĐỘ"})
    if figures.laggards:
        shown = figures.laggards[:PDF_LAGGARDS]
        body += [
            {
                "type": "table",
                "columns": ["TT", "Đơn vị", "Phong trào", "Tồn tại"],
                "rows": [
                    [str(i), lag.unit, lag.campaign, "; ".join(lag.reasons)]
                    for i, lag in enumerate(shown, start=1)
                ],
            }
        ]
        if len(figures.laggards) > len(shown):
            body.append(
                {
                    "type": "paragraph",
                    "text": f"(Còn {len(figures.laggards) - len(shown)} trường hợp khác, "
                    f"xem tệp số liệu Excel kèm theo.)",
                }
            )
    else:
        body.append({"type": "paragraph", "text": "Không có đơn vị chậm tiến độ."})
    body.append({"type": "heading", "text": "III. GIAO ƯỚC THI ĐUA CỦA CÁC CỤM, KHỐI"})
    if figures.pledges:
        body.append(
            {
                "type": "table",
                "columns": [
                    "TT",
                    "Cụm, khối",
                    "Năm",
                    "Trạng thái giao ước",
                    "Đã ký",
                    "Bảng điểm",
                    "Phiếu chấm đã gửi",
                ],
                "rows": [
                    [
                        str(i),
                        p.bloc,
                        str(p.year),
                        p.status,
                        f"{p.signed}/{p.members}",
                        p.table_status,
                        f"{p.sheets_submitted}/{p.sheets}",
                    ]
                    for i, p in enumerate(figures.pledges, start=1)
                ],
            }
        )
    else:
        body.append({"type": "paragraph", "text": "Không có giao ước thi đua trong kỳ."})
    body.append({"type": "heading", "text": "IV. HỒ SƠ ĐỀ NGHỊ KHEN THƯỞNG"})
    if figures.steps:
        body += [
            {
                "type": "paragraph",
                "text": f"{figures.open_nominations} hồ sơ đang giải quyết, trong đó "
                f"{figures.overdue_count} hồ sơ quá thời hạn giải quyết của bước hiện tại; "
                f"{figures.decided_in_period} hồ sơ có quyết định trong kỳ.",
            },
            {
                "type": "table",
                "columns": [
                    "TT",
                    "Bước",
                    "Số hồ sơ",
                    "Dưới 7 ngày",
                    "7–30 ngày",
                    "Trên 30 ngày",
                    "Quá hạn",
                    "Lâu nhất (ngày)",
                ],
                "rows": [
                    [
                        str(i),
                        s.step,
                        str(s.count),
                        str(s.recent),
                        str(s.middle),
                        str(s.stale),
                        str(s.overdue),
                        "" if s.oldest_days is None else str(s.oldest_days),
                    ]
                    for i, s in enumerate(figures.steps, start=1)
                ],
            },
        ]
        for n in figures.overdue_nominations[:PDF_OVERDUE_NOMINATIONS]:
            where = f", tại {n.handling_unit}" if n.handling_unit else ""
            body.append(
                {
                    "type": "paragraph",
                    "text": f"- Quá hạn: {n.recipient} – {n.item} ({n.step}, "
                    f"hạn {_date(n.due_on)}{where}).",
                }
            )
    else:
        body.append(
            {
                "type": "paragraph",
                "text": f"Không có hồ sơ đang giải quyết; {figures.decided_in_period} hồ sơ có "
                f"quyết định trong kỳ.",
            }
        )
    body.append({"type": "heading", "text": "V. QUYẾT ĐỊNH KHEN THƯỞNG BAN HÀNH TRONG KỲ"})
    if figures.decisions:
        body.append(
            {
                "type": "table",
                "columns": ["TT", "Số, ký hiệu", "Ngày", "Trích yếu", "Loại", "Số trường hợp"],
                "rows": [
                    [str(i), d.number, _date(d.issued_on), d.summary, d.kind, str(d.awards)]
                    for i, d in enumerate(figures.decisions, start=1)
                ],
            }
        )
    else:
        body.append({"type": "paragraph", "text": "Không có quyết định khen thưởng trong kỳ."})
    body.append(
        {
            "type": "paragraph",
            "text": f"Báo cáo do hệ thống tự động lập ngày {_date(generated_on)} từ dữ liệu trên "
            f"Cổng thi đua – khen thưởng; số liệu chi tiết trong tệp Excel kèm theo.",
        }
    )
    return body


def render_pdf(
    unit: Unit,
    figures: ReportFigures,
    *,
    generated_on: datetime.date,
    addressees: list[str],
) -> bytes:
    return documents.render_compiled_report(
        issuer=unit,
        issued_on=generated_on,
        summary=report_title(figures),
        body=_body(figures, generated_on=generated_on),
        addressees=addressees,
        recipients=[*addressees, "Lưu: hệ thống"],
    )


def _sheet(book: Workbook, title: str, columns: list[str], rows: list[list]) -> None:
    sheet = book.create_sheet(title)
    write_row(sheet, columns, bold=True)
    for row in rows:
        write_row(sheet, row)
    set_up_sheet(sheet)


def render_xlsx(figures: ReportFigures, *, generated_on: datetime.date) -> bytes:
    period = figures.period
    book = Workbook()
    summary = book.active
    summary.title = "Tổng hợp"
    summary.append([f"BÁO CÁO {report_title(figures).upper()}"])
    summary["A1"].font = Font(bold=True, size=13)
    summary.append(["Đơn vị", figures.unit_name])
    summary.append(["Kỳ báo cáo", period.label])
    summary.append(["Từ ngày", period.start])
    summary.append(["Đến ngày", period.end])
    summary.append(["Ngày lập", generated_on])
    summary.append([])
    summary.append(["Phong trào đang triển khai", len(figures.campaigns)])
    summary.append(["Lượt đơn vị tham gia", figures.targets])
    summary.append(["Lượt đơn vị đã đăng ký", figures.registered])
    summary.append(["Tỷ lệ đăng ký (%)", float(figures.registration_rate)])
    summary.append(["Nhiệm vụ đã hoàn thành", figures.tasks_done])
    summary.append(["Tổng số nhiệm vụ", figures.tasks])
    summary.append(["Tỷ lệ hoàn thành bình quân (%)", float(figures.progress_rate)])
    summary.append(["Trường hợp chậm tiến độ", len(figures.laggards)])
    summary.append(["Hồ sơ đề nghị đang giải quyết", figures.open_nominations])
    summary.append(["Hồ sơ quá hạn", figures.overdue_count])
    summary.append(["Hồ sơ có quyết định trong kỳ", figures.decided_in_period])
    summary.append(["Quyết định ban hành trong kỳ", len(figures.decisions)])
    _sheet(
        book,
        "Phong trào",
        [
            "Phong trào",
            "Đơn vị phát động",
            "Trạng thái",
            "Bắt đầu",
            "Kết thúc",
            "Đơn vị tham gia",
            "Đã đăng ký",
            "Tỷ lệ đăng ký (%)",
            "Được chấp thuận",
            "Đăng ký muộn",
            "Báo cáo trong kỳ",
            "Có nhiệm vụ quá hạn",
            "Số nhiệm vụ",
            "Nhiệm vụ hoàn thành",
            "Hoàn thành bình quân (%)",
        ],
        [
            [
                c.title,
                c.issuer,
                c.status,
                c.starts_on,
                c.ends_on,
                c.targets,
                c.registered,
                float(c.registration_rate),
                c.accepted,
                c.late,
                c.reported,
                c.overdue,
                c.tasks,
                c.tasks_done,
                float(c.average),
            ]
            for c in figures.campaigns
        ],
    )
    _sheet(
        book,
        "Đơn vị chậm tiến độ",
        ["Đơn vị", "Phong trào", "Tồn tại"],
        [[lag.unit, lag.campaign, "; ".join(lag.reasons)] for lag in figures.laggards],
    )
    _sheet(
        book,
        "Giao ước",
        [
            "Cụm, khối",
            "Năm",
            "Trưởng cụm, khối",
            "Trạng thái",
            "Thành viên",
            "Đã ký",
            "Bảng điểm",
            "Phiếu chấm",
            "Phiếu đã gửi",
        ],
        [
            [
                p.bloc,
                p.year,
                p.head,
                p.status,
                p.members,
                p.signed,
                p.table_status,
                p.sheets,
                p.sheets_submitted,
            ]
            for p in figures.pledges
        ],
    )
    _sheet(
        book,
        "Hồ sơ theo bước",
        [
            "Bước",
            "Số hồ sơ",
            "Dưới 7 ngày",
            "7–30 ngày",
            "Trên 30 ngày",
            "Quá hạn",
            "Lâu nhất (ngày)",
        ],
        [
            [s.step, s.count, s.recent, s.middle, s.stale, s.overdue, s.oldest_days]
            for s in figures.steps
        ],
    )
    _sheet(
        book,
        "Hồ sơ quá hạn",
        ["Người, tập thể được đề nghị", "Danh hiệu, hình thức", "Bước", "Cấp đang xử lý", "Hạn"],
        [
            [n.recipient, n.item, n.step, n.handling_unit, n.due_on]
            for n in figures.overdue_nominations
        ],
    )
    _sheet(
        book,
        "Quyết định",
        ["Số, ký hiệu", "Ngày ban hành", "Trích yếu", "Loại", "Số trường hợp"],
        [[d.number, d.issued_on, d.summary, d.kind, d.awards] for d in figures.decisions],
    )
    set_up_sheet(summary, header_row=None, widths=(40, 30))
    return workbook_bytes(book)
