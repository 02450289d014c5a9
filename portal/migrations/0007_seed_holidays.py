"""Seed Vietnam's public days off for 2025–2027 (Labour Code 2019 Arts. 111–112).

Only weekdays that are not worked, and weekend days that are worked (làm bù), need a row. The
days were worked out from the Labour Code's rules and the press reports of each year's notice
(Tết 2026: 16–20/02/2026, nine days with the weekends). Every row is marked unverified: a system
administrator checks it against the Government's annual notice in the admin and unticks it.
"""

import datetime

from django.db import migrations

LABOUR_CODE = "Điều 112 Bộ luật Lao động 2019"
SUBSTITUTE = "Khoản 3 Điều 111 Bộ luật Lao động 2019 (nghỉ bù khi trùng ngày nghỉ hằng tuần)"
NOTICE = "Thông báo nghỉ lễ, Tết hằng năm của Thủ tướng Chính phủ (hoán đổi ngày làm việc)"

D = datetime.date
OFF, WORK = "day_off", "working_day"

# date, name, kind, basis
DAYS = [
    (D(2025, 1, 1), "Tết Dương lịch", OFF, LABOUR_CODE),
    *[(D(2025, 1, day), "Tết Nguyên đán Ất Tỵ", OFF, LABOUR_CODE) for day in range(27, 32)],
    (D(2025, 4, 7), "Giỗ Tổ Hùng Vương (10/3 âm lịch)", OFF, LABOUR_CODE),
    (D(2025, 4, 26), "Làm bù cho ngày nghỉ 02/05/2025", WORK, NOTICE),
    (D(2025, 4, 30), "Ngày Chiến thắng", OFF, LABOUR_CODE),
    (D(2025, 5, 1), "Ngày Quốc tế lao động", OFF, LABOUR_CODE),
    (D(2025, 5, 2), "Nghỉ hoán đổi (làm bù thứ Bảy 26/04/2025)", OFF, NOTICE),
    (D(2025, 9, 1), "Quốc khánh (ngày liền kề)", OFF, LABOUR_CODE),
    (D(2025, 9, 2), "Quốc khánh", OFF, LABOUR_CODE),
    (D(2026, 1, 1), "Tết Dương lịch", OFF, LABOUR_CODE),
    *[(D(2026, 2, day), "Tết Nguyên đán Bính Ngọ", OFF, LABOUR_CODE) for day in range(16, 21)],
    (D(2026, 4, 27), "Nghỉ bù Giỗ Tổ Hùng Vương (26/04/2026 là Chủ nhật)", OFF, SUBSTITUTE),
    (D(2026, 4, 30), "Ngày Chiến thắng", OFF, LABOUR_CODE),
    (D(2026, 5, 1), "Ngày Quốc tế lao động", OFF, LABOUR_CODE),
    (D(2026, 9, 1), "Quốc khánh (ngày liền kề)", OFF, LABOUR_CODE),
    (D(2026, 9, 2), "Quốc khánh", OFF, LABOUR_CODE),
    (D(2027, 1, 1), "Tết Dương lịch", OFF, LABOUR_CODE),
    (D(2027, 2, 5), "Tết Nguyên đán Đinh Mùi", OFF, LABOUR_CODE),
    (D(2027, 2, 8), "Tết Nguyên đán Đinh Mùi", OFF, LABOUR_CODE),
    (D(2027, 2, 9), "Tết Nguyên đán Đinh Mùi", OFF, LABOUR_CODE),
    (D(2027, 2, 10), "Nghỉ bù Tết Nguyên đán (mùng 1, mùng 2 trùng cuối tuần)", OFF, SUBSTITUTE),
    (D(2027, 2, 11), "Nghỉ bù Tết Nguyên đán (mùng 1, mùng 2 trùng cuối tuần)", OFF, SUBSTITUTE),
    (D(2027, 4, 16), "Giỗ Tổ Hùng Vương (10/3 âm lịch)", OFF, LABOUR_CODE),
    (D(2027, 4, 30), "Ngày Chiến thắng", OFF, LABOUR_CODE),
    (D(2027, 5, 3), "Nghỉ bù Ngày Quốc tế lao động (01/05/2027 là thứ Bảy)", OFF, SUBSTITUTE),
    (D(2027, 9, 2), "Quốc khánh", OFF, LABOUR_CODE),
    (D(2027, 9, 3), "Quốc khánh (ngày liền kề)", OFF, LABOUR_CODE),
]


def seed(apps, schema_editor):
    Holiday = apps.get_model("portal", "Holiday")
    for day, name, kind, basis in DAYS:
        Holiday.objects.update_or_create(
            date=day,
            defaults={"name": name, "kind": kind, "basis": basis, "is_unverified": True},
        )


def unseed(apps, schema_editor):
    apps.get_model("portal", "Holiday").objects.filter(
        date__in=[row[0] for row in DAYS], is_unverified=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0006_holidays")]

    operations = [migrations.RunPython(seed, unseed)]
