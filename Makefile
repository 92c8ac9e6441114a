# Jishiyu — make help lists the targets.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
MANAGE := $(PYTHON) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
RESIDENTS ?= 3000
SEED ?= 7
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help setup browser migrate demo run worker test walk check format messages bench clean prod-check fuzz

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

UV_VERSION := 0.13.8
PO_FILES := $(shell find jishiyu locale -name '*.po' 2>/dev/null)

# Python packages: uv installs them in seconds; pip is the fallback when uv cannot be had.
$(VENV)/.installed: requirements.txt requirements-s3.txt requirements-dev.txt
	@command -v $(PY) >/dev/null || { echo "Python 3.11 is needed ($(PY) not found)"; exit 1; }
	@test -x $(PYTHON) || { echo "== Python: creating the virtual env in $(VENV)"; $(PY) -m venv $(VENV); }
	@echo "== Python packages (requirements-dev.txt) with uv $(UV_VERSION)"
	@if $(BIN)/pip install -q --disable-pip-version-check uv==$(UV_VERSION) 2>/dev/null \
	  && $(BIN)/uv pip install --python $(PYTHON) -r requirements-dev.txt; then :; \
	else echo "== uv is not available here: installing with pip instead (a few minutes)"; \
	  $(BIN)/pip install --disable-pip-version-check --progress-bar on -r requirements-dev.txt; fi
	@touch $@

node_modules/.installed: package.json package-lock.json
	@echo "== Front-end libraries from the npm registry (npm ci)"
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

static/vendor/.copied: node_modules/.installed scripts/vendor.sh
	@echo "== Copying front-end libraries into static/vendor"
	@bash scripts/vendor.sh
	@touch $@

# Compiled translations, rebuilt only when a catalogue changed.
var/.messages: $(PO_FILES) | $(VENV)/.installed
	@echo "== Compiling translations"
	@mkdir -p var
	@$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules --ignore=var -v 0
	@touch $@

setup: $(VENV)/.installed static/vendor/.copied var/.messages ## Virtual env, Python and npm packages, compiled translations

SYSTEM_PACKAGES := chromium fonts-wqy-microhei libpango-1.0-0 libpangoft2-1.0-0

browser: ## Debian's chromium, a CJK font and Pango (browser tests, PDFs; needs root)
	@if [ ! -x /usr/bin/chromium ] || [ ! -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] \
	  || ! /sbin/ldconfig -p | grep -q libpangoft2-1.0.so.0; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	  else echo "== Browser tests and PDF tests will be skipped: install $(SYSTEM_PACKAGES) (sudo apt-get install ...) to run them"; fi; fi

migrate: setup ## Apply migrations
	@echo "== Database: applying migrations"
	@$(MANAGE) migrate --noinput -v 0

demo: migrate ## Build the demo district when the database is empty
	@echo "== Demo district (built once, when the database is empty)"
	@$(MANAGE) demo_district --residents $(RESIDENTS) --seed $(SEED) --if-empty

run: demo ## Set up everything, build the demo district, start the worker, serve http://127.0.0.1:8000
	@echo "Serving http://$(HOST):$(PORT)/  (demo accounts: see README.md)"
	@$(MANAGE) run_huey --workers 2 --quiet & worker=$$!; \
	  trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  $(MANAGE) runserver $(HOST):$(PORT)

worker: setup ## Run the background worker alone
	$(MANAGE) run_huey --workers 2

fuzz: setup ## Fuzz the whole API with schemathesis against a small demo (FUZZ_SECONDS per pass, default 150)
	@bash scripts/fuzz_api.sh

prod-check: setup ## The production path: collectstatic with DEBUG off, migrate, pages through gunicorn
	@bash scripts/prod_smoke.sh

test: setup browser ## Run the whole suite (DATABASE_URL picks SQLite or PostgreSQL)
	$(BIN)/pytest -n 2 --dist loadgroup -q $(PYTEST_ARGS)

walk: setup browser ## The newcomer's walk: every account, both sizes, three modes, axe-core; screenshots in var/shots/walk/
	WALK=full $(BIN)/pytest -n 0 -q -m walk -rxX $(PYTEST_ARGS)

check: setup ## Every gate CI runs: lint, format, types, import contracts, scope calls, migrations, translations, deploy check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(PYTHON) scripts/check_scope.py
	$(MANAGE) makemigrations --check --dry-run -v 0
	$(PYTHON) scripts/i18n.py check
	DEBUG=0 SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | base64 | tr -dc a-zA-Z0-9) \
	  FIELD_ENCRYPTION_KEY=$$($(PYTHON) -c 'import base64,os;print(base64.urlsafe_b64encode(os.urandom(32)).decode())') \
	  ALLOWED_HOSTS=jishiyu.example.org $(MANAGE) check --deploy --fail-level WARNING

format: setup ## Format and autofix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: setup ## Refresh the zh_Hans catalogues (APPS="people accounts" for some only)
	$(PYTHON) scripts/i18n.py update $(APPS)

bench: setup ## Benchmarks (not part of make test): demo district build
	$(PYTHON) bench/demo_district.py

clean: ## Remove the SQLite database and caches (keeps the virtual env)
	rm -rf var/ staticfiles/ .pytest_cache .mypy_cache .ruff_cache
