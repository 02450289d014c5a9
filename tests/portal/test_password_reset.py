"""Password reset by e-mail, in Vietnamese, with a rate limit (issue #15)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from portal.views.accounts import RESET_PER_EMAIL, TOO_MANY


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def officer(world):
    world.ward_officer.email = "thu@xuantrung.gov.vn"
    world.ward_officer.save(update_fields=["email"])
    return world.ward_officer


def test_the_login_page_offers_the_reset_and_the_public_pages(client):
    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in page
    for name in ("pledges:public", "awards:public_comments", "awards:public_decisions"):
        assert f'href="{reverse(name)}"' in page


def test_an_official_resets_the_password_through_the_mailed_link(officer, client, settings):
    settings.SITE_URL = "https://thidua.dongnai.gov.vn"
    response = client.post(reverse("password_reset"), {"email": "THU@xuantrung.gov.vn"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert "Hãy kiểm tra hộp thư" in client.get(response["Location"]).content.decode()
    (message,) = mail.outbox
    assert message.subject == "Đặt lại mật khẩu tài khoản Cổng thi đua"
    assert "Kính gửi Huỳnh Thị Thu" in message.body
    link = re.search(r"https://thidua\.dongnai\.gov\.vn(/dat-lai-mat-khau/\S+/)", message.body)
    assert link, message.body
    form = client.get(link.group(1), follow=True)
    assert "Đặt mật khẩu mới" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link.group(1),
        {"new_password1": "Moi-mat-khau-2026", "new_password2": "Moi-mat-khau-2026"},
    )
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    login = RequestFactory().post(reverse("login"))
    assert authenticate(login, username=officer.username, password="Moi-mat-khau-2026") == officer
    # The link is used up.
    again = client.get(link.group(1), follow=True).content.decode()
    assert "không hợp lệ hoặc đã được dùng" in again


def test_an_unknown_address_gets_the_same_answer_and_no_mail(world, client):
    response = client.post(reverse("password_reset"), {"email": "ai.do@example.com"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_past_the_limit_the_page_says_to_wait_and_sends_nothing(officer, client):
    for _ in range(RESET_PER_EMAIL):
        client.post(reverse("password_reset"), {"email": officer.email})
    assert len(mail.outbox) == RESET_PER_EMAIL
    refused = client.post(reverse("password_reset"), {"email": officer.email})
    assert refused.status_code == 200
    assert TOO_MANY in refused.content.decode()
    assert len(mail.outbox) == RESET_PER_EMAIL
