"""Real Celery worker processes, on the Redis broker, against the test PostgreSQL database."""

import fcntl
import hashlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
StartWorker = Callable[..., subprocess.Popen[str]]


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture(autouse=True)
def _one_integration_test_at_a_time() -> Iterator[None]:
    """Every Celery worker these tests start, and celery beat, use the one Redis queue, each with its
    own xdist worker's test database: two tests side by side would take each other's tasks. `make
    pytest` keeps them on one xdist worker (--dist loadgroup); this lock keeps them apart whatever
    the scheduling, for as long as a test and its workers run."""
    name = hashlib.sha256(os.environ.get("REDIS_URL", "").encode()).hexdigest()[:12]
    with (Path(tempfile.gettempdir()) / f"kumamoto-volunteer-integration-{name}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or the process dies
        yield


@pytest.fixture
def start_worker(transactional_db: None, tmp_path: Path) -> Iterator[StartWorker]:
    """Starts `celery worker` processes with the test database; all are stopped afterwards."""
    workers: list[subprocess.Popen[str]] = []

    def start(**extra_env: str) -> subprocess.Popen[str]:
        hostname = f"test-{os.getpid()}-{len(workers)}@localhost"
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "DJANGO_EMAIL_FILE_PATH": str(tmp_path / "mail"),
            **extra_env,
        }
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
        workers.append(worker)
        _wait_until_ready(hostname, worker)
        return worker

    yield start
    for worker in workers:
        if worker.poll() is None:
            worker.terminate()
        output, _ = worker.communicate(timeout=20)
        sys.stdout.write(output[-3000:])


@pytest.fixture
def celery_worker_process(start_worker: StartWorker, tmp_path: Path) -> Path:
    """One running worker; yields the folder its e-mails go to."""
    start_worker()
    return tmp_path / "mail"


def wait_for(condition: Callable[[], bool], seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def _wait_until_ready(hostname: str, worker: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise RuntimeError(f"celery worker exited: {worker.stdout.read() if worker.stdout else ''}")
        if celery_app.control.ping(destination=[hostname], timeout=0.5):
            return
    raise TimeoutError("celery worker did not answer a ping within 60 s")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def production_env() -> dict[str, str]:
    """The environment of gunicorn or a worker under the production settings, on the test database."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "integration-" + "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "PUBLIC_BASE_URL": "http://127.0.0.1:8000",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url(),
    }


def get_json(url: str, seconds: float = 30) -> object:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310 (loopback only)
                return json.loads(response.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def gunicorn_start(port: int, *, workers: int, **extra_env: str) -> subprocess.Popen[str]:
    """The Dockerfile's command (config/gunicorn.conf.py) on loopback, under the production settings
    and the test database; its output (the access log too) piped."""
    return subprocess.Popen(  # noqa: S603 (our own virtualenv's gunicorn)
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi:application",
            "--config",
            "config/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
        ],
        cwd=ROOT,
        env={**production_env(), **extra_env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
