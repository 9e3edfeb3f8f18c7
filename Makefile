# Orderyard — one verb per target. Every target creates the virtual environment if needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgresql://postgres@127.0.0.1:5432/orderyard_test
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install browser scale-tools serve test test-sqlite test-pg test-fast lint typecheck fmt bench migrate revision snapshot clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install Orderyard with its development tools

browser: $(STAMP) ## Install what the browser tests need when missing: Debian's chromium, playwright
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
		else \
			echo "chromium is missing: run apt-get install -y chromium as root"; \
		fi; \
	fi
	@$(BIN)/python -c "import playwright" 2>/dev/null || $(BIN)/pip install --quiet 'playwright>=1.45'

scale-tools: $(STAMP) ## Install what the scale-out tests need when missing: Debian's pgbouncer and haproxy, replication from 127.0.0.1
	@missing=""; for tool in pgbouncer haproxy; do command -v $$tool >/dev/null || [ -x /usr/sbin/$$tool ] || missing="$$missing $$tool"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
			systemctl disable --now pgbouncer haproxy >/dev/null 2>&1 || true; \
			service pgbouncer stop >/dev/null 2>&1 || true; service haproxy stop >/dev/null 2>&1 || true; \
		else \
			echo "missing:$$missing: run apt-get install -y$$missing as root"; \
		fi; \
	fi
	@$(BIN)/python scripts/allow_replication.py "$(PG_URL)" || true

serve: $(STAMP) ## Serve SQLite on HOST:PORT (127.0.0.1:8000; make serve PORT=8080), demo account on first start
	$(BIN)/orderyard serve --demo --host $(HOST) --port $(PORT)

test: $(STAMP) ## Lint, type-check, then the whole suite on SQLite and (when reachable) PostgreSQL
	$(MAKE) --no-print-directory lint typecheck browser scale-tools
	$(BIN)/pytest -q -p no:cacheprovider --db=sqlite
	@if $(BIN)/python scripts/pg_reachable.py "$(PG_URL)"; then \
		ORDERYARD_TEST_POSTGRES_URL="$(PG_URL)" $(BIN)/pytest -q -p no:cacheprovider --db=postgres; \
	elif [ -n "$$ORDERYARD_REQUIRE_POSTGRES" ]; then \
		echo "PostgreSQL is required (ORDERYARD_REQUIRE_POSTGRES) but $(PG_URL) is unreachable"; exit 1; \
	else \
		echo "PostgreSQL not reachable at $(PG_URL): ran SQLite only"; \
	fi

test-sqlite: $(STAMP) ## The suite on SQLite only
	$(BIN)/pytest -q --db=sqlite

test-pg: $(STAMP) ## The suite on PostgreSQL only
	ORDERYARD_TEST_POSTGRES_URL="$(PG_URL)" $(BIN)/pytest -q --db=postgres

test-fast: $(STAMP) ## Tests that touch no database
	$(BIN)/pytest -q -m "not db"

lint: $(STAMP) ## ruff, formatting, import-layer contracts
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

typecheck: $(STAMP) ## mypy --strict
	$(BIN)/mypy

fmt: $(STAMP) ## Fix what ruff can and format
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

bench: $(STAMP) ## Load benchmarks on PostgreSQL, e.g. make bench ARGS="--only ceilings" (bench/README.md)
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python -m bench.run $(ARGS)

migrate: $(STAMP) ## Apply migrations to the configured database
	$(BIN)/orderyard db upgrade

revision: $(STAMP) ## New migration: make revision MSG="what changed"
	$(BIN)/python -c "from alembic import command; from orderyard.store.migrate import alembic_config; command.revision(alembic_config('sqlite+aiosqlite:///./.revision.db'), message='$(MSG)', autogenerate=True)"
	rm -f .revision.db

snapshot: $(STAMP) ## Rewrite the OpenAPI snapshots of both dialects
	$(BIN)/python scripts/openapi_snapshot.py shipedge > tests/dialects/shipedge/openapi.json
	$(BIN)/python scripts/openapi_snapshot.py orderdynamics > tests/dialects/orderdynamics/openapi.json

clean: ## Remove the virtual environment and local databases
	rm -rf $(VENV) orderyard.db orderyard.db-wal orderyard.db-shm
