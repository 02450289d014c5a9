"""Two hosts' worth of processes on one PostgreSQL and one Redis: nothing lost, nothing twice.

`python -m tests.bench.two_hosts` (part of `make bench`) loads the demo into its own database
(BENCH_DATABASE_URL plus `_two_hosts`) and its own Redis database (BENCH_REDIS_URL, db 9 by
default, emptied first), then starts what two application hosts run: two gunicorn servers and
two Celery workers, each pair as one host would. While both servers take page load (wrk, or a
Python load generator), it:
- issues DOCUMENTS drafts of one register through both servers at once (the register's row
  lock must hand out each number once, with no gap);
- fires the hourly planner and the digest sender twice each, as two beats would (their locks
  and claims must plan each reminder once and send each digest once);
- starts a certificate print of an issued award decision and hands the same job to the broker
  a second time, as a redelivered message would (the job's claim must run it once).

Afterwards it checks the register, the digests against the mails written by the workers, the
reminders left behind and the job row, prints the counts, and exits 1 if anything was lost or
done twice.
"""

from __future__ import annotations

import datetime
import http.client
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.bench.web import _ensure_database, _free_port

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
BIN = Path(PY).parent
DOCUMENTS = int(os.environ.get("BENCH_TWO_HOSTS_DOCUMENTS", "12"))
LOAD_SECONDS = int(os.environ.get("BENCH_TWO_HOSTS_SECONDS", "20"))
PAGES = ["/", "/van-ban/", "/phong-trao/"]


def _fresh_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _ensure_database(url)


def _environment(url: str, redis_url: str, mail_dir: str, media_dir: str) -> dict[str, str]:
    return os.environ | {
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-not-secret-two-hosts"),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": mail_dir,
        "MEDIA_ROOT": media_dir,
        "LOG_LEVEL": "WARNING",
    }


def _prepare(url: str) -> dict:
    """In this process, on the loaded demo: the drafts to issue, a session of a leader who may
    issue them, and the award decision whose certificates are printed."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from awards.models import AwardDecision, DecisionStatus
    from portal.access import Cap, can
    from portal.documents.demo import make_plan
    from portal.models import Membership, Role

    leader = next(
        m
        for m in Membership.objects.filter(role=Role.LEADER).select_related("user", "unit")
        if can(m.user, Cap.ISSUE_DOCUMENTS, m.unit)
    )
    drafts = [
        make_plan(leader.unit, actor=leader.user, pages=1, summary=f"Kế hoạch thử số {n + 1}")
        for n in range(DOCUMENTS)
    ]
    session = SessionStore()
    session["_auth_user_id"] = str(leader.user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = leader.user.get_session_auth_hash()
    session.create()
    # A decision whose title or form has a paper to print (Lao động tiên tiến has none).
    decision = next(
        (
            d
            for d in AwardDecision.objects.filter(
                status__in=[DecisionStatus.ISSUED, DecisionStatus.PUBLISHED]
            ).order_by("pk")
            if _has_paper(d)
        ),
        None,
    )
    admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    return {
        "drafts": [d.pk for d in drafts],
        "session": session.session_key,
        "decision": decision.pk if decision else None,
        "admin": admin.pk,
    }


def _has_paper(decision) -> bool:
    from awards.paperwork.certificates import printed_paper
    from portal.errors import RuleViolation

    try:
        printed_paper(decision)
    except RuleViolation:
        return False
    return True


def _start_hosts(env: dict[str, str]) -> tuple[list[int], list[subprocess.Popen]]:
    ports, processes = [], []
    for host in ("a", "b"):
        port = _free_port()
        ports.append(port)
        processes.append(
            subprocess.Popen(
                [
                    *(str(BIN / "gunicorn"), "portal.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}"),
                    *("--log-level", "warning", "--timeout", "300"),
                ],
                cwd=ROOT,
                env=env | {"DJANGO_SETTINGS_MODULE": "tests.bench.settings"},
            )
        )
        processes.append(
            subprocess.Popen(
                [
                    *(str(BIN / "celery"), "-A", "portal", "worker", "-c", "2"),
                    *("-n", f"host-{host}@%h", "-l", "warning", "--without-gossip"),
                    "--without-mingle",
                ],
                cwd=ROOT,
                env=env | {"DJANGO_SETTINGS_MODULE": "portal.settings"},
            )
        )
    for port in ports:
        for _ in range(240):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/bare/", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError(f"gunicorn on {port} did not start")
    return ports, processes


def _load(ports: list[int], cookie: str, stop: threading.Event) -> dict[str, int]:
    """Page load on both servers until `stop`: requests answered and errors."""
    counts = {"requests": 0, "errors": 0}
    lock = threading.Lock()

    def worker(port: int, path: str) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while not stop.is_set():
            conn.request("GET", path, headers={"Cookie": cookie})
            response = conn.getresponse()
            response.read()
            with lock:
                counts["requests"] += 1
                counts["errors"] += response.status != 200
        conn.close()

    threads = [
        threading.Thread(target=worker, args=(port, path)) for port in ports for path in PAGES
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counts


def _issue(port: int, session: str, document_id: int, day: datetime.date) -> int:
    """POST the issue form as the browser does (CSRF cookie and the same token in the form)."""
    token = secrets.token_hex(16)
    body = f"csrfmiddlewaretoken={token}&issued_on={day:%d/%m/%Y}"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    conn.request(
        "POST",
        f"/van-ban/{document_id}/ban-hanh/",
        body=body,
        headers={
            "Cookie": f"sessionid={session}; csrftoken={token}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    status = conn.getresponse().status
    conn.close()
    return status


def _digest_mails(mail_dir: str) -> list[str]:
    """The recipients of every digest the workers mailed (the file backend writes one file per
    connection, messages separated by a line of dashes; other mails, such as a job's
    notice, are left out by their subject)."""
    from email import message_from_string
    from email.header import decode_header, make_header

    recipients = []
    for path in Path(mail_dir).glob("*.log"):
        for raw in re.split(r"^-{79}$", path.read_text(errors="replace"), flags=re.MULTILINE):
            if not raw.strip():
                continue
            message = message_from_string(raw.strip())
            subject = str(make_header(decode_header(message.get("Subject", ""))))
            if subject.startswith("[Thi đua] Nhắc việc"):
                recipients.append(message.get("To", ""))
    return recipients


def _say(what: str) -> None:
    print(f"  {time.strftime('%H:%M:%S')} {what}", flush=True)


def _wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(1)
    return False


PENDING = ["pending", "sending"]


def _exercise(facts: dict, ports: list[int], today: datetime.date):
    """Issue the drafts through both servers, fire the planner and the digest sender twice
    each, hand a certificate job over twice, and wait until the workers are done."""
    from awards.models import AwardDecision
    from awards.paperwork.certificates import print_certificates
    from portal.background import jobs
    from portal.background.tasks import plan_reminders, send_due_digests
    from portal.models import Job, Reminder, User

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(
            pool.map(
                lambda pair: _issue(ports[pair[0] % 2], facts["session"], pair[1], today),
                enumerate(facts["drafts"]),
            )
        )
    _say(f"issued: {statuses}")
    for _ in range(2):  # two beats
        plan_reminders.delay(today.isoformat())
    _wait(lambda: Reminder.objects.filter(remind_on=today).exists(), 120)
    time.sleep(3)  # the second planner run, if it got the lock, finishes too
    for _ in range(2):
        send_due_digests.delay(today.isoformat())
    job = None
    if facts["decision"]:
        job = print_certificates(
            AwardDecision.objects.get(pk=facts["decision"]),
            actor=User.objects.get(pk=facts["admin"]),
        )
        jobs.dispatch_job(job.pk)  # the same job handed over again
    _say("planner, digests and certificates handed to the workers")
    time.sleep(LOAD_SECONDS)
    _wait(
        lambda: (
            not Reminder.objects.with_status().filter(remind_on=today, status__in=PENDING).exists()
            and (job is None or Job.objects.get(pk=job.pk).is_finished)
        ),
        600,
    )
    _say("work done (or waited 600 s)")
    return statuses, job


def tally(
    drafts: list[int], statuses: list[int], job, today: datetime.date, mail_dir: str
) -> tuple[dict, list[str]]:
    """What the run left behind, read from the database and the mail directory: the counts
    printed, and what was lost or done twice."""
    from portal.models import Digest, DigestStatus, Job, JobStatus, OfficialDocument, Reminder

    failures: list[str] = []
    issued = OfficialDocument.objects.filter(pk__in=drafts).exclude(number="")
    numbers = sorted(int(number) for number in issued.values_list("number", flat=True))
    if len(numbers) != len(drafts) or len(set(numbers)) != len(numbers):
        failures.append(f"documents: {len(numbers)} issued of {len(drafts)}, numbers {numbers}")
    elif numbers and numbers != list(range(numbers[0], numbers[0] + len(drafts))):
        failures.append(f"documents: numbers with a gap {numbers}")

    digests = Digest.objects.filter(day=today)
    planned = digests.count()
    sent = digests.filter(status=DigestStatus.SENT).count()
    emailed = digests.filter(status=DigestStatus.SENT, emailed=True).count()
    left = Reminder.objects.with_status().filter(remind_on=today, status__in=PENDING).count()
    digest_mails = _digest_mails(mail_dir)
    doubled = len(digest_mails) - len(set(digest_mails))
    if left or sent != planned:
        failures.append(f"digests: {planned - sent} not sent, {left} reminders left")
    if doubled:
        failures.append(f"mails: {doubled} recipients got a second mail")
    if len(digest_mails) != emailed:
        failures.append(f"mails: {emailed} digests e-mailed, {len(digest_mails)} mails")

    job_row = Job.objects.get(pk=job.pk) if job else None
    if job_row is not None and (job_row.status != JobStatus.DONE or job_row.attempts != 1):
        failures.append(f"job: {job_row.status}, {job_row.attempts} attempts")
    counts = {
        "numbers": numbers,
        "answered": sum(status == 302 for status in statuses),
        "planned": planned,
        "sent": sent,
        "emailed": emailed,
        "left": left,
        "mails": len(digest_mails),
        "doubled": doubled,
        "job": (job_row.get_status_display(), job_row.attempts) if job_row else None,
    }
    return counts, failures


def main() -> int:
    base = os.environ.get("BENCH_DATABASE_URL") or os.environ["DATABASE_URL"]
    url = f"{base}_two_hosts"
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
    mail_dir = tempfile.mkdtemp(prefix="two-hosts-mail-")
    media_dir = tempfile.mkdtemp(prefix="two-hosts-media-")
    env = _environment(url, redis_url, mail_dir, media_dir)
    _fresh_database(url)
    subprocess.run(["redis-cli", "-u", redis_url, "FLUSHDB"], check=True, capture_output=True)
    seed = env | {"DEBUG": "1", "DJANGO_SETTINGS_MODULE": "portal.settings"}
    for command in (["migrate", "--noinput", "-v0"], ["load_demo"]):
        subprocess.run(
            [PY, "manage.py", *command], cwd=ROOT, env=seed, check=True, stdout=subprocess.DEVNULL
        )
    os.environ.update(env | {"DJANGO_SETTINGS_MODULE": "portal.settings"})
    # The servers run with DEBUG off: the hashed names of the static files come from the
    # manifest collectstatic writes under those settings.
    subprocess.run(
        [PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    _say("demo loaded")
    facts = _prepare(url)

    from django.utils import timezone

    today = timezone.localdate()
    ports, processes = _start_hosts(env)
    _say("two hosts started")
    try:
        stop = threading.Event()
        with ThreadPoolExecutor(max_workers=6) as pool:
            load = pool.submit(_load, ports, f"sessionid={facts['session']}", stop)
            try:
                statuses, job = _exercise(facts, ports, today)
            finally:
                stop.set()
            page_load = load.result()

        counts, failures = tally(facts["drafts"], statuses, job, today, mail_dir)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(media_dir, ignore_errors=True)

    load_average = os.getloadavg()[0]
    print(
        "\n## Two hosts: 2 gunicorn (-w 2) + 2 Celery workers (-c 2), "
        f"load average {load_average:.1f}"
    )
    print(
        f"pages: {page_load['requests']:,} requests on both servers, {page_load['errors']} errors"
    )
    numbers = counts["numbers"]
    print(
        f"documents: {counts['answered']} of {DOCUMENTS} issue POSTs answered, numbers "
        f"{numbers[0] if numbers else '–'}–{numbers[-1] if numbers else '–'}"
    )
    print(
        f"digests: {counts['planned']} planned, {counts['sent']} sent ({counts['emailed']} "
        f"e-mailed), {counts['mails']} mails, {counts['doubled']} doubled, {counts['left']} "
        "reminders left"
    )
    if counts["job"] is not None:
        status, attempts = counts["job"]
        print(f"certificates job: {status}, {attempts} attempt(s)")
    shutil.rmtree(mail_dir, ignore_errors=True)
    for failure in failures:
        print(f"FAILED {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
