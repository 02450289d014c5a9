"""Sample official documents in real-looking Vietnamese: for the demo, tests and bench."""

from __future__ import annotations

import datetime

from django.utils import timezone

from portal import documents
from portal.models import DocumentKind, OfficialDocument, Unit

PLAN_SECTIONS = [
    (
        "I. MỤC ĐÍCH, YÊU CẦU",
        [
            "Phát huy truyền thống yêu nước, ý chí tự lực, tự cường của cán bộ, công chức, "
            "viên chức và Nhân dân trên địa bàn tỉnh; khơi dậy khát vọng phát triển, thi đua "
            "lập thành tích chào mừng các ngày lễ lớn của đất nước.",
            "Việc tổ chức phong trào thi đua phải thiết thực, hiệu quả, tránh hình thức; gắn "
            "với việc thực hiện nhiệm vụ chính trị của từng cơ quan, đơn vị, địa phương.",
        ],
    ),
    (
        "II. ĐỐI TƯỢNG, NỘI DUNG, THỜI GIAN THI ĐUA",
        [
            "Đối tượng: các sở, ban, ngành; Ủy ban nhân dân các xã, phường; các cơ quan, đơn "
            "vị, doanh nghiệp và toàn thể cán bộ, công chức, viên chức, người lao động trên "
            "địa bàn.",
            "Nội dung: đẩy mạnh cải cách hành chính, chuyển đổi số; nâng cao chất lượng phục "
            "vụ người dân, doanh nghiệp; thực hành tiết kiệm, chống lãng phí; phát hiện, bồi "
            "dưỡng, nhân rộng các điển hình tiên tiến, gương người tốt, việc tốt.",
            "Thời gian: từ ngày 01/01/2026 đến hết ngày 31/12/2026; sơ kết 6 tháng trước ngày"
            " 15/7/2026, tổng kết trước ngày 10/12/2026.",
        ],
    ),
    (
        "III. HÌNH THỨC, TIÊU CHUẨN KHEN THƯỞNG",
        [
            "Chủ tịch Ủy ban nhân dân tỉnh tặng Bằng khen cho các tập thể, cá nhân có thành "
            "tích xuất sắc tiêu biểu; ưu tiên khen thưởng cá nhân là người lao động trực "
            "tiếp, không giữ chức vụ lãnh đạo, quản lý.",
            "Kinh phí khen thưởng thực hiện theo quy định tại Nghị định số 152/2025/NĐ-CP của"
            " Chính phủ và được bố trí từ Quỹ thi đua, khen thưởng của tỉnh.",
        ],
    ),
    (
        "IV. TỔ CHỨC THỰC HIỆN",
        [
            "Sở Nội vụ là cơ quan thường trực, có trách nhiệm hướng dẫn, theo dõi, đôn đốc "
            "việc thực hiện Kế hoạch này; tổng hợp kết quả, đề xuất khen thưởng, báo cáo Ủy "
            "ban nhân dân tỉnh.",
            "Các sở, ban, ngành, Ủy ban nhân dân các xã, phường căn cứ Kế hoạch này xây dựng "
            "kế hoạch triển khai phù hợp với tình hình thực tế của cơ quan, đơn vị, địa "
            "phương mình.",
        ],
    ),
]


def plan_body(pages: int = 3) -> list[dict]:
    """A Kế hoạch long enough to run to about `pages` A4 pages."""
    blocks = [
        {
            "type": "paragraph",
            "text": "Thực hiện Luật Thi đua, khen thưởng năm 2022; Nghị định số 152/2025/NĐ-CP"
            " ngày 14/6/2025 của Chính phủ, Ủy ban nhân dân tỉnh ban hành Kế hoạch phát động"
            " phong trào thi đua năm 2026 như sau:",
        }
    ]
    for _ in range(max(1, pages - 1)):
        for heading, paragraphs in PLAN_SECTIONS:
            blocks.append({"type": "heading", "text": heading})
            blocks += [{"type": "paragraph", "text": text} for text in paragraphs]
    return blocks


def make_plan(issuer: Unit, *, actor=None, pages: int = 3, **fields) -> OfficialDocument:
    values = {
        "summary": "Phát động phong trào thi đua “Đồng Nai chung sức xây dựng"
        " chính quyền số” năm 2026",
        "body": plan_body(pages),
        "signer_name": "Nguyễn Thị Hương Giang",
        "signer_capacity": "TM.",
        "signer_authority": "ỦY BAN NHÂN DÂN",
        "signer_position": "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        "recipients": [
            "Ban Thi đua - Khen thưởng Trung ương",
            "Thường trực Tỉnh ủy",
            "Các sở, ban, ngành tỉnh",
            "UBND các xã, phường",
            "Lưu: VT, NV",
        ],
    }
    values.update(fields)
    return documents.create_draft(DocumentKind.PLAN, issuer=issuer, actor=actor, **values)


def awardee_rows(count: int) -> list[list[str]]:
    surnames = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
    middles = ["Thị", "Văn", "Hữu", "Ngọc", "Thanh", "Đức", "Thùy", "Quốc"]
    names = ["Hồng", "Bình", "Phương", "Dũng", "Hà", "Tuấn", "Yến", "Khánh", "Thư", "Lộc", "Ánh"]
    units = ["UBND phường Xuân Trung", "Sở Nội vụ", "Trường THCS Lê Quý Đôn", "Bệnh viện Đa khoa"]
    return [
        [
            str(i + 1),
            f"{surnames[i % 10]} {middles[i % 8]} {names[i % 11]}",
            "Chuyên viên",
            units[i % 4],
        ]
        for i in range(count)
    ]


def make_decision(issuer: Unit, *, actor=None, awardees: int = 300, **fields) -> OfficialDocument:
    values = {
        "summary": "Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        "body": [
            {"type": "authority", "text": f"CHỦ TỊCH ỦY BAN NHÂN DÂN {issuer.name.upper()}"},
            {
                "type": "basis",
                "text": "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
            },
            {"type": "basis", "text": "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"},
            {
                "type": "basis",
                "text": "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025"
                " của Chính phủ quy định chi tiết một số điều của Luật Thi đua, khen thưởng;",
            },
            {
                "type": "basis",
                "text": "Xét đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 252/TTr-SNV"
                " ngày 20 tháng 11 năm 2026.",
            },
            {"type": "center", "text": "QUYẾT ĐỊNH:"},
            {
                "type": "article",
                "number": 1,
                "text": f"Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho {awardees}"
                " cá nhân (có danh sách kèm theo) đã có thành tích xuất sắc trong"
                " phong trào thi đua năm 2026.",
            },
            {
                "type": "article",
                "number": 2,
                "text": "Mỗi cá nhân được tặng Bằng khen kèm theo tiền"
                " thưởng theo quy định tại Nghị định số 152/2025/NĐ-CP.",
            },
            {
                "type": "article",
                "number": 3,
                "text": "Quyết định này có hiệu lực kể từ ngày ký."
                " Chánh Văn phòng UBND tỉnh, Giám đốc Sở Nội vụ và các cá nhân có tên tại Điều 1"
                " chịu trách nhiệm thi hành Quyết định này.",
            },
        ],
        "signer_name": "Võ Tấn Đức",
        "signer_capacity": "",
        "signer_position": "CHỦ TỊCH",
        "recipients": ["Như Điều 3", "Sở Nội vụ", "Lưu: VT, NV"],
        "annex": {
            "title": "DANH SÁCH CÁ NHÂN ĐƯỢC TẶNG BẰNG KHEN",
            "columns": ["STT", "Họ và tên", "Chức vụ", "Đơn vị công tác"],
            "rows": awardee_rows(awardees),
        },
    }
    values.update(fields)
    return documents.create_draft(DocumentKind.DECISION, issuer=issuer, actor=actor, **values)


# The demo launches its campaigns up to 45 days back in these same registers, and a register's
# days never go backwards: the sample papers are dated before any of them.
DAYS_BACK = 60


def load_demo_documents(issuer: Unit, *, actor=None) -> list[OfficialDocument]:
    """Issue the demo's Kế hoạch and Quyết định (300 awardees annexed), once.

    With DEBUG on, settings point DOCUMENT_SIGNING_P12 at var/demo-signing.p12; the loader
    creates that self-signed certificate first (portal.documents.signing.ensure_demo_certificate)
    so the demo documents come out signed and verifiable.
    """
    from django.conf import settings

    from portal.documents import signing

    if settings.DEBUG and settings.DOCUMENT_SIGNING_P12:
        signing.ensure_demo_certificate(
            settings.DOCUMENT_SIGNING_P12, passphrase=settings.DOCUMENT_SIGNING_PASSPHRASE
        )
    issued = []
    issued_on = timezone.localdate() - datetime.timedelta(days=DAYS_BACK)
    for kind, make in ((DocumentKind.PLAN, make_plan), (DocumentKind.DECISION, make_decision)):
        existing = OfficialDocument.objects.issued().filter(issuer=issuer, kind=kind).first()
        if existing is None:
            existing = documents.issue_document(
                make(issuer, actor=actor), actor=actor, issued_on=issued_on
            )
        issued.append(existing)
    return issued
