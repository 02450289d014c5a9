"""The API object: authentication (token or session), rate limits and the one error shape."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from api import tokens
from portal.errors import RuleViolation
from portal.security import client_ip


class Error(Schema):
    """Every refusal of the API: a stable code, a Vietnamese message, the field at fault."""

    code: str
    message: str
    field: str | None = None


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


class TokenAuth(HttpBearer):
    """`Authorization: Bearer td_…`: the unit's service token; every use is logged."""

    def authenticate(self, request: HttpRequest, token: str):
        found = tokens.find_token(token)
        if found is None:
            return None
        principal = tokens.principal_for(found)
        request.user = principal  # the history middleware records the maker as the actor
        request.api_token = found
        return principal


class PortalSession(SessionAuth):
    """The pages' own htmx calls: the signed-in user's session (CSRF-checked on writes)."""


class _Rate:
    """Rates read from settings on each request, so that a deployment (or a test) sets them."""

    setting = ""

    def get_rate(self):
        return settings.API_RATE_LIMITS[self.setting]

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_ident(self, request: HttpRequest):
        # Behind the TLS proxy REMOTE_ADDR is the proxy's: every client would share one count.
        return client_ip(request)


class PerClientRate(_Rate, AuthRateThrottle):
    setting = "authenticated"
    scope = "api-auth"

    def get_cache_key(self, request: HttpRequest):
        if getattr(request, "auth", None) is None:
            return None
        token = getattr(request, "api_token", None)
        ident = f"token:{token.pk}" if token else f"user:{request.auth.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class PerAddressRate(_Rate, AnonRateThrottle):
    setting = "anonymous"
    scope = "api-anon"


api = NinjaAPI(
    title="API Cổng thi đua – khen thưởng",
    version="1",
    description=(
        "API mở của cổng: đọc dữ liệu trong phạm vi đơn vị, báo cáo tiến độ, lập hồ sơ đề nghị, "
        "nhận sự kiện qua webhook. Xác thực bằng khóa API của đơn vị (`Authorization: Bearer …`) "
        "hoặc phiên đăng nhập của trang. Mọi lỗi có dạng `{code, message, field}`."
    ),
    urls_namespace="api",
    auth=[TokenAuth(), PortalSession()],
    throttle=[PerClientRate(), PerAddressRate()],
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def error(request: HttpRequest, status: int, code: str, message: str, field=None) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": message, "field": field}, status=status
    )


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    return error(request, exc.status, exc.code, exc.message, exc.field)


@api.exception_handler(RuleViolation)
def _rule(request, exc: RuleViolation):
    return error(request, 422, exc.code or "rule_violation", exc.message)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error(request, 404, "not_found", "Không tìm thấy (hoặc nằm ngoài phạm vi của bạn).")


@api.exception_handler(PermissionDenied)
def _denied(request, exc):
    message = str(exc) or "Bạn không có quyền thực hiện thao tác này."
    return error(request, 403, "forbidden", message)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return error(
        request,
        401,
        "unauthenticated",
        "Cần khóa API hợp lệ (Authorization: Bearer …) hoặc đăng nhập. "
        "Khóa có thể đã hết hạn hoặc bị thu hồi.",
    )


@api.exception_handler(Throttled)
def _throttled(request, exc: Throttled):
    return error(
        request,
        429,
        "rate_limited",
        "Quá nhiều yêu cầu trong thời gian ngắn, vui lòng thử lại sau.",
    )


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    first = exc.errors[0] if exc.errors else {}
    location = [
        str(part)
        for part in first.get("loc", ())
        if part not in ("body", "query", "path", "form", "file")
    ]
    return error(
        request,
        422,
        "invalid",
        f"Dữ liệu không hợp lệ: {first.get('msg', '')}.",
        ".".join(location) or None,
    )


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return error(request, exc.status_code, "http_error", str(exc))
