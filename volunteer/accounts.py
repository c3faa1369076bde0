"""Hooks into django-allauth: what sign-up asks besides email and password, and the closed door of
allauth's own social login (identities are linked only through services.identity)."""

import datetime as dt
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.changes import UNCHANGED
from core.text import validate_single_line
from plan_registry.models import Area
from volunteer import services
from volunteer.models import User

OLDEST_AGE = 120


def validate_birth_date(value: dt.date) -> None:
    today = timezone.localdate()
    if value > today:
        raise forms.ValidationError(_("The birth date is in the future."), code="birth_date_in_future")
    if value < today.replace(year=today.year - OLDEST_AGE):
        raise forms.ValidationError(
            _("The birth date is more than %(years)d years ago.") % {"years": OLDEST_AGE},
            code="birth_date_too_old",
        )


class SignupExtraForm(forms.Form):
    """Optional at sign-up: the app may ask for these later through PATCH /api/v1/me/."""

    display_name = forms.CharField(max_length=60, required=False, validators=[validate_single_line])
    birth_date = forms.DateField(required=False, validators=[validate_birth_date])
    school_district = forms.SlugField(required=False)

    def clean_school_district(self) -> Area | None:
        code = self.cleaned_data.get("school_district")
        if not code:
            return None
        area = Area.objects.filter(code=code, kind=Area.Kind.SCHOOL_DISTRICT).first()
        if area is None:
            raise forms.ValidationError(_("Unknown school district."), code="unknown_school_district")
        return area

    def signup(self, request: HttpRequest, user: User) -> None:
        data = self.cleaned_data
        changes = services.ProfileChanges(
            display_name=data.get("display_name") or UNCHANGED,
            birth_date=data.get("birth_date") or UNCHANGED,
            school_district=data.get("school_district") or UNCHANGED,
        )
        services.profile_update(user=user, changes=changes)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return True

    def populate_username(self, request: HttpRequest, user: Any) -> None:
        """There is no username: the email address is the login."""


class NoSocialLoginAdapter(DefaultSocialAccountAdapter):
    """Signing in or connecting through allauth's provider endpoints is closed: identities are
    linked only through `verification_start`/`verification_complete`."""

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        raise ImmediateHttpResponse(
            JsonResponse(
                {"code": "use_identity_verification", "message": "POST /api/v1/me/identity/verification/"},
                status=403,
            )
        )
