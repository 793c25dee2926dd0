"""Data of the linear-network theorems: second moments, the eigen-decomposition of Sigma,
seeded regression instances and reduced-rank regression (MATH.md 5).

Data hold one sample per column: ``X`` is d_x x N, ``Y`` is d_y x N, and
Sigma_XX = X X^T, Sigma_YX = Y X^T, Sigma_YY = Y Y^T (unnormalized).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from numerics.instances import geometric_spectrum, haar_orthogonal
from numerics.validation import as_matrix, check_positive_int

__all__ = ["SXX_CONDITION_LIMIT", "EIGENGAP_RTOL", "Covariances", "covariances",
           "principal_decomposition", "regression_instance", "reduced_rank_regression",
           "least_squares_map", "rank_p_minimizer", "class_separation", "singular_values"]

# Sigma_XX is "singular" above this condition number: beyond it, Sigma_XX^{-1} amplifies
# float64 round-off (1e-16) past 1e-4 and the critical points are no longer meaningful.
SXX_CONDITION_LIMIT = 1e12
# Eigenvalues of Sigma closer than this (relative to the largest) count as repeated:
# critical points are then not isolated GL(p) orbits but continua.
EIGENGAP_RTOL = 1e-8


# -- data and second moments -----------------------------------------------------------


@dataclass(frozen=True)
class Covariances:
    """Second moments of the data (unnormalized, one sample per column).

    Attributes
    ----------
    sxx : ndarray, shape (d_x, d_x)
        Sigma_XX = X X^T.
    syx : ndarray, shape (d_y, d_x)
        Sigma_YX = Y X^T.
    trace_yy : float
        tr Sigma_YY = ||Y||_F^2.
    """

    sxx: np.ndarray
    syx: np.ndarray
    trace_yy: float

    @property
    def dx(self) -> int:
        return self.sxx.shape[0]

    @property
    def dy(self) -> int:
        return self.syx.shape[0]


def _data(X: object, Y: object) -> tuple[np.ndarray, np.ndarray]:
    X = as_matrix("X", X)
    Y = as_matrix("Y", Y)
    if X.shape[1] != Y.shape[1]:
        raise ValueError(
            f"X and Y: mismatched shapes {X.shape} and {Y.shape} (one sample per column: "
            "X is d_x x N and Y is d_y x N with the same N)"
        )
    return X, Y


def covariances(X: object, Y: object, *, invertible: bool = True) -> Covariances:
    """Sigma_XX, Sigma_YX and tr Sigma_YY, with the hypothesis that Sigma_XX is invertible.

    Parameters
    ----------
    X : array_like, shape (d_x, N)
    Y : array_like, shape (d_y, N)
    invertible : bool
        When True (default), raise if Sigma_XX is singular.

    Raises
    ------
    ValueError
        Mismatched shapes, non-finite entries, or (with ``invertible``) a singular
        Sigma_XX, naming the hypothesis.
    """
    X, Y = _data(X, Y)
    sxx = X @ X.T
    if invertible:
        s = np.linalg.svd(X, compute_uv=False)
        cond = math.inf if X.shape[1] < X.shape[0] or s[-1] == 0 else (s[0] / s[-1]) ** 2
        if not cond <= SXX_CONDITION_LIMIT:
            raise ValueError(
                f"X: hypothesis 'Sigma_XX = X X^T invertible' fails (condition number "
                f"{cond:.3g} > {SXX_CONDITION_LIMIT:.0e}; X is {X.shape[0]} x {X.shape[1]} and "
                "needs full row rank, so N >= d_x)"
            )
    return Covariances(sxx, Y @ X.T, float(np.sum(Y * Y)))


def principal_decomposition(X: object, Y: object, *, distinct: bool = True
                            ) -> tuple[np.ndarray, np.ndarray, Covariances]:
    """Eigenvalues (decreasing) and eigenvectors of Sigma = Sigma_YX Sigma_XX^{-1} Sigma_XY.

    Parameters
    ----------
    X, Y : array_like
        Data, one sample per column.
    distinct : bool
        When True (default), require distinct positive eigenvalues (the hypothesis
        of Baldi and Hornik); repeated or zero eigenvalues raise ValueError.

    Returns
    -------
    lam : ndarray, shape (d_y,)
    U : ndarray, shape (d_y, d_y)
        Orthonormal eigenvectors, columns in the order of ``lam``.
    cov : Covariances
    """
    cov = covariances(X, Y)
    sigma = cov.syx @ np.linalg.solve(cov.sxx, cov.syx.T)
    sigma = (sigma + sigma.T) / 2  # symmetric up to round-off
    lam, U = np.linalg.eigh(sigma)
    lam, U = lam[::-1], U[:, ::-1]
    if distinct:
        scale = max(abs(lam[0]), np.finfo(float).tiny)
        if lam[-1] <= EIGENGAP_RTOL * scale:
            raise ValueError(
                "Y: hypothesis 'Sigma = Sigma_YX Sigma_XX^{-1} Sigma_XY has distinct positive "
                f"eigenvalues' fails: its smallest eigenvalue is {lam[-1]:.3g} (Sigma_YX must "
                "have full rank d_y, so d_y <= d_x)"
            )
        gaps = -np.diff(lam)
        if gaps.size and np.min(gaps) <= EIGENGAP_RTOL * scale:
            k = int(np.argmin(gaps))
            raise ValueError(
                "Y: hypothesis 'Sigma = Sigma_YX Sigma_XX^{-1} Sigma_XY has distinct "
                f"eigenvalues' fails: lambda_{k + 1} = {lam[k]:.6g} and lambda_{k + 2} = "
                f"{lam[k + 1]:.6g} are repeated (relative gap <= {EIGENGAP_RTOL:g})"
            )
    return lam, U, cov


def regression_instance(dx: int, dy: int, n_samples: int, rng: np.random.Generator,
                        eigenvalues: object | None = None, condition: float = 10.0,
                        x_condition: float = 4.0, noise: float = 0.5
                        ) -> tuple[np.ndarray, np.ndarray]:
    """Data (X, Y) whose Sigma has exactly the prescribed eigenvalues.

    X = U_x diag(s) V_x^T has condition number ``x_condition``; Y = T X + E with
    E X^T = 0, so Sigma_YX = T Sigma_XX and Sigma = T Sigma_XX T^T, and T is chosen
    to make Sigma = Q diag(eigenvalues) Q^T with Q Haar random.  The noise E (rows
    orthogonal to those of X, Frobenius norm ``noise`` times sqrt(sum eigenvalues))
    keeps the global loss away from zero, so relative comparisons are well posed.

    Parameters
    ----------
    dx, dy, n_samples : int
        Need dy <= dx < n_samples (Sigma_XX invertible, noise room).
    rng : numpy.random.Generator
    eigenvalues : array_like, optional
        dy positive values; default ``geometric_spectrum(dy, condition)`` (distinct).
    """
    dx, dy, n_samples = (check_positive_int(v, k) for v, k in
                         ((dx, "dx"), (dy, "dy"), (n_samples, "n_samples")))
    if dy > dx:
        raise ValueError(f"dy: expected dy <= dx = {dx} (Sigma of full rank), got {dy}")
    if n_samples <= dx:
        raise ValueError(f"n_samples: expected more than dx = {dx} samples, got {n_samples}")
    lam = geometric_spectrum(dy, condition) if eigenvalues is None else np.asarray(
        eigenvalues, dtype=float)
    if lam.shape != (dy,) or np.any(lam <= 0):
        raise ValueError(f"eigenvalues: expected {dy} positive values, got {lam!r}")
    ux = haar_orthogonal(dx, rng)
    vx = haar_orthogonal(n_samples, rng, dx)
    s = geometric_spectrum(dx, x_condition)
    X = (ux * s) @ vx.T
    Q = haar_orthogonal(dy, rng)
    R = haar_orthogonal(dx, rng, dy)
    T = (Q * np.sqrt(lam)) @ R.T @ np.diag(1 / s) @ ux.T
    E = rng.standard_normal((dy, n_samples))
    E -= (E @ vx) @ vx.T  # rows orthogonal to the row space of X
    E *= noise * math.sqrt(float(np.sum(lam))) / max(np.linalg.norm(E), 1e-300)
    return X, T @ X + E



def _check_p(p: object, dx: int, dy: int) -> int:
    p = check_positive_int(p, "p")
    if p > min(dx, dy):
        raise ValueError(
            f"p: hypothesis 'p <= min(d_x, d_y)' fails: p = {p} hidden units, but d_x = {dx} "
            f"and d_y = {dy}"
        )
    return p


def reduced_rank_regression(X: object, Y: object, p: int) -> tuple[np.ndarray, float]:
    """min over rank(W) <= p of ||Y - W X||_F^2, by truncating the least-squares fit.

    The fit Y_hat = Sigma_YX Sigma_XX^{-1} X is orthogonal to the residual, so the
    best rank-p W X is the truncated SVD of Y_hat (Eckart-Young); this route does
    not use the eigenvalues of Sigma, which makes it an independent check of
    tr Sigma_YY - sum_{i <= p} lambda_i.

    Returns
    -------
    W : ndarray, shape (d_y, d_x)
    value : float
    """
    X, Y = _data(X, Y)
    cov = covariances(X, Y)
    p = _check_p(p, cov.dx, cov.dy)
    Y_hat = np.linalg.solve(cov.sxx, cov.syx.T).T @ X
    u, s, _ = np.linalg.svd(Y_hat, full_matrices=False)
    proj = u[:, :p] @ u[:, :p].T
    W = proj @ np.linalg.solve(cov.sxx, cov.syx.T).T
    value = float(np.sum((Y - Y_hat) ** 2) + np.sum(s[p:] ** 2))
    return W, value


def least_squares_map(cov: Covariances) -> np.ndarray:
    """M = Sigma_YX Sigma_XX^{-1}, the least-squares fit of Y on X (d_y x d_x)."""
    return np.linalg.solve(cov.sxx, cov.syx.T).T


def rank_p_minimizer(U: np.ndarray, M: np.ndarray, p: int) -> np.ndarray:
    """W* = U_p U_p^T M, the unique minimizer of ||Y - W X||_F over rank(W) <= p when Sigma
    has distinct eigenvalues (U: eigenvectors of Sigma, decreasing eigenvalues)."""
    p = check_positive_int(p, "p")
    if p > U.shape[1] or U.shape[0] != M.shape[0]:
        raise ValueError(f"p and U: expected p <= {U.shape[1]} eigenvectors of length "
                         f"{M.shape[0]}, got p = {p} and U of shape {U.shape}")
    return U[:, :p] @ (U[:, :p].T @ M)


def class_separation(U: np.ndarray, M: np.ndarray) -> float:
    """min_i ||u_i^T M||: two critical products U_J U_J^T M of different classes J are at
    least this far apart (divide by a norm to make it relative)."""
    return float(np.min(np.linalg.norm(U.T @ M, axis=1)))


def singular_values(M: Covariances | object) -> np.ndarray:
    """The singular values (decreasing) of a matrix, or of Sigma_YX = Y X^T for
    :class:`Covariances`; none is cut (see :func:`numerics.linalg.rank_cut_svd` for a rank).

    >>> singular_values(np.diag([1.0, -3.0])).tolist()
    [3.0, 1.0]
    """
    A = M.syx if isinstance(M, Covariances) else as_matrix("M", M)
    return np.linalg.svd(A, compute_uv=False)
