"""A real Celery worker process, on the Redis broker, against the test PostgreSQL database."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def celery_worker_process(transactional_db: None, tmp_path: Path) -> Iterator[Path]:
    """Starts `celery worker` with the test database; yields the folder its e-mails go to."""
    settings = connection.settings_dict
    database_url = f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "DJANGO_EMAIL_FILE_PATH": str(mail_dir),
    }
    hostname = f"test-{os.getpid()}@localhost"
    worker = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            f"--hostname={hostname}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_until_ready(hostname, worker)
        yield mail_dir
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=20)
        sys.stdout.write(output[-4000:])


def _wait_until_ready(hostname: str, worker: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise RuntimeError(f"celery worker exited: {worker.stdout.read() if worker.stdout else ''}")
        if celery_app.control.ping(destination=[hostname], timeout=0.5):
            return
    raise TimeoutError("celery worker did not answer a ping within 60 s")
