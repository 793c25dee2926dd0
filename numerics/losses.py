"""The loss registry: value, gradient and conjugate of the losses of the certificate theorems.

A loss compares a prediction M with data Y entry by entry and is summed over
the last two axes (so a stack of predictions of shape (B, m, n) gives B
values).  Its dual objective is D(Z) = -loss^*(-Z), where loss^* is the convex
conjugate; weak duality for min_M loss(M) + lam ||M||_* reads D(Z) <= min
whenever ||Z||_2 <= lam (see :mod:`numerics.factorization`).

Losses
------
``"squared"``
    (1/2) ||M - Y||_F^2; gradient M - Y; loss^*(W) = <W, Y> + ||W||_F^2 / 2.
``"logistic"``
    sum log(1 + exp(-Y o M)) with labels Y in {-1, +1}; gradient -Y o sigmoid(-Y o M);
    loss^*(W) = sum h(-W o Y) with h(s) = s log s + (1 - s) log(1 - s) on [0, 1]
    (+inf outside).
``"huber"``
    sum h_delta(M - Y) with **the one Huber convention of the library**

        h_delta(r) = r^2 / 2                     for |r| <= delta,
        h_delta(r) = delta |r| - delta^2 / 2     for |r| > delta,

    so h_delta is the squared loss near 0 (h_delta'(r) = clip(r, -delta, delta))
    and h_delta^*(w) = w^2 / 2 on |w| <= delta (+inf outside); loss^*(W) =
    <W, Y> + ||W||_F^2 / 2 on |W_ij| <= delta.  CVXPY's ``huber(x, delta)`` is
    **twice** this (x^2, 2 delta |x| - delta^2), so a CVXPY model of it is
    ``0.5 * cp.huber(x, delta)``.

>>> float(huber(np.array([0.5, 2.0]), 1.0).sum())   # 0.125 + (2 - 0.5)
1.625
>>> value, grad = value_and_gradient(np.zeros((1, 2)), np.array([[0.5, 2.0]]), "huber")
>>> float(value), grad.tolist()
(1.625, [[0.5, 1.0]])
>>> float(dual_objective(np.ones((1, 1)), np.array([[0.5]]), "squared"))  # 0.5 - 0.125
0.375
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.special import expit, xlogy

__all__ = [
    "Loss",
    "LOSSES",
    "LOSS_NAMES",
    "get_loss",
    "check_loss",
    "check_delta",
    "check_labels",
    "huber",
    "huber_gradient",
    "value_and_gradient",
    "dual_objective",
    "conjugate",
]


# -- input checks ------------------------------------------------------------------------


def check_loss(loss: object) -> str:
    """A registered loss name (ValueError naming ``loss`` otherwise)."""
    if loss not in LOSSES:
        raise ValueError(f"loss: expected one of {', '.join(LOSSES)}, got {loss!r}")
    return str(loss)


def check_delta(delta: object) -> float:
    """A positive finite Huber width."""
    if isinstance(delta, bool) or not isinstance(delta, numbers.Real) \
            or not np.isfinite(delta) or not delta > 0:
        raise ValueError(f"delta: expected a positive finite number (Huber width), got {delta!r}")
    return float(delta)


def check_labels(Y: np.ndarray, loss: str) -> None:
    """The logistic loss needs labels in {-1, +1}; the others take any real data."""
    if LOSSES[check_loss(loss)].labels and not np.all(np.abs(Y) == 1.0):
        raise ValueError(f"Y: the {loss} loss expects labels in {{-1, +1}}")


# -- Huber, in the library's convention ---------------------------------------------------


def huber(R: object, delta: float = 1.0) -> np.ndarray:
    """h_delta(r) entrywise: r^2/2 for |r| <= delta, delta |r| - delta^2/2 beyond.

    Half of CVXPY's ``huber(r, delta)``.

    >>> huber(np.array([-3.0, 0.0, 1.0]), 2.0).tolist()
    [4.0, 0.0, 0.5]
    """
    delta = check_delta(delta)
    R = np.asarray(R, dtype=float)
    A = np.abs(R)
    return np.where(A <= delta, 0.5 * R * R, delta * A - 0.5 * delta * delta)


def huber_gradient(R: object, delta: float = 1.0) -> np.ndarray:
    """h_delta'(r) = clip(r, -delta, delta) entrywise.

    >>> huber_gradient(np.array([-3.0, 0.5]), 1.0).tolist()
    [-1.0, 0.5]
    """
    delta = check_delta(delta)
    return np.clip(np.asarray(R, dtype=float), -delta, delta)


# -- the three losses ----------------------------------------------------------------------


def _squared(Y: np.ndarray, M: np.ndarray, delta: float) -> tuple[np.ndarray, np.ndarray]:
    R = M - Y
    return 0.5 * np.sum(R * R, axis=(-2, -1)), R


def _squared_dual(Y: np.ndarray, Z: np.ndarray, delta: float) -> float:
    # loss^*(W) = <W, Y> + ||W||^2 / 2
    return float(np.sum(Z * Y) - 0.5 * np.sum(Z * Z))


def _logistic(Y: np.ndarray, M: np.ndarray, delta: float) -> tuple[np.ndarray, np.ndarray]:
    Z = Y * M
    return np.sum(np.logaddexp(0.0, -Z), axis=(-2, -1)), -Y * expit(-Z)


def _logistic_dual(Y: np.ndarray, Z: np.ndarray, delta: float) -> float:
    # per entry loss^*(w) = h(-w y) with h(s) = s log s + (1 - s) log(1 - s) on [0, 1]
    s = Z * Y
    if np.any(s < 0.0) or np.any(s > 1.0):
        return -np.inf
    return float(-np.sum(xlogy(s, s) + xlogy(1.0 - s, 1.0 - s)))


def _huber(Y: np.ndarray, M: np.ndarray, delta: float) -> tuple[np.ndarray, np.ndarray]:
    R = M - Y
    A = np.abs(R)
    val = np.where(A <= delta, 0.5 * R * R, delta * A - 0.5 * delta * delta)
    return np.sum(val, axis=(-2, -1)), np.clip(R, -delta, delta)


def _huber_dual(Y: np.ndarray, Z: np.ndarray, delta: float) -> float:
    # loss^*(W) = <W, Y> + ||W||^2 / 2 on |W_ij| <= delta
    if np.any(np.abs(Z) > delta):
        return -np.inf
    return float(np.sum(Z * Y) - 0.5 * np.sum(Z * Z))


@dataclass(frozen=True)
class Loss:
    """One registered loss.

    Attributes
    ----------
    name : str
    value_and_gradient : callable
        ``(Y, M, delta) -> (values, gradient)``: the loss summed over the last two
        axes (stacks allowed) and its gradient in M.  Unvalidated: call the
        module-level :func:`value_and_gradient` at a public boundary.
    dual : callable
        ``(Y, Z, delta) -> D(Z) = -loss^*(-Z)`` (``-inf`` outside the domain).
    labels : bool
        True when Y must hold labels in {-1, +1}.
    """

    name: str
    value_and_gradient: Callable[[np.ndarray, np.ndarray, float],
                                 tuple[np.ndarray, np.ndarray]]
    dual: Callable[[np.ndarray, np.ndarray, float], float]
    labels: bool = False


LOSSES: dict[str, Loss] = {
    "squared": Loss("squared", _squared, _squared_dual),
    "logistic": Loss("logistic", _logistic, _logistic_dual, labels=True),
    "huber": Loss("huber", _huber, _huber_dual),
}
LOSS_NAMES: tuple[str, ...] = tuple(LOSSES)


def get_loss(name: str) -> Loss:
    """The registered loss called ``name``.

    >>> get_loss("huber").labels
    False
    """
    return LOSSES[check_loss(name)]


def _arrays(Y: object, M: object, name: str) -> tuple[np.ndarray, np.ndarray]:
    Y = np.asarray(Y, dtype=float)
    M = np.asarray(M, dtype=float)
    if Y.ndim != 2 or M.ndim < 2 or M.shape[-2:] != Y.shape:
        raise ValueError(f"{name}: expected shape (..., {Y.shape[0] if Y.ndim == 2 else 'm'}, "
                         f"{Y.shape[1] if Y.ndim == 2 else 'n'}) matching a 2-D Y, "
                         f"got Y {Y.shape} and {name} {M.shape}")
    if not (np.all(np.isfinite(Y)) and np.all(np.isfinite(M))):
        raise ValueError(f"{name}: expected finite entries, found NaN or infinity")
    return Y, M


def value_and_gradient(Y: object, M: object, loss: str = "squared",
                       delta: float = 1.0) -> tuple[np.ndarray | float, np.ndarray]:
    """The loss of M (or of each matrix of a stack M) against Y, and its gradient in M.

    Parameters
    ----------
    Y : array_like, shape (m, n)
    M : array_like, shape (..., m, n)
    loss : {"squared", "logistic", "huber"}
    delta : float
        Huber width (ignored by the other losses).

    Returns
    -------
    values : float or ndarray, shape (...)
    gradient : ndarray, shape of M
    """
    Y, M = _arrays(Y, M, "M")
    spec = get_loss(loss)
    check_labels(Y, loss)
    return spec.value_and_gradient(Y, M, check_delta(delta))


def dual_objective(Y: object, Z: object, loss: str = "squared", delta: float = 1.0) -> float:
    """D(Z) = -loss^*(-Z) (``-inf`` outside the conjugate's domain), Z of Y's shape."""
    Y, Z = _arrays(Y, Z, "Z")
    if Z.ndim != 2:
        raise ValueError(f"Z: expected a 2-D array, got shape {Z.shape}")
    spec = get_loss(loss)
    check_labels(Y, loss)
    return spec.dual(Y, Z, check_delta(delta))


def conjugate(Y: object, W: object, loss: str = "squared", delta: float = 1.0) -> float:
    """loss^*(W) = sup_M <W, M> - loss(M) (``+inf`` outside its domain).

    >>> float(conjugate(np.zeros((1, 1)), np.array([[2.0]]), "huber", delta=1.0))
    inf
    >>> float(conjugate(np.zeros((1, 1)), np.array([[0.5]]), "huber", delta=1.0))
    0.125
    """
    return -dual_objective(Y, -np.asarray(W, dtype=float), loss, delta)
