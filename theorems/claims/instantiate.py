"""A symbolic claim at fixed sizes: both sides as exact expressions of their entries.

:func:`instantiate` substitutes sizes and index values, writes matrix symbols
out entry by entry, evaluates sums and Bernoulli expectations, and replaces
every entry (a ``MatrixElement`` or ``Indexed`` atom) by a plain symbol, so that
one lambdified function evaluates the claim at every drawn instance.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy
from sympy import Indexed, IndexedBase, MatrixSymbol, Sum
from sympy.matrices.expressions.matexpr import MatrixElement, MatrixExpr

from theorems.symbolic.expectation import Expectation

__all__ = ["Instantiated", "SymbolicInstance", "instantiate", "concrete", "to_indexed"]


def to_indexed(expr: sympy.Expr) -> sympy.Expr:
    """Matrix traces and entries of matrix symbols as indexed sums (for the canonicalizer)."""
    def trace_to_sum(tr: sympy.Expr) -> sympy.Expr:
        arg = tr.args[0]
        k = sympy.Dummy("k", integer=True)
        return Sum(arg[k, k], (k, 0, arg.rows - 1))

    expr = expr.replace(lambda e: isinstance(e, sympy.Trace), trace_to_sum)
    expr = expr.doit() if expr.has(sympy.Trace) else expr

    def element(e: MatrixElement) -> sympy.Expr:
        if not isinstance(e.parent, MatrixSymbol):
            raise ValueError(f"cannot write {e} as an indexed entry")
        return IndexedBase(e.parent.name)[e.i, e.j]

    return expr.replace(lambda e: isinstance(e, MatrixElement), element)


@dataclass
class Instantiated:
    """Both sides at fixed sizes and index values: exact expressions of the entries."""

    lhs: Any
    rhs: Any
    entries: list[sympy.Expr]          # MatrixElement / Indexed atoms, in a fixed order
    dummies: list[sympy.Symbol]        # one plain symbol per entry (for lambdify)
    scalars: list[sympy.Symbol]
    numeric: Callable | None = None    # float64 evaluation of (lhs, rhs)


@dataclass(frozen=True)
class SymbolicInstance:
    """One drawn instance: sizes, index values, scalar values and entry values, in order."""

    sizes: tuple[int, ...]
    indices: tuple[int, ...]
    scalars: tuple[sympy.Expr, ...]
    entries: tuple[int, ...]


def bernoulli_expectation(arg: sympy.Expr, random: dict[IndexedBase, sympy.Expr]
                          ) -> sympy.Expr:
    """E over independent Bernoulli entries of a polynomial, by multilinearity."""
    arg = sympy.expand(arg.doit())
    out = []
    for term in sympy.Add.make_args(arg):
        masks = {a for a in term.atoms(Indexed) if a.base in random}
        prob = sympy.Mul(*[random[a.base] for a in masks])
        out.append(term.xreplace({a: sympy.S.One for a in masks}) * prob)
    return sympy.Add(*out)


def concrete(side: Any, sub: dict, random: dict[IndexedBase, sympy.Expr]) -> Any:
    """``side`` at the sizes and index values of ``sub``: explicit, sums and E evaluated."""
    e = side.xreplace(sub)
    mats = {M: M.as_explicit() for M in e.atoms(MatrixSymbol)}
    if mats:
        e = e.xreplace(mats)
    e = e.doit()
    if isinstance(e, MatrixExpr) and not isinstance(e, sympy.MatrixBase):
        e = e.as_explicit()
    if e.has(Expectation):
        e = e.replace(lambda x: isinstance(x, Expectation),
                      lambda x: bernoulli_expectation(x.args[0], random))
    return e


def instantiate(lhs: Any, rhs: Any, sub: dict, random: dict[IndexedBase, sympy.Expr],
                scalars: list[sympy.Symbol]) -> Instantiated:
    """Both sides at ``sub`` with every non-random entry replaced by a plain symbol."""
    lhs, rhs = concrete(lhs, sub, random), concrete(rhs, sub, random)
    atoms = set()
    for e in (lhs, rhs):
        atoms |= {a for a in e.atoms(MatrixElement)}
        atoms |= {a for a in e.atoms(Indexed) if a.base not in random}
    entries = sorted(atoms, key=lambda a: (str(getattr(a, "parent", None) or a.base),
                                           str(a)))
    dummies = [sympy.Symbol(f"_e{k}") for k in range(len(entries))]
    swap = dict(zip(entries, dummies, strict=True))
    return Instantiated(lhs.xreplace(swap), rhs.xreplace(swap), entries, dummies,
                        list(scalars))
