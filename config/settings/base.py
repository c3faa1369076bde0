"""Settings for every environment, read from the environment.

With nothing set this is the embedded default: a SQLite file, Celery tasks run eagerly
in-process, demo mode on. `DATABASE_URL` and `REDIS_URL` switch to PostgreSQL, the Redis
broker and real workers. The README's settings table lists every variable.
"""

import os
from pathlib import Path

import django_stubs_ext
import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

# --- core -------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=True)
# The embedded default needs no secret; production.py refuses to start without one.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="django-insecure-embedded-default-do-not-use-in-production")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "core.api.errors.csrf_failure"

INSTALLED_APPS = [
    "config.staff_admin.StaffAdminConfig",  # Django's admin, as the staff site opened by roles
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.headless",
    "allauth.usersessions",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "core",
    "plan_registry",
    "volunteer",
    "events",
    "matching",
    "points",
    "disaster",
    "demo",
]

MIDDLEWARE = [
    "core.load.LoadSheddingMiddleware",  # first: a shed request costs nothing else
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.db.TransientDatabaseErrorMiddleware",
    "core.limits.JsonDepthMiddleware",
    "core.text.HiddenCharactersMiddleware",
    "core.api.errors.MethodNotAllowedMiddleware",
    "core.privacy.IndividualNumberMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.staff_menu.staff_menu",
            ],
        },
    },
]

# --- data -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# The role `manage.py migrate` connects as, owning the tables; the application's role (DATABASE_URL)
# is granted only reading and appending on the ledger (core.roles). Unset: one role does both.
DATABASE_OWNER_URL = env.str("DATABASE_OWNER_URL", default="")
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # A database that does not answer (a host gone, a network partition) fails the request in
    # seconds, as a 503 (core.db), instead of holding the worker for TCP's minutes.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
# Requests one web process works on at once; the rest answer 503 `overloaded` at once (core.load).
# 0: no limit (the development server). Production's default, with gunicorn's: config/gunicorn.conf.py.
WEB_MAX_IN_FLIGHT = env.int("WEB_MAX_IN_FLIGHT", default=0)
# Keep a worker's connection between requests (opening one costs PostgreSQL a few ms each time);
# health checks drop a connection the server closed.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and an eager task share the file. A transaction
    # takes the write lock when it begins (IMMEDIATE): a deferred one that reads first and writes
    # later cannot wait for the lock (SQLite answers "database is locked" at once, whatever the
    # timeout, lest two readers deadlock upgrading), so parallel registrations failed with 500s.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "volunteer.User"

# Demo data is generated only in the embedded mode (no DATABASE_URL) unless asked for.
DEMO_MODE = env.bool("DEMO_MODE", default="DATABASE_URL" not in os.environ)
# The demo accounts' password. Unset, the first demo load generates one and keeps it in this file
# (var/ is not in git), so every later load prints the password that works.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="")
DEMO_PASSWORD_FILE = BASE_DIR / "var" / "demo-password"

# --- internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

# --- static files -----------------------------------------------------------------------
STATIC_URL = "static/"
# Set where `collectstatic` runs (the Docker image); the embedded default serves from the apps.
STATIC_ROOT = env.str("DJANGO_STATIC_ROOT", default="") or None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# --- accounts: django-allauth, headless for the app ---------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_ADAPTER = "volunteer.accounts.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "volunteer.accounts.SignupExtraForm"
HEADLESS_ONLY = True
HEADLESS_CLIENTS = ("app",)
HEADLESS_SERVE_SPECIFICATION = True
HEADLESS_FRONTEND_URLS = {
    "account_confirm_email": env.str(
        "APP_EMAIL_CONFIRM_URL", default="kumamoto-volunteer://account/verify-email/{key}"
    ),
    "account_reset_password_from_key": env.str(
        "APP_PASSWORD_RESET_URL", default="kumamoto-volunteer://account/password/reset/{key}"
    ),
    "account_signup": env.str("APP_SIGNUP_URL", default="kumamoto-volunteer://account/signup"),
}
LOGIN_URL = "admin:login"

# Embedded default: each e-mail is a file in var/mail, so the console stays readable.
EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env.str("DJANGO_EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "mail"))
# Push notifications: a dotted path to a class with send(*, device, notification).
NOTIFICATION_PUSH_BACKEND = env.str(
    "NOTIFICATION_PUSH_BACKEND", default="volunteer.notifications.LoggingPushBackend"
)
# How many notifications one person is sent per day through e-mail and push (all are stored).
NOTIFICATION_DAILY_BUDGET = env.int("NOTIFICATION_DAILY_BUDGET", default=8)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="volunteer@example.com")

# --- API --------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api.authentication.SessionTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # Indicator values, baselines, targets and achievement rates are numbers the app and the plan
    # office compute and chart with: JSON numbers (at most 14 digits, 3 after the point, exact
    # in a double), not strings. The open-data CSV writes them as the plan prints them.
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "熊本市ボランティア・ポイント API",
    "DESCRIPTION": (
        "市民向けアプリ、ボランティアセンター、計画担当課が使う JSON API です。"
        "登録・ログイン・ログアウトは allauth のヘッドレス API で、その OpenAPI 文書は "
        "/_allauth/openapi.json にあります。そこで返されるセッショントークンを "
        "X-Session-Token ヘッダーで送ってください。エラーはすべて Error コンポーネントの形で、"
        "変わらないコード（code）と、Accept-Language の言語（ja または en）のメッセージを返します。"
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # core.limits.IdConverter: an id the database can hold, a 404 beyond it
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "format": "int64", "minimum": 0, "maximum": 2**63 - 1}
    },
    "ENUM_NAME_OVERRIDES": {
        "VerifyRefusalEnum": "events.api.serializers.VERIFY_REFUSAL_CODES",
        "IndicatorSourceEnum": "plan_registry.models.Indicator.Source",
        "IndicatorValueSourceEnum": "plan_registry.models.IndicatorValue.Source",
        "OrganisationStatusEnum": "volunteer.models.Organisation.Status",
        "OfferStatusEnum": "matching.models.Offer.Status",
        "NeedStatusEnum": "matching.models.Need.Status",
        "MatchStatusEnum": "matching.models.Match.Status",
        "CheckInDirectionEnum": "events.models.CheckIn.Direction",
        "IndicatorDirectionEnum": "plan_registry.models.Indicator.Direction",
        "CheckInMethodEnum": "events.models.CheckIn.Method",
        "ParticipationStatusEnum": "events.models.Participation.Status",
        "RedemptionStatusEnum": "points.models.Redemption.Status",
        "ConversionStatusEnum": "points.models.ConversionRequest.Status",
        "LanguageEnum": "volunteer.api.serializers.LANGUAGES",
        "RightsRequestKindEnum": "volunteer.models.RightsRequest.Kind",
        "ShelterStatusEnum": "disaster.models.Shelter.Status",
        "StayTypeEnum": "disaster.models.ShelterStay.StayType",
        "AgeGroupEnum": "disaster.models.AgeGroup",
        "ReceptionMethodEnum": "disaster.models.ReceptionMethod",
        "CallUpStatusEnum": "disaster.models.CallUp.Status",
        "DisasterNeedStatusEnum": "disaster.models.DisasterNeed.Status",
        "DisasterNeedSourceEnum": "disaster.models.DisasterNeed.Source",
        "TeamStatusEnum": "disaster.models.Team.Status",
    },
}

# --- Celery -----------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Guardrails: a task is told to stop after 10 minutes (SoftTimeLimitExceeded, its transaction rolls
# back and the sweeps re-drive it) and killed after 15; a worker asked to stop finishes its task
# for up to 30 s before it gives the message back.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=600)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=900)
CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT = 30.0
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
    # A publish to a broker that is down or unreachable fails at once (one try, half a second to
    # connect), not after kombu's retries: the request goes on without it and the sweeps re-drive
    # the work (core.deferred). The worker's own connection keeps Celery's retrying loop.
    CELERY_BROKER_CONNECTION_TIMEOUT = 0.5
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "max_retries": 0,
        "socket_connect_timeout": 0.5,
        "socket_timeout": 5,
        # A message taken by a worker that never acknowledges it (killed) is delivered again after
        # this long: above the longest a task may run (CELERY_TASK_TIME_LIMIT), or a slow task
        # would be run twice side by side.
        "visibility_timeout": 3600,
    }
else:
    # Embedded default: no broker, every task runs in the caller's process.
    # A host in the URL: without one kombu warns "No hostname was supplied" at every eager task.
    CELERY_BROKER_URL = "memory://localhost/"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
# A matching request still unprocessed after this long is re-driven by the sweep; after this many
# failed tries it is parked with its error, for staff (the staff site's matching requests).
MATCHING_SWEEP_AFTER_SECONDS = env.int("MATCHING_SWEEP_AFTER_SECONDS", default=120)
MATCHING_MAX_ATTEMPTS = env.int("MATCHING_MAX_ATTEMPTS", default=5)
# Readiness (/readyz) fails when no worker has run beat's 30-second heartbeat for this long.
WORKER_HEARTBEAT_MAX_AGE_SECONDS = env.int("WORKER_HEARTBEAT_MAX_AGE_SECONDS", default=120)
# A notification not yet delivered, or an application whose coordinators were not told, after
# this long is re-driven (a message lost while the broker was down); older than a day: left be.
DEFERRED_SWEEP_AFTER_SECONDS = env.int("DEFERRED_SWEEP_AFTER_SECONDS", default=120)
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "matching-sweep": {"task": "matching.tasks.matching_sweep_task", "schedule": 60.0},
    "matching-reoptimise": {
        "task": "matching.tasks.matching_reoptimise_task",
        "schedule": env.float("MATCHING_REOPTIMISE_SECONDS", default=30 * 60.0),
    },
    "posts-expire": {"task": "matching.tasks.posts_expire_task", "schedule": crontab(hour=0, minute=10)},
    "checkouts-close": {"task": "events.tasks.checkouts_close_task", "schedule": 15 * 60.0},
    "waitlist-offers-expire": {"task": "events.tasks.waitlist_offers_expire_task", "schedule": 5 * 60.0},
    "awards-sweep": {"task": "points.tasks.awards_sweep_task", "schedule": 5 * 60.0},
    "deferred-sweep": {"task": "volunteer.tasks.deferred_sweep_task", "schedule": 60.0},
    "worker-heartbeat": {"task": "core.tasks.worker_heartbeat_task", "schedule": 30.0},
    "points-expire": {"task": "points.tasks.points_expire_task", "schedule": crontab(hour=0, minute=30)},
    "ledger-seal": {"task": "points.tasks.ledger_seal_task", "schedule": crontab(hour=2, minute=50)},
    "points-reconcile": {"task": "points.tasks.points_reconcile_task", "schedule": crontab(hour=3, minute=0)},
    "indicator-feeds": {"task": "plan_registry.tasks.feeds_run_task", "schedule": crontab(hour=2, minute=30)},
    "disaster-lapses": {"task": "disaster.tasks.disasters_record_lapses_task", "schedule": 5 * 60.0},
    "centre-call-ups": {"task": "disaster.tasks.call_ups_due_task", "schedule": 30 * 60.0},
    "personal-data-purge": {
        "task": "core.tasks.personal_data_purge_task",
        "schedule": crontab(hour=4, minute=0),
    },
}

# --- consent ------------------------------------------------------------------------------
# The current version of the terms of use and the privacy policy: posting, being matched and
# verifying one's identity need consent to these (a new version asks everyone again).
CONSENT_CURRENT_VERSIONS = {
    "terms": env.str("TERMS_VERSION", default="2025-04"),
    "privacy": env.str("PRIVACY_POLICY_VERSION", default="2025-04"),
}

# --- personal data: the retention schedule (README, "Personal data") ------------------------
# A filled need's exact address, this long after its last window (a withdrawn or expired need's
# goes at once): long enough for a late incident or insurance report to name the place.
NEED_ADDRESS_RETENTION_DAYS = env.int("NEED_ADDRESS_RETENTION_DAYS", default=30)
# The app's inbox: half a year of messages, as long as any of them asks for an answer.
NOTIFICATION_RETENTION_DAYS = env.int("NOTIFICATION_RETENTION_DAYS", default=180)
# A push token not registered again for this long is stale (Firebase's own rule: 270 days).
DEVICE_TOKEN_RETENTION_DAYS = env.int("DEVICE_TOKEN_RETENTION_DAYS", default=270)
# Check-in details (who entered a hand check-in and why, the code used): until the points they
# prove can no longer be questioned, the fiscal year after next.
CHECKIN_DETAIL_RETENTION_DAYS = env.int("CHECKIN_DETAIL_RETENTION_DAYS", default=730)
# A verified identity's name and birth date, this long after the verification expired.
IDENTITY_DATA_RETENTION_DAYS = env.int("IDENTITY_DATA_RETENTION_DAYS", default=0)
# The audit's records (rights requests, identity events, address releases, refused own cases):
# five years, the retention of the city's own records of this kind.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=5 * 365)
# A retried write's stored answer (Idempotency-Key): a day, as long as the app retries a write.
IDEMPOTENCY_KEY_RETENTION_HOURS = env.int("IDEMPOTENCY_KEY_RETENTION_HOURS", default=24)

# --- the plan registry ------------------------------------------------------------------
# Open data shows no value for an area below the city whose count rests on fewer rows than this.
OPEN_DATA_MIN_COUNT = env.int("OPEN_DATA_MIN_COUNT", default=10)

# --- disaster mode ----------------------------------------------------------------------
# A declaration lapses this many hours after it was made or last renewed (renewing needs a fresh
# sign-in), so a mode nobody looks after ends by itself.
DISASTER_DECLARATION_HOURS = env.int("DISASTER_DECLARATION_HOURS", default=72)
# The shelter code the app keeps for offline use is good for this long (a household's evacuation
# may come days after the phone last had a network).
SHELTER_CODE_LIFETIME_HOURS = env.int("SHELTER_CODE_LIFETIME_HOURS", default=168)
# A device that queued scans offline may upload a scan this many hours old; no older.
SHELTER_OFFLINE_SCAN_MAX_HOURS = env.int("SHELTER_OFFLINE_SCAN_MAX_HOURS", default=72)
# A device's clock may run this far ahead of the server's.
SHELTER_SCAN_CLOCK_SKEW_SECONDS = env.int("SHELTER_SCAN_CLOCK_SKEW_SECONDS", default=300)
# The disaster volunteer centre calls volunteers up for each day this many days ahead.
CENTRE_CALL_UP_DAYS_AHEAD = env.int("CENTRE_CALL_UP_DAYS_AHEAD", default=2)
# Teams of at most this many (班), formed by the exact engine within this many seconds (past it the
# best plan found is used, marked not proved optimal); a team's activity is this long at most.
TEAM_SIZE = env.int("TEAM_SIZE", default=8)
TEAM_SOLVE_SECONDS = env.float("TEAM_SOLVE_SECONDS", default=20.0)
TEAM_ACTIVITY_HOURS = env.int("TEAM_ACTIVITY_HOURS", default=10)
# The qualification a centre checks at reception: volunteer activity insurance, natural disaster plan.
DISASTER_INSURANCE_CODE = env.str("DISASTER_INSURANCE_CODE", default="volunteer-insurance-disaster")
# Evacuees' names on shelter rosters, this long after the disaster ended (the counts stay): the
# headquarters answers safety enquiries and relief claims from them.
SHELTER_ROSTER_RETENTION_DAYS = env.int("SHELTER_ROSTER_RETENTION_DAYS", default=365)

# --- check-in and points ----------------------------------------------------------------
# The venue's code changes every period (seconds) and is good for its own and the next period.
CHECKIN_CODE_PERIOD = env.int("CHECKIN_CODE_PERIOD", default=60)
# A resident's own code (shown in the app for staff to scan) lives this long, for one scan.
CHECKIN_PERSONAL_CODE_LIFETIME = env.int("CHECKIN_PERSONAL_CODE_LIFETIME", default=120)
# A place freed at a full event is held this long for the next person on its waiting list.
EVENT_WAITLIST_HOLD_HOURS = env.int("EVENT_WAITLIST_HOLD_HOURS", default=24)
# Check-in opens this many minutes before an activity and closes as long after it.
CHECKIN_OPEN_MINUTES = env.int("CHECKIN_OPEN_MINUTES", default=60)
# Certificates: who issues them, where they are verified, the font the PDF embeds.
# Unset, it follows PORT, where `make run` serves.
port = env.str("PORT", default="8000")
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default=f"http://127.0.0.1:{port}").rstrip("/")

# Identity verification with the My Number card: an OpenID Connect provider (the Digital
# Agency's デジタル認証アプリ, or any conforming one), driven through django-allauth's
# openid_connect provider. Unset issuer: verification is switched off (503 with its code).
IDENTITY_OIDC_ISSUER = env.str("IDENTITY_OIDC_ISSUER", default="").rstrip("/")
IDENTITY_OIDC_CLIENT_ID = env.str("IDENTITY_OIDC_CLIENT_ID", default="")
IDENTITY_OIDC_CLIENT_SECRET = env.str("IDENTITY_OIDC_CLIENT_SECRET", default="")
IDENTITY_OIDC_SCOPE = env.list("IDENTITY_OIDC_SCOPE", default=["openid", "name", "birthdate"])
IDENTITY_OIDC_PROVIDER_ID = "my-number"
IDENTITY_VERIFICATION_VALID_DAYS = env.int("IDENTITY_VERIFICATION_VALID_DAYS", default=0)  # 0: no expiry
IDENTITY_APP_RETURN_URL = env.str("IDENTITY_APP_RETURN_URL", default="kumamoto-volunteer://identity")
SOCIALACCOUNT_ADAPTER = "volunteer.accounts.NoSocialLoginAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": IDENTITY_OIDC_PROVIDER_ID,
                "name": "マイナンバーカードによる本人確認",
                "client_id": IDENTITY_OIDC_CLIENT_ID,
                "secret": IDENTITY_OIDC_CLIENT_SECRET,
                "settings": {"server_url": IDENTITY_OIDC_ISSUER, "oauth_pkce_enabled": True},
            }
        ]
        if IDENTITY_OIDC_ISSUER
        else [],
    }
}
CERTIFICATE_ISSUER_NAME = env.str("CERTIFICATE_ISSUER_NAME", default="熊本市ボランティアセンター")
# The TrueType font the PDFs embed; empty means IPAexGothic as packaged (core.fonts).
CERTIFICATE_FONT_PATH = env.str("CERTIFICATE_FONT_PATH", default="")
# A verified participation without its awards after this long is re-driven by the sweep.
POINTS_AWARD_SWEEP_AFTER_SECONDS = env.int("POINTS_AWARD_SWEEP_AFTER_SECONDS", default=120)

# --- cache: rate limits and lockouts that every process shares ------------------------------
# allauth's rate limits and the API's throttles count in the default cache. On Redis (REDIS_URL)
# every gunicorn worker and host counts together; local memory counts per process (the embedded
# default, one process).
if env.str("REDIS_URL", default=""):
    CACHES = {
        "default": {
            # Fails soft (core.cache): with Redis down the counters are skipped, not a 500.
            "BACKEND": "core.cache.FailSoftRedisCache",
            "LOCATION": env.str("REDIS_URL"),
            "KEY_PREFIX": "cache",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Proxies of ours in front of the app: with N, the client's address is the Nth entry from the
# right of X-Forwarded-For; with 0 it is REMOTE_ADDR (a client can write any X-Forwarded-For).
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# Sign-up tighter than allauth's default (20/m/ip), loose enough for a sign-up session at a
# community centre behind one address. The others stay allauth's defaults: login 30/m/ip, failed
# logins 10/m/ip and 5 per 5 minutes per account, password reset 20/m/ip and 5/m per address.
ACCOUNT_RATE_LIMITS = {"signup": env.str("ACCOUNT_RATE_LIMIT_SIGNUP", default="10/m/ip,60/h/ip")}

# --- API throttling -----------------------------------------------------------------------
# Per signed-in person, per address without a sign-in, and the public certificate verifier per
# address; over the rate: 429 throttled with Retry-After (core.api.throttling).
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "core.api.throttling.PersonRateThrottle",
    "core.api.throttling.AddressRateThrottle",
]
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "person": env.str("API_THROTTLE_PERSON", default="600/minute"),
    "address": env.str("API_THROTTLE_ADDRESS", default="120/minute"),
    "certificate_verify": env.str("API_THROTTLE_CERTIFICATE_VERIFY", default="20/minute"),
    "calendar_feed": env.str("API_THROTTLE_CALENDAR_FEED", default="30/hour"),
    "staff_login": env.str("STAFF_LOGIN_ATTEMPTS_PER_ADDRESS", default="60/hour"),
}
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT

# --- staff login: django-axes ---------------------------------------------------------------
# Locks a username from one address after AXES_FAILURE_LIMIT failures, for a short cool-off:
# the pair, not the username alone, so nobody can lock a coordinator out from elsewhere, and not
# for long, so a mistyping coordinator is back within minutes while a guesser gets a handful of
# tries per quarter hour. Failures are rows in the database, shared by every process.
INSTALLED_APPS += ["axes"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # last, as axes asks
AUTHENTICATION_BACKENDS = ["core.staff_login.LockoutBackend", *AUTHENTICATION_BACKENDS]
AXES_ONLY_ADMIN_SITE = True  # the app's logins are allauth's, with its own limits
AXES_HANDLER = "core.staff_login.StaffLoginHandler"  # and counts only the staff login's failures
AXES_FAILURE_LIMIT = env.int("STAFF_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("STAFF_LOGIN_COOLOFF_MINUTES", default=15.0) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"  # the admin login form's field (axes would take USERNAME_FIELD, email)
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.staff_login.client_address"
AXES_VERBOSE = False  # only its start-up line, printed by every command; lockouts are still logged

# --- Content-Security-Policy: django-csp ---------------------------------------------------
# Scripts only from this site, never inline (the staff pages use Django admin's scripts, the API
# docs the sidecar's Swagger UI and Redoc, served by their split views). Inline styles stay
# allowed: Django admin's templates, ours, and Swagger UI and Redoc write style attributes, and a
# style cannot run code. Images may be data: URLs (Swagger UI's icons); Redoc searches in a
# worker made from a blob. No page may be framed, no form posts elsewhere, no plug-ins.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware"
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
HEADLESS_SPECIFICATION_TEMPLATE_NAME = "headless/spec/redoc_local.html"  # allauth's loads a CDN

# --- logging ----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # No log line may carry an individual number (個人番号): every record is redacted as it is made,
    # whatever its logger and handler (core.privacy.install_log_redaction).
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # One line per task is noise when tasks run eagerly in the embedded mode.
    "loggers": {"celery.app.trace": {"level": "INFO" if REDIS_URL else "WARNING"}},
}
