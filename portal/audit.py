"""Who and why on every audited write (django-simple-history)."""

from django.db import models


def stamp(instance: models.Model, *, actor, reason: str) -> models.Model:
    """Attach the acting user and a dotted change reason to the next history row of `instance`.

    The request middleware records the web user too; services set it explicitly so that
    commands, tasks and the admin leave the same trail.
    """
    if actor is not None and getattr(actor, "pk", None):
        instance._history_user = actor
    instance._change_reason = reason
    return instance
