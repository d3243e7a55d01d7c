"""Row-for-row equality of one table on two warehouses (test_postgres.py, test_spark.py).

Rows are compared as multisets (sorted by all columns), exact values everywhere (money to the cent and beyond:
decimals must be equal) except floats, which must agree to 1e-9 relative. Values are named by the two sides'
labels in the messages.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path

import duckdb

FLOAT_REL_TOL = 1e-9
FLOAT_ABS_TOL = 1e-12  # for values that are 0 on one side and float noise on the other


def _is_float(value: object) -> bool:
    return isinstance(value, float)


def _sort_key(row: tuple, float_columns: set[int]) -> tuple:
    """Exact columns first (None first, then by value), float columns last, rounded to 9 significant digits."""
    exact = []
    rounded = []
    for index, value in enumerate(row):
        if index in float_columns:
            number = None if value is None else float(value)
            rounded.append((0, 0.0) if number is None else (1, float(f"{number:.9g}")))
        elif value is None:
            exact.append((0, ""))
        else:
            exact.append((1, type(value).__name__ if not isinstance(value, (int, Decimal)) else "number", value))
    return (*exact, *rounded)


def values_equal(left: object, right: object) -> bool:
    if left is None or right is None:
        return left is None and right is None
    if _is_float(left) or _is_float(right):
        if isinstance(left, bool) or isinstance(right, bool):
            return False
        left_number, right_number = float(left), float(right)  # type: ignore[arg-type]
        if math.isnan(left_number) or math.isnan(right_number):
            return math.isnan(left_number) and math.isnan(right_number)
        return math.isclose(left_number, right_number, rel_tol=FLOAT_REL_TOL, abs_tol=FLOAT_ABS_TOL)
    if isinstance(left, bool) != isinstance(right, bool):
        return False
    return left == right


def table_differences(columns: list[str], duck: list[tuple], pg: list[tuple], limit: int = 5, other: str = "postgres") -> list[str]:
    """Human-readable differences between two row sets (empty when equal)."""
    if len(duck) != len(pg):
        return [f"row count: duckdb {len(duck)}, {other} {len(pg)}"]
    float_columns = {
        index for index in range(len(columns)) if any(_is_float(row[index]) for row in duck) or any(_is_float(row[index]) for row in pg)
    }
    duck_sorted = sorted(duck, key=lambda row: _sort_key(row, float_columns))
    pg_sorted = sorted(pg, key=lambda row: _sort_key(row, float_columns))
    problems = []
    for duck_row, pg_row in zip(duck_sorted, pg_sorted, strict=True):
        differing = [
            f"{columns[index]}: duckdb {duck_row[index]!r} {other} {pg_row[index]!r}"
            for index in range(len(columns))
            if not values_equal(duck_row[index], pg_row[index])
        ]
        if differing:
            problems.append("; ".join(differing))
            if len(problems) >= limit:
                break
    return problems


Table = tuple[str, str]  # (schema, name)


def duckdb_tables(db_path: Path, schemas: Iterable[str]) -> set[Table]:
    with duckdb.connect(str(db_path), read_only=True) as connection:
        found = connection.execute(
            "select table_schema, table_name from information_schema.tables where list_contains(?, table_schema)", [list(schemas)]
        ).fetchall()
    return {(schema, name) for schema, name in found}


def duckdb_rows(db_path: Path, table: Table) -> tuple[list[str], list[tuple]]:
    with duckdb.connect(str(db_path), read_only=True) as connection:
        cursor = connection.execute(f'select * from "{table[0]}"."{table[1]}"')
        columns = [description[0] for description in cursor.description]
        return columns, cursor.fetchall()


def assert_same_tables(
    db_path: Path, schemas: Iterable[str], other_tables: set[Table], other_rows: Callable[[Table, list[str]], tuple[list[str], list[tuple]]], other: str
) -> int:
    """Every table of `schemas` in the DuckDB file exists on the other warehouse and is equal row for row there;
    other_rows(table, duckdb columns) gives the other side's columns (in DuckDB's order when they are the same
    set) and rows. Returns the number of tables compared."""
    duck_tables = duckdb_tables(db_path, schemas)
    assert duck_tables == other_tables, f"only in duckdb: {sorted(duck_tables - other_tables)}; only in {other}: {sorted(other_tables - duck_tables)}"
    failures = []
    for table in sorted(duck_tables):
        columns, duck = duckdb_rows(db_path, table)
        other_columns, rows = other_rows(table, columns)
        name = ".".join(table)
        if other_columns != columns:
            failures.append(f"{name}: columns differ: duckdb {columns}, {other} {other_columns}")
            continue
        failures += [f"{name}: {problem}" for problem in table_differences(columns, duck, rows, other=other)]
    assert not failures, f"DuckDB and {other} differ:\n" + "\n".join(failures)
    return len(duck_tables)
