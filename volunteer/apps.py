from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteerConfig(AppConfig):
    name = "volunteer"
    verbose_name = _("People and organisations")
