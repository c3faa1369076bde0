"""The disaster staff pages in the staff site (under /staff/disaster-mode/)."""

from django.urls import URLPattern, path

from disaster import views

urlpatterns: list[URLPattern] = [
    path("", views.disaster_list, name="staff-disaster-list-page"),
    path("declare/", views.disaster_declare, name="staff-disaster-declare-page"),
    path("<id:disaster_id>/<str:action>/", views.disaster_switch, name="staff-disaster-switch-page"),
    path("shelters/", views.headcounts_page, name="staff-shelter-headcounts-page"),
    path("shelters/status/", views.headcounts_status, name="staff-shelter-headcounts-status"),
    path("shelters.csv", views.headcounts_csv, name="staff-shelter-headcounts-csv"),
    path("shelters/<id:shelter_id>/", views.roster_page, name="staff-shelter-roster-page"),
    path("shelters/<id:shelter_id>/entry/", views.roster_entry, name="staff-shelter-entry-page"),
    path("stays/<uuid:reception_id>/leave/", views.stay_leave, name="staff-shelter-leave-page"),
    path("roster.csv", views.roster_csv, name="staff-shelter-roster-csv"),
]
