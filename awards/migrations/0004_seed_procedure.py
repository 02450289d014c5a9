"""Seed time limits per step and the items that go to public comment (domain.md §6.5).

The national figures are the central ones (QĐ 311/QĐ-BNV/2025, NĐ 98/2023 Art. 32) taken as
defaults for every level and flagged unverified where the source is an example; provinces set
their own through an override rule set in the admin.
"""

from django.db import migrations

ND98 = "NĐ 98/2023/NĐ-CP"
QD311 = "QĐ 311/QĐ-BNV/2025"

# step, ad hoc, working days, article, unverified
LIMITS = [
    ("submitted", False, 5, f"{QD311} (trả hồ sơ không hợp lệ trong 5 ngày làm việc)", False),
    ("received", False, 20, f"Khoản 2 Điều 32 {ND98}; {QD311}", False),
    ("checked", False, 10, f"{QD311} (trình cấp có thẩm quyền)", True),
    ("approved", False, 10, f"{QD311} (ban hành, chuyển quyết định)", True),
    ("submitted", True, 2, "Điều 85 Luật 06/2022/QH15 (thủ tục đơn giản)", True),
    ("received", True, 5, "Điều 85 Luật 06/2022/QH15 (thủ tục đơn giản)", True),
    ("approved", True, 3, "Điều 85 Luật 06/2022/QH15 (thủ tục đơn giản)", True),
]

# Items the conferring level puts to public comment, with the window in working days.
PUBLIC_COMMENT = [
    ("title", "cstd-toan-quoc", 10, f"Điều 46 {ND98}"),
    ("title", "cstd-tinh", 10, "Thông báo lấy ý kiến của Sở Nội vụ (thực tiễn cấp tỉnh)"),
    ("form", "huan-chuong-lao-dong-hang-nhat", 10, f"Điều 46 {ND98}"),
    ("form", "huan-chuong-lao-dong-hang-nhi", 10, f"Điều 46 {ND98}"),
    ("form", "huan-chuong-lao-dong-hang-ba", 10, f"Điều 46 {ND98}"),
]


def seed(apps, schema_editor):
    RuleSet = apps.get_model("awards", "RuleSet")
    StepLimit = apps.get_model("awards", "StepLimit")
    PublicCommentRule = apps.get_model("awards", "PublicCommentRule")
    EmulationTitle = apps.get_model("awards", "EmulationTitle")
    AwardForm = apps.get_model("awards", "AwardForm")
    for rule_set in RuleSet.objects.filter(scope_unit__isnull=True):
        for step, ad_hoc, days, article, unverified in LIMITS:
            StepLimit.objects.create(
                rule_set=rule_set,
                step=step,
                ad_hoc=ad_hoc,
                working_days=days,
                article=article,
                is_unverified=unverified,
            )
        for kind, code, days, article in PUBLIC_COMMENT:
            model = EmulationTitle if kind == "title" else AwardForm
            item = model.objects.filter(code=code).first()
            if item is None:
                continue
            PublicCommentRule.objects.create(
                rule_set=rule_set,
                working_days=days,
                article=article,
                is_unverified=True,
                **({"title": item} if kind == "title" else {"award_form": item}),
            )


def unseed(apps, schema_editor):
    apps.get_model("awards", "StepLimit").objects.all().delete()
    apps.get_model("awards", "PublicCommentRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("awards", "0003_nominations")]
    operations = [migrations.RunPython(seed, unseed)]
