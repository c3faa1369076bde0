"""Who acts for the plan office: a permission class the project names in settings
(PLAN_OFFICE_PERMISSION), so that the registry imports no domain app. Used by the API and by
the staff page alike."""

from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string
from rest_framework.permissions import BasePermission


class PlanOfficeOnly(BasePermission):
    def __init__(self) -> None:
        self._checked = import_string(settings.PLAN_OFFICE_PERMISSION)()
        self.message = getattr(self._checked, "message", None)
        self.code = getattr(self._checked, "code", None)

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(self._checked.has_permission(request, view))
