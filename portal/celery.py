import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The portal core keeps its Celery entry points in its background package.
app.autodiscover_tasks(["portal.background"])
# The API's webhook deliveries live in its webhooks package.
app.autodiscover_tasks(["api.webhooks"])
