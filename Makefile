# Two commands for a fresh machine (Python 3.11, make, git):
#   make run    set up and serve the product on its embedded default (SQLite, eager tasks, demo data)
#   make test   set up and pass the whole test suite (lint, types, import layers, tests)
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT  # the settings read it: PUBLIC_BASE_URL follows it unless set
PYTEST_WORKERS ?= auto
STAMP := $(VENV)/.installed

.PHONY: run test setup check pytest lock client services-up services-down worker beat clean

$(STAMP): requirements/base.txt requirements/dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/base.txt -r requirements/dev.txt
	touch $(STAMP)

setup: $(STAMP)

# The demo's own summary (where to look, the accounts and their password) is the last thing
# printed before runserver's banner; e-mails go to files in var/mail.
run: $(STAMP)
	@echo "make run: migrating db.sqlite3, then loading the demo city (under a minute the first time)"
	@$(BIN)/python manage.py migrate --noinput --verbosity 0
	@$(BIN)/python manage.py demo_load
	@$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py spectacular --fail-on-warn --file /dev/null

# axe-core (tests/browser, pinned by its package-lock) for the browser tests' accessibility
# checks; without npm there is no chromium either, and those tests are skipped.
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package-lock.json
	if command -v npm >/dev/null; then npm ci --prefix tests/browser --no-audit --no-fund --silent; fi

# One pytest-xdist worker per core (two here), each with its own test database; the integration
# tests all run on one of them (--dist loadgroup; tests/integration/conftest.py says why).
pytest: $(STAMP) $(AXE)
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

test: check pytest

# Re-pin every dependency after editing requirements/*.in.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links requirements/base.in -o requirements/base.txt
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links requirements/dev.in -o requirements/dev.txt

# The app team's TypeScript client, generated from the OpenAPI document and compiled under
# tsc --strict (node 20 and npm); `make pytest` also runs it against a demo server.
client: $(STAMP)
	$(BIN)/python scripts/typescript_client.py --compile-only

# PostgreSQL and Redis on loopback, for the integration tests (Debian: postgresql, redis-server).
services-up:
	scripts/services.sh up
services-down:
	scripts/services.sh down

worker: $(STAMP)
	$(BIN)/celery -A config worker --loglevel=INFO
beat: $(STAMP)
	$(BIN)/celery -A config beat --loglevel=INFO

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .mypy_cache .ruff_cache
