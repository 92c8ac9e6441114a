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
.PHONY: help setup browser migrate demo run worker test check lint format typecheck imports i18n messages bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-s3.txt requirements-dev.txt
	@command -v $(PY) >/dev/null || { echo "Python 3.11 is needed ($(PY) not found)"; exit 1; }
	test -x $(PYTHON) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

static/vendor/.copied: node_modules/.installed scripts/vendor.sh
	bash scripts/vendor.sh
	touch $@

setup: $(VENV)/.installed static/vendor/.copied ## Virtual env, Python and npm packages, compiled translations
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules --ignore=var -v 0

SYSTEM_PACKAGES := chromium fonts-wqy-microhei libpango-1.0-0 libpangoft2-1.0-0

browser: ## Debian's chromium, a CJK font and Pango (browser tests, PDFs; needs root)
	@if [ ! -x /usr/bin/chromium ] || [ ! -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] \
	  || ! /sbin/ldconfig -p | grep -q libpangoft2-1.0.so.0; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	  else echo "Install them (sudo apt-get install $(SYSTEM_PACKAGES)) for the browser tests and PDFs"; exit 1; fi; fi

migrate: setup ## Apply migrations
	$(MANAGE) migrate --noinput -v 0

demo: migrate ## Build the demo district when the database is empty
	$(MANAGE) demo_district --residents $(RESIDENTS) --seed $(SEED) --if-empty

run: demo ## Set up everything, build the demo district, start the worker, serve http://127.0.0.1:8000
	@echo "Serving http://$(HOST):$(PORT)/  (demo accounts: see README.md)"
	@$(MANAGE) run_huey --workers 2 --quiet & worker=$$!; \
	  trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  $(MANAGE) runserver $(HOST):$(PORT)

worker: setup ## Run the background worker alone
	$(MANAGE) run_huey --workers 2

test: setup browser ## Run the whole suite (DATABASE_URL picks SQLite or PostgreSQL)
	$(BIN)/pytest -n 2 --dist loadgroup -q $(PYTEST_ARGS)

check: setup ## Every gate CI runs: lint, format, types, import contracts, migrations, translations, deploy check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
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
