"""Benchmark drilldown against the floor (one hand-written DuckDB query) and the peers an analyst would use.

For each size (customers in the demo generator; ~5.5 orders each) the demo data is written once as Parquet
under --cache-dir/<size>-<hash of generate_demo_data.py>/ and reused while the generator is unchanged. Then,
--repeats times, every step runs as a fresh process and its wall seconds and peak RSS (os.wait4 rusage of the
process and the children it waited for) are recorded:

  load               scripts/load_input.py load_folder: Parquet -> fresh DuckDB file
  dbt run scoring    dbt run of the scoring selection (+customer_rfm +customer_latency +customer_btyd_summary)
  dbt build scoring  the same with data tests (dbt build; unit tests excluded, as on a data run)
  dbt build project  dbt build of the whole project (--exclude path:seeds/demo, no unit tests)
  floor              benchmarks/floor.sql: RFM scores + latency + BTYD summary, raw Parquet -> Parquet
  pandas             the same with pandas groupby
  lifetimes / pymc   lifetimes.utils.summary_data_from_transaction_data, pymc_marketing.clv.rfm_summary and
                     rfm_segments (from .venv-bench, made by `make bench-setup`; skipped when absent)

CLV (issue 15), after each whole-project build, on the warehouse it built: drilldown's fit + scoring from the
BTYD summary (`dbt run` of the CLV models between int_customer_btyd_periods and customer_clv /
clv_model_parameters, see CLV_SELECTION) against lifetimes' BetaGeoFitter + GammaGammaFitter and pymc-marketing's
BetaGeoModel + GammaGammaModel (MAP) fitted on the same summary exported as Parquet; their parameters and
predictions are checked against ours (benchmarks/clv_report.py writes the section). --clv-only runs just
load, the project build and the CLV part, and replaces only the CLV section of --results;
--clv-single-blas-thread also times drilldown's CLV run with OPENBLAS_NUM_THREADS=1 (the fit's np.dot calls go
through OpenBLAS, whose threads compete with the fit on a small, busy machine).

Category affinity (issue 21), with --affinity after the sizes (or alone with --affinity-only, which replaces
only its section of --results): the demo generator writes --affinity-customers customers (~5.5 orders each: 181,000
give ~1M orders) with --affinity-lines-per-order lines per order over --affinity-categories line categories;
each repeat loads them into a fresh DuckDB file and runs `dbt build` of both affinity marts and everything
upstream (affinity_report.SELECTION) with their data tests; reported: load and build seconds and peak RSS, each
model's time and its data tests', the input's size and the pairs written per level (affinity_report.py).

dbt's fixed start-up cost is measured once: warm partial `dbt parse`, cold `dbt parse --no-partial-parse`,
`dbt ls` and perf_info.json. Scoring marts not in the project are reported as "not present", and the staging
layer + int_customers_acquired stand in for them. --incremental appends one day of orders and times the dbt
rerun against the full build. Results are printed and written to --results (default benchmarks/results.md).

    python benchmarks/run.py --sizes 2000 --repeats 1          # smoke run
    nice python benchmarks/run.py --sizes 100000,1000000 --repeats 1 --clv-only
    nice python benchmarks/run.py --sizes 100000,1000000 --repeats 3 --incremental
    nice python benchmarks/run.py --affinity-only --repeats 3 --shared-machine
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import affinity_report
import clv_report

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SCORING_MARTS = ("customer_rfm", "customer_latency", "customer_btyd_summary")
STAND_IN_SELECTION = "path:models/staging +int_customers_acquired"
PEERS = ("lifetimes", "pymc_rfm_summary", "pymc_rfm_segments")
# Data runs skip dbt unit tests (they test the SQL on fixed inputs; `make test` runs them), as the CLI does.
NO_UNIT_TESTS = ("--exclude-resource-type", "unit_test")
# drilldown's CLV fit + scoring from the summary: every model customer_clv and clv_model_parameters need that is
# not upstream of the summary (int_customer_btyd_periods = customer_btyd_summary) or of the order totals.
CLV_SELECTION = ("--select", "+customer_clv", "+clv_model_parameters",
                 "--exclude", "+int_customer_btyd_periods", "+int_customer_orders_summarised")  # fmt: skip
CLV_PEERS = ("lifetimes_clv", "pymc_clv")
BLAS_1 = "OPENBLAS_NUM_THREADS=1"


@dataclass
class Measurement:
    seconds: float
    peak_rss_mb: float
    compute_seconds: float | None = None
    status: str = "ok"  # ok | failed | timed out
    details: dict = field(default_factory=dict)  # the step's BENCH_JSON line (e.g. a CLV peer's fit / predict split)


@dataclass
class StepResults:
    runs: list[Measurement] = field(default_factory=list)
    note: str = ""  # e.g. "did not install: ...", "timed out"

    def ok_runs(self) -> list[Measurement]:
        return [run for run in self.runs if run.status == "ok"]

    def median(self, attribute: str) -> float | None:
        values = [getattr(run, attribute) for run in self.ok_runs() if getattr(run, attribute) is not None]
        return statistics.median(values) if values else None


def measure(command: list[str], env: dict[str, str], log: Path, timeout: float | None) -> Measurement:
    """Run command as a fresh process group; wall seconds and peak RSS (KB in ru_maxrss on Linux)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as sink:
        sink.write("$ " + " ".join(command) + "\n")
        sink.flush()
        started = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=sink, stderr=subprocess.STDOUT, env=env, cwd=REPO, start_new_session=True
        )
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        if timer:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
    details: dict = {}
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("BENCH_JSON "):
            details = json.loads(line[len("BENCH_JSON ") :])
    outcome = "timed out" if timed_out.is_set() else ("ok" if process.returncode == 0 else "failed")
    return Measurement(seconds, usage.ru_maxrss / 1024, details.get("compute_seconds"), outcome, details)


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.cache = Path(args.cache_dir)
        self.work = self.cache / "work"
        self.db = self.work / "bench.duckdb"  # one path for every run: the profile (and partial parse) stay valid
        self.target = self.work / "target"
        self.python = str(REPO / ".venv" / "bin" / "python")
        self.dbt = str(REPO / ".venv" / "bin" / "dbt")
        bench_python = REPO / ".venv-bench" / "bin" / "python"
        self.bench_python = str(bench_python) if bench_python.exists() else None
        self.env = {
            **os.environ,
            "DBT_PROFILES_DIR": str(REPO),
            "DRILLDOWN_TARGET": "duckdb",
            "DRILLDOWN_DUCKDB_PATH": str(self.db),
            "DRILLDOWN_DUCKDB_MEMORY_LIMIT": args.memory_limit,
            "DRILLDOWN_THREADS": str(args.threads),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        }
        self.peer_notes: dict[str, str] = {}
        self.partial_parse_misses: list[str] = []
        self.clv_models: list[str] = []  # set by main() from `dbt ls` of CLV_SELECTION
        self.clv: dict[int, clv_report.SizeResults] = {}
        self.affinity: affinity_report.AffinityResults | None = None  # set by affinity_part() with --affinity
        self.affinity_load_start = ""
        self.commit = git_head()  # at the start: the code measured (the checkout may move during a long run)

    # ---------------------------------------------------------------- helpers
    def dbt_command(self, *args: str) -> list[str]:
        return [self.dbt, *args, "--project-dir", str(REPO), "--target-path", str(self.target),
                "--log-path", str(self.work / "logs")]  # fmt: skip

    def run(self, name: str, command: list[str], size: int | str, repeat: int, timeout: float | None = None,
            env: dict[str, str] | None = None):  # fmt: skip
        log = self.work / "logs" / str(size) / f"{re.sub(r'[^A-Za-z0-9_.+-]+', '_', name)}-{repeat}.log"
        result = measure(command, {**self.env, **(env or {})}, log, timeout)
        text = log.read_text(errors="replace")
        if "Unable to do partial parsing" in text:
            self.partial_parse_misses.append(f"{name} ({size}, run {repeat})")
        if result.status == "failed":
            print(f"  ! {name} failed, see {log}:\n" + "\n".join(text.splitlines()[-15:]), file=sys.stderr)
        tail = f" (in-process {result.compute_seconds:.2f}s)" if result.compute_seconds is not None else ""
        print(f"  {name:<22} {result.status:<9} {result.seconds:8.2f}s {result.peak_rss_mb:8.0f} MiB{tail}", flush=True)
        return result

    def data_path(self, size: int) -> Path:
        """Where the demo data of this size made by this version of the generator lives: the folder name holds a
        hash of generate_demo_data.py, so data cached by an older generator (e.g. before it wrote order lines) is
        never timed as if it were today's."""
        return self.cache / f"{size}-{generator_version()}"

    def data_dir(self, size: int) -> Path:
        """data_path(size), generated first when it is not there yet."""
        target = self.data_path(size)
        if not (target / "raw_orders.parquet").exists():
            print(f"generating demo data for {size} customers -> {target}", flush=True)
            subprocess.run([self.python, str(REPO / "scripts" / "generate_demo_data.py"), "--customers", str(size),
                            "--format", "parquet", "--out", str(target)], check=True)  # fmt: skip
        return target

    def present_marts(self) -> list[str]:
        listed = subprocess.run(
            self.dbt_command("ls", "--resource-type", "model", "--output", "name", "--quiet"),
            env=self.env, cwd=REPO, capture_output=True, text=True, check=True,
        )  # fmt: skip
        names = set(listed.stdout.split())
        return [mart for mart in SCORING_MARTS if mart in names]

    def run_results(self) -> tuple[float | None, dict[str, float]]:
        """dbt's elapsed time and the CLV models' execution times from the last dbt command's run_results.json."""
        try:
            run = json.loads((self.target / "run_results.json").read_text())
        except (OSError, ValueError):
            return None, {}
        nodes = {node["unique_id"].split(".")[-1]: node["execution_time"] for node in run["results"]}
        return run.get("elapsed_time"), {name: seconds for name, seconds in nodes.items() if name in self.clv_models}

    # ---------------------------------------------------------------- parse cost
    def parse_cost(self, selection: str) -> dict[str, StepResults]:
        print("dbt start-up cost (no data needed)", flush=True)
        results: dict[str, StepResults] = {}
        subprocess.run(self.dbt_command("parse", "--quiet"), env=self.env, cwd=REPO, check=True)  # warm
        steps = {
            "dbt parse (partial, warm)": self.dbt_command("parse"),
            "dbt parse (full, cold)": self.dbt_command("parse", "--no-partial-parse"),
            "dbt ls (selection)": self.dbt_command("ls", "--select", *selection.split(), "--quiet"),
        }
        for repeat in range(self.args.repeats):
            for name, command in steps.items():
                results.setdefault(name, StepResults()).runs.append(self.run(name, command, "parse", repeat))
        # `dbt parse` always writes target/perf_info.json: read it after one more warm partial parse.
        subprocess.run(self.dbt_command("parse", "--quiet"), env=self.env, cwd=REPO, check=True)
        perf = json.loads((self.target / "perf_info.json").read_text())
        self.perf_info = {key: value for key, value in perf.items() if not isinstance(value, (list, dict))}
        return results

    # ---------------------------------------------------------------- one size
    def size(self, size: int, selection: str) -> tuple[dict[str, StepResults], dict[str, str]]:
        data = self.data_dir(size)
        out = self.work / "out" / str(size)
        out.mkdir(parents=True, exist_ok=True)
        memory = ["--memory-limit", self.args.memory_limit]
        worker = str(HERE / "workers.py")
        plus_one_day = None
        if self.args.incremental and not self.args.clv_only:
            plus_one_day = data.with_name(f"{data.name}-plus1day")
            if not (plus_one_day / "raw_orders.parquet").exists():
                subprocess.run([self.python, worker, "append_day", "--data", str(data), "--out", str(plus_one_day),
                                "--every", str(self.args.incremental_every)], check=True)  # fmt: skip
        results: dict[str, StepResults] = {}
        verdicts: dict[str, str] = {}
        for repeat in range(self.args.repeats):
            print(f"size {size}, run {repeat + 1}/{self.args.repeats}", flush=True)
            steps: list[tuple[str, list[str], str | None]] = [
                ("floor", [self.python, worker, "floor", "--data", str(data), "--out", str(out / "floor.parquet"),
                           *memory], None),  # fmt: skip
                ("pandas", [self.python, worker, "pandas", "--data", str(data), "--out", str(out / "pandas.parquet")],
                 None),  # fmt: skip
            ]
            if self.args.clv_only:
                steps = []
            elif not self.args.skip_peers:
                for peer in PEERS:
                    if self.bench_python is None:
                        self.peer_notes[peer] = "not run: .venv-bench missing (make bench-setup)"
                    elif peer not in self.peer_notes:  # a peer that timed out or failed is not run again
                        steps.append((peer, [self.bench_python, worker, peer, "--data", str(data),
                                             "--out", str(out / f"{peer}.parquet")], peer))  # fmt: skip
            steps += [
                ("load", [self.python, worker, "load", "--data", str(data), "--db", str(self.db), *memory], None),
                # --full-refresh: every table is replaced (drilldown has no incremental models since issue 14).
                ("dbt run scoring", self.dbt_command("run", "--full-refresh", "--select", *selection.split()), None),
                ("dbt build scoring", self.dbt_command("build", *NO_UNIT_TESTS, "--full-refresh", "--indirect-selection", "cautious",
                                                       "--select", *selection.split()),
                 None),  # fmt: skip
                ("dbt build project", self.dbt_command("build", *NO_UNIT_TESTS, "--full-refresh", "--exclude", "path:seeds/demo"),
                 None),  # fmt: skip
            ]
            if self.args.clv_only:
                steps = [step for step in steps if step[0] in ("load", "dbt build project")]
            if plus_one_day is not None:
                steps += [
                    ("load +1 day", [self.python, worker, "load", "--data", str(plus_one_day), "--db", str(self.db),
                                     "--keep-db", *memory], None),  # fmt: skip
                    ("dbt build project +1 day", self.dbt_command("build", *NO_UNIT_TESTS, "--exclude", "path:seeds/demo"),
                     None),  # fmt: skip
                ]
            for name, command, peer in steps:
                if name == "load +1 day" and repeat == self.args.repeats - 1:
                    verdicts = self.compare(out)  # the marts still hold the base data here
                if peer is not None and peer in self.peer_notes:
                    continue
                timeout = self.args.peer_timeout if peer else self.args.step_timeout
                result = self.run(name, command, size, repeat, timeout)
                if name == "load":  # the project's own seeds (rfm_segments), untimed: `dbt run` needs them
                    subprocess.run(self.dbt_command("seed", "--exclude", "path:seeds/demo", "--quiet"),
                                   env=self.env, cwd=REPO, check=True)  # fmt: skip
                results.setdefault(name, StepResults()).runs.append(result)
                if peer is not None and result.status != "ok":
                    self.peer_notes[peer] = (
                        f"timed out after {timeout:.0f}s at {size} customers"
                        if result.status == "timed out"
                        else f"failed at {size} customers (see logs)"
                    )
                    results[name].note = self.peer_notes[peer]
                elif result.status != "ok" and name.startswith("dbt"):
                    results[name].note = f"{result.status} (see {self.work / 'logs' / str(size)})"
                if name == "dbt build project" and self.clv_models:
                    self.clv_part(size, repeat, out / "clv", build=result)
        if plus_one_day is None and not self.args.clv_only:
            verdicts = self.compare(out)
        return results, verdicts

    def clv_part(self, size: int, repeat: int, folder: Path, build: Measurement) -> None:
        """On the warehouse the whole-project build just made: drilldown's CLV fit + scoring from the summary
        (`dbt run` of CLV_SELECTION) and the CLV peers on the same summary, each a fresh timed process; after
        the last repeat, the peers' parameters and predictions checked against ours (clv_compare)."""
        clv = self.clv.setdefault(size, clv_report.SizeResults())
        clv.build_rss_mb.append(build.peak_rss_mb)
        if build.status != "ok":
            clv.note = f"the project build failed in run {repeat + 1}, so the CLV part was not run"
            return
        _, nodes = self.run_results()  # the CLV nodes inside the whole-project build
        clv.build_node_seconds.append(sum(nodes.values()))
        worker = str(HERE / "workers.py")
        if repeat == 0:  # untimed: the peers' input and our output; no peer output of an earlier run stays
            for stale in folder.glob("*_clv.*"):
                stale.unlink()
            export = subprocess.run([self.python, worker, "clv_export", "--db", str(self.db), "--out-dir", str(folder)],
                                    env=self.env, cwd=REPO, capture_output=True, text=True)  # fmt: skip
            if export.returncode != 0:
                clv.note = "clv_export failed: " + (export.stderr.strip().splitlines() or ["?"])[-1]
                return
        steps: list[tuple[str, list[str], str | None]] = [("drilldown CLV", self.dbt_command("run", *CLV_SELECTION), None)]
        if self.args.clv_single_blas_thread:  # diagnostic: the same run with OpenBLAS on one thread
            steps.append((BLAS_1 + " drilldown CLV", self.dbt_command("run", *CLV_SELECTION), None))
        for peer in () if self.args.skip_peers else CLV_PEERS:
            if self.bench_python is None:
                self.peer_notes[peer] = "not run: .venv-bench missing (make bench-setup)"
            elif peer not in self.peer_notes:  # a peer that timed out or failed is not run again
                steps.append((peer, [self.bench_python, worker, peer, "--summary", str(folder / "clv_summary.parquet"),
                                     "--out", str(folder / f"{peer}.parquet")], peer))  # fmt: skip
        for name, command, peer in steps:
            env = {"OPENBLAS_NUM_THREADS": "1"} if name.startswith(BLAS_1) else None
            result = self.run(name, command, size, repeat, self.args.peer_timeout if peer else self.args.step_timeout, env)
            if peer is None:  # dbt's own elapsed time and the node times, as the peers report their in-process split
                result.compute_seconds, nodes = self.run_results()
                result.details = {"node_seconds": nodes}
            clv.steps.setdefault(name, StepResults()).runs.append(result)
            if peer is not None and result.status != "ok":
                self.peer_notes[peer] = (f"timed out after {self.args.peer_timeout:.0f}s at {size:,} customers"
                                         if result.status == "timed out" else f"failed at {size:,} customers (see logs)")  # fmt: skip
                clv.steps[name].note = self.peer_notes[peer]
            elif result.status != "ok":
                clv.steps[name].note = f"{result.status} (see {self.work / 'logs' / str(size)})"
        if repeat == self.args.repeats - 1:
            peers = ",".join(peer for peer in CLV_PEERS if (folder / f"{peer}.parquet").exists())
            if self.bench_python is not None and peers:
                compare = subprocess.run([self.bench_python, worker, "clv_compare", "--out-dir", str(folder),
                                          "--peers", peers], env=self.env, cwd=REPO, capture_output=True, text=True)  # fmt: skip
                lines = [line for line in compare.stdout.splitlines() if line.startswith("BENCH_JSON ")]
                if compare.returncode == 0 and lines:
                    clv.check = json.loads(lines[-1][len("BENCH_JSON ") :])
                else:
                    clv.note = "clv_compare failed: " + (compare.stderr.strip().splitlines() or ["?"])[-1]

    # ---------------------------------------------------------------- category affinity (issue 21)
    def affinity_generator_args(self) -> list[str]:
        args = self.args
        return ["--customers", str(args.affinity_customers), "--line-categories", str(args.affinity_categories),
                "--lines-per-order", f"{args.affinity_lines_per_order:g}", "--format", "parquet"]  # fmt: skip

    def affinity_data(self) -> Path:
        args = self.args
        target = self.cache / (f"affinity-{args.affinity_customers}-{args.affinity_categories}categories-"
                               f"{args.affinity_lines_per_order:g}lines-{generator_version()}")  # fmt: skip
        if not (target / "raw_campaign_plans.parquet").exists():  # the generator's last file
            print(f"generating the affinity data -> {target}", flush=True)
            generator = str(REPO / "scripts" / "generate_demo_data.py")
            subprocess.run([self.python, generator, *self.affinity_generator_args(), "--out", str(target)], check=True)
        return target

    def affinity_part(self) -> affinity_report.AffinityResults:
        """Per repeat: load the affinity data into a fresh DuckDB file, then `dbt build` the affinity selection;
        each model's and its data tests' times from run_results.json, the sizes after the last repeat."""
        data = self.affinity_data()
        results = affinity_report.AffinityResults(
            data="scripts/generate_demo_data.py " + " ".join(self.affinity_generator_args())
        )
        worker = str(HERE / "workers.py")
        build = self.dbt_command("build", *NO_UNIT_TESTS, "--full-refresh", "--select", *affinity_report.SELECTION)
        for repeat in range(self.args.repeats):
            print(f"category affinity, run {repeat + 1}/{self.args.repeats}", flush=True)
            load = self.run("load", [self.python, worker, "load", "--data", str(data), "--db", str(self.db),
                                     "--memory-limit", self.args.memory_limit], "affinity", repeat,
                            self.args.step_timeout)  # fmt: skip
            results.steps.setdefault("load", StepResults()).runs.append(load)
            if load.status != "ok":
                results.note = f"load {load.status} in run {repeat + 1} (see {self.work / 'logs' / 'affinity'})"
                break
            subprocess.run(self.dbt_command("seed", "--exclude", "path:seeds/demo", "--quiet"),
                           env=self.env, cwd=REPO, check=True)  # fmt: skip
            built = self.run("dbt build affinity", build, "affinity", repeat, self.args.step_timeout)
            results.steps.setdefault("dbt build affinity", StepResults()).runs.append(built)
            if built.status != "ok":
                results.steps["dbt build affinity"].note = f"{built.status} (see {self.work / 'logs' / 'affinity'})"
                continue
            for model, (model_seconds, test_seconds) in self.node_seconds().items():
                results.model_seconds.setdefault(model, []).append(model_seconds)
                results.test_seconds.setdefault(model, []).append(test_seconds)
        if results.model_seconds:
            counts = subprocess.run([self.python, worker, "affinity_counts", "--data", str(data), "--db", str(self.db)],
                                    env=self.env, cwd=REPO, capture_output=True, text=True)  # fmt: skip
            found = [line for line in counts.stdout.splitlines() if line.startswith("BENCH_JSON ")]
            if counts.returncode == 0 and found:
                results.counts = json.loads(found[-1][len("BENCH_JSON ") :])
            else:
                results.note = "affinity_counts failed: " + (counts.stderr.strip().splitlines() or ["?"])[-1]
        return results

    def node_seconds(self) -> dict[str, tuple[float, float]]:
        """Per model of the last dbt command, in run order: its execution time and its data tests' summed time
        (a test belongs to the model manifest.json attaches it to)."""
        run = json.loads((self.target / "run_results.json").read_text())
        nodes = json.loads((self.target / "manifest.json").read_text())["nodes"]
        models: dict[str, tuple[float, float]] = {}
        for result in run["results"]:
            if result["unique_id"].startswith("model."):
                models[result["unique_id"]] = (result["execution_time"], 0.0)
        for result in run["results"]:
            attached = nodes.get(result["unique_id"], {}).get("attached_node")
            if result["unique_id"].startswith("test.") and attached in models:
                model_seconds, test_seconds = models[attached]
                models[attached] = (model_seconds, test_seconds + result["execution_time"])
        return {unique_id.split(".")[-1]: seconds for unique_id, seconds in models.items()}

    def compare(self, out: Path) -> dict[str, str]:
        worker = str(HERE / "workers.py")
        compare = subprocess.run(
            [self.python, worker, "compare", "--out-dir", str(out), "--db", str(self.db)],
            env=self.env, cwd=REPO, capture_output=True, text=True,
        )  # fmt: skip
        verdicts: dict[str, str] = {}
        for line in compare.stdout.splitlines():
            if line.startswith("BENCH_JSON "):
                verdicts = json.loads(line[len("BENCH_JSON ") :])["verdicts"]
        if compare.returncode != 0:
            verdicts["compare"] = "failed: " + (compare.stderr.strip().splitlines() or ["?"])[-1]
        return verdicts


# -------------------------------------------------------------------- reporting
def fmt(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def machine() -> dict[str, str]:
    def read(path: str) -> str:
        try:
            return Path(path).read_text()
        except OSError:
            return ""

    cpu = next((line.split(":", 1)[1].strip() for line in read("/proc/cpuinfo").splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")  # fmt: skip
    mem_kb = next((int(line.split()[1]) for line in read("/proc/meminfo").splitlines()
                   if line.startswith("MemTotal")), 0)  # fmt: skip
    os_name = next((line.split("=", 1)[1].strip('"') for line in read("/etc/os-release").splitlines()
                    if line.startswith("PRETTY_NAME=")), platform.platform())  # fmt: skip

    def version(python: str | None, package: str) -> str:
        if python is None:
            return "not installed"
        probe = subprocess.run([python, "-c", f"import importlib.metadata as m; print(m.version('{package}'))"],
                               capture_output=True, text=True)  # fmt: skip
        return probe.stdout.strip() or "not installed"

    python = str(REPO / ".venv" / "bin" / "python")
    bench = REPO / ".venv-bench" / "bin" / "python"
    bench_python = str(bench) if bench.exists() else None
    return {
        "CPU": f"{cpu}, {os.cpu_count()} cores",
        "RAM": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "OS": f"{os_name} (kernel {platform.release()})",
        "Python": subprocess.run([python, "--version"], capture_output=True, text=True).stdout.strip(),
        "duckdb": version(python, "duckdb"),
        "dbt-core / dbt-duckdb": f"{version(python, 'dbt-core')} / {version(python, 'dbt-duckdb')}",
        "pandas (main venv)": version(python, "pandas"),
        "lifetimes / pymc-marketing / pandas (.venv-bench)": (
            f"{version(bench_python, 'lifetimes')} / {version(bench_python, 'pymc-marketing')} / "
            f"{version(bench_python, 'pandas')}"
        ),
        "load average at start": " ".join(f"{load:.2f}" for load in os.getloadavg()),
    }


def size_table(results: dict[str, StepResults]) -> list[str]:
    floor = results.get("floor")
    floor_seconds = floor.median("seconds") if floor else None
    floor_rss = floor.median("peak_rss_mb") if floor else None
    lines = [
        "| step | median s | min–max s | in-process s | peak RSS MiB | × floor (s) | × floor (RSS) | runs |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, step in results.items():
        ok = step.ok_runs()
        seconds = step.median("seconds")
        rss = step.median("peak_rss_mb")
        spread = f"{min(r.seconds for r in ok):.2f}–{max(r.seconds for r in ok):.2f}" if ok else "—"
        ratio = f"{seconds / floor_seconds:.1f}" if seconds and floor_seconds else "—"
        rss_ratio = f"{rss / floor_rss:.1f}" if rss and floor_rss else "—"
        runs = f"{len(ok)}/{len(step.runs)} ok" + (f"; {step.note}" if step.note else "")
        lines.append(
            f"| {name} | {fmt(seconds)} | {spread} | {fmt(step.median('compute_seconds'))} | {fmt(rss, 0)} "
            f"| {ratio} | {rss_ratio} | {runs} |"
        )
    derived = derived_rows(results)
    for name, seconds in derived.items():
        ratio = f"{seconds / floor_seconds:.1f}" if seconds and floor_seconds else "—"
        lines.append(f"| {name} | {fmt(seconds)} | | | | {ratio} | | derived from the medians above |")
    return lines


def derived_rows(results: dict[str, StepResults]) -> dict[str, float]:
    def median(name: str) -> float | None:
        return results[name].median("seconds") if name in results else None

    load, scoring, project = median("load"), median("dbt build scoring"), median("dbt build project")
    derived: dict[str, float] = {}
    if load is not None and scoring is not None:
        derived["drilldown total: load + dbt build scoring"] = load + scoring
    if load is not None and project is not None:
        derived["drilldown total: load + dbt build project"] = load + project
    return derived


def targets(
    all_results: dict[int, dict[str, StepResults]], parse: dict[str, StepResults], marts: list[str], args
) -> list[str]:
    lines = []
    largest = max(all_results) if all_results else None
    if largest is not None:
        results = all_results[largest]
        floor = results["floor"].median("seconds") if "floor" in results else None
        scoring = results.get("dbt run scoring")
        scoring_s = scoring.median("seconds") if scoring else None
        what = "the scoring marts" if marts else f"the stand-in selection (`{STAND_IN_SELECTION}`)"
        if floor and scoring_s:
            lines.append(
                f"- **Scoring marts within 1.5× of the floor at 20M orders** (4M customers): at {largest:,} customers "
                f"`dbt run` of {what} takes {scoring_s / floor:.1f}× the floor ({scoring_s:.1f}s vs {floor:.1f}s; "
                f"{'met' if scoring_s <= 1.5 * floor and largest >= 4_000_000 else 'not met' if scoring_s > 1.5 * floor else 'not yet measured at 4M'})."
                + ("" if marts else " The scoring marts are not in the project yet, so this is not the real figure.")
            )
        project = results.get("dbt build project")
        if project:
            peak = max((run.peak_rss_mb for run in project.runs), default=0)
            lines.append(
                f"- **Whole project at 20M orders on 2 cores / 24 GiB within DuckDB's memory limit**: at {largest:,} "
                f"customers `dbt build` of the project ran {len(project.ok_runs())}/{len(project.runs)} times, "
                f"peak RSS {peak:.0f} MiB of the machine's memory with DuckDB memory_limit={args.memory_limit} (the "
                f"limit of DuckDB's buffer manager, which spills to disk rather than pass it; the RSS also holds dbt "
                f"and DuckDB allocations outside the buffer pool)"
                + (
                    f" ({'met' if len(project.ok_runs()) == len(project.runs) else 'not met'} at 4M)."
                    if largest >= 4_000_000
                    else "; 4M not measured in this run."
                )
            )
    for size, results in sorted(all_results.items()):
        load = results["load"].median("seconds") if "load" in results else None
        scoring = results["dbt build scoring"].median("seconds") if "dbt build scoring" in results else None
        drilldown = (load or 0) + (scoring or 0)
        peers = []
        for peer in PEERS:
            if peer in results and results[peer].median("seconds"):
                peer_s = results[peer].median("seconds")
                peers.append(f"{peer} {peer_s:.1f}s = {peer_s / drilldown:.1f}× drilldown")
        if peers and drilldown:
            lines.append(
                f"- **≥4× faster than lifetimes / pymc-marketing** at {size:,} customers: drilldown (load + dbt build "
                f"of {'the scoring marts' if marts else 'the stand-in'}) {drilldown:.1f}s; " + "; ".join(peers) + "."
            )
    warm = parse.get("dbt parse (partial, warm)")
    cold = parse.get("dbt parse (full, cold)")
    if warm and cold:
        lines.append(
            f"- **dbt start-up (parse) small, partial parsing on**: warm partial `dbt parse` "
            f"{fmt(warm.median('seconds'))}s, cold full parse {fmt(cold.median('seconds'))}s (whole process)."
        )
    for size, results in sorted(all_results.items()):
        if "dbt build project +1 day" in results and "dbt build project" in results:
            full = results["dbt build project"].median("seconds")
            rerun = results["dbt build project +1 day"].median("seconds")
            if full and rerun:
                lines.append(
                    f"- **Incremental rerun under 20% of a full refresh at 20M orders**: at {size:,} customers, after "
                    f"appending one day of orders, `dbt build` takes {rerun:.1f}s vs {full:.1f}s full = "
                    f"{100 * rerun / full:.0f}% (drilldown has no incremental models: the rerun rebuilds everything, "
                    "docs/decisions.md#incremental-runs)."
                )
    return lines


def write_results(path: Path, args, started: dt.datetime, selection: str, marts: list[str], parse, perf_info,
                  all_results, verdicts, bench: Bench, machine_info: dict[str, str]) -> str:  # fmt: skip
    lines = [
        "# drilldown benchmark results",
        "",
        f"Run on {started:%Y-%m-%d %H:%M} (local time), {(dt.datetime.now() - started).total_seconds() / 60:.0f} "
        f"minutes, by `python benchmarks/run.py {' '.join(sys.argv[1:])}`.",
        "",
        "## Machine",
        "",
        *[f"- {key}: {value}" for key, value in machine_info.items()],
        f"- load average at end: {' '.join(f'{load:.2f}' for load in os.getloadavg())}",
        "",
        "## Settings",
        "",
        f"- sizes (customers): {', '.join(f'{size:,}' for size in args.sizes)}; repeats: {args.repeats} (medians)",
        f"- DuckDB memory_limit: {args.memory_limit} (DRILLDOWN_DUCKDB_MEMORY_LIMIT, passed to dbt, the loader and "
        f"the floor); dbt threads: {args.threads}",
        f"- scoring marts present: {', '.join(marts) or 'none'}; not present: "
        f"{', '.join(m for m in SCORING_MARTS if m not in marts) or 'none'}",
        f"- scoring selection timed: `{selection}`",
        f"- peer timeout: {args.peer_timeout:.0f}s",
        "- seconds = wall time of a whole fresh process (start-up and imports included); in-process s = the "
        "worker's own timer around its work (reading input to writing output; peers include their library "
        "import); peak RSS (MiB) = ru_maxrss of the process and the children it waited for (the largest single "
        "process, not a sum; every step here is one process).",
    ]
    if args.shared_machine:
        lines.append(
            "- **Shared machine**: other jobs (other dbt builds and tests) ran on the same 2 cores during this run, "
            "so absolute seconds are noisy; compare ratios within a run, and medians over repeats."
        )
    lines += ["", "## dbt start-up cost (parse)", "", *size_table(parse)]
    if perf_info:
        lines += ["", "perf_info.json of a warm partial `dbt parse`: "
                  + ", ".join(f"{key}={value:.3f}" if isinstance(value, float) else f"{key}={value}"
                              for key, value in perf_info.items())]  # fmt: skip
    if bench.partial_parse_misses:
        lines += ["", "Partial parsing was NOT used in: " + ", ".join(bench.partial_parse_misses)]
    else:
        lines += ["", "Every timed dbt command used partial parsing (no 'Unable to do partial parsing' in the logs)."]
    for size, results in sorted(all_results.items()):
        orders = size_orders(bench, size)
        lines += ["", f"## {size:,} customers ({orders})", "", *size_table(results), ""]
        for name, verdict in verdicts.get(size, {}).items():
            lines.append(f"- check {name}: {verdict}")
        lines += profile_lines(bench.work / "logs" / str(size), args)
    if bench.peer_notes:
        lines += ["", "## Peers not (fully) measured", ""]
        lines += [f"- {peer}: {note}" for peer, note in bench.peer_notes.items()]
    lines += clv_section(bench, args, started)
    if bench.affinity is not None:
        lines += ["", *affinity_section(bench, args, started)]
    else:  # not run this time: the section as the last run that measured it wrote it
        lines += old_section(path, affinity_report.HEADING)
    lines += ["", "## Targets of issue 9: where each stands", "", *targets(all_results, parse, marts, args)]
    lines += [
        "",
        "## Notes",
        "",
        "- The floor and pandas compute the same per-customer RFM scores (score = 1 + floor(5·(rank−1)/n), rank() "
        "from the worst), latency and BTYD summary from the raw Parquet; 'check' lines above compare every output "
        "with the floor customer by customer.",
        "- `dbt build scoring` and `dbt build project` run on the database the preceding steps built (tables are "
        "replaced: `--full-refresh`); each repeat starts from a fresh "
        "DuckDB file made by `load`.",
    ]
    if args.incremental:
        lines.append(
            f"- --incremental: the +1 day input adds one completed order, dated the day after the data ends, for "
            f"every customer whose id ≡ 7 (mod {args.incremental_every}); `load +1 day` reloads the raw tables "
            "in the same warehouse (as the CLI does) and `dbt build project +1 day` reruns the project on them "
            "without --full-refresh (a full rebuild: there are no incremental models)."
        )
    lines += kept_sections(path)
    text = "\n".join(lines) + "\n"
    path.write_text(text)
    return text


# Sections of results.md that people write, not this script: a full run keeps them (at the end, as they were).
KEPT_HEADING = re.compile(r"^## (Measurements behind design decisions|.*\(written by hand\))$")


def kept_sections(path: Path) -> list[str]:
    """The hand-written `## ` sections of the results file a full run is about to replace, each up to the next
    `## ` heading (a section about an earlier run says which run it describes in its own text)."""
    if not path.exists():
        return []
    kept: list[str] = []
    keeping = False
    for line in path.read_text().splitlines():
        if line.startswith("## "):
            keeping = bool(KEPT_HEADING.match(line))
            if keeping:
                kept.append("")
        if keeping:
            kept.append(line)
    return kept


def old_section(path: Path, heading: str) -> list[str]:
    """The `heading` section of the results file as it stands (up to the next `## ` heading), after a blank line;
    nothing when the file has none."""
    if not path.exists():
        return []
    found = re.search("^" + re.escape(heading) + r"\n.*?(?=^## |\Z)", path.read_text(), re.S | re.M)
    return ["", *found.group(0).rstrip("\n").splitlines()] if found else []


def affinity_section(bench: Bench, args, started: dt.datetime) -> list[str]:
    assert bench.affinity is not None
    settings = {
        "started": f"{started:%Y-%m-%d %H:%M}", "command": "python benchmarks/run.py " + " ".join(sys.argv[1:]),
        "repeats": args.repeats, "threads": args.threads, "memory_limit": args.memory_limit,
        "shared_machine": args.shared_machine, "commit": bench.commit,
        "load_start": bench.affinity_load_start, "load_end": " ".join(f"{load:.2f}" for load in os.getloadavg()),
    }  # fmt: skip
    return affinity_report.section(bench.affinity, settings)


def clv_section(bench: Bench, args, started: dt.datetime) -> list[str]:
    if not bench.clv_models:
        return ["", clv_report.HEADING, "", "Not run: `dbt ls` found no CLV models (customer_clv) in the project."]
    settings = {
        "started": f"{started:%Y-%m-%d %H:%M}", "command": "python benchmarks/run.py " + " ".join(sys.argv[1:]),
        "repeats": args.repeats, "threads": args.threads, "memory_limit": args.memory_limit,
        "peer_timeout": args.peer_timeout, "shared_machine": args.shared_machine, "commit": bench.commit,
        "selection": "dbt run " + " ".join(CLV_SELECTION), "models": bench.clv_models,
    }  # fmt: skip
    return ["", *clv_report.section(bench.clv, bench.peer_notes, settings)]


def git_head() -> str:
    head = subprocess.run(["git", "-C", str(REPO), "log", "-1", "--format=%h"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "models", "macros", "scripts"],
                           capture_output=True, text=True)  # fmt: skip
    return head.stdout.strip() + (" (models/macros/scripts had uncommitted changes)" if dirty.stdout.strip() else "")


def profile_lines(logs: Path, args) -> list[str]:
    """The slowest nodes of the last full build and, with --incremental, of the last +1 day rerun: what a rerun
    still rebuilds is what an incremental model would have to take over."""
    lines = []
    for step, log in (("dbt build project", "dbt_build_project"), ("dbt build project +1 day", "dbt_build_project_+1_day")):
        profile = dbt_profile(logs / f"{log}-{args.repeats - 1}.log")
        if profile:
            lines += ["", f"Profile of the last `{step}` (threads={args.threads}, so nodes overlap): " + profile[0],
                      "", *[f"- {line}" for line in profile[1:]]]  # fmt: skip
            lines += [f"- {line}" for line in node_group_lines(logs / f"{log}-{args.repeats - 1}.log")]
    return lines


# Node groups whose time the profile reports on its own line (issue 17: the history must cost at most one
# scoring pass per snapshot; its time is reported here).
NODE_GROUPS = {
    "segment history (int_segment_snapshots, int_customer_snapshot_totals, customer_segment_history, segment_migration)":
        ("int_segment_snapshots", "int_customer_snapshot_totals", "customer_segment_history", "segment_migration"),
    "category affinity (int_order_categories, category_affinity, customer_next_category)":
        ("int_order_categories", "category_affinity", "customer_next_category"),
    "channels and regions (int_customer_channels, channel_mix_by_segment, region_summary)":
        ("int_customer_channels", "channel_mix_by_segment", "region_summary"),
    "advocates (int_customer_mention_totals, int_advocate_priors, int_advocate_tiers, advocate_scores, advocate_value)":
        ("int_customer_mention_totals", "int_advocate_priors", "int_advocate_tiers", "advocate_scores", "advocate_value"),
}


def node_group_lines(log: Path) -> list[str]:
    """Per NODE_GROUPS entry: the summed time of its models and of the data tests on them, from the step's log."""
    if not log.exists():
        return []
    text = re.sub(r"\x1b\[[0-9;]*m", "", log.read_text(errors="replace"))
    nodes = re.findall(r"\d+ of \d+ (?:OK|PASS|WARN|ERROR|FAIL) (.+?) \.*\s*\[\S+(?: \d+)? in ([\d.]+)s\]", text)
    lines = []
    for label, models in NODE_GROUPS.items():
        model_seconds = sum(float(seconds) for name, seconds in nodes
                            if name.startswith("created") and name.split(".")[-1].strip() in models)
        test_seconds = sum(float(seconds) for name, seconds in nodes
                           if not name.startswith("created") and any(model in name for model in models))
        if model_seconds or test_seconds:
            lines.append(f"{label}: models {model_seconds:.2f}s, their data tests {test_seconds:.2f}s")
    return lines


def dbt_profile(log: Path, top: int = 10) -> list[str]:
    """The slowest nodes of one dbt run and dbt's own elapsed time, read from the step's log."""
    if not log.exists():
        return []
    text = re.sub(r"\x1b\[[0-9;]*m", "", log.read_text(errors="replace"))
    nodes = re.findall(r"\d+ of \d+ (?:OK|PASS|WARN|ERROR|FAIL) (.+?) \.*\s*\[\S+(?: \d+)? in ([\d.]+)s\]", text)
    finished = re.search(r"Finished running .* \(([\d.]+)s\)", text)
    lines = []
    if finished:
        lines.append(f"dbt's own elapsed time {float(finished.group(1)):.1f}s (the rest of the process wall time is "
                     "start-up: imports, parse, connection)")  # fmt: skip
    slowest = sorted(((float(seconds), name.strip()) for name, seconds in nodes), reverse=True)[:top]
    lines += [f"{seconds:.2f}s {name}" for seconds, name in slowest]
    return lines


def generator_version() -> str:
    """A short hash of the demo generator's source, part of every cached data folder's name."""
    return hashlib.sha256((REPO / "scripts" / "generate_demo_data.py").read_bytes()).hexdigest()[:10]


def size_orders(bench: Bench, size: int) -> str:
    """The row counts of the size's orders and order lines, as the section title gives them."""
    counts = []
    for name, label in (("raw_orders", "orders"), ("raw_order_lines", "order lines")):
        probe = subprocess.run(
            [bench.python, "-c", "import sys, pyarrow.parquet as pq; print(pq.ParquetFile(sys.argv[1]).metadata.num_rows)",
             str(bench.data_path(size) / f"{name}.parquet")],
            capture_output=True, text=True,
        )  # fmt: skip
        count = probe.stdout.strip()
        counts.append(f"{int(count):,} {label}" if count.isdigit() else f"{label}: unknown")
    return ", ".join(counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000,1000000,4000000", help="customers per size, comma-separated")
    parser.add_argument("--repeats", type=int, default=3, help="whole-process runs per step and size (median)")
    parser.add_argument("--cache-dir", default="/tmp/drilldown-bench", help="demo data per size + scratch space")
    parser.add_argument("--memory-limit", default=os.environ.get("DRILLDOWN_DUCKDB_MEMORY_LIMIT", "8GB"))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("DRILLDOWN_THREADS", "2")))  # profiles.yml's duckdb default
    parser.add_argument("--peer-timeout", type=float, default=1800, help="seconds before a peer run is killed")
    parser.add_argument("--step-timeout", type=float, default=7200, help="seconds before any other step is killed")
    parser.add_argument("--skip-peers", action="store_true", help="do not run lifetimes / pymc-marketing")
    parser.add_argument("--incremental", action="store_true", help="also time a rerun after appending one day")
    parser.add_argument("--incremental-every", type=int, default=500, help="1 in N customers buy on the new day")
    parser.add_argument("--shared-machine", action="store_true", help="note in results that the machine was shared")
    parser.add_argument("--clv-only", action="store_true",
                        help="only load, the project build and the CLV part; replace only the CLV section of --results")
    parser.add_argument("--clv-single-blas-thread", action="store_true",
                        help="also time drilldown's CLV run with OPENBLAS_NUM_THREADS=1 (diagnostic row)")
    parser.add_argument("--affinity", action="store_true",
                        help="also build the category affinity marts on their own data (issue 21) after the sizes")
    parser.add_argument("--affinity-only", action="store_true",
                        help="only the category affinity part; replace only its section of --results")
    parser.add_argument("--affinity-customers", type=int, default=181_000, help="affinity data: customers (~1M orders)")
    parser.add_argument("--affinity-categories", type=int, default=50, help="affinity data: line categories")
    parser.add_argument("--affinity-lines-per-order", type=float, default=3.0,
                        help="affinity data: mean lines per order")
    parser.add_argument("--results", default=str(HERE / "results.md"))
    args = parser.parse_args()
    if args.affinity_only and args.clv_only:
        parser.error("--affinity-only and --clv-only each replace one section: run them one at a time")
    args.sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")

    started = dt.datetime.now()
    bench = Bench(args)
    bench.work.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(bench.work / "logs", ignore_errors=True)
    if args.affinity_only:  # the rest of results.md stays as the last full run wrote it
        bench.affinity_load_start = " ".join(f"{load:.2f}" for load in os.getloadavg())
        bench.affinity = bench.affinity_part()
        text = clv_report.splice(Path(args.results), affinity_section(bench, args, started), affinity_report.HEADING)
        print()
        print(text)
        print(f"written to {args.results}")
        return
    machine_info = machine()
    marts = bench.present_marts()
    selection = " ".join(f"+{mart}" for mart in marts) if marts else STAND_IN_SELECTION
    for mart in SCORING_MARTS:
        print(f"{mart}: {'present' if mart in marts else 'not present'}")
    print(f"scoring selection: {selection}")
    listed = subprocess.run(bench.dbt_command("ls", "--resource-type", "model", "--output", "name", "--quiet",
                                              *CLV_SELECTION), env=bench.env, cwd=REPO, capture_output=True, text=True)  # fmt: skip
    bench.clv_models = sorted(listed.stdout.split()) if "customer_clv" in listed.stdout.split() else []
    print(f"CLV models timed: {', '.join(bench.clv_models) or 'none (no customer_clv in the project)'}")
    parse = {} if args.clv_only else bench.parse_cost(selection)
    perf_info = {} if args.clv_only else bench.perf_info
    all_results: dict[int, dict[str, StepResults]] = {}
    verdicts: dict[int, dict[str, str]] = {}
    for size in args.sizes:
        all_results[size], verdicts[size] = bench.size(size, selection)
        if args.clv_only:  # the rest of results.md stays as the last full run wrote it
            text = clv_report.splice(Path(args.results), clv_section(bench, args, started))
        else:
            text = write_results(Path(args.results), args, started, selection, marts, parse, perf_info, all_results,
                                 verdicts, bench, machine_info)  # fmt: skip
    if args.affinity and not args.clv_only:
        bench.affinity_load_start = " ".join(f"{load:.2f}" for load in os.getloadavg())
        bench.affinity = bench.affinity_part()
        text = write_results(Path(args.results), args, started, selection, marts, parse, perf_info, all_results,
                             verdicts, bench, machine_info)  # fmt: skip
    print()
    print(text)
    print(f"written to {args.results}")


if __name__ == "__main__":
    main()
