"""The two-host run's reckoning, without the hosts: `make bench` is the only runner of
tests/bench/two_hosts.py, and a query there that no longer matches the models stopped it
unnoticed (a FieldError after the reminders' status moved to the digest)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from portal.models import Digest, DigestStatus
from tests.bench.two_hosts import tally
from tests.factories import make_user

DAY = datetime.date(2026, 11, 28)
pytestmark = pytest.mark.django_db


def _mail_digest(directory: str, to: str) -> None:
    """What a worker's file backend writes for one digest."""
    connection = mail.get_connection(
        "django.core.mail.backends.filebased.EmailBackend", file_path=directory
    )
    subject = "[Thi đua] Nhắc việc ngày 28/11/2026: 1 việc cần xử lý"
    mail.EmailMessage(subject, "…", to=[to], connection=connection).send()


def test_a_run_that_left_nothing_behind_counts_nothing_and_fails_nothing(tmp_path):
    counts, failures = tally([], [], None, DAY, str(tmp_path))

    assert failures == []
    assert counts == {
        "numbers": [],
        "answered": 0,
        "planned": 0,
        "sent": 0,
        "emailed": 0,
        "left": 0,
        "mails": 0,
        "doubled": 0,
        "job": None,
    }


def test_a_digest_left_unsent_and_one_mailed_twice_are_both_failures(tmp_path):
    sent_to, left_for = make_user("an"), make_user("binh")
    Digest.objects.create(user=sent_to, day=DAY, status=DigestStatus.SENT, emailed=True)
    Digest.objects.create(user=left_for, day=DAY)
    _mail_digest(str(tmp_path), "an@thidua.test")
    _mail_digest(str(tmp_path), "an@thidua.test")

    counts, failures = tally([], [], None, DAY, str(tmp_path))

    assert (counts["planned"], counts["sent"], counts["emailed"]) == (2, 1, 1)
    assert (counts["mails"], counts["doubled"]) == (2, 1)
    assert failures == [
        "digests: 1 not sent, 0 reminders left",
        "mails: 1 recipients got a second mail",
        "mails: 1 digests e-mailed, 2 mails",
    ]
