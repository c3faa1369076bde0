from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    """The points ledger, rules and certificates; listens to events for verified participation."""

    name = "points"
    verbose_name = _("Points and certificates")

    def ready(self) -> None:
        from points import receivers  # noqa: F401 - connects the receiver of events' signal
