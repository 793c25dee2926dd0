"""Dropout's plausible but false claims, each with its correction (collected by
:mod:`theorems.gallery`).

Symbolic claims over indexed sums and Bernoulli masks (the dropout identity
without its rescaling, "dropout is weight decay", E[r_i r_j], input dropout as
plain ridge, the regularizer as a Frobenius norm) and numeric claims on small
integer factorizations (the induced regularizer without its 1/d, the objective
as the nuclear-norm bound, the doubling of the hidden units).

>>> [e.key for e in ENTRIES][:2]
['dropout_without_rescaling', 'dropout_is_weight_decay']
"""

from __future__ import annotations

import numpy as np
import sympy
from hypothesis import strategies as st
from sympy import HadamardProduct, IndexedBase, Interval, MatrixSymbol, Sum, Trace, symbols

import theorems.strategies as sdl
from numerics import dropout as nd
from numerics.linalg import nuclear_norm
from theorems.claims import Claim
from theorems.claims.gallery_entry import GalleryEntry
from theorems.dropout.strategies import simple_rates
from theorems.symbolic.expectation import Expectation

__all__ = ["ENTRIES"]

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


# -- dropout and factorization numerics ------------------------------------------------


@st.composite
def _dropout_problems(draw):
    """(X, U, V, theta): small integer matrices of matching shapes and a simple rate."""
    U_, V_ = draw(sdl.integer_factor_pairs(max_side=2, max_width=3, bound=2))
    X_ = draw(sdl.integer_matrices(rows=U_.shape[0], cols=V_.shape[0], bound=2))
    return X_, U_, V_, draw(simple_rates())


def _exact_dropout(problem) -> float:
    X_, U_, V_, theta = problem
    return nd.exact_expectation(X_, U_, V_, theta)


def _fit_plus_nuclear(problem) -> float:
    X_, U_, V_, theta = problem
    width = U_.shape[1]
    return (float(np.sum((X_ - U_ @ V_.T) ** 2))
            + nd.dropout_lambda(theta) / width * nuclear_norm(U_ @ V_.T) ** 2)


def _regularizer(pair) -> float:
    return nd.product_regularizer(*pair)


def _nuclear_squared(pair) -> float:
    return nuclear_norm(pair[0] @ pair[1].T) ** 2


def _nuclear_squared_over_d(pair) -> float:
    return nuclear_norm(pair[0] @ pair[1].T) ** 2 / pair[0].shape[1]


def _doubled_regularizer(pair) -> float:
    return nd.product_regularizer(*nd.double_columns(*pair))



# -- the entries ------------------------------------------------------------------------


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
    return tuple(entries)


ENTRIES: tuple[GalleryEntry, ...] = _build()
