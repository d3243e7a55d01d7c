"""Load a user's input folder (CSV or Parquet, one file per entity) into the warehouse's `raw` schema.

Only the file-level contract is checked here (file present and readable, required columns present),
so a user gets one clear message before dbt starts. Row-level rules live in the staging models.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

RAW_SCHEMA = "raw"


@dataclass(frozen=True)
class Entity:
    name: str
    required_columns: tuple[str, ...]
    is_optional: bool


ENTITIES: tuple[Entity, ...] = (
    Entity("orders", ("order_id", "customer_id", "ordered_at", "amount"), is_optional=False),
    Entity("customers", ("customer_id",), is_optional=True),
    Entity("campaigns", ("campaign_id", "starts_at", "response_window_days"), is_optional=True),
    Entity("campaign_contacts", ("campaign_id", "customer_id", "is_control"), is_optional=True),
)


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


def load_folder(connection: duckdb.DuckDBPyConnection, data_dir: Path) -> dict[str, int]:
    """Create raw.raw_<entity> for every entity file found; return rows loaded per entity."""
    if not data_dir.is_dir():
        raise InputError(f"{data_dir}: input folder not found")
    connection.execute(f"create schema if not exists {RAW_SCHEMA}")
    loaded: dict[str, int] = {}
    for entity in ENTITIES:
        table = f"{RAW_SCHEMA}.raw_{entity.name}"
        path = find_input_file(data_dir, entity.name)
        if path is None:
            if not entity.is_optional:
                raise InputError(f"{data_dir}: required file '{entity.name}.csv' (or .parquet) not found")
            connection.execute(f"drop table if exists {table}")
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
        select_list = ", ".join(
            f'"{original.replace(chr(34), chr(34) * 2)}" as "{lower}"' for lower, original in by_lower.items()
        )
        try:
            connection.execute(f"create or replace table {table} as select {select_list} from {_scan_sql(path)}")
        except duckdb.Error as error:
            raise InputError(f"{path}: cannot be loaded ({_reason(error)})") from None
        rows = connection.execute(f"select count(*) from {table}").fetchone()
        loaded[entity.name] = int(rows[0]) if rows else 0
    if loaded.get("orders", 0) == 0:
        raise InputError(f"{find_input_file(data_dir, 'orders')}: has no rows; drilldown needs at least one order")
    return loaded
