"""Seeded random instances with a prescribed spectrum.

Every matrix is built as ``A diag(s) B^T`` from chosen singular values and
Haar-random orthogonal factors, so its conditioning is controlled by
construction rather than left to chance.
"""

from __future__ import annotations

import numpy as np

from numerics.validation import as_vector, check_positive_int

__all__ = ["haar_orthogonal", "with_singular_values", "geometric_spectrum",
           "conditioned_matrix", "random_factors"]


def haar_orthogonal(n: int, rng: np.random.Generator, k: int | None = None) -> np.ndarray:
    """An n x k matrix with orthonormal columns, Haar distributed (k defaults to n)."""
    n = check_positive_int(n, "n")
    k = n if k is None else check_positive_int(k, "k")
    if k > n:
        raise ValueError(f"k: expected at most n = {n} orthonormal columns, got {k}")
    q, r = np.linalg.qr(rng.standard_normal((n, k)))
    return q * np.sign(np.diag(r))  # sign fix makes the distribution Haar


def with_singular_values(m: int, n: int, singular_values: object,
                         rng: np.random.Generator) -> np.ndarray:
    """An m x n matrix whose nonzero singular values are exactly ``singular_values``."""
    s = as_vector("singular_values", singular_values)
    if np.any(s < 0):
        raise ValueError("singular_values: expected non-negative values")
    if s.size > min(m, n):
        raise ValueError(
            f"singular_values: expected at most min(m, n) = {min(m, n)} values, got {s.size}"
        )
    a = haar_orthogonal(m, rng, s.size)
    b = haar_orthogonal(n, rng, s.size)
    return (a * s) @ b.T


def geometric_spectrum(k: int, condition: float = 10.0, top: float = 1.0) -> np.ndarray:
    """k decreasing values from ``top`` to ``top / condition``, evenly spaced in log scale."""
    k = check_positive_int(k, "k")
    if not condition >= 1.0:
        raise ValueError(f"condition: expected a number >= 1, got {condition!r}")
    if k == 1:
        return np.array([float(top)])
    return top * condition ** (-np.arange(k) / (k - 1))


def conditioned_matrix(m: int, n: int, rng: np.random.Generator, condition: float = 10.0,
                       rank: int | None = None, top: float = 1.0) -> np.ndarray:
    """An m x n matrix of the given rank (default full) and condition number."""
    rank = min(m, n) if rank is None else rank
    return with_singular_values(m, n, geometric_spectrum(rank, condition, top), rng)


def random_factors(m: int, n: int, d: int, rng: np.random.Generator,
                   condition: float = 10.0) -> tuple[np.ndarray, np.ndarray]:
    """A pair U (m x d), V (n x d) of conditioned random factors."""
    u = conditioned_matrix(m, d, rng, condition)
    v = conditioned_matrix(n, d, rng, condition)
    return u, v
