"""Issue 22: `drilldown.py run` under the faults a nightly scheduler throws, each injected for real.

Killed runs (SIGKILL, SIGTERM, Ctrl-C twice), two runs into one output folder, a full disk (a small tmpfs as
--out, root only), DuckDB out of memory, and bad input that fails a data test. Builds are small (the dirty
fixture) and faults land early, so only one test builds the whole project. The Postgres faults (server
unreachable, connection dropped mid-build) are in test_postgres.py, where a server runs.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
from conftest import REPO

import build_guard

CLI = REPO / "scripts" / "drilldown.py"
DIRTY = REPO / "tests" / "fixtures" / "dirty"
STAND_IN_CUSTOMERS = 1000


def leftovers(out_dir: Path) -> list[str]:
    return sorted(path.name for path in out_dir.iterdir() if path.name.startswith(".drilldown.building-"))


def start_run(out_dir: Path, data_dir: Path = DIRTY, env: dict[str, str] | None = None, **popen: object) -> subprocess.Popen[str]:
    command = [sys.executable, str(CLI), "run", "--data", str(data_dir), "--out", str(out_dir)]
    return subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, **popen)  # type: ignore[call-overload]


def read_until(process: subprocess.Popen[str], found: Callable[[str], bool]) -> list[str]:
    """stdout lines of a running `run` up to the first line `found` accepts (fails if the run ends first)."""
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line)
        if found(line):
            return lines
    process.wait()
    raise AssertionError(f"run ended ({process.returncode}) before the awaited line:\n{''.join(lines)[-3000:]}{process.stderr.read()[-3000:]}")  # type: ignore[union-attr]


def children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def wait_for_dbt(pid: int) -> int:
    """The dbt process the run started (the CLI's one child while it builds)."""
    for _ in range(100):
        kids = children(pid)
        if kids:
            return kids[0]
        time.sleep(0.05)
    raise AssertionError("the run started no dbt process")


def gone(pid: int, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
            if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                return True  # killed, not yet reaped by its (dead) parent's reaper
        except (ProcessLookupError, FileNotFoundError):
            return True
        time.sleep(0.05)
    return False


def write_stand_in_warehouse(out_dir: Path) -> None:
    """The previous run's warehouse: a real DuckDB file with a marts table (the publish itself is tested in test_cli)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(out_dir / "drilldown.duckdb")) as connection:
        connection.execute("create schema marts")
        connection.execute(f"create table marts.customers as select range as customer_id from range({STAND_IN_CUSTOMERS})")
        connection.execute("checkpoint")


def fingerprint(warehouse: Path) -> tuple[int, str, int]:
    """Inode, bytes and what a reader sees: the published file, unchanged and readable."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        customers = connection.execute("select count(*) from marts.customers").fetchone()[0]
    return warehouse.stat().st_ino, hashlib.sha256(warehouse.read_bytes()).hexdigest(), customers


# ---------------------------------------------------------------------------------------------------
# killed runs
# ---------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def killed_out(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """An output folder with a published warehouse and a run SIGKILLed in the middle of its build."""
    out_dir = tmp_path_factory.mktemp("killed")
    write_stand_in_warehouse(out_dir)
    before = fingerprint(out_dir / "drilldown.duckdb")
    process = start_run(out_dir)
    read_until(process, lambda line: line.startswith("dbt build into"))  # loaded, dbt started: the file is half-built
    dbt_pid = wait_for_dbt(process.pid)
    process.kill()  # the CLI only, as the OOM killer picks one process
    process.communicate()
    return {"out_dir": out_dir, "before": before, "pid": process.pid, "dbt_gone": gone(dbt_pid)}


def test_sigkill_leaves_the_warehouse_and_a_stale_build_file_that_check_reports(killed_out: dict) -> None:
    out_dir: Path = killed_out["out_dir"]
    assert fingerprint(out_dir / "drilldown.duckdb") == killed_out["before"]
    assert killed_out["dbt_gone"]  # dbt died with the CLI: nothing keeps writing into the build file
    stale = leftovers(out_dir)
    assert stale[0] == f".drilldown.building-{killed_out['pid']}.duckdb"
    size = sum((out_dir / name).stat().st_size for name in stale)
    assert size > 0
    result = subprocess.run([sys.executable, str(CLI), "check", "--out", str(out_dir)], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert f"stale build files of killed runs hold {size / 1_000_000:,.1f} MB in {stale[0]}" in result.stdout
    assert f"(runs {killed_out['pid']}, no longer running)" in result.stdout


def test_a_killed_run_not_yet_reaped_counts_as_gone() -> None:
    """A scheduler that has not reaped its killed child leaves a zombie: its build files are stale all the same."""
    child = subprocess.Popen(["sleep", "0"])
    deadline = time.monotonic() + 10
    while Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.kill(child.pid, 0)  # the pid still exists ...
    assert not build_guard.is_running(child.pid)  # ... but the process is gone
    assert build_guard.is_running(os.getpid())
    child.wait()
    assert not build_guard.is_running(child.pid)


@pytest.mark.parametrize(("signals", "code", "message"), [(["SIGTERM"], 143, "stopped by SIGTERM"), (["SIGINT", "SIGINT"], 130, "interrupted (Ctrl-C)")])
def test_sigterm_and_ctrl_c_twice_stop_dbt_and_delete_the_build_file(signals: list[str], code: int, message: str, tmp_path: Path) -> None:
    write_stand_in_warehouse(tmp_path)
    before = fingerprint(tmp_path / "drilldown.duckdb")
    process = start_run(tmp_path, start_new_session=True)  # its own process group, as in a terminal
    read_until(process, lambda line: line.startswith("dbt build into"))
    dbt_pid = wait_for_dbt(process.pid)
    assert leftovers(tmp_path) == [f".drilldown.building-{process.pid}.duckdb"]
    for name in signals:  # Ctrl-C reaches the whole foreground group; twice: the second one while dbt stops
        os.killpg(process.pid, getattr(signal, name))
        time.sleep(0.3)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == code, stderr
    assert stderr.strip() == f"{message}: the build was stopped and this run's build file deleted; nothing was published"
    assert gone(dbt_pid, within=1)
    assert leftovers(tmp_path) == []
    assert fingerprint(tmp_path / "drilldown.duckdb") == before


def test_next_run_removes_stale_build_files_but_never_a_live_pids(killed_out: dict, tmp_path: Path) -> None:
    """Here the next run fails on its input (cheap); test_cli's publish under a reader removes them and publishes."""
    out_dir: Path = killed_out["out_dir"]
    stale = leftovers(out_dir)
    alive = out_dir / f".drilldown.building-{os.getpid()}.duckdb"  # a live process's (ours): never removed
    alive.write_bytes(b"in use")
    (tmp_path / "orders.csv").write_text("order_id,customer_id,ordered_at,amount\n")
    result = subprocess.run([sys.executable, str(CLI), "run", "--data", str(tmp_path), "--out", str(out_dir)],
                            cwd=REPO, capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 1 and "has no rows" in result.stderr
    assert result.stdout.startswith("removed stale build files of killed runs: ")
    assert all(name in result.stdout for name in stale)
    assert leftovers(out_dir) == [alive.name]
    assert fingerprint(out_dir / "drilldown.duckdb") == killed_out["before"]
    alive.unlink()


def test_second_run_into_the_same_folder_refuses_naming_the_running_pid(tmp_path: Path) -> None:
    """Concurrency policy: refuse at once (docs/decisions.md#one-run-per-output-folder); never two publishes."""
    first = start_run(tmp_path)
    read_until(first, lambda line: line.startswith("dbt build into"))
    second = subprocess.run([sys.executable, str(CLI), "run", "--data", str(DIRTY), "--out", str(tmp_path)],
                            cwd=REPO, capture_output=True, text=True)  # fmt: skip
    assert second.returncode == 1
    assert second.stderr.startswith(f"error: {tmp_path}: another drilldown run (pid {first.pid}) is building into this folder")
    assert leftovers(tmp_path) == [f".drilldown.building-{first.pid}.duckdb"]  # the second touched nothing
    check = subprocess.run([sys.executable, str(CLI), "check", "--out", str(tmp_path)], cwd=REPO, capture_output=True, text=True)
    assert f"a run (pid {first.pid}) is building into it now" in check.stdout
    assert "no stale build files" in check.stdout  # a live run's build file is not stale
    first.terminate()
    first.communicate(timeout=60)
    assert first.returncode == 143 and leftovers(tmp_path) == []


# ---------------------------------------------------------------------------------------------------
# a full disk
# ---------------------------------------------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Path]:
    """A tmpfs of request.param MB as the output folder (root only), unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("a full disk is injected with a small tmpfs, which needs root (mount -t tmpfs)")
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={request.param}m", "tmpfs", str(mount_point)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "--lazy", str(mount_point)], check=True)


@pytest.fixture(scope="module")
def large_orders(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An orders file of 300,000 rows (11 MB), larger than the small disk."""
    data_dir = tmp_path_factory.mktemp("large")
    duckdb.sql(
        "copy (select range as order_id, 'c' || (range % 5000) as customer_id, timestamp '2024-01-01' + to_minutes(range) as ordered_at, "
        f"(range % 997) / 10.0 as amount from range(300000)) to '{data_dir / 'orders.csv'}'"
    )
    return data_dir


@pytest.mark.parametrize(
    ("small_disk", "stage"),
    # 3 MB: DuckDB's writes fill it while loading; 8 MB: the load fits, dbt's writes fill it.
    [(3, "load"), (8, "dbt build")],
    indirect=["small_disk"],
)
def test_full_disk_is_one_message_and_the_old_warehouse_stays(small_disk: Path, stage: str, large_orders: Path) -> None:
    write_stand_in_warehouse(small_disk)
    before = fingerprint(small_disk / "drilldown.duckdb")
    process = start_run(small_disk, large_orders if stage == "load" else DIRTY)
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 1, stdout[-2000:] + stderr[-2000:]
    assert ("dbt build into" in stdout) == (stage == "dbt build")
    assert stderr.startswith(f"error: the disk holding {small_disk} is full (No space left on device): the build had written ")
    written = int(stderr.split(" MB (")[1].split(" bytes)")[0].replace(",", ""))
    assert written > 0  # the build file had grown before the disk filled
    assert f"{small_disk / 'drilldown.duckdb'} is untouched" in stderr and "Traceback" not in stderr
    assert leftovers(small_disk) == []
    assert fingerprint(small_disk / "drilldown.duckdb") == before


# ---------------------------------------------------------------------------------------------------
# memory pressure
# ---------------------------------------------------------------------------------------------------
def test_out_of_memory_names_the_model_and_the_knobs(tmp_path: Path) -> None:
    write_stand_in_warehouse(tmp_path)
    before = fingerprint(tmp_path / "drilldown.duckdb")
    # 6MB: enough for dbt's start (2MB is not, always), too little for the first models on 4 threads.
    env = {**os.environ, "DRILLDOWN_DUCKDB_MEMORY_LIMIT": "6MB", "DRILLDOWN_THREADS": "4"}
    process = start_run(tmp_path, env=env)
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 1, stdout[-2000:] + stderr[-2000:]
    # Which models run out first depends on timing: they must be models of the project, named.
    assert stderr.startswith("error: DuckDB ran out of memory building ")
    models = stderr.split("building ")[1].split(" (")[0].split(", ")
    assert models and {model + ".sql" for model in models} <= {path.name for path in (REPO / "models").rglob("*.sql")}
    assert "(DRILLDOWN_DUCKDB_MEMORY_LIMIT=6MB, DRILLDOWN_THREADS=4). Raise DRILLDOWN_DUCKDB_MEMORY_LIMIT" in stderr
    assert f".drilldown.building-{process.pid}.duckdb.tmp next to the build file" in stderr
    assert "Possible solutions" not in stderr and "Traceback" not in stderr  # not DuckDB's raw text
    assert leftovers(tmp_path) == []
    assert fingerprint(tmp_path / "drilldown.duckdb") == before
