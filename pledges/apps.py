from django.apps import AppConfig


class PledgesConfig(AppConfig):
    name = "pledges"
    verbose_name = "Đăng ký thi đua"

    def ready(self) -> None:
        from pledges.reminders import register_pledges_sources

        register_pledges_sources()
