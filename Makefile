# Two entry points, both self-contained on a fresh machine:
#   make lab   set up, then open JupyterLab on a trainee workspace
#   make test  set up (including the system packages the tests need), then run every check
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
WORKSPACE ?= workspace
TRAINEE ?= demo

.PHONY: setup system-deps lab app test lint pytest clean

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
	$(BIN)/ruff check src tests
	$(BIN)/mypy

pytest: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

system-deps:
	bash scripts/install-system-deps.sh

test: setup system-deps
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/workbook validate
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) build dist
