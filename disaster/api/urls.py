from django.urls import path

from disaster.api import views

urlpatterns = [
    path("disasters/", views.DisasterListView.as_view(), name="disaster-list"),
    path("public/shelters/", views.PublicShelterListView.as_view(), name="public-shelter-list"),
    path("me/household/", views.MyHouseholdView.as_view(), name="me-household"),
    path("me/shelter-code/", views.MyShelterCodeView.as_view(), name="me-shelter-code"),
    path("staff/disasters/", views.StaffDisasterListView.as_view(), name="staff-disaster-list"),
    path(
        "staff/disasters/<id:disaster_id>/renew/",
        views.DisasterRenewView.as_view(),
        name="staff-disaster-renew",
    ),
    path("staff/disasters/<id:disaster_id>/end/", views.DisasterEndView.as_view(), name="staff-disaster-end"),
    path(
        "staff/disasters/<id:disaster_id>/special-measure/",
        views.DisasterSpecialMeasureView.as_view(),
        name="staff-disaster-special-measure",
    ),
    path("staff/shelters/headcounts/", views.HeadcountsView.as_view(), name="staff-shelter-headcounts"),
    path("staff/shelters/<id:shelter_id>/open/", views.ShelterOpenView.as_view(), name="staff-shelter-open"),
    path(
        "staff/shelters/<id:shelter_id>/close/", views.ShelterCloseView.as_view(), name="staff-shelter-close"
    ),
    path(
        "staff/shelters/<id:shelter_id>/receptions/",
        views.ShelterReceptionView.as_view(),
        name="staff-shelter-receptions",
    ),
    path(
        "staff/shelters/<id:shelter_id>/receptions/batch/",
        views.ShelterReceptionBatchView.as_view(),
        name="staff-shelter-reception-batch",
    ),
    path(
        "staff/shelter-stays/<uuid:reception_id>/leave/",
        views.StayLeaveView.as_view(),
        name="staff-stay-leave",
    ),
    path(
        "staff/shelter-stays/<uuid:reception_id>/transfer/",
        views.StayTransferView.as_view(),
        name="staff-stay-transfer",
    ),
    path("disaster-centres/", views.CentreListView.as_view(), name="disaster-centre-list"),
    path(
        "disaster-centres/<id:centre_id>/registration/",
        views.CentreRegistrationView.as_view(),
        name="disaster-centre-registration",
    ),
    path("me/call-ups/", views.MyCallUpListView.as_view(), name="me-call-ups"),
    path("me/call-ups/<id:call_up_id>/reply/", views.MyCallUpReplyView.as_view(), name="me-call-up-reply"),
    path(
        "staff/disasters/<id:disaster_id>/centres/",
        views.CentreCreateView.as_view(),
        name="staff-centre-create",
    ),
    path(
        "staff/centres/<id:centre_id>/receptions/",
        views.CentreReceptionView.as_view(),
        name="staff-centre-receptions",
    ),
    path(
        "staff/centres/<id:centre_id>/receptions/batch/",
        views.CentreReceptionBatchView.as_view(),
        name="staff-centre-reception-batch",
    ),
    path(
        "staff/centres/<id:centre_id>/insurance/",
        views.CentreInsuranceView.as_view(),
        name="staff-centre-insurance",
    ),
    path(
        "staff/centres/<id:centre_id>/days/<str:day>/", views.CentreDayView.as_view(), name="staff-centre-day"
    ),
    path(
        "disaster-centres/<id:centre_id>/needs/", views.CentreNeedView.as_view(), name="disaster-centre-needs"
    ),
    path("me/disaster-needs/", views.MyDisasterNeedListView.as_view(), name="me-disaster-needs"),
    path(
        "staff/centres/<id:centre_id>/needs/", views.StaffCentreNeedView.as_view(), name="staff-centre-needs"
    ),
    path(
        "staff/disaster-needs/<id:need_id>/triage/", views.NeedTriageView.as_view(), name="staff-need-triage"
    ),
    path("staff/centres/<id:centre_id>/teams/", views.CentreTeamView.as_view(), name="staff-centre-teams"),
    path("staff/teams/<id:team_id>/members/", views.TeamMemberAddView.as_view(), name="staff-team-members"),
    path("staff/teams/<id:team_id>/report/", views.TeamReportView.as_view(), name="staff-team-report"),
    path(
        "staff/teams/<id:team_id>/work-order/",
        views.TeamWorkOrderView.as_view(),
        name="staff-team-work-order",
    ),
    path("me/evacuation-support/", views.MyEvacuationSupportView.as_view(), name="me-evacuation-support"),
    path(
        "staff/evacuation-support/reads/",
        views.SupportRegisterReadView.as_view(),
        name="staff-evacuation-support-reads",
    ),
]
