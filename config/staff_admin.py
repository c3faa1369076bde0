"""Django's admin app, with the staff site (config.staff_site.StaffSite) as its default site. Apart
from that module so that INSTALLED_APPS can name it before any model is loaded."""

from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    default_site = "config.staff_site.StaffSite"
