"""Export the marts of a published warehouse: CSV, Parquet, one Excel workbook, a self-contained HTML report.

Every table and view in the `marts` schema is exported, plus quarantine.data_reconciliation; nothing is
computed here beyond what a chart needs to be drawn (charts.py says which mart columns each chart reads).
The reports are written into a fresh folder which then replaces OUT/reports, so no stale file survives.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import shutil
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from pathlib import Path

import duckdb
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from charts import CHART_FUNCTIONS, CHART_SOURCES, ChartSource

MARTS_SCHEMA = "marts"
EXTRA_TABLES = (("quarantine", "data_reconciliation"),)
EXCEL_MAX_DATA_ROWS = 1_048_575  # Excel's sheet limit (1,048,576 rows) minus the header row
EXCEL_FILE = "drilldown.xlsx"
HTML_FILE = "report.html"
# Row order of the exports where a mart's rows have a reading order (every other table is exported as stored);
# columns the table does not have are left out of the order.
EXPORT_ORDER: dict[str, tuple[str, ...]] = {
    "clv_backtest": ("backtest_section", "bucket_sort_order"),
    "advocate_scores": ("advocate_rank", "advocate_tier_order", "customer_id"),  # the top advocates first
    "advocate_value": ("advocate_tier_order", "segment_order", "rfm_segment"),
}


@dataclass(frozen=True)
class PivotSheet:
    """An extra workbook sheet: one mart's value as a row x column grid, shaded low (light) to high (dark)."""

    mart: str
    row: str
    row_order: str
    column: str
    column_order: str
    value: str
    skip_column_value: str  # e.g. the 'all' rows of a mart with totals


# The tier x segment heat map of the HTML report, in Excel (the advocate_value sheet has the same numbers).
PIVOT_SHEETS: dict[str, PivotSheet] = {
    "advocate_heat_map": PivotSheet("advocate_value", "advocate_tier", "advocate_tier_order", "rfm_segment", "segment_order",
                                    "share_of_tier", "all"),
}


@dataclass(frozen=True)
class ExportedTable:
    schema: str
    name: str
    rows: int
    columns: list[str]

    @property
    def relation(self) -> str:
        return f'"{self.schema}"."{self.name}"'


def list_tables(connection: duckdb.DuckDBPyConnection) -> list[ExportedTable]:
    """Every table/view of the marts schema (by name), then the extra tables that exist."""
    found = connection.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema = ? order by table_name",
        [MARTS_SCHEMA],
    ).fetchall()
    for schema, name in EXTRA_TABLES:
        exists = connection.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?", [schema, name]
        ).fetchone()
        if exists and exists[0]:
            found.append((schema, name))
    tables = []
    for schema, name in found:
        columns = [row[0] for row in connection.execute(f'describe "{schema}"."{name}"').fetchall()]
        count = connection.execute(f'select count(*) from "{schema}"."{name}"').fetchone()
        tables.append(ExportedTable(schema, name, int(count[0]) if count else 0, columns))
    names = [table.name for table in tables]
    if len(names) != len(set(names)):
        raise ValueError(f"two exported tables share a name: {names}")
    return tables


def _select_all(table: ExportedTable) -> str:
    order = [column for column in EXPORT_ORDER.get(table.name, ()) if column in table.columns]
    order_by = " order by " + ", ".join(f'"{column}"' for column in order) if order else ""
    return f"select * from {table.relation}{order_by}"


def _sql_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def export_files(connection: duckdb.DuckDBPyConnection, tables: list[ExportedTable], folder: Path) -> None:
    (folder / "csv").mkdir(parents=True, exist_ok=True)
    (folder / "parquet").mkdir(parents=True, exist_ok=True)
    for table in tables:
        connection.execute(f"copy ({_select_all(table)}) to {_sql_path(folder / 'csv' / f'{table.name}.csv')} (header, delimiter ',')")
        connection.execute(f"copy ({_select_all(table)}) to {_sql_path(folder / 'parquet' / f'{table.name}.parquet')} (format parquet)")


def _excel_value(value: object) -> object:
    """Values openpyxl writes as Excel understands them."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel has no time zones
    if value is None or isinstance(value, (bool, int, str, dt.date)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    return str(value)


def export_excel(connection: duckdb.DuckDBPyConnection, tables: list[ExportedTable], path: Path) -> list[str]:
    """One sheet per table (write-only mode streams rows); returns warnings for truncated sheets."""
    workbook = Workbook(write_only=True)
    warnings = []
    about = workbook.create_sheet("about")
    about.append(["table", "schema", "rows", "rows in this workbook", "note"])
    sheets = []
    for table in tables:
        sheet = workbook.create_sheet(table.name[:31])
        sheet.freeze_panes = "A2"
        header = []
        for column in table.columns:
            cell = WriteOnlyCell(sheet, value=column)
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        written = min(table.rows, EXCEL_MAX_DATA_ROWS)
        cursor = connection.execute(f"{_select_all(table)} limit {written}")
        while batch := cursor.fetchmany(10_000):
            for row in batch:
                sheet.append([_excel_value(value) for value in row])
        note = ""
        if written < table.rows:
            note = f"truncated to Excel's row limit: {written:,} of {table.rows:,} rows; the CSV/Parquet files are complete"
            warnings.append(f"{table.name}: {note}")
        sheets.append([table.name, table.schema, table.rows, written, note])
    for name, pivot in PIVOT_SHEETS.items():
        table = next((table for table in tables if table.name == pivot.mart), None)
        if table is not None and table.rows and {pivot.row, pivot.row_order, pivot.column, pivot.value} <= set(table.columns):
            rows = write_pivot_sheet(connection, workbook, name, table, pivot)
            sheets.append([name, "", rows, rows, f"{pivot.value} of {pivot.mart}: {pivot.row} x {pivot.column}"])
    for row in sheets:
        about.append(row)
    workbook.save(path)
    return warnings


def write_pivot_sheet(connection: duckdb.DuckDBPyConnection, workbook: Workbook, name: str, table: ExportedTable,
                      pivot: PivotSheet) -> int:
    """The grid of pivot.value by row x column (in their order columns), with a colour scale; returns its rows."""
    column_order = f'"{pivot.column_order}"' if pivot.column_order in table.columns else "0"
    cells = connection.execute(
        f'select "{pivot.row}", "{pivot.row_order}", "{pivot.column}", {column_order}, "{pivot.value}" '
        f'from {table.relation} where "{pivot.column}" <> ?',
        [pivot.skip_column_value],
    ).fetchall()
    rows = [row for row, _ in sorted({(row, order) for row, order, _, _, _ in cells}, key=lambda item: (item[1], item[0]))]
    columns = [column for column, _ in sorted({(column, order) for _, _, column, order, _ in cells},
                                              key=lambda item: (item[1] is None, item[1] or 0, item[0]))]
    values = {(row, column): value for row, _, column, _, value in cells}
    sheet = workbook.create_sheet(name[:31])
    sheet.append([f"{pivot.row} \\ {pivot.column}", *columns])
    for row in rows:
        sheet.append([row, *(_excel_value(values.get((row, column))) for column in columns)])
    if rows and columns:
        corner = f"B2:{get_column_letter(len(columns) + 1)}{len(rows) + 1}"
        sheet.conditional_formatting.add(corner, ColorScaleRule(start_type="min", start_color="FFF0F6FC", end_type="max", end_color="FF084594"))
    return len(rows)


# ---------------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------------
def _resolve_columns(available: list[str], source: ChartSource) -> tuple[dict[str, str], list[str]]:
    """role -> actual column, and a note per required role no accepted name was found for."""
    lowered = {column.lower(): column for column in available}
    resolved: dict[str, str] = {}
    missing: list[str] = []
    for role, names in source.columns.items():
        match = next((lowered[name.lower()] for name in names if name.lower() in lowered), None)
        if match is None:
            if role not in source.optional:
                missing.append(" / ".join(names))
        else:
            resolved[role] = match
    return resolved, missing


def render_chart(connection: duckdb.DuckDBPyConnection, key: str, tables: dict[str, ExportedTable]) -> tuple[str, str | None]:
    """(html of the chart section body, name of the missing mart or None)."""
    source = CHART_SOURCES[key]
    draw, required = CHART_FUNCTIONS[key]
    table = tables.get(source.mart)
    if table is None or table.schema != MARTS_SCHEMA:
        return f'<p class="note">Not drawn: the warehouse has no <code>marts.{escape(source.mart)}</code>.</p>', source.mart
    resolved, missing = _resolve_columns(table.columns, source)
    if missing:
        return (
            f'<p class="note">Not drawn: <code>marts.{escape(source.mart)}</code> has no column '
            + ", ".join(f"<code>{escape(name)}</code>" for name in missing)
            + " (the column names this chart reads are listed in scripts/charts.py).</p>",
            None,
        )
    select_list = ", ".join(
        f'avg("{column}") as "{role}"' if source.count_rows and role in source.mean_of else f'"{column}" as "{role}"'
        for role, column in resolved.items()
    )
    if source.count_rows:
        sql = f"select {select_list}, count(*) as n from {table.relation} group by all"
    else:
        sql = f"select {select_list} from {table.relation}"
    frame = connection.execute(sql).df().dropna(subset=list(required))
    if frame.empty:
        return f'<p class="note">Not drawn: <code>marts.{escape(source.mart)}</code> has no rows to draw.</p>', None
    return draw(frame), None


def _html_table(connection: duckdb.DuckDBPyConnection, relation: str) -> str:
    cursor = connection.execute(f"select * from {relation}")
    columns = [description[0] for description in cursor.description]
    rows = cursor.fetchall()
    head = "".join(f"<th>{escape(column)}</th>" for column in columns)
    body = "".join("<tr>" + "".join(f"<td>{escape(_cell_text(value))}</td>" for value in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 1060px;
       color: #1a1a1a; padding: 0 1rem; }
h1 { margin-bottom: 0.2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: 0.3rem; }
.meta, .caption { color: #555; } .note { background: #fff7e0; border-left: 4px solid #f0b400; padding: 0.5rem 0.8rem; }
table { border-collapse: collapse; font-size: 0.9rem; } th, td { border: 1px solid #ddd; padding: 0.3rem 0.6rem; text-align: right; }
th { background: #f3f5f8; } td:first-child, th:first-child { text-align: left; }
table { display: block; max-width: 100%; overflow-x: auto; }  /* a wide table scrolls in its box, not the page */
td { max-width: 22rem; overflow-wrap: break-word; }  /* long text (data_reconciliation.source_columns) wraps */
figure { margin: 0.5rem 0 1rem 0; overflow-x: auto; } svg { max-width: 100%; height: auto; }
"""


def build_html(connection: duckdb.DuckDBPyConnection, tables: list[ExportedTable], warehouse: Path) -> str:
    by_name = {table.name: table for table in tables}
    as_of = ""
    if connection.execute(
        "select count(*) from information_schema.tables where table_schema = 'staging' and table_name = 'base_as_of_date'"
    ).fetchone() == (1,):
        row = connection.execute("select cast(as_of_date as varchar) from staging.base_as_of_date").fetchone()
        as_of = row[0] if row else ""
    sections = []
    missing_marts = []
    for key, source in CHART_SOURCES.items():
        body, missing = render_chart(connection, key, by_name)
        if missing:
            missing_marts.append(missing)
        sections.append(
            f'<section id="{key}"><h2>{escape(source.title)}</h2><p class="caption">{escape(source.caption)}</p>'
            f"<figure>{body}</figure></section>"
        )
    missing_note = ""
    if missing_marts:
        missing_note = (
            '<p class="note">Charts not drawn because these marts are missing from the warehouse: '
            + ", ".join(f"<code>{escape(name)}</code>" for name in missing_marts)
            + ".</p>"
        )
    reconciliation = ""
    if "data_reconciliation" in by_name:
        reconciliation = (
            "<section id=\"data\"><h2>Input data: rows read, staged, quarantined</h2>"
            + _html_table(connection, by_name["data_reconciliation"].relation)
            + "</section>"
        )
    exported = "".join(
        f"<tr><td>{escape(table.schema)}.{escape(table.name)}</td><td>{table.rows:,}</td><td>{len(table.columns)}</td>"
        f'<td><a href="csv/{escape(table.name)}.csv">csv</a> · <a href="parquet/{escape(table.name)}.parquet">parquet</a></td></tr>'
        for table in tables
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>drilldown report</title>
<style>{STYLE}</style>
</head>
<body>
<h1>drilldown report</h1>
<p class="meta">Warehouse <code>{escape(warehouse.name)}</code> · as of {escape(as_of or "unknown")} ·
all tables also in <a href="{EXCEL_FILE}">{EXCEL_FILE}</a></p>
{missing_note}
{reconciliation}
{"".join(sections)}
<section id="tables"><h2>Exported tables</h2>
<table><thead><tr><th>table</th><th>rows</th><th>columns</th><th>files</th></tr></thead><tbody>{exported}</tbody></table>
</section>
</body>
</html>
"""


def write_reports(warehouse: Path, reports_dir: Path) -> list[Path]:
    """Write all exports into a fresh folder, then swap it in for reports_dir. Returns the files written."""
    building = reports_dir.with_name(f".{reports_dir.name}.building-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    try:
        with duckdb.connect(str(warehouse), read_only=True) as connection:
            tables = list_tables(connection)
            export_files(connection, tables, building)
            for warning in export_excel(connection, tables, building / EXCEL_FILE):
                print(f"warning: {warning}")
            (building / HTML_FILE).write_text(build_html(connection, tables, warehouse), encoding="utf-8")
        old = reports_dir.with_name(f".{reports_dir.name}.old-{os.getpid()}")
        if reports_dir.exists():
            reports_dir.rename(old)
        building.rename(reports_dir)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return [reports_dir / "csv", reports_dir / "parquet", reports_dir / EXCEL_FILE, reports_dir / HTML_FILE]
