"""Personas and clients shared by the whole suite.

Personas: a resident, another resident, a coordinator of this area (中央区), a coordinator of
another area (北区), an organiser (staff of an approved organisation), a plan-office analyst.
"""

import datetime as dt
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
from django.db.backends.signals import connection_created
from django.test import Client
from django.utils import timezone
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient

from config.celery import app as celery_app
from events.models import Activity
from plan_registry.models import Area
from points import city_schemes
from points.models import AwardRule, ConversionStep, Scheme
from tests import contract, skip_rules
from tests.factories import (
    ActivityFactory,
    AreaFactory,
    MembershipFactory,
    OrganisationFactory,
    StaffRoleFactory,
    UserFactory,
    city_area,
)
from volunteer.models import Organisation, OrganisationMembership, StaffRole, User

if TYPE_CHECKING:
    from tests.identity_provider import IdentityProvider

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from there are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = skip_rules.chromium()
INTEGRATION_READY = bool(
    os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL")
)


def _allow_ledger_truncate(sender: object, connection: Any, **kwargs: object) -> None:
    """Django's flush between transactional tests truncates every table, the ledger's too, which
    PostgreSQL refuses unless the session says the reset is deliberate (points/0011)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET points.allow_truncate = 'on'")


connection_created.connect(_allow_ledger_truncate, dispatch_uid="tests-allow-ledger-truncate")

# Property tests: a quick pass here, the thorough one under CI=true (100 examples, Hypothesis's own
# default, and the blob to replay a failure); HYPOTHESIS_PROFILE=quick|thorough chooses either.
# No deadline: a property test asserts what is true, not how fast (benchmarks in scripts/ do that),
# and a shared CI machine under load would fail a correct example on time alone.
hypothesis_settings.register_profile("quick", max_examples=10, deadline=None)
hypothesis_settings.register_profile("thorough", max_examples=100, print_blob=True, deadline=None)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("thorough" if os.environ.get("CI") == "true" else "quick")
)


@pytest.hookimpl(tryfirst=True)  # before xdist reads the xdist_group markers
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip_integration = pytest.mark.skip(
        reason="needs DATABASE_URL (PostgreSQL) and REDIS_URL; `scripts/services.sh up`"
    )
    skip_browser = pytest.mark.skip(reason="needs Debian's chromium on the PATH (apt-get install chromium)")
    missing_poppler = skip_rules.missing_poppler_tools()
    skip_pdf_text = pytest.mark.skip(
        reason=f"needs {', '.join(missing_poppler)} on the PATH (apt-get install poppler-utils)"
    )
    for item in items:
        if "small_demo" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)  # the small demo city loads once for tests/demo
        if "integration" in item.keywords:
            # With `make pytest`'s --dist loadgroup, one xdist worker runs them all, one after another
            # (see the lock in tests/integration/conftest.py for why they may not overlap).
            item.add_marker(pytest.mark.xdist_group("services"))
        if "integration" in item.keywords and not INTEGRATION_READY:
            item.add_marker(skip_integration)
        if "browser" in item.keywords and CHROMIUM is None:
            item.add_marker(skip_browser)
        if "pdf_text" in item.keywords and missing_poppler:
            item.add_marker(skip_pdf_text)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Under CI=true a skip for want of services or system tools is a failure: CI must run them for
    real; in the fresh-machine run only the system tools' tests may be skipped (tests/skip_rules.py)."""
    outcome = yield
    report = outcome.get_result()
    if not report.skipped or hasattr(report, "wasxfail"):
        return
    refused = skip_rules.skip_refused(
        markers={marker.name for marker in item.iter_markers()},
        ci=os.environ.get("CI") == "true",
        fresh_machine=os.environ.get("FRESH_MACHINE") == "true",
    )
    if refused:
        skip = report.longrepr
        report.outcome = "failed"
        report.longrepr = f"{refused}: {skip[2] if isinstance(skip, tuple) else skip}"


@pytest.fixture(autouse=True)
def _tasks_inline_unless_integration(request: pytest.FixtureRequest) -> Any:
    """Unit tests run tasks in-process; integration tests send them to a real worker."""
    if "integration" in request.keywords:
        yield
        return
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates)
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = True, True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


@pytest.fixture(scope="session", autouse=True)
def _responses_checked_against_the_schema() -> Iterator[None]:
    """Every response a test client receives from the API must match the served schema
    (tests/contract.py): a view that drifts from its documentation fails the test that meets it."""
    original = Client.request

    def request(self: Client, **environ: Any) -> Any:
        response = original(self, **environ)
        contract.check(environ["REQUEST_METHOD"], environ["PATH_INFO"], response)
        return response

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Client, "request", request)
        yield


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's chromium, never a downloaded browser; no network beyond loopback."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM or "chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """A coordinator's browser in Japan."""
    return {**browser_context_args, "locale": "ja-JP", "timezone_id": "Asia/Tokyo"}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def city() -> Area:
    return city_area()


@pytest.fixture
def ward(city: Area) -> Area:
    return AreaFactory(kind=Area.Kind.WARD, code="chuo", name="中央区", parent=city)


@pytest.fixture
def other_ward(city: Area) -> Area:
    return AreaFactory(kind=Area.Kind.WARD, code="kita", name="北区", parent=city)


@pytest.fixture
def school_district(ward: Area) -> Area:
    daily_life_area = AreaFactory(kind=Area.Kind.DAILY_LIFE_AREA, code="chuo-dla-1", parent=ward)
    return AreaFactory(
        kind=Area.Kind.SCHOOL_DISTRICT, code="chuo-01", name="桜台校区", parent=daily_life_area
    )


@pytest.fixture
def other_school_district(other_ward: Area) -> Area:
    daily_life_area = AreaFactory(kind=Area.Kind.DAILY_LIFE_AREA, code="kita-dla-1", parent=other_ward)
    return AreaFactory(
        kind=Area.Kind.SCHOOL_DISTRICT, code="kita-01", name="若葉野校区", parent=daily_life_area
    )


@pytest.fixture
def resident(school_district: Area) -> User:
    return UserFactory(email="resident@example.com", display_name="田中 勝", school_district=school_district)


@pytest.fixture
def other_resident(school_district: Area) -> User:
    return UserFactory(email="other@example.com", display_name="佐藤 あゆみ", school_district=school_district)


@pytest.fixture
def coordinator(ward: Area) -> User:
    user = UserFactory(email="coordinator@example.com", display_name="山本 恵", is_staff=True)
    StaffRoleFactory(user=user, role=StaffRole.Role.COORDINATOR, areas=[ward])
    return user


@pytest.fixture
def coordinator_elsewhere(other_ward: Area) -> User:
    user = UserFactory(email="coordinator-kita@example.com", is_staff=True)
    StaffRoleFactory(user=user, role=StaffRole.Role.COORDINATOR, areas=[other_ward])
    return user


@pytest.fixture
def organiser(school_district: Area) -> User:
    user = UserFactory(email="organiser@example.com")
    MembershipFactory(
        user=user, organisation=OrganisationFactory(area=school_district, name="子ども食堂ネット")
    )
    return user


@pytest.fixture
def organisation(organiser: User) -> Organisation:
    return OrganisationMembership.objects.get(user=organiser).organisation


@pytest.fixture
def running_activity(organisation: Organisation, school_district: Area) -> Activity:
    """An activity of the organiser's organisation that started 30 minutes ago and runs 2 hours."""
    starts_at = timezone.now() - dt.timedelta(minutes=30)
    return ActivityFactory(
        kind=Activity.Kind.EVENT,
        organisation=organisation,
        school_district=school_district,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
    )


@pytest.fixture
def planner() -> User:
    user = UserFactory(email="planner@example.com", is_staff=True)
    StaffRoleFactory(user=user, role=StaffRole.Role.PLAN_OFFICE)
    return user


@pytest.fixture
def city_schemes_configured(db: None) -> None:
    """The point schemes migration 0003 configures; a transactional test may have emptied them."""
    city_schemes.ensure(Scheme, AwardRule, ConversionStep)
    city_schemes.minimums_ensure(AwardRule)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def client_for() -> Callable[[User], APIClient]:
    """An API client authenticated as the given person (the token path is tested separately)."""

    def make(user: User) -> APIClient:
        client = APIClient()
        client.force_authenticate(user=user)
        return client

    return make


@pytest.fixture(scope="session")
def _identity_provider_running() -> Iterator["IdentityProvider"]:
    from tests.identity_provider import CALLBACK, IdentityProvider

    started = IdentityProvider()
    started.start(CALLBACK)
    yield started
    started.stop()


@pytest.fixture
def identity_provider(_identity_provider_running: "IdentityProvider", settings: Any) -> "IdentityProvider":
    """The OpenID Connect provider on loopback, configured as this service's identity provider;
    KUMIKO (born 1 June 1958) signs in next and the provider behaves."""
    from tests.identity_provider import CLIENT_ID, CLIENT_SECRET, KUMIKO

    provider = _identity_provider_running
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    settings.IDENTITY_OIDC_ISSUER = provider.issuer
    settings.IDENTITY_OIDC_CLIENT_ID = CLIENT_ID
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": settings.IDENTITY_OIDC_PROVIDER_ID,
                    "name": "loopback",
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {"server_url": provider.issuer},
                }
            ],
        }
    }
    provider.misbehave(None)
    provider.signs_in_next(KUMIKO)
    return provider


@pytest.fixture(autouse=True)
def _cache_of_its_own(settings: Any, request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test counts rate limits and throttles in an empty cache of its own (local memory), so
    no test is throttled by another's requests, nor by another xdist worker's on the same Redis.
    The shared Redis cache is tested across processes in tests/integration/test_shared_limits.py."""
    from django.core.cache import cache

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": request.node.nodeid,
        }
    }
    yield
    cache.clear()
