from django.apps import AppConfig


class MilestonesConfig(AppConfig):
    name = "milestones"
    verbose_name = "Targets, evidence and compliance"

    def ready(self) -> None:
        from . import audit  # noqa: F401  (connects the sign-in receivers)
