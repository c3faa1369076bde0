from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisasterConfig(AppConfig):
    """Disaster mode: declared disasters, shelters, the disaster volunteer centre."""

    name = "disaster"
    verbose_name = _("Disaster mode")
