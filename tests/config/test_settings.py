"""Production settings refuse to start without their secrets, and pass `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECRET = "k" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz"


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    return subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_refuses_to_start_without_its_secrets() -> None:
    result = _manage("check")
    assert result.returncode != 0
    required = "DJANGO_SECRET_KEY, DATABASE_URL, REDIS_URL, DJANGO_ALLOWED_HOSTS, PUBLIC_BASE_URL"
    assert required in result.stderr


def test_production_refuses_a_weak_secret() -> None:
    result = _manage(
        "check",
        DJANGO_SECRET_KEY="short",
        DATABASE_URL="postgres://u:p@127.0.0.1:5432/db",
        REDIS_URL="redis://127.0.0.1:6379/0",
        DJANGO_ALLOWED_HOSTS="volunteer.example.jp",
        PUBLIC_BASE_URL="https://volunteer.example.jp",
    )
    assert result.returncode != 0
    assert "50 or more characters" in result.stderr


def test_check_deploy_is_clean_under_production() -> None:
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=SECRET,
        DATABASE_URL="postgres://u:p@127.0.0.1:5432/db",
        REDIS_URL="redis://127.0.0.1:6379/0",
        DJANGO_ALLOWED_HOSTS="volunteer.example.jp",
        PUBLIC_BASE_URL="https://volunteer.example.jp",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_embedded_default_is_sqlite_with_eager_tasks() -> None:
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DEMO_MODE")}
    code = (
        "import django;django.setup();from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.DEMO_MODE,"
        " s.TIME_ZONE, s.LANGUAGE_CODE)"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.base"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "True", "Asia/Tokyo", "ja"]


def test_make_run_serves_where_the_site_says_it_is_mails_to_files_and_no_broker_warning() -> None:
    """PUBLIC_BASE_URL follows PORT unless set; e-mails are files in var/mail; an eager task does
    not make kombu warn that the in-memory broker has no host."""
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PUBLIC_BASE_URL", "REDIS_URL"))
    }
    code = (
        "import django;django.setup();from django.conf import settings as s;"
        "from config.celery import app;app.tasks['celery.accumulate'].delay(1);"
        "print(s.PUBLIC_BASE_URL, s.EMAIL_BACKEND, s.EMAIL_FILE_PATH.endswith('/var/mail'))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.base", "PORT": "9000"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.split() == [
        "http://127.0.0.1:9000",
        "django.core.mail.backends.filebased.EmailBackend",
        "True",
    ]
    assert result.stderr == ""


def test_a_message_is_not_delivered_again_while_its_task_may_still_run() -> None:
    """With Redis the broker re-delivers an unacknowledged message after its visibility timeout:
    it must outlast the hard time limit, or a slow task would run twice side by side."""
    code = (
        "from django.conf import settings as s; o = s.CELERY_BROKER_TRANSPORT_OPTIONS; "
        "print(o['visibility_timeout'], s.CELERY_TASK_TIME_LIMIT, "
        "s.CELERY_TASK_SOFT_TIME_LIMIT, o['max_retries'])"
    )
    result = _manage(
        "shell",
        "-c",
        code,
        DJANGO_SETTINGS_MODULE="config.settings.base",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )

    visibility, hard, soft, retries = (int(word) for word in result.stdout.splitlines()[-1].split())
    assert visibility > hard > soft
    assert retries == 0  # a publish to a broker that is down fails at once
