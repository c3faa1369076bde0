"""The app team's TypeScript client, generated from the OpenAPI document and run against the server.

    eval "$(scripts/services.sh up)"     # PostgreSQL on loopback
    .venv/bin/python scripts/typescript_client.py [--compile-only]

The schema alone does not prove the app can be built on it: a generator may choke on it, or its
types may not fit what the app reads. So this writes the document (`manage.py spectacular`, under
the PostgreSQL settings the server runs with: the integer bounds follow the database), installs
clients/typescript's pinned tools (`npm ci`, when node_modules is missing or older than the
lock), generates src/schema.d.ts with openapi-typescript and compiles the typed script with
`tsc` under `strict`, so a field the script reads that the schema drops or renames fails here.
`--compile-only` stops there.

Then, on a throwaway database beside DATABASE_URL's, without Redis (tasks run in the server's
process): migrate, load the small demo city, serve it with gunicorn, check that the document it
serves is the one the client was generated from, and run the compiled script as the demo's
resident. Its counts (the public events without a token, the events and the resident's offers
with one, every page followed) must be what the database holds, and a wrong password must end it
with exit status 1. Exits 1 on any failure.
"""

import argparse
import datetime as dt
import http.client
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CLIENT = ROOT / "clients" / "typescript"
SCRIPT = CLIENT / "build" / "list-events-and-offers.js"
PERSONA = "resident@example.com"
PAGE_SIZE = 5  # the small city's events span pages: the client must follow `next`
# Fields the typed script reads; a document without them must fail its compile.
READ_FIELDS = (("Event", "title"), ("Offer", "valid_until"))
sys.path.insert(0, str(ROOT / "scripts"))
from bench_checkin import demo_server_environment, free_port, start_gunicorn  # noqa: E402
from bench_database import bench_database_url, drop_database, recreate_database  # noqa: E402


def run(command: list[str], cwd: Path, environment: dict[str, str], timeout: float = 600) -> str:
    """The command's output; its output and exit status end the script if it fails."""
    done = subprocess.run(  # noqa: S603 - our tools and arguments
        command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        output = done.stdout[-6000:] + done.stderr[-6000:]
        sys.exit(f"{' '.join(command)}: exit status {done.returncode}\n{output}")
    return done.stdout


def build_client(environment: dict[str, str]) -> None:
    """The schema, the pinned node tools, the generated types and the strict compile."""
    npm = shutil.which("npm")
    if shutil.which("node") is None or npm is None:
        sys.exit("needs node and npm on the PATH (node 20 or later)")
    schema = CLIENT / "openapi.json"
    manage = [sys.executable, "manage.py", "spectacular", "--format", "openapi-json", "--file", str(schema)]
    run(manage, ROOT, environment)
    installed = CLIENT / "node_modules" / ".package-lock.json"  # npm writes it on every install
    if not installed.exists() or installed.stat().st_mtime < (CLIENT / "package-lock.json").stat().st_mtime:
        print("npm ci: installing clients/typescript's pinned tools", flush=True)
        run([npm, "ci", "--no-audit", "--no-fund"], CLIENT, environment)
    run([npm, "run", "--silent", "generate"], CLIENT, environment)
    shutil.rmtree(CLIENT / "build", ignore_errors=True)  # a failed compile leaves no old script behind
    run([npm, "run", "--silent", "build"], CLIENT, environment)
    print(f"client: {schema.relative_to(ROOT)} → src/schema.d.ts, compiled under tsc --strict", flush=True)
    refuses_a_broken_schema(json.loads(schema.read_text()), environment)


def refuses_a_broken_schema(schema: Any, environment: dict[str, str]) -> None:
    """The compile has teeth: the same script, against a copy of the document without the fields
    in READ_FIELDS, must fail `tsc` naming each (a cast to `any` in the script would pass)."""
    components = schema["components"]["schemas"]
    for name, field in READ_FIELDS:
        if field not in components.get(name, {}).get("properties", {}):
            sys.exit(f"the document has no {name}.{field}: update READ_FIELDS and the typed script")
        del components[name]["properties"][field]
        components[name]["required"] = [f for f in components[name].get("required", []) if f != field]
    tools = CLIENT / "node_modules" / ".bin"
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "openapi.json").write_text(json.dumps(schema))
        shutil.copy(CLIENT / "src" / "list-events-and-offers.ts", work)
        settings = {
            "extends": str(CLIENT / "tsconfig.json"),
            "compilerOptions": {
                "rootDir": ".",
                "noEmit": True,
                "typeRoots": [str(CLIENT / "node_modules/@types")],
            },
            "include": ["*.ts"],
        }
        (work / "tsconfig.json").write_text(json.dumps(settings))
        run([str(tools / "openapi-typescript"), "openapi.json", "--output", "schema.d.ts"], work, environment)
        compiled = subprocess.run(  # noqa: S603 - the pinned tsc
            [str(tools / "tsc"), "-p", "."],
            cwd=work,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
    unnoticed = [
        f"{name}.{field}"
        for name, field in READ_FIELDS
        if f"Property '{field}' does not exist" not in compiled.stdout
    ]
    if compiled.returncode == 0 or unnoticed:
        sys.exit(
            f"tsc did not notice {', '.join(unnoticed) or 'the broken document'}:\n{compiled.stdout[-3000:]}"
        )
    print(f"client: without {', '.join(f'{n}.{f}' for n, f in READ_FIELDS)}, tsc --strict fails", flush=True)


def call(port: int, method: str, path: str, body: object = None, token: str = "") -> Any:
    """One request on loopback; its JSON answer, or the script's end on an unexpected status."""
    headers = {"Accept": "application/json", "Content-Type": "application/json"}
    if token:
        headers["X-Session-Token"] = token
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(method, path, None if body is None else json.dumps(body), headers)
    answer = connection.getresponse()
    content = answer.read()
    connection.close()
    if answer.status not in (200, 201):
        sys.exit(f"{method} {path}: HTTP {answer.status}\n{content[:2000]!r}")
    return json.loads(content)


def post_offer(port: int, password: str) -> None:
    """One offer, posted as the app would (the current terms agreed to first), so that the client's
    offers list has a row to read: the demo's resident has none of his own."""
    signed_in = call(port, "POST", "/_allauth/app/v1/auth/login", {"email": PERSONA, "password": password})
    token = signed_in["meta"]["session_token"]
    consents = call(port, "GET", "/api/v1/me/consents/", token=token)
    for document in consents["missing"]:
        agreed = {"document": document, "version": consents["current"][document]}
        call(port, "POST", "/api/v1/me/consents/", agreed, token)
    categories = call(port, "GET", "/api/v1/categories/", token=token)
    first = categories[0]["code"]
    until = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    call(port, "POST", "/api/v1/offers/", {"categories": [first], "valid_until": until}, token)


def database_counts() -> dict[str, int]:
    """What the throwaway database holds: the events not yet over (every list's default) and
    the resident's offers."""
    import django

    django.setup()
    from django.db import connections
    from django.utils import timezone

    from events.models import Activity
    from matching.models import Offer

    upcoming = Activity.objects.filter(kind=Activity.Kind.EVENT, ends_at__gte=timezone.now()).count()
    counts = {"events": upcoming, "offers": Offer.objects.filter(person__email=PERSONA).count()}
    connections.close_all()
    return counts


def client_run(port: int, password: str) -> subprocess.CompletedProcess[str]:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "API_BASE_URL": f"http://127.0.0.1:{port}",
        "API_EMAIL": PERSONA,
        "API_PASSWORD": password,
        "API_PAGE_SIZE": str(PAGE_SIZE),
    }
    return subprocess.run(  # noqa: S603 - node, and the script compiled above
        [str(shutil.which("node")), str(SCRIPT)],
        cwd=CLIENT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def figure(output: str, label: str) -> int:
    found = re.search(rf"^{re.escape(label)}: (\d+)$", output, re.M)
    return int(found.group(1)) if found else -1


def compare(output: str, before: dict[str, int], after: dict[str, int]) -> list[str]:
    """What the client printed against the database. An event may end while the client runs, so
    its event counts lie between the counts taken after and before it."""
    problems = []
    shown = {
        "public events (no token)": (figure(output, "public events (no token)"), "events"),
        "events": (figure(output, "events"), "events"),
        "offers": (figure(output, "offers"), "offers"),
    }
    for label, (count, key) in shown.items():
        if not after[key] <= count <= before[key]:
            held = str(after[key]) if after[key] == before[key] else f"{after[key]}–{before[key]}"
            problems.append(f"{label}: the client counted {count}, the database holds {held}")
    for row, label in (("- event ", "events"), ("- offer ", "offers")):
        rows = sum(line.startswith(row) for line in output.splitlines())
        if rows != shown[label][0]:
            problems.append(f"{label}: the client printed {rows} rows for a count of {shown[label][0]}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--compile-only", action="store_true", help="generate and compile; no server")
    arguments = parser.parse_args()
    if arguments.compile_only:  # the schema under DATABASE_URL's backend, without a connection
        build_client({**os.environ, "REDIS_URL": ""})
        return 0
    url = bench_database_url("_typescript_client")
    password = secrets.token_urlsafe(12)
    environment = demo_server_environment(url, password)
    build_client(environment)
    for key in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "REDIS_URL"):  # for database_counts()
        os.environ[key] = environment[key]
    recreate_database(url)
    server = None
    problems: list[str] = []
    try:
        for step in (["migrate", "--noinput", "-v", "0"], ["demo_load", "--small"]):
            run([sys.executable, "manage.py", *step], ROOT, environment)
        port = free_port()
        server = start_gunicorn(environment, port, 2)
        generated_from = json.loads((CLIENT / "openapi.json").read_text())
        if call(port, "GET", "/api/schema/?format=json") != generated_from:
            problems.append("the served /api/schema/ is not the document the client was generated from")
        post_offer(port, password)
        before = database_counts()
        listed = client_run(port, password)
        after = database_counts()
        print(listed.stdout + listed.stderr, end="", flush=True)
        if listed.returncode != 0:
            problems.append(f"the client ended with exit status {listed.returncode}")
        else:
            problems += compare(listed.stdout, before, after)
        refused = client_run(port, password + "-wrong")
        if refused.returncode != 1 or "HTTP 400" not in refused.stderr:
            problems.append(f"a wrong password: exit status {refused.returncode}, {refused.stderr[-500:]!r}")
        else:
            print("a wrong password: exit status 1, " + refused.stderr.splitlines()[0], flush=True)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        drop_database(url)
    for problem in problems:
        print(f"problem: {problem}", flush=True)
    verdict = f"{len(problems)} problems" if problems else "agrees with the database"
    print(f"typescript client: {verdict}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
