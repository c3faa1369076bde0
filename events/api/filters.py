"""The events list's filters: dates, area (a ward covers its districts), category, programme,
free places, a `search` over the title, the organiser and the category, and an `ordering`."""

import datetime as dt
from typing import Any

import django_filters
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.api.filters import OrderingFilter, SearchFilter
from events.models import Activity
from plan_registry.models import Area, Programme
from volunteer.models import ActivityCategory
from volunteer.selectors import area_ids_covered


class EventFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(
        method="ending_on_or_after",
        label=_("Events still running on or after this date (by default, from now on)"),
    )
    date_to = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__lte", label=_("Events starting on or before this date")
    )
    area = django_filters.ModelChoiceFilter(
        queryset=Area.objects.all(), to_field_name="code", method="in_area", label=_("An area's code")
    )
    category = django_filters.ModelChoiceFilter(
        queryset=ActivityCategory.objects.all(), to_field_name="code", label=_("A category's code")
    )
    programme = django_filters.ModelChoiceFilter(
        queryset=Programme.objects.all(), label=_("A programme's id")
    )
    with_free_places = django_filters.BooleanFilter(
        method="with_places", label=_("Only events with free places")
    )
    search = SearchFilter(fields=("title", "organisation__name", "category__name", "category__name_en"))
    ordering = OrderingFilter(
        fields=(("starts_at", "starts_at"), ("free_places", "free_places")),
        label=_("Order: starts_at (soonest first, the default) or free_places, '-' for the reverse"),
    )

    class Meta:
        model = Activity
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # What a resident can still join: from now on unless the app asks from a date.
        if self.form.cleaned_data.get("date_from") is None:
            queryset = queryset.filter(ends_at__gte=timezone.now())
        queryset = queryset.annotate(free_places=F("capacity") - F("taken_count"))
        return super().filter_queryset(queryset)

    def ending_on_or_after(self, queryset: QuerySet[Any], name: str, value: dt.date) -> QuerySet[Any]:
        return queryset.filter(ends_at__date__gte=value)

    def in_area(self, queryset: QuerySet[Any], name: str, value: Area) -> QuerySet[Any]:
        return queryset.filter(school_district_id__in=area_ids_covered(areas=[value]))

    def with_places(self, queryset: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        return queryset.filter(free_places__gt=0) if value else queryset


class PublicEventFilter(EventFilter):
    """Events not yet over, whatever `date_from` says (the public detail of an ended one is a 404)."""

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return super().filter_queryset(queryset.filter(ends_at__gte=timezone.now()))
