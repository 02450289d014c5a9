"""Seed the catalogue and the two national rule sets from ../shared/domain.md §§2–7.

Every row cites its article. Rows that domain.md marks unverified (or whose article number
could not be confirmed against a primary text) carry is_unverified=True: they are defaults
that system administrators amend in the admin, with history.
"""

import datetime
from decimal import Decimal

from django.db import migrations
from django.utils import timezone

LAW = "Luật TĐKT 2022"
ND98 = "NĐ 98/2023/NĐ-CP"
ND152 = "NĐ 152/2025/NĐ-CP"

IND, COL, HH = "individual", "collective", "household"

# code, name, abbreviation, level, recipients, timings, article, criteria, prerequisites,
# unverified, note
TITLES = [
    (
        "cstd-toan-quoc",
        "Chiến sĩ thi đua toàn quốc",
        "CSTĐTQ",
        "state",
        {IND},
        {"yearly"},
        f"Điều 21 {LAW}",
        "Được lựa chọn trong số những cá nhân có 2 lần liên tục đạt danh hiệu Chiến sĩ thi đua "
        "cấp bộ, ban, ngành, tỉnh; có sáng kiến hoặc công trình khoa học đã được áp dụng hiệu quả, "
        "có phạm vi ảnh hưởng trong toàn quốc.",
        "2 lần liên tục Chiến sĩ thi đua cấp tỉnh; sáng kiến có phạm vi ảnh hưởng toàn quốc.",
        False,
        "Hồ sơ gửi Bộ Nội vụ trước 31/12 năm sau (Điều 32 NĐ 98/2023/NĐ-CP).",
    ),
    (
        "cstd-tinh",
        "Chiến sĩ thi đua cấp tỉnh",
        "CSTĐ tỉnh",
        "province",
        {IND},
        {"yearly"},
        f"Điều 22 {LAW}",
        "Có thành tích tiêu biểu xuất sắc, được lựa chọn trong số những cá nhân có 3 lần liên tục "
        "đạt danh hiệu Chiến sĩ thi đua cơ sở; có sáng kiến được áp dụng hiệu quả, có khả năng "
        "nhân rộng trong tỉnh, hoặc công trình khoa học đã nghiệm thu, áp dụng có ảnh hưởng trong "
        "tỉnh, được người đứng đầu tỉnh công nhận.",
        "3 lần liên tục Chiến sĩ thi đua cơ sở; sáng kiến được công nhận phạm vi cấp tỉnh.",
        False,
        "Năm xét là năm đạt Chiến sĩ thi đua cơ sở lần thứ ba (chưa xác minh theo luật mới).",
    ),
    (
        "cstd-co-so",
        "Chiến sĩ thi đua cơ sở",
        "CSTĐCS",
        "grassroots",
        {IND},
        {"yearly"},
        f"Điều 23 {LAW}",
        "Đạt tiêu chuẩn Lao động tiên tiến và thuộc một trong các trường hợp: được xếp loại Hoàn "
        "thành xuất sắc nhiệm vụ; có sáng kiến được công nhận cấp cơ sở; có đề tài, công trình "
        "khoa học được nghiệm thu.",
        "Đạt danh hiệu Lao động tiên tiến trong năm.",
        False,
        "Luật 2022 không còn bắt buộc sáng kiến: Hoàn thành xuất sắc nhiệm vụ là đủ.",
    ),
    (
        "lao-dong-tien-tien",
        "Lao động tiên tiến",
        "LĐTT",
        "grassroots",
        {IND},
        {"yearly"},
        f"Điều 24 {LAW}",
        "Được đánh giá, xếp loại từ Hoàn thành tốt nhiệm vụ trở lên; tự lực, đoàn kết, tương trợ, "
        "tích cực tham gia phong trào thi đua. Người lao động ngoài khu vực nhà nước: lao động "
        "năng suất, hiệu quả, chấp hành pháp luật, theo tiêu chí chi tiết của UBND tỉnh.",
        "",
        False,
        "Loại trừ truyền thống (mới tuyển dụng dưới 10 tháng, nghỉ từ 40 ngày làm việc, bị kỷ "
        "luật từ khiển trách) chưa xác minh theo TT 15/2025/TT-BNV.",
    ),
    (
        "co-thi-dua-chinh-phu",
        "Cờ thi đua của Chính phủ",
        "Cờ CP",
        "state",
        {COL},
        {"yearly", "by_campaign"},
        f"Điều 25 {LAW}",
        "Tập thể tiêu biểu xuất sắc trong toàn quốc, được lựa chọn trong số tập thể đạt Cờ thi "
        "đua cấp bộ, tỉnh, dẫn đầu cụm, khối do Hội đồng TĐKT Trung ương tổ chức, hoặc tiêu biểu "
        "trong phong trào thi đua theo chuyên đề do Chủ tịch nước, Thủ tướng phát động.",
        "Đạt Cờ thi đua cấp tỉnh.",
        False,
        "Hồ sơ gửi Bộ Nội vụ trước 30/06 (ngành giáo dục trước 31/12).",
    ),
    (
        "co-thi-dua-tinh",
        "Cờ thi đua của Ủy ban nhân dân tỉnh",
        "Cờ tỉnh",
        "province",
        {COL},
        {"yearly", "by_campaign"},
        f"Điều 26 {LAW}",
        "Hằng năm tặng tập thể dẫn đầu cụm, khối thi đua do tỉnh tổ chức, hoàn thành vượt mức chỉ "
        "tiêu, tiêu biểu trong tỉnh, nội bộ đoàn kết, tổ chức đảng, đoàn thể hoàn thành xuất sắc "
        "nhiệm vụ, thực hành tiết kiệm, phòng chống tham nhũng; hoặc tập thể tiêu biểu xuất sắc "
        "trong phong trào thi đua theo chuyên đề của tỉnh được sơ kết, tổng kết từ 5 năm trở lên.",
        "Dẫn đầu cụm, khối thi đua của tỉnh (khen hằng năm).",
        True,
        "Chi tiết “sơ kết, tổng kết từ 5 năm” chưa xác minh với Khoản 2 Điều 26 Luật 2022.",
    ),
    (
        "tap-the-lao-dong-xuat-sac",
        "Tập thể lao động xuất sắc",
        "TTLĐXS",
        "province",
        {COL},
        {"yearly"},
        f"Điều 27 {LAW}",
        "Hoàn thành xuất sắc nhiệm vụ; phong trào thi đua thường xuyên, thiết thực, hiệu quả; "
        "100% thành viên hoàn thành nhiệm vụ, trong đó ít nhất 70% đạt Lao động tiên tiến; có cá "
        "nhân đạt Chiến sĩ thi đua cơ sở; nội bộ đoàn kết, chấp hành tốt pháp luật.",
        "Có ít nhất một Chiến sĩ thi đua cơ sở trong năm.",
        False,
        "",
    ),
    (
        "tap-the-lao-dong-tien-tien",
        "Tập thể lao động tiên tiến",
        "TTLĐTT",
        "grassroots",
        {COL},
        {"yearly"},
        f"Điều 28 {LAW}",
        "Hoàn thành tốt nhiệm vụ; tham gia phong trào thi đua thường xuyên, hiệu quả; có ít nhất "
        "70% thành viên đạt Lao động tiên tiến và không có thành viên bị kỷ luật từ hình thức "
        "cảnh cáo trở lên; nội bộ đoàn kết, chấp hành tốt pháp luật.",
        "",
        True,
        "Tỷ lệ 70% theo Bắc Ninh QĐ 86/2025; cần đối chiếu nguyên văn Điều 28 Luật 2022.",
    ),
    (
        "xa-phuong-tieu-bieu",
        "Xã, phường, đặc khu tiêu biểu",
        "Xã tiêu biểu",
        "province",
        {COL},
        {"yearly"},
        f"Điều 29 {LAW}; NĐ 86/2023/NĐ-CP",
        "Đạt khung tiêu chuẩn tại NĐ 86/2023/NĐ-CP và tiêu chí chi tiết của tỉnh.",
        "",
        True,
        "Chu kỳ xét (hằng năm hay 2 năm) và thẩm quyền sau 07/2025 chưa xác minh.",
    ),
    (
        "thon-to-dan-pho-van-hoa",
        "Thôn, tổ dân phố văn hóa",
        "Thôn văn hóa",
        "grassroots",
        {COL},
        {"yearly"},
        f"Điều 30 {LAW}; NĐ 86/2023/NĐ-CP",
        "Đạt khung tiêu chuẩn tại NĐ 86/2023/NĐ-CP và tiêu chí chi tiết của tỉnh.",
        "",
        True,
        "Chu kỳ xét chưa xác minh với NĐ 86/2023/NĐ-CP.",
    ),
    (
        "gia-dinh-van-hoa",
        "Gia đình văn hóa",
        "GĐVH",
        "grassroots",
        {HH},
        {"yearly"},
        f"Điều 31 {LAW}; NĐ 86/2023/NĐ-CP",
        "Các thành viên gương mẫu chấp hành chủ trương, chính sách, pháp luật; thực hiện nếp sống "
        "văn minh trong việc cưới, việc tang, lễ hội; tích cực tham gia phong trào thi đua ở địa "
        "phương; gia đình no ấm, tiến bộ, hạnh phúc, văn minh; đoàn kết, tương trợ trong cộng đồng.",
        "",
        False,
        "",
    ),
]

FORMS = [
    (
        "huan-chuong-lao-dong-hang-nhat",
        "Huân chương Lao động hạng Nhất",
        "HCLĐ hạng Nhất",
        "state",
        {IND, COL},
        {"merit", "ad_hoc", "by_campaign", "career"},
        f"Điều 33 {LAW}",
        "Theo tiêu chuẩn của Luật TĐKT 2022; tỉnh lập hồ sơ trình Thủ tướng đề nghị Chủ tịch nước.",
        "",
        True,
        "Tiêu chuẩn chi tiết chưa đưa vào danh mục.",
    ),
    (
        "huan-chuong-lao-dong-hang-nhi",
        "Huân chương Lao động hạng Nhì",
        "HCLĐ hạng Nhì",
        "state",
        {IND, COL},
        {"merit", "ad_hoc", "by_campaign", "career"},
        f"Điều 33 {LAW}",
        "Theo tiêu chuẩn của Luật TĐKT 2022; tỉnh lập hồ sơ trình Thủ tướng đề nghị Chủ tịch nước.",
        "",
        True,
        "Tiêu chuẩn chi tiết chưa đưa vào danh mục.",
    ),
    (
        "huan-chuong-lao-dong-hang-ba",
        "Huân chương Lao động hạng Ba",
        "HCLĐ hạng Ba",
        "state",
        {IND, COL},
        {"merit", "ad_hoc", "by_campaign", "career"},
        f"Điều 33 {LAW}",
        "Theo tiêu chuẩn của Luật TĐKT 2022; tỉnh lập hồ sơ trình Thủ tướng đề nghị Chủ tịch nước. "
        "Lấy ý kiến công khai 10 ngày làm việc trước khi trình.",
        "",
        True,
        "Tiêu chuẩn chi tiết chưa đưa vào danh mục.",
    ),
    (
        "bang-khen-thu-tuong",
        "Bằng khen của Thủ tướng Chính phủ",
        "BK TTg",
        "state",
        {IND, COL, HH},
        {"yearly", "merit", "by_campaign", "ad_hoc"},
        f"Điều 71 {LAW}",
        "Cá nhân, tập thể, hộ gia đình có thành tích xuất sắc, tiêu biểu được bộ, ngành, tỉnh đề "
        "nghị theo tiêu chuẩn của Luật TĐKT 2022.",
        "",
        True,
        "Tiêu chuẩn chi tiết chưa đưa vào danh mục.",
    ),
    (
        "bang-khen-tinh",
        "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        "BK tỉnh",
        "province",
        {IND, COL, HH},
        {"yearly", "merit", "by_campaign", "ad_hoc"},
        f"Điều 74 {LAW}",
        "Cá nhân gương mẫu chấp hành chủ trương, chính sách, pháp luật và đạt một trong các tiêu "
        "chuẩn: thành tích xuất sắc được bình xét trong phong trào thi đua do tỉnh phát động; lập "
        "được nhiều thành tích hoặc thành tích đột xuất có phạm vi ảnh hưởng trong lĩnh vực của "
        "tỉnh; đóng góp vào phát triển kinh tế - xã hội, khoa học, từ thiện; 2 lần liên tục Chiến "
        "sĩ thi đua cơ sở, hoặc 2 năm liên tục Hoàn thành xuất sắc nhiệm vụ trong đó có 2 sáng "
        "kiến được công nhận và áp dụng hiệu quả cấp cơ sở. Tập thể: đoàn kết, chấp hành pháp luật "
        "và đạt một trong các tiêu chuẩn: thành tích xuất sắc trong thi đua, thành tích đột xuất, "
        "đóng góp kinh tế - xã hội, 2 năm liên tục Hoàn thành xuất sắc nhiệm vụ hoặc Tập thể lao "
        "động xuất sắc. Hộ gia đình: gương mẫu, đóng góp công sức, đất đai, tài sản cho địa phương.",
        "Khen hằng năm (toàn diện): 2 lần liên tục CSTĐCS, hoặc 2 năm HTXSNV và 2 sáng kiến.",
        False,
        "Theo Điều 74 Luật TĐKT 2022, như Bắc Ninh QĐ 86/2025 Điều 3.3 diễn giải.",
    ),
    (
        "giay-khen",
        "Giấy khen",
        "GK",
        "grassroots",
        {IND, COL, HH},
        {"yearly", "merit", "by_campaign", "ad_hoc"},
        f"Điều 75 {LAW}",
        "Cá nhân chấp hành tốt pháp luật, hoàn thành tốt nhiệm vụ và được bình xét trong phong "
        "trào thi đua hoặc lập được nhiều thành tích, thành tích đột xuất có ảnh hưởng trong lĩnh "
        "vực của cơ quan. Tập thể: đoàn kết, hoàn thành tốt nhiệm vụ và một trong hai điều kiện "
        "trên. Hộ gia đình: đóng góp công sức, đất đai, tài sản hoặc được bình xét trong phong "
        "trào thi đua.",
        "",
        False,
        "",
    ),
]

RULE_SETS = {
    "2024": dict(
        name="Luật TĐKT 2022 và Nghị định 98/2023",
        legal_basis="Luật 06/2022/QH15; NĐ 98/2023/NĐ-CP; TT 01/2024/TT-BNV",
        valid_from=datetime.date(2024, 1, 1),
        valid_to=datetime.date(2025, 6, 30),
        rounding_unit=10_000,
        household_multiplier=Decimal("1.5"),
        money_article=f"{ND98} (các điều về tiền thưởng)",
        is_unverified=False,
        note="NĐ 98/2023 hết hiệu lực từ 01/07/2025 (Điều 59 NĐ 152/2025); dùng cho hồ sơ cũ.",
    ),
    "2025": dict(
        name="Luật TĐKT 2022, Nghị định 152/2025 và 129/2025",
        legal_basis="Luật 06/2022/QH15; NĐ 152/2025/NĐ-CP; NĐ 129/2025/NĐ-CP; TT 15/2025/TT-BNV",
        valid_from=datetime.date(2025, 7, 1),
        valid_to=None,
        rounding_unit=10_000,
        household_multiplier=Decimal("1.5"),
        money_article=f"Điều 49 {ND152}",
        is_unverified=False,
        note="TT 15/2025/TT-BNV thay TT 01/2024 từ 05/08/2025 (ngày hiệu lực theo nguồn thứ cấp).",
    ),
}

# decider, item codes, article, unverified, rule sets
AUTHORITY = [
    (
        "president",
        [
            "huan-chuong-lao-dong-hang-nhat",
            "huan-chuong-lao-dong-hang-nhi",
            "huan-chuong-lao-dong-hang-ba",
        ],
        f"Điều 76 {LAW}",
        True,
        ("2024", "2025"),
    ),
    (
        "prime_minister",
        ["cstd-toan-quoc", "co-thi-dua-chinh-phu", "bang-khen-thu-tuong"],
        f"Điều 77 {LAW}",
        True,
        ("2024", "2025"),
    ),
    (
        "province",
        ["co-thi-dua-tinh", "cstd-tinh", "tap-the-lao-dong-xuat-sac", "bang-khen-tinh"],
        f"Điều 78 {LAW}",
        True,
        ("2024", "2025"),
    ),
    ("province", ["xa-phuong-tieu-bieu"], f"Điều 78 {LAW}", True, ("2024", "2025")),
    (
        "agency",
        ["tap-the-lao-dong-tien-tien", "cstd-co-so", "lao-dong-tien-tien", "giay-khen"],
        f"Khoản 1 Điều 80 {LAW}",
        False,
        ("2024", "2025"),
    ),
    (
        "enterprise",
        ["tap-the-lao-dong-tien-tien", "cstd-co-so", "lao-dong-tien-tien", "giay-khen"],
        f"Khoản 4 Điều 80 {LAW}",
        False,
        ("2024", "2025"),
    ),
    (
        "district",
        [
            "thon-to-dan-pho-van-hoa",
            "tap-the-lao-dong-tien-tien",
            "cstd-co-so",
            "lao-dong-tien-tien",
            "giay-khen",
        ],
        f"Khoản 2 Điều 80 {LAW}",
        False,
        ("2024",),
    ),
    (
        "commune",
        ["lao-dong-tien-tien", "giay-khen", "gia-dinh-van-hoa"],
        f"Khoản 3 Điều 80 {LAW}",
        False,
        ("2024",),
    ),
    (
        "commune",
        [
            "thon-to-dan-pho-van-hoa",
            "gia-dinh-van-hoa",
            "tap-the-lao-dong-tien-tien",
            "cstd-co-so",
            "lao-dong-tien-tien",
            "giay-khen",
        ],
        "Điều 59 NĐ 129/2025/NĐ-CP",
        False,
        ("2025",),
    ),
]

# item code, recipient kind, multiplier
TITLE_MONEY = [
    ("cstd-toan-quoc", IND, "4.5"),
    ("cstd-tinh", IND, "3.0"),
    ("cstd-co-so", IND, "1.0"),
    ("lao-dong-tien-tien", IND, "0.3"),
    ("co-thi-dua-chinh-phu", COL, "12"),
    ("co-thi-dua-tinh", COL, "8.0"),
    ("xa-phuong-tieu-bieu", COL, "2.0"),
    ("tap-the-lao-dong-xuat-sac", COL, "1.5"),
    ("thon-to-dan-pho-van-hoa", COL, "1.5"),
    ("tap-the-lao-dong-tien-tien", COL, "0.8"),
]
FORM_MONEY_COLLECTIVE = [
    ("huan-chuong-lao-dong-hang-nhat", COL, "18"),
    ("huan-chuong-lao-dong-hang-nhi", COL, "15"),
    ("huan-chuong-lao-dong-hang-ba", COL, "9"),
    ("bang-khen-thu-tuong", COL, "7"),
    ("bang-khen-tinh", COL, "3"),
    ("giay-khen", COL, "0.6"),
]
FORM_MONEY_INDIVIDUAL = [
    ("bang-khen-thu-tuong", IND, "3.5"),
    ("bang-khen-tinh", IND, "1.5"),
    ("giay-khen", IND, "0.3"),
]

VOTES = [
    ("cstd-toan-quoc", 90),
    ("cstd-tinh", 90),
    ("cstd-co-so", 80),
    ("co-thi-dua-tinh", 80),
    ("co-thi-dua-chinh-phu", 80),
]

# item, recipient, option, kind, years, through, min_rating, ref_title, count, initiative_level,
# only_merit, severity, article, unverified
PREREQUISITES = [
    ("lao-dong-tien-tien", IND, 1, "rating", 1, True, "httnv", None, 1, "", False, "hard",
     f"Điểm a Khoản 1 Điều 24 {LAW}", False),
    ("cstd-co-so", IND, 1, "rating", 1, True, "htxsnv", None, 1, "", False, "hard",
     f"Điều 23 {LAW}", False),
    ("cstd-co-so", IND, 2, "rating", 1, True, "httnv", None, 1, "", False, "hard",
     f"Điều 23 {LAW}", False),
    ("cstd-co-so", IND, 2, "initiatives", 1, True, "", None, 1, "unit", False, "hard",
     f"Điều 23 {LAW}", False),
    ("cstd-tinh", IND, 1, "chain", 3, True, "", "cstd-co-so", 1, "", False, "hard",
     f"Điều 22 {LAW}", True),
    ("cstd-tinh", IND, 1, "initiatives", 3, True, "", None, 1, "province", False, "hard",
     f"Điều 22 {LAW}", True),
    ("cstd-toan-quoc", IND, 1, "chain", 2, True, "", "cstd-tinh", 1, "", False, "hard",
     f"Điều 21 {LAW}", False),
    ("cstd-toan-quoc", IND, 1, "initiatives", 6, True, "", None, 1, "national", False, "hard",
     f"Điều 21 {LAW}", True),
    ("tap-the-lao-dong-tien-tien", COL, 1, "rating", 1, True, "httnv", None, 1, "", False,
     "soft", f"Điều 28 {LAW}", True),
    ("tap-the-lao-dong-xuat-sac", COL, 1, "rating", 1, True, "htxsnv", None, 1, "", False,
     "soft", f"Điều 27 {LAW}", True),
    ("bang-khen-tinh", IND, 1, "chain", 2, True, "", "cstd-co-so", 1, "", True, "soft",
     f"Điều 74 {LAW}", False),
    ("bang-khen-tinh", IND, 2, "rating", 2, True, "htxsnv", None, 1, "", True, "soft",
     f"Điều 74 {LAW}", False),
    ("bang-khen-tinh", IND, 2, "initiatives", 2, True, "", None, 2, "unit", True, "soft",
     f"Điều 74 {LAW}", False),
    ("bang-khen-tinh", COL, 1, "rating", 2, True, "htxsnv", None, 1, "", True, "soft",
     f"Điều 74 {LAW}", False),
    ("bang-khen-tinh", COL, 2, "chain", 2, True, "", "tap-the-lao-dong-xuat-sac", 1, "", True,
     "soft", f"Điều 74 {LAW}", False),
]

# title, kind, percent, count, ref_title, min_rating, discipline_level, article, unverified
COLLECTIVE = [
    ("tap-the-lao-dong-tien-tien", "member_share", 70, None, "lao-dong-tien-tien", "", "",
     f"Điều 28 {LAW}", True),
    ("tap-the-lao-dong-tien-tien", "no_member_disciplined", None, None, None, "", "warning",
     f"Điều 28 {LAW}", False),
    ("tap-the-lao-dong-xuat-sac", "all_members_rated", None, None, None, "htnv", "",
     f"Điều 27 {LAW}", False),
    ("tap-the-lao-dong-xuat-sac", "member_share", 70, None, "lao-dong-tien-tien", "", "",
     f"Điều 27 {LAW}", False),
    ("tap-the-lao-dong-xuat-sac", "member_count", None, 1, "cstd-co-so", "", "",
     f"Điều 27 {LAW}", False),
]

# code, severity, article, unverified, note, enabled, rule sets
GENERAL = [
    ("freeze", "hard", f"{LAW}; {ND98}", True,
     "Nguyên tắc tạm dừng xét được nêu rõ tại Khoản 4 Điều 4 NĐ 152/2025; điều khoản tương ứng "
     "thời NĐ 98/2023 chưa xác minh.", True, ("2024",)),
    ("freeze", "hard", f"Khoản 4 Điều 4 {ND152}", False, "", True, ("2025",)),
    ("discipline", "hard", f"{LAW}; {ND98}", True, "", True, ("2024",)),
    ("discipline", "hard", f"Khoản 4 Điều 4 {ND152}", False,
     "Sau khi hết thời hạn kỷ luật, thành tích được tính từ khi hết thời hạn.", True, ("2025",)),
    ("once", "hard", f"Điều 5 {LAW}", False,
     "Không khen thưởng nhiều lần, nhiều hình thức cho một thành tích.", True, ("2024", "2025")),
    ("one_form", "soft", f"Điều 5 {LAW}", False,
     "Cần giải trình nếu cùng một năm, cùng loại khen đã có hình thức khác.", True,
     ("2024", "2025")),
    ("initiative_once", "hard", "Công văn 5007/BNV-TĐKT năm 2023", False,
     "Sáng kiến đã làm căn cứ cho danh hiệu không dùng lại cho hình thức khen thưởng và ngược "
     "lại; dùng lại cho các danh hiệu kế tiếp chưa bị cấm rõ.", True, ("2024", "2025")),
    ("no_stacking", "hard", f"Khoản 3 Điều 4 {ND152}", False, "", True, ("2025",)),
    ("duplicate_nomination", "hard", f"Điều 5 {LAW}", False, "", True, ("2024", "2025")),
    ("registration", "hard", "NĐ 91/2017/NĐ-CP (nguyên tắc đăng ký thi đua kế thừa)", True,
     "Điều khoản hiện hành theo NĐ 152/2025, TT 15/2025 chưa xác minh; tỉnh có thể tắt.", True,
     ("2024", "2025")),
    ("dissolved", "hard", "TT 15/2025/TT-BNV", True,
     "Chi tiết (kể cả việc tính thành tích của đơn vị bị sáp nhập cho đơn vị kế thừa) chưa xác "
     "minh với nguyên văn TT 15/2025/TT-BNV.", True, ("2025",)),
]

BASE_SALARIES = [
    (1_800_000, datetime.date(2023, 7, 1), "NĐ 24/2023/NĐ-CP", True),
    (2_340_000, datetime.date(2024, 7, 1), "NĐ 73/2024/NĐ-CP", False),
]


def _item_fields(row, position):
    code, name, abbr, level, recipients, timings, article, criteria, prereq, unverified, note = row
    return dict(
        code=code,
        name=name,
        abbreviation=abbr,
        level=level,
        for_individual=IND in recipients,
        for_collective=COL in recipients,
        for_household=HH in recipients,
        yearly="yearly" in timings,
        by_campaign="by_campaign" in timings,
        ad_hoc="ad_hoc" in timings,
        merit="merit" in timings,
        career="career" in timings,
        legal_article=article,
        criteria=criteria,
        prerequisites=prereq,
        is_unverified=unverified,
        note=note,
        position=position,
    )


def seed(apps, schema_editor):
    title_model = apps.get_model("awards", "EmulationTitle")
    form_model = apps.get_model("awards", "AwardForm")
    rule_set_model = apps.get_model("awards", "RuleSet")
    get = {name: apps.get_model("awards", name) for name in (
        "AuthorityRule", "MoneyRule", "VoteRule", "PrerequisiteRule", "CollectiveRule",
        "GeneralRule", "BaseSalary",
    )}

    titles = {
        row[0]: title_model.objects.create(**_item_fields(row, i))
        for i, row in enumerate(TITLES, start=1)
    }
    forms = {
        row[0]: form_model.objects.create(**_item_fields(row, i))
        for i, row in enumerate(FORMS, start=1)
    }

    def item(code):
        return {"title": titles[code]} if code in titles else {"award_form": forms[code]}

    rule_sets = {key: rule_set_model.objects.create(**fields) for key, fields in RULE_SETS.items()}

    for decider, codes, article, unverified, keys in AUTHORITY:
        for key in keys:
            for code in codes:
                get["AuthorityRule"].objects.create(
                    rule_set=rule_sets[key], decider=decider, article=article,
                    is_unverified=unverified, **item(code),
                )

    for code, kind, multiplier in TITLE_MONEY:
        get["MoneyRule"].objects.create(
            rule_set=rule_sets["2025"], recipient_kind=kind, multiplier=Decimal(multiplier),
            article=f"Điều 50 {ND152}", **item(code),
        )
        get["MoneyRule"].objects.create(
            rule_set=rule_sets["2024"], recipient_kind=kind, multiplier=Decimal(multiplier),
            article=ND98, is_unverified=True, **item(code),
        )
    for code, kind, multiplier in FORM_MONEY_COLLECTIVE:
        get["MoneyRule"].objects.create(
            rule_set=rule_sets["2025"], recipient_kind=kind, multiplier=Decimal(multiplier),
            article=f"Điều 51, 52, 54 {ND152}", **item(code),
        )
        get["MoneyRule"].objects.create(
            rule_set=rule_sets["2024"], recipient_kind=kind, multiplier=Decimal(multiplier),
            article=ND98, is_unverified=True, **item(code),
        )
    for code, kind, multiplier in FORM_MONEY_INDIVIDUAL:
        get["MoneyRule"].objects.create(
            rule_set=rule_sets["2025"], recipient_kind=kind, multiplier=Decimal(multiplier),
            article=f"Điều 53, 54 {ND152}", is_unverified=True, **item(code),
        )
        get["MoneyRule"].objects.create(
            rule_set=rule_sets["2024"], recipient_kind=kind, multiplier=Decimal(multiplier),
            article=ND98, **item(code),
        )

    for code, threshold in VOTES:
        get["VoteRule"].objects.create(
            rule_set=rule_sets["2024"], threshold_percent=threshold, secret_ballot=True,
            article=f"Khoản 7 Điều 30 {ND98}", **item(code),
        )
        get["VoteRule"].objects.create(
            rule_set=rule_sets["2025"], threshold_percent=threshold, secret_ballot=True,
            article=f"{ND152} (giữ như Khoản 7 Điều 30 {ND98})", is_unverified=True, **item(code),
        )

    for rule_set in rule_sets.values():
        for (code, kind, option, pkind, years, through, rating, ref, count, level, only_merit,
             severity, article, unverified) in PREREQUISITES:
            get["PrerequisiteRule"].objects.create(
                rule_set=rule_set, recipient_kind=kind, option=option, kind=pkind, years=years,
                through_candidate_year=through, min_rating=rating,
                ref_title=titles[ref] if ref else None, count=count, initiative_level=level,
                only_merit=only_merit, severity=severity, article=article,
                is_unverified=unverified, **item(code),
            )
        for (code, kind, percent, count, ref, rating, discipline, article,
             unverified) in COLLECTIVE:
            get["CollectiveRule"].objects.create(
                rule_set=rule_set, kind=kind, percent=percent, count=count,
                ref_title=titles[ref] if ref else None, min_rating=rating,
                discipline_level=discipline, article=article, is_unverified=unverified,
                **item(code),
            )

    for code, severity, article, unverified, note, enabled, keys in GENERAL:
        for key in keys:
            get["GeneralRule"].objects.create(
                rule_set=rule_sets[key], code=code, severity=severity, article=article,
                is_unverified=unverified, note=note, enabled=enabled,
            )

    for amount, valid_from, basis, unverified in BASE_SALARIES:
        get["BaseSalary"].objects.create(
            amount=amount, valid_from=valid_from, legal_basis=basis, is_unverified=unverified
        )


SEEDED = (
    "EmulationTitle",
    "AwardForm",
    "RuleSet",
    "AuthorityRule",
    "MoneyRule",
    "VoteRule",
    "PrerequisiteRule",
    "CollectiveRule",
    "GeneralRule",
    "BaseSalary",
)


def baseline_history(apps, schema_editor):
    """A first history row per seeded record, so later amendments show what they changed."""
    now = timezone.now()
    for name in SEEDED:
        model = apps.get_model("awards", name)
        historical = apps.get_model("awards", f"Historical{name}")
        historical.objects.bulk_create(
            historical(
                **{field.attname: getattr(row, field.attname) for field in model._meta.concrete_fields},
                history_date=now,
                history_type="+",
                history_change_reason="awards.seed: domain.md",
            )
            for row in model.objects.all()
        )


def unseed(apps, schema_editor):
    for name in reversed(SEEDED):
        apps.get_model("awards", f"Historical{name}").objects.all().delete()
        apps.get_model("awards", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial")]

    operations = [
        migrations.RunPython(seed, unseed),
        migrations.RunPython(baseline_history, migrations.RunPython.noop),
    ]
