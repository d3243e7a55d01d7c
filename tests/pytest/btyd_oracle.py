"""An independent reference implementation of BG/NBD and Gamma-Gamma, for the CLV tests.

Written from the papers, not from scripts/clv_fit.py:
- Fader, Hardie & Lee (2005), "'Counting your customers' the easy way: an alternative to the Pareto/NBD model",
  Marketing Science 24(2): likelihood (eq. 6), P(alive) (eq. 11), conditional expectation (eq. 10).
- Fader & Hardie (2013), "The Gamma-Gamma model of monetary value" (note): likelihood of the mean spend and the
  conditional expectation of a customer's mean transaction value.

Notation: x = frequency (repeat purchases), t_x = recency (time of the last repeat purchase, 0 when x = 0),
T = age (time since the first purchase), all in one time unit; BG/NBD parameters r, alpha (Gamma heterogeneity of the
purchase rate lambda, rate parameter alpha), a, b (Beta heterogeneity of the dropout probability p); Gamma-Gamma
parameters p, q, v (a spend ~ Gamma(shape p, rate nu), nu ~ Gamma(shape q, rate v)).

Deliberately simple and direct: per-customer arrays, scipy.special.hyp2f1 for the Gauss hypergeometric function,
scipy.optimize.minimize with a numeric gradient for the fits. Speed is not a goal.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize, special

BG_NBD_NAMES = ("r", "alpha", "a", "b")
GAMMA_GAMMA_NAMES = ("p", "q", "v")


def _arrays(*values: object) -> list[np.ndarray]:
    return [np.asarray(value, dtype=float) for value in values]


def _bg(params: dict[str, float]) -> tuple[float, float, float, float]:
    return float(params["r"]), float(params["alpha"]), float(params["a"]), float(params["b"])


# --- BG/NBD -----------------------------------------------------------------------------------------------------------


def bg_nbd_log_likelihood_per_customer(params: dict[str, float], x, t_x, T) -> np.ndarray:
    """log L(r, alpha, a, b | x, t_x, T), FHL 2005 eq. (6):

    L = B(a, b+x)/B(a, b) * G(r+x) alpha^r / (G(r) (alpha+T)^(r+x))
        + [x > 0] B(a+1, b+x-1)/B(a, b) * G(r+x) alpha^r / (G(r) (alpha+t_x)^(r+x))

    evaluated in logs (betaln/gammaln, the two terms added with logaddexp) so a large x does not overflow.
    """
    r, alpha, a, b = _bg(params)
    x, t_x, T = _arrays(x, t_x, T)
    common = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    still_alive = special.betaln(a, b + x) - special.betaln(a, b) - (r + x) * np.log(alpha + T)
    repeat = x > 0
    # For x = 0 the second term is absent; b + x - 1 would be b - 1 (possibly <= 0), so evaluate it on x >= 1 only.
    x_safe = np.where(repeat, x, 1.0)
    t_x_safe = np.where(repeat, t_x, 0.0)
    dropped = special.betaln(a + 1.0, b + x_safe - 1.0) - special.betaln(a, b) - (r + x_safe) * np.log(alpha + t_x_safe)
    combined = np.where(repeat, np.logaddexp(still_alive, dropped), still_alive)
    return common + combined


def bg_nbd_log_likelihood(params: dict[str, float], x, t_x, T, weights=None) -> float:
    """The summed (weighted) log-likelihood."""
    per_customer = bg_nbd_log_likelihood_per_customer(params, x, t_x, T)
    if weights is None:
        return float(np.sum(per_customer))
    return float(np.sum(np.asarray(weights, dtype=float) * per_customer))


def probability_alive(params: dict[str, float], x, t_x, T) -> np.ndarray:
    """P(alive | x, t_x, T), FHL 2005 eq. (11): 1 / (1 + [x > 0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x))."""
    r, alpha, a, b = _bg(params)
    x, t_x, T = _arrays(x, t_x, T)
    repeat = x > 0
    x_safe = np.where(repeat, x, 1.0)
    odds_dead = a / (b + x_safe - 1.0) * ((alpha + T) / (alpha + t_x)) ** (r + x_safe)
    return 1.0 / (1.0 + np.where(repeat, odds_dead, 0.0))


def expected_repeat_purchases(params: dict[str, float], x, t_x, T, t) -> np.ndarray:
    """E[Y(t) | x, t_x, T], FHL 2005 eq. (10), in the direct form with scipy's hyp2f1:

    (a+b+x-1)/(a-1) * [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; t/(alpha+T+t))]
    / (1 + [x > 0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x))
    """
    r, alpha, a, b = _bg(params)
    x, t_x, T, t = _arrays(x, t_x, T, t)
    z = t / (alpha + T + t)
    hyper = ((alpha + T) / (alpha + T + t)) ** (r + x) * special.hyp2f1(r + x, b + x, a + b + x - 1.0, z)
    numerator = (a + b + x - 1.0) / (a - 1.0) * (1.0 - hyper)
    return numerator * probability_alive(params, x, t_x, T)


def hypergeometric_term(params: dict[str, float], x, T, t) -> np.ndarray:
    """((alpha+T)/(alpha+T+t))^(r+x) * 2F1(r+x, b+x; a+b+x-1; t/(alpha+T+t)), the term clv_fit computes per triple."""
    r, alpha, a, b = _bg(params)
    x, T, t = _arrays(x, T, t)
    return ((alpha + T) / (alpha + T + t)) ** (r + x) * special.hyp2f1(r + x, b + x, a + b + x - 1.0, t / (alpha + T + t))


def hypergeometric_term_by_series(params: dict[str, float], x: float, T: float, t: float, terms: int = 200_000) -> float:
    """The same term summed as its power series in logs, (1-z)^(r+x) sum_k (r+x)_k (b+x)_k / ((a+b+x-1)_k k!) z^k,
    z = t/(alpha+T+t): slow, but finite where scipy's 2F1 of the direct form overflows (large x, small T)."""
    r, alpha, a, b = _bg(params)
    z = t / (alpha + T + t)
    k = np.arange(terms, dtype=float)
    log_terms = (special.gammaln(r + x + k) - special.gammaln(r + x) + special.gammaln(b + x + k) - special.gammaln(b + x)
                 - special.gammaln(a + b + x - 1.0 + k) + special.gammaln(a + b + x - 1.0) - special.gammaln(k + 1.0)
                 + k * np.log(z))  # fmt: skip
    assert log_terms[-1] < log_terms.max() - 60.0, "series not converged: raise terms"
    return float(np.exp((r + x) * np.log1p(-z) + special.logsumexp(log_terms)))


def probability_no_purchase(params: dict[str, float], x, t_x, T, t) -> np.ndarray:
    """P(no purchase in (T, T+t] | x, t_x, T) = (1 - P(alive)) + P(alive) ((alpha+T)/(alpha+T+t))^(r+x).

    A customer alive at T stays alive until the next purchase, so no purchase in the window means no Poisson event,
    and the posterior of lambda given the history is Gamma(r+x, alpha+T).
    """
    r, alpha, a, b = _bg(params)
    x, t_x, T, t = _arrays(x, t_x, T, t)
    alive = probability_alive(params, x, t_x, T)
    return (1.0 - alive) + alive * ((alpha + T) / (alpha + T + t)) ** (r + x)


def probability_purchase(params: dict[str, float], x, t_x, T, t) -> np.ndarray:
    """P(at least one purchase in the next t) = 1 - P(no purchase) = P(alive) (1 - ((alpha+T)/(alpha+T+t))^(r+x)).

    Written out rather than as 1 - probability_no_purchase(): for a customer almost surely gone (P(alive) ~ 1e-14)
    that difference of two numbers near 1 keeps only a few digits."""
    r, alpha, a, b = _bg(params)
    x, t_x, T, t = _arrays(x, t_x, T, t)
    return probability_alive(params, x, t_x, T) * -np.expm1((r + x) * np.log((alpha + T) / (alpha + T + t)))


# --- Gamma-Gamma --------------------------------------------------------------------------------------------------------


def gamma_gamma_log_likelihood_per_customer(params: dict[str, float], x, m) -> np.ndarray:
    """log f(m | p, q, v, x) of the mean m of x spends (Fader & Hardie 2013, eq. 3):

    f = G(px+q) / (G(px) G(q)) * v^q m^(px-1) x^(px) / (v + m x)^(px+q)

    (the mean of x Gamma(p, nu) spends is Gamma(px, x nu); integrate nu ~ Gamma(q, v) out).
    """
    p, q, v = float(params["p"]), float(params["q"]), float(params["v"])
    x, m = _arrays(x, m)
    return (
        special.gammaln(p * x + q)
        - special.gammaln(p * x)
        - special.gammaln(q)
        + q * np.log(v)
        + (p * x - 1.0) * np.log(m)
        + p * x * np.log(x)
        - (p * x + q) * np.log(v + m * x)
    )


def gamma_gamma_log_likelihood(params: dict[str, float], x, m, weights=None) -> float:
    per_customer = gamma_gamma_log_likelihood_per_customer(params, x, m)
    if weights is None:
        return float(np.sum(per_customer))
    return float(np.sum(np.asarray(weights, dtype=float) * per_customer))


def gamma_gamma_conditional_mean(params: dict[str, float], x, m) -> np.ndarray:
    """E[Z | x, m] = p (v + x m) / (p x + q - 1); for x = 0 this is the population mean p v / (q - 1)."""
    p, q, v = float(params["p"]), float(params["q"]), float(params["v"])
    x, m = _arrays(x, m)
    return p * (v + x * m) / (p * x + q - 1.0)


def gamma_gamma_population_mean(params: dict[str, float]) -> float:
    return float(params["p"]) * float(params["v"]) / (float(params["q"]) - 1.0)


# --- fitting (reference optimum) ----------------------------------------------------------------------------------------


def _fit(negative_ll, names: tuple[str, ...], starts: list[np.ndarray]) -> tuple[dict[str, float], float]:
    """Minimise on the log scale from a few starts (Nelder-Mead to get close, then L-BFGS-B with a tight tolerance)."""
    best = None
    for start in starts:
        first = optimize.minimize(negative_ll, start, method="Nelder-Mead",
                                  options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 40_000, "maxfev": 40_000})
        second = optimize.minimize(negative_ll, first.x, method="L-BFGS-B",
                                   options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 10_000})
        candidate = second if second.fun <= first.fun else first
        if best is None or candidate.fun < best.fun:
            best = candidate
    params = dict(zip(names, np.exp(best.x).tolist()))
    return params, -float(best.fun)


def fit_bg_nbd(x, t_x, T, weights=None) -> tuple[dict[str, float], float]:
    """Reference BG/NBD maximum-likelihood fit: (parameters, log-likelihood at the optimum)."""
    x, t_x, T = _arrays(x, t_x, T)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    scale = float(np.sum(w))

    def negative_ll(log_params: np.ndarray) -> float:
        params = dict(zip(BG_NBD_NAMES, np.exp(log_params)))
        value = -bg_nbd_log_likelihood(params, x, t_x, T, w) / scale
        return value if np.isfinite(value) else 1e300

    mean_T = float(np.average(T, weights=w))
    starts = [np.log([1.0, mean_T / 10.0, 1.0, 1.0]), np.log([0.3, mean_T / 4.0, 0.8, 2.5])]
    params, ll_scaled = _fit(negative_ll, BG_NBD_NAMES, starts)
    return params, ll_scaled * scale


def fit_gamma_gamma(x, m, weights=None) -> tuple[dict[str, float], float]:
    """Reference Gamma-Gamma maximum-likelihood fit on customers with x >= 1."""
    x, m = _arrays(x, m)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    scale = float(np.sum(w))

    def negative_ll(log_params: np.ndarray) -> float:
        params = dict(zip(GAMMA_GAMMA_NAMES, np.exp(log_params)))
        value = -gamma_gamma_log_likelihood(params, x, m, w) / scale
        return value if np.isfinite(value) else 1e300

    mean_m = float(np.average(m, weights=w))
    starts = [np.log([1.0, 2.0, mean_m]), np.log([5.0, 4.0, mean_m / 2.0])]
    params, ll_scaled = _fit(negative_ll, GAMMA_GAMMA_NAMES, starts)
    return params, ll_scaled * scale


def log_parameter_covariance(log_likelihood, params: dict[str, float], names: tuple[str, ...],
                             step: float = 1e-4) -> np.ndarray:
    """Inverse observed information in log-parameters: the inverse of minus the central-difference Hessian of
    log_likelihood(params dict) with respect to log(theta), at params (which should be the maximum)."""
    theta = np.log(np.array([params[name] for name in names], dtype=float))
    k = theta.size

    def ll(values: np.ndarray) -> float:
        return log_likelihood(dict(zip(names, np.exp(values))))

    hessian = np.empty((k, k))
    for i in range(k):
        for j in range(i, k):
            e_i = np.zeros(k)
            e_j = np.zeros(k)
            e_i[i] = step
            e_j[j] = step
            value = (ll(theta + e_i + e_j) - ll(theta + e_i - e_j) - ll(theta - e_i + e_j) + ll(theta - e_i - e_j)) / (
                4.0 * step * step
            )
            hessian[i, j] = hessian[j, i] = value
    return np.linalg.inv(-hessian)


def standard_errors(log_likelihood, params: dict[str, float], names: tuple[str, ...], step: float = 1e-4) -> dict[str, float]:
    """Asymptotic standard errors: SE(log theta) from the inverse observed information, then
    SE(theta) = theta * SE(log theta) (delta method)."""
    se_log = np.sqrt(np.diag(log_parameter_covariance(log_likelihood, params, names, step)))
    return {name: float(params[name] * se_log[i]) for i, name in enumerate(names)}


def log_likelihood_gradient(log_likelihood, params: dict[str, float], names: tuple[str, ...], step: float = 1e-6) -> np.ndarray:
    """Central-difference gradient of log_likelihood with respect to log(theta)."""
    theta = np.log(np.array([params[name] for name in names], dtype=float))
    gradient = np.empty(theta.size)
    for i in range(theta.size):
        e_i = np.zeros(theta.size)
        e_i[i] = step
        up = log_likelihood(dict(zip(names, np.exp(theta + e_i))))
        down = log_likelihood(dict(zip(names, np.exp(theta - e_i))))
        gradient[i] = (up - down) / (2.0 * step)
    return gradient


# --- simulators ---------------------------------------------------------------------------------------------------------


def simulate_bg_nbd(n: int, r: float, alpha: float, a: float, b: float, T_max: float, rng: np.random.Generator,
                    T_min: float | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(frequency, recency, T) of n customers drawn from the BG/NBD generative process.

    Each customer: lambda ~ Gamma(shape r, rate alpha), p ~ Beta(a, b), an observation window T ~ Uniform(T_min, T_max)
    (T_min defaults to T_max / 4). While alive, purchases arrive as a Poisson process with rate lambda; right after each
    purchase the customer drops out with probability p. The first purchase is at time 0 and is not counted.

    Simulated event by event (exponential inter-purchase times, a coin flip after each purchase), so it shares nothing
    with the closed forms it is used to test.
    """
    frequency, recency, T, _ = simulate_bg_nbd_holdout(n, r, alpha, a, b, T_max, 0.0, rng, T_min)
    return frequency, recency, T


def simulate_bg_nbd_holdout(n: int, r: float, alpha: float, a: float, b: float, T_max: float, holdout: float,
                            rng: np.random.Generator, T_min: float | None = None
                            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """As simulate_bg_nbd, and the same customers' purchases in the holdout (T, T + holdout] (4th array)."""
    lam = np.maximum(rng.gamma(shape=r, scale=1.0 / alpha, size=n), 1e-300)
    p = rng.beta(a, b, size=n)
    T = rng.uniform(T_max / 4.0 if T_min is None else T_min, T_max, size=n)
    end = T + holdout
    frequency = np.zeros(n, dtype=np.int64)
    recency = np.zeros(n)
    future = np.zeros(n, dtype=np.int64)
    clock = np.zeros(n)
    active = np.ones(n, dtype=bool)  # alive and still inside the window
    while active.any():
        index = np.flatnonzero(active)
        clock[index] += rng.exponential(1.0 / lam[index])
        inside = clock[index] <= end[index]
        buyers = index[inside]
        calibration = clock[buyers] <= T[buyers]
        frequency[buyers[calibration]] += 1
        recency[buyers[calibration]] = clock[buyers[calibration]]
        future[buyers[~calibration]] += 1
        active[index[~inside]] = False
        dies = rng.random(buyers.size) < p[buyers]
        active[buyers[dies]] = False
    return frequency.astype(float), recency, T, future.astype(float)


def simulate_gamma_gamma(frequency, p: float, q: float, v: float, rng: np.random.Generator) -> np.ndarray:
    """Mean spend of each customer's x repeat purchases: nu ~ Gamma(q, rate v), each spend ~ Gamma(p, rate nu).

    Draws every single spend and averages them (customers with x = 0 get 0).
    """
    x = np.asarray(frequency, dtype=np.int64)
    nu = rng.gamma(shape=q, scale=1.0 / v, size=x.size)
    owner = np.repeat(np.arange(x.size), x)
    spends = rng.gamma(shape=p, scale=1.0 / nu[owner])
    totals = np.bincount(owner, weights=spends, minlength=x.size)
    return np.where(x > 0, totals / np.maximum(x, 1), 0.0)
