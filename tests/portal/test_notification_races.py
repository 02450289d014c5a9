"""A person's notification preferences saved twice at the same instant (PostgreSQL only,
tests/races.py); how a lock-free variant was shown to fail: docs/testing.md.

The first save has no preference row to lock yet: the account's row stands for it. Without that
lock both callers find none and both insert, and the second fails on the one preference row an
account has (a database error instead of the setting saved).
"""

from __future__ import annotations

import time

from portal.background import notifications
from portal.models import NotificationPreference
from tests.races import at_once, kinds, needs_row_locks, race

pytestmark = race


def test_a_first_preference_saved_twice_at_once_is_one_preference(world, monkeypatch):
    needs_row_locks()
    user = world.ward_officer
    stamp = notifications.stamp
    monkeypatch.setattr(
        notifications, "stamp", lambda row, **kw: (time.sleep(0.3), stamp(row, **kw))[1]
    )
    outcomes = at_once(
        lambda: notifications.update_notification_preferences(
            user, actor=user, digest_hour=7, mute_email=True, mute_inbox=False
        ),
        lambda: notifications.update_notification_preferences(
            user, actor=user, digest_hour=18, mute_email=False, mute_inbox=True
        ),
    )
    assert kinds(outcomes) == ["won", "won"]
    preference = NotificationPreference.objects.get(user=user)
    # One of the two choices, whole: never a mix of both.
    chosen = (preference.digest_hour, preference.mute_email, preference.mute_inbox)
    assert chosen in ((7, True, False), (18, False, True))
