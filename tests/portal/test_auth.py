"""Signing in and out, lockout, password hashing and change, and who may open the Django admin."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import HistoricalChanges

from portal.models import Unit
from tests.factories import make_user


def sign_in(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_page_is_vietnamese(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "<title>Đăng nhập – Cổng thi đua</title>" in page
    assert "Tên đăng nhập" in page and "Mật khẩu" in page


def test_signing_in_leads_home_and_wrong_password_is_refused_in_vietnamese(world, client):
    refused = sign_in(client, "canbo", "sai-mat-khau")
    assert refused.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in refused.content.decode()
    response = sign_in(client, "canbo", "matkhau-123")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert "Trần Thị Thi" in client.get(reverse("home")).content.decode()


def test_five_failures_lock_the_account_out_even_with_the_right_password(world, client):
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "canbo", "sai-mat-khau").status_code == 200
    locked = sign_in(client, "canbo", "sai-mat-khau")
    assert locked.status_code == 429
    again = sign_in(client, "canbo", "matkhau-123")
    assert again.status_code == 429
    page = again.content.decode()
    assert "Tài khoản tạm thời bị khóa do đăng nhập sai 5 lần liên tiếp" in page
    assert "thử lại sau 30 phút" in page
    assert client.get(reverse("home")).status_code == 302  # still signed out


def test_lockout_is_per_user_name(world, client):
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        sign_in(client, "canbo", "sai-mat-khau")
    assert sign_in(client, "lanhdao", "matkhau-123").status_code == 302


def test_lockout_is_configured_at_five_failures():
    real = importlib.import_module("portal.settings")
    assert real.AXES_FAILURE_LIMIT == 5


def test_real_settings_hash_passwords_with_argon2(settings, db, client):
    real = importlib.import_module("portal.settings")
    assert real.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    settings.PASSWORD_HASHERS = real.PASSWORD_HASHERS
    user = make_user("argon", password="mot-mat-khau-dai")
    assert user.password.startswith("argon2$")
    assert sign_in(client, "argon", "mot-mat-khau-dai").status_code == 302


def test_logout_needs_a_post_and_ends_the_session(world, client):
    client.force_login(world.officer)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_password_change(world, client):
    client.force_login(world.officer)
    url = reverse("password_change")
    assert "<title>Đổi mật khẩu</title>" in client.get(url).content.decode()
    wrong = client.post(
        url,
        {
            "old_password": "khong-dung",
            "new_password1": "Mat-khau-moi-2026",
            "new_password2": "Mat-khau-moi-2026",
        },
    )
    assert "Mật khẩu cũ" in wrong.content.decode()
    done = client.post(
        url,
        {
            "old_password": "matkhau-123",
            "new_password1": "Mat-khau-moi-2026",
            "new_password2": "Mat-khau-moi-2026",
        },
    )
    assert done["Location"] == reverse("password_change_done")
    world.officer.refresh_from_db()
    assert world.officer.check_password("Mat-khau-moi-2026")
    assert client.get(reverse("home")).status_code == 200  # the session survives the change


def test_sessions_expire(settings):
    real = importlib.import_module("portal.settings")
    assert 0 < real.SESSION_COOKIE_AGE <= 12 * 3600
    assert real.SESSION_EXPIRE_AT_BROWSER_CLOSE


@pytest.mark.parametrize("who", ["officer", "staff"])
def test_admin_refuses_everyone_but_system_administrators(world, client, who):
    user = world.officer
    if who == "staff":
        user = make_user("nhanvien")
        user.is_staff = True
        user.save()
    client.force_login(user)
    for url in [reverse("admin:index"), reverse("admin:portal_unit_changelist")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_system_administrator_reaches_the_admin_and_a_records_history(world, client):
    client.force_login(world.admin)
    assert client.get(reverse("admin:index")).status_code == 200
    history = client.get(reverse("admin:portal_unit_history", args=[world.ward.pk]))
    assert history.status_code == 200
    assert "portal.unit.created" in history.content.decode()


def project_models() -> list:
    """Every model of the project's own apps (not Django's or libraries'), no history tables."""
    base = str(django_settings.BASE_DIR)
    return [
        model
        for config in apps.get_app_configs()
        if config.path.startswith(base) and "site-packages" not in config.path
        for model in config.get_models()
        if not issubclass(model, HistoricalChanges)
    ]


# Operational rows moved by the workers through conditional updates (which simple-history
# would not see): their own columns are the trail. See portal/models/notifications.py, jobs.py.
# The API's use log, idempotency keys and webhook outbox are such rows too (api/models.py); the
# tokens and webhooks people configure keep their history. The dossiers' and awards' kept counts are
# written by PostgreSQL triggers (awards/models/tallies.py), where no history could see them, and
# so are the cascade's (pledges/models/tallies.py).
UNAUDITED_OPERATIONAL = {
    "NominationTally",
    "NominationBranchTally",
    "AwardTally",
    "AwardUnitTally",
    "CascadeTally",
    "CascadeDayTally",
    "Reminder",
    "Digest",
    "Notification",
    "Job",
    "TokenUse",
    "IdempotentRequest",
    "WebhookEvent",
    "WebhookDelivery",
}


def test_every_model_is_registered_in_the_admin_with_its_history():
    models = project_models()
    assert Unit in models
    for model in models:
        model_admin = admin.site._registry.get(model)
        assert model_admin is not None, f"{model.__name__} is not registered in the admin"
        if model.__name__ in UNAUDITED_OPERATIONAL:
            continue
        assert isinstance(model_admin, SimpleHistoryAdmin), (
            f"{model.__name__}'s admin must extend SimpleHistoryAdmin to show its history"
        )
        assert hasattr(model, "history"), f"{model.__name__} has no HistoricalRecords"


def test_password_rules_are_explained_in_vietnamese(world, client):
    client.force_login(world.officer)
    response = client.post(
        reverse("password_change"),
        {"old_password": "matkhau-123", "new_password1": "a1", "new_password2": "a1"},
    )
    page = response.content.decode()
    assert "Mật khẩu quá ngắn: cần ít nhất 8 ký tự." in page
    assert "too short" not in page
