"""BG/NBD and Gamma-Gamma maximum-likelihood fits, and the one prediction term SQL cannot compute.

The one place Python belongs inside the DAG (docs/decisions.md#clv-models). Everything here works on the
compact inputs the SQL models prepare: distinct (frequency, recency, T) triples with their customer counts
for BG/NBD, distinct (frequency, monetary_value) pairs for Gamma-Gamma, so a fit costs the same whether a
triple stands for one customer or for ten thousand. Units are the caller's (the warehouse uses days).

Routes (docs/decisions.md#clv-fit-routes):
- DuckDB: the dbt Python models int_clv_fitted_parameters / int_clv_fitted_terms call fit_tables() and
  term_table() inside `dbt build` (dbt-duckdb runs them in-process; profiles.yml puts scripts/ on sys.path).
- Adapters without Python models (Postgres): `drilldown.py run` calls fit_postgres(), which reads the same
  input tables, writes the same two tables into the intermediate schema, and dbt builds the rest.

Nothing here raises on bad data: a fit that cannot be made comes back with is_converged = False and the
reason in fit_note, and its predictions are null downstream.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, special

BG_NBD_PARAMETERS = ("r", "alpha", "a", "b")
GAMMA_GAMMA_PARAMETERS = ("p", "q", "v")
MIN_CUSTOMERS = 20  # fewer customers than this: no fit (four parameters need more than a handful of people)
MIN_REPEAT_CUSTOMERS = 5  # customers with at least one repeat purchase day, for either model
LOG_PARAMETER_BOUND = 30.0  # |log(parameter)| beyond this is a parameter running off to 0 or infinity
GRADIENT_TOLERANCE = 1e-4  # max |d mean LL / d log parameter| accepted at the optimum
SAMPLE_ROWS = 50_000  # BG/NBD: the starts run on about this many repeat-buyer rows ...
SAMPLE_MIN_FACTOR = 4  # ... when the input has more than 4x as many (smaller inputs: every start on every row)
SAMPLE_AGREEMENT = 1e-3  # the starts agree on the sample when their optima are this close (log parameters)


@dataclass(frozen=True)
class FitResult:
    model_name: str  # 'bg_nbd' | 'gamma_gamma'
    parameters: dict[str, float]  # nan when not converged
    log_likelihood: float | None  # weighted sum at the optimum; None when no fit was made
    customers_fitted: int  # sum of the weights
    is_converged: bool
    fit_note: str | None  # why not, when not converged


def _as_arrays(*columns: object, weights: object = None) -> tuple[np.ndarray, ...]:
    arrays = [np.asarray(column, dtype=float) for column in columns]
    weight = np.ones_like(arrays[0]) if weights is None else np.asarray(weights, dtype=float)
    return (*arrays, weight)


# ---------------------------------------------------------------------------------------------------
# BG/NBD (Fader, Hardie & Lee 2005): log-likelihood and its gradient on the log-parameter scale
# ---------------------------------------------------------------------------------------------------
def _row_sum(weights: np.ndarray, values: np.ndarray) -> float:
    """sum(weights * values) over the input rows without BLAS: np.dot on long vectors runs OpenBLAS threads,
    which on a busy machine (dbt's own threads, 2 cores) made each likelihood evaluation 2-5x slower; numpy's
    pairwise sum is single-threaded and as accurate."""
    return float(np.add.reduce(weights * values))


class _BgNbdProblem:
    """The weighted BG/NBD mean negative log-likelihood and its gradient on the log-parameter scale, with every
    term that depends on one input alone computed once per distinct value: at 1M customers ~520k triples
    have only 75 frequencies and ~1,100 values of T and of recency, so an evaluation costs a few passes over
    the repeat-buyer rows instead of a dozen gammaln/digamma calls per row. Per customer (x, t_x, T):
    LL = A(x) - (r+x) log(alpha+T) + [x > 0] log(1 + exp(d)),
    A(x) = log G(r+x) - log G(r) + r log alpha + log B(a, b+x) - log B(a, b),
    d = log a - log(b+x-1) + (r+x) (log(alpha+T) - log(alpha+t_x)) (the log odds of dying after the last
    purchase)."""

    def __init__(self, x: np.ndarray, t_x: np.ndarray, t: np.ndarray, weight: np.ndarray) -> None:
        self.total = float(weight.sum())
        self.frequencies, by_frequency = np.unique(x, return_inverse=True)
        self.weight_by_frequency = np.bincount(by_frequency, weights=weight)
        self.ages, by_age = np.unique(t, return_inverse=True)
        self.weight_by_age = np.bincount(by_age, weights=weight)
        self.weighted_x_by_age = np.bincount(by_age, weights=weight * x)
        repeat = x > 0
        self.repeat_x, self.repeat_weight = x[repeat], weight[repeat]
        self.repeat_by_frequency, self.repeat_by_age = by_frequency[repeat], by_age[repeat]
        self.recencies, self.repeat_by_recency = np.unique(t_x[repeat], return_inverse=True)

    def objective(self, log_params: np.ndarray) -> tuple[float, np.ndarray]:
        r, alpha, a, b = np.exp(log_params)
        x = self.frequencies
        per_x = (special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
                 + special.gammaln(a + b) + special.gammaln(b + x) - special.gammaln(b) - special.gammaln(a + b + x))  # fmt: skip
        d_r_x = special.digamma(r + x) - special.digamma(r) + np.log(alpha)
        d_a_x = special.digamma(a + b) - special.digamma(a + b + x)
        d_b_x = d_a_x + special.digamma(b + x) - special.digamma(b)
        with np.errstate(divide="ignore", invalid="ignore"):  # x = 0 has no b + x - 1 term (never gathered)
            log_odds_x = np.log(a) - np.log(b + x - 1)
            inverse_b_x = 1.0 / (b + x - 1)
        log_age, inverse_age = np.log(alpha + self.ages), 1.0 / (alpha + self.ages)
        log_recency, inverse_recency = np.log(alpha + self.recencies), 1.0 / (alpha + self.recencies)
        rate_weight_by_age = r * self.weight_by_age + self.weighted_x_by_age  # sum of w (r + x) per T
        # The repeat buyers' rows.
        r_x = r + self.repeat_x
        gap = log_age[self.repeat_by_age] - log_recency[self.repeat_by_recency]
        d = log_odds_x[self.repeat_by_frequency] + r_x * gap
        dying = self.repeat_weight * special.expit(d)  # w * P(dropped out after the last purchase | data)
        ll = (np.dot(self.weight_by_frequency, per_x) - np.dot(rate_weight_by_age, log_age)
              + _row_sum(self.repeat_weight, np.logaddexp(0.0, d)))  # fmt: skip
        gradient = np.array([
            (np.dot(self.weight_by_frequency, d_r_x) - np.dot(self.weight_by_age, log_age) + _row_sum(dying, gap)) * r,
            (r / alpha * self.total - np.dot(rate_weight_by_age, inverse_age)
             + _row_sum(dying * r_x, inverse_age[self.repeat_by_age] - inverse_recency[self.repeat_by_recency])) * alpha,
            (np.dot(self.weight_by_frequency, d_a_x) + dying.sum() / a) * a,
            (np.dot(self.weight_by_frequency, d_b_x) - _row_sum(dying, inverse_b_x[self.repeat_by_frequency])) * b,
        ])  # fmt: skip
        return -float(ll) / self.total, -gradient / self.total


def bg_nbd_log_likelihood(params: dict[str, float], frequency, recency, t, weights=None) -> float:
    """Weighted BG/NBD log-likelihood of (frequency, recency, T) at the given r, alpha, a, b."""
    x, t_x, big_t, weight = _as_arrays(frequency, recency, t, weights=weights)
    keep = weight > 0
    problem = _BgNbdProblem(x[keep], t_x[keep], big_t[keep], weight[keep])
    return -problem.objective(np.log([params[name] for name in BG_NBD_PARAMETERS]))[0] * problem.total


# ---------------------------------------------------------------------------------------------------
# Gamma-Gamma (Fader, Hardie & Lee 2005, "RFM and CLV"): spend per repeat purchase day
# ---------------------------------------------------------------------------------------------------
class _GammaGammaProblem:
    """The weighted Gamma-Gamma mean negative log-likelihood and its gradient on the log-parameter scale.
    Per customer (x, m): LL = log G(px+q) - log G(px) - log G(q) + q log v + (px-1) log m + px log x
    - (px+q) log(xm+v). The gamma functions are taken once per distinct x, the terms in m and x alone are
    summed once, so an evaluation costs one log and one reciprocal per row."""

    def __init__(self, x: np.ndarray, m: np.ndarray, weight: np.ndarray) -> None:
        self.total = float(weight.sum())
        self.frequencies, by_frequency = np.unique(x, return_inverse=True)
        self.weight_by_frequency = np.bincount(by_frequency, weights=weight)
        self.weight, self.weighted_x, self.spend = weight, weight * x, x * m
        log_m, log_x = np.log(m), np.log(x)
        self.sum_log_m = _row_sum(weight, log_m)
        self.sum_x_log_m = _row_sum(self.weighted_x, log_m)
        self.sum_x_log_x = _row_sum(self.weighted_x, log_x)

    def objective(self, log_params: np.ndarray) -> tuple[float, np.ndarray]:
        p, q, v = np.exp(log_params)
        x = self.frequencies
        log_spend = np.log(self.spend + v)
        inverse_spend = 1.0 / (self.spend + v)
        x_log_spend, log_spend_sum = _row_sum(self.weighted_x, log_spend), _row_sum(self.weight, log_spend)
        ll = (np.dot(self.weight_by_frequency, special.gammaln(p * x + q) - special.gammaln(p * x))
              + self.total * (q * np.log(v) - special.gammaln(q))
              + p * self.sum_x_log_m - self.sum_log_m + p * self.sum_x_log_x - p * x_log_spend - q * log_spend_sum)  # fmt: skip
        digamma_pxq = special.digamma(p * x + q)
        gradient = np.array([
            (np.dot(self.weight_by_frequency, x * (digamma_pxq - special.digamma(p * x)))
             + self.sum_x_log_m + self.sum_x_log_x - x_log_spend) * p,
            (np.dot(self.weight_by_frequency, digamma_pxq) + self.total * (np.log(v) - special.digamma(q)) - log_spend_sum) * q,
            (self.total * q / v - p * _row_sum(self.weighted_x, inverse_spend) - q * _row_sum(self.weight, inverse_spend)) * v,
        ])  # fmt: skip
        return -float(ll) / self.total, -gradient / self.total


def gamma_gamma_log_likelihood(params: dict[str, float], frequency, monetary_value, weights=None) -> float:
    """Weighted Gamma-Gamma log-likelihood of (frequency >= 1, mean spend > 0) at p, q, v."""
    x, m, weight = _as_arrays(frequency, monetary_value, weights=weights)
    keep = weight > 0
    problem = _GammaGammaProblem(x[keep], m[keep], weight[keep])
    return -problem.objective(np.log([params[name] for name in GAMMA_GAMMA_PARAMETERS]))[0] * problem.total


# ---------------------------------------------------------------------------------------------------
# The optimiser: several starts, L-BFGS-B on log-parameters, convergence checked
# ---------------------------------------------------------------------------------------------------
def _not_fitted(model_name: str, names: tuple[str, ...], customers: int, note: str) -> FitResult:
    return FitResult(model_name, {name: math.nan for name in names}, None, customers, False, note)


Objective = Callable[[np.ndarray], tuple[float, np.ndarray]]  # log-parameters -> (mean negative LL, gradient)


def _minimize_from_starts(
    objective: Objective, starts: list[np.ndarray], bounds: list[tuple[float, float]],
) -> list[optimize.OptimizeResult]:
    """L-BFGS-B from every start: the results with a finite objective, lowest first."""
    results = []
    for start in starts:
        with np.errstate(all="ignore"):
            try:
                result = optimize.minimize(objective, start, jac=True, method="L-BFGS-B", bounds=bounds,
                                           options={"maxiter": 2000, "ftol": 1e-15, "gtol": 1e-10})  # fmt: skip
            except (ValueError, FloatingPointError):
                continue
        if np.isfinite(result.fun):
            results.append(result)
    return sorted(results, key=lambda result: result.fun)


def _best_fit(
    model_name: str,
    names: tuple[str, ...],
    objective: Objective,
    starts: list[np.ndarray],
    total: float,
    sample_objective: Objective | None = None,
) -> FitResult:
    """The maximum-likelihood fit from several starts, with its convergence checked.

    sample_objective (large inputs): the same likelihood on a sample of the rows. The starts then run on the
    sample, and the full likelihood is optimised from the best of them only; when that does not pass the checks,
    every start runs on the full likelihood as without a sample
    (docs/decisions.md#clv-fit-distinct-inputs-and-numerics)."""
    bounds = [(-LOG_PARAMETER_BOUND, LOG_PARAMETER_BOUND)] * len(names)
    if sample_objective is not None:
        on_sample = _minimize_from_starts(sample_objective, starts, bounds)
        # Only when every start found the same optimum on the sample: a likelihood with more than one optimum there
        # (a ridge, a sample unlike the data) could send a single polish to the wrong one.
        agreed = len(on_sample) == len(starts) and all(
            np.abs(result.x - on_sample[0].x).max() <= SAMPLE_AGREEMENT for result in on_sample
        )
        if agreed:
            from_sample = _minimize_from_starts(objective, [on_sample[0].x], bounds)
            polished = _checked_fit(model_name, names, objective, from_sample, total)
            if polished.is_converged:
                return polished
    return _checked_fit(model_name, names, objective, _minimize_from_starts(objective, starts, bounds), total)


def _checked_fit(
    model_name: str,
    names: tuple[str, ...],
    objective: Objective,
    results: list[optimize.OptimizeResult],
    total: float,
) -> FitResult:
    customers = int(round(total))
    best = results[0] if results else None
    if best is None:
        return _not_fitted(model_name, names, customers, "the likelihood could not be evaluated at any start")
    values = {name: float(value) for name, value in zip(names, np.exp(best.x))}
    log_likelihood = -float(best.fun) * total
    gradient = np.abs(objective(best.x)[1]).max()
    at_bound = np.abs(best.x) >= LOG_PARAMETER_BOUND - 1e-6
    note = None
    if at_bound.any():
        runaway = ", ".join(name for name, flag in zip(names, at_bound) if flag)
        note = f"parameter(s) {runaway} ran to the edge of the search range (the data do not identify them)"
    elif not np.isfinite(gradient) or gradient > GRADIENT_TOLERANCE:
        note = f"the optimiser stopped before the optimum ({best.message}; largest gradient {gradient:.2g})"
    if note:
        return FitResult(model_name, {name: math.nan for name in names}, log_likelihood, customers, False, note)
    return FitResult(model_name, values, log_likelihood, customers, True, None)


def _repeat_row_sample(
    x: np.ndarray, t_x: np.ndarray, t: np.ndarray, weight: np.ndarray, rows: int,
) -> tuple[np.ndarray, ...] | None:
    """Every row without repeat purchases and an even spread of about `rows` of the repeat buyers' rows, whose
    weights are scaled up to the repeat buyers' total; None when there are not many more repeat rows than that.
    Nearly every distinct triple is a repeat buyer's (the one-time buyers share a few (0, 0, T) rows), so the
    sample's likelihood costs a fraction of the full one and has nearly the same optimum: a place to start."""
    repeat = np.flatnonzero(x > 0)
    if len(repeat) <= SAMPLE_MIN_FACTOR * rows:
        return None
    picked = repeat[:: len(repeat) // rows]
    keep = np.sort(np.concatenate([np.flatnonzero(x == 0), picked]))
    scaled = weight[keep].copy()
    sampled_repeat = x[keep] > 0
    scaled[sampled_repeat] *= weight[repeat].sum() / scaled[sampled_repeat].sum()
    return x[keep], t_x[keep], t[keep], scaled


def fit_bg_nbd(frequency, recency, t, weights=None) -> FitResult:
    """Maximum-likelihood r, alpha, a, b from (frequency, recency, T) rows, each standing for `weights` customers."""
    x, t_x, big_t, weight = _as_arrays(frequency, recency, t, weights=weights)
    keep = weight > 0
    x, t_x, big_t, weight = x[keep], t_x[keep], big_t[keep], weight[keep]
    total = float(weight.sum())
    customers = int(round(total))
    if customers < MIN_CUSTOMERS:
        return _not_fitted("bg_nbd", BG_NBD_PARAMETERS, customers, f"only {customers} customers (a fit needs {MIN_CUSTOMERS})")
    repeaters = float(weight[x > 0].sum())
    if repeaters < MIN_REPEAT_CUSTOMERS:
        return _not_fitted("bg_nbd", BG_NBD_PARAMETERS, customers,
                           f"{int(repeaters)} customers with a repeat purchase day (a fit needs {MIN_REPEAT_CUSTOMERS})")  # fmt: skip
    if float(np.dot(weight, big_t)) <= 0:
        return _not_fitted("bg_nbd", BG_NBD_PARAMETERS, customers, "every customer's first purchase is on the as-of date (T = 0)")
    mean_t = float(np.dot(weight, big_t)) / total
    mean_x = float(np.dot(weight, x)) / total
    # alpha is a time scale: start it where the mean purchase rate is, in the caller's units.
    alpha_start = max(mean_t / max(mean_x, 0.1), 1e-3)
    starts = [np.log([r, alpha_start * scale, a, b]) for r, scale, a, b in
              ((1.0, 1.0, 1.0, 1.0), (0.3, 0.1, 0.5, 2.0), (2.0, 3.0, 2.0, 5.0), (0.1, 0.01, 0.1, 0.5))]  # fmt: skip
    problem = _BgNbdProblem(x, t_x, big_t, weight)
    sample = _repeat_row_sample(x, t_x, big_t, weight, SAMPLE_ROWS)
    sample_objective = None if sample is None else _BgNbdProblem(*sample).objective
    return _best_fit("bg_nbd", BG_NBD_PARAMETERS, problem.objective, starts, total, sample_objective)


def fit_gamma_gamma(frequency, monetary_value, weights=None) -> FitResult:
    """Maximum-likelihood p, q, v from (frequency >= 1, mean spend > 0) rows; other rows are ignored."""
    x, m, weight = _as_arrays(frequency, monetary_value, weights=weights)
    keep = (weight > 0) & (x > 0) & (m > 0) & np.isfinite(m)
    x, m, weight = x[keep], m[keep], weight[keep]
    total = float(weight.sum())
    customers = int(round(total))
    if customers < MIN_REPEAT_CUSTOMERS:
        return _not_fitted("gamma_gamma", GAMMA_GAMMA_PARAMETERS, customers,
                           f"{customers} customers with a repeat purchase day of positive value (a fit needs {MIN_REPEAT_CUSTOMERS})")  # fmt: skip
    mean_m = float(np.dot(weight, m)) / total
    starts = [np.log([p, q, mean_m * scale]) for p, q, scale in ((1.0, 2.0, 1.0), (5.0, 4.0, 3.0), (0.5, 1.5, 0.3))]
    problem = _GammaGammaProblem(x, m, weight)
    result = _best_fit("gamma_gamma", GAMMA_GAMMA_PARAMETERS, problem.objective, starts, total)
    if result.is_converged and result.parameters["q"] <= 1:
        return FitResult("gamma_gamma", {name: math.nan for name in GAMMA_GAMMA_PARAMETERS}, result.log_likelihood, customers,
                         False, f"q = {result.parameters['q']:.3g} <= 1: the population mean spend is infinite")  # fmt: skip
    return result


# ---------------------------------------------------------------------------------------------------
# The Gauss hypergeometric term of the BG/NBD conditional expectation
# ---------------------------------------------------------------------------------------------------
def hypergeometric_term(params: dict[str, float], frequency, t, horizon) -> np.ndarray:
    """((alpha+T)/(alpha+T+h))^(r+x) * 2F1(r+x, b+x; a+b+x-1; h/(alpha+T+h)).

    E[repeat purchases in the next h | x, t_x, T] = (a+b+x-1)/(a-1) * (1 - this term) * P(alive).
    Computed through Euler's transformation (Abramowitz & Stegun 15.3.3) as
    ((alpha+T)/(alpha+T+h))^(a-1) * 2F1(a+b-1-r, a-1; a+b+x-1; h/(alpha+T+h)): the same value, but the 2F1's
    upper parameters no longer grow with x, so there is no huge 2F1 times a tiny power for large frequency
    and the series converges for every z < 1.
    """
    r, alpha, a, b = (params[name] for name in BG_NBD_PARAMETERS)
    x, big_t, h = (np.asarray(column, dtype=float) for column in (frequency, t, horizon))
    log_share = np.log(alpha + big_t) - np.log(alpha + big_t + h)
    return np.exp((a - 1.0) * log_share) * special.hyp2f1(a + b - 1.0 - r, a - 1.0, a + b + x - 1.0, h / (alpha + big_t + h))


def discounted_repeat_weight(params: dict[str, float], frequency, t, horizon_days: int, annual_discount_rate: float,
                             step_days: int = 30) -> np.ndarray:  # fmt: skip
    """Sum over 30-day steps k of (term(s_k-1) - term(s_k)) * (1 + d)^(-s_k / 365), s_0 = 0, last step ends at the horizon.

    Times (a+b+x-1)/(a-1) * P(alive), it is the discounted expected repeat purchase days in the horizon; with d = 0
    it is 1 - term(horizon).
    """
    x, big_t = (np.asarray(column, dtype=float) for column in (frequency, t))
    boundaries = sorted({*range(step_days, horizon_days, step_days), horizon_days})
    weight = np.zeros_like(x)
    previous = np.ones_like(x)  # term(0) = 1
    for boundary in boundaries:
        current = hypergeometric_term(params, x, big_t, np.full_like(x, boundary))
        weight += (previous - current) * (1.0 + annual_discount_rate) ** (-boundary / 365.0)
        previous = current
    return weight


# ---------------------------------------------------------------------------------------------------
# The tables the dbt models write (same columns on every route)
# ---------------------------------------------------------------------------------------------------
PARAMETER_COLUMNS = ["fit_period", "model_name", "parameter_name", "parameter_value", "customers_fitted",
                     "log_likelihood", "is_converged", "fit_note", "fitted_as_of_date"]  # fmt: skip
TERM_COLUMNS = ["fit_period", "frequency", "t", "horizon_days", "hypergeometric_term", "discounted_repeat_weight"]


def fit_tables(bg_nbd_inputs: pd.DataFrame, gamma_gamma_inputs: pd.DataFrame, periods: pd.DataFrame) -> pd.DataFrame:
    """One row per fit period x model x parameter.

    bg_nbd_inputs: fit_period, frequency, recency, t, customers; gamma_gamma_inputs: fit_period, frequency,
    monetary_value, customers; periods: fit_period, period_end_date (every period gets rows, fitted or not).
    """
    # Each period's rows sorted: the likelihood's float sums then run in one order whatever order the warehouse
    # returned the rows in, so every run and every adapter lands on the same optimum to the last bit. Split
    # first, then sort on the numeric keys: the same order as one sort led by fit_period, about half the time.
    rows = []
    for period in periods.sort_values("fit_period").itertuples(index=False):
        bg = bg_nbd_inputs[bg_nbd_inputs["fit_period"] == period.fit_period].sort_values(
            ["frequency", "recency", "t"], kind="stable")
        gg = gamma_gamma_inputs[gamma_gamma_inputs["fit_period"] == period.fit_period].sort_values(
            ["frequency", "monetary_value"], kind="stable")
        results = (
            fit_bg_nbd(bg["frequency"], bg["recency"], bg["t"], bg["customers"]),
            fit_gamma_gamma(gg["frequency"], gg["monetary_value"], gg["customers"]),
        )
        for result in results:
            for name, value in result.parameters.items():
                rows.append([period.fit_period, result.model_name, name, None if math.isnan(value) else value,
                             result.customers_fitted, result.log_likelihood, result.is_converged, result.fit_note,
                             period.period_end_date])  # fmt: skip
    table = pd.DataFrame(rows, columns=PARAMETER_COLUMNS)
    table["fitted_as_of_date"] = pd.to_datetime(table["fitted_as_of_date"]).dt.date
    return table.astype({"fit_period": "string", "model_name": "string", "parameter_name": "string", "parameter_value": "float64",
                         "customers_fitted": "int64", "log_likelihood": "float64", "is_converged": "bool", "fit_note": "string"})  # fmt: skip


def term_table(bg_nbd_inputs: pd.DataFrame, parameters: pd.DataFrame, horizons: pd.DataFrame) -> pd.DataFrame:
    """The hypergeometric term and the discounted repeat weight per fit period x distinct (frequency, T) x horizon.

    horizons: fit_period, horizon_days, annual_discount_rate. Periods whose BG/NBD fit did not converge get no rows.
    """
    frames = []
    for horizon in horizons.itertuples(index=False):
        fitted = parameters[(parameters["fit_period"] == horizon.fit_period) & (parameters["model_name"] == "bg_nbd")]
        if fitted.empty or not bool(fitted["is_converged"].all()):
            continue
        params = dict(zip(fitted["parameter_name"], fitted["parameter_value"].astype(float)))
        pairs = bg_nbd_inputs.loc[bg_nbd_inputs["fit_period"] == horizon.fit_period, ["frequency", "t"]].drop_duplicates()
        horizon_days = int(horizon.horizon_days)
        frames.append(pd.DataFrame({
            "fit_period": horizon.fit_period,
            "frequency": pairs["frequency"].to_numpy(),
            "t": pairs["t"].to_numpy(),
            "horizon_days": horizon_days,
            "hypergeometric_term": hypergeometric_term(params, pairs["frequency"], pairs["t"], np.full(len(pairs), horizon_days)),
            "discounted_repeat_weight": discounted_repeat_weight(params, pairs["frequency"], pairs["t"], horizon_days,
                                                                 float(horizon.annual_discount_rate)),
        }))  # fmt: skip
    if not frames:
        return pd.DataFrame({column: pd.Series(dtype=dtype) for column, dtype in
                             zip(TERM_COLUMNS, ("string", "int64", "int64", "int64", "float64", "float64"))})  # fmt: skip
    return pd.concat(frames, ignore_index=True).astype({"fit_period": "string", "frequency": "int64", "t": "int64", "horizon_days": "int64"})


# ---------------------------------------------------------------------------------------------------
# The route for adapters without dbt Python models (Postgres): read the inputs, write the two tables
# ---------------------------------------------------------------------------------------------------
INTERMEDIATE_SCHEMA = "intermediate"  # generate_schema_name uses the custom schema as-is
# What the first `dbt build` must have built before fit_postgres() runs, and what the second builds after it.
FIT_INPUT_MODELS = ("int_clv_bg_nbd_inputs", "int_clv_gamma_gamma_inputs", "int_clv_fit_periods", "int_clv_horizons")
FITTED_TABLES_DDL = {
    "int_clv_fitted_parameters": "fit_period text, model_name text, parameter_name text, parameter_value double precision, "
    "customers_fitted bigint, log_likelihood double precision, is_converged boolean, fit_note text, fitted_as_of_date date",
    "int_clv_fitted_terms": "fit_period text, frequency bigint, t bigint, horizon_days bigint, "
    "hypergeometric_term double precision, discounted_repeat_weight double precision",
}


def _read_postgres(cursor, schema: str, table: str) -> pd.DataFrame:
    cursor.execute(f"select * from {schema}.{table}")
    columns = [description[0] for description in cursor.description]
    return pd.DataFrame(cursor.fetchall(), columns=columns)


def fit_from_inputs(read: Callable[[str], pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The parameter and term tables from the four input tables, each read by read(table name)."""
    bg_nbd_inputs = read("int_clv_bg_nbd_inputs").astype({"frequency": "int64", "recency": "int64", "t": "int64", "customers": "int64"})
    gamma_gamma_inputs = read("int_clv_gamma_gamma_inputs").astype({"frequency": "int64", "monetary_value": "float64", "customers": "int64"})
    periods = read("int_clv_fit_periods")
    horizons = read("int_clv_horizons").astype({"horizon_days": "int64", "annual_discount_rate": "float64"})
    parameters = fit_tables(bg_nbd_inputs, gamma_gamma_inputs, periods)
    return parameters, term_table(bg_nbd_inputs, parameters, horizons)


def _records(frame: pd.DataFrame) -> list[tuple]:
    """Rows as plain Python values (None for a missing value) for a database driver."""
    return [tuple(None if pd.isna(value) else value.item() if hasattr(value, "item") else value for value in row)
            for row in frame.itertuples(index=False)]  # fmt: skip


def fit_postgres(conninfo: str, schema: str = INTERMEDIATE_SCHEMA) -> pd.DataFrame:
    """Fit on the Postgres target's int_clv_* inputs in `schema` and write int_clv_fitted_parameters / _terms there,
    in one transaction (a reader sees the old fit or the new one). Returns the parameter table. `schema` is where
    the intermediate models are built: `intermediate` in drilldown's own project, the root project's name for it
    when drilldown is installed as a package (integration_tests/: pkg_intermediate)."""
    import psycopg2
    from psycopg2.extras import execute_values

    with psycopg2.connect(conninfo) as connection, connection.cursor() as cursor:
        parameters, terms = fit_from_inputs(lambda table: _read_postgres(cursor, schema, table))
        for table, frame in (("int_clv_fitted_parameters", parameters), ("int_clv_fitted_terms", terms)):
            cursor.execute(f"drop table if exists {schema}.{table}")
            cursor.execute(f"create table {schema}.{table} ({FITTED_TABLES_DDL[table]})")
            records = _records(frame)
            if records:
                execute_values(cursor, f"insert into {schema}.{table} values %s", records, page_size=10_000)
    return parameters


def _spark_ddl(ddl: str) -> str:
    """FITTED_TABLES_DDL in Spark's type names (as macro spark_data_type translates the contracts)."""
    return ddl.replace("double precision", "double").replace(" text", " string")


def fit_spark(spark, schema: str = INTERMEDIATE_SCHEMA) -> pd.DataFrame:
    """The same on the Spark target (scripts/spark_session.py): reads the inputs from `schema` and writes the two
    tables there as Parquet tables. Returns the parameter table."""

    def read(table: str) -> pd.DataFrame:
        frame = spark.table(f"{schema}.{table}")
        return pd.DataFrame([tuple(row) for row in frame.collect()], columns=frame.columns)

    parameters, terms = fit_from_inputs(read)
    for table, frame in (("int_clv_fitted_parameters", parameters), ("int_clv_fitted_terms", terms)):
        written = spark.createDataFrame(_records(frame), schema=_spark_ddl(FITTED_TABLES_DDL[table]))
        written.write.format("parquet").mode("overwrite").saveAsTable(f"{schema}.{table}")
    return parameters


if __name__ == "__main__":
    # `make pg-suite` / `make spark-suite`: fit on the target DRILLDOWN_TARGET names (Postgres at DRILLDOWN_PG_*,
    # or the local Spark session), between the two dbt builds.
    import argparse
    import os

    parser = argparse.ArgumentParser(description="Fit the CLV models on a target without dbt Python models.")
    parser.add_argument("--target", choices=("postgres", "spark"), default=os.environ.get("DRILLDOWN_TARGET", "postgres"))
    parser.add_argument("--schema", default=INTERMEDIATE_SCHEMA, help="schema of the inputs and the fit")
    args = parser.parse_args()
    if args.target == "spark":
        from spark_session import spark_session

        fitted = fit_spark(spark_session(), args.schema)
    else:
        from load_input import postgres_conninfo_from_env

        fitted = fit_postgres(postgres_conninfo_from_env(), args.schema)
    print(fitted[["fit_period", "model_name", "parameter_name", "parameter_value", "is_converged", "fit_note"]].to_string(index=False))
