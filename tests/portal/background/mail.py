"""E-mail backends for the background tests: one that always fails, one slow enough to be
killed mid-batch while still writing one file per message (countable from another process)."""

from __future__ import annotations

import smtplib
import time

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend

SEND_SECONDS = 0.5


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Máy chủ thư từ chối kết nối")


class SlowFileBackend(FileBackend):
    def send_messages(self, email_messages):
        time.sleep(SEND_SECONDS)
        return super().send_messages(email_messages)
