"""The category affinity section of benchmarks/results.md (issue 21): `dbt build` of the affinity marts on ~1M
orders × 3 lines with 50 line categories: seconds and peak RSS of the load and the build, each model's time and
its data tests', the input's size and the pairs written per level.

run.py collects the measurements (AffinityResults) and calls section(); with --affinity-only it splices just
this section into an existing results.md (clv_report.splice with this HEADING).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

import clv_report

HEADING = "## Category affinity build (issue 21)"
# The selection built: both affinity marts and everything upstream of them (staging of orders and order lines,
# int_order_categories), with their data tests.
SELECTION = ("+customer_next_category", "+category_affinity")
AFFINITY_MODELS = ("int_order_categories", "category_affinity", "customer_next_category")


@dataclass
class AffinityResults:
    steps: dict[str, Any] = field(default_factory=dict)  # "load" / "dbt build affinity" -> run.StepResults
    model_seconds: dict[str, list[float]] = field(default_factory=dict)  # model -> its execution time per run
    test_seconds: dict[str, list[float]] = field(default_factory=dict)  # model -> its data tests' summed time
    counts: dict = field(default_factory=dict)  # workers.py affinity_counts' BENCH_JSON
    data: str = ""  # the generator command
    note: str = ""


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _fmt(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _step_row(name: str, step) -> str:  # type: ignore[no-untyped-def]
    ok = step.ok_runs()
    spread = f"{min(r.seconds for r in ok):.2f}–{max(r.seconds for r in ok):.2f}" if ok else "—"
    runs = f"{len(ok)}/{len(step.runs)} ok" + (f"; {step.note}" if step.note else "")
    return f"| {name} | {_fmt(step.median('seconds'))} | {spread} | {_fmt(step.median('peak_rss_mb'), 0)} | {runs} |"


def section(results: AffinityResults, settings: dict[str, Any]) -> list[str]:
    counts = results.counts
    per_order = counts["order_lines"] / counts["orders_with_lines"] if counts.get("orders_with_lines") else None
    lines = [
        HEADING,
        "",
        clv_report.run_line(settings, f"load average {settings['load_start']} at the start, {settings['load_end']} "
                                      "at the end"),  # fmt: skip
        "",
        f"- Data: `{results.data}`.",
    ]
    if counts:
        lines += [
            f"- Input: {counts['orders']:,} orders, {counts['order_lines']:,} order lines ({_fmt(per_order)} per "
            f"order), {counts['line_categories']} line categories; `int_order_categories`: "
            f"{counts['categorised_orders']:,} completed orders with a category, {counts['order_category_rows']:,} "
            f"order × category rows; the basket self-join on `order_id` makes {counts['basket_pair_rows']:,} "
            f"(order, A, B) rows (a cross join of all orders would be {counts['categorised_orders'] ** 2:,.0f}).",
            "- Pairs written (`category_affinity`, support ≥ var affinity_min_support): "
            + "; ".join(f"{level} {pairs['pairs']:,} ({pairs['significant']:,} significant, "
                        f"{pairs['positive_significant']:,} of them with lift > 1)"
                        for level, pairs in counts["pairs"].items())  # fmt: skip
            + f". `customer_next_category`: {counts['next_category_customers']:,} customers, "
            f"{counts['next_category_offered']:,} with a next category, {counts['possible_gifts']:,} possible gifts.",
        ]
    lines += [
        f"- Timed: `load` (scripts/load_input.py into a fresh DuckDB file) and `dbt build --select "
        f"{' '.join(SELECTION)}` (models and data tests, no unit tests, `--full-refresh`), each a fresh process; "
        "seconds = its wall time, peak RSS = ru_maxrss.",
        "",
        "| step | median s | min–max s | peak RSS MiB | runs |",
        "|---|---:|---:|---:|---|",
    ]
    lines += [_step_row(name, step) for name, step in results.steps.items()]
    load = results.steps["load"].median("seconds") if "load" in results.steps else None
    build = results.steps["dbt build affinity"].median("seconds") if "dbt build affinity" in results.steps else None
    if load is not None and build is not None:
        lines.append(f"| total: load + dbt build affinity | {load + build:.2f} | | | derived from the medians above |")
    if results.model_seconds:
        lines += [
            "",
            f"Each model of the build and its data tests (dbt's execution time from run_results.json, medians; "
            f"threads={settings['threads']}, so nodes overlap and the sum is not the wall time):",
            "",
            "| model | model s | its data tests s |",
            "|---|---:|---:|",
        ]
        for model, seconds in results.model_seconds.items():
            tests = _median(results.test_seconds.get(model, []))
            lines.append(f"| {model} | {_fmt(_median(seconds))} | {_fmt(tests)} |")
        affinity_models = [m for m in AFFINITY_MODELS if m in results.model_seconds]
        model_total = sum(_median(results.model_seconds[m]) or 0 for m in affinity_models)
        test_total = sum(_median(results.test_seconds.get(m, [])) or 0 for m in affinity_models)
        lines += ["", f"- category affinity ({', '.join(affinity_models)}): models {model_total:.2f}s, their data "
                  f"tests {test_total:.2f}s."]  # fmt: skip
        affinity_seconds = _median(results.model_seconds.get("category_affinity", []))
        if counts and build is not None and affinity_seconds is not None:
            lines.append(
                f"- **Speed check of issue 21** (`category_affinity` on 1M orders × 3 lines with 50 categories): "
                f"on {counts['orders']:,} orders × {_fmt(per_order)} lines with {counts['line_categories']} "
                f"categories, `category_affinity` took {affinity_seconds:.1f}s and the whole `dbt build` (both marts, "
                f"staging, tests, dbt start-up) {build:.1f}s, peak RSS "
                f"{_fmt(results.steps['dbt build affinity'].median('peak_rss_mb'), 0)} MiB."
            )
    if results.note:
        lines += ["", f"- Note: {results.note}"]
    return lines
