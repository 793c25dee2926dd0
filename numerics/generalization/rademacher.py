"""Exact empirical Rademacher complexity of l2- and l1-ball linear classes (MATH 10.1).

The supremum over the ball is a sufficient statistic of ``v = sum_i s_i x_i``
(``B ||v||_2`` for the l2 ball, ``B ||v||_inf`` for the l1 ball, by Hoelder), so the
average over all 2^m sign vectors is one matrix product per chunk of sign vectors;
``s`` and ``-s`` give the same value, so only the 2^(m-1) vectors with ``s_1 = +1``
are enumerated.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from numerics.validation import as_matrix, check_positive_int

__all__ = ["MAX_SAMPLES", "sup_over_ball", "rademacher_linear", "rademacher_linear_loop",
           "rademacher_monte_carlo", "frobenius_term", "massart_bound", "orthogonal_rows",
           "equal_pair"]

MAX_SAMPLES = 24  # 2^23 sign vectors: a few seconds; beyond that enumeration is refused
_CHUNK = 1 << 16  # sign vectors per matrix product

def _check_norm(norm: object) -> int:
    if norm not in (1, 2) or isinstance(norm, bool):
        raise ValueError(f"norm: expected 1 (l1 ball) or 2 (l2 ball), got {norm!r}")
    return int(norm)


def _check_radius(B: object) -> float:
    if isinstance(B, bool) or not isinstance(B, int | float | np.floating) or not B > 0:
        raise ValueError(f"B: expected a positive radius, got {B!r}")
    return float(B)


def sup_over_ball(V: object, B: float = 1.0, norm: int = 2) -> np.ndarray:
    """sup of w.v over ||w||_norm <= B for each row v of V: B times the dual norm.

    >>> sup_over_ball([[3.0, -4.0]], norm=2).tolist(), sup_over_ball([[3.0, -4.0]], norm=1).tolist()
    ([5.0], [4.0])
    """
    V = as_matrix("V", V)
    B, norm = _check_radius(B), _check_norm(norm)
    if norm == 2:
        return B * np.linalg.norm(V, axis=1)
    return B * np.max(np.abs(V), axis=1)


def _data(X: object) -> np.ndarray:
    X = as_matrix("X", X)
    if X.shape[0] > MAX_SAMPLES:
        raise ValueError(f"X: exact enumeration supports at most {MAX_SAMPLES} samples "
                         f"(2^{MAX_SAMPLES - 1} sign vectors), got m = {X.shape[0]}")
    return X


def rademacher_linear(X: object, B: float = 1.0, norm: int = 2) -> float:
    """Exact empirical Rademacher complexity of {x -> w.x : ||w||_norm <= B} on the rows of X.

    R_S = (1/m) E_s sup_w sum_i s_i w.x_i = (B/m) E_s ||sum_i s_i x_i||_* over all 2^m
    sign vectors (the dual norm: l2 for the l2 ball, l_inf for the l1 ball).

    Parameters
    ----------
    X : array (m, n)
        The sample, one point per row; m <= MAX_SAMPLES.
    B : float
        Radius of the ball.
    norm : {1, 2}

    Returns
    -------
    float

    Examples
    --------
    >>> rademacher_linear([[1.0, 0.0], [1.0, 0.0]])  # m = 2, x_1 = x_2: (1/2)(2 + 0)/2
    0.5
    >>> rademacher_linear(np.eye(3))  # orthonormal rows: sqrt(3)/3
    0.5773502691896257
    """
    X = _data(X)
    B, norm = _check_radius(B), _check_norm(norm)
    m = X.shape[0]
    total, count = 0.0, 1 << (m - 1)
    powers = np.arange(m - 1)
    for start in range(0, count, _CHUNK):
        k = np.arange(start, min(start + _CHUNK, count), dtype=np.int64)
        signs = 1.0 - 2.0 * ((k[:, None] >> powers) & 1)  # s_2..s_m; s_1 = +1
        sums = signs @ X[1:] + X[0]
        total += float(np.sum(sup_over_ball(sums, 1.0, norm)))
    return B * total / count / m


def rademacher_linear_loop(X: object, B: float = 1.0, norm: int = 2) -> float:
    """The same average as :func:`rademacher_linear`, one sign vector at a time over all 2^m.

    An independent implementation (no symmetry, no chunks) for checks and timings.

    >>> rademacher_linear_loop([[1.0, 0.0], [1.0, 0.0]])
    0.5
    """
    X = _data(X)
    B, norm = _check_radius(B), _check_norm(norm)
    m = X.shape[0]
    total = 0.0
    for signs in itertools.product((-1.0, 1.0), repeat=m):
        v = np.asarray(signs) @ X
        total += float(np.linalg.norm(v, ord=2 if norm == 2 else np.inf))
    return B * total / 2**m / m


def rademacher_monte_carlo(X: object, samples: int, rng: np.random.Generator, B: float = 1.0,
                           norm: int = 2) -> tuple[float, float]:
    """Monte Carlo estimate of R_S and its standard error, from ``samples`` random signs."""
    X = as_matrix("X", X)
    samples = check_positive_int(samples, "samples")
    B, norm = _check_radius(B), _check_norm(norm)
    signs = rng.choice((-1.0, 1.0), size=(samples, X.shape[0]))
    values = sup_over_ball(signs @ X, B, norm) / X.shape[0]
    se = float(values.std(ddof=1) / math.sqrt(samples)) if samples > 1 else float("nan")
    return float(values.mean()), se


def frobenius_term(X: object, B: float = 1.0) -> float:
    """(B/m) sqrt(sum_i ||x_i||^2), the scale of the Khintchine bounds of MATH 10.1.

    >>> frobenius_term(np.eye(4))
    0.5
    """
    X = as_matrix("X", X)
    return _check_radius(B) * float(np.linalg.norm(X)) / X.shape[0]


def massart_bound(X: object, B: float = 1.0, constant: float = 2.0) -> float:
    """B max|x_ij| sqrt(constant log(2d) / m): Massart's bound for the l1 ball (constant 2).

    >>> round(massart_bound([[1.0]]), 6)  # m = d = 1: sqrt(2 log 2)
    1.17741
    """
    X = as_matrix("X", X)
    if not constant > 0:
        raise ValueError(f"constant: expected a positive number, got {constant!r}")
    m, d = X.shape
    return _check_radius(B) * float(np.max(np.abs(X))) * math.sqrt(constant * math.log(2 * d) / m)


def orthogonal_rows(m: int, n: int, rng: np.random.Generator) -> np.ndarray:
    """m mutually orthogonal rows in R^n (n >= m) with norms in [0.5, 2]: the upper bound's
    equality case (every ||sum_i s_i x_i||^2 equals sum_i ||x_i||^2)."""
    m, n = check_positive_int(m, "m"), check_positive_int(n, "n")
    if n < m:
        raise ValueError(f"n: orthogonal rows need n >= m = {m}, got {n}")
    q, r = np.linalg.qr(rng.standard_normal((n, m)))
    return (q * np.sign(np.diag(r))).T * rng.uniform(0.5, 2.0, size=(m, 1))


def equal_pair(n: int, rng: np.random.Generator) -> np.ndarray:
    """Two equal rows x_1 = x_2 (m = 2): the lower bound's equality case."""
    x = rng.standard_normal(check_positive_int(n, "n"))
    return np.stack([x, x])
