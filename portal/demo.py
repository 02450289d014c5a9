"""The demo world of `manage.py load_demo`: Đồng Nai as the package has it, plus invented content.

Real: the city and its 95 communes and wards (portal.loaders). Invented: departments and a few
bodies under them, offices and villages under three wards, clusters and blocs with this year's
head and deputy, a person or two per unit, and one login per role with a known password.

Everything is keyed on stable codes, bloc names and user names, so a second run adds nothing;
the demo passwords are reset on every run. Other apps' demos (`<app>.demo.load`) run after this
one and find what they need through `demo_province()`, `demo_unit()` and `DEMO_USERS`.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from portal import loaders, services
from portal.documents.demo import load_demo_documents
from portal.models import (
    AGENCY_KINDS,
    BlocKind,
    CodeScheme,
    Gender,
    Membership,
    Person,
    Post,
    PostRank,
    Role,
    Unit,
    UnitKind,
    User,
)

PROVINCE_CODE = "75"
DEMO_PASSWORD = "ThiDua@2026"
DEMO_MAIL_DOMAIN = "dongnai.thidua.example"


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str  # a Role value, or "admin" for the system administrator
    unit_code: str  # "75" is the city; others are ward codes or local agency codes
    position: str = ""
    gender: str = Gender.MALE

    @property
    def role_label(self) -> str:
        return "Quản trị hệ thống" if self.role == "admin" else Role(self.role).label


WARD_LONG_KHANH = "26080"

DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("quantri", "Quản trị hệ thống", "admin", PROVINCE_CODE),
    DemoUser(
        "lanhdao_tinh", "Nguyễn Văn Thành", Role.LEADER, PROVINCE_CODE, "Chủ tịch UBND thành phố"
    ),
    DemoUser(
        "canbo_tinh",
        "Trần Thị Thu Hà",
        Role.OFFICER,
        PROVINCE_CODE,
        "Chuyên viên Văn phòng UBND thành phố",
        Gender.FEMALE,
    ),
    DemoUser(
        "noivu",
        "Lê Thị Ngọc Lan",
        Role.REVIEWER,
        PROVINCE_CODE,
        "Trưởng Ban Thi đua - Khen thưởng, Sở Nội vụ",
        Gender.FEMALE,
    ),
    DemoUser(
        "hoidong", "Phạm Minh Đức", Role.COUNCIL_MEMBER, PROVINCE_CODE, "Phó Giám đốc Sở Nội vụ"
    ),
    DemoUser(
        "xem", "Đỗ Thị Mai", Role.VIEWER, PROVINCE_CODE, "Chuyên viên Thanh tra", Gender.FEMALE
    ),
    DemoUser(
        "lanhdao_longkhanh",
        "Võ Văn Hùng",
        Role.LEADER,
        WARD_LONG_KHANH,
        "Chủ tịch UBND phường",
    ),
    DemoUser(
        "canbo_longkhanh",
        "Huỳnh Thị Kim Thoa",
        Role.OFFICER,
        WARD_LONG_KHANH,
        "Công chức Văn hóa - Xã hội",
        Gender.FEMALE,
    ),
    # The ward confers its own titles (NĐ 129/2025): its văn phòng plays the Nội vụ role and
    # keeps the council's secretariat; three members of its Hội đồng Thi đua - Khen thưởng vote.
    DemoUser(
        "vanphong_longkhanh",
        "Phan Thị Thanh Vân",
        Role.REVIEWER,
        WARD_LONG_KHANH,
        "Chánh Văn phòng HĐND và UBND phường",
        Gender.FEMALE,
    ),
    DemoUser(
        "hoidong_longkhanh1",
        "Nguyễn Hữu Lộc",
        Role.COUNCIL_MEMBER,
        WARD_LONG_KHANH,
        "Phó Chủ tịch UBND phường, Phó Chủ tịch Hội đồng TĐKT",
    ),
    DemoUser(
        "hoidong_longkhanh2",
        "Lê Thị Bích Ngọc",
        Role.COUNCIL_MEMBER,
        WARD_LONG_KHANH,
        "Chủ tịch Ủy ban MTTQ Việt Nam phường",
        Gender.FEMALE,
    ),
    DemoUser(
        "hoidong_longkhanh3",
        "Trịnh Quốc Bảo",
        Role.COUNCIL_MEMBER,
        WARD_LONG_KHANH,
        "Chủ tịch Công đoàn phường",
    ),
)

# (code, name, abbreviation): departments of the city government after the 2025 reorganisation.
DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    ("75-SNV", "Sở Nội vụ", "SNV"),
    ("75-SGDDT", "Sở Giáo dục và Đào tạo", "SGDĐT"),
    ("75-SYT", "Sở Y tế", "SYT"),
    ("75-STC", "Sở Tài chính", "STC"),
    ("75-SCT", "Sở Công Thương", "SCT"),
    ("75-SXD", "Sở Xây dựng", "SXD"),
    ("75-SNNMT", "Sở Nông nghiệp và Môi trường", "SNNMT"),
    ("75-SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL"),
    ("75-SKHCN", "Sở Khoa học và Công nghệ", "SKHCN"),
    ("75-STP", "Sở Tư pháp", "STP"),
)
# (parent code, code, kind, name, abbreviation)
SUB_AGENCIES: tuple[tuple[str, str, str, str, str], ...] = (
    ("75-SNV", "75-BTDKT", UnitKind.OFFICE, "Ban Thi đua - Khen thưởng", "BTĐKT"),
    ("75-SGDDT", "75-THPTNQ", UnitKind.PUBLIC_SERVICE, "Trường THPT Ngô Quyền", "THPTNQ"),
    ("75-SYT", "75-BVDK", UnitKind.PUBLIC_SERVICE, "Bệnh viện Đa khoa Đồng Nai", "BVĐK"),
    ("75", "75-LDLD", UnitKind.MASS_ORGANISATION, "Liên đoàn Lao động thành phố", "LĐLĐ"),
)
# Wards that get offices and villages of their own (a ward, a ward in Biên Hòa, a commune).
WARDS_WITH_DETAIL = (WARD_LONG_KHANH, "26041", "26425")

# (name, kind, member codes in order): the first member heads this year, the second deputises.
BLOCS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Cụm thi đua số 1", BlocKind.CLUSTER, ("26041", "26068", "26017", "26020", "26005", "25993")),
    (
        "Cụm thi đua số 2",
        BlocKind.CLUSTER,
        (WARD_LONG_KHANH, "26089", "26098", "26104", "26113", "26425"),
    ),
    ("Cụm thi đua số 3", BlocKind.CLUSTER, ("25210", "25195", "25217", "25220", "25326", "25333")),
    (
        "Khối các sở kinh tế",
        BlocKind.BLOC,
        ("75-STC", "75-SCT", "75-SXD", "75-SNNMT", "75-SKHCN"),
    ),
    (
        "Khối các sở văn hóa - xã hội",
        BlocKind.BLOC,
        ("75-SNV", "75-SGDDT", "75-SYT", "75-SVHTTDL", "75-STP"),
    ),
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Repeats weight the draw towards the commonest names.
SURNAMES = _words(
    "Nguyễn Nguyễn Nguyễn Trần Trần Lê Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô "
    "Dương Lý Mai Trịnh Đinh Lâm Cao Tạ"
)
MIDDLE = {
    Gender.MALE: _words("Văn Văn Hữu Đức Minh Quốc Thanh Công Tấn"),
    Gender.FEMALE: _words("Thị Thị Thị Ngọc Thu Thanh Kim Mỹ Bích"),
}
GIVEN = {
    Gender.MALE: _words(
        "Hùng Dũng Tuấn Nam Long Phúc Tài Khang Hải Sơn Bình An Trung Hiếu Khoa Lộc "
        "Nghĩa Quang Thắng Vinh"
    ),
    Gender.FEMALE: _words(
        "Lan Hương Hoa Mai Linh Trang Thảo Nhung Hằng Yến Vy Ngân Hạnh Dung Nga "
        "Phương Trinh Uyên Loan Thủy"
    ),
}
# Đồng Nai is home to the Chơ Ro, Xtiêng and Mạ; Hoa, Nùng, Tày and Khơ-me live there too.
MINORITIES: dict[str, tuple[str, ...]] = {
    "Chơ Ro": ("Đào", "Lâm", "Thổ"),
    "Xtiêng": ("Điểu",),
    "Mạ": ("Điểu", "Ka"),
    "Hoa": ("Lý", "Trương", "Quách", "Lưu"),
    "Nùng": ("Hoàng", "Nông", "Lục"),
    "Tày": ("Nông", "Vi", "Hoàng"),
    "Khơ-me": ("Thạch", "Sơn", "Danh"),
}

# (position, is_manager, is_direct_worker) for the first and second person of each kind of unit.
STAFF: dict[str, tuple[tuple[str, bool, bool], ...]] = {
    "city": (
        ("Phó Chủ tịch UBND thành phố", True, False),
        ("Chuyên viên Văn phòng UBND thành phố", False, False),
    ),
    UnitKind.DEPARTMENT: (("Giám đốc Sở", True, False), ("Chuyên viên", False, False)),
    UnitKind.OFFICE: (("Trưởng phòng", True, False), ("Chuyên viên", False, False)),
    UnitKind.MASS_ORGANISATION: (("Chủ tịch", True, False), ("Cán bộ chuyên trách", False, False)),
    "school": (("Giáo viên", False, True), ("Giáo viên chủ nhiệm", False, True)),
    "hospital": (("Bác sĩ", False, True), ("Điều dưỡng", False, True)),
    "commune": (("Phó Chủ tịch UBND", True, False), ("Công chức Văn hóa - Xã hội", False, False)),
    "committee_office": (("Phó Chánh Văn phòng", True, False), ("Chuyên viên", False, False)),
    UnitKind.VILLAGE: (("Nông dân", False, True),),
    UnitKind.RESIDENTIAL_GROUP: (("Tổ trưởng tổ dân phố", False, False),),
}


def demo_province() -> Unit:
    return Unit.objects.get(code_scheme=CodeScheme.CURRENT, code=PROVINCE_CODE)


def demo_unit(code: str) -> Unit:
    """A demo unit by its code: a national code ("26080") or a local agency code ("75-SNV")."""
    scheme = CodeScheme.LOCAL if "-" in code else CodeScheme.CURRENT
    return Unit.objects.get(code_scheme=scheme, code=code)


def load(*, stdout: TextIO) -> None:
    """Build (or top up) the demo world; `stdout` receives a line per step."""
    province = loaders.find_province(PROVINCE_CODE)
    report = loaders.load_units([province])
    stdout.write(f"Đơn vị hành chính {province.name}:\n")
    for line in report.lines():
        stdout.write(f"  {line}\n")
    with transaction.atomic():
        admin = _users()
        created_units = _agencies(admin) + _ward_detail(admin)
        blocs = _blocs(admin)
        memberships = _memberships(admin)
        people = _people(admin)
        posts = _posts(admin)
    if created_units or blocs or memberships or people or posts:
        stdout.write(
            f"Dữ liệu mẫu: thêm {created_units} cơ quan, thôn, khu phố; {blocs} cụm, khối; "
            f"{memberships} phân quyền; {people} cá nhân; {posts} chức vụ lãnh đạo.\n"
        )
    else:
        stdout.write("Dữ liệu mẫu: không có thay đổi (đã nạp từ trước).\n")
    for document in load_demo_documents(demo_province(), actor=admin):
        stdout.write(
            f"Văn bản mẫu: {document.get_kind_display()} số {document.number_and_symbol}.\n"
        )


def login_table() -> str:
    """The demo logins as a plain-text table (printed by `make run`)."""
    units = {code: demo_unit(code).name for code in {u.unit_code for u in DEMO_USERS}}
    rows = [("Tên đăng nhập", "Mật khẩu", "Vai trò", "Đơn vị")] + [
        (
            u.username,
            DEMO_PASSWORD,
            u.role_label,
            "Toàn hệ thống" if u.role == "admin" else units[u.unit_code],
        )
        for u in DEMO_USERS
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
        + "  "
        + row[3]
        for row in rows
    ]
    lines.insert(1, "-" * (sum(widths) + 6 + max(len(row[3]) for row in rows)))
    return "\n".join(lines)


def _users() -> User:
    """Create the demo accounts (or reset them to their known passwords); return the admin."""
    admin = None
    for demo in DEMO_USERS:
        user = User.objects.filter(username=demo.username).first() or User(username=demo.username)
        is_admin = demo.role == "admin"
        wanted = {
            "full_name": demo.full_name,
            # A reserved domain: the digests of the demo land in the console or mail files.
            "email": f"{demo.username}@{DEMO_MAIL_DOMAIN}",
            "is_active": True,
            "is_staff": is_admin,
            "is_superuser": is_admin,
        }
        # Save only what differs, so a second run leaves no history rows behind.
        if user.pk is None or any(getattr(user, k) != v for k, v in wanted.items()):
            for key, value in wanted.items():
                setattr(user, key, value)
            user.set_password(DEMO_PASSWORD)
            user._change_reason = "portal.demo.user_reset"
            user.save()
        elif not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user._change_reason = "portal.demo.password_reset"
            user.save()
        if is_admin:
            admin = user
    return admin


def _ensure_unit(parent: Unit, *, actor: User, code: str, kind: str, name: str, **fields) -> int:
    if Unit.objects.filter(code_scheme=CodeScheme.LOCAL, code=code).exists():
        return 0
    services.create_unit(
        parent, actor=actor, kind=kind, name=name, code=code, code_scheme=CodeScheme.LOCAL, **fields
    )
    return 1


def _agencies(admin: User) -> int:
    province = demo_province()
    created = 0
    for code, name, abbreviation in DEPARTMENTS:
        created += _ensure_unit(
            province,
            actor=admin,
            code=code,
            kind=UnitKind.DEPARTMENT,
            name=name,
            short_name=name.removeprefix("Sở "),
            abbreviation=abbreviation,
        )
    for parent_code, code, kind, name, abbreviation in SUB_AGENCIES:
        parent = demo_unit(parent_code)
        if kind == UnitKind.MASS_ORGANISATION:
            name = f"{name} {province.short_name}"
        created += _ensure_unit(
            parent, actor=admin, code=code, kind=kind, name=name, abbreviation=abbreviation
        )
    return created


def _ward_detail(admin: User) -> int:
    created = 0
    for ward_code in WARDS_WITH_DETAIL:
        ward = demo_unit(ward_code)
        is_urban = ward.kind == UnitKind.WARD
        offices = (
            ("VP", "Văn phòng HĐND và UBND"),
            ("KTHTĐT", "Phòng Kinh tế, Hạ tầng và Đô thị") if is_urban else ("KT", "Phòng Kinh tế"),
            ("VHXH", "Phòng Văn hóa - Xã hội"),
        )
        for abbreviation, name in offices:
            created += _ensure_unit(
                ward,
                actor=admin,
                code=f"{ward_code}-{_ascii_code(abbreviation)}",
                kind=UnitKind.OFFICE,
                name=name,
                abbreviation=abbreviation,
            )
        for number in (1, 2, 3):
            kind = UnitKind.RESIDENTIAL_GROUP if is_urban else UnitKind.VILLAGE
            name = f"Khu phố {number}" if is_urban else f"Ấp {number}"
            created += _ensure_unit(
                ward, actor=admin, code=f"{ward_code}-{number:02d}", kind=kind, name=name
            )
    return created


def _ascii_code(text: str) -> str:
    """An ASCII code fragment: "KTHTĐT" → "KTHTDT"."""
    return text.replace("Đ", "D").replace("đ", "d")


def _blocs(admin: User) -> int:
    province = demo_province()
    year = timezone.localdate().year
    created = 0
    for name, kind, member_codes in BLOCS:
        bloc = province.blocs.filter(name=name).first()
        if bloc is None:
            bloc = services.create_bloc(province, actor=admin, kind=kind, name=name)
            created += 1
        members = [demo_unit(code) for code in member_codes]
        seated = set(bloc.members.values_list("unit_id", flat=True))
        for unit in members:
            if unit.pk not in seated:
                services.add_bloc_member(bloc, actor=admin, unit=unit)
        if not bloc.terms.filter(year=year).exists():
            services.set_bloc_term(bloc, actor=admin, year=year, head=members[0], deputy=members[1])
    return created


def _memberships(admin: User) -> int:
    created = 0
    for demo in DEMO_USERS:
        if demo.role == "admin":
            continue
        user = User.objects.get(username=demo.username)
        unit = demo_unit(demo.unit_code)
        if not Membership.objects.filter(user=user, unit=unit, role=demo.role).exists():
            services.grant_membership(unit, actor=admin, user=user, role=demo.role)
            created += 1
    return created


def _people(admin: User) -> int:
    """The demo users' own person records, then one or two invented people per unit."""
    province = demo_province()
    units = list(Unit.objects.subtree(province).current())
    existing = set(Person.objects.filter(unit__in=units).values_list("unit_id", "full_name"))
    created = 0
    for demo in DEMO_USERS:
        if demo.role == "admin":
            continue
        unit = demo_unit(demo.unit_code)
        if (unit.pk, demo.full_name) in existing:
            continue
        services.create_person(
            unit,
            actor=admin,
            full_name=demo.full_name,
            gender=demo.gender,
            birth_year=1975,
            position=demo.position,
            is_manager=demo.role == Role.LEADER,
            user=User.objects.get(username=demo.username),
        )
        existing.add((unit.pk, demo.full_name))
        created += 1
    for unit in units:
        for index, (position, manager, direct) in enumerate(_staff_of(unit, province)):
            rng = random.Random(f"{unit.code_scheme}:{unit.code}:{index}")
            gender, full_name, ethnicity = _invent_person(rng)
            if (unit.pk, full_name) in existing:
                continue
            services.create_person(
                unit,
                actor=admin,
                full_name=full_name,
                gender=gender,
                birth_year=rng.randint(1966, 1985) if manager else rng.randint(1970, 2001),
                ethnicity=ethnicity,
                position=position,
                is_manager=manager,
                is_direct_worker=direct,
            )
            existing.add((unit.pk, full_name))
            created += 1
    return created


# Demo users holding a post: (login, code of the unit of the post, rank, title). The ward's
# chairman heads it and a member of its council is his deputy; its Chánh Văn phòng heads the
# office that puts the ward's own proposals to him.
DEMO_POSTS: tuple[tuple[str, str, str, str], ...] = (
    ("lanhdao_tinh", PROVINCE_CODE, PostRank.HEAD, "Chủ tịch"),
    ("hoidong", "75-SNV", PostRank.DEPUTY, "Phó Giám đốc"),
    ("noivu", "75-BTDKT", PostRank.HEAD, "Trưởng Ban"),
    ("lanhdao_longkhanh", WARD_LONG_KHANH, PostRank.HEAD, "Chủ tịch"),
    ("hoidong_longkhanh1", WARD_LONG_KHANH, PostRank.DEPUTY, "Phó Chủ tịch"),
    ("vanphong_longkhanh", f"{WARD_LONG_KHANH}-VP", PostRank.HEAD, "Chánh Văn phòng"),
)
# The invented managers' posts, by the first words of their position.
INVENTED_POSTS: tuple[tuple[str, str, str], ...] = (
    ("Phó Chủ tịch", PostRank.DEPUTY, "Phó Chủ tịch"),
    ("Phó Chánh Văn phòng", PostRank.DEPUTY, "Phó Chánh Văn phòng"),
    ("Giám đốc", PostRank.HEAD, "Giám đốc"),
    ("Trưởng phòng", PostRank.HEAD, "Trưởng phòng"),
    ("Chủ tịch", PostRank.HEAD, "Chủ tịch"),
)
# Posts of units that existed before the 2025 reorganisation start with the 2021–2026 term.
TERM_START = datetime.date(2021, 7, 1)


def _posts(admin: User) -> int:
    """Who leads each demo unit: the demo users' posts, then each invented manager's."""
    created = 0
    wanted: list[tuple[Person, Unit, str, str]] = []
    for username, code, rank, title in DEMO_POSTS:
        unit = demo_unit(code)
        person = Person.objects.filter(user__username=username).first()
        if person is not None:
            wanted.append((person, unit, rank, title))
    managers = Person.objects.filter(
        unit__in=Unit.objects.subtree(demo_province()).current(), is_manager=True, user=None
    ).select_related("unit")
    for person in managers:
        match = next((m for m in INVENTED_POSTS if person.position.startswith(m[0])), None)
        if match is not None:
            wanted.append((person, person.unit, match[1], match[2]))
    for person, unit, rank, title in wanted:
        if Post.objects.filter(person=person, unit=unit).exists():
            continue
        if rank == PostRank.HEAD and Post.objects.filter(unit=unit, rank=rank).exists():
            continue
        services.appoint_post(
            unit,
            actor=admin,
            person=person,
            rank=rank,
            title=title,
            starts_on=max(unit.valid_from or TERM_START, TERM_START),
        )
        created += 1
    return created


def _staff_of(unit: Unit, province: Unit) -> tuple[tuple[str, bool, bool], ...]:
    if unit.pk == province.pk:
        return STAFF["city"]
    if unit.code == "75-THPTNQ":
        return STAFF["school"]
    if unit.code == "75-BVDK":
        return STAFF["hospital"]
    if unit.is_administrative:
        return STAFF["commune"]
    if unit.name.startswith("Văn phòng"):
        return STAFF["committee_office"]
    if unit.kind in STAFF:
        return STAFF[unit.kind]
    return STAFF[UnitKind.OFFICE] if unit.kind in AGENCY_KINDS else ()


def _invent_person(rng: random.Random) -> tuple[str, str, str]:
    """(gender, full name, ethnicity): mostly Kinh, about one in eight from a minority."""
    gender = rng.choice((Gender.MALE, Gender.FEMALE))
    if rng.random() < 0.125:
        ethnicity = rng.choice(sorted(MINORITIES))
        surname = rng.choice(MINORITIES[ethnicity])
    else:
        ethnicity, surname = "Kinh", rng.choice(SURNAMES)
    name = f"{surname} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"
    return gender, name, ethnicity
