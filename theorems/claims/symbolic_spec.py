"""Reading a symbolic claim: its sides, the role of every symbol, the searched ranges.

:func:`parse` turns the sides and the keyword arguments of a symbolic
:class:`~theorems.claims.Claim` into a :class:`SymbolicSpec`, or raises
``ValueError`` naming the claim and the defect (an empty domain, an undeclared
free index, sides of different shapes, a random variable outside an expectation).

Symbols play one of three roles: sizes (matrix dimensions, summation bounds,
declared ``sizes``), free indices (declared ``indices``, e.g. ``{i: (1, d)}``),
and scalars (everything else, drawn from simple exact points of their domains).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any

import sympy
from sympy import Indexed, IndexedBase, MatrixSymbol, Sum
from sympy.matrices.expressions.matexpr import MatrixExpr

from theorems.claims.outcome import DEFAULT_SIZES
from theorems.symbolic.expectation import Expectation

__all__ = ["SymbolicSpec", "parse", "simple_values", "default_domain"]


@dataclass
class SymbolicSpec:
    """Everything the symbolic engine needs to know about a claim."""

    lhs: Any
    rhs: Any
    matrix: bool
    size_syms: list[sympy.Symbol]
    index_syms: list[sympy.Symbol]
    scalar_syms: list[sympy.Symbol]
    size_ranges: dict[sympy.Symbol, tuple[int, int]]
    index_ranges: dict[sympy.Symbol, tuple[sympy.Expr, sympy.Expr]]
    domains: dict[sympy.Symbol, sympy.Set]
    values: dict[sympy.Symbol, list[sympy.Expr]]
    random: dict[IndexedBase, sympy.Expr]
    entry_range: tuple[int, int]
    has_entries: bool


def parse(claim: Any, domains, sizes, indices, random, entries) -> SymbolicSpec:
    """The :class:`SymbolicSpec` of a symbolic claim (``ValueError`` on a defect)."""
    name = claim.name
    lhs, rhs = _sides(claim)
    both = [lhs, rhs]
    indices, sizes = dict(indices or {}), dict(sizes or {})
    size_syms, free, dummies = _sizes_and_free(name, both, sizes, indices)
    _check_indices(name, both, indices, free, dummies, size_syms)
    scalars = free - size_syms - set(indices)
    scalar_syms = sorted(scalars, key=str)
    size_syms_sorted = sorted(size_syms, key=str)
    index_syms = sorted(indices, key=str)
    size_ranges = {s: _size_range(name, s, sizes.get(s, DEFAULT_SIZES)) for s in size_syms_sorted}
    dom, values = _scalar_domains(name, scalar_syms, dict(domains or {}))
    random_ = _random_bases(name, both, dict(random or {}), scalars)
    matsyms = {M for e in both for M in e.atoms(MatrixSymbol)}
    return SymbolicSpec(
        lhs=lhs, rhs=rhs, matrix=isinstance(lhs, MatrixExpr | sympy.MatrixBase),
        size_syms=size_syms_sorted, index_syms=index_syms, scalar_syms=scalar_syms,
        size_ranges=size_ranges,
        index_ranges={s: tuple(sympy.sympify(b) for b in indices[s]) for s in index_syms},
        domains=dom, values=values, random=random_, entry_range=_entry_range(name, entries),
        has_entries=bool(matsyms) or any(ix.base not in random_ for e in both
                                         for ix in e.atoms(Indexed)))


def _sides(claim: Any) -> tuple[Any, Any]:
    """Both sides as SymPy expressions, floats as the decimals they print as, shapes checked."""
    try:
        lhs = sympy.sympify(claim.lhs)
        rhs = sympy.sympify(claim.rhs)
    except (sympy.SympifyError, TypeError) as exc:
        raise ValueError(f"claim {claim.name!r}: sides must be SymPy expressions: {exc}") from None
    # a float in a symbolic claim means the decimal it prints as (0.1 is 1/10), so
    # that exact arithmetic stays exact
    lhs, rhs = (e.xreplace({f: sympy.Rational(str(f)) for f in e.atoms(sympy.Float)})
                for e in (lhs, rhs))
    return _shapes(claim, lhs, rhs)


def _shapes(claim: Any, lhs: Any, rhs: Any) -> tuple[Any, Any]:
    name = claim.name
    lm = isinstance(lhs, MatrixExpr | sympy.MatrixBase)
    rm = isinstance(rhs, MatrixExpr | sympy.MatrixBase)
    if lm and not rm and rhs == 0:
        rhs = sympy.ZeroMatrix(*lhs.shape)
        rm = True
    if rm and not lm and lhs == 0:
        lhs = sympy.ZeroMatrix(*rhs.shape)
        lm = True
    if lm != rm:
        raise ValueError(f"claim {name!r}: the two sides have different shapes: "
                         f"{'matrix' if lm else 'scalar'} lhs, "
                         f"{'matrix' if rm else 'scalar'} rhs")
    if lm:
        if any(sympy.simplify(a - b) != 0 for a, b in zip(lhs.shape, rhs.shape, strict=True)):
            raise ValueError(f"claim {name!r}: the two sides have different shapes: lhs "
                             f"{lhs.shape}, rhs {rhs.shape}")
        if claim.relation != "==":
            raise ValueError(f"claim {name!r}: relation {claim.relation!r} needs "
                             "scalar sides; matrices can only be claimed equal")
    return lhs, rhs


def _sizes_and_free(name: str, both: list, sizes: dict, indices: dict
                    ) -> tuple[set, set, set]:
    """(size symbols, free non-label symbols, summation dummies) of the two sides."""
    dummies = {lim[0] for e in both for s in e.atoms(Sum) for lim in s.limits}
    labels = {ix.base.label for e in both for ix in e.atoms(Indexed)}
    matsyms = {M for e in both for M in e.atoms(MatrixSymbol)}
    free = {s for e in both for s in e.free_symbols
            if isinstance(s, sympy.Symbol) and s not in labels}
    size_syms = {s for M in matsyms for dim in M.shape for s in dim.free_symbols}
    for e in both:
        for s in e.atoms(Sum):
            for _, lo, hi in s.limits:
                size_syms |= (lo.free_symbols | hi.free_symbols) - dummies
    for key in sizes:
        if not isinstance(key, sympy.Symbol):
            raise ValueError(f"claim {name!r}: sizes: keys must be SymPy symbols, got {key!r}")
    size_syms |= set(sizes)
    for key, rng in indices.items():
        if not isinstance(key, sympy.Symbol):
            raise ValueError(f"claim {name!r}: indices: keys must be symbols, got {key!r}")
        if not (isinstance(rng, tuple | list) and len(rng) == 2):
            raise ValueError(f"claim {name!r}: indices[{key}]: expected (low, high), "
                             f"got {rng!r}")
        for bound in rng:
            size_syms |= sympy.sympify(bound).free_symbols
    return size_syms, free, dummies


def _check_indices(name: str, both: list, indices: dict, free: set, dummies: set,
                   size_syms: set) -> None:
    index_used = {s for e in both for ix in e.atoms(Indexed) for i_ in ix.indices
                  for s in sympy.sympify(i_).free_symbols} - dummies - size_syms
    undeclared = sorted(str(s) for s in index_used - set(indices))
    if undeclared:
        raise ValueError(f"claim {name!r}: free index {', '.join(undeclared)} has no range; "
                         "declare it, e.g. indices={i: (1, d)}")
    unknown = set(indices) - free
    if unknown:
        raise ValueError(f"claim {name!r}: indices: {sorted(map(str, unknown))} do not "
                         "occur in the claim")


def _size_range(name: str, s: sympy.Symbol, rng: Any) -> tuple[int, int]:
    if isinstance(rng, numbers.Integral):
        rng = (int(rng), int(rng))
    if isinstance(rng, range):
        rng = (rng.start, rng.stop - 1)
    ok = (isinstance(rng, tuple | list) and len(rng) == 2
          and all(isinstance(v, numbers.Integral) for v in rng))
    if not ok:
        raise ValueError(f"claim {name!r}: sizes[{s}]: expected (low, high) integers, "
                         f"got {rng!r}")
    lo, hi = int(rng[0]), int(rng[1])
    if lo < 1 or hi < lo:
        raise ValueError(f"claim {name!r}: sizes[{s}]: the range [{lo}, {hi}] is empty "
                         "or not positive (an empty domain)")
    return lo, hi


def _scalar_domains(name: str, scalar_syms: list, domains: dict
                    ) -> tuple[dict[sympy.Symbol, sympy.Set], dict[sympy.Symbol, list]]:
    for key in domains:
        if key not in scalar_syms:
            raise ValueError(f"claim {name!r}: domains: {key} is not a scalar symbol of "
                             f"the claim (scalars: {', '.join(map(str, scalar_syms))})")
    out: dict[sympy.Symbol, sympy.Set] = {}
    values: dict[sympy.Symbol, list[sympy.Expr]] = {}
    for s in scalar_syms:
        dom = domains.get(s, default_domain(s))
        if not isinstance(dom, sympy.Set):
            raise ValueError(f"claim {name!r}: domains[{s}]: expected a SymPy set such as "
                             f"Interval.Lopen(0, 1), got {dom!r}")
        if dom.is_empty:
            raise ValueError(f"claim {name!r}: domains[{s}] = {dom} is empty")
        out[s] = dom
        values[s] = simple_values(dom, name, s)
    return out, values


def _random_bases(name: str, both: list, random: dict, scalars: set
                  ) -> dict[IndexedBase, sympy.Expr]:
    for base, keep in random.items():
        if not isinstance(base, IndexedBase):
            raise ValueError(f"claim {name!r}: random: keys must be IndexedBase objects, "
                             f"got {base!r}")
        extra = sympy.sympify(keep).free_symbols - scalars
        if extra:
            raise ValueError(f"claim {name!r}: random[{base}]: the keep probability uses "
                             f"{sorted(map(str, extra))}, which are not scalars of the claim")
    out = {b: sympy.sympify(k) for b, k in random.items()}
    has_expectation = any(e.has(Expectation) for e in both)
    if has_expectation and not out:
        raise ValueError(f"claim {name!r}: the claim takes an expectation but declares no "
                         "random variables; pass random={r: theta} (Bernoulli keep "
                         "probability of each IndexedBase)")
    for e in both:
        outside = e.replace(lambda x: isinstance(x, Expectation), lambda x: sympy.S.Zero)
        bad = {ix.base for ix in outside.atoms(Indexed)} & set(out)
        if bad:
            raise ValueError(f"claim {name!r}: random variable(s) {sorted(map(str, bad))} "
                             "occur outside an expectation")
    return out


def _entry_range(name: str, entries: Any) -> tuple[int, int]:
    lo_e, hi_e = entries
    if not (isinstance(lo_e, numbers.Integral) and isinstance(hi_e, numbers.Integral)
            and lo_e <= hi_e):
        raise ValueError(f"claim {name!r}: entries: expected (low, high) integers, "
                         f"got {entries!r}")
    return int(lo_e), int(hi_e)


def simple_values(domain: sympy.Set, name: str, symbol: sympy.Symbol) -> list[sympy.Expr]:
    """Simple exact values in ``domain``, simplest first (Hypothesis shrinks to the first)."""
    candidates: list[sympy.Expr] = [sympy.Integer(k) for k in (0, 1, -1, 2, -2, 3, -3)]
    for q in range(2, 6):
        for p in range(1, 3 * q):
            if math.gcd(p, q) == 1:
                candidates += [sympy.Rational(p, q), sympy.Rational(-p, q)]
    candidates += [sympy.Integer(k) for k in (4, -4, 5, -5, 10, -10)]
    if isinstance(domain, sympy.FiniteSet):
        candidates = sorted(domain.args, key=lambda v: (sympy.count_ops(v), abs(float(v))))
    elif isinstance(domain, sympy.Interval | sympy.Union):
        intervals = domain.args if isinstance(domain, sympy.Union) else (domain,)
        for iv in intervals:
            if not isinstance(iv, sympy.Interval):
                continue
            lo, hi = iv.start, iv.end
            if lo.is_finite and hi.is_finite:
                fractions_ = [sympy.Integer(0), sympy.Integer(1), sympy.Rational(1, 2),
                              sympy.Rational(1, 3), sympy.Rational(2, 3), sympy.Rational(1, 4),
                              sympy.Rational(3, 4)]
                candidates += [lo + (hi - lo) * f for f in fractions_]
            elif lo.is_finite:
                candidates += [lo + k for k in (1, 2, sympy.Rational(1, 2), 3)]
            elif hi.is_finite:
                candidates += [hi - k for k in (1, 2, sympy.Rational(1, 2), 3)]
    values: list[sympy.Expr] = []
    for v in candidates:
        if domain.contains(v) is sympy.true and v not in values:
            values.append(v)
    if not values:
        raise ValueError(f"claim {name!r}: domain of {symbol}: found no value in {domain} "
                         "(an empty domain, or one with no simple exact points)")
    return values[:30]



def default_domain(symbol: sympy.Symbol) -> sympy.Set:
    """The default domain of a scalar symbol, from its assumptions."""
    if symbol.is_positive:
        return sympy.Interval.open(0, sympy.oo)
    if symbol.is_nonnegative:
        return sympy.Interval(0, sympy.oo)
    if symbol.is_integer:
        return sympy.S.Integers
    return sympy.S.Reals

