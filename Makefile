# drilldown: `make run` builds the demo warehouse, `make test` runs lint + dbt build + pytest.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DBT_PROFILES_DIR := $(CURDIR)
export DRILLDOWN_DUCKDB_PATH ?= $(CURDIR)/drilldown.duckdb

.PHONY: setup run build test lint dbt-test pytest clean lock bench bench-setup

setup: $(STAMP)

$(STAMP): requirements.txt
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) (set PYTHON=...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

# Build the whole project on the bundled demo data into $(DRILLDOWN_DUCKDB_PATH).
# The demo seeds stand in for a user's raw files, so they are loaded first (models read them as sources).
run: setup
	$(BIN)/dbt seed --select path:seeds/demo
	$(BIN)/dbt build --exclude path:seeds/demo
	@echo "warehouse: $(DRILLDOWN_DUCKDB_PATH)  (marts in schema 'marts'; open with: duckdb $(DRILLDOWN_DUCKDB_PATH))"

# sqlfluff compiles the models, which look at the raw tables: lint against a warehouse holding the demo seeds.
lint: setup
	mkdir -p target
	DRILLDOWN_DUCKDB_PATH=$(CURDIR)/target/lint.duckdb $(BIN)/dbt seed --select path:seeds/demo --quiet
	DRILLDOWN_DUCKDB_PATH=$(CURDIR)/target/lint.duckdb $(BIN)/sqlfluff lint models tests analyses

# dbt build of everything (seeds, models, data tests, unit tests) into a scratch warehouse.
dbt-test: setup
	mkdir -p target && rm -f target/test.duckdb
	DRILLDOWN_DUCKDB_PATH=$(CURDIR)/target/test.duckdb $(BIN)/dbt seed --select path:seeds/demo
	DRILLDOWN_DUCKDB_PATH=$(CURDIR)/target/test.duckdb $(BIN)/dbt build --exclude path:seeds/demo

pytest: setup
	$(BIN)/python -m pytest -q tests/pytest

test: lint dbt-test pytest

clean:
	rm -rf target logs drilldown.duckdb

lock:
	$(BIN)/python -m pip install -r requirements.in && $(BIN)/python -m pip freeze > requirements.txt

# Benchmark (issue 9): drilldown vs the floor query vs pandas / lifetimes / pymc-marketing; writes
# benchmarks/results.md. The peers live in their own venv (.venv-bench, `make bench-setup`), never in .venv.
# Smoke run: make bench BENCH_ARGS="--sizes 2000 --repeats 1"
BENCH_ARGS ?= --sizes 100000,1000000,4000000 --repeats 3 --incremental

bench-setup: .venv-bench/.installed

.venv-bench/.installed: benchmarks/requirements-bench.txt
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) (set PYTHON=...)"; exit 1; }
	test -x .venv-bench/bin/python || $(PYTHON) -m venv .venv-bench
	.venv-bench/bin/python -m pip install --quiet --upgrade pip
	.venv-bench/bin/python -m pip install --quiet -r benchmarks/requirements-bench.txt
	touch .venv-bench/.installed

bench: setup
	nice -n 10 $(BIN)/python benchmarks/run.py $(BENCH_ARGS)
