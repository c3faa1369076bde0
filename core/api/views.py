"""Small pieces every app's API views share: page a list, validate an input serializer, let a
download through content negotiation; and the API's own small views (ping, the error catalogue)."""

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import renderers, serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import catalogue
from core.api.throttling import AddressRateThrottle


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


class ErrorCodeSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    status = serializers.IntegerField(help_text="The HTTP status it comes with.")
    messages = inline_serializer(
        "ErrorMessages",
        {"ja": serializers.CharField(), "en": serializers.CharField()},
        help_text="The message in each language the API answers in (Accept-Language).",
    )


class ErrorCatalogueView(APIView):
    """Every error code the API can answer, with its status and its messages in Japanese and
    English; each operation's own codes are listed in the schema, under each status."""

    permission_classes = [AllowAny]
    throttle_classes = [AddressRateThrottle]

    @extend_schema(responses=ErrorCodeSerializer(many=True))
    def get(self, request: Request) -> Response:
        entries = catalogue.catalogue()
        messages: dict[str, dict[str, str]] = {entry.code: {} for entry in entries}
        for language in ("ja", "en"):
            with translation.override(language):
                for entry in entries:
                    messages[entry.code][language] = str(entry.message)
        rows = [{"code": e.code, "status": e.status, "messages": messages[e.code]} for e in entries]
        return Response(rows)


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
