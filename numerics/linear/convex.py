"""Convex losses of the end-to-end matrix (Laurent and von Brecht): the losses and their
gradients, the batched objective of a deep network, and the convex optimum by CVXPY.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from numerics import losses
from numerics.descent import DescentResult, batched_descent
from numerics.instances import conditioned_matrix
from numerics.linear.data import _data
from numerics.linear.deep import chain_rule, end_to_end
from numerics.validation import check_positive_int

__all__ = ["logistic_loss", "softmax_cross_entropy", "huber_loss", "l1_loss",
           "END_TO_END_LOSSES", "deep_objective", "convex_optimum", "DIFFERENTIABLE",
           "convex_data", "l1_spurious_example", "perturbed_starts", "convex_descent",
           "l1_box_margin"]

DIFFERENTIABLE = ("logistic", "softmax", "huber")

# -- convex losses of the end-to-end matrix (Laurent and von Brecht) ------------------------

EndToEndLoss = Callable[[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def logistic_loss(W: np.ndarray, X: np.ndarray, Y: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
    """sum log(1 + exp(-Y o (W X))) with labels Y in {-1, +1}; batched W (B, d_y, d_x)."""
    Z = np.matmul(W, X)
    margin = -Y * Z
    loss = np.sum(np.logaddexp(0.0, margin), axis=(1, 2))
    weight = -Y * np.exp(-np.logaddexp(0.0, -margin))  # -y sigmoid(margin), overflow-safe
    return loss, np.matmul(weight, X.T)


def softmax_cross_entropy(W: np.ndarray, X: np.ndarray, Y: np.ndarray
                          ) -> tuple[np.ndarray, np.ndarray]:
    """sum_n [logsumexp((W X)_{:, n}) - (W X)_{y_n, n}] with one-hot labels Y (d_y x N)."""
    Z = np.matmul(W, X)
    zmax = np.max(Z, axis=1, keepdims=True)
    ez = np.exp(Z - zmax)
    tot = np.sum(ez, axis=1, keepdims=True)
    lse = (np.log(tot) + zmax)[:, 0, :]
    loss = np.sum(lse, axis=1) - np.sum(Y * Z, axis=(1, 2))
    return loss, np.matmul(ez / tot - Y, X.T)


def huber_loss(W: np.ndarray, X: np.ndarray, Y: np.ndarray, delta: float = 1.0
               ) -> tuple[np.ndarray, np.ndarray]:
    """Huber loss of the residual, batched, in the library's one convention.

    ``sum_{i, n} h((W X - Y)_{i n})`` with :func:`numerics.losses.huber`:
    ``h(r) = r^2 / 2`` for ``|r| <= delta`` and ``delta |r| - delta^2 / 2`` beyond, half
    of ``cvxpy.huber(r, delta)`` (:func:`convex_optimum` uses ``0.5 * cvxpy.huber``, so
    both minimize the same function). The gradient in W is ``clip(R, -delta, delta) X^T``.

    Parameters
    ----------
    W : ndarray, shape (B, d_y, d_x)
    X, Y : ndarray, shapes (d_x, N) and (d_y, N)
    delta : float
        The threshold between the quadratic and the linear regime.

    Returns
    -------
    loss : ndarray, shape (B,)
    grad : ndarray, shape (B, d_y, d_x)

    >>> W = np.array([[[1.0]]])
    >>> huber_loss(W, np.array([[1.0, 1.0]]), np.array([[0.5, 4.0]]))[0].tolist()
    [2.625]
    """
    R = np.matmul(W, X) - Y
    loss = np.sum(losses.huber(R, delta), axis=(1, 2))
    return loss, np.matmul(losses.huber_gradient(R, delta), X.T)


def l1_loss(W: np.ndarray, X: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """sum |W X - Y| (convex, not differentiable); the 'gradient' is the subgradient sign(R) X^T."""
    R = np.matmul(W, X) - Y
    return np.sum(np.abs(R), axis=(1, 2)), np.matmul(np.sign(R), X.T)


END_TO_END_LOSSES: dict[str, EndToEndLoss] = {
    "logistic": logistic_loss,
    "softmax": softmax_cross_entropy,
    "huber": huber_loss,
    "l1": l1_loss,
}


def deep_objective(loss: str | EndToEndLoss, X: object, Y: object):
    """A batched objective ``params -> (losses, grads)`` for batched gradient descent.

    Parameters
    ----------
    loss : str or callable
        A name of :data:`END_TO_END_LOSSES` or ``f(W, X, Y) -> (losses, grad_W)``.
    X, Y : array_like
        Inputs (d_x x N) and targets (d_y x N: labels in {-1, 1} for logistic,
        one-hot columns for softmax).
    """
    X, Y = _data(X, Y)
    fn = END_TO_END_LOSSES.get(loss) if isinstance(loss, str) else loss
    if fn is None:
        raise ValueError(f"loss: expected one of {', '.join(END_TO_END_LOSSES)}, got {loss!r}")

    def objective(params: Sequence[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
        ws = list(params)
        prefix = [ws[0]]
        for w in ws[1:]:
            prefix.append(np.matmul(w, prefix[-1]))
        values, G = fn(prefix[-1], X, Y)
        return values, chain_rule(ws, prefix, G)

    return objective


def convex_optimum(loss: str, X: object, Y: object, solver: str = "CLARABEL",
                   delta: float = 1.0):
    """min over W of a convex end-to-end loss, with CVXPY (solver named, status reported).

    Parameters
    ----------
    loss : {"logistic", "softmax", "huber", "l1"}
    X, Y : array_like
    solver : str
        CLARABEL by default: an interior-point method, accurate to about 1e-8 on these
        small exponential-cone and second-order-cone problems.

    Returns
    -------
    numerics.convex.ConvexResult
        ``value`` is None unless the status is "optimal".
    """
    import cvxpy as cvx

    from numerics.convex import solve

    X, Y = _data(X, Y)
    W = cvx.Variable((Y.shape[0], X.shape[0]), name="W")
    Z = W @ X
    if loss == "logistic":
        objective = cvx.sum(cvx.logistic(cvx.multiply(-Y, Z)))
    elif loss == "softmax":
        objective = cvx.sum(cvx.log_sum_exp(Z, axis=0)) - cvx.sum(cvx.multiply(Y, Z))
    elif loss == "huber":
        objective = 0.5 * cvx.sum(cvx.huber(Z - Y, delta))  # numerics.losses.huber
    elif loss == "l1":
        objective = cvx.sum(cvx.abs(Z - Y))
    else:
        raise ValueError(f"loss: expected logistic, softmax, huber or l1, got {loss!r}")
    return solve(cvx.Problem(cvx.Minimize(objective)), solver=solver)


def convex_data(loss: str, rng: np.random.Generator, dx: int = 4, dy: int = 3,
                n_samples: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """A non-separable instance for ``loss`` (labels drawn from the model's own noise).

    Parameters
    ----------
    loss : {"logistic", "softmax", "huber"}
        Logistic labels are in {-1, 1}, softmax labels one-hot columns; Huber targets
        have Student-t (2 degrees of freedom) noise, so both Huber regimes are active.
    rng : numpy.random.Generator
    dx, dy, n_samples : int
        X is dx x n_samples (condition number 3), Y is dy x n_samples.

    >>> X, Y = convex_data("logistic", np.random.default_rng(0), dx=3, dy=2, n_samples=10)
    >>> X.shape, sorted(set(Y.ravel().tolist()))
    ((3, 10), [-1.0, 1.0])
    """
    if loss not in DIFFERENTIABLE:
        raise ValueError(f"loss: expected one of {DIFFERENTIABLE}, got {loss!r}")
    dx, dy = check_positive_int(dx, "dx"), check_positive_int(dy, "dy")
    n_samples = check_positive_int(n_samples, "n_samples")
    X = conditioned_matrix(dx, n_samples, rng, condition=3.0) * math.sqrt(n_samples / dx)
    Z = rng.standard_normal((dy, dx)) @ X
    if loss == "logistic":
        return X, np.where(rng.random(Z.shape) < 1 / (1 + np.exp(-Z)), 1.0, -1.0)
    if loss == "softmax":
        P = np.exp(Z - Z.max(axis=0))
        P /= P.sum(axis=0)
        labels = (rng.random(n_samples)[None, :] > np.cumsum(P, axis=0)).sum(axis=0)
        return X, np.eye(dy)[:, np.minimum(labels, dy - 1)]
    return X, Z + rng.standard_t(2, Z.shape)


def l1_spurious_example() -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """d_x = 1, d_y = 2, one hidden unit, loss |W X - Y|_1 with X = [1], Y = [0, 1]^T.

    At w_1 = 0, w_2 = e_1 the loss is 1, a local minimum (every nearby product is
    eps (1 + d_1, d_2) and |eps| (1 + d_1) + |1 - eps d_2| >= 1 for |d_1| + |d_2| < 1),
    while the convex optimum W = (0, 1)^T has loss 0.

    Returns
    -------
    X, Y : ndarray
    point : list of ndarray
        The layers (w_1, w_2) of the local minimum, each with a leading axis of length 1.

    >>> X, Y, point = l1_spurious_example()
    >>> float(l1_loss(end_to_end(point), X, Y)[0][0])
    1.0
    """
    X = np.array([[1.0]])
    Y = np.array([[0.0], [1.0]])
    return X, Y, [np.zeros((1, 1, 1)), np.array([[[1.0], [0.0]]])]


def perturbed_starts(point: Sequence[np.ndarray], starts: int, scale: float,
                     rng: np.random.Generator) -> list[np.ndarray]:
    """``starts`` descent starts: the layers of ``point`` plus N(0, scale^2) entries.

    Parameters
    ----------
    point : sequence of ndarray
        Layers, each with a leading axis of length 1.
    starts : int
    scale : float
        Standard deviation of the perturbation (> 0).
    rng : numpy.random.Generator

    >>> ws = perturbed_starts([np.zeros((1, 2, 1))], 3, 0.1, np.random.default_rng(0))
    >>> ws[0].shape
    (3, 2, 1)
    """
    starts = check_positive_int(starts, "starts")
    if not (math.isfinite(scale) and scale > 0):
        raise ValueError(f"scale: expected a positive number, got {scale!r}")
    return [w + scale * rng.standard_normal((starts,) + w.shape[1:]) for w in point]


def convex_descent(loss: str | EndToEndLoss, X: object, Y: object,
                   weights: Sequence[np.ndarray], iterations: int, step: float = 0.01,
                   grad_tol: float | None = None) -> DescentResult:
    """Batched gradient descent on ``loss`` of the end-to-end matrix of deep networks.

    Parameters
    ----------
    loss : str or callable
        As in :func:`deep_objective`.
    X, Y : array_like
    weights : sequence of ndarray
        The starts, layers stacked on a leading axis.
    iterations : int
        The iteration budget.
    step : float
    grad_tol : float, optional
        Stop at ||grad|| <= grad_tol; default 1e-6 N (N = number of samples: the losses
        are sums over samples).
    """
    iterations = check_positive_int(iterations, "iterations")
    X, Y = _data(X, Y)
    tol = 1e-6 * X.shape[1] if grad_tol is None else grad_tol
    return batched_descent(deep_objective(loss, X, Y), weights, step=step,
                           iterations=iterations, grad_tol=tol)


def l1_box_margin(point: Sequence[np.ndarray], X: object, Y: object, half_width: float,
                  samples: int, rng: np.random.Generator) -> tuple[float, float]:
    """How far below the l1 loss at a two-layer ``point`` a box of neighbours goes.

    Draws ``samples`` perturbations uniform in [-half_width, half_width] of every entry of
    the two layers (w_1: 1 x 1, w_2: d_y x 1) and returns (min neighbour loss - loss at
    ``point``, loss at ``point``): a negative margin beyond round-off refutes local
    minimality.

    >>> X, Y, point = l1_spurious_example()
    >>> margin, base = l1_box_margin(point, X, Y, 0.1, 1000, np.random.default_rng(0))
    >>> base, margin >= 0
    (1.0, True)
    """
    X, Y = _data(X, Y)
    samples = check_positive_int(samples, "samples")
    if len(point) != 2:
        raise ValueError(f"point: expected two layers, got {len(point)}")
    if not (math.isfinite(half_width) and half_width > 0):
        raise ValueError(f"half_width: expected a positive number, got {half_width!r}")
    e = rng.uniform(-half_width, half_width, (samples,) + point[0].shape[1:])
    d = rng.uniform(-half_width, half_width, (samples,) + point[1].shape[1:])
    local = l1_loss(np.matmul(point[1] + d, point[0] + e), X, Y)[0]
    base = float(l1_loss(end_to_end(point), X, Y)[0][0])
    return float(np.min(local) - base), base
