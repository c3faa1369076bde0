from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.pagination import PageNumberPagination
from core.api.schema import refuses
from core.api.views import download_renderers, paginated
from core.errors import NotFound, ReasonRequired
from plan_registry import errors, open_data, report, selectors
from plan_registry.api.serializers import (
    AreaNodeSerializer,
    FeedOutcomeSerializer,
    FeedRunInputSerializer,
    FeedRunSerializer,
    FiscalYearActionSerializer,
    FiscalYearStateSerializer,
    IndicatorDetailSerializer,
    IndicatorQuerySerializer,
    IndicatorSerializer,
    IndicatorValueSerializer,
    ManualValueInputSerializer,
    ManualValueSerializer,
    PlanQuerySerializer,
    PlanSerializer,
    ReportQuerySerializer,
    ReportRowSerializer,
)
from plan_registry.models import Area, FiscalYearEvent, Indicator
from plan_registry.permissions import PlanOfficeOnly
from plan_registry.services import feeds_run, fiscal_year_close, fiscal_year_reopen, manual_value_record


class PlanView(APIView):
    """The plan's tree: basic policies → viewpoints → initiatives → programmes."""

    permission_classes = [AllowAny]
    filter_serializer_class = PlanQuerySerializer

    @extend_schema(parameters=[PlanQuerySerializer], responses=PlanSerializer)
    @refuses(NotFound)
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
    """An indicator with its totals by year and area, as open data shows them: a value open data
    suppresses is left out (else this public page would give back what open data hides), the
    parts of a breakdown are in open data only, with their keys, and how many people a value
    rests on stays with the plan office (those counts add up the areas as the values do)."""

    permission_classes = [AllowAny]

    @extend_schema(responses=IndicatorDetailSerializer)
    def get(self, request: Request, code: str) -> Response:
        indicator = selectors.indicator_get(code=code)
        if indicator is None:
            raise exceptions.NotFound()
        data = IndicatorDetailSerializer(indicator).data
        published = selectors.indicator_values_published(indicator=indicator)
        data["values"] = [
            {**shown, "provenance": _without_counts(shown["provenance"])}
            for shown in IndicatorValueSerializer(published, many=True).data
        ]
        return Response(data)


def _without_counts(provenance: Any) -> Any:
    return (
        {k: v for k, v in provenance.items() if k != "rows_counted"}
        if isinstance(provenance, dict)
        else provenance
    )


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


def _report(request: Request) -> tuple[list[report.ReportRow], int]:
    query = ReportQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    fiscal_year = query.validated_data["fiscal_year"]
    return report.report_for(fiscal_year=fiscal_year, plan_code=query.validated_data.get("plan")), fiscal_year


def _value(value: Any) -> dict[str, Any]:
    return {
        "fiscal_year": value.fiscal_year,
        "value": value.value,
        "source": value.source,
        "provenance": value.provenance,
    }


def _report_row(row: report.ReportRow) -> dict[str, Any]:
    i = row.indicator
    return {
        "plan": i.plan.code,
        "code": i.code,
        "label": i.label,
        "name": i.name,
        "unit": i.unit,
        "direction": i.direction,
        "source": i.source,
        "baseline_fiscal_year": i.baseline_fiscal_year,
        "baseline_value": i.baseline_value,
        "target_fiscal_year": i.target_fiscal_year,
        "target_value": i.target_value,
        "value": _value(row.value) if row.value else None,
        "values": [_value(v) for _, v in sorted(row.by_year.items())],
        "achievement_rate": row.achievement_rate,
        "on_track": row.on_track,
        "by_ward": [{"ward": area.code, "name": area.name, "value": value} for area, value in row.by_ward],
        "parts": [{"label": label, "value": value} for label, value in row.parts],
        "proxy": {"code": row.proxy[0].code, "name": row.proxy[0].name, **_value(row.proxy[1])}
        if row.proxy
        else None,
    }


class ReportView(APIView):
    """The progress report for a fiscal year (推進会議): every indicator against its plan."""

    permission_classes = [PlanOfficeOnly]

    @extend_schema(parameters=[ReportQuerySerializer], responses=ReportRowSerializer(many=True))
    def get(self, request: Request) -> Response:
        rows, _ = _report(request)
        return Response(ReportRowSerializer([_report_row(row) for row in rows], many=True).data)


class ReportCsvView(APIView):
    """The same report as CSV (UTF-8 with BOM, stable column names) for Excel."""

    permission_classes = [PlanOfficeOnly]
    renderer_classes = download_renderers("text/csv", "csv")

    @extend_schema(parameters=[ReportQuerySerializer], responses={(200, "text/csv"): OpenApiTypes.BINARY})
    def get(self, request: Request) -> HttpResponse:
        rows, fiscal_year = _report(request)
        response = HttpResponse(report.report_csv(rows, fiscal_year), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="plan-report-FY{fiscal_year}.csv"'
        return response


class ManualValueView(APIView):
    """The plan office enters a survey-based value (and changes one, with a reason)."""

    permission_classes = [PlanOfficeOnly]

    @extend_schema(request=ManualValueInputSerializer, responses={201: ManualValueSerializer})
    @refuses(
        ReasonRequired,
        errors.UnknownIndicator,
        errors.UnknownArea,
        errors.IndicatorFedBySystem,
        errors.OutsidePlanPeriod,
        errors.FiscalYearClosed,
    )
    def post(self, request: Request) -> Response:
        data = ManualValueInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        value = manual_value_record(
            indicator_code=fields["indicator"],
            fiscal_year=fields["fiscal_year"],
            area_code=fields.get("area"),
            value=fields["value"],
            source_document=fields["source_document"],
            note=fields["note"],
            reason=fields["reason"],
            staff=request.user,
        )
        return Response(ManualValueSerializer(value).data, status=status.HTTP_201_CREATED)


class FeedRunView(APIView):
    """The plan office recomputes a fiscal year's feeds now (the nightly task does the current
    year), and reads the runs behind the values' provenance."""

    pagination_class = PageNumberPagination

    permission_classes = [PlanOfficeOnly]

    @extend_schema(parameters=[FeedRunInputSerializer], responses=FeedRunSerializer(many=True))
    def get(self, request: Request) -> Response:
        query = FeedRunInputSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        runs = selectors.feed_run_list(fiscal_year=query.validated_data["fiscal_year"])
        return paginated(request, self, runs, lambda run: FeedRunSerializer(run).data)

    @extend_schema(request=FeedRunInputSerializer, responses=FeedOutcomeSerializer(many=True))
    @refuses(errors.FiscalYearClosed)
    def post(self, request: Request) -> Response:
        data = FeedRunInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        outcomes = feeds_run(fiscal_year=data.validated_data["fiscal_year"], staff=request.user)
        return Response(FeedOutcomeSerializer(outcomes, many=True).data)


class FiscalYearActionView(APIView):
    """Closing a fiscal year freezes its values; reopening it needs a reason. Both are kept."""

    permission_classes = [PlanOfficeOnly]
    action: str = ""

    @extend_schema(request=FiscalYearActionSerializer, responses={201: FiscalYearStateSerializer})
    @refuses(ReasonRequired, errors.FiscalYearClosed, errors.FiscalYearNotClosed)
    def post(self, request: Request, fiscal_year: int) -> Response:
        data = FiscalYearActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not 2000 <= fiscal_year <= 2100:
            raise exceptions.ValidationError(
                {"fiscal_year": [_("Give a fiscal year between 2000 and 2100.")]}
            )
        act = fiscal_year_close if self.action == FiscalYearEvent.Action.CLOSE else fiscal_year_reopen
        event = act(fiscal_year=fiscal_year, staff=request.user, reason=data.validated_data["reason"])
        state = {
            "fiscal_year": event.fiscal_year,
            "closed": event.action == FiscalYearEvent.Action.CLOSE,
            "action": event.action,
            "reason": event.reason,
            "decided_at": event.decided_at,
        }
        return Response(FiscalYearStateSerializer(state).data, status=status.HTTP_201_CREATED)


class OpenDataQuerySerializer(serializers.Serializer[Any]):
    fiscal_year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)


class OpenValueSerializer(serializers.Serializer[Any]):
    indicator_code = serializers.CharField()
    indicator_name = serializers.CharField()
    unit = serializers.CharField()
    fiscal_year = serializers.IntegerField()
    area_code = serializers.CharField(allow_null=True)
    area_kind = serializers.CharField()
    area_name = serializers.CharField()
    value = serializers.DecimalField(max_digits=14, decimal_places=3, allow_null=True)
    suppressed = serializers.BooleanField()
    source = serializers.CharField()  # type: ignore[assignment]  # (the JSON key is "source")
    breakdown = serializers.CharField(help_text='Empty for the total; else e.g. "age:65-74".')
    breakdown_label = serializers.CharField()


def _open_values(request: Request) -> list[open_data.OpenValue]:
    query = OpenDataQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return open_data.open_values(fiscal_year=query.validated_data.get("fiscal_year"))


class OpenDataView(APIView):
    """Indicator values as open data (no sign-in): aggregates only, small counts suppressed."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(parameters=[OpenDataQuerySerializer], responses=OpenValueSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(OpenValueSerializer(_open_values(request), many=True).data)


class OpenDataCsvView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    renderer_classes = download_renderers("text/csv", "csv")

    @extend_schema(parameters=[OpenDataQuerySerializer], responses={(200, "text/csv"): OpenApiTypes.BINARY})
    def get(self, request: Request) -> HttpResponse:
        response = HttpResponse(
            open_data.open_values_csv(_open_values(request)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="indicator-values.csv"'
        return response
