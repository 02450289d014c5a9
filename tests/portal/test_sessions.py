"""Sessions live in Redis with the database behind them, and survive Redis going down
(portal/sessions.py): a signed-in user stays signed in, a user can sign in, and a logout made
while Redis was down does not come back with it."""

from __future__ import annotations

import importlib
import os

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.urls import reverse

from portal import sessions
from tests.portal.test_auth import sign_in

DEAD_REDIS = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    # Nothing listens on port 1: every call is refused at once.
    "LOCATION": "redis://127.0.0.1:1/0",
    "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
}


@pytest.fixture(autouse=True)
def _fresh_session_cache(settings):
    # The store of a deployment with Redis, whether or not this run has one.
    settings.SESSION_ENGINE = "portal.sessions"
    sessions._caches.clear()
    yield
    sessions._caches.clear()


def redis_down(settings) -> None:
    settings.CACHES = {**settings.CACHES, "shared": DEAD_REDIS}


def redis_back(settings, live: dict) -> None:
    settings.CACHES = {**settings.CACHES, "shared": live}
    # What the store learnt of the outage is kept; only the waiting before a retry is skipped.
    sessions.tolerant_cache("shared")._down_until = 0.0


def signed_in_as(client) -> str:
    page = client.get(reverse("home"))
    assert page.status_code == 200, page.status_code
    return page.content.decode()


def test_the_portal_keeps_sessions_in_redis_only_when_it_has_one():
    real = importlib.import_module("portal.settings")  # not this module's override
    expected = "portal.sessions" if real.REDIS_URL else "django.contrib.sessions.backends.db"
    assert expected == real.SESSION_ENGINE
    assert real.SESSION_CACHE_ALIAS == "shared"


def test_a_session_is_read_from_the_cache_without_a_query(world, client, django_assert_num_queries):
    assert sign_in(client, "canbo", "matkhau-123").status_code == 302
    key = client.cookies["sessionid"].value
    store = sessions.SessionStore(key)
    assert caches["shared"].get(store.cache_key)["_auth_user_id"] == str(world.officer.pk)
    with django_assert_num_queries(0):
        assert sessions.SessionStore(key).get("_auth_user_id") == str(world.officer.pk)


def test_a_signed_in_user_stays_signed_in_while_redis_is_down(world, client, settings):
    live = settings.CACHES["shared"]
    assert sign_in(client, "canbo", "matkhau-123").status_code == 302
    assert "Trần Thị Thi" in signed_in_as(client)
    redis_down(settings)
    assert "Trần Thị Thi" in signed_in_as(client)
    assert "Trần Thị Thi" in signed_in_as(client)
    redis_back(settings, live)
    assert "Trần Thị Thi" in signed_in_as(client)


def test_signing_in_and_out_works_while_redis_is_down(world, client, settings):
    redis_down(settings)
    response = sign_in(client, "canbo", "matkhau-123")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert "Trần Thị Thi" in signed_in_as(client)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302  # to the login page


def test_a_logout_while_redis_is_down_does_not_come_back_with_redis(world, client, settings):
    live = settings.CACHES["shared"]
    assert sign_in(client, "canbo", "matkhau-123").status_code == 302
    key = client.cookies["sessionid"].value
    cache_key = sessions.SessionStore(key).cache_key
    assert caches["shared"].get(cache_key) is not None
    redis_down(settings)
    assert client.post(reverse("logout")).status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    redis_back(settings, live)
    # The stolen cookie of the closed session opens nothing once Redis answers again.
    client.cookies["sessionid"] = key
    assert client.get(reverse("home")).status_code == 302
    assert caches["shared"].get(cache_key) is None


def test_a_dead_redis_is_tried_once_then_left_alone_for_a_while(world, client, settings):
    assert sign_in(client, "canbo", "matkhau-123").status_code == 302
    redis_down(settings)
    calls = []
    dead = caches["shared"]
    original = dead.get

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    dead.get = counted
    for _ in range(3):
        signed_in_as(client)
    assert len(calls) == 1


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a Redis (REDIS_URL)")
def test_with_a_real_redis_then_a_dead_one(world, client, settings):
    live = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    settings.CACHES = {**settings.CACHES, "shared": live}
    assert sign_in(client, "canbo", "matkhau-123").status_code == 302
    key = client.cookies["sessionid"].value
    cache_key = sessions.SessionStore(key).cache_key
    try:
        assert caches["shared"].get(cache_key)["_auth_user_id"] == str(world.officer.pk)
        redis_down(settings)
        assert "Trần Thị Thi" in signed_in_as(client)
        redis_back(settings, live)
        assert "Trần Thị Thi" in signed_in_as(client)
    finally:
        caches["shared"].delete(cache_key)
