"""Issue 8: the same project on a real Postgres gives the same tables as on DuckDB.

Runs only when DRILLDOWN_PG_HOST/DRILLDOWN_PG_PORT point to a reachable server (`make test-postgres`
starts one); otherwise skipped, so plain `make test` needs no server. With DRILLDOWN_PG_REQUIRED=1 an
unreachable server is a failure instead. Each build goes into its own scratch database, dropped at the end,
except the demo build that `make pg-suite` has just made (DRILLDOWN_TEST_PG_DEMO_DATABASE), which is read as it is.

Equality is generic over every table in the schemas below, so new models are covered when they land:
rows are compared as multisets (sorted by all columns), exact values everywhere (money to the cent and
beyond: decimals must be equal) except floats, which must agree to 1e-9 relative.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import clv_fit
import duckdb
import psycopg2
import pytest
from conftest import MIXED_ORDERS_CSV, REPO
import parity
from parity import table_differences
from dbt_runner import dbt_command, dbt_env
from load_input import InputError, load_folder, load_folder_postgres, postgres_conninfo_from_env
from psycopg2.extensions import make_dsn, parse_dsn
from test_docs import assert_catalog_lists_every_mart

pytestmark = pytest.mark.postgres

COMPARED_SCHEMAS = ("staging", "quarantine", "intermediate", "marts", "semantic")
UNGRANTED_SCHEMAS = ("raw", "staging", "quarantine", "intermediate")
REPORTING_ROLE = "reporting"
DIRTY = REPO / "tests" / "fixtures" / "dirty"


def _server_conninfo() -> str:
    if not (os.environ.get("DRILLDOWN_PG_HOST") or os.environ.get("DRILLDOWN_PG_PORT")):
        reason = "DRILLDOWN_PG_HOST/DRILLDOWN_PG_PORT not set (make test-postgres starts a server)"
    else:
        conninfo = postgres_conninfo_from_env()
        try:
            psycopg2.connect(conninfo, connect_timeout=5).close()
            return conninfo
        except psycopg2.OperationalError as error:
            reason = f"Postgres at DRILLDOWN_PG_* not reachable: {str(error).strip().splitlines()[0]}"
    if os.environ.get("DRILLDOWN_PG_REQUIRED") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_server() -> str:
    return _server_conninfo()


@contextlib.contextmanager
def scratch_database(server_conninfo: str) -> Iterator[str]:
    """A new, empty database on the server (dropped afterwards); yields its conninfo."""
    name = f"drilldown_pytest_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(server_conninfo)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'create database "{name}"')
        yield make_dsn(server_conninfo, dbname=name)
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'drop database if exists "{name}" with (force)')
        admin.close()


def run_dbt_postgres(args: list[str], conninfo: str, work_dir: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    """One dbt command with the postgres target on the database conninfo names."""
    params = parse_dsn(conninfo)
    env = {
        **dbt_env(work_dir / "unused.duckdb", target="postgres"),
        "DRILLDOWN_PG_HOST": params.get("host", "127.0.0.1"),
        "DRILLDOWN_PG_PORT": params.get("port", "5432"),
        "DRILLDOWN_PG_USER": params.get("user", "drilldown"),
        "DRILLDOWN_PG_PASSWORD": params.get("password", ""),
        "DRILLDOWN_PG_DATABASE": params["dbname"],
    }
    command = dbt_command(args, work_dir, None, json_log=False)
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"dbt {' '.join(args)} (postgres) failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}")
    return result


def build_postgres(conninfo: str, work_dir: Path) -> None:
    """The whole project on Postgres the way `drilldown.py run --target postgres` builds it: dbt build up to
    the CLV fit's inputs, the fit in Python (clv_fit.fit_postgres), dbt build of the rest. Unit tests included."""
    fit_inputs = [f"+{model}" for model in clv_fit.FIT_INPUT_MODELS]
    run_dbt_postgres(["build", "--exclude", "path:seeds/demo", "--select", *fit_inputs], conninfo, work_dir)
    clv_fit.fit_postgres(conninfo)
    run_dbt_postgres(["build", "--exclude", "path:seeds/demo", *fit_inputs, "--indirect-selection", "buildable"], conninfo, work_dir)


@pytest.fixture(scope="session")
def pg_demo_warehouse(pg_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The whole project (models, data tests, unit tests) built on Postgres from the demo data.

    `make pg-suite` has just built exactly that in the database DRILLDOWN_PG_* names (demo seeds by `dbt seed`,
    the two builds around the CLV fit) and names it in DRILLDOWN_TEST_PG_DEMO_DATABASE: that database is read
    then, as `make test` hands pytest its DuckDB demo build, instead of building the same project again (about
    95 s alone, more beside the Spark suite). The tests only read it. Without the variable, the demo files are
    loaded into a scratch database with the COPY loader (as a user's folder would be) and built there.
    """
    prebuilt = os.environ.get("DRILLDOWN_TEST_PG_DEMO_DATABASE")
    if prebuilt:
        conninfo = make_dsn(pg_server, dbname=prebuilt)
        with contextlib.closing(psycopg2.connect(conninfo)) as connection, connection.cursor() as cursor:
            cursor.execute("select count(*) from information_schema.tables where table_schema = 'marts'")
            if cursor.fetchone()[0] == 0:
                raise AssertionError(f"DRILLDOWN_TEST_PG_DEMO_DATABASE={prebuilt} holds no marts: run `make pg-suite`'s builds first")
        yield conninfo
        return
    work_dir = tmp_path_factory.mktemp("pg_demo")
    with scratch_database(pg_server) as conninfo:
        load_folder_postgres(conninfo, REPO / "seeds" / "demo")
        build_postgres(conninfo, work_dir)
        yield conninfo


# ---------------------------------------------------------------- reading and comparing tables


def postgres_tables(conninfo: str) -> set[tuple[str, str]]:
    with contextlib.closing(psycopg2.connect(conninfo)) as connection, connection.cursor() as cursor:
        cursor.execute(
            "select table_schema, table_name from information_schema.tables where table_schema = any(%s)", [list(COMPARED_SCHEMAS)]
        )
        return {(schema, name) for schema, name in cursor.fetchall()}


def postgres_rows(conninfo: str, table: tuple[str, str], columns: list[str]) -> tuple[list[str], list[tuple]]:
    with contextlib.closing(psycopg2.connect(conninfo)) as connection, connection.cursor() as cursor:
        cursor.execute(f'select * from "{table[0]}"."{table[1]}"')
        pg_columns = [description[0] for description in cursor.description]
        rows = cursor.fetchall()
    if sorted(pg_columns) != sorted(columns):
        return pg_columns, rows
    order = [pg_columns.index(column) for column in columns]
    return columns, [tuple(row[index] for index in order) for row in rows]


def assert_same_tables(db_path: Path, conninfo: str) -> int:
    """Every table in COMPARED_SCHEMAS exists on both and is equal row for row; returns tables compared."""
    return parity.assert_same_tables(
        db_path, COMPARED_SCHEMAS, postgres_tables(conninfo), lambda table, columns: postgres_rows(conninfo, table, columns), "postgres"
    )


# ---------------------------------------------------------------- the comparison helpers themselves


def test_comparison_catches_differences() -> None:
    columns = ["id", "amount", "rate"]
    duck = [("a", Decimal("1.10"), 0.5), ("b", None, 1 / 3)]
    assert table_differences(columns, duck, [("b", None, 0.3333333333333333), ("a", Decimal("1.1"), 0.5)]) == []
    assert table_differences(columns, duck, [("a", Decimal("1.11"), 0.5), ("b", None, 1 / 3)]) != []  # a cent off
    assert table_differences(columns, duck, [("a", Decimal("1.10"), 0.5), ("b", None, 0.33334)]) != []  # rate off 2e-5
    assert table_differences(columns, duck, [("a", Decimal("1.10"), 0.5), ("b", Decimal("0"), 1 / 3)]) != []  # null vs 0
    assert table_differences(columns, duck, [("a", Decimal("1.10"), 0.5)]) != []  # a row lost
    assert table_differences(["flag"], [(True,)], [(1,)]) != []  # boolean vs number


# ---------------------------------------------------------------- the demo build on both targets


def test_demo_build_is_identical_on_postgres(pg_demo_warehouse: str, demo_warehouse: Path) -> None:
    compared = assert_same_tables(demo_warehouse, pg_demo_warehouse)
    # staging + quarantine + intermediate of the foundation at least; marts add to it.
    assert compared >= 12


def test_docs_catalog_lists_every_mart_on_postgres(pg_demo_warehouse: str, tmp_path: Path) -> None:
    run_dbt_postgres(["docs", "generate"], pg_demo_warehouse, tmp_path)
    assert assert_catalog_lists_every_mart(tmp_path / "target") >= 27


def test_demo_reconciles_on_postgres(pg_demo_warehouse: str) -> None:
    with contextlib.closing(psycopg2.connect(pg_demo_warehouse)) as connection, connection.cursor() as cursor:
        cursor.execute("select entity, rows_read, rows_staged, rows_quarantined, is_reconciled from quarantine.data_reconciliation order by entity")
        reconciliation = cursor.fetchall()
    assert [row[0] for row in reconciliation] == ["campaign_contacts", "campaign_plans", "campaigns", "customers", "order_lines", "orders", "social_mentions"]
    assert all(row[4] for row in reconciliation)
    assert dict((row[0], row[1]) for row in reconciliation)["orders"] == 16352
    with contextlib.closing(psycopg2.connect(pg_demo_warehouse)) as connection, connection.cursor() as cursor:
        cursor.execute("select rows_read, rows_unmatched from quarantine.data_reconciliation where entity = 'social_mentions'")
        assert cursor.fetchone() == (1462, 171)


def test_marts_granted_to_reporting_and_nothing_else(pg_demo_warehouse: str) -> None:
    with contextlib.closing(psycopg2.connect(pg_demo_warehouse)) as connection, connection.cursor() as cursor:
        cursor.execute(
            """
            select table_schema, table_name,
                has_schema_privilege(%(role)s, table_schema, 'usage'),
                has_table_privilege(%(role)s, quote_ident(table_schema) || '.' || quote_ident(table_name), 'select')
            from information_schema.tables
            where table_schema = any(%(schemas)s)
            """,
            {"role": REPORTING_ROLE, "schemas": [*UNGRANTED_SCHEMAS, "marts"]},
        )
        privileges = cursor.fetchall()
    ungranted = [row for row in privileges if row[0] in UNGRANTED_SCHEMAS]
    assert {row[0] for row in ungranted} == set(UNGRANTED_SCHEMAS)
    leaked = [f"{schema}.{name}" for schema, name, usage, select in ungranted if usage or select]
    assert not leaked, f"readable by {REPORTING_ROLE}: {leaked}"
    # The semantic layer's time spine lives in schema semantic, not marts.
    mart_models = sorted(path.stem for path in (REPO / "models" / "marts").rglob("*.sql") if "semantic" not in path.parts)
    marts = {name: usage and select for schema, name, usage, select in privileges if schema == "marts"}
    assert sorted(marts) == mart_models
    unreadable = [name for name, readable in marts.items() if not readable]
    assert not unreadable, f"marts not readable by {REPORTING_ROLE}: {unreadable}"


def test_every_mart_is_a_table_on_postgres(pg_demo_warehouse: str) -> None:
    """dbt replaces a Postgres table in place and drops the old one with cascade, which would drop a view over it
    until the view's own node ran again: on Postgres no mart is a view (decisions.md#marts-that-publish-an-intermediate)."""
    with contextlib.closing(psycopg2.connect(pg_demo_warehouse)) as connection, connection.cursor() as cursor:
        cursor.execute("select table_name, table_type from information_schema.tables where table_schema = 'marts'")
        kinds = dict(cursor.fetchall())
    assert "customer_rfm" in kinds and "recent_repeaters" in kinds
    assert [name for name, kind in kinds.items() if kind != "BASE TABLE"] == []


# ---------------------------------------------------------------- a user's folder loaded with COPY


@pytest.fixture(scope="module")
def pg_dirty_warehouse(
    pg_cli_run: tuple[str, subprocess.CompletedProcess[str]], dirty_warehouse: Path,
) -> tuple[Path, str]:
    """The dirty fixture folder built on both targets as `drilldown.py run` builds it: on Postgres by the CLI
    (pg_cli_run: COPY load, the two builds around the CLV fit), on DuckDB by the session's dirty build."""
    conninfo, result = pg_cli_run
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return dirty_warehouse, conninfo


def test_dirty_folder_is_identical_on_postgres(pg_dirty_warehouse: tuple[Path, str]) -> None:
    """Quarantine reasons, kept copies and reconciliation agree on messy input too."""
    db_path, conninfo = pg_dirty_warehouse
    assert_same_tables(db_path, conninfo)
    with contextlib.closing(psycopg2.connect(conninfo)) as connection, connection.cursor() as cursor:
        cursor.execute("select sum(rows_quarantined), sum(rows_unmatched) from quarantine.data_reconciliation")
        assert cursor.fetchone() == (28, 2)  # 7 order lines + 6 mentions + 15 rows of the other inputs


def _raw_tables(db_path: Path, conninfo: str, table: str) -> tuple[tuple[list[str], list[tuple]], tuple[list[str], list[tuple]]]:
    with duckdb.connect(str(db_path), read_only=True) as connection:
        cursor = connection.execute(f"select * from raw.{table}")
        duck = ([description[0] for description in cursor.description], sorted(cursor.fetchall(), key=repr))
    with contextlib.closing(psycopg2.connect(conninfo)) as connection, connection.cursor() as cursor:
        cursor.execute(f"select * from raw.{table}")
        pg = ([description[0] for description in cursor.description], sorted(cursor.fetchall(), key=repr))
    return duck, pg


def test_postgres_loader_keeps_every_value_and_null(pg_server: str, tmp_path: Path) -> None:
    """COPY loads the same text as the DuckDB loader: lower-cased names, nulls vs empty strings, quotes, commas."""
    data_dir = tmp_path / "input"
    data_dir.mkdir()
    (data_dir / "Orders.csv").write_text(MIXED_ORDERS_CSV, encoding="utf-8")
    with duckdb.connect() as connection:
        connection.execute(
            f"copy (select 'x' as Customer_Id, 'Paid Search' as acquisition_source, null as region) to '{data_dir / 'customers.parquet'}' (format parquet)"
        )
    db_path = tmp_path / "w.duckdb"
    with duckdb.connect(str(db_path)) as connection:
        duck_loaded = load_folder(connection, data_dir)
    with scratch_database(pg_server) as conninfo:
        assert load_folder_postgres(conninfo, data_dir) == duck_loaded == {"orders": 4, "customers": 1}
        for table in ("raw_orders", "raw_customers"):
            duck, pg = _raw_tables(db_path, conninfo, table)
            assert pg == duck
        duck, pg = _raw_tables(db_path, conninfo, "raw_orders")
        assert pg[0] == ["order_id", "customer_id", "ordered_at", "amount", "note"]
        assert [row[4] for row in pg[1]] == ["has, comma", 'say "hi"', None, None]
        assert [row[1] for row in pg[1]] == ["a", None, "b", "c"]
        # A folder that breaks the contract stops before anything is written.
        (data_dir / "Orders.csv").write_text("order_id,customer_id,ordered_at\n1,a,2025-01-01\n", encoding="utf-8")
        with pytest.raises(InputError, match="missing required column"):
            load_folder_postgres(conninfo, data_dir)
        _, pg_after = _raw_tables(db_path, conninfo, "raw_orders")
        assert len(pg_after[1]) == 4


# ---------------------------------------------------------------- one cast, one result on every adapter


EDGE_VALUES = [
    "1", " 12 ", "1.5", "-3", "+4", "1e3", "1E-2", ".5", "5.", "NaN", "Infinity", "inf", "", "abc", "1,5", "0x10", "1_000",
    "12.345678901", "2025-01-02", "2025-1-2", "2025/01/02", "01/02/2025", "2025-01-02 03:04:05", "2025-01-02T03:04:05Z",
    "2025-01-02 03:04:05+02", "2025-01-02 03:04:05.123456", "2025-13-45", "2025-02-29", "now", "today", "epoch",
    "infinity", "Jan 5 2025", "20250102",
]


SPLIT = "-- next query --"


def _compiled_portable_macros(target: str, work_dir: Path, conninfo: str | None) -> tuple[str, str]:
    """parse_raw of every kind over t(v), and count_distinct_over over u(k, a), compiled for a target."""
    casts = ", ".join(f"{{{{ drilldown.parse_raw('v', '{kind}') }}}} as {kind}_value" for kind in ("integer", "decimal", "date", "timestamp", "boolean"))
    sql = f"select {casts} from t\n{SPLIT}\nselect k, a, {{{{ drilldown.count_distinct_over('a', 'k') }}}} as arms from u"
    args = ["compile", "--quiet", "--inline", sql]
    if target == "postgres":
        assert conninfo is not None
        result = run_dbt_postgres(args, conninfo, work_dir)
    else:
        command = dbt_command(args, work_dir, None, json_log=False)
        result = subprocess.run(command, cwd=REPO, env=dbt_env(work_dir / "w.duckdb"), capture_output=True, text=True, check=True)
    compiled = result.stdout[result.stdout.index("select") :]
    cast_sql, window_sql = compiled.split(SPLIT)
    return cast_sql.strip().removesuffix("from t"), window_sql.strip()


# (partition, arm): k1 two arms; k2 one arm twice; k3 one arm and a null; k4 only nulls; k5 three arms and a null.
WINDOW_ROWS = [
    ("k1", "control"), ("k1", "treatment"), ("k2", "a"), ("k2", "a"), ("k3", "a"), ("k3", None),
    ("k4", None), ("k4", None), ("k5", "a"), ("k5", "b"), ("k5", "c"), ("k5", None),
]


@pytest.fixture(scope="module")
def portable_macro_results(pg_demo_warehouse: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[list, list]]:
    """target -> (parse_raw rows per EDGE_VALUES, count_distinct_over rows sorted)."""
    results = {}
    for target in ("duckdb", "postgres"):
        cast_sql, window_sql = _compiled_portable_macros(target, tmp_path_factory.mktemp(target), pg_demo_warehouse)
        if target == "duckdb":
            with duckdb.connect() as connection:
                casts = [connection.execute(f"with t as (select ? as v) {cast_sql.strip()} from t", [value]).fetchone() for value in EDGE_VALUES]
                connection.execute("create table u (k varchar, a varchar)")
                connection.executemany("insert into u values (?, ?)", WINDOW_ROWS)
                windows = sorted(connection.execute(window_sql).fetchall(), key=repr)
        else:
            with contextlib.closing(psycopg2.connect(pg_demo_warehouse)) as connection, connection.cursor() as cursor:
                casts = []
                for value in EDGE_VALUES:
                    cursor.execute(f"with t as (select cast(%s as text) as v) {cast_sql.strip()} from t", [value])
                    casts.append(cursor.fetchone())
                cursor.execute("create temporary table u (k text, a text)")
                cursor.executemany("insert into u values (%s, %s)", WINDOW_ROWS)
                cursor.execute(window_sql)
                windows = sorted(cursor.fetchall(), key=repr)
        results[target] = (casts, windows)
    return results


def test_parse_raw_accepts_the_same_values_on_both(portable_macro_results: dict[str, tuple[list, list]]) -> None:
    duck, pg = portable_macro_results["duckdb"][0], portable_macro_results["postgres"][0]
    by_value = dict(zip(EDGE_VALUES, pg, strict=True))
    assert [(value, *row) for value, row in zip(EDGE_VALUES, pg, strict=True)] == [
        (value, *row) for value, row in zip(EDGE_VALUES, duck, strict=True)
    ]
    # Never the wall clock, never a rounded whole number, never NaN.
    assert by_value["now"] == by_value["today"] == by_value["epoch"] == (None, None, None, None, None)
    assert by_value["1.5"][:2] == (None, Decimal("1.5"))
    assert by_value["NaN"][1] is None
    assert by_value["2025-01-02 03:04:05+02"][3].isoformat() == "2025-01-02T03:04:05"
    assert by_value[" 12 "][:2] == (12, Decimal("12"))


def test_count_distinct_over_counts_non_null_values(portable_macro_results: dict[str, tuple[list, list]]) -> None:
    expected_by_partition = {"k1": 2, "k2": 1, "k3": 1, "k4": 0, "k5": 3}
    expected = sorted(((k, a, expected_by_partition[k]) for k, a in WINDOW_ROWS), key=repr)
    for target in ("duckdb", "postgres"):
        assert [tuple(row) for row in portable_macro_results[target][1]] == expected, target


def test_try_cast_functions_live_in_the_target_schema(pg_demo_warehouse: str) -> None:
    with contextlib.closing(psycopg2.connect(pg_demo_warehouse)) as connection, connection.cursor() as cursor:
        cursor.execute("select n.nspname, p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace where p.proname like 'drilldown_try_cast_%' order by 2")
        functions = cursor.fetchall()
    assert functions == [("public", f"drilldown_try_cast_{kind}") for kind in ("date", "decimal", "integer", "timestamp")]


def cli_env(conninfo: str) -> dict[str, str]:
    """The environment of `drilldown.py run --target postgres` into the database conninfo names."""
    params = parse_dsn(conninfo)
    return {
        **os.environ,
        "DRILLDOWN_PG_HOST": params.get("host", "127.0.0.1"),
        "DRILLDOWN_PG_PORT": params.get("port", "5432"),
        "DRILLDOWN_PG_USER": params.get("user", "drilldown"),
        "DRILLDOWN_PG_PASSWORD": params.get("password", ""),
        "DRILLDOWN_PG_DATABASE": params["dbname"],
    }


def cli_run_postgres(data_dir: Path, out_dir: Path) -> list[str]:
    return [sys.executable, str(REPO / "scripts" / "drilldown.py"), "run", "--data", str(data_dir), "--out", str(out_dir), "--target", "postgres"]


@pytest.fixture(scope="module")
def pg_cli_run(pg_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, subprocess.CompletedProcess[str]]]:
    """`drilldown.py run --target postgres` on the dirty folder in a scratch database: the Postgres side of
    test_dirty_folder_is_identical_on_postgres, then the last good build that
    test_connection_dropped_mid_build_keeps_every_table_whole runs over (pytest runs a file's tests in order, so
    the comparison reads it before that test's failed run)."""
    with scratch_database(pg_server) as conninfo:
        result = subprocess.run(cli_run_postgres(DIRTY, tmp_path_factory.mktemp("pg_cli")),
                                cwd=REPO, capture_output=True, text=True, env=cli_env(conninfo))  # fmt: skip
        yield conninfo, result


def test_cli_run_target_postgres_builds_the_marts(pg_cli_run: tuple[str, subprocess.CompletedProcess[str]]) -> None:
    """`drilldown.py run --target postgres`: COPY load + dbt build on the server, reconciled."""
    conninfo, result = pg_cli_run
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with contextlib.closing(psycopg2.connect(conninfo)) as connection, connection.cursor() as cursor:
        cursor.execute("select entity, rows_read, rows_staged, rows_quarantined from quarantine.data_reconciliation order by entity")
        assert cursor.fetchall() == [
            ("campaign_contacts", 8, 3, 5), ("campaign_plans", 3, 1, 2), ("campaigns", 2, 1, 1), ("customers", 4, 2, 2), ("order_lines", 10, 3, 7), ("orders", 9, 4, 5),
            ("social_mentions", 9, 3, 6),
        ]


# ---------------------------------------------------------------- faults (issue 22)
def _table_counts(cursor: psycopg2.extensions.cursor, schema: str) -> dict[str, int]:
    cursor.execute("select table_name from information_schema.tables where table_schema = %s and table_type = 'BASE TABLE'", [schema])
    counts = {}
    for (name,) in cursor.fetchall():
        cursor.execute(f'select count(*) from "{schema}"."{name}"')
        counts[name] = cursor.fetchone()[0]
    return counts


def test_connection_dropped_mid_build_keeps_every_table_whole(pg_cli_run: tuple[str, subprocess.CompletedProcess[str]], tmp_path: Path) -> None:
    """A run over the last good build loses its connections while dbt swaps in staging.base_shop__orders.

    A BI reader holds the table (an open transaction), so dbt's swap waits on its lock, in the middle of its
    transaction (new table built, rename pending); the test then terminates every backend of the run, as a
    server restart would, until the run ends. The swap rolls back: the reader and every later reader see the
    last good build's rows, every mart is readable as it was, no half-swapped table is left.
    """
    conninfo, first = pg_cli_run
    assert first.returncode == 0
    params = parse_dsn(conninfo)
    reader = psycopg2.connect(conninfo)
    monitor = psycopg2.connect(conninfo)
    monitor.autocommit = True
    try:
        with monitor.cursor() as cursor:
            marts_before = _table_counts(cursor, "marts")
        with reader.cursor() as cursor:  # a transaction that reads the table and stays open: holds its lock
            cursor.execute("select count(*) from staging.base_shop__orders")
            assert cursor.fetchone() == (9,)
        # The demo folder: 4,000+ orders, so a new build would show in the table.
        process = subprocess.Popen(cli_run_postgres(REPO / "seeds" / "demo", tmp_path),
                                   cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli_env(conninfo))  # fmt: skip
        others = "datname = current_database() and pid not in (pg_backend_pid(), %s)"
        with monitor.cursor() as cursor:
            waiting = None
            while waiting is None and process.poll() is None:
                cursor.execute(f"select query from pg_stat_activity where {others} and wait_event_type = 'Lock'", [reader.info.backend_pid])
                waiting = cursor.fetchone()
                time.sleep(0.1)
            assert waiting is not None, process.communicate()
            assert "base_shop__orders" in waiting[0] and "rename" in waiting[0].lower()  # mid-swap
            while process.poll() is None:  # the server drops every connection of the run, also new ones
                cursor.execute(f"select pg_terminate_backend(pid) from pg_stat_activity where {others}", [reader.info.backend_pid])
                time.sleep(0.2)
        stdout, stderr = process.communicate()
        assert process.returncode == 1, stdout[-3000:] + stderr[-3000:]
        where = f"{params.get('host', '127.0.0.1')}:{params.get('port', '5432')}"
        assert stderr.startswith(
            f"error: Postgres at {where}: lost the connection during dbt build (postgres, up to the CLV fit inputs) (at base_shop__orders"
        ), stderr
        assert "server closed the connection unexpectedly" in stderr and "Traceback" not in stderr, stderr
        with reader.cursor() as cursor:
            cursor.execute("select count(*) from staging.base_shop__orders")
            assert cursor.fetchone() == (9,)  # the reader's view never broke
        reader.commit()
        with monitor.cursor() as cursor:
            cursor.execute("select count(*) from staging.base_shop__orders")
            assert cursor.fetchone() == (9,)  # the swap rolled back: still the last good build's table
            cursor.execute("select table_schema, table_name from information_schema.tables where table_name ~ '__dbt_(tmp|backup)$'")
            assert cursor.fetchall() == []
            assert _table_counts(cursor, "marts") == marts_before
    finally:
        reader.close()
        monitor.close()
