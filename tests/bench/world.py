"""A committed scale world for the web benchmark: `python -m tests.bench.world --scale N`.

Scale 1 is the province of shared/benchmarks.md (2,000 units, 5,000 users, 100,000 tasks,
20,000 dossiers, 20,000 award records); scale 10 is the national world (20,000 units,
50,000 users, 1,000,000 tasks, 200,000 dossiers, 200,000 award records). It seeds once into
DATABASE_URL (committed, unlike the rolled-back worlds of the digest section), runs
`VACUUM ANALYZE`, and prints one JSON line: the ids the pages need and a signed-in session key
for the benchmark's user, who holds every role on the province.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import time

BATCH = 5000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1)
    scale = parser.parse_args().scale
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    seeded = _seed(scale)
    took = time.perf_counter() - started
    with connection.cursor() as cursor:
        # Also after a migration: new indexes on expressions have no statistics until then.
        cursor.execute("VACUUM ANALYZE" if seeded else "ANALYZE")
    with transaction.atomic():
        facts = _facts()
    facts["seeded_seconds"] = round(took, 1) if seeded else None
    print(json.dumps(facts))
    return 0


def _seed(scale: int) -> bool:
    from django.db import transaction

    from campaigns.models import Campaign
    from portal.models import Unit
    from portal.scale import BENCH_PROVINCE_CODE, seed_scale_province
    from tests.bench import due_world

    province = Unit.objects.filter(code=BENCH_PROVINCE_CODE, code_scheme="local").first()
    if province and Campaign.objects.filter(issuer=province).exists():
        return False
    seed_scale_province(units=2000 * scale, users=5000 * scale)
    province = Unit.objects.get(code=BENCH_PROVINCE_CODE, code_scheme="local")
    with transaction.atomic():
        due_world.seed(province, tasks=100_000 * scale, nominations=20_000 * scale)
        _award_records(province, 20_000 * scale)
    return True


def _award_records(province, count: int) -> None:
    from awards.models import AwardRecord, EmulationTitle
    from awards.models.history import Source
    from portal.models import Person

    titles = list(EmulationTitle.objects.order_by("pk").values_list("pk", flat=True))
    people = list(
        Person.objects.filter(unit__path__startswith=province.path)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, count, BATCH):
        AwardRecord.objects.bulk_create(
            [
                AwardRecord(
                    title_id=titles[i % len(titles)],
                    recipient_kind="individual",
                    person_id=people[i % len(people)],
                    year=2015 + i % 10,
                    basis_kind="yearly",
                    decision_number=f"{i + 1}/QĐ-UBND",
                    decision_date=datetime.date(2016 + i % 10, 1, 15),
                    decision_issuer=province,
                    source=Source.IMPORTED,
                )
                for i in range(start, min(start + BATCH, count))
            ]
        )


def _facts() -> dict:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from awards.models import Nomination
    from campaigns.models import Campaign
    from pledges.models import Pledge, Registration
    from pledges.models.covenants import Criterion, Formula, ScoreTable
    from portal.models import Membership, Role, Unit, User
    from portal.scale import BENCH_PROVINCE_CODE

    province = Unit.objects.get(code=BENCH_PROVINCE_CODE, code_scheme="local")
    user, _ = User.objects.get_or_create(
        username="quymo-bench", defaults={"full_name": "Người đo hiệu năng", "password": "!"}
    )
    for role in (Role.LEADER, Role.OFFICER, Role.REVIEWER, Role.COUNCIL_MEMBER):
        Membership.objects.get_or_create(user=user, unit=province, role=role)
    campaign = Campaign.objects.filter(issuer=province).order_by("pk").first()
    registration = Registration.objects.filter(campaign=campaign).order_by("pk").first()
    # The tasks page is for the officers of the registering unit itself.
    Membership.objects.get_or_create(user=user, unit=registration.unit, role=Role.OFFICER)
    pledge = Pledge.objects.filter(bloc__organiser=province).order_by("pk").first()
    table, created = ScoreTable.objects.get_or_create(pledge=pledge)
    if created:
        Criterion.objects.bulk_create(
            Criterion(
                table=table,
                position=n,
                group=f"Nhóm {n // 5 + 1}",
                text=f"Tiêu chí quy mô {n}",
                max_points=10,
                formula=Formula.MANUAL,
            )
            for n in range(1, 31)
        )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.set_expiry(24 * 3600)
    session.create()
    subtree = Unit.objects.subtree(province)
    return {
        "units": subtree.count(),
        "users": User.objects.filter(username__startswith="quymo").count(),
        "tasks": registration.tasks.model.objects.filter(registration__campaign=campaign).count(),
        "dossiers": Nomination.objects.filter(
            proposing_unit__path__startswith=province.path
        ).count(),
        "province": province.pk,
        "commune": subtree.filter(depth=2).order_by("-path").values_list("pk", flat=True).first(),
        "campaign": campaign.pk,
        "registration": registration.pk,
        "registration_unit": registration.unit_id,
        "pledge": pledge.pk,
        "session": session.session_key,
    }


if __name__ == "__main__":
    sys.exit(main())
