from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class PlanRegistryConfig(AppConfig):
    name = "plan_registry"
    verbose_name = _("Plan registry")

    def ready(self) -> None:
        # Each installed app's indicator_feeds module registers its feeds (see feeds.py); found
        # by name at start-up, so the plan registry imports no domain app.
        autodiscover_modules("indicator_feeds")
        from plan_registry import checks  # noqa: F401 (registers the start-up check of the feeds)
