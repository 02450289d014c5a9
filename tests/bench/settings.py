"""Settings for the benchmark's servers only: the portal's settings plus the anchor views.

`make bench` starts gunicorn with DJANGO_SETTINGS_MODULE=tests.bench.settings; production runs
portal.settings, whose URLconf has no bench URL.
"""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
