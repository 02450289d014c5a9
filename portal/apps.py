from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Cổng thi đua – khen thưởng"

    def ready(self) -> None:
        # Domain apps register their reminder sources and job handlers the same way.
        from portal import widgets
        from portal.background.jobs import register_portal_handlers
        from portal.background.reminders import register_portal_sources

        register_portal_sources()
        register_portal_handlers()
        _register_private_files()
        _register_copy_codes()
        _drop_cached_calendar_on_edit()
        widgets.install()
        _vietnamese_library_names()


# Libraries' tables the admin lists: django-axes (login lockout) ships no Vietnamese catalogue,
# and Django's own one has no plural for sessions.
LIBRARY_NAMES = {
    "axes.AccessAttempt": ("lần đăng nhập sai", "các lần đăng nhập sai"),
    "axes.AccessAttemptExpiration": ("hạn khóa đăng nhập", "các hạn khóa đăng nhập"),
    "axes.AccessFailureLog": ("nhật ký đăng nhập sai", "nhật ký đăng nhập sai"),
    "axes.AccessLog": ("nhật ký đăng nhập", "nhật ký đăng nhập"),
    "sessions.Session": ("phiên đăng nhập", "phiên đăng nhập"),
    "api.TokenUse": ("lượt dùng khóa API", "lượt dùng khóa API"),
    "api.IdempotentRequest": ("yêu cầu API không lặp", "yêu cầu API không lặp"),
    "api.WebhookEvent": ("sự kiện webhook", "sự kiện webhook"),
    "api.WebhookDelivery": ("lượt gửi webhook", "lượt gửi webhook"),
}


def _vietnamese_library_names() -> None:
    from django.apps import apps

    if apps.is_installed("axes"):
        apps.get_app_config("axes").verbose_name = "Chống dò mật khẩu"
    for label, (singular, plural) in LIBRARY_NAMES.items():
        app_label, _, name = label.partition(".")
        if apps.is_installed(f"django.contrib.{app_label}") or apps.is_installed(app_label):
            meta = apps.get_model(app_label, name)._meta
            meta.verbose_name, meta.verbose_name_plural = singular, plural


def _register_private_files() -> None:
    from portal import files
    from portal.models import DocumentCopy, Job, OfficialDocument, OutsideSigning

    files.register(OfficialDocument, "pdf")
    files.register(DocumentCopy, "pdf", filename=lambda copy: f"{copy}.pdf".replace("/", "-"))
    files.register(OfficialDocument, "annex_pdf")
    # The paper handed to the signer and the file they brought back: for those who see the
    # document it belongs to.
    for field in ("produced", "signed"):
        files.register(
            OutsideSigning,
            field,
            scope=lambda user: OutsideSigning.objects.filter(
                document__in=OfficialDocument.objects.visible_to(user)
            ),
        )
    files.register(Job, "result_file")


def _register_copy_codes() -> None:
    from portal.documents.copies import lookup_copy
    from portal.documents.verify import register_code_lookup

    register_code_lookup("portal.copy", lookup_copy)


def _drop_cached_calendar_on_edit() -> None:
    """Cache invalidation only: the working-day functions read a cached holiday map."""
    from django.db import transaction
    from django.db.models.signals import post_delete, post_save

    from portal import calendar
    from portal.models import Holiday

    def forget(**kwargs) -> None:
        calendar.forget()
        # Again after commit, in case a reader cached the old rows before the commit.
        transaction.on_commit(calendar.forget)

    # weak=False: the receiver is a local function that nothing else keeps alive.
    post_save.connect(forget, sender=Holiday, weak=False, dispatch_uid="portal.calendar.save")
    post_delete.connect(forget, sender=Holiday, weak=False, dispatch_uid="portal.calendar.delete")
