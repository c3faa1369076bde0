from django.apps import AppConfig


class PlanRegistryConfig(AppConfig):
    name = "plan_registry"
    verbose_name = "計画 (plan registry)"
