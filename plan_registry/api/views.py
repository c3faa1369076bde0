from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from plan_registry import selectors
from plan_registry.api.serializers import (
    AreaNodeSerializer,
    IndicatorDetailSerializer,
    IndicatorQuerySerializer,
    IndicatorSerializer,
    PlanQuerySerializer,
    PlanSerializer,
)
from plan_registry.models import Area, Indicator


class PlanView(APIView):
    """The plan's tree: basic policies → viewpoints → initiatives → programmes."""

    permission_classes = [AllowAny]
    filter_serializer_class = PlanQuerySerializer

    @extend_schema(parameters=[PlanQuerySerializer], responses=PlanSerializer)
    def get(self, request: Request) -> Response:
        query = PlanQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        plan = selectors.plan_get(code=query.validated_data.get("plan"))
        if plan is None:
            raise exceptions.NotFound()
        return Response(PlanSerializer(plan).data)


class IndicatorListView(generics.ListAPIView[Indicator]):
    permission_classes = [AllowAny]
    serializer_class = IndicatorSerializer
    filter_serializer_class = IndicatorQuerySerializer

    @extend_schema(parameters=[IndicatorQuerySerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        query = IndicatorQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.indicator_list(
            plan_code=query.validated_data.get("plan"), source=query.validated_data.get("source")
        )


class IndicatorDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=IndicatorDetailSerializer)
    def get(self, request: Request, code: str) -> Response:
        indicator = selectors.indicator_get(code=code)
        if indicator is None:
            raise exceptions.NotFound()
        return Response(IndicatorDetailSerializer(indicator).data)


class AreaTreeView(APIView):
    """The city → wards → daily-life areas → school districts, nested."""

    permission_classes = [AllowAny]

    @extend_schema(responses=AreaNodeSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(_area_tree(list(selectors.area_list())))


def _area_tree(areas: list[Area]) -> list[dict[str, Any]]:
    nodes: dict[int, dict[str, Any]] = {
        area.pk: {
            "code": area.code,
            "kind": area.kind,
            "name": area.name,
            "name_en": area.name_en,
            "is_demo": area.is_demo,
            "neighbours": sorted(neighbour.code for neighbour in area.neighbours.all()),
            "children": [],
        }
        for area in areas
    }
    roots = []
    for area in areas:
        if area.parent_id is None:
            roots.append(nodes[area.pk])
        else:
            nodes[area.parent_id]["children"].append(nodes[area.pk])
    return roots
