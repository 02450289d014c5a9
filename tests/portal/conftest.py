import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Rendered documents go to a throw-away media folder, not the developer's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
