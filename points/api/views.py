from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import throttling
from core.api.authentication import signed_in_user
from core.api.idempotency import IDEMPOTENCY_REQUIRED, accepts_idempotency_key, idempotent
from core.api.pagination import PageNumberPagination
from core.api.schema import refuses
from core.api.views import download_renderers, paginated, validated
from core.errors import OwnCase, ReasonRequired
from points import errors, selectors, services
from points.api import filters
from points.api import serializers as s
from points.models import Certificate, ConversionRequest, Redemption
from volunteer.api.permissions import IsCoordinator


class BalanceView(APIView):
    """My balance in each scheme, and what of it expires at the end of this fiscal year."""

    @extend_schema(responses=s.BalanceSerializer(many=True))
    def get(self, request: Request) -> Response:
        balances = selectors.balances_for_person(person=signed_in_user(request))
        return Response(s.BalanceSerializer(balances, many=True).data)


class EntryListView(APIView):
    pagination_class = PageNumberPagination

    @extend_schema(responses=s.EntrySerializer(many=True))
    def get(self, request: Request) -> Response:
        entries = selectors.entries_for_person(person=signed_in_user(request))
        return paginated(request, self, entries, lambda entry: s.EntrySerializer(entry).data)


class RewardListView(APIView):
    pagination_class = PageNumberPagination

    @extend_schema(responses=s.RewardSerializer(many=True))
    def get(self, request: Request) -> Response:
        return paginated(request, self, selectors.rewards_available(), lambda r: s.RewardSerializer(r).data)


class RedemptionListCreateView(APIView):
    pagination_class = PageNumberPagination

    @extend_schema(responses=s.RedemptionSerializer(many=True))
    def get(self, request: Request) -> Response:
        redemptions = selectors.redemptions_for_person(person=signed_in_user(request))
        return paginated(request, self, redemptions, lambda r: s.RedemptionSerializer(r).data)

    @extend_schema(
        parameters=[IDEMPOTENCY_REQUIRED],
        request=s.RedemptionInputSerializer,
        responses={201: s.RedemptionSerializer},
    )
    @refuses(errors.RewardUnavailable, errors.IdentityVerificationRequired, errors.InsufficientBalance)
    def post(self, request: Request) -> Response:
        person = signed_in_user(request)

        def redeem() -> tuple[int, Any]:
            data = validated(s.RedemptionInputSerializer, request.data)
            redemption = services.redemption_hold(person=person, reward=data["reward"])
            return status.HTTP_201_CREATED, s.RedemptionSerializer(redemption).data

        return idempotent(request, person, redeem)


class ConversionListCreateView(APIView):
    """介護保険サポーターポイント: a fiscal year's stamps to yen, requested in the window from February."""

    pagination_class = PageNumberPagination

    @extend_schema(responses=s.ConversionSerializer(many=True))
    def get(self, request: Request) -> Response:
        conversions = selectors.conversions_for_person(person=signed_in_user(request))
        return paginated(request, self, conversions, lambda c: s.ConversionSerializer(c).data)

    @extend_schema(
        parameters=[IDEMPOTENCY_REQUIRED],
        request=s.ConversionInputSerializer,
        responses={201: s.ConversionSerializer},
    )
    @refuses(
        errors.NotConvertible,
        errors.ConversionOutsideWindow,
        errors.IdentityVerificationRequired,
        errors.ConversionNotEligible,
        errors.ConversionAlreadyRequested,
        errors.NothingToConvert,
        errors.InsufficientBalance,
    )
    def post(self, request: Request) -> Response:
        person = signed_in_user(request)

        def convert() -> tuple[int, Any]:
            data = validated(s.ConversionInputSerializer, request.data)
            conversion = services.conversion_request(
                person=person, scheme=data["scheme"], fiscal_year=data["fiscal_year"]
            )
            return status.HTTP_201_CREATED, s.ConversionSerializer(conversion).data

        return idempotent(request, person, convert)


# --- volunteer-centre staff ---------------------------------------------------------------


class StaffRedemptionListView(generics.ListAPIView[Redemption]):
    serializer_class = s.StaffRedemptionSerializer
    pagination_class = PageNumberPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.StaffRedemptionFilter
    permission_classes = [IsCoordinator]
    queryset = Redemption.objects.none()  # the schema's model; each request's rows come from get_queryset

    def get_queryset(self) -> QuerySet[Redemption]:
        return selectors.redemptions_for_staff(staff=signed_in_user(self.request))


class StaffRedemptionDecideView(APIView):
    """approve: the held points are spent; void: they go back (a reason is required)."""

    permission_classes = [IsCoordinator]

    @extend_schema(
        request=s.DecisionInputSerializer,
        responses=s.StaffRedemptionSerializer,
        parameters=[OpenApiParameter("action", str, OpenApiParameter.PATH, enum=["approve", "void"])],
    )
    @refuses(OwnCase, ReasonRequired, errors.AlreadyDecided, errors.InsufficientBalance)
    @accepts_idempotency_key
    def post(self, request: Request, redemption_id: int, action: str) -> Response:
        redemption = selectors.redemption_get_for_staff(
            redemption_id=redemption_id, staff=signed_in_user(request)
        )
        if redemption is None or action not in ("approve", "void"):
            raise exceptions.NotFound()
        staff, reason = signed_in_user(request), validated(s.DecisionInputSerializer, request.data)["reason"]
        if action == "approve":
            redemption = services.redemption_approve(redemption=redemption, staff=staff)
        else:
            redemption = services.redemption_void(redemption=redemption, staff=staff, reason=reason)
        return Response(s.StaffRedemptionSerializer(redemption).data)


class StaffConversionListView(generics.ListAPIView[ConversionRequest]):
    serializer_class = s.StaffConversionSerializer
    pagination_class = PageNumberPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.StaffConversionFilter
    permission_classes = [IsCoordinator]
    queryset = (
        ConversionRequest.objects.none()
    )  # the model, for the schema; each request's rows come from below

    def get_queryset(self) -> QuerySet[ConversionRequest]:
        return selectors.conversions_for_staff(staff=signed_in_user(self.request))


class StaffConversionDecideView(APIView):
    """approve: the stamps are converted (the yen are paid outside this system); reject: they go back."""

    permission_classes = [IsCoordinator]

    @extend_schema(
        request=s.DecisionInputSerializer,
        responses=s.StaffConversionSerializer,
        parameters=[OpenApiParameter("action", str, OpenApiParameter.PATH, enum=["approve", "reject"])],
    )
    @refuses(OwnCase, ReasonRequired, errors.AlreadyDecided, errors.InsufficientBalance)
    @accepts_idempotency_key
    def post(self, request: Request, conversion_id: int, action: str) -> Response:
        conversion = selectors.conversion_get_for_staff(
            conversion_id=conversion_id, staff=signed_in_user(request)
        )
        if conversion is None or action not in ("approve", "reject"):
            raise exceptions.NotFound()
        conversion = services.conversion_decide(
            request=conversion,
            staff=signed_in_user(request),
            approve=action == "approve",
            reason=validated(s.DecisionInputSerializer, request.data)["reason"],
        )
        return Response(s.StaffConversionSerializer(conversion).data)


# --- certificates -------------------------------------------------------------------------


def _my_certificate(request: Request, certificate_id: int) -> Certificate:
    certificate = selectors.certificate_get_for_person(
        certificate_id=certificate_id, person=signed_in_user(request)
    )
    if certificate is None:
        raise exceptions.NotFound()
    return certificate


class CertificateListCreateView(APIView):
    pagination_class = PageNumberPagination

    @extend_schema(responses=s.CertificateSerializer(many=True))
    def get(self, request: Request) -> Response:
        certificates = selectors.certificate_list_for_person(person=signed_in_user(request))
        return paginated(request, self, certificates, lambda c: s.CertificateSerializer(c).data)

    @extend_schema(
        parameters=[IDEMPOTENCY_REQUIRED],
        request=s.CertificateInputSerializer,
        responses={201: s.CertificateSerializer},
    )
    @refuses(errors.CertificateTargetRequired, errors.NotVerifiedParticipation, errors.NoActivitiesInYear)
    def post(self, request: Request) -> Response:
        person = signed_in_user(request)

        def issue() -> tuple[int, Any]:
            data = validated(s.CertificateInputSerializer, request.data)
            certificate = services.certificate_issue(
                person=person, participation=data.get("participation"), fiscal_year=data.get("fiscal_year")
            )
            return status.HTTP_201_CREATED, s.CertificateSerializer(certificate).data

        return idempotent(request, person, issue)


class CertificateDetailView(APIView):
    @extend_schema(responses=s.CertificateSerializer)
    def get(self, request: Request, certificate_id: int) -> Response:
        return Response(s.CertificateSerializer(_my_certificate(request, certificate_id)).data)


class CertificatePdfView(APIView):
    """The printable certificate (A4, Japanese, with a QR code to the verification page)."""

    renderer_classes = download_renderers("application/pdf", "pdf")

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @refuses(errors.CertificateFontMissing)
    def get(self, request: Request, certificate_id: int) -> HttpResponse:
        certificate = _my_certificate(request, certificate_id)
        response = HttpResponse(
            services.certificate_pdf(certificate=certificate), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="{certificate.serial}.pdf"'
        return response


class CertificateVerifyView(APIView):
    """Anyone (no sign-in) checks a certificate's credential: signature, issuer and revocation."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [*throttling.DEFAULT, throttling.CertificateVerifyThrottle]

    @extend_schema(request=s.VerifyCredentialInputSerializer, responses=s.VerificationSerializer)
    def post(self, request: Request) -> Response:
        token = validated(s.VerifyCredentialInputSerializer, request.data)["credential"]
        return Response(verification_body(services.certificate_verify(token=token)))


def verification_body(result: Any) -> dict[str, Any]:
    credential = result.credential or {}
    subject = credential.get("credentialSubject", {})
    return {
        "valid": result.valid,
        "code": result.code,
        "serial": subject.get("serial"),
        "title": credential.get("name"),
        "total_minutes": subject.get("totalMinutes"),
        "issued_at": credential.get("validFrom"),
        "issuer": (credential.get("issuer") or {}).get("name"),
    }


class StaffCertificateRevokeView(APIView):
    permission_classes = [IsCoordinator]

    @extend_schema(request=s.DecisionInputSerializer, responses=s.CertificateSerializer)
    @refuses(ReasonRequired, errors.AlreadyRevoked)
    @accepts_idempotency_key
    def post(self, request: Request, certificate_id: int) -> Response:
        certificate = selectors.certificate_get_for_staff(
            certificate_id=certificate_id, staff=signed_in_user(request)
        )
        if certificate is None:
            raise exceptions.NotFound()
        reason = validated(s.DecisionInputSerializer, request.data)["reason"]
        certificate = services.certificate_revoke(
            certificate=certificate, staff=signed_in_user(request), reason=reason
        )
        return Response(s.CertificateSerializer(certificate).data)
