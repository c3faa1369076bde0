"""Gunicorn for the web service (Dockerfile): threaded workers, sized for load shedding (core.load).

Each worker process lets WEB_MAX_IN_FLIGHT requests into Django at once and has twice as many
threads, so a saturated worker still answers at once: 503 `overloaded` with Retry-After to the
excess, and /healthz. A bounded backlog keeps connections from piling up beyond that."""

import multiprocessing
import os

# The same default as config.settings.production's WEB_MAX_IN_FLIGHT.
max_in_flight = int(os.environ.get("WEB_MAX_IN_FLIGHT", "4"))

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", str(min(2 * multiprocessing.cpu_count() + 1, 9))))
worker_class = "gthread"
threads = max(2, 2 * max_in_flight)
backlog = 64
timeout = 30  # a request still running after this is killed with its worker, and logged
graceful_timeout = 30
keepalive = 5
accesslog = "-"
