# Two commands do everything on a fresh Debian 12 machine (root, or a user with sudo):
#   make run    install what is missing, start the embedded PostGIS, migrate, load data, serve
#   make test   the same set-up, then ruff, mypy and the whole test suite on real PostGIS
# Re-running is idempotent; each step is skipped when it is already done.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
LOCAL := .local
HOST ?= 127.0.0.1
PORT ?= 8000
# RELOAD=1 restarts the development server when code changes.
RELOAD ?=

export PYTHONDONTWRITEBYTECODE := 1

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian 12 packages: PostGIS 3 for PostgreSQL 15, GDAL/GEOS/PROJ, gettext for translations,
# Chromium for the browser tests, Python's venv module.
DEB_PACKAGES := postgresql-15-postgis-3 gdal-bin libgdal32 gettext chromium fonts-dejavu-core \
	python3-venv ca-certificates

.PHONY: help system peer venv npm nginx db setup migrate data run worker stop stop-worker test lint typecheck \
	pytest fmt messages bench load

help:
	@echo "make run    set up everything and serve http://$(HOST):$(PORT)/ with the worker"
	@echo "make test   set up everything and run ruff, mypy and the test suite"
	@echo "make stop   stop the background worker and the embedded PostGIS"
	@echo "make bench  benchmarks at a small scale (FULL=1: a million plots and reports;"
	@echo "            NATIONAL=1: 50 hromadas of 100,000 plots, tests/perf/RESULTS-national.md)"
	@echo "make load   5-minute load test on loopback (DURATION=30s BROWSERS=20 FILERS=2 for a trial)"

## --- installation ---------------------------------------------------------------

system:
	@missing=""; \
	for pkg in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' "$$pkg" 2>/dev/null | grep -q "ok installed" || missing="$$missing $$pkg"; \
	done; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  $(SUDO) apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# MapServer 8 (Debian's mapserv), the peer that the OGC API's items are measured against
# (`make bench`, measure 8) and kept working by tests/ogc/test_mapserver_peer.py: installed
# for the tests and the bench, not for `make run`. mapserv speaks FastCGI itself once
# handed a listening socket (tests/perf/mapserver.py does what spawn-fcgi would).
PEER_PACKAGES := mapserver-bin wrk

peer:
	@$(MAKE) system DEB_PACKAGES="$(PEER_PACKAGES)"

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	@[ -x $(PY) ] || { echo "Creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	@echo "Installing Python packages into $(VENV)"
	@$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e ".[dev]"
	@touch $@

npm: frontend/node_modules/.installed

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	@echo "Installing front-end packages from npm"
	@npm ci --prefix frontend --no-audit --no-fund --loglevel=error
	@touch $@

# nginx for the tests of docker/nginx.conf's photo locations (tests/reports/test_photo_nginx.py):
# Debian's package unpacked into .local/nginx, not installed (that would start a service on
# port 80). Its libraries (OpenSSL, PCRE2, zlib) are part of every Debian 12 system.
NGINX := $(LOCAL)/nginx/usr/sbin/nginx

nginx: $(NGINX)

$(NGINX):
	@echo "Unpacking Debian's nginx into $(LOCAL)/nginx (for the tests; no service)"
	@mkdir -p $(LOCAL)/nginx/deb
	@cd $(LOCAL)/nginx/deb && { apt-get download -qq nginx 2>/dev/null \
	  || { $(SUDO) apt-get update -qq && apt-get download -qq nginx; }; }
	@dpkg-deb -x "$$(ls $(LOCAL)/nginx/deb/nginx_*.deb | head -1)" $(LOCAL)/nginx
	@rm -rf $(LOCAL)/nginx/deb

# The checkout's development defaults, read by the settings (the environment wins).
.env:
	@printf '%s\n' "# Development defaults of this checkout, written by make; see docker/.env.example." \
	  "DEBUG=1" "DEMO=1" > $@
	@echo "Wrote .env (DEBUG=1, DEMO=1)"

## --- database and data --------------------------------------------------------

# The project's own PostGIS in .local/, unless DATABASE_URL points at another one.
db: venv .env
	@if [ -z "$${DATABASE_URL:-}" ]; then $(PY) manage.py embedded_db start; \
	else echo "Using DATABASE_URL"; fi

migrate: db
	@$(PY) manage.py migrate --noinput -v 0
	@$(PY) manage.py compilemessages -v 0 --ignore=.venv --ignore=frontend/node_modules

data: migrate
	@$(PY) manage.py load_reference
	@$(PY) manage.py load_demo --if-enabled
	@$(PY) manage.py load_demo_layers --if-enabled
	@$(PY) manage.py load_demo_reports --if-enabled
	@$(PY) manage.py load_demo_permits --if-enabled

setup: system venv npm .env data

## --- serving --------------------------------------------------------------------

run: setup
	@mkdir -p $(LOCAL)
	@$(MAKE) stop-worker
	@$(PY) manage.py procrastinate worker > $(LOCAL)/worker.log 2>&1 & echo $$! > $(LOCAL)/worker.pid; \
	trap 'kill "$$(cat $(LOCAL)/worker.pid)" 2>/dev/null; rm -f $(LOCAL)/worker.pid' EXIT INT TERM; \
	echo "Background worker started (log: $(LOCAL)/worker.log)"; \
	echo "Serving http://$(HOST):$(PORT)/ (demo accounts: README.md); Ctrl-C stops server and worker"; \
	$(PY) manage.py runserver $(if $(RELOAD),,--noreload) $(HOST):$(PORT)

worker: setup
	@$(PY) manage.py procrastinate worker

stop-worker:
	@pid="$$(cat $(LOCAL)/worker.pid 2>/dev/null || true)"; \
	if [ -n "$$pid" ] && ps -p "$$pid" -o args= | grep -q "procrastinate worker"; then \
	  kill "$$pid" && echo "Background worker stopped"; \
	fi; \
	rm -f $(LOCAL)/worker.pid

stop: stop-worker
	@if [ -x $(PY) ] && [ -z "$${DATABASE_URL:-}" ]; then $(PY) manage.py embedded_db stop; fi

## --- checks ---------------------------------------------------------------------

test: setup nginx peer lint typecheck pytest

lint: venv
	@echo "ruff"
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

typecheck: venv .env
	@echo "mypy"
	@$(VENV)/bin/mypy geoportal layers frontend tests manage.py

# The suite runs in PYTEST_WORKERS parallel processes (pytest-xdist; each its own test database,
# folders and Chromium, tests/conftest.py); PYTEST_WORKERS=0 runs it in this one process.
# A plain `.venv/bin/pytest tests/x/test_y.py` runs serially, with no xdist flags.
PYTEST_WORKERS ?= 2

pytest: venv
	@$(VENV)/bin/pytest --create-db -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# Benchmarks against the bare database, GDAL and MapServer (tests/perf/RESULTS.md); FULL=1
# for 1M rows; NATIONAL=1 for 50 hromadas on one deployment (tests/perf/national.py).
bench: setup nginx peer
	@$(PY) -m tests.perf.bench $(if $(FULL),--full,) $(if $(NATIONAL),--national,)

# Load test on loopback: 100 residents browsing and 10 filing reports for 5 minutes against
# gunicorn and the worker (tests/load/RESULTS.md; other DURATION/BROWSERS/FILERS write
# tests/load/RESULTS-trial.md).
load: setup
	@$(PY) -m tests.load.run $(if $(DURATION),--duration $(DURATION),) \
	  $(if $(BROWSERS),--browsers $(BROWSERS),) $(if $(FILERS),--filers $(FILERS),)

fmt: venv
	@$(VENV)/bin/ruff check --fix .
	@$(VENV)/bin/ruff format .

messages: venv
	@$(PY) manage.py makemessages -l uk --ignore=.venv --ignore=frontend/node_modules --ignore=tests
