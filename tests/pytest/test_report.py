"""Issue 7: the report's exports and charts, on tiny stand-in marts (the real build is in test_cli.py)."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
import yaml
from conftest import REPO
from openpyxl import load_workbook

import browser
import charts
import report

# Hand-made stand-ins with the data contract's column names; every number below is asserted somewhere.
STAND_IN_MARTS = """
create schema marts;
create schema quarantine;
create schema staging;
create table staging.base_as_of_date as select date '2025-07-01' as as_of_date;
create table quarantine.data_reconciliation as
    select * from (values ('orders', 10, 8, 2, true), ('customers', 4, 4, 0, true))
    as t(entity, rows_read, rows_staged, rows_quarantined, is_reconciled);
create table marts.customer_rfm as
    select 'c' || i as customer_id, 1 + i % 5 as r_score, 1 + (i // 5) % 5 as f_score, 3 as m_score,
           cast(12.5 * i as decimal(18, 2)) as monetary_total
    from range(1, 31) as t(i);
create table marts.latency_trip_wires as
    select * from (values ('heavy', 1, 30.0), ('heavy', 2, 25.0), ('light', 1, 90.0), ('light', 2, 120.0))
    as t(frequency_segment, purchase_number, trip_wire_days);
create table marts.ltv_by_acquisition_source as
    select * from (values ('banner', 3, 20.0), ('banner', 12, 35.0), ('search', 3, 40.0), ('search', 12, 90.5))
    as t(acquisition_source, window_months, revenue_per_customer);
create table marts.cohort_retention as
    select * from (values (date '2025-01-01', 0, 1.0), (date '2025-01-01', 1, 0.4), (date '2025-02-01', 0, 1.0))
    as t(cohort_month, months_since_acquisition, retention_rate);
create table marts.campaign_results as
    select * from (values ('winback', 'control', null, null, null), ('winback', 'treatment', 0.05, 0.02, 0.08),
                          ('spring', 'treatment', 0.001, -0.01, 0.012))
    as t(campaign_id, arm, response_rate_diff, response_rate_diff_ci_low, response_rate_diff_ci_high);
create table marts.campaign_results_by_rfm_cell as
    select * from (values ('winback', 'treatment', '555', 'roll out'), ('winback', 'treatment', '111', 'do not roll out'))
    as t(campaign_id, arm, rfm_cell, rollout_decision);
-- The backtest, inserted out of order (the exports sort it): frequency bucket i (0..6, 7+) predicts
-- 0.5 i + 0.25 repeat purchase days and sees 0.5 i; decile d predicts d/10 - 0.05 and sees d/10 - 0.04.
create table marts.clv_backtest as
    with rows as (
        select 'total' as backtest_section, 'all' as bucket, 0 as bucket_sort_order, 1000 as customers,
               1.25 as predicted_repeat_purchase_days, 1.0 as actual_repeat_purchase_days,
               0.5 as predicted_order_probability, 0.375 as actual_order_rate,
               1250.0 as total_predicted_repeat_purchase_days, 1000.0 as total_actual_repeat_purchase_days,
               0.875 as mean_absolute_error, 0.71 as correlation, 2.4 as top_decile_lift, 0.8125 as auc
        union all
        select 'propensity_decile', cast(d as varchar), d, 100, null, null, d / 10 - 0.05, d / 10 - 0.04,
               null, null, null, null, null, null
        from range(10, 0, -1) as t(d)
        union all
        select 'frequency', case when i = 7 then '7+' else cast(i as varchar) end, i, 200 - 20 * i,
               0.5 * i + 0.25, 0.5 * i, null, null, null, null, null, null, null, null
        from range(7, -1, -1) as t(i)
    )
    select *, date '2025-01-02' as calibration_end_date, 180 as holdout_days, true as is_converged from rows;
-- customer i (0..19) in decile 1 + i % 10 with a predicted CLV of 10 i: decile d averages 10 d + 40; one
-- customer without a score (no decile, no CLV) is left out of the chart.
create table marts.customer_clv as
    select 'c' || i as customer_id, 1 + i % 10 as propensity_decile, 10.0 * i as predicted_clv_next_365d
    from range(20) as t(i)
    union all select 'c-unscored', null, null;
-- Profit tiers, listed out of tier order: positive value 100 = high 60 (2 customers), medium 30 (3), low 10 (4
-- customers at 2.50, plus one at 0 and one at -5 who hold none of it).
create table marts.customer_profit_tiers as
    select * from (values ('l1', 'low', 3, 2.50), ('l2', 'low', 3, 2.50), ('l3', 'low', 3, 2.50), ('l4', 'low', 3, 2.50),
                          ('l0', 'low', 3, 0.00), ('lneg', 'low', 3, -5.00), ('h1', 'high', 1, 30.00),
                          ('h2', 'high', 1, 30.00), ('m1', 'medium', 2, 10.00), ('m2', 'medium', 2, 10.00),
                          ('m3', 'medium', 2, 10.00))
    as t(customer_id, profit_tier, tier_order, cumulative_value);
-- Segment migration: a month-long period (Nov 30 -> Dec 31) and the one-day period to the as-of date after it
-- (the chart must pick the month); champions 1, loyal 2; 'new' has no from segment.
create table marts.segment_migration as
    select * from (values
        ('rfm_segment', 'consecutive', date '2025-11-30', date '2025-12-31', 'champions', 1, 'champions', 1, 0.75),
        ('rfm_segment', 'consecutive', date '2025-11-30', date '2025-12-31', 'champions', 1, 'loyal', 2, 0.25),
        ('rfm_segment', 'consecutive', date '2025-11-30', date '2025-12-31', 'loyal', 2, 'champions', 1, 0.125),
        ('rfm_segment', 'consecutive', date '2025-11-30', date '2025-12-31', 'loyal', 2, 'loyal', 2, 0.875),
        ('rfm_segment', 'consecutive', date '2025-11-30', date '2025-12-31', null, null, 'loyal', 2, 1.0),
        ('rfm_segment', 'consecutive', date '2025-12-31', date '2026-01-01', 'loyal', 2, 'loyal', 2, 1.0),
        ('profit_tier', 'consecutive', date '2025-11-30', date '2025-12-31', 'high', 1, 'high', 1, 1.0))
    as t(segmentation, period_kind, from_snapshot_date, to_snapshot_date, from_segment, from_segment_order,
         to_segment, to_segment_order, share_of_from_segment);
-- Segment history: 4 customers high / medium / low / low at the first snapshot, 1 / 1 / 2 of 4 at the second.
create table marts.customer_segment_history as
    select * from (values
        ('a', date '2025-12-31', 'high', 1), ('b', date '2025-12-31', 'medium', 2), ('c', date '2025-12-31', 'low', 3),
        ('d', date '2025-12-31', 'low', 3), ('a', date '2026-01-01', 'high', 1), ('b', date '2026-01-01', 'high', 1),
        ('c', date '2026-01-01', 'low', 3), ('d', date '2026-01-01', 'low', 3))
    as t(customer_id, snapshot_date, profit_tier, tier_order);
-- Campaign forecast: a measured plan (total and two segments, listed out of order) and an assumed one (no interval).
create table marts.campaign_forecast as
    select * from (values
        ('winback', 'lost', 10, cast(120.50 as decimal(18, 2)), cast(-30.50 as decimal(18, 2)), cast(271.50 as decimal(18, 2)), 'send_with_holdout'),
        ('winback', 'all', null, 900.00, 400.00, 1400.00, 'send'),
        ('winback', 'at_risk', 8, 779.50, 380.00, 1179.00, 'send'),
        ('loyalty', 'all', null, -1058.76, null, null, 'skip'))
    as t(plan_id, rfm_segment, segment_order, incremental_profit, incremental_profit_ci95_lower,
         incremental_profit_ci95_upper, recommendation);
-- Advocates, listed out of order: p1 ranks 1, p2 and p3 tie at 2 (customer_id breaks the tie in the exports), the
-- detractor p9 has no rank and is no top advocate.
create table marts.advocate_scores as
    select * from (values
        ('p3', 2, 2, 'advocate', 3.5, 4, 1200.0, 2.5, 40.0, 0.5),
        ('p1', 1, 1, 'champion', 4.6, 12, 5000.0, 20.0, 300.0, 0.9),
        ('p9', null, 4, 'detractor', 2.0, 3, 800.0, 1.0, 10.0, -0.4),
        ('p2', 2, 2, 'advocate', 3.5, 5, 900.0, 3.0, 35.0, 0.6))
    as t(customer_id, advocate_rank, advocate_tier_order, advocate_tier, advocate_score, mentions, avg_reach,
         shares_per_1000_reach, engagements_per_mention, net_sentiment);
-- Tier x segment: the champion is a champion customer; three of the four non-posters are lost, one never bought.
create table marts.advocate_value as
    select * from (values
        ('none', 5, 'lost', 10, 3, 0.75, cast(20.00 as decimal(18, 2))),
        ('champion', 1, 'champions', 1, 1, 1.0, 500.00),
        ('none', 5, 'none', null, 1, 0.25, 0.00),
        ('champion', 1, 'all', null, 1, 1.0, 500.00),
        ('none', 5, 'all', null, 4, 1.0, 15.00))
    as t(advocate_tier, advocate_tier_order, rfm_segment, segment_order, customers, share_of_tier, revenue_per_customer);
-- Channel mix: lost (3 customers) has more customers than champions (2), so it comes first; revenue shares add up to 1.
create table marts.channel_mix_by_segment as
    select * from (values ('champions', 'web', 2, 0.625), ('champions', 'store', 2, 0.375),
                          ('lost', 'web', 3, 0.9), ('lost', 'unknown', 3, 0.1))
    as t(rfm_segment, channel, segment_customers, revenue_share);
-- Regions x sources: north (campaigns ran) and south (no contacts: no lift), 12-month values per source.
create table marts.region_summary as
    select * from (values
        ('north', 'banner', 120, 0.25, 0.125, cast(410.50 as decimal(18, 2)), 0.6, cast(300.00 as decimal(18, 2)), 0.035, 'high value / low repeat'),
        ('north', 'search', 120, 0.25, 0.125, 410.50, 0.6, 520.25, 0.035, 'high value / low repeat'),
        ('south', 'banner', 80, 0.2, 0.3, 250.00, 0.7, 250.00, null, 'low value / high repeat'))
    as t(region, acquisition_source, region_customers, champions_share, lost_share, region_revenue_per_customer_12m,
         region_repeat_rate_12m, revenue_per_customer_12m, response_rate_diff, region_cluster);
-- Affinity: coffee -> filters (lift 10.6) beats beauty -> apparel (1.3) in baskets; tea -> cups is not significant;
-- one customer-level pair.
create table marts.category_affinity as
    select * from (values
        ('basket', 'beauty', 'apparel', 1.3, 0.25, 0.01, 40, 0.02, true),
        ('basket', 'coffee', 'filters', 10.64, 0.567, 0.05, 800, 0.0, true),
        ('basket', 'tea', 'cups', 3.0, 0.5, 0.001, 3, 0.2, false),
        ('customer', 'coffee', 'beauty', 1.8, 0.1, 0.002, 30, 0.001, true))
    as t(affinity_level, antecedent_category, consequent_category, lift, confidence, support, transactions_with_both,
         q_value, is_significant);
"""


def make_warehouse(path: Path, sql: str = STAND_IN_MARTS) -> Path:
    with duckdb.connect(str(path)) as connection:
        connection.execute(sql)
    return path


@pytest.fixture(scope="module")
def stand_in_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("stand_in")
    warehouse = make_warehouse(folder / "drilldown.duckdb")
    report.write_reports(warehouse, folder / "reports")
    return folder / "reports"


def test_every_mart_and_the_reconciliation_is_exported(stand_in_reports: Path) -> None:
    names = {"customer_rfm", "latency_trip_wires", "ltv_by_acquisition_source", "cohort_retention", "campaign_results",
             "campaign_results_by_rfm_cell", "clv_backtest", "customer_clv", "customer_profit_tiers",
             "segment_migration", "customer_segment_history", "campaign_forecast", "advocate_scores", "advocate_value",
             "channel_mix_by_segment", "region_summary", "category_affinity", "data_reconciliation"}
    assert {path.stem for path in (stand_in_reports / "csv").iterdir()} == names
    assert {path.stem for path in (stand_in_reports / "parquet").iterdir()} == names
    workbook = load_workbook(stand_in_reports / "drilldown.xlsx", read_only=True)
    assert set(workbook.sheetnames) == names | {"about", "advocate_heat_map"}
    # customer_rfm: 30 customers, monetary 12.5 * (1 + ... + 30) = 5812.50, in all three formats.
    with open(stand_in_reports / "csv" / "customer_rfm.csv", newline="") as handle:
        csv_rows = list(csv.DictReader(handle))
    assert len(csv_rows) == 30
    assert sum(float(row["monetary_total"]) for row in csv_rows) == 5812.5
    parquet = pq.read_table(stand_in_reports / "parquet" / "customer_rfm.parquet")
    assert sum(float(value) for value in parquet.column("monetary_total").to_pylist()) == 5812.5
    sheet = list(workbook["customer_rfm"].iter_rows(values_only=True))
    assert sheet[0] == ("customer_id", "r_score", "f_score", "m_score", "monetary_total")
    assert len(sheet) == 31
    assert sum(float(row[4]) for row in sheet[1:]) == 5812.5
    about = list(workbook["about"].iter_rows(values_only=True))
    assert ("customer_rfm", "marts", 30, 30, None) in about


def test_html_has_every_chart_and_no_network(stand_in_reports: Path) -> None:
    html = (stand_in_reports / "report.html").read_text()
    for key in charts.CHART_SOURCES:
        section = html.split(f'<section id="{key}">')[1].split("</section>")[0]
        assert "<svg" in section, key
        assert "Not drawn" not in section, key
    assert "missing from the warehouse" not in html
    assert "as of 2025-07-01" in html
    # Self-contained: no scripts, no remote URLs (the SVG namespace is an identifier, not a request).
    assert "<script" not in html
    assert re.findall(r'(?:src|href)="(?:https?:)?//', html) == []


def test_chart_values_come_from_the_marts(stand_in_reports: Path) -> None:
    html = (stand_in_reports / "report.html").read_text()
    rfm = html.split('<section id="rfm_grid">')[1].split("</section>")[0]
    # r = 1 + i % 5, f = 1 + (i // 5) % 5 for i = 1..30: cell (r 1, f 2) holds i = 5 and 30; (r 1, f 1) only 25.
    assert "recency score 1, frequency score 2: 2</title>" in rfm
    assert "recency score 1, frequency score 1: 1</title>" in rfm
    cohort = html.split('<section id="cohort_retention">')[1].split("</section>")[0]
    assert "cohort 2025-01, months since acquisition 1: 40.0%" in cohort
    assert "cohort 2025-02, months since acquisition 1" not in cohort  # the triangle's empty corner
    lift = html.split('<section id="campaign_lift">')[1].split("</section>")[0]
    assert "winback / treatment: 5.0% (95% CI 2.0% to 8.0%)" in lift
    assert "winback / control" not in lift  # the control arm has no difference to itself
    rollout = html.split('<section id="rollout_by_cell">')[1].split("</section>")[0]
    assert "cell 555: roll out" in rollout and "cell 111: do not roll out" in rollout
    ltv = html.split('<section id="ltv_by_source">')[1].split("</section>")[0]
    assert "search: 12 → 90.5" in ltv


def test_missing_mart_and_missing_column_are_notes_not_crashes(tmp_path: Path) -> None:
    sql = STAND_IN_MARTS.replace("response_rate_diff_ci_low", "ci_lower").replace(
        "create table marts.cohort_retention as", "create table staging.not_a_mart as"
    )
    warehouse = make_warehouse(tmp_path / "drilldown.duckdb", sql)
    report.write_reports(warehouse, tmp_path / "reports")
    html = (tmp_path / "reports" / "report.html").read_text()
    assert "these marts are missing from the warehouse: <code>cohort_retention</code>" in html
    lift = html.split('<section id="campaign_lift">')[1].split("</section>")[0]
    assert "<svg" not in lift
    accepted = " / ".join(charts.CHART_SOURCES["campaign_lift"].columns["ci_low"])
    assert "response_rate_diff_ci_low" in accepted
    assert f"has no column <code>{accepted}</code>" in lift
    assert "<svg" in html.split('<section id="rfm_grid">')[1].split("</section>")[0]
    assert not (tmp_path / "reports" / "csv" / "cohort_retention.csv").exists()


def test_a_rerun_replaces_the_reports_folder(tmp_path: Path) -> None:
    warehouse = make_warehouse(tmp_path / "drilldown.duckdb")
    report.write_reports(warehouse, tmp_path / "reports")
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("drop table marts.latency_trip_wires")
    report.write_reports(warehouse, tmp_path / "reports")
    assert not (tmp_path / "reports" / "csv" / "latency_trip_wires.csv").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["drilldown.duckdb", "reports"]


def test_excel_sheet_is_truncated_at_the_row_limit_with_a_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report, "EXCEL_MAX_DATA_ROWS", 20)
    warehouse = make_warehouse(tmp_path / "drilldown.duckdb")
    report.write_reports(warehouse, tmp_path / "reports")
    workbook = load_workbook(tmp_path / "reports" / "drilldown.xlsx", read_only=True)
    assert len(list(workbook["customer_rfm"].iter_rows(values_only=True))) == 21
    about = {row[0]: row for row in workbook["about"].iter_rows(values_only=True)}
    assert about["customer_rfm"][2:4] == (30, 20)
    assert "truncated" in about["customer_rfm"][4]
    with open(tmp_path / "reports" / "csv" / "customer_rfm.csv") as handle:
        assert sum(1 for _ in handle) == 31  # the CSV is complete


def test_report_renders_in_headless_chromium(stand_in_reports: Path, tmp_path: Path) -> None:
    if browser.find_chromium() is None:
        pytest.skip("chromium is not installed (`make chromium` installs Debian's package when run as root)")
    screenshot = tmp_path / "report.png"
    rendered = browser.render(stand_in_reports / "report.html", screenshot)
    assert rendered.returncode == 0, rendered.log[-2000:]
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size > 20_000  # a blank page is a few kB
    # The browser parsed every chart into the DOM, and logged no JavaScript or console error.
    assert rendered.dom.count("<svg") == len(charts.CHART_SOURCES)
    assert rendered.console_errors == []


def test_readme_screenshot_exists() -> None:
    assert (REPO / "docs" / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _section(html: str, key: str) -> str:
    return html.split(f'<section id="{key}">')[1].split("</section>")[0]


def test_clv_backtest_charts_show_the_buckets_deciles_and_totals(stand_in_reports: Path) -> None:
    html = (stand_in_reports / "report.html").read_text()
    frequency = _section(html, "clv_backtest_by_frequency")
    # Every calibration frequency on the x axis, in order, with both series; the 'total' row is no point.
    ticks = re.findall(r'<text x="[\d.]+" y="([\d.]+)" font-size="11" text-anchor="middle" >([^<]*)</text>', frequency)
    axis_y = max(float(y) for y, _ in ticks)
    assert [label for y, label in ticks if float(y) == axis_y] == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    assert "predicted: 0 → 0.25</title>" in frequency and "actual: 0 → 0</title>" in frequency
    assert "predicted: 7+ → 3.75</title>" in frequency and "actual: 7+ → 3.50</title>" in frequency
    assert "all →" not in frequency
    assert frequency.count("<circle") == 16
    assert ("Calibration period up to 2025-01-02, scored on the 180 days after it, 1,000 customers; repeat purchase "
            "days in the holdout: 1,250 predicted, 1,000 actual; mean absolute error 0.88 repeat purchase days per "
            "customer; correlation 0.71.") in frequency
    decile = _section(html, "clv_backtest_by_decile")
    for d in range(1, 11):
        assert f"predicted: {d} → {d * 10 - 5:.1f}%</title>" in decile, d
        assert f"actual: {d} → {d * 10 - 4:.1f}%</title>" in decile, d
    assert decile.count("<circle") == 20
    assert "AUC 0.812; top-decile lift 2.40× (order rate of decile 10 over the average 37.5%)." in decile
    clv = _section(html, "clv_by_propensity_decile")
    for d in range(1, 11):
        assert f"propensity decile {d}: {10 * d + 40} (2 customers)</title>" in clv, d
    assert clv.count("<rect") == 10  # the unscored customer is no bar


def test_clv_backtest_sheet_is_sorted_by_section_and_bucket(stand_in_reports: Path) -> None:
    workbook = load_workbook(stand_in_reports / "drilldown.xlsx", read_only=True)
    sheet = list(workbook["clv_backtest"].iter_rows(values_only=True))
    assert sheet[0][:3] == ("backtest_section", "bucket", "bucket_sort_order")
    assert len(sheet) == 1 + 8 + 10 + 1
    assert [row[1] for row in sheet[1:]] == ["0", "1", "2", "3", "4", "5", "6", "7+", *map(str, range(1, 11)), "all"]
    total = dict(zip(sheet[0], sheet[-1], strict=True))
    assert (total["auc"], total["top_decile_lift"], total["mean_absolute_error"]) == (0.8125, 2.4, 0.875)
    assert total["calibration_end_date"].date() == dt.date(2025, 1, 2) and total["is_converged"] is True
    about = {row[0]: row for row in workbook["about"].iter_rows(values_only=True)}
    assert about["clv_backtest"][2:4] == (19, 19)
    with open(stand_in_reports / "csv" / "clv_backtest.csv", newline="") as handle:
        assert [row["bucket"] for row in csv.DictReader(handle)][-3:] == ["9", "10", "all"]


def test_backtest_without_the_totals_or_a_fit_is_drawn_or_noted(tmp_path: Path) -> None:
    # An older clv_backtest without auc still draws, its caption without the AUC; a fit that did not
    # converge (all predictions null) is a note, not a crash.
    sql = STAND_IN_MARTS + """
        alter table marts.clv_backtest drop column auc;
        update marts.customer_clv set predicted_clv_next_365d = null, propensity_decile = null;
    """
    warehouse = make_warehouse(tmp_path / "drilldown.duckdb", sql)
    report.write_reports(warehouse, tmp_path / "reports")
    html = (tmp_path / "reports" / "report.html").read_text()
    decile = _section(html, "clv_backtest_by_decile")
    assert "<svg" in decile and "top-decile lift 2.40×" in decile and "AUC" not in decile
    assert "<svg" in _section(html, "clv_backtest_by_frequency")
    assert "<code>marts.customer_clv</code> has no rows to draw" in _section(html, "clv_by_propensity_decile")


def test_profit_tiers_chart_shows_customers_and_share_of_value(stand_in_reports: Path) -> None:
    tiers = _section((stand_in_reports / "report.html").read_text(), "profit_tiers")
    # One bar per tier in tier order; customers with a value <= 0 count as customers but hold no value.
    assert "profit tier high: 60.0% (2 customers (18.2%))</title>" in tiers
    assert "profit tier medium: 30.0% (3 customers (27.3%))</title>" in tiers
    assert "profit tier low: 10.0% (6 customers (54.5%))</title>" in tiers
    assert tiers.index("profit tier high:") < tiers.index("profit tier medium:") < tiers.index("profit tier low:")
    assert tiers.count("<rect") == 3


def test_segment_migration_and_tier_share_charts(stand_in_reports: Path) -> None:
    html = (stand_in_reports / "report.html").read_text()
    migration = _section(html, "segment_migration")
    # The month-long period, not the one-day period after it; RFM segments only; 'new' is the first row.
    assert "segment on 2025-11-30" in migration and "segment on 2025-12-31" in migration
    assert "2026-01-01" not in migration
    assert "segment on 2025-11-30 champions, segment on 2025-12-31 loyal: 25.0%</title>" in migration
    assert "segment on 2025-11-30 new, segment on 2025-12-31 loyal: 100.0%</title>" in migration
    assert "high" not in migration
    assert migration.count("<rect") == 5
    shares = _section(html, "profit_tier_shares")
    assert "high: Dec 25 → 25.0%</title>" in shares and "high: as of → 50.0%</title>" in shares
    assert "medium: Dec 25 → 25.0%</title>" in shares and "medium: as of" not in shares
    assert "low: Dec 25 → 50.0%</title>" in shares and "low: as of → 50.0%</title>" in shares


def test_every_chart_column_is_in_its_marts_contract() -> None:
    """The stand-ins above copy the contracts; this keeps CHART_SOURCES on the real marts' column names."""
    contracts: dict[str, set[str]] = {}
    for path in (REPO / "models").rglob("*.yml"):
        for model in (yaml.safe_load(path.read_text()) or {}).get("models") or []:
            contracts[model["name"]] = {column["name"] for column in model.get("columns") or []}
    for key, source in charts.CHART_SOURCES.items():
        assert source.mart in contracts, key
        for role, names in source.columns.items():
            assert set(names) & contracts[source.mart], (key, role, names)


def test_campaign_forecast_chart_shows_each_plan_total_first(stand_in_reports: Path) -> None:
    forecast = _section((stand_in_reports / "report.html").read_text(), "campaign_forecast")
    assert "winback / all (send): 900 (95% CI 400 to 1,400)</title>" in forecast
    assert "winback / lost (send_with_holdout): 120.5 (95% CI -30.5 to 271.5)</title>" in forecast
    assert "loyalty / all (skip): -1,059</title>" in forecast  # an assumed lift has no interval
    # Plans by id; in each plan the total first, then the segments in the seed's order.
    order = [forecast.index(name) for name in ("loyalty / all", "winback / all", "winback / at_risk", "winback / lost")]
    assert order == sorted(order)


def test_top_advocates_and_the_tier_segment_heat_map(stand_in_reports: Path) -> None:
    html = (stand_in_reports / "report.html").read_text()
    top = _section(html, "top_advocates")
    # Bars and table rows by rank, ties by customer_id; the detractor is in neither.
    assert "customer p1: 4.60 (champion)</title>" in top and "customer p2: 3.50 (advocate)</title>" in top
    assert top.index("customer p1:") < top.index("customer p2:") < top.index("customer p3:")
    assert "<td>1</td><td>p1</td><td>champion</td><td>4.60</td><td>12</td><td>5,000</td><td>20.0</td><td>300.0</td><td>+0.90</td>" in top
    assert "p9" not in top
    heat = _section(html, "advocate_heat_map")
    assert "advocate tier none, RFM segment lost: 75.0%</title>" in heat
    assert "advocate tier none, RFM segment none: 25.0%</title>" in heat
    assert "advocate tier champion, RFM segment champions: 100.0%</title>" in heat
    assert "RFM segment all" not in heat and heat.count("<rect") == 3
    assert "champion: 1 customers, 500.00 revenue per customer; none: 4 customers, 15.00 revenue per customer." in heat
    workbook = load_workbook(stand_in_reports / "drilldown.xlsx", read_only=True)
    grid = list(workbook["advocate_heat_map"].iter_rows(values_only=True))
    assert grid == [("advocate_tier \\ rfm_segment", "champions", "lost", "none"), ("champion", 1.0), ("none", None, 0.75, 0.25)]  # trailing empty cells are not stored
    scores = list(workbook["advocate_scores"].iter_rows(values_only=True))
    assert [row[0] for row in scores[1:]] == ["p1", "p2", "p3", "p9"]  # the top advocates first
    about = {row[0]: row for row in workbook["about"].iter_rows(values_only=True)}
    assert about["advocate_heat_map"][2] == 2


def test_channel_mix_and_region_table(stand_in_reports: Path) -> None:
    html = (stand_in_reports / "report.html").read_text()
    mix = _section(html, "channel_mix")
    assert "segment champions, channel web: 62.5%</title>" in mix and "segment lost, channel unknown: 10.0%</title>" in mix
    assert "segment champions, channel unknown" not in mix and mix.count("<rect") == 4
    assert mix.index(">lost<") < mix.index(">champions<")  # more customers first
    regions = _section(html, "region_summary")
    assert "region north: 410.5 (high value / low repeat)</title>" in regions
    assert "<th>12-month value: banner</th><th>12-month value: search</th><th>cluster</th>" in regions
    assert ("<tr><td>north</td><td>120</td><td>25.0%</td><td>12.5%</td><td>410.5</td><td>60.0%</td><td>3.5%</td>"
            "<td>300</td><td>520.2</td><td>high value / low repeat</td></tr>") in regions
    # South: no campaign lift, no search customers.
    assert "<tr><td>south</td><td>80</td><td>20.0%</td><td>30.0%</td><td>250</td><td>70.0%</td><td></td><td>250</td><td></td>" in regions


def test_top_affinity_pairs_by_level(stand_in_reports: Path) -> None:
    pairs = _section((stand_in_reports / "report.html").read_text(), "top_affinity_pairs")
    # Significant pairs only, per level (basket, then customer) highest lift first, in one chart and one table.
    assert "tea" not in pairs
    assert pairs.index("coffee -&gt; filters") < pairs.index("beauty -&gt; apparel") < pairs.index("coffee -&gt; beauty")
    assert ("<tr><td>basket</td><td>coffee</td><td>filters</td><td>10.64</td><td>56.7%</td><td>5.0%</td><td>800</td>"
            "<td>0</td></tr>") in pairs
    assert "<tr><td>customer</td><td>coffee</td><td>beauty</td><td>1.80</td><td>10.0%</td>" in pairs
    assert pairs.count("<table>") == 1 and pairs.count("<svg") == 1
