"""The demo generator (scripts/generate_demo_data.py): its defaults reproduce the demo seeds byte for byte, and the
benchmark's line options (issue 21: --line-categories, --lines-per-order) spread the lines as asked while the
planted coffee -> filters pair and the single gifts lines stay. Small sizes, no dbt."""

from __future__ import annotations

from pathlib import Path

import generate_demo_data
import pandas as pd
import pytest
from conftest import REPO


def test_defaults_reproduce_the_demo_seeds(tmp_path: Path) -> None:
    assert generate_demo_data.main(["--out", str(tmp_path)]) == 0
    written = sorted(path.name for path in tmp_path.glob("*.csv"))
    assert written == sorted(path.name for path in (REPO / "seeds" / "demo").glob("*.csv"))
    for name in written:
        assert (tmp_path / name).read_bytes() == (REPO / "seeds" / "demo" / name).read_bytes(), name


@pytest.fixture(scope="module")
def spread_lines(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, pd.DataFrame]:
    folder = tmp_path_factory.mktemp("spread_lines")
    generate_demo_data.main(["--customers", "1500", "--line-categories", "20", "--lines-per-order", "3",
                             "--out", str(folder)])  # fmt: skip
    read = lambda name: pd.read_csv(folder / name, dtype={"order_id": int, "customer_id": "Int64"})  # noqa: E731
    return read("raw_orders.csv"), read("raw_order_lines.csv")


def test_lines_spread_over_the_categories_asked_for(spread_lines: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    orders, lines = spread_lines
    added = {f"category_{i:02d}" for i in range(10, 21)}
    assert set(lines["product_category"]) == set(generate_demo_data.LINE_CATEGORIES) | added
    # The added categories share half of the extra lines: each holds a few percent of all lines, none is rare.
    shares = lines["product_category"].value_counts(normalize=True)
    assert shares[sorted(added)].between(0.01, 0.05).all()
    # Every order has lines, numbered from 1, adding up to the order amount (in cents).
    assert set(lines["order_id"]) == set(orders["order_id"])
    assert (lines.groupby("order_id")["line_number"].min() == 1).all()
    cents = lambda values: (values * 100).round().astype(int)  # noqa: E731
    amounts = orders.set_index("order_id")["amount"].pipe(cents)
    assert (lines.assign(cents=cents(lines["line_amount"])).groupby("order_id")["cents"].sum() == amounts).all()


def test_lines_per_order_has_the_mean_asked_for(spread_lines: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    orders, lines = spread_lines
    per_order = lines.groupby("order_id").size()
    # ~8,100 orders, Poisson extra lines with variance ~1.9: the mean's standard error is ~0.015.
    assert len(per_order) > 8000
    assert per_order.mean() == pytest.approx(3.0, abs=0.06)
    assert per_order.max() > 4  # no longer the demo's one to four lines


def test_planted_pairs_stay(spread_lines: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    orders, lines = spread_lines
    baskets = lines.groupby("order_id")["product_category"].agg(set)
    coffee = baskets.map(lambda categories: "coffee" in categories)
    filters = baskets.map(lambda categories: "filters" in categories)
    lift = (coffee & filters).mean() / (coffee.mean() * filters.mean())
    assert lift > 5  # P(filters | coffee) ~0.55 against ~0.05 overall
    # One-order customers with a single gifts line (possible gifts) are still there.
    one_order = orders.groupby("customer_id").filter(lambda group: len(group) == 1)["order_id"]
    single_gift = baskets[baskets.index.isin(one_order)].map(lambda categories: categories == {"gifts"})
    assert single_gift.sum() > 100
    assert (lines.groupby("order_id").size()[single_gift[single_gift].index] == 1).all()
