"""Lockout behind the proxy, rate limits, headers, error pages, text hygiene, health."""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse

from portal import health
from portal.security import client_ip, invisible_characters
from portal.text import fold

PROXY = "10.0.0.2"


def _login(client, username: str, password: str, client_address: str, spoofed: str = ""):
    forwarded = f"{spoofed}, {client_address}" if spoofed else client_address
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_the_client_address_is_the_one_the_trusted_proxy_appended(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    assert client_ip(request) == "203.0.113.7"  # what the client wrote itself is ignored
    assert client_ip(factory.get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == PROXY


def test_an_attacker_behind_the_proxy_cannot_lock_out_another_client(world, client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 3
    attacker, victim = "198.51.100.66", "203.0.113.7"
    for _ in range(5):
        # The attacker even forges the victim's address in the header: it is not trusted.
        _login(client, "canbo", "sai-mat-khau", attacker, spoofed=victim)
    locked = _login(client, "canbo", "matkhau-123", attacker)
    assert locked.status_code == 429
    # Same account, same proxy, another client: signs in.
    world.officer.set_password("matkhau-123")
    world.officer.save()
    response = _login(client, "canbo", "matkhau-123", victim)
    assert response.status_code == 302, response.content.decode()[:500]


def test_pages_carry_a_strict_content_security_policy(client, world):
    client.force_login(world.officer)
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    assert "frame-ancestors 'none'" in policy
    assert "camera=()" in response["Permissions-Policy"]
    assert "<script>" not in response.content.decode()


def test_the_verification_upload_is_rate_limited_in_vietnamese(client, db, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "verify_upload": (2, 600)}
    for _ in range(2):
        assert client.post(reverse("verify_upload"), {}).status_code == 200
    response = client.post(reverse("verify_upload"), {})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert 'lang="vi"' in page and "chỉ nhận 2 lượt trong 10 phút" in page
    # Another client is not affected.
    assert client.post(reverse("verify_upload"), {}, REMOTE_ADDR="10.9.9.9").status_code == 200


def test_lookups_and_public_comments_are_rate_limited(client, db, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "verify_lookup": (1, 60),
        "public_comment": (1, 3600),
    }
    assert client.get(reverse("verify_code", args=["KHONGCO"])).status_code == 404
    assert client.get(reverse("verify_code", args=["KHONGCO"])).status_code == 429
    client.post(reverse("awards:public_comments"), {"nomination": "0"})
    assert client.post(reverse("awards:public_comments"), {}).status_code == 429


@pytest.mark.parametrize(
    "text", ["Nguyễn\u202eVăn", "Trần\u200bThị", "Lê\u0000Văn", "A\u2066B", "Đỗ\u00adHà"]
)
def test_invisible_characters_are_refused_in_vietnamese(client, world, text):
    client.force_login(world.ward_officer)
    response = client.post(
        reverse("person_create", args=[world.ward.pk]), {"full_name": text, "position": "x"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "full_name" in page and ("ký tự ẩn" in page or "ký tự rỗng" in page)
    assert 'lang="vi"' in page


def test_vietnamese_text_passes_the_hygiene_check():
    assert invisible_characters("Nguyễn Thị Hồng Ðặng – “Tổ 5”\r\nDòng hai\tcột") == []


def test_the_eth_folds_like_d():
    assert fold("Ðặng Văn Ðức") == fold("Đặng Văn Đức") == "dang van duc"


def test_error_pages_are_vietnamese_and_the_403_says_why(client, world, settings):
    settings.DEBUG = False
    client.force_login(world.outsider)
    missing = client.get("/khong-co-trang-nay/")
    assert missing.status_code == 404
    assert 'lang="vi"' in missing.content.decode() and "Không tìm thấy" in missing.content.decode()
    from django.template.loader import render_to_string

    page = render_to_string("403.html", {"exception": str(PermissionDenied("Lý do cụ thể."))})
    assert "Lý do cụ thể." in page and 'lang="vi"' in page
    assert "Hệ thống gặp lỗi" in render_to_string("500.html")


def test_health_reports_each_part(client, db, settings):
    settings.REDIS_URL = ""
    response = client.get("/suc-khoe/")
    assert response.status_code == 200
    assert response.content.decode().splitlines() == ["ok", "database: ok (ok)"]


def test_health_is_503_when_redis_is_down(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/suc-khoe/")
    assert response.status_code == 503
    lines = response.content.decode().splitlines()
    assert lines[0] == "lỗi" and lines[1] == "database: ok (ok)"
    assert lines[2].startswith("redis: LỖI")


def test_health_is_503_when_beat_stopped(client, db, settings, monkeypatch):
    monkeypatch.setattr(health, "_redis", lambda: health.Check("redis", True, "ok"))
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    health.note_beat(time.time() - 5)
    assert client.get("/suc-khoe/").status_code == 200
    health.note_beat(time.time() - settings.BEAT_MAX_AGE_SECONDS - 60)
    response = client.get("/suc-khoe/")
    assert response.status_code == 503
    assert "beat: LỖI" in response.content.decode()
