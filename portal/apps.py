from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Cổng thi đua – khen thưởng"

    def ready(self) -> None:
        # Domain apps register their reminder sources and job handlers the same way.
        from portal.jobs import register_portal_handlers
        from portal.reminders import register_portal_sources

        register_portal_sources()
        register_portal_handlers()
