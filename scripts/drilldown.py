"""drilldown: run the project on your own data, publish the warehouse safely for BI, export reports.

    python scripts/drilldown.py run --data DIR [--as-of YYYY-MM-DD] [--out DIR]
    python scripts/drilldown.py report --out DIR
    python scripts/drilldown.py check [--data DIR] [--out DIR]
    python scripts/drilldown.py demo [--out DIR]

Thin orchestration only: files are loaded by load_input.py, every number is computed by dbt models,
and the report reads the marts. Exit codes: 0 ok, 1 data or validation error, 2 usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

try:
    import duckdb
    import psycopg2
    import yaml
except ImportError:
    sys.exit("error: duckdb is not installed for this Python: run `make setup`, then use .venv/bin/python")

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_guard  # noqa: E402
import clv_fit  # noqa: E402
from dbt_runner import DbtNotFoundError, DbtResult, run_dbt  # noqa: E402
from load_input import ENTITIES, InputError, load_folder, load_folder_postgres, postgres_conninfo_from_env, validate_folder  # noqa: E402

WAREHOUSE_NAME = "drilldown.duckdb"
WORK_DIR_NAME = ".drilldown"  # dbt target/ and logs/ of the runs into this out dir
DEFAULT_OUT = Path("out")
# The demo seeds stand in for an input folder. Unit tests check the SQL on fixed inputs, not the user's
# data: `make test` and CI run them; a run on data skips them, as dbt recommends for production.
BUILD_ARGS = ["build", "--exclude", "path:seeds/demo", "--exclude-resource-type", "unit_test"]
# Only tests whose parents are all staging models run (indirect_selection: cautious in dbt_project.yml).
# "+": with the seeds staging reads (base_shop__campaign_plans checks target_segments against rfm_segments).
CHECK_ARGS = ["build", "--select", "+path:models/staging", "--exclude-resource-type", "unit_test"]


class DrilldownError(Exception):
    """A data, validation or build problem: printed as one message, exit code 1."""


# ---------------------------------------------------------------------------------------------------
# run: load, build into a new file, publish in one rename
# ---------------------------------------------------------------------------------------------------
def _dbt_vars(as_of: dt.date | None, extra_vars: Sequence[tuple[str, object]]) -> dict[str, object]:
    dbt_vars: dict[str, object] = {}
    if as_of is not None:
        dbt_vars["as_of_date"] = as_of.isoformat()
    dbt_vars.update(extra_vars)
    return dbt_vars


def _raise_if_failed(result: DbtResult, what: str, note: str = "") -> None:
    if result.ok:
        return
    lines = "\n".join(f"  - {failure}" for failure in result.failures)
    progress = f"{result.nodes_done}/{result.nodes_total} nodes done" if result.nodes_total else "before any node ran"
    raise DrilldownError(f"{what} failed ({progress}){note}:\n{lines}")


def _raise_if_postgres_failed(result: DbtResult, where: str, step: str) -> None:
    if not result.ok and (message := build_guard.postgres_connection_message(where, step, result.failures)):
        raise DrilldownError(message)
    _raise_if_failed(result, step)


def _postgres_error(error: psycopg2.Error, where: str, step: str, kept: str = build_guard.TABLES_KEPT_WHOLE) -> DrilldownError:
    detail = str(error).strip()
    return DrilldownError(build_guard.postgres_connection_message(where, step, [detail], kept) or f"Postgres at {where}: {step}: {detail}")


def _after_fit_args(fit_inputs: list[str]) -> list[str]:
    """The second build around the CLV fit: everything but the fit inputs and what they read (built before the
    fit); tests spanning both steps run here (indirect selection 'buildable')."""
    return ["build", "--exclude", "path:seeds/demo", *fit_inputs, "--exclude-resource-type", "unit_test", "--indirect-selection", "buildable"]


def build_postgres(data_dir: Path, out_dir: Path, dbt_vars: dict[str, object]) -> None:
    """Load the folder into the Postgres target's raw schema with COPY, then build there in three steps.

    Postgres runs no dbt Python models, so the CLV fit runs here (docs/decisions.md#clv-fit-routes):
    `dbt build` of everything up to the fit's inputs, clv_fit.fit_postgres() writes the fitted tables,
    then `dbt build` of the rest (tests that span both steps run in the second, indirect selection
    'buildable'). The server is the one DRILLDOWN_PG_* points to (profiles.yml target `postgres`). There is
    no file to swap: dbt replaces each table in its own transaction, so BI readers see every mart either
    old or new.
    """
    conninfo = postgres_conninfo_from_env()
    where = f"{os.environ.get('DRILLDOWN_PG_HOST', '127.0.0.1')}:{os.environ.get('DRILLDOWN_PG_PORT', '5432')}"
    try:
        loaded = load_folder_postgres(conninfo, data_dir)
    except psycopg2.Error as error:
        raise _postgres_error(error, where, "loading the input folder", "The raw tables are as they were (one transaction).") from None
    print("loaded: " + ", ".join(f"{entity} {rows:,} rows" for entity, rows in loaded.items()), flush=True)
    fit_inputs = [f"+{model}" for model in clv_fit.FIT_INPUT_MODELS]
    steps_done = 0
    result = run_dbt([*BUILD_ARGS, "--select", *fit_inputs], out_dir / WAREHOUSE_NAME, out_dir / WORK_DIR_NAME, dbt_vars, target="postgres")
    _raise_if_postgres_failed(result, where, "dbt build (postgres, up to the CLV fit inputs)")
    steps_done += result.nodes_done
    try:
        clv_fit.fit_postgres(conninfo)
    except psycopg2.Error as error:
        raise _postgres_error(error, where, "the CLV fit") from None
    result = run_dbt(_after_fit_args(fit_inputs),
                     out_dir / WAREHOUSE_NAME, out_dir / WORK_DIR_NAME, dbt_vars, target="postgres")  # fmt: skip
    _raise_if_postgres_failed(result, where, "dbt build (postgres, after the CLV fit)")
    print(f"dbt build: {steps_done + result.nodes_done} nodes in two steps around the CLV fit", flush=True)
    with contextlib.closing(psycopg2.connect(conninfo)) as connection, connection.cursor() as cursor:
        cursor.execute(CLV_FIT_STATUS_SQL)
        warn_if_clv_not_fitted(cursor.fetchall())


def _spark_step(script: str, args: list[str], what: str) -> None:
    """One Spark step outside dbt (scripts/<script> in its own process: Derby, the metastore's database, admits
    one process at a time, so no Spark session may outlive the step while dbt runs). A loader InputError comes
    back with the DuckDB loader's message."""
    result = subprocess.run([sys.executable, str(Path(__file__).resolve().parent / script), *args], capture_output=True, text=True)
    if result.returncode == 0:
        return
    message = (result.stderr.strip().splitlines() or [f"exit code {result.returncode}"])[-1]
    if script == "load_input.py" and message.startswith("drilldown: "):
        raise InputError(message.removeprefix("drilldown: "))
    raise DrilldownError(f"{what} failed: {message}")


def build_spark(data_dir: Path, out_dir: Path, dbt_vars: dict[str, object]) -> str:
    """Load the folder into the Spark session's raw tables, build into fresh schemas, publish the marts.

    The local session is profiles.yml's target `spark` (DRILLDOWN_SPARK_DIR). Every schema dbt builds gets the
    suffix __b<time>_<pid> (var build_schema_suffix), so the build never touches the published tables (dbt-spark
    replaces a Parquet table by dropping it). The CLV fit runs between two builds as on Postgres. Only when
    everything passed does publish_marts repoint the views in `marts` to the new tables; a failed build's
    schemas are dropped and `marts` is untouched (docs/decisions.md#publishing-on-spark). Returns the suffix.
    """
    if not os.environ.get("DRILLDOWN_SPARK_DIR"):
        raise DrilldownError("DRILLDOWN_SPARK_DIR is not set: the folder of the Spark warehouse and its metastore (README 'Run on Spark')")
    with duckdb.connect() as reader:
        validate_folder(reader, data_dir)  # a bad folder fails here, before Spark starts
    _spark_step("load_input.py", [str(data_dir), "--target", "spark"], "loading into Spark")
    print("loaded into Spark's raw tables", flush=True)
    suffix = f"__b{dt.datetime.now(dt.timezone.utc):%Y%m%dt%H%M%S}_{os.getpid()}"
    build_vars = {**dbt_vars, "build_schema_suffix": suffix}
    work_dir, db_path = out_dir / WORK_DIR_NAME, out_dir / WAREHOUSE_NAME
    fit_inputs = [f"+{model}" for model in clv_fit.FIT_INPUT_MODELS]
    untouched = "; the published marts are untouched"
    try:
        result = run_dbt([*BUILD_ARGS, "--select", *fit_inputs], db_path, work_dir, build_vars, target="spark")
        _raise_if_failed(result, "dbt build (spark, up to the CLV fit inputs)", untouched)
        steps_done = result.nodes_done
        _spark_step("clv_fit.py", ["--target", "spark", "--schema", f"{clv_fit.INTERMEDIATE_SCHEMA}{suffix}"], "the CLV fit (spark)")
        result = run_dbt(_after_fit_args(fit_inputs), db_path, work_dir, build_vars, target="spark")
        _raise_if_failed(result, "dbt build (spark, after the CLV fit)", untouched)
        print(f"dbt build: {steps_done + result.nodes_done} nodes in two steps around the CLV fit", flush=True)
        _raise_if_failed(run_dbt(["run-operation", "publish_marts"], db_path, work_dir, build_vars, target="spark", stream=None), "publishing the marts")
    except BaseException:
        drop = ["run-operation", "drop_build_schemas", "--args", json.dumps({"only": suffix})]
        run_dbt(drop, db_path, work_dir, build_vars, target="spark", stream=None)
        raise
    return suffix


def print_spark_summary(suffix: str) -> None:
    """Rows read / valid / quarantined per entity of the published build, and the CLV fit warning."""
    from spark_session import spark_session

    spark = spark_session()
    try:
        print(f"{'entity':<20}{'rows read':>12}{'valid':>12}{'quarantined':>13}")
        for row in spark.sql(f"select * from quarantine{suffix}.data_reconciliation order by entity").collect():
            flag = "" if row.is_reconciled else "  NOT RECONCILED"
            print(f"{row.entity:<20}{row.rows_read:>12,}{row.rows_staged:>12,}{row.rows_quarantined:>13,}{flag}")
        warn_if_clv_not_fitted([tuple(row) for row in spark.sql(CLV_FIT_STATUS_SQL).collect()])
    finally:
        spark.stop()


# One row per model whose fit did not converge, with why (clv_model_parameters repeats it per parameter).
CLV_FIT_STATUS_SQL = (
    "select distinct model_name, fit_note from marts.clv_model_parameters where not is_converged order by model_name"
)


def warn_if_clv_not_fitted(not_converged: Sequence[tuple[str, str]]) -> None:
    """One warning line when a CLV model did not converge: the build passed, its predictions are null."""
    if not_converged:
        reasons = "; ".join(f"{model}: {note}" for model, note in not_converged)
        print(f"warning: CLV model not fitted, marts.customer_clv predictions are null ({reasons})", file=sys.stderr, flush=True)


def build_warehouse(data_dir: Path, out_dir: Path, dbt_vars: dict[str, object]) -> Path:
    """Build into OUT/.drilldown.building-<pid>.duckdb, then replace OUT/drilldown.duckdb in one rename.

    A reader holding the old file keeps its (unlinked) inode and sees the old build whole; a new
    reader sees the new build whole. On any failure the new file is deleted and the old one is untouched.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    published = out_dir / WAREHOUSE_NAME
    building = build_guard.build_file(out_dir)
    build_guard.remove_build_file(building)
    try:
        with duckdb.connect(str(building)) as connection:
            loaded = load_folder(connection, data_dir)
        print("loaded: " + ", ".join(f"{entity} {rows:,} rows" for entity, rows in loaded.items()), flush=True)
        print(f"dbt build into {building.name} ...", flush=True)
        result = run_dbt(BUILD_ARGS, building, out_dir / WORK_DIR_NAME, dbt_vars)
        if not result.ok and (out_of_memory := build_guard.out_of_memory_message(result.failures, building, published)):
            raise DrilldownError(out_of_memory)
        _raise_if_failed(result, "dbt build", f"; {published} is untouched")
        print(f"dbt build: {result.nodes_done} nodes in {result.elapsed_seconds:.1f}s", flush=True)
        with duckdb.connect(str(building)) as connection:
            connection.execute("checkpoint")  # everything in the main file: the .wal must not be left behind
        if building.with_name(building.name + ".wal").exists():
            raise DrilldownError(f"{building}: DuckDB left a write-ahead log after checkpoint; not publishing")
        if published.with_name(published.name + ".wal").exists():
            raise DrilldownError(
                f"{published}.wal exists: a program has the warehouse open for writing. "
                "Close it (BI tools should open the file read-only) and run again."
            )
        os.replace(building, published)
    except BaseException as error:
        written = build_guard.remove_build_file(building)
        if isinstance(error, Exception) and build_guard.is_disk_full(error):
            raise DrilldownError(build_guard.disk_full_message(out_dir, written, published)) from None
        raise
    return published


def print_reconciliation(db_path: Path, top_reasons: int = 3) -> None:
    """Per entity: rows read / valid / quarantined, and the most frequent quarantine reasons."""
    with duckdb.connect(str(db_path), read_only=True) as connection:
        counts = connection.execute(
            "select entity, rows_read, rows_staged, rows_quarantined, is_reconciled "
            "from quarantine.data_reconciliation order by entity"
        ).fetchall()
        print(f"{'entity':<20}{'rows read':>12}{'valid':>12}{'quarantined':>13}  top reasons")
        for entity, rows_read, rows_staged, rows_quarantined, is_reconciled in counts:
            reasons = connection.execute(
                "select trim(reason) as reason, count(*) as n "
                f"from (select unnest(string_split(quarantine_reasons, ';')) as reason from quarantine.quarantine_{entity}) "
                "group by 1 order by n desc, reason limit ?",
                [top_reasons],
            ).fetchall()
            reason_text = ", ".join(f"{reason} ({n:,})" for reason, n in reasons) or "-"
            flag = "" if is_reconciled else "  NOT RECONCILED"
            print(f"{entity:<20}{rows_read:>12,}{rows_staged:>12,}{rows_quarantined:>13,}  {reason_text}{flag}")
        unmatched = connection.execute(
            "select entity, rows_unmatched from quarantine.data_reconciliation where rows_unmatched > 0 order by entity"
        ).fetchall()
        for entity, rows_unmatched in unmatched:
            print(f"{entity}: {rows_unmatched:,} valid rows not matched to a customer (kept and counted, not scored)")


@build_guard.one_run_per_output_folder
def command_run(args: argparse.Namespace) -> int:
    if args.target == "spark":
        suffix = build_spark(args.data, args.out, _dbt_vars(args.as_of, args.var))
        print_spark_summary(suffix)
        print(f"marts published in Spark (schema 'marts': views over marts{suffix}); see quarantine{suffix}.data_reconciliation")
        return 0
    if args.target == "postgres":
        build_postgres(args.data, args.out, _dbt_vars(args.as_of, args.var))
        print("marts built in the Postgres target (schema 'marts'); see quarantine.data_reconciliation")
        return 0
    published = build_warehouse(args.data, args.out, _dbt_vars(args.as_of, args.var))
    print_reconciliation(published)
    with duckdb.connect(str(published), read_only=True) as connection:
        warn_if_clv_not_fitted(connection.execute(CLV_FIT_STATUS_SQL).fetchall())
    print(f"warehouse published: {published}  (BI tools: open read-only, schema 'marts')")
    return 0


# ---------------------------------------------------------------------------------------------------
# check, report, demo
# ---------------------------------------------------------------------------------------------------
def command_check(args: argparse.Namespace) -> int:
    if args.data is not None:
        with tempfile.TemporaryDirectory(prefix="drilldown-check-") as temp:
            db_path = Path(temp) / "check.duckdb"
            with duckdb.connect(str(db_path)) as connection:
                load_folder(connection, args.data)
            print(f"checking {args.data} (staging models and their tests) ...", flush=True)
            result = run_dbt(CHECK_ARGS, db_path, Path(temp), _dbt_vars(args.as_of, []), stream=None)
            _raise_if_failed(result, "validation")
            print_reconciliation(db_path)
    for line in build_guard.output_folder_report(args.out):
        print(line)
    return 0


def command_report(args: argparse.Namespace) -> int:
    warehouse = args.out / WAREHOUSE_NAME
    if not warehouse.exists():
        raise DrilldownError(f"{warehouse} not found: run `drilldown.py run --data DIR --out {args.out}` first")
    import report  # imported here: pandas/openpyxl are not needed by the other commands

    written = report.write_reports(warehouse, args.out / "reports")
    for path in written:
        print(f"wrote {path}")
    return 0


def command_demo(args: argparse.Namespace) -> int:
    import generate_demo_data

    data_dir = args.out / "demo-data"
    print(f"generating demo data ({args.customers:,} customers) into {data_dir} ...", flush=True)
    generate_demo_data.main(["--customers", str(args.customers), "--out", str(data_dir)])
    command_run(argparse.Namespace(data=data_dir, out=args.out, as_of=None, var=[], target="duckdb"))
    return command_report(argparse.Namespace(out=args.out))


# ---------------------------------------------------------------------------------------------------
# command line
# ---------------------------------------------------------------------------------------------------
def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


class _VarLoader(yaml.SafeLoader):
    """YAML as dbt's --vars reads it, except that a date stays the text it was (dbt vars are passed as JSON)."""


_VarLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _var(item: str) -> tuple[str, object]:
    """KEY=VALUE with VALUE read as YAML: 50 is a number, [1, 2] a list, 0.4 a float, anything else text."""
    key, separator, value = item.partition("=")
    if not separator or not key.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {item!r}")
    try:
        parsed = yaml.load(value, Loader=_VarLoader)  # noqa: S506 -- a SafeLoader subclass
    except yaml.YAMLError as error:
        reason = str(getattr(error, "problem", None) or error).splitlines()[0]
        raise argparse.ArgumentTypeError(f"--var {key.strip()}: not a YAML value ({reason}): {value!r}") from None
    return key.strip(), parsed


def _positive_int(value: str) -> int:
    if not value.isdigit() or int(value) <= 0:
        raise argparse.ArgumentTypeError(f"expected a whole number > 0, got {value!r}")
    return int(value)


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(
        prog="drilldown",
        description="Run drilldown on a folder of orders/customers/campaigns files and export the marts.",
        epilog="Exit codes: 0 ok, 1 data or validation error, 2 usage error.",
    )
    commands = main_parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    expected = ", ".join(f"{entity.name}{'' if entity.is_optional else ' (required)'}" for entity in ENTITIES)

    run = commands.add_parser(
        "run",
        help="validate and load an input folder, dbt build, publish OUT/drilldown.duckdb atomically",
        description="Validate and load an input folder, run `dbt build`, and publish OUT/drilldown.duckdb in one "
        "rename (a dashboard reading the old file is never broken). On failure the old warehouse stays.",
    )
    run.add_argument("--data", type=Path, required=True, metavar="DIR", help=f"input folder: {expected}; CSV or Parquet")
    run.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD", help="as-of date (default: day after the latest valid order)")
    run.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR", help="output folder (default: out)")
    run.add_argument("--target", choices=("duckdb", "postgres", "spark"), default="duckdb",
                     help="warehouse (default: duckdb; postgres: DRILLDOWN_PG_*; spark: the local session in DRILLDOWN_SPARK_DIR)")
    run.add_argument("--var", type=_var, action="append", default=[], metavar="KEY=VALUE",
                     help="extra dbt var, VALUE read as YAML: 50, 0.4, [1, 2], text (repeatable)")
    run.set_defaults(handler=command_run)

    report_parser = commands.add_parser(
        "report",
        help="export the marts to OUT/reports: CSV, Parquet, one Excel workbook, an HTML report",
        description="Export every mart (and quarantine.data_reconciliation) of OUT/drilldown.duckdb to "
        "OUT/reports/csv, OUT/reports/parquet, OUT/reports/drilldown.xlsx and a self-contained OUT/reports/report.html.",
    )
    report_parser.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR", help="output folder of `run` (default: out)")
    report_parser.set_defaults(handler=command_report)

    check = commands.add_parser(
        "check",
        help="validate an input folder only: rows read / valid / quarantined per entity, top reasons; "
        "stale build files in the output folder",
        description="Validate an input folder without publishing anything: load it into a temporary warehouse, "
        "run the staging models and their tests, and print rows read / valid / quarantined per entity. Then report "
        "the output folder: a run building into it now, build files left by killed runs and the space they hold.",
    )
    check.add_argument("--data", type=Path, metavar="DIR", help=f"input folder: {expected} (omit to check only --out)")
    check.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR", help="output folder of `run` (default: out)")
    check.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD", help="as-of date (orders after it are quarantined)")
    check.set_defaults(handler=command_check)

    demo = commands.add_parser(
        "demo",
        help="generate the demo data, then run + report (what `make run` calls)",
        description="Generate the deterministic demo data into OUT/demo-data, then `run` and `report` on it.",
    )
    demo.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR", help="output folder (default: out)")
    demo.add_argument("--customers", type=_positive_int, default=3000, help="customers to simulate (default: 3000)")
    demo.set_defaults(handler=command_demo)
    return main_parser


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)  # exits 2 on a usage error
    try:
        with build_guard.sigterm_as_interrupt():
            return int(args.handler(args))
    except (InputError, DrilldownError, DbtNotFoundError, build_guard.OutputBusyError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as interrupt:
        code = build_guard.interrupt_exit_code(interrupt)
        stopped = "stopped by SIGTERM" if isinstance(interrupt, build_guard.Terminated) else "interrupted (Ctrl-C)"
        kept = ("nothing was published" if getattr(args, "target", "duckdb") == "duckdb" else
                "each table holds the last good build or this run's, whole")  # fmt: skip
        print(f"{stopped}: the build was stopped and this run's build file deleted; {kept}", file=sys.stderr)
        return code


if __name__ == "__main__":
    sys.exit(main())
