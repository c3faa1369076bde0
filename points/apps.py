from django.apps import AppConfig


class PointsConfig(AppConfig):
    """The points ledger, rules and certificates; listens to events for verified participation."""

    name = "points"
    verbose_name = "ポイント (points)"

    def ready(self) -> None:
        from points import receivers  # noqa: F401 - connects the receiver of events' signal
