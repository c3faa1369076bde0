from django.urls import path

from events.api import views

urlpatterns = [
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("public/events/", views.PublicEventListView.as_view(), name="public-event-list"),
    path("public/events/<id:event_id>/", views.PublicEventDetailView.as_view(), name="public-event-detail"),
    path("events/<id:event_id>/", views.EventDetailView.as_view(), name="event-detail"),
    path("events/<id:event_id>/register/", views.EventRegisterView.as_view(), name="event-register"),
    path("events/<id:event_id>/cancel/", views.EventCancelView.as_view(), name="event-cancel"),
    path("checkins/", views.CheckInView.as_view(), name="checkin"),
    path("me/qr/", views.MyQrView.as_view(), name="me-qr"),
    path("me/participations/", views.MyParticipationListView.as_view(), name="me-participations"),
    path("me/calendar/", views.MyCalendarFeedView.as_view(), name="me-calendar"),
    path("calendar/<str:token>.ics", views.CalendarFeedView.as_view(), name="calendar-feed"),
    path("staff/events/", views.StaffEventListCreateView.as_view(), name="staff-event-list"),
    path("staff/events/<id:event_id>/", views.StaffEventDetailView.as_view(), name="staff-event-detail"),
    path("staff/event-series/", views.StaffEventSeriesCreateView.as_view(), name="staff-event-series"),
    path(
        "staff/event-series/<id:series_id>/",
        views.StaffEventSeriesUpdateView.as_view(),
        name="staff-event-series-detail",
    ),
    path(
        "staff/events/<id:event_id>/checkin-token/",
        views.StaffCheckinTokenView.as_view(),
        name="staff-event-checkin-token",
    ),
    path(
        "staff/events/<id:event_id>/checkins/", views.StaffCheckinView.as_view(), name="staff-event-checkins"
    ),
    path(
        "staff/events/<id:event_id>/participants/",
        views.StaffParticipantListView.as_view(),
        name="staff-event-participants",
    ),
    path("staff/events/<id:event_id>/verify/", views.StaffVerifyView.as_view(), name="staff-event-verify"),
]
