"""Symbols shared by the random_relu derivations, and the reduction to polar variables.

The statements are written for symbolic dimension n with indexed vectors x, y, w:
``DOT = sum_i x_i y_i``, ``SX = sum_i x_i^2``, ``NX = sqrt(SX)``, ``T = arccos(DOT/(NX NY))``.
The checks of the steps work in the reduced variables ``X = |x|``, ``Y = |y|`` and
``t = theta`` (:func:`reduce_polar`): ``DOT -> X Y cos t``, ``SX -> X^2``,
``SY -> Y^2``, and ``sqrt(1 - cos(t)^2) -> sin t`` (valid for t in [0, pi]).
"""

from __future__ import annotations

import sympy
from sympy import IndexedBase, Max, Min, Sum, acos, cos, pi, sin, sqrt, symbols

__all__ = ["n", "i", "j", "k", "m", "w", "x", "y", "g", "W", "A", "B", "DOT", "SX", "SY",
           "NX", "NY", "T", "XN", "YN", "t", "r", "p", "q", "phi", "reduce_polar",
           "sample_point", "same"]

n, m = symbols("n m", integer=True, positive=True)
i, j, k = symbols("i j k", integer=True, positive=True)
w, x, y, g, W = (IndexedBase(s) for s in ("w", "x", "y", "g", "W"))
A, B = symbols("a b", real=True)
DOT = Sum(x[i] * y[i], (i, 1, n))
SX = Sum(x[i] ** 2, (i, 1, n))
SY = Sum(y[i] ** 2, (i, 1, n))
NX, NY = sqrt(SX), sqrt(SY)
T = acos(DOT / (NX * NY))
XN, YN = symbols("X Y", positive=True)  # |x|, |y| in the reduced variables
t, r, p, q = symbols("t r p q", positive=True)


def phi(z: sympy.Expr, a: sympy.Expr = A, b: sympy.Expr = B) -> sympy.Expr:
    """``a min(z, 0) + b max(z, 0)`` as a SymPy expression."""
    return a * Min(z, 0) + b * Max(z, 0)


def reduce_polar(expr: sympy.Expr) -> sympy.Expr:
    """Rewrite an expression in x, y (symbolic n) in the variables X, Y, t.

    Exact for nonzero x, y with angle t = T in [0, pi]: T -> t first (so the
    arccos is replaced whole), then the sums by ``X Y cos t``, ``X^2``, ``Y^2``;
    ``sqrt(1 - cos^2 t) = |sin t| = sin t`` on [0, pi].
    """
    out = sympy.sympify(expr).xreplace({T: t})
    out = out.xreplace({DOT: XN * YN * cos(t), SX: XN**2, SY: YN**2})
    return out.subs(sqrt(1 - cos(t) ** 2), sin(t))


def sample_point() -> dict[sympy.Symbol, sympy.Expr]:
    """Exact values (a, b, t, X, Y) at which a failed step reports both sides."""
    return {A: sympy.Rational(-1, 3), B: sympy.Integer(1), t: sympy.Integer(1),
            XN: sympy.Integer(2), YN: sympy.Rational(1, 2)}


def same(lhs: sympy.Expr, rhs: sympy.Expr) -> bool:
    """Whether two expressions in the reduced variables are identically equal."""
    diff = sympy.expand(sympy.expand_trig(lhs - rhs))
    if diff == 0:
        return True
    return sympy.simplify(diff) == 0


# pi, cos, sin re-exported for the derivation modules
_ = (pi, cos, sin)
