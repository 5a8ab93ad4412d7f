# Xin — one entry point for developers and CI. `make run` and `make test` set everything up.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
COVERAGE_FLOOR ?= 80
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1

.PHONY: help install run ingest-docs serve test verify lint typecheck fmt lock clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[local,dev]"
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)  ## Create .venv and install the pinned dependencies

ingest-docs: install  ## Ingest the sample knowledge base (docs/)
	$(BIN)/xin ingest docs/

run: ingest-docs  ## Set up, ingest docs/ and serve on http://$(HOST):$(PORT)
	@echo "Xin is serving on http://$(HOST):$(PORT) (Ctrl-C to stop)"
	$(BIN)/xin serve --host $(HOST) --port $(PORT)

test: install  ## Run every test
	$(BIN)/pytest -q

lint: install  ## ruff format check + ruff lint
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: install  ## mypy (strict on the xin package)
	$(BIN)/mypy

verify: lint typecheck  ## The one quality gate: lint, types, tests with a coverage floor
	$(BIN)/pytest -q --cov --cov-report=term --cov-fail-under=$(COVERAGE_FLOOR)

fmt: install  ## Format and auto-fix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

lock:  ## Re-resolve the pinned dependency set into requirements.lock
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/pip install --quiet -e ".[local,dev]"
	.lockenv/bin/pip freeze --exclude-editable | grep -v '^-e' > requirements.lock
	rm -rf .lockenv

clean:  ## Remove local data (.xin/), caches and build output (keeps .venv)
	rm -rf .xin build dist cdk.out .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov
	find . -name __pycache__ -type d -not -path './$(VENV)/*' -prune -exec rm -rf {} +
