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
        _register_private_files()


def _register_private_files() -> None:
    from portal import files
    from reports.models import PeriodicReport

    files.register(PeriodicReport, "pdf")
    files.register(PeriodicReport, "xlsx")
