"""Who may do what: every operation of the OpenAPI document and every staff page, tried by every
persona, each with its expected outcome written in one table below.

Personas (columns):
  anon    nobody signed in
  res     a resident of 中央区 who owns the objects tried (need, offer, match, certificate, …)
  oth     another resident of the same district, who owns nothing here
  org     staff of the approved organisation that runs the events tried
  org2    staff of another approved organisation
  susp    the same staff as `org`, once their organisation is suspended
  coord   a coordinator of 中央区, where everything tried lives
  coord2  a coordinator of 北区
  plan    the plan office
  admin   an administrator (the role, not a superuser) given 中央区
  hdq     the disaster headquarters of 中央区 (declares disasters, sees every shelter)
  shel    shelter staff of 中央区

A cell is the HTTP status expected. The table must name every operation of the schema and every
staff page: a new endpoint or page without a row fails `test_every_operation_has_a_row`. Each
operation runs against a fresh world; each persona's request is rolled back before the next.
"""

import dataclasses
import datetime as dt
import functools
import os
import uuid
from collections.abc import Callable
from functools import cached_property
from typing import Any

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from disaster import services as disaster_services
from disaster.models import (
    CallUp,
    CentreReception,
    Disaster,
    DisasterNeed,
    Shelter,
    ShelterStay,
    Team,
    VolunteerCentre,
)
from events import services as events_services
from events.models import Activity, EventSeries, Participation
from matching.models import Match, Need, Offer
from plan_registry import services as plan_services
from plan_registry.fiscal_year import fiscal_year_of_date
from plan_registry.models import Area, Indicator
from points import services as points_services
from points.models import Certificate, ConversionRequest, Redemption, Scheme
from tests.factories import (
    ActivityCategoryFactory,
    ActivityFactory,
    CallUpFactory,
    CentreReceptionFactory,
    DeviceFactory,
    DisasterFactory,
    DisasterNeedFactory,
    EvacuationSupportFactory,
    EvacueeFactory,
    EventSeriesFactory,
    IndicatorFactory,
    MatchFactory,
    MembershipFactory,
    NeedFactory,
    NotificationFactory,
    OfferFactory,
    OrganisationFactory,
    ParticipationFactory,
    PlanFactory,
    QualificationFactory,
    QualificationTypeFactory,
    RewardFactory,
    ShelterFactory,
    ShelterStayFactory,
    SkillFactory,
    StaffRoleFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
    VerifiedIdentityFactory,
    VolunteerCentreFactory,
)
from volunteer.models import Device, Organisation, StaffRole, User

pytestmark = pytest.mark.django_db

PERSONAS = ("anon", "res", "oth", "org", "org2", "susp", "coord", "coord2", "plan", "admin", "hdq", "shel")

# fmt: off
API = """
operation (under /api/v1)                                anon res oth org org2 susp coord coord2 plan admin hdq shel
GET /areas/                                              200  200 200 200 200  200  200   200    200  200   200 200
GET /categories/                                         200  200 200 200 200  200  200   200    200  200   200 200
GET /errors/                                             200  200 200 200 200  200  200   200    200  200   200 200
GET /skills/                                             200  200 200 200 200  200  200   200    200  200   200 200
GET /ping/                                               401  200 200 200 200  200  200   200    200  200   200 200
GET /plan/                                               200  200 200 200 200  200  200   200    200  200   200 200
GET /plan/indicators/                                    200  200 200 200 200  200  200   200    200  200   200 200
GET /plan/indicators/{code}/                             200  200 200 200 200  200  200   200    200  200   200 200
GET /open-data/indicator-values/                         200  200 200 200 200  200  200   200    200  200   200 200
GET /open-data/indicator-values.csv                      200  200 200 200 200  200  200   200    200  200   200 200
POST /certificates/verify/                               200  200 200 200 200  200  200   200    200  200   200 200
GET /me/                                                 401  200 200 200 200  200  200   200    200  200   200 200
PATCH /me/                                               401  200 200 200 200  200  200   200    200  200   200 200
GET /me/export/                                          401  200 200 200 200  200  200   200    200  200   200 200
DELETE /me/                                              401  403 403 403 403  403  403   403    403  403   403 403
GET /me/suspension/                                      401  200 200 200 200  200  200   200    200  200   200 200
POST /me/suspension/                                     401  200 200 200 200  200  200   200    200  200   200 200
DELETE /me/suspension/                                   401  200 200 200 200  200  200   200    200  200   200 200
GET /me/consents/                                        401  200 200 200 200  200  200   200    200  200   200 200
POST /me/consents/                                       401  200 200 200 200  200  200   200    200  200   200 200
DELETE /me/consents/{document}/                          401  200 200 200 200  200  200   200    200  200   200 200
POST /staff/people/{person_id}/rights-requests/          401  403 403 403 403  403  403   403    403  201   403 403
GET /me/identity/                                        401  200 200 200 200  200  200   200    200  200   200 200
DELETE /me/identity/                                     401  204 404 404 404  404  404   404    404  404   404 404
POST /me/identity/verification/                          401  503 503 503 503  503  503   503    503  503   503 503
GET /me/participations/                                  401  200 200 200 200  200  200   200    200  200   200 200
GET /me/qr/                                              401  200 200 200 200  200  200   200    200  200   200 200
GET /me/calendar/                                        401  200 404 404 404  404  404   404    404  404   404 404
POST /me/calendar/                                       401  201 201 201 201  201  201   201    201  201   201 201
DELETE /me/calendar/                                     401  204 404 404 404  404  404   404    404  404   404 404
GET /calendar/{token}.ics                                200  200 200 200 200  200  200   200    200  200   200 200
GET /notifications/                                      401  200 200 200 200  200  200   200    200  200   200 200
POST /notifications/read/                                401  200 200 200 200  200  200   200    200  200   200 200
GET /devices/                                            401  200 200 200 200  200  200   200    200  200   200 200
POST /devices/                                           401  201 201 201 201  201  201   201    201  201   201 201
DELETE /devices/{device_id}/                             401  204 404 404 404  404  404   404    404  404   404 404
GET /organisations/                                      401  200 200 200 200  200  200   200    200  200   200 200
POST /organisations/                                     401  201 201 201 201  201  201   201    201  201   201 201
GET /offers/                                             401  200 200 200 200  200  200   200    200  200   200 200
POST /offers/                                            401  201 201 201 201  201  201   201    201  201   201 201
GET /offers/{offer_id}/                                  401  200 404 404 404  404  404   404    404  404   404 404
PATCH /offers/{offer_id}/                                401  200 404 404 404  404  404   404    404  404   404 404
DELETE /offers/{offer_id}/                               401  200 404 404 404  404  404   404    404  404   404 404
GET /needs/                                              401  200 200 200 200  200  200   200    200  200   200 200
POST /needs/                                             401  201 201 201 201  201  201   201    201  201   201 201
GET /needs/{need_id}/                                    401  200 404 404 404  404  404   404    404  404   404 404
PATCH /needs/{need_id}/                                  401  200 404 404 404  404  404   404    404  404   404 404
DELETE /needs/{need_id}/                                 401  200 404 404 404  404  404   404    404  404   404 404
GET /matches/                                            401  200 200 200 200  200  200   200    200  200   200 200
POST /matches/{match_id}/accept/                         401  200 404 404 404  404  404   404    404  404   404 404
POST /matches/{match_id}/decline/                        401  200 404 404 404  404  404   404    404  404   404 404
GET /events/                                             401  200 200 200 200  200  200   200    200  200   200 200
GET /events/{event_id}/                                  401  200 200 200 200  200  200   200    200  200   200 200
GET /public/events/                                      200  200 200 200 200  200  200   200    200  200   200 200
GET /public/events/{event_id}/                           200  200 200 200 200  200  200   200    200  200   200 200
POST /events/{event_id}/register/                        401  201 201 201 201  201  201   201    201  201   201 201
POST /events/{event_id}/cancel/                          401  204 404 404 404  404  404   404    404  404   404 404
POST /checkins/                                          401  201 409 409 409  409  409   409    409  409   409 409
GET /points/                                             401  200 200 200 200  200  200   200    200  200   200 200
GET /points/entries/                                     401  200 200 200 200  200  200   200    200  200   200 200
GET /points/rewards/                                     401  200 200 200 200  200  200   200    200  200   200 200
GET /points/redemptions/                                 401  200 200 200 200  200  200   200    200  200   200 200
POST /points/redemptions/                                401  201 403 403 403  403  403   403    403  403   403 403
GET /points/conversions/                                 401  200 200 200 200  200  200   200    200  200   200 200
POST /points/conversions/                                401  201 403 403 403  403  403   403    403  403   403 403
GET /certificates/                                       401  200 200 200 200  200  200   200    200  200   200 200
POST /certificates/                                      401  201 400 400 400  400  400   400    400  400   400 400
GET /certificates/{certificate_id}/                      401  200 404 404 404  404  404   404    404  404   404 404
GET /certificates/{certificate_id}/pdf/                  401  200 404 404 404  404  404   404    404  404   404 404
GET /staff/events/                                       401  403 403 200 200  403  200   200    403  200   403 403
POST /staff/events/                                      401  403 403 201 403  403  403   403    403  403   403 403
GET /staff/events/{event_id}/                            401  403 403 200 404  403  200   404    403  200   403 403
PATCH /staff/events/{event_id}/                          401  403 403 200 404  403  200   404    403  200   403 403
GET /staff/events/{event_id}/checkin-token/              401  403 403 200 404  403  200   404    403  200   403 403
POST /staff/events/{event_id}/checkins/                  401  403 403 201 404  403  201   404    403  201   403 403
GET /staff/events/{event_id}/participants/               401  403 403 200 404  403  200   404    403  200   403 403
POST /staff/events/{event_id}/verify/                    401  403 403 200 404  403  200   404    403  200   403 403
POST /staff/event-series/                                401  403 403 201 403  403  403   403    403  403   403 403
PATCH /staff/event-series/{series_id}/                   401  403 403 200 404  403  404   404    403  404   403 403
GET /staff/matches/                                      401  403 403 403 403  403  200   200    403  200   403 403
POST /staff/matches/                                     401  403 403 403 403  403  201   404    403  201   403 403
POST /staff/matches/{match_id}/confirm/                  401  403 403 403 403  403  200   404    403  200   403 403
POST /staff/matches/{match_id}/reject/                   401  403 403 403 403  403  200   404    403  200   403 403
GET /staff/organisations/                                401  403 403 403 403  403  200   200    403  200   403 403
POST /staff/organisations/{organisation_id}/approve/     401  403 403 403 403  403  200   404    403  200   403 403
POST /staff/organisations/{organisation_id}/reject/      401  403 403 403 403  403  200   404    403  200   403 403
POST /staff/organisations/{organisation_id}/care-host/   401  403 403 403 403  403  200   404    403  200   403 403
GET /staff/redemptions/                                  401  403 403 403 403  403  200   200    403  200   403 403
POST /staff/redemptions/{redemption_id}/{action}/        401  403 403 403 403  403  200   404    403  200   403 403
GET /staff/conversions/                                  401  403 403 403 403  403  200   200    403  200   403 403
POST /staff/conversions/{conversion_id}/{action}/        401  403 403 403 403  403  200   404    403  200   403 403
POST /staff/certificates/{certificate_id}/revoke/        401  403 403 403 403  403  200   404    403  200   403 403
GET /disasters/                                          200  200 200 200 200  200  200   200    200  200   200 200
GET /public/shelters/                                    200  200 200 200 200  200  200   200    200  200   200 200
GET /me/household/                                       401  200 200 200 200  200  200   200    200  200   200 200
PUT /me/household/                                       401  200 200 200 200  200  200   200    200  200   200 200
GET /me/shelter-code/                                    401  200 200 200 200  200  200   200    200  200   200 200
GET /staff/disasters/                                    401  403 403 403 403  403  403   403    403  403   200 403
POST /staff/disasters/                                   401  403 403 403 403  403  403   403    403  403   403 403
POST /staff/disasters/{disaster_id}/renew/               401  403 403 403 403  403  403   403    403  403   403 403
POST /staff/disasters/{disaster_id}/end/                 401  403 403 403 403  403  403   403    403  403   403 403
POST /staff/disasters/{disaster_id}/special-measure/     401  403 403 403 403  403  403   403    403  403   403 403
GET /staff/shelters/headcounts/                          401  403 403 403 403  403  403   403    403  403   200 200
POST /staff/shelters/{shelter_id}/open/                  401  403 403 403 403  403  403   403    403  403   200 200
POST /staff/shelters/{shelter_id}/close/                 401  403 403 403 403  403  403   403    403  403   200 200
POST /staff/shelters/{shelter_id}/receptions/            401  403 403 403 403  403  403   403    403  403   201 201
POST /staff/shelters/{shelter_id}/receptions/batch/      401  403 403 403 403  403  403   403    403  403   200 200
POST /staff/shelter-stays/{reception_id}/leave/          401  403 403 403 403  403  403   403    403  403   200 200
POST /staff/shelter-stays/{reception_id}/transfer/       401  403 403 403 403  403  403   403    403  403   201 201
GET /disaster-centres/                                   200  200 200 200 200  200  200   200    200  200   200 200
GET /disaster-centres/{centre_id}/registration/          401  200 404 404 404  404  404   404    404  404   404 404
PUT /disaster-centres/{centre_id}/registration/          401  200 200 200 200  200  200   200    200  200   200 200
DELETE /disaster-centres/{centre_id}/registration/       401  204 404 404 404  404  404   404    404  404   404 404
GET /me/call-ups/                                        401  200 200 200 200  200  200   200    200  200   200 200
POST /me/call-ups/{call_up_id}/reply/                    401  200 404 404 404  404  404   404    404  404   404 404
POST /staff/disasters/{disaster_id}/centres/             401  403 403 403 403  403  403   403    403  403   201 403
POST /staff/centres/{centre_id}/receptions/              401  403 403 403 403  403  403   403    403  403   201 403
POST /staff/centres/{centre_id}/receptions/batch/        401  403 403 403 403  403  403   403    403  403   200 403
POST /staff/centres/{centre_id}/insurance/               401  403 403 403 403  403  403   403    403  403   201 403
GET /staff/centres/{centre_id}/days/{day}/               401  403 403 403 403  403  403   403    403  403   200 403
PUT /staff/centres/{centre_id}/days/{day}/               401  403 403 403 403  403  403   403    403  403   200 403
POST /disaster-centres/{centre_id}/needs/                401  201 201 201 201  201  201   201    201  201   201 201
GET /me/disaster-needs/                                  401  200 200 200 200  200  200   200    200  200   200 200
GET /staff/centres/{centre_id}/needs/                    401  403 403 403 403  403  403   403    403  403   200 403
POST /staff/centres/{centre_id}/needs/                   401  403 403 403 403  403  403   403    403  403   201 403
POST /staff/disaster-needs/{need_id}/triage/             401  403 403 403 403  403  403   403    403  403   200 403
GET /staff/centres/{centre_id}/teams/                    401  403 403 403 403  403  403   403    403  403   200 403
POST /staff/centres/{centre_id}/teams/                   401  403 403 403 403  403  403   403    403  403   201 403
POST /staff/teams/{team_id}/members/                     401  403 403 403 403  403  403   403    403  403   201 403
POST /staff/teams/{team_id}/report/                      401  403 403 403 403  403  403   403    403  403   201 403
GET /me/evacuation-support/                              401  200 404 404 404  404  404   404    404  404   404 404
PUT /me/evacuation-support/                              401  200 200 200 200  200  200   200    200  200   200 200
DELETE /me/evacuation-support/                           401  204 204 204 204  204  204   204    204  204   204 204
POST /staff/evacuation-support/reads/                    401  403 403 403 403  403  403   403    403  403   403 403
GET /staff/teams/{team_id}/work-order/                   401  403 403 403 403  403  403   403    403  403   200 403
GET /plan/report/                                        401  403 403 403 403  403  403   403    200  200   403 403
GET /plan/report/csv/                                    401  403 403 403 403  403  403   403    200  200   403 403
POST /plan/values/                                       401  403 403 403 403  403  403   403    201  201   403 403
GET /plan/feed-runs/                                     401  403 403 403 403  403  403   403    200  200   403 403
POST /plan/feed-runs/                                    401  403 403 403 403  403  403   403    200  200   403 403
POST /plan/fiscal-years/{fiscal_year}/close/             401  403 403 403 403  403  403   403    201  201   403 403
POST /plan/fiscal-years/{fiscal_year}/reopen/            401  403 403 403 403  403  403   403    201  201   403 403
"""

# Staff pages: the project's own (by URL name) and every page of the staff site (a model's list
# and add form). 302 is "sign in first" (the staff site sends anyone not marked as staff there).
PAGES = """
page                                                     anon res oth org org2 susp coord coord2 plan admin hdq shel
GET staff-login                                          200  200 200 302 302  302  302   302    302  302   302 302
GET staff-match-queue-page                               302  403 403 403 403  403  200   200    403  200   403 403
POST staff-match-decide                                  302  403 403 403 403  403  302   404    403  302   403 403
POST staff-match-confirm-selected                        302  403 403 403 403  403  302   302    403  302   403 403
GET staff-newcomers-page                                 302  403 403 403 403  403  200   200    403  200   403 403
GET staff-event-list-page                                302  403 403 200 200  403  200   200    403  200   403 403
GET staff-event-participants-page                        302  403 403 200 404  403  200   404    403  200   403 403
POST staff-event-verify-page                             302  403 403 302 404  403  302   404    403  302   403 403
GET staff-event-checkin-screen                           302  403 403 200 404  403  200   404    403  200   403 403
GET staff-event-checkin-status                           302  403 403 200 404  403  200   404    403  200   403 403
POST staff-event-checkin-by-hand                         302  403 403 302 404  403  302   404    403  302   403 403
GET staff-redemptions-page                               302  403 403 403 403  403  200   200    403  200   403 403
GET staff-redemptions-csv                                302  403 403 403 403  403  200   200    403  200   403 403
POST staff-redemption-decide-page                        302  403 403 403 403  403  302   404    403  302   403 403
GET staff-conversions-page                               302  403 403 403 403  403  200   200    403  200   403 403
GET staff-conversions-csv                                302  403 403 403 403  403  200   200    403  200   403 403
POST staff-conversion-decide-page                        302  403 403 403 403  403  302   404    403  302   403 403
GET staff-disaster-list-page                             302  403 403 403 403  403  403   403    403  403   200 403
POST staff-disaster-declare-page                         302  403 403 403 403  403  403   403    403  403   302 403
POST staff-disaster-switch-page                          302  403 403 403 403  403  403   403    403  403   302 403
GET staff-shelter-headcounts-page                        302  403 403 403 403  403  403   403    403  403   200 200
GET staff-shelter-headcounts-status                      302  403 403 403 403  403  403   403    403  403   200 200
GET staff-shelter-headcounts-csv                         302  403 403 403 403  403  403   403    403  403   200 200
GET staff-shelter-roster-page                            302  403 403 403 403  403  403   403    403  403   200 200
POST staff-shelter-entry-page                            302  403 403 403 403  403  403   403    403  403   200 200
POST staff-shelter-leave-page                            302  403 403 403 403  403  403   403    403  403   302 302
POST staff-shelter-switch-page                           302  403 403 403 403  403  403   403    403  403   302 302
GET staff-shelter-roster-csv                             302  403 403 403 403  403  403   403    403  403   200 403
GET staff-centre-list-page                               302  403 403 403 403  403  403   403    403  403   200 403
POST staff-centre-open-page                              302  403 403 403 403  403  403   403    403  403   302 403
GET staff-centre-day-page                                302  403 403 403 403  403  403   403    403  403   200 403
POST staff-centre-quota-page                             302  403 403 403 403  403  403   403    403  403   302 403
GET staff-centre-door-page                               302  403 403 403 403  403  403   403    403  403   200 403
POST staff-centre-receive-page                           302  403 403 403 403  403  403   403    403  403   302 403
POST staff-centre-insurance-page                         302  403 403 403 403  403  403   403    403  403   302 403
GET staff-centre-needs-page                              302  403 403 403 403  403  403   403    403  403   200 403
POST staff-centre-phone-page                             302  403 403 403 403  403  403   403    403  403   200 403
POST staff-need-triage-page                              302  403 403 403 403  403  403   403    403  403   302 403
GET staff-centre-teams-page                              302  403 403 403 403  403  403   403    403  403   200 403
POST staff-teams-form-page                               302  403 403 403 403  403  403   403    403  403   302 403
POST staff-team-member-page                              302  403 403 403 403  403  403   403    403  403   302 403
POST staff-team-report-page                              302  403 403 403 403  403  403   403    403  403   302 403
GET staff-team-work-order-page                           302  403 403 403 403  403  403   403    403  403   200 403
GET staff-support-register-page                          302  403 403 403 403  403  403   403    403  403   403 403
POST staff-support-register-read-page                    302  403 403 403 403  403  403   403    403  403   403 403
GET plan-report-page                                     302  403 403 403 403  403  403   403    200  200   403 403
GET plan-report-pdf-page                                 302  403 403 403 403  403  403   403    200  200   403 403
GET plan-values-page                                     302  403 403 403 403  403  403   403    200  200   403 403
GET admin:index                                          302  302 302 200 200  200  200   200    200  200   200 200
GET admin:core_owncaserefusal_changelist                 302  302 302 403 403  403  403   403    403  200   403 403
GET admin:core_owncaserefusal_add                        302  302 302 403 403  403  403   403    403  403   403 403
GET admin:volunteer_user_changelist                      302  302 302 403 403  403  200   200    403  200   403 403
GET admin:volunteer_user_add                             302  302 302 403 403  403  403   403    403  403   403 403
GET admin:volunteer_organisation_changelist              302  302 302 403 403  403  200   200    403  200   403 403
GET admin:volunteer_organisation_add                     302  302 302 403 403  403  403   403    403  403   403 403
GET admin:volunteer_organisationmembership_changelist    302  302 302 403 403  403  200   200    403  200   403 403
GET admin:volunteer_organisationmembership_add           302  302 302 403 403  403  403   403    403  403   403 403
GET admin:volunteer_staffrole_changelist                 302  302 302 403 403  403  403   403    403  403   403 403
GET admin:volunteer_staffrole_add                        302  302 302 403 403  403  403   403    403  403   403 403
GET admin:volunteer_skill_changelist                     302  302 302 403 403  403  200   200    200  200   403 403
GET admin:volunteer_skill_add                            302  302 302 403 403  403  403   403    403  200   403 403
GET admin:volunteer_activitycategory_changelist          302  302 302 403 403  403  200   200    200  200   403 403
GET admin:volunteer_activitycategory_add                 302  302 302 403 403  403  403   403    403  200   403 403
GET admin:volunteer_qualificationtype_changelist         302  302 302 403 403  403  200   200    200  200   403 403
GET admin:volunteer_qualificationtype_add                302  302 302 403 403  403  403   403    403  200   403 403
GET admin:volunteer_qualification_changelist             302  302 302 403 403  403  200   200    403  200   403 403
GET admin:volunteer_qualification_add                    302  302 302 403 403  403  403   403    403  403   403 403
GET admin:volunteer_verifiedidentity_changelist          302  302 302 403 403  403  200   200    403  200   403 403
GET admin:volunteer_verifiedidentity_add                 302  302 302 403 403  403  403   403    403  403   403 403
GET admin:volunteer_rightsrequest_changelist             302  302 302 403 403  403  200   200    403  200   403 403
GET admin:volunteer_rightsrequest_add                    302  302 302 403 403  403  403   403    403  403   403 403
GET admin:volunteer_identityevent_changelist             302  302 302 403 403  403  200   200    403  200   403 403
GET admin:volunteer_identityevent_add                    302  302 302 403 403  403  403   403    403  403   403 403
GET admin:matching_offer_changelist                      302  302 302 403 403  403  200   200    403  200   403 403
GET admin:matching_offer_add                             302  302 302 403 403  403  403   403    403  403   403 403
GET admin:matching_need_changelist                       302  302 302 403 403  403  200   200    403  200   403 403
GET admin:matching_need_add                              302  302 302 403 403  403  403   403    403  403   403 403
GET admin:matching_match_changelist                      302  302 302 403 403  403  200   200    403  200   403 403
GET admin:matching_match_add                             302  302 302 403 403  403  403   403    403  403   403 403
GET admin:matching_addressrelease_changelist             302  302 302 403 403  403  200   200    403  200   403 403
GET admin:matching_addressrelease_add                    302  302 302 403 403  403  403   403    403  403   403 403
GET admin:matching_matchingrun_changelist                302  302 302 403 403  403  200   200    403  200   403 403
GET admin:matching_matchingrun_add                       302  302 302 403 403  403  403   403    403  403   403 403
GET admin:matching_matchingrequest_changelist            302  302 302 403 403  403  200   200    403  200   403 403
GET admin:matching_matchingrequest_add                   302  302 302 403 403  403  403   403    403  403   403 403
GET admin:points_scheme_changelist                       302  302 302 403 403  403  200   200    200  200   403 403
GET admin:points_scheme_add                              302  302 302 403 403  403  403   403    403  200   403 403
GET admin:points_awardrule_changelist                    302  302 302 403 403  403  200   200    200  200   403 403
GET admin:points_awardrule_add                           302  302 302 403 403  403  403   403    403  200   403 403
GET admin:points_reward_changelist                       302  302 302 403 403  403  200   200    200  200   403 403
GET admin:points_reward_add                              302  302 302 403 403  403  403   403    403  200   403 403
GET admin:points_ledgertransaction_changelist            302  302 302 403 403  403  403   403    403  403   403 403
GET admin:points_ledgertransaction_add                   302  302 302 403 403  403  403   403    403  403   403 403
GET admin:points_ledgerseal_changelist                   302  302 302 403 403  403  403   403    403  403   403 403
GET admin:points_ledgerseal_add                          302  302 302 403 403  403  403   403    403  403   403 403
GET admin:points_account_changelist                      302  302 302 403 403  403  200   200    403  200   403 403
GET admin:points_account_add                             302  302 302 403 403  403  403   403    403  403   403 403
GET admin:points_redemption_changelist                   302  302 302 403 403  403  200   200    403  200   403 403
GET admin:points_redemption_add                          302  302 302 403 403  403  403   403    403  403   403 403
GET admin:points_conversionrequest_changelist            302  302 302 403 403  403  200   200    403  200   403 403
GET admin:points_conversionrequest_add                   302  302 302 403 403  403  403   403    403  403   403 403
GET admin:points_certificate_changelist                  302  302 302 403 403  403  200   200    403  200   403 403
GET admin:points_certificate_add                         302  302 302 403 403  403  403   403    403  403   403 403
GET admin:plan_registry_plan_changelist                  302  302 302 403 403  403  200   200    200  200   403 403
GET admin:plan_registry_plan_add                         302  302 302 403 403  403  403   403    200  200   403 403
GET admin:plan_registry_basicpolicy_changelist           302  302 302 403 403  403  200   200    200  200   403 403
GET admin:plan_registry_basicpolicy_add                  302  302 302 403 403  403  403   403    200  200   403 403
GET admin:plan_registry_initiative_changelist            302  302 302 403 403  403  200   200    200  200   403 403
GET admin:plan_registry_initiative_add                   302  302 302 403 403  403  403   403    200  200   403 403
GET admin:plan_registry_programme_changelist             302  302 302 403 403  403  200   200    200  200   403 403
GET admin:plan_registry_programme_add                    302  302 302 403 403  403  403   403    200  200   403 403
GET admin:plan_registry_indicator_changelist             302  302 302 403 403  403  200   200    200  200   403 403
GET admin:plan_registry_indicator_add                    302  302 302 403 403  403  403   403    200  200   403 403
GET admin:plan_registry_area_changelist                  302  302 302 403 403  403  200   200    200  200   403 403
GET admin:plan_registry_area_add                         302  302 302 403 403  403  403   403    403  200   403 403
GET admin:disaster_shelter_changelist                    302  302 302 403 403  403  403   403    403  403   200 200
GET admin:disaster_shelter_add                           302  302 302 403 403  403  403   403    403  403   200 403
GET admin:disaster_disaster_changelist                   302  302 302 403 403  403  403   403    403  403   200 403
GET admin:disaster_disaster_add                          302  302 302 403 403  403  403   403    403  403   403 403
# The installed packages' pages (accounts' e-mail addresses, sessions, sign-in logs with addresses):
# Django's per-model permissions, which no role grants: a superuser's only.
GET admin:auth_group_changelist                          302  302 302 403 403  403  403   403    403  403   403 403
GET admin:auth_group_add                                 302  302 302 403 403  403  403   403    403  403   403 403
GET admin:account_emailaddress_changelist                302  302 302 403 403  403  403   403    403  403   403 403
GET admin:account_emailaddress_add                       302  302 302 403 403  403  403   403    403  403   403 403
GET admin:usersessions_usersession_changelist            302  302 302 403 403  403  403   403    403  403   403 403
GET admin:usersessions_usersession_add                   302  302 302 403 403  403  403   403    403  403   403 403
GET admin:socialaccount_socialapp_changelist             302  302 302 403 403  403  403   403    403  403   403 403
GET admin:socialaccount_socialapp_add                    302  302 302 403 403  403  403   403    403  403   403 403
GET admin:socialaccount_socialtoken_changelist           302  302 302 403 403  403  403   403    403  403   403 403
GET admin:socialaccount_socialtoken_add                  302  302 302 403 403  403  403   403    403  403   403 403
GET admin:socialaccount_socialaccount_changelist         302  302 302 403 403  403  403   403    403  403   403 403
GET admin:socialaccount_socialaccount_add                302  302 302 403 403  403  403   403    403  403   403 403
GET admin:axes_accessattempt_changelist                  302  302 302 403 403  403  403   403    403  403   403 403
GET admin:axes_accessattempt_add                         302  302 302 403 403  403  403   403    403  403   403 403
GET admin:axes_accesslog_changelist                      302  302 302 403 403  403  403   403    403  403   403 403
GET admin:axes_accesslog_add                             302  302 302 403 403  403  403   403    403  403   403 403
GET admin:axes_accessfailurelog_changelist               302  302 302 403 403  403  403   403    403  403   403 403
GET admin:axes_accessfailurelog_add                      302  302 302 403 403  403  403   403    403  403   403 403
"""
# fmt: on


def _table(text: str) -> dict[str, dict[str, int]]:
    rows = {}
    for line in text.strip().splitlines()[1:]:
        if line.startswith("#"):
            continue
        words = line.split()
        operation, cells = " ".join(words[:2]), words[2:]
        assert len(cells) == len(PERSONAS), f"{operation}: {len(cells)} cells"
        rows[operation] = dict(zip(PERSONAS, (int(cell) for cell in cells), strict=True))
    return rows


def _row(operation: str, outcomes: dict[str, int]) -> str:
    """A row as the table writes it, so that a failure shows the row to compare (or to paste)."""
    return f"{operation:<56} " + " ".join(f"{outcomes[p]:<{len(p)}}" for p in PERSONAS)


API_TABLE = _table(API)
PAGE_TABLE = _table(PAGES)


class World:
    """The people and the objects tried; each object is made when a row first needs it."""

    def __init__(self, *, district: Area, ward: Area, other_ward: Area, organiser: User) -> None:
        self.district = district
        self.organiser = organiser
        self.organisation = organiser.memberships.get().organisation
        self.resident = UserFactory(
            email="resident@example.com", school_district=district, birth_date=dt.date(1950, 1, 1)
        )
        self.other_resident = UserFactory(email="other@example.com", school_district=district)
        self.other_organiser = UserFactory(email="org2@example.com", is_staff=True, school_district=district)
        MembershipFactory(user=self.other_organiser, organisation=OrganisationFactory(area=district))
        self.coordinator = self._staff("coordinator@example.com", StaffRole.Role.COORDINATOR, ward)
        self.coordinator_elsewhere = self._staff("kita@example.com", StaffRole.Role.COORDINATOR, other_ward)
        self.planner = self._staff("planner@example.com", StaffRole.Role.PLAN_OFFICE, None)
        self.administrator = self._staff("admin@example.com", StaffRole.Role.ADMINISTRATOR, ward)
        self.disaster_office = self._staff("hq@example.com", StaffRole.Role.DISASTER_OFFICE, ward)
        self.shelter_staff = self._staff("shelter@example.com", StaffRole.Role.SHELTER_STAFF, ward)
        self.ward = ward
        # Everyone lives in the district (staff are residents too), so that a refusal below is
        # the role's, never an incomplete profile's.
        ActivityCategoryFactory(code="listening")
        SkillFactory(code="listening")

    def _staff(self, email: str, role: str, area: Area | None) -> User:
        user = UserFactory(email=email, is_staff=True, school_district=self.district)
        StaffRoleFactory(user=user, role=role, areas=[area] if area else [])
        return user

    def persona(self, name: str) -> User | None:
        if name == "susp":
            Organisation.objects.filter(pk=self.organisation.pk).update(status=Organisation.Status.SUSPENDED)
        return {
            "anon": None,
            "res": self.resident,
            "oth": self.other_resident,
            "org": self.organiser,
            "org2": self.other_organiser,
            "susp": self.organiser,
            "coord": self.coordinator,
            "coord2": self.coordinator_elsewhere,
            "plan": self.planner,
            "admin": self.administrator,
            "hdq": self.disaster_office,
            "shel": self.shelter_staff,
        }[name]

    @cached_property
    def event(self) -> Activity:
        """The organisation's event, running now, the resident registered and checked in."""
        starts_at = timezone.now() - dt.timedelta(minutes=30)
        event = ActivityFactory(
            kind=Activity.Kind.EVENT,
            organisation=self.organisation,
            school_district=self.district,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=2),
            capacity=20,
        )
        ParticipationFactory(activity=event, person=self.resident, checked_in_at=starts_at)
        return event

    @cached_property
    def participation(self) -> Participation:
        return Participation.objects.get(activity=self.event, person=self.resident)

    @cached_property
    def open_event(self) -> Activity:
        starts_at = timezone.now() + dt.timedelta(days=7)
        return ActivityFactory(
            kind=Activity.Kind.EVENT,
            organisation=self.organisation,
            school_district=self.district,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=2),
            capacity=20,
        )

    @cached_property
    def series(self) -> EventSeries:
        return EventSeriesFactory(organisation=self.organisation)

    @cached_property
    def offer(self) -> Offer:
        return OfferFactory(person=self.resident, school_district=self.district)

    @cached_property
    def need(self) -> Need:
        return NeedFactory(requester=self.resident, school_district=self.district)

    @cached_property
    def match(self) -> Match:
        """Proposed: the other resident's need, the resident as the volunteer."""
        need = NeedFactory(requester=self.other_resident, school_district=self.district)
        return MatchFactory(
            need=need, offer=OfferFactory(person=self.resident, school_district=self.district)
        )

    @cached_property
    def open_need(self) -> Need:
        return NeedFactory(requester=self.other_resident, school_district=self.district)

    @cached_property
    def verified_participation(self) -> Participation:
        participation = self.participation
        events_services.participation_verify(participation=participation, staff=self.organiser)
        participation.refresh_from_db()
        return participation

    @cached_property
    def certificate(self) -> Certificate:
        return points_services.certificate_issue(
            person=self.resident, participation=self.verified_participation
        )

    @cached_property
    def reward_points(self) -> int:
        VerifiedIdentityFactory(person=self.resident, birth_date=dt.date(1950, 1, 1))
        participation = ParticipationFactory(person=self.resident, minutes=60, verified_at=timezone.now())
        points_services.participation_award(participation_id=participation.pk)
        return RewardFactory(scheme=Scheme.objects.get(code="kumamoto"), cost=100).pk

    @cached_property
    def redemption(self) -> Redemption:
        reward_id = self.reward_points
        from points.models import Reward

        return points_services.redemption_hold(person=self.resident, reward=Reward.objects.get(pk=reward_id))

    @cached_property
    def care_history(self) -> int:
        """Six verified days at a care host early in this fiscal year (介護保険サポーターポイント),
        whose conversion window is opened for the whole year so the test runs on any day."""
        Scheme.objects.filter(code="care-support").update(conversion_opens="04-01")
        VerifiedIdentityFactory(person=self.resident, birth_date=dt.date(1950, 1, 1))
        host = OrganisationFactory(care_facility=True, is_care_host=True)
        year = fiscal_year_of_date(timezone.localdate())
        for day in range(6):
            starts = year.start + dt.timedelta(days=day, hours=10)
            participation = ParticipationFactory(
                person=self.resident,
                activity__organisation=host,
                activity__starts_at=starts,
                activity__ends_at=starts + dt.timedelta(hours=2),
                minutes=120,
                verified_at=timezone.now(),
            )
            points_services.participation_award(participation_id=participation.pk)
        return year.year

    @cached_property
    def conversion(self) -> ConversionRequest:
        fiscal_year = self.care_history
        scheme = Scheme.objects.get(code="care-support")
        return points_services.conversion_request(
            person=self.resident, scheme=scheme, fiscal_year=fiscal_year
        )

    @cached_property
    def calendar_token(self) -> str:
        """The resident's calendar feed: the secret in its address."""
        return events_services.calendar_feed_create(person=self.resident)[1]

    @cached_property
    def device(self) -> Device:
        return DeviceFactory(user=self.resident)

    @cached_property
    def application(self) -> Organisation:
        """A care facility applying in the district, by the other resident."""
        return OrganisationFactory(
            care_facility=True, area=self.district, applied_by=self.other_resident, applied=True
        )

    @cached_property
    def disaster(self) -> Disaster:
        return DisasterFactory(wards=[self.ward], declared_by=self.disaster_office)

    @cached_property
    def shelter(self) -> Shelter:
        """Open for the disaster, in the district."""
        return ShelterFactory(
            school_district=self.district, status=Shelter.Status.OPEN, disaster=self.disaster
        )

    @cached_property
    def closed_shelter(self) -> Shelter:
        return ShelterFactory(school_district=self.district, disaster=None, status=Shelter.Status.CLOSED)

    @cached_property
    def stay(self) -> ShelterStay:
        """The resident's household, received at the shelter."""
        stay = ShelterStayFactory(
            disaster=self.disaster, shelter=self.shelter, received_by=self.shelter_staff
        )
        EvacueeFactory(stay=stay, person=self.resident)
        return stay

    @cached_property
    def centre(self) -> VolunteerCentre:
        """Open for the disaster in the district; the resident registered for today and in two
        days, called up for the latter, and insured (natural disaster plan) since last week."""
        centre = VolunteerCentreFactory(disaster=self.disaster, school_district=self.district, daily_quota=20)
        today = timezone.localdate()
        disaster_services.centre_register(
            centre=centre,
            person=self.resident,
            registration=disaster_services.RegistrationInput(
                skill_codes=(),
                licence_codes=(),
                vehicle="none",
                home_prefecture=43,
                days=(today, today + dt.timedelta(days=2)),
            ),
        )
        insurance = QualificationTypeFactory(code="volunteer-insurance-disaster", kind="insurance")
        QualificationFactory(
            user=self.resident, qualification_type=insurance, obtained_on=today - dt.timedelta(days=7)
        )
        return centre

    @cached_property
    def disaster_need(self) -> DisasterNeed:
        """The other resident's need at the centre, accepted."""
        return DisasterNeedFactory(
            centre=self.centre,
            requester=self.other_resident,
            status=DisasterNeed.Status.ACCEPTED,
            helpers_needed=3,
        )

    @cached_property
    def team(self) -> Team:
        """Dispatched today to the need: the resident (received) and another volunteer."""
        ActivityCategoryFactory(code="disaster")
        need, today = self.disaster_need, timezone.localdate()
        volunteer = UserFactory(school_district=self.district)
        receptions = [
            CentreReceptionFactory(
                centre=self.centre, day=today, person=person, received_by=self.disaster_office
            )
            for person in (self.resident, volunteer)
        ]
        started = timezone.now() - dt.timedelta(hours=1)
        activity = ActivityFactory(
            kind=Activity.Kind.ONE_OFF,
            school_district=self.district,
            starts_at=started,
            ends_at=started + dt.timedelta(hours=10),
        )
        team = TeamFactory(
            centre=self.centre, need=need, leader=self.resident, sub_leader=volunteer, activity=activity
        )
        for reception in receptions:
            TeamMemberFactory(team=team, reception=reception)
            ParticipationFactory(activity=activity, person=reception.person, checked_in_at=started)
        return team

    @cached_property
    def late_arrival(self) -> CentreReception:
        return CentreReceptionFactory(
            centre=self.team.centre, day=timezone.localdate(), received_by=self.disaster_office
        )

    @cached_property
    def call_up(self) -> CallUp:
        registration = self.centre.registrations.get(person=self.resident)
        return CallUpFactory(registration=registration, day=timezone.localdate() + dt.timedelta(days=2))

    @cached_property
    def indicator(self) -> Indicator:
        return IndicatorFactory(source=Indicator.Source.MANUAL)


@dataclasses.dataclass(frozen=True)
class Call:
    prepare: Callable[[World], Any] = lambda w: None
    path: Callable[[World], dict[str, Any]] = lambda w: {}
    body: Callable[[World], Any] = lambda w: None
    query: Callable[[World], dict[str, Any]] = lambda w: {}


def _later(days: int, hour: int) -> str:
    return (timezone.localtime() + dt.timedelta(days=days)).replace(hour=hour, minute=0).isoformat()


def _shelter_scan(w: World) -> dict[str, Any]:
    code, _expires = disaster_services.shelter_code_make(person=w.resident)
    return {
        "reception_id": str(uuid.uuid4()),
        "scanned_at": timezone.now().isoformat(),
        "stay_type": "shelter",
        "code": code,
    }


def _volunteer_scan(w: World) -> dict[str, Any]:
    now = timezone.now()
    return {
        "reception_id": str(uuid.uuid4()),
        "scanned_at": now.isoformat(),
        "code": events_services.checkin_resident_token(person=w.resident, at=now),
    }


def _disaster_need_body(w: World) -> dict[str, Any]:
    return {
        "work_type": "mud_removal",
        "school_district": w.district.code,
        "address": "桜台",
        "helpers_needed": 2,
    }


def _received_today(w: World) -> None:
    """Two volunteers received today and the need accepted: a team can be formed."""
    ActivityCategoryFactory(code="disaster")
    _accepted = w.disaster_need
    for _ in range(2):
        CentreReceptionFactory(
            centre=w.centre,
            day=timezone.localdate(),
            person=UserFactory(school_district=w.district),
            received_by=w.disaster_office,
        )


def _second_shelter(w: World) -> Shelter:
    return ShelterFactory(school_district=w.district, status=Shelter.Status.OPEN, disaster=w.disaster)


def _venue_checkin(w: World) -> dict[str, Any]:
    token = events_services.checkin_venue_token(activity=w.event, staff=w.organiser)
    return {"event": w.event.pk, "token": token, "direction": "out"}


CALLS: dict[str, Call] = {
    "GET /plan/": Call(prepare=lambda w: PlanFactory(is_current=True)),
    "DELETE /me/identity/": Call(prepare=lambda w: VerifiedIdentityFactory(person=w.resident)),
    "GET /plan/feed-runs/": Call(query=lambda w: {"fiscal_year": 2025}),
    "GET /plan/indicators/{code}/": Call(path=lambda w: {"code": w.indicator.code}),
    "POST /certificates/verify/": Call(body=lambda w: {"credential": w.certificate.credential}),
    "PATCH /me/": Call(body=lambda w: {"display_name": "新しい名前"}),
    "POST /notifications/read/": Call(body=lambda w: {"ids": [NotificationFactory(user=w.resident).pk]}),
    "POST /devices/": Call(body=lambda w: {"platform": "android", "token": "fcm-token-1"}),
    "DELETE /devices/{device_id}/": Call(path=lambda w: {"device_id": w.device.pk}),
    "POST /me/consents/": Call(body=lambda w: {"document": "data_sharing", "version": "2025-04"}),
    "DELETE /me/consents/{document}/": Call(path=lambda w: {"document": "data_sharing"}),
    "POST /staff/people/{person_id}/rights-requests/": Call(
        path=lambda w: {"person_id": w.resident.pk},
        body=lambda w: {"kind": "suspension", "reason": "窓口で書面を受理（受付番号 12）"},
    ),
    "POST /organisations/": Call(
        body=lambda w: {"name": "NPO 子育てひろば", "kind": "npo", "area": w.district.code}
    ),
    "POST /offers/": Call(
        body=lambda w: {
            "categories": ["listening"],
            "skills": ["listening"],
            "reach": "neighbours",
            "max_per_week": 2,
            "weekly_availability": [{"weekday": 1, "start": "09:00", "end": "12:00"}],
            "valid_until": str(timezone.localdate() + dt.timedelta(days=90)),
        }
    ),
    "GET /offers/{offer_id}/": Call(path=lambda w: {"offer_id": w.offer.pk}),
    "PATCH /offers/{offer_id}/": Call(
        path=lambda w: {"offer_id": w.offer.pk}, body=lambda w: {"max_per_week": 1}
    ),
    "DELETE /offers/{offer_id}/": Call(path=lambda w: {"offer_id": w.offer.pk}),
    "POST /needs/": Call(
        body=lambda w: {
            "title": "放課後クラブへの付き添い",
            "category": "listening",
            "school_district": w.district.code,
            "address": "熊本市中央区桜町1-2-3",
            "windows": [{"starts_at": _later(7, 15), "ends_at": _later(7, 16)}],
        }
    ),
    "GET /needs/{need_id}/": Call(path=lambda w: {"need_id": w.need.pk}),
    "PATCH /needs/{need_id}/": Call(
        path=lambda w: {"need_id": w.need.pk}, body=lambda w: {"title": "付き添い"}
    ),
    "DELETE /needs/{need_id}/": Call(path=lambda w: {"need_id": w.need.pk}),
    "POST /matches/{match_id}/accept/": Call(path=lambda w: {"match_id": w.match.pk}),
    "POST /matches/{match_id}/decline/": Call(
        path=lambda w: {"match_id": w.match.pk}, body=lambda w: {"reason": "都合"}
    ),
    "GET /events/{event_id}/": Call(path=lambda w: {"event_id": w.event.pk}),
    "GET /public/events/{event_id}/": Call(path=lambda w: {"event_id": w.open_event.pk}),
    "GET /me/calendar/": Call(prepare=lambda w: w.calendar_token),
    "DELETE /me/calendar/": Call(prepare=lambda w: w.calendar_token),
    "GET /calendar/{token}.ics": Call(path=lambda w: {"token": w.calendar_token}),
    "POST /events/{event_id}/register/": Call(path=lambda w: {"event_id": w.open_event.pk}),
    "POST /events/{event_id}/cancel/": Call(path=lambda w: {"event_id": w.event.pk}),
    "POST /checkins/": Call(body=_venue_checkin),
    "POST /points/redemptions/": Call(body=lambda w: {"reward": w.reward_points}),
    "POST /points/conversions/": Call(
        body=lambda w: {"scheme": "care-support", "fiscal_year": w.care_history}
    ),
    "POST /certificates/": Call(body=lambda w: {"participation": w.verified_participation.pk}),
    "GET /certificates/{certificate_id}/": Call(path=lambda w: {"certificate_id": w.certificate.pk}),
    "GET /certificates/{certificate_id}/pdf/": Call(path=lambda w: {"certificate_id": w.certificate.pk}),
    "POST /staff/events/": Call(
        body=lambda w: {
            "organisation": w.organisation.pk,
            "title": "認知症サポーター養成講座",
            "category": "listening",
            "school_district": w.district.code,
            "starts_at": _later(7, 10),
            "ends_at": _later(7, 12),
            "capacity": 30,
        }
    ),
    "GET /staff/events/{event_id}/": Call(path=lambda w: {"event_id": w.event.pk}),
    "PATCH /staff/events/{event_id}/": Call(
        path=lambda w: {"event_id": w.event.pk}, body=lambda w: {"capacity": 25}
    ),
    "GET /staff/events/{event_id}/checkin-token/": Call(path=lambda w: {"event_id": w.event.pk}),
    "PUT /me/household/": Call(body=lambda w: {"members": [{"name": "田中 陽子", "age_group": "adult"}]}),
    "POST /staff/disasters/": Call(
        prepare=lambda w: w.ward,
        body=lambda w: {"name": "豪雨", "wards": [w.ward.code], "reason": "大雨特別警報"},
    ),
    "POST /staff/disasters/{disaster_id}/renew/": Call(
        path=lambda w: {"disaster_id": w.disaster.pk}, body=lambda w: {"reason": "余震"}
    ),
    "POST /staff/disasters/{disaster_id}/end/": Call(
        path=lambda w: {"disaster_id": w.disaster.pk}, body=lambda w: {"reason": "解除"}
    ),
    "POST /staff/disasters/{disaster_id}/special-measure/": Call(
        path=lambda w: {"disaster_id": w.disaster.pk}, body=lambda w: {"reason": "全社協の適用通知"}
    ),
    "POST /staff/shelters/{shelter_id}/open/": Call(
        path=lambda w: {"shelter_id": w.closed_shelter.pk}, body=lambda w: {"disaster": w.disaster.pk}
    ),
    "POST /staff/shelters/{shelter_id}/close/": Call(path=lambda w: {"shelter_id": w.shelter.pk}),
    "POST /staff/shelters/{shelter_id}/receptions/": Call(
        path=lambda w: {"shelter_id": w.shelter.pk}, body=lambda w: _shelter_scan(w)
    ),
    "POST /staff/shelters/{shelter_id}/receptions/batch/": Call(
        path=lambda w: {"shelter_id": w.shelter.pk}, body=lambda w: {"receptions": [_shelter_scan(w)]}
    ),
    "POST /staff/shelter-stays/{reception_id}/leave/": Call(
        path=lambda w: {"reception_id": w.stay.reception_id}
    ),
    "POST /staff/shelter-stays/{reception_id}/transfer/": Call(
        path=lambda w: {"reception_id": w.stay.reception_id},
        body=lambda w: {"shelter": _second_shelter(w).pk, "reception_id": str(uuid.uuid4())},
    ),
    "GET /disaster-centres/{centre_id}/registration/": Call(path=lambda w: {"centre_id": w.centre.pk}),
    "PUT /disaster-centres/{centre_id}/registration/": Call(
        path=lambda w: {"centre_id": w.centre.pk},
        body=lambda w: {
            "home_prefecture": 43,
            "days": [(timezone.localdate() + dt.timedelta(days=3)).isoformat()],
        },
    ),
    "DELETE /disaster-centres/{centre_id}/registration/": Call(path=lambda w: {"centre_id": w.centre.pk}),
    "POST /me/call-ups/{call_up_id}/reply/": Call(
        path=lambda w: {"call_up_id": w.call_up.pk}, body=lambda w: {"coming": True}
    ),
    "POST /staff/disasters/{disaster_id}/centres/": Call(
        path=lambda w: {"disaster_id": w.disaster.pk},
        body=lambda w: {"name": "中央区災害VC", "school_district": w.district.code, "daily_quota": 100},
    ),
    "POST /staff/centres/{centre_id}/receptions/": Call(
        path=lambda w: {"centre_id": w.centre.pk}, body=lambda w: _volunteer_scan(w)
    ),
    "POST /staff/centres/{centre_id}/receptions/batch/": Call(
        path=lambda w: {"centre_id": w.centre.pk}, body=lambda w: {"receptions": [_volunteer_scan(w)]}
    ),
    "POST /staff/centres/{centre_id}/insurance/": Call(
        path=lambda w: {"centre_id": w.centre.pk},
        body=lambda w: {k: v for k, v in _volunteer_scan(w).items() if k != "reception_id"},
    ),
    "GET /staff/centres/{centre_id}/days/{day}/": Call(
        path=lambda w: {"centre_id": w.centre.pk, "day": timezone.localdate().isoformat()}
    ),
    "PUT /staff/centres/{centre_id}/days/{day}/": Call(
        path=lambda w: {"centre_id": w.centre.pk, "day": timezone.localdate().isoformat()},
        body=lambda w: {"quota": 30},
    ),
    "POST /disaster-centres/{centre_id}/needs/": Call(
        path=lambda w: {"centre_id": w.centre.pk}, body=lambda w: _disaster_need_body(w)
    ),
    "GET /staff/centres/{centre_id}/needs/": Call(path=lambda w: {"centre_id": w.centre.pk}),
    "POST /staff/centres/{centre_id}/needs/": Call(
        path=lambda w: {"centre_id": w.centre.pk},
        body=lambda w: {
            **_disaster_need_body(w),
            "contact_name": "高木 トメ",
            "contact_phone": "096-000-0000",
        },
    ),
    "POST /staff/disaster-needs/{need_id}/triage/": Call(
        path=lambda w: {"need_id": w.disaster_need.pk},
        body=lambda w: {"accept": True, "urgency": 1, "reason": "床上浸水"},
    ),
    "GET /staff/centres/{centre_id}/teams/": Call(path=lambda w: {"centre_id": w.centre.pk}),
    "POST /staff/centres/{centre_id}/teams/": Call(
        prepare=lambda w: _received_today(w), path=lambda w: {"centre_id": w.centre.pk}
    ),
    "POST /staff/teams/{team_id}/members/": Call(
        path=lambda w: {"team_id": w.team.pk},
        body=lambda w: {"reception_id": str(w.late_arrival.reception_id)},
    ),
    "POST /staff/teams/{team_id}/report/": Call(
        path=lambda w: {"team_id": w.team.pk}, body=lambda w: {"outcome": "done"}
    ),
    "GET /me/evacuation-support/": Call(prepare=lambda w: EvacuationSupportFactory(person=w.resident)),
    "PUT /me/evacuation-support/": Call(body=lambda w: {"needs": ["wheelchair"], "note": "2階"}),
    "POST /staff/evacuation-support/reads/": Call(body=lambda w: {"reason": "見守り"}),
    "GET /staff/teams/{team_id}/work-order/": Call(path=lambda w: {"team_id": w.team.pk}),
    "POST /staff/events/{event_id}/checkins/": Call(
        path=lambda w: {"event_id": w.event.pk},
        body=lambda w: {"person": w.resident.pk, "direction": "out", "reason": "受付で記入"},
    ),
    "GET /staff/events/{event_id}/participants/": Call(path=lambda w: {"event_id": w.event.pk}),
    "POST /staff/events/{event_id}/verify/": Call(
        path=lambda w: {"event_id": w.event.pk},
        body=lambda w: {"participations": [w.participation.pk], "minutes": 60, "reason": "出席簿"},
    ),
    "POST /staff/event-series/": Call(
        body=lambda w: {
            "organisation": w.organisation.pk,
            "title": "いきいきサロン",
            "category": "listening",
            "school_district": w.district.code,
            "starts_at": _later(7, 10),
            "ends_at": _later(7, 12),
            "capacity": 20,
            "rule": "FREQ=WEEKLY;COUNT=4",
        }
    ),
    "PATCH /staff/event-series/{series_id}/": Call(
        path=lambda w: {"series_id": w.series.pk}, body=lambda w: {"capacity": 25}
    ),
    "POST /staff/matches/": Call(
        body=lambda w: {
            "need": w.open_need.pk,
            "volunteer": w.resident.pk,
            "reason": "電話で相談済み",
            "without_offer_reason": "窓口で申し出があった",
        }
    ),
    "POST /staff/matches/{match_id}/confirm/": Call(path=lambda w: {"match_id": w.match.pk}),
    "POST /staff/matches/{match_id}/reject/": Call(
        path=lambda w: {"match_id": w.match.pk}, body=lambda w: {"reason": "条件が合わない"}
    ),
    "POST /staff/organisations/{organisation_id}/approve/": Call(
        path=lambda w: {"organisation_id": w.application.pk}
    ),
    "POST /staff/organisations/{organisation_id}/reject/": Call(
        path=lambda w: {"organisation_id": w.application.pk}, body=lambda w: {"reason": "活動実態が不明"}
    ),
    "POST /staff/organisations/{organisation_id}/care-host/": Call(
        path=lambda w: {"organisation_id": w.application.pk},
        body=lambda w: {"is_care_host": False, "reason": "確認"},
    ),
    "POST /staff/redemptions/{redemption_id}/{action}/": Call(
        path=lambda w: {"redemption_id": w.redemption.pk, "action": "approve"}
    ),
    "POST /staff/conversions/{conversion_id}/{action}/": Call(
        path=lambda w: {"conversion_id": w.conversion.pk, "action": "approve"}
    ),
    "POST /staff/certificates/{certificate_id}/revoke/": Call(
        path=lambda w: {"certificate_id": w.certificate.pk}, body=lambda w: {"reason": "記録の誤り"}
    ),
    "GET /plan/report/": Call(query=lambda w: {"fiscal_year": 2025}),
    "GET /plan/report/csv/": Call(query=lambda w: {"fiscal_year": 2025}),
    "POST /plan/values/": Call(
        body=lambda w: {
            "indicator": w.indicator.code,
            "fiscal_year": 2025,
            "value": "12.5",
            "source_document": "令和7年度 市民アンケート 問12",
        }
    ),
    "POST /plan/feed-runs/": Call(body=lambda w: {"fiscal_year": 2025}),
    "POST /plan/fiscal-years/{fiscal_year}/close/": Call(
        path=lambda w: {"fiscal_year": 2024}, body=lambda w: {"reason": "推進会議に報告済み"}
    ),
    "POST /plan/fiscal-years/{fiscal_year}/reopen/": Call(
        prepare=lambda w: plan_services.fiscal_year_close(
            fiscal_year=2024, staff=w.planner, reason="報告済み"
        ),
        path=lambda w: {"fiscal_year": 2024},
        body=lambda w: {"reason": "値の訂正"},
    ),
}


@functools.cache
def _schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-any-return]


def _documented_as_page(method: str, path: str) -> bool:
    """The operation's 200 answer is documented as a page, with the parameters that turn it."""
    schema = _schema()
    operation = schema["paths"][path][method.lower()]
    content = operation["responses"].get("200", {}).get("content", {}).get("application/json", {})
    reference = content.get("schema", {}).get("$ref", "")
    answer = schema["components"]["schemas"].get(reference.rsplit("/", 1)[-1], {})
    parameters = {parameter["name"] for parameter in operation.get("parameters", [])}
    is_page = {"count", "next", "previous", "results"} <= set(answer.get("properties", {}))
    return is_page and {"page", "page_size"} <= parameters


def _schema_operations() -> set[str]:
    schema = _schema()
    return {
        f"{method.upper()} {path.removeprefix('/api/v1')}"
        for path, operations in schema["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    }


def _staff_pages() -> set[str]:
    """The project's own staff pages (named routes under /staff/ outside the staff site), and
    the staff site's index, and each registered model's list and add form."""
    pages = {"GET admin:index"}
    for model in admin.site._registry:
        opts = model._meta
        pages |= {f"GET admin:{opts.app_label}_{opts.model_name}_{view}" for view in ("changelist", "add")}
    for pattern in get_resolver().url_patterns:
        if not str(pattern.pattern).startswith("staff/"):
            continue
        if isinstance(pattern, URLResolver) and pattern.app_name != "admin":
            named = [p.name for p in pattern.url_patterns if isinstance(p, URLPattern) and p.name]
            assert len(named) == len(pattern.url_patterns)  # every page of an app's staff routes is named
        else:
            named = [pattern.name] if isinstance(pattern, URLPattern) and pattern.name else []
        pages |= {f"{'POST' if name in POST_PAGES else 'GET'} {name}" for name in named}
    return pages


# The staff pages that only take a POST (a decision, a verification, an entry by hand).
POST_PAGES = {
    "staff-match-decide",
    "staff-match-confirm-selected",
    "staff-event-verify-page",
    "staff-event-checkin-by-hand",
    "staff-redemption-decide-page",
    "staff-conversion-decide-page",
    "staff-disaster-declare-page",
    "staff-disaster-switch-page",
    "staff-shelter-entry-page",
    "staff-shelter-leave-page",
    "staff-shelter-switch-page",
    "staff-centre-open-page",
    "staff-centre-quota-page",
    "staff-centre-receive-page",
    "staff-centre-insurance-page",
    "staff-centre-phone-page",
    "staff-need-triage-page",
    "staff-teams-form-page",
    "staff-team-member-page",
    "staff-team-report-page",
    "staff-support-register-read-page",
}


def test_every_operation_has_a_row() -> None:
    assert _schema_operations() == set(API_TABLE)


def test_every_staff_page_has_a_row() -> None:
    assert _staff_pages() == set(PAGE_TABLE)


@pytest.fixture
def world(
    city_schemes_configured: None, school_district: Area, ward: Area, other_ward: Area, organiser: User
) -> World:
    User.objects.filter(pk=organiser.pk).update(is_staff=True, school_district=school_district)
    organiser.refresh_from_db()
    return World(district=school_district, ward=ward, other_ward=other_ward, organiser=organiser)


def _client(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)  # a session, as the staff pages and the app's cookie sign-in use
    return client


def _outcomes(world: World, try_one: Callable[[APIClient], int], build: Callable[[], None]) -> dict[str, int]:
    """Each persona's status, each request rolled back (the world is built once, outside)."""
    build()
    outcomes = {}
    for persona in PERSONAS:
        with transaction.atomic():
            user = world.persona(persona)
            outcomes[persona] = try_one(_client(user))
            transaction.set_rollback(True)
    return outcomes


@pytest.mark.parametrize("operation", sorted(API_TABLE))
def test_each_persona_gets_the_expected_answer_from_each_operation(world: World, operation: str) -> None:
    method, template = operation.split(" ", 1)
    template = f"/api/v1{template}"
    call = CALLS.get(operation, Call())
    arguments: dict[str, Any] = {}

    def build() -> None:
        call.prepare(world)
        arguments["path"] = template.format(**call.path(world))
        arguments["body"] = call.body(world)
        arguments["query"] = call.query(world)

    def try_one(client: APIClient) -> int:
        send = getattr(client, method.lower())
        if method == "GET":
            response = send(arguments["path"], arguments["query"])
        else:
            response = send(
                arguments["path"], arguments["body"], format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
            )
        if os.environ.get("MATRIX_DEBUG"):
            print(operation, response.status_code, response.content[:120].decode(errors="replace"))  # noqa: T201
        if response.status_code == 200 and response.get("Content-Type", "").startswith("application/json"):
            body = response.json()
            shapes.add("page" if isinstance(body, dict) and "results" in body else type(body).__name__)
        return int(response.status_code)

    shapes: set[str] = set()
    assert _row(operation, _outcomes(world, try_one, build)) == _row(operation, API_TABLE[operation])
    # The app's client is generated from the schema: a page must be documented as one, with
    # its `page` and `page_size`, and a bare list as a bare list.
    if shapes:
        assert shapes == ({"page"} if _documented_as_page(method, template) else shapes - {"page"}), operation


PAGE_ARGUMENTS: dict[str, Callable[[World], dict[str, Any]]] = {
    "staff-match-decide": lambda w: {"match_id": w.match.pk, "action": "confirm"},
    "staff-event-checkin-screen": lambda w: {"event_id": w.event.pk},
    "staff-event-checkin-status": lambda w: {"event_id": w.event.pk},
    "staff-event-checkin-by-hand": lambda w: {"event_id": w.event.pk},
    "staff-event-participants-page": lambda w: {"event_id": w.event.pk},
    "staff-event-verify-page": lambda w: {"event_id": w.event.pk},
    "staff-redemption-decide-page": lambda w: {"redemption_id": w.redemption.pk, "action": "approve"},
    "staff-conversion-decide-page": lambda w: {"conversion_id": w.conversion.pk, "action": "approve"},
    "staff-disaster-switch-page": lambda w: {"disaster_id": w.disaster.pk, "action": "renew"},
    "staff-shelter-roster-page": lambda w: {"shelter_id": w.shelter.pk},
    "staff-shelter-entry-page": lambda w: {"shelter_id": w.shelter.pk},
    "staff-shelter-leave-page": lambda w: {"reception_id": w.stay.reception_id},
    "staff-shelter-switch-page": lambda w: {"shelter_id": w.shelter.pk, "action": "close"},
    "staff-centre-day-page": lambda w: {"centre_id": w.centre.pk},
    "staff-centre-quota-page": lambda w: {"centre_id": w.centre.pk},
    "staff-centre-door-page": lambda w: {"centre_id": w.centre.pk},
    "staff-centre-receive-page": lambda w: {"centre_id": w.centre.pk},
    "staff-centre-insurance-page": lambda w: {"centre_id": w.centre.pk},
    "staff-centre-needs-page": lambda w: {"centre_id": w.centre.pk},
    "staff-centre-phone-page": lambda w: {"centre_id": w.centre.pk},
    "staff-need-triage-page": lambda w: {"need_id": w.disaster_need.pk},
    "staff-centre-teams-page": lambda w: {"centre_id": w.centre.pk},
    "staff-teams-form-page": lambda w: {"centre_id": w.centre.pk},
    "staff-team-member-page": lambda w: {"team_id": w.team.pk},
    "staff-team-report-page": lambda w: {"team_id": w.team.pk},
    "staff-team-work-order-page": lambda w: {"team_id": w.team.pk},
}


@pytest.mark.parametrize("staff_page", sorted(PAGE_TABLE))  # (not "page": Playwright's fixture)
def test_each_persona_gets_the_expected_answer_from_each_staff_page(world: World, staff_page: str) -> None:
    method, name = staff_page.split(" ", 1)
    arguments: dict[str, str] = {}

    def build() -> None:
        kwargs = PAGE_ARGUMENTS.get(name, lambda w: {})(world)
        arguments["url"] = reverse(name, kwargs=kwargs)

    def try_one(client: APIClient) -> int:
        if method == "POST":
            return int(client.post(arguments["url"], {"reason": "確認済み"}).status_code)
        return int(client.get(arguments["url"]).status_code)

    assert _row(staff_page, _outcomes(world, try_one, build)) == _row(staff_page, PAGE_TABLE[staff_page])
