"""Background jobs of the awards app: thin entry points that take ids."""

from __future__ import annotations

from celery import shared_task

from portal.tasks import render_certificate_batch

from . import decisions
from .models import AwardDecision


@shared_task
def print_decision_certificates(decision_id: int, layout_id: int) -> str:
    """Render every awardee's certificate in one PDF through the portal's batch job.

    The portal job names the file after the layout and the rows, so a rerun regenerates the
    same file; the decision then points at it.
    """
    decision = AwardDecision.objects.select_related("document").get(pk=decision_id)
    name = render_certificate_batch(layout_id, decisions.certificate_rows(decision))
    decisions.store_certificates(decision, name=name)
    return name
