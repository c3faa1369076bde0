from django.urls import path

from matching.api import views

urlpatterns = [
    path("offers/", views.OfferListCreateView.as_view(), name="offer-list"),
    path("offers/<id:offer_id>/", views.OfferDetailView.as_view(), name="offer-detail"),
    path("needs/", views.NeedListCreateView.as_view(), name="need-list"),
    path("needs/<id:need_id>/", views.NeedDetailView.as_view(), name="need-detail"),
    path("matches/", views.MatchListView.as_view(), name="match-list"),
    path("matches/<id:match_id>/accept/", views.MatchAcceptView.as_view(), name="match-accept"),
    path("matches/<id:match_id>/decline/", views.MatchDeclineView.as_view(), name="match-decline"),
    path("staff/matches/", views.StaffMatchQueueView.as_view(), name="staff-match-queue"),
    path(
        "staff/matches/<id:match_id>/confirm/",
        views.StaffMatchConfirmView.as_view(),
        name="staff-match-confirm",
    ),
    path(
        "staff/matches/<id:match_id>/reject/",
        views.StaffMatchRejectView.as_view(),
        name="staff-match-reject",
    ),
]
