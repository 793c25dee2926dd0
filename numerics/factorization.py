"""Product-of-norms matrix factorization: variational nuclear norm, soft-thresholding,
global-optimality certificates (MATH.md section 7, Haeffele and Vidal).

Conventions: Y is m x n, U is m x r, V is n x r, M = U V^T, columns u_i, v_i.
The factorized problem and its convex counterpart are

    F(U, V) = loss(U V^T) + lam * sum_i ||u_i|| ||v_i||,
    P(M)    = loss(M) + lam * ||M||_*,

with min F = min P as soon as r >= rank of a minimizer of P, because
||M||_* = min over U V^T = M of sum_i ||u_i|| ||v_i||.  Fenchel duality gives,
for every Z with ||Z||_2 <= lam,

    min P >= D(Z) := -loss^*(-Z),

so ``F(U, V) - D(Z)`` bounds the suboptimality of (U, V) for both problems.
:func:`certify` builds Z from the loss gradient G = grad loss(U V^T), scaled
into the spectral ball: Z = -G * min(1, lam / ||G||_2).  At a stationary point
with ||G||_2 <= lam the bound is zero (the Haeffele-Vidal certificate).

Losses (``loss=``): ``"squared"`` (1/2)||Y - M||_F^2; ``"logistic"``
sum log(1 + exp(-Y o M)) with labels Y in {-1, +1}; ``"huber"``
sum h_delta(M - Y), h_delta(r) = r^2/2 for |r| <= delta, delta |r| - delta^2/2 beyond.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.linalg
from scipy.sparse.linalg import ArpackNoConvergence, eigsh
from scipy.special import expit, xlogy

from numerics.validation import as_factors, as_matrix, check_positive_int, check_same_rows

__all__ = [
    "LOSSES",
    "Certificate",
    "certify",
    "nuclear_norm",
    "product_norm_sum",
    "frobenius_penalty",
    "balanced_factors",
    "soft_threshold",
    "soft_threshold_value",
    "loss_value",
    "loss_gradient",
    "dual_value",
    "spectral_norm_bounds",
    "stationarity_residual",
    "factorized_objective",
    "batched_objective",
    "convex_problem",
    "DropoutCertificate",
    "certify_dropout",
]

LOSSES = ("squared", "logistic", "huber")
_EPS = np.finfo(np.float64).eps
DENSE_LIMIT = 64  # up to this smaller side a dense LAPACK eigensolver beats ARPACK


# -- input checks ------------------------------------------------------------------------


def _check_lam(lam: object) -> float:
    if isinstance(lam, bool) or not isinstance(lam, numbers.Real) or not np.isfinite(lam) \
            or not lam > 0:
        raise ValueError(f"lam: expected a positive finite number, got {lam!r}")
    return float(lam)


def _check_delta(delta: object) -> float:
    if isinstance(delta, bool) or not isinstance(delta, numbers.Real) \
            or not np.isfinite(delta) or not delta > 0:
        raise ValueError(f"delta: expected a positive finite number (Huber width), got {delta!r}")
    return float(delta)


def _check_loss(loss: object) -> str:
    if loss not in LOSSES:
        raise ValueError(f"loss: expected one of {', '.join(LOSSES)}, got {loss!r}")
    return str(loss)


def _check_labels(Y: np.ndarray, loss: str) -> None:
    if loss == "logistic" and not np.all(np.abs(Y) == 1.0):
        raise ValueError("Y: the logistic loss expects labels in {-1, +1}")


def _factors(Y: object, U: object, V: object) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return as_factors(Y, U, V, name="Y")


# -- variational form of the nuclear norm ------------------------------------------------


def nuclear_norm(M: object) -> float:
    """||M||_*, the sum of the singular values.

    >>> nuclear_norm(np.diag([3.0, -4.0]))
    7.0
    """
    M = as_matrix("M", M)
    return float(np.sum(np.linalg.svd(M, compute_uv=False)))


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
    lam = _check_lam(lam)
    a, s, bt = np.linalg.svd(Y, full_matrices=False)
    return (a * np.maximum(s - lam, 0.0)) @ bt


def soft_threshold_value(Y: object, lam: float) -> float:
    """min_M (1/2)||Y - M||_F^2 + lam ||M||_*, in closed form.

    Per singular value: lam sigma - lam^2/2 when sigma > lam, sigma^2/2 otherwise.
    """
    Y = as_matrix("Y", Y)
    lam = _check_lam(lam)
    s = np.linalg.svd(Y, compute_uv=False)
    return float(np.sum(np.where(s > lam, lam * s - 0.5 * lam * lam, 0.5 * s * s)))


# -- losses, gradients and conjugates ---------------------------------------------------


def _loss_and_grad(Y: np.ndarray, M: np.ndarray, loss: str,
                   delta: float) -> tuple[np.ndarray, np.ndarray]:
    """Loss summed over the last two axes (works on stacks) and its gradient in M."""
    if loss == "squared":
        R = M - Y
        return 0.5 * np.sum(R * R, axis=(-2, -1)), R
    if loss == "logistic":
        Z = Y * M
        return np.sum(np.logaddexp(0.0, -Z), axis=(-2, -1)), -Y * expit(-Z)
    R = M - Y
    A = np.abs(R)
    val = np.where(A <= delta, 0.5 * R * R, delta * A - 0.5 * delta * delta)
    return np.sum(val, axis=(-2, -1)), np.clip(R, -delta, delta)


def loss_value(Y: object, M: object, loss: str = "squared", delta: float = 1.0) -> float:
    """The loss of M against Y (see the module docstring for the three losses)."""
    Y = as_matrix("Y", Y)
    M = as_matrix("M", M, rows=Y.shape[0], cols=Y.shape[1])
    loss = _check_loss(loss)
    _check_labels(Y, loss)
    return float(_loss_and_grad(Y, M, loss, _check_delta(delta))[0])


def loss_gradient(Y: object, M: object, loss: str = "squared", delta: float = 1.0) -> np.ndarray:
    """The gradient of the loss with respect to M."""
    Y = as_matrix("Y", Y)
    M = as_matrix("M", M, rows=Y.shape[0], cols=Y.shape[1])
    loss = _check_loss(loss)
    _check_labels(Y, loss)
    return _loss_and_grad(Y, M, loss, _check_delta(delta))[1]


def _dual(Y: np.ndarray, Z: np.ndarray, loss: str, delta: float) -> float:
    """D(Z) = -loss^*(-Z); -inf outside the conjugate's domain."""
    if loss == "squared":
        # loss^*(W) = <W, Y> + ||W||^2 / 2
        return float(np.sum(Z * Y) - 0.5 * np.sum(Z * Z))
    if loss == "logistic":
        # per entry loss^*(w) = h(-w y) with h(s) = s log s + (1 - s) log(1 - s) on [0, 1]
        s = Z * Y
        if np.any(s < 0.0) or np.any(s > 1.0):
            return -np.inf
        return float(-np.sum(xlogy(s, s) + xlogy(1.0 - s, 1.0 - s)))
    # Huber: loss^*(W) = <W, Y> + ||W||^2 / 2 on |W_ij| <= delta
    if np.any(np.abs(Z) > delta):
        return -np.inf
    return float(np.sum(Z * Y) - 0.5 * np.sum(Z * Z))


def dual_value(Y: object, Z: object, lam: float, loss: str = "squared",
               delta: float = 1.0) -> float:
    """The dual objective D(Z) = -loss^*(-Z) of min loss(M) + lam ||M||_*.

    Weak duality: D(Z) <= min_M loss(M) + lam ||M||_* whenever ||Z||_2 <= lam;
    this function returns -inf when Z is outside that set (checked with the
    certified upper bound of :func:`spectral_norm_bounds`) or outside the
    domain of the conjugate.
    """
    Y = as_matrix("Y", Y)
    Z = as_matrix("Z", Z, rows=Y.shape[0], cols=Y.shape[1])
    lam = _check_lam(lam)
    loss = _check_loss(loss)
    _check_labels(Y, loss)
    if spectral_norm_bounds(Z)[1] > lam:
        return -np.inf
    return _dual(Y, Z, loss, _check_delta(delta))


# -- spectral norm with certified bounds ------------------------------------------------


def _gram(G: np.ndarray) -> np.ndarray:
    return G.T @ G if G.shape[1] <= G.shape[0] else G @ G.T


def _psd_margin(G: np.ndarray, t2: float) -> float:
    """A bound on the float64 error of deciding t^2 I - G^T G >= 0 by Cholesky.

    Forming the Gram matrix costs ||dB|| <= gamma_m ||G||_F^2; Cholesky's backward
    error is ||E|| <= gamma_(k+1) tr(L L^T) <= gamma_(k+1) k t^2 (Higham, Thm 10.3).
    Doubled for safety.
    """
    m, k = max(G.shape), min(G.shape)
    fro2 = float(np.sum(G * G))
    return 2.0 * ((m + 1) * _EPS * fro2 + (k + 2) * _EPS * k * t2)


def _top_vector(B: np.ndarray) -> np.ndarray:
    """An approximate top eigenvector of the symmetric PSD matrix B."""
    k = B.shape[0]
    if k > DENSE_LIMIT:
        # Lanczos (ARPACK) from a fixed start: deterministic, O(k^2) per step
        v0 = np.random.default_rng(0).standard_normal(k)
        try:
            return eigsh(B, k=1, which="LA", v0=v0, tol=0)[1][:, 0]
        except ArpackNoConvergence:
            pass  # clustered top eigenvalues can stall ARPACK: LAPACK below is exact
    # the full divide-and-conquer driver: LAPACK's index-subset drivers (evx, evr) were
    # seen to return no eigenpair at all when the top eigenvalue is repeated
    return scipy.linalg.eigh(B, driver="evd")[1][:, -1]


def spectral_norm_bounds(G: object) -> tuple[float, float]:
    """Certified bounds lower <= ||G||_2 <= upper, computing only the top singular value.

    With B the smaller Gram matrix (G^T G or G G^T), an approximate top
    eigenvector v of B comes from Lanczos (ARPACK ``eigsh``; a dense LAPACK
    eigensolver when the smaller side is at most 64 or when ARPACK stalls).
    Any vector gives the lower bound ||G v|| / ||v|| (or with G^T).
    The upper bound t is certified by a Cholesky factorization of t^2 I - B,
    which exists only if ||G||_2 <= t, with t slightly above the lower bound
    and a margin for the round-off of forming B and of the factorization.  If
    the estimate missed the top (Cholesky fails), t grows until it succeeds,
    restarting from LAPACK's top eigenvalue of B.

    Returns
    -------
    lower, upper : float

    >>> lo, hi = spectral_norm_bounds(np.diag([3.0, 1.0]))
    >>> bool(lo <= 3.0 <= hi), bool(hi - lo < 1e-8)
    (True, True)
    """
    G = as_matrix("G", G)
    if not np.any(G):
        return 0.0, 0.0
    B = _gram(G)
    k = B.shape[0]
    v = _top_vector(B)
    image = G @ v if G.shape[1] <= G.shape[0] else G.T @ v
    rq = float(np.linalg.norm(image) / np.linalg.norm(v))
    lower = float(rq * (1.0 - 4 * max(G.shape) * _EPS))  # round-off of the quotient
    identity = np.eye(k)
    first = max(1e-10, 8 * (max(G.shape) + k) * _EPS)
    base, rel = rq, first
    for attempt in range(12):
        if attempt == 6:  # the estimate missed the top: restart from LAPACK's eigenvalue
            top = scipy.linalg.eigvalsh(B, driver="evd")[-1]
            base, rel = float(np.sqrt(max(top, 0.0))), first
        t2 = (base * (1.0 + rel)) ** 2
        try:
            scipy.linalg.cholesky(t2 * identity - B, lower=True, check_finite=False)
        except np.linalg.LinAlgError:
            rel *= 100.0
            continue
        return lower, float(np.sqrt(t2 + _psd_margin(G, t2)))
    # not reached for finite G: the last attempts use t = 1e10 * ||G||_2
    raise RuntimeError("spectral_norm_bounds: no certified upper bound found")


# -- the factorized objective ------------------------------------------------------------


def factorized_objective(Y: object, U: object, V: object, lam: float, loss: str = "squared",
                         delta: float = 1.0) -> float:
    """F(U, V) = loss(U V^T) + lam sum_i ||u_i|| ||v_i||."""
    Y, U, V = _factors(Y, U, V)
    lam = _check_lam(lam)
    loss = _check_loss(loss)
    _check_labels(Y, loss)
    value = _loss_and_grad(Y, U @ V.T, loss, _check_delta(delta))[0]
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
    Y, U, V = _factors(Y, U, V)
    lam = _check_lam(lam)
    loss = _check_loss(loss)
    delta = _check_delta(delta)
    _check_labels(Y, loss)
    if isinstance(rtol, bool) or not isinstance(rtol, numbers.Real) or not rtol >= 0:
        raise ValueError(f"rtol: expected a non-negative number, got {rtol!r}")
    value, G = _loss_and_grad(Y, U @ V.T, loss, delta)
    objective = float(value) + lam * float(
        np.sum(np.linalg.norm(U, axis=0) * np.linalg.norm(V, axis=0)))
    lower, upper = spectral_norm_bounds(G)
    scale = 1.0 if upper <= lam else lam / upper
    dual = _dual(Y, -scale * G, loss, delta)
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


# -- dropout: a certificate through the nuclear-norm problem ------------------------------


@dataclass(frozen=True)
class DropoutCertificate:
    """The outcome of :func:`certify_dropout`.

    Attributes
    ----------
    optimal : bool
        gap_bound <= rtol * objective: (U, V) is certified globally optimal
        for the dropout objective at its width (and at any width).
    objective : float
        f(U, V) = ||X - U V^T||_F^2 + lam sum_i ||u_i||^2 ||v_i||^2.
    lower_bound : float
        A certified lower bound on min_M ||X - M||_F^2 + (lam/d) ||M||_*^2,
        hence on the dropout optimum at width d.
    gap_bound : float
        objective - lower_bound.
    equalization_gap : float
        f(U, V) - h(U V^T) = lam (sum_i ||u_i||^2 ||v_i||^2 - ||U V^T||_*^2 / d) >= 0.
    tau : float
        The threshold kappa ||U V^T||_* (kappa = lam/d) of the nuclear-norm problem.
    nuclear : Certificate
        The certificate of U V^T for (1/2)||X - M||_F^2 + tau ||M||_*.
    """

    optimal: bool
    objective: float
    lower_bound: float
    gap_bound: float
    equalization_gap: float
    tau: float
    nuclear: Certificate


def certify_dropout(X: object, U: object, V: object, lam: float, *,
                    rtol: float = 1e-6) -> DropoutCertificate:
    """Certify a factorization for the dropout objective of MATH 1 and 4.

    f(U, V) = ||X - U V^T||_F^2 + lam sum_i ||u_i||^2 ||v_i||^2 at width d is
    bounded below by h(M) = ||X - M||_F^2 + kappa ||M||_*^2 (kappa = lam/d,
    M = U V^T), since sum_i ||u_i||^2 ||v_i||^2 >= ||M||_*^2 / d.  For every
    tau > 0, kappa a^2 >= 2 tau a - tau^2 / kappa, so

        min h >= 2 min_M [(1/2)||X - M||^2 + tau ||M||_*] - tau^2 / kappa
              >= 2 D_tau(Z) - tau^2 / kappa

    for any dual feasible Z.  With tau = kappa ||M||_* the bound is tight at
    the optimum: M* is soft-thresholding of X at tau (MATH 4), and :func:`certify`
    of the balanced factors of M with lam = tau gives Z.  The gap bound is
    ``equalization_gap + 2 * nuclear.gap_bound``.  When the width binds
    (the uncapped threshold rule keeps more than d values), min f > min h and
    no factorization is certified: the bound stays positive, as it should.

    Parameters
    ----------
    X : array_like, shape (m, n)
    U, V : array_like, shapes (m, d), (n, d)
    lam : float
        Dropout's lambda = (1 - theta)/theta, > 0.
    rtol : float

    Returns
    -------
    DropoutCertificate
    """
    X, U, V = _factors(X, U, V)
    lam = _check_lam(lam)
    d = U.shape[1]
    kappa = lam / d
    M = U @ V.T
    weights = np.sum(U * U, axis=0) * np.sum(V * V, axis=0)
    objective = float(np.sum((X - M) ** 2) + lam * np.sum(weights))
    s = np.linalg.svd(M, compute_uv=False)
    nuc = float(np.sum(s))
    equalization = float(lam * (np.sum(weights) - nuc * nuc / d))
    # tau = kappa ||M||_* (tight at the optimum); at M = 0 any tau > 0 is valid
    tau = kappa * nuc if nuc > 0 else kappa * float(np.linalg.norm(X, 2)) or 1.0
    Ub, Vb = balanced_factors(M, width=d)
    cert = certify(X, Ub, Vb, tau, rtol=rtol)
    lower = 2.0 * cert.dual_value - tau * tau / kappa
    gap = objective - lower
    return DropoutCertificate(
        optimal=bool(gap <= rtol * max(objective, 0.0)),
        objective=objective, lower_bound=float(lower), gap_bound=float(gap),
        equalization_gap=equalization, tau=float(tau), nuclear=cert)


# -- batched descent objective and the convex problem -------------------------------------


def batched_objective(Y: object, lam: float, loss: str = "squared",
                      delta: float = 1.0) -> Callable:
    """The smooth objective loss(U V^T) + (lam/2)(||U||_F^2 + ||V||_F^2) for batched descent.

    Returns ``objective([U, V]) -> (losses (B,), [grad_U, grad_V])`` with U of
    shape (B, m, r) and V of shape (B, n, r), for
    :func:`numerics.descent.batched_descent`.  Its minimum equals min F at the
    same width (rescale each column pair to ||u_i|| = ||v_i||), and its
    stationary points are balanced stationary points of F.
    """
    Y = as_matrix("Y", Y)
    lam = _check_lam(lam)
    loss = _check_loss(loss)
    delta = _check_delta(delta)
    _check_labels(Y, loss)

    def objective(params):
        U, V = params
        M = U @ np.swapaxes(V, -1, -2)
        value, G = _loss_and_grad(Y, M, loss, delta)
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
    lam = _check_lam(lam)
    loss = _check_loss(loss)
    delta = _check_delta(delta)
    _check_labels(Y, loss)
    M = cp.Variable(Y.shape, name="M")
    if loss == "squared":
        fit = 0.5 * cp.sum_squares(Y - M)
    elif loss == "logistic":
        fit = cp.sum(cp.logistic(-cp.multiply(Y, M)))
    else:
        # cvxpy's huber(x, d) is x^2 for |x| <= d, 2 d |x| - d^2 beyond: twice h_delta
        fit = 0.5 * cp.sum(cp.huber(M - Y, delta))
    return cp.Problem(cp.Minimize(fit + lam * cp.normNuc(M))), M
