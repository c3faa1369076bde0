"""The disaster staff pages in the staff site (under /staff/disaster-mode/)."""

from django.urls import URLPattern, path

from disaster import centre_views, support_views, views

urlpatterns: list[URLPattern] = [
    path("", views.disaster_list, name="staff-disaster-list-page"),
    path("declare/", views.disaster_declare, name="staff-disaster-declare-page"),
    path("<id:disaster_id>/<str:action>/", views.disaster_switch, name="staff-disaster-switch-page"),
    path("shelters/", views.headcounts_page, name="staff-shelter-headcounts-page"),
    path("shelters/status/", views.headcounts_status, name="staff-shelter-headcounts-status"),
    path("shelters.csv", views.headcounts_csv, name="staff-shelter-headcounts-csv"),
    path("shelters/<id:shelter_id>/", views.roster_page, name="staff-shelter-roster-page"),
    path("shelters/<id:shelter_id>/entry/", views.roster_entry, name="staff-shelter-entry-page"),
    path("shelters/<id:shelter_id>/<str:action>/", views.shelter_switch, name="staff-shelter-switch-page"),
    path("stays/<uuid:reception_id>/leave/", views.stay_leave, name="staff-shelter-leave-page"),
    path("roster.csv", views.roster_csv, name="staff-shelter-roster-csv"),
    path("centres/", centre_views.centre_list, name="staff-centre-list-page"),
    path("centres/open/", centre_views.centre_open, name="staff-centre-open-page"),
    path("centres/<id:centre_id>/", centre_views.centre_day, name="staff-centre-day-page"),
    path("centres/<id:centre_id>/quota/", centre_views.centre_quota, name="staff-centre-quota-page"),
    path("centres/<id:centre_id>/door/", centre_views.centre_door, name="staff-centre-door-page"),
    path(
        "centres/<id:centre_id>/door/receive/", centre_views.centre_receive, name="staff-centre-receive-page"
    ),
    path(
        "centres/<id:centre_id>/door/insurance/",
        centre_views.centre_insurance,
        name="staff-centre-insurance-page",
    ),
    path("centres/<id:centre_id>/needs/", centre_views.centre_needs, name="staff-centre-needs-page"),
    path(
        "centres/<id:centre_id>/needs/phone/", centre_views.centre_need_phone, name="staff-centre-phone-page"
    ),
    path("needs/<id:need_id>/triage/", centre_views.need_triage, name="staff-need-triage-page"),
    path("centres/<id:centre_id>/teams/", centre_views.centre_teams, name="staff-centre-teams-page"),
    path("centres/<id:centre_id>/teams/form/", centre_views.centre_teams_form, name="staff-teams-form-page"),
    path("teams/<id:team_id>/members/", centre_views.team_member_add, name="staff-team-member-page"),
    path("teams/<id:team_id>/report/", centre_views.team_report, name="staff-team-report-page"),
    path(
        "teams/<id:team_id>/work-order.pdf", centre_views.team_work_order, name="staff-team-work-order-page"
    ),
    path("support-register/", support_views.support_register, name="staff-support-register-page"),
    path(
        "support-register/read/", support_views.support_register_read, name="staff-support-register-read-page"
    ),
]
