"""The dropout objective as a landscape (MATH 4): batched losses, gradients, SGD, starts.

Kernels for descent experiments on dropout matrix factorization: the exact
expected loss of a stack of factorizations and its gradient
(:func:`factorized_objective`, for :func:`numerics.descent.batched_descent`),
stochastic dropout training with sampled masks (:func:`dropout_sgd`), the
regularizer over factorizations of a fixed M (:func:`reduced_regularizer`), and
random starts at the scale of the solution (:func:`descent_starts`).
"""

from __future__ import annotations

import numpy as np

from numerics.dropout.optimum import _check_nonnegative
from numerics.validation import (
    as_matrix,
    as_vector,
    check_positive_int,
    check_same_rows,
    check_theta,
)

__all__ = ["factorized_losses", "factorized_objective", "dropout_sgd", "reduced_regularizer",
           "descent_starts"]


def _stack(name: str, value: object, rows: int | None = None) -> np.ndarray:
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim != 3 or arr.size == 0:
        raise ValueError(f"{name}: expected a non-empty (runs, rows, width) array, "
                         f"got shape {arr.shape}")
    if rows is not None and arr.shape[1] != rows:
        raise ValueError(f"{name}: expected {rows} rows per run, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}: expected finite entries, found NaN or infinity")
    return arr


def factorized_losses(X: object, U: object, V: object, lam: float) -> np.ndarray:
    """||X - U_b V_b^T||_F^2 + lam sum_i ||u_bi||^2 ||v_bi||^2 for each run b, accurately.

    Forms the residuals (no cancellation); used to report final values.
    """
    X = as_matrix("X", X)
    U = _stack("U", U, X.shape[0])
    V = _stack("V", V, X.shape[1])
    lam = _check_nonnegative(lam, "lam")
    residual = X[None] - U @ V.transpose(0, 2, 1)
    reg = np.sum(np.sum(U * U, axis=1) * np.sum(V * V, axis=1), axis=1)
    return np.sum(residual * residual, axis=(1, 2)) + lam * reg


def factorized_objective(X: object, lam: float):
    """Batched dropout objective and its gradient, for :func:`numerics.descent.batched_descent`.

    f(U, V) = ||X - U V^T||_F^2 + lam sum_i ||u_i||^2 ||v_i||^2, computed from
    sufficient statistics without forming the residuals: with P = X V, R = X^T U,
    G_U = U^T U, G_V = V^T V,

        f = ||X||^2 - 2 <U, P> + <G_U, G_V> + lam sum_i (G_U)_ii (G_V)_ii,
        grad_U = 2 (U G_V - P + lam U diag(G_V)),  grad_V = 2 (V G_U - R + lam V diag(G_U)).

    Every product is a batched ``matmul`` (m x n x d and d x d work per run, no
    m x n residual per run); the value loses accuracy to cancellation only when
    f << ||X||^2, so final values are reported with :func:`factorized_losses`.
    The gradients are written into ``out`` when it is given (see
    :func:`numerics.descent.batched_descent`), and P, R live in a workspace kept
    between calls: no array of the parameters' size is allocated per call then.

    Returns
    -------
    callable
        ``objective([U, V], out=None) -> (losses (B,), [grad_U, grad_V])`` with
        U (B, m, d), V (B, n, d).
    """
    X = as_matrix("X", X)
    lam = _check_nonnegative(lam, "lam")
    Xt = np.ascontiguousarray(X.T)
    xx = float(np.sum(X * X))
    work: dict[tuple[int, ...], tuple[np.ndarray, np.ndarray]] = {}

    def objective(params, out=None):
        U, V = params
        key = U.shape + V.shape
        if key not in work:
            work.clear()  # one batch shape at a time
            work[key] = (np.empty(U.shape), np.empty(V.shape))
        P, R = work[key]
        np.matmul(X, V, out=P)
        np.matmul(Xt, U, out=R)
        gu = U.transpose(0, 2, 1) @ U
        gv = V.transpose(0, 2, 1) @ V
        du = np.diagonal(gu, axis1=1, axis2=2)
        dv = np.diagonal(gv, axis1=1, axis2=2)
        losses = (xx - 2.0 * np.einsum("bij,bij->b", U, P) + np.einsum("bij,bij->b", gu, gv)
                  + lam * np.einsum("bi,bi->b", du, dv))
        # fold 2 and lam into the small d x d factors: grad_U = U (2 G_V + 2 lam diag G_V) - 2 P,
        # so the (B, m, d) arrays see one product and one subtraction each
        diag = np.arange(gu.shape[1])
        gv *= 2.0
        gv[:, diag, diag] *= 1.0 + lam
        gu *= 2.0
        gu[:, diag, diag] *= 1.0 + lam
        grad_u = np.matmul(U, gv, out=None if out is None else out[0])
        P *= 2.0
        grad_u -= P
        grad_v = np.matmul(V, gu, out=None if out is None else out[1])
        R *= 2.0
        grad_v -= R
        return losses, [grad_u, grad_v]

    return objective


def dropout_sgd(X: object, U: object, V: object, theta: float, steps: int,
                rng: np.random.Generator, lr: float = 0.05,
                decay: float = 0.01) -> tuple[np.ndarray, np.ndarray]:
    """Stochastic dropout training: SGD on ||X - (1/theta) U diag(r) V^T||_F^2, r sampled.

    Every step draws one mask per run (B runs advance together) and moves by
    the gradient of that mask's loss, with step lr / (1 + decay t) / ||X||_2^2 (the
    scale makes lr dimensionless).  The expected loss is the dropout objective of
    MATH 1.1, so the runs should end near its global value.

    Parameters
    ----------
    X : array_like, shape (m, n)
    U, V : array_like, shapes (B, m, d), (B, n, d)
        Initial factors of the B runs.
    theta : float
    steps : int
    rng : numpy.random.Generator
    lr, decay : float

    Returns
    -------
    U, V : ndarray
        Final factors.
    """
    X = as_matrix("X", X)
    U = _stack("U", U, X.shape[0]).copy()
    V = _stack("V", V, X.shape[1]).copy()
    check_same_rows("U", U, "V", V, axis_a=2, axis_b=2)
    theta = check_theta(theta)
    steps = check_positive_int(steps, "steps")
    scale = 1.0 / float(np.linalg.norm(X, 2)) ** 2
    runs, d = U.shape[0], U.shape[2]
    for t in range(steps):
        r = (rng.random((runs, 1, d)) < theta) / theta  # kept units, rescaled
        residual = X[None] - (U * r) @ V.transpose(0, 2, 1)  # X - U diag(r/theta) V^T
        eta = 2.0 * lr * scale / (1.0 + decay * t)
        U, V = U + eta * (residual @ V) * r, V + eta * (residual.transpose(0, 2, 1) @ U) * r
    return U, V


def reduced_regularizer(C: object, s: object) -> tuple[np.ndarray, np.ndarray]:
    """min over factorizations with left factor A C of sum_i ||u_i||^2 ||v_i||^2, and its gradient.

    Every width-d factorization of M = A diag(s) B^T (rank r) can be projected onto
    U = A C, V = B D with C D^T = diag(s) without increasing any column norm, so
    Omega_d(M) = min over C (r x d) of min over D.  For fixed C the inner problem
    is a weighted least-norm problem: with w_i = ||c_i||^2, K = C diag(w)^-1 C^T,

        f(C) = min_{C D^T = S} sum_i w_i ||d_i||^2 = tr(S K^-1 S),
        grad f = -2 H C diag(w)^-1 + 2 C diag((C^T H C)_ii / w_i^2),  H = K^-1 S^2 K^-1.

    Parameters
    ----------
    C : array_like, shape (B, r, d)
        Batched left factors (full row rank, no zero column).
    s : array_like, shape (r,)
        Positive singular values of M.

    Returns
    -------
    values : ndarray, shape (B,)
    grads : ndarray, shape (B, r, d)
    """
    C = _stack("C", C)
    s = as_vector("s", s, size=C.shape[1])
    w = np.sum(C * C, axis=1)  # (B, d)
    Cw = C / w[:, None, :]
    K = Cw @ C.transpose(0, 2, 1)
    Kinv = np.linalg.inv(K)
    KS = Kinv * s[None, None, :]  # K^-1 S
    values = np.einsum("bii->b", s[None, :, None] * KS)  # tr(S K^-1 S), tiny r x r
    H = KS * s[None, None, :] @ Kinv  # K^-1 S^2 K^-1
    HC = H @ C
    chc = np.sum(C * HC, axis=1)  # (C^T H C)_ii
    grads = -2.0 * HC / w[:, None, :] + 2.0 * C * (chc / w**2)[:, None, :]
    return values, grads


def descent_starts(X: object, d: int, runs: int,
                   rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Random factors (runs, m, d), (runs, n, d) at the scale of the solution.

    Entries are Gaussian with ||U V^T|| ~ ||X||_2, so descent starts neither at the
    saddle 0 nor far outside the region of the global optimum.

    >>> U, V = descent_starts(np.eye(3), 2, 5, np.random.default_rng(0))
    >>> U.shape, V.shape
    ((5, 3, 2), (5, 3, 2))
    """
    X = as_matrix("X", X)
    d = check_positive_int(d, "d")
    runs = check_positive_int(runs, "runs")
    mm, nn = X.shape
    scale = np.sqrt(np.linalg.norm(X, 2) / d)
    return (rng.standard_normal((runs, mm, d)) * scale / np.sqrt(mm),
            rng.standard_normal((runs, nn, d)) * scale / np.sqrt(nn))
