"""Run as a script by test_sqlite_concurrency.py: many people register for one event at once,
each request in its own thread with its own connection to one SQLite file (as the threads of
`runserver` or the workers of gunicorn on the embedded default). Prints a JSON summary.

    DATABASE_URL=sqlite:////tmp/x.db python tests/events/sqlite_registrations.py PEOPLE CAPACITY
"""

import json
import os
import sys
import threading
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django

django.setup()

from django.test import Client  # noqa: E402

from events.models import Activity, Participation  # noqa: E402
from tests.factories import ActivityFactory, OrganisationFactory, UserFactory  # noqa: E402


def main(people: int, capacity: int) -> None:
    event = ActivityFactory(kind=Activity.Kind.EVENT, organisation=OrganisationFactory(), capacity=capacity)
    clients = []
    for _ in range(people):
        client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")
        client.force_login(UserFactory())
        clients.append(client)
    start = threading.Barrier(people)
    statuses: list[int] = []
    bodies: list[str] = []

    def register(client: Client) -> None:
        start.wait()
        response = client.post(f"/api/v1/events/{event.pk}/register/")
        statuses.append(response.status_code)
        if response.status_code >= 500:
            bodies.append(response.content.decode()[:300])

    threads = [threading.Thread(target=register, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    held = Counter(Participation.objects.filter(activity=event).values_list("status", flat=True))
    summary = {"statuses": sorted(statuses), "participations": dict(held), "errors": bodies[:3]}
    print(json.dumps(summary))  # noqa: T201 (the test reads it)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
