# The commands of the README: `make run`, `make test` and `make lint`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_PASSWORD ?= wgportal-demo-2007
HOST ?= 127.0.0.1:8000

.PHONY: run test lint install install-test migrate demo worker beat bench clean

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

## Benchmarks (need PostgreSQL and Redis on 127.0.0.1; see bench/README.md)
bench: install-test
	$(BIN)/python bench/directory.py
	$(BIN)/python bench/meetings_invitations.py
	$(BIN)/python bench/briefings_search.py

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
