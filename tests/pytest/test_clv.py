"""Issue 15: the CLV marts of a dbt build against an independent computation.

Everything expected here comes from the raw demo CSVs (pandas) and btyd_oracle.py (written from Fader, Hardie &
Lee 2005 and Fader & Hardie 2013 with scipy, sharing nothing with scripts/clv_fit.py or the SQL):
- the BG/NBD and Gamma-Gamma maximum-likelihood fits on the full and the calibration period;
- per customer P(alive), expected repeat purchase days, P(ordering), expected order value, the discounted CLV
  and the propensity decile;
- the backtest: per calibration frequency and per decile, the totals, MAE, correlation, top-decile lift, AUC.
Then the edge cases: no repeat buyers, a handful of customers, everyone on one day; the build passes, the fit
says why not, predictions are null and `drilldown.py run` prints one warning line.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from conftest import REPO, build_folder, query

sys.path.insert(0, str(REPO / "tests" / "pytest"))
import btyd_oracle as oracle  # noqa: E402

HORIZONS = (30, 90, 365)
HOLDOUT_DAYS = 180
ANNUAL_DISCOUNT_RATE = 0.10
BG_NBD = ("r", "alpha", "a", "b")
GAMMA_GAMMA = ("p", "q", "v")
# The optimiser stops at a gradient of 1e-4 of the mean log-likelihood: parameters agree to about this much.
FIT_RTOL = 2e-3
# At the same parameters the closed forms must agree to rounding.
FORMULA_RTOL = 1e-9


# ------------------------------------------------------------------------------------------------------------------
# Independent inputs: purchase days from the raw demo orders
# ------------------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def purchase_days(demo_raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Completed demo orders summed per customer and calendar day (the demo files are clean)."""
    orders = demo_raw["orders"].copy()
    orders = orders[orders["status"].fillna("completed").str.strip().str.lower() == "completed"]
    orders["day"] = pd.to_datetime(orders["ordered_at"]).dt.normalize()
    orders["revenue"] = orders["amount"].map(Decimal)
    orders["margin"] = orders["gross_margin"].map(lambda value: None if pd.isna(value) else Decimal(value))
    days = orders.groupby(["customer_id", "day"], as_index=False).agg(revenue=("revenue", "sum"))
    return days.sort_values(["customer_id", "day"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def as_of(demo_warehouse: Path) -> pd.Timestamp:
    return pd.Timestamp(query(demo_warehouse, "select as_of_date from staging.base_as_of_date")["as_of_date"][0])


def summary(days: pd.DataFrame, end: pd.Timestamp) -> pd.DataFrame:
    """lifetimes' summary_data_from_transaction_data(freq='D') of the purchase days on or before `end`, plus the
    repeat purchase days after it (the holdout)."""
    before = days[days["day"] <= end].copy()
    first = before.groupby("customer_id")["day"].transform("min")
    before["is_repeat"] = before["day"] > first
    grouped = before.groupby("customer_id")
    frame = pd.DataFrame({
        "frequency": grouped["is_repeat"].sum().astype(int),
        "recency": (grouped["day"].max() - grouped["day"].min()).dt.days.astype(float),
        "T": (end - grouped["day"].min()).dt.days.astype(float),
        "repeat_revenue": before[before["is_repeat"]].groupby("customer_id")["revenue"].sum(),
    })  # fmt: skip
    frame["repeat_revenue"] = frame["repeat_revenue"].fillna(Decimal(0))
    frame["monetary_value"] = [
        float(revenue / x) if x > 0 else 0.0 for revenue, x in zip(frame["repeat_revenue"], frame["frequency"])
    ]
    after = days[(days["day"] > end) & days["customer_id"].isin(frame.index)]
    frame["holdout"] = after.groupby("customer_id").size().reindex(frame.index, fill_value=0).astype(int)
    return frame


@pytest.fixture(scope="module")
def full_summary(purchase_days: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    return summary(purchase_days, as_of)


@pytest.fixture(scope="module")
def calibration_summary(purchase_days: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    return summary(purchase_days, as_of - timedelta(days=HOLDOUT_DAYS))


def warehouse_parameters(db: Path, fit_period: str) -> dict[str, float]:
    frame = query(db, f"""
        select parameter_name, parameter_value from intermediate.int_clv_parameters
        where fit_period = '{fit_period}' and is_converged""")  # fmt: skip
    return dict(zip(frame["parameter_name"], frame["parameter_value"]))


def expected_order_value(params: dict[str, float], frame: pd.DataFrame) -> np.ndarray:
    x, m = frame["frequency"].to_numpy(float), frame["monetary_value"].to_numpy(float)
    return np.where(x > 0, oracle.gamma_gamma_conditional_mean(params, x, m), oracle.gamma_gamma_population_mean(params))


def assert_close(ours, expected, rtol: float, what: str) -> None:
    ours, expected = np.asarray(ours, dtype=float), np.asarray(expected, dtype=float)
    worst = np.max(np.abs(ours - expected) / np.maximum(np.abs(expected), 1e-12)) if len(ours) else 0.0
    assert worst <= rtol, f"{what}: max relative difference {worst:.3g} > {rtol}"


# ------------------------------------------------------------------------------------------------------------------
# The fits
# ------------------------------------------------------------------------------------------------------------------
def test_summary_is_the_fit_input(demo_warehouse: Path, full_summary: pd.DataFrame) -> None:
    mart = query(demo_warehouse, "select customer_id, frequency, recency, t, monetary_value from marts.customer_btyd_summary")
    mart = mart.set_index("customer_id").sort_index()
    expected = full_summary.sort_index()
    assert list(mart.index) == list(expected.index)
    assert (mart["frequency"].to_numpy() == expected["frequency"].to_numpy()).all()
    assert (mart["recency"].to_numpy() == expected["recency"].to_numpy()).all()
    assert (mart["t"].to_numpy() == expected["T"].to_numpy()).all()
    assert_close(mart["monetary_value"], expected["monetary_value"], 1e-12, "monetary_value")


@pytest.mark.parametrize("fit_period", ["full", "calibration"])
def test_fits_equal_the_oracle(demo_warehouse: Path, full_summary: pd.DataFrame, calibration_summary: pd.DataFrame,
                               fit_period: str) -> None:  # fmt: skip
    frame = full_summary if fit_period == "full" else calibration_summary
    fits = query(demo_warehouse, f"""
        select model_name, parameter_name, parameter_value, customers_fitted, log_likelihood, is_converged, fit_note
        from intermediate.int_clv_parameters where fit_period = '{fit_period}'""")  # fmt: skip
    assert fits["is_converged"].all(), fits["fit_note"].tolist()
    assert len(fits) == 7
    bg = fits[fits["model_name"] == "bg_nbd"].set_index("parameter_name")
    oracle_bg, oracle_bg_ll = oracle.fit_bg_nbd(frame["frequency"], frame["recency"], frame["T"])
    assert (bg["customers_fitted"] == len(frame)).all()
    for name in BG_NBD:
        assert_close([bg.loc[name, "parameter_value"]], [oracle_bg[name]], FIT_RTOL, f"{fit_period} bg_nbd {name}")
    # The maximum itself is flat: the log-likelihoods agree far closer than the parameters.
    assert abs(bg["log_likelihood"].iloc[0] - oracle_bg_ll) <= 1e-4 * abs(oracle_bg_ll)
    assert bg["log_likelihood"].iloc[0] >= oracle_bg_ll - 1e-6 * abs(oracle_bg_ll)

    repeaters = frame[(frame["frequency"] > 0) & (frame["monetary_value"] > 0)]
    gg = fits[fits["model_name"] == "gamma_gamma"].set_index("parameter_name")
    oracle_gg, oracle_gg_ll = oracle.fit_gamma_gamma(repeaters["frequency"], repeaters["monetary_value"])
    assert (gg["customers_fitted"] == len(repeaters)).all()
    # p, q, v are strongly correlated (only p v / (q - 1)-like combinations are pinned): compare the likelihood and
    # the population mean spend tightly, the parameters loosely.
    assert abs(gg["log_likelihood"].iloc[0] - oracle_gg_ll) <= 1e-4 * abs(oracle_gg_ll)
    ours_gg = {name: gg.loc[name, "parameter_value"] for name in GAMMA_GAMMA}
    assert_close([oracle.gamma_gamma_population_mean(ours_gg)], [oracle.gamma_gamma_population_mean(oracle_gg)], 1e-3,
                 "gamma_gamma population mean")  # fmt: skip
    for name in GAMMA_GAMMA:
        assert_close([ours_gg[name]], [oracle_gg[name]], 0.05, f"{fit_period} gamma_gamma {name}")


def test_clv_model_parameters_mart_is_the_full_fit(demo_warehouse: Path, as_of: pd.Timestamp) -> None:
    mart = query(demo_warehouse, "select * from marts.clv_model_parameters order by model_name, parameter_name")
    fit = query(demo_warehouse, """
        select model_name, parameter_name, parameter_value from intermediate.int_clv_parameters
        where fit_period = 'full' order by model_name, parameter_name""")  # fmt: skip
    assert mart[["model_name", "parameter_name", "parameter_value"]].equals(fit)
    assert set(mart["time_unit"]) == {"day"}
    assert set(pd.to_datetime(mart["fitted_as_of_date"])) == {as_of}
    assert mart["is_converged"].all() and mart["fit_note"].isna().all()


# ------------------------------------------------------------------------------------------------------------------
# Per-customer predictions
# ------------------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def customer_clv(demo_warehouse: Path) -> pd.DataFrame:
    return query(demo_warehouse, "select * from marts.customer_clv").set_index("customer_id").sort_index()


def test_customer_clv_equals_the_oracle(demo_warehouse: Path, customer_clv: pd.DataFrame,
                                        full_summary: pd.DataFrame) -> None:  # fmt: skip
    params = warehouse_parameters(demo_warehouse, "full")
    frame = full_summary.sort_index()
    assert list(customer_clv.index) == list(frame.index)
    x, t_x, big_t = (frame[column].to_numpy(float) for column in ("frequency", "recency", "T"))
    assert_close(customer_clv["probability_alive"], oracle.probability_alive(params, x, t_x, big_t), FORMULA_RTOL,
                 "probability_alive")  # fmt: skip
    for days in HORIZONS:
        assert_close(customer_clv[f"expected_orders_next_{days}d"],
                     oracle.expected_repeat_purchases(params, x, t_x, big_t, days), FORMULA_RTOL,
                     f"expected_orders_next_{days}d")  # fmt: skip
        assert_close(customer_clv[f"probability_ordering_next_{days}d"],
                     oracle.probability_purchase(params, x, t_x, big_t, days), FORMULA_RTOL,
                     f"probability_ordering_next_{days}d")  # fmt: skip
    assert_close(customer_clv["expected_order_value"], expected_order_value(params, frame), FORMULA_RTOL,
                 "expected_order_value")  # fmt: skip
    # Customers without a repeat purchase day: alive for sure, the population mean spend.
    never = frame["frequency"] == 0
    assert (customer_clv.loc[never, "probability_alive"] == 1.0).all()
    assert customer_clv.loc[never, "expected_order_value"].nunique() == 1


def test_predicted_clv_is_discounted_monthly(demo_warehouse: Path, customer_clv: pd.DataFrame,
                                             full_summary: pd.DataFrame, demo_raw: dict) -> None:  # fmt: skip
    params = warehouse_parameters(demo_warehouse, "full")
    frame = full_summary.sort_index()
    x, t_x, big_t = (frame[column].to_numpy(float) for column in ("frequency", "recency", "T"))
    # The margin share from the raw orders: the customer's own when every completed order has a margin.
    orders = demo_raw["orders"]
    orders = orders[orders["status"].fillna("completed").str.strip().str.lower() == "completed"]
    per_customer = orders.groupby("customer_id").agg(
        revenue=("amount", lambda values: sum(map(Decimal, values))),
        margin=("gross_margin", lambda values: None if values.isna().any() else sum(map(Decimal, values))),
    )  # fmt: skip
    assert per_customer["margin"].notna().all(), "the demo orders all carry a margin"
    margin_rate = (per_customer["margin"].map(float) / per_customer["revenue"].map(float)).reindex(frame.index)
    assert_close(customer_clv["margin_rate"], margin_rate, 1e-12, "margin_rate")
    assert set(customer_clv["value_basis"]) == {"margin"}
    value = expected_order_value(params, frame) * margin_rate.to_numpy()
    for days in HORIZONS:
        steps = sorted({*range(30, days, 30), days})
        previous, discounted = np.zeros_like(x), np.zeros_like(x)
        for step in steps:
            current = oracle.expected_repeat_purchases(params, x, t_x, big_t, step)
            discounted += (current - previous) * (1 + ANNUAL_DISCOUNT_RATE) ** (-step / 365)
            previous = current
        assert_close(customer_clv[f"predicted_clv_next_{days}d"], discounted * value, FORMULA_RTOL,
                     f"predicted_clv_next_{days}d")  # fmt: skip
    # Discounting lowers the 365-day value below the undiscounted product, by at most the last step's factor.
    undiscounted = customer_clv["expected_orders_next_365d"] * customer_clv["expected_order_value"] * margin_rate
    ratio = customer_clv["predicted_clv_next_365d"] / undiscounted
    assert ratio.between(1.1**-1 - 1e-12, 1.1 ** (-30 / 365)).all()


def test_propensity_decile_bins_the_90_day_probability(customer_clv: pd.DataFrame) -> None:
    probability = customer_clv["probability_ordering_next_90d"]
    rank = probability.rank(method="min", ascending=True)
    expected = 1 + np.floor(10 * (rank - 1) / len(probability)).astype(int)
    assert (customer_clv["propensity_decile"] == expected).all()
    # Higher deciles are more likely to order, and the top decile is in use.
    means = probability.groupby(customer_clv["propensity_decile"]).mean()
    assert means.is_monotonic_increasing and 10 in means.index


def test_customers_mart_carries_the_clv_columns(demo_warehouse: Path, customer_clv: pd.DataFrame) -> None:
    customers = query(demo_warehouse, """
        select customer_id, probability_alive, probability_ordering_next_90d, predicted_clv_next_365d, propensity_decile
        from marts.customers where probability_alive is not null""").set_index("customer_id").sort_index()  # fmt: skip
    assert list(customers.index) == list(customer_clv.index)
    for column in customers.columns:
        assert (customers[column] == customer_clv[column]).all(), column


# ------------------------------------------------------------------------------------------------------------------
# The backtest
# ------------------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def backtest_expected(demo_warehouse: Path, calibration_summary: pd.DataFrame) -> pd.DataFrame:
    """Per calibration customer: the oracle's holdout predictions at the warehouse's calibration parameters."""
    params = warehouse_parameters(demo_warehouse, "calibration")
    frame = calibration_summary.copy()
    x, t_x, big_t = (frame[column].to_numpy(float) for column in ("frequency", "recency", "T"))
    frame["predicted"] = oracle.expected_repeat_purchases(params, x, t_x, big_t, HOLDOUT_DAYS)
    frame["probability"] = oracle.probability_purchase(params, x, t_x, big_t, HOLDOUT_DAYS)
    frame["ordered"] = (frame["holdout"] > 0).astype(float)
    rank = frame["probability"].rank(method="min")
    frame["decile"] = 1 + np.floor(10 * (rank - 1) / len(frame)).astype(int)
    return frame


@pytest.fixture(scope="module")
def backtest(demo_warehouse: Path) -> pd.DataFrame:
    return query(demo_warehouse, "select * from marts.clv_backtest order by backtest_section, bucket_sort_order")


def test_backtest_by_frequency(backtest: pd.DataFrame, backtest_expected: pd.DataFrame, as_of: pd.Timestamp) -> None:
    rows = backtest[backtest["backtest_section"] == "frequency"].set_index("bucket_sort_order")
    bucket = backtest_expected["frequency"].clip(upper=7)
    grouped = backtest_expected.groupby(bucket)
    assert list(rows.index) == list(grouped.size().index) == list(range(8))
    assert list(rows["bucket"]) == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    assert (rows["customers"] == grouped.size()).all()
    assert_close(rows["actual_repeat_purchase_days"], grouped["holdout"].mean(), 1e-12, "actual by frequency")
    assert_close(rows["predicted_repeat_purchase_days"], grouped["predicted"].mean(), FORMULA_RTOL, "predicted by frequency")
    assert_close(rows["actual_order_rate"], grouped["ordered"].mean(), 1e-12, "order rate by frequency")
    assert set(pd.to_datetime(backtest["calibration_end_date"])) == {as_of - timedelta(days=HOLDOUT_DAYS)}
    assert set(backtest["holdout_days"]) == {HOLDOUT_DAYS} and backtest["is_converged"].all()


def test_backtest_by_decile(backtest: pd.DataFrame, backtest_expected: pd.DataFrame) -> None:
    rows = backtest[backtest["backtest_section"] == "propensity_decile"].set_index("bucket_sort_order")
    grouped = backtest_expected.groupby("decile")
    assert list(rows.index) == list(grouped.size().index)
    assert (rows["customers"] == grouped.size()).all()
    assert_close(rows["predicted_order_probability"], grouped["probability"].mean(), FORMULA_RTOL, "probability by decile")
    assert_close(rows["actual_order_rate"], grouped["ordered"].mean(), 1e-12, "order rate by decile")


def test_backtest_totals(backtest: pd.DataFrame, backtest_expected: pd.DataFrame) -> None:
    total = backtest[backtest["backtest_section"] == "total"].iloc[0]
    frame = backtest_expected
    assert total["customers"] == len(frame)
    assert_close([total["total_actual_repeat_purchase_days"]], [frame["holdout"].sum()], 1e-12, "total actual")
    assert_close([total["total_predicted_repeat_purchase_days"]], [frame["predicted"].sum()], FORMULA_RTOL, "total predicted")
    assert_close([total["mean_absolute_error"]], [np.mean(np.abs(frame["predicted"] - frame["holdout"]))], FORMULA_RTOL,
                 "MAE")  # fmt: skip
    assert_close([total["correlation"]], [np.corrcoef(frame["predicted"], frame["holdout"])[0, 1]], 1e-8, "correlation")
    top = frame[frame["decile"] == 10]["ordered"].mean() / frame["ordered"].mean()
    assert_close([total["top_decile_lift"]], [top], 1e-12, "top decile lift")
    # AUC = P(a buyer's probability > a non-buyer's), ties half: the Mann-Whitney U over (buyers x non-buyers).
    buyers, others = frame.loc[frame["ordered"] == 1, "probability"], frame.loc[frame["ordered"] == 0, "probability"]
    u = stats.mannwhitneyu(buyers, others, alternative="two-sided").statistic
    assert_close([total["auc"]], [u / (len(buyers) * len(others))], 1e-9, "AUC")
    # On the demo data the model is worth trusting: it ranks buyers well and gets the total roughly right.
    assert total["auc"] > 0.7
    assert 0.7 < total["total_predicted_repeat_purchase_days"] / total["total_actual_repeat_purchase_days"] < 1.3


# ------------------------------------------------------------------------------------------------------------------
# Edge cases: the build passes, the fit says why not, predictions are null, the CLI warns once
# ------------------------------------------------------------------------------------------------------------------
def write_folder(folder: Path, orders: list[tuple[str, str, str]]) -> Path:
    """A minimal input folder: orders (customer, day, amount) and their customers."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["order_id,customer_id,ordered_at,amount,status"]
    lines += [f"{index},{customer},{day} 10:00:00,{amount},completed" for index, (customer, day, amount) in enumerate(orders, 1)]
    (folder / "orders.csv").write_text("\n".join(lines) + "\n")
    customers = sorted({customer for customer, _, _ in orders})
    (folder / "customers.csv").write_text("customer_id,acquired_at\n" + "".join(f"{c},2023-01-01\n" for c in customers))
    return folder


def one_time_buyers(n: int) -> list[tuple[str, str, str]]:
    start = date(2024, 1, 1)
    return [(f"c{i}", str(start + timedelta(days=i % 300)), "20.00") for i in range(n)]


EDGE_CASES = {
    "no_repeat_buyers": (one_time_buyers(200), "repeat"),
    "a_handful_of_customers": (one_time_buyers(3) + [("c0", "2024-03-01", "15.00"), ("c1", "2024-05-01", "9.00")], "customers"),
    "everyone_on_one_day": ([(f"c{i}", "2024-06-01", "10.00") for i in range(100)], "repeat"),
}


@pytest.mark.parametrize("case", sorted(EDGE_CASES))
def test_unfittable_input_builds_with_null_predictions(case: str, tmp_path: Path) -> None:
    orders, reason = EDGE_CASES[case]
    folder = write_folder(tmp_path / "input", orders)
    # The as-of date is after the last order for all three (one_time_buyers reach 2024-10-26).
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "drilldown.py"), "run", "--data", str(folder), "--out", str(tmp_path / "out"),
         "--var", "as_of_date=2024-12-01"],
        cwd=REPO, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Traceback" not in result.stdout + result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: CLV model not fitted")]
    assert len(warnings) == 1, result.stderr
    assert "bg_nbd" in warnings[0]
    db = tmp_path / "out" / "drilldown.duckdb"
    fits = query(db, "select * from marts.clv_model_parameters")
    bg = fits[fits["model_name"] == "bg_nbd"]
    assert len(fits) == 7 and not bg["is_converged"].any() and bg["parameter_value"].isna().all()
    assert reason.lower() in bg["fit_note"].iloc[0].lower(), bg["fit_note"].iloc[0]
    clv = query(db, "select * from marts.customer_clv")
    assert len(clv) == len({customer for customer, _, _ in orders})
    assert clv["probability_alive"].isna().all() and clv["predicted_clv_next_365d"].isna().all()
    assert clv["propensity_decile"].isna().all()
    backtest = query(db, "select * from marts.clv_backtest")
    assert not backtest["is_converged"].any()
    assert backtest["predicted_repeat_purchase_days"].isna().all()
