from django.apps import AppConfig, apps
from django.db.models.signals import pre_save

PROJECT_APPS = ("plan_registry", "volunteer", "events", "matching", "points")


class VolunteerConfig(AppConfig):
    name = "volunteer"
    verbose_name = "ボランティア (people and organisations)"

    def ready(self) -> None:
        # The database's door against individual numbers, for writes that come from no request
        # (the middleware refuses them in requests): see volunteer.privacy.
        from volunteer.privacy import refuse_individual_numbers

        for label in PROJECT_APPS:
            for model in apps.get_app_config(label).get_models():
                pre_save.connect(
                    refuse_individual_numbers,
                    sender=model,
                    dispatch_uid=f"no-individual-number-{label}.{model.__name__}",
                )
