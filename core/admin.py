from django.contrib import admin
from django.http import HttpRequest

from core.access import RoleAdmin
from core.models import OwnCaseRefusal


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
