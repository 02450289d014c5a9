"""manage.py load_demo: the demo world for a first run (refused in production)."""

from __future__ import annotations

import importlib
import importlib.util
import time

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal import demo
from portal.background.reminders import plan_reminders


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu (Thành phố Đồng Nai, cơ quan, cụm khối, cá nhân, tài khoản mẫu); "
        "chỉ dùng khi DEBUG bật. Chạy lại không tạo trùng."
    )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "Không nạp dữ liệu mẫu khi DEBUG tắt: đây có thể là hệ thống thật. "
                "Bật DEBUG=1 trên máy phát triển rồi chạy lại."
            )
        started = time.monotonic()
        demo.load(stdout=self.stdout)
        # Each app may bring its own demo (campaigns, pledges, awards...): `<app>.demo.load`.
        for config in apps.get_app_configs():
            if config.name == "portal" or importlib.util.find_spec(f"{config.name}.demo") is None:
                continue
            loader = getattr(importlib.import_module(f"{config.name}.demo"), "load", None)
            if callable(loader):
                loader(stdout=self.stdout)
        # Today's reminders, so that each login's home page shows its to-do list at once
        # rather than after beat's first hourly run.
        planned = plan_reminders()
        self.stdout.write(
            f"Nhắc việc hôm nay: {planned.items} việc, {planned.created} lượt nhắc mới."
        )
        # The decimal comma, as on every page: "18,1 giây".
        seconds = f"{time.monotonic() - started:.1f}".replace(".", ",")
        self.stdout.write(f"Dữ liệu mẫu sẵn sàng sau {seconds} giây.")
        self.stdout.write("")
        self.stdout.write("Tài khoản mẫu:")
        self.stdout.write(demo.login_table())
