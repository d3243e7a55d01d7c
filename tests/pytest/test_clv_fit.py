"""scripts/clv_fit.py against published fits, simulations with known truth and an independent oracle (no dbt).

The oracle (btyd_oracle.py) is written from Fader, Hardie & Lee (2005) and Fader & Hardie (2013), not from clv_fit.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "tests" / "pytest"))

import btyd_oracle as oracle  # noqa: E402
import clv_fit  # noqa: E402

CDNOW = REPO / "tests" / "fixtures" / "cdnow" / "cdnow_customers_summary_with_transactions.csv"

# Published fits on the CDNOW sample of 2,357 customers (weeks), see tests/fixtures/cdnow/README.md.
# (value, decimals it is published to)
PUBLISHED_BG_NBD = {"r": (0.243, 3), "alpha": (4.414, 3), "a": (0.793, 3), "b": (2.426, 3)}
PUBLISHED_BG_NBD_LL = -9582.4
PUBLISHED_GAMMA_GAMMA = {"p": (6.25, 2), "q": (3.74, 2), "v": (15.44, 2)}
# The oracle's own optimum (Nelder-Mead + L-BFGS-B, then Newton-polished on the central-difference Hessian until the
# log-scale gradient was < 1e-7; reproduced by test_oracle_cdnow_optimum below).
ORACLE_BG_NBD = {"r": 0.2425929, "alpha": 4.4135316, "a": 0.7928861, "b": 2.4257534}
ORACLE_BG_NBD_LL = -9582.425561
ORACLE_GAMMA_GAMMA = {"p": 6.248802, "q": 3.744588, "v": 15.447749}
ORACLE_GAMMA_GAMMA_LL = -4055.923244


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    # The file keeps the column names of the original Fader-Hardie summary; lifetimes' loader renames them the same way.
    frame = pd.read_csv(CDNOW)
    frame.columns = ["customer_id", "frequency", "recency", "T", "monetary_value"]
    return frame


def within_published(ours: float, published: float, decimals: int) -> bool:
    """The published figure is rounded: allow half a unit of its last digit plus 1e-3 relative."""
    return abs(ours - published) <= 0.5 * 10.0**-decimals + 1e-3 * abs(published)


def rel_close(ours: float, expected: float, rel: float) -> bool:
    return abs(ours - expected) <= rel * abs(expected)


# ------------------------------------------------------------------------------------------------------------------
# CDNOW: published values
# ------------------------------------------------------------------------------------------------------------------
def test_cdnow_fixture_is_the_published_sample(cdnow: pd.DataFrame) -> None:
    assert len(cdnow) == 2357
    assert int((cdnow["frequency"] > 0).sum()) == 946
    assert int(cdnow["frequency"].sum()) == 2457
    assert cdnow["T"].between(27.0, 38.86).all()


def test_cdnow_bg_nbd_matches_published(cdnow: pd.DataFrame) -> None:
    fit = clv_fit.fit_bg_nbd(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    assert fit.is_converged, fit.fit_note
    assert fit.fit_note is None
    assert fit.model_name == "bg_nbd"
    assert fit.customers_fitted == 2357
    for name, (published, decimals) in PUBLISHED_BG_NBD.items():
        ours = fit.parameters[name]
        assert within_published(ours, published, decimals), (name, ours, published)
        assert round(ours, decimals) == published, (name, ours, published)
        assert rel_close(ours, ORACLE_BG_NBD[name], 1e-4), (name, ours, ORACLE_BG_NBD[name])
    assert abs(fit.log_likelihood - PUBLISHED_BG_NBD_LL) <= 0.1
    assert abs(fit.log_likelihood - ORACLE_BG_NBD_LL) <= 1e-4
    # The reported LL is the likelihood at the reported parameters.
    assert rel_close(oracle.bg_nbd_log_likelihood(fit.parameters, cdnow["frequency"], cdnow["recency"], cdnow["T"]),
                     fit.log_likelihood, 1e-12)  # fmt: skip


def test_cdnow_gamma_gamma_matches_published(cdnow: pd.DataFrame) -> None:
    repeat = cdnow[cdnow["frequency"] > 0]
    fit = clv_fit.fit_gamma_gamma(repeat["frequency"], repeat["monetary_value"])
    assert fit.is_converged, fit.fit_note
    assert fit.model_name == "gamma_gamma"
    assert fit.customers_fitted == 946
    for name, (published, decimals) in PUBLISHED_GAMMA_GAMMA.items():
        ours = fit.parameters[name]
        assert within_published(ours, published, decimals), (name, ours, published)
        assert rel_close(ours, ORACLE_GAMMA_GAMMA[name], 1e-4), (name, ours, ORACLE_GAMMA_GAMMA[name])
    assert abs(fit.log_likelihood - ORACLE_GAMMA_GAMMA_LL) <= 1e-4
    # The whole file (one-time buyers included, monetary_value 0) gives the same fit: they are left out.
    whole = clv_fit.fit_gamma_gamma(cdnow["frequency"], cdnow["monetary_value"])
    assert whole.customers_fitted == 946
    for name in PUBLISHED_GAMMA_GAMMA:
        assert rel_close(whole.parameters[name], fit.parameters[name], 1e-9)


def test_oracle_cdnow_optimum(cdnow: pd.DataFrame) -> None:
    """The reference optimum the tests above use is the oracle's own maximum (a fit that does not share code)."""
    params, ll = oracle.fit_bg_nbd(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    for name, value in ORACLE_BG_NBD.items():
        assert rel_close(params[name], value, 2e-6), (name, params[name])
    assert abs(ll - ORACLE_BG_NBD_LL) < 1e-5
    repeat = cdnow[cdnow["frequency"] > 0]
    params, ll = oracle.fit_gamma_gamma(repeat["frequency"], repeat["monetary_value"])
    for name, value in ORACLE_GAMMA_GAMMA.items():
        assert rel_close(params[name], value, 2e-6), (name, params[name])
    assert abs(ll - ORACLE_GAMMA_GAMMA_LL) < 1e-5


# ------------------------------------------------------------------------------------------------------------------
# Weighted fit on distinct triples == fit on the expanded rows
# ------------------------------------------------------------------------------------------------------------------
def integer_day_customers(n: int, seed: int) -> pd.DataFrame:
    """A warehouse-like summary: simulated, then floored to whole days, so many customers share a triple."""
    rng = np.random.default_rng(seed)
    x, t_x, T = oracle.simulate_bg_nbd(n, 0.5, 40.0, 0.8, 2.5, 400.0, rng, T_min=300.0)
    frame = pd.DataFrame({"frequency": x, "recency": np.floor(t_x), "T": np.floor(T)})
    return frame


@pytest.mark.parametrize("source", ["cdnow", "days"])
def test_weighted_triples_equal_expanded_rows(source: str, cdnow: pd.DataFrame) -> None:
    rows = cdnow[["frequency", "recency", "T"]] if source == "cdnow" else integer_day_customers(20000, 11)
    triples = rows.groupby(["frequency", "recency", "T"], as_index=False).size()
    assert len(triples) < 0.8 * len(rows)  # the collapse is real
    expanded = clv_fit.fit_bg_nbd(rows["frequency"], rows["recency"], rows["T"])
    weighted = clv_fit.fit_bg_nbd(triples["frequency"], triples["recency"], triples["T"], triples["size"])
    assert expanded.is_converged and weighted.is_converged
    assert weighted.customers_fitted == expanded.customers_fitted == len(rows)
    for name in clv_fit.BG_NBD_PARAMETERS:
        assert rel_close(weighted.parameters[name], expanded.parameters[name], 1e-6), name
    assert rel_close(weighted.log_likelihood, expanded.log_likelihood, 1e-10)
    # The weighted likelihood is the sum over customers.
    assert rel_close(
        clv_fit.bg_nbd_log_likelihood(expanded.parameters, triples["frequency"], triples["recency"], triples["T"], triples["size"]),
        clv_fit.bg_nbd_log_likelihood(expanded.parameters, rows["frequency"], rows["recency"], rows["T"]),
        1e-12,
    )


def test_weighted_gamma_gamma_equals_expanded_rows(cdnow: pd.DataFrame) -> None:
    repeat = cdnow.loc[cdnow["frequency"] > 0, ["frequency", "monetary_value"]]
    # CDNOW's mean spends are nearly all distinct; repeat each row a varying number of times to make real weights.
    counts = (np.arange(len(repeat)) % 4) + 1
    expanded_rows = repeat.loc[repeat.index.repeat(counts)]
    expanded = clv_fit.fit_gamma_gamma(expanded_rows["frequency"], expanded_rows["monetary_value"])
    weighted = clv_fit.fit_gamma_gamma(repeat["frequency"], repeat["monetary_value"], counts)
    assert expanded.is_converged and weighted.is_converged
    assert weighted.customers_fitted == expanded.customers_fitted == int(counts.sum())
    for name in clv_fit.GAMMA_GAMMA_PARAMETERS:
        assert rel_close(weighted.parameters[name], expanded.parameters[name], 1e-6), name
    assert rel_close(weighted.log_likelihood, expanded.log_likelihood, 1e-10)


# ------------------------------------------------------------------------------------------------------------------
# Simulation with known truth
# ------------------------------------------------------------------------------------------------------------------
TRUE_BG_NBD = {"r": 0.5, "alpha": 40.0, "a": 0.8, "b": 2.5}  # days
TRUE_GAMMA_GAMMA = {"p": 6.0, "q": 4.0, "v": 15.0}


@pytest.fixture(scope="module")
def simulated() -> pd.DataFrame:
    rng = np.random.default_rng(20240515)
    x, t_x, T = oracle.simulate_bg_nbd(20_000, *TRUE_BG_NBD.values(), 900.0, rng, T_min=200.0)
    m = oracle.simulate_gamma_gamma(x, *TRUE_GAMMA_GAMMA.values(), rng)
    return pd.DataFrame({"frequency": x, "recency": t_x, "T": T, "monetary_value": m})


def test_simulated_bg_nbd_recovers_truth(simulated: pd.DataFrame) -> None:
    x, t_x, T = simulated["frequency"], simulated["recency"], simulated["T"]
    fit = clv_fit.fit_bg_nbd(x, t_x, T)
    assert fit.is_converged, fit.fit_note

    def ll(params: dict[str, float]) -> float:
        return oracle.bg_nbd_log_likelihood(params, x, t_x, T)

    # Sampling error: asymptotic SEs from the oracle's observed information at the fitted optimum. A 4-SE band is a
    # two-sided ~6e-5 chance per parameter of a false alarm under correct code, yet far tighter than the bias of a
    # wrong likelihood (e.g. dropping the x > 0 dropout term moves a and b by dozens of SEs).
    se = oracle.standard_errors(ll, fit.parameters, oracle.BG_NBD_NAMES)
    for name, truth in TRUE_BG_NBD.items():
        assert abs(fit.parameters[name] - truth) <= 4 * se[name], (name, fit.parameters[name], truth, se[name])
        assert se[name] < 0.1 * truth  # the band means something: SEs of a few percent
    # And the fit is the maximum of the oracle's likelihood: the Newton step from it is a tiny share of an SE.
    gradient = oracle.log_likelihood_gradient(ll, fit.parameters, oracle.BG_NBD_NAMES)
    covariance = oracle.log_parameter_covariance(ll, fit.parameters, oracle.BG_NBD_NAMES)
    newton_step = covariance @ gradient
    assert np.all(np.abs(newton_step) <= 1e-3 * np.sqrt(np.diag(covariance))), newton_step


def test_simulated_gamma_gamma_recovers_truth(simulated: pd.DataFrame) -> None:
    repeat = simulated[simulated["frequency"] > 0]
    assert len(repeat) > 10_000
    x, m = repeat["frequency"], repeat["monetary_value"]
    fit = clv_fit.fit_gamma_gamma(x, m)
    assert fit.is_converged, fit.fit_note

    def ll(params: dict[str, float]) -> float:
        return oracle.gamma_gamma_log_likelihood(params, x, m)

    se = oracle.standard_errors(ll, fit.parameters, oracle.GAMMA_GAMMA_NAMES)
    for name, truth in TRUE_GAMMA_GAMMA.items():
        assert abs(fit.parameters[name] - truth) <= 4 * se[name], (name, fit.parameters[name], truth, se[name])
    # p and v trade off against each other (SE of p is ~8%); the population mean spend p v / (q - 1) is pinned
    # much tighter: check it with its delta-method SE. d log(mean) / d log(p, q, v) = (1, -q/(q-1), 1).
    covariance = oracle.log_parameter_covariance(ll, fit.parameters, oracle.GAMMA_GAMMA_NAMES)
    q = fit.parameters["q"]
    jacobian = np.array([1.0, -q / (q - 1.0), 1.0])
    fitted_mean = oracle.gamma_gamma_population_mean(fit.parameters)
    se_mean = fitted_mean * float(np.sqrt(jacobian @ covariance @ jacobian))
    true_mean = oracle.gamma_gamma_population_mean(TRUE_GAMMA_GAMMA)
    assert se_mean < 0.02 * true_mean
    assert abs(fitted_mean - true_mean) <= 4 * se_mean, (fitted_mean, true_mean, se_mean)
    gradient = oracle.log_likelihood_gradient(ll, fit.parameters, oracle.GAMMA_GAMMA_NAMES)
    newton_step = covariance @ gradient
    assert np.all(np.abs(newton_step) <= 1e-3 * np.sqrt(np.diag(covariance))), newton_step


def test_oracle_predictions_match_simulated_holdout() -> None:
    """The oracle itself against simulated futures: by the law of total expectation, the mean of E[Y(t) | history]
    over customers equals the mean number of holdout purchases, and the mean P(no purchase) the share without one."""
    rng = np.random.default_rng(7)
    x, t_x, T, future = oracle.simulate_bg_nbd_holdout(200_000, *TRUE_BG_NBD.values(), 900.0, 180.0, rng, T_min=200.0)
    expected = oracle.expected_repeat_purchases(TRUE_BG_NBD, x, t_x, T, 180.0)
    no_purchase = oracle.probability_no_purchase(TRUE_BG_NBD, x, t_x, T, 180.0)
    for bucket in (x == 0, x == 1, (x >= 2) & (x <= 4), x >= 5, np.ones_like(x, dtype=bool)):
        n = int(bucket.sum())
        se_count = future[bucket].std() / np.sqrt(n)
        assert abs(expected[bucket].mean() - future[bucket].mean()) <= 4 * se_count
        share = (future[bucket] == 0).mean()
        se_share = np.sqrt(share * (1 - share) / n)
        assert abs(no_purchase[bucket].mean() - share) <= 4 * se_share


# ------------------------------------------------------------------------------------------------------------------
# Likelihood and hypergeometric term against the oracle
# ------------------------------------------------------------------------------------------------------------------
def random_parameter_points(rng: np.random.Generator, n: int) -> list[dict[str, float]]:
    return [
        {"r": float(np.exp(rng.uniform(np.log(0.05), np.log(5.0)))),
         "alpha": float(np.exp(rng.uniform(np.log(0.5), np.log(500.0)))),
         "a": float(np.exp(rng.uniform(np.log(0.1), np.log(5.0)))),
         "b": float(np.exp(rng.uniform(np.log(0.1), np.log(20.0))))}
        for _ in range(n)
    ]  # fmt: skip


def test_log_likelihood_equals_oracle(simulated: pd.DataFrame, cdnow: pd.DataFrame) -> None:
    rng = np.random.default_rng(3)
    weights = rng.integers(1, 50, size=len(simulated)).astype(float)
    for params in random_parameter_points(rng, 25):
        for frame, w in ((cdnow, None), (simulated, weights)):
            ours = clv_fit.bg_nbd_log_likelihood(params, frame["frequency"], frame["recency"], frame["T"], w)
            reference = oracle.bg_nbd_log_likelihood(params, frame["frequency"], frame["recency"], frame["T"], w)
            assert np.isfinite(ours)
            assert rel_close(ours, reference, 1e-9), (params, ours, reference)
    repeat = simulated[simulated["frequency"] > 0]
    for _ in range(25):
        params = {"p": float(rng.uniform(0.3, 20)), "q": float(rng.uniform(0.5, 20)), "v": float(rng.uniform(0.5, 200))}
        ours = clv_fit.gamma_gamma_log_likelihood(params, repeat["frequency"], repeat["monetary_value"])
        reference = oracle.gamma_gamma_log_likelihood(params, repeat["frequency"], repeat["monetary_value"])
        assert rel_close(ours, reference, 1e-9), (params, ours, reference)


REALISTIC_BG_NBD = [
    TRUE_BG_NBD,
    {"r": 0.243, "alpha": 4.414 * 7, "a": 0.793, "b": 2.426},  # CDNOW, in days
    {"r": 1.8, "alpha": 250.0, "a": 1.6, "b": 6.0},  # a > 1
    {"r": 0.15, "alpha": 8.0, "a": 0.35, "b": 0.9},  # b < 1
]


@pytest.mark.parametrize("params", REALISTIC_BG_NBD)
def test_hypergeometric_term_equals_oracle(params: dict[str, float]) -> None:
    x, T, h = np.meshgrid(np.arange(0, 61, dtype=float), np.array([0, 1, 7, 30, 90, 180, 365, 730, 1095, 1500], dtype=float),
                          np.array([30.0, 90.0, 365.0]), indexing="ij")  # fmt: skip
    x, T, h = x.ravel(), T.ravel(), h.ravel()
    ours = clv_fit.hypergeometric_term(params, x, T, h)
    reference = oracle.hypergeometric_term(params, x, T, h)
    assert np.all(np.isfinite(reference))
    assert np.all(np.isfinite(ours))
    close = np.abs(ours - reference) <= 1e-9 * np.abs(reference) + 1e-300
    assert close.all(), list(zip(x[~close], T[~close], h[~close], ours[~close], reference[~close]))[:10]


# ------------------------------------------------------------------------------------------------------------------
# Bad input: not converged with a note, never an exception
# ------------------------------------------------------------------------------------------------------------------
def assert_not_converged(fit: clv_fit.FitResult, names: tuple[str, ...]) -> None:
    assert fit.is_converged is False
    assert isinstance(fit.fit_note, str) and len(fit.fit_note) > 10
    assert set(fit.parameters) == set(names)
    assert all(np.isnan(value) for value in fit.parameters.values())


def test_no_repeat_buyers_does_not_converge() -> None:
    rng = np.random.default_rng(1)
    T = rng.integers(1, 700, size=500).astype(float)
    fit = clv_fit.fit_bg_nbd(np.zeros(500), np.zeros(500), T)
    assert_not_converged(fit, clv_fit.BG_NBD_PARAMETERS)
    assert fit.customers_fitted == 500


def test_five_customers_do_not_converge() -> None:
    fit = clv_fit.fit_bg_nbd([0, 1, 2, 0, 3], [0, 20, 40, 0, 90], [100, 120, 60, 10, 200])
    assert_not_converged(fit, clv_fit.BG_NBD_PARAMETERS)
    assert fit.customers_fitted == 5
    assert "5" in fit.fit_note


def test_all_customers_on_one_day_does_not_converge() -> None:
    for age in (0.0, 30.0):  # all first purchases on the as-of date, or all on one earlier day
        fit = clv_fit.fit_bg_nbd(np.zeros(300), np.zeros(300), np.full(300, age))
        assert_not_converged(fit, clv_fit.BG_NBD_PARAMETERS)


def test_gamma_gamma_without_repeat_buyers_does_not_converge() -> None:
    fit = clv_fit.fit_gamma_gamma(np.zeros(400), np.zeros(400))
    assert_not_converged(fit, clv_fit.GAMMA_GAMMA_PARAMETERS)
    fit = clv_fit.fit_gamma_gamma([], [])
    assert_not_converged(fit, clv_fit.GAMMA_GAMMA_PARAMETERS)


def test_empty_input_does_not_converge() -> None:
    fit = clv_fit.fit_bg_nbd([], [], [])
    assert_not_converged(fit, clv_fit.BG_NBD_PARAMETERS)
    assert fit.customers_fitted == 0


# ------------------------------------------------------------------------------------------------------------------
# Large inputs: the starts run on a sample of the repeat buyers' rows
# ------------------------------------------------------------------------------------------------------------------
def test_starts_on_a_sample_reach_the_optimum_of_every_row(simulated: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the sample (forced here on 20,000 customers), the fit lands on the optimum that every start on every row
    finds: the same log-likelihood to 1e-12, parameters along the flat optimum to 1e-5, and it evaluates the full
    likelihood far fewer times."""
    x, t_x, T = (simulated[name].to_numpy(float) for name in ("frequency", "recency", "T"))
    repeat_rows = int((x > 0).sum())
    evaluations = {"full": 0}
    full_objective = clv_fit._BgNbdProblem.objective

    def counted(problem: clv_fit._BgNbdProblem, log_params: np.ndarray) -> tuple[float, np.ndarray]:
        if len(problem.repeat_x) == repeat_rows:  # the full likelihood, not the sample's
            evaluations["full"] += 1
        return full_objective(problem, log_params)

    monkeypatch.setattr(clv_fit._BgNbdProblem, "objective", counted)
    every_row = clv_fit.fit_bg_nbd(x, t_x, T)
    evaluations_every_row, evaluations["full"] = evaluations["full"], 0
    assert clv_fit._repeat_row_sample(x, t_x, T, np.ones_like(x), clv_fit.SAMPLE_ROWS) is None  # too few rows: no sample
    monkeypatch.setattr(clv_fit, "SAMPLE_ROWS", 1_000)
    sample = clv_fit._repeat_row_sample(x, t_x, T, np.ones_like(x), clv_fit.SAMPLE_ROWS)
    assert sample is not None and 1_000 <= int((sample[0] > 0).sum()) <= 1_100
    assert rel_close(float(sample[3][sample[0] > 0].sum()), repeat_rows, 1e-12)  # repeat weight kept
    sampled = clv_fit.fit_bg_nbd(x, t_x, T)
    assert every_row.is_converged and sampled.is_converged, (every_row.fit_note, sampled.fit_note)
    assert rel_close(sampled.log_likelihood, every_row.log_likelihood, 1e-12)
    for name in clv_fit.BG_NBD_PARAMETERS:
        assert rel_close(sampled.parameters[name], every_row.parameters[name], 1e-5), name
    assert evaluations["full"] < evaluations_every_row / 2, (evaluations["full"], evaluations_every_row)


def test_a_useless_sample_still_reaches_the_optimum(simulated: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sample whose optimum is nowhere near the data's (here only one-time buyers and one repeat buyer): the fit
    either polishes its way to the optimum or runs every start on every row, and ends at the same optimum."""
    x, t_x, T = (simulated[name].to_numpy(float) for name in ("frequency", "recency", "T"))
    every_row = clv_fit.fit_bg_nbd(x, t_x, T)

    def useless(x: np.ndarray, t_x: np.ndarray, t: np.ndarray, weight: np.ndarray, rows: int) -> tuple[np.ndarray, ...]:
        keep = np.flatnonzero(x == 0)[:50].tolist() + [int(np.argmax(x))]
        return x[keep], t_x[keep], t[keep], weight[keep]

    monkeypatch.setattr(clv_fit, "_repeat_row_sample", useless)
    fit = clv_fit.fit_bg_nbd(x, t_x, T)
    assert fit.is_converged, fit.fit_note
    assert rel_close(fit.log_likelihood, every_row.log_likelihood, 1e-12)
    for name in clv_fit.BG_NBD_PARAMETERS:
        assert rel_close(fit.parameters[name], every_row.parameters[name], 1e-5), name


# ------------------------------------------------------------------------------------------------------------------
# Large frequency
# ------------------------------------------------------------------------------------------------------------------
def test_large_frequency_does_not_overflow(simulated: pd.DataFrame) -> None:
    x = np.array([500.0, 500.0, 800.0])
    t_x = np.array([690.0, 120.0, 899.0])
    T = np.array([700.0, 700.0, 900.0])
    for params in REALISTIC_BG_NBD:
        ours = clv_fit.bg_nbd_log_likelihood(params, x, t_x, T)
        assert np.isfinite(ours)
        assert rel_close(ours, oracle.bg_nbd_log_likelihood(params, x, t_x, T), 1e-9)
    # A fit with a few such customers among ordinary ones still converges to a finite optimum.
    frame = pd.concat([simulated[["frequency", "recency", "T"]].iloc[:3000],
                       pd.DataFrame({"frequency": x, "recency": t_x, "T": T})], ignore_index=True)  # fmt: skip
    fit = clv_fit.fit_bg_nbd(frame["frequency"], frame["recency"], frame["T"])
    assert fit.is_converged, fit.fit_note
    assert np.isfinite(fit.log_likelihood)
    # The prediction term stays finite where the direct form cannot (T small: a huge 2F1 times a tiny power) and
    # equals the power series summed in logs there; where the direct form is finite the two agree too.
    x_big, t_values = np.full(3, 500.0), np.array([1.0, 700.0, 1500.0])
    term = clv_fit.hypergeometric_term(TRUE_BG_NBD, x_big, t_values, np.full(3, 365.0))
    assert np.all(np.isfinite(term))
    with np.errstate(all="ignore"):  # the direct form overflows
        assert not np.isfinite(oracle.hypergeometric_term(TRUE_BG_NBD, 500.0, 1.0, 365.0))
    series = [oracle.hypergeometric_term_by_series(TRUE_BG_NBD, 500.0, big_t, 365.0) for big_t in t_values]
    assert np.allclose(term, series, rtol=1e-9, atol=0), (term, series)
    reference = oracle.hypergeometric_term(TRUE_BG_NBD, x_big[1:], t_values[1:], np.full(2, 365.0))
    assert np.allclose(term[1:], reference, rtol=1e-9, atol=0)
    # The expected purchases if alive, (a+b+x-1)/(a-1) (1 - term), are positive and fall as T grows (a lower rate).
    a, b = TRUE_BG_NBD["a"], TRUE_BG_NBD["b"]
    purchases_if_alive = (a + b + 500.0 - 1.0) / (a - 1.0) * (1.0 - term)
    assert np.all(purchases_if_alive > 0) and np.all(np.diff(purchases_if_alive) < 0), purchases_if_alive
