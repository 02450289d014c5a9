from django.apps import AppConfig


class AwardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "awards"
    verbose_name = "Khen thưởng"

    def ready(self) -> None:
        from awards.jobs import register_awards_handlers
        from awards.paperwork.certificates import lookup_certificate
        from awards.reminders import register_awards_sources
        from portal.documents.verify import register_code_lookup

        register_awards_sources()
        register_awards_handlers()
        register_code_lookup("awards.certificate", lookup_certificate)
        _register_private_files()


def _register_private_files() -> None:
    from awards.models import (
        CentralDecision,
        ClearanceRequest,
        Evidence,
        HistoryImport,
        Nomination,
    )
    from portal import access, files
    from portal.access import Cap

    files.register(Nomination, "signed_report")
    files.register(
        Evidence,
        "file",
        scope=lambda user: Evidence.objects.filter(
            nomination__in=Nomination.objects.visible_to(user)
        ),
    )
    files.register(CentralDecision, "file")
    files.register(ClearanceRequest, "answer_file")
    # The sheet names people and their records: only those who keep award history see it.
    files.register(
        HistoryImport,
        "file",
        scope=lambda user: HistoryImport.objects.filter(
            access.cap_scope(user, Cap.MANAGE_AWARD_HISTORY, "unit__path")
        ),
        filename=lambda upload: upload.original_name,
    )
