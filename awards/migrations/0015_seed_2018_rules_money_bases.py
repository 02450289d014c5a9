"""Rules and money complete for the papers the portal issues (issue #13, section 6).

- A national rule set for the Decree 91/2017 regime (Law 2003 as amended, in force until the
  2022 Law took effect on 01/01/2024), so a 2018–2023 award in the history is priced and cited
  by its own date's rules. Its rows follow the 2024 set item by item and are all flagged
  unverified: the figures are those the Decree 91/2017 regime is known for, not yet checked
  against the text.
- Huân chương Lao động for individuals (hạng Nhất 9.0, hạng Nhì 7.5, hạng Ba 4.5 × base
  salary: half the collective figure), unverified against the article.
- Gia đình văn hóa with what the law gives it: the title's paper, no money from the emulation
  fund after 2024 (neither Art. 54 of NĐ 98/2023 nor Art. 50 of NĐ 152/2025 lists it; the
  Art. 50 list was read on a TVPL page); 0.1 × base under NĐ 91/2017 (unverified).
- The base salaries from 01/07/2017 (NĐ 47/2017, 72/2018, 38/2019, 24/2023).
- The "Căn cứ" of decisions as dated rows (`LegalBasis`).
- The council vote on Bằng khen của Thủ tướng and Huân chương and the Party committee's opinion
  on Chiến sĩ thi đua toàn quốc cited a Bắc Ninh provincial decision as the basis of national
  rows: they now say what they are, a default from provincial practice that a province's own
  rule set confirms or replaces.
"""

import datetime
from decimal import Decimal

from django.db import migrations

IND, COL, HH = "individual", "collective", "household"
ND91 = "NĐ 91/2017/NĐ-CP"
ND98 = "NĐ 98/2023/NĐ-CP"
ND152 = "NĐ 152/2025/NĐ-CP"
REASON = "awards.seed: issue #13 §6"

OLD_COUNCIL_PREFIX = "Khoản 4 Điều 5 QĐ 86/2025/QĐ-UBND tỉnh Bắc Ninh"
OLD_PARTY_PREFIX = "Khoản 5 Điều 5 QĐ 86/2025/QĐ-UBND tỉnh Bắc Ninh"
COUNCIL_ARTICLE = (
    "Mặc định theo thực tiễn cấp tỉnh (Hội đồng TĐKT tỉnh xét Bằng khen của Thủ tướng trở lên "
    "trước khi trình, biểu quyết quá bán); không phải căn cứ cấp quốc gia, tỉnh quy định trong "
    "bộ quy tắc riêng"
)
PARTY_ARTICLE = (
    "Mặc định theo thực tiễn cấp tỉnh (báo cáo Ban Thường vụ Tỉnh ủy cho ý kiến bằng văn bản "
    "trước khi trình Trung ương); không phải căn cứ cấp quốc gia, tỉnh quy định trong bộ quy "
    "tắc riêng"
)

RULE_SET_2018 = dict(
    name="Luật TĐKT 2003 (sửa đổi 2005, 2013) và Nghị định 91/2017",
    legal_basis="Luật Thi đua, khen thưởng 2003, sửa đổi, bổ sung 2005 và 2013; NĐ 91/2017/NĐ-CP",
    valid_from=datetime.date(2017, 9, 15),
    valid_to=datetime.date(2023, 12, 31),
    rounding_unit=10_000,
    household_multiplier=Decimal("1.5"),
    money_article=f"{ND91} (các điều về tiền thưởng)",
    is_unverified=True,
    note=(
        "Dùng cho quyết định ký từ 15/09/2017 (ngày hiệu lực của NĐ 91/2017, chưa đối chiếu) "
        "đến 31/12/2023. Các mức, tỷ lệ và thẩm quyền chép theo bộ quy tắc 2024 hoặc theo "
        "mức đã biết của NĐ 91/2017; tất cả chưa đối chiếu nguyên văn. Làm tròn lên hàng chục "
        "nghìn và hệ số hộ gia đình 1,5 chưa xác minh với NĐ 91/2017."
    ),
)

# code, recipient kind, multiplier — NĐ 91/2017 regime, all unverified
MONEY_2018 = [
    ("cstd-toan-quoc", IND, "4.5"),
    ("cstd-tinh", IND, "3.0"),
    ("cstd-co-so", IND, "1.0"),
    ("lao-dong-tien-tien", IND, "0.3"),
    ("co-thi-dua-chinh-phu", COL, "12"),
    ("co-thi-dua-tinh", COL, "8.0"),
    ("tap-the-lao-dong-xuat-sac", COL, "1.5"),
    ("tap-the-lao-dong-tien-tien", COL, "0.8"),
    ("thon-to-dan-pho-van-hoa", COL, "1.5"),
    ("gia-dinh-van-hoa", HH, "0.1"),
    ("huan-chuong-lao-dong-hang-nhat", IND, "9.0"),
    ("huan-chuong-lao-dong-hang-nhat", COL, "18"),
    ("huan-chuong-lao-dong-hang-nhi", IND, "7.5"),
    ("huan-chuong-lao-dong-hang-nhi", COL, "15"),
    ("huan-chuong-lao-dong-hang-ba", IND, "4.5"),
    ("huan-chuong-lao-dong-hang-ba", COL, "9"),
    ("bang-khen-thu-tuong", IND, "1.0"),
    ("bang-khen-thu-tuong", COL, "2.0"),
    ("bang-khen-tinh", IND, "1.0"),
    ("bang-khen-tinh", COL, "2.0"),
    ("giay-khen", IND, "0.3"),
    ("giay-khen", COL, "0.6"),
]

# Added to the 2024 (NĐ 98/2023) and 2025 (NĐ 152/2025) rule sets:
# code, kind, multiplier, article 2024, article 2025, unverified
MONEY_ADDED = [
    (
        "huan-chuong-lao-dong-hang-nhat",
        IND,
        "9.0",
        f"{ND98} (cá nhân bằng một nửa mức tập thể)",
        f"Điều 51 {ND152} (cá nhân)",
        True,
    ),
    (
        "huan-chuong-lao-dong-hang-nhi",
        IND,
        "7.5",
        f"{ND98} (cá nhân bằng một nửa mức tập thể)",
        f"Điều 51 {ND152} (cá nhân)",
        True,
    ),
    (
        "huan-chuong-lao-dong-hang-ba",
        IND,
        "4.5",
        f"{ND98} (cá nhân bằng một nửa mức tập thể)",
        f"Điều 51 {ND152} (cá nhân)",
        True,
    ),
    (
        "gia-dinh-van-hoa",
        HH,
        "0",
        f"Điều 54 {ND98} không quy định tiền thưởng; tặng Giấy khen theo NĐ 86/2023/NĐ-CP",
        f"Điều 50 {ND152} không quy định tiền thưởng; tặng Giấy khen theo NĐ 86/2023/NĐ-CP",
        True,
    ),
]

BASE_SALARIES = [
    (1_300_000, datetime.date(2017, 7, 1), "NĐ 47/2017/NĐ-CP"),
    (1_390_000, datetime.date(2018, 7, 1), "NĐ 72/2018/NĐ-CP"),
    (1_490_000, datetime.date(2019, 7, 1), "NĐ 38/2019/NĐ-CP"),
]

# role, citation (after "Căn cứ"), valid from, valid to, communes only, unverified, note
BASES = [
    (
        "local_government",
        "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một "
        "số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng "
        "11 năm 2019",
        datetime.date(2016, 1, 1),
        datetime.date(2025, 2, 28),
        False,
        False,
        "Luật số 77/2015/QH13, sửa đổi bởi Luật số 47/2019/QH14.",
    ),
    (
        "local_government",
        "Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025",
        datetime.date(2025, 3, 1),
        datetime.date(2025, 6, 15),
        False,
        True,
        "Luật số 65/2025/QH15, hiệu lực 01/03/2025; ngày thông qua chưa đối chiếu.",
    ),
    (
        "local_government",
        "Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025",
        datetime.date(2025, 6, 16),
        None,
        False,
        True,
        "Luật số 72/2025/QH15, hiệu lực 16/06/2025; ngày thông qua chưa đối chiếu.",
    ),
    (
        "emulation_law",
        "Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003; Luật sửa đổi, bổ sung một số điều "
        "của Luật Thi đua, khen thưởng ngày 14 tháng 6 năm 2005 và ngày 16 tháng 11 năm 2013",
        datetime.date(2004, 1, 1),
        datetime.date(2023, 12, 31),
        False,
        True,
        "Ngày thông qua các luật sửa đổi chưa đối chiếu.",
    ),
    (
        "emulation_law",
        "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
        datetime.date(2024, 1, 1),
        None,
        False,
        False,
        "Luật số 06/2022/QH15, hiệu lực 01/01/2024.",
    ),
    (
        "decree",
        "Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ quy định chi tiết thi "
        "hành một số điều của Luật Thi đua, khen thưởng",
        datetime.date(2017, 9, 15),
        datetime.date(2023, 12, 31),
        False,
        True,
        "Ngày ký và ngày hiệu lực chưa đối chiếu.",
    ),
    (
        "decree",
        "Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi "
        "hành một số điều của Luật Thi đua, khen thưởng",
        datetime.date(2024, 1, 1),
        datetime.date(2025, 6, 30),
        False,
        False,
        "Hết hiệu lực từ 01/07/2025 (Điều 59 NĐ 152/2025/NĐ-CP).",
    ),
    (
        "decree",
        "Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định về phân cấp, "
        "phân quyền trong lĩnh vực thi đua, khen thưởng; quy định chi tiết và hướng dẫn thi hành "
        "một số điều của Luật Thi đua, khen thưởng",
        datetime.date(2025, 7, 1),
        None,
        False,
        False,
        "Ngày ký 14/06/2025 theo thuvienphapluat.vn; hiệu lực 01/07/2025.",
    ),
    (
        "commune_decree",
        "Nghị định số 129/2025/NĐ-CP ngày 11 tháng 6 năm 2025 của Chính phủ quy định phân định "
        "thẩm quyền của chính quyền địa phương 02 cấp trong lĩnh vực quản lý nhà nước của Bộ Nội vụ",
        datetime.date(2025, 7, 1),
        None,
        True,
        True,
        "Điều 59: thẩm quyền của Chủ tịch UBND cấp xã; ngày ký và trích yếu chưa đối chiếu.",
    ),
]


def _baseline(apps, name, rows):
    if not rows:
        return
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


def _copy(row, **changes):
    row.pk = None
    row.id = None
    for key, value in changes.items():
        setattr(row, key, value)
    row.save()
    return row


def _old_article(article):
    return f"{ND91}; tương ứng {article} (chưa đối chiếu)"


def seed(apps, schema_editor):
    get = lambda name: apps.get_model("awards", name)  # noqa: E731
    RuleSet = get("RuleSet")
    titles = {t.code: t for t in get("EmulationTitle").objects.all()}
    forms = {f.code: f for f in get("AwardForm").objects.all()}
    if not titles:
        return

    def item(code):
        return {"title": titles[code]} if code in titles else {"award_form": forms[code]}

    national = RuleSet.objects.filter(scope_unit__isnull=True)
    set_2024 = national.filter(valid_from=datetime.date(2024, 1, 1)).first()
    set_2025 = national.filter(valid_from=datetime.date(2025, 7, 1)).first()

    changed = {"VoteRule": [], "PartyOpinionRule": []}
    for name, prefix, article in (
        ("VoteRule", OLD_COUNCIL_PREFIX, COUNCIL_ARTICLE),
        ("PartyOpinionRule", OLD_PARTY_PREFIX, PARTY_ARTICLE),
    ):
        for row in get(name).objects.filter(article__startswith=prefix):
            row.article = article
            row.save(update_fields=["article"])
            changed[name].append(row)
    for name, rows in changed.items():
        _baseline(apps, name, rows)

    created = {
        name: []
        for name in (
            "RuleSet",
            "MoneyRule",
            "AuthorityRule",
            "VoteRule",
            "PrerequisiteRule",
            "CollectiveRule",
            "CapRule",
            "GeneralRule",
            "StepLimit",
            "PublicCommentRule",
            "PartyOpinionRule",
            "BaseSalary",
            "LegalBasis",
        )
    }
    MoneyRule = get("MoneyRule")
    for code, kind, multiplier, article_2024, article_2025, unverified in MONEY_ADDED:
        for rule_set, article in ((set_2024, article_2024), (set_2025, article_2025)):
            if rule_set is None:
                continue
            created["MoneyRule"].append(
                MoneyRule.objects.create(
                    rule_set=rule_set,
                    recipient_kind=kind,
                    multiplier=Decimal(multiplier),
                    article=article,
                    is_unverified=unverified,
                    **item(code),
                )
            )

    # NĐ 98/2023 Art. 54.1 (individual titles) was read on a TVPL page: no longer unverified.
    verified = []
    for row in MoneyRule.objects.filter(
        rule_set=set_2024,
        title__code__in=["cstd-toan-quoc", "cstd-tinh", "cstd-co-so", "lao-dong-tien-tien"],
    ):
        row.article, row.is_unverified = f"Khoản 1 Điều 54 {ND98}", False
        row.save(update_fields=["article", "is_unverified"])
        verified.append(row)
    _baseline(apps, "MoneyRule", verified)

    if set_2024 is not None and not national.filter(valid_to__lt=set_2024.valid_from).exists():
        old = RuleSet.objects.create(**RULE_SET_2018)
        created["RuleSet"].append(old)
        for code, kind, multiplier in MONEY_2018:
            created["MoneyRule"].append(
                MoneyRule.objects.create(
                    rule_set=old,
                    recipient_kind=kind,
                    multiplier=Decimal(multiplier),
                    article=f"{ND91} (các điều về tiền thưởng)",
                    is_unverified=True,
                    **item(code),
                )
            )
        skip_items = {titles["xa-phuong-tieu-bieu"].pk}
        for name in (
            "AuthorityRule",
            "VoteRule",
            "PrerequisiteRule",
            "CollectiveRule",
            "PublicCommentRule",
            "PartyOpinionRule",
        ):
            for row in get(name).objects.filter(rule_set=set_2024).order_by("pk"):
                if row.title_id in skip_items:
                    continue
                created[name].append(
                    _copy(row, rule_set=old, article=_old_article(row.article), is_unverified=True)
                )
        for row in get("StepLimit").objects.filter(rule_set=set_2024).order_by("pk"):
            created["StepLimit"].append(
                _copy(row, rule_set=old, article=_old_article(row.article), is_unverified=True)
            )
        for row in get("GeneralRule").objects.filter(rule_set=set_2024).order_by("pk"):
            created["GeneralRule"].append(
                _copy(row, rule_set=old, article=_old_article(row.article), is_unverified=True)
            )
        created["CapRule"].append(
            get("CapRule").objects.create(
                rule_set=old,
                title=titles["cstd-co-so"],
                max_percent=15,
                base_title=titles["lao-dong-tien-tien"],
                article=f"{ND91} (Chiến sĩ thi đua cơ sở không quá 15% số Lao động tiên tiến)",
                is_unverified=True,
            )
        )

    BaseSalary = get("BaseSalary")
    for amount, valid_from, basis in BASE_SALARIES:
        if not BaseSalary.objects.filter(valid_from=valid_from).exists():
            created["BaseSalary"].append(
                BaseSalary.objects.create(
                    amount=amount, valid_from=valid_from, legal_basis=basis, is_unverified=False
                )
            )
    for row in BaseSalary.objects.filter(valid_from=datetime.date(2023, 7, 1), is_unverified=True):
        row.is_unverified = False
        row.save(update_fields=["is_unverified"])

    LegalBasis = get("LegalBasis")
    for role, citation, valid_from, valid_to, communes, unverified, note in BASES:
        created["LegalBasis"].append(
            LegalBasis.objects.create(
                role=role,
                citation=citation,
                valid_from=valid_from,
                valid_to=valid_to,
                communes_only=communes,
                is_unverified=unverified,
                note=note,
            )
        )
    for name, rows in created.items():
        _baseline(apps, name, rows)


def unseed(apps, schema_editor):
    RuleSet = apps.get_model("awards", "RuleSet")
    for rule_set in RuleSet.objects.filter(name=RULE_SET_2018["name"]):
        for name in ("StepLimit", "PublicCommentRule"):
            apps.get_model("awards", name).objects.filter(rule_set=rule_set).delete()
        rule_set.delete()
    apps.get_model("awards", "LegalBasis").objects.all().delete()
    apps.get_model("awards", "MoneyRule").objects.filter(recipient_kind=HH).delete()
    apps.get_model("awards", "MoneyRule").objects.filter(
        award_form__code__startswith="huan-chuong-lao-dong", recipient_kind=IND
    ).delete()
    apps.get_model("awards", "BaseSalary").objects.filter(
        valid_from__lt=datetime.date(2023, 7, 1)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("awards", "0014_legal_bases_household_money")]
    operations = [migrations.RunPython(seed, unseed)]
