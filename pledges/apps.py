from django.apps import AppConfig


class PledgesConfig(AppConfig):
    name = "pledges"
    verbose_name = "Đăng ký thi đua"

    def ready(self) -> None:
        from pledges.reminders import register_pledges_sources

        register_pledges_sources()
        _register_private_files()


def _register_private_files() -> None:
    from pledges.models import Evidence, Pledge, PledgeSignature, Registration
    from portal import files

    files.register(
        Evidence,
        "file",
        scope=lambda user: Evidence.objects.filter(
            report__task__registration__in=Registration.objects.visible_to(user)
        ),
        filename=lambda evidence: evidence.original_name,
    )
    files.register(Pledge, "scan")
    files.register(
        PledgeSignature,
        "paper_scan",
        scope=lambda user: PledgeSignature.objects.filter(
            pledge__in=Pledge.objects.visible_to(user)
        ),
    )
