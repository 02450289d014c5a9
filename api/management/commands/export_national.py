"""`manage.py export_national --unit 75 --year 2025 [--out file.jsonl]`: the national export
(api.exchange.national) as a system administrator runs it for reporting upward."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from api.exchange.national import national_lines
from portal.models import Unit, User


class Command(BaseCommand):
    help = "Xuất khen thưởng và quyết định của một năm (JSON Lines) để báo cáo cấp trên."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="mã đơn vị (hoặc id)")
        parser.add_argument("--year", required=True, type=int, help="năm thành tích")
        parser.add_argument("--as-user", default="", help="tài khoản xuất (mặc định: quản trị)")
        parser.add_argument("--out", default="", help="tệp ghi ra (mặc định: màn hình)")

    def handle(self, *args, unit, year, as_user, out, **options):
        found = Unit.objects.filter(code=unit).order_by("depth").first()
        if found is None and unit.isdigit():
            found = Unit.objects.filter(pk=int(unit)).first()
        if found is None:
            raise CommandError(f"Không có đơn vị “{unit}”.")
        users = User.objects.filter(is_active=True)
        actor = (
            users.filter(username=as_user).first()
            if as_user
            else users.filter(is_superuser=True).order_by("pk").first()
        )
        if actor is None:
            raise CommandError("Không có tài khoản để xuất (cần --as-user hoặc một quản trị).")
        stream = open(out, "w", encoding="utf-8") if out else sys.stdout  # noqa: SIM115
        try:
            count = 0
            for line in national_lines(found, year, actor=actor):
                stream.write(line + "\n")
                count += 1
        finally:
            if out:
                stream.close()
        self.stderr.write(f"Đã xuất {count} dòng.")
