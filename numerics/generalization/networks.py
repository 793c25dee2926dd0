"""Small ReLU networks: forward pass, Jacobians, exact input margins (MATH 10.2).

:func:`input_margin` computes the exact l2 distance from ``x`` to the decision boundary
of a small ReLU network by enumerating its activation patterns and solving one convex
QP per (pattern, class) with CVXPY.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import cvxpy as cp
import numpy as np

from numerics.convex import solve
from numerics.linalg import spectral_norm
from numerics.validation import as_matrix, as_vector

__all__ = ["MAX_HIDDEN", "QP_SOLVER", "QP_EPS", "REACH", "forward", "output_margin",
           "jacobian", "spectral_product", "linear_margin", "MarginResult", "input_margin"]

MAX_HIDDEN = 12  # 2^12 activation patterns
QP_SOLVER = "CLARABEL"  # interior point: accurate QPs; reports infeasible regions exactly
QP_EPS = 1e-8  # Clarabel's default relative/absolute feasibility and gap tolerance
REACH = 1e-3  # every pattern whose region is within margin * (1 + REACH) of x is recorded

def _network(weights, biases):
    ws = [as_matrix(f"weights[{k}]", w) for k, w in enumerate(weights)]
    if not ws:
        raise ValueError("weights: expected at least one layer")
    for k in range(1, len(ws)):
        if ws[k].shape[1] != ws[k - 1].shape[0]:
            raise ValueError(f"weights: layer {k} has {ws[k].shape[1]} inputs but layer {k - 1}"
                             f" has {ws[k - 1].shape[0]} outputs")
    if biases is None:
        bs = [np.zeros(w.shape[0]) for w in ws]
    else:
        if len(biases) != len(ws):
            raise ValueError(f"biases: expected {len(ws)} vectors, got {len(biases)}")
        bs = [as_vector(f"biases[{k}]", b, size=w.shape[0])
              for k, (w, b) in enumerate(zip(ws, biases, strict=True))]
    return ws, bs


def forward(weights, x: object, biases=None) -> np.ndarray:
    """f(x) = W_L relu(... relu(W_1 x + b_1) ...) + b_L; x may be one point or rows of points."""
    ws, bs = _network(weights, biases)
    h = np.asarray(x, dtype=float)
    for k, (w, b) in enumerate(zip(ws, bs, strict=True)):
        h = h @ w.T + b
        if k < len(ws) - 1:
            h = np.maximum(h, 0.0)
    return h


def output_margin(weights, x: object, label: int, biases=None) -> float:
    """o(x) = f_y(x) - max_{j != y} f_j(x)."""
    f = forward(weights, as_vector("x", x), biases)
    if not (0 <= label < f.size):
        raise ValueError(f"label: expected a class in 0..{f.size - 1}, got {label!r}")
    return float(f[label] - np.max(np.delete(f, label)))


def _affine(ws, bs, pattern):
    """The affine map z -> F z + g of the network on the region of ``pattern`` (0/1 per
    hidden unit, layer by layer) and the region's inequalities A z <= c."""
    M, off = np.eye(ws[0].shape[1]), np.zeros(ws[0].shape[1])
    rows, rhs, start = [], [], 0
    for w, b in zip(ws[:-1], bs[:-1], strict=True):
        P, q = w @ M, w @ off + b
        active = pattern[start:start + w.shape[0]].astype(bool)
        start += w.shape[0]
        sign = np.where(active, -1.0, 1.0)  # active: P z + q >= 0; inactive: P z + q <= 0
        rows.append(sign[:, None] * P)
        rhs.append(-sign * q)
        M, off = P * active[:, None], q * active
    F, g = ws[-1] @ M, ws[-1] @ off + bs[-1]
    A = np.vstack(rows) if rows else np.zeros((0, M.shape[1]))
    return F, g, A, np.concatenate(rhs) if rhs else np.zeros(0)


def jacobian(weights, x: object, biases=None) -> np.ndarray:
    """J(x) = W_L D_{L-1}(x) W_{L-1} ... D_1(x) W_1 (D: 1 where the pre-activation is > 0)."""
    ws, bs = _network(weights, biases)
    x = as_vector("x", x, size=ws[0].shape[1])
    h, pattern = x, []
    for w, b in zip(ws[:-1], bs[:-1], strict=True):
        pre = w @ h + b
        pattern.append(pre > 0)
        h = np.maximum(pre, 0.0)
    pat = np.concatenate(pattern) if pattern else np.zeros(0, dtype=bool)
    return _affine(ws, bs, pat)[0]


def spectral_product(weights) -> float:
    """prod_l ||W_l||_2, the Lipschitz bound of a ReLU network (MATH 10.2)."""
    ws, _ = _network(weights, None)
    return float(np.prod([spectral_norm(w) for w in ws]))


def linear_margin(W: object, x: object, label: int, b: object = None) -> float:
    """Closed form: min_j ((w_y - w_j).x + b_y - b_j)/||w_y - w_j|| for f(z) = W z + b."""
    W = as_matrix("W", W)
    x = as_vector("x", x, size=W.shape[1])
    b = np.zeros(W.shape[0]) if b is None else as_vector("b", b, size=W.shape[0])
    diff = W[label] - np.delete(W, label, axis=0)
    gap = (W[label] @ x + b[label]) - (np.delete(W, label, axis=0) @ x + np.delete(b, label))
    return float(np.min(gap / np.linalg.norm(diff, axis=1)))


@dataclass
class MarginResult:
    """An exact input margin and what it was computed from.

    Attributes
    ----------
    margin : float
        dist(x, {z : max_{j != y} f_j(z) >= f_y(z)}), inf when no pattern reaches it.
    point : ndarray or None
        A nearest point of that set (the QP's minimizer).
    patterns : list of (float, float)
        For every pattern whose region QP was solved: (distance from x to the region,
        ||J||_2 on it).  Every pattern within ``margin * (1 + REACH)`` of x is among them
        (the others were skipped by the pruning).
    qps : int
        QPs solved.
    unresolved : int
        QPs whose status was neither optimal nor infeasible (their check is inconclusive).
    """

    margin: float
    point: np.ndarray | None
    patterns: list[tuple[float, float]] = field(default_factory=list)
    qps: int = 0
    unresolved: int = 0


_PROBLEMS: dict[tuple[int, int], tuple] = {}


def _qp(rows: int, n: int):
    """min ||delta||^2 s.t. A delta <= c, compiled once per shape (CVXPY parameters, DPP).

    The unknown is the displacement delta = z - x, not z: ||z - x||^2 expanded in z loses
    the small margins to cancellation against ||x||^2.
    """
    key = (rows, n)
    if key not in _PROBLEMS:
        delta = cp.Variable(n, name="delta")
        A, c = cp.Parameter((rows, n)), cp.Parameter(rows)
        _PROBLEMS[key] = (cp.Problem(cp.Minimize(cp.sum_squares(delta)), [A @ delta <= c]),
                          delta, A, c)
    return _PROBLEMS[key]


def _distance(x, A, c) -> tuple[float | None, np.ndarray | None, bool]:
    """(distance, minimizer, resolved) from x to {A z <= c}; distance None when empty."""
    scale = np.linalg.norm(A, axis=1)
    flat = scale <= 1e-12 * max(float(np.max(scale, initial=0.0)), 1.0)
    if np.any(flat & (c < 0)):
        return None, None, True  # a constant constraint 0 <= c < 0: empty
    A, c, scale = A[~flat], c[~flat], scale[~flat]  # constant constraints 0 <= c >= 0: drop
    if A.shape[0] == 0:
        return 0.0, x.copy(), True
    slack = (c - A @ x) / scale  # signed distances from x to the half-spaces
    # unit of length: the largest violation (a lower bound of the distance), else the
    # nearest half-space, so that the solver's absolute tolerance acts as a relative one
    unit = -np.min(slack) if np.min(slack) < 0 else np.min(slack, initial=np.inf,
                                                                where=slack > 0)
    unit = float(unit) if np.isfinite(unit) and unit > 0 else 1.0
    problem, delta, Ap, cpar = _qp(A.shape[0], x.size)
    Ap.value, cpar.value = A / scale[:, None], slack / unit
    result = solve(problem, solver=QP_SOLVER)
    if result.optimal:
        return unit * math.sqrt(max(result.value, 0.0)), x + unit * np.array(delta.value), True
    return None, None, problem.status == cp.INFEASIBLE


def _lower_bound(x, A, c) -> float:
    """A distance lower bound: the largest violation of one half-space at x."""
    if A.shape[0] == 0:
        return 0.0
    viol = (A @ x - c) / np.maximum(np.linalg.norm(A, axis=1), 1e-300)
    return float(max(np.max(viol), 0.0))


def input_margin(weights, x: object, label: int, biases=None) -> MarginResult:
    """Exact input margin of a ReLU network at x, by activation patterns and QPs (MATH 10.2).

    For each pattern (2^H of them, H hidden units, H <= MAX_HIDDEN) the network is affine
    on a polyhedron; the distance from x to the part of it where some class j != y scores
    at least f_y is a convex QP.  Patterns are visited nearest first and skipped when a
    half-space violation already puts them farther than the best margin so far.

    Examples
    --------
    >>> W = [[1.0, 0.0], [-1.0, 0.0]]  # f = W z, boundary z_1 = 0
    >>> round(input_margin([W], [1.0, 0.0], 0).margin, 6)
    1.0
    """
    ws, bs = _network(weights, biases)
    x = as_vector("x", x, size=ws[0].shape[1])
    hidden = sum(w.shape[0] for w in ws[:-1])
    if hidden > MAX_HIDDEN:
        raise ValueError(f"weights: at most {MAX_HIDDEN} hidden units, got {hidden}")
    classes = ws[-1].shape[0]
    if classes < 2 or not (0 <= label < classes):
        raise ValueError(f"label: expected a class in 0..{classes - 1} of >= 2, got {label!r}")
    regions = []
    for bits in itertools.product((0, 1), repeat=hidden):
        F, g, A, c = _affine(ws, bs, np.array(bits))
        regions.append((_lower_bound(x, A, c), F, g, A, c))
    regions.sort(key=lambda item: item[0])
    out = MarginResult(math.inf, None)
    for lower, F, g, A, c in regions:
        if lower >= out.margin * (1.0 + REACH):
            break
        dist, _, resolved = _distance(x, A, c)
        out.qps += 1
        out.unresolved += not resolved
        if dist is None:
            continue
        out.patterns.append((dist, spectral_norm(F)))
        for j in range(classes):
            if j == label or dist >= out.margin:
                continue
            A2 = np.vstack([A, F[label] - F[j]])  # f_j(z) >= f_y(z)
            c2 = np.append(c, g[j] - g[label])
            d2, z2, resolved = _distance(x, A2, c2)
            out.qps += 1
            out.unresolved += not resolved
            if d2 is not None and d2 < out.margin:
                out.margin, out.point = d2, z2
    return out
