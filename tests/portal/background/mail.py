"""E-mail backends for the background tests: one that always fails, one slow enough to be
killed mid-batch while still writing one file per message (countable from another process)."""

from __future__ import annotations

import os
import smtplib
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend

SEND_SECONDS = 0.4


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Máy chủ thư từ chối kết nối")


class SlowFileBackend(FileBackend):
    """Notes in `journal` (beside the mail folder) when each send starts and ends, so a test
    can tell when the worker is inside the SMTP call."""

    def _get_filename(self) -> str:
        # Django names the file by the second and id(self); two sends in one second from
        # backends at a reused address would share a file and be counted as one mail.
        if self._fname is None:
            self._fname = os.path.join(self.file_path, f"{uuid.uuid4().hex}.log")
        return self._fname

    def send_messages(self, email_messages):
        journal = Path(self.file_path).parent / "journal"
        with journal.open("a") as notes:
            notes.write("start\n")
        time.sleep(SEND_SECONDS)
        sent = super().send_messages(email_messages)
        # One file per message, as the test counts them, though a batch keeps its connection
        # open (Django's file backend would append the batch's mails to one file).
        self.close()
        self._fname = None
        with journal.open("a") as notes:
            notes.write("done\n")
        return sent
