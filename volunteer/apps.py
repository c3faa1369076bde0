from django.apps import AppConfig


class VolunteerConfig(AppConfig):
    name = "volunteer"
    verbose_name = "ボランティア (people and organisations)"
