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

.PHONY: help install run ingest-docs serve test verify lint typecheck fmt lock clean synth helm-lint preflight smoke load bench bench-clock soak

help:  ## List the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[local,dev,infra,bench]"
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

ENV ?= dev
synth: install  ## Synthesize the CDK app offline (ENV=dev|staging|prod; real layer bundling, cdk-nag)
	$(BIN)/python -m infra.app -c env=$(ENV)
	$(BIN)/cfn-lint --ignore-checks W3005 -- cdk.out/Xin-$(ENV).template.json

helm-lint: install  ## Render, lint (strict) and validate the Helm chart with every values file
	$(BIN)/pytest -q -p no:cacheprovider tests/infra/test_helm_chart.py

preflight: install  ## Pre-deploy checks for ENV: chart render, CDK synth, cluster secrets
	scripts/preflight_check.sh $(ENV)

smoke: install  ## Smoke-test a running Xin (URL=http://127.0.0.1:8000)
	scripts/smoke_test.sh http $(or $(URL),http://$(HOST):$(PORT))

# Benchmarks: the `bench` extra (Locust, matplotlib) is part of `make install`, pinned by
# requirements.lock like everything else (so `make test` runs the Locust tests too).
load: install  ## Locust headless vs a local server on the sample KB (LOAD_USERS, LOAD_DURATION, LOAD_PROFILE, LOAD_WEIGHTS); CSV in build/bench/load
	$(BIN)/python -m tests.load.server -- $(BIN)/python -m tests.load.run_load --results build/bench/load

# `make bench` is timed from before `install`, so its report counts the setup (issue #10: < 15 min).
bench: bench-clock install  ## Every benchmark (< 15 min) -> benchmarks/results.json, docs/benchmarks.md, docs/benchmarks/*.png (BENCH_ARGS=--quick|--only ...)
	$(BIN)/python -m scripts.bench_all --started-at "$$(cat build/bench/.started)" $(BENCH_ARGS)

bench-clock:
	@mkdir -p build/bench && date +%s.%N > build/bench/.started

soak: install  ## 5-minute soak (constant load, server RSS growth), merged into the benchmark report
	$(BIN)/python -m scripts.bench_all --only soak

lock:  ## Re-resolve the pinned dependency set into requirements.lock
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/pip install --quiet -e ".[local,dev,infra,bench]"
	.lockenv/bin/pip freeze --exclude-editable | grep -v '^-e' > requirements.lock
	rm -rf .lockenv

clean:  ## Remove local data (.xin/), caches and build output (keeps .venv)
	rm -rf .xin build dist cdk.out .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov
	find . -name __pycache__ -type d -not -path './$(VENV)/*' -prune -exec rm -rf {} +
