"""Issue 17: segments over time. customer_profit_tiers recomputed independently with pandas from the raw demo CSVs.

Nothing here re-runs the project's SQL: every expected value comes from the raw orders, the profit_tiers seed and
the rule in docs/decisions.md#profit-tiers (value = margin when every completed order has one, else revenue;
rank with ties sharing the lowest rank; share of the positive value held at or above a customer; tier decided by
the share held strictly above the customer's tie group).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest
from conftest import BUILD_ARGS, REPO, build_folder, query, rows, run_dbt

# The demo's profit tiers with the default seed (high = top 50% of value, medium = next 30%, low = the rest).
DEMO_TIER_COUNTS = {"high": 292, "medium": 630, "low": 2043}


def cents(value: str) -> int:
    return int((Decimal(value) * 100).to_integral_value(rounding=ROUND_HALF_UP))


@pytest.fixture(scope="module")
def tiers() -> pd.DataFrame:
    frame = pd.read_csv(REPO / "seeds" / "profit_tiers.csv", dtype={"max_cumulative_value_share": str})
    frame["max_share"] = frame["max_cumulative_value_share"].map(Decimal)
    return frame.sort_values("tier_order").reset_index(drop=True)


def pandas_tiers(orders: pd.DataFrame, tiers: pd.DataFrame) -> pd.DataFrame:
    """Profit tiers of the customers of `orders` (completed orders, raw text columns), by the documented rule."""
    orders = orders.copy()
    orders["revenue_cents"] = orders["amount"].map(cents)
    orders["has_margin"] = orders["gross_margin"].notna()
    orders["margin_cents"] = [cents(value) if isinstance(value, str) else 0 for value in orders["gross_margin"]]
    customers = orders.groupby("customer_id").agg(
        revenue_cents=("revenue_cents", "sum"), margin_cents=("margin_cents", "sum"), all_margin=("has_margin", "all")
    )
    customers["value_basis"] = customers["all_margin"].map({True: "margin", False: "revenue"})
    customers["value_cents"] = customers["margin_cents"].where(customers["all_margin"], customers["revenue_cents"])
    customers["value_rank"] = customers["value_cents"].rank(method="min", ascending=False).astype(int)

    positive = customers.loc[customers["value_cents"] > 0, "value_cents"]
    total = int(positive.sum())
    # Per distinct positive value: the value held by customers with a value >= it (ties together) and > it.
    at_or_above = {value: int(positive[positive >= value].sum()) for value in positive.unique()}
    strictly_above = {value: int(positive[positive > value].sum()) for value in positive.unique()}
    last_tier = tiers.iloc[-1]

    def tier_of(value: int) -> pd.Series:
        if value <= 0:
            return last_tier
        # share above < max share, compared exactly in cents: above < max share × total
        return tiers[tiers["max_share"] * total > strictly_above[value]].iloc[0]

    chosen = [tier_of(int(value)) for value in customers["value_cents"]]
    customers["profit_tier"] = [tier["profit_tier"] for tier in chosen]
    customers["tier_order"] = [int(tier["tier_order"]) for tier in chosen]
    customers["cumulative_value_share"] = [
        at_or_above[value] / total if value > 0 else 1.0 for value in customers["value_cents"]
    ]
    return customers


@pytest.fixture(scope="module")
def expected_tiers(demo_raw: dict, tiers: pd.DataFrame) -> pd.DataFrame:
    orders = demo_raw["orders"]
    status = orders["status"].fillna("completed").str.strip().str.lower()
    return pandas_tiers(orders[status == "completed"], tiers)


def test_profit_tiers_match_pandas_per_customer(demo_warehouse: Path, expected_tiers: pd.DataFrame) -> None:
    actual = rows(
        demo_warehouse,
        "select customer_id, value_basis, cumulative_value, value_rank, cumulative_value_share, profit_tier, tier_order"
        " from marts.customer_profit_tiers",
    )
    assert len(actual) == len(expected_tiers)
    for customer_id, basis, value, rank, share, tier, tier_order in actual:
        expected = expected_tiers.loc[customer_id]
        assert basis == expected["value_basis"], customer_id
        assert value == Decimal(int(expected["value_cents"])) / 100, customer_id  # decimal, exact
        assert rank == expected["value_rank"], customer_id
        assert share == pytest.approx(expected["cumulative_value_share"], abs=1e-12), customer_id
        assert (tier, tier_order) == (expected["profit_tier"], expected["tier_order"]), customer_id


def test_profit_tiers_on_the_demo(demo_warehouse: Path) -> None:
    """Real numbers: the tier counts, high holds at least half the value, ties never split across tiers."""
    per_tier = rows(
        demo_warehouse,
        "select profit_tier, count(*), sum(cumulative_value) filter (where cumulative_value > 0)"
        " from marts.customer_profit_tiers group by profit_tier",
    )
    counts = {tier: count for tier, count, _ in per_tier}
    assert counts == DEMO_TIER_COUNTS
    value = {tier: total for tier, _, total in per_tier}
    total = sum(value.values())
    assert value["high"] / total >= Decimal("0.5")
    assert (value["high"] + value["medium"]) / total >= Decimal("0.8")
    split_ties = rows(
        demo_warehouse,
        "select cumulative_value from marts.customer_profit_tiers group by cumulative_value"
        " having count(distinct profit_tier) > 1",
    )
    assert split_ties == []


# --- customer_segment_history and segment_migration -------------------------------------------------------------

SNAPSHOT_SCORE_COLUMNS = (
    "customer_id, last_order_date, recency_days, frequency, monetary_total, monetary_avg,"
    " r_score, f_score, m_score, rfm_cell, rfm_segment"
)


@pytest.fixture(scope="module", params=["2025-01-31", "2025-08-31"])
def as_of_build(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """The demo built separately with as_of_date = one of the demo history's snapshot dates."""
    snapshot_date = request.param
    work_dir = tmp_path_factory.mktemp(f"as_of_{snapshot_date}")
    db_path = work_dir / "warehouse.duckdb"
    run_dbt(["seed", "--select", "path:seeds/demo"], db_path, work_dir)
    run_dbt(
        [*BUILD_ARGS, "--select", "+customer_rfm", "+customer_profit_tiers", "+customer_lifecycle"],
        db_path,
        work_dir,
        dbt_vars={"as_of_date": snapshot_date},
    )
    return snapshot_date, db_path


def test_snapshot_equals_a_build_as_of_that_date(demo_warehouse: Path, as_of_build: tuple[str, Path]) -> None:
    """Every customer, every score: the snapshot is what customer_rfm, customer_profit_tiers and customer_lifecycle
    say in a build with as_of_date = the snapshot date."""
    snapshot_date, as_of_db = as_of_build
    history = rows(
        demo_warehouse,
        f"select {SNAPSHOT_SCORE_COLUMNS}, value_basis, cumulative_value, value_rank, cumulative_value_share,"
        f" profit_tier, lifecycle_cell, is_recent_repeater from marts.customer_segment_history"
        f" where snapshot_date = date '{snapshot_date}' order by customer_id",
    )
    separate = rows(
        as_of_db,
        f"select {', '.join('rfm.' + c.strip() for c in SNAPSHOT_SCORE_COLUMNS.split(','))},"
        " tiers.value_basis, tiers.cumulative_value, tiers.value_rank, tiers.cumulative_value_share, tiers.profit_tier,"
        " lifecycle.lifecycle_cell, lifecycle.is_recent_repeater"
        " from marts.customer_rfm as rfm"
        " inner join marts.customer_profit_tiers as tiers on rfm.customer_id = tiers.customer_id"
        " inner join marts.customer_lifecycle as lifecycle on rfm.customer_id = lifecycle.customer_id"
        " order by rfm.customer_id",
    )
    assert len(history) > 1000  # the demo has 1,5xx-2,9xx customers per snapshot
    assert history == separate


def test_segment_migration_equals_a_crosstab_of_two_snapshots(demo_warehouse: Path, demo_raw: dict) -> None:
    """Counts: a pandas crosstab of each pair of snapshots (new customers = no row in the earlier one); revenue between
    the snapshots: recomputed from the raw orders, not from the history."""
    history = query(
        demo_warehouse,
        "select customer_id, snapshot_date, snapshot_number, is_as_of_snapshot, rfm_segment, profit_tier"
        " from marts.customer_segment_history",
    )
    migration = query(demo_warehouse, "select * from marts.segment_migration")
    snapshot_numbers = sorted(history["snapshot_number"].unique())
    assert len(snapshot_numbers) == 13  # 12 month ends + the as-of date
    pairs = [(n - 1, n) for n in snapshot_numbers[1:]] + [(snapshot_numbers[0], snapshot_numbers[-1])]
    assert migration[["from_snapshot_date", "to_snapshot_date"]].drop_duplicates().shape[0] == len(pairs)

    orders = demo_raw["orders"]
    status = orders["status"].fillna("completed").str.strip().str.lower()
    orders = orders[status == "completed"].copy()
    orders["order_date"] = pd.to_datetime(orders["ordered_at"]).dt.normalize()
    orders["revenue_cents"] = orders["amount"].map(cents)

    dates = history.groupby("snapshot_number")["snapshot_date"].first().map(pd.Timestamp)
    for segmentation in ("rfm_segment", "profit_tier"):
        for from_number, to_number in pairs:
            before = history[history["snapshot_number"] == from_number].set_index("customer_id")[segmentation]
            after = history[history["snapshot_number"] == to_number].set_index("customer_id")[segmentation]
            assert before.index.isin(after.index).all()  # nobody leaves the history
            pair = pd.DataFrame({"from_segment": before.reindex(after.index).fillna("(new)"), "to_segment": after})
            expected = pd.crosstab(pair["from_segment"], pair["to_segment"]).stack()
            expected = expected[expected > 0]
            in_period = orders[(orders["order_date"] > dates[from_number]) & (orders["order_date"] <= dates[to_number])]
            revenue = in_period.groupby("customer_id")["revenue_cents"].sum().reindex(pair.index, fill_value=0)
            expected_revenue = revenue.groupby([pair["from_segment"], pair["to_segment"]]).sum()

            actual = migration[
                (migration["segmentation"] == segmentation)
                & (pd.to_datetime(migration["from_snapshot_date"]) == dates[from_number])
                & (pd.to_datetime(migration["to_snapshot_date"]) == dates[to_number])
            ].copy()
            actual["from_segment"] = actual["from_segment"].fillna("(new)")
            actual = actual.set_index(["from_segment", "to_segment"])
            assert actual["customers"].sort_index().to_dict() == expected.sort_index().to_dict()
            for key, cents_total in expected_revenue.items():
                assert round(actual.loc[key, "period_revenue"] * 100) == cents_total, key  # decimal(18,2) read as float
            shares = expected / expected.groupby(level=0).transform("sum")
            for key, share in shares.items():
                assert actual.loc[key, "share_of_from_segment"] == pytest.approx(share, abs=1e-12), key


def planted_orders() -> pd.DataFrame:
    """40 steady customers buying monthly, plus three planted ones: `riser` (one small order, then five large ones late in
    June 2025, after everyone else's June order), `faller` (weekly large orders until December 2024, then nothing) and `newbie` (first order in June
    2025)."""
    records = []
    for index in range(40):
        for month in pd.period_range("2024-06", "2025-06", freq="M"):
            records.append((f"b{index:02d}", month.to_timestamp() + pd.Timedelta(days=9), 20 + index))
    records.append(("riser", pd.Timestamp("2024-06-05"), 5))
    records += [("riser", pd.Timestamp(f"2025-06-2{day}"), 500) for day in range(1, 6)]
    records += [("faller", day, 100) for day in pd.date_range("2024-06-03", "2024-12-31", freq="7D")]
    records.append(("newbie", pd.Timestamp("2025-06-15"), 30))
    frame = pd.DataFrame(records, columns=["customer_id", "ordered_at", "amount"])
    frame.insert(0, "order_id", [f"o{number}" for number in range(len(frame))])
    frame["ordered_at"] = frame["ordered_at"].dt.strftime("%Y-%m-%d 12:00:00")
    frame["amount"] = frame["amount"].map(lambda value: f"{value:.2f}")
    return frame


def test_planted_movers_are_found(tmp_path: Path) -> None:
    data_dir = tmp_path / "input"
    data_dir.mkdir()
    planted_orders().to_csv(data_dir / "orders.csv", index=False)
    _, db_path = build_folder(
        data_dir, tmp_path / "build", dbt_vars={"as_of_date": "2025-07-01"}, select=["+segment_migration"]
    )
    segment_order = pd.read_csv(REPO / "seeds" / "rfm_segments.csv").set_index("rfm_segment")["segment_order"]
    history = query(
        db_path,
        "select customer_id, cast(snapshot_date as varchar) as snapshot_date, rfm_segment, profit_tier"
        " from marts.customer_segment_history where customer_id in ('riser', 'faller', 'newbie')",
    ).set_index(["customer_id", "snapshot_date"])
    assert history.index.get_level_values("snapshot_date").max() == "2025-07-01"

    # riser: a low-value lapsed one-timer in May, a recent top-value buyer in June.
    may, june = history.loc[("riser", "2025-05-31")], history.loc[("riser", "2025-06-30")]
    assert (may["profit_tier"], june["profit_tier"]) == ("low", "high")
    assert segment_order[june["rfm_segment"]] < segment_order[may["rfm_segment"]]
    # faller: a champion at the first snapshot, a lapsed frequent buyer at the as-of date.
    first, last = history.loc[("faller", "2024-07-31")], history.loc[("faller", "2025-07-01")]
    assert (first["rfm_segment"], last["rfm_segment"]) == ("champions", "cant_lose_them")
    # newbie: no row before its first order.
    assert sorted(history.loc["newbie"].index) == ["2025-06-30", "2025-07-01"]

    def move(segmentation: str, from_date: str, to_date: str, from_segment: str | None, to_segment: str) -> list[tuple]:
        condition = "from_segment is null" if from_segment is None else f"from_segment = '{from_segment}'"
        return rows(
            db_path,
            f"select movement, customers >= 1 from marts.segment_migration where segmentation = '{segmentation}'"
            f" and from_snapshot_date = date '{from_date}' and to_snapshot_date = date '{to_date}'"
            f" and {condition} and to_segment = '{to_segment}'",
        )

    assert move("profit_tier", "2025-05-31", "2025-06-30", "low", "high") == [("up", True)]
    assert move("rfm_segment", "2025-05-31", "2025-06-30", may["rfm_segment"], june["rfm_segment"]) == [("up", True)]
    assert move("rfm_segment", "2024-07-31", "2025-07-01", "champions", "cant_lose_them") == [("down", True)]
    assert move("rfm_segment", "2025-05-31", "2025-06-30", None, history.loc[("newbie", "2025-06-30"), "rfm_segment"]) == [
        ("new", True)
    ]
    # The steady customers mostly stay: every 'same' is a real same-segment pair.
    same = rows(db_path, "select count(*) from marts.segment_migration where movement = 'same' and from_segment <> to_segment")
    assert same == [(0,)]


# --- the potential-high segment -----------------------------------------------------------------------------------


def nearest_rank(values: pd.Series, quantile: float) -> float:
    ordered = values.sort_values().to_numpy()
    return float(ordered[max(1, math.ceil(quantile * len(ordered))) - 1])


def test_potential_high_flags_follow_the_rule(demo_warehouse: Path) -> None:
    """customers.is_potential_high = medium tier and 365-day predicted CLV >= the high tier's median (nearest rank),
    recomputed from customer_clv and customer_profit_tiers."""
    frame = query(
        demo_warehouse,
        "select customers.customer_id, customers.is_potential_high, tiers.profit_tier, clv.predicted_clv_next_365d"
        " from marts.customers as customers"
        " left join marts.customer_profit_tiers as tiers on customers.customer_id = tiers.customer_id"
        " left join marts.customer_clv as clv on customers.customer_id = clv.customer_id",
    )
    cut = nearest_rank(frame.loc[frame["profit_tier"] == "high", "predicted_clv_next_365d"], 0.5)
    expected = (frame["profit_tier"] == "medium") & (frame["predicted_clv_next_365d"] >= cut)
    buyers = frame["profit_tier"].notna()
    assert frame.loc[buyers, "is_potential_high"].astype(bool).tolist() == expected[buyers].tolist()
    assert frame.loc[~buyers, "is_potential_high"].isna().all()
    assert int(expected.sum()) == 86  # of 630 medium customers on the demo
    current = rows(
        demo_warehouse,
        "select potential_high_customers, medium_customers, high_tier_customers, potential_high_cut"
        " from marts.potential_segment_backtest where evaluation = 'current'",
    )
    assert current[0][:3] == (86, 630, 292)
    assert current[0][3] == pytest.approx(cut, rel=1e-12)


def test_potential_segment_backtest_counts(demo_warehouse: Path, demo_raw: dict, tiers: pd.DataFrame) -> None:
    """The backtest row: tiers at the calibration end recomputed with pandas from the raw orders; the flag from the
    calibration predictions (the rule itself is checked above); the outcome = the high tier at the as-of date."""
    calibration_end = query(
        demo_warehouse, "select period_end_date from intermediate.int_clv_fit_periods where fit_period = 'calibration'"
    )["period_end_date"][0]
    orders = demo_raw["orders"]
    status = orders["status"].fillna("completed").str.strip().str.lower()
    orders = orders[(status == "completed") & (pd.to_datetime(orders["ordered_at"]).dt.normalize() <= calibration_end)]
    at_calibration = pandas_tiers(orders, tiers)
    predictions = query(
        demo_warehouse,
        "select customer_id, predicted_clv from intermediate.int_customer_potential_scores where fit_period = 'calibration'",
    ).set_index("customer_id")["predicted_clv"]
    at_calibration["predicted_clv"] = predictions.reindex(at_calibration.index)
    cut = nearest_rank(at_calibration.loc[at_calibration["profit_tier"] == "high", "predicted_clv"], 0.5)
    medium = at_calibration[at_calibration["profit_tier"] == "medium"]
    flagged = medium["predicted_clv"] >= cut
    now_high = query(demo_warehouse, "select customer_id from marts.customer_profit_tiers where profit_tier = 'high'")
    moved_up = medium.index.isin(now_high["customer_id"])
    backtest = query(demo_warehouse, "select * from marts.potential_segment_backtest where evaluation = 'backtest'").iloc[0]
    assert backtest["evaluated_as_of_date"] == calibration_end
    assert backtest["potential_high_cut"] == pytest.approx(cut, rel=1e-12)
    assert backtest["medium_customers"] == len(medium) == 526
    assert backtest["potential_high_customers"] == flagged.sum() == 38
    assert backtest["potential_high_moved_up"] == (flagged & moved_up).sum() == 22
    assert backtest["other_medium_moved_up"] == (~flagged & moved_up).sum() == 25
    # The rule is worth having on the demo: flagged medium customers move up far more often than the others.
    assert backtest["move_up_lift"] == pytest.approx((22 / 38) / (25 / 488), rel=1e-12)
    assert backtest["move_up_lift"] > 5


# --- campaigns by tier --------------------------------------------------------------------------------------------


def test_campaign_tier_migration_against_pandas(demo_warehouse: Path, demo_raw: dict, tiers: pd.DataFrame) -> None:
    """Tiers before and after each demo campaign recomputed from the raw orders (pandas_tiers at the two snapshot
    dates, month ends chosen here from the campaign dates), moves counted per arm and tier, and the two-proportion
    test written out with math.erfc."""
    orders = demo_raw["orders"]
    status = orders["status"].fillna("completed").str.strip().str.lower()
    orders = orders[status == "completed"].assign(order_date=pd.to_datetime(demo_raw["orders"]["ordered_at"]).dt.normalize())
    contacts = demo_raw["campaign_contacts"].copy()
    contacts["is_control"] = contacts["is_control"].str.lower().isin(["true", "1", "yes"])
    actual = query(demo_warehouse, "select * from marts.campaign_tier_migration").set_index(
        ["campaign_id", "arm", "from_profit_tier"]
    )
    checked = 0
    for campaign in demo_raw["campaigns"].itertuples():
        start = pd.Timestamp(campaign.starts_at).normalize()
        last_window_day = start + pd.Timedelta(days=int(campaign.response_window_days) - 1)
        before_date = start.replace(day=1) - pd.Timedelta(days=1)  # last month end before the start
        after_date = last_window_day + pd.offsets.MonthEnd(0)  # month end on or after the last window day
        before = pandas_tiers(orders[orders["order_date"] <= before_date], tiers)["tier_order"]
        after = pandas_tiers(orders[orders["order_date"] <= after_date], tiers)["tier_order"]
        names = tiers.set_index("tier_order")["profit_tier"]
        mine = contacts[contacts["campaign_id"] == campaign.campaign_id].copy()
        mine["from_order"] = mine["customer_id"].map(before)
        mine["to_order"] = mine["customer_id"].map(after)
        mine["from_tier"] = mine["from_order"].map(names).fillna("none")
        mine["up"] = mine["to_order"] < mine["from_order"]
        mine["down"] = mine["to_order"] > mine["from_order"]
        control = mine[mine["is_control"]]
        for arm, arm_rows in mine.groupby("arm"):
            for tier in ["all", *sorted(arm_rows["from_tier"].unique())]:
                group = arm_rows if tier == "all" else arm_rows[arm_rows["from_tier"] == tier]
                row = actual.loc[(campaign.campaign_id, arm, tier)]
                assert pd.Timestamp(row["before_snapshot_date"]) == before_date
                assert pd.Timestamp(row["after_snapshot_date"]) == after_date
                assert (row["contacts"], row["moved_up"], row["moved_down"]) == (
                    len(group), int(group["up"].sum()), int(group["down"].sum())
                ), (campaign.campaign_id, arm, tier)
                if group["is_control"].all():
                    continue
                held_out = control if tier == "all" else control[control["from_tier"] == tier]
                n_t, x_t, n_c, x_c = len(group), int(group["up"].sum()), len(held_out), int(held_out["up"].sum())
                assert row["share_moved_up_diff"] == pytest.approx(x_t / n_t - x_c / n_c, abs=1e-12)
                pooled = (x_t + x_c) / (n_t + n_c)
                if 0 < pooled < 1:
                    z = (x_t / n_t - x_c / n_c) / math.sqrt(pooled * (1 - pooled) * (1 / n_t + 1 / n_c))
                    assert row["share_moved_up_p_value"] == pytest.approx(math.erfc(abs(z) / math.sqrt(2)), rel=1e-9)
                checked += 1
    assert checked >= 12


def test_campaign_results_by_profit_tier_against_pandas(demo_warehouse: Path, demo_raw: dict, tiers: pd.DataFrame) -> None:
    """Tiers as of each campaign's start (orders strictly before it) and the response per arm × tier, from the raw
    CSVs: contacts, responders (a completed order in [start, start + window)), and the response-rate difference."""
    orders = demo_raw["orders"]
    status = orders["status"].fillna("completed").str.strip().str.lower()
    orders = orders[status == "completed"].assign(order_date=pd.to_datetime(demo_raw["orders"]["ordered_at"]).dt.normalize())
    contacts = demo_raw["campaign_contacts"].copy()
    contacts["is_control"] = contacts["is_control"].str.lower().isin(["true", "1", "yes"])
    actual = query(demo_warehouse, "select * from marts.campaign_results_by_profit_tier").set_index(
        ["campaign_id", "arm", "profit_tier"]
    )
    compared = 0
    for campaign in demo_raw["campaigns"].itertuples():
        start = pd.Timestamp(campaign.starts_at).normalize()
        end = start + pd.Timedelta(days=int(campaign.response_window_days))
        tier_at_start = pandas_tiers(orders[orders["order_date"] < start], tiers)["profit_tier"]
        in_window = orders[(orders["order_date"] >= start) & (orders["order_date"] < end)]
        mine = contacts[contacts["campaign_id"] == campaign.campaign_id].copy()
        mine["tier"] = mine["customer_id"].map(tier_at_start).fillna("no_prior_purchase")
        mine["responded"] = mine["customer_id"].isin(in_window["customer_id"])
        control = mine[mine["is_control"]].groupby("tier")["responded"].agg(["size", "sum"])
        for (arm, tier), group in mine[~mine["is_control"]].groupby(["arm", "tier"]):
            row = actual.loc[(campaign.campaign_id, arm, tier)]
            assert (row["contacts"], row["responders"]) == (len(group), int(group["responded"].sum())), (arm, tier)
            if tier in control.index:
                expected = group["responded"].mean() - control.loc[tier, "sum"] / control.loc[tier, "size"]
                assert row["response_rate_diff"] == pytest.approx(expected, abs=1e-12)
            compared += 1
    assert compared >= 12
    assert set(actual.index.get_level_values("profit_tier")) <= {"high", "medium", "low", "no_prior_purchase"}
