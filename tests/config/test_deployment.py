"""docker-compose.yml read against what the stack needs (no Docker engine runs here; the
integration tests run the same gunicorn and celery commands without it)."""

from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_the_stack_has_its_services(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == {"migrate", "web", "worker", "beat", "db", "redis"}
    assert compose["services"]["db"]["image"] == "postgres:16"
    assert compose["services"]["redis"]["image"] == "redis:7"
    assert set(compose["volumes"]) == {"postgres-data", "redis-data"}


def test_redis_persists_and_never_evicts(compose: dict[str, Any]) -> None:
    command = compose["services"]["redis"]["command"]
    assert "--appendonly yes" in command
    assert "--maxmemory-policy noeviction" in command
    assert compose["services"]["redis"]["volumes"] == ["redis-data:/data"]


def test_long_running_services_have_health_checks(compose: dict[str, Any]) -> None:
    for name in ("web", "worker", "db", "redis"):
        assert compose["services"][name]["healthcheck"]["test"], name


def test_app_services_wait_for_healthy_data_stores_and_migrations(compose: dict[str, Any]) -> None:
    for name in ("web", "worker", "beat"):
        depends = compose["services"][name]["depends_on"]
        assert depends["db"] == {"condition": "service_healthy"}
        assert depends["redis"] == {"condition": "service_healthy"}
        assert depends["migrate"] == {"condition": "service_completed_successfully"}


def test_app_services_run_production_settings_against_postgres_and_redis(compose: dict[str, Any]) -> None:
    for name in ("migrate", "web", "worker", "beat"):
        environment = compose["services"][name]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["REDIS_URL"] == "redis://redis:6379/0"
        assert environment["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?")
    assert compose["services"]["worker"]["command"].startswith("celery -A config worker")
    assert compose["services"]["beat"]["command"].startswith("celery -A config beat")


def test_the_image_serves_the_wsgi_application_with_gunicorn() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "FROM python:3.11-slim" in dockerfile
    assert '"gunicorn", "config.wsgi:application"' in dockerfile
    assert "requirements/base.txt" in dockerfile
    assert "USER app" in dockerfile


def test_every_setting_the_code_reads_is_documented(compose: dict[str, Any]) -> None:
    import re

    settings_source = "".join(
        (ROOT / "config" / "settings" / name).read_text(encoding="utf-8")
        for name in ("base.py", "production.py")
    )
    read = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', settings_source)) | {"DATABASE_URL", "REDIS_URL"}
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert {name for name in read if name not in example} == set()
    assert {name for name in read if f"`{name}`" not in readme} == set()


def test_only_the_migrations_run_as_the_owner_of_the_tables(compose: dict[str, Any]) -> None:
    """The application's role may not rewrite the ledger (core.roles): web, worker and beat connect
    as a role of their own, created by the database's init script; the migrate service alone
    connects as the owner."""
    owner_url = compose["services"]["migrate"]["environment"]["DATABASE_OWNER_URL"]
    owner = owner_url.split("://", 1)[1].split(":", 1)[0]
    assert owner == compose["services"]["db"]["environment"]["POSTGRES_USER"]
    for name in ("migrate", "web", "worker", "beat"):
        environment = compose["services"][name]["environment"]
        app = environment["DATABASE_URL"].split("://", 1)[1].split(":", 1)[0]
        assert app != owner, name
        assert app == "volunteer_app", name
        assert ("DATABASE_OWNER_URL" in environment) == (name == "migrate"), name
    mounted = compose["services"]["db"]["volumes"][1].split(":")
    init_script = (ROOT / mounted[0]).read_text(encoding="utf-8")
    assert mounted[1].startswith("/docker-entrypoint-initdb.d/")
    assert "CREATE ROLE volunteer_app LOGIN" in init_script
