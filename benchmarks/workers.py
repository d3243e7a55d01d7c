"""One benchmark step per process: benchmarks/run.py starts `python workers.py STEP ...` and measures it.

Steps: load (raw Parquet -> fresh DuckDB via scripts/load_input.py), floor (benchmarks/floor.sql),
pandas, lifetimes, pymc_rfm_summary, pymc_rfm_segments (peers; the last three need the bench venv),
append_day (make the +1 day input for --incremental) and compare (check that outputs agree).
Each step prints one line `BENCH_JSON {...}` with its in-process compute seconds and row count.
Imports happen inside the steps on purpose: a peer's import cost is part of its whole-process time.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from string import Template

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def report(**fields: object) -> None:
    print("BENCH_JSON " + json.dumps(fields, default=str), flush=True)


def step_load(args: argparse.Namespace) -> None:
    import duckdb

    sys.path.insert(0, str(REPO / "scripts"))
    from load_input import load_folder

    db = Path(args.db)
    if not args.keep_db:  # --keep-db: reload the raw tables in place, as the CLI does (incremental reruns)
        for suffix in ("", ".wal"):
            Path(str(db) + suffix).unlink(missing_ok=True)
    started = time.perf_counter()
    connection = duckdb.connect(str(db), config={"memory_limit": args.memory_limit})
    loaded = load_folder(connection, Path(args.data))
    connection.close()
    report(compute_seconds=time.perf_counter() - started, rows=loaded.get("orders", 0))


def step_floor(args: argparse.Namespace) -> None:
    import duckdb

    sql = Template((HERE / "floor.sql").read_text()).substitute(
        orders=str(Path(args.data) / "raw_orders.parquet"), out=args.out
    )
    started = time.perf_counter()
    connection = duckdb.connect(config={"memory_limit": args.memory_limit})
    connection.execute(sql)
    rows = connection.execute(f"select count(*) from read_parquet('{args.out}')").fetchone()
    report(compute_seconds=time.perf_counter() - started, rows=rows[0] if rows else 0)


def read_completed_orders(data: str):  # type: ignore[no-untyped-def]
    """Raw orders as an analyst would read them: Parquet -> pandas, money as float, completed only.

    Returns (completed orders with customer_id, order_date, amount; as-of date = day after the latest order).
    """
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(Path(data) / "raw_orders.parquet", columns=["customer_id", "ordered_at", "amount", "status"])
    table = table.set_column(2, "amount", table.column("amount").cast(pa.float64()))
    orders = table.to_pandas()
    orders["order_date"] = pd.to_datetime(orders["ordered_at"], format="%Y-%m-%d %H:%M:%S").dt.normalize()
    as_of = orders["order_date"].max() + pd.Timedelta(days=1)
    status = orders["status"].fillna("completed").str.lower()
    completed = orders.loc[status == "completed", ["customer_id", "order_date", "amount"]]
    return completed, as_of


def step_pandas(args: argparse.Namespace) -> None:
    """The same outputs as floor.sql with pandas groupby (money summed in integer cents: exact)."""
    import numpy as np
    import pandas as pd

    started = time.perf_counter()
    completed, as_of = read_completed_orders(args.data)
    completed = completed.assign(cents=np.rint(completed["amount"].to_numpy() * 100).astype("int64"))
    days = (
        completed.groupby(["customer_id", "order_date"], sort=True)
        .agg(orders=("cents", "size"), revenue=("cents", "sum"))
        .reset_index()
    )
    by_customer = days.groupby("customer_id", sort=True)
    customers = pd.DataFrame(
        {
            "purchase_days": by_customer.size(),
            "frequency": by_customer["orders"].sum(),
            "monetary_cents": by_customer["revenue"].sum(),
            "first_order_date": by_customer["order_date"].min(),
            "last_order_date": by_customer["order_date"].max(),
            "first_day_revenue": by_customer["revenue"].first(),
        }
    )
    n = len(customers)
    recency = (as_of - customers["last_order_date"]).dt.days
    span = (customers["last_order_date"] - customers["first_order_date"]).dt.days
    repeat_days = customers["purchase_days"] - 1

    def score(values: pd.Series, higher_is_better: bool) -> pd.Series:
        rank = values.rank(method="min", ascending=higher_is_better)
        return (1 + np.floor(5 * (rank - 1) / n)).astype("int64")

    result = pd.DataFrame(
        {
            "customer_id": customers.index.astype(str),
            "recency_days": recency.to_numpy(),
            "frequency": customers["frequency"].to_numpy(),
            "monetary_total": customers["monetary_cents"].to_numpy() / 100,
            "r_score": score(recency, higher_is_better=False).to_numpy(),
            "f_score": score(customers["frequency"], higher_is_better=True).to_numpy(),
            "m_score": score(customers["monetary_cents"], higher_is_better=True).to_numpy(),
            "avg_latency_days": (span / repeat_days.where(repeat_days > 0)).to_numpy(),
            "btyd_frequency": repeat_days.to_numpy(),
            "btyd_recency": span.to_numpy(),
            "btyd_t": (as_of - customers["first_order_date"]).dt.days.to_numpy(),
            "btyd_monetary_value": (
                ((customers["monetary_cents"] - customers["first_day_revenue"]) / 100 / repeat_days)
                .where(repeat_days > 0, 0.0)
                .to_numpy()
            ),
        }
    )
    result["rfm_cell"] = (
        result["r_score"].astype(str) + result["f_score"].astype(str) + result["m_score"].astype(str)
    )
    result.to_parquet(args.out, index=False)
    report(compute_seconds=time.perf_counter() - started, rows=len(result))


def step_lifetimes(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    from lifetimes.utils import summary_data_from_transaction_data

    completed, as_of = read_completed_orders(args.data)
    summary = summary_data_from_transaction_data(
        completed,
        "customer_id",
        "order_date",
        monetary_value_col="amount",
        observation_period_end=as_of,
        freq="D",
    )
    summary.reset_index().to_parquet(args.out, index=False)
    report(compute_seconds=time.perf_counter() - started, rows=len(summary))


def step_pymc(args: argparse.Namespace, segments: bool) -> None:
    started = time.perf_counter()
    from pymc_marketing.clv import utils as clv_utils

    completed, as_of = read_completed_orders(args.data)
    function = clv_utils.rfm_segments if segments else clv_utils.rfm_summary
    summary = function(
        completed,
        customer_id_col="customer_id",
        datetime_col="order_date",
        monetary_value_col="amount",
        observation_period_end=as_of,
        time_unit="D",
    )
    summary.to_parquet(args.out, index=False)
    report(compute_seconds=time.perf_counter() - started, rows=len(summary))


def step_append_day(args: argparse.Namespace) -> None:
    """A copy of the input folder whose orders gain one new day: one completed order, dated the day after
    the data ends, for every customer whose id is 7 modulo `--every` (a fixed, repeatable ~1/every sample)."""
    import duckdb

    source, target = Path(args.data), Path(args.out)
    target.mkdir(parents=True, exist_ok=True)
    for path in source.glob("*.parquet"):
        if path.name != "raw_orders.parquet":
            link = target / path.name
            if not link.exists():
                link.symlink_to(path)
    orders = str(source / "raw_orders.parquet")
    started = time.perf_counter()
    connection = duckdb.connect()
    connection.execute(
        f"""
        copy (
            with base as (select * from read_parquet('{orders}')),
            bounds as (
                select max(order_id) as last_order_id, max(cast(ordered_at as date)) + 1 as new_day from base
            ),
            buyers as (select distinct customer_id from base where customer_id % {int(args.every)} = 7),
            new_orders as (
                select
                    bounds.last_order_id + row_number() over (order by buyers.customer_id) as order_id,
                    buyers.customer_id,
                    strftime(bounds.new_day, '%Y-%m-%d') || ' 12:00:00' as ordered_at,
                    cast(20 + buyers.customer_id % 80 + 0.99 as decimal(12, 2)) as amount,
                    cast((20 + buyers.customer_id % 80 + 0.99) * 0.4 as decimal(12, 2)) as gross_margin,
                    cast(0 as decimal(12, 2)) as discount,
                    'completed' as status,
                    'web' as channel,
                    'apparel' as product_category
                from buyers cross join bounds
            )
            select * from base
            union all by name
            select * from new_orders
        ) to '{target / "raw_orders.parquet"}' (format parquet)
        """
    )
    added = connection.execute(
        f"select count(*) from read_parquet('{target / 'raw_orders.parquet'}')"
        f" where cast(ordered_at as date) > (select max(cast(ordered_at as date)) from read_parquet('{orders}'))"
    ).fetchone()
    report(compute_seconds=time.perf_counter() - started, rows=added[0] if added else 0)


def step_compare(args: argparse.Namespace) -> None:
    """Compare every output against the floor; print one JSON verdict per output (no timing)."""
    import duckdb

    out = Path(args.out_dir)
    floor = out / "floor.parquet"
    connection = duckdb.connect()
    connection.execute(f"create view floor as select * from read_parquet('{floor}')")
    verdicts: dict[str, str] = {}

    def check(name: str, relation: str, pairs: list[tuple[str, str]], key: str = "customer_id") -> None:
        mismatches = []
        total = connection.execute("select count(*) from floor").fetchone()[0]  # type: ignore[index]
        other = connection.execute(f"select count(*) from {relation}").fetchone()[0]  # type: ignore[index]
        joined = connection.execute(
            f"select count(*) from floor join {relation} as other on floor.customer_id = cast(other.{key} as varchar)"
        ).fetchone()[0]  # type: ignore[index]
        for floor_column, other_column in pairs:
            differing = connection.execute(
                f"""
                select count(*) from floor join {relation} as other
                    on floor.customer_id = cast(other.{key} as varchar)
                where abs(coalesce(cast(floor.{floor_column} as {FLOAT}), -1e18)
                          - coalesce(cast(other.{other_column} as {FLOAT}), -1e18)) > 1e-6
                """
            ).fetchone()[0]  # type: ignore[index]
            if differing:
                mismatches.append(f"{other_column}: {differing} differ")
        if total == joined and not mismatches:
            extra = "" if other == total else f"; it has {other - total} more rows (customers without a completed order)"
            verdicts[name] = f"agrees with the floor on all {total} customers ({', '.join(o for _, o in pairs)}){extra}"
        else:
            verdicts[name] = (
                f"DIFFERS: floor {total} rows, {name} {other} rows, {joined} matched; " + "; ".join(mismatches)
            )

    floor_columns = [
        "recency_days", "frequency", "monetary_total", "r_score", "f_score", "m_score", "avg_latency_days",
        "btyd_frequency", "btyd_recency", "btyd_t", "btyd_monetary_value",
    ]  # fmt: skip
    btyd = [("btyd_frequency", "frequency"), ("btyd_recency", "recency"), ("btyd_t", "T"),
            ("btyd_monetary_value", "monetary_value")]  # fmt: skip
    if (out / "pandas.parquet").exists():
        check("pandas", f"read_parquet('{out / 'pandas.parquet'}')", [(c, c) for c in floor_columns])
    if (out / "lifetimes.parquet").exists():
        check("lifetimes", f"read_parquet('{out / 'lifetimes.parquet'}')", btyd)
    if (out / "pymc_rfm_summary.parquet").exists():
        check("pymc_rfm_summary", f"read_parquet('{out / 'pymc_rfm_summary.parquet'}')", btyd)
    if args.db and Path(args.db).exists():
        connection.execute(f"attach '{args.db}' as warehouse (read_only)")
        tables = {
            row[0]
            for row in connection.execute(
                "select table_name from information_schema.tables"
                " where table_catalog = 'warehouse' and table_schema = 'marts'"
            ).fetchall()
        }
        for mart, candidates in MART_COLUMNS.items():
            if mart not in tables:
                continue
            columns = {
                row[0].lower(): row[0]
                for row in connection.execute(
                    "select column_name from information_schema.columns"
                    f" where table_catalog = 'warehouse' and table_schema = 'marts' and table_name = '{mart}'"
                ).fetchall()
            }
            pairs = [(floor_column, columns[name]) for floor_column, name in candidates if name in columns]
            relation = f"warehouse.marts.{mart}"
            if pairs:
                check(mart, relation, [(floor_column, f'"{name}"') for floor_column, name in pairs])
            else:
                verdicts[mart] = "not compared (no column with a known name)"
    report(verdicts=verdicts)


FLOAT = "double"
# Mart columns compared with the floor when the mart has them (names from the data contract; first match wins).
MART_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "customer_rfm": [("recency_days", "recency_days"), ("frequency", "frequency"), ("monetary_total", "monetary_total"),
                     ("r_score", "r_score"), ("f_score", "f_score"), ("m_score", "m_score")],
    "customer_latency": [("avg_latency_days", "avg_latency_days"), ("avg_latency_days", "average_latency_days"),
                         ("avg_latency_days", "avg_gap_days")],
    "customer_btyd_summary": [("btyd_frequency", "frequency"), ("btyd_recency", "recency"), ("btyd_t", "t"),
                              ("btyd_monetary_value", "monetary_value")],
}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("step")
    parser.add_argument("--data")
    parser.add_argument("--out")
    parser.add_argument("--out-dir")
    parser.add_argument("--db")
    parser.add_argument("--memory-limit", default="8GB")
    parser.add_argument("--every", type=int, default=500)
    parser.add_argument("--keep-db", action="store_true", help="load: replace the raw tables, keep the rest")
    args = parser.parse_args()
    steps = {
        "load": step_load,
        "floor": step_floor,
        "pandas": step_pandas,
        "lifetimes": step_lifetimes,
        "pymc_rfm_summary": lambda a: step_pymc(a, segments=False),
        "pymc_rfm_segments": lambda a: step_pymc(a, segments=True),
        "append_day": step_append_day,
        "compare": step_compare,
    }
    steps[args.step](args)


if __name__ == "__main__":
    main()
