"""The seeded catalogue, looked up by code, for the awards tests."""

from __future__ import annotations

import pytest

from awards.models import AwardForm, EmulationTitle


class Catalogue:
    def title(self, code: str) -> EmulationTitle:
        return EmulationTitle.objects.get(code=code)

    def form(self, code: str) -> AwardForm:
        return AwardForm.objects.get(code=code)


@pytest.fixture
def catalogue(db) -> Catalogue:
    return Catalogue()


@pytest.fixture
def lab(world, catalogue):
    """A person rated well for 2025, and the usual items."""
    world.ldtt = catalogue.title("lao-dong-tien-tien")
    world.cstdcs = catalogue.title("cstd-co-so")
    world.cstd_tinh = catalogue.title("cstd-tinh")
    world.ttldtt = catalogue.title("tap-the-lao-dong-tien-tien")
    world.ttldxs = catalogue.title("tap-the-lao-dong-xuat-sac")
    world.bk_tinh = catalogue.form("bang-khen-tinh")
    world.bk_ttg = catalogue.form("bang-khen-thu-tuong")
    world.giay_khen = catalogue.form("giay-khen")
    return world
