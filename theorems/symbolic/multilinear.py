"""Expectations over independent Bernoulli masks at fixed sizes, by multilinearity."""

from __future__ import annotations

from collections.abc import Sequence

import sympy

__all__ = ["fixed_size_expectation"]


def fixed_size_expectation(loss: sympy.Expr, masks: Sequence[sympy.Symbol],
                           keep: sympy.Expr) -> sympy.Expr:
    """E over independent Bernoulli(keep) masks of a polynomial, by multilinearity.

    Each monomial prod r_i^(k_i) has expectation keep^(number of i with k_i > 0),
    since r^k = r for a 0/1 variable and distinct masks are independent.

    >>> r1, r2, p, x = sympy.symbols("r1 r2 p x")
    >>> fixed_size_expectation((x - r1 - r2) ** 2, [r1, r2], p).expand()
    2*p**2 - 4*p*x + 2*p + x**2
    """
    poly = sympy.Poly(sympy.expand(loss), *masks)
    out = sympy.S.Zero
    for exps, coeff in poly.terms():
        out += coeff * keep ** sum(1 for e in exps if e > 0)
    return out
