import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Rendered documents go to a throw-away media folder, not the developer's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _no_signing_unless_asked(settings):
    """Documents come out unsigned unless a test configures a certificate (signing tests do)."""
    settings.DOCUMENT_SIGNING_P12 = ""
