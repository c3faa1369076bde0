from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Activities, slots, participation and check-in: the participation issue builds it."""

    name = "events"
    verbose_name = _("Activities and participation")
