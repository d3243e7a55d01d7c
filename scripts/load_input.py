"""Load a user's input folder (CSV or Parquet, one file per entity) into the warehouse's `raw` schema.

Only the file-level contract is checked here (file present and readable, required columns present, as
declared in models/staging/_staging__sources.yml), so a user gets one clear message before dbt starts.
Row-level rules live in the staging models.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psycopg2
import yaml
from psycopg2.extensions import make_dsn

RAW_SCHEMA = "raw"
# The input contract (files, required and optional columns) is written once, in the dbt sources the base
# models read; this module reads the same file.
CONTRACT_PATH = Path(__file__).resolve().parents[1] / "models" / "staging" / "_staging__sources.yml"
CONTRACT_SOURCE = "shop"


@dataclass(frozen=True)
class Entity:
    name: str
    required_columns: tuple[str, ...]
    is_optional: bool
    optional_columns: tuple[str, ...] = ()
    table: str = ""


def read_input_contract(path: Path = CONTRACT_PATH, source: str = CONTRACT_SOURCE) -> tuple[Entity, ...]:
    """The entities of dbt source `source` in `path`, in declaration order (see _staging__sources.yml).

    Each table has config.meta {entity, is_optional_file}, each column config.meta.required; a malformed
    declaration raises ValueError naming the file and table (a project bug, not a user's input error).
    """
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    sources = [item for item in document.get("sources") or [] if item.get("name") == source]
    if len(sources) != 1:
        raise ValueError(f"{path}: expected one source named '{source}', found {len(sources)}")
    entities = []
    for table in sources[0].get("tables") or []:
        where = f"{path}: source table '{source}.{table.get('name')}'"
        meta = (table.get("config") or {}).get("meta") or {}
        if not isinstance(meta.get("entity"), str) or not isinstance(meta.get("is_optional_file"), bool):
            raise ValueError(f"{where} needs config.meta entity (text) and is_optional_file (true/false)")
        required: list[str] = []
        optional: list[str] = []
        for column in table.get("columns") or []:
            is_required = ((column.get("config") or {}).get("meta") or {}).get("required")
            if not isinstance(is_required, bool):
                raise ValueError(f"{where}: column '{column.get('name')}' needs config.meta.required: true or false")
            (required if is_required else optional).append(str(column["name"]).lower())
        if not required:
            raise ValueError(f"{where} declares no required column (config.meta.required: true)")
        entities.append(Entity(meta["entity"], tuple(required), meta["is_optional_file"], tuple(optional), table["name"]))
    if not entities:
        raise ValueError(f"{path}: source '{source}' declares no tables")
    return tuple(entities)


def contract_markdown(entities: tuple[Entity, ...]) -> str:
    """The contract as the README's table (a pytest checks README.md holds exactly this)."""
    lines = ["| file | required columns | optional columns |", "|---|---|---|"]
    for entity in entities:
        file = f"`{entity.name}`" + (" (optional file)" if entity.is_optional else "")
        required = ", ".join(f"`{name}`" for name in entity.required_columns)
        optional = ", ".join(f"`{name}`" for name in entity.optional_columns)
        lines.append(f"| {file} | {required} | {optional} |")
    return "\n".join(lines) + "\n"


ENTITIES: tuple[Entity, ...] = read_input_contract()


class InputError(Exception):
    """The input folder breaks the file-level contract; the message names the file and column."""


def find_input_file(data_dir: Path, entity: str) -> Path | None:
    """The entity's file in the folder (`orders.csv`, `Orders.parquet`, `raw_orders.csv`, ...), or None."""
    matches = sorted(
        path
        for path in data_dir.iterdir()
        if path.is_file()
        and path.stem.lower() in (entity, f"raw_{entity}")
        and path.suffix.lower() in (".csv", ".parquet")
    )
    if len(matches) > 1:
        names = ", ".join(path.name for path in matches)
        raise InputError(f"{data_dir}: more than one file for '{entity}' ({names}); keep one")
    return matches[0] if matches else None


def _scan_sql(path: Path) -> str:
    quoted = str(path).replace("'", "''")
    if path.suffix.lower() == ".parquet":
        return f"read_parquet('{quoted}')"
    # All text, comma-separated, header required: typing and validation happen in staging.
    return f"read_csv('{quoted}', header = true, delim = ',', quote = '\"', all_varchar = true, auto_detect = true)"


def _reason(error: duckdb.Error) -> str:
    """DuckDB's first error line, plus the line that names the cause when it is an encoding problem."""
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
    encoding = [line for line in lines if "utf-8" in line.lower() or "unicode" in line.lower()]
    if encoding:
        return f"not UTF-8 encoded: save it as UTF-8 ({lines[0]})"
    return lines[0] if lines else type(error).__name__


def _columns(connection: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    if path.stat().st_size == 0:
        raise InputError(f"{path}: the file is empty; it needs a header row naming the columns")
    try:
        return [row[0] for row in connection.execute(f"describe select * from {_scan_sql(path)}").fetchall()]
    except duckdb.Error as error:
        raise InputError(f"{path}: cannot be read as {path.suffix.lower().lstrip('.')} ({_reason(error)})") from None


def _delimiter_hint(columns: list[str]) -> str:
    """A hint when a CSV was read as one column because it uses another delimiter."""
    if len(columns) == 1:
        for delimiter, name in ((";", "semicolon"), ("\t", "tab"), ("|", "pipe")):
            if delimiter in columns[0]:
                return f"; it looks {name}-separated: save it comma-separated"
    return ""


@dataclass(frozen=True)
class InputFile:
    """One entity's validated file: its columns as lower-case name -> name in the file."""

    entity: Entity
    path: Path
    columns: dict[str, str]

    def select_sql(self, as_text: bool = False) -> str:
        """A select over the file with lower-cased column names (all cast to text when as_text)."""
        items = []
        for lower, original in self.columns.items():
            column = _quote(original)
            items.append(f"{'cast(' + column + ' as varchar)' if as_text else column} as {_quote(lower)}")
        # By absolute path: a Parquet file's raw view is read later by dbt, from the warehouse's folder.
        return f"select {', '.join(items)} from {_scan_sql(self.path.resolve())}"


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def validate_folder(connection: duckdb.DuckDBPyConnection, data_dir: Path) -> dict[str, InputFile | None]:
    """Check the file-level contract for every entity before anything is loaded.

    Returns entity name -> its file (None for an absent optional file); raises InputError naming the
    file and column on the first problem. Files are read with DuckDB on every target, so a folder
    means the same rows whichever warehouse it is loaded into.
    """
    if not data_dir.is_dir():
        raise InputError(f"{data_dir}: input folder not found")
    found: dict[str, InputFile | None] = {}
    for entity in ENTITIES:
        path = find_input_file(data_dir, entity.name)
        if path is None:
            if not entity.is_optional:
                raise InputError(f"{data_dir}: required file '{entity.name}.csv' (or .parquet) not found")
            found[entity.name] = None
            continue
        columns = _columns(connection, path)
        by_lower: dict[str, str] = {}
        for column in columns:
            by_lower.setdefault(column.strip().lower(), column)
        missing = [name for name in entity.required_columns if name not in by_lower]
        if missing:
            raise InputError(
                f"{path}: missing required column(s) {', '.join(missing)} "
                f"(found: {', '.join(columns)}; the file must be comma-separated with a header row"
                f"{_delimiter_hint(columns)})"
            )
        found[entity.name] = InputFile(entity, path, by_lower)
    return found


def _check_has_orders(data_dir: Path, loaded: dict[str, int]) -> None:
    if loaded.get("orders", 0) == 0:
        raise InputError(f"{find_input_file(data_dir, 'orders')}: has no rows; drilldown needs at least one order")


def _drop_raw(connection: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop raw.<name> whether an earlier load made it a table (CSV) or a view (Parquet)."""
    kind = connection.execute(
        "select table_type from information_schema.tables where table_schema = ? and table_name = ?",
        [RAW_SCHEMA, name],
    ).fetchone()
    if kind is not None:
        connection.execute(f"drop {'view' if kind[0] == 'VIEW' else 'table'} {RAW_SCHEMA}.{name}")


def load_folder(connection: duckdb.DuckDBPyConnection, data_dir: Path) -> dict[str, int]:
    """Create raw.raw_<entity> in a DuckDB warehouse for every entity file found; return rows loaded per entity.

    A Parquet file is read in place: raw.raw_<entity> is a view over it (its absolute path), typed as the file
    is, and staging validates it from there; copying it into a table first cost ~12 s at 22M orders and checked
    nothing (docs/decisions.md#parquet-input-is-read-in-place). A CSV file is copied into a table of text.
    """
    files = validate_folder(connection, data_dir)
    connection.execute(f"create schema if not exists {RAW_SCHEMA}")
    loaded: dict[str, int] = {}
    for name, input_file in files.items():
        table = f"{RAW_SCHEMA}.raw_{name}"
        _drop_raw(connection, f"raw_{name}")
        if input_file is None:
            continue
        kind = "view" if input_file.path.suffix.lower() == ".parquet" else "table"
        try:
            connection.execute(f"create {kind} {table} as {input_file.select_sql()}")
        except duckdb.Error as error:
            raise InputError(f"{input_file.path}: cannot be loaded ({_reason(error)})") from None
        rows = connection.execute(f"select count(*) from {table}").fetchone()
        loaded[name] = int(rows[0]) if rows else 0
    _check_has_orders(data_dir, loaded)
    return loaded


def postgres_conninfo_from_env() -> str:
    """libpq connection string from the DRILLDOWN_PG_* variables profiles.yml reads (same defaults)."""
    return make_dsn(
        host=os.environ.get("DRILLDOWN_PG_HOST", "127.0.0.1"),
        port=os.environ.get("DRILLDOWN_PG_PORT", "5432"),
        user=os.environ.get("DRILLDOWN_PG_USER", "drilldown"),
        password=os.environ.get("DRILLDOWN_PG_PASSWORD", "drilldown"),
        dbname=os.environ.get("DRILLDOWN_PG_DATABASE", "drilldown"),
    )


def load_folder_postgres(conninfo: str, data_dir: Path) -> dict[str, int]:
    """Load the folder into Postgres tables raw.raw_<entity> (all columns text, lower-case names) with COPY.

    Validation is the same as for DuckDB (validate_folder). Each file is read by DuckDB, written to a
    temporary CSV that quotes every value (so an empty string stays distinct from a null) and streamed
    into Postgres with COPY, all in one transaction: a failure leaves the previous raw tables as they were.
    """
    with duckdb.connect() as reader:
        files = validate_folder(reader, data_dir)
        loaded: dict[str, int] = {}
        with (
            tempfile.TemporaryDirectory(prefix="drilldown-load-") as scratch,
            contextlib.closing(psycopg2.connect(conninfo)) as connection,
            connection,  # one transaction: committed at the end, rolled back on any error
            connection.cursor() as cursor,
        ):
            cursor.execute(f"create schema if not exists {RAW_SCHEMA}")
            for name, input_file in files.items():
                table = f"{RAW_SCHEMA}.raw_{name}"
                cursor.execute(f"drop table if exists {table}")
                if input_file is None:
                    continue
                csv_path = Path(scratch) / f"{name}.csv"
                quoted_csv = str(csv_path).replace("'", "''")
                try:
                    reader.execute(
                        f"copy ({input_file.select_sql(as_text=True)}) to '{quoted_csv}' "
                        "(format csv, header true, delimiter ',', quote '\"', force_quote *)"
                    )
                except duckdb.Error as error:
                    raise InputError(f"{input_file.path}: cannot be loaded ({_reason(error)})") from None
                column_list = ", ".join(_quote(lower) for lower in input_file.columns)
                cursor.execute(f"create table {table} ({', '.join(_quote(lower) + ' text' for lower in input_file.columns)})")
                with csv_path.open(encoding="utf-8") as csv_file:
                    cursor.copy_expert(
                        f"copy {table} ({column_list}) from stdin with (format csv, header true)", csv_file
                    )
                cursor.execute(f"select count(*) from {table}")
                rows = cursor.fetchone()
                loaded[name] = int(rows[0]) if rows else 0
            _check_has_orders(data_dir, loaded)
    return loaded


def load_folder_spark(spark, data_dir: Path) -> dict[str, int]:
    """Load the folder into Spark Parquet tables raw.raw_<entity> (spark: a session of scripts/spark_session.py).

    Validation is the same as for DuckDB (validate_folder). Each file is read by DuckDB and written to a
    temporary Parquet file, typed as the DuckDB loader types it (a CSV all text, a Parquet file as typed), before
    any table is replaced; Spark then writes each raw table from it. An absent optional file drops its table.
    """
    with duckdb.connect() as reader, tempfile.TemporaryDirectory(prefix="drilldown-load-") as scratch:
        files = validate_folder(reader, data_dir)
        staged: dict[str, Path] = {}
        for name, input_file in files.items():
            if input_file is None:
                continue
            parquet_path = Path(scratch) / f"{name}.parquet"
            quoted = str(parquet_path).replace("'", "''")
            try:
                reader.execute(f"copy ({input_file.select_sql()}) to '{quoted}' (format parquet)")
            except duckdb.Error as error:
                raise InputError(f"{input_file.path}: cannot be loaded ({_reason(error)})") from None
            staged[name] = parquet_path
        spark.sql(f"create schema if not exists {RAW_SCHEMA}")
        loaded: dict[str, int] = {}
        for name in files:
            table = f"{RAW_SCHEMA}.raw_{name}"
            if name not in staged:
                spark.sql(f"drop table if exists {table}")
                continue
            spark.read.parquet(str(staged[name])).write.format("parquet").mode("overwrite").saveAsTable(table)
            loaded[name] = int(spark.table(table).count())
        _check_has_orders(data_dir, loaded)
    return loaded


def main(argv: list[str] | None = None) -> int:
    """`python scripts/load_input.py FOLDER [--target duckdb|postgres|spark]`: load a folder into the raw schema."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    files = ", ".join(entity.name if entity.is_optional else f"{entity.name}.csv (required)" for entity in ENTITIES)
    parser.add_argument("folder", type=Path, help=f"input folder: {files}")
    parser.add_argument("--target", choices=("duckdb", "postgres", "spark"), default=os.environ.get("DRILLDOWN_TARGET", "duckdb"))
    parser.add_argument(
        "--duckdb-path", default=os.environ.get("DRILLDOWN_DUCKDB_PATH", "drilldown.duckdb"), help="DuckDB file (duckdb target)"
    )
    args = parser.parse_args(argv)
    try:
        if args.target == "postgres":
            loaded = load_folder_postgres(postgres_conninfo_from_env(), args.folder)
        elif args.target == "spark":
            from spark_session import spark_session

            loaded = load_folder_spark(spark_session(), args.folder)
        else:
            with duckdb.connect(args.duckdb_path) as connection:
                loaded = load_folder(connection, args.folder)
    except InputError as error:
        print(f"drilldown: {error}", file=sys.stderr)
        return 2
    for name, count in loaded.items():
        print(f"{RAW_SCHEMA}.raw_{name}: {count} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
