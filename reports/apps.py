from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "Báo cáo định kỳ"

    def ready(self) -> None:
        from reports.reminders import register_reports_sources
        from reports.services import register_reports_handlers

        register_reports_handlers()
        register_reports_sources()
