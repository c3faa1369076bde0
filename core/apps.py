from django.apps import AppConfig
from django.db.models.signals import pre_save
from django.urls import register_converter
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Shared records")

    def ready(self) -> None:
        # The database's door against individual numbers, for writes that come from no request
        # (the middleware refuses them in requests): see core.privacy.
        from core import checks  # noqa: F401 (registers the start-up check of the guard)
        from core.limits import IdConverter
        from core.privacy import install_log_redaction, project_models, refuse_individual_numbers

        install_log_redaction()  # no log line carries an individual number
        # Each app's personal_data module declares what it holds about a person (core.personal_data).
        from core.personal_data import core_holdings

        core_holdings()
        autodiscover_modules("personal_data")

        register_converter(IdConverter, "id")

        for model in project_models():
            pre_save.connect(
                refuse_individual_numbers,
                sender=model,
                dispatch_uid=f"no-individual-number-{model._meta.label}",
            )
