"""Run dbt as a subprocess against one DuckDB file, stream its progress, and say what failed.

dbt is started with `--log-format json`; every line is one event. An event carrying `index`/`total`
that is not a start line is a finished node (model, test, seed, unit test), which gives "done / total".
On failure the failing nodes are read from `run_results.json`; errors raised before any node ran
(a compile or parse error) are the log's error-level messages.

dbt runs in its own session and dies with its parent (Linux: PR_SET_PDEATHSIG), so a killed CLI leaves no
dbt behind writing into a build file. Any exception while dbt runs (Ctrl-C, SIGTERM raised by build_guard)
stops dbt as its own Ctrl-C does (it cancels its queries), and kills it if it is not gone within
STOP_GRACE_SECONDS or on a second interrupt.
"""

from __future__ import annotations

import ctypes
import functools
import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

REPO = Path(__file__).resolve().parents[1]
DBT = Path(sys.executable).parent / "dbt"
FAILED_STATUSES = {"error", "fail", "runtime error"}
STOP_GRACE_SECONDS = 15
PR_SET_PDEATHSIG = 1
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


class DbtNotFoundError(Exception):
    """dbt is not installed next to the running Python (the project's .venv)."""


@dataclass
class DbtResult:
    returncode: int
    nodes_done: int = 0
    nodes_total: int = 0
    elapsed_seconds: float = 0.0
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.failures


def dbt_command(
    args: list[str], work_dir: Path, dbt_vars: dict[str, object] | None, json_log: bool = True
) -> list[str]:
    """The dbt command line: this project, target/ and logs/ under work_dir (absolute: dbt runs in the database's
    folder, dbt_process), vars as JSON."""
    log_format = ["--log-format", "json", "--no-use-colors"] if json_log else []
    work_dir = work_dir.absolute()
    command = [str(DBT), *log_format, *args, "--project-dir", str(REPO),
               "--target-path", str(work_dir / "target"), "--log-path", str(work_dir / "logs")]  # fmt: skip
    if dbt_vars:
        command += ["--vars", json.dumps(dbt_vars)]
    return command


def dbt_env(db_path: Path, target: str = "duckdb") -> dict[str, str]:
    """The environment of a dbt run: the project's profiles.yml, pointed at db_path (or the Postgres target)."""
    return {**os.environ, "DBT_PROFILES_DIR": str(REPO), "DRILLDOWN_DUCKDB_PATH": str(db_path), "DRILLDOWN_TARGET": target,
            "DRILLDOWN_MODULE_PATH": str(REPO / "scripts")}  # fmt: skip


def dbt_process(db_path: Path, target: str = "duckdb") -> tuple[Path, dict[str, str]]:
    """The folder a dbt run starts in, and its environment.

    DuckDB: the database's folder, and the profile names the file relative to it, so the profile (path and
    temp_directory) depends on the file's name only. dbt parses the whole project again (~7 s of CPU) whenever
    the profile differs from the one its saved partial parse was made with (the profile hash in
    dbt/parser/manifest.py); so a partial parse made for one folder's warehouse.duckdb serves another folder's
    (conftest.run_dbt). A `drilldown.py run` builds into a file named with its pid (build_guard.build_file), so
    each run still parses in full. Other targets start in the repository, as before.
    """
    db_path = db_path.absolute()
    if target != "duckdb":
        return REPO, dbt_env(db_path, target)
    return db_path.parent, {**dbt_env(db_path, target), "DRILLDOWN_DUCKDB_PATH": db_path.name}


def _progress_line(event: dict, done: int, total: int, elapsed: float) -> str:
    data = event.get("data", {})
    node = data.get("node_info", {})
    status = str(data.get("status") or node.get("node_status") or "").upper()
    name = f"{node.get('resource_type', '')} {node.get('node_name', '')}".strip()
    return f"  [{done:>4}/{total:<4} {elapsed:6.1f}s] {status:<7} {name}"


def _worth_a_line(event: dict, done: int, total: int) -> bool:
    """Every model, seed and snapshot, every test that did not pass, and every 25th node: hundreds of
    passing tests would drown the models."""
    data = event.get("data", {})
    node = data.get("node_info", {})
    is_passing_test = node.get("resource_type") in ("test", "unit_test") and str(data.get("status")).lower() == "pass"
    return not is_passing_test or done % 25 == 0 or done == total


def _failures_from_run_results(path: Path) -> list[str]:
    if not path.exists():
        return []
    results = json.loads(path.read_text()).get("results", [])
    failures = []
    for result in results:
        if result.get("status") in FAILED_STATUSES:
            message = " ".join(str(result.get("message") or "").split())
            failures.append(f"{result.get('unique_id')}: {result.get('status')} - {message[:500]}")
    return failures


def _die_with_parent(parent: int) -> None:
    """In the dbt child before exec: get SIGKILL when the parent dies (also if it died already)."""
    if _LIBC is not None:
        _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def _stop(process: subprocess.Popen[str]) -> None:
    """Stop dbt as Ctrl-C would, wait for it; kill it when it takes too long or on another interrupt."""
    if process.poll() is not None:
        return
    assert process.stdout is not None
    threading.Thread(target=process.stdout.read, daemon=True).start()  # a full pipe must not block dbt's exit
    try:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=STOP_GRACE_SECONDS)
    except (subprocess.TimeoutExpired, KeyboardInterrupt):
        process.kill()
        process.wait()


def run_dbt(
    args: list[str],
    db_path: Path,
    work_dir: Path,
    dbt_vars: dict[str, object] | None = None,
    target: str = "duckdb",
    stream: TextIO | None = sys.stdout,
) -> DbtResult:
    """Run `dbt <args>` on db_path; target/ and logs/ go to work_dir. Progress lines go to `stream`."""
    if not DBT.exists():
        raise DbtNotFoundError(f"{DBT} not found: run `make setup`, then use .venv/bin/python")
    work_dir.mkdir(parents=True, exist_ok=True)
    run_results = work_dir / "target" / "run_results.json"
    run_results.unlink(missing_ok=True)  # a stale file would name the previous run's failures
    cwd, env = dbt_process(db_path, target)
    started = time.monotonic()
    result = DbtResult(returncode=0)
    error_messages: list[str] = []
    other_output: list[str] = []
    with subprocess.Popen(
        dbt_command(args, work_dir, dbt_vars),
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
        start_new_session=True,
        preexec_fn=functools.partial(_die_with_parent, os.getpid()),  # noqa: PLW1509 -- only prctl and getppid
    ) as process:
        try:
            assert process.stdout is not None
            for line in process.stdout:
                try:
                    event = json.loads(line)
                except json.JSONDecodeError:
                    other_output.append(line.rstrip())  # e.g. a Python traceback from a crashing dbt
                    continue
                info = event.get("info", {})
                data = event.get("data", {})
                if info.get("level") == "error":
                    error_messages.append(" ".join(str(info.get("msg", "")).split()))
                name = str(info.get("name", ""))
                total = data.get("total", data.get("num_models"))  # test results call it num_models
                if "index" in data and total is not None and name != "LogStartLine" and "Hook" not in name:
                    result.nodes_done += 1
                    result.nodes_total = int(total)
                    if stream is not None and _worth_a_line(event, result.nodes_done, result.nodes_total):
                        elapsed = time.monotonic() - started
                        print(_progress_line(event, result.nodes_done, result.nodes_total, elapsed), file=stream, flush=True)
        except BaseException:
            _stop(process)  # Ctrl-C, SIGTERM (build_guard.Terminated), any error here
            raise
        result.returncode = process.wait()
    result.elapsed_seconds = time.monotonic() - started
    result.failures = _failures_from_run_results(run_results)
    if result.returncode != 0 and not result.failures:
        result.failures = error_messages or other_output[-20:] or [f"dbt exited with code {result.returncode}"]
    return result
