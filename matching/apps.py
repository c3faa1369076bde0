from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    """Offers (したい), needs (してほしい), matches and the engine: the matching issue builds it."""

    name = "matching"
    verbose_name = _("Matching")
