"""Shared fixtures: build the dbt project into throw-away DuckDB files through a dbt subprocess."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

from dbt_runner import dbt_command, dbt_process  # noqa: E402
from drilldown import BUILD_ARGS  # noqa: E402 -- the arguments of `drilldown.py run`'s dbt build
from load_input import load_folder  # noqa: E402


def _session_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's folder, shared by its xdist workers (each worker's own folder is inside it)."""
    root = tmp_path_factory.getbasetemp()
    return root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root


# dbt parses the whole project (~700 nodes, ~7 s of CPU more than a partial parse) unless its target/ holds a
# partial parse made with the same vars and profile (dbt checks both, and every project file). The profile differs
# only with the warehouse's file name (dbt_runner.dbt_process), so the first run of each file name and vars in the
# session leaves its partial_parse.msgpack in this folder, shared by the xdist workers, and later runs start from a
# copy of it.
_partial_parse_dir: Path | None = None


@pytest.fixture(scope="session", autouse=True)
def _partial_parse_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    global _partial_parse_dir  # noqa: PLW0603 -- set once per session, read by run_dbt
    _partial_parse_dir = _session_dir(tmp_path_factory) / "dbt-partial-parse"
    _partial_parse_dir.mkdir(exist_ok=True)


def _shared_partial_parse(db_path: Path, dbt_vars: dict[str, object] | None) -> Path | None:
    """The session's partial parse for runs on a file named as db_path with these vars (None outside a session)."""
    if _partial_parse_dir is None:
        return None
    key = hashlib.sha256(json.dumps([db_path.name, dbt_vars or {}], sort_keys=True).encode()).hexdigest()[:16]
    return _partial_parse_dir / f"{key}.msgpack"


def run_dbt(
    args: list[str],
    db_path: Path,
    work_dir: Path,
    dbt_vars: dict[str, object] | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run one dbt command against db_path; target/logs go to work_dir so tests do not share state (but for the
    partial parse they start from, _shared_partial_parse)."""
    command = dbt_command(args, work_dir, dbt_vars, json_log=False)
    cwd, env = dbt_process(db_path)
    saved = _shared_partial_parse(db_path, dbt_vars)
    own = work_dir / "target" / "partial_parse.msgpack"
    own.parent.mkdir(parents=True, exist_ok=True)
    if saved is not None and saved.exists():
        shutil.copyfile(saved, own)
    else:
        own.unlink(missing_ok=True)  # so that a file found after the run is this run's
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if saved is not None and not saved.exists() and own.exists():
        partial = saved.with_name(f"{saved.name}.{os.getpid()}")
        shutil.copyfile(own, partial)
        os.replace(partial, saved)  # whole or absent for the other worker
    if check and result.returncode != 0:
        raise AssertionError(f"dbt {' '.join(args)} failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}")
    return result


def build_folder(
    data_dir: Path,
    work_dir: Path,
    dbt_vars: dict[str, object] | None = None,
    check: bool = True,
    select: list[str] | None = None,
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Load an input folder into a fresh warehouse and `dbt build` the project on it, as `drilldown.py run` builds
    it: models and data tests, not the unit tests (their fixtures do not depend on the folder; `make dbt-test`
    runs them, and they took a third of a small folder's build)."""
    work_dir.mkdir(parents=True, exist_ok=True)
    db_path = work_dir / "warehouse.duckdb"
    with duckdb.connect(str(db_path)) as connection:
        load_folder(connection, data_dir)
    args = list(BUILD_ARGS)
    if select:
        # dbt_project.yml sets indirect_selection: cautious, so no test of an unbuilt model runs.
        args += ["--select", *select]
    return run_dbt(args, db_path, work_dir, dbt_vars, check=check), db_path


# An orders file with mixed-case headers, a quoted comma, escaped quotes, an empty string and a missing value:
# the loaders of every target must keep each as the DuckDB loader does (test_postgres.py, test_spark.py).
MIXED_ORDERS_CSV = (
    'Order_ID,CUSTOMER_ID,ordered_at,Amount,note\n1,a,2025-01-01,10.00,"has, comma"\n2,,2025-01-02,5,"say ""hi"""\n'
    '3,b,2025-01-03,7,""\n4,c,2025-01-04,8,\n'
)


def query(db_path: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(db_path), read_only=True) as connection:
        return connection.execute(sql).df()


def rows(db_path: Path, sql: str) -> list[tuple]:
    """Plain Python values (None for NULL), for exact comparisons."""
    with duckdb.connect(str(db_path), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def _built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], object]) -> Path:
    """A warehouse built once per session, by the first xdist worker that needs it (the others wait for it), then
    copied into this worker's own folder, so no test can change the file another worker reads. build(work_dir)
    writes work_dir/warehouse.duckdb and raises if it fails (the next worker then tries again)."""
    shared = _session_dir(tmp_path_factory) / f"built-{name}"
    with shared.with_name(f"built-{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when closed, also when this worker dies
        if not shared.exists():
            building = shared.with_name(f"{shared.name}.{os.getpid()}")
            build(building)
            building.rename(shared)
    db_path = tmp_path_factory.mktemp(name) / "warehouse.duckdb"
    shutil.copyfile(shared / "warehouse.duckdb", db_path)
    return db_path


def _build_demo(work_dir: Path) -> None:
    work_dir.mkdir(parents=True)
    db_path = work_dir / "warehouse.duckdb"
    run_dbt(["seed", "--select", "path:seeds/demo"], db_path, work_dir)
    run_dbt(["build", "--exclude", "path:seeds/demo"], db_path, work_dir)


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The whole project built once per session on the bundled demo seeds (_built_once).

    `make test` has just built exactly that (`make dbt-test`) and names it in DRILLDOWN_TEST_DEMO_WAREHOUSE: a copy
    of it is used then (a copy, so no test can change the file another worker reads)."""
    prebuilt = os.environ.get("DRILLDOWN_TEST_DEMO_WAREHOUSE")
    if not prebuilt:
        yield _built_once(tmp_path_factory, "demo", _build_demo)
        return
    if not Path(prebuilt).is_file():
        raise AssertionError(f"DRILLDOWN_TEST_DEMO_WAREHOUSE={prebuilt} does not exist: run `make dbt-test` first")
    db_path = tmp_path_factory.mktemp("demo") / "warehouse.duckdb"
    shutil.copyfile(prebuilt, db_path)
    yield db_path


@pytest.fixture(scope="session")
def dirty_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole project built once on tests/fixtures/dirty (a messy folder: every quarantine reason)."""
    dirty = REPO / "tests" / "fixtures" / "dirty"
    return _built_once(tmp_path_factory, "dirty", lambda work_dir: build_folder(dirty, work_dir))


@pytest.fixture(scope="session")
def demo_raw() -> dict[str, pd.DataFrame]:
    """The demo seed files read with pandas, as text, for independent computations."""
    return {
        name: pd.read_csv(REPO / "seeds" / "demo" / f"raw_{name}.csv", dtype=str, keep_default_na=False, na_values=[""])
        for name in ("orders", "customers", "campaigns", "campaign_contacts", "campaign_plans", "order_lines", "social_mentions")
    }


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgres: needs a Postgres server (DRILLDOWN_PG_*); `make test-postgres` starts one")
    config.addinivalue_line("markers", "spark: needs pyspark and a Spark warehouse (DRILLDOWN_SPARK_DIR); `make test-spark` builds one")
