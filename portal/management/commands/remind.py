"""Run the reminder planner and/or hand the digests to the workers, as beat would.

`--now` sends without waiting for each person's digest hour; `--day` plans and sends as on
another day (e.g. after the escalation grace period, to rehearse the demo's walk).
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.background import tasks


def parse_day(value: str) -> datetime.date:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise CommandError(f"Ngày “{value}” không hợp lệ: ghi theo dạng dd/mm/yyyy.")


class Command(BaseCommand):
    help = (
        "Lập nhắc việc trong ngày (--plan) và/hoặc gửi bản tin đã đến giờ (--send); "
        "--now gửi ngay không chờ giờ nhận bản tin, --day dd/mm/yyyy chạy như vào ngày đó."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--plan", action="store_true", help="Lập nhắc việc (như beat mỗi giờ).")
        parser.add_argument("--send", action="store_true", help="Gửi bản tin đã đến giờ.")
        parser.add_argument(
            "--now",
            action="store_true",
            help="Gửi bản tin hôm nay cho mọi người có nhắc việc, không chờ giờ nhận bản tin.",
        )
        parser.add_argument(
            "--day",
            type=parse_day,
            help="Lập và gửi như vào ngày này (dd/mm/yyyy), không chờ giờ nhận bản tin.",
        )

    def handle(self, *args, plan: bool, send: bool, now: bool, day, **options) -> None:
        if not plan and not send:
            plan = send = True
        if now and day is None:
            day = timezone.localdate()
        iso = day.isoformat() if day else None
        shown = f"{day or timezone.localdate():%d/%m/%Y}"
        if plan:
            planned = tasks.plan_reminders(iso)
            self.stdout.write(
                f"Lập nhắc việc ngày {shown}: đang có lượt lập khác, bỏ qua."
                if planned.get("skipped")
                else f"Lập nhắc việc ngày {shown}: {planned['items']} việc đến hạn, "
                f"{planned['created']} lượt nhắc mới."
            )
        if send:
            sent = tasks.send_due_digests(iso)
            self.stdout.write(
                f"Gửi bản tin ngày {shown}: đang có lượt gửi khác, bỏ qua."
                if sent.get("skipped")
                else f"Gửi bản tin ngày {shown}: {sent['due']} người đến giờ nhận, "
                f"{sent['queued']} bản tin đã chuyển đi gửi."
            )
