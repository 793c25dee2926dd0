"""Shared linear algebra: the one SVD with a round-off rank cut, and the matrix norms.

Every module of ``numerics`` (and every check of ``theorems``) that needs a
numerical rank, a thin SVD with round-off singular values zeroed, or the nuclear
or spectral norm calls these, so the round-off rule is stated once.
"""

from __future__ import annotations

import numpy as np

from numerics.validation import as_matrix

__all__ = ["RANK_RTOL", "rank_cut_svd", "numerical_rank", "nuclear_norm", "spectral_norm"]

# Singular values below RANK_RTOL * max(m, n) * sigma_1 are round-off zeros (NumPy's
# matrix_rank rule).
RANK_RTOL = float(np.finfo(np.float64).eps)


def rank_cut_svd(M: object) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Thin SVD ``M = A diag(s) B^T`` with round-off singular values set to exactly 0.

    Returns
    -------
    A : ndarray (m, k), s : ndarray (k,), B : ndarray (n, k), rank : int
        ``k = min(m, n)``; ``rank`` counts the singular values above
        ``RANK_RTOL * max(m, n) * sigma_1``.

    >>> A, s, B, rank = rank_cut_svd(np.outer([1.0, 2.0], [3.0, 4.0]))
    >>> rank, round(float(s[0]), 12), float(s[1])
    (1, 11.180339887499, 0.0)
    """
    M = as_matrix("M", M)
    A, s, Bt = np.linalg.svd(M, full_matrices=False)
    cutoff = RANK_RTOL * max(M.shape) * (s[0] if s.size else 0.0)
    s = np.where(s > cutoff, s, 0.0)
    return A, s, Bt.T, int(np.count_nonzero(s))


def numerical_rank(M: object) -> int:
    """rank(M) with NumPy's round-off cutoff (max(m, n) * eps * sigma_1)."""
    return rank_cut_svd(M)[3]


def nuclear_norm(M: object) -> float:
    """||M||_*, the sum of the singular values (of each matrix of a stack, too).

    >>> nuclear_norm(np.diag([3.0, -4.0]))
    7.0
    >>> nuclear_norm(np.stack([np.eye(2), 2 * np.eye(2)])).tolist()
    [2.0, 4.0]
    """
    arr = np.asarray(M, dtype=float)
    if arr.ndim == 3:
        return np.linalg.svd(arr, compute_uv=False).sum(axis=-1)
    return float(np.linalg.svd(as_matrix("M", M), compute_uv=False).sum())


def spectral_norm(M: object) -> float:
    """||M||_2, the largest singular value (of each matrix of a stack, too).

    >>> spectral_norm(np.diag([3.0, -4.0]))
    4.0
    """
    arr = np.asarray(M, dtype=float)
    if arr.ndim == 3:
        return np.linalg.svd(arr, compute_uv=False)[..., 0]
    s = np.linalg.svd(as_matrix("M", M), compute_uv=False)
    return float(s[0]) if s.size else 0.0
