"""Each title and form gets the paper the law gives it (issue #13 §3), as data with its basis.

NĐ 98/2023 Art. 54.1 (read on a TVPL page) gives the three Chiến sĩ thi đua titles a Bằng chứng
nhận and Lao động tiên tiến money only; NĐ 152/2025 Art. 50 keeps the same table. The names of
the other papers (Tập thể lao động xuất sắc, the NĐ 86/2023 titles) are flagged unverified.
State-level items are handed over by the central level: the portal prints none for them, nor a
flag.
"""

import datetime

from django.db import migrations

ND98 = "NĐ 98/2023/NĐ-CP"
ND152 = "NĐ 152/2025/NĐ-CP"
ND86 = "NĐ 86/2023/NĐ-CP"
LAW = "Luật Thi đua, khen thưởng 2022"
REASON = "awards.seed: issue #13 §3 (hiện vật)"

# code, paper, article, unverified
PAPERS = [
    (
        "cstd-toan-quoc",
        "bang_chung_nhan",
        f"Điểm a Khoản 1 Điều 54 {ND98}; Điều 50 {ND152} (Bằng chứng nhận, khung, Huy hiệu)",
        False,
    ),
    (
        "cstd-tinh",
        "bang_chung_nhan",
        f"Điểm b Khoản 1 Điều 54 {ND98}; Điều 50 {ND152} (Bằng chứng nhận, khung, Huy hiệu)",
        False,
    ),
    (
        "cstd-co-so",
        "bang_chung_nhan",
        f"Điểm c Khoản 1 Điều 54 {ND98}; Điều 50 {ND152} (Bằng chứng nhận, khung)",
        False,
    ),
    (
        "lao-dong-tien-tien",
        "none",
        f"Điểm d Khoản 1 Điều 54 {ND98}; Điều 50 {ND152} (chỉ tiền thưởng)",
        False,
    ),
    ("co-thi-dua-chinh-phu", "co_thi_dua", f"Điều 25 {LAW}; Điều 50 {ND152}", False),
    ("co-thi-dua-tinh", "co_thi_dua", f"Điều 26 {LAW}; Điều 50 {ND152}", False),
    (
        "tap-the-lao-dong-xuat-sac",
        "bang_chung_nhan",
        f"Khoản 2 Điều 54 {ND98}; Điều 50 {ND152} (chứng nhận, khung; tên gọi chưa đối chiếu)",
        True,
    ),
    (
        "tap-the-lao-dong-tien-tien",
        "none",
        f"Khoản 2 Điều 54 {ND98}; Điều 50 {ND152} (không nêu hiện vật; chưa đối chiếu)",
        True,
    ),
    ("xa-phuong-tieu-bieu", "giay_chung_nhan", f"{ND86} (tên hiện vật chưa đối chiếu)", True),
    (
        "thon-to-dan-pho-van-hoa",
        "giay_chung_nhan",
        f"{ND86} (tên hiện vật chưa đối chiếu; thực tiễn gọi là Giấy công nhận)",
        True,
    ),
    (
        "gia-dinh-van-hoa",
        "giay_khen",
        f"{ND86} (Giấy khen của Chủ tịch UBND cấp xã; chưa đối chiếu)",
        True,
    ),
    ("huan-chuong-lao-dong-hang-nhat", "state", f"Điều 33 {LAW} (Chủ tịch nước tặng)", False),
    ("huan-chuong-lao-dong-hang-nhi", "state", f"Điều 33 {LAW} (Chủ tịch nước tặng)", False),
    ("huan-chuong-lao-dong-hang-ba", "state", f"Điều 33 {LAW} (Chủ tịch nước tặng)", False),
    ("bang-khen-thu-tuong", "state", f"Điều 71 {LAW} (Thủ tướng Chính phủ tặng)", False),
    ("bang-khen-tinh", "bang_khen", f"Điều 74 {LAW}", False),
    ("giay-khen", "giay_khen", f"Điều 75 {LAW}", False),
]


def seed(apps, schema_editor):
    for name in ("EmulationTitle", "AwardForm"):
        model = apps.get_model("awards", name)
        historical = apps.get_model("awards", f"Historical{name}")
        changed = []
        for code, paper, article, unverified in PAPERS:
            row = model.objects.filter(code=code).first()
            if row is None:
                continue
            row.paper, row.paper_article, row.paper_unverified = paper, article, unverified
            row.save(update_fields=["paper", "paper_article", "paper_unverified"])
            changed.append(row)
        now = datetime.datetime.now(datetime.UTC)
        historical.objects.bulk_create(
            historical(
                **{f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields},
                history_date=now,
                history_type="~",
                history_change_reason=REASON,
            )
            for row in changed
        )


class Migration(migrations.Migration):
    dependencies = [("awards", "0016_catalogue_paper")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
