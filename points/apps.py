from django.apps import AppConfig


class PointsConfig(AppConfig):
    """The points ledger, rules and certificates: the participation issue builds it."""

    name = "points"
    verbose_name = "ポイント (points)"
