"""The staff queues of held points: by status, by words in the reward (a redemption) or by fiscal
year (a conversion), in an `ordering`. Names of people are left out of `search`: a query string
reaches the access log."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.api.filters import OrderingFilter, SearchFilter, whole_number_filter
from points.models import ConversionRequest, Redemption


class StaffRedemptionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Redemption.Status.choices, label=_("The redemption's status")
    )
    search = SearchFilter(fields=("reward__name", "reward__scheme__name"))
    ordering = OrderingFilter(
        fields=(("created_at", "created_at"), ("amount", "amount")),
        label=_("Order: created_at or amount, '-' for the reverse (newest first by default)"),
    )

    class Meta:
        model = Redemption
        fields: list[str] = []


class StaffConversionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=ConversionRequest.Status.choices, label=_("The conversion's status")
    )
    fiscal_year = whole_number_filter(minimum=2019, maximum=2100, label=_("The fiscal year converted"))
    ordering = OrderingFilter(
        fields=(("created_at", "created_at"), ("yen", "yen")),
        label=_("Order: created_at or yen, '-' for the reverse (newest first by default)"),
    )

    class Meta:
        model = ConversionRequest
        fields: list[str] = []
