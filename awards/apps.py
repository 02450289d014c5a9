from django.apps import AppConfig


class AwardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "awards"
    verbose_name = "Khen thưởng"

    def ready(self) -> None:
        from .jobs import register_awards_handlers
        from .reminders import register_awards_sources

        register_awards_sources()
        register_awards_handlers()
