"""Every list the API answers is paged: `?page=` and `?page_size=` (at most `max_page_size`), in
`{count, next, previous, results}`; nothing is cut off without the app being told."""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import pagination, serializers


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


PAGE_PARAMETERS = [
    OpenApiParameter("page", int, description="The page, from 1."),
    OpenApiParameter(
        "page_size", int, description=f"Items per page (at most {PageNumberPagination.max_page_size})."
    ),
]


def page_of(serializer_class: type[serializers.Serializer[Any]]) -> serializers.Serializer[Any]:
    """The schema of one page of `serializer_class` items, as `paginated` answers it."""
    name = serializer_class.__name__.removesuffix("Serializer")
    return inline_serializer(
        f"Paginated{name}List",
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer_class(many=True),
        },
    )
