"""Deep linear networks: the loss L(W) = (1/2) ||W_L ... W_1 X - Y||_F^2, its gradient and
analytic Hessian (batched), initializations, constructed critical points and escape paths,
and the global-optimality test (MATH.md 6).

Everything that runs over networks is batched on a leading axis; vectors of matrices
are flattened in row-major (C) order, so for stacked factors
``vec(P Q R) = kron(P, R^T) vec(Q)``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from numerics.linear.data import (
    Covariances,
    _data,
    covariances,
    principal_decomposition,
    reduced_rank_regression,
)
from numerics.validation import check_positive_int

__all__ = ["products", "end_to_end", "chain_rule", "deep_loss_and_gradient", "deep_hessian",
           "random_weights", "deep_critical_point", "escape_path", "GlobalOptimality",
           "global_optimality", "squared_objective"]

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



def squared_objective(X: object, Y: object):
    """The deep squared loss L(W) as a batched objective (second moments only)."""
    cov = covariances(X, Y, invertible=False)

    def objective(params: Sequence[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
        return deep_loss_and_gradient(params, cov)

    return objective
