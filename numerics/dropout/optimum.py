"""Dropout's induced regularizer and global optimum (MATH 3 and 4): closed forms and solvers.

Omega_d(M) = ||M||_*^2 / d is reached by an equalized factorization
(:func:`equalized_factorization`, from the Givens construction of
:func:`equalizing_rotation`); the global optimum of dropout matrix factorization
shrinks the top rho singular values of X by tau (:func:`global_minimizer`), which
:func:`support_search` (exhaustive, on singular values) and
:func:`solve_nuclear_squared` (CVXPY, no rank cap) check independently.  The SVD
with a round-off rank cut and the norms are :mod:`numerics.linalg`'s.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from numerics.dropout.identities import dropout_lambda
from numerics.linalg import RANK_RTOL, nuclear_norm, rank_cut_svd
from numerics.validation import as_matrix, as_vector, check_positive_int

__all__ = [
    "induced_regularizer",
    "equalizing_rotation",
    "equalized_factorization",
    "equalization_error",
    "dropout_threshold",
    "threshold_rule",
    "threshold_value",
    "shrink_top",
    "support_search",
    "GlobalMinimizer",
    "global_minimizer",
    "optimal_value",
    "nuclear_squared_objective",
    "solve_nuclear_squared",
]


def induced_regularizer(M: object, d: int) -> float:
    """Omega_d(M) = ||M||_*^2 / d, the least sum_i ||u_i||^2 ||v_i||^2 over U V^T = M.

    Raises ValueError when d < rank(M) (no width-d factorization exists).

    >>> import numpy as np
    >>> round(induced_regularizer(np.diag([3.0, 1.0]), 4), 12)
    4.0
    """
    M = as_matrix("M", M)
    d = check_positive_int(d, "d")
    _, s, _, rank = rank_cut_svd(M)
    _check_width(d, rank)
    return float(s.sum() ** 2 / d)


def _check_width(d: int, rank: int) -> None:
    if d < rank:
        raise ValueError(
            f"d: expected a width d >= rank(M) = {rank}, got d = {d}; a product U V^T of "
            f"width {d} has rank at most {d}, so no width-{d} factorization of M exists"
        )


def equalizing_rotation(s: object) -> np.ndarray:
    """An orthogonal Q with diag(Q^T diag(s) Q) constant (= mean(s)), for any length.

    Schur-Horn for a constant target, built from len(s) - 1 Givens rotations: a
    running coordinate (the largest entry) holds value x; each fresh coordinate k
    (value y on the other side of the mean mu, which exists because the unfixed
    values average to mu) is rotated with it so that its diagonal entry becomes
    exactly mu: with c^2 + t^2 = 1 and t^2 = (mu - y)/(x - y), the new entries are
    t^2 x + c^2 y = mu at k and x + y - mu at the running coordinate.  The
    off-diagonal entry created lies between the running coordinate and a fixed one,
    so later rotations (running, fresh) never meet it and the fixed entries stay mu.
    The last running entry is mu by the trace.

    The partner is always the smallest or the largest fresh value, so the fresh
    values stay a contiguous run of the sorted order (two pointers), and the
    product of the rotations, all in planes (running, k_j), has a closed form:
    with v_j the running column after j rotations, v_j = c_j v_(j-1) + t_j e_(k_j)
    and column k_j = -t_j v_(j-1) + c_j e_(k_j); the products of the c's come from
    one cumulative product.  O(d^2) vectorized work, O(d) scalar steps.

    Parameters
    ----------
    s : array_like, shape (d,)
        Values to equalize (singular values padded with zeros in practice).

    Returns
    -------
    ndarray, shape (d, d)
        Orthogonal Q.

    >>> import numpy as np
    >>> Q = equalizing_rotation([3.0, 1.0, 0.0])
    >>> np.round(np.diag(Q.T @ np.diag([3.0, 1.0, 0.0]) @ Q), 12).tolist()
    [1.333333333333, 1.333333333333, 1.333333333333]
    """
    s = as_vector("s", s)
    d = s.size
    mu = float(s.mean())
    order = np.argsort(-s, kind="stable")
    values = s[order].tolist()
    x = values[0]
    lo, hi = 1, d - 1  # fresh values: sorted positions lo..hi
    perm = [int(order[0])]
    cs, ts = [1.0], [0.0]  # index 0 is the running coordinate (no rotation)
    for _ in range(d - 1):
        # a fresh value on the other side of mu from x: the smallest if x >= mu
        if x >= mu:
            pos, hi = hi, hi - 1
        else:
            pos, lo = lo, lo + 1
        y = values[pos]
        gap = x - y
        t2 = 0.0 if gap == 0.0 else min(max((mu - y) / gap, 0.0), 1.0)
        cs.append((1.0 - t2) ** 0.5)
        ts.append(t2**0.5)
        perm.append(int(order[pos]))
        x = x + y - mu
    c = np.array(cs)
    t = np.array(ts)
    last = d - 1
    # CP[i, j] = prod_{l = i+1}^{j} c_l (empty products are 1)
    grid = np.where(np.arange(d)[None, :] > np.arange(d)[:, None], c[None, :], 1.0)
    cp = np.cumprod(grid, axis=1)
    Qp = np.zeros((d, d))
    Qp[0, 0] = cp[0, last]
    if d > 1:
        Qp[1:, 0] = t[1:] * cp[1:, last]
        Qp[0, 1:] = -t[1:] * cp[0, :last]
        Qp[1:, 1:] = np.triu(-np.outer(t[1:], t[1:]) * cp[1:, :last], k=1) + np.diag(c[1:])
    Q = np.empty((d, d))
    Q[np.ix_(perm, perm)] = Qp
    return Q


def _equalized_from_svd(A: np.ndarray, s: np.ndarray, B: np.ndarray, rank: int,
                        d: int) -> tuple[np.ndarray, np.ndarray]:
    padded = np.zeros(d)
    padded[:rank] = s[:rank]
    Q = equalizing_rotation(padded)
    root = np.sqrt(padded[:rank])[:, None] * Q[:rank]  # diag(s)^{1/2} Q, top rank rows
    return A[:, :rank] @ root, B[:, :rank] @ root


def equalized_factorization(M: object, d: int) -> tuple[np.ndarray, np.ndarray]:
    """(U, V) with U V^T = M and ||u_i|| ||v_i|| = ||M||_*/d for every column i.

    U = A diag(s)^{1/2} Q, V = B diag(s)^{1/2} Q with M = A diag(s) B^T (padded with
    zeros to width d) and Q from :func:`equalizing_rotation`, so that
    ||u_i||^2 = ||v_i||^2 = (Q^T diag(s) Q)_ii = ||M||_*/d: the factorization
    reaches Omega_d(M) = ||M||_*^2/d.  Any d >= rank(M) works.

    Parameters
    ----------
    M : array_like, shape (m, n)
    d : int
        Width; must be at least rank(M).

    Returns
    -------
    U : ndarray, shape (m, d)
    V : ndarray, shape (n, d)

    Raises
    ------
    ValueError
        When d < rank(M), saying why.

    >>> import numpy as np
    >>> U, V = equalized_factorization(np.diag([3.0, 1.0]), 3)
    >>> bool(np.allclose(U @ V.T, np.diag([3.0, 1.0])))
    True
    >>> np.round(np.linalg.norm(U, axis=0) * np.linalg.norm(V, axis=0), 12).tolist()
    [1.333333333333, 1.333333333333, 1.333333333333]
    """
    M = as_matrix("M", M)
    d = check_positive_int(d, "d")
    A, s, B, rank = rank_cut_svd(M)
    _check_width(d, rank)
    return _equalized_from_svd(A, s, B, rank, d)


def dropout_threshold(sigma: object, kappa: float,
                      d: int | None = None) -> tuple[int, float]:
    """rho and tau of MATH 4 from singular values sorted in decreasing order.

    rho = max{j <= d : sigma_j > kappa S_j / (1 + kappa j)} (no cap when d is None),
    tau = kappa S_rho / (1 + kappa rho); rho = 0 and tau = 0 when no j qualifies.
    """
    sigma = as_vector("sigma", sigma)
    if np.any(sigma < 0) or np.any(np.diff(sigma) > 0):
        raise ValueError("sigma: expected non-negative values in decreasing order")
    kappa = _check_nonnegative(kappa, "kappa")
    if d is not None:
        d = check_positive_int(d, "d")
    return _threshold(sigma, kappa, d)


def _threshold(sigma: np.ndarray, kappa: float, d: int | None) -> tuple[int, float]:
    """dropout_threshold without input checks (callers have validated)."""
    j = np.arange(1.0, sigma.size + 1.0)
    partial = np.cumsum(sigma)
    valid = sigma * (1.0 + kappa * j) > kappa * partial  # same test, no division
    if d is not None:
        valid[d:] = False
    hits = np.flatnonzero(valid)
    rho = int(hits[-1]) + 1 if hits.size else 0
    tau = float(kappa * partial[rho - 1] / (1.0 + kappa * rho)) if rho else 0.0
    return rho, tau


def _check_nonnegative(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating | np.integer):
        raise ValueError(f"{name}: expected a non-negative real number, got {value!r}")
    value = float(value)
    if not (np.isfinite(value) and value >= 0):
        raise ValueError(f"{name}: expected a non-negative real number, got {value!r}")
    return value


def threshold_value(sigma: np.ndarray, kappa: float, rho: int, tau: float) -> float:
    """rho tau^2 + sum_{i > rho} sigma_i^2 + kappa (S_rho - rho tau)^2 (MATH 4)."""
    sigma = np.asarray(sigma, dtype=np.float64)
    kept = float(np.sum(sigma[:rho]) - rho * tau)
    return float(rho * tau**2 + np.sum(sigma[rho:] ** 2) + kappa * kept**2)


def equalization_error(U: object, V: object) -> np.ndarray:
    """max_i | ||u_i|| ||v_i|| - ||U V^T||_*/d | / (||U V^T||_*/d) for each run of a stack.

    Parameters
    ----------
    U : array_like, shape (runs, m, d)
    V : array_like, shape (runs, n, d)

    Returns
    -------
    ndarray, shape (runs,)
        0 for an equalized factorization (every ||u_i|| ||v_i|| = ||U V^T||_*/d).

    >>> U, V = equalized_factorization(np.diag([3.0, 1.0]), 3)
    >>> float(equalization_error(U[None], V[None])[0]) < 1e-12
    True
    >>> float(equalization_error(np.eye(2)[None], np.diag([3.0, 1.0])[None])[0])
    0.5
    """
    U = np.asarray(U, dtype=np.float64)
    V = np.asarray(V, dtype=np.float64)
    if U.ndim != 3 or V.ndim != 3 or U.shape[0] != V.shape[0] or U.shape[2] != V.shape[2]:
        raise ValueError(f"U and V: expected stacks (runs, m, d) and (runs, n, d), got shapes "
                         f"{U.shape} and {V.shape}")
    products = np.linalg.norm(U, axis=1) * np.linalg.norm(V, axis=1)
    target = nuclear_norm(U @ V.transpose(0, 2, 1)) / U.shape[2]
    return np.max(np.abs(products - target[:, None]), axis=1) / np.maximum(target, 1e-300)


def threshold_rule(sigma: object, kappa: float,
                   threshold: Callable[[float, np.ndarray, np.ndarray], np.ndarray],
                   d: int | None = None) -> tuple[int, float]:
    """rho and tau for any threshold: rho = max{j (<= d) : sigma_j > threshold(kappa, S_j, j)}.

    :func:`dropout_threshold` is this rule with the true threshold
    kappa S / (1 + kappa j); a claimed (possibly wrong) threshold is evaluated by the
    same code, so a check compares claims, not implementations.

    Parameters
    ----------
    sigma : array_like
        Singular values in decreasing order.
    kappa : float
    threshold : callable
        ``threshold(kappa, partial_sums, counts)``, vectorized over j = 1..len(sigma).
    d : int, optional
        Cap on rho.

    >>> threshold_rule([3.0, 2.0], 0.25, lambda k, S, j: k * S / (1 + k * j))
    (2, 0.8333333333333334)
    """
    sigma = as_vector("sigma", sigma)
    kappa = _check_nonnegative(kappa, "kappa")
    if d is not None:
        d = check_positive_int(d, "d")
    js = np.arange(1, sigma.size + 1)
    partial = np.cumsum(sigma)
    thr = np.broadcast_to(np.asarray(threshold(kappa, partial, js), dtype=float), sigma.shape)
    valid = sigma > thr
    if d is not None:
        valid &= js <= d
    rho = int(js[valid].max()) if valid.any() else 0
    tau = float(np.asarray(threshold(kappa, partial[rho - 1], rho), dtype=float)) if rho else 0.0
    return rho, tau


def shrink_top(X: object, rho: int, tau: float) -> np.ndarray:
    """sum_{i <= rho} (sigma_i - tau) a_i b_i^T: the top rho singular values of X shrunk by tau.

    >>> shrink_top(np.diag([3.0, 1.0]), 1, 0.5).tolist()
    [[2.5, 0.0], [0.0, 0.0]]
    """
    A, sigma, B, _ = rank_cut_svd(X)
    rho = int(rho)
    if not 0 <= rho <= sigma.size:
        raise ValueError(f"rho: expected an integer in [0, {sigma.size}], got {rho!r}")
    return (A[:, :rho] * (sigma[:rho] - float(tau))) @ B[:, :rho].T


def support_search(sigma: object, kappa: float, d: int) -> float:
    """min over mu >= 0 with at most d nonzeros of sum (sigma - mu)^2 + kappa (sum mu)^2.

    Brute force over supports J (|J| <= d): the quadratic on J is solved by a linear
    system, (I + kappa 1 1^T) mu_J = sigma_J; a support whose solution is not positive
    is covered by a smaller one.  By von Neumann's trace inequality this is the
    problem min_{rank M <= d} ||X - M||^2 + kappa ||M||_*^2 on singular values, solved
    without the closed form's threshold rule.

    >>> round(support_search([3.0, 2.0], 0.5, 2), 12), optimal_value(np.diag([3.0, 2.0]), 0.5, 2)
    (6.25, 6.25)
    """
    sigma = as_vector("sigma", sigma)
    kappa = _check_nonnegative(kappa, "kappa")
    d = check_positive_int(d, "d")
    best = float(np.sum(sigma**2))
    for size in range(1, min(d, sigma.size) + 1):
        for J in itertools.combinations(range(sigma.size), size):
            sj = sigma[list(J)]
            mu = np.linalg.solve(np.eye(size) + kappa * np.ones((size, size)), sj)
            if np.all(mu > 0):
                value = (float(np.sum(sigma**2) - np.sum(sj**2)) + float(np.sum((sj - mu) ** 2))
                         + kappa * float(np.sum(mu)) ** 2)
                best = min(best, value)
    return best


@dataclass
class GlobalMinimizer:
    """The global optimum of dropout matrix factorization at width d (MATH 4).

    Attributes
    ----------
    M : ndarray
        The optimal product U V^T.
    rho : int
        Its rank.
    tau : float
        The singular-value threshold.
    value : float
        The optimal value of ||X - U V^T||_F^2 + lambda sum_i ||u_i||^2 ||v_i||^2.
    U, V : ndarray
        An optimal factorization of width d, equalized.
    lam, kappa : float
        lambda = (1 - theta)/theta and kappa = lambda / d.
    """

    M: np.ndarray
    rho: int
    tau: float
    value: float
    U: np.ndarray
    V: np.ndarray
    lam: float
    kappa: float


def global_minimizer(X: object, theta: float, d: int) -> GlobalMinimizer:
    """Closed-form global minimizer of the dropout objective at width d (MATH 4).

    min_{U, V} ||X - U V^T||_F^2 + lambda sum_i ||u_i||^2 ||v_i||^2 equals
    min_{rank M <= d} ||X - M||_F^2 + kappa ||M||_*^2 with kappa = lambda/d, solved by
    shrinking the top rho singular values of X by tau.

    Parameters
    ----------
    X : array_like, shape (m, n)
    theta : float
        Keep probability in (0, 1].
    d : int
        Width (number of hidden units).

    Returns
    -------
    GlobalMinimizer

    >>> import numpy as np
    >>> g = global_minimizer(np.diag([3.0, 2.0]), theta=0.5, d=2)
    >>> g.rho, round(g.tau, 12), round(g.value, 12)
    (2, 1.25, 6.25)
    >>> global_minimizer(np.diag([3.0, 1.0]), theta=0.5, d=2).rho  # sigma_2 = 1 <= tau
    1
    """
    X = as_matrix("X", X)
    lam = dropout_lambda(theta)
    d = check_positive_int(d, "d")
    kappa = lam / d
    A, sigma, B, _ = rank_cut_svd(X)
    rho, tau = _threshold(sigma, kappa, d)
    shrunk = sigma[:rho] - tau
    M = (A[:, :rho] * shrunk) @ B[:, :rho].T
    U, V = _equalized_from_svd(A, shrunk, B, rho, d)
    return GlobalMinimizer(M, rho, tau, threshold_value(sigma, kappa, rho, tau), U, V,
                           lam, kappa)


def optimal_value(X: object, theta: float, d: int) -> float:
    """The optimal value of dropout matrix factorization at width d, from singular values only.

    Same number as ``global_minimizer(X, theta, d).value`` without singular vectors
    or factors (cheaper: one ``svd(compute_uv=False)``).

    >>> import numpy as np
    >>> optimal_value(np.diag([3.0, 2.0]), theta=0.5, d=2)
    6.25
    """
    X = as_matrix("X", X)
    d = check_positive_int(d, "d")
    kappa = dropout_lambda(theta) / d
    sigma = np.linalg.svd(X, compute_uv=False)
    sigma[sigma <= RANK_RTOL * max(X.shape) * sigma[0]] = 0.0  # rank_cut_svd's rule
    rho, tau = _threshold(sigma, kappa, d)
    kept = float(sigma[:rho].sum()) - rho * tau
    tail = sigma[rho:]
    return float(rho * tau * tau + tail @ tail + kappa * kept * kept)


def nuclear_squared_objective(X: object, M: object, kappa: float) -> float:
    """||X - M||_F^2 + kappa ||M||_*^2, the convex problem of MATH 4."""
    X = as_matrix("X", X)
    M = as_matrix("M", M, rows=X.shape[0], cols=X.shape[1])
    kappa = _check_nonnegative(kappa, "kappa")
    return float(np.sum((X - M) ** 2) + kappa * nuclear_norm(M) ** 2)


def solve_nuclear_squared(X: object, kappa: float, solver: str = "SCS",
                          eps: float | None = None) -> tuple[Any, np.ndarray | None]:
    """Solve min_M ||X - M||_F^2 + kappa ||M||_*^2 with CVXPY (no rank constraint).

    The problem is DCP: a square of the (convex, non-negative) nuclear norm.  The
    solver policy is :func:`numerics.convex.solve` (named solver, status "optimal"
    or no answer).

    Returns
    -------
    result : numerics.convex.ConvexResult
    M : ndarray or None
        The minimizer, None unless the status is "optimal".
    """
    import cvxpy as cp

    from numerics.convex import SCS_EPS, solve

    X = as_matrix("X", X)
    kappa = _check_nonnegative(kappa, "kappa")
    M = cp.Variable(X.shape, name="M")
    problem = cp.Problem(cp.Minimize(cp.sum_squares(X - M) + kappa * cp.square(cp.normNuc(M))))
    result = solve(problem, solver=solver, eps=SCS_EPS if eps is None else eps)
    return result, (None if result.value is None else np.asarray(result.variables["M"]))

