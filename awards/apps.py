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
