from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo city and its one command, `demo_load`; it has no models of its own."""

    name = "demo"
    verbose_name = "デモ (the demo city)"
