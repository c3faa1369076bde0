"""The volunteer centre's point pages in the staff site (under /staff/points/)."""

from django.urls import URLPattern, path

from points import staff_views

urlpatterns: list[URLPattern] = [
    path("redemptions/", staff_views.redemption_list, name="staff-redemptions-page"),
    path("redemptions/csv/", staff_views.redemption_csv, name="staff-redemptions-csv"),
    path(
        "redemptions/<id:redemption_id>/<str:action>/",
        staff_views.redemption_decide,
        name="staff-redemption-decide-page",
    ),
    path("conversions/", staff_views.conversion_list, name="staff-conversions-page"),
    path("conversions/csv/", staff_views.conversion_csv, name="staff-conversions-csv"),
    path(
        "conversions/<id:conversion_id>/<str:action>/",
        staff_views.conversion_decide,
        name="staff-conversion-decide-page",
    ),
]
