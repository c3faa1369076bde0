from django.apps import apps
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core.access import RoleAdmin
from core.models import OwnCaseRefusal

# django-axes (the staff sign-in's lockouts, core.staff_login) ships no Japanese: its pages take
# their words from our catalogue, under its own msgids, listed here so that makemessages keeps them.
AXES_MSGIDS = (
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("Access Attempt"),
    gettext_noop("Access lock out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Attempt Time"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Expires At"),
    gettext_noop("Failed Logins"),
    gettext_noop("Form Data"),
    gettext_noop("GET Data"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Locked Out"),
    gettext_noop("Logout Time"),
    gettext_noop("Meta Data"),
    gettext_noop("Not set"),
    gettext_noop("POST Data"),
    gettext_noop("Path"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("User Agent"),
)


def axes_pages_labelled() -> None:
    """What axes leaves untranslatable: its app's name and two columns without a description."""
    if not apps.is_installed("axes"):
        return
    from axes.admin import AccessAttemptAdmin

    apps.get_app_config("axes").verbose_name = _("Staff sign-ins")
    AccessAttemptAdmin.status.short_description = _("status")
    AccessAttemptAdmin.expiration.short_description = _("expires at")


axes_pages_labelled()


@admin.display(description=_("No."), ordering="pk")
def number(row: models.Model) -> str:
    """The row's id, headed in the staff site's language (a plain "pk" column is headed "PK")."""
    return str(row.pk)


@admin.register(OwnCaseRefusal)
class OwnCaseRefusalAdmin(RoleAdmin, admin.ModelAdmin[OwnCaseRefusal]):
    """Who tried to decide on their own case, on what, when: read by administrators, written only
    by core.duties. (The role name is the people app's, which the floor does not import.)"""

    list_display = ["at", "actor", "subject"]
    search_fields = ["subject"]
    view_roles = ("administrator",)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
