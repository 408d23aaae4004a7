# Family keywork: the two commands a new user needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes side by side, a test file each at a time (`make test TEST_WORKERS=0`: one process).
TEST_WORKERS ?= 2

.PHONY: run test install lint bench demo clean-db frontend

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

## make run: install, migrate (as the database owner, then the app runs as its own role that
## cannot rewrite history), load the demo council, serve at http://127.0.0.1:8000
## (the service's own error pages; `make run DEBUG=1` for Django's debug pages)
run: export DEBUG := $(DEBUG)
run: $(STAMP)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## make test: install and run the whole suite (browser tests skip, saying so, without Chromium)
test: $(STAMP)
	$(BIN)/python -m ruff check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=config.settings.test
	$(BIN)/bandit -c pyproject.toml -r . -ll -q
	$(BIN)/python -m pytest -p no:cacheprovider -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/python -m ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m ruff format --check .

## make bench: throughput figures (see bench/README.md)
bench: $(STAMP)
	$(BIN)/python bench/run.py

## Rebuild the GOV.UK Frontend CSS and JS into static/ (needs Node; the output is committed)
frontend:
	cd frontend && npm ci && ./build.sh

## Stop and remove the embedded database (it is recreated on the next run)
clean-db:
	-$(BIN)/python -c "import pgserver; pgserver.get_server('.pgdata', cleanup_mode='delete')"
	rm -rf .pgdata
