# The commands of the README: `make run`, `make test` and `make lint`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_PASSWORD ?= wgportal-demo-2007
HOST ?= 127.0.0.1:8000

.PHONY: run test lint install install-test install-bench migrate demo worker beat bench bench-load clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo --password $(DEMO_PASSWORD)

## Serve the portal with the demo group on http://127.0.0.1:8000
run: demo
	@echo "Sign in as member@germany.example (or any demo sign-in) with password $(DEMO_PASSWORD)"
	MFA_REQUIRED=0 $(BIN)/python manage.py runserver $(HOST)

## Run the whole test suite (PYTEST_ARGS="..." passes arguments to pytest)
# pytest exits 5 when it collected no tests: a broken suite, reported as a failure.
test: install-test
	@status=0; $(BIN)/python -m pytest $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests (exit 5): failing" >&2; fi; \
	exit $$status

## Lint with ruff, exactly as CI runs it (configuration in ruff.toml)
lint: install-test
	$(BIN)/ruff check .

worker: install
	$(BIN)/celery -A wgportal worker --loglevel=INFO

beat: install
	$(BIN)/celery -A wgportal beat --loglevel=INFO --schedule var/celerybeat-schedule

$(VENV)/.installed-bench: requirements.txt requirements-test.txt bench/requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r bench/requirements.txt
	@command -v wrk >/dev/null || (apt-get install -y -qq wrk || (apt-get update -qq && apt-get install -y -qq wrk))
	touch $(VENV)/.installed $(VENV)/.installed-test $@

install-bench: $(VENV)/.installed-bench

## Benchmarks (need PostgreSQL and Redis on 127.0.0.1; see bench/README.md; never run in CI)
bench: install-bench
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/directory.py
	$(BIN)/python bench/meetings_invitations.py
	$(BIN)/python bench/briefings_search.py

## 50 simulated members for 60 s on 500 organizations, 5,000 people, 1,000 meetings, 20,000 documents
bench-load: install-bench
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
