"""dbt_runner.dbt_process: a DuckDB run starts in the warehouse's folder and names the file relative to it, so dbt's
profile (and its partial parse check) is the same for every folder's warehouse.duckdb; conftest.run_dbt relies on it
to share one partial parse across the session's runs instead of parsing the whole project in each."""

from __future__ import annotations

from pathlib import Path

from conftest import REPO, run_dbt
from dbt_runner import dbt_process


def test_dbt_runs_in_the_warehouse_folder_with_a_relative_file_name(tmp_path: Path) -> None:
    cwd, env = dbt_process(tmp_path / "out" / "warehouse.duckdb")
    assert (cwd, env["DRILLDOWN_DUCKDB_PATH"]) == (tmp_path / "out", "warehouse.duckdb")
    cwd, env = dbt_process(tmp_path / "out" / "warehouse.duckdb", target="postgres")
    assert cwd == REPO  # other targets start in the repository, as before


def test_a_partial_parse_serves_a_warehouse_of_the_same_name_in_another_folder(tmp_path: Path) -> None:
    run_dbt(["parse"], tmp_path / "a" / "warehouse.duckdb", tmp_path / "a")  # leaves the session's partial parse
    run_dbt(["parse"], tmp_path / "b" / "warehouse.duckdb", tmp_path / "b")
    log = (tmp_path / "b" / "logs" / "dbt.log").read_text()
    assert "Unable to do partial parsing" not in log
    assert "Partial parsing enabled, no changes found, skipping parsing" in log
