"""The Haeffele-Vidal certificate: a dual bound on the suboptimality of a factorization.

For every Z with ||Z||_2 <= lam, min_M loss(M) + lam ||M||_* >= D(Z) := -loss^*(-Z)
(the losses and their conjugates: :mod:`numerics.losses`), so ``F(U, V) - D(Z)``
bounds the suboptimality of (U, V).  :func:`certify` takes Z = -G min(1, lam /
||G||_2), G = grad loss(U V^T); at a stationary point with ||G||_2 <= lam the bound
is zero.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from numerics import losses
from numerics.factorization._validation import check_lam, factors
from numerics.factorization.spectral import spectral_norm_bounds
from numerics.factorization.variational import product_norm_sum
from numerics.validation import as_matrix

__all__ = [
    "loss_value",
    "loss_gradient",
    "dual_value",
    "factorized_objective",
    "stationarity_residual",
    "Certificate",
    "certify",
]


def _validated(Y: object, M: object, loss: str, delta: float,
               name: str = "M") -> tuple[np.ndarray, np.ndarray, losses.Loss, float]:
    Y = as_matrix("Y", Y)
    M = as_matrix(name, M, rows=Y.shape[0], cols=Y.shape[1])
    spec = losses.get_loss(loss)
    losses.check_labels(Y, loss)
    return Y, M, spec, losses.check_delta(delta)


def loss_value(Y: object, M: object, loss: str = "squared", delta: float = 1.0) -> float:
    """The loss of M against Y (the registry of :mod:`numerics.losses`).

    >>> loss_value(np.zeros((1, 2)), np.array([[0.5, 2.0]]), "huber")   # h_1: 1/8 + 3/2
    1.625
    """
    Y, M, spec, delta = _validated(Y, M, loss, delta)
    return float(spec.value_and_gradient(Y, M, delta)[0])


def loss_gradient(Y: object, M: object, loss: str = "squared", delta: float = 1.0) -> np.ndarray:
    """The gradient of the loss with respect to M."""
    Y, M, spec, delta = _validated(Y, M, loss, delta)
    return spec.value_and_gradient(Y, M, delta)[1]


def dual_value(Y: object, Z: object, lam: float, loss: str = "squared",
               delta: float = 1.0) -> float:
    """The dual objective D(Z) = -loss^*(-Z) of min loss(M) + lam ||M||_*.

    Weak duality: D(Z) <= min_M loss(M) + lam ||M||_* whenever ||Z||_2 <= lam;
    this function returns -inf when Z is outside that set (checked with the
    certified upper bound of :func:`spectral_norm_bounds`) or outside the
    domain of the conjugate.
    """
    Y, Z, spec, delta = _validated(Y, Z, loss, delta, name="Z")
    lam = check_lam(lam)
    if spectral_norm_bounds(Z)[1] > lam:
        return -np.inf
    return spec.dual(Y, Z, delta)


def factorized_objective(Y: object, U: object, V: object, lam: float, loss: str = "squared",
                         delta: float = 1.0) -> float:
    """F(U, V) = loss(U V^T) + lam sum_i ||u_i|| ||v_i||."""
    Y, U, V = factors(Y, U, V)
    lam = check_lam(lam)
    spec = losses.get_loss(loss)
    losses.check_labels(Y, loss)
    value = spec.value_and_gradient(Y, U @ V.T, losses.check_delta(delta))[0]
    return float(value) + lam * product_norm_sum(U, V)


def stationarity_residual(G: np.ndarray, U: np.ndarray, V: np.ndarray, lam: float) -> float:
    """Relative first-order residual of F at (U, V) over its nonzero column pairs.

    For a pair with u_i, v_i != 0 the gradient of F is
    (G v_i + lam (||v_i|| / ||u_i||) u_i, G^T u_i + lam (||u_i|| / ||v_i||) v_i),
    whose parts scale like lam ||v_i|| and lam ||u_i||; the residual is the norm
    of the whole gradient over lam sqrt(||U||_F^2 + ||V||_F^2).  Zero pairs are
    stationary in the sense of subgradients exactly when ||G v_i|| <= lam ||v_i||
    (and symmetrically), which the polar condition ||G||_2 <= lam covers, so
    they are left out here.
    """
    nu = np.linalg.norm(U, axis=0)
    nv = np.linalg.norm(V, axis=0)
    total = float(np.sqrt(np.sum(nu * nu) + np.sum(nv * nv)))
    live = (nu > 0) & (nv > 0)
    if not np.any(live):
        return 0.0
    U, V, nu, nv = U[:, live], V[:, live], nu[live], nv[live]
    gu = G @ V + lam * U * (nv / nu)
    gv = G.T @ U + lam * V * (nu / nv)
    return float(np.sqrt(np.sum(gu * gu) + np.sum(gv * gv)) / (lam * total))


@dataclass(frozen=True)
class Certificate:
    """The outcome of :func:`certify`.

    Attributes
    ----------
    optimal : bool
        True when the certified gap bound is at most ``rtol * objective``: then
        (U, V) is globally optimal for F (at any width) and U V^T for P, up to
        that relative tolerance.
    spectral_norm : float
        ||grad loss(U V^T)||_2 (Lanczos estimate, a certified lower bound).
    spectral_upper : float
        A certified upper bound on the same spectral norm.
    lam : float
    objective : float
        F(U, V).
    dual_value : float
        D(Z) at the dual feasible point Z = -G min(1, lam / spectral_upper): a
        lower bound on min P, hence on min F at every width.
    gap_bound : float
        objective - dual_value >= F(U, V) - min F >= 0.
    stationarity : float
        Relative first-order residual of F (see :func:`stationarity_residual`).
    loss : str
    """

    optimal: bool
    spectral_norm: float
    spectral_upper: float
    lam: float
    objective: float
    dual_value: float
    gap_bound: float
    stationarity: float
    loss: str

    @property
    def polar_satisfied(self) -> bool:
        """The Haeffele-Vidal condition ||grad||_2 <= lam (on the certified lower bound)."""
        return self.spectral_norm <= self.lam

    @property
    def relative_gap(self) -> float:
        """gap_bound / objective (0 when both vanish)."""
        if self.objective <= 0.0:
            return 0.0 if self.gap_bound <= 0.0 else np.inf
        return self.gap_bound / self.objective


def certify(Y: object, U: object, V: object, lam: float, loss: str = "squared", *,
            delta: float = 1.0, rtol: float = 1e-6) -> Certificate:
    """Certify (or not) the global optimality of a factorization (U, V).

    The problem is min_{U, V} loss(U V^T) + lam sum_i ||u_i|| ||v_i||, at any
    width.  With G = grad loss(U V^T), the point Z = -G min(1, lam / ||G||_2) is
    feasible for the dual of min_M loss(M) + lam ||M||_*, so
    ``F(U, V) - D(Z)`` bounds the suboptimality of (U, V); at a stationary
    point with ||G||_2 <= lam it is zero (Haeffele and Vidal), otherwise it
    still says how far off the point can be.  Only the top singular value of
    G is computed (see :func:`spectral_norm_bounds`), never a full SVD.

    Parameters
    ----------
    Y : array_like, shape (m, n)
        Data (labels in {-1, +1} for the logistic loss).
    U, V : array_like, shapes (m, r) and (n, r)
    lam : float
        Regularization weight, > 0.
    loss : {"squared", "logistic", "huber"}
    delta : float
        Huber width (ignored by the other losses).
    rtol : float
        ``optimal`` means gap_bound <= rtol * objective.

    Returns
    -------
    Certificate

    Examples
    --------
    >>> from numerics.factorization import balanced_factors, soft_threshold, soft_threshold_value
    >>> Y = np.diag([3.0, 2.0, 0.5])
    >>> U, V = balanced_factors(soft_threshold(Y, 1.0), width=2)
    >>> c = certify(Y, U, V, lam=1.0)
    >>> c.optimal, round(c.spectral_norm, 9), round(c.gap_bound, 9)
    (True, 1.0, 0.0)
    >>> c1 = certify(Y, U[:, :1], V[:, :1], lam=1.0)   # width 1 < rank 2
    >>> c1.optimal, round(c1.spectral_norm, 9), round(c1.gap_bound, 6)
    (False, 2.0, 1.65625)
    >>> round(c1.objective - soft_threshold_value(Y, 1.0), 6)   # the true gap
    0.5
    """
    Y, U, V = factors(Y, U, V)
    lam = check_lam(lam)
    spec = losses.get_loss(loss)
    delta = losses.check_delta(delta)
    losses.check_labels(Y, loss)
    if isinstance(rtol, bool) or not isinstance(rtol, numbers.Real) or not rtol >= 0:
        raise ValueError(f"rtol: expected a non-negative number, got {rtol!r}")
    value, G = spec.value_and_gradient(Y, U @ V.T, delta)
    objective = float(value) + lam * float(
        np.sum(np.linalg.norm(U, axis=0) * np.linalg.norm(V, axis=0)))
    lower, upper = spectral_norm_bounds(G)
    scale = 1.0 if upper <= lam else lam / upper
    dual = spec.dual(Y, -scale * G, delta)
    gap = objective - dual
    return Certificate(
        optimal=bool(gap <= rtol * max(objective, 0.0)),
        spectral_norm=lower,
        spectral_upper=upper,
        lam=lam,
        objective=objective,
        dual_value=dual,
        gap_bound=float(gap),
        stationarity=stationarity_residual(G, U, V, lam),
        loss=loss,
    )
