"""Incremental runs give exactly the rows of a full refresh (docs/decisions.md#incremental-runs).

Generated data (400 customers) is built once; then one day of orders is appended (dated the day after the
data ends: existing and new customers, a second order the same day, a cancelled order, and a copy of an
old order_id dated earlier under another customer, which moves that order by the duplicate rule). The
incremental rerun on the same warehouse is compared row for row with a fresh full build of the final data:
every table in marts and the incremental intermediates.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import REPO, build_folder, load_folder, run_dbt

INCREMENTAL_MODELS = ["int_customer_purchase_days", "int_customer_orders_summarised"]


def append_day(base_dir: Path, out_dir: Path) -> dict[str, str]:
    """Copy base_dir to out_dir with one more day of orders; return the ids the test looks at."""
    shutil.copytree(base_dir, out_dir)
    orders = pd.read_csv(base_dir / "raw_orders.csv", dtype=str, keep_default_na=False)
    customers = pd.read_csv(base_dir / "raw_customers.csv", dtype=str, keep_default_na=False)
    completed = orders[orders["status"] == "completed"]
    last_day = pd.to_datetime(orders["ordered_at"]).max().normalize()
    new_day = (last_day + timedelta(days=1)).strftime("%Y-%m-%d")
    repeaters = completed["customer_id"].value_counts()
    existing = list(repeaters.index[:3])  # customers with the most orders: long histories to extend
    moved = completed[completed["customer_id"].map(repeaters) == 1].iloc[0]  # a one-order customer's order
    # ... and the last order of a customer with several (who keeps the others): both move to existing[1].
    moved_too = completed[(completed["customer_id"].map(repeaters) >= 3) & ~completed["customer_id"].isin(existing)].iloc[-1]
    next_id = max(int(value) for value in orders["order_id"]) + 1
    new_customer, unlisted_customer = "new-1", "new-2"

    def order(number: int, customer: str, time: str, amount: str, status: str = "completed") -> dict[str, str]:
        return {"order_id": str(next_id + number), "customer_id": customer, "ordered_at": f"{new_day} {time}",
                "amount": amount, "gross_margin": "1.00", "discount": "0.00", "status": status,
                "channel": "web", "product_category": "apparel"}  # fmt: skip

    earlier = (pd.Timestamp(moved["ordered_at"]) - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")
    earlier_too = (pd.Timestamp(moved_too["ordered_at"]) - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")
    new_rows = [
        order(0, existing[0], "09:00:00", "20.00"),
        order(1, existing[0], "17:30:00", "5.50"),  # a second purchase the same day: one purchase day
        order(2, existing[1], "10:00:00", "42.10"),
        order(3, existing[2], "11:00:00", "13.00", status="cancelled"),  # never revenue
        order(4, new_customer, "12:00:00", "7.25"),
        order(5, unlisted_customer, "13:00:00", "8.00"),  # not in customers.csv
        # An earlier copy of an old order_id under another customer: the duplicate rule keeps this one,
        # so the old order leaves its one-order customer (who then has no completed order).
        {**order(6, existing[1], "00:00:00", moved["amount"]), "order_id": moved["order_id"], "ordered_at": earlier},
        {**order(7, existing[1], "00:00:00", "1.00"), "order_id": moved_too["order_id"], "ordered_at": earlier_too},
    ]
    pd.concat([orders, pd.DataFrame(new_rows)]).to_csv(out_dir / "raw_orders.csv", index=False)
    new_customer_row = {"customer_id": new_customer, "acquired_at": new_day, "acquisition_source": "search", "region": "west"}
    pd.concat([customers, pd.DataFrame([new_customer_row])]).to_csv(out_dir / "raw_customers.csv", index=False)
    return {"moved_from": moved["customer_id"], "moved_too_from": moved_too["customer_id"],
            "moved_too_order": moved_too["order_id"], "new_day": new_day}  # fmt: skip


def tables(connection: duckdb.DuckDBPyConnection, database: str) -> list[tuple[str, str]]:
    return connection.execute(
        "select table_schema, table_name from information_schema.tables where table_catalog = ? "
        "and (table_schema = 'marts' or table_name in ?) order by 1, 2",
        [database, INCREMENTAL_MODELS],
    ).fetchall()


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("incremental")
    base_dir, plus_dir = root / "data", root / "data-plus-one-day"
    subprocess.run([sys.executable, str(REPO / "scripts" / "generate_demo_data.py"), "--customers", "400",
                    "--out", str(base_dir)], check=True, capture_output=True)  # fmt: skip
    facts = append_day(base_dir, plus_dir)
    # The warehouse built on the base data, then the raw tables reloaded (as the CLI does) and rebuilt.
    _, incremental_db = build_folder(base_dir, root / "incremental")
    with duckdb.connect(str(incremental_db)) as connection:
        load_folder(connection, plus_dir)
    rerun = run_dbt(["build", "--exclude", "path:seeds/demo"], incremental_db, root / "incremental")
    _, full_db = build_folder(plus_dir, root / "full")
    return {"incremental": incremental_db, "full": full_db, "rerun": rerun.stdout, **facts}


def test_rerun_is_incremental(builds: dict[str, object]) -> None:
    for model in INCREMENTAL_MODELS:
        assert f"OK created sql incremental model intermediate.{model}" in str(builds["rerun"])


def table_rows(connection: duckdb.DuckDBPyConnection, relation: str) -> tuple[list[str], list[tuple]]:
    """Column names and every row, sorted on the exact (non-float) columns."""
    described = connection.execute(f"describe {relation}").fetchall()
    columns = [row[0] for row in described]
    exact = [f'"{row[0]}"' for row in described if row[1] not in ("DOUBLE", "FLOAT")]
    order = ", ".join(exact) or "1"
    return columns, connection.execute(f"select * from {relation} order by {order}").fetchall()


def same_value(left: object, right: object) -> bool:
    """Equal; floats (double precision statistics) to 1e-12 relative, NaN equal to NaN. Every decimal,
    integer, date and text value must be identical. Doubles are summed in parallel in no fixed order, so
    two full builds of the same data can differ in the last bit (campaign Welch statistics do)."""
    if isinstance(left, float) and isinstance(right, float):
        return (math.isnan(left) and math.isnan(right)) or math.isclose(left, right, rel_tol=1e-12, abs_tol=1e-12)
    return left == right


def test_incremental_equals_full_refresh(builds: dict[str, object]) -> None:
    with duckdb.connect() as connection:
        connection.execute(f"attach '{builds['incremental']}' as incremental (read_only)")
        connection.execute(f"attach '{builds['full']}' as full_build (read_only)")
        compared = tables(connection, "full_build")
        assert tables(connection, "incremental") == compared
        assert len(compared) >= 10 and ("intermediate", "int_customer_purchase_days") in compared
        for schema, table in compared:
            columns, expected = table_rows(connection, f"full_build.{schema}.{table}")
            incremental_columns, got = table_rows(connection, f"incremental.{schema}.{table}")
            assert incremental_columns == columns, f"{schema}.{table}"
            assert len(got) == len(expected), f"{schema}.{table}: {len(got)} rows, full refresh {len(expected)}"
            for got_row, expected_row in zip(got, expected, strict=True):
                assert all(map(same_value, got_row, expected_row)), f"{schema}.{table}: {got_row} != {expected_row}"


def test_the_new_day_is_in_the_marts(builds: dict[str, object]) -> None:
    with duckdb.connect(str(builds["incremental"]), read_only=True) as connection:
        latest = connection.execute("select max(last_order_date) from marts.customer_rfm").fetchone()
        assert latest is not None and str(latest[0]) == builds["new_day"]
        new_customers = connection.execute(
            "select customer_id, frequency, monetary_total from marts.customer_rfm where customer_id like 'new-%' order by 1"
        ).fetchall()
        assert [(row[0], row[1], str(row[2])) for row in new_customers] == [("new-1", 1, "7.25"), ("new-2", 1, "8.00")]
        moved_from = connection.execute(
            "select count(*) from marts.customer_rfm where customer_id = ?", [builds["moved_from"]]
        ).fetchone()
        assert moved_from == (0,)  # its only order now belongs to another customer
        kept = connection.execute(
            "select frequency from marts.customer_rfm where customer_id = ?", [builds["moved_too_from"]]
        ).fetchone()
        staged = connection.execute(
            "select count(*) from staging.stg_shop__orders where customer_id = ? and is_completed",
            [builds["moved_too_from"]],
        ).fetchone()
        assert kept is not None and staged is not None and kept[0] == staged[0] >= 2  # one order fewer
