"""Linear networks: losses, gradients, analytic Hessians, critical points (MATH.md 5 and 6).

Data hold one sample per column: ``X`` is d_x x N, ``Y`` is d_y x N, and
Sigma_XX = X X^T, Sigma_YX = Y X^T, Sigma_YY = Y Y^T (unnormalized).

Two conventions for the squared loss, as in MATH.md:

* the two-layer loss of Baldi and Hornik, E(A, B) = ||Y - A B X||_F^2 (no 1/2);
* the deep loss, L(W) = (1/2) ||W_{H+1} ... W_1 X - Y||_F^2.

Everything that runs over instances or initializations is batched on a leading
axis and written with batched ``matmul`` (one BLAS call per stack).  Vectors of
matrices are flattened in row-major (C) order, so for stacked factors
``vec(P Q R) = kron(P, R^T) vec(Q)``.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> X, Y = regression_instance(4, 3, 20, rng)
>>> cp = critical_points(X, Y, 2)
>>> len(cp.index_sets), int(cp.is_global.sum())
(7, 1)
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from numerics.instances import geometric_spectrum, haar_orthogonal
from numerics.validation import as_matrix, check_positive_int

__all__ = [
    "SXX_CONDITION_LIMIT",
    "EIGENGAP_RTOL",
    "Covariances",
    "covariances",
    "principal_decomposition",
    "regression_instance",
    "two_layer_loss",
    "two_layer_gradient",
    "two_layer_hessian",
    "products",
    "deep_loss_and_gradient",
    "deep_hessian",
    "end_to_end",
    "CriticalPoints",
    "critical_points",
    "find_critical_points",
    "match_classes",
    "HessianSpectra",
    "hessian_spectra",
    "reduced_rank_regression",
    "deep_critical_point",
    "escape_path",
    "random_weights",
    "GlobalOptimality",
    "global_optimality",
    "chain_rule",
    "deep_objective",
    "squared_objective",
    "logistic_loss",
    "softmax_cross_entropy",
    "huber_loss",
    "l1_loss",
    "END_TO_END_LOSSES",
    "convex_optimum",
]

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


# -- two-layer network (Baldi and Hornik) ------------------------------------------------


def _stack(name: str, value: object, ndim_single: int = 2) -> tuple[np.ndarray, bool]:
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim == ndim_single:
        return arr[None], True
    if arr.ndim != ndim_single + 1:
        raise ValueError(f"{name}: expected a matrix or a stack of matrices, got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}: expected finite entries, found NaN or infinity")
    return arr, False


def _two_layer_args(A: object, B: object, cov: Covariances):
    A, single = _stack("A", A)
    B, _ = _stack("B", B)
    if A.shape[1] != cov.dy or B.shape[2] != cov.dx or A.shape[2] != B.shape[1]:
        raise ValueError(
            f"A and B: mismatched shapes {A.shape[1:]} and {B.shape[1:]} (expected A d_y x p "
            f"and B p x d_x with d_y = {cov.dy}, d_x = {cov.dx})"
        )
    if A.shape[0] != B.shape[0]:
        raise ValueError(f"A and B: stacks of different lengths {A.shape[0]} and {B.shape[0]}")
    return A, B, single


def _cov_of(X: object, Y: object, cov: Covariances | None) -> Covariances:
    return covariances(X, Y, invertible=False) if cov is None else cov


def two_layer_loss(A: object, B: object, X: object = None, Y: object = None, *,
                   cov: Covariances | None = None) -> np.ndarray | float:
    """E(A, B) = ||Y - A B X||_F^2, for one pair or a stack (leading axis)."""
    cov = _cov_of(X, Y, cov)
    A, B, single = _two_layer_args(A, B, cov)
    losses = 2 * deep_loss_and_gradient([B, A], cov)[0]
    return float(losses[0]) if single else losses


def two_layer_gradient(A: object, B: object, X: object = None, Y: object = None, *,
                       cov: Covariances | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(dE/dA, dE/dB) = (2 R B^T, 2 A^T R) with R = A B Sigma_XX - Sigma_YX."""
    cov = _cov_of(X, Y, cov)
    A, B, single = _two_layer_args(A, B, cov)
    _, (gB, gA) = deep_loss_and_gradient([B, A], cov)
    if single:
        return 2 * gA[0], 2 * gB[0]
    return 2 * gA, 2 * gB


def two_layer_hessian(A: object, B: object, X: object = None, Y: object = None, *,
                      cov: Covariances | None = None) -> np.ndarray:
    """Analytic Hessian of E(A, B) in the variables (vec A, vec B), row-major.

    For the direction (dA, dB) the quadratic form is
    2 ||(dA B + A dB) X||_F^2 + 4 <A B Sigma_XX - Sigma_YX, dA dB>.

    Returns
    -------
    ndarray, shape (D, D) or (K, D, D), D = d_y p + p d_x
    """
    cov = _cov_of(X, Y, cov)
    A, B, single = _two_layer_args(A, B, cov)
    H = deep_hessian([B, A], cov)
    # deep_hessian orders the variables (vec W_1, vec W_2) = (vec B, vec A); reorder.
    nb = B.shape[1] * B.shape[2]
    perm = np.r_[nb:H.shape[1], 0:nb]
    H = 2 * H[:, perm][:, :, perm]
    return H[0] if single else H


# -- deep linear network -----------------------------------------------------------------


def _weights(weights: Sequence[object], cov: Covariances | None = None
             ) -> list[np.ndarray]:
    if len(weights) < 1:
        raise ValueError("weights: expected at least one layer")
    ws = []
    for k, w in enumerate(weights):
        arr = np.asarray(w, dtype=np.float64)
        if arr.ndim != 3:
            raise ValueError(f"weights[{k}]: expected a stack (B, d_out, d_in), got {arr.shape}")
        ws.append(arr)
    for k in range(1, len(ws)):
        if ws[k].shape[2] != ws[k - 1].shape[1] or ws[k].shape[0] != ws[0].shape[0]:
            raise ValueError(
                f"weights[{k}]: shape {ws[k].shape[1:]} does not follow "
                f"weights[{k - 1}] of shape {ws[k - 1].shape[1:]}"
            )
    if cov is not None and (ws[0].shape[2] != cov.dx or ws[-1].shape[1] != cov.dy):
        raise ValueError(
            f"weights: the network maps R^{ws[0].shape[2]} to R^{ws[-1].shape[1]}, but the "
            f"data have d_x = {cov.dx} and d_y = {cov.dy}"
        )
    return ws


def products(weights: Sequence[np.ndarray]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Prefix and suffix products of a stack of layers W_1, ..., W_L.

    Returns
    -------
    prefix : list
        prefix[l] = W_l ... W_1 (prefix[-1] is the end-to-end matrix); index l from 0.
    suffix : list
        suffix[l] = W_L ... W_{l+2}, the product of the layers after layer l (0-based);
        suffix[L-1] is the identity.
    """
    L = len(weights)
    batch = weights[0].shape[0]
    prefix = [weights[0]]
    for w in weights[1:]:
        prefix.append(np.matmul(w, prefix[-1]))
    dy = weights[-1].shape[1]
    suffix: list[np.ndarray] = [np.empty(0)] * L
    suffix[L - 1] = np.broadcast_to(np.eye(dy), (batch, dy, dy))
    for k in range(L - 2, -1, -1):
        suffix[k] = np.matmul(suffix[k + 1], weights[k + 1])
    return prefix, suffix


def end_to_end(weights: Sequence[object]) -> np.ndarray:
    """W_L ... W_1 for a stack of networks (leading axis)."""
    ws = _weights(weights)
    out = ws[0]
    for w in ws[1:]:
        out = np.matmul(w, out)
    return out


def chain_rule(weights: Sequence[np.ndarray], prefix: list[np.ndarray],
               G: np.ndarray) -> list[np.ndarray]:
    """Gradients of f(W_L ... W_1) from G = grad f at the product, by backpropagation.

    delta_L = G, delta_l = W_{l+1}^T delta_{l+1}, grad W_l = delta_l P_{l-1}^T with
    P_{l-1} = W_{l-1} ... W_1 (the identity for l = 1): 2 (L - 1) batched products,
    fewer than forming every suffix S_l^T G P_{l-1}^T.
    """
    L = len(weights)
    grads: list[np.ndarray] = [np.empty(0)] * L
    delta = G
    for k in range(L - 1, -1, -1):
        grads[k] = delta if k == 0 else np.matmul(delta, np.swapaxes(prefix[k - 1], 1, 2))
        if k > 0:
            delta = np.matmul(np.swapaxes(weights[k], 1, 2), delta)
    return grads


def deep_loss_and_gradient(weights: Sequence[object], cov: Covariances
                           ) -> tuple[np.ndarray, list[np.ndarray]]:
    """L(W) = (1/2) ||W_L ... W_1 X - Y||_F^2 and its gradients, batched.

    Uses only the second moments:
    L = (1/2) (tr Sigma_YY - 2 <W, Sigma_YX> + <W Sigma_XX, W>), and with
    G = W Sigma_XX - Sigma_YX the gradient for layer l is S_l^T G P_{l-1}^T
    (computed by backpropagation, :func:`chain_rule`).

    Parameters
    ----------
    weights : sequence of ndarray
        Layer stacks W_1 (B, d_1, d_x), ..., W_L (B, d_y, d_{L-1}).
    cov : Covariances

    Returns
    -------
    losses : ndarray, shape (B,)
    grads : list of ndarray, shaped like ``weights``
    """
    ws = _weights(weights, cov)
    prefix = [ws[0]]
    for w in ws[1:]:
        prefix.append(np.matmul(w, prefix[-1]))
    W = prefix[-1]
    b, dy, dx = W.shape
    WS = (W.reshape(b * dy, dx) @ cov.sxx).reshape(b, dy, dx)  # one BLAS call, not b
    G = WS - cov.syx
    losses = 0.5 * (cov.trace_yy + np.einsum("bij,bij->b", G - cov.syx, W))
    return losses, chain_rule(ws, prefix, G)


def _bkron(P: np.ndarray, Q: np.ndarray) -> np.ndarray:
    """Batched Kronecker product of stacks (K, a, b) and (K, c, d) -> (K, a c, b d)."""
    K, a, b = P.shape
    _, c, d = Q.shape
    return (P[:, :, None, :, None] * Q[:, None, :, None, :]).reshape(K, a * c, b * d)


def deep_hessian(weights: Sequence[object], cov: Covariances) -> np.ndarray:
    """Analytic Hessian of L(W) = (1/2) ||W_L ... W_1 X - Y||_F^2, batched.

    With prefix P_l = W_{l-1} ... W_1, suffix S_l = W_L ... W_{l+1} and
    M_kl = W_{k-1} ... W_{l+1} (k > l), the quadratic form in a direction dW is
    ||delta_1 X||^2 + 2 <G, delta_2>, delta_1 = sum_l S_l dW_l P_l,
    delta_2 = sum_{k>l} S_k dW_k M_kl dW_l P_l.  The first part gives the blocks
    kron(S_k^T S_l, P_k Sigma_XX P_l^T); the second gives, for k > l, the block
    Q_ab M_ce at row (a, c) of vec dW_k and column (e, b) of vec dW_l, with
    Q = S_k^T G P_l^T.

    Returns
    -------
    ndarray, shape (K, D, D), D = sum_l d_l d_{l-1}, variables (vec W_1, ..., vec W_L)
    """
    ws = _weights(weights, cov)
    K = ws[0].shape[0]
    L = len(ws)
    prefix, suffix = products(ws)
    eye_x = np.broadcast_to(np.eye(cov.dx), (K, cov.dx, cov.dx))
    pre = [eye_x] + prefix[:-1]  # pre[l] = W_{l-1} ... W_1 (0-based l)
    G = np.matmul(prefix[-1], cov.sxx) - cov.syx
    sizes = [w.shape[1] * w.shape[2] for w in ws]
    offs = np.r_[0, np.cumsum(sizes)]
    H = np.zeros((K, offs[-1], offs[-1]))
    pre_s = [np.matmul(p, cov.sxx) for p in pre]
    for k in range(L):
        for m in range(k + 1):
            block = _bkron(np.matmul(np.swapaxes(suffix[k], 1, 2), suffix[m]),
                           np.matmul(pre_s[k], np.swapaxes(pre[m], 1, 2)))
            if k > m:
                Q = np.matmul(np.matmul(np.swapaxes(suffix[k], 1, 2), G),
                              np.swapaxes(pre[m], 1, 2))  # d_k x d_{m-1}
                M = ws[m + 1]
                for w in ws[m + 2:k]:
                    M = np.matmul(w, M)
                if k == m + 1:
                    M = np.broadcast_to(np.eye(ws[m].shape[1]), (K, ws[m].shape[1],
                                                                   ws[m].shape[1]))
                a, b = Q.shape[1], Q.shape[2]
                c, e = M.shape[1], M.shape[2]
                T = Q[:, :, None, None, :] * M[:, None, :, :, None]  # (K, a, c, e, b)
                block = block + T.reshape(K, a * c, e * b)
            H[:, offs[k]:offs[k + 1], offs[m]:offs[m + 1]] = block
            if k != m:
                H[:, offs[m]:offs[m + 1], offs[k]:offs[k + 1]] = np.swapaxes(block, 1, 2)
    return H


# -- critical points of the two-layer network ----------------------------------------------


@dataclass
class CriticalPoints:
    """One representative of every class of critical points of E(A, B).

    Attributes
    ----------
    A : ndarray, shape (K, d_y, p)
    B : ndarray, shape (K, p, d_x)
    index_sets : list of tuple of int
        The 0-based index set J of each point (|J| = rank A <= p).
    rank : ndarray of int, shape (K,)
    loss : ndarray, shape (K,)
        E(A, B) computed from the matrices.
    predicted : ndarray, shape (K,)
        tr Sigma_YY - sum_{i in J} lambda_i (MATH 5).
    is_global : ndarray of bool, shape (K,)
        J = {0, ..., p-1}, the top-p class.
    eigenvalues : ndarray, shape (d_y,)
        lambda_1 > ... > lambda_{d_y} of Sigma.
    """

    A: np.ndarray
    B: np.ndarray
    index_sets: list[tuple[int, ...]]
    rank: np.ndarray
    loss: np.ndarray
    predicted: np.ndarray
    is_global: np.ndarray
    eigenvalues: np.ndarray


def _check_p(p: object, dx: int, dy: int) -> int:
    p = check_positive_int(p, "p")
    if p > min(dx, dy):
        raise ValueError(
            f"p: hypothesis 'p <= min(d_x, d_y)' fails: p = {p} hidden units, but d_x = {dx} "
            f"and d_y = {dy}"
        )
    return p


def critical_points(X: object, Y: object, p: int, *,
                    gauge: np.random.Generator | None = None,
                    min_rank: int = 0) -> CriticalPoints:
    """Every class of critical points of E(A, B) = ||Y - A B X||_F^2, A d_y x p, B p x d_x.

    Under the hypotheses (Sigma_XX invertible, Sigma with distinct positive
    eigenvalues), the critical points are exactly A = [U_J, 0] C,
    B = C^{-1} [U_J^T Sigma_YX Sigma_XX^{-1}; Z] for an index set J with |J| <= p,
    any invertible C and a kernel part Z with Z Sigma_XY U_{J^c} = 0.  Each class
    is represented by C = I (or a random well-conditioned C with ``gauge``) and Z = 0:
    there are sum_{r <= p} binom(d_y, r) classes, the rank-deficient ones (|J| < p)
    included.

    Parameters
    ----------
    X, Y : array_like
        Data, one sample per column (d_x x N and d_y x N).
    p : int
        Hidden width, 1 <= p <= min(d_x, d_y).
    gauge : numpy.random.Generator, optional
        When given, each representative is moved along its GL(p) orbit by a random
        C with condition number 4, (A, B) -> (A C, C^{-1} B).
    min_rank : int
        Only classes with |J| >= min_rank (p gives the full-rank ones).

    Raises
    ------
    ValueError
        Naming the hypothesis that fails (shapes, Sigma_XX singular, repeated
        eigenvalues, p too large).
    """
    lam, U, cov = principal_decomposition(X, Y)
    p = _check_p(p, cov.dx, cov.dy)
    dy, dx = cov.dy, cov.dx
    # rows U^T Sigma_YX Sigma_XX^{-1}: solve against the symmetric Sigma_XX
    rows = np.linalg.solve(cov.sxx, cov.syx.T @ U).T  # (d_y, d_x): row i is u_i^T S_YX S_XX^-1
    sets = [J for r in range(min_rank, p + 1) for J in itertools.combinations(range(dy), r)]
    K = len(sets)
    A = np.zeros((K, dy, p))
    B = np.zeros((K, p, dx))
    for k, J in enumerate(sets):
        r = len(J)
        A[k, :, :r] = U[:, J]
        B[k, :r, :] = rows[list(J)]
    if gauge is not None:
        C = np.stack([(haar_orthogonal(p, gauge) * geometric_spectrum(p, 4.0))
                      @ haar_orthogonal(p, gauge).T for _ in range(K)])
        A = np.matmul(A, C)
        B = np.linalg.solve(C, B)
    loss = two_layer_loss(A, B, cov=cov)
    predicted = np.array([cov.trace_yy - float(np.sum(lam[list(J)])) for J in sets])
    is_global = np.array([J == tuple(range(p)) for J in sets])
    rank = np.array([len(J) for J in sets])
    return CriticalPoints(A, B, sets, rank, loss, predicted, is_global, lam)


def find_critical_points(X: object, Y: object, p: int, starts: int,
                         rng: np.random.Generator, iterations: int = 300
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Critical points of E(A, B) reached from random starts, without using the theory.

    Levenberg-Marquardt on the gradient: each run minimizes ||grad E||^2 with steps
    -(H^2 + mu I)^{-1} H g (H the analytic Hessian), mu adapted per run.  Saddles and
    minima are equally attractive to it, so it samples every kind of critical point;
    runs that stall at a non-critical point are reported by their gradient norm.

    Returns
    -------
    A : ndarray, shape (starts, d_y, p)
    B : ndarray, shape (starts, p, d_x)
    grad_norm : ndarray, shape (starts,)
        ||grad E|| / ||Sigma_YX||_F at the end of each run.
    """
    cov = covariances(X, Y)
    p = _check_p(p, cov.dx, cov.dy)
    starts = check_positive_int(starts, "starts")
    iterations = check_positive_int(iterations, "iterations")
    dy, dx = cov.dy, cov.dx
    na = dy * p

    def grad_hess(theta):
        A = theta[:, :na].reshape(-1, dy, p)
        B = theta[:, na:].reshape(-1, p, dx)
        gA, gB = two_layer_gradient(A, B, cov=cov)
        g = np.concatenate([gA.reshape(len(theta), -1), gB.reshape(len(theta), -1)], 1)
        return g, two_layer_hessian(A, B, cov=cov)

    theta = rng.standard_normal((starts, na + p * dx))
    D = theta.shape[1]
    mu = np.ones(starts)
    g, Hs = grad_hess(theta)
    f = np.sum(g * g, axis=1)
    eye = np.eye(D)
    for _ in range(iterations):
        system = np.matmul(Hs, Hs) + mu[:, None, None] * eye
        trial = theta - np.linalg.solve(system, np.matmul(Hs, g[:, :, None]))[:, :, 0]
        g2, H2 = grad_hess(trial)
        f2 = np.sum(g2 * g2, axis=1)
        acc = f2 < f
        theta = np.where(acc[:, None], trial, theta)
        g = np.where(acc[:, None], g2, g)
        Hs = np.where(acc[:, None, None], H2, Hs)
        f = np.where(acc, f2, f)
        mu = np.clip(np.where(acc, mu / 3, mu * 4), 1e-12, 1e12)
    A = theta[:, :na].reshape(-1, dy, p)
    B = theta[:, na:].reshape(-1, p, dx)
    return A, B, np.sqrt(f) / np.linalg.norm(cov.syx)


def match_classes(A: object, B: object, X: object, Y: object, rank_rtol: float = 1e-6
                  ) -> tuple[list[tuple[int, ...]], np.ndarray, np.ndarray]:
    """The class J of each (A, B) and how far its product is from U_J U_J^T Sigma_YX Sigma_XX^{-1}.

    From W = A B, P = W Sigma_XY Sigma^{-1} is the candidate projection; J collects the
    eigenvectors u_i with ||P u_i|| > 1/2.  A point lies in class J when the returned
    distance ||W - U_J U_J^T Sigma_YX Sigma_XX^{-1}|| / ||Sigma_YX Sigma_XX^{-1}|| is at
    round-off level (then rank(W) = |J|; the rank of A itself is not gauge invariant:
    (A C, C^{-1} B) is the same point of the class for every invertible C).

    Returns
    -------
    index_sets : list of tuple of int
    distance : ndarray, shape (K,)
    rank : ndarray of int, shape (K,)
        Numerical rank of W = A B (singular values above rank_rtol ||Sigma_YX Sigma_XX^-1||).
    """
    lam, U, cov = principal_decomposition(X, Y)
    A, _, single = _two_layer_args(A, B, cov)
    B = _stack("B", B)[0]
    W = np.matmul(A, B)
    M = np.linalg.solve(cov.sxx, cov.syx.T).T  # Sigma_YX Sigma_XX^{-1}
    P = np.matmul(W, cov.syx.T) @ ((U / lam) @ U.T)
    weight = np.linalg.norm(np.matmul(P, U), axis=1)
    sets, dist = [], []
    for k in range(W.shape[0]):
        J = tuple(int(j) for j in np.flatnonzero(weight[k] > 0.5))
        UJ = U[:, list(J)]
        sets.append(J)
        dist.append(np.linalg.norm(W[k] - UJ @ (UJ.T @ M)) / np.linalg.norm(M))
    s = np.linalg.svd(W, compute_uv=False)
    rank = np.sum(s > rank_rtol * np.linalg.norm(M, 2), axis=1)
    return sets, np.array(dist), rank


@dataclass
class HessianSpectra:
    """Eigenvalues of a stack of Hessians and what they say.

    Attributes
    ----------
    eigenvalues : ndarray, shape (K, D)
        Increasing, per Hessian.
    scale : ndarray, shape (K,)
        max |eigenvalue| (the reference of the relative tolerance).
    rtol : float
        An eigenvalue with |mu| <= rtol * scale counts as zero.
    min_eigenvalue : ndarray, shape (K,)
    zero_count : ndarray of int, shape (K,)
    psd : ndarray of bool
        min eigenvalue >= -rtol * scale.
    strictly_negative : ndarray of bool
        min eigenvalue < -rtol * scale.
    """

    eigenvalues: np.ndarray
    scale: np.ndarray
    rtol: float
    min_eigenvalue: np.ndarray
    zero_count: np.ndarray
    psd: np.ndarray
    strictly_negative: np.ndarray


def hessian_spectra(H: np.ndarray, rtol: float = 1e-9) -> HessianSpectra:
    """Classify a stack of symmetric Hessians by their spectra (relative tolerance ``rtol``)."""
    H = np.asarray(H, dtype=np.float64)
    if H.ndim == 2:
        H = H[None]
    if H.ndim != 3 or H.shape[1] != H.shape[2]:
        raise ValueError(f"H: expected a stack of square matrices, got shape {H.shape}")
    if not rtol > 0:
        raise ValueError(f"rtol: expected a positive number, got {rtol!r}")
    mu = np.linalg.eigvalsh((H + np.swapaxes(H, 1, 2)) / 2)
    scale = np.maximum(np.max(np.abs(mu), axis=1), np.finfo(float).tiny)
    tol = rtol * scale
    zero = np.sum(np.abs(mu) <= tol[:, None], axis=1)
    return HessianSpectra(mu, scale, rtol, mu[:, 0], zero, mu[:, 0] >= -tol, mu[:, 0] < -tol)


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


# -- deep networks: initializations, constructed critical points, optimality test -------------


def random_weights(widths: Sequence[int], dx: int, dy: int, batch: int,
                   rng: np.random.Generator, scale: float = 1.0,
                   init: str = "gaussian", jitter: float = 0.0) -> list[np.ndarray]:
    """``batch`` random networks d_x -> widths... -> d_y.

    Parameters
    ----------
    init : {"gaussian", "orthogonal"}
        "gaussian": entries N(0, scale^2 / fan_in).  "orthogonal": each layer is
        ``scale`` times a Haar-random partial isometry (all singular values 1), which
        keeps deep narrow products away from the flat region around W = 0 where
        descent crawls (a degenerate saddle, MATH 6).
    jitter : float
        Adds ``jitter`` times an independent N(0, 1 / fan_in) layer.  Orthogonal layers
        of size 1 x 1 are +-1, a discrete law: with d_x = d_y = p = 1 half the starts
        have a = -b, on the stable manifold of the saddle at 0, and descent ends there.
        Any jitter > 0 gives the starts a density, so such measure-zero sets are missed
        almost surely.  0 (default) draws nothing extra.
    """
    dims = [check_positive_int(dx, "dx"), *(check_positive_int(w, "widths") for w in widths),
            check_positive_int(dy, "dy")]
    batch = check_positive_int(batch, "batch")
    if init not in ("gaussian", "orthogonal"):
        raise ValueError(f"init: expected 'gaussian' or 'orthogonal', got {init!r}")
    if not (math.isfinite(jitter) and jitter >= 0):
        raise ValueError(f"jitter: expected a finite number >= 0, got {jitter!r}")
    out = []
    for k in range(len(dims) - 1):
        g = rng.standard_normal((batch, dims[k + 1], dims[k]))
        if init == "gaussian":
            out.append(g * scale / math.sqrt(dims[k]))
        else:
            u, _, vt = np.linalg.svd(g, full_matrices=False)
            out.append(scale * np.matmul(u, vt))
    if jitter > 0:
        out = [w + jitter * rng.standard_normal(w.shape) / math.sqrt(w.shape[2]) for w in out]
    return out


def _projection_network(cov: Covariances, dims: Sequence[int], basis: np.ndarray,
                        scale: float = 1.0, extra: np.ndarray | None = None) -> list[np.ndarray]:
    """Layers with product V V^T Sigma_YX Sigma_XX^{-1} (V = ``basis``, channel c <-> column c).

    ``extra`` (a unit vector) adds one more channel whose entries are all ``scale``,
    so that it contributes scale^L extra extra^T Sigma_YX Sigma_XX^{-1}.
    """
    cols = [basis[:, c] for c in range(basis.shape[1])]
    weights = [1.0] * len(cols)
    if extra is not None:
        cols.append(extra)
        weights.append(scale)
    r = len(cols)
    if r > min(dims[1:-1], default=dims[-1]):
        raise ValueError(f"index_set: {r} channels exceed the narrowest hidden width")
    V = np.stack(cols, axis=1) if cols else np.zeros((dims[-1], 0))
    rows = np.linalg.solve(cov.sxx, cov.syx.T @ V).T
    ws = []
    for k in range(len(dims) - 1):
        w = np.zeros((dims[k + 1], dims[k]))
        for c in range(r):
            if k == 0 and k == len(dims) - 2:
                w += weights[c] * np.outer(V[:, c], rows[c])
            elif k == 0:
                w[c] = weights[c] * rows[c]
            elif k == len(dims) - 2:
                w[:, c] = weights[c] * V[:, c]
            else:
                w[c, c] = weights[c]
        ws.append(w[None])
    return ws


def _index_set(J: Sequence[int], dy: int) -> list[int]:
    J = [int(j) for j in J]
    if len(set(J)) != len(J) or any(not 0 <= j < dy for j in J):
        raise ValueError(f"index_set: expected distinct indices in [0, {dy}), got {J}")
    return J


def deep_critical_point(X: object, Y: object, widths: Sequence[int],
                        index_set: Sequence[int]) -> list[np.ndarray]:
    """A critical point of the deep loss whose product is U_J U_J^T Sigma_YX Sigma_XX^{-1}.

    W_1 = [U_J^T Sigma_YX Sigma_XX^{-1}; 0], middle layers [I_r 0; 0 0], W_L = [U_J, 0]:
    the gradient S_l^T G P_{l-1}^T vanishes because U_J^T (P_J - I) = 0 and
    (P_J - I) Sigma U_J = 0.  It is a global minimum only when J is the top-p set
    (p = min width), else a saddle.

    Returns
    -------
    list of ndarray, each with a leading axis of length 1
    """
    _, U, cov = principal_decomposition(X, Y)
    dims = [cov.dx, *(check_positive_int(w, "widths") for w in widths), cov.dy]
    J = _index_set(index_set, cov.dy)
    return _projection_network(cov, dims, U[:, J])


def escape_path(X: object, Y: object, widths: Sequence[int], index_set: Sequence[int],
                ts: Sequence[float]) -> list[np.ndarray]:
    """Points at distance O(t) from :func:`deep_critical_point` with a lower loss.

    For a non-top index set J (p = narrowest width, d_y = number of eigenvalues):

    * |J| < p: one unused channel gets entries t along u_i (i the best index not in J),
      adding t^L u_i u_i^T Sigma_YX Sigma_XX^{-1} to the product, so the loss changes
      by -t^L lambda_i / 2 + t^(2L) (...) / 2;
    * |J| = p: the channel of the worst j in J is rotated by the angle t toward the best
      i not in J (lambda_i > lambda_j); the product stays a projection and the loss
      drops by sin^2(t) (lambda_i - lambda_j) / 2.

    Returns
    -------
    list of ndarray, stacks over ``ts`` (leading axis len(ts))
    """
    lam, U, cov = principal_decomposition(X, Y)
    dims = [cov.dx, *(check_positive_int(w, "widths") for w in widths), cov.dy]
    J = _index_set(index_set, cov.dy)
    p = min(dims[1:-1], default=cov.dy)
    p = min(p, cov.dx, cov.dy)
    if sorted(J) == list(range(p)):
        raise ValueError("index_set: the top-p set is a global minimum; it has no escape path")
    outside = [i for i in range(cov.dy) if i not in J]
    points = []
    for t in ts:
        if len(J) < p:
            pt = _projection_network(cov, dims, U[:, J], scale=float(t), extra=U[:, outside[0]])
        else:
            worst = max(J)
            best = outside[0]
            V = U[:, J].copy()
            c = J.index(worst)
            V[:, c] = math.cos(t) * U[:, worst] + math.sin(t) * U[:, best]
            pt = _projection_network(cov, dims, V)
        points.append(pt)
    return [np.concatenate([pt[k] for pt in points]) for k in range(len(dims) - 1)]


@dataclass
class GlobalOptimality:
    """Outcome of the global-optimality test on a stack of deep networks.

    Attributes
    ----------
    loss, grad_norm : ndarray, shape (B,)
    rank : ndarray of int
        Numerical rank of W_L ... W_1.
    p : int
        min(d_x, d_y, hidden widths).
    bottleneck : bool
        p < min(d_x, d_y).
    rrr_value : float
        (1/2) of the reduced-rank regression value at rank p.
    critical : ndarray of bool
    verdict : ndarray of str
        "global minimum", "saddle" or "not critical".
    rule : str
        "rank" (rank = p, Yun-Sra-Jadbabaie) or "value" (loss = reduced-rank value).
    """

    loss: np.ndarray
    grad_norm: np.ndarray
    rank: np.ndarray
    p: int
    bottleneck: bool
    rrr_value: float
    critical: np.ndarray
    verdict: np.ndarray
    rule: str


def global_optimality(weights: Sequence[object], X: object, Y: object, *,
                      grad_rtol: float = 1e-6, rank_rtol: float = 1e-6,
                      value_rtol: float = 1e-6, rule: str = "auto") -> GlobalOptimality:
    """Decide whether critical points of the deep squared loss are global minima.

    A point is critical when ||grad L|| <= grad_rtol * ||Sigma_YX||_F.  Without a
    bottleneck (p = min(d_x, d_y)) a critical point is a global minimum iff
    rank(W_L ... W_1) = p (Yun, Sra and Jadbabaie), the rank being counted with
    singular values above rank_rtol times the largest; with a bottleneck the test
    compares L with half the reduced-rank-regression value (relative value_rtol).
    Every critical point that is not global is a saddle (Kawaguchi).

    Parameters
    ----------
    rule : {"auto", "rank", "value"}
        "auto" picks as above; "rank" or "value" force one test (the rank test under
        a bottleneck is a false variant, kept to be refuted).
    """
    X, Y = _data(X, Y)
    cov = covariances(X, Y)
    ws = _weights(weights, cov)
    if rule not in ("auto", "rank", "value"):
        raise ValueError(f"rule: expected 'auto', 'rank' or 'value', got {rule!r}")
    p = min(cov.dx, cov.dy, *(w.shape[1] for w in ws[:-1]))
    bottleneck = p < min(cov.dx, cov.dy)
    losses, grads = deep_loss_and_gradient(ws, cov)
    gnorm = np.sqrt(sum(np.sum(g * g, axis=(1, 2)) for g in grads))
    s = np.linalg.svd(end_to_end(ws), compute_uv=False)
    rank = np.sum(s > rank_rtol * np.maximum(s[:, :1], np.finfo(float).tiny), axis=1)
    rank = np.where(s[:, 0] > 0, rank, 0)
    _, rrr = reduced_rank_regression(X, Y, p)
    half = rrr / 2
    critical = gnorm <= grad_rtol * np.linalg.norm(cov.syx)
    chosen = ("value" if bottleneck else "rank") if rule == "auto" else rule
    if chosen == "rank":
        good = rank == p
    else:
        good = np.abs(losses - half) <= value_rtol * max(abs(half), np.finfo(float).tiny)
    verdict = np.where(~critical, "not critical", np.where(good, "global minimum", "saddle"))
    return GlobalOptimality(losses, gnorm, rank, p, bottleneck, half, critical, verdict, chosen)


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
    """sum h(W X - Y), h(r) = r^2 for |r| <= delta, 2 delta |r| - delta^2 beyond (CVXPY's huber)."""
    R = np.matmul(W, X) - Y
    a = np.abs(R)
    loss = np.sum(np.where(a <= delta, R * R, 2 * delta * a - delta**2), axis=(1, 2))
    return loss, np.matmul(2 * np.clip(R, -delta, delta), X.T)


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


def squared_objective(X: object, Y: object):
    """The deep squared loss L(W) as a batched objective (second moments only)."""
    cov = covariances(X, Y, invertible=False)

    def objective(params: Sequence[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
        return deep_loss_and_gradient(params, cov)

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
        objective = cvx.sum(cvx.huber(Z - Y, delta))
    elif loss == "l1":
        objective = cvx.sum(cvx.abs(Z - Y))
    else:
        raise ValueError(f"loss: expected logistic, softmax, huber or l1, got {loss!r}")
    return solve(cvx.Problem(cvx.Minimize(objective)), solver=solver)
