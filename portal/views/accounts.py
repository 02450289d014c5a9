"""Password reset by e-mail: Django's views, Vietnamese pages and mail, and a rate limit.

Django's reset views are sound (one-use tokens, no answer that tells whether an address has an
account) but take any number of requests: one address could be flooded with mail, or the form
used to probe. Each client address may ask RESET_PER_CLIENT times and each e-mail address
RESET_PER_EMAIL times per RESET_WINDOW; past that the page says to wait, and nothing is sent.
"""

from __future__ import annotations

from urllib.parse import urlparse

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.urls import reverse_lazy

RESET_WINDOW = 60 * 60
RESET_PER_CLIENT = 5
RESET_PER_EMAIL = 3
TOO_MANY = (
    "Bạn đã yêu cầu đặt lại mật khẩu quá nhiều lần. Hãy đợi một giờ rồi thử lại, "
    "hoặc liên hệ quản trị hệ thống."
)


def _over_limit(key: str, limit: int) -> bool:
    """Count one request under `key`; True once the window's limit is passed."""
    cache.add(key, 0, RESET_WINDOW)
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RESET_WINDOW)
        return False


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        client = self.request.META.get("REMOTE_ADDR", "")
        email = form.cleaned_data["email"].strip().lower()
        if _over_limit(f"password-reset:client:{client}", RESET_PER_CLIENT) or _over_limit(
            f"password-reset:email:{email}", RESET_PER_EMAIL
        ):
            form.add_error(None, TOO_MANY)
            return self.form_invalid(form)
        # Links point at the portal's public address, not at whatever Host the request named:
        # the form lets the extra context override the domain and protocol it would write.
        site = urlparse(settings.SITE_URL)
        self.extra_email_context = {
            "site_name": "Cổng thi đua – khen thưởng",
            "domain": site.netloc,
            "protocol": site.scheme,
        }
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")
