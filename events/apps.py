from django.apps import AppConfig


class EventsConfig(AppConfig):
    """Activities, slots, participation and check-in: the participation issue builds it."""

    name = "events"
    verbose_name = "活動 (events)"
