from django.apps import AppConfig


class AwardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "awards"
    verbose_name = "Khen thưởng"

    def ready(self) -> None:
        from portal.documents.verify import register_code_lookup

        from .certificates import lookup_certificate
        from .jobs import register_awards_handlers
        from .reminders import register_awards_sources

        register_awards_sources()
        register_awards_handlers()
        register_code_lookup("awards.certificate", lookup_certificate)
