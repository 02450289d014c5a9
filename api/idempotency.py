"""`Idempotency-Key` on every POST: the first request with a key writes and its answer is
stored; a retry with the same key and the same body gets that answer back and writes nothing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse

from api.core import ApiError, api
from api.models import IdempotentRequest
from portal.errors import RuleViolation

HEADER = "Idempotency-Key"


def _fingerprint(request: HttpRequest) -> str:
    """The request's content, independent of how the client framed it (a multipart retry
    carries a new boundary, so the raw body cannot be compared)."""
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    if request.content_type == "multipart/form-data":
        for name in sorted(request.POST):
            for value in request.POST.getlist(name):
                digest.update(f"{name}={value}\n".encode())
        for name in sorted(request.FILES):
            for upload in request.FILES.getlist(name):
                content = hashlib.sha256()
                for chunk in upload.chunks():
                    content.update(chunk)
                upload.seek(0)
                digest.update(f"{name}:{upload.name}:{content.hexdigest()}\n".encode())
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _principal(request: HttpRequest) -> str:
    token = getattr(request, "api_token", None)
    return f"token:{token.pk}" if token is not None else f"user:{request.auth.pk}"


def _replay(row: IdempotentRequest) -> HttpResponse:
    # The stored bytes, not the stored JSON: jsonb keeps its keys in its own order, and a
    # client comparing or hashing the two answers must see the same bytes.
    response = HttpResponse(bytes(row.content), status=row.status, content_type="application/json")
    response["Idempotent-Replayed"] = "true"
    return response


def once(request: HttpRequest, write: Callable[[], tuple[int, dict]]) -> HttpResponse:
    """Run `write` (returning status and body) at most once per key of this caller."""
    key = (request.headers.get(HEADER) or "").strip()
    if not key or len(key) > 255:
        raise ApiError(
            400,
            "idempotency_key_required",
            "Mọi yêu cầu POST cần tiêu đề Idempotency-Key (tối đa 255 ký tự), "
            "ví dụ một UUID mới cho mỗi thao tác.",
            HEADER,
        )
    fingerprint = _fingerprint(request)
    principal = _principal(request)
    with transaction.atomic():
        try:
            # The row is inserted first: a concurrent twin waits on the unique index until this
            # transaction ends, then replays instead of writing a second time.
            with transaction.atomic():
                row = IdempotentRequest.objects.create(
                    key=key, principal=principal, request_hash=fingerprint, status=0, content=b""
                )
        except IntegrityError:
            row = IdempotentRequest.objects.select_for_update().get(principal=principal, key=key)
            if row.request_hash != fingerprint:
                raise ApiError(
                    422,
                    "idempotency_key_reused",
                    "Idempotency-Key này đã dùng cho một yêu cầu khác; hãy dùng khóa mới.",
                    HEADER,
                ) from None
            return _replay(row)
        try:
            with transaction.atomic():
                status, body = write()
        except (ApiError, RuleViolation, PermissionDenied, Http404) as exc:
            refused = api.on_exception(request, exc)
            status, body = refused.status_code, json.loads(refused.content)
        response = JsonResponse(body, status=status, safe=False)
        row.status, row.content = status, response.content
        row.save(update_fields=["status", "content"])
    return response
