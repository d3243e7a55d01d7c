"""Issue 17: segments over time. customer_profit_tiers recomputed independently with pandas from the raw demo CSVs.

Nothing here re-runs the project's SQL: every expected value comes from the raw orders, the profit_tiers seed and
the rule in docs/decisions.md#profit-tiers (value = margin when every completed order has one, else revenue;
rank with ties sharing the lowest rank; share of the positive value held at or above a customer; tier decided by
the share held strictly above the customer's tie group).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO, rows

# The demo's profit tiers with the default seed (high = top 50% of value, medium = next 30%, low = the rest).
DEMO_TIER_COUNTS = {"high": 292, "medium": 630, "low": 2043}


def cents(value: str) -> int:
    return int((Decimal(value) * 100).to_integral_value(rounding=ROUND_HALF_UP))


@pytest.fixture(scope="module")
def tiers() -> pd.DataFrame:
    frame = pd.read_csv(REPO / "seeds" / "profit_tiers.csv", dtype={"max_cumulative_value_share": str})
    frame["max_share"] = frame["max_cumulative_value_share"].map(Decimal)
    return frame.sort_values("tier_order").reset_index(drop=True)


@pytest.fixture(scope="module")
def expected_tiers(demo_raw: dict, tiers: pd.DataFrame) -> pd.DataFrame:
    orders = demo_raw["orders"].copy()
    status = orders["status"].fillna("completed").str.strip().str.lower()
    orders = orders[status == "completed"].copy()
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
