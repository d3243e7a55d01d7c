"""Issue 21 (relationships across categories): order_lines input and category_affinity, checked independently.

- category_affinity recomputed with pandas/scipy from the raw CSVs (the demo seeds and a small generated folder
  with a planted coffee -> filters affinity): every count, support, confidence, lift, conviction, the chi-square
  p-value (scipy.stats.chi2_contingency) and the Benjamini-Hochberg q-value (scipy.stats.false_discovery_control).
- The planted pair has the top lift; order lines that break a rule are quarantined with each reason.
- customer_next_category recomputed from the independent pairs; the one-off gift buyer is flagged, with no offer.
- channel_mix_by_segment, customers.channel_count/main_channel and region_summary recomputed from the raw demo CSVs
  (money in integer cents; the RFM segment per customer read from customer_rfm, checked in test_scoring.py): every
  figure, the region clusters by an independent ntile(3), and channel and region revenue equal to the total to the cent.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import build_folder, query, rows
from dateutil.relativedelta import relativedelta
from scipy import stats

MIN_SUPPORT = 0.005  # var affinity_min_support
WINDOW_DAYS = 90  # var affinity_window_days
MAX_Q = 0.05  # var affinity_max_q_value
COLUMNS = ["transactions", "transactions_with_antecedent", "transactions_with_consequent", "transactions_with_both"]
MEASURES = ["support", "antecedent_support", "consequent_support", "confidence", "lift", "conviction", "chi_square", "p_value", "q_value"]


# ---------------------------------------------------------------- the independent computation


def order_categories(raw_orders: pd.DataFrame, good_lines: pd.DataFrame) -> pd.DataFrame:
    """Completed orders x category: from the order's lines when it has any, else orders.product_category."""
    orders = raw_orders.copy()
    orders["status"] = orders["status"].fillna("completed").str.strip().str.lower()
    orders = orders[orders["status"] == "completed"]
    orders = orders.assign(ordered_at=pd.to_datetime(orders["ordered_at"]))
    lines = good_lines.assign(product_category=good_lines["product_category"].str.strip().str.lower())
    from_lines = orders[["order_id", "customer_id", "ordered_at"]].merge(lines[["order_id", "product_category"]], on="order_id")
    without = orders[~orders["order_id"].isin(lines["order_id"]) & orders["product_category"].notna()]
    from_orders = without[["order_id", "customer_id", "ordered_at"]].assign(product_category=without["product_category"].str.lower())
    return pd.concat([from_lines, from_orders]).drop_duplicates(["order_id", "product_category"])


def expected_affinity(categories: pd.DataFrame) -> pd.DataFrame:
    per_order = categories.groupby("order_id")["product_category"].agg(frozenset)
    orders = categories.drop_duplicates("order_id")[["order_id", "customer_id", "ordered_at"]]
    n = len(per_order)
    holding = {c: int(k) for c, k in categories["product_category"].value_counts().items()}
    # Follow-ups: categories of the same customer's later orders within the window (by date).
    followed: dict[str, set[str]] = {}
    for _, group in orders.groupby("customer_id"):
        group = group.sort_values("ordered_at")
        for order in group.itertuples():
            later = group[(group["ordered_at"] > order.ordered_at)
                          & (group["ordered_at"].dt.normalize() <= order.ordered_at.normalize() + pd.Timedelta(days=WINDOW_DAYS))]
            followed[order.order_id] = set().union(*(per_order[o] for o in later["order_id"])) if len(later) else set()
    followed_count: dict[str, int] = {}
    for cats in followed.values():
        for c in cats:
            followed_count[c] = followed_count.get(c, 0) + 1
    records = []
    basket_both: dict[tuple[str, str], int] = {}
    customer_both: dict[tuple[str, str], int] = {}
    for order_id, cats in per_order.items():
        for a, b in itertools.permutations(cats, 2):
            basket_both[(a, b)] = basket_both.get((a, b), 0) + 1
        for a in cats:
            for b in followed[order_id] - {a}:
                customer_both[(a, b)] = customer_both.get((a, b), 0) + 1
    for level, both, consequent in (("basket", basket_both, holding), ("customer", customer_both, followed_count)):
        for (a, b), n_ab in both.items():
            records.append({"affinity_level": level, "antecedent_category": a, "consequent_category": b, "transactions": n,
                            "transactions_with_antecedent": holding[a], "transactions_with_consequent": consequent[b],
                            "transactions_with_both": n_ab})
    frame = pd.DataFrame.from_records(records)
    frame["support"] = frame["transactions_with_both"] / frame["transactions"]
    frame = frame[frame["support"] >= MIN_SUPPORT].copy()
    frame["antecedent_support"] = frame["transactions_with_antecedent"] / frame["transactions"]
    frame["consequent_support"] = frame["transactions_with_consequent"] / frame["transactions"]
    frame["confidence"] = frame["transactions_with_both"] / frame["transactions_with_antecedent"]
    frame["lift"] = frame["confidence"] / frame["consequent_support"]
    frame["conviction"] = np.where(frame["confidence"] < 1, (1 - frame["consequent_support"]) / (1 - frame["confidence"]), np.nan)
    chi, p = [], []
    for row in frame.itertuples():
        a_b = row.transactions_with_both
        table = np.array([[a_b, row.transactions_with_antecedent - a_b],
                          [row.transactions_with_consequent - a_b, row.transactions - row.transactions_with_antecedent - row.transactions_with_consequent + a_b]])
        if table.sum(axis=0).min() == 0 or table.sum(axis=1).min() == 0:
            chi.append(np.nan)
            p.append(np.nan)
            continue
        statistic, p_value, _, _ = stats.chi2_contingency(table, correction=False)
        chi.append(statistic)
        p.append(p_value)
    frame["chi_square"] = chi
    frame["p_value"] = p
    frame["q_value"] = np.nan
    for level in ("basket", "customer"):
        mask = (frame["affinity_level"] == level) & frame["p_value"].notna()
        frame.loc[mask, "q_value"] = stats.false_discovery_control(frame.loc[mask, "p_value"].to_numpy())
    frame["is_significant"] = frame["q_value"] < MAX_Q
    return frame.sort_values(["affinity_level", "antecedent_category", "consequent_category"]).reset_index(drop=True)


def assert_affinity_equal(db_path: Path, expected: pd.DataFrame) -> pd.DataFrame:
    actual = query(db_path, "select * from marts.category_affinity order by affinity_level, antecedent_category, consequent_category")
    keys = ["affinity_level", "antecedent_category", "consequent_category"]
    assert actual[keys].values.tolist() == expected[keys].values.tolist()
    for column in COLUMNS:
        assert actual[column].astype(int).tolist() == expected[column].astype(int).tolist(), column
    for column in MEASURES:
        np.testing.assert_allclose(actual[column].to_numpy(dtype=float), expected[column].to_numpy(dtype=float),
                                   rtol=1e-9, atol=1e-300, equal_nan=True, err_msg=column)
    assert actual["is_significant"].tolist() == expected["is_significant"].tolist()
    return actual


# ---------------------------------------------------------------- the demo data


def test_demo_affinity_matches_an_independent_computation(demo_warehouse: Path, demo_raw: dict[str, pd.DataFrame]) -> None:
    expected = expected_affinity(order_categories(demo_raw["orders"], demo_raw["order_lines"]))
    actual = assert_affinity_equal(demo_warehouse, expected)
    basket = actual[actual["affinity_level"] == "basket"].sort_values("lift", ascending=False)
    # The generator's planted pair (coffee with filters) has the top lift, far above the rest.
    assert set(basket.iloc[0][["antecedent_category", "consequent_category"]]) == {"coffee", "filters"}
    assert basket.iloc[0]["lift"] > 10 > 2 > basket.iloc[2]["lift"]
    assert len(actual) == 112 and actual["is_significant"].sum() == 43


# ---------------------------------------------------------------- a small folder with a planted pair and bad lines

BASE_CATEGORIES = ["apparel", "home", "beauty", "toys", "books"]


def generate_planted(folder: Path, customers: int = 500, seed: int = 21) -> None:
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    order_rows, line_rows = [], []
    order_id = 1
    for c in range(customers):
        customer_id = f"c{c:04d}"
        days = np.sort(rng.integers(0, 365, size=1 + rng.poisson(1.5)))
        for day in days:
            status = "completed" if rng.random() < 0.95 else "returned"
            first = rng.choice(BASE_CATEGORIES)
            amount = round(float(rng.uniform(10, 200)), 2)
            ordered_at = (pd.Timestamp("2024-01-01") + pd.Timedelta(days=int(day), seconds=int(rng.integers(0, 86400)))).strftime("%Y-%m-%d %H:%M:%S")
            order_rows.append((str(order_id), customer_id, ordered_at, f"{amount:.2f}", status, first))
            if rng.random() < 0.05:  # no lines: the order's own product_category is used
                order_id += 1
                continue
            cats = [first, *rng.choice(BASE_CATEGORIES, size=rng.integers(0, 3))]
            if rng.random() < 0.15:
                cats.append("coffee")
            if rng.random() < (0.7 if "coffee" in cats else 0.03):
                cats.append("filters")
            for number, category in enumerate(cats, start=1):
                line_rows.append((str(order_id), str(number), f"{category}-{number}", category.title() if number == 1 else category, "1", f"{amount / len(cats):.2f}"))
            order_id += 1
    # A one-off gift buyer: one order, one gifts line.
    order_rows.append((str(order_id), "gift_buyer", "2024-06-01 12:00:00", "25.00", "completed", "gifts"))
    line_rows.append((str(order_id), "1", "gifts-1", "gifts", "1", "25.00"))
    pd.DataFrame(order_rows, columns=["order_id", "customer_id", "ordered_at", "amount", "status", "product_category"]).to_csv(folder / "orders.csv", index=False)
    lines = pd.DataFrame(line_rows, columns=["order_id", "line_number", "product_id", "product_category", "quantity", "line_amount"])
    lines.to_csv(folder / "good_lines.csv.txt", index=False)
    completed = next(r for r in order_rows if r[4] == "completed")[0]
    returned = next(r for r in order_rows if r[4] == "returned")[0]
    bad = pd.DataFrame(
        [
            ("999999", "1", "toys-1", "toys", "1", "5.00", "unknown_order"),
            (completed, "1", "zz-copy", "gifts", "1", "5.00", "duplicate_line"),
            (completed, "90", "toys-1", "toys", "-1", "5.00", "negative_quantity"),
            (completed, "91", "toys-1", "toys", "1", "-5.00", "negative_line_amount"),
            (completed, "92", "toys-1", "toys", "one", "5.00", "unparseable_quantity"),
            (completed, "93", "toys-1", "toys", "1", "5,00", "unparseable_line_amount"),
            (completed, "x", "toys-1", "toys", "1", "5.00", "unparseable_line_number"),
            (completed, "94", "", "toys", "1", "5.00", "null_product_id"),
            (completed, "95", "toys-1", "", "1", "5.00", "null_product_category"),
            ("", "96", "toys-1", "toys", "1", "5.00", "null_order_id"),
            (returned, "97", "toys-9", "toys", "-1", "-5.00", None),  # allowed on a return: staged
        ],
        columns=[*lines.columns, "reason"],
    )
    bad.to_csv(folder / "bad_lines.csv.txt", index=False)
    pd.concat([lines, bad[lines.columns]]).to_csv(folder / "order_lines.csv", index=False)


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("planted_data")
    generate_planted(folder)
    _, db_path = build_folder(folder, tmp_path_factory.mktemp("planted"), select=["+customer_next_category", "+data_reconciliation"])
    return db_path


def _planted_raw(db_path: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    folder = next(p for p in db_path.parent.parent.iterdir() if p.name.startswith("planted_data"))
    read = lambda name: pd.read_csv(folder / name, dtype=str, keep_default_na=False, na_values=[""])  # noqa: E731
    return read("orders.csv"), read("good_lines.csv.txt"), read("bad_lines.csv.txt")


def test_planted_affinity_matches_and_the_planted_pair_leads(planted: Path) -> None:
    orders, good, bad = _planted_raw(planted)
    staged_bad = bad[bad["reason"].isna()]
    expected = expected_affinity(order_categories(orders, pd.concat([good, staged_bad[good.columns]])))
    actual = assert_affinity_equal(planted, expected)
    basket = actual[actual["affinity_level"] == "basket"].sort_values(["lift", "antecedent_category"], ascending=[False, True])
    assert basket.iloc[0][["antecedent_category", "consequent_category"]].tolist() == ["coffee", "filters"]
    assert basket.iloc[0]["is_significant"] and basket.iloc[0]["lift"] > 4
    # Both directions: the same baskets, different denominators.
    pair = basket.set_index(["antecedent_category", "consequent_category"])
    forward, backward = pair.loc[("coffee", "filters")], pair.loc[("filters", "coffee")]
    assert forward["transactions_with_both"] == backward["transactions_with_both"]
    assert forward["confidence"] != backward["confidence"]


def test_bad_order_lines_are_quarantined_with_each_reason(planted: Path) -> None:
    _, good, bad = _planted_raw(planted)
    quarantined = rows(planted, "select coalesce(order_id, '(null)'), coalesce(line_number, '(null)'), quarantine_reasons from quarantine.quarantine_order_lines")
    expected = {(r.order_id if isinstance(r.order_id, str) else "(null)", r.line_number, r.reason) for r in bad.itertuples() if isinstance(r.reason, str)}
    assert set(quarantined) == expected
    assert len(quarantined) == len(expected)
    reconciliation = rows(planted, "select rows_read, rows_staged, rows_quarantined, is_reconciled from quarantine.data_reconciliation where entity = 'order_lines'")
    assert reconciliation == [(len(good) + len(bad), len(good) + 1, len(expected), True)]


def expected_next_category(categories: pd.DataFrame, affinity: pd.DataFrame) -> pd.DataFrame:
    pairs = affinity[affinity["is_significant"] & (affinity["lift"] > 1)]
    bought = categories.groupby("customer_id")["product_category"].agg(set)
    orders = categories.groupby("customer_id")["order_id"].nunique()
    records = []
    for customer_id, cats in bought.items():
        gift = len(cats) == 1 and orders[customer_id] == 1
        options = pairs[pairs["antecedent_category"].isin(cats) & ~pairs["consequent_category"].isin(cats)].assign(
            score=lambda f: f["lift"] * f["confidence"]
        ).sort_values(["score", "consequent_category", "antecedent_category", "affinity_level"], ascending=[False, True, True, True])
        best = None if gift or options.empty else options.iloc[0]
        records.append({"customer_id": customer_id, "categories_bought": len(cats), "is_possible_gift": gift,
                        "next_category": None if best is None else best["consequent_category"],
                        "because_of_category": None if best is None else best["antecedent_category"],
                        "next_category_score": np.nan if best is None else best["score"]})
    return pd.DataFrame.from_records(records).sort_values("customer_id").reset_index(drop=True)


def test_planted_next_category_and_the_gift_buyer(planted: Path) -> None:
    orders, good, bad = _planted_raw(planted)
    categories = order_categories(orders, pd.concat([good, bad[bad["reason"].isna()][good.columns]]))
    expected = expected_next_category(categories, expected_affinity(categories))
    actual = query(planted, "select * from marts.customer_next_category order by customer_id")
    assert actual["customer_id"].tolist() == expected["customer_id"].tolist()
    assert actual["categories_bought"].astype(int).tolist() == expected["categories_bought"].tolist()
    assert actual["is_possible_gift"].tolist() == expected["is_possible_gift"].tolist()
    for column in ("next_category", "because_of_category"):
        assert actual[column].where(actual[column].notna(), None).tolist() == expected[column].tolist(), column
    np.testing.assert_allclose(actual["next_category_score"].to_numpy(dtype=float), expected["next_category_score"].to_numpy(dtype=float), rtol=1e-9, equal_nan=True)
    gift = actual.set_index("customer_id").loc["gift_buyer"]
    assert gift["is_possible_gift"] and pd.isna(gift["next_category"]) and gift["next_category_reason"].startswith("possible_gift")
    # Coffee buyers without filters are offered filters.
    coffee_only = actual[(actual["because_of_category"] == "coffee")]
    assert len(coffee_only) > 0 and set(coffee_only["next_category"]) == {"filters"}


# ---------------------------------------------------------------- channels and regions on the demo
# Recomputed from the raw demo CSVs with pandas and integer cents; only the RFM segment per customer is read from
# marts.customer_rfm (its scores and segments are checked independently in test_scoring.py).

SEGMENTS_SHOWN = ("champions", "loyal", "at_risk", "lost")


def _cents(value: str) -> int:
    return int((Decimal(value.strip()) * 100).to_integral_value(ROUND_HALF_UP))


def _exact(db_path: Path, table: str, money: tuple[str, ...], order_by: str) -> pd.DataFrame:
    """The mart with its money columns as Decimal (read as text, so no float rounding)."""
    replaced = ", ".join(f"cast({column} as varchar) as {column}" for column in money)
    frame = query(db_path, f"select * replace ({replaced}) from marts.{table} order by {order_by}")
    for column in money:
        frame[column] = frame[column].map(lambda value: None if value is None or pd.isna(value) else Decimal(value))
    return frame


def _per_customer(total_cents: int, customers: int) -> Decimal | None:
    return None if customers == 0 else (Decimal(total_cents) / 100 / customers).quantize(Decimal("0.01"), ROUND_HALF_UP)


@pytest.fixture(scope="module")
def demo_customers(demo_raw: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Completed orders (cents, channel) and the customer spine with region, source, 12-month value and repeat."""
    raw = demo_raw["orders"]
    orders = pd.DataFrame({
        "customer_id": raw["customer_id"].str.strip(),
        "order_date": raw["ordered_at"].str.strip().str[:10].map(date.fromisoformat),
        "cents": raw["amount"].map(_cents),
        "channel": raw["channel"].str.strip().str.lower().fillna("unknown"),
        "status": raw["status"].fillna("completed").str.strip().str.lower(),
    })
    completed = orders[orders["status"] == "completed"].copy()
    as_of = orders["order_date"].max() + timedelta(days=1)
    raw_customers = demo_raw["customers"]
    customers = pd.DataFrame({
        "customer_id": raw_customers["customer_id"].str.strip(),
        "recorded": raw_customers["acquired_at"].str.strip().str[:10].map(date.fromisoformat),
        "source": raw_customers["acquisition_source"].str.strip().str.lower(),
        "region": raw_customers["region"].str.strip().str.lower(),
    })
    spine = pd.DataFrame({"customer_id": sorted(set(customers["customer_id"]) | set(orders["customer_id"]))})
    spine = spine.merge(customers, on="customer_id", how="left").fillna({"source": "unknown", "region": "unknown"})
    first = completed.groupby("customer_id")["order_date"].min().rename("first_date")
    spine = spine.merge(first, left_on="customer_id", right_index=True, how="left")
    spine["acquired"] = [min(d for d in (r, f) if isinstance(d, date)) if isinstance(r, date) or isinstance(f, date) else None
                         for r, f in zip(spine["recorded"], spine["first_date"])]
    spine["counted"] = spine["acquired"].map(lambda d: isinstance(d, date) and d + relativedelta(months=12) <= as_of)
    inside = completed.merge(spine[["customer_id", "acquired", "first_date"]], on="customer_id")
    inside = inside[inside["order_date"] < inside["acquired"].map(lambda d: d + relativedelta(months=12))]
    spine["cents_12m"] = spine["customer_id"].map(inside.groupby("customer_id")["cents"].sum()).fillna(0).astype(int)
    repeat = inside[inside["order_date"] > inside["first_date"]]["customer_id"]
    spine["is_repeat_12m"] = spine["customer_id"].isin(repeat)
    spine["cents_total"] = spine["customer_id"].map(completed.groupby("customer_id")["cents"].sum()).fillna(0).astype(int)
    return completed, spine


def test_channel_mix_by_segment_matches_pandas(demo_warehouse: Path, demo_customers: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    completed, spine = demo_customers
    segments = query(demo_warehouse, "select customer_id, rfm_segment from marts.customer_rfm").set_index("customer_id")["rfm_segment"]
    per_channel = completed.groupby(["customer_id", "channel"]).agg(orders=("cents", "size"), cents=("cents", "sum")).reset_index()
    per_channel["channel_count"] = per_channel.groupby("customer_id")["channel"].transform("size")
    main = per_channel.sort_values(["customer_id", "cents", "channel"], ascending=[True, False, True]).drop_duplicates("customer_id")
    per_channel["is_main"] = per_channel.index.isin(main.index)
    per_channel["segment"] = per_channel["customer_id"].map(segments)
    per_channel = per_channel.merge(spine[["customer_id", "counted", "cents_12m"]], on="customer_id")
    assert per_channel["segment"].notna().all()
    actual = _exact(demo_warehouse, "channel_mix_by_segment", ("revenue", "single_channel_revenue_per_customer_12m", "multi_channel_revenue_per_customer_12m"),
                    "rfm_segment, channel").set_index(["rfm_segment", "channel"])
    expected_keys = sorted(per_channel.groupby(["segment", "channel"]).groups)
    assert list(actual.index) == expected_keys
    for (segment, channel), group in per_channel.groupby(["segment", "channel"]):
        row = actual.loc[(segment, channel)]
        in_segment = per_channel[per_channel["segment"] == segment]
        n_segment = in_segment["customer_id"].nunique()
        single, multi = group[group["channel_count"] == 1], group[group["channel_count"] > 1]
        single_counted, multi_counted = single[single["counted"]], multi[multi["counted"]]
        assert (row["segment_customers"], row["customers"], row["main_channel_customers"], row["orders"]) == (
            n_segment, len(group), int(group["is_main"].sum()), int(group["orders"].sum())), (segment, channel)
        assert row["revenue"] == Decimal(int(group["cents"].sum())) / 100
        assert row["customer_share"] == pytest.approx(len(group) / n_segment, rel=1e-12)
        assert row["main_channel_share"] == pytest.approx(group["is_main"].sum() / n_segment, rel=1e-12)
        assert row["revenue_share"] == pytest.approx(group["cents"].sum() / in_segment["cents"].sum(), rel=1e-12)
        assert (row["single_channel_customers"], row["multi_channel_customers"], row["single_channel_customers_counted_12m"],
                row["multi_channel_customers_counted_12m"]) == (len(single), len(multi), len(single_counted), len(multi_counted))
        for column, frame in (("single_channel_revenue_per_customer_12m", single_counted), ("multi_channel_revenue_per_customer_12m", multi_counted)):
            assert row[column] == _per_customer(int(frame["cents_12m"].sum()), len(frame)), (segment, channel, column)
    # Channel revenue reconciles to the total completed revenue, to the cent; the demo has three channels.
    assert actual["revenue"].sum() == Decimal(int(completed["cents"].sum())) / 100
    assert set(actual.index.get_level_values("channel")) == {"app", "store", "web"}
    # customers: channel_count and main_channel per customer.
    wide = query(demo_warehouse, "select customer_id, channel_count, main_channel from marts.customers").set_index("customer_id")
    counts = per_channel.groupby("customer_id")["channel"].size()
    assert wide["channel_count"].astype(int).to_dict() == {c: int(counts.get(c, 0)) for c in wide.index}
    assert wide["main_channel"].dropna().to_dict() == main.set_index("customer_id")["channel"].to_dict()


def _terciles(values: pd.Series) -> pd.Series:
    """SQL ntile(3) over the ascending values (ties by the index, the region name): the first n % 3 tiles get one more."""
    ordered = values.reset_index().sort_values([values.name, values.index.name or "index"])
    n = len(ordered)
    sizes = [n // 3 + (1 if k < n % 3 else 0) for k in range(3)]
    tiles = [label for label, size in zip(("low", "mid", "high"), sizes) for _ in range(size)]
    return pd.Series(tiles, index=ordered.iloc[:, 0].tolist())


def test_region_summary_matches_pandas(demo_warehouse: Path, demo_raw: dict[str, pd.DataFrame],
                                       demo_customers: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    completed, spine = demo_customers
    spine = spine.assign(segment=spine["customer_id"].map(
        query(demo_warehouse, "select customer_id, rfm_segment from marts.customer_rfm").set_index("customer_id")["rfm_segment"]))
    actual = _exact(demo_warehouse, "region_summary", ("revenue_total", "revenue_per_customer_12m", "region_revenue_per_customer_12m"),
                    "region, acquisition_source").set_index(["region", "acquisition_source"])
    assert list(actual.index) == sorted(spine.groupby(["region", "source"]).groups)
    for (region, source), group in spine.groupby(["region", "source"]):
        row = actual.loc[(region, source)]
        counted = group[group["counted"]]
        assert (row["customers"], row["customers_counted_12m"]) == (len(group), len(counted))
        assert row["revenue_total"] == Decimal(int(group["cents_total"].sum())) / 100
        assert row["revenue_per_customer_12m"] == _per_customer(int(counted["cents_12m"].sum()), len(counted))
        assert row["repeat_rate_12m"] == pytest.approx(counted["is_repeat_12m"].mean(), rel=1e-12)
    # Campaign contacts pooled per region: responders bought (completed) in [start, start + window days).
    contacts = demo_raw["campaign_contacts"].assign(customer_id=lambda f: f["customer_id"].str.strip(),
                                                    is_control=lambda f: f["is_control"].str.strip().str.lower() == "true")
    campaigns = demo_raw["campaigns"].assign(start=lambda f: f["starts_at"].str[:10].map(date.fromisoformat),
                                             days=lambda f: f["response_window_days"].astype(int))
    window = contacts.merge(campaigns[["campaign_id", "start", "days"]], on="campaign_id").merge(completed, on="customer_id")
    window_end = [start + timedelta(days=days) for start, days in zip(window["start"], window["days"])]
    window = window[(window["order_date"] >= window["start"]) & (window["order_date"] < pd.Series(window_end, index=window.index))]
    responders = set(zip(window["campaign_id"], window["customer_id"]))
    contacts["is_responder"] = [(c, k) in responders for c, k in zip(contacts["campaign_id"], contacts["customer_id"])]
    contacts["region"] = contacts["customer_id"].map(spine.set_index("customer_id")["region"]).fillna("unknown")
    regions = {}
    for region, group in spine.groupby("region"):
        counted, with_segment = group[group["counted"]], group[group["segment"].notna()]
        in_region = contacts[contacts["region"] == region]
        treated, control = in_region[~in_region["is_control"]], in_region[in_region["is_control"]]
        regions[region] = {"value": counted["cents_12m"].sum() / len(counted), "repeat": counted["is_repeat_12m"].mean()}
        row = actual.loc[region].iloc[0]
        assert (row["region_customers"], row["customers_with_segment"], row["region_customers_counted_12m"],
                row["contacts"], row["control_contacts"]) == (len(group), len(with_segment), len(counted), len(treated), len(control))
        for segment in SEGMENTS_SHOWN:
            assert row[f"{segment}_share"] == pytest.approx((with_segment["segment"] == segment).mean(), rel=1e-12), (region, segment)
        assert row["region_revenue_per_customer_12m"] == _per_customer(int(counted["cents_12m"].sum()), len(counted))
        assert row["region_repeat_rate_12m"] == pytest.approx(counted["is_repeat_12m"].mean(), rel=1e-12)
        assert row["response_rate_diff"] == pytest.approx(treated["is_responder"].mean() - control["is_responder"].mean(), rel=1e-12, abs=1e-15, nan_ok=True)
        assert actual.loc[region][["region_cluster", "response_rate_diff"]].nunique(dropna=False).tolist() == [1, 1]
    frame = pd.DataFrame(regions).T.rename_axis("region")
    clusters = _terciles(frame["value"]) + " value / " + _terciles(frame["repeat"]) + " repeat"
    assert actual.groupby(level="region")["region_cluster"].first().to_dict() == clusters.to_dict()
    # Region revenue reconciles to the total completed revenue, to the cent; four regions and the customers only seen
    # in orders (unknown), in three distinct clusters at least.
    assert actual["revenue_total"].sum() == Decimal(int(completed["cents"].sum())) / 100
    assert sorted(frame.index) == ["east", "north", "south", "unknown", "west"] and clusters.nunique() >= 3
