from collections.abc import Callable
from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.authentication import require_recent_sign_in, signed_in_user
from core.api.idempotency import accepts_idempotency_key
from core.api.schema import refuses
from core.errors import OwnCase, ReasonRequired, ReauthenticationRequired
from volunteer import errors, selectors, services
from volunteer.api.permissions import IsAdministrator, IsCoordinator
from volunteer.api.serializers import (
    ActivityCategorySerializer,
    CareHostSerializer,
    ConsentInputSerializer,
    ConsentSerializer,
    ConsentsSerializer,
    DecisionSerializer,
    DeviceSerializer,
    IdentitySerializer,
    IdentityVerificationSerializer,
    MarkReadSerializer,
    MeSerializer,
    NotificationSerializer,
    OrganisationApplySerializer,
    OrganisationSerializer,
    PaperRightsRequestSerializer,
    PersonalDataExportSerializer,
    ProfileUpdateSerializer,
    RightsRequestSerializer,
    SkillSerializer,
    SuspensionSerializer,
)
from volunteer.models import ActivityCategory, Consent, Notification, Organisation, RightsRequest, Skill, User
from volunteer.services import identity as identity_services


def _me_data(user: User) -> dict[str, Any]:
    user = selectors.person_get_for_profile(person_id=user.pk)
    user.roles = selectors.user_roles(user=user)  # type: ignore[attr-defined]  # (computed, not stored)
    user.identity = _identity_data(user)  # type: ignore[attr-defined]  # (computed, not stored)
    return MeSerializer(user).data


def _identity_data(user: User) -> dict[str, Any]:
    level, identity = selectors.identity_status(person=user)
    return {
        "level": level,
        "assurance_level": identity.assurance_level if identity else None,
        "verified_at": identity.verified_at if identity else None,
        "expires_at": identity.expires_at if identity else None,
        "birth_date": identity.birth_date if identity else None,
        "name": identity.name if identity else None,
    }


class IdentityView(APIView):
    """The resident's verified identity: its level and attributes; DELETE unlinks it."""

    @extend_schema(responses=IdentitySerializer)
    def get(self, request: Request) -> Response:
        return Response(IdentitySerializer(_identity_data(signed_in_user(request))).data)

    @extend_schema(responses={204: None})
    @refuses(errors.IdentityNotVerified)
    def delete(self, request: Request) -> Response:
        identity_services.identity_unlink(person=signed_in_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class IdentityVerificationView(APIView):
    """Starts verification with the My Number card: open `authorization_url` in the browser; the
    provider returns to the service, which links the identity and sends the browser back to the
    app (IDENTITY_APP_RETURN_URL?result=linked, or ?error=<code>)."""

    @extend_schema(request=None, responses={201: IdentityVerificationSerializer})
    @refuses(
        errors.ConsentRequired,
        errors.UseSuspended,
        errors.IdentityAlreadyVerified,
        errors.IdentityProviderNotConfigured,
        errors.IdentityProviderUnreachable,
    )
    def post(self, request: Request) -> Response:
        started = identity_services.verification_start(
            request=request._request, person=signed_in_user(request)
        )
        return Response(
            IdentityVerificationSerializer(
                {"authorization_url": started.authorization_url, "expires_at": started.expires_at}
            ).data,
            status=status.HTTP_201_CREATED,
        )


class MeView(APIView):
    """The signed-in resident's own profile."""

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(_me_data(signed_in_user(request)))

    @extend_schema(
        responses={204: None},
        description="Erases me (the right of erasure): my profile, posts' addresses and notes, devices, "
        "notifications and verified identity go, open posts are withdrawn and places to come given up, "
        "and I can no longer sign in. What was counted stays counted: my ledger and past participation "
        "stay with an anonymous tombstone (its id, home school district and school year), so no "
        "balance or plan figure changes. 409 `erasure_waits_for_staff` while points are held for staff. "
        "Needs a sign-in or a password confirmed (`/_allauth/app/v1/auth/reauthenticate`) within the "
        "last five minutes, else 403 `reauthentication_required`.",
    )
    @refuses(ReauthenticationRequired, errors.ErasureWaitsForStaff, errors.PersonErased)
    def delete(self, request: Request) -> Response:
        require_recent_sign_in(request)
        services.person_erase(person=signed_in_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ProfileUpdateSerializer, responses=MeSerializer)
    def patch(self, request: Request) -> Response:
        # Not partial: every top-level field is optional already, and nested items must be whole.
        serializer = ProfileUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        consents = [services.ConsentInput(**item) for item in data.pop("consents", [])]
        services.profile_update(
            user=signed_in_user(request), changes=services.ProfileChanges(**data), consents=consents
        )
        return Response(_me_data(signed_in_user(request)))


class MyDataExportView(APIView):
    """Everything the service holds about me, machine-readable (the right of disclosure, 開示): the
    account, consents, posts, matches, participations and check-ins, the points ledger,
    certificates, the identity record, notifications and the staff decisions about me. Each
    export is recorded, and shows in the next one."""

    @extend_schema(responses=PersonalDataExportSerializer)
    def get(self, request: Request) -> Response:
        data = services.personal_data_export(person=signed_in_user(request))
        headers = {"Content-Disposition": 'attachment; filename="my-data.json"', "Cache-Control": "no-store"}
        return Response(data, headers=headers)


class MySuspensionView(APIView):
    """利用停止, the suspension of the use of my data: while it lasts I am not matched, no
    notification is sent to me (they wait in my inbox) and staff do not see me listed. POST
    suspends, DELETE lifts; each is recorded."""

    @extend_schema(responses=SuspensionSerializer)
    def get(self, request: Request) -> Response:
        person = selectors.person_get_for_profile(person_id=signed_in_user(request).pk)
        return Response({"suspended_at": person.use_suspended_at})

    @extend_schema(request=None, responses=SuspensionSerializer)
    def post(self, request: Request) -> Response:
        services.use_suspend(person=signed_in_user(request))
        return self.get(request)

    @extend_schema(request=None, responses={200: SuspensionSerializer})
    def delete(self, request: Request) -> Response:
        services.use_resume(person=signed_in_user(request))
        return self.get(request)


def _consents_data(person: User) -> dict[str, Any]:
    return {
        "current": settings.CONSENT_CURRENT_VERSIONS,
        "missing": selectors.consents_missing(person=person),
        "history": ConsentSerializer(
            person.consents.order_by("document", "consented_at", "pk"), many=True
        ).data,
    }


class MyConsentsView(APIView):
    """My consents: the current version of each required document, what is missing, and every
    consent given and withdrawn. POST agrees to a version."""

    @extend_schema(responses=ConsentsSerializer)
    def get(self, request: Request) -> Response:
        return Response(_consents_data(signed_in_user(request)))

    @extend_schema(request=ConsentInputSerializer, responses=ConsentsSerializer)
    def post(self, request: Request) -> Response:
        serializer = ConsentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.consent_record(user=signed_in_user(request), **serializer.validated_data)
        return Response(_consents_data(signed_in_user(request)))


class MyConsentWithdrawView(APIView):
    """Withdraws my consent to a document (every version). Without the terms or the privacy
    policy I cannot post, be matched or verify my identity, and my open posts wait unmatched;
    without a guardian's consent a minor cannot register for activities."""

    @extend_schema(request=None, responses={200: ConsentsSerializer})
    def delete(self, request: Request, document: str) -> Response:
        if document not in Consent.Document.values:
            raise exceptions.NotFound()
        services.consent_withdraw(user=signed_in_user(request), document=document)
        return Response(_consents_data(signed_in_user(request)))


class StaffRightsRequestView(APIView):
    """An administrator acts on a person's rights request received on paper (export, erasure,
    suspension of use or its lifting), saying how it reached them; never on their own. An export
    answers with the export, to hand over; the others with the request as recorded."""

    permission_classes = [IsAuthenticated, IsAdministrator]

    @extend_schema(
        request=PaperRightsRequestSerializer,
        responses={200: PersonalDataExportSerializer, 201: RightsRequestSerializer},
    )
    @refuses(
        OwnCase,
        errors.PaperRequestNeedsReason,
        errors.NothingToChange,
        errors.ErasureWaitsForStaff,
        errors.PersonErased,
    )
    def post(self, request: Request, person_id: int) -> Response:
        serializer = PaperRightsRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = selectors.person_get_for_rights(person_id=person_id)
        if person is None:
            raise exceptions.NotFound()
        kind, reason, staff = (
            serializer.validated_data["kind"],
            serializer.validated_data["reason"],
            signed_in_user(request),
        )
        if kind == RightsRequest.Kind.EXPORT:
            return Response(services.personal_data_export(person=person, staff=staff, reason=reason))
        act = {
            RightsRequest.Kind.ERASURE: services.person_erase,
            RightsRequest.Kind.SUSPENSION: services.use_suspend,
            RightsRequest.Kind.SUSPENSION_LIFTED: services.use_resume,
        }[kind]
        recorded = act(person=person, staff=staff, reason=reason)
        if recorded is None:
            raise errors.NothingToChange()
        return Response(RightsRequestSerializer(recorded).data, status=status.HTTP_201_CREATED)


class SkillListView(generics.ListAPIView[Skill]):
    permission_classes = [AllowAny]
    serializer_class = SkillSerializer
    pagination_class = None  # the whole catalogue, a few dozen rows

    def get_queryset(self) -> Any:
        return selectors.skill_list()


class ActivityCategoryListView(generics.ListAPIView[ActivityCategory]):
    permission_classes = [AllowAny]
    serializer_class = ActivityCategorySerializer
    pagination_class = None  # the whole catalogue, fifteen rows

    def get_queryset(self) -> Any:
        return selectors.category_list()


class OrganisationListCreateView(APIView):
    """Organisations I applied for or act for; POST applies for a new one."""

    @extend_schema(responses=OrganisationSerializer(many=True))
    def get(self, request: Request) -> Response:
        organisations = selectors.organisation_list_for_member(user=signed_in_user(request))
        return Response(OrganisationSerializer(organisations, many=True).data)

    @extend_schema(request=OrganisationApplySerializer, responses={201: OrganisationSerializer})
    @accepts_idempotency_key
    def post(self, request: Request) -> Response:
        serializer = OrganisationApplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = services.organisation_apply(user=signed_in_user(request), **serializer.validated_data)
        return Response(OrganisationSerializer(organisation).data, status=status.HTTP_201_CREATED)


class StaffOrganisationListView(generics.ListAPIView[Organisation]):
    """Applications and organisations in the coordinator's areas, oldest application first."""

    permission_classes = [IsAuthenticated, IsCoordinator]
    serializer_class = OrganisationSerializer

    def get_queryset(self) -> Any:
        organisations = selectors.organisation_list_for_staff(staff=signed_in_user(self.request)).order_by(
            "applied_at"
        )
        status_filter = self.request.query_params.get("status")
        return organisations.filter(status=status_filter) if status_filter else organisations


class _StaffOrganisationAction(APIView):
    permission_classes = [IsAuthenticated, IsCoordinator]

    def _organisation(self, request: Request, organisation_id: int) -> Organisation:
        organisation = selectors.organisation_get_for_staff(
            organisation_id=organisation_id, staff=signed_in_user(request)
        )
        if organisation is None:
            raise exceptions.NotFound()
        return organisation


class StaffOrganisationDecisionView(_StaffOrganisationAction):
    """Approve or reject an application; a rejection needs a reason. Both are on record."""

    decide: Callable[..., Organisation]

    @extend_schema(request=DecisionSerializer, responses=OrganisationSerializer)
    @accepts_idempotency_key
    def post(self, request: Request, organisation_id: int) -> Response:
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = type(self).decide(
            organisation=self._organisation(request, organisation_id),
            staff=signed_in_user(request),
            reason=serializer.validated_data.get("reason", ""),
        )
        return Response(OrganisationSerializer(organisation).data)


@refuses(errors.NotStaffForArea, OwnCase, errors.OrganisationAlreadyDecided)
class StaffOrganisationApproveView(StaffOrganisationDecisionView):
    decide = staticmethod(services.organisation_approve)


@refuses(errors.NotStaffForArea, OwnCase, ReasonRequired, errors.OrganisationAlreadyDecided)
class StaffOrganisationRejectView(StaffOrganisationDecisionView):
    decide = staticmethod(services.organisation_reject)


class StaffOrganisationCareHostView(_StaffOrganisationAction):
    @extend_schema(request=CareHostSerializer, responses=OrganisationSerializer)
    @refuses(errors.NotStaffForArea, OwnCase, ReasonRequired, errors.CareHostNeedsCareFacility)
    @accepts_idempotency_key
    def post(self, request: Request, organisation_id: int) -> Response:
        serializer = CareHostSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = services.organisation_set_care_host(
            organisation=self._organisation(request, organisation_id),
            staff=signed_in_user(request),
            **serializer.validated_data,
        )
        return Response(OrganisationSerializer(organisation).data)


class NotificationListView(generics.ListAPIView[Notification]):
    """My notifications, newest first."""

    serializer_class = NotificationSerializer

    def get_queryset(self) -> Any:
        return selectors.notification_list_for_person(person=signed_in_user(self.request))


class NotificationReadView(APIView):
    @extend_schema(request=MarkReadSerializer, responses={200: MarkReadSerializer})
    def post(self, request: Request) -> Response:
        serializer = MarkReadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.notification_mark_read(
            user=signed_in_user(request), notification_ids=serializer.validated_data["ids"]
        )
        return Response({"ids": serializer.validated_data["ids"]})


class DeviceListCreateView(APIView):
    @extend_schema(responses=DeviceSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(DeviceSerializer(signed_in_user(request).devices.all(), many=True).data)

    @extend_schema(request=DeviceSerializer, responses={201: DeviceSerializer})
    def post(self, request: Request) -> Response:
        serializer = DeviceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        device = services.device_register(user=signed_in_user(request), **serializer.validated_data)
        return Response(DeviceSerializer(device).data, status=status.HTTP_201_CREATED)


class DeviceDetailView(APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, device_id: int) -> Response:
        if not services.device_remove(user=signed_in_user(request), device_id=device_id):
            raise exceptions.NotFound()
        return Response(status=status.HTTP_204_NO_CONTENT)
