"""The spectral norm with certified bounds, computing only the top singular value.

A certificate ``||G||_2 <= lam`` must not rest on an estimate: the upper bound
is certified by a Cholesky factorization of t^2 I - G^T G (which exists only if
||G||_2 <= t), with a margin for the round-off of forming G^T G and of the
factorization (Higham, Accuracy and Stability of Numerical Algorithms, Thm 10.3).
"""

from __future__ import annotations

import numpy as np
import scipy.linalg
from scipy.sparse.linalg import ArpackNoConvergence, eigsh

from numerics.validation import as_matrix

__all__ = ["DENSE_LIMIT", "spectral_norm_bounds"]

_EPS = np.finfo(np.float64).eps
DENSE_LIMIT = 64  # up to this smaller side a dense LAPACK eigensolver beats ARPACK


def _gram(G: np.ndarray) -> np.ndarray:
    return G.T @ G if G.shape[1] <= G.shape[0] else G @ G.T


def _psd_margin(G: np.ndarray, t2: float) -> float:
    """A bound on the float64 error of deciding t^2 I - G^T G >= 0 by Cholesky.

    Forming the Gram matrix costs ||dB|| <= gamma_m ||G||_F^2; Cholesky's backward
    error is ||E|| <= gamma_(k+1) tr(L L^T) <= gamma_(k+1) k t^2 (Higham, Thm 10.3).
    Doubled for safety.
    """
    m, k = max(G.shape), min(G.shape)
    fro2 = float(np.sum(G * G))
    return 2.0 * ((m + 1) * _EPS * fro2 + (k + 2) * _EPS * k * t2)


def _top_vector(B: np.ndarray) -> np.ndarray:
    """An approximate top eigenvector of the symmetric PSD matrix B."""
    k = B.shape[0]
    if k > DENSE_LIMIT:
        # Lanczos (ARPACK) from a fixed start: deterministic, O(k^2) per step
        v0 = np.random.default_rng(0).standard_normal(k)
        try:
            return eigsh(B, k=1, which="LA", v0=v0, tol=0)[1][:, 0]
        except ArpackNoConvergence:
            pass  # clustered top eigenvalues can stall ARPACK: LAPACK below is exact
    # the full divide-and-conquer driver: LAPACK's index-subset drivers (evx, evr) were
    # seen to return no eigenpair at all when the top eigenvalue is repeated
    return scipy.linalg.eigh(B, driver="evd")[1][:, -1]


def spectral_norm_bounds(G: object) -> tuple[float, float]:
    """Certified bounds lower <= ||G||_2 <= upper, computing only the top singular value.

    With B the smaller Gram matrix (G^T G or G G^T), an approximate top
    eigenvector v of B comes from Lanczos (ARPACK ``eigsh``; a dense LAPACK
    eigensolver when the smaller side is at most 64 or when ARPACK stalls).
    Any vector gives the lower bound ||G v|| / ||v|| (or with G^T).
    The upper bound t is certified by a Cholesky factorization of t^2 I - B,
    which exists only if ||G||_2 <= t, with t slightly above the lower bound
    and a margin for the round-off of forming B and of the factorization.  If
    the estimate missed the top (Cholesky fails), t grows until it succeeds,
    restarting from LAPACK's top eigenvalue of B.

    Returns
    -------
    lower, upper : float

    >>> lo, hi = spectral_norm_bounds(np.diag([3.0, 1.0]))
    >>> bool(lo <= 3.0 <= hi), bool(hi - lo < 1e-8)
    (True, True)
    """
    G = as_matrix("G", G)
    if not np.any(G):
        return 0.0, 0.0
    B = _gram(G)
    k = B.shape[0]
    v = _top_vector(B)
    image = G @ v if G.shape[1] <= G.shape[0] else G.T @ v
    rq = float(np.linalg.norm(image) / np.linalg.norm(v))
    lower = float(rq * (1.0 - 4 * max(G.shape) * _EPS))  # round-off of the quotient
    identity = np.eye(k)
    first = max(1e-10, 8 * (max(G.shape) + k) * _EPS)
    base, rel = rq, first
    for attempt in range(12):
        if attempt == 6:  # the estimate missed the top: restart from LAPACK's eigenvalue
            top = scipy.linalg.eigvalsh(B, driver="evd")[-1]
            base, rel = float(np.sqrt(max(top, 0.0))), first
        t2 = (base * (1.0 + rel)) ** 2
        try:
            scipy.linalg.cholesky(t2 * identity - B, lower=True, check_finite=False)
        except np.linalg.LinAlgError:
            rel *= 100.0
            continue
        return lower, float(np.sqrt(t2 + _psd_margin(G, t2)))
    # not reached for finite G: the last attempts use t = 1e10 * ||G||_2
    raise RuntimeError("spectral_norm_bounds: no certified upper bound found")

