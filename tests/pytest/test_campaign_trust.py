"""Issue 16 (trustworthy results): CUPED, revenue capping and multiple-testing-safe roll-outs, checked against
numpy/scipy on generated data with a known truth.

One input folder is generated here (seeded) and built once:
- 3,000 customers with a persistent spend level: their 2024 orders (the CUPED covariate) predict their
  window orders, so CUPED has something to remove.
- 200 A/A campaigns `aa_000` ... `aa_199`, all starting 2025-01-01 (28-day window, no cost): every customer is
  contacted and split 50/50 at random, independently per campaign, and nothing is sent, so every cell has zero
  true effect. Given the data the 200 splits are independent, so the share of campaigns with any cell-level
  `roll_out` estimates the family-wise error rate of the decision rule.
- one campaign `planted` on 2025-03-01 whose treated contacts get an extra 40.00 order (margin 16.00) with
  probability 0.25: a known lift of +10.00 revenue and +4.00 margin per contact.
The statistics are recomputed from the generated orders (not from the models) with numpy/scipy.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import build_folder, query, run_dbt
from scipy import stats

SEED = 16
CUSTOMERS = 3000
AA_CAMPAIGNS = 200
AA_START = pd.Timestamp("2025-01-01")
PLANTED_START = pd.Timestamp("2025-03-01")
WINDOW_DAYS = 28
PLANTED_PROBABILITY, PLANTED_AMOUNT, MARGIN_RATE = 0.25, 40.0, 0.4
PLANTED_REVENUE_LIFT = PLANTED_PROBABILITY * PLANTED_AMOUNT  # 10.00 per treated contact
PLANTED_MARGIN_LIFT = PLANTED_REVENUE_LIFT * MARGIN_RATE  # 4.00
CAMPAIGN_MARTS = ["+campaign_results", "+campaign_results_by_rfm_cell", "+campaign_results_by_rfm_segment"]
DECISION_MODELS = ["int_campaign_rollout_decisions+", "--exclude-resource-type", "unit_test"]
FAMILY_LEVEL = 0.05


def _orders(rng: np.random.Generator, customer: np.ndarray, basket: np.ndarray, start: pd.Timestamp, days: int,
            counts: np.ndarray) -> pd.DataFrame:
    """counts[i] orders of customer i on random days from start, around the customer's own basket size."""
    rows = np.repeat(np.arange(customer.size), counts)
    amount = np.maximum(np.round(basket[rows] * np.exp(rng.normal(0.0, 0.3, rows.size)), 2), 1.0)
    return pd.DataFrame({
        "customer_id": customer[rows],
        "order_date": start + pd.to_timedelta(rng.integers(0, days, rows.size), unit="D"),
        "amount": amount,
    })


def generate(folder: Path) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(SEED)
    customer = np.array([f"u{i:04d}" for i in range(CUSTOMERS)])
    level = rng.gamma(0.8, 1.0, CUSTOMERS)  # orders per 28 days: persistent, so 2024 predicts the windows
    basket = np.exp(rng.normal(math.log(30.0), 0.5, CUSTOMERS))
    parts = [
        _orders(rng, customer, basket, pd.Timestamp("2024-01-01"), 366, rng.poisson(13.0 * level)),
        _orders(rng, customer, basket, AA_START, WINDOW_DAYS, rng.poisson(level)),
        _orders(rng, customer, basket, PLANTED_START, WINDOW_DAYS, rng.poisson(level)),
    ]
    contacts = []
    for index in range(AA_CAMPAIGNS):
        control = rng.permutation(np.arange(CUSTOMERS) % 2 == 0)
        contacts.append(pd.DataFrame({"campaign_id": f"aa_{index:03d}", "customer_id": customer, "is_control": control}))
    planted_control = rng.permutation(np.arange(CUSTOMERS) % 2 == 0)
    contacts.append(pd.DataFrame({"campaign_id": "planted", "customer_id": customer, "is_control": planted_control}))
    gets_lift = (~planted_control) & (rng.random(CUSTOMERS) < PLANTED_PROBABILITY)
    planted = pd.DataFrame({
        "customer_id": customer[gets_lift],
        "order_date": PLANTED_START + pd.to_timedelta(rng.integers(0, WINDOW_DAYS, gets_lift.sum()), unit="D"),
        "amount": PLANTED_AMOUNT,
    })
    orders = pd.concat([*parts, planted], ignore_index=True)
    orders["order_id"] = [f"o{i}" for i in range(len(orders))]
    orders["margin"] = np.round(orders["amount"] * MARGIN_RATE, 2)
    contacts_frame = pd.concat(contacts, ignore_index=True)
    contacts_frame["arm"] = np.where(contacts_frame["is_control"], "", "email")

    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({
        "order_id": orders["order_id"], "customer_id": orders["customer_id"],
        "ordered_at": orders["order_date"].dt.strftime("%Y-%m-%d"), "amount": orders["amount"].map("{:.2f}".format),
        "gross_margin": orders["margin"].map("{:.2f}".format), "status": "completed",
    }).to_csv(folder / "orders.csv", index=False)
    pd.DataFrame({"customer_id": customer, "acquired_at": "2023-12-01"}).to_csv(folder / "customers.csv", index=False)
    campaign_ids = [f"aa_{index:03d}" for index in range(AA_CAMPAIGNS)] + ["planted"]
    pd.DataFrame({
        "campaign_id": campaign_ids,
        "starts_at": [AA_START.strftime("%Y-%m-%d")] * AA_CAMPAIGNS + [PLANTED_START.strftime("%Y-%m-%d")],
        "response_window_days": WINDOW_DAYS, "cost_per_contact": "0", "fixed_cost": "0", "margin_rate": MARGIN_RATE,
    }).to_csv(folder / "campaigns.csv", index=False)
    contacts_frame.assign(
        is_control=contacts_frame["is_control"].map({True: "true", False: "false"}), designed_control_share="0.5"
    ).to_csv(folder / "campaign_contacts.csv", index=False)
    return {"orders": orders, "contacts": contacts_frame}


def per_contact(data: dict[str, pd.DataFrame], campaign_id: str) -> pd.DataFrame:
    """X (revenue in the 365 days before the start), Y (window revenue and margin) per contact, from the
    generated orders."""
    start = PLANTED_START if campaign_id == "planted" else AA_START
    orders = data["orders"]
    contacts = data["contacts"][data["contacts"]["campaign_id"] == campaign_id].set_index("customer_id")
    before = orders[(orders["order_date"] >= start - pd.Timedelta(days=365)) & (orders["order_date"] < start)]
    window = orders[(orders["order_date"] >= start) & (orders["order_date"] < start + pd.Timedelta(days=WINDOW_DAYS))]
    frame = pd.DataFrame(index=contacts.index)
    frame["is_control"] = contacts["is_control"]
    frame["x"] = before.groupby("customer_id")["amount"].sum().reindex(frame.index, fill_value=0.0)
    frame["revenue"] = window.groupby("customer_id")["amount"].sum().reindex(frame.index, fill_value=0.0)
    frame["margin"] = window.groupby("customer_id")["margin"].sum().reindex(frame.index, fill_value=0.0)
    return frame


def cuped(y_t: np.ndarray, x_t: np.ndarray, y_c: np.ndarray, x_c: np.ndarray) -> dict[str, float]:
    """CUPED by the book: theta from the pooled sample, then Welch's test on Y - theta X."""
    y, x = np.concatenate([y_t, y_c]), np.concatenate([x_t, x_c])
    theta = np.cov(y, x, ddof=1)[0, 1] / np.var(x, ddof=1) if np.var(x) > 0 else 0.0
    adjusted_t, adjusted_c = y_t - theta * x_t, y_c - theta * x_c
    welch = stats.ttest_ind(adjusted_t, adjusted_c, equal_var=False)
    se = math.sqrt(adjusted_t.var(ddof=1) / len(y_t) + adjusted_c.var(ddof=1) / len(y_c))
    se_raw = math.sqrt(y_t.var(ddof=1) / len(y_t) + y_c.var(ddof=1) / len(y_c))
    diff = adjusted_t.mean() - adjusted_c.mean()
    critical = stats.t.ppf(0.975, welch.df)
    return {
        "theta": theta, "diff": diff, "se": se, "df": welch.df, "p": welch.pvalue,
        "lower": diff - critical * se, "upper": diff + critical * se,
        "variance_reduction": 1 - se**2 / se_raw**2, "raw_se": se_raw,
    }


def holm(p: np.ndarray) -> np.ndarray:
    order = np.argsort(p, kind="stable")
    m = len(p)
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(np.maximum.accumulate((m - np.arange(m)) * p[order]), 1.0)
    return adjusted


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    order = np.argsort(p, kind="stable")
    m = len(p)
    scaled = m / np.arange(1, m + 1) * p[order]
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
    return adjusted


@pytest.fixture(scope="module")
def trust(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Generated folder, built once (defaults: CUPED on, Holm); the cell and segment decisions are read, then
    int_campaign_rollout_decisions and the marts are rebuilt with rollout_multiple_testing none and bh."""
    root = tmp_path_factory.mktemp("trust")
    data = generate(root / "input")
    _, db_path = build_folder(root / "input", root / "work", select=CAMPAIGN_MARTS)
    decision_sql = (
        "select 'cell' as level, campaign_id, rollout_decision, rollout_p_value, rollout_family_size"
        " from marts.campaign_results_by_rfm_cell union all"
        " select 'segment', campaign_id, rollout_decision, rollout_p_value, rollout_family_size"
        " from marts.campaign_results_by_rfm_segment"
    )
    results = {"data": data, "db": db_path, "root": root, "decisions": {"holm": query(db_path, decision_sql)}}
    for method in ("none", "bh"):
        copy = root / f"warehouse_{method}.duckdb"
        shutil.copy(db_path, copy)
        run_dbt(["build", "--select", *DECISION_MODELS], copy, root / f"work_{method}", {"rollout_multiple_testing": method})
        results["decisions"][method] = query(copy, decision_sql)
    return results


def _any_roll_out_share(decisions: pd.DataFrame, level: str) -> float:
    rows = decisions[(decisions["level"] == level) & decisions["campaign_id"].str.startswith("aa_")]
    per_campaign = rows.groupby("campaign_id")["rollout_decision"].apply(lambda d: (d == "roll_out").any())
    assert len(per_campaign) == AA_CAMPAIGNS
    return float(per_campaign.mean())


def test_aa_simulation_false_roll_outs_stay_within_the_family_wise_level(trust: dict) -> None:
    decisions = trust["decisions"]
    holm_rows = decisions["holm"]
    tested = holm_rows[holm_rows["campaign_id"].str.startswith("aa_") & holm_rows["rollout_family_size"].notna()]
    tested_per_family = tested.groupby(["level", "campaign_id"]).size().groupby("level").median().to_dict()
    shares = {method: _any_roll_out_share(decisions[method], "cell") for method in ("holm", "bh", "none")}
    segment_shares = {method: _any_roll_out_share(decisions[method], "segment") for method in ("holm", "none")}
    print(f"\nA/A: {AA_CAMPAIGNS} campaigns, median tested rows per family {tested_per_family};"
          f" campaigns with any false cell roll_out: {shares}; segment: {segment_shares}")
    assert shares["holm"] <= FAMILY_LEVEL
    assert segment_shares["holm"] <= FAMILY_LEVEL
    # Without a correction each tested cell errs with ~2.5% and the family of a dozen cells far more often.
    assert shares["none"] >= 0.10 and shares["none"] >= 3 * max(shares["holm"], 0.01)
    assert shares["holm"] <= shares["bh"] <= shares["none"]


def test_holm_and_bh_match_numpy(trust: dict) -> None:
    db_path = trust["db"]
    checked = 0
    for mart, key in (("campaign_results_by_rfm_cell", "rfm_cell"), ("campaign_results_by_rfm_segment", "rfm_segment")):
        frame = query(db_path, f"select campaign_id, arm, {key}, rollout_p_value, rollout_family_size, rollout_p_value_holm,"
                               f" rollout_p_value_bh, rollout_decision, incremental_profit_per_contact_cuped,"
                               f" rollout_ci_lower_bonferroni, margin_per_contact_diff_cuped_se, contacts, control_contacts"
                               f" from marts.{mart}")
        tested = frame[frame["rollout_family_size"].notna()]
        assert frame.loc[frame["rollout_family_size"].isna(), ["rollout_p_value_holm", "rollout_p_value_bh"]].isna().all().all()
        for _, family in tested.groupby(["campaign_id", "arm"]):
            p = family["rollout_p_value"].to_numpy(dtype=float)
            assert (family["rollout_family_size"] == len(p)).all()
            np.testing.assert_allclose(family["rollout_p_value_holm"].to_numpy(dtype=float), holm(p), rtol=1e-12, atol=0)
            np.testing.assert_allclose(family["rollout_p_value_bh"].to_numpy(dtype=float), benjamini_hochberg(p), rtol=1e-12, atol=0)
            # Holm significant, a profit above 0 and the family's Bonferroni bound (checked against scipy below) above 0.
            is_roll_out = (
                (holm(p) < 0.05)
                & (family["incremental_profit_per_contact_cuped"] > 0)
                & (family["rollout_ci_lower_bonferroni"] > 0)
            )
            expected = np.where(is_roll_out, "roll_out", "hold")
            assert (family["rollout_decision"].to_numpy() == expected).all()
            checked += len(p)
    assert checked > 1000


def test_bonferroni_bound_matches_scipy(trust: dict) -> None:
    frame = query(trust["db"], "select * from intermediate.int_campaign_arm_comparisons as c"
                               " inner join intermediate.int_campaign_rollout_decisions as d"
                               " using (campaign_id, group_type, group_value, arm)"
                               " where d.rollout_family_size is not null and c.rollout_df >= 30")
    m = frame["rollout_family_size"].to_numpy(dtype=float)
    quantile = (frame["rollout_profit_per_contact"] - frame["rollout_ci_lower_bonferroni"]) / frame["rollout_se"]
    expected = stats.t.ppf(1 - 0.025 / m, frame["rollout_df"])
    # Cornish-Fisher t quantile far in the tail (0.025 / m): ~4e-8 at df 30-100, < 1e-9 from df 100 on.
    large = frame["rollout_df"].to_numpy() >= 100
    np.testing.assert_allclose(quantile[large], expected[large], rtol=1e-9)
    np.testing.assert_allclose(quantile[~large], expected[~large], rtol=1e-7)
    assert large.sum() > 1000
    # m = 1 (the whole campaign): the Bonferroni bound is the 95% bound.
    single = frame[frame["rollout_family_size"] == 1]
    np.testing.assert_allclose(single["rollout_ci_lower_bonferroni"], single["rollout_ci95_lower"], rtol=1e-12)


def _assert_cuped_row(row: pd.Series, frame: pd.DataFrame, measure: str, p_rtol: float) -> None:
    treated, control = frame[~frame["is_control"]], frame[frame["is_control"]]
    expected = cuped(treated[measure].to_numpy(), treated["x"].to_numpy(), control[measure].to_numpy(), control["x"].to_numpy())
    assert row[f"{measure}_cuped_theta"] == pytest.approx(expected["theta"], rel=1e-9)
    assert row[f"{measure}_per_contact_diff_cuped"] == pytest.approx(expected["diff"], rel=1e-9, abs=1e-9)
    assert row[f"{measure}_per_contact_diff_cuped_se"] == pytest.approx(expected["se"], rel=1e-9)
    assert row[f"{measure}_per_contact_diff_cuped_ci95_lower"] == pytest.approx(expected["lower"], rel=1e-9, abs=1e-9)
    assert row[f"{measure}_per_contact_diff_cuped_ci95_upper"] == pytest.approx(expected["upper"], rel=1e-9, abs=1e-9)
    assert row[f"{measure}_cuped_p_value"] == pytest.approx(expected["p"], rel=p_rtol)
    assert row[f"{measure}_variance_reduction"] == pytest.approx(expected["variance_reduction"], rel=1e-9, abs=1e-12)
    assert row[f"{measure}_per_contact_diff_se"] == pytest.approx(expected["raw_se"], rel=1e-9)


def test_cuped_matches_numpy_on_generated_campaigns(trust: dict) -> None:
    results = query(trust["db"], "select * from marts.campaign_results").set_index("campaign_id")
    for campaign_id in ("planted", "aa_000", "aa_001", "aa_123"):
        frame = per_contact(trust["data"], campaign_id)
        row = results.loc[campaign_id]
        for measure in ("revenue", "margin"):
            # Hill's t p-value at df ~ 3,000: measured agreement with scipy better than 1e-9 relative.
            _assert_cuped_row(row, frame, measure, p_rtol=1e-9)
        treated, control = frame[~frame["is_control"]], frame[frame["is_control"]]
        welch_x = stats.ttest_ind(treated["x"], control["x"], equal_var=False)
        assert row["pre_period_revenue_diff"] == pytest.approx(treated["x"].mean() - control["x"].mean(), rel=1e-9, abs=1e-9)
        assert row["pre_period_p_value"] == pytest.approx(welch_x.pvalue, rel=1e-9)
        assert row["has_pre_period_imbalance"] == (welch_x.pvalue < 0.001)
        # The roll-out p-value: H0 (CUPED margin lift - cost per contact) = 0; the campaigns here cost nothing.
        expected = cuped(treated["margin"].to_numpy(), treated["x"].to_numpy(), control["margin"].to_numpy(), control["x"].to_numpy())
        assert row["rollout_p_value"] == pytest.approx(expected["p"], rel=1e-9)


def test_cuped_matches_numpy_by_segment(trust: dict) -> None:
    """The grouping comes from the model (segment as of the start); X and Y from the generated orders."""
    segments = query(trust["db"], "select customer_id, rfm_segment from intermediate.int_campaign_contact_outcomes"
                                  " where campaign_id = 'planted'").set_index("customer_id")["rfm_segment"]
    rows = query(trust["db"], "select * from marts.campaign_results_by_rfm_segment where campaign_id = 'planted'")
    frame = per_contact(trust["data"], "planted").join(segments)
    for row in rows.itertuples():
        group = frame[frame["rfm_segment"] == row.rfm_segment]
        if min(group["is_control"].sum(), (~group["is_control"]).sum()) < 30:
            continue
        series = pd.Series(row._asdict())
        for measure in ("revenue", "margin"):
            _assert_cuped_row(series, group, measure, p_rtol=1e-7)  # Hill's t at df 100-1,000
        if group["x"].var() == 0:
            assert series["revenue_cuped_theta"] == 0 and pd.isna(series["pre_period_p_value"])


def test_planted_lift_has_a_narrower_ci_under_cuped(trust: dict) -> None:
    row = query(trust["db"], "select * from marts.campaign_results where campaign_id = 'planted'").iloc[0]
    for measure, truth in (("revenue", PLANTED_REVENUE_LIFT), ("margin", PLANTED_MARGIN_LIFT)):
        raw_width = row[f"{measure}_per_contact_diff_ci95_upper"] - row[f"{measure}_per_contact_diff_ci95_lower"]
        cuped_width = row[f"{measure}_per_contact_diff_cuped_ci95_upper"] - row[f"{measure}_per_contact_diff_cuped_ci95_lower"]
        print(f"\nplanted {measure} lift {truth}: unadjusted {row[f'{measure}_per_contact_diff']:.2f}"
              f" [{row[f'{measure}_per_contact_diff_ci95_lower']:.2f}, {row[f'{measure}_per_contact_diff_ci95_upper']:.2f}],"
              f" CUPED {row[f'{measure}_per_contact_diff_cuped']:.2f} [{row[f'{measure}_per_contact_diff_cuped_ci95_lower']:.2f},"
              f" {row[f'{measure}_per_contact_diff_cuped_ci95_upper']:.2f}], variance reduction {row[f'{measure}_variance_reduction']:.3f}")
        assert cuped_width < 0.9 * raw_width
        assert row[f"{measure}_per_contact_diff_cuped_ci95_lower"] < truth < row[f"{measure}_per_contact_diff_cuped_ci95_upper"]
        assert row[f"{measure}_variance_reduction"] > 0.2
    assert row["rollout_uses_cuped"] and row["rollout_decision"] == "roll_out"
    assert not row["has_pre_period_imbalance"]


def test_capping_matches_numpy(trust: dict) -> None:
    """revenue_cap_percentile = 0.99: each campaign's cap is numpy's linear percentile of all its contacts; the
    Welch and CUPED tests run on the capped values, the revenue totals stay uncapped."""
    root = trust["root"]
    copy = root / "warehouse_capped.duckdb"
    shutil.copy(trust["db"], copy)
    run_dbt(["build", "--select", "int_campaign_arm_comparisons+", "--exclude-resource-type", "unit_test"], copy, root / "work_capped", {"revenue_cap_percentile": 0.99})
    results = query(copy, "select * from marts.campaign_results").set_index("campaign_id")
    for campaign_id in ("planted", "aa_007"):
        frame = per_contact(trust["data"], campaign_id)
        row = results.loc[campaign_id]
        caps = {measure: np.percentile(frame[measure], 99, method="linear") for measure in ("revenue", "margin")}
        assert row["revenue_cap"] == pytest.approx(caps["revenue"], rel=1e-12)
        assert row["margin_cap"] == pytest.approx(caps["margin"], rel=1e-12)
        capped = frame.assign(revenue=np.minimum(frame["revenue"], caps["revenue"]), margin=np.minimum(frame["margin"], caps["margin"]))
        assert row["capped_contacts"] == int(((frame["revenue"] > caps["revenue"]) | (frame["margin"] > caps["margin"])).sum()) > 0
        treated, control = capped[~capped["is_control"]], capped[capped["is_control"]]
        assert float(row["revenue"]) == pytest.approx(frame.loc[~frame["is_control"], "revenue"].sum(), abs=0.005)
        for measure in ("revenue", "margin"):
            welch = stats.ttest_ind(treated[measure], control[measure], equal_var=False)
            diff = treated[measure].mean() - control[measure].mean()
            se = math.sqrt(treated[measure].var(ddof=1) / len(treated) + control[measure].var(ddof=1) / len(control))
            assert row[f"{measure}_per_contact_diff"] == pytest.approx(diff, rel=1e-9, abs=1e-9)
            assert row[f"{measure}_per_contact_diff_ci95_lower"] == pytest.approx(diff - stats.t.ppf(0.975, welch.df) * se, rel=1e-9, abs=1e-9)
            assert row[f"{measure}_p_value"] == pytest.approx(welch.pvalue, rel=1e-9)
            _assert_cuped_row(row, capped, measure, p_rtol=1e-9)
