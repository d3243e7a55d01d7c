"""Issue 20 (advocates): social_mentions input, advocate_scores, advocate_value and the customers columns,
checked against a pandas computation written from the raw files, not from the SQL.

- The oracle: mentions of matched customers in the last 365 days; per poster the per-mention means; the
  Bühlmann–Straub prior of each measure from the mention-level deviations; credibility-shrunk means; the seven
  rank-based quintile scores; the weighted advocate score from seeds/advocate_weights.csv; tiers, detractors and
  ranks. Compared on the demo build (every poster, every column) and on a tiny planted folder.
- Planted cases: a champion ranks first; a poster with one viral post does not outrank a steady poster (and
  would without the shrinkage: the oracle run without it says so); a detractor is not ranked; an old poster is
  not scored; unmatched mentions are staged and counted in the reconciliation.
- Bad input: each quarantine reason (the dirty fixture), and a file without a required column.
"""

from __future__ import annotations

import math
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from conftest import REPO, build_folder, query, rows
from load_input import InputError, load_folder

RTOL = 1e-9
WINDOW_DAYS = 365  # var advocate_window_days
SETTINGS = pd.read_csv(REPO / "seeds" / "advocate_weights.csv", dtype=str)
# score -> (value scored, higher is better, weight name)
COMPONENTS = {
    "frequency_score": ("mentions", True, "frequency"),
    "recency_score": ("mention_recency_days", False, "recency"),
    "reach_score": ("typical_reach_shrunk", True, "reach"),
    "share_score": ("shares_per_1000_reach_shrunk", True, "share"),
    "engagement_score": ("typical_engagements_shrunk", True, "engagement"),
    "engagement_rate_score": ("engagements_per_1000_reach_shrunk", True, "engagement_rate"),
    "sentiment_score": ("net_sentiment_shrunk", True, "sentiment"),
}
# measure -> the per-mention value it is shrunk on (counts on the log scale)
MEASURES = {"reach": "reach_log", "shares": "shares_log", "engagements": "engagements_log", "sentiment": "sentiment"}


# ---------------------------------------------------------------- the independent computation


def window_mentions(mentions: pd.DataFrame, known_customers: set[str], as_of: pd.Timestamp) -> pd.DataFrame:
    """Matched mentions posted 0..WINDOW_DAYS-1 days before the as-of date, with numeric columns."""
    frame = mentions.copy()
    frame["customer_id"] = frame["customer_id"].str.strip()
    frame = frame[frame["customer_id"].isin(known_customers)].copy()
    frame["posted_date"] = pd.to_datetime(frame["posted_at"].str[:10])
    age = (as_of - frame["posted_date"]).dt.days
    frame = frame[(age >= 0) & (age < WINDOW_DAYS)].copy()
    for column in ("reach", "likes", "shares", "comments"):
        frame[column] = frame[column].astype(int)
    frame["engagements"] = frame["likes"] + frame["shares"] + frame["comments"]
    for column in ("reach", "shares", "engagements"):
        frame[f"{column}_log"] = np.log1p(frame[column].astype(float))
    frame["sentiment"] = pd.to_numeric(frame["sentiment"])
    review = frame["is_review"] if "is_review" in frame else pd.Series("", index=frame.index)
    frame["is_review"] = review.fillna("").str.strip().str.lower().isin(["true", "t", "1", "yes", "y"])
    return frame


def buhlmann_straub(values: pd.Series, posters: pd.Series) -> dict[str, object]:
    """Prior of one per-mention measure: mean, within and between variance, k and the rule (decisions.md)."""
    frame = pd.DataFrame({"x": values, "poster": posters}).dropna()
    sizes = frame.groupby("poster")["x"].transform("size")
    if (sizes >= 2).any():  # estimated from the posters with two or more values
        frame = frame[sizes >= 2]
    groups = frame.groupby("poster")["x"]
    n = groups.size().astype(float)
    means = groups.mean()
    total = float(n.sum())
    count = len(n)
    mu = float(frame["x"].sum()) / total
    within_ss = float(((frame["x"] - frame["poster"].map(means)) ** 2).sum())
    within = within_ss / (total - count) if total > count else None
    between = None
    if count >= 2 and within is not None:
        between = (float((n * (means - mu) ** 2).sum()) - (count - 1) * within) / (total - float((n**2).sum()) / total)
    if within is None or within <= 1e-9 * max(mu * mu, 1e-12):
        rule, k = "none", 0.0
    elif between is None or between <= 0:
        rule, k = "full", None
    else:
        rule, k = "credibility", within / between
    return {"posters": count, "mentions": int(total), "prior_mean": mu, "within_variance": within,
            "between_variance": between, "shrinkage_rule": rule, "prior_mentions": k}


def shrink(mean: pd.Series, count: pd.Series, prior: dict[str, object] | None) -> pd.Series:
    if prior is None:
        return pd.Series(np.nan, index=mean.index)
    mu = float(prior["prior_mean"])  # type: ignore[arg-type]
    if prior["shrinkage_rule"] == "full":
        weight = pd.Series(0.0, index=mean.index)
    elif prior["shrinkage_rule"] == "none":
        weight = pd.Series(1.0, index=mean.index)
    else:
        weight = count / (count + float(prior["prior_mentions"]))  # type: ignore[arg-type]
    weight = weight.where(count > 0, 0.0)
    return mu + weight * (mean.fillna(mu) - mu)


def quintile(values: pd.Series, higher_is_better: bool) -> pd.Series:
    """RFM's rule: 1 + floor(5 (rank - 1) / n), rank from the worst value, ties low; null values unscored."""
    scored = values.dropna()
    ranks = scored.rank(method="min", ascending=higher_is_better)
    scores = (1 + np.floor(5 * (ranks - 1) / len(scored))).astype(int)
    return scores.reindex(values.index)


def advocate_oracle(
    mentions: pd.DataFrame, known_customers: set[str], as_of: pd.Timestamp, shrinkage: bool = True
) -> tuple[pd.DataFrame, dict[str, dict[str, object]]]:
    """advocate_scores per customer and the priors, from the raw mentions."""
    window = window_mentions(mentions, known_customers, as_of)
    groups = window.groupby("customer_id")
    out = pd.DataFrame({
        "mentions": groups.size(),
        "reviews": groups["is_review"].sum(),
        "last_mention_date": groups["posted_date"].max(),
        "reach_total": groups["reach"].sum(),
        "shares_total": groups["shares"].sum(),
        "engagements_total": groups["engagements"].sum(),
        "sentiment_mentions": groups["sentiment"].count(),
    })
    out["mention_recency_days"] = (as_of - out["last_mention_date"]).dt.days
    priors = {}
    for measure, column in MEASURES.items():
        if window[column].notna().any():
            priors[measure] = buhlmann_straub(window[column], window["customer_id"])
    if not shrinkage:
        priors_used = {m: {**p, "shrinkage_rule": "none"} for m, p in priors.items()}
    else:
        priors_used = priors
    means = {m: groups[c].mean() for m, c in MEASURES.items()}
    arithmetic = {c: groups[c].mean() for c in ("reach", "engagements")}
    counts = {"reach": out["mentions"], "shares": out["mentions"], "engagements": out["mentions"], "sentiment": out["sentiment_mentions"]}
    shrunk = {m: shrink(means[m].reindex(out.index), counts[m].astype(float), priors_used.get(m)) for m in MEASURES}
    typical = {m: np.expm1(shrunk[m]) for m in ("reach", "shares", "engagements")}  # the shrunk typical mention
    reach_total = out["reach_total"].astype(float)
    out["avg_reach"] = arithmetic["reach"]
    out["typical_reach_shrunk"] = typical["reach"]
    out["shares_per_1000_reach"] = (1000 * out["shares_total"] / reach_total).where(reach_total > 0)
    out["shares_per_1000_reach_shrunk"] = (1000 * typical["shares"] / typical["reach"]).where(typical["reach"] > 0)
    out["engagements_per_mention"] = arithmetic["engagements"]
    out["typical_engagements_shrunk"] = typical["engagements"]
    out["engagements_per_1000_reach"] = (1000 * out["engagements_total"] / reach_total).where(reach_total > 0)
    out["engagements_per_1000_reach_shrunk"] = (1000 * typical["engagements"] / typical["reach"]).where(typical["reach"] > 0)
    out["net_sentiment"] = means["sentiment"].reindex(out.index)
    out["net_sentiment_shrunk"] = shrunk["sentiment"]
    for score, (column, higher_is_better, _) in COMPONENTS.items():
        values = out[column].astype(float)
        ranked = values if column in ("mentions", "mention_recency_days") else values.round(6)
        out[score] = quintile(ranked, higher_is_better)
    weights = {row.name: Decimal(row.value) for row in SETTINGS[SETTINGS["kind"] == "weight"].itertuples()}
    present = [score for score in COMPONENTS if out[score].notna().any()]
    weight_total = sum((weights.get(COMPONENTS[score][2], Decimal(0)) for score in present), Decimal(0))
    weighted = pd.Series(
        [sum((weights.get(COMPONENTS[s][2], Decimal(0)) * int(row[s]) for s in present), Decimal(0)) for _, row in out.iterrows()],
        index=out.index, dtype=object,
    )
    out["advocate_score"] = weighted.map(float) / float(weight_total)
    tiers = sorted(((Decimal(row.value), row.name) for row in SETTINGS[SETTINGS["kind"] == "tier"].itertuples()), reverse=True)
    out["advocate_tier"] = weighted.map(lambda w: next(name for threshold, name in tiers if w >= threshold * weight_total))
    out["is_detractor"] = out["net_sentiment"] < 0
    out.loc[out["is_detractor"], "advocate_tier"] = "detractor"
    order = {name: index + 1 for index, (_, name) in enumerate(tiers)} | {"detractor": len(tiers) + 1}
    out["advocate_tier_order"] = out["advocate_tier"].map(order)
    ranked = weighted[~out["is_detractor"]].map(float)
    out["advocate_rank"] = ranked.rank(method="min", ascending=False).reindex(out.index)
    return out, priors


def assert_frame_matches(warehouse: pd.DataFrame, expected: pd.DataFrame, columns: list[str]) -> None:
    assert sorted(warehouse.index) == sorted(expected.index)
    for column in columns:
        left, right = warehouse[column].reindex(expected.index), expected[column]
        if column.endswith(("_score", "_rank", "_order", "mentions", "reviews", "_days")) and column != "advocate_score":
            assert (left.fillna(-1).astype(int) == right.fillna(-1).astype(int)).all(), (column, (left[left.fillna(-1).astype(int) != right.fillna(-1).astype(int)]).head())
        elif column in ("advocate_tier", "is_detractor"):
            assert (left == right).all(), column
        elif column == "last_mention_date":
            assert (pd.to_datetime(left) == right).all(), column
        else:
            both_null = left.isna() & right.isna()
            close = np.isclose(left.astype(float), right.astype(float), rtol=RTOL, atol=1e-12)
            assert (both_null | close).all(), (column, left[~(both_null | close)].head(), right[~(both_null | close)].head())


SCORE_COLUMNS = [
    "mentions", "reviews", "last_mention_date", "mention_recency_days", "avg_reach", "typical_reach_shrunk",
    "shares_per_1000_reach", "shares_per_1000_reach_shrunk", "engagements_per_mention", "typical_engagements_shrunk",
    "engagements_per_1000_reach", "engagements_per_1000_reach_shrunk", "net_sentiment", "net_sentiment_shrunk",
    *COMPONENTS, "advocate_score", "advocate_rank", "advocate_tier", "advocate_tier_order", "is_detractor",
]


def known_customer_ids(raw: dict[str, pd.DataFrame]) -> set[str]:
    ids = set(raw["orders"]["customer_id"].dropna().str.strip())
    if "customers" in raw:
        ids |= set(raw["customers"]["customer_id"].dropna().str.strip())
    return ids


# ---------------------------------------------------------------- the demo data


@pytest.fixture(scope="module")
def demo_oracle(demo_raw: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, dict[str, dict[str, object]]]:
    return advocate_oracle(demo_raw["social_mentions"], known_customer_ids(demo_raw), pd.Timestamp("2026-01-01"))


def test_demo_mentions_look_like_the_issue(demo_raw: dict[str, pd.DataFrame], demo_oracle: tuple[pd.DataFrame, dict]) -> None:
    """A few hundred posters, heavy-tailed reach, champions, negative posts, unmatched handles."""
    mentions = demo_raw["social_mentions"]
    scores, _ = demo_oracle
    assert 200 <= len(scores) <= 400
    reach = mentions["reach"].astype(int)
    assert reach.max() > 20 * reach.median()  # heavy tail
    assert (pd.to_numeric(mentions["sentiment"]) < 0).sum() > 50
    assert mentions["customer_id"].isna().sum() > 100
    assert (scores["advocate_tier"] == "champion").sum() >= 3


def test_demo_scores_match_an_independent_computation(demo_warehouse: Path, demo_oracle: tuple[pd.DataFrame, dict]) -> None:
    expected, _ = demo_oracle
    warehouse = query(demo_warehouse, "select * from marts.advocate_scores").set_index("customer_id")
    assert_frame_matches(warehouse, expected, SCORE_COLUMNS)
    # The numbers the README quotes.
    assert (len(warehouse), int((warehouse["advocate_tier"] == "champion").sum()), int(warehouse["is_detractor"].sum())) == (287, 18, 40)


def test_demo_priors_match_the_buhlmann_straub_estimates(demo_warehouse: Path, demo_oracle: tuple[pd.DataFrame, dict]) -> None:
    _, priors = demo_oracle
    warehouse = query(demo_warehouse, "select * from intermediate.int_advocate_priors").set_index("measure")
    assert sorted(warehouse.index) == sorted(priors)
    for measure, prior in priors.items():
        row = warehouse.loc[measure]
        assert row["shrinkage_rule"] == prior["shrinkage_rule"] == "credibility", measure
        assert (row["posters"], row["mentions"]) == (prior["posters"], prior["mentions"]), measure
        for column in ("prior_mean", "within_variance", "between_variance", "prior_mentions"):
            assert math.isclose(row[column], prior[column], rel_tol=1e-9), (measure, column)
    # Demo posters differ a lot (followers from tens to tens of thousands): the prior counts as about one mention.
    assert 0.8 < priors["shares"]["prior_mentions"] < 1.0  # type: ignore[operator]
    assert priors["reach"]["posters"] == 163  # the posters with two or more mentions in the window


def test_demo_customers_and_advocate_value(demo_warehouse: Path, demo_raw: dict[str, pd.DataFrame], demo_oracle: tuple[pd.DataFrame, dict]) -> None:
    scores, _ = demo_oracle
    customers = query(
        demo_warehouse,
        "select customer_id, rfm_segment, profit_tier, predicted_clv_next_365d, advocate_tier, advocate_rank, is_silent_high_value "
        "from marts.customers",
    ).set_index("customer_id")
    tier = scores["advocate_tier"].reindex(customers.index).fillna("none")
    assert (customers["advocate_tier"] == tier).all()
    rank = scores["advocate_rank"].reindex(customers.index)
    assert (customers["advocate_rank"].fillna(-1).astype(int) == rank.fillna(-1).astype(int)).all()
    silent = (customers["profit_tier"] == "high") & (tier == "none")
    assert (customers["is_silent_high_value"] == silent).all()
    assert int(silent.sum()) == 242
    # advocate_value: revenue from the raw orders (completed), segment and prediction from customers.
    orders = demo_raw["orders"]
    completed = orders[orders["status"].fillna("completed").str.lower() == "completed"]
    revenue = completed.groupby("customer_id")["amount"].apply(lambda amounts: sum(map(Decimal, amounts), Decimal(0)))
    frame = pd.DataFrame({
        "advocate_tier": tier,
        "rfm_segment": customers["rfm_segment"].fillna("none"),
        "revenue": revenue.reindex(customers.index).map(lambda v: Decimal(0) if pd.isna(v) else v),
        "clv": customers["predicted_clv_next_365d"],
        "silent": silent,
    })
    value = query(demo_warehouse, "select * from marts.advocate_value").set_index(["advocate_tier", "rfm_segment"])
    expected_rows = []
    for keys, group in [*frame.groupby(["advocate_tier", "rfm_segment"]), *((k, g) for k, g in frame.assign(rfm_segment="all").groupby(["advocate_tier", "rfm_segment"]))]:
        expected_rows.append(keys)
        row = value.loc[keys]
        assert row["customers"] == len(group), keys
        assert row["share_of_tier"] == pytest.approx(len(group) / (frame["advocate_tier"] == keys[0]).sum(), rel=RTOL)
        assert Decimal(str(row["revenue_total"])) == sum(group["revenue"], Decimal(0)), keys
        assert row["customers_with_prediction"] == group["clv"].notna().sum()
        if group["clv"].notna().any():
            assert row["predicted_clv"] == pytest.approx(group["clv"].sum(), rel=1e-9), keys
        else:
            assert pd.isna(row["predicted_clv"]) and pd.isna(row["predicted_clv_per_customer"]), keys
        assert row["silent_high_value_customers"] == group["silent"].sum()
    assert len(value) == len(expected_rows)
    # Do advocates buy more? Champions' revenue per customer is above the non-posters'.
    per_customer = value.xs("all", level="rfm_segment")["revenue_per_customer"].astype(float)
    assert per_customer["champion"] > per_customer["none"]


def test_demo_unmatched_mentions_are_counted_not_lost(demo_warehouse: Path, demo_raw: dict[str, pd.DataFrame]) -> None:
    mentions = demo_raw["social_mentions"]
    unmatched = (~mentions["customer_id"].fillna("").str.strip().isin(known_customer_ids(demo_raw))).sum()
    reconciliation = rows(
        demo_warehouse,
        "select rows_read, rows_staged, rows_quarantined, rows_unmatched, is_reconciled "
        "from quarantine.data_reconciliation where entity = 'social_mentions'",
    )
    assert reconciliation == [(len(mentions), len(mentions), 0, unmatched, True)]
    assert unmatched == 171
    staged = rows(demo_warehouse, "select count(*) from staging.stg_shop__social_mentions where not is_matched_customer")
    assert staged == [(unmatched,)]


# ---------------------------------------------------------------- planted cases in a tiny folder

AS_OF = pd.Timestamp("2025-07-01")  # the day after the latest order below


def _planted_folder(folder: Path) -> None:
    """Customers c00..c29, one order each (the last on 2025-06-30), and their mentions.

    c05..c29: two to eight ordinary posts each; posters are alike, posts vary a lot (the prior learns that).
    champ (c00): 12 recent posts, each reaching far and drawing ~4 times the usual engagement. steady (c01): 10
    ordinary posts through the year. lucky (c02): one recent post that did 5 times the usual. grumpy (c03):
    negative posts. old (c04): mentions only before the window. Three mentions by handles nobody matched.
    """
    folder.mkdir(parents=True)
    orders = ["order_id,customer_id,ordered_at,amount"]
    for i in range(30):
        day = pd.Timestamp("2025-01-01") + pd.Timedelta(days=i * 6)
        orders.append(f"o{i},c{i:02d},{day:%Y-%m-%d},{20 + i}.50")
    orders.append("o99,c00,2025-06-30,10.00")
    (folder / "orders.csv").write_text("\n".join(orders) + "\n")
    rng = np.random.default_rng(20)
    lines = ["mention_id,customer_id,posted_at,channel,reach,likes,shares,comments,sentiment"]

    def add(customer: str, days_before: int, reach: float, rate: float, sentiment: float) -> None:
        """A post with reach and an engagement rate: likes, shares and comments in fixed proportions."""
        posted = AS_OF - pd.Timedelta(days=days_before)
        engagements = reach * rate
        likes, shares, comments = round(engagements * 0.8), round(engagements * 0.1), round(engagements * 0.1)
        lines.append(f"m{len(lines)},{customer},{posted:%Y-%m-%d} 12:00:00,instagram,{round(reach)},{likes},{shares},{comments},{sentiment:.2f}")

    for k in range(12):
        add("c00", 1 + 25 * k, 3000, 0.06, 0.9)  # champ
    for k in range(10):
        add("c01", 3 + 30 * k, 1500, 0.03, 0.8)  # steady
    add("c02", 2, 4500, 0.09, 0.8)  # lucky: one post, 3x the usual rate on 3x the usual reach
    for k in range(3):
        add("c03", 10 + 50 * k, 900, 0.03, -0.5)  # grumpy
    add("c04", 400, 2000, 0.05, 0.7)  # old: outside the 365-day window
    for i in range(5, 30):
        base_reach, base_rate = 1500 * math.exp(rng.normal(0, 0.15)), 0.03 * math.exp(rng.normal(0, 0.1))
        for _ in range(int(rng.integers(2, 9))):
            add(f"c{i:02d}", int(rng.integers(0, 365)), base_reach * math.exp(rng.normal(0, 0.6)),
                base_rate * math.exp(rng.normal(0, 0.8)), rng.uniform(0.1, 0.8))
    for _ in range(3):
        add("", 20, 700, 0.02, 0.4)
    (folder / "social_mentions.csv").write_text("\n".join(lines) + "\n")


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("advocates") / "input"
    _planted_folder(folder)
    _, db_path = build_folder(folder, folder.parent / "work", select=["+advocate_scores", "+data_reconciliation"])
    return folder, db_path


def _raw(folder: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False, na_values=[""]) for name in ("orders", "social_mentions")}


def test_planted_folder_matches_the_oracle(planted: tuple[Path, Path]) -> None:
    folder, db_path = planted
    raw = _raw(folder)
    expected, priors = advocate_oracle(raw["social_mentions"], known_customer_ids(raw), AS_OF)
    warehouse = query(db_path, "select * from marts.advocate_scores").set_index("customer_id")
    assert_frame_matches(warehouse, expected, SCORE_COLUMNS)
    assert "c04" not in warehouse.index  # its only mention is older than the window
    assert priors["shares"]["shrinkage_rule"] == "credibility"


def test_planted_champion_ranks_first_and_the_viral_poster_does_not_outrank_the_steady_one(planted: tuple[Path, Path]) -> None:
    folder, db_path = planted
    scores = query(db_path, "select * from marts.advocate_scores").set_index("customer_id")
    assert scores.loc["c00", "advocate_rank"] == 1 and scores.loc["c00", "advocate_tier"] == "champion"
    assert (scores["advocate_rank"] == 1).sum() == 1
    assert scores.loc["c01", "advocate_rank"] < scores.loc["c02", "advocate_rank"]
    # The shrinkage did it: one mention keeps little of its distance from the mean...
    viral = scores.loc["c02"]
    assert viral["typical_engagements_shrunk"] < 0.25 * viral["engagements_per_mention"]
    # ... and without it the viral poster would have out-ranked the steady one.
    raw = _raw(folder)
    unshrunk, _ = advocate_oracle(raw["social_mentions"], known_customer_ids(raw), AS_OF, shrinkage=False)
    assert unshrunk.loc["c02", "advocate_rank"] < unshrunk.loc["c01", "advocate_rank"]
    # A detractor is a detractor whatever its volume, and is not ranked.
    assert scores.loc["c03", "advocate_tier"] == "detractor" and pd.isna(scores.loc["c03", "advocate_rank"])


def test_planted_unmatched_mentions_are_staged_and_reconciled(planted: tuple[Path, Path]) -> None:
    folder, db_path = planted
    read = len(_raw(folder)["social_mentions"])
    assert rows(db_path, "select rows_read, rows_staged, rows_quarantined, rows_unmatched, is_reconciled "
                         "from quarantine.data_reconciliation where entity = 'social_mentions'") == [(read, read, 0, 3, True)]


# ---------------------------------------------------------------- bad input


def test_each_quarantine_reason(dirty_warehouse: Path) -> None:
    """tests/fixtures/dirty/social_mentions.csv: one row per reason (as-of date 2025-03-06)."""
    quarantined = rows(dirty_warehouse, "select mention_id, posted_at, quarantine_reasons from quarantine.quarantine_social_mentions order by 1 nulls first, 2")
    assert quarantined == [
        (None, "2025-02-05", "null_mention_id"),
        ("m1", "2025-02-04", "duplicate_mention_id"),  # the later copy
        ("m4", "2025-02-30", "unparseable_posted_at"),
        ("m5", None, "null_posted_at"),
        # -5 (negative), 1.5 (not whole), x (not a number), empty; sentiment 1.5 > 1; 'maybe' is no boolean.
        ("m6", "2025-02-06", "invalid_reach; invalid_likes; invalid_shares; invalid_comments; invalid_sentiment; invalid_is_review"),
        ("m7", "2025-03-07", "posted_after_as_of_date"),
    ]
    # Unmatched mentions (no customer_id; an id nobody knows) are staged, not quarantined, and counted.
    staged = rows(dirty_warehouse, "select mention_id, customer_id, is_matched_customer, channel, is_review from staging.stg_shop__social_mentions order by 1")
    assert staged == [("m1", "a", True, "instagram", False), ("m2", None, False, "x", False), ("m3", "zz", False, "reviews", True)]
    assert rows(dirty_warehouse, "select rows_read, rows_staged, rows_quarantined, rows_unmatched from quarantine.data_reconciliation "
                                 "where entity = 'social_mentions'") == [(9, 3, 6, 2)]
    # Only a's matched mention is scored: a lone poster ties with itself on every score (1s: occasional).
    assert rows(dirty_warehouse, "select customer_id, mentions, advocate_tier from marts.advocate_scores") == [("a", 1, "occasional")]


def test_file_without_a_required_column_names_file_and_column(tmp_path: Path) -> None:
    data_dir = tmp_path / "input"
    shutil.copytree(REPO / "tests" / "fixtures" / "dirty", data_dir)
    path = data_dir / "social_mentions.csv"
    frame = pd.read_csv(path, dtype=str).drop(columns=["shares"])
    frame.to_csv(path, index=False)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as connection, pytest.raises(InputError) as error:
        load_folder(connection, data_dir)
    assert str(error.value).startswith(f"{path}: missing required column(s) shares ")
