"""Generate deterministic, realistic demo data for the drilldown dbt project.

The data imitates a mid-sized retailer as described in "Drilling Down"
(Jim Novo): customers are acquired from 2023-01-01 to 2025-11-30 through four
acquisition sources of clearly different value, buy repeatedly with gaps that
lengthen as they lapse, churn silently, shop more in November/December, and
are targeted by three 2025 campaigns with randomised control groups.

Six files are written (CSV with a header row, or Parquet):

``raw_customers``
    customer_id, acquired_at, acquisition_source, region.
    ~2% of buying customers are deliberately missing (their orders must still
    count) and ~1% have ``acquired_at`` a few days *after* their first order.
``raw_orders``
    order_id, customer_id, ordered_at, amount, gross_margin, discount, status,
    channel, product_category.  Sorted by order_id; ``--inject-errors K``
    appends K bad rows at the end (duplicate order_id, negative amount on a
    completed order, unparseable date, null customer_id, order in 2027).
``raw_campaigns``
    campaign_id, campaign_name, starts_at, response_window_days,
    cost_per_contact, fixed_cost, offer_discount_pct, margin_rate.
``raw_campaign_contacts``
    campaign_id, customer_id, is_control, arm, designed_control_share.
``raw_campaign_plans``
    two campaigns planned for 2026 and forecast in ``campaign_forecast``: a
    repeat of the win-back (lift measured in ``c2025_winback``) and a loyalty
    mailing with an assumed 10% lift.
``raw_order_lines``
    order_id, line_number, product_id, product_category, quantity, line_amount.
    One to four lines per order (the first in the order's product_category; line
    amounts add up to the order amount), drawn from their own random stream, so
    the other files do not change.  Planted affinities: ``coffee`` is followed
    by ``filters`` in the same basket far more often than chance, and some
    one-order customers bought a single ``gifts`` line (possible gifts).
    ``--line-categories N`` spreads the extra lines over N categories (the
    benchmark's 50) and ``--lines-per-order M`` draws the extra lines so that an
    order holds M lines on average; the planted affinities stay.  Without them
    the lines are the demo's.
``raw_social_mentions``
    mention_id, customer_id, posted_at, channel, reach, likes, shares,
    comments, sentiment, is_review.  About one customer in ten posts about the
    brand (better customers more often), with heavy-tailed reach, the odd
    viral post, a few champions whose posts get shared a lot, a share of
    unhappy posters and reviews, and handles not matched to any customer
    (empty customer_id).  Drawn from its own random stream, so the other files
    do not change with it.

Planted campaign effects (campaign-caused orders carry
``discount = offer_discount_pct% of amount``):

* ``c2025_winback`` -- lapsed customers, 10% control, real and profitable lift.
* ``c2025_spring_sale`` -- 20% control, no lift at all (treated == control).
* ``c2025_discount_test`` -- arms ``email_10pct`` / ``email_20pct`` plus 15%
  control; a modest lift in ``email_10pct`` only (the deeper discount does not
  pay).

Dates and timestamps are written as text (``YYYY-MM-DD`` and
``YYYY-MM-DD HH:MM:SS``) in both formats, like a landing zone; staging models
cast them.  Money columns are decimals with two places.

Everything is derived from ``--seed`` (and ``--chunk-size``): two runs with the
same arguments produce byte-identical files.  Generation is vectorised with
numpy and streamed in customer chunks, so ``--customers 4000000 --format
parquet`` (~20M orders) runs in minutes within a few GB of RAM.

Usage::

    python scripts/generate_demo_data.py                      # seeds/demo/*.csv
    python scripts/generate_demo_data.py --customers 4000000 --format parquet \\
        --out /tmp/big --inject-errors 50
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

IntArr = npt.NDArray[np.int64]
FloatArr = npt.NDArray[np.float64]
BoolArr = npt.NDArray[np.bool_]

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "seeds" / "demo"

# ---------------------------------------------------------------------------
# Calendar
# ---------------------------------------------------------------------------
EPOCH = np.datetime64("2023-01-01", "D")
ACQ_LAST = np.datetime64("2025-11-30", "D")
DATA_LAST = np.datetime64("2025-12-31", "D")
CAL_LAST = np.datetime64("2027-12-31", "D")
EPOCH_UNIX_DAY = int(EPOCH.astype(np.int64))
ACQ_LAST_IDX = int((ACQ_LAST - EPOCH).astype(np.int64))
DATA_LAST_IDX = int((DATA_LAST - EPOCH).astype(np.int64))
FUTURE_YEAR_START_IDX = int((np.datetime64("2027-01-01", "D") - EPOCH).astype(np.int64))

# Seasonality of purchase intensity (index = month - 1) and weekday (Mon..Sun).
MONTH_FACTOR = np.array([0.85, 0.85, 0.95, 0.97, 1.0, 0.95, 0.93, 0.95, 1.0, 1.05, 1.35, 1.55])
WEEKDAY_FACTOR = np.array([0.95, 0.93, 0.95, 0.98, 1.05, 1.15, 1.05])
HOUR_WEIGHTS = np.array(
    [1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2, 3.5, 4.5, 5.5, 6, 6.5, 6, 5.5, 5.5, 6, 6.5, 7, 7.5, 7, 5.5, 4, 2]
)
HOUR_P = HOUR_WEIGHTS / HOUR_WEIGHTS.sum()

# ---------------------------------------------------------------------------
# Customer model
# ---------------------------------------------------------------------------
SOURCES = ("banner", "newsletter", "search", "referral")
SOURCE_P = np.array([0.35, 0.20, 0.30, 0.15])
# Basket-size multiplier per source (banner buyers spend less per order).
SOURCE_BASKET = np.array([0.78, 1.15, 0.95, 1.08])
# Segment mix per source: heavy / moderate / light buyers.
SOURCE_SEGMENT_P = np.array(
    [
        [0.04, 0.21, 0.75],  # banner
        [0.17, 0.45, 0.38],  # newsletter
        [0.09, 0.33, 0.58],  # search
        [0.13, 0.43, 0.44],  # referral
    ]
)
REGIONS = ("north", "south", "east", "west")
REGION_P = np.array([0.28, 0.22, 0.27, 0.23])

# Segment behaviour: mean first repeat gap (days of average intensity), factor
# by which every following gap grows, probability to churn after each order.
SEG_GAP = np.array([10.0, 28.0, 95.0])
SEG_GAP_FACTOR = np.array([1.03, 1.08, 1.30])
SEG_CHURN = np.array([0.025, 0.08, 0.55])

CHANNELS = ("web", "store", "app")
CHANNEL_P = np.array([0.50, 0.30, 0.20])
CATEGORIES = ("apparel", "footwear", "home", "beauty", "electronics", "accessories")
CATEGORY_P = np.array([0.30, 0.15, 0.17, 0.15, 0.08, 0.15])
CATEGORY_BASKET = np.array([1.0, 1.15, 1.2, 0.6, 1.8, 0.55])
CATEGORY_MARGIN = np.array([0.42, 0.38, 0.35, 0.44, 0.31, 0.43])
STATUSES = ("completed", "cancelled", "returned")
STATUS_P = np.array([0.96, 0.02, 0.02])

UNKNOWN_CUSTOMER_SHARE = 0.02
LATE_ACQUISITION_SHARE = 0.01
ORGANIC_DISCOUNT_SHARE = 0.07
SAME_DAY_EXTRA_P = 0.012
SAME_DAY_SECOND_EXTRA_P = 0.002

FIRST_ORDER_BASE = 80.0
REPEAT_ORDER_BASE = 72.0
CAMPAIGN_ORDER_BASE = 75.0

FIRST_ORDER_ID = 100001

# Order lines (raw_order_lines): extra lines and the planted affinities.
LINE_CATEGORIES = CATEGORIES + ("coffee", "filters", "gifts")
COFFEE, FILTERS, GIFTS = (LINE_CATEGORIES.index(c) for c in ("coffee", "filters", "gifts"))
EXTRA_LINE_P = (0.62, 0.28, 0.10)  # 0, 1 or 2 extra lines in the order's own categories
COFFEE_LINE_P = 0.07
FILTERS_WITH_COFFEE_P = 0.55
FILTERS_WITHOUT_COFFEE_P = 0.015
GIFT_ONE_ORDER_P = 0.30  # one-order customers whose order is a single gifts line
# --line-categories N > len(LINE_CATEGORIES) adds ordinary categories named like this (category_10, ...); they
# share ADDED_CATEGORIES_SHARE of the extra lines evenly, the order categories the rest (as CATEGORY_P).
ADDED_CATEGORY = "category_{:02d}"
ADDED_CATEGORIES_SHARE = 0.5
PRODUCTS_PER_CATEGORY = 40
MONEY = pa.decimal128(12, 2)
SHARE = pa.decimal128(4, 2)


@dataclass(frozen=True)
class Campaign:
    """A campaign definition plus the effect planted in the data."""

    campaign_id: str
    name: str
    starts_at: str
    window_days: int
    cost_per_contact: float
    fixed_cost: float
    offer_discount_pct: int
    margin_rate: float
    control_share: float
    contact_rate: float  # share of eligible customers contacted
    arms: tuple[str, ...]
    arm_uplift: tuple[float, ...]  # P(campaign-caused order) per treated contact
    lapsed_days: int | None = None  # only contact customers without a recent completed order

    @property
    def start_idx(self) -> int:
        return int((np.datetime64(self.starts_at, "D") - EPOCH).astype(np.int64))


# Chronological order matters: later campaigns see earlier campaign orders.
CAMPAIGNS: tuple[Campaign, ...] = (
    Campaign(
        campaign_id="c2025_spring_sale",
        name="Spring sale newsletter (no lift)",
        starts_at="2025-04-07",
        window_days=21,
        cost_per_contact=0.05,
        fixed_cost=400.00,
        offer_discount_pct=15,
        margin_rate=0.35,
        control_share=0.20,
        contact_rate=0.60,
        arms=("email_15pct",),
        arm_uplift=(0.0,),
    ),
    Campaign(
        campaign_id="c2025_discount_test",
        name="Discount depth test 10% vs 20%",
        starts_at="2025-06-09",
        window_days=28,
        cost_per_contact=0.08,
        fixed_cost=600.00,
        offer_discount_pct=10,
        margin_rate=0.35,
        control_share=0.15,
        contact_rate=0.80,
        arms=("email_10pct", "email_20pct"),
        arm_uplift=(0.06, 0.0),
    ),
    Campaign(
        campaign_id="c2025_winback",
        name="Lapsed-customer win-back",
        starts_at="2025-09-15",
        window_days=30,
        cost_per_contact=0.30,
        fixed_cost=1000.00,
        offer_discount_pct=10,
        margin_rate=0.35,
        control_share=0.10,
        contact_rate=1.00,
        arms=("winback_10pct",),
        arm_uplift=(0.11,),
        lapsed_days=90,
    ),
)
CONTROL_ARM = "control"


@dataclass(frozen=True)
class Plan:
    """A campaign planned up front (raw_campaign_plans): forecast, not simulated."""

    plan_id: str
    name: str
    starts_at: str
    window_days: int
    target_segments: str  # RFM segments, `;`-separated (no commas: the CSV writer does not quote)
    min_probability_ordering: float | None
    max_contacts: int | None
    cost_per_contact: float
    fixed_cost: float
    offer_discount_pct: int
    margin_rate: float | None
    based_on_campaign_id: str | None
    assumed_relative_lift: float | None


PLANS: tuple[Plan, ...] = (
    Plan(
        plan_id="p2026_winback",
        name="Win-back again (lift as measured in c2025_winback)",
        starts_at="2026-02-02",
        window_days=30,
        target_segments="at_risk; cant_lose_them; hibernating; need_attention; lost",
        min_probability_ordering=None,
        max_contacts=None,
        cost_per_contact=0.30,
        fixed_cost=1000.00,
        offer_discount_pct=10,
        margin_rate=None,
        based_on_campaign_id="c2025_winback",
        assumed_relative_lift=None,
    ),
    Plan(
        plan_id="p2026_loyalty",
        name="Loyalty mailing (assumed +10% lift)",
        starts_at="2026-03-02",
        window_days=21,
        target_segments="champions; loyal; potential_loyalists",
        min_probability_ordering=0.20,
        max_contacts=800,
        cost_per_contact=0.05,
        fixed_cost=300.00,
        offer_discount_pct=5,
        margin_rate=0.35,
        based_on_campaign_id=None,
        assumed_relative_lift=0.10,
    ),
)
ARM_NAMES: tuple[str, ...] = (CONTROL_ARM,) + tuple(a for c in CAMPAIGNS for a in c.arms)

CUSTOMERS_SCHEMA = pa.schema(
    [
        ("customer_id", pa.int64()),
        ("acquired_at", pa.string()),
        ("acquisition_source", pa.string()),
        ("region", pa.string()),
    ]
)
ORDERS_SCHEMA = pa.schema(
    [
        ("order_id", pa.int64()),
        ("customer_id", pa.int64()),
        ("ordered_at", pa.string()),
        ("amount", MONEY),
        ("gross_margin", MONEY),
        ("discount", MONEY),
        ("status", pa.string()),
        ("channel", pa.string()),
        ("product_category", pa.string()),
    ]
)
CAMPAIGNS_SCHEMA = pa.schema(
    [
        ("campaign_id", pa.string()),
        ("campaign_name", pa.string()),
        ("starts_at", pa.string()),
        ("response_window_days", pa.int64()),
        ("cost_per_contact", MONEY),
        ("fixed_cost", MONEY),
        ("offer_discount_pct", pa.int64()),
        ("margin_rate", SHARE),
    ]
)
CONTACTS_SCHEMA = pa.schema(
    [
        ("campaign_id", pa.string()),
        ("customer_id", pa.int64()),
        ("is_control", pa.bool_()),
        ("arm", pa.string()),
        ("designed_control_share", SHARE),
    ]
)

ORDER_LINES_SCHEMA = pa.schema(
    [
        ("order_id", pa.int64()),
        ("line_number", pa.int64()),
        ("product_id", pa.string()),
        ("product_category", pa.string()),
        ("quantity", pa.int64()),
        ("line_amount", MONEY),
    ]
)

PLANS_SCHEMA = pa.schema(
    [
        ("plan_id", pa.string()),
        ("plan_name", pa.string()),
        ("starts_at", pa.string()),
        ("response_window_days", pa.int64()),
        ("target_segments", pa.string()),
        ("min_probability_ordering", SHARE),
        ("max_contacts", pa.int64()),
        ("cost_per_contact", MONEY),
        ("fixed_cost", MONEY),
        ("offer_discount_pct", pa.int64()),
        ("margin_rate", SHARE),
        ("based_on_campaign_id", pa.string()),
        ("assumed_relative_lift", SHARE),
    ]
)

# Social mentions (raw_social_mentions): who posts, how often, how far it reaches.
MENTION_FIRST_IDX = int((np.datetime64("2024-01-01", "D") - EPOCH).astype(np.int64))
MENTION_CHANNELS = ("instagram", "x", "tiktok", "facebook", "reviews")
MENTION_CHANNEL_P = np.array([0.34, 0.20, 0.16, 0.12, 0.18])
MENTION_CHANNEL_REACH = np.array([1.0, 0.8, 1.6, 0.6, 0.05])  # reviews are read by few
POSTER_BASE_LOGIT = -2.4  # ~10% of customers post; better customers more often
CHAMPION_SHARE = 0.02  # of posters: frequent, well-followed, their posts get shared
UNHAPPY_SHARE = 0.10  # of posters: negative on average
VIRAL_P = 0.015  # a post that takes off: reach and shares x10-60
SENTIMENT_MISSING_P = 0.08
UNMATCHED_POSTERS_PER_CUSTOMER = 0.012  # handles nobody matched to a customer
FIRST_MENTION_ID = 500001

MENTIONS_SCHEMA = pa.schema(
    [
        ("mention_id", pa.int64()),
        ("customer_id", pa.int64()),
        ("posted_at", pa.string()),
        ("channel", pa.string()),
        ("reach", pa.int64()),
        ("likes", pa.int64()),
        ("shares", pa.int64()),
        ("comments", pa.int64()),
        ("sentiment", SHARE),
        ("is_review", pa.bool_()),
    ]
)

# ---------------------------------------------------------------------------
# Calendar helpers
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Calendar:
    """Daily purchase intensity and its cumulative sum ("operational time")."""

    intensity: FloatArr  # per day index, mean 1 over the data period
    cumulative: FloatArr  # cumulative[d] = intensity summed over days < d
    month: npt.NDArray[np.int64]  # 1..12 per day index
    acquisition_p: FloatArr  # P(acquisition day), days 0..ACQ_LAST_IDX


def build_calendar() -> Calendar:
    days = np.arange(EPOCH, CAL_LAST + np.timedelta64(1, "D"), dtype="datetime64[D]")
    month = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dom = (days - days.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    w = MONTH_FACTOR[month - 1] * WEEKDAY_FACTOR[weekday]
    w = np.where((month == 12) & (dom >= 24) & (dom <= 26), w * 0.5, w)
    for year in range(2023, 2028):  # Black Friday and Cyber Monday peaks
        nov1 = np.datetime64(f"{year}-11-01", "D")
        nov1_wd = (int(nov1.astype(np.int64)) + 3) % 7
        thanksgiving = nov1 + np.timedelta64((3 - nov1_wd) % 7 + 21, "D")
        bf = int((thanksgiving + np.timedelta64(1, "D") - EPOCH).astype(np.int64))
        w[bf] *= 2.2
        w[bf + 3] *= 1.6
    w = w / w[: DATA_LAST_IDX + 1].mean()
    cumulative = np.concatenate([[0.0], np.cumsum(w)])
    growth = 1.0 + 0.6 * np.arange(ACQ_LAST_IDX + 1) / ACQ_LAST_IDX
    acq = w[: ACQ_LAST_IDX + 1] * growth
    return Calendar(intensity=w, cumulative=cumulative, month=month, acquisition_p=acq / acq.sum())


# ---------------------------------------------------------------------------
# Simulation
# ---------------------------------------------------------------------------
@dataclass
class Customers:
    """Latent and observed attributes of one chunk of customers."""

    first_id: int
    source: IntArr
    region: IntArr
    first_day: IntArr
    acquired_day: IntArr
    known: BoolArr
    spend: FloatArr
    gap: FloatArr
    gap_factor: FloatArr
    churn: FloatArr
    pref_channel: IntArr
    pref_category: IntArr

    @property
    def size(self) -> int:
        return int(self.source.size)


@dataclass
class Orders:
    """Columnar order rows; ``cust`` is the chunk-local customer index."""

    cust: IntArr
    day: IntArr
    sec: IntArr
    amount: IntArr  # cents
    margin: IntArr  # cents
    discount: IntArr  # cents
    status: IntArr
    channel: IntArr
    category: IntArr

    @staticmethod
    def concat(parts: Sequence[Orders]) -> Orders:
        return Orders(
            *(np.concatenate([getattr(p, f) for p in parts]) for f in Orders.__dataclass_fields__)
        )

    def take(self, idx: IntArr) -> Orders:
        return Orders(*(getattr(self, f)[idx] for f in Orders.__dataclass_fields__))


def make_customers(rng: np.random.Generator, first_id: int, n: int, cal: Calendar) -> Customers:
    source = rng.choice(len(SOURCES), size=n, p=SOURCE_P)
    region = rng.choice(len(REGIONS), size=n, p=REGION_P)
    first_day = rng.choice(ACQ_LAST_IDX + 1, size=n, p=cal.acquisition_p)
    z = rng.standard_normal(n)  # latent customer quality
    cum = np.cumsum(SOURCE_SEGMENT_P, axis=1)[source]
    r = rng.random(n)
    segment = (r > cum[:, 0]).astype(np.int64) + (r > cum[:, 1])
    known = rng.random(n) >= UNKNOWN_CUSTOMER_SHARE
    late = rng.random(n) < LATE_ACQUISITION_SHARE
    acquired_day = first_day + np.where(late, rng.integers(1, 6, size=n), 0)
    return Customers(
        first_id=first_id,
        source=source,
        region=region,
        first_day=first_day,
        acquired_day=acquired_day,
        known=known,
        spend=np.exp(0.35 * z) * SOURCE_BASKET[source],
        gap=SEG_GAP[segment] * np.exp(0.3 * rng.standard_normal(n) - 0.15 * z),
        gap_factor=SEG_GAP_FACTOR[segment],
        churn=np.clip(SEG_CHURN[segment] * np.exp(-0.35 * z), 0.01, 0.9),
        pref_channel=rng.choice(len(CHANNELS), size=n, p=CHANNEL_P),
        pref_category=rng.choice(len(CATEGORIES), size=n, p=CATEGORY_P),
    )


def simulate_purchase_days(
    rng: np.random.Generator, cust: Customers, cal: Calendar
) -> tuple[IntArr, IntArr, BoolArr]:
    """Return (customer index, day index, is_first) for organic orders.

    Gaps are drawn in operational time (days weighted by seasonal intensity),
    grow by a per-segment factor after each purchase, and each purchase may be
    the last one (silent churn).  One vectorised step per purchase number.
    """
    n = cust.size
    idx = np.arange(n, dtype=np.int64)
    c = cal.cumulative
    u = c[cust.first_day] + rng.random(n) * cal.intensity[cust.first_day]
    out_idx: list[IntArr] = [idx]
    out_day: list[IntArr] = [cust.first_day.astype(np.int64)]
    active, gap = idx, cust.gap.copy()
    while active.size:
        keep = rng.random(active.size) >= cust.churn[active]
        active, u, gap = active[keep], u[keep], gap[keep]
        u = u + rng.gamma(2.0, gap / 2.0)
        day = np.searchsorted(c, u, side="right") - 1
        keep = day <= DATA_LAST_IDX
        active, u, gap, day = active[keep], u[keep], gap[keep], day[keep]
        out_idx.append(active)
        out_day.append(day.astype(np.int64))
        gap = gap * cust.gap_factor[active]
    is_first = np.zeros(sum(a.size for a in out_idx), dtype=bool)
    is_first[:n] = True
    return np.concatenate(out_idx), np.concatenate(out_day), is_first


def draw_seconds(rng: np.random.Generator, n: int) -> IntArr:
    hour = rng.choice(24, size=n, p=HOUR_P)
    return hour * 3600 + rng.integers(0, 3600, size=n)


def price_orders(
    rng: np.random.Generator,
    cust: Customers,
    cal: Calendar,
    cidx: IntArr,
    day: IntArr,
    sec: IntArr,
    base: FloatArr,
    discount_pct: IntArr | None,
) -> Orders:
    """Draw channel, category, amount, margin, discount and status."""
    n = cidx.size
    channel = np.where(
        rng.random(n) < 0.75, cust.pref_channel[cidx], rng.choice(len(CHANNELS), size=n, p=CHANNEL_P)
    )
    category = np.where(
        rng.random(n) < 0.5, cust.pref_category[cidx], rng.choice(len(CATEGORIES), size=n, p=CATEGORY_P)
    )
    season = np.where(cal.month[day] >= 11, 1.1, 1.0)
    amount_eur = base * cust.spend[cidx] * CATEGORY_BASKET[category] * season * np.exp(0.42 * rng.standard_normal(n))
    amount = np.maximum(np.rint(amount_eur * 100.0).astype(np.int64), 300)
    if discount_pct is None:
        discount_pct = np.where(
            rng.random(n) < ORGANIC_DISCOUNT_SHARE, rng.choice(np.array([5, 10, 15, 20]), size=n), 0
        )
    discount = np.rint(amount * discount_pct / 100.0).astype(np.int64)
    rate = CATEGORY_MARGIN[category] + 0.015 * rng.standard_normal(n) - np.where(discount_pct > 0, 0.03, 0.0)
    margin = np.rint(amount * np.clip(rate, 0.30, 0.45)).astype(np.int64)
    status = rng.choice(len(STATUSES), size=n, p=STATUS_P)
    return Orders(cidx, day, sec, amount, margin, discount, status, channel, category)


def organic_orders(rng: np.random.Generator, cust: Customers, cal: Calendar) -> Orders:
    cidx, day, is_first = simulate_purchase_days(rng, cust, cal)
    sec = draw_seconds(rng, cidx.size)
    # A few same-day repeat orders (second basket, forgotten item, ...).
    r = rng.random(cidx.size)
    n_extra = (r < SAME_DAY_EXTRA_P).astype(np.int64) + (r < SAME_DAY_SECOND_EXTRA_P)
    src = np.repeat(np.arange(cidx.size), n_extra)
    extra_sec = np.minimum(sec[src] + rng.integers(300, 4 * 3600, size=src.size), 86399)
    cidx = np.concatenate([cidx, cidx[src]])
    day = np.concatenate([day, day[src]])
    sec = np.concatenate([sec, extra_sec])
    is_first = np.concatenate([is_first, np.zeros(src.size, dtype=bool)])
    base = np.where(is_first, FIRST_ORDER_BASE, REPEAT_ORDER_BASE)
    return price_orders(rng, cust, cal, cidx, day, sec, base, None)


@dataclass
class Contacts:
    campaign: IntArr  # index into CAMPAIGNS
    customer_id: IntArr
    is_control: BoolArr
    arm: IntArr  # index into ARM_NAMES


def run_campaigns(
    rng: np.random.Generator, cust: Customers, cal: Calendar, orders: Orders
) -> tuple[Orders, Contacts]:
    """Select contacts, randomise control, and plant campaign-caused orders."""
    parts = [orders]
    contacts: list[Contacts] = []
    n = cust.size
    for k, camp in enumerate(CAMPAIGNS):
        start = camp.start_idx
        eligible = cust.known & (cust.acquired_day < start)
        if camp.lapsed_days is not None:
            all_orders = Orders.concat(parts)
            recent = (
                (all_orders.status == 0)
                & (all_orders.day >= start - camp.lapsed_days)
                & (all_orders.day < start)
            )
            has_recent = np.zeros(n, dtype=bool)
            has_recent[all_orders.cust[recent]] = True
            eligible &= ~has_recent
        chosen = np.flatnonzero(eligible & (rng.random(n) < camp.contact_rate))
        m = chosen.size
        is_control = rng.random(m) < camp.control_share
        arm_local = rng.integers(0, len(camp.arms), size=m)
        arm_index = np.array([ARM_NAMES.index(a) for a in camp.arms], dtype=np.int64)[arm_local]
        arm_index = np.where(is_control, ARM_NAMES.index(CONTROL_ARM), arm_index)
        contacts.append(
            Contacts(np.full(m, k, dtype=np.int64), chosen + cust.first_id, is_control, arm_index)
        )
        uplift = np.array(camp.arm_uplift)[arm_local]
        responds = ~is_control & (rng.random(m) < uplift)
        who = chosen[responds]
        if who.size:
            day = start + rng.integers(0, camp.window_days, size=who.size)
            sec = draw_seconds(rng, who.size)
            base = np.full(who.size, CAMPAIGN_ORDER_BASE)
            pct = np.full(who.size, camp.offer_discount_pct, dtype=np.int64)
            parts.append(price_orders(rng, cust, cal, who, day, sec, base, pct))
    merged = Contacts(
        *(np.concatenate([getattr(c, f) for c in contacts]) for f in Contacts.__dataclass_fields__)
    )
    return Orders.concat(parts), merged


def social_mentions(rng: np.random.Generator, cust: Customers, first_mention_id: int) -> pa.Table:
    """Mentions of the brand by some of the chunk's customers and by unmatched handles, by posted_at."""
    quality = np.log(cust.spend / SOURCE_BASKET[cust.source])  # 0.35 x the latent quality
    is_poster = rng.random(cust.size) < 1.0 / (1.0 + np.exp(-(POSTER_BASE_LOGIT + 2.5 * quality)))
    matched = np.flatnonzero(is_poster)
    unmatched = rng.binomial(cust.size, UNMATCHED_POSTERS_PER_CUSTOMER)
    posters = matched.size + unmatched
    customer_id = np.concatenate([matched + cust.first_id, np.full(unmatched, -1)])
    start = np.concatenate([np.maximum(cust.first_day[matched], MENTION_FIRST_IDX), np.full(unmatched, MENTION_FIRST_IDX)])
    champion = rng.random(posters) < CHAMPION_SHARE
    unhappy = ~champion & (rng.random(posters) < UNHAPPY_SHARE)
    # Per poster: followers (heavy-tailed), mentions a year, engagement and share propensity, mood.
    followers = np.exp(rng.normal(6.3, 1.3, posters) + np.where(champion, 1.5, 0.0))
    per_year = rng.gamma(0.7, 3.0, posters) + np.where(champion, 18.0, 0.0)
    like_rate = np.exp(rng.normal(np.log(0.03), 0.5, posters))
    share_rate = np.exp(rng.normal(np.log(0.002), 0.6, posters)) * np.where(champion, 5.0, 1.0)
    mood = np.clip(
        np.where(unhappy, rng.normal(-0.45, 0.2, posters), rng.normal(0.5, 0.2, posters)) + np.where(champion, 0.3, 0.0),
        -1.0, 1.0,
    )
    span = DATA_LAST_IDX + 1 - start
    count = rng.poisson(per_year * span / 365.0) + np.where(rng.random(posters) < 0.5, 1, 0) * (span > 0)
    poster = np.repeat(np.arange(posters), count)
    n = poster.size
    day = start[poster] + np.floor(rng.random(n) * span[poster]).astype(np.int64)
    sec = draw_seconds(rng, n)
    channel = rng.choice(len(MENTION_CHANNELS), size=n, p=MENTION_CHANNEL_P)
    viral = np.where(rng.random(n) < VIRAL_P, np.exp(rng.uniform(np.log(10.0), np.log(60.0), n)), 1.0)
    reach = np.maximum(
        np.rint(followers[poster] * MENTION_CHANNEL_REACH[channel] * np.exp(rng.normal(0.0, 0.5, n)) * viral), 0
    ).astype(np.int64)
    likes = rng.poisson(reach * like_rate[poster])
    shares = rng.poisson(reach * share_rate[poster] * np.sqrt(viral))
    comments = rng.poisson(reach * like_rate[poster] * 0.12)
    sentiment = np.clip(mood[poster] + rng.normal(0.0, 0.25, n), -1.0, 1.0)
    sentiment_text = [f"{v:.2f}" for v in sentiment]
    has_sentiment = rng.random(n) >= SENTIMENT_MISSING_P
    order = np.lexsort((poster, sec, day))
    ids = customer_id[poster][order]
    return pa.table(
        {
            "mention_id": pa.array(np.arange(first_mention_id, first_mention_id + n, dtype=np.int64)),
            "customer_id": pa.array(ids, type=pa.int64(), mask=ids < 0),
            "posted_at": timestamp_strings(day[order], sec[order]),
            "channel": labels(MENTION_CHANNELS, channel[order]),
            "reach": pa.array(reach[order], type=pa.int64()),
            "likes": pa.array(likes[order], type=pa.int64()),
            "shares": pa.array(shares[order], type=pa.int64()),
            "comments": pa.array(comments[order], type=pa.int64()),
            "sentiment": pa.array([sentiment_text[i] for i in order], type=pa.string(), mask=~has_sentiment[order]).cast(SHARE),
            "is_review": pa.array(channel[order] == MENTION_CHANNELS.index("reviews"), type=pa.bool_()),
        },
        schema=MENTIONS_SCHEMA,
    )


# ---------------------------------------------------------------------------
# Arrow conversion and writers
# ---------------------------------------------------------------------------
def money(cents: IntArr) -> pa.Array:
    return pa.array(cents / 100.0, type=pa.float64()).cast(MONEY)


def labels(names: Sequence[str], codes: IntArr) -> pa.Array:
    return pa.array(list(names), type=pa.string()).take(pa.array(codes, type=pa.int64()))


def date_strings(day_idx: IntArr) -> pa.Array:
    return pa.array((day_idx + EPOCH_UNIX_DAY).astype(np.int32)).cast(pa.date32()).cast(pa.string())


def timestamp_strings(day_idx: IntArr, sec: IntArr) -> pa.Array:
    unix = (day_idx.astype(np.int64) + EPOCH_UNIX_DAY) * 86400 + sec
    ts = pa.array(unix, type=pa.int64()).cast(pa.timestamp("s"))
    return pc.strftime(ts, format="%Y-%m-%d %H:%M:%S")


def customers_table(cust: Customers) -> pa.Table:
    keep = np.flatnonzero(cust.known)
    return pa.table(
        {
            "customer_id": pa.array(keep + cust.first_id, type=pa.int64()),
            "acquired_at": date_strings(cust.acquired_day[keep]),
            "acquisition_source": labels(SOURCES, cust.source[keep]),
            "region": labels(REGIONS, cust.region[keep]),
        },
        schema=CUSTOMERS_SCHEMA,
    )


def orders_table(orders: Orders, first_customer_id: int, first_order_id: int) -> pa.Table:
    order = np.lexsort((orders.cust, orders.sec, orders.day))
    o = orders.take(order)
    n = o.cust.size
    return pa.table(
        {
            "order_id": pa.array(np.arange(first_order_id, first_order_id + n, dtype=np.int64)),
            "customer_id": pa.array(o.cust + first_customer_id, type=pa.int64()),
            "ordered_at": timestamp_strings(o.day, o.sec),
            "amount": money(o.amount),
            "gross_margin": money(o.margin),
            "discount": money(o.discount),
            "status": labels(STATUSES, o.status),
            "channel": labels(CHANNELS, o.channel),
            "product_category": labels(CATEGORIES, o.category),
        },
        schema=ORDERS_SCHEMA,
    )


def campaigns_table() -> pa.Table:
    return pa.table(
        {
            "campaign_id": [c.campaign_id for c in CAMPAIGNS],
            "campaign_name": [c.name for c in CAMPAIGNS],
            "starts_at": [c.starts_at for c in CAMPAIGNS],
            "response_window_days": [c.window_days for c in CAMPAIGNS],
            "cost_per_contact": money(np.array([round(c.cost_per_contact * 100) for c in CAMPAIGNS])),
            "fixed_cost": money(np.array([round(c.fixed_cost * 100) for c in CAMPAIGNS])),
            "offer_discount_pct": [c.offer_discount_pct for c in CAMPAIGNS],
            "margin_rate": money(np.array([round(c.margin_rate * 100) for c in CAMPAIGNS])).cast(SHARE),
        },
        schema=CAMPAIGNS_SCHEMA,
    )


def plans_table() -> pa.Table:
    def share(values: Sequence[float | None]) -> pa.Array:
        return pa.array([None if v is None else f"{v:.2f}" for v in values], type=pa.string()).cast(SHARE)

    return pa.table(
        {
            "plan_id": [p.plan_id for p in PLANS],
            "plan_name": [p.name for p in PLANS],
            "starts_at": [p.starts_at for p in PLANS],
            "response_window_days": [p.window_days for p in PLANS],
            "target_segments": [p.target_segments for p in PLANS],
            "min_probability_ordering": share([p.min_probability_ordering for p in PLANS]),
            "max_contacts": pa.array([p.max_contacts for p in PLANS], type=pa.int64()),
            "cost_per_contact": money(np.array([round(p.cost_per_contact * 100) for p in PLANS])),
            "fixed_cost": money(np.array([round(p.fixed_cost * 100) for p in PLANS])),
            "offer_discount_pct": [p.offer_discount_pct for p in PLANS],
            "margin_rate": share([p.margin_rate for p in PLANS]),
            "based_on_campaign_id": pa.array([p.based_on_campaign_id for p in PLANS], type=pa.string()),
            "assumed_relative_lift": share([p.assumed_relative_lift for p in PLANS]),
        },
        schema=PLANS_SCHEMA,
    )

def contacts_table(parts: Sequence[Contacts]) -> pa.Table:
    if parts:
        c = Contacts(*(np.concatenate([getattr(p, f) for p in parts]) for f in Contacts.__dataclass_fields__))
    else:
        empty = np.zeros(0, dtype=np.int64)
        c = Contacts(empty, empty, np.zeros(0, dtype=bool), empty)
    id_rank = np.argsort(np.argsort(np.array([x.campaign_id for x in CAMPAIGNS])))
    order = np.lexsort((c.customer_id, id_rank[c.campaign]))
    camp, arm = c.campaign[order], c.arm[order]
    shares = np.array([round(x.control_share * 100) for x in CAMPAIGNS], dtype=np.int64)
    return pa.table(
        {
            "campaign_id": labels([x.campaign_id for x in CAMPAIGNS], camp),
            "customer_id": pa.array(c.customer_id[order], type=pa.int64()),
            "is_control": pa.array(c.is_control[order], type=pa.bool_()),
            "arm": labels(ARM_NAMES, arm),
            "designed_control_share": money(shares[camp]).cast(SHARE),
        },
        schema=CONTACTS_SCHEMA,
    )


@dataclass(frozen=True)
class LineShape:
    """How raw_order_lines spreads: over how many categories, and how many lines an order holds on average
    (None: the demo's EXTRA_LINE_P). The default is the demo's lines, draw for draw."""

    categories: int = len(LINE_CATEGORIES)
    lines_per_order: float | None = None

    def names(self) -> tuple[str, ...]:
        added = range(len(LINE_CATEGORIES) + 1, self.categories + 1)
        return LINE_CATEGORIES + tuple(ADDED_CATEGORY.format(i) for i in added)

    def extra_line_p(self) -> tuple[IntArr, FloatArr]:
        """The categories an extra line is drawn from and their probabilities: the order categories (CATEGORY_P)
        and, with more categories, the added ones sharing ADDED_CATEGORIES_SHARE evenly."""
        added = np.arange(len(LINE_CATEGORIES), self.categories)
        if added.size == 0:
            return np.arange(len(CATEGORIES)), CATEGORY_P
        added_p = np.full(added.size, ADDED_CATEGORIES_SHARE / added.size)
        p = np.concatenate([CATEGORY_P * (1 - ADDED_CATEGORIES_SHARE), added_p])
        return np.concatenate([np.arange(len(CATEGORIES)), added]), p

    def mean_extra_lines(self, gift_share: float) -> float:
        """The Poisson mean of the extra lines that makes lines_per_order the mean over all orders: a gift order
        holds one line; the others one, the extras, and the planted coffee and filters lines."""
        assert self.lines_per_order is not None
        planted = COFFEE_LINE_P * FILTERS_WITH_COFFEE_P + (1 - COFFEE_LINE_P) * FILTERS_WITHOUT_COFFEE_P + COFFEE_LINE_P
        mean = (self.lines_per_order - 1) / (1 - gift_share) - planted
        if mean < 0:
            raise ValueError(f"--lines-per-order {self.lines_per_order} is below what the planted lines alone give "
                             f"({1 + (1 - gift_share) * planted:.3f} in this chunk)")  # fmt: skip
        return mean


def order_lines_table(rng: np.random.Generator, orders: pa.Table, shape: LineShape = LineShape()) -> pa.Table:
    """The lines of one chunk's orders: line 1 in the order's category, extra lines, planted coffee -> filters
    and single gifts lines of one-order customers; amounts split in cents so they add up to the order amount."""
    n = orders.num_rows
    order_id = orders.column("order_id").to_numpy()
    customer_id = orders.column("customer_id").to_numpy()
    amount = np.rint(orders.column("amount").cast(pa.float64()).to_numpy() * 100.0).astype(np.int64)
    first_category = pc.index_in(orders.column("product_category"), value_set=pa.array(CATEGORIES)).to_numpy()
    _, first_index, orders_per_customer = np.unique(customer_id, return_index=True, return_counts=True)
    if shape.lines_per_order is None:
        n_extra = rng.choice(len(EXTRA_LINE_P), size=n, p=np.array(EXTRA_LINE_P))
    else:  # the expected share of gift orders (drawn below), so the mean holds with them
        gift_share = GIFT_ONE_ORDER_P * np.count_nonzero(orders_per_customer == 1) / n
        n_extra = rng.poisson(shape.mean_extra_lines(gift_share), size=n)
    has_coffee = rng.random(n) < COFFEE_LINE_P
    has_filters = rng.random(n) < np.where(has_coffee, FILTERS_WITH_COFFEE_P, FILTERS_WITHOUT_COFFEE_P)
    is_gift = np.zeros(n, dtype=bool)
    is_gift[first_index[orders_per_customer == 1]] = True
    is_gift &= rng.random(n) < GIFT_ONE_ORDER_P
    n_extra = np.where(is_gift, 0, n_extra)
    has_coffee &= ~is_gift
    has_filters &= ~is_gift
    # Lines: the first, the extras (drawn like order categories, or over the added ones too), then coffee and filters.
    extra_categories, extra_p = shape.extra_line_p()
    line_order = np.concatenate(
        [np.arange(n), np.repeat(np.arange(n), n_extra), np.flatnonzero(has_coffee), np.flatnonzero(has_filters)]
    )
    line_category = np.concatenate(
        [
            np.where(is_gift, GIFTS, first_category),
            extra_categories[rng.choice(extra_categories.size, size=int(n_extra.sum()), p=extra_p)],
            np.full(int(has_coffee.sum()), COFFEE),
            np.full(int(has_filters.sum()), FILTERS),
        ]
    )
    line_kind = np.concatenate([np.zeros(n, dtype=np.int64), np.ones(line_order.size - n, dtype=np.int64)])
    sort = np.lexsort((line_kind, line_order))  # stable: the first line first, then the others as drawn
    line_order, line_category, line_kind = line_order[sort], line_category[sort], line_kind[sort]
    lines_per_order = np.bincount(line_order, minlength=n)
    starts = np.concatenate([[0], np.cumsum(lines_per_order)[:-1]])
    line_number = np.arange(line_order.size) - starts[line_order] + 1
    # The first line carries the largest share; the others a third each at most, in cents.
    weight = np.where(line_kind == 0, 1.0, rng.uniform(0.05, 0.33, size=line_order.size))
    share = weight / np.bincount(line_order, weights=weight, minlength=n)[line_order]
    cents = np.floor(amount[line_order] * share).astype(np.int64)
    cents[starts] += amount - np.bincount(line_order, weights=cents, minlength=n).astype(np.int64)
    quantity = 1 + rng.poisson(0.3, size=line_order.size)
    product = rng.integers(1, PRODUCTS_PER_CATEGORY + 1, size=line_order.size)
    category_names = labels(shape.names(), line_category)
    product_id = pc.binary_join_element_wise(
        category_names, pa.array(product, type=pa.int64()).cast(pa.string()), "-"
    )
    return pa.table(
        {
            "order_id": pa.array(order_id[line_order], type=pa.int64()),
            "line_number": pa.array(line_number, type=pa.int64()),
            "product_id": product_id,
            "product_category": category_names,
            "quantity": pa.array(quantity, type=pa.int64()),
            "line_amount": money(cents),
        },
        schema=ORDER_LINES_SCHEMA,
    )


def error_rows(rng: np.random.Generator, sample: pa.Table, k: int, next_order_id: int) -> pa.Table:
    """K deliberately bad order rows, cycling through five kinds."""
    rows: list[dict[str, object]] = []
    picks = rng.integers(0, sample.num_rows, size=k)
    for i in range(k):
        row = sample.slice(int(picks[i]), 1).to_pylist()[0]
        kind = i % 5
        if kind == 0:  # duplicate order_id of an existing order (double load)
            pass
        else:
            row["order_id"] = next_order_id
            next_order_id += 1
            if kind == 1:  # negative amount on a completed order
                row["status"] = "completed"
                row["amount"] = -row["amount"]
                row["gross_margin"] = -row["gross_margin"]
            elif kind == 2:  # unparseable date
                row["ordered_at"] = "2025-13-45" + str(row["ordered_at"])[10:]
            elif kind == 3:  # null customer_id
                row["customer_id"] = None
            else:  # order dated in the future (2027)
                day = FUTURE_YEAR_START_IDX + int(rng.integers(0, 365))
                sec = int(rng.integers(0, 86400))
                row["ordered_at"] = timestamp_strings(
                    np.array([day], dtype=np.int64), np.array([sec], dtype=np.int64)
                )[0].as_py()
        rows.append(row)
    return pa.Table.from_pylist(rows, schema=ORDERS_SCHEMA)


class TableWriter:
    """Streams record batches of one entity into a single CSV or Parquet file."""

    def __init__(self, path: Path, schema: pa.Schema, fmt: str) -> None:
        self.path = path
        self.rows = 0
        self._csv_file: BinaryIO | None = None
        self._csv: pacsv.CSVWriter | None = None
        self._parquet: pq.ParquetWriter | None = None
        if fmt == "csv":
            self._csv_file = open(path, "wb")  # noqa: SIM115 - closed in close()
            self._csv_file.write((",".join(schema.names) + "\n").encode())
            options = pacsv.WriteOptions(include_header=False, quoting_style="none")
            self._csv = pacsv.CSVWriter(self._csv_file, schema, write_options=options)
        else:
            self._parquet = pq.ParquetWriter(path, schema, compression="zstd")

    def write(self, table: pa.Table) -> None:
        self.rows += table.num_rows
        if self._csv is not None:
            self._csv.write_table(table)
        elif self._parquet is not None:
            self._parquet.write_table(table, row_group_size=1_000_000)

    def close(self) -> None:
        if self._csv is not None:
            self._csv.close()
        if self._csv_file is not None:
            self._csv_file.close()
        if self._parquet is not None:
            self._parquet.close()


# ---------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------
def positive_int(value: str) -> int:
    n = int(value)
    if n <= 0:
        raise argparse.ArgumentTypeError(f"must be > 0, got {value}")
    return n


def non_negative_int(value: str) -> int:
    n = int(value)
    if n < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return n


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--customers", type=positive_int, default=3000, help="customers to simulate (default 3000)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output directory (default {DEFAULT_OUT})")
    p.add_argument("--format", choices=("csv", "parquet"), default="csv", help="output format (default csv)")
    p.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    p.add_argument(
        "--inject-errors", type=non_negative_int, default=0, metavar="K", help="append K bad order rows (default 0)"
    )
    p.add_argument(
        "--chunk-size",
        type=positive_int,
        default=500_000,
        help="customers simulated per chunk; part of the deterministic output (default 500000)",
    )
    p.add_argument(
        "--line-categories",
        type=positive_int,
        default=len(LINE_CATEGORIES),
        metavar="N",
        help=f"categories of the order lines; more than {len(LINE_CATEGORIES)} adds ordinary categories "
        f"(default {len(LINE_CATEGORIES)}: the demo's)",
    )
    p.add_argument(
        "--lines-per-order",
        type=float,
        default=None,
        metavar="M",
        help="mean lines per order (extra lines drawn as Poisson; default: the demo's 0-2 extra lines)",
    )
    args = p.parse_args(argv)
    if args.line_categories < len(LINE_CATEGORIES):
        p.error(f"--line-categories must be at least {len(LINE_CATEGORIES)} ({', '.join(LINE_CATEGORIES)})")
    if args.lines_per_order is not None and args.lines_per_order < 1:
        p.error("--lines-per-order must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    ext = "csv" if args.format == "csv" else "parquet"
    cal = build_calendar()
    line_shape = LineShape(args.line_categories, args.lines_per_order)

    customers_w = TableWriter(out / f"raw_customers.{ext}", CUSTOMERS_SCHEMA, args.format)
    orders_w = TableWriter(out / f"raw_orders.{ext}", ORDERS_SCHEMA, args.format)
    lines_w = TableWriter(out / f"raw_order_lines.{ext}", ORDER_LINES_SCHEMA, args.format)
    mentions_w = TableWriter(out / f"raw_social_mentions.{ext}", MENTIONS_SCHEMA, args.format)
    contacts: list[Contacts] = []
    next_order_id = FIRST_ORDER_ID
    next_mention_id = FIRST_MENTION_ID
    error_sample: pa.Table | None = None
    try:
        for chunk_no, start in enumerate(range(0, args.customers, args.chunk_size)):
            rng = np.random.default_rng(np.random.SeedSequence([args.seed, chunk_no]))
            n = min(args.chunk_size, args.customers - start)
            cust = make_customers(rng, start + 1, n, cal)
            orders, chunk_contacts = run_campaigns(rng, cust, cal, organic_orders(rng, cust, cal))
            contacts.append(chunk_contacts)
            customers_w.write(customers_table(cust))
            table = orders_table(orders, cust.first_id, next_order_id)
            next_order_id += table.num_rows
            if error_sample is None:  # copied, so the chunk's buffers can be freed
                error_sample = table.take(pa.array(rng.integers(0, table.num_rows, size=1000)))
            orders_w.write(table)
            # Their own random stream, so adding lines left the other files unchanged.
            lines_rng = np.random.default_rng(np.random.SeedSequence([args.seed, chunk_no, 1]))
            lines_w.write(order_lines_table(lines_rng, table, line_shape))
            # Its own random stream: the mentions never change the other files. (It has the same seed
            # sequence as the lines' stream, drawn for other things; changing it would change the demo mentions.)
            mention_rng = np.random.default_rng(np.random.SeedSequence([args.seed, chunk_no, 1]))
            mentions = social_mentions(mention_rng, cust, next_mention_id)
            next_mention_id += mentions.num_rows
            mentions_w.write(mentions)
            del orders, table, cust, mentions
        if args.inject_errors and error_sample is not None:
            err_rng = np.random.default_rng(np.random.SeedSequence([args.seed, 2**31]))
            orders_w.write(error_rows(err_rng, error_sample, args.inject_errors, next_order_id))
    finally:
        customers_w.close()
        orders_w.close()
        lines_w.close()
        mentions_w.close()

    campaigns_w = TableWriter(out / f"raw_campaigns.{ext}", CAMPAIGNS_SCHEMA, args.format)
    campaigns_w.write(campaigns_table())
    campaigns_w.close()
    contacts_w = TableWriter(out / f"raw_campaign_contacts.{ext}", CONTACTS_SCHEMA, args.format)
    contacts_w.write(contacts_table(contacts))
    contacts_w.close()

    plans_w = TableWriter(out / f"raw_campaign_plans.{ext}", PLANS_SCHEMA, args.format)
    plans_w.write(plans_table())
    plans_w.close()

    for w in (customers_w, orders_w, campaigns_w, contacts_w, plans_w, lines_w, mentions_w):
        print(f"{w.path.stem}: {w.rows} rows -> {w.path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
