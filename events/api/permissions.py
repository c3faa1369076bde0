"""Who may call the event staff's endpoints: the rule is `events.selectors.acts_for_events`,
which the staff pages ask too; which events each may act on is the selectors' scoping."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from events import selectors
from volunteer.models import User


class IsEventStaff(BasePermission):
    message = _("Only the staff of an approved organisation or the volunteer centre can use this endpoint.")
    code = "not_event_staff"

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        return isinstance(user, User) and user.is_authenticated and selectors.acts_for_events(user=user)
