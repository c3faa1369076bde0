"""The staff site (Django's admin at /staff/), opened by roles: anyone whose role gives them a
task page (a coordinator, the plan office, an administrator, the active staff of an approved
organisation) signs in and finds their menu, whether or not an administrator also ticked
Django's `is_staff`. The flag alone still admits (an account kept for the site's own pages); a
resident with neither is refused at the sign-in, as before. What each person then sees is decided
by their roles (config.staff_menu, core.access.RoleAdmin)."""

from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from config.staff_menu import menu_for


def has_a_staff_role(user: Any) -> bool:
    request = HttpRequest()
    request.user = user
    request.path = "/staff/"
    return bool(menu_for(request))


def admitted(user: Any) -> bool:
    return bool(user.is_active and (user.is_staff or has_a_staff_role(user)))


class StaffAuthenticationForm(AdminAuthenticationForm):
    def confirm_login_allowed(self, user: Any) -> None:
        AuthenticationForm.confirm_login_allowed(self, user)  # an inactive account is refused first
        if not admitted(user):
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class StaffSite(admin.AdminSite):
    site_header = "熊本市ボランティア・ポイント 職員ページ"
    site_title = "職員ページ"
    index_title = "業務メニュー"
    login_form = StaffAuthenticationForm

    def has_permission(self, request: HttpRequest) -> bool:
        return admitted(request.user)
