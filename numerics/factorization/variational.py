"""The variational form of the nuclear norm and its closed-form optimum (soft-thresholding).

||M||_* = min over U V^T = M of sum_i ||u_i|| ||v_i|| = min (1/2)(||U||_F^2 + ||V||_F^2),
attained by the balanced factors U = A S^(1/2), V = B S^(1/2) of the SVD M = A S B^T.
"""

from __future__ import annotations

import numpy as np

from numerics.factorization._validation import check_lam
from numerics.linalg import nuclear_norm
from numerics.validation import as_matrix, check_positive_int, check_same_rows

__all__ = [
    "nuclear_norm",
    "product_norm_sum",
    "frobenius_penalty",
    "balanced_factors",
    "soft_threshold",
    "soft_threshold_value",
]


def product_norm_sum(U: object, V: object) -> float:
    """sum_i ||u_i|| ||v_i||, the product-of-norms regularizer."""
    U = as_matrix("U", U)
    V = as_matrix("V", V)
    check_same_rows("U", U, "V", V, axis_a=1, axis_b=1)
    return float(np.sum(np.linalg.norm(U, axis=0) * np.linalg.norm(V, axis=0)))


def frobenius_penalty(U: object, V: object) -> float:
    """(1/2)(||U||_F^2 + ||V||_F^2), the smooth upper bound of :func:`product_norm_sum`."""
    U = as_matrix("U", U)
    V = as_matrix("V", V)
    check_same_rows("U", U, "V", V, axis_a=1, axis_b=1)
    return 0.5 * float(np.sum(U * U) + np.sum(V * V))


def balanced_factors(M: object, width: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """U = A S^(1/2), V = B S^(1/2) from the SVD M = A S B^T, padded with zero columns.

    This factorization attains ||M||_* in both variational forms.

    Parameters
    ----------
    M : array_like, shape (m, n)
    width : int, optional
        Number of columns (default min(m, n)); must be at least rank(M) to
        reproduce M, smaller widths keep the top singular values only.

    >>> U, V = balanced_factors(np.diag([4.0, 1.0]))
    >>> print(np.round(U @ V.T, 12), product_norm_sum(U, V))
    [[4. 0.]
     [0. 1.]] 5.0
    """
    M = as_matrix("M", M)
    k = min(M.shape)
    width = k if width is None else check_positive_int(width, "width")
    a, s, bt = np.linalg.svd(M, full_matrices=False)
    root = np.sqrt(s)
    U = np.zeros((M.shape[0], width))
    V = np.zeros((M.shape[1], width))
    keep = min(width, k)
    U[:, :keep] = a[:, :keep] * root[:keep]
    V[:, :keep] = bt[:keep].T * root[:keep]
    return U, V


def soft_threshold(Y: object, lam: float) -> np.ndarray:
    """Singular value soft-thresholding: sum_i (sigma_i - lam)_+ a_i b_i^T.

    The unique minimizer of (1/2)||Y - M||_F^2 + lam ||M||_*.
    """
    Y = as_matrix("Y", Y)
    lam = check_lam(lam)
    a, s, bt = np.linalg.svd(Y, full_matrices=False)
    return (a * np.maximum(s - lam, 0.0)) @ bt


def soft_threshold_value(Y: object, lam: float) -> float:
    """min_M (1/2)||Y - M||_F^2 + lam ||M||_*, in closed form.

    Per singular value: lam sigma - lam^2/2 when sigma > lam, sigma^2/2 otherwise.

    >>> soft_threshold_value(np.diag([3.0, 0.5]), 1.0)   # (3 - 1/2) + 1/8
    2.625
    """
    Y = as_matrix("Y", Y)
    lam = check_lam(lam)
    s = np.linalg.svd(Y, compute_uv=False)
    return float(np.sum(np.where(s > lam, lam * s - 0.5 * lam * lam, 0.5 * s * s)))
