"""The CLV section of benchmarks/results.md (issue 15): drilldown's fit + scoring against lifetimes and
pymc-marketing, per size: seconds, peak RSS, ratios, parameter agreement and prediction differences.

run.py collects the measurements (SizeResults per size) and calls section(); with --clv-only, splice()
replaces just this section of an existing results.md (--affinity-only splices the affinity section with it).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HEADING = "## CLV fit + scoring against lifetimes and pymc-marketing (issue 15)"
FORMULA_TOLERANCE = 1e-6  # the peers' prediction code at OUR parameters must agree with ours within this
PEER_LABELS = {"lifetimes_clv": "lifetimes", "pymc_clv": "pymc-marketing"}
COLUMNS = {"probability_alive": "P(alive)", "expected_orders": "E[orders 90d]", "expected_order_value": "E[order value]"}
FIT_NODE = "int_clv_fitted_parameters"
TARGET_SPEEDUP, TARGET_SPEEDUP_SIZE, TARGET_MEMORY_SIZE, MACHINE_GIB = 10, 1_000_000, 4_000_000, 24


@dataclass
class SizeResults:
    steps: dict[str, Any] = field(default_factory=dict)  # "drilldown CLV" / peer -> run.StepResults
    build_node_seconds: list[float] = field(default_factory=list)  # the CLV nodes inside the project build
    build_rss_mb: list[float] = field(default_factory=list)  # peak RSS of the project build
    check: dict = field(default_factory=dict)  # clv_compare's BENCH_JSON
    note: str = ""


def _median(values: list[float]) -> float | None:
    values = [value for value in values if value is not None]
    return statistics.median(values) if values else None


def _fmt(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _sci(value: float | None) -> str:
    return "—" if value is None else f"{value:.1e}"


def _split(name: str, step) -> tuple[float | None, float | None]:  # type: ignore[no-untyped-def]
    """(fit seconds, predict seconds), medians over the ok runs, from each run's BENCH_JSON / node times."""
    fits, predicts = [], []
    for run in step.ok_runs():
        details = run.details
        if name.endswith("drilldown CLV"):
            nodes = details.get("node_seconds", {})
            fits.append(nodes.get(FIT_NODE))
            predicts.append(sum(seconds for node, seconds in nodes.items() if node != FIT_NODE) if nodes else None)
        else:
            fits.append(sum(details.get(key) or 0 for key in ("fit_bg_nbd_seconds", "fit_gamma_gamma_seconds")))
            predicts.append(sum(details.get(key) or 0 for key in details if key.startswith("predict")))
    return _median(fits), _median(predicts)


def time_table(clv: dict[int, SizeResults]) -> list[str]:
    lines = [
        "| customers | step | median s | in-process s | fit s | scoring s | peak RSS MiB | peer / drilldown (s) "
        "| peer / drilldown (in-process) | runs |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for size, results in sorted(clv.items()):
        ours = results.steps.get("drilldown CLV")
        ours_s = ours.median("seconds") if ours else None
        ours_in = ours.median("compute_seconds") if ours else None
        for name, step in results.steps.items():
            seconds, inside = step.median("seconds"), step.median("compute_seconds")
            fit, predict = _split(name, step)
            is_peer = not name.endswith("drilldown CLV")
            ratio = f"{seconds / ours_s:.1f}×" if is_peer and seconds and ours_s else "—"
            ratio_in = f"{inside / ours_in:.1f}×" if is_peer and inside and ours_in else "—"
            runs = f"{len(step.ok_runs())}/{len(step.runs)} ok" + (f"; {step.note}" if step.note else "")
            label = PEER_LABELS.get(name, name) if is_peer else "drilldown (`dbt run` of the CLV models)"
            if not is_peer and name != "drilldown CLV":  # a diagnostic variant, e.g. OPENBLAS_NUM_THREADS=1
                label += f", `{name.removesuffix(' drilldown CLV')}`"
            lines.append(
                f"| {size:,} | {label} | {_fmt(seconds)} | {_fmt(inside)} | {_fmt(fit)} | {_fmt(predict)} "
                f"| {_fmt(step.median('peak_rss_mb'), 0)} | {ratio} | {ratio_in} | {runs} |"
            )
        if results.build_node_seconds:
            lines.append(
                f"| {size:,} | drilldown CLV nodes inside the whole-project build | | "
                f"{_fmt(_median(results.build_node_seconds))} | | | {_fmt(_median(results.build_rss_mb), 0)} | | | "
                f"sum of node times; RSS of the whole build |"
            )
    return lines


def agreement_table(clv: dict[int, SizeResults]) -> list[str]:
    lines = [
        "| customers | peer | largest parameter difference (relative) | "
        + " | ".join(f"{label} max rel. diff" for label in COLUMNS.values())
        + " | same, peer's code at OUR parameters |",
        "|---:|---|---|" + "---:|" * len(COLUMNS) + "---|",
    ]
    for size, results in sorted(clv.items()):
        peers = results.check.get("peers", {})
        formula = results.check.get("formula_at_our_parameters", {})
        for name, peer in peers.items():
            parameters = peer.get("parameters", {})
            worst = max(parameters.items(), key=lambda item: item[1].get("relative") or 0, default=None)
            worst_text = (f"{worst[0]}: {_sci(worst[1].get('relative'))} ({worst[1]['peer']:.6g} vs ours "
                          f"{worst[1]['ours']:.6g})" if worst and worst[1].get("ours") is not None else "—")  # fmt: skip
            own = peer.get("predictions_own_parameters", {})
            cells = [_sci(own.get(column, {}).get("max_relative")) for column in COLUMNS]
            library = "lifetimes" if name == "lifetimes_clv" else "pymc_marketing"
            at_ours = formula.get(library, {})
            at_ours_text = ", ".join(
                f"{label} {_sci(at_ours[column].get('max_relative'))}" for column, label in COLUMNS.items() if column in at_ours
            )
            error = f" (Gamma-Gamma: {peer['gamma_gamma_error']})" if peer.get("gamma_gamma_error") else ""
            lines.append(
                f"| {size:,} | {PEER_LABELS.get(name, name)}{error} | {worst_text} | {' | '.join(cells)} "
                f"| {at_ours_text or '—'} |"
            )
    return lines


def likelihood_table(clv: dict[int, SizeResults]) -> list[str]:
    """Mean log-likelihood per customer at each fit's parameters (lifetimes' likelihood code, same data): the
    higher, the better the maximum-likelihood fit; negative differences mean ours fits better."""
    lines = [
        "| customers | model | ours: mean LL per customer | lifetimes − ours | pymc-marketing − ours |",
        "|---:|---|---:|---:|---:|",
    ]
    for size, results in sorted(clv.items()):
        fits = results.check.get("log_likelihood", {})
        ours = fits.get("ours", {})
        for model, label in (("bg_nbd", "BG/NBD"), ("gamma_gamma", "Gamma-Gamma")):
            if ours.get(model) is None:
                continue
            cells = []
            for peer in PEER_LABELS:
                value = fits.get(peer, {}).get(model)
                cells.append("—" if value is None else f"{value - ours[model]:+.1e}")
            lines.append(f"| {size:,} | {label} | {ours[model]:.10f} | {' | '.join(cells)} |")
    return lines if len(lines) > 2 else []


def formula_findings(clv: dict[int, SizeResults]) -> list[str]:
    """Every column where a peer's prediction code at our parameters differs from ours by more than the
    tolerance: a bug in one of the two; the worst customer's (frequency, recency, T) says where to look."""
    lines = []
    for size, results in sorted(clv.items()):
        for library, columns in results.check.get("formula_at_our_parameters", {}).items():
            for column, stats in columns.items():
                rel = stats.get("max_relative")
                bad = (rel is not None and rel > FORMULA_TOLERANCE) or stats.get("not_finite_peer") or stats.get("not_finite_ours")
                if not bad:
                    continue
                worst = stats.get("worst_customer") or {}
                lines.append(
                    f"- {size:,} customers, {library} at our parameters, {COLUMNS.get(column, column)}: max relative "
                    f"difference {_sci(rel)} (absolute {_sci(stats.get('max_absolute'))}) on "
                    f"{stats.get('over_tolerance', '?')} customers over {FORMULA_TOLERANCE:g}; worst at frequency "
                    f"{worst.get('frequency')}, recency {worst.get('recency')}, T {worst.get('T')}: ours "
                    f"{worst.get('ours')!r}, {library} {worst.get('peer')!r}; not finite only in {library}: "
                    f"{stats.get('not_finite_peer')}, only in ours: {stats.get('not_finite_ours')}"
                )
    return lines


def targets(clv: dict[int, SizeResults], peer_notes: dict[str, str], peer_timeout: float) -> list[str]:
    lines = []
    at = clv.get(TARGET_SPEEDUP_SIZE)
    ours = at.steps.get("drilldown CLV") if at else None
    if ours and ours.median("seconds"):
        ours_s, ours_in = ours.median("seconds"), ours.median("compute_seconds")
        parts, met = [], True
        for peer in PEER_LABELS:
            step = at.steps.get(peer)
            if step and step.median("seconds"):
                ratio = step.median("seconds") / ours_s
                inside = step.median("compute_seconds")
                met &= ratio >= TARGET_SPEEDUP
                parts.append(f"{PEER_LABELS[peer]} {step.median('seconds'):.1f}s = {ratio:.1f}× (in-process "
                             f"{_fmt(inside / ours_in if inside and ours_in else None, 1)}×)")  # fmt: skip
            else:
                note = peer_notes.get(peer, "not measured")
                parts.append(f"{PEER_LABELS[peer]}: {note}")
                # a peer killed at the timeout took longer than that: met when the timeout is >= 10x ours
                met &= "timed out" in note and peer_timeout >= TARGET_SPEEDUP * ours_s
        lines.append(
            f"- **≥{TARGET_SPEEDUP}× faster than both at {TARGET_SPEEDUP_SIZE:,} customers**: drilldown "
            f"{ours_s:.1f}s (whole `dbt run` process; dbt's own elapsed {_fmt(ours_in, 1)}s); " + "; ".join(parts)
            + f" → **{'met' if met else 'not met'}**."
        )
    else:
        lines.append(f"- **≥{TARGET_SPEEDUP}× faster than both at {TARGET_SPEEDUP_SIZE:,} customers**: not measured in this run.")
    big = clv.get(TARGET_MEMORY_SIZE)
    ours = big.steps.get("drilldown CLV") if big else None
    if big and ours:
        peak = max([run.peak_rss_mb for run in ours.runs] + big.build_rss_mb)
        ok = len(ours.ok_runs()) == len(ours.runs) and peak < MACHINE_GIB * 1024
        lines.append(
            f"- **{TARGET_MEMORY_SIZE:,} customers fitted and scored within the {MACHINE_GIB} GiB machine**: "
            f"`dbt run` of the CLV models {len(ours.ok_runs())}/{len(ours.runs)} ok, peak RSS "
            f"{max(run.peak_rss_mb for run in ours.runs):.0f} MiB (whole-project build that also fits them: "
            f"{_fmt(max(big.build_rss_mb, default=None), 0)} MiB) → **{'met' if ok else 'not met'}**."
        )
    else:
        lines.append(f"- **{TARGET_MEMORY_SIZE:,} customers within {MACHINE_GIB} GiB**: not measured in this run.")
    return lines


def run_line(settings: dict[str, Any], details: str) -> str:
    """A section's first line: when, by which command, at which commit, repeats, threads, memory limit, then
    details (e.g. the peer timeout) and whether the machine was shared."""
    repeats = settings["repeats"]
    return (
        f"Run on {settings['started']} (local time) by `{settings['command']}`, at commit {settings['commit']}; "
        f"repeats: {repeats}" + (" (one run per step: no spread, single timings)" if repeats == 1 else " (medians)")
        + f"; dbt threads {settings['threads']}, DuckDB memory_limit {settings['memory_limit']}; {details}."
        + (" Shared machine: other jobs used the same 2 cores, so seconds are noisy." if settings["shared_machine"] else "")
    )  # fmt: skip


def section(clv: dict[int, SizeResults], peer_notes: dict[str, str], settings: dict[str, Any]) -> list[str]:
    repeats = settings["repeats"]
    lines = [
        HEADING,
        "",
        run_line(settings, f"peer timeout {settings['peer_timeout']:.0f}s"),
        "",
        "- Input: every peer gets `marts.customer_btyd_summary` of the warehouse the whole-project build just made, "
        "exported as Parquet (customer_id, frequency, recency, T, monetary_value; days). drilldown fits and scores "
        "from the same summary: `" + settings["selection"] + "` on that warehouse, i.e. the models "
        + ", ".join(f"`{model}`" for model in settings["models"]) + ".",
        "- drilldown does more than the peers in that time: it fits BG/NBD and Gamma-Gamma twice (the 'full' period "
        "for customer_clv and the 'calibration' period for clv_backtest), and scores 3 horizons (30/90/365 days) "
        "with discounted CLV and deciles; the fit reads the distinct (frequency, recency, T) triples with their "
        "customer counts. The peers fit once and predict P(alive), E[orders in 90 days] and E[order value].",
        "- lifetimes: `BetaGeoFitter(penalizer_coef=0).fit` + `GammaGammaFitter(penalizer_coef=0).fit` (repeat "
        "buyers with positive monetary value), then `conditional_probability_alive`, "
        "`conditional_expected_number_of_purchases_up_to_time(90)`, `conditional_expected_average_profit`. "
        "pymc-marketing: `BetaGeoModel` with HalfFlat priors on r, alpha, a, b and `GammaGammaModel` (HalfFlat "
        "defaults), both `fit(method='map')` (pm.find_MAP without the Jacobian, so the MAP is the MLE), then "
        "`expected_probability_alive`, `expected_purchases(future_t=90)`, `expected_customer_spend`.",
        "- seconds = wall time of the fresh process (dbt start-up + parse, or Python start-up + library imports, "
        "included); in-process s = dbt's own elapsed time (run_results.json) for drilldown, the worker's timer "
        "(imports, reading the Parquet, fit, predict, writing) for the peers; fit s = `int_clv_fitted_parameters` "
        "(both periods) for drilldown, BG/NBD + Gamma-Gamma fit for the peers; scoring s = the other CLV nodes "
        "(summed) / the peers' predict calls. Peak RSS = ru_maxrss of the process.",
        "",
        "### Time and memory",
        "",
        *time_table(clv),
        "",
        "### Agreement with drilldown",
        "",
        "Relative differences |peer − ours| / |ours|, the maximum over all customers. The first columns compare the "
        "peers' own fits (optimiser and tolerance differences show here); the last column runs the peers' prediction "
        f"code at drilldown's fitted parameters, so anything above {FORMULA_TOLERANCE:g} there is a formula or "
        "numerics difference in one of the two.",
        "",
        *agreement_table(clv),
        "",
    ]
    likelihoods = likelihood_table(clv)
    if likelihoods:
        lines += ["Which fit is the better maximum-likelihood estimate: the mean log-likelihood per customer at each "
                  "fit's parameters, all computed by lifetimes' likelihood code on the same summary (a positive "
                  "difference means the peer found a higher likelihood than ours).", "", *likelihoods, ""]  # fmt: skip
    findings = formula_findings(clv)
    lines += (["Differences above the tolerance at our parameters (worst customer shown):", "", *findings]
              if findings else [f"At our parameters every peer's predictions agree with ours within {FORMULA_TOLERANCE:g} "
                                "(relative) for every customer checked."])  # fmt: skip
    notes = [f"- {size:,}: {results.note}" for size, results in sorted(clv.items()) if results.note]
    notes += [f"- {PEER_LABELS.get(peer, peer)}: {note}" for peer, note in peer_notes.items() if peer in PEER_LABELS]
    if notes:
        lines += ["", "Not (fully) measured:", "", *notes]
    lines += ["", "### CLV targets of issue 15", "", *targets(clv, peer_notes, settings["peer_timeout"])]
    return lines


def splice(path: Path, section_lines: list[str], heading: str = HEADING) -> str:
    """Replace one section (heading, default the CLV one, up to the next `## ` heading) of path, or add it before
    the targets."""
    text = path.read_text() if path.exists() else "# drilldown benchmark results\n"
    block = "\n".join(section_lines).strip("\n") + "\n\n"
    pattern = re.compile("^" + re.escape(heading) + r"\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text, count=1)
    elif "\n## Targets of issue 9" in text:
        text = text.replace("\n## Targets of issue 9", "\n" + block + "## Targets of issue 9", 1)
    else:
        text = text.rstrip("\n") + "\n\n" + block
    text = text.rstrip("\n") + "\n"
    path.write_text(text)
    return text
