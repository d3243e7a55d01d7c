"""One benchmark step per process: benchmarks/run.py starts `python workers.py STEP ...` and measures it.

Steps: load (raw Parquet -> fresh DuckDB via scripts/load_input.py), floor (benchmarks/floor.sql),
pandas, lifetimes, pymc_rfm_summary, pymc_rfm_segments (peers; the last three need the bench venv),
append_day (make the +1 day input for --incremental) and compare (check that outputs agree).

CLV (issue 15): clv_export (main venv: the warehouse's customer_btyd_summary as the peers' Parquet input, and
our customer_clv predictions + clv_model_parameters for the check), lifetimes_clv and pymc_clv (bench venv:
fit BG/NBD + Gamma-Gamma on that summary and predict P(alive), expected repeat purchase days in the next 90
days and the expected order value for every customer), clv_compare (bench venv, untimed: parameters and
per-customer predictions of each peer against ours, plus the peers' prediction code evaluated at OUR
parameters, which checks the formulas apart from the optimiser).

Category affinity (issue 21): affinity_counts (untimed): the size of the affinity input (orders, lines, line
categories, categorised orders) and of what the build wrote (pairs per level, next-category customers).

Each step prints one line `BENCH_JSON {...}` with its in-process compute seconds and row count (the CLV
peers also their fit / predict split).
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


# ------------------------------------------------------------------------------------------- CLV (issue 15)
CLV_HORIZON_DAYS = 90  # the horizon whose expected repeat purchase days are compared (customer_clv's _90d)
BG_NBD = ("r", "alpha", "a", "b")
GAMMA_GAMMA = ("p", "q", "v")


def read_clv_summary(path: str):  # type: ignore[no-untyped-def]
    """The peers' input: customer_btyd_summary as exported by clv_export (customer_id, frequency, recency, T,
    monetary_value; days), as an analyst would load it."""
    import pandas as pd

    summary = pd.read_parquet(path)
    return summary.astype({"frequency": "int64", "recency": "float64", "T": "float64", "monetary_value": "float64"})


def write_clv_outputs(out: str, frame, parameters: dict[str, float], **extra: object) -> None:  # type: ignore[no-untyped-def]
    """Per-customer predictions as Parquet; the fitted parameters (and extras) next to it as JSON."""
    frame.to_parquet(out, index=False)
    Path(out).with_suffix(".json").write_text(json.dumps({"parameters": parameters, **extra}, indent=1, default=str))


def step_affinity_counts(args: argparse.Namespace) -> None:
    """The affinity benchmark's sizes: raw orders and lines (Parquet under --data), the categorised orders, the
    pairs category_affinity wrote per level and customer_next_category's customers (warehouse --db). Untimed."""
    import duckdb

    data = Path(args.data)
    connection = duckdb.connect(args.db, read_only=True)

    def one(sql: str) -> tuple:
        return connection.execute(sql).fetchone()  # type: ignore[return-value]

    orders = one(f"select count(*) from read_parquet('{data / 'raw_orders.parquet'}')")[0]
    lines, line_orders, categories = one(
        f"select count(*), count(distinct order_id), count(distinct product_category) "
        f"from read_parquet('{data / 'raw_order_lines.parquet'}')"
    )
    categorised, order_categories, basket_pair_rows = one(
        "select count(*), sum(categories), sum(categories * (categories - 1)) from ("
        " select order_id, count(*) as categories from intermediate.int_order_categories group by order_id)"
    )
    pairs = {
        level: {"pairs": pairs, "significant": significant, "positive_significant": positive}
        for level, pairs, significant, positive in connection.execute(
            "select affinity_level, count(*), count(*) filter (where is_significant),"
            " count(*) filter (where is_significant and lift > 1)"
            " from marts.category_affinity group by affinity_level order by affinity_level"
        ).fetchall()
    }
    customers, offered, gifts = one(
        "select count(*), count(next_category), count(*) filter (where is_possible_gift)"
        " from marts.customer_next_category"
    )
    report(orders=orders, order_lines=lines, orders_with_lines=line_orders, line_categories=categories,
           categorised_orders=categorised, order_category_rows=int(order_categories),
           basket_pair_rows=int(basket_pair_rows), pairs=pairs, next_category_customers=customers,
           next_category_offered=offered, possible_gifts=gifts)  # fmt: skip


def step_clv_export(args: argparse.Namespace) -> None:
    """From the built warehouse: clv_summary.parquet (the peers' input), ours_clv.parquet (our predictions)
    and ours_clv.json (our fitted parameters). Untimed."""
    import duckdb

    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    connection = duckdb.connect(args.db, read_only=True)
    connection.execute(
        f"""copy (select customer_id, frequency, recency, t as "T", monetary_value
                  from marts.customer_btyd_summary order by customer_id)
            to '{out / "clv_summary.parquet"}' (format parquet)"""
    )
    connection.execute(
        f"""copy (select customer_id, probability_alive, expected_orders_next_{CLV_HORIZON_DAYS}d as expected_orders,
                         expected_order_value
                  from marts.customer_clv order by customer_id)
            to '{out / "ours_clv.parquet"}' (format parquet)"""
    )
    rows = connection.execute(
        "select model_name, parameter_name, parameter_value, is_converged, fit_note, log_likelihood, customers_fitted"
        " from marts.clv_model_parameters"
    ).fetchall()
    parameters = {name: value for _, name, value, *_ in rows}
    fits = {
        model: {"is_converged": converged, "fit_note": note, "log_likelihood": ll, "customers_fitted": customers}
        for model, _, _, converged, note, ll, customers in rows
    }
    (out / "ours_clv.json").write_text(json.dumps({"parameters": parameters, "fits": fits}, indent=1, default=str))
    count = connection.execute("select count(*) from marts.customer_btyd_summary").fetchone()
    report(rows=count[0] if count else 0)


def step_lifetimes_clv(args: argparse.Namespace) -> None:
    """lifetimes: BetaGeoFitter + GammaGammaFitter (defaults: penalizer 0, tol 1e-7) on the summary, then
    conditional_probability_alive, conditional_expected_number_of_purchases_up_to_time(90) and
    conditional_expected_average_profit for every customer."""
    started = time.perf_counter()
    import pandas as pd
    from lifetimes import BetaGeoFitter, GammaGammaFitter

    summary = read_clv_summary(args.summary)
    loaded = time.perf_counter()
    bgf = BetaGeoFitter(penalizer_coef=0.0)
    bgf.fit(summary["frequency"], summary["recency"], summary["T"])
    fitted_bg = time.perf_counter()
    # The Gamma-Gamma input as ours: customers with a repeat purchase day of positive mean value.
    repeaters = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
    ggf = GammaGammaFitter(penalizer_coef=0.0)
    ggf.fit(repeaters["frequency"], repeaters["monetary_value"])
    fitted_gg = time.perf_counter()
    x, t_x, big_t = summary["frequency"], summary["recency"], summary["T"]
    result = pd.DataFrame({
        "customer_id": summary["customer_id"],
        "probability_alive": bgf.conditional_probability_alive(x, t_x, big_t),
        "expected_orders": bgf.conditional_expected_number_of_purchases_up_to_time(CLV_HORIZON_DAYS, x, t_x, big_t),
        "expected_order_value": ggf.conditional_expected_average_profit(x, summary["monetary_value"]),
    })  # fmt: skip
    predicted = time.perf_counter()
    parameters = {**{k: float(bgf.params_[k]) for k in BG_NBD}, **{k: float(ggf.params_[k]) for k in GAMMA_GAMMA}}
    write_clv_outputs(args.out, result, parameters)
    report(
        compute_seconds=time.perf_counter() - started, rows=len(result), load_seconds=loaded - started,
        fit_bg_nbd_seconds=fitted_bg - loaded, fit_gamma_gamma_seconds=fitted_gg - fitted_bg,
        predict_seconds=predicted - fitted_gg,
    )  # fmt: skip


def pymc_flat_priors(names: tuple[str, ...]) -> dict:  # type: ignore[type-arg]
    """HalfFlat priors: pm.find_MAP optimises the log-posterior without the Jacobian of the log transform
    (model.compile_logp(jacobian=False)), so with flat priors the MAP is the maximum-likelihood estimate."""
    from pymc_extras.prior import Prior

    return {name: Prior("HalfFlat") for name in names}


def step_pymc_clv(args: argparse.Namespace) -> None:
    """pymc-marketing: BetaGeoModel fitted with method="map" (pm.find_MAP, L-BFGS-B) on the summary, then
    expected_probability_alive and expected_purchases(future_t=90) for every customer; then GammaGammaModel
    (MAP) and expected_customer_spend. --priors flat (default): HalfFlat r, alpha, a, b (the MAP is then the
    MLE; GammaGammaModel's defaults are HalfFlat already); --priors default: BetaGeoModel's own priors, BG/NBD
    only (to show how far they move the estimate)."""
    started = time.perf_counter()
    import numpy as np
    import pandas as pd
    from pymc_marketing.clv import BetaGeoModel, GammaGammaModel

    summary = read_clv_summary(args.summary)
    loaded = time.perf_counter()
    data = summary[["customer_id", "frequency", "recency", "T"]]
    bg = BetaGeoModel(model_config=pymc_flat_priors(BG_NBD) if args.priors == "flat" else None)
    bg.fit(data=data, method="map", progressbar=False)
    fitted_bg = time.perf_counter()

    def values(array) -> np.ndarray:  # type: ignore[no-untyped-def]
        return np.asarray(array.squeeze(drop=True).transpose("customer_id").values, dtype=float)

    result = pd.DataFrame({
        "customer_id": summary["customer_id"],
        "probability_alive": values(bg.expected_probability_alive(data=data)),
        "expected_orders": values(bg.expected_purchases(data=data, future_t=CLV_HORIZON_DAYS)),
    })  # fmt: skip
    predicted_bg = time.perf_counter()
    parameters = {name: float(bg.fit_result[name].values.item()) for name in BG_NBD}
    timings = {"load_seconds": loaded - started, "fit_bg_nbd_seconds": fitted_bg - loaded,
               "predict_bg_nbd_seconds": predicted_bg - fitted_bg}  # fmt: skip
    gamma_gamma_error = None
    if args.priors == "flat":
        try:
            spend = summary[["customer_id", "monetary_value", "frequency"]]
            repeaters = spend[(spend["frequency"] > 0) & (spend["monetary_value"] > 0)]
            gg = GammaGammaModel()  # default priors: HalfFlat p, q, v
            gg.fit(data=repeaters, method="map", progressbar=False)
            fitted_gg = time.perf_counter()
            result["expected_order_value"] = values(gg.expected_customer_spend(data=spend))
            parameters.update({name: float(gg.fit_result[name].values.item()) for name in GAMMA_GAMMA})
            timings |= {"fit_gamma_gamma_seconds": fitted_gg - predicted_bg,
                        "predict_gamma_gamma_seconds": time.perf_counter() - fitted_gg}  # fmt: skip
        except Exception as error:  # noqa: BLE001 -- reported, the BG/NBD part still counts
            gamma_gamma_error = f"{type(error).__name__}: {error}"
    write_clv_outputs(args.out, result, parameters, priors=args.priors, gamma_gamma_error=gamma_gamma_error)
    report(compute_seconds=time.perf_counter() - started, rows=len(result), gamma_gamma_error=gamma_gamma_error,
           **timings)  # fmt: skip


def step_clv_compare(args: argparse.Namespace) -> None:
    """Each peer's fitted parameters and per-customer predictions against ours (relative differences), and
    the peer's prediction code evaluated at our parameters (formula check). Untimed; runs in the bench venv."""
    import numpy as np
    import pandas as pd

    out = Path(args.out_dir)
    summary = read_clv_summary(str(out / "clv_summary.parquet"))
    ours = pd.read_parquet(out / "ours_clv.parquet")
    ours_parameters = json.loads((out / "ours_clv.json").read_text())["parameters"]
    ours = summary.merge(ours, on="customer_id", how="left", validate="one_to_one")
    columns = ("probability_alive", "expected_orders", "expected_order_value")

    def relative(peer: np.ndarray, mine: np.ndarray) -> dict[str, object]:
        peer, mine = np.asarray(peer, dtype=float), np.asarray(mine, dtype=float)
        both = np.isfinite(peer) & np.isfinite(mine)
        difference = np.abs(peer - mine)
        scale = np.maximum(np.abs(mine), 1e-300)
        rel = np.where(both, difference / scale, np.nan)
        worst = int(np.nanargmax(rel)) if both.any() else None
        return {
            "max_relative": float(np.nanmax(rel)) if both.any() else None,
            "max_absolute": float(np.max(difference[both])) if both.any() else None,
            "over_tolerance": int(np.sum(rel > 1e-6)),
            "not_finite_peer": int((~np.isfinite(peer) & np.isfinite(mine)).sum()),
            "not_finite_ours": int((np.isfinite(peer) & ~np.isfinite(mine)).sum()),
            "worst_customer": None if worst is None else {
                "frequency": int(summary["frequency"].iloc[worst]), "recency": float(summary["recency"].iloc[worst]),
                "T": float(summary["T"].iloc[worst]), "ours": float(mine[worst]), "peer": float(peer[worst])},
        }  # fmt: skip

    def compare_predictions(frame) -> dict[str, object]:  # type: ignore[no-untyped-def]
        merged = summary[["customer_id"]].merge(frame, on="customer_id", how="left", validate="one_to_one")
        return {column: relative(merged[column], ours[column]) for column in columns if column in merged}

    peers: dict[str, object] = {}
    for name in args.peers.split(","):
        path = out / f"{name}.parquet"
        if not path.exists():
            continue
        sidecar = json.loads(path.with_suffix(".json").read_text())
        peer_parameters = sidecar["parameters"]
        peers[name] = {
            "parameters": {k: {"peer": v, "ours": ours_parameters.get(k),
                               "relative": abs(v - ours_parameters[k]) / abs(ours_parameters[k])
                               if ours_parameters.get(k) else None} for k, v in peer_parameters.items()},
            "predictions_own_parameters": compare_predictions(pd.read_parquet(path)),
            **{k: v for k, v in sidecar.items() if k != "parameters"},
        }  # fmt: skip

    # The peers' prediction code at our parameters: differences here are formula / numerics, not the optimiser.
    x, t_x, big_t, m = summary["frequency"], summary["recency"], summary["T"], summary["monetary_value"]
    formula: dict[str, object] = {}
    if all(ours_parameters.get(k) is not None for k in BG_NBD + GAMMA_GAMMA):
        from lifetimes import BetaGeoFitter, GammaGammaFitter

        bgf, ggf = BetaGeoFitter(), GammaGammaFitter()
        bgf.params_ = pd.Series({k: ours_parameters[k] for k in BG_NBD})
        ggf.params_ = pd.Series({k: ours_parameters[k] for k in GAMMA_GAMMA})
        formula["lifetimes"] = compare_predictions(pd.DataFrame({
            "customer_id": summary["customer_id"],
            "probability_alive": bgf.conditional_probability_alive(x, t_x, big_t),
            "expected_orders": bgf.conditional_expected_number_of_purchases_up_to_time(CLV_HORIZON_DAYS, x, t_x, big_t),
            "expected_order_value": ggf.conditional_expected_average_profit(x, m),
        }))  # fmt: skip
        import arviz as az
        from pymc_marketing.clv import BetaGeoModel, GammaGammaModel

        def at_ours(model, names):  # type: ignore[no-untyped-def]
            model.idata = az.from_dict(posterior={k: np.array([[ours_parameters[k]]]) for k in names})
            return model

        data = summary[["customer_id", "frequency", "recency", "T"]]
        bg = BetaGeoModel(model_config=pymc_flat_priors(BG_NBD))
        bg.build_model(data)
        bg = at_ours(bg, BG_NBD)
        gg = GammaGammaModel()
        gg.build_model(summary.loc[(x > 0) & (m > 0), ["customer_id", "monetary_value", "frequency"]])
        gg = at_ours(gg, GAMMA_GAMMA)
        squeeze = lambda array: np.asarray(array.squeeze(drop=True).transpose("customer_id").values, dtype=float)  # noqa: E731
        formula["pymc_marketing"] = compare_predictions(pd.DataFrame({
            "customer_id": summary["customer_id"],
            "probability_alive": squeeze(bg.expected_probability_alive(data=data)),
            "expected_orders": squeeze(bg.expected_purchases(data=data, future_t=CLV_HORIZON_DAYS)),
            "expected_order_value": squeeze(gg.expected_customer_spend(
                data=summary[["customer_id", "monetary_value", "frequency"]])),
        }))  # fmt: skip
    report(customers=len(summary), ours_parameters=ours_parameters, peers=peers, formula_at_our_parameters=formula,
           log_likelihood=clv_log_likelihoods(summary, {"ours": ours_parameters, **{name: peer["parameters"]
                                                        for name, peer in peers.items()}}))  # fmt: skip


def clv_log_likelihoods(summary, parameter_sets: dict) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """Mean log-likelihood per customer of each parameter set on the same summary, by lifetimes' own likelihood
    code (BG/NBD on everyone, Gamma-Gamma on repeat buyers with positive value): the higher one is the better
    maximum-likelihood fit, whatever the optimiser reported."""
    import numpy as np
    from lifetimes import BetaGeoFitter, GammaGammaFitter

    repeaters = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
    result: dict[str, dict[str, float | None]] = {}
    for name, parameters in parameter_sets.items():
        values = {k: (v["peer"] if isinstance(v, dict) else v) for k, v in parameters.items()}
        result[name] = {"bg_nbd": None, "gamma_gamma": None}
        if all(values.get(k) for k in BG_NBD):
            result[name]["bg_nbd"] = -float(BetaGeoFitter._negative_log_likelihood(
                np.log([values[k] for k in BG_NBD]), summary["frequency"].to_numpy(), summary["recency"].to_numpy(),
                summary["T"].to_numpy(), np.ones(len(summary)), 0.0))  # fmt: skip
        if all(values.get(k) for k in GAMMA_GAMMA):
            result[name]["gamma_gamma"] = -float(GammaGammaFitter._negative_log_likelihood(
                np.log([values[k] for k in GAMMA_GAMMA]), repeaters["frequency"].to_numpy(),
                repeaters["monetary_value"].to_numpy(), np.ones(len(repeaters)), 0.0))  # fmt: skip
    return result


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
    parser.add_argument("--summary", help="CLV peers: the customer_btyd_summary Parquet")
    parser.add_argument("--priors", choices=("flat", "default"), default="flat", help="pymc_clv: BG/NBD priors")
    parser.add_argument("--peers", default="lifetimes_clv,pymc_clv", help="clv_compare: peer outputs to check")
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
        "clv_export": step_clv_export,
        "lifetimes_clv": step_lifetimes_clv,
        "pymc_clv": step_pymc_clv,
        "clv_compare": step_clv_compare,
        "affinity_counts": step_affinity_counts,
    }
    steps[args.step](args)


if __name__ == "__main__":
    main()
