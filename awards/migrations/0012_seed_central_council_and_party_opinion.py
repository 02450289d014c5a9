"""Seed the province council's vote on Bằng khen của Thủ tướng and Huân chương, and the Ban
Thường vụ Tỉnh ủy's opinion on Chiến sĩ thi đua toàn quốc (domain.md §6.6 points 4 and 5).

The review chain of §6.6 is Bắc Ninh's regulation, taken as representative: the provincial
council reviews Bằng khen của Thủ tướng "and above" before the province submits them, with no
threshold stated — so the rows ask for a plain majority of the whole membership (threshold left
empty, §6.4 "decisions by majority"), by secret ballot as the Bắc Ninh council does for high
awards (§7.2); all unverified. Huân chương Sao vàng, Hồ Chí Minh, Độc lập and Anh hùng also need
the Party standing committee's opinion, but they are not in the catalogue yet: whoever adds them
adds their rows in the admin.
"""

import datetime

from django.db import migrations

QD86 = "QĐ 86/2025/QĐ-UBND tỉnh Bắc Ninh"
COUNCIL_ARTICLE = (
    f"Khoản 4 Điều 5 {QD86} (Hội đồng TĐKT tỉnh xét Bằng khen Thủ tướng trở lên; "
    "quy định đại diện), biểu quyết quá bán theo Điều 8"
)
PARTY_ARTICLE = f"Khoản 5 Điều 5 {QD86} (báo cáo Ban Thường vụ Tỉnh ủy cho ý kiến bằng văn bản)"

COUNCIL_FORMS = [
    "bang-khen-thu-tuong",
    "huan-chuong-lao-dong-hang-nhat",
    "huan-chuong-lao-dong-hang-nhi",
    "huan-chuong-lao-dong-hang-ba",
]
PARTY_TITLES = ["cstd-toan-quoc"]
REASON = "awards.seed: domain.md §6.6"


def _baseline(apps, name, rows):
    historical = apps.get_model("awards", f"Historical{name}")
    model = apps.get_model("awards", name)
    now = datetime.datetime.now(datetime.UTC)
    historical.objects.bulk_create(
        historical(
            **{field.attname: getattr(row, field.attname) for field in model._meta.concrete_fields},
            history_date=now,
            history_type="+",
            history_change_reason=REASON,
        )
        for row in rows
    )


def seed(apps, schema_editor):
    RuleSet = apps.get_model("awards", "RuleSet")
    VoteRule = apps.get_model("awards", "VoteRule")
    PartyOpinionRule = apps.get_model("awards", "PartyOpinionRule")
    forms = apps.get_model("awards", "AwardForm").objects.filter(code__in=COUNCIL_FORMS)
    titles = apps.get_model("awards", "EmulationTitle").objects.filter(code__in=PARTY_TITLES)
    votes, opinions = [], []
    for rule_set in RuleSet.objects.filter(scope_unit__isnull=True):
        for form in forms:
            if VoteRule.objects.filter(rule_set=rule_set, award_form=form).exists():
                continue
            votes.append(
                VoteRule.objects.create(
                    rule_set=rule_set,
                    award_form=form,
                    threshold_percent=None,
                    secret_ballot=True,
                    article=COUNCIL_ARTICLE,
                    is_unverified=True,
                )
            )
        for title in titles:
            opinions.append(
                PartyOpinionRule.objects.create(
                    rule_set=rule_set, title=title, article=PARTY_ARTICLE, is_unverified=True
                )
            )
    _baseline(apps, "VoteRule", votes)
    _baseline(apps, "PartyOpinionRule", opinions)


def unseed(apps, schema_editor):
    for name in ("VoteRule", "PartyOpinionRule"):
        model = apps.get_model("awards", name)
        rows = model.objects.filter(article__in=[COUNCIL_ARTICLE, PARTY_ARTICLE])
        apps.get_model("awards", f"Historical{name}").objects.filter(
            id__in=rows.values("id")
        ).delete()
        rows.delete()


class Migration(migrations.Migration):
    dependencies = [("awards", "0011_vote_majority_party_opinion")]
    operations = [migrations.RunPython(seed, unseed)]
