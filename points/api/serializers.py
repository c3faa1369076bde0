from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.models import Participation
from points.models import Certificate, ConversionRequest, Entry, LedgerTransaction, Redemption, Reward, Scheme


class BalanceSerializer(serializers.Serializer[Any]):
    scheme = serializers.CharField(source="scheme.code")
    name = serializers.CharField(source="scheme.name")
    unit = serializers.CharField(source="scheme.unit")
    balance = serializers.IntegerField()
    expiring = serializers.IntegerField(
        help_text="Of the balance, what expires on `expiring_on` unless used first."
    )
    expiring_on = serializers.DateField()


class EntryEventSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(help_text="The activity (GET /events/{id}/).")
    title = serializers.CharField()


class EntrySerializer(serializers.ModelSerializer[Entry]):
    scheme = serializers.CharField(source="account.scheme.code")
    kind = serializers.ChoiceField(source="transaction.kind", choices=LedgerTransaction.Kind.choices)
    memo = serializers.CharField(source="transaction.memo")
    at = serializers.DateTimeField(source="transaction.created_at")
    event = serializers.SerializerMethodField(help_text="The activity that earned the points, if one did.")

    class Meta:
        model = Entry
        fields = ["id", "scheme", "amount", "kind", "memo", "at", "expires_on", "event"]

    @extend_schema_field(EntryEventSerializer(allow_null=True))
    def get_event(self, entry: Entry) -> dict[str, Any] | None:
        participation = entry.transaction.participation
        if participation is None:
            return None
        return {"id": participation.activity_id, "title": participation.activity.title}


class RewardSerializer(serializers.ModelSerializer[Reward]):
    scheme: serializers.SlugRelatedField[Scheme] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    requires_verified_identity = serializers.BooleanField(
        read_only=True,
        help_text="A reward is handed over to the name verified with the My Number card; a donation "
        "needs no verification.",
    )

    class Meta:
        model = Reward
        fields = ["id", "scheme", "kind", "name", "cost", "organisation", "requires_verified_identity"]


class RedemptionInputSerializer(serializers.Serializer[Any]):
    reward = serializers.PrimaryKeyRelatedField(queryset=Reward.objects.filter(is_active=True))


class RedemptionSerializer(serializers.ModelSerializer[Redemption]):
    reward = RewardSerializer(read_only=True)

    class Meta:
        model = Redemption
        fields = ["id", "reward", "amount", "recipient_name", "status", "created_at", "decided_at", "reason"]


class ConversionInputSerializer(serializers.Serializer[Any]):
    scheme: serializers.SlugRelatedField[Scheme] = serializers.SlugRelatedField(
        slug_field="code", queryset=Scheme.objects.filter(is_active=True)
    )
    fiscal_year = serializers.IntegerField(min_value=2019, max_value=2100)


class ConversionSerializer(serializers.ModelSerializer[ConversionRequest]):
    scheme: serializers.SlugRelatedField[Scheme] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = ConversionRequest
        fields = [
            "id",
            "scheme",
            "fiscal_year",
            "stamps",
            "yen",
            "status",
            "created_at",
            "decided_at",
            "reason",
        ]


class StaffRedemptionSerializer(RedemptionSerializer):
    person = serializers.IntegerField(source="person_id", read_only=True)

    class Meta(RedemptionSerializer.Meta):
        fields = [*RedemptionSerializer.Meta.fields, "person"]


class StaffConversionSerializer(ConversionSerializer):
    person = serializers.IntegerField(source="person_id", read_only=True)

    class Meta(ConversionSerializer.Meta):
        fields = [*ConversionSerializer.Meta.fields, "person"]


class DecisionInputSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class CertificateInputSerializer(serializers.Serializer[Any]):
    """One verified participation, or a fiscal year's summary (令和7年度 活動証明書)."""

    participation = serializers.PrimaryKeyRelatedField(queryset=Participation.objects.all(), required=False)
    fiscal_year = serializers.IntegerField(min_value=2019, max_value=2100, required=False)


class CertifiedActivitySerializer(serializers.Serializer[Any]):
    """One activity as the certificate states it (and its signed credential carries it)."""

    date = serializers.DateField()
    place = serializers.CharField()
    content = serializers.CharField()
    minutes = serializers.IntegerField(min_value=0)
    organiser = serializers.CharField()


class CertificateSerializer(serializers.ModelSerializer[Certificate]):
    activities = CertifiedActivitySerializer(many=True, read_only=True)
    revoked = serializers.SerializerMethodField()
    verification_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = [
            "id", "serial", "kind", "participation", "fiscal_year", "title", "activities", "total_minutes",
            "issued_at", "revoked", "credential", "verification_url", "pdf_url",
        ]  # fmt: skip

    def get_revoked(self, certificate: Certificate) -> bool:
        return certificate.revoked_at is not None

    def get_verification_url(self, certificate: Certificate) -> str:
        from points.services.certificates import verification_url

        return verification_url(certificate.serial)

    def get_pdf_url(self, certificate: Certificate) -> str:
        return f"/api/v1/certificates/{certificate.pk}/pdf/"


class VerifyCredentialInputSerializer(serializers.Serializer[Any]):
    credential = serializers.CharField(max_length=20000, help_text="The compact JWS from the certificate.")


class VerificationSerializer(serializers.Serializer[Any]):
    valid = serializers.BooleanField()
    code = serializers.CharField(allow_null=True, help_text="Why not: malformed, unknown_key, bad_signature, "
                                 "wrong_type, revoked, unknown_certificate.")  # fmt: skip
    serial = serializers.CharField(allow_null=True)
    title = serializers.CharField(allow_null=True)
    total_minutes = serializers.IntegerField(allow_null=True)
    issued_at = serializers.DateTimeField(allow_null=True)
    issuer = serializers.CharField(allow_null=True)
