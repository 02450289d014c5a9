import os

from celery import Celery
from celery.signals import task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The portal core keeps its Celery entry points in its background package.
app.autodiscover_tasks(["portal.background"])
# The API's webhook deliveries live in its webhooks package.
app.autodiscover_tasks(["api.webhooks"])


@task_prerun.connect
def _note_beat_tick(sender=None, **kwargs) -> None:
    """A task beat schedules has started: beat and a worker are both alive (/suc-khoe/)."""
    from django.conf import settings

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    if sender is not None and sender.name in scheduled:
        from portal.health import note_beat

        note_beat()
