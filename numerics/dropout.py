"""Dropout objectives: exact expectations, Monte Carlo estimators and closed forms.

Conventions (MATH.md section 1): X is m x n, U is m x d, V is n x d; unit i is
kept with probability theta, r_i ~ Bernoulli(theta), and kept outputs are
rescaled by ``scale`` (1/theta by default).  lambda = (1 - theta)/theta.

The direct estimators form the residual ``X - scale * U diag(r) V^T`` for
each mask; the fast ones use sufficient statistics: with
``G = (U^T U) o (V^T V)`` and ``c_i = u_i^T X v_i``,

    ||X - s U diag(r) V^T||_F^2 = ||X||_F^2 - 2 s r.c + s^2 r^T G r,

so a mask costs O(d^2) instead of O(m n d).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np

from numerics.validation import (
    as_factors,
    as_matrix,
    as_vector,
    check_positive_int,
    check_same_rows,
    check_theta,
)

__all__ = [
    "dropout_lambda",
    "adaptive_theta",
    "product_regularizer",
    "dropout_objective",
    "sample_masks",
    "all_masks",
    "mask_losses_direct",
    "mask_losses_fast",
    "monte_carlo",
    "exact_expectation",
    "double_columns",
    "input_dropout_objective",
    "input_dropout_exact",
    "input_dropout_ridge",
    "input_dropout_minimizer_exact",
    "hidden_dropout_objective",
    "hidden_dropout_exact",
    "ACTIVATIONS",
    # induced regularizer and global optimum (MATH 3 and 4)
    "numerical_rank",
    "nuclear_norm",
    "induced_regularizer",
    "equalizing_rotation",
    "equalized_factorization",
    "dropout_threshold",
    "threshold_value",
    "GlobalMinimizer",
    "global_minimizer",
    "optimal_value",
    "nuclear_squared_objective",
    "solve_nuclear_squared",
    "factorized_losses",
    "factorized_objective",
    "dropout_sgd",
    "reduced_regularizer",
]

MAX_ENUMERATED_UNITS = 16  # 2^16 masks; beyond that enumeration is the wrong tool


def dropout_lambda(theta: float) -> float:
    """lambda = (1 - theta)/theta for a keep probability theta in (0, 1]."""
    theta = check_theta(theta)
    return (1.0 - theta) / theta


def adaptive_theta(p: float, d: int) -> float:
    """theta(d) = p / (p + d (1 - p)), the rate that keeps lambda(d)/d = (1 - p)/p fixed."""
    p = check_theta(p, "p")
    d = check_positive_int(d, "d")
    return p / (p + d * (1.0 - p))


def _factors(X: object, U: object, V: object) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return as_factors(X, U, V)


def product_regularizer(U: object, V: object, power: float = 2.0) -> float:
    """sum_i (||u_i|| ||v_i||)^power; power 2 is dropout's regularizer.

    >>> import numpy as np
    >>> product_regularizer(np.eye(2), 2 * np.eye(2))
    8.0
    """
    U = as_matrix("U", U)
    V = as_matrix("V", V)
    check_same_rows("U", U, "V", V, axis_a=1, axis_b=1)
    norms = np.linalg.norm(U, axis=0) * np.linalg.norm(V, axis=0)
    return float(np.sum(norms**power))


def dropout_objective(X: object, U: object, V: object, theta: float) -> float:
    """The closed form ||X - U V^T||_F^2 + lambda * sum_i ||u_i||^2 ||v_i||^2 (MATH 1.1)."""
    X, U, V = _factors(X, U, V)
    return float(np.sum((X - U @ V.T) ** 2) + dropout_lambda(theta) * product_regularizer(U, V))


def sample_masks(n_masks: int, d: int, theta: float, rng: np.random.Generator) -> np.ndarray:
    """An (n_masks, d) float array of independent Bernoulli(theta) keep indicators."""
    n_masks = check_positive_int(n_masks, "n_masks")
    d = check_positive_int(d, "d")
    theta = check_theta(theta)
    return (rng.random((n_masks, d)) < theta).astype(np.float64)


def all_masks(d: int, theta: float) -> tuple[np.ndarray, np.ndarray]:
    """Every 0/1 mask of length d with its probability: (2^d, d) masks, (2^d,) weights."""
    d = check_positive_int(d, "d")
    theta = check_theta(theta)
    if d > MAX_ENUMERATED_UNITS:
        raise ValueError(f"d: enumeration supports d <= {MAX_ENUMERATED_UNITS}, got {d}")
    masks = np.array(list(itertools.product((0.0, 1.0), repeat=d)))
    kept = masks.sum(axis=1)
    weights = theta**kept * (1.0 - theta) ** (d - kept)
    return masks, weights


def _scale(theta: float, scale: float | None) -> float:
    return 1.0 / theta if scale is None else float(scale)


def mask_losses_direct(X: object, U: object, V: object, theta: float, masks: np.ndarray,
                       scale: float | None = None, chunk: int = 4096) -> np.ndarray:
    """||X - scale * U diag(r) V^T||_F^2 for each mask r, forming the residual matrices.

    The baseline estimator: O(m n d) per mask, batched matmul over chunks of masks.
    """
    X, U, V = _factors(X, U, V)
    theta = check_theta(theta)
    s = _scale(theta, scale)
    masks = np.asarray(masks, dtype=np.float64)
    out = np.empty(masks.shape[0])
    for start in range(0, masks.shape[0], chunk):
        r = masks[start:start + chunk]
        products = (U[None, :, :] * (s * r)[:, None, :]) @ V.T  # (chunk, m, n)
        residual = X[None] - products
        out[start:start + chunk] = np.einsum("kab,kab->k", residual, residual)
    return out


def mask_losses_fast(X: object, U: object, V: object, theta: float, masks: np.ndarray,
                     scale: float | None = None) -> np.ndarray:
    """The same losses from sufficient statistics: O(d^2) per mask.

    When there are more masks than the 2^d possible ones, the loss of every
    possible mask is tabulated once and each mask is looked up by its binary
    code, O(d) per mask.
    """
    X, U, V = _factors(X, U, V)
    theta = check_theta(theta)
    s = _scale(theta, scale)
    masks = np.asarray(masks, dtype=np.float64)
    d = U.shape[1]
    gram = (U.T @ U) * (V.T @ V)
    c = np.einsum("ai,ab,bi->i", U, X, V)
    total = float(np.sum(X * X))

    def quadratic(r: np.ndarray) -> np.ndarray:
        return total - 2.0 * s * (r @ c) + s * s * np.einsum("ki,ki->k", r @ gram, r)

    if d <= MAX_ENUMERATED_UNITS and masks.shape[0] > 2**d:
        patterns = np.array(list(itertools.product((0.0, 1.0), repeat=d)))
        codes = masks @ (2.0 ** np.arange(d - 1, -1, -1))  # exact: integers below 2^16
        return quadratic(patterns)[codes.astype(np.intp)]
    return quadratic(masks)


def monte_carlo(X: object, U: object, V: object, theta: float, n_masks: int,
                rng: np.random.Generator, method: str = "fast",
                scale: float | None = None) -> tuple[float, float]:
    """Monte Carlo estimate of E_r ||X - scale U diag(r) V^T||_F^2 and its standard error.

    Parameters
    ----------
    method : {"fast", "direct"}
        Sufficient statistics, or residual matrices formed mask by mask.

    Returns
    -------
    mean, standard_error : float
    """
    X, U, V = _factors(X, U, V)
    if method not in ("fast", "direct"):
        raise ValueError(f"method: expected 'fast' or 'direct', got {method!r}")
    masks = sample_masks(n_masks, U.shape[1], theta, rng)
    kernel = mask_losses_fast if method == "fast" else mask_losses_direct
    losses = kernel(X, U, V, theta, masks, scale=scale)
    return float(losses.mean()), float(losses.std(ddof=1) / np.sqrt(losses.size))


def exact_expectation(X: object, U: object, V: object, theta: float,
                      scale: float | None = None) -> float:
    """E_r ||X - scale U diag(r) V^T||_F^2 by enumerating all 2^d masks (d <= 16)."""
    X, U, V = _factors(X, U, V)
    masks, weights = all_masks(U.shape[1], theta)
    return float(weights @ mask_losses_direct(X, U, V, theta, masks, scale=scale))


def double_columns(U: object, V: object) -> tuple[np.ndarray, np.ndarray]:
    """([U U]/sqrt 2, [V V]/sqrt 2): the same product U V^T at twice the width (MATH 1.2)."""
    U = as_matrix("U", U)
    V = as_matrix("V", V)
    check_same_rows("U", U, "V", V, axis_a=1, axis_b=1)
    return np.hstack([U, U]) / np.sqrt(2.0), np.hstack([V, V]) / np.sqrt(2.0)


# -- linear regression with dropout on the inputs (MATH 2.1) ---------------------------


def _regression(X: object, y: object, w: object | None = None):
    X = as_matrix("X", X)
    y = as_vector("y", y, size=X.shape[0])
    if w is None:
        return X, y
    return X, y, as_vector("w", w, size=X.shape[1])


def input_dropout_objective(X: object, y: object, w: object, p: float) -> float:
    """||y - p X w||^2 + p (1 - p) ||Gamma w||^2 with Gamma = diag(X^T X)^(1/2)."""
    X, y, w = _regression(X, y, w)
    p = check_theta(p, "p")
    gamma2 = np.sum(X * X, axis=0)
    return float(np.sum((y - p * X @ w) ** 2) + p * (1 - p) * np.sum(gamma2 * w * w))


def input_dropout_exact(X: object, y: object, w: object, p: float) -> float:
    """E_R ||y - (R o X) w||^2, enumerating the 2^k masks of every row.

    Rows are independent and the loss is a sum over rows, so enumerating each
    row's masks gives the exact expectation over all 2^(N k) masks.
    """
    X, y, w = _regression(X, y, w)
    masks, weights = all_masks(X.shape[1], check_theta(p, "p"))
    predictions = (masks * w) @ X.T  # (2^k, N): row t's prediction under each mask
    return float(weights @ np.sum((y[None, :] - predictions) ** 2, axis=1))


def input_dropout_ridge(X: object, y: object, p: float) -> np.ndarray:
    """The minimizer of the dropout objective as ridge regression: w such that p w =
    (X^T X + ((1 - p)/p) diag(X^T X))^(-1) X^T y (returned: w, not p w)."""
    X, y = _regression(X, y)
    p = check_theta(p, "p")
    gram = X.T @ X
    w_tilde = np.linalg.solve(gram + (1 - p) / p * np.diag(np.diag(gram)), X.T @ y)
    return w_tilde / p


def input_dropout_minimizer_exact(X: object, y: object, p: float) -> np.ndarray:
    """The minimizer of the enumerated objective: it is quadratic in w,
    E = w^T A w - 2 b^T w + const with A, b summed over all row masks."""
    X, y = _regression(X, y)
    masks, weights = all_masks(X.shape[1], check_theta(p, "p"))
    # A = sum_t E[(r o x_t)(r o x_t)^T], b = sum_t y_t E[r o x_t]
    second = np.einsum("k,ki,kj->ij", weights, masks, masks)  # E[r r^T]
    first = weights @ masks  # E[r]
    A = second * (X.T @ X)
    b = first * (X.T @ y)
    return np.linalg.solve(A, b)


# -- one hidden layer with data, dropout on the hidden units (MATH 2.2) ----------------

ACTIVATIONS = {
    "linear": lambda z: z,
    "relu": lambda z: np.maximum(z, 0.0),
    "tanh": np.tanh,
}


def _network(X: object, Y: object, U: object, V: object, activation: str):
    X = as_matrix("X", X)  # n_x x N, one sample per column
    Y = as_matrix("Y", Y, cols=X.shape[1])
    U = as_matrix("U", U, rows=Y.shape[0])
    V = as_matrix("V", V, rows=X.shape[0])
    check_same_rows("U", U, "V", V, axis_a=1, axis_b=1)
    if activation not in ACTIVATIONS:
        raise ValueError(
            f"activation: expected one of {', '.join(ACTIVATIONS)}, got {activation!r}"
        )
    return X, Y, U, V, ACTIVATIONS[activation](V.T @ X)  # hidden: d x N


def hidden_dropout_objective(X: object, Y: object, U: object, V: object, theta: float,
                             activation: str = "linear") -> float:
    """mean_t ||y_t - U h_t||^2 + lambda sum_i ||u_i||^2 mean_t h_it^2, h = sigma(V^T x).

    For the linear activation the second term is lambda sum_i ||u_i||^2 v_i^T C v_i
    with C = X X^T / N.
    """
    X, Y, U, V, H = _network(X, Y, U, V, activation)
    lam = dropout_lambda(theta)
    fit = np.mean(np.sum((Y - U @ H) ** 2, axis=0))
    reg = np.sum(np.sum(U * U, axis=0) * np.mean(H * H, axis=1))
    return float(fit + lam * reg)


def hidden_dropout_exact(X: object, Y: object, U: object, V: object, theta: float,
                         activation: str = "linear", scale: float | None = None) -> float:
    """mean_t E_r ||y_t - scale U diag(r) sigma(V^T x_t)||^2 over all 2^d masks."""
    X, Y, U, V, H = _network(X, Y, U, V, activation)
    theta = check_theta(theta)
    s = _scale(theta, scale)
    masks, weights = all_masks(U.shape[1], theta)
    total = 0.0
    for r, wgt in zip(masks, weights, strict=True):
        residual = Y - s * (U * r) @ H
        total += wgt * np.mean(np.sum(residual * residual, axis=0))
    return float(total)


# ======================================================================================
# Induced regularizer and global optimum (MATH.md sections 3 and 4).
#
# Everything below this line belongs to the `dropout.induced_regularizer` and
# `dropout.global_optimum` theorems (theorems/dropout/optimum.py); the identity kernels
# above are used, never changed.
# ======================================================================================

# Singular values below RANK_RTOL * max(m, n) * sigma_1 are round-off zeros (NumPy's
# matrix_rank rule); they count neither for rank(M) nor for the threshold rule.
RANK_RTOL = float(np.finfo(np.float64).eps)


def _svd(M: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Thin SVD with round-off singular values set to exactly 0; also the numerical rank."""
    A, s, Bt = np.linalg.svd(M, full_matrices=False)
    cutoff = RANK_RTOL * max(M.shape) * (s[0] if s.size else 0.0)
    s = np.where(s > cutoff, s, 0.0)
    return A, s, Bt.T, int(np.count_nonzero(s))


def numerical_rank(M: object) -> int:
    """rank(M) with NumPy's round-off cutoff (max(m, n) * eps * sigma_1)."""
    return _svd(as_matrix("M", M))[3]


def nuclear_norm(M: object) -> float:
    """||M||_*, the sum of the singular values."""
    return float(np.linalg.svd(as_matrix("M", M), compute_uv=False).sum())


def induced_regularizer(M: object, d: int) -> float:
    """Omega_d(M) = ||M||_*^2 / d, the least sum_i ||u_i||^2 ||v_i||^2 over U V^T = M.

    Raises ValueError when d < rank(M) (no width-d factorization exists).

    >>> import numpy as np
    >>> round(induced_regularizer(np.diag([3.0, 1.0]), 4), 12)
    4.0
    """
    M = as_matrix("M", M)
    d = check_positive_int(d, "d")
    _, s, _, rank = _svd(M)
    _check_width(d, rank)
    return float(s.sum() ** 2 / d)


def _check_width(d: int, rank: int) -> None:
    if d < rank:
        raise ValueError(
            f"d: expected a width d >= rank(M) = {rank}, got d = {d}; a product U V^T of "
            f"width {d} has rank at most {d}, so no width-{d} factorization of M exists"
        )


def equalizing_rotation(s: object) -> np.ndarray:
    """An orthogonal Q with diag(Q^T diag(s) Q) constant (= mean(s)), for any length.

    Schur-Horn for a constant target, built from len(s) - 1 Givens rotations: a
    running coordinate (the largest entry) holds value x; each fresh coordinate k
    (value y on the other side of the mean mu, which exists because the unfixed
    values average to mu) is rotated with it so that its diagonal entry becomes
    exactly mu: with c^2 + t^2 = 1 and t^2 = (mu - y)/(x - y), the new entries are
    t^2 x + c^2 y = mu at k and x + y - mu at the running coordinate.  The
    off-diagonal entry created lies between the running coordinate and a fixed one,
    so later rotations (running, fresh) never meet it and the fixed entries stay mu.
    The last running entry is mu by the trace.

    The partner is always the smallest or the largest fresh value, so the fresh
    values stay a contiguous run of the sorted order (two pointers), and the
    product of the rotations, all in planes (running, k_j), has a closed form:
    with v_j the running column after j rotations, v_j = c_j v_(j-1) + t_j e_(k_j)
    and column k_j = -t_j v_(j-1) + c_j e_(k_j); the products of the c's come from
    one cumulative product.  O(d^2) vectorized work, O(d) scalar steps.

    Parameters
    ----------
    s : array_like, shape (d,)
        Values to equalize (singular values padded with zeros in practice).

    Returns
    -------
    ndarray, shape (d, d)
        Orthogonal Q.

    >>> import numpy as np
    >>> Q = equalizing_rotation([3.0, 1.0, 0.0])
    >>> np.round(np.diag(Q.T @ np.diag([3.0, 1.0, 0.0]) @ Q), 12).tolist()
    [1.333333333333, 1.333333333333, 1.333333333333]
    """
    s = as_vector("s", s)
    d = s.size
    mu = float(s.mean())
    order = np.argsort(-s, kind="stable")
    values = s[order].tolist()
    x = values[0]
    lo, hi = 1, d - 1  # fresh values: sorted positions lo..hi
    perm = [int(order[0])]
    cs, ts = [1.0], [0.0]  # index 0 is the running coordinate (no rotation)
    for _ in range(d - 1):
        # a fresh value on the other side of mu from x: the smallest if x >= mu
        if x >= mu:
            pos, hi = hi, hi - 1
        else:
            pos, lo = lo, lo + 1
        y = values[pos]
        gap = x - y
        t2 = 0.0 if gap == 0.0 else min(max((mu - y) / gap, 0.0), 1.0)
        cs.append((1.0 - t2) ** 0.5)
        ts.append(t2**0.5)
        perm.append(int(order[pos]))
        x = x + y - mu
    c = np.array(cs)
    t = np.array(ts)
    last = d - 1
    # CP[i, j] = prod_{l = i+1}^{j} c_l (empty products are 1)
    grid = np.where(np.arange(d)[None, :] > np.arange(d)[:, None], c[None, :], 1.0)
    cp = np.cumprod(grid, axis=1)
    Qp = np.zeros((d, d))
    Qp[0, 0] = cp[0, last]
    if d > 1:
        Qp[1:, 0] = t[1:] * cp[1:, last]
        Qp[0, 1:] = -t[1:] * cp[0, :last]
        Qp[1:, 1:] = np.triu(-np.outer(t[1:], t[1:]) * cp[1:, :last], k=1) + np.diag(c[1:])
    Q = np.empty((d, d))
    Q[np.ix_(perm, perm)] = Qp
    return Q


def _equalized_from_svd(A: np.ndarray, s: np.ndarray, B: np.ndarray, rank: int,
                        d: int) -> tuple[np.ndarray, np.ndarray]:
    padded = np.zeros(d)
    padded[:rank] = s[:rank]
    Q = equalizing_rotation(padded)
    root = np.sqrt(padded[:rank])[:, None] * Q[:rank]  # diag(s)^{1/2} Q, top rank rows
    return A[:, :rank] @ root, B[:, :rank] @ root


def equalized_factorization(M: object, d: int) -> tuple[np.ndarray, np.ndarray]:
    """(U, V) with U V^T = M and ||u_i|| ||v_i|| = ||M||_*/d for every column i.

    U = A diag(s)^{1/2} Q, V = B diag(s)^{1/2} Q with M = A diag(s) B^T (padded with
    zeros to width d) and Q from :func:`equalizing_rotation`, so that
    ||u_i||^2 = ||v_i||^2 = (Q^T diag(s) Q)_ii = ||M||_*/d: the factorization
    reaches Omega_d(M) = ||M||_*^2/d.  Any d >= rank(M) works.

    Parameters
    ----------
    M : array_like, shape (m, n)
    d : int
        Width; must be at least rank(M).

    Returns
    -------
    U : ndarray, shape (m, d)
    V : ndarray, shape (n, d)

    Raises
    ------
    ValueError
        When d < rank(M), saying why.

    >>> import numpy as np
    >>> U, V = equalized_factorization(np.diag([3.0, 1.0]), 3)
    >>> bool(np.allclose(U @ V.T, np.diag([3.0, 1.0])))
    True
    >>> np.round(np.linalg.norm(U, axis=0) * np.linalg.norm(V, axis=0), 12).tolist()
    [1.333333333333, 1.333333333333, 1.333333333333]
    """
    M = as_matrix("M", M)
    d = check_positive_int(d, "d")
    A, s, B, rank = _svd(M)
    _check_width(d, rank)
    return _equalized_from_svd(A, s, B, rank, d)


def dropout_threshold(sigma: object, kappa: float,
                      d: int | None = None) -> tuple[int, float]:
    """rho and tau of MATH 4 from singular values sorted in decreasing order.

    rho = max{j <= d : sigma_j > kappa S_j / (1 + kappa j)} (no cap when d is None),
    tau = kappa S_rho / (1 + kappa rho); rho = 0 and tau = 0 when no j qualifies.
    """
    sigma = as_vector("sigma", sigma)
    if np.any(sigma < 0) or np.any(np.diff(sigma) > 0):
        raise ValueError("sigma: expected non-negative values in decreasing order")
    kappa = _check_nonnegative(kappa, "kappa")
    if d is not None:
        d = check_positive_int(d, "d")
    return _threshold(sigma, kappa, d)


def _threshold(sigma: np.ndarray, kappa: float, d: int | None) -> tuple[int, float]:
    """dropout_threshold without input checks (callers have validated)."""
    j = np.arange(1.0, sigma.size + 1.0)
    partial = np.cumsum(sigma)
    valid = sigma * (1.0 + kappa * j) > kappa * partial  # same test, no division
    if d is not None:
        valid[d:] = False
    hits = np.flatnonzero(valid)
    rho = int(hits[-1]) + 1 if hits.size else 0
    tau = float(kappa * partial[rho - 1] / (1.0 + kappa * rho)) if rho else 0.0
    return rho, tau


def _check_nonnegative(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating | np.integer):
        raise ValueError(f"{name}: expected a non-negative real number, got {value!r}")
    value = float(value)
    if not (np.isfinite(value) and value >= 0):
        raise ValueError(f"{name}: expected a non-negative real number, got {value!r}")
    return value


def threshold_value(sigma: np.ndarray, kappa: float, rho: int, tau: float) -> float:
    """rho tau^2 + sum_{i > rho} sigma_i^2 + kappa (S_rho - rho tau)^2 (MATH 4)."""
    sigma = np.asarray(sigma, dtype=np.float64)
    kept = float(np.sum(sigma[:rho]) - rho * tau)
    return float(rho * tau**2 + np.sum(sigma[rho:] ** 2) + kappa * kept**2)


@dataclass
class GlobalMinimizer:
    """The global optimum of dropout matrix factorization at width d (MATH 4).

    Attributes
    ----------
    M : ndarray
        The optimal product U V^T.
    rho : int
        Its rank.
    tau : float
        The singular-value threshold.
    value : float
        The optimal value of ||X - U V^T||_F^2 + lambda sum_i ||u_i||^2 ||v_i||^2.
    U, V : ndarray
        An optimal factorization of width d, equalized.
    lam, kappa : float
        lambda = (1 - theta)/theta and kappa = lambda / d.
    """

    M: np.ndarray
    rho: int
    tau: float
    value: float
    U: np.ndarray
    V: np.ndarray
    lam: float
    kappa: float


def global_minimizer(X: object, theta: float, d: int) -> GlobalMinimizer:
    """Closed-form global minimizer of the dropout objective at width d (MATH 4).

    min_{U, V} ||X - U V^T||_F^2 + lambda sum_i ||u_i||^2 ||v_i||^2 equals
    min_{rank M <= d} ||X - M||_F^2 + kappa ||M||_*^2 with kappa = lambda/d, solved by
    shrinking the top rho singular values of X by tau.

    Parameters
    ----------
    X : array_like, shape (m, n)
    theta : float
        Keep probability in (0, 1].
    d : int
        Width (number of hidden units).

    Returns
    -------
    GlobalMinimizer

    >>> import numpy as np
    >>> g = global_minimizer(np.diag([3.0, 2.0]), theta=0.5, d=2)
    >>> g.rho, round(g.tau, 12), round(g.value, 12)
    (2, 1.25, 6.25)
    >>> global_minimizer(np.diag([3.0, 1.0]), theta=0.5, d=2).rho  # sigma_2 = 1 <= tau
    1
    """
    X = as_matrix("X", X)
    lam = dropout_lambda(theta)
    d = check_positive_int(d, "d")
    kappa = lam / d
    A, sigma, B, _ = _svd(X)
    rho, tau = _threshold(sigma, kappa, d)
    shrunk = sigma[:rho] - tau
    M = (A[:, :rho] * shrunk) @ B[:, :rho].T
    U, V = _equalized_from_svd(A, shrunk, B, rho, d)
    return GlobalMinimizer(M, rho, tau, threshold_value(sigma, kappa, rho, tau), U, V,
                           lam, kappa)


def optimal_value(X: object, theta: float, d: int) -> float:
    """The optimal value of dropout matrix factorization at width d, from singular values only.

    Same number as ``global_minimizer(X, theta, d).value`` without singular vectors
    or factors (cheaper: one ``svd(compute_uv=False)``).

    >>> import numpy as np
    >>> optimal_value(np.diag([3.0, 2.0]), theta=0.5, d=2)
    6.25
    """
    X = as_matrix("X", X)
    d = check_positive_int(d, "d")
    kappa = dropout_lambda(theta) / d
    sigma = np.linalg.svd(X, compute_uv=False)
    sigma[sigma <= RANK_RTOL * max(X.shape) * sigma[0]] = 0.0
    rho, tau = _threshold(sigma, kappa, d)
    kept = float(sigma[:rho].sum()) - rho * tau
    tail = sigma[rho:]
    return float(rho * tau * tau + tail @ tail + kappa * kept * kept)


def nuclear_squared_objective(X: object, M: object, kappa: float) -> float:
    """||X - M||_F^2 + kappa ||M||_*^2, the convex problem of MATH 4."""
    X = as_matrix("X", X)
    M = as_matrix("M", M, rows=X.shape[0], cols=X.shape[1])
    kappa = _check_nonnegative(kappa, "kappa")
    return float(np.sum((X - M) ** 2) + kappa * nuclear_norm(M) ** 2)


def solve_nuclear_squared(X: object, kappa: float, solver: str = "SCS",
                          eps: float | None = None) -> tuple[Any, np.ndarray | None]:
    """Solve min_M ||X - M||_F^2 + kappa ||M||_*^2 with CVXPY (no rank constraint).

    The problem is DCP: a square of the (convex, non-negative) nuclear norm.  The
    solver policy is :func:`numerics.convex.solve` (named solver, status "optimal"
    or no answer).

    Returns
    -------
    result : numerics.convex.ConvexResult
    M : ndarray or None
        The minimizer, None unless the status is "optimal".
    """
    import cvxpy as cp

    from numerics.convex import SCS_EPS, solve

    X = as_matrix("X", X)
    kappa = _check_nonnegative(kappa, "kappa")
    M = cp.Variable(X.shape, name="M")
    problem = cp.Problem(cp.Minimize(cp.sum_squares(X - M) + kappa * cp.square(cp.normNuc(M))))
    result = solve(problem, solver=solver, eps=SCS_EPS if eps is None else eps)
    return result, (None if result.value is None else np.asarray(result.variables["M"]))


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
