"""Seeded, well-conditioned instances for the factorization checks."""

from __future__ import annotations

from typing import Any

import numpy as np

from numerics.factorization.variational import balanced_factors
from numerics.instances import geometric_spectrum, haar_orthogonal
from numerics.validation import as_matrix, check_positive_int

__all__ = ["squared_instance", "random_factorizations"]


def squared_instance(rng: np.random.Generator, max_side: int = 8,
                     min_rank: int = 1) -> dict[str, Any]:
    """A seeded instance of min (1/2)||Y - M||^2 + lam ||M||_* with a clear rank.

    The top ``rank`` singular values of Y lie in [2.2 lam, 5 lam], the others in
    [0.2 lam, 0.6 lam], so the soft-thresholded optimum has exactly that rank
    and every stalled width is far from optimal.  The rank is at least
    ``min_rank`` and below min(m, n) when possible.  Y = A diag(sigma) B^T with
    the orthonormal A and B returned too.

    Returns
    -------
    dict with keys ``Y``, ``lam``, ``rank``, ``sigma``, ``A``, ``B``

    >>> inst = squared_instance(np.random.default_rng(0), max_side=5, min_rank=2)
    >>> s, lam, rank = inst["sigma"], inst["lam"], inst["rank"]
    >>> bool(np.all(s[:rank] >= 2.2 * lam * (1 - 1e-12)) and np.all(s[rank:] <= 0.6 * lam))
    True
    """
    max_side = check_positive_int(max_side, "max_side")
    min_rank = check_positive_int(min_rank, "min_rank")
    if max_side < max(2, min_rank):
        raise ValueError(f"max_side: expected at least max(2, min_rank) = {max(2, min_rank)}, "
                         f"got {max_side}")
    mm, nn = (int(v) for v in rng.integers(max(2, min_rank), max_side + 1, size=2))
    k = min(mm, nn)
    rank = int(rng.integers(min_rank, k)) if k > min_rank else min_rank
    lam = float(rng.uniform(0.5, 2.0))
    top = geometric_spectrum(rank, 5.0 / 2.2, 5.0 * lam)
    tail = geometric_spectrum(k - rank, 3.0, 0.6 * lam) if k > rank else np.zeros(0)
    s = np.concatenate([top, tail])
    A, B = haar_orthogonal(mm, rng, k), haar_orthogonal(nn, rng, k)
    return {"Y": (A * s) @ B.T, "lam": lam, "rank": rank, "sigma": s, "A": A, "B": B}


def random_factorizations(M: object, rng: np.random.Generator
                          ) -> list[tuple[str, tuple[np.ndarray, np.ndarray]]]:
    """Factorizations U V^T = M of several widths and kinds (all exact up to round-off).

    The balanced factors, a change of basis U C, V C^-T (C of condition 5), a
    rotation into a wider width, and extra columns with zero partners.

    >>> out = random_factorizations(np.diag([2.0, 1.0]), np.random.default_rng(0))
    >>> [kind for kind, _ in out][:2]
    ['balanced', 'U C, V C^-T']
    >>> all(np.allclose(U @ V.T, np.diag([2.0, 1.0])) for _, (U, V) in out)
    True
    """
    M = as_matrix("M", M)
    U0, V0 = balanced_factors(M)
    k = U0.shape[1]
    out = [("balanced", (U0, V0))]
    C = haar_orthogonal(k, rng) * geometric_spectrum(k, 5.0)  # invertible, condition 5
    out.append(("U C, V C^-T", (U0 @ C, V0 @ np.linalg.inv(C).T)))
    w = k + int(rng.integers(1, 4))
    R = haar_orthogonal(w, rng, k).T  # k x w with orthonormal rows: R R^T = I
    out.append(("rotated into a wider width", (U0 @ R, V0 @ R)))
    W = rng.standard_normal((M.shape[0], 2))
    out.append(("extra columns with zero partners",
                (np.hstack([U0, W]), np.hstack([V0, np.zeros((M.shape[1], 2))]))))
    return out
