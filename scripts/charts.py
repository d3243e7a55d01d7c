"""Hand-written inline SVG charts for the HTML report (no JavaScript, no network).

CHART_SOURCES below is the one place that says which mart and which columns each chart reads.
Each column role lists the accepted column names, first match wins: when a mart renames a column,
add the new name here. A chart whose mart or column is missing is skipped with a note, never a crash.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

import pandas as pd


@dataclass(frozen=True)
class ChartSource:
    title: str
    mart: str  # table in the `marts` schema
    columns: dict[str, tuple[str, ...]]  # role -> accepted column names, first found wins
    caption: str
    count_rows: bool = False  # read `count(*) as n` grouped by the roles instead of the rows themselves
    mean_of: tuple[str, ...] = ()  # with count_rows: roles read as their mean per group, not grouped by
    optional: tuple[str, ...] = ()  # roles the chart draws without (e.g. a caption's numbers): never a "Not drawn"


# clv_backtest's 'total' row (null on the other rows), quoted in the backtest charts' captions when present.
BACKTEST_TOTALS: dict[str, tuple[str, ...]] = {
    "total_predicted": ("total_predicted_repeat_purchase_days",),
    "total_actual": ("total_actual_repeat_purchase_days",),
    "mae": ("mean_absolute_error",),
    "correlation": ("correlation",),
    "lift": ("top_decile_lift",),
    "auc": ("auc",),
    "calibration_end_date": ("calibration_end_date",),
    "holdout_days": ("holdout_days",),
}

# The chart-to-column mapping (data contract names first).
CHART_SOURCES: dict[str, ChartSource] = {
    "rfm_grid": ChartSource(
        title="RFM grid: customers by recency and frequency score",
        mart="customer_rfm",
        columns={"r_score": ("r_score",), "f_score": ("f_score",)},
        caption="Customers per recency score (rows, 5 = most recent) and frequency score (columns, 5 = most frequent).",
        count_rows=True,
    ),
    "latency_trip_wires": ChartSource(
        title="Latency trip wires",
        mart="latency_trip_wires",
        columns={
            "segment": ("frequency_segment", "segment", "latency_segment"),
            "purchase_number": ("purchase_number", "from_purchase_number", "order_number"),
            "days": ("trip_wire_days", "trip_wire_after_days", "days"),
        },
        caption="Days without an order after which a customer counts as late, per purchase number and segment.",
    ),
    "ltv_by_source": ChartSource(
        title="LTV by acquisition source",
        mart="ltv_by_acquisition_source",
        columns={
            "source": ("acquisition_source",),
            "window_months": ("window_months",),
            "value": ("revenue_per_customer",),
        },
        caption="Revenue per customer within N months of acquisition (customers whose window has elapsed).",
    ),
    "cohort_retention": ChartSource(
        title="Cohort retention triangle",
        mart="cohort_retention",
        columns={
            "cohort": ("cohort_month",),
            "months_since": ("months_since_acquisition", "months_since_first_order", "months_since"),
            "rate": ("retention_rate",),
        },
        caption="Share of each monthly acquisition cohort active N months later.",
    ),
    "campaign_lift": ChartSource(
        title="Campaign lift: response rate vs control, 95% CI",
        mart="campaign_results",
        columns={
            "campaign_id": ("campaign_id",),
            "arm": ("arm",),
            "diff": ("response_rate_diff",),
            "ci_low": ("response_rate_diff_ci_low", "response_rate_diff_ci95_lower"),
            "ci_high": ("response_rate_diff_ci_high", "response_rate_diff_ci95_upper"),
        },
        caption="Response rate of each treated arm minus its control group, with the 95% confidence interval. "
        "An interval that crosses zero is no evidence of lift.",
    ),
    "rollout_by_cell": ChartSource(
        title="Roll-out decision by RFM cell",
        mart="campaign_results_by_rfm_cell",
        columns={
            "campaign_id": ("campaign_id",),
            "arm": ("arm",),
            "rfm_cell": ("rfm_cell",),
            "decision": ("rollout_decision", "is_rollout", "should_roll_out"),
        },
        caption="Per campaign arm, each RFM cell coloured by the mart's roll-out decision.",
    ),
    # Both backtest charts read every row of clv_backtest: the chart keeps its section, the caption quotes
    # the 'total' row.
    "clv_backtest_by_frequency": ChartSource(
        title="CLV backtest: predicted vs actual repeat purchase days by frequency",
        mart="clv_backtest",
        columns={
            "section": ("backtest_section",),
            "bucket": ("bucket",),
            "sort_order": ("bucket_sort_order",),
            "customers": ("customers",),
            "predicted": ("predicted_repeat_purchase_days",),
            "actual": ("actual_repeat_purchase_days",),
            **BACKTEST_TOTALS,
        },
        caption="The BG/NBD fit on the calibration period, scored on the holdout that follows it: per number of "
        "repeat purchase days in the calibration period, the mean predicted and the mean actual repeat purchase "
        "days per customer in the holdout (Fader's validation chart). Close lines: trust the model's expected orders.",
        optional=tuple(BACKTEST_TOTALS),
    ),
    "clv_backtest_by_decile": ChartSource(
        title="CLV backtest: calibration of the order probability by decile",
        mart="clv_backtest",
        columns={
            "section": ("backtest_section",),
            "bucket": ("bucket",),
            "sort_order": ("bucket_sort_order",),
            "customers": ("customers",),
            "predicted": ("predicted_order_probability",),
            "actual": ("actual_order_rate",),
            **BACKTEST_TOTALS,
        },
        caption="Calibration customers in deciles of their predicted probability of ordering in the holdout "
        "(10 = most likely): the mean predicted probability and the share who actually ordered in the holdout.",
        optional=tuple(BACKTEST_TOTALS),
    ),
    "clv_by_propensity_decile": ChartSource(
        title="Predicted CLV by propensity decile",
        mart="customer_clv",
        columns={"decile": ("propensity_decile",), "clv": ("predicted_clv_next_365d",)},
        caption="Customers per decile of the probability of ordering in the next 90 days (10 = most likely) and "
        "their mean predicted CLV over the next 365 days (discounted; margin or revenue as the mart's value_basis says).",
        count_rows=True,
        mean_of=("clv",),
    ),
    "profit_tiers": ChartSource(
        title="Profit tiers",
        mart="customer_profit_tiers",
        columns={
            "tier": ("profit_tier",),
            "tier_order": ("tier_order",),
            "value": ("cumulative_value",),
        },
        caption="Share of all customers' positive value (margin, or revenue where a margin is missing) held by each "
        "profit tier, and its customers (high = the customers making the top 50% of value by default; the "
        "profit_tiers seed sets the cuts).",
    ),
    "segment_migration": ChartSource(
        title="Segment migration in the last month",
        mart="segment_migration",
        columns={
            "segmentation": ("segmentation",),
            "period_kind": ("period_kind",),
            "from_date": ("from_snapshot_date",),
            "to_date": ("to_snapshot_date",),
            "from_segment": ("from_segment",),
            "from_order": ("from_segment_order",),
            "to_segment": ("to_segment",),
            "to_order": ("to_segment_order",),
            "share": ("share_of_from_segment",),
        },
        caption="Where each RFM segment's customers were a month later: the share of the row's segment (from) in each "
        "segment (to), for the last month-long period between snapshots; 'new' = first order in the period. "
        "Segments run from best to worst (the rfm_segments seed's segment_order); cells right of the diagonal moved down.",
        optional=("from_segment", "from_order"),
    ),
    "profit_tier_shares": ChartSource(
        title="Profit tiers over time",
        mart="customer_segment_history",
        columns={
            "snapshot_date": ("snapshot_date",),
            "tier": ("profit_tier",),
            "tier_order": ("tier_order",),
        },
        caption="Share of the scored customers in each profit tier at each month end of the last year and on the "
        "as-of date (tiers recomputed at every snapshot: high = the customers making the top 50% of value then).",
        count_rows=True,
    ),
    "campaign_forecast": ChartSource(
        title="Campaign plans: forecast incremental profit, 95% interval",
        mart="campaign_forecast",
        columns={
            "plan_id": ("plan_id",),
            "segment": ("rfm_segment",),
            "segment_order": ("segment_order",),
            "profit": ("incremental_profit",),
            "ci_low": ("incremental_profit_ci95_lower",),
            "ci_high": ("incremental_profit_ci95_upper",),
            "recommendation": ("recommendation",),
        },
        caption="Per plan, in total ('all') and per targeted RFM segment: the expected incremental profit after costs, "
        "with its 95% interval when the lift was measured in a past campaign (an assumed lift has none). "
        "Green: proven profitable (send); red: proven loss; grey: not proven either way.",
        optional=("segment_order", "ci_low", "ci_high", "recommendation"),
    ),
    "top_advocates": ChartSource(
        title="Top advocates",
        mart="advocate_scores",
        columns={
            "customer_id": ("customer_id",),
            "rank": ("advocate_rank",),
            "score": ("advocate_score",),
            "tier": ("advocate_tier",),
            "mentions": ("mentions",),
            "reach": ("avg_reach",),
            "shares": ("shares_per_1000_reach",),
            "engagements": ("engagements_per_mention",),
            "sentiment": ("net_sentiment",),
        },
        caption="The customers who recommend the brand most, by advocate score (1-5: frequency, recency, reach, "
        "shares, engagement and sentiment of their mentions in the last year, each shrunk toward all posters' "
        "average so one lucky post does not make a champion; weights in the advocate_weights seed). Detractors "
        "(negative net sentiment) are not ranked.",
        optional=("mentions", "reach", "shares", "engagements", "sentiment"),
    ),
    "advocate_heat_map": ChartSource(
        title="Advocate tier x RFM segment",
        mart="advocate_value",
        columns={
            "tier": ("advocate_tier",),
            "tier_order": ("advocate_tier_order",),
            "segment": ("rfm_segment",),
            "segment_order": ("segment_order",),
            "share": ("share_of_tier",),
            "customers": ("customers",),
            "revenue_per_customer": ("revenue_per_customer",),
        },
        caption="Where each advocate tier's customers sit in the RFM segments (share of the tier; 'none' tier = no "
        "mention in the last year, 'none' segment = no completed order), and the tier's revenue per customer. "
        "Valuable customers in the 'none' tier are the silent ones (customers.is_silent_high_value).",
        optional=("segment_order", "customers", "revenue_per_customer"),
    ),
    "channel_mix": ChartSource(
        title="Channel mix per RFM segment",
        mart="channel_mix_by_segment",
        columns={
            "segment": ("rfm_segment",),
            "channel": ("channel",),
            "share": ("revenue_share",),
            "segment_customers": ("segment_customers",),
        },
        caption="Share of each RFM segment's completed revenue by sales channel (rows add up to 100%; 'unknown' = "
        "orders without a channel). Segments with the most customers first.",
        optional=("segment_customers",),
    ),
    "region_summary": ChartSource(
        title="Regions: 12-month value, segment mix, campaign lift and cluster",
        mart="region_summary",
        columns={
            "region": ("region",),
            "source": ("acquisition_source",),
            "customers": ("region_customers",),
            "champions": ("champions_share",),
            "lost": ("lost_share",),
            "value": ("region_revenue_per_customer_12m",),
            "repeat": ("region_repeat_rate_12m",),
            "source_value": ("revenue_per_customer_12m",),
            "lift": ("response_rate_diff",),
            "cluster": ("region_cluster",),
        },
        caption="Per region: revenue per customer in the 12 months after acquisition (bars; complete windows only) "
        "and, in the table, its customers, shares of champions and lost customers, 12-month repeat rate, the "
        "12-month value per acquisition source, the campaign lift pooled over all campaigns (response rate minus "
        "control) and the region cluster (terciles of 12-month value and repeat rate).",
        optional=("customers", "champions", "lost", "repeat", "source_value", "lift"),
    ),
    "top_affinity_pairs": ChartSource(
        title="Categories bought together or next",
        mart="category_affinity",
        columns={
            "level": ("affinity_level",),
            "antecedent": ("antecedent_category",),
            "consequent": ("consequent_category",),
            "lift": ("lift",),
            "confidence": ("confidence",),
            "support": ("support",),
            "both": ("transactions_with_both",),
            "q_value": ("q_value",),
            "significant": ("is_significant",),
        },
        caption="The category pairs with the highest lift among the significant ones (Benjamini-Hochberg q below "
        "var affinity_max_q_value), per level: basket = in the same order, customer = B bought in a later order "
        "within var affinity_window_days. Lift = how many times more often than by chance; confidence A -> B = "
        "share of the orders with A that hold (or are followed by) B.",
        optional=("support", "both", "q_value"),
    ),
}

TOP_ADVOCATES = 20
TOP_AFFINITY_PAIRS = 10  # rows per level in the affinity table  # rows of the top-advocates table (the bar chart shows the first 15)
WIDTH = 1000
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"'


# ---------------------------------------------------------------------------------------------------
# small SVG helpers
# ---------------------------------------------------------------------------------------------------
def _text(x: float, y: float, text: object, size: int = 12, anchor: str = "middle", extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" {extra}>{escape(str(text))}</text>'


def _svg(width: float, height: float, body: list[str], label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="{escape(label)}" {FONT}>'
        + "".join(body)
        + "</svg>"
    )


def _blue(t: float) -> str:
    """Sequential colour from near-white (0) to dark blue (1)."""
    t = min(max(t, 0.0), 1.0)
    low, high = (240, 246, 252), (8, 69, 148)
    return "#" + "".join(f"{round(a + (b - a) * t):02x}" for a, b in zip(low, high, strict=True))


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high]."""
    if not math.isfinite(low) or not math.isfinite(high):
        return [0.0]
    if high <= low:
        high = low + 1.0
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(value, 10))
    return ticks


def fmt_number(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 10 or value == int(value):
        return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"
    return f"{value:.2f}"


def fmt_percent(value: float) -> str:
    return f"{value * 100:.1f}%"


# ---------------------------------------------------------------------------------------------------
# generic charts
# ---------------------------------------------------------------------------------------------------
def heat_map(
    values: dict[tuple[str, str], float],
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    row_title: str,
    column_title: str,
    fmt: Callable[[float], str],
    cell: float = 56,
    label: str = "heat map",
    scale_max: float | None = None,
) -> str:
    """A grid of cells shaded by value (darkest at scale_max, default the largest value); missing cells are
    left blank (e.g. a cohort triangle)."""
    left = max(120, 12 + 6.5 * max((len(str(row)) for row in row_labels), default=0))
    cell_width = max(min(cell, (WIDTH - left - 20) / max(len(column_labels), 1)), 18)
    # Column labels wider than a cell are slanted; the grid moves down to make room.
    longest_column = max((len(str(column)) for column in column_labels), default=0)
    slanted = longest_column * 6.5 > cell_width
    top = 40 + (longest_column * 4.6 if slanted else 0)
    cell_height = min(cell, 40) if len(row_labels) > 12 else cell
    width = left + cell_width * len(column_labels) + 20
    height = top + cell_height * len(row_labels) + 20
    finite = [value for value in values.values() if math.isfinite(value)]
    low, high = (min(finite), max(finite)) if finite else (0.0, 1.0)
    if scale_max is not None and low < scale_max < high:
        high = scale_max
    show_values = cell_width >= 34
    body = [_text(left + cell_width * len(column_labels) / 2, 14, column_title, 12, extra='font-weight="600"')]
    body.append(
        _text(14, top + cell_height * len(row_labels) / 2, row_title, 12,
              extra=f'font-weight="600" transform="rotate(-90 14 {top + cell_height * len(row_labels) / 2:.1f})"')
    )
    for j, column in enumerate(column_labels):
        x = left + (j + 0.5) * cell_width
        if slanted:
            body.append(_text(x, top - 8, column, 11, anchor="start", extra=f'transform="rotate(-40 {x:.1f} {top - 8:.1f})"'))
        else:
            body.append(_text(x, top - 8, column, 11))
    for i, row in enumerate(row_labels):
        y = top + i * cell_height
        body.append(_text(left - 8, y + cell_height / 2 + 4, row, 11, anchor="end"))
        for j, column in enumerate(column_labels):
            value = values.get((row, column))
            if value is None or not math.isfinite(value):
                continue
            x = left + j * cell_width
            t = (value - low) / (high - low) if high > low else 1.0
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell_width - 1:.1f}" height="{cell_height - 1:.1f}" '
                f'fill="{_blue(t)}"><title>{escape(f"{row_title} {row}, {column_title} {column}: {fmt(value)}")}</title></rect>'
            )
            if show_values:
                colour = "#fff" if t > 0.55 else "#1a1a1a"
                body.append(_text(x + cell_width / 2, y + cell_height / 2 + 4, fmt(value), 11, extra=f'fill="{colour}"'))
    return _svg(width, height, body, label)


def line_chart(
    series: dict[str, list[tuple[float, float]]],
    x_title: str,
    y_title: str,
    y_fmt: Callable[[float], str] = fmt_number,
    label: str = "line chart",
    x_labels: dict[float, str] | None = None,
) -> str:
    """One line (with points) per series, a legend on the right; x_labels names x values (e.g. 7 -> '7+')."""
    left, right, top, bottom = 70, 200, 20, 50
    width, height = WIDTH, 360
    plot_width, plot_height = width - left - right, height - top - bottom
    xs = [x for points in series.values() for x, _ in points]
    ys = [y for points in series.values() for _, y in points]
    x_ticks = sorted(set(xs)) if len(set(xs)) <= 24 else nice_ticks(min(xs), max(xs))
    y_ticks = nice_ticks(min(0.0, min(ys)), max(ys))
    x_low, x_high = min(x_ticks[0], min(xs)), max(x_ticks[-1], max(xs))
    if x_high == x_low:
        x_low, x_high = x_low - 1, x_high + 1
    y_low, y_high = y_ticks[0], y_ticks[-1]

    def x_text(x: float) -> str:
        return x_labels[x] if x_labels and x in x_labels else fmt_number(x)

    def sx(x: float) -> float:
        return left + (x - x_low) / (x_high - x_low) * plot_width

    def sy(y: float) -> float:
        return top + plot_height - (y - y_low) / (y_high - y_low) * plot_height

    body = []
    for tick in y_ticks:
        body.append(f'<line x1="{left}" x2="{left + plot_width}" y1="{sy(tick):.1f}" y2="{sy(tick):.1f}" stroke="#e3e3e3"/>')
        body.append(_text(left - 8, sy(tick) + 4, y_fmt(tick), 11, anchor="end"))
    for tick in x_ticks:
        body.append(_text(sx(tick), top + plot_height + 18, x_text(tick), 11))
    body.append(f'<line x1="{left}" x2="{left + plot_width}" y1="{sy(y_low):.1f}" y2="{sy(y_low):.1f}" stroke="#888"/>')
    body.append(_text(left + plot_width / 2, height - 8, x_title, 12, extra='font-weight="600"'))
    body.append(_text(14, top + plot_height / 2, y_title, 12, extra=f'font-weight="600" transform="rotate(-90 14 {top + plot_height / 2:.1f})"'))
    for k, (name, points) in enumerate(series.items()):
        colour = PALETTE[k % len(PALETTE)]
        points = sorted(points)
        path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in points)
        body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for x, y in points:
            body.append(
                f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="4" fill="{colour}">'
                f"<title>{escape(f'{name}: {x_text(x)} → {y_fmt(y)}')}</title></circle>"
            )
        legend_y = top + 10 + k * 20
        body.append(f'<rect x="{width - right + 20}" y="{legend_y - 9}" width="14" height="4" fill="{colour}"/>')
        body.append(_text(width - right + 40, legend_y - 3, name, 12, anchor="start"))
    return _svg(width, height, body, label)


def interval_chart(
    items: list[tuple[str, float, float | None, float | None]],
    x_title: str,
    fmt: Callable[[float], str] = fmt_percent,
    label: str = "interval chart",
) -> str:
    """A forest plot: one row per item, point estimate with its interval, a zero line."""
    left, right, top, row_height = 260, 40, 20, 34
    width = WIDTH
    height = top + row_height * len(items) + 50
    values = [v for _, estimate, low, high in items for v in (estimate, low, high) if v is not None]
    ticks = nice_ticks(min(0.0, min(values)), max(0.0, max(values)))
    low_edge, high_edge = ticks[0], ticks[-1]
    plot_width = width - left - right

    def sx(x: float) -> float:
        return left + (x - low_edge) / (high_edge - low_edge) * plot_width

    bottom = top + row_height * len(items)
    body = []
    for tick in ticks:
        body.append(f'<line x1="{sx(tick):.1f}" x2="{sx(tick):.1f}" y1="{top}" y2="{bottom}" stroke="#e3e3e3"/>')
        body.append(_text(sx(tick), bottom + 18, fmt(tick), 11))
    body.append(f'<line x1="{sx(0):.1f}" x2="{sx(0):.1f}" y1="{top}" y2="{bottom}" stroke="#555" stroke-dasharray="4 3"/>')
    body.append(_text(left + plot_width / 2, height - 8, x_title, 12, extra='font-weight="600"'))
    for i, (name, estimate, low, high) in enumerate(items):
        y = top + (i + 0.5) * row_height
        is_clear = low is not None and high is not None and (low > 0 or high < 0)
        colour = ("#2ca02c" if estimate > 0 else "#d62728") if is_clear else "#7f7f7f"
        body.append(_text(left - 10, y + 4, name, 12, anchor="end"))
        if low is not None and high is not None:
            body.append(f'<line x1="{sx(low):.1f}" x2="{sx(high):.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="{colour}" stroke-width="2"/>')
            for end in (low, high):
                body.append(f'<line x1="{sx(end):.1f}" x2="{sx(end):.1f}" y1="{y - 7:.1f}" y2="{y + 7:.1f}" stroke="{colour}" stroke-width="2"/>')
        interval = f" (95% CI {fmt(low)} to {fmt(high)})" if low is not None and high is not None else ""
        body.append(
            f'<circle cx="{sx(estimate):.1f}" cy="{y:.1f}" r="6" fill="{colour}">'
            f"<title>{escape(f'{name}: {fmt(estimate)}{interval}')}</title></circle>"
        )
    return _svg(width, height, body, label)


def bar_chart(
    bars: list[tuple[str, float, str]],
    x_title: str,
    y_title: str,
    y_fmt: Callable[[float], str] = fmt_number,
    label: str = "bar chart",
) -> str:
    """One bar per (name, value, note), the value above the bar, the name and its note (e.g. a count) below."""
    left, right, top, bottom = 70, 20, 20, 66
    width, height = WIDTH, 360
    plot_width, plot_height = width - left - right, height - top - bottom
    values = [value for _, value, _ in bars]
    ticks = nice_ticks(min(0.0, min(values)), max(0.0, max(values)))
    y_low, y_high = ticks[0], ticks[-1]

    def sy(y: float) -> float:
        return top + plot_height - (y - y_low) / (y_high - y_low) * plot_height

    slot = plot_width / len(bars)
    body = []
    for tick in ticks:
        body.append(f'<line x1="{left}" x2="{left + plot_width}" y1="{sy(tick):.1f}" y2="{sy(tick):.1f}" stroke="#e3e3e3"/>')
        body.append(_text(left - 8, sy(tick) + 4, y_fmt(tick), 11, anchor="end"))
    for k, (name, value, note) in enumerate(bars):
        x = left + k * slot + slot * 0.15
        y0, y1 = sorted((sy(0.0), sy(value)))
        body.append(
            f'<rect x="{x:.1f}" y="{y0:.1f}" width="{slot * 0.7:.1f}" height="{max(y1 - y0, 0.5):.1f}" fill="{PALETTE[0]}">'
            f"<title>{escape(f'{x_title} {name}: {y_fmt(value)} ({note})')}</title></rect>"
        )
        body.append(_text(x + slot * 0.35, y0 - 5, y_fmt(value), 11))
        body.append(_text(x + slot * 0.35, top + plot_height + 18, name, 11))
        body.append(_text(x + slot * 0.35, top + plot_height + 33, note, 10, extra='fill="#555"'))
    body.append(f'<line x1="{left}" x2="{left + plot_width}" y1="{sy(0.0):.1f}" y2="{sy(0.0):.1f}" stroke="#888"/>')
    body.append(_text(left + plot_width / 2, height - 8, x_title, 12, extra='font-weight="600"'))
    body.append(_text(14, top + plot_height / 2, y_title, 12, extra=f'font-weight="600" transform="rotate(-90 14 {top + plot_height / 2:.1f})"'))
    return _svg(width, height, body, label)


def tile_chart(groups: dict[str, list[tuple[str, str]]], label: str = "tile chart") -> str:
    """One row of labelled tiles per group, each tile coloured by its category; legend on top."""
    categories = sorted({category for tiles in groups.values() for _, category in tiles})
    colours = {category: colour for category, colour in zip(categories, _category_colours(categories), strict=True)}
    left, top, tile, gap = 220, 40, 30, 3
    per_row = max(int((WIDTH - left - 20) // (tile + gap)), 1)
    body = []
    x = left
    for category in categories:
        body.append(f'<rect x="{x}" y="8" width="14" height="14" fill="{colours[category]}"/>')
        body.append(_text(x + 20, 20, category, 12, anchor="start"))
        x += 40 + 8 * len(category)
    y = top
    for name, tiles in groups.items():
        body.append(_text(left - 10, y + tile / 2 + 4, name, 12, anchor="end"))
        for k, (cell, category) in enumerate(sorted(tiles, reverse=True)):
            tx = left + (k % per_row) * (tile + gap)
            ty = y + (k // per_row) * (tile + gap)
            body.append(
                f'<rect x="{tx}" y="{ty}" width="{tile}" height="{tile}" fill="{colours[category]}">'
                f"<title>{escape(f'{name}, cell {cell}: {category}')}</title></rect>"
            )
            text_colour = "#1a1a1a" if colours[category] in LIGHT_COLOURS else "#fff"
            body.append(_text(tx + tile / 2, ty + tile / 2 + 4, cell, 9, extra=f'fill="{text_colour}"'))
        y += (math.ceil(len(tiles) / per_row) or 1) * (tile + gap) + 12
    return _svg(WIDTH, y + 10, body, label)


LIGHT_COLOURS = ("#d9dee5",)


def _category_colours(categories: list[str]) -> list[str]:
    """Green for a roll-out, grey for a hold, light grey for too little data, palette colours otherwise."""
    colours = []
    others = iter(PALETTE[1:])
    for category in categories:
        lowered = category.lower()
        if lowered in ("true", "roll out", "roll_out", "rollout", "yes"):
            colours.append("#2ca02c")
        elif "small" in lowered or "insufficient" in lowered:
            colours.append(LIGHT_COLOURS[0])
        elif lowered in ("false", "no", "hold") or "not" in lowered or "don" in lowered:
            colours.append("#7f7f7f")
        else:
            colours.append(next(others, "#444444"))
    return colours


# ---------------------------------------------------------------------------------------------------
# the report's charts: data frames with the role names of CHART_SOURCES as columns
# ---------------------------------------------------------------------------------------------------
def rfm_grid(frame: pd.DataFrame) -> str:
    values = {(str(int(r)), str(int(f))): float(n) for r, f, n in frame[["r_score", "f_score", "n"]].itertuples(index=False)}
    return heat_map(values, ["5", "4", "3", "2", "1"], ["1", "2", "3", "4", "5"], "recency score", "frequency score",
                    lambda v: f"{v:,.0f}", label="RFM grid")


def latency_trip_wires(frame: pd.DataFrame) -> str:
    series = {
        str(segment): [(float(x), float(y)) for x, y in group[["purchase_number", "days"]].itertuples(index=False)]
        for segment, group in frame.groupby("segment", sort=True)
    }
    return line_chart(series, "purchase number", "days until late", label="latency trip wires")


def ltv_by_source(frame: pd.DataFrame) -> str:
    series = {
        str(source): [(float(x), float(y)) for x, y in group[["window_months", "value"]].itertuples(index=False)]
        for source, group in frame.groupby("source", sort=True)
    }
    return line_chart(series, "months after acquisition", "revenue per customer", label="LTV by source")


def cohort_retention(frame: pd.DataFrame) -> str:
    cohorts = sorted({str(cohort)[:7] for cohort in frame["cohort"]})
    months = [str(m) for m in sorted({int(m) for m in frame["months_since"]})]
    values = {(str(c)[:7], str(int(m))): float(r) for c, m, r in frame[["cohort", "months_since", "rate"]].itertuples(index=False)}
    # Month 0 is (close to) 100% by construction: shade the later months on their own scale.
    later = frame.loc[frame["months_since"] > 0, "rate"]
    return heat_map(values, cohorts, months, "cohort", "months since acquisition", fmt_percent, cell=40,
                    label="cohort retention", scale_max=float(later.max()) if not later.empty else None)


def campaign_lift(frame: pd.DataFrame) -> str:
    items = [
        (f"{campaign} / {arm}", float(diff), _float_or_none(low), _float_or_none(high))
        for campaign, arm, diff, low, high in frame[["campaign_id", "arm", "diff", "ci_low", "ci_high"]].itertuples(index=False)
    ]
    return interval_chart(sorted(items), "response rate difference vs control", label="campaign lift")


def rollout_by_cell(frame: pd.DataFrame) -> str:
    groups: dict[str, list[tuple[str, str]]] = {}
    for campaign, arm, cell, decision in frame[["campaign_id", "arm", "rfm_cell", "decision"]].itertuples(index=False):
        groups.setdefault(f"{campaign} / {arm}", []).append((str(cell), str(decision).lower() if isinstance(decision, bool) else str(decision)))
    return tile_chart(dict(sorted(groups.items())), label="roll-out by cell")


def _backtest_rows(frame: pd.DataFrame, section: str) -> pd.DataFrame:
    return frame[frame["section"] == section].sort_values("sort_order")


def _backtest_caption(frame: pd.DataFrame, kind: str) -> str:
    """The 'total' row's numbers for a caption under the chart, each only when the mart has it."""
    total = frame[frame["section"] == "total"]
    if total.empty:
        return ""
    row = total.iloc[0]

    def value(role: str) -> float | None:
        return _float_or_none(row[role]) if role in row.index else None

    parts = []
    if "calibration_end_date" in row.index and not pd.isna(row["calibration_end_date"]):
        holdout = value("holdout_days")
        period = f"the {holdout:,.0f} days after" if holdout is not None else "the holdout after"
        parts.append(f"Calibration period up to {str(row['calibration_end_date'])[:10]}, scored on {period} it, "
                     f"{float(row['customers']):,.0f} customers")
    if kind == "frequency":
        total_predicted, total_actual = value("total_predicted"), value("total_actual")
        if total_predicted is not None and total_actual is not None:
            parts.append(f"repeat purchase days in the holdout: {total_predicted:,.0f} predicted, {total_actual:,.0f} actual")
        if (mae := value("mae")) is not None:
            parts.append(f"mean absolute error {mae:.2f} repeat purchase days per customer")
        if (correlation := value("correlation")) is not None:
            parts.append(f"correlation {correlation:.2f}")
    else:
        if (auc := value("auc")) is not None:
            parts.append(f"AUC {auc:.3f}")
        if (lift := value("lift")) is not None:
            parts.append(f"top-decile lift {lift:.2f}× (order rate of decile 10 over the average {fmt_percent(float(row['actual']))})")
    if not parts:
        return ""
    return f'<figcaption class="caption">{escape("; ".join(parts))}.</figcaption>'


def _backtest_chart(frame: pd.DataFrame, section: str, x_title: str, y_title: str, y_fmt: Callable[[float], str],
                    label: str) -> str:
    rows = _backtest_rows(frame, section)
    if rows.empty:
        return f'<p class="note">Not drawn: <code>marts.clv_backtest</code> has no <code>{escape(section)}</code> rows.</p>'
    x_labels = {float(order): str(bucket) for order, bucket in rows[["sort_order", "bucket"]].itertuples(index=False)}
    series = {
        name: [(float(x), float(y)) for x, y in rows[["sort_order", column]].itertuples(index=False)]
        for name, column in (("predicted", "predicted"), ("actual", "actual"))
    }
    return line_chart(series, x_title, y_title, y_fmt, label=label, x_labels=x_labels) + _backtest_caption(frame, section)


def clv_backtest_by_frequency(frame: pd.DataFrame) -> str:
    return _backtest_chart(frame, "frequency", "repeat purchase days in the calibration period",
                           "repeat purchase days in the holdout", fmt_number, "CLV backtest by frequency")


def clv_backtest_by_decile(frame: pd.DataFrame) -> str:
    return _backtest_chart(frame, "propensity_decile", "decile of the predicted order probability",
                           "ordered in the holdout", fmt_percent, "CLV backtest by decile")


def clv_by_propensity_decile(frame: pd.DataFrame) -> str:
    bars = [
        (str(int(decile)), float(clv), f"{int(n):,} customers")
        for decile, clv, n in frame.sort_values("decile")[["decile", "clv", "n"]].itertuples(index=False)
    ]
    return bar_chart(bars, "propensity decile", "mean predicted CLV, 365 days", label="CLV by propensity decile")


def profit_tiers(frame: pd.DataFrame) -> str:
    """One bar per tier in tier order: its share of the positive value; below it, its customers and their share."""
    positive = frame["value"].astype(float).clip(lower=0.0)
    total_value = float(positive.sum())
    tiers = frame.assign(positive=positive).groupby(["tier_order", "tier"], sort=True).agg(
        n=("value", "size"), value=("positive", "sum")
    )
    customers = int(tiers["n"].sum())
    bars = [
        (str(tier), value / total_value if total_value > 0 else 0.0, f"{n:,} customers ({fmt_percent(n / customers)})")
        for (_, tier), n, value in tiers[["n", "value"]].itertuples()
    ]
    return bar_chart(bars, "profit tier", "share of value", y_fmt=fmt_percent, label="profit tiers")


def _month_long_period(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of the last consecutive period at least 28 days long (the last one when none is): with the default
    as-of date, the day after the last order, the very last period is a single day."""
    periods = frame[frame["period_kind"] == "consecutive"][["from_date", "to_date"]].drop_duplicates()
    periods = periods.assign(days=(pd.to_datetime(periods["to_date"]) - pd.to_datetime(periods["from_date"])).dt.days)
    long_enough = periods[periods["days"] >= 28]
    chosen = (long_enough if not long_enough.empty else periods).sort_values("to_date").iloc[-1]
    return frame[(frame["from_date"] == chosen["from_date"]) & (frame["to_date"] == chosen["to_date"])]


def segment_migration(frame: pd.DataFrame) -> str:
    rfm = frame[frame["segmentation"] == "rfm_segment"]
    period = _month_long_period(rfm if not rfm.empty else frame)
    period = period.assign(from_segment=period["from_segment"].fillna("new"), from_order=period["from_order"].fillna(0))
    rows = period.drop_duplicates("from_segment").sort_values("from_order")["from_segment"].tolist()
    segments = period.drop_duplicates("to_segment").sort_values("to_order")["to_segment"].tolist()
    values = {(f, t): float(share) for f, t, share in period[["from_segment", "to_segment", "share"]].itertuples(index=False)}
    first = period.iloc[0]
    return heat_map(values, rows, segments, f"segment on {pd.Timestamp(first['from_date']):%Y-%m-%d}",
                    f"segment on {pd.Timestamp(first['to_date']):%Y-%m-%d}", fmt_percent, cell=64,
                    label="segment migration heat map")


def profit_tier_shares(frame: pd.DataFrame) -> str:
    frame = frame.assign(snapshot_date=pd.to_datetime(frame["snapshot_date"]))
    dates = sorted(frame["snapshot_date"].unique())
    position = {date: index for index, date in enumerate(dates)}
    totals = frame.groupby("snapshot_date")["n"].sum()
    series: dict[str, list[tuple[float, float]]] = {}
    for (tier_order, tier), group in frame.groupby(["tier_order", "tier"], sort=True):
        series[str(tier)] = [
            (float(position[date]), float(n) / float(totals[date])) for date, n in group[["snapshot_date", "n"]].itertuples(index=False)
        ]
    labels = {float(index): f"{pd.Timestamp(date):%b %y}" for index, date in enumerate(dates)}
    labels[float(len(dates) - 1)] = "as of"
    return line_chart(series, "snapshot (month end; the last is the as-of date)", "share of customers", fmt_percent,
                      label="profit tier shares", x_labels=labels)


def campaign_forecast(frame: pd.DataFrame) -> str:
    """One row per plan x segment, each plan's total first, then its segments in the seed's order."""
    frame = frame.assign(
        is_segment=(frame["segment"] != "all").astype(int),
        order=frame["segment_order"] if "segment_order" in frame else 0,
    ).sort_values(["plan_id", "is_segment", "order", "segment"])
    items = []
    for row in frame.itertuples(index=False):
        low = _float_or_none(getattr(row, "ci_low", None))
        high = _float_or_none(getattr(row, "ci_high", None))
        note = f" ({row.recommendation})" if isinstance(getattr(row, "recommendation", None), str) else ""
        items.append((f"{row.plan_id} / {row.segment}{note}", float(row.profit), low, high))
    return interval_chart(items, "incremental profit", fmt=fmt_number, label="campaign forecast")


def top_advocates(frame: pd.DataFrame) -> str:
    """Bars of the best-ranked advocates' scores, then a table of the top TOP_ADVOCATES with their measures."""
    top = frame.sort_values(["rank", "customer_id"]).head(TOP_ADVOCATES)
    bars = [(str(row.customer_id), float(row.score), str(row.tier)) for row in top.head(15).itertuples(index=False)]
    chart = bar_chart(bars, "customer", "advocate score (1-5)", label="top advocates")
    columns = [("rank", "rank", "{:.0f}"), ("customer_id", "customer", "{}"), ("tier", "tier", "{}"),
               ("score", "advocate score", "{:.2f}"), ("mentions", "mentions", "{:.0f}"), ("reach", "reach per mention", "{:,.0f}"),
               ("shares", "shares per 1,000 reach", "{:.1f}"), ("engagements", "engagements per mention", "{:,.1f}"),
               ("sentiment", "net sentiment", "{:+.2f}")]
    shown = [(role, title, fmt) for role, title, fmt in columns if role in top.columns]
    head = "".join(f"<th>{escape(title)}</th>" for _, title, _ in shown)
    body = "".join(
        "<tr>" + "".join(
            f"<td>{escape('' if pd.isna(getattr(row, role)) else fmt.format(getattr(row, role)))}</td>" for role, _, fmt in shown
        ) + "</tr>"
        for row in top.itertuples(index=False)
    )
    return f'{chart}<table class="top-advocates"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def advocate_heat_map(frame: pd.DataFrame) -> str:
    """Tiers (rows, tier order) x RFM segments (columns, seed order, 'none' last): share of the tier's customers."""
    cells = frame[frame["segment"] != "all"]
    tiers = cells.drop_duplicates("tier").sort_values("tier_order")["tier"].tolist()
    order = cells["segment_order"] if "segment_order" in cells else pd.Series(0, index=cells.index)
    segments = cells.assign(order=order.fillna(1e9)).drop_duplicates("segment").sort_values(["order", "segment"])["segment"].tolist()
    values = {(str(t), str(g)): float(v) for t, g, v in cells[["tier", "segment", "share"]].itertuples(index=False)}
    grid = heat_map(values, tiers, segments, "advocate tier", "RFM segment", fmt_percent, cell=64, label="advocate tier x segment")
    totals = frame[frame["segment"] == "all"]
    if totals.empty or "revenue_per_customer" not in totals or "customers" not in totals:
        return grid
    parts = [
        f"{row.tier}: {int(row.customers):,} customers, {float(row.revenue_per_customer):,.2f} revenue per customer"
        for row in totals.sort_values("tier_order").itertuples(index=False)
    ]
    return grid + f'<figcaption class="caption">{escape("; ".join(parts))}.</figcaption>'


def channel_mix(frame: pd.DataFrame) -> str:
    """Segments (most customers first, then by name) x channels, shaded by the revenue share."""
    sizes = frame.groupby("segment")["segment_customers"].max() if "segment_customers" in frame else None
    segments = sorted({str(s) for s in frame["segment"]}, key=lambda s: (-float(sizes[s]) if sizes is not None else 0.0, s))
    channels = sorted({str(c) for c in frame["channel"]})
    values = {(str(s), str(c)): float(v) for s, c, v in frame[["segment", "channel", "share"]].itertuples(index=False)}
    return heat_map(values, segments, channels, "segment", "channel", fmt_percent, cell=64, label="channel mix per segment",
                    scale_max=1.0)


def _table(head: list[str], body: list[list[str]]) -> str:
    cells = "".join(f"<th>{escape(text)}</th>" for text in head)
    rows = "".join("<tr>" + "".join(f"<td>{escape(text)}</td>" for text in row) + "</tr>" for row in body)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{rows}</tbody></table>"


def _fmt_optional(value: object, fmt: Callable[[float], str]) -> str:
    number = _float_or_none(value)
    return "" if number is None else fmt(number)


def region_summary(frame: pd.DataFrame) -> str:
    """A bar per region with counted customers (12-month value, its cluster below), then one table row per region."""
    regions = frame.drop_duplicates("region").sort_values("region")
    bars = [(str(row.region), float(row.value), str(row.cluster))
            for row in regions.itertuples(index=False) if _float_or_none(row.value) is not None]
    chart = bar_chart(bars, "region", "12-month revenue per customer", label="region 12-month value") if bars else ""
    sources = sorted({str(s) for s in frame["source"]}) if "source_value" in frame and "source" in frame else []
    optional = [("customers", "customers", lambda v: f"{v:,.0f}"), ("champions", "champions", fmt_percent),
                ("lost", "lost", fmt_percent), ("value", "12-month value", fmt_number),
                ("repeat", "12-month repeat rate", fmt_percent), ("lift", "campaign lift", fmt_percent)]
    shown = [(role, title, fmt) for role, title, fmt in optional if role in frame]
    head = ["region"] + [title for _, title, _ in shown] + [f"12-month value: {source}" for source in sources] + ["cluster"]
    body = []
    for region, group in frame.groupby("region", sort=True):
        first = group.iloc[0]
        by_source = dict(zip(group["source"].astype(str), group["source_value"], strict=True)) if sources else {}
        body.append([str(region)] + [_fmt_optional(first[role], fmt) for role, _, fmt in shown]
                    + [_fmt_optional(by_source.get(source), fmt_number) for source in sources] + [str(first["cluster"])])
    return chart + _table(head, body)


def _float_or_none(value: object) -> float | None:
    if value is None or pd.isna(value):  # type: ignore[arg-type]
        return None
    return float(value)  # type: ignore[arg-type]


def top_affinity_pairs(frame: pd.DataFrame) -> str:
    """One bar per top pair (per level, highest lift first; the level under the bar), then the same pairs as a table."""
    significant = frame[frame["significant"].astype(bool)]
    if significant.empty:
        return '<p class="note">No significant pair.</p>'
    top = (
        significant.sort_values(["level", "lift", "antecedent", "consequent"], ascending=[True, False, True, True])
        .groupby("level", sort=True).head(TOP_AFFINITY_PAIRS)
    )
    bars = [(f"{row.antecedent} -> {row.consequent}", float(row.lift), str(row.level)) for row in top.itertuples(index=False)]
    chart = bar_chart(bars, "pair (level)", "lift", label="affinity lift")
    optional = [("support", "support", fmt_percent), ("both", "orders with both", lambda v: f"{v:,.0f}"),
                ("q_value", "q-value", lambda v: f"{v:.2g}")]
    shown = [(role, title, fmt) for role, title, fmt in optional if role in top]
    head = ["level", "A", "B", "lift", "confidence A -> B"] + [title for _, title, _ in shown]
    body = [[str(row["level"]), str(row["antecedent"]), str(row["consequent"]), f"{float(row['lift']):.2f}",
             fmt_percent(float(row["confidence"]))] + [_fmt_optional(row[role], fmt) for role, _, fmt in shown]
            for _, row in top.iterrows()]  # fmt: skip
    return chart + _table(head, body)


# Rows a chart cannot draw (a control arm has no difference to itself) are dropped before drawing.
CHART_FUNCTIONS: dict[str, tuple[Callable[[pd.DataFrame], str], tuple[str, ...]]] = {
    "rfm_grid": (rfm_grid, ("r_score", "f_score")),
    "latency_trip_wires": (latency_trip_wires, ("segment", "purchase_number", "days")),
    "ltv_by_source": (ltv_by_source, ("source", "window_months", "value")),
    "cohort_retention": (cohort_retention, ("cohort", "months_since", "rate")),
    "campaign_lift": (campaign_lift, ("campaign_id", "arm", "diff")),
    "rollout_by_cell": (rollout_by_cell, ("rfm_cell", "decision")),
    "clv_backtest_by_frequency": (clv_backtest_by_frequency, ("section", "sort_order", "predicted", "actual")),
    "clv_backtest_by_decile": (clv_backtest_by_decile, ("section", "sort_order", "predicted", "actual")),
    "clv_by_propensity_decile": (clv_by_propensity_decile, ("decile", "clv")),
    "profit_tiers": (profit_tiers, ("tier", "tier_order", "value")),
    "segment_migration": (segment_migration, ("segmentation", "period_kind", "from_date", "to_date", "to_segment", "share")),
    "profit_tier_shares": (profit_tier_shares, ("snapshot_date", "tier", "tier_order")),
    "campaign_forecast": (campaign_forecast, ("plan_id", "segment", "profit")),
    "top_advocates": (top_advocates, ("customer_id", "rank", "score")),
    "advocate_heat_map": (advocate_heat_map, ("tier", "tier_order", "segment", "share")),
    "channel_mix": (channel_mix, ("segment", "channel", "share")),
    "region_summary": (region_summary, ("region", "cluster")),
    "top_affinity_pairs": (top_affinity_pairs, ("level", "antecedent", "consequent", "lift", "confidence", "significant")),
}
