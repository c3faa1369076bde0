"""The event staff's pages in the staff site (under /staff/)."""

from django.urls import URLPattern, path

from events import views

urlpatterns: list[URLPattern] = [
    path("events/", views.event_list, name="staff-event-list-page"),
    path("events/<id:event_id>/participants/", views.participant_list, name="staff-event-participants-page"),
    path("events/<id:event_id>/verify/", views.participant_verify, name="staff-event-verify-page"),
    path("events/<id:event_id>/checkin/", views.checkin_screen, name="staff-event-checkin-screen"),
    path("events/<id:event_id>/checkin/status/", views.checkin_status, name="staff-event-checkin-status"),
    path("events/<id:event_id>/checkin/by-hand/", views.checkin_by_hand, name="staff-event-checkin-by-hand"),
    path("newcomers/", views.newcomers, name="staff-newcomers-page"),
]
