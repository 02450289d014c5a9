"""Run the reminder planner and/or hand today's digests to the workers, as beat would."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from portal import tasks


class Command(BaseCommand):
    help = "Lập nhắc việc trong ngày (--plan) và/hoặc gửi bản tin đã đến giờ (--send)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--plan", action="store_true", help="Lập nhắc việc (như beat mỗi giờ).")
        parser.add_argument("--send", action="store_true", help="Gửi bản tin đã đến giờ.")

    def handle(self, *args, plan: bool, send: bool, **options) -> None:
        if not plan and not send:
            plan = send = True
        if plan:
            self.stdout.write(f"Lập nhắc việc: {tasks.plan_reminders()}")
        if send:
            self.stdout.write(f"Gửi bản tin: {tasks.send_due_digests()}")
