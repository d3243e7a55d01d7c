"""Runs that survive faults: one run per output folder, stale build files, signals, clear messages.

- One run per output folder: `run` holds an advisory `fcntl.flock` on OUT/.drilldown.lock for its whole
  length; a second run into the same folder refuses at once, naming the pid that holds it (the kernel drops
  the lock when that process dies, however it dies). See docs/decisions.md#one-run-per-output-folder.
- Build files of killed runs (`.drilldown.building-<pid>.duckdb`, its `.wal` and its `.tmp` spill folder) are
  stale once their pid is gone: the next run removes them, `check` reports them and the space they hold.
- SIGTERM is raised as `Terminated` (a KeyboardInterrupt, as Ctrl-C is), so the same clean-up runs: dbt is
  stopped (dbt_runner), this run's build file is deleted, the exit code is 143 (130 for Ctrl-C).
- A full disk, DuckDB out of memory and a lost Postgres connection are told in one message each
  instead of dbt's raw error list.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import functools
import os
import re
import shutil
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

LOCK_NAME = ".drilldown.lock"
LOCK_ATTEMPTS, LOCK_RETRY_SECONDS = 10, 0.1
BUILD_FILE = re.compile(r"^\.drilldown\.building-(?P<pid>\d+)\.duckdb(?:\.wal|\.tmp)?$")
BUILD_FILE_SUFFIXES = ("", ".wal", ".tmp")  # the database, its write-ahead log, DuckDB's spill folder
DISK_FULL_MARKERS = ("no space left on device", "[errno 28]")  # ENOSPC as DuckDB, Python and dbt word it
OUT_OF_MEMORY_MARKER = "out of memory error"
CONNECTION_REFUSED_MARKERS = ("connection refused", "could not connect", "could not translate host name", "timeout expired")
CONNECTION_LOST_MARKERS = (
    "server closed the connection unexpectedly",
    "terminating connection due to administrator command",
    "connection already closed",
    "ssl connection has been closed unexpectedly",
)
FAILED_NODE_PREFIX = re.compile(r"^(?:model|seed|snapshot|test)\.\S+: [a-z ]+ - ")
FAILED_NODE = re.compile(r"^(?:model|seed|snapshot|test)\.[^.]+\.(?P<name>[^:.]+)")


class OutputBusyError(Exception):
    """Another live run holds the output folder's lock."""


class Terminated(KeyboardInterrupt):
    """SIGTERM: handled like Ctrl-C (dbt stopped, build file deleted), exit code 143."""


# ---------------------------------------------------------------------------------------------------
# build files
# ---------------------------------------------------------------------------------------------------
def build_file(out_dir: Path) -> Path:
    """This run's build file: OUT/.drilldown.building-<pid>.duckdb."""
    return out_dir / f".drilldown.building-{os.getpid()}.duckdb"


def _parts(database: Path) -> list[Path]:
    return [database.with_name(database.name + suffix) for suffix in BUILD_FILE_SUFFIXES]


def bytes_on_disk(paths: Sequence[Path]) -> int:
    """Bytes held by files and folders (a folder: everything under it); missing paths count 0."""
    total = 0
    for path in paths:
        if path.is_dir():
            total += sum(item.stat().st_size for item in path.rglob("*") if item.is_file())
        elif path.exists():
            total += path.stat().st_size
    return total


def _remove(paths: Sequence[Path]) -> None:
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """A second Ctrl-C or SIGTERM during clean-up waits until the clean-up is done."""
    blocked = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def remove_build_file(database: Path) -> int:
    """Delete a build file with its .wal and .tmp; returns the bytes they held."""
    parts = _parts(database)
    with _signals_deferred():
        held = bytes_on_disk(parts)
        _remove(parts)
    return held


def is_running(pid: int) -> bool:
    """Whether pid is a live process (a zombie, killed but not yet reaped by its parent, is not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, another user's
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True  # no /proc (not Linux): os.kill said it exists
    return state != "Z"


@dataclass(frozen=True)
class StaleBuild:
    pid: int
    paths: tuple[Path, ...]
    bytes: int


def stale_builds(out_dir: Path) -> list[StaleBuild]:
    """Build files in out_dir whose run is gone: pid not running and not ours."""
    if not out_dir.is_dir():
        return []
    by_pid: dict[int, list[Path]] = {}
    for path in out_dir.iterdir():
        match = BUILD_FILE.match(path.name)
        if match:
            by_pid.setdefault(int(match["pid"]), []).append(path)
    return [
        StaleBuild(pid, tuple(sorted(paths)), bytes_on_disk(paths))
        for pid, paths in sorted(by_pid.items())
        if pid != os.getpid() and not is_running(pid)
    ]


def remove_stale_builds(out_dir: Path) -> list[StaleBuild]:
    stale = stale_builds(out_dir)
    with _signals_deferred():
        for build in stale:
            _remove(build.paths)
    return stale


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB"


def describe_stale(stale: Sequence[StaleBuild]) -> str:
    files = ", ".join(path.name for build in stale for path in build.paths)
    pids = ", ".join(str(build.pid) for build in stale)
    return f"{megabytes(sum(build.bytes for build in stale))} in {files} (runs {pids}, no longer running)"


# ---------------------------------------------------------------------------------------------------
# one run per output folder
# ---------------------------------------------------------------------------------------------------
def _holder(lock_file: Path) -> str:
    with contextlib.suppress(OSError):
        return lock_file.read_text().strip() or "unknown"
    return "unknown"


def _try_lock(descriptor: int, mode: int, attempts: int = 1) -> bool:
    """flock without waiting, a few times: `check` probes the lock for a moment, which must not refuse a run."""
    for attempt in range(attempts):
        try:
            fcntl.flock(descriptor, mode | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if attempt + 1 < attempts:
                time.sleep(LOCK_RETRY_SECONDS)
    return False


@contextlib.contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Hold OUT/.drilldown.lock (flock, exclusive) or raise OutputBusyError naming its holder.

    The lock file is never deleted: a run that deleted it could let the next two runs lock two different files.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    lock_file = out_dir / LOCK_NAME
    descriptor = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _try_lock(descriptor, fcntl.LOCK_EX, attempts=LOCK_ATTEMPTS):
            holder = _holder(lock_file)
            raise OutputBusyError(
                f"{out_dir}: another drilldown run (pid {holder}) is building into this folder; it publishes when it "
                f"is done. Run again after it ends, or stop it (kill {holder}); two runs never publish at once."
            )
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(descriptor)  # releases the lock


def running_holder(out_dir: Path) -> str | None:
    """The pid of the run building into out_dir now, or None."""
    lock_file = out_dir / LOCK_NAME
    if not lock_file.exists():
        return None
    descriptor = os.open(lock_file, os.O_RDONLY)
    try:
        return None if _try_lock(descriptor, fcntl.LOCK_SH) else _holder(lock_file)
    finally:
        os.close(descriptor)


Handler = TypeVar("Handler", bound=Callable[..., int])


def one_run_per_output_folder(handler: Handler) -> Handler:
    """Decorate a command taking args.out: hold the folder's lock, remove stale build files, run the command."""

    @functools.wraps(handler)
    def guarded(args: Any) -> int:
        with output_lock(args.out):
            removed = remove_stale_builds(args.out)
            if removed:
                print(f"removed stale build files of killed runs: {describe_stale(removed)}", flush=True)
            return handler(args)

    return guarded  # type: ignore[return-value]


# ---------------------------------------------------------------------------------------------------
# signals
# ---------------------------------------------------------------------------------------------------
_HANDLER_PID = 0  # the process that installed the handlers; a forked child (before its exec) just exits


def _raise_terminated(signum: int, frame: object) -> None:
    if os.getpid() != _HANDLER_PID:  # e.g. dbt's child between fork and exec: Python at-fork code must not see it
        os._exit(128 + signum)
    raise Terminated(signal.Signals(signum).name)


def _raise_interrupt(signum: int, frame: object) -> None:
    if os.getpid() != _HANDLER_PID:
        os._exit(128 + signum)
    raise KeyboardInterrupt


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM raises Terminated and SIGINT KeyboardInterrupt in this process only. A child forked to start dbt
    gets the signal too when it arrives before the child's setsid (the whole process group is signalled), and
    would otherwise raise inside Python's at-fork handlers ("Exception ignored in ... Random.seed")."""
    global _HANDLER_PID
    _HANDLER_PID = os.getpid()
    previous_term = signal.signal(signal.SIGTERM, _raise_terminated)
    previous_int = signal.signal(signal.SIGINT, _raise_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous_term)
        signal.signal(signal.SIGINT, previous_int)


def interrupt_exit_code(interrupt: KeyboardInterrupt) -> int:
    """130 for Ctrl-C, 143 for SIGTERM; the clean-up is done, so further signals are ignored while we exit."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    return 128 + (signal.SIGTERM if isinstance(interrupt, Terminated) else signal.SIGINT)


# ---------------------------------------------------------------------------------------------------
# messages for faults
# ---------------------------------------------------------------------------------------------------
def is_disk_full(error: BaseException) -> bool:
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return True
    text = str(error).lower()
    return any(marker in text for marker in DISK_FULL_MARKERS)


def _failing_nodes(failures: Sequence[str], marker: str) -> list[str]:
    """Names of the failed nodes whose failure text has `marker`: models and seeds, or tests when only tests failed."""
    found: dict[bool, list[str]] = {True: [], False: []}
    for failure in failures:
        match = FAILED_NODE.match(failure)
        if match and marker in failure.lower() and match["name"] not in found[failure.startswith("test.")]:
            found[failure.startswith("test.")].append(match["name"])
    return found[False] or found[True]


def disk_full_message(out_dir: Path, written: int, published: Path) -> str:
    free = shutil.disk_usage(out_dir).free
    return (
        f"the disk holding {out_dir} is full (No space left on device): the build had written "
        f"{megabytes(written)} ({written:,} bytes) to its build file when it stopped; {megabytes(free)} free now. "
        f"The build file is removed and {published} is untouched. Free space (a build needs about the size of the "
        f"warehouse again, plus room for dbt's logs in {out_dir / '.drilldown'}) and run again."
    )


def out_of_memory_message(failures: Sequence[str], database: Path, published: Path) -> str | None:
    models = _failing_nodes(failures, OUT_OF_MEMORY_MARKER)
    if not models and not any(OUT_OF_MEMORY_MARKER in failure.lower() for failure in failures):
        return None
    limit = os.environ.get("DRILLDOWN_DUCKDB_MEMORY_LIMIT", "8GB")
    threads = os.environ.get("DRILLDOWN_THREADS", "2")  # the duckdb target's default in profiles.yml
    where = f"building {', '.join(models)}" if models else "during the build"
    return (
        f"DuckDB ran out of memory {where} (DRILLDOWN_DUCKDB_MEMORY_LIMIT={limit}, DRILLDOWN_THREADS={threads}). "
        f"Raise DRILLDOWN_DUCKDB_MEMORY_LIMIT (e.g. 16GB, below the machine's RAM) or build fewer models at once "
        f"(DRILLDOWN_THREADS=1: dbt's threads share the limit); DuckDB spills what it can to "
        f"{database.name}.tmp next to the build file, so keep free disk there. {published} is untouched."
    )


def _first_with(texts: Sequence[str], markers: Sequence[str]) -> str | None:
    """The first text with a marker, without the node id prefix run_results gives it and dbt's path note."""
    for text in texts:
        if any(marker in text.lower() for marker in markers):
            reason = FAILED_NODE_PREFIX.sub("", " ".join(text.split())).split(" compiled code at ")[0]
            return reason[:300].rstrip(" .")
    return None


TABLES_KEPT_WHOLE = ("Each table dbt replaces is swapped in its own transaction, so every mart is the last good build's "
                     "or this run's, whole.")  # fmt: skip


def postgres_connection_message(where: str, step: str, texts: Sequence[str], kept: str = TABLES_KEPT_WHOLE) -> str | None:
    """When `texts` (an error, dbt's failures) say the server could not be reached or the connection was
    lost: one message naming the server, the step and the models it hit; otherwise None."""
    models = _failing_nodes(texts, "")
    at = f" (at {', '.join(models[:5])})" if models else ""
    refused = _first_with(texts, CONNECTION_REFUSED_MARKERS)
    if refused:
        end = "" if refused.endswith("?") else "."
        return f"Postgres at {where}: cannot connect during {step}{at}: {refused}{end} Check DRILLDOWN_PG_HOST/DRILLDOWN_PG_PORT. {kept}"
    lost = _first_with(texts, CONNECTION_LOST_MARKERS)
    if lost:
        return f"Postgres at {where}: lost the connection during {step}{at}: {lost}. {kept} Run again when the server is back."
    return None


def output_folder_report(out_dir: Path) -> list[str]:
    """`check`'s lines about an output folder: a run building into it now, stale build files and their size."""
    if not out_dir.is_dir():
        return [f"output folder {out_dir}: not there yet"]
    lines = []
    holder = running_holder(out_dir)
    if holder:
        lines.append(f"output folder {out_dir}: a run (pid {holder}) is building into it now")
    stale = stale_builds(out_dir)
    if stale:
        lines.append(f"output folder {out_dir}: stale build files of killed runs hold {describe_stale(stale)}; "
                     f"the next `run --out {out_dir}` removes them")  # fmt: skip
    else:
        lines.append(f"output folder {out_dir}: no stale build files")
    return lines
