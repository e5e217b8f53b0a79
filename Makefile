# The support graph. `make help` lists the targets.
SHELL := /bin/bash
# The first interpreter on PATH that is Python 3.11 to 3.13 (pyproject's requires-python);
# `make test PYTHON=/path/to/python3.13 VENV=.venv-3.13` picks another, in a virtualenv of its own.
SUPPORTED := import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
	$$p -c '$(SUPPORTED)' >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# schemathesis has its own virtualenv: its jsonschema-rs cannot sit beside langgraph-api's (tests/schemathesis/)
ST_VENV := .venv-schemathesis
ST_STAMP := $(ST_VENV)/.installed
DATA_DIR ?= var
PORT ?= 8000
STUDIO_PORT ?= 8123
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test
PACKAGES := $(patsubst %/__init__.py,%,$(wildcard $(addsuffix /__init__.py,launch api service graph nodes workflows routing accounting state tools checkpoint config brands sandbox bench)))

.PHONY: help install run test lint format studio sandbox bench bench-brands routing-eval bench-load docs-check demo demo-owner demo-writes key retention clean python-check injection-eval train-detector suite-planted

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

python-check:
	@if [ -z "$(PYTHON)" ]; then \
		echo "No Python 3.11 to 3.13 on PATH (tried python3, python3.13, python3.12, python3.11): install one, or set PYTHON=/path/to/python3.x" >&2; exit 2; \
	elif ! $(PYTHON) -c '$(SUPPORTED)' >/dev/null 2>&1; then \
		echo "PYTHON=$(PYTHON) is not Python 3.11 to 3.13 ($$($(PYTHON) --version 2>&1 | head -1)); set PYTHON=/path/to/python3.x" >&2; exit 2; \
	fi

$(STAMP): pyproject.toml constraints.txt
	@$(MAKE) --no-print-directory python-check
	@echo "Creating $(VENV) with $(PYTHON): $$($(PYTHON) -c 'import platform, sys; print(sys.executable, platform.python_version())')"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

$(ST_STAMP): tests/schemathesis/requirements.txt
	@$(MAKE) --no-print-directory python-check
	$(PYTHON) -m venv $(ST_VENV)
	$(ST_VENV)/bin/pip install --quiet --upgrade pip
	$(ST_VENV)/bin/pip install --quiet -r tests/schemathesis/requirements.txt
	@touch $(ST_STAMP)

install: $(STAMP) $(ST_STAMP) ## Create .venv (and .venv-schemathesis) and install the pinned dependencies

run: $(STAMP) ## Start the sandbox servers and the API on 127.0.0.1:8000 or PORT (SQLite under var/ or DATA_DIR; WORKERS=N on DATABASE_URL)
	SUPPORT_ENV=dev DATA_DIR=$(DATA_DIR) PORT=$(PORT) $(BIN)/python -m launch.serve

lint: $(STAMP) ## ruff (check + format) and the dataflow gate (pylint: used-before-assignment)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pylint --rcfile pyproject.toml $(PACKAGES)

format: $(STAMP) ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: $(STAMP) $(ST_STAMP) lint ## Lint, then the whole suite against PostgreSQL on 127.0.0.1:5432
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(BIN)/python -m pytest -q

sandbox: $(STAMP) ## Run only the sandbox servers (writes DATA_DIR/sandbox.json)
	$(BIN)/python -m sandbox --data-dir $(DATA_DIR)

studio: $(STAMP) ## Serve the graph with `langgraph dev` on 127.0.0.1:8123 or STUDIO_PORT for LangGraph Studio, offline
	SUPPORT_ENV=dev $(BIN)/python -m launch.studio --data-dir $(DATA_DIR) --port $(STUDIO_PORT)

bench: $(STAMP) ## Benchmarks that print figures (turn overhead on SQLite and Postgres)
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(BIN)/python -m bench.turn_overhead

bench-brands: $(STAMP) ## One deployment, 1,000 brands x 30 workflows: start, RSS, turn time against 2 brands
	$(BIN)/python -m bench.brand_scale

bench-load: $(STAMP) ## Open-loop load on the served API (SQLite 1, PostgreSQL 1 and 2 workers; 300 ms and 3 s models): a soak, minutes
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(BIN)/python -m bench.load --table --search

docs-check: $(STAMP) ## /docs rendered offline by headless Chromium (installs Debian's chromium when missing)
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	$(BIN)/python scripts/docs_check.py

injection-eval: $(STAMP) ## The injection meter per source, tune and report splits (reads ../shared/data)
	$(BIN)/python -m bench.injection_eval

train-detector: $(STAMP) ## Retrain the injection meter's two models offline (installs the `train` extra: scikit-learn)
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,train]'
	$(BIN)/python -m bench.injection_train
	$(BIN)/python -m bench.injection_train --field
	$(BIN)/python -m bench.injection_eval

suite-planted: $(STAMP) ## Instructions planted in every third-party field, real turns; exits 1 unless all 0 (QUICK=1: 10 texts; OWN=1 or OWN=2: our first or second writer's 200 field-written attacks)
	$(BIN)/python -m bench.planted_suite $(if $(QUICK),--quick) $(if $(OWN),--own $(OWN))

routing-eval: $(STAMP) ## The router on Bitext and the natural dev sets, the model down and the stand-in fallback (ARGS='--eval --eval3 --eval4' add the held-out evals v2, v3 and v4: log every run)
	$(BIN)/python -m bench.routing_eval $(ARGS)

demo: $(STAMP) ## The closing-note demo: curls through every policy workflow on a fresh SQLite service
	bash scripts/demo.sh

demo-owner: $(STAMP) ## Curls through who owns a conversation: handoff, a person, hand-back, report, queue, webhook
	bash scripts/ownership_demo.sh

demo-writes: $(STAMP) ## Curls through lost write answers (delayed, dropped, kill -9) and a 120 s model
	bash scripts/lost_answers_demo.sh

key: $(STAMP) ## Print a new random API key and the api_key_sha256 line for its brand file
	$(BIN)/python -m brands.keys

retention: $(STAMP) ## Erase conversations older than each brand's retention_days (DATABASE_URL, else SQLite under DATA_DIR)
	DATA_DIR=$(DATA_DIR) $(BIN)/python -m service retention

clean: ## Remove the virtualenv and local data
	rm -rf $(VENV) $(ST_VENV) $(DATA_DIR) .pytest_cache .ruff_cache .schemathesis
