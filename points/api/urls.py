from django.urls import path

from points.api import views

urlpatterns = [
    path("points/", views.BalanceView.as_view(), name="points-balances"),
    path("points/entries/", views.EntryListView.as_view(), name="points-entries"),
    path("points/rewards/", views.RewardListView.as_view(), name="points-rewards"),
    path("points/redemptions/", views.RedemptionListCreateView.as_view(), name="points-redemptions"),
    path("points/conversions/", views.ConversionListCreateView.as_view(), name="points-conversions"),
    path("certificates/", views.CertificateListCreateView.as_view(), name="certificate-list"),
    path("certificates/verify/", views.CertificateVerifyView.as_view(), name="certificate-verify"),
    path(
        "certificates/<id:certificate_id>/", views.CertificateDetailView.as_view(), name="certificate-detail"
    ),
    path("certificates/<id:certificate_id>/pdf/", views.CertificatePdfView.as_view(), name="certificate-pdf"),
    path(
        "staff/certificates/<id:certificate_id>/revoke/",
        views.StaffCertificateRevokeView.as_view(),
        name="staff-certificate-revoke",
    ),
    path("staff/redemptions/", views.StaffRedemptionListView.as_view(), name="staff-redemptions"),
    path(
        "staff/redemptions/<id:redemption_id>/<str:action>/",
        views.StaffRedemptionDecideView.as_view(),
        name="staff-redemption-decide",
    ),
    path("staff/conversions/", views.StaffConversionListView.as_view(), name="staff-conversions"),
    path(
        "staff/conversions/<id:conversion_id>/<str:action>/",
        views.StaffConversionDecideView.as_view(),
        name="staff-conversion-decide",
    ),
]
