"""Kernels for the generalization family (MATH.md section 10): quantities computed exactly.

* :func:`rademacher_linear`: the empirical Rademacher complexity of the l2- or
  l1-ball linear class, an exact average over all 2^m sign vectors.  The supremum
  over the ball is a sufficient statistic of ``v = sum_i s_i x_i`` (``B ||v||_2``
  for the l2 ball, ``B ||v||_inf`` for the l1 ball, by Hoelder), so the average is
  one matrix product per chunk of sign vectors; ``s`` and ``-s`` give the same
  value, so only the 2^(m-1) vectors with ``s_1 = +1`` are enumerated.
* :func:`input_margin`: the exact l2 distance from ``x`` to the decision boundary
  of a small ReLU network, by enumerating its activation patterns and solving one
  convex QP per (pattern, class) with CVXPY.
* :func:`path_norm`: phi_p of a bias-free ReLU network by dynamic programming, with
  :func:`path_norm_enumerated` (every path listed) to check it, node rescalings and the
  convex minimization of the product of max-row norms over rescalings.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import cvxpy as cp
import numpy as np

from numerics.convex import solve
from numerics.linalg import spectral_norm
from numerics.validation import as_matrix, as_vector, check_positive_int

__all__ = [
    "MAX_SAMPLES", "MAX_HIDDEN", "QP_SOLVER", "QP_EPS", "REACH",
    "sup_over_ball", "rademacher_linear", "rademacher_linear_loop", "rademacher_monte_carlo",
    "frobenius_term", "massart_bound", "orthogonal_rows", "equal_pair",
    "forward", "output_margin", "jacobian", "spectral_product", "linear_margin",
    "MarginResult", "input_margin", "path_norm", "path_norm_enumerated", "rescale",
    "max_row_norm", "min_rescaled_row_product",
]

MAX_SAMPLES = 24  # 2^23 sign vectors: a few seconds; beyond that enumeration is refused
_CHUNK = 1 << 16  # sign vectors per matrix product
MAX_HIDDEN = 12  # 2^12 activation patterns
QP_SOLVER = "CLARABEL"  # interior point: accurate QPs; reports infeasible regions exactly
QP_EPS = 1e-8  # Clarabel's default relative/absolute feasibility and gap tolerance
REACH = 1e-3  # every pattern whose region is within margin * (1 + REACH) of x is recorded


def _check_norm(norm: object) -> int:
    if norm not in (1, 2) or isinstance(norm, bool):
        raise ValueError(f"norm: expected 1 (l1 ball) or 2 (l2 ball), got {norm!r}")
    return int(norm)


def _check_radius(B: object) -> float:
    if isinstance(B, bool) or not isinstance(B, int | float | np.floating) or not B > 0:
        raise ValueError(f"B: expected a positive radius, got {B!r}")
    return float(B)


def sup_over_ball(V: object, B: float = 1.0, norm: int = 2) -> np.ndarray:
    """sup of w.v over ||w||_norm <= B for each row v of V: B times the dual norm.

    >>> sup_over_ball([[3.0, -4.0]], norm=2).tolist(), sup_over_ball([[3.0, -4.0]], norm=1).tolist()
    ([5.0], [4.0])
    """
    V = as_matrix("V", V)
    B, norm = _check_radius(B), _check_norm(norm)
    if norm == 2:
        return B * np.linalg.norm(V, axis=1)
    return B * np.max(np.abs(V), axis=1)


def _data(X: object) -> np.ndarray:
    X = as_matrix("X", X)
    if X.shape[0] > MAX_SAMPLES:
        raise ValueError(f"X: exact enumeration supports at most {MAX_SAMPLES} samples "
                         f"(2^{MAX_SAMPLES - 1} sign vectors), got m = {X.shape[0]}")
    return X


def rademacher_linear(X: object, B: float = 1.0, norm: int = 2) -> float:
    """Exact empirical Rademacher complexity of {x -> w.x : ||w||_norm <= B} on the rows of X.

    R_S = (1/m) E_s sup_w sum_i s_i w.x_i = (B/m) E_s ||sum_i s_i x_i||_* over all 2^m
    sign vectors (the dual norm: l2 for the l2 ball, l_inf for the l1 ball).

    Parameters
    ----------
    X : array (m, n)
        The sample, one point per row; m <= MAX_SAMPLES.
    B : float
        Radius of the ball.
    norm : {1, 2}

    Returns
    -------
    float

    Examples
    --------
    >>> rademacher_linear([[1.0, 0.0], [1.0, 0.0]])  # m = 2, x_1 = x_2: (1/2)(2 + 0)/2
    0.5
    >>> rademacher_linear(np.eye(3))  # orthonormal rows: sqrt(3)/3
    0.5773502691896257
    """
    X = _data(X)
    B, norm = _check_radius(B), _check_norm(norm)
    m = X.shape[0]
    total, count = 0.0, 1 << (m - 1)
    powers = np.arange(m - 1)
    for start in range(0, count, _CHUNK):
        k = np.arange(start, min(start + _CHUNK, count), dtype=np.int64)
        signs = 1.0 - 2.0 * ((k[:, None] >> powers) & 1)  # s_2..s_m; s_1 = +1
        sums = signs @ X[1:] + X[0]
        total += float(np.sum(sup_over_ball(sums, 1.0, norm)))
    return B * total / count / m


def rademacher_linear_loop(X: object, B: float = 1.0, norm: int = 2) -> float:
    """The same average as :func:`rademacher_linear`, one sign vector at a time over all 2^m.

    An independent implementation (no symmetry, no chunks) for checks and timings.

    >>> rademacher_linear_loop([[1.0, 0.0], [1.0, 0.0]])
    0.5
    """
    X = _data(X)
    B, norm = _check_radius(B), _check_norm(norm)
    m = X.shape[0]
    total = 0.0
    for signs in itertools.product((-1.0, 1.0), repeat=m):
        v = np.asarray(signs) @ X
        total += float(np.linalg.norm(v, ord=2 if norm == 2 else np.inf))
    return B * total / 2**m / m


def rademacher_monte_carlo(X: object, samples: int, rng: np.random.Generator, B: float = 1.0,
                           norm: int = 2) -> tuple[float, float]:
    """Monte Carlo estimate of R_S and its standard error, from ``samples`` random signs."""
    X = as_matrix("X", X)
    samples = check_positive_int(samples, "samples")
    B, norm = _check_radius(B), _check_norm(norm)
    signs = rng.choice((-1.0, 1.0), size=(samples, X.shape[0]))
    values = sup_over_ball(signs @ X, B, norm) / X.shape[0]
    se = float(values.std(ddof=1) / math.sqrt(samples)) if samples > 1 else float("nan")
    return float(values.mean()), se


def frobenius_term(X: object, B: float = 1.0) -> float:
    """(B/m) sqrt(sum_i ||x_i||^2), the scale of the Khintchine bounds of MATH 10.1.

    >>> frobenius_term(np.eye(4))
    0.5
    """
    X = as_matrix("X", X)
    return _check_radius(B) * float(np.linalg.norm(X)) / X.shape[0]


def massart_bound(X: object, B: float = 1.0, constant: float = 2.0) -> float:
    """B max|x_ij| sqrt(constant log(2d) / m): Massart's bound for the l1 ball (constant 2).

    >>> round(massart_bound([[1.0]]), 6)  # m = d = 1: sqrt(2 log 2)
    1.17741
    """
    X = as_matrix("X", X)
    if not constant > 0:
        raise ValueError(f"constant: expected a positive number, got {constant!r}")
    m, d = X.shape
    return _check_radius(B) * float(np.max(np.abs(X))) * math.sqrt(constant * math.log(2 * d) / m)


def orthogonal_rows(m: int, n: int, rng: np.random.Generator) -> np.ndarray:
    """m mutually orthogonal rows in R^n (n >= m) with norms in [0.5, 2]: the upper bound's
    equality case (every ||sum_i s_i x_i||^2 equals sum_i ||x_i||^2)."""
    m, n = check_positive_int(m, "m"), check_positive_int(n, "n")
    if n < m:
        raise ValueError(f"n: orthogonal rows need n >= m = {m}, got {n}")
    q, r = np.linalg.qr(rng.standard_normal((n, m)))
    return (q * np.sign(np.diag(r))).T * rng.uniform(0.5, 2.0, size=(m, 1))


def equal_pair(n: int, rng: np.random.Generator) -> np.ndarray:
    """Two equal rows x_1 = x_2 (m = 2): the lower bound's equality case."""
    x = rng.standard_normal(check_positive_int(n, "n"))
    return np.stack([x, x])


# -- ReLU networks and input margins ---------------------------------------------------


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


# -- path norms (MATH 10.3) ------------------------------------------------------------


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
