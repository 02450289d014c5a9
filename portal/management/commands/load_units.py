"""manage.py load_units: the national catalogue of administrative units, from the package."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal import loaders


class Command(BaseCommand):
    help = (
        "Nạp danh mục đơn vị hành chính (gói vietnam-provinces): một hoặc vài tỉnh, thành phố "
        "theo mã hoặc tên, hoặc --all; --legacy nạp thêm cấu trúc ba cấp trước 01/07/2025."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "provinces",
            nargs="*",
            metavar="TỈNH",
            help="Mã (ví dụ 75) hoặc tên (ví dụ “Đồng Nai”, không phân biệt dấu, hoa thường).",
        )
        parser.add_argument(
            "--all",
            dest="every_province",
            action="store_true",
            help="Nạp toàn bộ 34 tỉnh, thành phố.",
        )
        parser.add_argument(
            "--legacy",
            action="store_true",
            help="Nạp thêm tỉnh, huyện, xã trước 01/07/2025 và liên kết với đơn vị hiện nay.",
        )

    def handle(
        self, *args, provinces: list[str], every_province: bool, legacy: bool, **options
    ) -> None:
        if every_province and provinces:
            raise CommandError("Chỉ chọn một trong hai: danh sách tỉnh, thành phố hoặc --all.")
        if not every_province and not provinces:
            raise CommandError("Hãy nêu một tỉnh, thành phố (mã hoặc tên) hoặc dùng --all.")
        if every_province:
            chosen = loaders.all_provinces()
        else:
            try:
                chosen = [loaders.find_province(query) for query in provinces]
            except loaders.UnknownProvince as error:
                raise CommandError(str(error)) from error
        started = time.monotonic()
        report = loaders.load_units(chosen, legacy_too=legacy)
        names = ", ".join(p.name for p in chosen) if len(chosen) <= 3 else f"{len(chosen)} tỉnh"
        self.stdout.write(f"Danh mục đơn vị hành chính – {names}:")
        for line in report.lines():
            self.stdout.write(f"  {line}")
        seconds = f"{time.monotonic() - started:.1f}".replace(".", ",")  # the decimal comma
        self.stdout.write(f"Xong sau {seconds} giây.")
