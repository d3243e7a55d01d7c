"""Issue 7: scripts/drilldown.py end to end (run, report, check), atomic publish, bad input, exit codes."""

from __future__ import annotations

import csv
import json
import math
import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from conftest import REPO
from openpyxl import load_workbook

from dbt_runner import _failures_from_run_results

CLI = REPO / "scripts" / "drilldown.py"
DIRTY = REPO / "tests" / "fixtures" / "dirty"
NUMERIC_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "DOUBLE", "FLOAT", "DECIMAL")


def drilldown(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(CLI), *map(str, args)], cwd=REPO, capture_output=True, text=True)


def drilldown_ok(*args: str | Path) -> subprocess.CompletedProcess[str]:
    result = drilldown(*args)
    assert result.returncode == 0, f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result


@pytest.fixture(scope="module")
def generated_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("generated")
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "generate_demo_data.py"), "--customers", "300", "--out", str(data_dir)],
        check=True, capture_output=True,
    )
    return data_dir


@pytest.fixture(scope="module")
def published(generated_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    out_dir = tmp_path_factory.mktemp("out")
    return out_dir, drilldown_ok("run", "--data", generated_data, "--out", out_dir)


def leftovers(out_dir: Path) -> list[str]:
    return sorted(path.name for path in out_dir.iterdir() if "building" in path.name or path.name.endswith(".wal"))


def table_fingerprint(connection: duckdb.DuckDBPyConnection) -> tuple:
    return connection.execute(
        "select (select cast(as_of_date as varchar) from staging.base_as_of_date), "
        "(select count(*) from staging.stg_shop__orders), (select cast(sum(amount) as varchar) from staging.stg_shop__orders)"
    ).fetchone()


def test_run_streams_progress_and_publishes(published: tuple[Path, subprocess.CompletedProcess[str]], generated_data: Path) -> None:
    out_dir, result = published
    progress = [line for line in result.stdout.splitlines() if line.startswith("  [")]
    done, total = progress[-1].split("]")[0].strip(" [").split()[0].split("/")
    assert done == total and int(total) > 20
    # Every model and seed gets a line; passing tests only every 25th node.
    assert any(line.endswith(" model stg_shop__orders") for line in progress)
    assert any(line.endswith(" seed rfm_segments") for line in progress)
    assert len(progress) < int(total)
    assert "warehouse published" in result.stdout
    assert leftovers(out_dir) == []
    # Rows read per entity = the generated files' data lines, counted independently.
    with duckdb.connect(str(out_dir / "drilldown.duckdb"), read_only=True) as connection:
        read = dict(connection.execute("select entity, rows_read from quarantine.data_reconciliation").fetchall())
    for entity in ("orders", "customers", "campaigns", "campaign_contacts"):
        with open(generated_data / f"raw_{entity}.csv") as handle:
            assert read[entity] == sum(1 for _ in handle) - 1


def _csv_sum(path: Path, column: str) -> Decimal:
    with open(path, newline="") as handle:
        return sum((Decimal(row[column]) for row in csv.DictReader(handle) if row[column] not in ("", "nan")), Decimal(0))


def test_report_files_equal_the_marts(published: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    out_dir, _ = published
    drilldown_ok("report", "--out", out_dir)
    reports = out_dir / "reports"
    workbook = load_workbook(reports / "drilldown.xlsx", read_only=True)
    html = (reports / "report.html").read_text()
    with duckdb.connect(str(out_dir / "drilldown.duckdb"), read_only=True) as connection:
        tables = connection.execute(
            "select table_schema, table_name from information_schema.tables where table_schema = 'marts' "
            "union all select 'quarantine', 'data_reconciliation'"
        ).fetchall()
        assert {path.stem for path in (reports / "csv").iterdir()} == {name for _, name in tables}
        for schema, name in tables:
            count = connection.execute(f'select count(*) from "{schema}"."{name}"').fetchone()[0]
            with open(reports / "csv" / f"{name}.csv", newline="") as handle:
                assert sum(1 for _ in csv.reader(handle)) == count + 1, name
            assert pq.read_metadata(reports / "parquet" / f"{name}.parquet").num_rows == count, name
            assert sum(1 for _ in workbook[name[:31]].iter_rows()) == count + 1, name
            assert f"{schema}.{name}</td><td>{count:,}</td>" in html
            for column, column_type in connection.execute(f'select column_name, column_type from (describe "{schema}"."{name}")').fetchall():
                if not column_type.upper().startswith(NUMERIC_TYPES):
                    continue
                expected = connection.execute(f'select cast(sum("{column}") as varchar) from "{schema}"."{name}"').fetchone()[0]
                if expected is None or expected in ("nan", "inf", "-inf"):
                    continue
                parquet_total = sum(v for v in pq.read_table(reports / "parquet" / f"{name}.parquet").column(column).to_pylist() if v is not None)
                if column_type.upper().startswith(("DOUBLE", "FLOAT")):
                    assert math.isclose(float(_csv_sum(reports / "csv" / f"{name}.csv", column)), float(expected), rel_tol=1e-9)
                    assert math.isclose(float(parquet_total), float(expected), rel_tol=1e-9)
                else:  # integers and decimals: exact to the cent
                    assert _csv_sum(reports / "csv" / f"{name}.csv", column) == Decimal(expected), (name, column)
                    assert Decimal(str(parquet_total)) == Decimal(expected), (name, column)
    # The reconciliation, checked against the generated files in the test above, in the workbook too.
    sheet = list(workbook["data_reconciliation"].iter_rows(values_only=True))
    assert sheet[0][:4] == ("entity", "rows_read", "rows_staged", "rows_quarantined")


def test_reader_keeps_a_consistent_view_while_a_new_build_is_published(
    published: tuple[Path, subprocess.CompletedProcess[str]], generated_data: Path
) -> None:
    out_dir, _ = published
    warehouse = out_dir / "drilldown.duckdb"
    old_inode = warehouse.stat().st_ino
    # Build files of a killed run (a pid that is gone): the run removes them before it builds (test_faults.py).
    killed = subprocess.Popen(["true"])
    killed.wait()
    for suffix in ("", ".wal"):
        (out_dir / f".drilldown.building-{killed.pid}.duckdb{suffix}").write_bytes(b"stale")
    reader = duckdb.connect(str(warehouse), read_only=True)
    before = table_fingerprint(reader)
    process = subprocess.Popen(
        [sys.executable, str(CLI), "run", "--data", str(generated_data), "--out", str(out_dir), "--as-of", "2025-06-30"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    reads = 0
    while process.poll() is None:
        assert table_fingerprint(reader) == before  # never half a build, never an error
        reads += 1
        time.sleep(0.2)
    stdout, stderr = process.communicate()
    assert process.returncode == 0, stdout[-3000:] + stderr[-3000:]
    assert stdout.startswith(f"removed stale build files of killed runs: 0.0 MB in .drilldown.building-{killed.pid}.duckdb, ")
    assert reads > 5
    assert table_fingerprint(reader) == before  # the open connection still reads the old file whole
    reader.close()
    assert warehouse.stat().st_ino != old_inode
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        after = table_fingerprint(connection)
    assert after[0] == "2025-06-30" and before[0] != "2025-06-30"
    assert after[1] < before[1]  # orders after the as-of date are quarantined in the new build
    assert leftovers(out_dir) == []


def test_failing_build_leaves_the_published_warehouse(published: tuple[Path, subprocess.CompletedProcess[str]], generated_data: Path) -> None:
    out_dir, _ = published
    warehouse = out_dir / "drilldown.duckdb"
    inode = warehouse.stat().st_ino
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        before = table_fingerprint(connection)
    result = drilldown("run", "--data", generated_data, "--out", out_dir, "--var", "as_of_date=not-a-date")
    assert result.returncode == 1
    assert "model base_as_of_date" in result.stderr
    assert "is untouched" in result.stderr
    assert "Traceback" not in result.stderr
    assert warehouse.stat().st_ino == inode
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        assert table_fingerprint(connection) == before
    assert leftovers(out_dir) == []


def test_failed_nodes_are_read_from_run_results(tmp_path: Path) -> None:
    run_results = tmp_path / "run_results.json"
    run_results.write_text(json.dumps({"results": [
        {"unique_id": "model.drilldown.ok", "status": "success", "message": "OK"},
        {"unique_id": "test.drilldown.unique_x", "status": "fail", "message": "Got 3 results,\n configured to fail if != 0"},
        {"unique_id": "model.drilldown.broken", "status": "error", "message": "Binder Error: column y not found"},
    ]}))
    assert _failures_from_run_results(run_results) == [
        "test.drilldown.unique_x: fail - Got 3 results, configured to fail if != 0",
        "model.drilldown.broken: error - Binder Error: column y not found",
    ]


BAD_ORDERS = {
    "missing_column": (b"order_id,customer_id,ordered_at\n1,a,2025-01-01\n", "missing required column(s) amount"),
    "empty_file": (b"", "the file is empty"),
    "semicolons": (b"order_id;customer_id;ordered_at;amount\n1;a;2025-01-01;10.00\n", "looks semicolon-separated"),
    "not_utf8": (b"order_id,customer_id,ordered_at,amount\n1,J\xf6rg,2025-01-01,10.00\n", "not UTF-8 encoded"),
    "no_rows": (b"order_id,customer_id,ordered_at,amount\n", "has no rows"),
}


@pytest.mark.parametrize("case", sorted(BAD_ORDERS))
def test_bad_input_is_one_clear_message_and_exit_1(case: str, tmp_path: Path) -> None:
    content, message = BAD_ORDERS[case]
    data_dir = tmp_path / "input"
    data_dir.mkdir()
    (data_dir / "orders.csv").write_bytes(content)
    out_dir = tmp_path / "out"
    result = drilldown("run", "--data", data_dir, "--out", out_dir)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.startswith(f"error: {data_dir / 'orders.csv'}: ")
    assert message in result.stderr
    assert not (out_dir / "drilldown.duckdb").exists() and leftovers(out_dir) == []


def test_missing_input_folder_and_missing_warehouse(tmp_path: Path) -> None:
    result = drilldown("check", "--data", tmp_path / "nope")
    assert (result.returncode, result.stderr.strip()) == (1, f"error: {tmp_path / 'nope'}: input folder not found")
    result = drilldown("report", "--out", tmp_path)
    assert result.returncode == 1 and "drilldown.duckdb not found" in result.stderr


def test_check_prints_rows_read_valid_quarantined_and_reasons() -> None:
    result = drilldown_ok("check", "--data", DIRTY)
    lines = {line.split()[0]: line.split() for line in result.stdout.splitlines() if line and line.split()[0] in
             ("orders", "customers", "campaigns", "campaign_contacts")}
    # The dirty fixture (test_foundation.py): orders 9 read, 4 valid, 5 quarantined for five different reasons.
    assert lines["orders"][1:4] == ["9", "4", "5"]
    assert lines["customers"][1:4] == ["4", "2", "2"]
    assert lines["campaign_contacts"][1:5] == ["8", "3", "5", "contact_in_multiple_arms"]
    assert "(2)" in lines["campaign_contacts"][5]


def test_postgres_target_unreachable_is_a_clear_error(tmp_path: Path) -> None:
    """--target postgres loads with COPY into the DRILLDOWN_PG_* server; no server there -> one message, exit 1.
    (The successful path is tested against a real server in test_postgres.py.)"""
    env = {**os.environ, "DRILLDOWN_PG_HOST": "127.0.0.1", "DRILLDOWN_PG_PORT": "1"}
    result = subprocess.run(
        [sys.executable, str(CLI), "run", "--data", str(DIRTY), "--out", str(tmp_path), "--target", "postgres"],
        cwd=REPO, capture_output=True, text=True, env=env,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("error: Postgres at 127.0.0.1:1: cannot connect during loading the input folder: ")
    assert "Connection refused" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["run", "report", "check", "demo"])
def test_help_on_each_command(command: str) -> None:
    result = drilldown_ok(command, "--help")
    assert result.stdout.startswith(f"usage: drilldown {command}")


@pytest.mark.parametrize(
    "args",
    [[], ["run"], ["run", "--data", "x", "--as-of", "2025-02-30"], ["frobnicate"], ["run", "--data", "x", "--var", "novalue"]],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = drilldown(*args)
    assert result.returncode == 2
    assert "usage: drilldown" in result.stderr and "Traceback" not in result.stderr


# ---------------------------------------------------------------- --var KEY=VALUE (values read as YAML, as dbt's --vars)
@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("rollout_min_contacts_per_arm=50", ("rollout_min_contacts_per_arm", 50)),
        ("ltv_window_months=[1,2]", ("ltv_window_months", [1, 2])),
        ("ltv_window_months=[1, 2, 24]", ("ltv_window_months", [1, 2, 24])),
        ("clv_annual_discount_rate=0.05", ("clv_annual_discount_rate", 0.05)),
        (" campaign_response_window_days = 14 ", ("campaign_response_window_days", 14)),
        ("as_of_date=2025-06-30", ("as_of_date", "2025-06-30")),  # a date stays text: dbt vars travel as JSON
        ("label=spring sale", ("label", "spring sale")),
        ("label='50'", ("label", "50")),
        ("flag=true", ("flag", True)),
        ("empty=", ("empty", None)),
    ],
)
def test_var_values_are_read_as_yaml(item: str, expected: tuple[str, object]) -> None:
    import drilldown as cli

    args = cli.parser().parse_args(["run", "--data", "x", "--var", item])
    assert args.var == [expected]
    assert type(args.var[0][1]) is type(expected[1])
    assert cli._dbt_vars(None, args.var) == {expected[0]: expected[1]}


def test_malformed_var_value_exits_2_naming_it() -> None:
    result = drilldown("run", "--data", "x", "--var", "ltv_window_months=[1,2")
    assert result.returncode == 2
    assert "--var ltv_window_months: not a YAML value" in result.stderr and "'[1,2'" in result.stderr
    assert "Traceback" not in result.stderr


def test_numeric_and_list_vars_reach_the_build(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    drilldown_ok("run", "--data", DIRTY, "--out", out_dir, "--var", "ltv_window_months=[1,2]",
                 "--var", "rollout_min_contacts_per_arm=50", "--var", "clv_horizon_days=[90, 180]")  # fmt: skip
    with duckdb.connect(str(out_dir / "drilldown.duckdb"), read_only=True) as connection:
        def columns(table: str, prefix: str) -> list[str]:
            rows = connection.execute(
                "select column_name from information_schema.columns where table_schema = 'marts' and table_name = ?"
                " order by ordinal_position", [table]
            ).fetchall()
            return [name for (name,) in rows if name.startswith(prefix)]

        windows = connection.execute("select distinct window_months from marts.customer_value_windows order by 1").fetchall()
        horizons = columns("customer_clv", "expected_orders_")
    assert windows == [(1,), (2,)]
    assert horizons == ["expected_orders_next_90d", "expected_orders_next_180d"]


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (["latency_trip_wire_percentile=0"], "var latency_trip_wire_percentile must be null or a number > 0 and < 1, got 0"),
        (["clv_horizon_days=[30, 365]"], "var clv_horizon_days must include 90"),
        # A rule between two vars: checked by the on-run-start hook, before any model runs.
        (["latency_heavy_min_purchases=4", "latency_moderate_min_purchases=4"],
         "var latency_heavy_min_purchases must be greater than latency_moderate_min_purchases, got 4 and 4"),
        (["rollout_multiple_testing=bonferroni"], "var rollout_multiple_testing must be one of holm, bh, none, got bonferroni"),
        (["revenue_cap_percentile=1"],
         "var revenue_cap_percentile must be null or a number >= 0.5 and < 1 (e.g. 0.999 caps at the 99.9th percentile; null = no capping), got 1"),
    ],
)
def test_bad_var_stops_the_run_naming_it(items: list[str], message: str, tmp_path: Path) -> None:
    args = [argument for item in items for argument in ("--var", item)]
    result = drilldown("run", "--data", DIRTY, "--out", tmp_path / "out", *args)
    assert result.returncode == 1
    assert message in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "drilldown.duckdb").exists()
