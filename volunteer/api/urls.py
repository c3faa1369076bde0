from django.urls import path

from volunteer.api import views

urlpatterns = [
    path("notifications/", views.NotificationListView.as_view(), name="notification-list"),
    path("notifications/read/", views.NotificationReadView.as_view(), name="notification-read"),
    path("devices/", views.DeviceListCreateView.as_view(), name="device-list"),
    path("devices/<id:device_id>/", views.DeviceDetailView.as_view(), name="device-detail"),
    path("me/", views.MeView.as_view(), name="me"),
    path("me/export/", views.MyDataExportView.as_view(), name="me-export"),
    path("me/suspension/", views.MySuspensionView.as_view(), name="me-suspension"),
    path("me/consents/", views.MyConsentsView.as_view(), name="me-consents"),
    path("me/consents/<str:document>/", views.MyConsentWithdrawView.as_view(), name="me-consent-withdraw"),
    path(
        "staff/people/<id:person_id>/rights-requests/",
        views.StaffRightsRequestView.as_view(),
        name="staff-rights-request",
    ),
    path("me/identity/", views.IdentityView.as_view(), name="me-identity"),
    path(
        "me/identity/verification/", views.IdentityVerificationView.as_view(), name="me-identity-verification"
    ),
    path("skills/", views.SkillListView.as_view(), name="skill-list"),
    path("categories/", views.ActivityCategoryListView.as_view(), name="category-list"),
    path("organisations/", views.OrganisationListCreateView.as_view(), name="organisation-list"),
    path("staff/organisations/", views.StaffOrganisationListView.as_view(), name="staff-organisation-list"),
    path(
        "staff/organisations/<id:organisation_id>/approve/",
        views.StaffOrganisationApproveView.as_view(),
        name="staff-organisation-approve",
    ),
    path(
        "staff/organisations/<id:organisation_id>/reject/",
        views.StaffOrganisationRejectView.as_view(),
        name="staff-organisation-reject",
    ),
    path(
        "staff/organisations/<id:organisation_id>/care-host/",
        views.StaffOrganisationCareHostView.as_view(),
        name="staff-organisation-care-host",
    ),
]
