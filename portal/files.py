"""Stored files leave the portal only here, through the scope of the record that holds them.

`MEDIA_ROOT` has no public URL. Each model's file field is registered with the query of the
records a user may see (`visible_to`); the one download view (`private_file`) answers 404 outside
that scope, as every detail page does. The views that serve a file of their own (issued
documents, periodic reports, job results, progress evidence) answer with `file_response` too, so
every download carries the same headers: `Content-Disposition: attachment` in the RFC 6266 form
(`filename*=UTF-8''…`, so "Đ" survives), `X-Content-Type-Options: nosniff`, and, in production,
`X-Accel-Redirect` so the proxy sends the bytes (docs/operations.md has the nginx block).
"""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Model, QuerySet
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.text import capfirst


@dataclass(frozen=True)
class PrivateField:
    model: type[Model]
    field: str
    scope: Callable[[object], QuerySet]
    filename: Callable[[Model], str]

    @property
    def key(self) -> str:
        return f"{self.model._meta.label_lower}.{self.field}"


_FIELDS: dict[str, PrivateField] = {}


def _default_filename(field: str) -> Callable[[Model], str]:
    def name(instance: Model) -> str:
        stored = getattr(instance, field).name
        label = capfirst(str(instance._meta.get_field(field).verbose_name)) or "Tệp"
        return f"{label} {instance.pk}{os.path.splitext(stored)[1]}"

    return name


def register(
    model: type[Model],
    field: str,
    *,
    scope: Callable[[object], QuerySet] | None = None,
    filename: Callable[[Model], str] | None = None,
) -> None:
    """Make `model.field` downloadable by those who see the record (`visible_to` by default)."""
    entry = PrivateField(
        model,
        field,
        scope or (lambda user: model.objects.visible_to(user)),
        filename or _default_filename(field),
    )
    _FIELDS[entry.key] = entry


def registered() -> dict[str, PrivateField]:
    return dict(_FIELDS)


def file_url(instance: Model, field: str) -> str:
    """The download link of `instance.field`; "" when no file is stored."""
    if not getattr(instance, field):
        return ""
    key = f"{instance._meta.label_lower}.{field}"
    if key not in _FIELDS:
        raise LookupError(f"{key} is not registered in portal.files")
    return reverse("private_file", args=[key, instance.pk])


def file_response(
    stored: FieldFile,
    *,
    filename: str,
    content_type: str | None = None,
    as_attachment: bool = True,
) -> HttpResponse:
    """The bytes of `stored`, streamed (development) or handed to the proxy (production)."""
    if not stored:
        raise Http404("Không có tệp.")
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    prefix = settings.PRIVATE_FILES_ACCEL_PREFIX
    if prefix:
        if not stored.storage.exists(stored.name):
            raise Http404("Không tìm thấy tệp.")
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(stored.name)
    else:
        try:
            handle = stored.open("rb")
        except FileNotFoundError as error:
            raise Http404("Không tìm thấy tệp.") from error
        response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    response["X-Content-Type-Options"] = "nosniff"
    # A file opened in the browser (an inline PDF) must not run anything of its own.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def content_response(
    content: bytes, *, filename: str, content_type: str, as_attachment: bool = True
) -> HttpResponse:
    """A file made for this request (an export, a preview) with the same headers as stored ones."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def private_file(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    entry = _FIELDS.get(key)
    if entry is None:
        raise Http404("Không có loại tệp này.")
    instance = get_object_or_404(entry.scope(request.user), pk=pk)
    return file_response(getattr(instance, entry.field), filename=entry.filename(instance))
