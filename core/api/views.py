"""Small pieces every app's API views share: page a list, validate an input serializer."""

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


def paginated(request: Request, view: APIView, items: Any, render: Any) -> Response:
    """One page of `items`, each rendered. The view must declare its `pagination_class`: that is
    what tells the schema the answer is a page (a list view without it fails its first request)."""
    pagination_class = getattr(view, "pagination_class", None)
    if pagination_class is None:
        raise ImproperlyConfigured(
            f"{type(view).__name__} pages its list: set pagination_class for the schema"
        )
    paginator = pagination_class()
    page = paginator.paginate_queryset(items, request, view=view)
    return paginator.get_paginated_response([render(item) for item in page or []])


def validated(serializer_class: type[Any], data: Any, **kwargs: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class PingView(APIView):
    """Answers a signed-in app at once: lets the app check its session token (and is the
    framework's floor in `scripts/bench_checkin.py`)."""

    @extend_schema(responses=inline_serializer("Pong", {"pong": serializers.BooleanField()}))
    def get(self, request: Request) -> Response:
        return Response({"pong": True})
