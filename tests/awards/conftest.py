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
