"""Small pieces every app's API views share: page a list, validate an input serializer, let a
download through content negotiation."""

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import renderers, serializers
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


class _Download(renderers.BaseRenderer):
    """Lets a download's own media type through content negotiation (an app asking with
    `Accept: application/pdf` gets the file, not 406); the view answers the file itself. An
    error on the way is rendered as JSON, with the JSON content type, whatever was asked for."""

    charset = None

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> Any:
        if isinstance(data, bytes | str):
            return data
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return renderers.JSONRenderer().render(data, "application/json", renderer_context)


def download_renderers(media_type: str, format_name: str) -> list[type[renderers.BaseRenderer]]:
    """The renderers of a view that answers a file of `media_type`: JSON first (so `*/*` and
    errors get JSON), then the file's own type."""
    renderer = type(
        f"{format_name.title()}Download", (_Download,), {"media_type": media_type, "format": format_name}
    )
    return [renderers.JSONRenderer, renderer]
