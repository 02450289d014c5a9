"""`make bench`: seed province-scale data, then print medians and ratios against anchors.

The sections run in-process with Django's test client against DATABASE_URL (PostgreSQL), DEBUG off.
Sections live in sibling modules, each exposing `run(context)`.
"""

from __future__ import annotations

import importlib
import os
import sys
from dataclasses import dataclass

# The pages under load are tests/bench/web.py (run first by `make bench`); tests.bench.lists is
# the in-process view of the same pages, a second view never mixed with the wrk figures.
# tests.bench.api times the API's lists against the pages of the same rows, in-process.
SECTIONS = ["tests.bench.api", "tests.bench.documents", "tests.bench.digests"]


@dataclass
class Context:
    client: object
    province: object
    leader: object


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    from portal.models import Membership, Role, Unit
    from portal.scale import BENCH_PROVINCE_CODE

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        print("make bench cần PostgreSQL (DATABASE_URL=postgres://...).", file=sys.stderr)
        return 2
    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("seed_scale")
    province = Unit.objects.get(code=BENCH_PROVINCE_CODE, code_scheme="local")
    leader = Membership.objects.filter(unit=province, role=Role.LEADER).first()
    if leader is None:
        from django.contrib.auth import get_user_model

        user, _ = get_user_model().objects.get_or_create(username="quymo-lanhdao")
        leader = Membership.objects.create(user=user, unit=province, role=Role.LEADER)
    selected = sys.argv[1:] or SECTIONS
    with override_settings(ROOT_URLCONF="tests.bench.urls", ALLOWED_HOSTS=["testserver"]):
        client = Client()
        client.force_login(leader.user)
        context = Context(client=client, province=province, leader=leader.user)
        print(f"Province-scale data: {Unit.objects.subtree(province).count()} units.")
        for name in selected:
            importlib.import_module(name).run(context)
    return 0


if __name__ == "__main__":
    sys.exit(main())
