"""Who may use an endpoint or a staff page, asked of the user model in no app's words.

The project's user model answers `has_any_role(*roles)` (the roles themselves are the people
app's words). A `RolePermission` for the API and `role_required` for the staff pages ask that
same question, so an endpoint and its page can never disagree about who gets in.
"""

from typing import Any, ClassVar, Protocol, runtime_checkable

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from rest_framework.permissions import BasePermission


@runtime_checkable
class HasRoles(Protocol):
    is_authenticated: bool

    def has_any_role(self, *roles: str) -> bool: ...


def user_has_any_role(user: object, *roles: str) -> bool:
    return isinstance(user, HasRoles) and user.is_authenticated and user.has_any_role(*roles)


class RolePermission(BasePermission):
    """Admits a signed-in person who holds one of `roles`; subclasses name the roles."""

    roles: ClassVar[tuple[str, ...]] = ()
    message: Any = None
    code: str | None = None

    def has_permission(self, request: Any, view: Any) -> bool:
        return user_has_any_role(request.user, *self.roles)


def admits(request: HttpRequest, permission: type[BasePermission]) -> bool:
    """Whether an endpoint's permission admits the person making a page's request (no view)."""
    return bool(permission().has_permission(request, None))  # type: ignore[arg-type]  # (a page's request)


def role_required(request: HttpRequest, permission: type[BasePermission]) -> None:
    """The same rule for a staff page: refused with 403 unless the permission admits the person
    (the staff site's refusal page, which offers the pages the person may open)."""
    if not admits(request, permission):
        raise PermissionDenied


class RoleAdmin:
    """A page of the staff site (Django's admin) opened by roles, the rule the API and the other
    staff pages ask, rather than by Django's per-model permissions, which would be a second copy to
    keep in step. `view_roles` may look; `change_roles` may add, change and delete where the page
    allows it; a superuser may do everything. Which rows are listed is each page's `get_queryset`,
    scoped by the app's selectors. Mixed in before `admin.ModelAdmin` (or an inline)."""

    view_roles: ClassVar[tuple[str, ...]] = ()
    change_roles: ClassVar[tuple[str, ...]] = ()

    @staticmethod
    def _admits(request: HttpRequest, roles: tuple[str, ...]) -> bool:
        user = request.user
        if user.is_active and user.is_superuser:
            return True
        return bool(roles) and user_has_any_role(user, *roles)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._admits(request, self.view_roles + self.change_roles)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._admits(request, self.view_roles + self.change_roles)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._admits(request, self.change_roles)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._admits(request, self.change_roles)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._admits(request, self.change_roles)


def staff_page_context(request: HttpRequest, title: str, **extra: Any) -> dict[str, Any]:
    """A staff page's template context: the staff site's header, menu and title, then the page's own."""
    return {**admin.site.each_context(request), "title": title, **extra}
