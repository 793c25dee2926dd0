"""Dropout identities (MATH 1-2): exact expectations, Monte Carlo estimators, closed forms.

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
    "weighted_ridge",
    "input_dropout_minimizer_exact",
    "hidden_dropout_objective",
    "hidden_dropout_exact",
    "ACTIVATIONS",
    "MAX_ENUMERATED_UNITS",
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
    return weighted_ridge(X, y, (1 - p) / p) / p


def weighted_ridge(X: object, y: object, weight: float) -> np.ndarray:
    """argmin_w ||y - X w||^2 + weight ||Gamma w||^2 with Gamma = diag(X^T X)^(1/2).

    Solves (X^T X + weight diag(X^T X)) w = X^T y.

    >>> import numpy as np
    >>> weighted_ridge(np.eye(2), np.array([2.0, 4.0]), 1.0).tolist()
    [1.0, 2.0]
    """
    X, y = _regression(X, y)
    weight = float(weight)
    if not (np.isfinite(weight) and weight >= 0):
        raise ValueError(f"weight: expected a non-negative real number, got {weight!r}")
    gram = X.T @ X
    return np.linalg.solve(gram + weight * np.diag(np.diag(gram)), X.T @ y)


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

