"""What every filtered list shares: a `search` over a few text columns (each word must appear in
one of them) and an `ordering` that always ends on the primary key, so a page boundary never
splits or repeats rows that tie. django-filter reads them from the query; drf-spectacular
documents them (its django-filter extension) on any generic list view that names a
`filterset_class`."""

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.drainage import set_override
from drf_spectacular.utils import extend_schema_field

MAX_SEARCH_LENGTH = 100


@extend_schema_field({"type": "string", "maxLength": MAX_SEARCH_LENGTH})
class SearchFilter(django_filters.CharFilter):
    """Rows where every word of the query (split on any space, the ideographic one too) appears,
    case-insensitively, in at least one of `fields`."""

    def __init__(self, *, fields: tuple[str, ...], **kwargs: Any) -> None:
        kwargs.setdefault("max_length", MAX_SEARCH_LENGTH)
        kwargs.setdefault("label", _("Words to look for"))
        super().__init__(**kwargs)
        self.search_fields = fields

    def filter(self, qs: QuerySet[Any], value: str) -> QuerySet[Any]:
        for word in (value or "").split():
            match = Q()
            for field in self.search_fields:
                match |= Q(**{f"{field}__icontains": word})
            qs = qs.filter(match)
        return qs


class OrderingFilter(django_filters.OrderingFilter):
    """The named orderings, each ending on the primary key in the same direction as the first."""

    def filter(self, qs: QuerySet[Any], value: list[str] | None) -> QuerySet[Any]:
        if not value:
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        tie_break = "-pk" if ordering[0].startswith("-") else "pk"
        return qs.order_by(*ordering, tie_break)


class _WholeNumberFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField  # type: ignore[assignment]  # a whole number, not a decimal


def whole_number_filter(*, minimum: int, maximum: int, **kwargs: Any) -> django_filters.NumberFilter:
    """A whole number within bounds, documented with them (the number filter takes decimals)."""
    number = _WholeNumberFilter(min_value=minimum, max_value=maximum, **kwargs)
    set_override(number, "field", {"type": "integer", "minimum": minimum, "maximum": maximum})
    return number
