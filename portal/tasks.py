"""Background jobs of the portal core: thin entry points that take ids and plain values."""

from __future__ import annotations

import hashlib
import json

from celery import shared_task
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from portal import documents
from portal.models import OfficialDocument


@shared_task
def render_certificate_batch(layout_id: int, rows: list[dict]) -> str:
    """Render a batch of certificates to a file in storage and return its name.

    `rows` are CertificateRow fields. The name comes from the layout and the rows, so a job
    that runs twice regenerates the same file instead of adding another.
    """
    layout = OfficialDocument.objects.get(pk=layout_id)
    key = hashlib.sha256(
        json.dumps([layout.pk, layout.sha256, rows], ensure_ascii=False, sort_keys=True).encode()
    ).hexdigest()[:20]
    name = f"certificates/{layout.pk}/{key}.pdf"
    pdf = documents.render_certificates(
        [documents.CertificateRow(**row) for row in rows], layout=layout
    )
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(pdf))
