"""A margin bound on a synthetic distribution with known risk (MATH 10.4).

x ~ N(0, I_n); y = sign(w* . x), flipped with probability eta.  For a linear classifier
sign(w . x) the risk is known exactly: eta + (1 - 2 eta) theta/pi, theta the angle
between w and w* (the disagreement region of two half-spaces through 0 has Gaussian
mass theta/pi).  The bound (Mohri, Rostamizadeh, Talwalkar, Theorem 5.8, recalled):
with probability >= 1 - delta over S, for every w with ||w||_2 <= B,

    risk(w) <= (1/m) sum_i Phi_rho(y_i w.x_i) + (2/rho) R_S + 3 sqrt(log(2/delta)/(2m)),

Phi_rho the ramp loss; R_S is replaced by its exact upper bound (B/m) sqrt(sum ||x_i||^2)
(MATH 10.1), which only makes the bound larger.
"""

from __future__ import annotations

import math

import numpy as np

from numerics.validation import as_vector, check_positive_int

__all__ = ["angle_risk", "gaussian_sample", "margin_bound", "bound_coverage"]


def angle_risk(w: object, w_star: object, eta: float) -> float:
    """The exact risk eta + (1 - 2 eta) theta/pi of sign(w.x) under the noisy half-space model.

    >>> angle_risk([1.0, 0.0], [0.0, 1.0], 0.0)
    0.5
    """
    w, w_star = as_vector("w", w), as_vector("w_star", w_star)
    if not 0 <= eta < 0.5:
        raise ValueError(f"eta: expected a flip probability in [0, 1/2), got {eta!r}")
    cos = float(w @ w_star / (np.linalg.norm(w) * np.linalg.norm(w_star)))
    return eta + (1 - 2 * eta) * math.acos(max(-1.0, min(1.0, cos))) / math.pi


def gaussian_sample(trials: int, m: int, w_star: np.ndarray, eta: float,
                    rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``trials`` samples of size m: X (trials, m, n) Gaussian, labels y (trials, m)."""
    trials, m = check_positive_int(trials, "trials"), check_positive_int(m, "m")
    w_star = as_vector("w_star", w_star)
    X = rng.standard_normal((trials, m, w_star.size))
    y = np.sign(X @ w_star)
    y[y == 0] = 1.0
    flips = rng.random((trials, m)) < eta
    return X, np.where(flips, -y, y)


def margin_bound(X: np.ndarray, y: np.ndarray, w: np.ndarray, rho: float, delta: float,
                 complexity: float = 2.0, confidence: float = 3.0,
                 B: float = 1.0) -> np.ndarray:
    """The bound for each sample of a batch (X: trials x m x n, y: trials x m, w: trials x n).

    ``rho = 0`` uses the empirical 0-1 risk in place of the ramp loss (and no
    complexity term, which would divide by rho).
    """
    if not 0 < delta < 1:
        raise ValueError(f"delta: expected a probability in (0, 1), got {delta!r}")
    m = X.shape[1]
    margins = y * np.einsum("tmn,tn->tm", X, w)
    if rho > 0:
        empirical = np.mean(np.clip(1 - margins / rho, 0.0, 1.0), axis=1)
        rademacher = B * np.sqrt(np.sum(X * X, axis=(1, 2))) / m
        empirical = empirical + complexity * rademacher / rho
    else:
        empirical = np.mean(margins <= 0, axis=1)
    return empirical + confidence * math.sqrt(math.log(2 / delta) / (2 * m))


def bound_coverage(trials: int, m: int, n: int, eta: float, rho: float, delta: float,
                   rng: np.random.Generator, **claim: float) -> tuple[np.ndarray, np.ndarray]:
    """Risks and bounds of the learned w (normalized sum_i y_i x_i, ||w|| = 1) over draws.

    Returns
    -------
    risks, bounds : arrays (trials,)
        The exact risk of each draw's classifier and the bound computed from its sample.
    """
    n = check_positive_int(n, "n")
    w_star = np.zeros(n)
    w_star[0] = 1.0
    X, y = gaussian_sample(trials, m, w_star, eta, rng)
    w = np.einsum("tm,tmn->tn", y, X)
    w /= np.linalg.norm(w, axis=1, keepdims=True)
    cos = np.clip(w @ w_star, -1.0, 1.0)
    risks = eta + (1 - 2 * eta) * np.arccos(cos) / np.pi
    return risks, margin_bound(X, y, w, rho, delta, **claim)
