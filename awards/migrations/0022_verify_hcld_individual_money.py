"""The individual amounts of the Huân chương Lao động in the 2025 rule set (NĐ 152/2025/NĐ-CP,
Art. 51.1.e–h: hạng Nhất 9,0, hạng Nhì 7,5, hạng Ba 4,5 times the base salary) were read, as
the article's text, on a public page quoting it (xazon.com, "Quy định về mức tiền thưởng Huân
chương các loại từ tháng 7/2025"); the multipliers already seeded agree, so they lose their
"unverified" mark and cite the point of the article. The page is secondary: the Official
Gazette's text was not seen. The 2024 (NĐ 98/2023) and 2018 (NĐ 91/2017) rows stay unverified.
"""

import datetime
from decimal import Decimal

from django.db import migrations
from django.db.models import Q

REASON = "awards.seed: issue #13 §6 (NĐ 152/2025 Điều 51 khoản 1)"
POINTS = {
    "huan-chuong-lao-dong-hang-nhat": ("9.0", "e"),
    "huan-chuong-lao-dong-hang-nhi": ("7.5", "g"),
    "huan-chuong-lao-dong-hang-ba": ("4.5", "h"),
}


def verify(apps, schema_editor):
    RuleSet = apps.get_model("awards", "RuleSet")
    MoneyRule = apps.get_model("awards", "MoneyRule")
    Historical = apps.get_model("awards", "HistoricalMoneyRule")
    rule_set = RuleSet.objects.filter(
        scope_unit__isnull=True, valid_from=datetime.date(2025, 7, 1)
    ).first()
    if rule_set is None:
        return
    now = datetime.datetime.now(datetime.UTC)
    for code, (multiplier, point) in POINTS.items():
        rows = MoneyRule.objects.filter(
            Q(title__code=code) | Q(award_form__code=code),
            rule_set=rule_set,
            recipient_kind="individual",
        )
        for row in rows:
            if row.multiplier != Decimal(multiplier):
                continue  # not the amount the article gives: leave it marked
            row.is_unverified = False
            row.article = f"Điểm {point} khoản 1 Điều 51 NĐ 152/2025/NĐ-CP (cá nhân)"
            row.save(update_fields=["is_unverified", "article"])
            Historical.objects.create(
                **{f.attname: getattr(row, f.attname) for f in MoneyRule._meta.concrete_fields},
                history_date=now,
                history_type="~",
                history_change_reason=REASON,
            )


class Migration(migrations.Migration):
    dependencies = [("awards", "0021_nomination_tallies")]

    operations = [migrations.RunPython(verify, migrations.RunPython.noop)]
