"""Every request made with a service token is logged with its answer's status (the audit)."""

from __future__ import annotations

from api import tokens


class TokenUseLog:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        token = getattr(request, "api_token", None)
        if token is not None:
            tokens.log_use(
                token,
                method=request.method,
                path=request.get_full_path(),
                status=response.status_code,
                ip=request.META.get("REMOTE_ADDR"),
            )
        return response
