from django.apps import AppConfig


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = "API và trao đổi dữ liệu"

    def ready(self) -> None:
        from api.webhooks.outbox import listen_for_events

        listen_for_events()
