# drilldown: `make run` builds the demo warehouse, `make test` runs lint + dbt build + pytest.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DBT_PROFILES_DIR := $(CURDIR)
export DRILLDOWN_DUCKDB_PATH ?= $(CURDIR)/drilldown.duckdb
export DRILLDOWN_MODULE_PATH ?= $(CURDIR)/scripts

# Where `make run` / `make report` write the warehouse (OUT/drilldown.duckdb) and OUT/reports/.
OUT ?= out

.PHONY: setup run report docs screenshot chromium build test lint dbt-test integration-test pytest clean lock test-postgres pg-suite pg-integration-test pg-start pg-stop bench bench-setup bench-affinity \
	spark-setup java test-spark spark-suite

setup: $(STAMP)

$(STAMP): requirements.txt
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) (set PYTHON=...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

# Generate the demo data, build it (published atomically as $(OUT)/drilldown.duckdb) and export $(OUT)/reports/.
run: setup
	$(BIN)/python scripts/drilldown.py demo --out $(OUT)

# Re-export $(OUT)/reports/ (CSV, Parquet, Excel, HTML) from $(OUT)/drilldown.duckdb.
report: setup
	$(BIN)/python scripts/drilldown.py report --out $(OUT)

# The dbt docs site (lineage graph, model and column docs, catalog of the demo warehouse) under $(OUT)/docs/:
# index.html with its manifest.json and catalog.json (serve the folder), and static_index.html (one file, opens
# from disk). Builds the demo into target/docs.duckdb first: the catalog describes real tables.
docs: setup
	mkdir -p target $(OUT)/docs && rm -f target/docs.duckdb
	DRILLDOWN_DUCKDB_PATH=$(CURDIR)/target/docs.duckdb $(BIN)/dbt seed --quiet --target-path target/docs
	DRILLDOWN_DUCKDB_PATH=$(CURDIR)/target/docs.duckdb $(BIN)/dbt run --quiet --target-path target/docs
	DRILLDOWN_DUCKDB_PATH=$(CURDIR)/target/docs.duckdb $(BIN)/dbt docs generate --static --target-path target/docs
	cp target/docs/index.html target/docs/static_index.html target/docs/manifest.json target/docs/catalog.json $(OUT)/docs/
	@echo "docs: open $(OUT)/docs/static_index.html, or serve: $(BIN)/python -m http.server -d $(OUT)/docs 8080"

# Refresh the README's image of the HTML report (after `make run`).
screenshot: setup chromium
	$(BIN)/python scripts/browser.py $(OUT)/reports/report.html docs/report.png 1400,3000

# Debian's chromium for the browser test of the HTML report: installed when missing and running as root;
# otherwise that one test is skipped.
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	{ if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium; }) \
	    || echo "could not install chromium: the browser test will be skipped"; \
	  else echo "chromium not installed (needs root: apt-get install chromium): the browser test will be skipped"; fi; }

# sqlfluff compiles the models, which look at the raw tables: lint against a warehouse holding the demo seeds.
# One process per core (--processes 0): linting is ~5 min of CPU, two files (the campaign statistics) ~1.7 of it.
lint: setup
	mkdir -p target
	DRILLDOWN_DUCKDB_PATH=$(CURDIR)/target/lint.duckdb $(BIN)/dbt seed --select path:seeds/demo --quiet
	DRILLDOWN_DUCKDB_PATH=$(CURDIR)/target/lint.duckdb $(BIN)/sqlfluff lint --processes 0 $(wildcard models tests analyses)

# dbt build of everything (seeds, models, data tests, unit tests) into a scratch warehouse.
# Its own target path: `make test` runs it beside lint, whose dbt templater compiles into target/.
dbt-test: setup
	mkdir -p target && rm -f target/test.duckdb
	DRILLDOWN_DUCKDB_PATH=$(CURDIR)/target/test.duckdb $(BIN)/dbt seed --select path:seeds/demo --target-path target/dbt-test
	DRILLDOWN_DUCKDB_PATH=$(CURDIR)/target/test.duckdb $(BIN)/dbt build --exclude path:seeds/demo --target-path target/dbt-test

# The pytest files run in parallel, one file per worker (module fixtures build once): -n auto is one worker per core.
PYTEST_ARGS ?= -n auto --dist loadfile
pytest: setup
	$(BIN)/python -m pytest -q $(PYTEST_ARGS) tests/pytest

# drilldown installed as a package (integration_tests/, docs/decisions.md#package-integration-tests): `dbt deps`
# links this repository (packages.yml: local ../, no network); `dbt seed` (input under other schema, table and
# column names: the sources are not refs, so nothing orders the seeds before the base models in one build), then
# one `dbt build` of everything (the seeds again, so every test's parents are selected): every drilldown model and
# data test, and the checks against expected seeds. Unit tests are drilldown's own, run by dbt-test (their
# source fixtures need the demo's raw tables). Fails when dbt does.
INTEGRATION_DIR := $(CURDIR)/integration_tests
INTEGRATION_TARGET := duckdb
INTEGRATION_DBT = cd $(INTEGRATION_DIR) && DRILLDOWN_TARGET=$(INTEGRATION_TARGET) DBT_PROFILES_DIR=$(INTEGRATION_DIR) $(CURDIR)/$(BIN)/dbt
integration-test: setup
	mkdir -p $(INTEGRATION_DIR)/target && rm -f $(INTEGRATION_DIR)/target/integration.duckdb
	$(INTEGRATION_DBT) deps --quiet
	$(INTEGRATION_DBT) seed --quiet
	$(INTEGRATION_DBT) build --exclude-resource-type unit_test

# lint, dbt-test and integration-test, two at a time (each its own warehouse file and target path; lint is
# mostly one core, so the builds use the other), then pytest, which reuses the demo warehouse dbt-test has just
# built (conftest.py: DRILLDOWN_TEST_DEMO_WAREHOUSE) instead of building the same project on the same seeds again.
test: setup
	$(MAKE) --no-print-directory -j2 --output-sync=target lint dbt-test integration-test
	DRILLDOWN_TEST_DEMO_WAREHOUSE=$(CURDIR)/target/test.duckdb $(MAKE) --no-print-directory pytest

# The whole suite on a real Postgres: a throwaway cluster on a loopback port (scripts/pg_cluster.sh),
# removed at the end even when a step fails.
test-postgres: setup
	bash scripts/pg_cluster.sh run -- $(MAKE) --no-print-directory pg-suite

# The suite against the server DRILLDOWN_PG_* points to (make test-postgres sets them; or run `make pg-start`).
# Postgres runs no dbt Python models: the CLV fit runs between two builds, as `drilldown.py run --target postgres` does.
# pytest then reads that demo build (DRILLDOWN_TEST_PG_DEMO_DATABASE) instead of building it again in a scratch database.
CLV_FIT_INPUTS := +int_clv_bg_nbd_inputs +int_clv_gamma_gamma_inputs +int_clv_fit_periods +int_clv_horizons
pg-suite: setup
	DRILLDOWN_TARGET=postgres $(BIN)/dbt seed --select path:seeds/demo --target-path target/postgres
	DRILLDOWN_TARGET=postgres $(BIN)/dbt build --exclude path:seeds/demo --select $(CLV_FIT_INPUTS) --target-path target/postgres
	$(BIN)/python scripts/clv_fit.py
	DRILLDOWN_TARGET=postgres $(BIN)/dbt build --exclude path:seeds/demo $(CLV_FIT_INPUTS) --indirect-selection buildable --target-path target/postgres
	DRILLDOWN_PG_REQUIRED=1 DRILLDOWN_TEST_PG_DEMO_DATABASE=$${DRILLDOWN_PG_DATABASE:-drilldown} $(BIN)/python -m pytest -q -m postgres tests/pytest
	$(MAKE) --no-print-directory pg-integration-test

# The integration project on the same Postgres server, in its own schemas (pkg_*), the same two steps around the
# CLV fit, which reads and writes the schema the integration project names intermediate (pkg_intermediate).
pg-integration-test: INTEGRATION_TARGET := postgres
pg-integration-test: setup
	$(INTEGRATION_DBT) deps --quiet
	$(INTEGRATION_DBT) seed --target-path target/postgres
	$(INTEGRATION_DBT) build --exclude-resource-type unit_test --select $(CLV_FIT_INPUTS) --target-path target/postgres
	DRILLDOWN_TARGET=postgres $(BIN)/python scripts/clv_fit.py --schema pkg_intermediate
	$(INTEGRATION_DBT) build --exclude-resource-type unit_test --exclude $(CLV_FIT_INPUTS) --indirect-selection buildable --target-path target/postgres

# A cluster that stays up for interactive work: `eval "$$(make -s pg-start)"`, then `make pg-suite`, `make pg-stop`.
PG_DIR ?= $(CURDIR)/target/pgcluster
pg-start:
	@bash scripts/pg_cluster.sh start $(PG_DIR)

pg-stop:
	@bash scripts/pg_cluster.sh stop $(PG_DIR)

# Apache Spark (issue 18): dbt-spark in session mode, a local[2] Spark inside each dbt command (pyspark brings
# Spark; Java 17 from Debian). `make test-spark` runs the suite on a warehouse + Derby metastore in a temp
# folder (DRILLDOWN_SPARK_DIR, profiles.yml target `spark`), removed at the end even when a step fails.
SPARK_STAMP := $(VENV)/.installed-spark

spark-setup: $(SPARK_STAMP) java

$(SPARK_STAMP): requirements-spark.txt $(STAMP)
	$(BIN)/python -m pip install --quiet -r requirements-spark.txt
	touch $(SPARK_STAMP)

# Java for Spark: Debian's openjdk-17-jre-headless, installed when missing and running as root.
java:
	@command -v java >/dev/null 2>&1 || \
	{ if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null 2>&1 \
	    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless; }; \
	  else echo "Spark needs Java (17): install it (Debian: sudo apt-get install openjdk-17-jre-headless) and run again"; exit 1; fi; }

test-spark: spark-setup
	@dir=$$(mktemp -d "$${TMPDIR:-/tmp}/drilldown-spark.XXXXXX") && trap 'rm -rf "$$dir"' EXIT && \
	DRILLDOWN_SPARK_DIR="$$dir" $(MAKE) --no-print-directory spark-suite

# The suite on the Spark warehouse DRILLDOWN_SPARK_DIR holds, built the way `drilldown.py run --target spark`
# publishes: the demo files loaded by the CLI's loader (scripts/load_input.py: Parquet tables in `raw`; dbt-spark's
# session-mode seeds would load an empty cell as the text 'None'), the project seeds, a build into schemas with
# the suffix __ci (var build_schema_suffix) in two steps around the CLV fit (Spark runs no dbt Python models in
# session mode, as on Postgres), then the marts published as views in `marts` (publish_marts). The Spark tests
# read the tables built here. SPARK_BUILD_ARGS: extra `dbt build` arguments of the second step (.ci/run leaves
# the unit tests out there: they cost ~4 minutes on Spark and run on DuckDB and Postgres in the same CI).
SPARK_BUILD_SUFFIX := __ci
SPARK_VARS := --vars '{build_schema_suffix: $(SPARK_BUILD_SUFFIX)}'
SPARK_BUILD_ARGS ?=
SPARK_DEMO_DIR := target/spark-demo
spark-suite: spark-setup
	@test -n "$(DRILLDOWN_SPARK_DIR)" || { echo "set DRILLDOWN_SPARK_DIR (or run make test-spark)"; exit 1; }
	rm -rf $(SPARK_DEMO_DIR) && mkdir -p $(SPARK_DEMO_DIR)
	for f in seeds/demo/raw_*.csv; do ln -s $(CURDIR)/$$f $(SPARK_DEMO_DIR)/$${f#seeds/demo/raw_}; done
	DRILLDOWN_TARGET=spark $(BIN)/python scripts/load_input.py $(SPARK_DEMO_DIR)
	DRILLDOWN_TARGET=spark $(BIN)/dbt seed --exclude path:seeds/demo $(SPARK_VARS) --target-path target/spark
	DRILLDOWN_TARGET=spark $(BIN)/dbt build --exclude path:seeds --select $(CLV_FIT_INPUTS) $(SPARK_VARS) --target-path target/spark
	DRILLDOWN_TARGET=spark $(BIN)/python scripts/clv_fit.py --target spark --schema intermediate$(SPARK_BUILD_SUFFIX)
	DRILLDOWN_TARGET=spark $(BIN)/dbt build --exclude path:seeds $(CLV_FIT_INPUTS) --indirect-selection buildable $(SPARK_BUILD_ARGS) $(SPARK_VARS) --target-path target/spark
	DRILLDOWN_TARGET=spark $(BIN)/dbt run-operation publish_marts $(SPARK_VARS) --target-path target/spark
	DRILLDOWN_SPARK_REQUIRED=1 DRILLDOWN_SPARK_BUILD_SUFFIX=$(SPARK_BUILD_SUFFIX) $(BIN)/python -m pytest -q -m spark tests/pytest

clean:
	rm -rf target logs drilldown.duckdb out integration_tests/target integration_tests/dbt_packages integration_tests/logs

lock:
	$(BIN)/python -m pip install -r requirements.in && $(BIN)/python -m pip freeze > requirements.txt

# Benchmark (issue 9): drilldown vs the floor query vs pandas / lifetimes / pymc-marketing; writes
# benchmarks/results.md. The peers live in their own venv (.venv-bench, `make bench-setup`), never in .venv.
# --affinity (issue 21): then `dbt build` of the category affinity marts on ~1M orders x 3 lines with 50 line
# categories (its own generated data), timed; `make bench-affinity` runs only that part and replaces only its
# section of results.md. Smoke run: make bench BENCH_ARGS="--sizes 2000 --repeats 1"
BENCH_ARGS ?= --sizes 100000,1000000,4000000 --repeats 3 --affinity
BENCH_AFFINITY_ARGS ?= --repeats 3

bench-setup: .venv-bench/.installed

.venv-bench/.installed: benchmarks/requirements-bench.txt
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) (set PYTHON=...)"; exit 1; }
	test -x .venv-bench/bin/python || $(PYTHON) -m venv .venv-bench
	.venv-bench/bin/python -m pip install --quiet --upgrade pip
	.venv-bench/bin/python -m pip install --quiet -r benchmarks/requirements-bench.txt
	touch .venv-bench/.installed

bench: setup
	nice -n 10 $(BIN)/python benchmarks/run.py $(BENCH_ARGS)

bench-affinity: setup
	nice -n 10 $(BIN)/python benchmarks/run.py --affinity-only $(BENCH_AFFINITY_ARGS)
