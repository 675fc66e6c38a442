# The two commands a newcomer needs: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint worker bench lock stop-db

$(VENV)/.installed: requirements.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 wird benötigt ($(PYTHON) nicht gefunden)."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

install: $(VENV)/.installed node_modules/.installed

run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_reference_data
	$(PY) manage.py load_indicator_catalogue
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# Tests marked `services` need the machine's Redis and a real worker; .ci/run runs them apart.
test: lint
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -m "not services" $(PYTEST_ARGS)

worker: install
	$(VENV)/bin/celery -A kekiz_portal worker --beat --loglevel=INFO

bench: install
	$(PY) -m benchmarks

# Regenerate the fully pinned requirements.txt from requirements.in.
lock:
	rm -rf /tmp/kekiz-lock && $(PYTHON) -m venv /tmp/kekiz-lock
	/tmp/kekiz-lock/bin/pip install --quiet -r requirements.in
	/tmp/kekiz-lock/bin/pip freeze --exclude-editable > requirements.txt

# Stop the embedded PostgreSQL (it keeps running between commands); the next command restarts it.
stop-db:
	$(PY) -W ignore -c "import pgserver; pgserver.get_server('var/pgdata', cleanup_mode='stop').cleanup()"
