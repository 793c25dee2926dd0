"""Path norms of bias-free ReLU networks (MATH 10.3).

:func:`path_norm` computes phi_p by dynamic programming, :func:`path_norm_enumerated`
lists every path to check it; node rescalings and the convex minimization of the
product of max-row norms over rescalings.
"""

from __future__ import annotations

import math

import cvxpy as cp
import numpy as np

from numerics.convex import solve
from numerics.generalization.networks import _network
from numerics.validation import as_matrix

__all__ = ["path_norm", "path_norm_enumerated", "rescale", "max_row_norm",
           "min_rescaled_row_product", "chain_capacity"]

def _check_p(p: object) -> float:
    if isinstance(p, bool) or not isinstance(p, int | float) or not p >= 1:
        raise ValueError(f"p: expected a number >= 1, got {p!r}")
    return float(p)


def path_norm(weights, p: float = 2) -> float:
    """phi_p = (1^T |W_L|^p ... |W_1|^p 1)^(1/p), by dynamic programming in O(#edges).

    >>> path_norm([np.array([[1.0, -2.0]])], p=2) ** 2  # one layer: ||w||_2^2
    5.0000000000000...
    """
    ws, _ = _network(weights, None)
    p = _check_p(p)
    v = np.ones(ws[0].shape[1])
    for w in ws:
        v = np.abs(w) ** p @ v
    return float(np.sum(v) ** (1.0 / p))


def path_norm_enumerated(weights, p: float = 2) -> float:
    """phi_p by listing every input-output path (prod of widths of them), vectorized."""
    ws, _ = _network(weights, None)
    p = _check_p(p)
    widths = [ws[0].shape[1]] + [w.shape[0] for w in ws]
    paths = np.indices(widths).reshape(len(widths), -1)  # one column per path
    prod = np.ones(paths.shape[1])
    for k, w in enumerate(ws):
        prod *= np.abs(w[paths[k + 1], paths[k]]) ** p
    return float(np.sum(prod) ** (1.0 / p))


def rescale(weights, layer: int, unit: int, c: float) -> list[np.ndarray]:
    """Node rescaling: row ``unit`` of W_layer times c > 0, column ``unit`` of W_(layer+1)
    divided by c; it keeps a bias-free ReLU network's function (relu(c z) = c relu(z))."""
    ws, _ = _network(weights, None)
    if not (0 <= layer < len(ws) - 1 and 0 <= unit < ws[layer].shape[0]):
        raise ValueError(f"layer, unit: expected a hidden unit, got ({layer}, {unit})")
    if not c > 0:
        raise ValueError(f"c: expected a positive scale, got {c!r}")
    out = [w.copy() for w in ws]
    out[layer][unit] *= c
    out[layer + 1][:, unit] /= c
    return out


def max_row_norm(W: object, p: float = 2) -> float:
    """mu_{p,inf}(W) = max_j ||W[j, :]||_p."""
    return float(np.max(np.sum(np.abs(as_matrix("W", W)) ** _check_p(p), axis=1) ** (1 / p)))


def min_rescaled_row_product(weights, p: float = 2) -> tuple[float | None, list | None, str]:
    """min over node rescalings of prod_l mu_{p,inf}(W_l), as a convex problem in log-scales.

    With s the log-scales of the hidden units (0 at inputs and outputs), the p-th power of
    the objective's log is sum_l max_j logsumexp_i(p log|W_l[j,i]| + p (s_j - s_i)):
    convex.  Solved by CVXPY (Clarabel, exponential cones).

    Returns
    -------
    value, scales, status : the minimum (None unless optimal), the optimal scales
        exp(s) per hidden layer, and the solver status.
    """
    ws, _ = _network(weights, None)
    p = _check_p(p)
    logs = [cp.Variable(w.shape[0]) for w in ws[:-1]]
    # adding t to every log-scale of one layer adds p t to that layer's max and removes it
    # from the next one: a flat direction per hidden layer, pinned by sum(s) = 0
    total, cons = 0, [cp.sum(v) == 0 for v in logs]
    for k, w in enumerate(ws):
        t = cp.Variable()
        rows, cols = np.nonzero(w)
        s_out = logs[k][rows] if k < len(ws) - 1 else np.zeros(rows.size)
        s_in = logs[k - 1][cols] if k > 0 else np.zeros(cols.size)
        terms = p * np.log(np.abs(w[rows, cols])) + p * (s_out - s_in)
        for j in np.unique(rows):
            cons.append(cp.log_sum_exp(terms[rows == j]) <= t)
        total = total + t
    result = solve(cp.Problem(cp.Minimize(total), cons), solver="CLARABEL")
    if not result.optimal:
        return None, None, result.status
    return (math.exp(result.value / p), [np.exp(v.value) for v in logs], result.status)


def chain_capacity(U: object, V: object, samples: object = None) -> dict[str, float]:
    """Capacity quantities of the two-layer linear network x -> U V^T x (layers V^T, U).

    The third link of the seed's chain reads these at the dropout optimum: the squared
    path norm phi_2^2 of the network *is* dropout's product regularizer
    sum_i ||u_i||^2 ||v_i||^2 (each path b -> i -> a carries V_bi U_ai), so it is
    invariant under the rescalings u_i c, v_i / c that keep U V^T.

    Parameters
    ----------
    U : array (m, d), V : array (n, d)
    samples : array (k, n), optional
        Inputs (k <= 24): adds the exact empirical Rademacher complexity of the l2-ball
        class of radius max_a ||(U V^T)[a, :]||_2, which contains every output coordinate.

    Returns
    -------
    dict with product_regularizer, path_norm_1, path_norm_2, spectral_product
    (||U||_2 ||V||_2), end_to_end_spectral (||U V^T||_2), frobenius_product and, with
    samples, rademacher_l2 and its radius.

    >>> q = chain_capacity([[1.0, 2.0]], [[3.0, 0.0], [0.0, 1.0]])
    >>> q["product_regularizer"], round(q["path_norm_2"] ** 2, 12)
    (13.0, 13.0)
    """
    from numerics.generalization.rademacher import rademacher_linear

    U, V = as_matrix("U", U), as_matrix("V", V, cols=np.shape(U)[1])
    weights = [V.T, U]
    W = U @ V.T
    out = {
        "product_regularizer": float(np.sum(np.sum(U * U, axis=0) * np.sum(V * V, axis=0))),
        "path_norm_1": path_norm(weights, 1), "path_norm_2": path_norm(weights, 2),
        "spectral_product": float(np.linalg.norm(U, 2) * np.linalg.norm(V, 2)),
        "end_to_end_spectral": float(np.linalg.norm(W, 2)),
        "frobenius_product": float(np.linalg.norm(U) * np.linalg.norm(V)),
    }
    if samples is not None:
        radius = float(np.max(np.linalg.norm(W, axis=1)))
        out["radius"] = radius
        out["rademacher_l2"] = rademacher_linear(as_matrix("samples", samples,
                                                           cols=V.shape[0]), radius)
    return out
