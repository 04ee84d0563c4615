# Two entry points, both self-contained on a fresh machine:
#   make lab   set up, then open JupyterLab on a trainee workspace
#   make test  set up (including the system packages the tests need), then run every check
# One test tier at a time (tests/<tier>; PYTEST_ARGS passes on, e.g. PYTEST_ARGS=-x; JOBS=0 for one process):
#   make test-unit | test-course | test-integration | test-notebooks | test-e2e
# While working: make test-quick (no browser, nothing marked slow; about a minute here)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
WORKSPACE ?= workspace
TRAINEE ?= demo

TIERS := unit course integration notebooks e2e
# pytest-xdist processes for make test, pytest and the tiers (JOBS=0: all in this one process):
# one per core here (three, with end-to-end tests waiting on servers, gave timeouts under load);
# worksteal hands out the long tests first-come, so no process is left with a queue at the end.
JOBS ?= 2
XDIST := $(if $(filter 0,$(JOBS)),-p no:xdist,-n $(JOBS) --dist worksteal)

.PHONY: setup system-deps hub-deps lab app test test-quick lint pytest clean $(TIERS:%=test-%)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

lab: setup
	$(BIN)/workbook lab $(WORKSPACE) --trainee "$(TRAINEE)"

app: setup
	$(BIN)/workbook app $(WORKSPACE) --trainee "$(TRAINEE)"

lint: setup
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy

pytest: setup
	$(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)

system-deps:
	bash scripts/install-system-deps.sh

# configurable-http-proxy (npm) for the real JupyterHub of tests/e2e/test_hub_flow.py
hub-deps: setup
	bash scripts/install-hub-deps.sh

test: setup system-deps hub-deps
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/workbook validate
	$(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)

# while working: every test that needs no browser and is not marked slow (about 90% of them, about a
# minute here); `make test` (CI) runs them all
test-quick: setup
	$(BIN)/python -m pytest $(XDIST) -m "not e2e and not requires_browser and not slow" $(PYTEST_ARGS)

# the tiers that print PDFs or drive a browser need Chromium; the e2e tier also a JupyterHub proxy
test-integration test-e2e: system-deps
test-e2e: hub-deps

$(TIERS:%=test-%): test-%: setup
	$(BIN)/python -m pytest tests/$* $(XDIST) $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) build dist
