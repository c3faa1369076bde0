from django.apps import AppConfig


class MatchingConfig(AppConfig):
    """Offers (したい), needs (してほしい), matches and the engine: the matching issue builds it."""

    name = "matching"
    verbose_name = "マッチング (matching)"
