"""A day's digests for 5,000 people, planned and sent by 4 worker processes: `make bench`.

`python -m tests.bench.digest_run` seeds the province world into its own database
(BENCH_DATABASE_URL plus `_digests`, tests/bench/world.py), makes every one of its 5,000
officials an officer of their unit with an e-mail address, and clears the day's outbox. Then,
timed together: the planner writes the day's reminders from a source of BENCH_DIGEST_ITEMS
due items (20,000: about ten a unit) spread over the units, and BENCH_DIGEST_WORKERS
processes (4) send the digests. Each worker takes its share of the people and, as a
redelivered Celery message would, a tenth of its neighbour's share again: the claim must let
each digest go once. Afterwards it counts the mails the workers sent, the digests marked sent
and the reminders left behind: none lost, none doubled. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ITEMS = int(os.environ.get("BENCH_DIGEST_ITEMS", "20000"))
WORKERS = int(os.environ.get("BENCH_DIGEST_WORKERS", "4"))
KIND = "bench.synthetic"
ROOT = Path(__file__).resolve().parents[2]


def _setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()


def worker(url: str, ids_file: str, index: int, day: str) -> int:
    """Send the digests of this worker's share; print what it sent and its query count."""
    _setup(url)
    from django.core import mail

    from portal.background import digests

    ready = time.time()
    ids = json.loads(Path(ids_file).read_text())
    share = ids[index::WORKERS]
    neighbour = ids[(index + 1) % WORKERS :: WORKERS]
    again = neighbour[: len(neighbour) // 10]
    when = datetime.date.fromisoformat(day)
    sent = 0
    # As the send sweep hands them over: batches of BATCH_SIZE people, one task each.
    tried = share + again
    for start in range(0, len(tried), digests.BATCH_SIZE):
        batch = tried[start : start + digests.BATCH_SIZE]
        sent += sum(o.sent for o in digests.send_digests(batch, when).values())
    print(
        json.dumps(
            {
                "sent": sent,
                "mails": len(mail.outbox),
                "tried": len(share + again),
                "ready": ready,
                "done": time.time(),
                "cpu": time.process_time(),
            }
        )
    )
    return 0


def main() -> int:
    from tests.bench.web import _seed

    base = os.environ.get("BENCH_DATABASE_URL") or os.environ["DATABASE_URL"]
    url = f"{base}_digests"
    facts = _seed(1, url)
    _setup(url)
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.db.models import F, Value
    from django.db.models.functions import Concat
    from django.utils import timezone

    from portal.access import Cap
    from portal.background import digests, reminders
    from portal.background.reminders import ReminderSource
    from portal.models import (
        Digest,
        DigestStatus,
        Membership,
        Notification,
        Reminder,
        ReminderStatus,
        Role,
        Unit,
        User,
    )

    today = timezone.localdate()
    people = User.objects.filter(username__startswith="quymo").exclude(username="quymo-bench")
    people.update(email=Concat(F("username"), Value("@thidua.test")))
    officers = set(
        Membership.objects.filter(user__in=people, role=Role.OFFICER).values_list("user", flat=True)
    )
    Membership.objects.bulk_create(
        [
            Membership(user_id=user_id, unit_id=unit_id, role=Role.OFFICER)
            for user_id, unit_id in Membership.objects.filter(user__in=people)
            .exclude(user__in=officers)
            .values_list("user", "unit")
        ]
    )
    Notification.objects.filter(digest__isnull=False).delete()
    Reminder.objects.all().delete()
    Digest.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE portal_reminder")

    unit_ids = list(
        Unit.objects.filter(path__startswith=Unit.objects.get(pk=facts["province"]).path)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    type_id = ContentType.objects.get_for_model(Unit).pk
    reminders._SOURCES = {
        KIND: ReminderSource(
            kind=KIND,
            label="Việc thử nghiệm",
            due_items=_due_items(unit_ids, type_id),
            caps=(Cap.MANAGE_CAMPAIGN,),
        )
    }
    started = time.perf_counter()
    planned = reminders.plan_reminders(today)
    plan_seconds = time.perf_counter() - started
    evening = timezone.make_aware(datetime.datetime.combine(today, datetime.time(23, 0)))
    day, due_users = digests.recipients_due(evening)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(due_users, handle)
    began = time.perf_counter()
    began_at = time.time()
    processes = [
        subprocess.Popen(
            [PY, "-m", "tests.bench.digest_run", "--worker", str(i), handle.name, day.isoformat()],
            cwd=ROOT,
            env=os.environ | {"DATABASE_URL": url},
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(WORKERS)
    ]
    results = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in processes]
    send_seconds = time.perf_counter() - began
    os.unlink(handle.name)

    sent = sum(r["sent"] for r in results)
    mails = sum(r["mails"] for r in results)
    marked = Digest.objects.filter(day=day, status=DigestStatus.SENT).count()
    # A person without an e-mail address gets the notification only: compare mails to the
    # digests that were e-mailed.
    emailed = Digest.objects.filter(day=day, status=DigestStatus.SENT, emailed=True).count()
    left = (
        Reminder.objects.with_status()
        .filter(remind_on=today, status__in=[ReminderStatus.PENDING, ReminderStatus.SENDING])
        .count()
    )
    load = os.getloadavg()
    print(f"\n## A day's digests, {WORKERS} worker processes (load average {load[0]:.1f})")
    print(
        f"planned {planned.items:,} due items into {planned.created:,} reminders "
        f"for {len(due_users):,} people in {plan_seconds:.1f} s"
    )
    print(
        f"sent {sent:,} digests ({mails:,} mails) in {send_seconds:.1f} s; "
        f"plan and send {plan_seconds + send_seconds:.1f} s (target < 60 s)"
    )
    tried = sum(r["tried"] for r in results)
    # A Celery worker is up before the beat hands it work: how long the processes took to
    # load Django is told apart from the sending itself (both are in the time above).
    loading = max(r["ready"] for r in results) - began_at
    sending = max(r["done"] for r in results) - min(r["ready"] for r in results)
    print(
        f"of which the workers loaded Django in up to {loading:.1f} s and sent in {sending:.1f} s, "
        f"using {sum(r['cpu'] for r in results):.1f} s of CPU in all"
    )
    print(
        f"claims tried {tried:,} (a tenth of each share twice); digests marked sent {marked:,}; "
        f"lost {len(due_users) - marked}, mails {mails:,} for {emailed:,} e-mailed digests "
        f"(doubled {mails - emailed}), reminders left {left}"
    )
    return 0


def _due_items(unit_ids: list[int], type_id: int):
    from portal.background.reminders import DueItem

    def due_items(today: datetime.date):
        for i in range(ITEMS):
            due_on = today + datetime.timedelta(days=i % 30 - 10)
            yield DueItem(
                kind=KIND,
                target_type_id=type_id,
                target_id=i + 1,
                unit_id=unit_ids[i % len(unit_ids)],
                title=f"Việc thử nghiệm số {i + 1}",
                url=f"/thu-nghiem/{i + 1}/",
                due_on=due_on,
                overdue=due_on < today,
            )

    return due_items


PY = sys.executable

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", type=int)
    parser.add_argument("rest", nargs="*")
    args = parser.parse_args()
    if args.worker is not None:
        ids_file, day = args.rest
        sys.exit(worker(os.environ["DATABASE_URL"], ids_file, args.worker, day))
    sys.exit(main())
