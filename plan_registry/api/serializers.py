from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from plan_registry.fiscal_year import FiscalYear
from plan_registry.models import (
    Area,
    BasicPolicy,
    Indicator,
    IndicatorValue,
    Initiative,
    Plan,
    Programme,
    Viewpoint,
)


class ProgrammeSerializer(serializers.ModelSerializer[Programme]):
    lead = serializers.ListField(child=serializers.CharField(), help_text="実施主体 where legible.")
    features = serializers.ListField(
        child=serializers.CharField(),
        help_text="What a volunteer programme does, as keys (points, matching, training …).",
    )

    class Meta:
        model = Programme
        fields = ["id", "name", "summary", "lead", "unit", "volunteer_relation", "features"]


class InitiativeSerializer(serializers.ModelSerializer[Initiative]):
    programmes = ProgrammeSerializer(many=True)

    class Meta:
        model = Initiative
        fields = ["number", "title", "summary", "programmes"]


class ViewpointSerializer(serializers.ModelSerializer[Viewpoint]):
    initiatives = InitiativeSerializer(many=True)

    class Meta:
        model = Viewpoint
        fields = ["code", "title", "initiatives"]


class PolicySerializer(serializers.ModelSerializer[BasicPolicy]):
    viewpoints = ViewpointSerializer(many=True)

    class Meta:
        model = BasicPolicy
        fields = ["code", "title", "stance", "description", "viewpoints"]


class PlanSerializer(serializers.ModelSerializer[Plan]):
    policies = PolicySerializer(many=True)

    class Meta:
        model = Plan
        fields = [
            "code",
            "title",
            "basic_idea",
            "status",
            "start_fiscal_year",
            "end_fiscal_year",
            "is_current",
            "policies",
        ]


class PlanQuerySerializer(serializers.Serializer[Any]):
    plan = serializers.SlugField(required=False, help_text="A plan's code; the current plan if omitted.")


class IndicatorQuerySerializer(serializers.Serializer[Any]):
    plan = serializers.SlugField(required=False)
    source = serializers.ChoiceField(choices=Indicator.Source.choices, required=False)  # type: ignore[assignment]  # (the query parameter is "source")


class IndicatorSerializer(serializers.ModelSerializer[Indicator]):
    plan: serializers.SlugRelatedField[Plan] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    policy: serializers.SlugRelatedField[BasicPolicy] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    baseline_label = serializers.SerializerMethodField()
    target_label = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = [
            "code",
            "label",
            "plan",
            "policy",
            "name",
            "unit",
            "direction",
            "source",
            "baseline_fiscal_year",
            "baseline_label",
            "baseline_value",
            "baseline_note",
            "target_fiscal_year",
            "target_label",
            "target_value",
            "note",
        ]

    def get_baseline_label(self, indicator: Indicator) -> str:
        return FiscalYear(indicator.baseline_fiscal_year).label

    def get_target_label(self, indicator: Indicator) -> str:
        return FiscalYear(indicator.target_fiscal_year).label


class PublishedProvenanceSerializer(serializers.Serializer[Any]):
    """Where a value comes from: which keys it has depends on its `source`."""

    feed = serializers.CharField(required=False, help_text="Source feed: the feed that counted it.")
    version = serializers.IntegerField(required=False, help_text="Source feed: the feed's version then.")
    computed_at = serializers.DateTimeField(required=False, help_text="Source feed: when it was counted.")
    source_document = serializers.CharField(
        required=False, help_text="Source manual: the document the plan office read it from."
    )
    document = serializers.CharField(required=False, help_text="Source plan_document: the plan's document.")


class ProvenanceSerializer(PublishedProvenanceSerializer):
    """Where a value comes from, with what the plan office alone sees: how many it rests on."""

    rows_counted = serializers.IntegerField(
        required=False, help_text="Source feed: how many rows (people, activities) the value rests on."
    )


class IndicatorValueSerializer(serializers.ModelSerializer[IndicatorValue]):
    area: serializers.SlugRelatedField[Area] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    fiscal_year_label = serializers.SerializerMethodField()
    provenance = PublishedProvenanceSerializer(
        help_text="Without the counts, which stay with the plan office."
    )

    class Meta:
        model = IndicatorValue
        fields = [
            "fiscal_year",
            "fiscal_year_label",
            "area",
            "value",
            "source",
            "provenance",
            "note",
            "recorded_at",
        ]

    def get_fiscal_year_label(self, value: IndicatorValue) -> str:
        return FiscalYear(value.fiscal_year).label


class IndicatorDetailSerializer(IndicatorSerializer):
    values = IndicatorValueSerializer(many=True)

    class Meta(IndicatorSerializer.Meta):
        fields = [*IndicatorSerializer.Meta.fields, "values"]


@extend_schema_field({"type": "array", "items": {"$ref": "#/components/schemas/AreaNode"}})
class _AreaChildrenField(serializers.ListField):
    """An area's children, each an AreaNode: the schema refers to the component itself."""


class AreaNodeSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    kind = serializers.ChoiceField(choices=Area.Kind.choices)
    name = serializers.CharField()
    name_en = serializers.CharField()
    is_demo = serializers.BooleanField()
    neighbours = serializers.ListField(
        child=serializers.CharField(), help_text="Codes of neighbouring school districts."
    )
    children = _AreaChildrenField(child=serializers.DictField(), help_text="Nested areas of the same shape.")


class ReportQuerySerializer(serializers.Serializer[Any]):
    fiscal_year = serializers.IntegerField(min_value=2000, max_value=2100)
    plan = serializers.CharField(required=False, max_length=64)


class ReportValueSerializer(serializers.Serializer[Any]):
    fiscal_year = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=14, decimal_places=3)
    source = serializers.CharField()  # type: ignore[assignment]  # (the JSON key is "source")
    provenance = ProvenanceSerializer()


class ReportWardSerializer(serializers.Serializer[Any]):
    ward = serializers.CharField()
    name = serializers.CharField()
    value = serializers.DecimalField(max_digits=14, decimal_places=3)


class ReportPartSerializer(serializers.Serializer[Any]):
    label = serializers.CharField()  # type: ignore[assignment]  # (the JSON key is "label")
    value = serializers.DecimalField(max_digits=14, decimal_places=3)


class ReportProxySerializer(ReportValueSerializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ReportRowSerializer(serializers.Serializer[Any]):
    plan = serializers.CharField()
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # (the JSON key is "label")
    name = serializers.CharField()
    unit = serializers.CharField()
    direction = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]  # (the JSON key is "source")
    baseline_fiscal_year = serializers.IntegerField()
    baseline_value = serializers.DecimalField(max_digits=14, decimal_places=3, allow_null=True)
    target_fiscal_year = serializers.IntegerField()
    target_value = serializers.DecimalField(max_digits=14, decimal_places=3, allow_null=True)
    value = ReportValueSerializer(allow_null=True)
    values = ReportValueSerializer(many=True, help_text="City-wide values, every year on record.")
    achievement_rate = serializers.DecimalField(max_digits=10, decimal_places=3, allow_null=True)
    on_track = serializers.BooleanField(allow_null=True)
    by_ward = ReportWardSerializer(many=True)
    parts = ReportPartSerializer(many=True, help_text="Parts of the city-wide value: age bands, programmes.")
    proxy = ReportProxySerializer(
        allow_null=True, help_text="The app's own measure of a survey indicator, shown beside it."
    )


class ManualValueInputSerializer(serializers.Serializer[Any]):
    indicator = serializers.CharField(max_length=32)
    fiscal_year = serializers.IntegerField(min_value=2000, max_value=2100)
    area = serializers.CharField(
        max_length=32, required=False, allow_null=True, help_text="Empty: the whole city."
    )
    value = serializers.DecimalField(max_digits=14, decimal_places=3)
    source_document = serializers.CharField(max_length=300, help_text="e.g. 令和7年度 市民アンケート 問12")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000, help_text="Needed to change a value."
    )


class ManualValueSerializer(serializers.Serializer[Any]):
    indicator = serializers.CharField(source="indicator.code")
    fiscal_year = serializers.IntegerField()
    area = serializers.CharField(source="area.code", allow_null=True, default=None)
    value = serializers.DecimalField(max_digits=14, decimal_places=3)
    source = serializers.CharField()  # type: ignore[assignment]  # (the JSON key is "source")
    provenance = ProvenanceSerializer()
    note = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class FeedRunInputSerializer(serializers.Serializer[Any]):
    fiscal_year = serializers.IntegerField(min_value=2000, max_value=2100)


class FeedOutcomeSerializer(serializers.Serializer[Any]):
    feed = serializers.CharField()
    indicator = serializers.CharField()
    written = serializers.IntegerField()
    kept_manual = serializers.IntegerField(help_text="Values the plan office entered, left as they were.")


class FeedRunSerializer(serializers.Serializer[Any]):
    feed = serializers.CharField()
    feed_version = serializers.IntegerField()
    indicator = serializers.CharField(source="indicator.code")
    fiscal_year = serializers.IntegerField()
    rows_counted = serializers.IntegerField()
    values_written = serializers.IntegerField()
    values_kept_manual = serializers.IntegerField()
    computed_at = serializers.DateTimeField()
    run_by = serializers.CharField(source="run_by.email", allow_null=True, default=None)


class FiscalYearActionSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class FiscalYearStateSerializer(serializers.Serializer[Any]):
    fiscal_year = serializers.IntegerField()
    closed = serializers.BooleanField()
    action = serializers.CharField()
    reason = serializers.CharField()
    decided_at = serializers.DateTimeField()
