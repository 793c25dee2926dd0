"""Termwise matrix calculus: gradients of a sum of traces, one term at a time.

SymPy's ``diff`` of a whole sum of traces with respect to a ``MatrixSymbol``
may silently return 0 (DESIGN.md, known traps); differentiating each trace term
and adding the results gives the right gradient.  :func:`naive_gradient` keeps
the whole-sum result so that a check can record the trap.

>>> import sympy
>>> n = sympy.Symbol("n", integer=True, positive=True)
>>> A, B = sympy.MatrixSymbol("A", n, n), sympy.MatrixSymbol("B", n, n)
>>> termwise_gradient([(1, sympy.Trace(A * B)), (2, sympy.Trace(A.T * A))], A)
4*A + B.T
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy
from sympy import MatAdd, MatrixSymbol

__all__ = ["Terms", "as_sum", "termwise_gradient", "naive_gradient", "lambdify_matrix"]

Terms = Sequence[tuple[sympy.Expr, sympy.Expr]]  # (coefficient, trace term)


def as_sum(terms: Terms) -> sympy.Expr:
    """sum of coefficient * term."""
    return sum(c * t for c, t in terms)


def termwise_gradient(terms: Terms, wrt: MatrixSymbol) -> sympy.Basic:
    """d/d(wrt) of sum c_k t_k, computed term by term (then ``doit``)."""
    if not isinstance(wrt, MatrixSymbol):
        raise ValueError(f"wrt: expected a MatrixSymbol, got {wrt!r}")
    return MatAdd(*[c * sympy.diff(t, wrt) for c, t in terms]).doit()


def naive_gradient(terms: Terms, wrt: MatrixSymbol) -> sympy.Basic:
    """``sympy.diff`` of the whole sum at once (what the trap returns, for the record)."""
    return sympy.diff(as_sum(terms), wrt)


def lambdify_matrix(args: Sequence[MatrixSymbol], expr: sympy.Basic):
    """A NumPy function of the matrices ``args`` evaluating ``expr``."""
    return sympy.lambdify(list(args), expr, "numpy")
