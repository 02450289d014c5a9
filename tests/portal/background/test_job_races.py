"""A failed job retried twice at the same instant (PostgreSQL only, tests/races.py).

Without the row's lock both callers see it failed and queue it twice: two runs of one export.
How a lock-free variant was shown to fail: docs/testing.md.
"""

from __future__ import annotations

from portal.background import jobs
from portal.background.jobs import retry_job
from portal.errors import RuleViolation
from portal.models import Job, JobStatus
from tests.races import at_once, kinds, needs_row_locks, race

pytestmark = race


def test_a_failed_job_retried_twice_at_once_is_queued_once(world, monkeypatch):
    needs_row_locks()
    dispatched = []
    monkeypatch.setattr(jobs, "dispatch_job", lambda job_id: dispatched.append(job_id))
    job = Job.objects.create(
        kind=jobs.EXPORT_UNITS_KIND,
        created_by=world.ward_officer,
        unit=world.ward,
        status=JobStatus.FAILED,
        error="Hết thời gian",
    )
    outcomes = at_once(*[lambda: retry_job(job, actor=world.ward_officer)] * 2)
    assert kinds(outcomes) == ["RuleViolation", "won"]
    refused = next(o for o in outcomes if isinstance(o, RuleViolation))
    assert refused.message == "Chỉ chạy lại được công việc đã thất bại."
    assert dispatched == [job.pk]
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
