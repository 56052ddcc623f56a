# Two commands: `make run` (local demo on 127.0.0.1:8000) and `make test`.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test install lint migrate demo messages smoke bench load clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent; \
	else echo "npm not found: browser and compose-schema tests will say so"; fi

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	@echo "Serving on http://127.0.0.1:8000/ (SQLite, Celery tasks run eagerly in-process)"
	$(PY) manage.py runserver 127.0.0.1:8000

test: lint node_modules/.package-lock.json
	$(PY) -m pytest $(PYTEST_ARGS)

# Style, and the layers: caseload knows no feature, quality builds on caseload, dashboards on both.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

messages: install
	$(PY) manage.py makemessages -l nl -l en --ignore=.venv --ignore=node_modules --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv

bench: install
	$(PY) -m bench.run $(BENCH_ARGS)

# The morning peak under Locust against gunicorn (bench/load.py); installs the `bench` extra.
load: install
	test -x $(VENV)/bin/locust || $(PY) -m pip install --quiet -e ".[bench]"
	$(PY) -m bench.load $(LOAD_ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3
