"""Celery entry points of the portal core: thin, ids and plain values in, services do the work.

Every task is safe to run twice (acks_late redelivers after a worker dies): the planner's
rows are unique, digests and jobs are claimed by conditional updates, files are regenerated.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import smtplib

from celery import shared_task
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from portal import digests, documents, jobs, reminders
from portal.enqueue import enqueue
from portal.locks import exclusive
from portal.models import OfficialDocument

PLAN_LOCK_SECONDS = 55 * 60
SEND_LOCK_SECONDS = 14 * 60


@shared_task
def plan_reminders(day: str | None = None) -> dict:
    """Today's outbox (or that of `day`, an ISO date, for a run by hand)."""
    with exclusive("plan-reminders", timeout=PLAN_LOCK_SECONDS) as held:
        if not held:
            return {"skipped": True}
        result = reminders.plan_reminders(datetime.date.fromisoformat(day) if day else None)
        return {"items": result.items, "created": result.created}


@shared_task
def send_due_digests(day: str | None = None) -> dict:
    """Hand one `send_digest` per person whose digest hour has come to the workers; with
    `day` (ISO date, a run by hand), everyone with pending rows up to that day."""
    with exclusive("send-due-digests", timeout=SEND_LOCK_SECONDS) as held:
        if not held:
            return {"skipped": True}
        digest_day, user_ids = digests.recipients_due(
            day=datetime.date.fromisoformat(day) if day else None
        )
        queued = sum(enqueue(send_digest, user_id, digest_day.isoformat()) for user_id in user_ids)
        return {"due": len(user_ids), "queued": queued}


@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=60,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=6,
)
def send_digest(user_id: int, day: str) -> bool:
    return digests.send_digest(user_id, datetime.date.fromisoformat(day)).sent


@shared_task
def run_job(job_id: int) -> bool:
    return jobs.run_job(job_id)


@shared_task
def requeue_stale_jobs() -> int:
    return jobs.requeue_stale_jobs()


@shared_task
def render_certificate_batch(layout_id: int, rows: list[dict]) -> str:
    """Render a batch of certificates to a file in storage and return its name.

    `rows` are CertificateRow fields. The name comes from the layout and the rows, so a job
    that runs twice regenerates the same file instead of adding another.
    """
    layout = OfficialDocument.objects.get(pk=layout_id)
    key = hashlib.sha256(
        json.dumps([layout.pk, layout.sha256, rows], ensure_ascii=False, sort_keys=True).encode()
    ).hexdigest()[:20]
    name = f"certificates/{layout.pk}/{key}.pdf"
    pdf = documents.render_certificates(
        [documents.CertificateRow(**row) for row in rows], layout=layout
    )
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(pdf))
