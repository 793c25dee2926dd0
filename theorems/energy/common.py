"""Symbols, the gamma convention and tolerances shared by the energy family.

One convention for every page of the family: **gamma is the coupling** (an
inverse variance), as in Entropy-SGD, and the objective is the local-entropy
energy E(x; gamma) = -F(x; gamma) = -log int exp(-f(y) - (gamma/2)||x - y||^2) dy,
which Entropy-SGD minimizes.  Deep relaxation's time t is a variance:
gamma = 1/t, and u(x, t) = E(x; 1/t) + (n/2) log(2 pi t) at beta = 1 (MATH 9.1,
checked by ``energy.local_entropy_quadratic``).
"""

from __future__ import annotations

import sympy

__all__ = ["GAMMA", "CURV", "ALPHA", "T", "CONVENTION", "TRUE_MAP", "as_map", "map_of"]

GAMMA = sympy.Symbol("gamma", positive=True)
CURV = sympy.Symbol("a", real=True)  # a curvature (Hessian eigenvalue) of f
ALPHA = sympy.Symbol("alpha", real=True)  # an upper curvature bound of f
T = sympy.Symbol("t", positive=True)  # deep relaxation's time (a variance)

CONVENTION = ("convention: gamma is the coupling (inverse variance) of Entropy-SGD; "
              "E(x; gamma) = -F(x; gamma) = -log int exp(-f(y) - gamma ||x - y||^2/2) dy "
              "is minimized; deep relaxation's time is t = 1/gamma")

TRUE_MAP = CURV * GAMMA / (CURV + GAMMA)  # MATH 9.3: a -> a gamma/(a + gamma)


def as_map(expr: object, name: str) -> sympy.Expr:
    """A SymPy expression in a and gamma only (a claimed curvature map)."""
    out = sympy.sympify(expr)
    if not out.free_symbols <= {CURV, GAMMA}:
        raise ValueError(f"{name}: expected an expression in a and gamma, got {out}")
    return out


def map_of(expr: sympy.Expr):
    """A NumPy function phi(a, gamma) from a SymPy map."""
    return sympy.lambdify([CURV, GAMMA], expr, "numpy")
