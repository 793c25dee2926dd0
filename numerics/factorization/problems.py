"""The objectives the checks minimize: the smooth factorized objective (batched, for
descent) and the convex problems as CVXPY models.

CVXPY's ``huber(x, delta)`` is twice the library's h_delta (:mod:`numerics.losses`),
so the Huber model is ``0.5 * huber``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from numerics import losses
from numerics.factorization._validation import check_lam
from numerics.validation import as_matrix

__all__ = ["batched_objective", "convex_problem", "nuclear_norm_problems"]


def batched_objective(Y: object, lam: float, loss: str = "squared",
                      delta: float = 1.0) -> Callable:
    """The smooth objective loss(U V^T) + (lam/2)(||U||_F^2 + ||V||_F^2) for batched descent.

    Returns ``objective([U, V]) -> (losses (B,), [grad_U, grad_V])`` with U of
    shape (B, m, r) and V of shape (B, n, r), for
    :func:`numerics.descent.batched_descent`.  Its minimum equals min F at the
    same width (rescale each column pair to ||u_i|| = ||v_i||), and its
    stationary points are balanced stationary points of F.

    >>> f = batched_objective(np.eye(2), 1.0)
    >>> value, (gu, gv) = f([np.zeros((1, 2, 1)), np.zeros((1, 2, 1))])
    >>> value.tolist(), gu.shape
    ([1.0], (1, 2, 1))
    """
    Y = as_matrix("Y", Y)
    lam = check_lam(lam)
    spec = losses.get_loss(loss)
    delta = losses.check_delta(delta)
    losses.check_labels(Y, loss)
    value_and_gradient = spec.value_and_gradient

    def objective(params):
        U, V = params
        M = U @ np.swapaxes(V, -1, -2)
        value, G = value_and_gradient(Y, M, delta)
        reg = 0.5 * lam * (np.sum(U * U, axis=(-2, -1)) + np.sum(V * V, axis=(-2, -1)))
        return value + reg, [G @ V + lam * U, np.swapaxes(G, -1, -2) @ U + lam * V]

    return objective


def convex_problem(Y: object, lam: float, loss: str = "squared", delta: float = 1.0):
    """The CVXPY problem min_M loss(M) + lam ||M||_* and its variable M.

    Returns
    -------
    problem : cvxpy.Problem
    M : cvxpy.Variable
    """
    import cvxpy as cp  # only needed here

    Y = as_matrix("Y", Y)
    lam = check_lam(lam)
    loss = losses.check_loss(loss)
    delta = losses.check_delta(delta)
    losses.check_labels(Y, loss)
    M = cp.Variable(Y.shape, name="M")
    if loss == "squared":
        fit = 0.5 * cp.sum_squares(Y - M)
    elif loss == "logistic":
        fit = cp.sum(cp.logistic(-cp.multiply(Y, M)))
    else:
        # cvxpy's huber(x, d) is x^2 for |x| <= d, 2 d |x| - d^2 beyond: twice h_delta
        fit = 0.5 * cp.sum(cp.huber(M - Y, delta))
    return cp.Problem(cp.Minimize(fit + lam * cp.normNuc(M))), M


def nuclear_norm_problems(M: object, coefficient: float = 0.5):
    """||M||_* two ways as CVXPY problems: the lifted variational SDP, and normNuc.

    The variational form min over U V^T = M of c (||U||_F^2 + ||V||_F^2), lifted
    to W1 = U U^T, W2 = V V^T, is the SDP min c tr(W) over W = [[W1, M], [M^T, W2]]
    >= 0; at c = 1/2 its value is ||M||_* (Srebro, Rennie and Jaakkola 2005).

    Parameters
    ----------
    M : array_like, shape (m, n)
    coefficient : float
        The c of the variational form (the true one is 1/2).

    Returns
    -------
    lifted, direct : cvxpy.Problem
        The SDP, and min ||X||_* subject to X = M.
    """
    import cvxpy as cp  # only needed here

    M = as_matrix("M", M)
    c = float(coefficient)
    if not (np.isfinite(c) and c > 0):
        raise ValueError(f"coefficient: expected a positive finite number, got {coefficient!r}")
    mm, nn = M.shape
    W = cp.Variable((mm + nn, mm + nn), PSD=True)
    lifted = cp.Problem(cp.Minimize(c * cp.trace(W)), [W[:mm, mm:] == M])
    X = cp.Variable((mm, nn))
    direct = cp.Problem(cp.Minimize(cp.normNuc(X)), [X == M])
    return lifted, direct
