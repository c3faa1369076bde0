"""The coordinator's queue's filters, shared by the API and the staff page: status, area (a
ward covers its districts), category, age, a `search` over what the request says and who asked
through which organisation, and an `ordering`. Names of people are left out of `search`: a
query string reaches the access log."""

import datetime as dt
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.api.filters import OrderingFilter, SearchFilter, whole_number_filter
from matching.models import Match
from matching.selectors import MAX_QUEUE_AGE_HOURS
from plan_registry.models import Area
from volunteer.models import ActivityCategory
from volunteer.selectors import area_ids_covered


class StaffMatchFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Match.Status.choices, label=_("The match's status"))
    area = django_filters.ModelChoiceFilter(
        queryset=Area.objects.all(), to_field_name="code", method="in_area", label=_("An area's code")
    )
    category = django_filters.ModelChoiceFilter(
        queryset=ActivityCategory.objects.all(),
        to_field_name="code",
        field_name="need__category",
        label=_("A category's code"),
    )
    older_than_hours = whole_number_filter(
        method="proposed_before",
        minimum=0,
        maximum=MAX_QUEUE_AGE_HOURS,
        label=_("Only proposals waiting at least this many hours"),
    )
    search = SearchFilter(
        fields=(
            "need__title",
            "need__note",
            "need__organisation__name",
            "need__category__name",
            "need__school_district__name",
        )
    )
    ordering = OrderingFilter(
        fields=(("proposed_at", "proposed_at"), ("cost", "cost")),
        label=_("Order: proposed_at (oldest first, the default) or cost (the engine's, best first)"),
    )

    class Meta:
        model = Match
        fields: list[str] = []

    def in_area(self, queryset: QuerySet[Any], name: str, value: Area) -> QuerySet[Any]:
        return queryset.filter(need__school_district_id__in=area_ids_covered(areas=[value]))

    def proposed_before(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return queryset.filter(proposed_at__lt=timezone.now() - dt.timedelta(hours=int(value)))
