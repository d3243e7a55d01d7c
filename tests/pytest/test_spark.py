"""Issue 18: the same project on Apache Spark (dbt-spark, session mode) gives the same tables as on DuckDB.

Reads the Spark warehouse that `make test-spark` built (DRILLDOWN_SPARK_DIR: the demo seeds, the build into
schemas with the suffix DRILLDOWN_SPARK_BUILD_SUFFIX in two steps around the CLV fit, its marts published as
views in `marts`); builds nothing itself but one small failing build, so the suite costs one Spark build.
Skipped without pyspark or DRILLDOWN_SPARK_DIR (plain `make test`); with DRILLDOWN_SPARK_REQUIRED=1 that is a
failure instead.

Equality is generic over every table and view in the schemas below, so new models are covered when they land:
rows as multisets, decimals exactly, floats to 1e-9 relative (parity.py, as for Postgres).

Derby, the metastore's database, admits one process at a time: every dbt command these tests run comes first
(fixtures), then one Spark session in this process reads everything.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from conftest import MIXED_ORDERS_CSV, REPO
from load_input import load_folder, load_folder_spark
from dbt_runner import dbt_command, dbt_env
from parity import assert_same_tables, duckdb_rows, table_differences

pytestmark = pytest.mark.spark

COMPARED_SCHEMAS = ("staging", "quarantine", "intermediate", "marts", "semantic")
FAILED_SUFFIX = "__failed"


def build_suffix() -> str:
    return os.environ.get("DRILLDOWN_SPARK_BUILD_SUFFIX", "__ci")


def spark_schema(schema: str) -> str:
    """Where the Spark build put a DuckDB schema: its build's schema; the marts are read where BI reads them."""
    return schema if schema == "marts" else schema + build_suffix()


def _spark_missing() -> str | None:
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark not installed (make spark-setup installs requirements-spark.txt)"
    if not os.environ.get("DRILLDOWN_SPARK_DIR"):
        return "DRILLDOWN_SPARK_DIR not set (make test-spark builds a Spark warehouse there)"
    return None


if _spark_missing() and os.environ.get("DRILLDOWN_SPARK_REQUIRED") != "1":
    pytest.skip(_spark_missing() or "", allow_module_level=True)  # before the session fixtures (a DuckDB build)


def _spark_available() -> None:
    reason = _spark_missing()
    if reason is not None:
        pytest.fail(reason)  # DRILLDOWN_SPARK_REQUIRED=1; otherwise the module was skipped


def run_dbt_spark(args: list[str], work_dir: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    """One dbt command with the spark target on the warehouse in DRILLDOWN_SPARK_DIR."""
    command = dbt_command(args, work_dir, None, json_log=False)
    result = subprocess.run(command, cwd=REPO, env=dbt_env(work_dir / "unused.duckdb", target="spark"), capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"dbt {' '.join(args)} (spark) failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}")
    return result


# ---------------------------------------------------------------- dbt first, then one Spark session


SPLIT = "-- next query --"


@pytest.fixture(scope="module")
def spark_macro_sql(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """parse_raw of every kind over t(v), and count_distinct_over over u(k, a), compiled for Spark."""
    _spark_available()
    casts = ", ".join(f"{{{{ drilldown.parse_raw('v', '{kind}') }}}} as {kind}_value" for kind in ("integer", "decimal", "date", "timestamp", "boolean"))
    sql = f"select {casts} from t\n{SPLIT}\nselect k, a, {{{{ drilldown.count_distinct_over('a', 'k') }}}} as arms from u"
    result = run_dbt_spark(["compile", "--quiet", "--inline", sql], tmp_path_factory.mktemp("spark_compile"))
    compiled = result.stdout[result.stdout.index("select") :]
    cast_sql, window_sql = compiled.split(SPLIT)
    return cast_sql.strip().removesuffix("from t"), window_sql.strip()


@pytest.fixture(scope="module")
def failed_build(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    """A build into fresh schemas (suffix __failed) that fails after it wrote marts__failed.customer_rfm:
    `customers` reads marts this build did not make. Built in place, dbt-spark would have dropped and
    re-created the published customer_rfm first (no Delta: no atomic replace)."""
    _spark_available()
    args = ["build", "--select", "+customer_rfm", "customers", "--exclude", "path:seeds/demo", "--exclude-resource-type", "unit_test",
            "--vars", json.dumps({"build_schema_suffix": FAILED_SUFFIX})]  # fmt: skip
    return run_dbt_spark(args, tmp_path_factory.mktemp("spark_failed"), check=False)


@pytest.fixture(scope="module")
def spark(spark_macro_sql: tuple[str, str], failed_build: subprocess.CompletedProcess[str]) -> Iterator[object]:
    """This process's Spark session on the warehouse (after every dbt command of this module)."""
    _spark_available()
    from spark_session import spark_session

    session = spark_session()
    yield session
    session.stop()


def spark_tables(spark) -> set[tuple[str, str]]:
    found = set()
    for schema in COMPARED_SCHEMAS:
        if spark.catalog.databaseExists(spark_schema(schema)):
            found |= {(schema, table.name) for table in spark.catalog.listTables(spark_schema(schema)) if not table.isTemporary}
    return found


def spark_rows(spark, table: tuple[str, str], columns: list[str]) -> tuple[list[str], list[tuple]]:
    """The table's rows in DuckDB's column order; timestamps as the wall-clock time (timestamp_ntz: no time
    zone conversion in Python)."""
    frame = spark.table(f"`{spark_schema(table[0])}`.`{table[1]}`")
    spark_columns = frame.columns
    selected = [f"cast(`{name}` as timestamp_ntz) as `{name}`" if kind == "timestamp" else f"`{name}`" for name, kind in frame.dtypes]
    rows = [tuple(row) for row in frame.selectExpr(*selected).collect()]
    if sorted(spark_columns) != sorted(columns):
        return spark_columns, rows
    order = [spark_columns.index(column) for column in columns]
    return columns, [tuple(row[index] for index in order) for row in rows]


# ---------------------------------------------------------------- the demo build on both


def test_demo_build_is_identical_on_spark(spark, demo_warehouse: Path) -> None:
    compared = assert_same_tables(
        demo_warehouse, COMPARED_SCHEMAS, spark_tables(spark), lambda table, columns: spark_rows(spark, table, columns), "spark"
    )
    assert compared >= 60  # staging, quarantine, intermediate and marts of the whole project


def test_demo_reconciles_on_spark(spark) -> None:
    reconciliation = [
        tuple(row)
        for row in spark.sql(
            "select entity, rows_read, rows_staged, rows_quarantined, is_reconciled "
            f"from {spark_schema('quarantine')}.data_reconciliation order by entity"
        ).collect()
    ]
    assert [row[0] for row in reconciliation] == [
        "campaign_contacts", "campaign_plans", "campaigns", "customers", "order_lines", "orders", "social_mentions"
    ]
    assert all(row[4] is True for row in reconciliation)
    assert dict((row[0], row[1]) for row in reconciliation)["orders"] == 16352


def test_marts_are_parquet_tables_published_as_views(spark) -> None:
    """file_format parquet (dbt-spark's default would be a Hive text table); BI reads views in `marts`, each over
    the published build's table or view (the four marts that publish one upstream model as it is are view models,
    docs/decisions.md#marts-that-publish-an-intermediate)."""
    built = spark_schema("marts") if build_suffix() == "" else "marts" + build_suffix()
    kinds = {table.name: table.tableType for table in spark.catalog.listTables(built)}
    providers = {
        name: spark.sql(f"describe table extended {built}.`{name}`").where("col_name = 'Provider'").collect()[0].data_type
        for name, kind in kinds.items()
        if kind != "VIEW"
    }
    assert len(providers) >= 29 and set(providers.values()) == {"parquet"}, providers
    assert {name for name, kind in kinds.items() if kind == "VIEW"} == {"customer_btyd_summary", "customer_rfm", "customer_value_windows", "recent_repeaters"}
    published = {table.name: table.tableType for table in spark.catalog.listTables("marts")}
    assert published == {name: "VIEW" for name in kinds}
    assert all(f"{built}.{name}" in spark.sql(f"show create table marts.`{name}`").collect()[0][0] for name in published)


def test_failed_build_leaves_the_published_marts(spark, failed_build: subprocess.CompletedProcess[str], demo_warehouse: Path) -> None:
    """The failed build got as far as writing customer_rfm (into its own schema); `marts` still serves the
    published build whole, every view over it, customer_rfm equal to DuckDB's."""
    assert failed_build.returncode != 0
    assert "customers" in failed_build.stdout and "ERROR" in failed_build.stdout
    assert spark.catalog.tableExists("customer_rfm", "marts" + FAILED_SUFFIX)
    built = "marts" + build_suffix()
    views = {table.name for table in spark.catalog.listTables("marts")}
    assert {"customer_rfm", "customers", "customer_btyd_summary"} <= views
    assert all(f"{built}.{name}" in spark.sql(f"show create table marts.`{name}`").collect()[0][0] for name in views)
    columns, duck = duckdb_rows(demo_warehouse, ("marts", "customer_rfm"))
    _, rows = spark_rows(spark, ("marts", "customer_rfm"), columns)
    assert len(rows) > 2000 and table_differences(columns, duck, rows, other="spark") == []


# ---------------------------------------------------------------- one cast, one result on every adapter


EDGE_VALUES = [
    "1", " 12 ", "1.5", "-3", "+4", "1e3", "1E-2", ".5", "5.", "NaN", "Infinity", "inf", "", "abc", "1,5", "0x10", "1_000",
    "12.345678901", "2025-01-02", "2025-1-2", "2025/01/02", "01/02/2025", "2025-01-02 03:04:05", "2025-01-02T03:04:05Z",
    "2025-01-02 03:04:05+02", "2025-01-02 03:04:05.123456", "2025-13-45", "2025-02-29", "now", "today", "epoch",
    "infinity", "Jan 5 2025", "20250102",
]  # the values test_postgres.py checks


WINDOW_ROWS = [
    ("k1", "control"), ("k1", "treatment"), ("k2", "a"), ("k2", "a"), ("k3", "a"), ("k3", None),
    ("k4", None), ("k4", None), ("k5", "a"), ("k5", "b"), ("k5", "c"), ("k5", None),
]


def _duckdb_macro_results(tmp_path: Path) -> tuple[list, list]:
    sql = (
        "select " + ", ".join(f"{{{{ drilldown.parse_raw('v', '{kind}') }}}} as {kind}_value" for kind in ("integer", "decimal", "date", "timestamp", "boolean"))
        + f" from t\n{SPLIT}\nselect k, a, {{{{ drilldown.count_distinct_over('a', 'k') }}}} as arms from u"
    )
    command = dbt_command(["compile", "--quiet", "--inline", sql], tmp_path, None, json_log=False)
    compiled = subprocess.run(command, cwd=REPO, env=dbt_env(tmp_path / "w.duckdb"), capture_output=True, text=True, check=True).stdout
    cast_sql, window_sql = compiled[compiled.index("select") :].split(SPLIT)
    cast_sql = cast_sql.strip().removesuffix("from t")
    with duckdb.connect() as connection:
        casts = [connection.execute(f"with t as (select ? as v) {cast_sql} from t", [value]).fetchone() for value in EDGE_VALUES]
        connection.execute("create table u (k varchar, a varchar)")
        connection.executemany("insert into u values (?, ?)", WINDOW_ROWS)
        windows = sorted(connection.execute(window_sql.strip()).fetchall(), key=repr)
    return casts, windows


def test_parse_raw_and_count_distinct_over_agree_with_duckdb(spark, spark_macro_sql: tuple[str, str], tmp_path: Path) -> None:
    cast_sql, window_sql = spark_macro_sql
    spark.createDataFrame([(value,) for value in EDGE_VALUES], "v string").createOrReplaceTempView("edge_values")
    rows = spark.sql(
        "select v, integer_value, decimal_value, date_value, cast(timestamp_value as timestamp_ntz), boolean_value "
        f"from (select v, {cast_sql.strip()[len('select'):]} from edge_values as t)"
    ).collect()
    by_value = {row[0]: tuple(row[1:]) for row in rows}
    spark.createDataFrame(WINDOW_ROWS, "k string, a string").createOrReplaceTempView("u")
    windows = sorted((tuple(row) for row in spark.sql(window_sql).collect()), key=repr)
    duck_casts, duck_windows = _duckdb_macro_results(tmp_path)
    assert [(value, *by_value[value]) for value in EDGE_VALUES] == [(value, *row) for value, row in zip(EDGE_VALUES, duck_casts, strict=True)]
    assert by_value["1.5"][:2] == (None, Decimal("1.5"))
    assert by_value["2025-01-02 03:04:05+02"][3].isoformat() == "2025-01-02T03:04:05"
    assert windows == duck_windows


# ---------------------------------------------------------------- a user's folder on Spark


def test_spark_loader_keeps_every_value_and_null(spark, tmp_path: Path) -> None:
    """load_folder_spark gives the raw tables the DuckDB loader gives: lower-cased names, nulls vs empty strings,
    quotes, commas; a CSV all text, a Parquet file typed as written."""
    data_dir = tmp_path / "input"
    data_dir.mkdir()
    (data_dir / "Orders.csv").write_text(MIXED_ORDERS_CSV, encoding="utf-8")
    with duckdb.connect() as connection:
        connection.execute(
            "copy (select 'x' as Customer_Id, 'Paid Search' as acquisition_source, cast(null as varchar) as region, "
            f"timestamp '2024-05-06 07:08:09' as acquired_at) to '{data_dir / 'customers.parquet'}' (format parquet)"
        )
    db_path = tmp_path / "w.duckdb"
    with duckdb.connect(str(db_path)) as connection:
        duck_loaded = load_folder(connection, data_dir)
    assert load_folder_spark(spark, data_dir) == duck_loaded == {"orders": 4, "customers": 1}
    for table in ("raw_orders", "raw_customers"):
        with duckdb.connect(str(db_path), read_only=True) as connection:
            cursor = connection.execute(f"select * from raw.{table}")
            duck = ([d[0] for d in cursor.description], sorted(cursor.fetchall(), key=repr))
        frame = spark.table(f"raw.{table}")
        rows = frame.selectExpr(*[f"cast(`{n}` as timestamp_ntz) as `{n}`" if k == "timestamp" else f"`{n}`" for n, k in frame.dtypes]).collect()
        assert (frame.columns, sorted((tuple(row) for row in rows), key=repr)) == duck, table
    assert [row.note for row in spark.table("raw.raw_orders").orderBy("order_id").collect()] == ["has, comma", 'say "hi"', None, None]


def test_cli_spark_rejects_a_bad_folder_as_on_duckdb(tmp_path: Path) -> None:
    """The same message (file, column) and exit code as on DuckDB, before Spark starts."""
    _spark_available()
    data_dir = tmp_path / "input"
    data_dir.mkdir()
    (data_dir / "orders.csv").write_text("order_id,customer_id,ordered_at\n1,a,2025-01-01\n", encoding="utf-8")
    outcomes = {}
    for target in ("duckdb", "spark"):
        result = subprocess.run(
            [sys.executable, str(REPO / "scripts" / "drilldown.py"), "run", "--data", str(data_dir), "--out", str(tmp_path / target), "--target", target],
            cwd=REPO, capture_output=True, text=True,
        )  # fmt: skip
        outcomes[target] = (result.returncode, result.stderr.strip().splitlines()[-1])
    assert outcomes["spark"] == outcomes["duckdb"]
    assert outcomes["spark"][0] == 1 and "missing required column(s) amount" in outcomes["spark"][1]
