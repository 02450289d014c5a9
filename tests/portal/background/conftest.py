"""A test-only reminder source whose items the test sets, registered for one test."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from portal.access import Cap
from portal.background import reminders
from portal.background.reminders import DueItem, ReminderSource
from portal.models import Person

TEST_KIND = "tests.person_due"
LEGAL_KIND = "tests.legal_due"
# The test sources' duty falls on a unit's leaders and emulation officers, who both hold it.
OFFICERS_AND_LEADERS = (Cap.MANAGE_CAMPAIGN,)


class ListSource:
    """Items per kind, set by the test: {kind: [DueItem, ...]}."""

    def __init__(self) -> None:
        self.items: list[DueItem] = []

    def __call__(self, today: datetime.date) -> list[DueItem]:
        return list(self.items)


def due(person: Person, *, due_on: datetime.date, overdue: bool, kind: str = TEST_KIND, unit=None):
    return DueItem(
        kind=kind,
        target_type_id=ContentType.objects.get_for_model(Person).pk,
        target_id=person.pk,
        unit_id=(unit or person.unit).pk,
        title=f"Hồ sơ của {person.full_name} chưa hoàn thiện",
        url=f"/ca-nhan/{person.pk}/",
        due_on=due_on,
        overdue=overdue,
    )


def pytest_collection_modifyitems(config, items):
    """The embedded SQLite test database lives in memory, where no worker process can reach it:
    there the real-worker tests are deselected (listed as such); on PostgreSQL (CI) they run and
    fail if Redis is down."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        return
    deselected = [item for item in items if item.get_closest_marker("celery_worker")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("celery_worker")]


@pytest.fixture
def sources(monkeypatch):
    """Only the test's two sources are registered (the portal's own one is set aside)."""
    normal, legal = ListSource(), ListSource()
    monkeypatch.setattr(reminders, "_SOURCES", {})
    reminders.register_source(
        ReminderSource(
            kind=TEST_KIND,
            label="Hồ sơ cá nhân cần bổ sung",
            due_items=normal,
            caps=OFFICERS_AND_LEADERS,
        )
    )
    reminders.register_source(
        ReminderSource(
            kind=LEGAL_KIND,
            label="Hồ sơ sắp hết thời hạn luật định",
            due_items=legal,
            caps=OFFICERS_AND_LEADERS,
            legal_deadline=True,
        )
    )
    return {TEST_KIND: normal, LEGAL_KIND: legal}


@pytest.fixture
def mailboxes(world):
    """Give every persona an e-mail address (accounts have none by default)."""
    for user in type(world.ward_officer).objects.all():
        user.email = f"{user.username}@thidua.test"
        user.save(update_fields=["email"])
    return world
