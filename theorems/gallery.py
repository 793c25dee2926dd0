"""A gallery of plausible but false claims of deep-learning theory, each with its correction.

Every entry holds a false :class:`~theorems.claims.Claim`, a one-line
explanation of the mistake, and the corrected statement (a claim that
:func:`~theorems.claims.falsify` must never refute).  ``mathdl falsify
theorems.gallery:FALSE_CLAIMS`` refutes every false claim with a shrunk
counterexample; ``mathdl falsify theorems.gallery:TRUE_CLAIMS`` proves or
verifies every correction.

The numerics here are plain NumPy on tiny instances (a deep linear network's
exact Hessian, a stationary point of the nuclear-norm factorization), so that
each claim states exactly what it computes.

Examples
--------
>>> from theorems.gallery import GALLERY, entry
>>> len(GALLERY) >= 10
True
>>> e = entry("dropout_without_rescaling")
>>> e.mistake.startswith("Without the 1/theta rescaling")
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy
from hypothesis import assume
from hypothesis import strategies as st
from sympy import HadamardProduct, IndexedBase, Interval, MatrixSymbol, Sum, Trace, symbols

from numerics import dropout as nd
from theorems import strategies as sdl
from theorems.claims import Claim
from theorems.symbolic.expectation import Expectation

__all__ = ["GalleryEntry", "GALLERY", "FALSE_CLAIMS", "TRUE_CLAIMS", "entry",
           "deep_linear_hessian", "deep_linear_loss"]


@dataclass(frozen=True)
class GalleryEntry:
    """A false claim, the mistake in one line, and the corrected (true) claim."""

    key: str
    claim: Claim
    mistake: str
    corrected: Claim
    source: str

    def __repr__(self) -> str:
        return f"<GalleryEntry {self.key}: {self.mistake}>"


# -- symbols of the symbolic claims ----------------------------------------------------

THETA, P = symbols("theta p", positive=True)
m, n, d, N, k = symbols("m n d N k", integer=True, positive=True)
a, b, i, j, t = symbols("a b i j t", integer=True, positive=True)
X, U, V, r = IndexedBase("X"), IndexedBase("U"), IndexedBase("V"), IndexedBase("r")
y, w, R = IndexedBase("y"), IndexedBase("w"), IndexedBase("R")
KEEP = Interval.Lopen(0, 1)  # a keep probability theta in (0, 1]
LAMBDA = (1 - THETA) / THETA


def _fit() -> sympy.Expr:
    return Sum((X[a, b] - Sum(U[a, i] * V[b, i], (i, 1, d))) ** 2, (a, 1, m), (b, 1, n))


def _dropout_loss(rescale: sympy.Expr) -> sympy.Expr:
    inner = X[a, b] - rescale * Sum(U[a, i] * r[i] * V[b, i], (i, 1, d))
    return Expectation(Sum(inner**2, (a, 1, m), (b, 1, n)))


def _product_regularizer() -> sympy.Expr:
    return Sum(Sum(U[a, i] ** 2, (a, 1, m)) * Sum(V[b, i] ** 2, (b, 1, n)), (i, 1, d))


def _dropout_claim(name: str, rescale: sympy.Expr, regularizer: sympy.Expr,
                   explanation: str) -> Claim:
    # sizes up to 2: a dropout identity either fails at 1 x 1 x 1 or is an exact polynomial
    # identity, and the expectation over 2^d masks grows fast with d
    return Claim(name, _dropout_loss(rescale), _fit() + LAMBDA * regularizer,
                 domains={THETA: KEEP}, random={r: THETA}, sizes={m: (1, 2), n: (1, 2),
                                                                   d: (1, 2)},
                 explanation=explanation)


# -- deep linear networks, plain NumPy -------------------------------------------------


def _eye(size: int, like: np.ndarray) -> np.ndarray:
    if like.dtype == object:  # exact arithmetic: keep SymPy integers
        out = np.full((size, size), sympy.Integer(0), dtype=object)
        for q in range(size):
            out[q, q] = sympy.Integer(1)
        return out
    return np.eye(size)


def _chain(weights: list[np.ndarray], start: int, stop: int, size: int,
           like: np.ndarray) -> np.ndarray:
    """W_{stop-1} ... W_start (the identity of the given size when empty)."""
    out = _eye(size, like)
    for layer in range(start, stop):
        out = weights[layer] @ out
    return out


def deep_linear_loss(weights: list[np.ndarray], X_: np.ndarray, Y_: np.ndarray) -> float:
    """L(W) = (1/2) ||W_L ... W_1 X - Y||_F^2 (MATH 6), data one sample per column."""
    prod = X_
    for W in weights:
        prod = W @ prod
    res = prod - Y_
    return 0.5 * float(np.sum(res * res))


def deep_linear_hessian(weights: list[np.ndarray], X_: np.ndarray,
                        Y_: np.ndarray) -> np.ndarray:
    """The exact Hessian of L(W) = (1/2)||W_L ... W_1 X - Y||_F^2 in all entries of all W_l.

    With J_e the derivative of the end-to-end output along a unit entry e and
    R = W_L ... W_1 X - Y, H[e, f] = <J_e, J_f> + <R, second derivative along e, f>;
    the network is multilinear, so the second derivative vanishes within a layer
    and is a product with two unit matrices across layers.  Works on float arrays
    and on object arrays of SymPy numbers (exact).
    """
    L = len(weights)
    dims = [X_.shape[0]] + [W.shape[0] for W in weights]
    right = [_chain(weights, 0, layer, dims[0], X_) @ X_ for layer in range(L)]
    left = [_chain(weights, layer + 1, L, dims[layer + 1], X_) for layer in range(L)]
    res = _chain(weights, 0, L, dims[0], X_) @ X_ - Y_
    entries = [(layer, p, q) for layer in range(L) for p in range(dims[layer + 1])
               for q in range(dims[layer])]
    jac = [np.outer(left[layer][:, p], right[layer][q, :]) for layer, p, q in entries]
    size = len(entries)
    H = np.empty((size, size), dtype=X_.dtype)
    for e1, (l1, p1, q1) in enumerate(entries):
        for e2, (l2, p2, q2) in enumerate(entries):
            value = np.sum(jac[e1] * jac[e2])
            if l1 != l2:
                (lo, plo, qlo), (hi, phi, qhi) = sorted([(l1, p1, q1), (l2, p2, q2)])
                # W_L..W_{hi+1} E_hi W_{hi-1}..W_{lo+1} E_lo W_{lo-1}..W_1 X
                mid = _chain(weights, lo + 1, hi, dims[lo + 1], X_)
                second = np.outer(left[hi][:, phi], right[lo][qlo, :]) * mid[qhi, plo]
                value = value + np.sum(res * second)
            H[e1, e2] = value
    return H


def _zero_weights(widths: list[int], dx: int, dy: int, exact: bool = False) -> list[np.ndarray]:
    dims = [dx, *widths, dy]
    if exact:
        return [np.full((dims[q + 1], dims[q]), sympy.Integer(0), dtype=object)
                for q in range(len(dims) - 1)]
    return [np.zeros((dims[q + 1], dims[q])) for q in range(len(dims) - 1)]


def _exact(A: np.ndarray) -> np.ndarray:
    return np.vectorize(lambda v: sympy.Integer(int(v)), otypes=[object])(A)


@st.composite
def _network_data(draw, depth: int):
    """(X, Y, widths): integer data with Y X^T != 0 and hidden widths 1..2."""
    dx, dy, samples = (draw(st.integers(1, 2)) for _ in range(3))
    X_ = draw(sdl.integer_matrices(rows=dx, cols=samples, bound=2))
    Y_ = draw(sdl.integer_matrices(rows=dy, cols=samples, bound=2))
    assume(np.any(Y_ @ X_.T != 0))  # otherwise the origin is a global minimum
    widths = [draw(st.integers(1, 2)) for _ in range(depth - 1)]
    return X_, Y_, widths


def _origin_hessian(data) -> np.ndarray:
    X_, Y_, widths = data
    return deep_linear_hessian(_zero_weights(widths, X_.shape[0], Y_.shape[0]), X_, Y_)


def _is_saddle_at_origin(data) -> bool:
    """A descent direction at the origin: t D_l with D_L ... D_1 = b a^T (top pair of Y X^T).

    L(t) - L(0) = -t^L sigma_1 + (t^(2L)/2) ||b a^T X||^2, negative for t^L = sigma_1 /
    ||b a^T X||^2, so the origin is not a local minimum (MATH 6).
    """
    X_, Y_, widths = data
    A_, s, Bt = np.linalg.svd(Y_ @ X_.T)
    dims = [X_.shape[0], *widths, Y_.shape[0]]
    direction = []
    for q in range(len(dims) - 1):
        D = np.zeros((dims[q + 1], dims[q]))
        if q == 0:
            D[0, :] = Bt[0]
        elif q == len(dims) - 2:
            D[:, 0] = A_[:, 0]
        else:
            D[0, 0] = 1.0
        direction.append(D)
    depth = len(direction)
    scale = (s[0] / np.sum((np.outer(A_[:, 0], Bt[0]) @ X_) ** 2)) ** (1.0 / depth)
    moved = deep_linear_loss([scale * D for D in direction], X_, Y_)
    return moved < 0.5 * float(np.sum(Y_ * Y_))  # L(0) = ||Y||^2 / 2


def _indefiniteness(data) -> float:
    """min(-lambda_min, lambda_max) of the Hessian: > 0 exactly when it is indefinite."""
    eig = np.linalg.eigvalsh(_origin_hessian(data))
    return float(min(-eig[0], eig[-1]))


def _min_eigenvalue_at_saddle(data) -> float:
    assume(_is_saddle_at_origin(data))
    return float(np.linalg.eigvalsh(_origin_hessian(data))[0])


def _exact_min_eigenvalue_at_saddle(data):
    X_, Y_, widths = data
    weights = _zero_weights(widths, X_.shape[0], Y_.shape[0], exact=True)
    H = sympy.Matrix(deep_linear_hessian(weights, _exact(X_), _exact(Y_)))
    value = sympy.Integer(0) if H.is_zero_matrix else min(H.eigenvals(), key=sympy.N)
    return value, sympy.Integer(0)


# -- nuclear norm and the certificate --------------------------------------------------


def _nuclear(M: np.ndarray) -> float:
    return float(np.sum(np.linalg.svd(M, compute_uv=False)))


def _spectral(M: np.ndarray) -> float:
    return float(np.linalg.svd(M, compute_uv=False)[0])


@st.composite
def _certificate_problems(draw):
    """(Y, lam, width): a small integer Y, a simple lam > 0 and a width 1..min(m, n)."""
    Y_ = draw(sdl.integer_matrices(max_side=3, bound=2))
    lam = draw(st.sampled_from([0.5, 1.0, 0.25, 2.0]))
    width = draw(st.integers(1, min(Y_.shape)))
    return Y_, lam, width


def _certificate_residual(problem, enough_width: bool = False) -> float:
    """||grad l(U V^T)||_2 = ||Y - U V^T||_2 at the width-r stationary point of
    (1/2)||Y - U V^T||_F^2 + lam sum_i ||u_i|| ||v_i||.

    U = A_r diag((s - lam)_+)^(1/2), V = B_r diag((s - lam)_+)^(1/2) from the top r
    singular pairs of Y: -(Y - U V^T) v_i + lam (||v_i|| / ||u_i||) u_i = 0 for every
    kept column (MATH 7), so the point is stationary.  With ``enough_width`` the width
    is raised to the number of singular values above lam (the rank of the optimum).
    """
    Y_, lam, width = problem
    A_, s, Bt = np.linalg.svd(Y_, full_matrices=False)
    if enough_width:
        width = max(width, int(np.sum(s > lam)))
    shrunk = np.sqrt(np.maximum(s[:width] - lam, 0.0))
    U_, V_ = A_[:, :width] * shrunk, Bt[:width].T * shrunk
    return _spectral(Y_ - U_ @ V_.T)


# -- dropout and factorization numerics ------------------------------------------------


@st.composite
def _dropout_problems(draw):
    """(X, U, V, theta): small integer matrices of matching shapes and a simple rate."""
    U_, V_ = draw(sdl.integer_factor_pairs(max_side=2, max_width=3, bound=2))
    X_ = draw(sdl.integer_matrices(rows=U_.shape[0], cols=V_.shape[0], bound=2))
    return X_, U_, V_, draw(sdl.simple_rates())


def _exact_dropout(problem) -> float:
    X_, U_, V_, theta = problem
    return nd.exact_expectation(X_, U_, V_, theta)


def _fit_plus_nuclear(problem) -> float:
    X_, U_, V_, theta = problem
    width = U_.shape[1]
    return (float(np.sum((X_ - U_ @ V_.T) ** 2))
            + nd.dropout_lambda(theta) / width * _nuclear(U_ @ V_.T) ** 2)


def _regularizer(pair) -> float:
    return nd.product_regularizer(*pair)


def _nuclear_squared(pair) -> float:
    return _nuclear(pair[0] @ pair[1].T) ** 2


def _nuclear_squared_over_d(pair) -> float:
    return _nuclear(pair[0] @ pair[1].T) ** 2 / pair[0].shape[1]


def _doubled_regularizer(pair) -> float:
    return nd.product_regularizer(*nd.double_columns(*pair))


# -- the gallery -----------------------------------------------------------------------


def _build() -> tuple[GalleryEntry, ...]:
    entries = []

    def add(key, claim, mistake, corrected, source):
        entries.append(GalleryEntry(key, claim, mistake, corrected, source))

    add("dropout_without_rescaling",
        _dropout_claim("gallery.dropout_without_rescaling", sympy.S.One, _product_regularizer(),
                       "dropout without the 1/theta rescaling is the product regularizer"),
        "Without the 1/theta rescaling the fit term becomes ||X - theta U V^T||_F^2 and the "
        "regularizer theta(1 - theta) sum_i ||u_i||^2 ||v_i||^2.",
        _dropout_claim("gallery.dropout_without_rescaling.corrected", 1 / THETA,
                       _product_regularizer(),
                       "E||X - (1/theta) U diag(r) V^T||^2 = ||X - U V^T||^2 + lambda sum_i "
                       "||u_i||^2 ||v_i||^2"),
        "MATH 1.1")

    add("dropout_is_weight_decay",
        _dropout_claim("gallery.dropout_is_weight_decay", 1 / THETA,
                       Sum(Sum(U[a, i] ** 2, (a, 1, m)) + Sum(V[b, i] ** 2, (b, 1, n)),
                           (i, 1, d)),
                       "dropout is weight decay: lambda sum_i (||u_i||^2 + ||v_i||^2)"),
        "Dropout penalizes the product ||u_i||^2 ||v_i||^2 of each unit's weights, not their "
        "sum; the two differ whenever a unit has one small and one large factor.",
        _dropout_claim("gallery.dropout_is_weight_decay.corrected", 1 / THETA,
                       _product_regularizer(),
                       "the dropout regularizer is lambda sum_i ||u_i||^2 ||v_i||^2"),
        "MATH 1.1")

    add("bernoulli_second_moment",
        Claim("gallery.bernoulli_second_moment", Expectation(r[i] * r[j]), THETA**2,
              domains={THETA: KEEP}, random={r: THETA}, indices={i: (1, d), j: (1, d)},
              sizes={d: (1, 3)}, explanation="E[r_i r_j] = theta^2 for all i, j"),
        "Independence gives theta^2 only for i != j; for i = j, r_i^2 = r_i has mean theta, so "
        "E[r_i r_j] = theta^2 + theta(1 - theta) delta_ij.",
        Claim("gallery.bernoulli_second_moment.corrected", Expectation(r[i] * r[j]),
              THETA**2 + THETA * (1 - THETA) * sympy.KroneckerDelta(i, j),
              domains={THETA: KEEP}, random={r: THETA}, indices={i: (1, d), j: (1, d)},
              sizes={d: (1, 3)},
              explanation="E[r_i r_j] = theta^2 + theta(1 - theta) delta_ij"),
        "MATH 1.1 (proof idea)")

    add("input_dropout_plain_ridge",
        Claim("gallery.input_dropout_plain_ridge",
              Expectation(Sum((y[t] - Sum(R[t, j] * X[t, j] * w[j], (j, 1, k))) ** 2,
                              (t, 1, N))),
              Sum((y[t] - P * Sum(X[t, j] * w[j], (j, 1, k))) ** 2, (t, 1, N))
              + P * (1 - P) * Sum(w[j] ** 2, (j, 1, k)),
              domains={P: KEEP}, random={R: P}, sizes={N: (1, 2), k: (1, 2)},
              explanation="input dropout in least squares is ridge p(1 - p)||w||^2"),
        "The penalty weighs each coefficient by its column's energy: p(1 - p) ||Gamma w||^2 "
        "with Gamma = diag(X^T X)^(1/2), plain ridge only for unit-norm columns.",
        Claim("gallery.input_dropout_plain_ridge.corrected",
              Expectation(Sum((y[t] - Sum(R[t, j] * X[t, j] * w[j], (j, 1, k))) ** 2,
                              (t, 1, N))),
              Sum((y[t] - P * Sum(X[t, j] * w[j], (j, 1, k))) ** 2, (t, 1, N))
              + P * (1 - P) * Sum(Sum(X[t, j] ** 2, (t, 1, N)) * w[j] ** 2, (j, 1, k)),
              domains={P: KEEP}, random={R: P}, sizes={N: (1, 2), k: (1, 2)},
              explanation="E||y - (R o X) w||^2 = ||y - p X w||^2 + p(1 - p) ||Gamma w||^2"),
        "MATH 2.1")

    Um, Vm = MatrixSymbol("U", m, d), MatrixSymbol("V", n, d)
    add("regularizer_is_frobenius_of_product",
        Claim("gallery.regularizer_is_frobenius_of_product",
              Trace(HadamardProduct(Um.T * Um, Vm.T * Vm)), Trace(Vm * Um.T * Um * Vm.T),
              sizes={m: (1, 2), n: (1, 2), d: (1, 2)},
              explanation="sum_i ||u_i||^2 ||v_i||^2 = ||U V^T||_F^2"),
        "||U V^T||_F^2 = sum_ij (u_i.u_j)(v_i.v_j) also has the cross terms i != j; the "
        "dropout regularizer keeps only the diagonal of (U^T U) o (V^T V).",
        Claim("gallery.regularizer_is_frobenius_of_product.corrected",
              Trace(HadamardProduct(Um.T * Um, Vm.T * Vm)), Trace(Vm * Um.T * Um * Vm.T) / d,
              ">=", sizes={m: (1, 2), n: (1, 2), d: (1, 2)},
              explanation="sum_i ||u_i||^2 ||v_i||^2 >= ||U V^T||_F^2 / d"),
        "MATH 1.1, 3")

    add("induced_regularizer_without_1_over_d",
        Claim("gallery.induced_regularizer_without_1_over_d", _regularizer, _nuclear_squared,
              ">=", given={"pair": sdl.integer_factor_pairs(max_side=2, max_width=3)},
              explanation="every factorization U V^T = M has sum_i ||u_i||^2 ||v_i||^2 >= "
                          "||M||_*^2"),
        "The induced regularizer is ||M||_*^2 / d: spreading M evenly over d units divides the "
        "cost by d (Cauchy-Schwarz is tight at equalized factorizations).",
        Claim("gallery.induced_regularizer_without_1_over_d.corrected", _regularizer,
              _nuclear_squared_over_d, ">=",
              given={"pair": sdl.integer_factor_pairs(max_side=2, max_width=3)},
              explanation="sum_i ||u_i||^2 ||v_i||^2 >= ||U V^T||_*^2 / d"),
        "MATH 3")

    add("dropout_equals_nuclear_squared",
        Claim("gallery.dropout_equals_nuclear_squared", _exact_dropout, _fit_plus_nuclear,
              given={"problem": _dropout_problems()},
              explanation="the dropout objective equals ||X - U V^T||^2 + (lambda/d) "
                          "||U V^T||_*^2"),
        "(lambda/d) ||U V^T||_*^2 is the regularizer's minimum over factorizations of U V^T, "
        "reached only at equalized factorizations; elsewhere dropout pays more.",
        Claim("gallery.dropout_equals_nuclear_squared.corrected", _exact_dropout,
              _fit_plus_nuclear, ">=", given={"problem": _dropout_problems()},
              explanation="the dropout objective is at least ||X - U V^T||^2 + (lambda/d) "
                          "||U V^T||_*^2"),
        "MATH 3, 4")

    add("doubling_keeps_regularizer",
        Claim("gallery.doubling_keeps_regularizer", _doubled_regularizer, _regularizer,
              given={"pair": sdl.integer_factor_pairs(max_side=2, max_width=2)},
              explanation="duplicating the hidden units ([U U]/sqrt2, [V V]/sqrt2) leaves the "
                          "dropout regularizer unchanged"),
        "U V^T is unchanged but each copy carries half of each factor's square norm: the "
        "regularizer halves, so a fixed rate regularizes less as the width grows.",
        Claim("gallery.doubling_keeps_regularizer.corrected", _doubled_regularizer,
              lambda pair: _regularizer(pair) / 2,
              given={"pair": sdl.integer_factor_pairs(max_side=2, max_width=2)},
              explanation="doubling the hidden units halves the dropout regularizer"),
        "MATH 1.2")

    add("nuclear_below_frobenius",
        Claim("gallery.nuclear_below_frobenius", _nuclear, lambda M: float(np.linalg.norm(M)),
              "<=", given={"M": sdl.integer_matrices(max_side=3)},
              explanation="||M||_* <= ||M||_F"),
        "The inequality goes the other way: ||M||_F = ||sigma||_2 <= ||sigma||_1 = ||M||_*, "
        "with equality only for rank <= 1.",
        Claim("gallery.nuclear_below_frobenius.corrected", lambda M: float(np.linalg.norm(M)),
              _nuclear, "<=", given={"M": sdl.integer_matrices(max_side=3)},
              explanation="||M||_F <= ||M||_*"),
        "MATH conventions (norms)")

    add("nuclear_supermultiplicative",
        Claim("gallery.nuclear_supermultiplicative", lambda AB: _nuclear(AB[0] @ AB[1]),
              lambda AB: _nuclear(AB[0]) * _nuclear(AB[1]), ">=",
              given={"AB": sdl.integer_products(max_side=2)},
              explanation="||A B||_* >= ||A||_* ||B||_*"),
        "Norms of products are bounded above, not below: ||A B||_* <= ||A||_2 ||B||_*, and "
        "A B can vanish while A and B do not.",
        Claim("gallery.nuclear_supermultiplicative.corrected",
              lambda AB: _nuclear(AB[0] @ AB[1]), lambda AB: _spectral(AB[0]) * _nuclear(AB[1]),
              "<=", given={"AB": sdl.integer_products(max_side=2)},
              explanation="||A B||_* <= ||A||_2 ||B||_*"),
        "MATH 7 (duality of the nuclear and spectral norms)")

    add("critical_points_are_extrema",
        Claim("gallery.critical_points_are_extrema", _indefiniteness, 0.0, "<=",
              given={"data": _network_data(2)},
              explanation="every critical point of a two-layer linear network is a local "
                          "minimum or a local maximum (its Hessian is semidefinite)"),
        "Baldi and Hornik: all critical points but the global minimum are saddles; the origin "
        "is critical with Hessian eigenvalues +-sigma_i(Y X^T), so it is neither.",
        Claim("gallery.critical_points_are_extrema.corrected",
              lambda data: float(np.linalg.eigvalsh(_origin_hessian(data))[0]),
              lambda data: -float(np.linalg.svd(data[1] @ data[0].T, compute_uv=False)[0]),
              given={"data": _network_data(2)},
              explanation="at the origin of a two-layer linear network the smallest Hessian "
                          "eigenvalue is -sigma_1(Y X^T): a strict saddle"),
        "MATH 5, 6")

    add("deep_saddles_are_strict",
        Claim("gallery.deep_saddles_are_strict", _min_eigenvalue_at_saddle, 0.0, "<",
              given={"data": _network_data(3)}, precise=_exact_min_eigenvalue_at_saddle,
              explanation="for a depth-3 linear network every saddle is strict (the Hessian "
                          "has a negative eigenvalue)"),
        "With two hidden layers the origin is a saddle (the loss falls like -t^3 sigma_1 along "
        "the top singular pair) whose Hessian is exactly zero: degenerate, not strict.",
        Claim("gallery.deep_saddles_are_strict.corrected",
              lambda data: float(np.max(np.abs(_origin_hessian(data)))), 0.0,
              given={"data": _network_data(3)},
              explanation="at the origin of a depth-3 linear network the Hessian vanishes"),
        "MATH 6 (Kawaguchi 2016)")

    add("certificate_below_rank",
        Claim("gallery.certificate_below_rank", _certificate_residual,
              lambda problem: problem[1], "<=", given={"problem": _certificate_problems()},
              explanation="the certificate ||grad l(U V^T)||_2 <= lambda holds at stationary "
                          "points of every width, also below rank(M*)"),
        "A stationary point whose width is below the optimum's rank stalls with "
        "||grad||_2 = sigma_(r+1)(Y) > lambda: the certificate correctly fails there.",
        Claim("gallery.certificate_below_rank.corrected",
              lambda problem: _certificate_residual(problem, enough_width=True),
              lambda problem: problem[1], "<=", given={"problem": _certificate_problems()},
              explanation="the certificate holds at the stationary point of width >= "
                          "rank(M*)"),
        "MATH 7")
    return tuple(entries)


GALLERY: tuple[GalleryEntry, ...] = _build()
FALSE_CLAIMS: list[Claim] = [e.claim for e in GALLERY]
TRUE_CLAIMS: list[Claim] = [e.corrected for e in GALLERY]


def entry(key: str) -> GalleryEntry:
    """The gallery entry with this key; ``ValueError`` naming the known keys otherwise."""
    for e in GALLERY:
        if e.key == key:
            return e
    raise ValueError(f"key: unknown gallery entry {key!r}; known: "
                     f"{', '.join(e.key for e in GALLERY)}")
