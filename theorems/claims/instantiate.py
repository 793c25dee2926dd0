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

from theorems.claims.outcome import BadClaim
from theorems.symbolic.expectation import Expectation

__all__ = ["Instantiated", "SymbolicInstance", "instantiate", "concrete", "write_out_sums",
           "to_indexed"]


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


def _integer_bounds(s: Sum) -> bool:
    """The outermost range of ``s`` has integer bounds (inner ones may depend on it)."""
    _, lo, hi = s.limits[-1]
    return bool(lo.is_Integer and hi.is_Integer)


def _write_out(s: Sum) -> sympy.Expr:
    """A sum with integer outer bounds as the sum of its terms, inner sums written out too.

    The outer variable is substituted into the inner ranges first, so
    Sum(a_i a_j, (j, 1, i), (i, 1, 2)) is a_1 a_1 + a_2 a_1 + a_2 a_2.  Empty and
    reversed ranges follow SymPy's (Karr's) convention, as ``Sum.doit`` does:
    Sum over [lo, lo - 1] is 0, over [lo, hi] with hi < lo - 1 it is minus the sum
    over [hi + 1, lo - 1].
    """
    *inner, (var, lo, hi) = s.limits
    body = Sum(s.function, *inner) if inner else s.function
    lo, hi = int(lo), int(hi)
    values, sign = (range(lo, hi + 1), 1) if hi >= lo - 1 else (range(hi + 1, lo), -1)
    terms = [write_out_sums(body.xreplace({var: sympy.Integer(v)})) for v in values]
    return sign * sympy.Add(*terms)


def write_out_sums(expr: Any) -> Any:
    """Every sum whose outer bounds are integers, written out term by term.

    ``Sum.doit`` leaves a sum unevaluated when an inner range depends on an outer
    summation variable (Sum(a_i a_j, (j, 1, i), (i, 1, d)) at d = 2); its summation
    variables would then be taken for entries of the claim.
    """
    return expr.replace(lambda e: isinstance(e, Sum) and _integer_bounds(e), _write_out)


def concrete(side: Any, sub: dict, random: dict[IndexedBase, sympy.Expr]) -> Any:
    """``side`` at the sizes and index values of ``sub``: explicit, sums and E evaluated."""
    e = side.xreplace(sub)
    mats = {M: M.as_explicit() for M in e.atoms(MatrixSymbol)}
    if mats:
        e = e.xreplace(mats)
    e = e.doit()
    if e.has(Sum):  # a sum SymPy did not evaluate (a range depending on an outer index)
        e = write_out_sums(e).doit()
    if isinstance(e, MatrixExpr) and not isinstance(e, sympy.MatrixBase):
        e = e.as_explicit()
    if e.has(Expectation):
        e = e.replace(lambda x: isinstance(x, Expectation),
                      lambda x: bernoulli_expectation(x.args[0], random))
    return e


def _indices(atom: Any) -> tuple:
    return (atom.i, atom.j) if isinstance(atom, MatrixElement) else atom.indices


def instantiate(lhs: Any, rhs: Any, sub: dict, random: dict[IndexedBase, sympy.Expr],
                scalars: list[sympy.Symbol], name: str = "") -> Instantiated:
    """Both sides at ``sub`` with every non-random entry replaced by a plain symbol."""
    lhs, rhs = concrete(lhs, sub, random), concrete(rhs, sub, random)
    atoms = set()
    for e in (lhs, rhs):
        atoms |= {a for a in e.atoms(MatrixElement)}
        atoms |= {a for a in e.atoms(Indexed) if a.base not in random}
    symbolic = [a for a in atoms if not all(sympy.sympify(k).is_Integer for k in _indices(a))]
    if symbolic:
        at = ", ".join(f"{k} = {v}" for k, v in sub.items()) or "its fixed sizes"
        raise BadClaim(f"claim {name!r}: the entry {symbolic[0]} keeps a symbolic index at "
                       f"{at} (a sum whose range is not given by sizes cannot be written out)")
    entries = sorted(atoms, key=lambda a: (str(getattr(a, "parent", None) or a.base),
                                           str(a)))
    dummies = [sympy.Symbol(f"_e{k}") for k in range(len(entries))]
    swap = dict(zip(entries, dummies, strict=True))
    return Instantiated(lhs.xreplace(swap), rhs.xreplace(swap), entries, dummies,
                        list(scalars))
