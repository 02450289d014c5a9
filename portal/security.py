"""Request-level protections: the client's address behind the proxy, rate limits on the public
pages, the security headers, and text no one should be able to slip into a name.

The portal runs behind a TLS-terminating proxy (README, docs/operations.md). Every client then
arrives from the proxy's address, so the client's own address is read from X-Forwarded-For —
only the entries the trusted proxies appended (`TRUSTED_PROXY_COUNT`), never the ones a client
may have sent itself.
"""

from __future__ import annotations

import functools
import ipaddress
import time
import unicodedata
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from portal import access

# ---------------------------------------------------------------- the client's address


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The address of the client: REMOTE_ADDR, or behind `TRUSTED_PROXY_COUNT` proxies the
    entry of X-Forwarded-For that the outermost trusted proxy appended."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part]
    if len(forwarded) < count:
        # Not through every trusted proxy (a health check on loopback): the peer itself.
        return remote
    return _valid_ip(forwarded[-count]) or remote


# ---------------------------------------------------------------- rate limits


def _window_text(seconds: int) -> str:
    if seconds % 3600 == 0:
        return f"{seconds // 3600} giờ"
    if seconds % 60 == 0:
        return f"{seconds // 60} phút"
    return f"{seconds} giây"


def too_many(request: HttpRequest, *, limit: int, window: int, retry_after: int) -> HttpResponse:
    body = render_to_string(
        "429.html",
        {"limit": limit, "window": _window_text(window), "retry_after": retry_after},
        request=request,
    )
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def rate_limit(scope: str, *, methods: tuple[str, ...] = ("GET", "POST")) -> Callable:
    """Limit a public view to `RATE_LIMITS[scope]` = (requests, seconds) per client address.

    A fixed window in the "shared" cache (Redis when configured, so every worker counts
    together); over the limit the answer is a Vietnamese 429 with Retry-After.
    """

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def limited(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method in methods:
                limit, window = settings.RATE_LIMITS[scope]
                now = int(time.time())
                slot = now // window
                key = f"rl:{scope}:{client_ip(request)}:{slot}"
                cache = caches["shared"]
                cache.add(key, 0, timeout=window + 1)
                try:
                    count = cache.incr(key)
                except ValueError:  # expired between add and incr
                    cache.set(key, 1, timeout=window + 1)
                    count = 1
                if count > limit:
                    retry = (slot + 1) * window - now
                    return too_many(request, limit=limit, window=window, retry_after=retry)
            return view(request, *args, **kwargs)

        return limited

    return decorate


# ---------------------------------------------------------------- headers


def content_security_policy() -> str:
    # No inline script anywhere (htmx and Bootstrap load from static files); inline style
    # attributes stay allowed, which carries no script.
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "accelerometer=(), gyroscope=(), magnetometer=(), interest-cohort=()"
)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every answer (a file download keeps the
    stricter sandbox policy portal.files gives it)."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


# ---------------------------------------------------------------- the read-only viewer

# What a read-only account may still post: its own session, password and notifications, and
# reading jobs (the unit tree export) and the public pages everyone may use.
READER_POSTS = {
    "logout",
    "password_change",
    "notification_read",
    "notification_read_all",
    "notification_preferences",
    "job_export_units",
    "verify_upload",
    "awards:public_comments",
}


class ReadOnlyMiddleware:
    """A viewer (only Cap.VIEW anywhere) gets 403 with the reason for any other write, before
    the view runs: not a redirect with a workflow message about a step it may never take."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        match = request.resolver_match
        name = match.view_name if match else ""
        # The API answers its own 403 in its JSON error shape (api.core), per token capability.
        if name in READER_POSTS or name.startswith("admin:") or request.path.startswith("/api/"):
            return None
        if access.reads_only(request.user):
            raise PermissionDenied(
                "Tài khoản của bạn chỉ có quyền xem, không thực hiện được thao tác này."
            )
        return None


# ---------------------------------------------------------------- text hygiene

# Characters that change how text reads without showing themselves: bidi overrides and
# isolates (a name that displays reversed), zero-width characters (two names that look equal
# but differ), other format and control characters, and NUL.
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}


def invisible_characters(value: str) -> list[str]:
    """The forbidden characters in `value`, as U+XXXX codes (each once, in order)."""
    found: list[str] = []
    for char in value:
        if char in _ALLOWED_CONTROLS:
            continue
        category = unicodedata.category(char)
        if char in _BIDI or category in {"Cc", "Cf", "Cs", "Co", "Cn"}:
            code = f"U+{ord(char):04X}"
            if code not in found:
                found.append(code)
    return found


def text_refusal(field: str, value: str) -> str | None:
    """The Vietnamese message refusing `value` for `field`, or None when it is clean."""
    found = invisible_characters(value)
    if not found:
        return None
    if "U+0000" in found:
        return (
            f"Trường “{field}” chứa ký tự rỗng (NUL, U+0000), thường do sao chép từ tệp nhị "
            "phân; hãy gõ lại nội dung."
        )
    return (
        f"Trường “{field}” chứa ký tự ẩn hoặc ký tự đảo chiều văn bản ({', '.join(found)}); "
        "hãy xóa chúng hoặc gõ lại nội dung."
    )


class TextHygieneMiddleware:
    """Refuse a request whose query or form values hold invisible control or bidi characters.

    It runs before any view, so no form, import or API may store such text; the answer is a
    Vietnamese 400 naming the field and the characters. Passwords are not inspected (they are
    never shown, and a password manager may generate anything).
    """

    SKIPPED = {"password", "password1", "password2", "old_password", "new_password1"}

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for data in (request.GET, request.POST if request.method == "POST" else {}):
            for key in data:
                if key in self.SKIPPED:
                    continue
                for value in [key, *data.getlist(key)]:
                    message = text_refusal(key, value)
                    if message:
                        return self.refuse(request, message)
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest, message: str) -> HttpResponse:
        body = render_to_string("400.html", {"reason": message}, request=request)
        return HttpResponse(body, status=400)
