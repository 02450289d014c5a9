"""The one door from a view to a service (portal/service_calls.py, #19)."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from portal.errors import RuleViolation
from portal.service_calls import REFUSED, attempt, attempt_and_tell


def _request():
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _refuse():
    error = RuleViolation("Tệp nhập có lỗi.", code="import_rows")
    error.errors = ["Dòng 3: thiếu tên.", "Dòng 7: ngày sai."]
    raise error


def _deny():
    raise PermissionDenied("Hồ sơ ngoài phạm vi của đơn vị.")


def test_a_refusal_becomes_messages_with_its_listed_rows_after_the_prefix():
    request = _request()
    assert attempt_and_tell(request, _refuse, done="Xong.", refused_prefix="Hồ sơ 12: ") is REFUSED
    assert [str(m) for m in get_messages(request)] == [
        "Hồ sơ 12: Tệp nhập có lỗi.",
        "Dòng 3: thiếu tên.",
        "Dòng 7: ngày sai.",
    ]


def test_success_is_told_and_its_result_returned():
    request = _request()
    assert attempt_and_tell(request, lambda n: n + 1, 41, done="Đã lưu.") == 42
    assert [str(m) for m in get_messages(request)] == ["Đã lưu."]


def test_a_denial_stays_a_403_unless_the_page_acts_on_many_records():
    request = _request()
    with pytest.raises(PermissionDenied):
        attempt_and_tell(request, _deny)
    assert attempt_and_tell(request, _deny, denied_too=True) is REFUSED
    assert [str(m) for m in get_messages(request)] == ["Hồ sơ ngoài phạm vi của đơn vị."]


def test_a_refusal_in_a_form_keeps_the_input_and_shows_every_line():
    form = forms.Form(data={"x": "1"})
    assert form.is_valid()
    assert attempt(form, _refuse) is REFUSED
    assert form.non_field_errors() == [
        "Tệp nhập có lỗi.",
        "Dòng 3: thiếu tên.",
        "Dòng 7: ngày sai.",
    ]
    denied = forms.Form(data={})
    denied.is_valid()
    with pytest.raises(PermissionDenied):
        attempt(denied, _deny)
    assert attempt(denied, _deny, denied_too=True) is REFUSED
    assert denied.non_field_errors() == ["Hồ sơ ngoài phạm vi của đơn vị."]
