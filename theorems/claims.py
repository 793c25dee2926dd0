"""Claims: state a conjecture, then prove it or break it with a minimal counterexample.

A :class:`Claim` is ``lhs <relation> rhs`` stated in one of two ways:

* **symbolically**: both sides are SymPy expressions over matrix symbols
  (``MatrixSymbol``), indexed sums (``IndexedBase`` with ``Sum``), scalar
  symbols with declared domains (``theta`` in ``Interval.Lopen(0, 1)``) and
  expectations over independent Bernoulli masks
  (:class:`~theorems.symbolic.expectation.Expectation` with ``random={r: theta}``);
* **numerically**: both sides are Python callables of keyword arguments drawn
  from Hypothesis strategies (``given={"M": strategies.integer_matrices()}``),
  or constants.

:func:`falsify` returns a :class:`~theorems.core.Verdict`:

* ``refuted``: Hypothesis found an instance that breaks the claim and shrank
  it (smallest sizes, simplest values); the instance is re-checked far beyond
  round-off (exact rational arithmetic for symbolic claims; for callables the
  claim's ``precise`` evaluation, exact or 50-digit mpmath, when it has one,
  else a float64 margin of at least :data:`CONFIDENT`);
* ``proved``: an equality with symbolic sizes whose two sides have the same
  canonical form (:func:`theorems.symbolic.sums.canonical`), valid for every size;
* ``verified``: exact expansion at the fixed sizes of the claim, or "no
  counterexample in N examples from these strategies" (N and the strategies
  are in the evidence details);
* ``inconclusive``: a side raised or returned a non-finite value, or every
  violation found was too close to round-off to be confirmed.  Never a false
  verdict.

A badly stated claim (sides of different shapes, an empty domain, an
undeclared free index, a callable that does not accept the drawn arguments)
raises ``ValueError`` naming the claim and the cause.

Examples
--------
>>> import sympy
>>> from hypothesis import strategies as st
>>> from theorems.claims import Claim, falsify
>>> x = sympy.Symbol("x")
>>> falsify(Claim("square", (x + 1)**2, x**2 + 2*x + 1)).status.value
'proved'
>>> c = Claim("am-gm", lambda a, b: a * b, lambda a, b: (a * a + b * b) / 2, "<=",
...           given={"a": st.integers(-9, 9), "b": st.integers(-9, 9)})
>>> falsify(c, max_examples=50).status.value
'verified'
>>> c = Claim("bad am-gm", lambda a, b: a * b, lambda a, b: (a + b) / 2, "<=",
...           given={"a": st.integers(0, 9), "b": st.integers(0, 9)})
>>> v = falsify(c, max_examples=50)
>>> v.status.value, v.counterexample["instance"]
('refuted', {'a': 1, 'b': 2})
"""

from __future__ import annotations

import fractions
import inspect
import itertools
import math
import numbers
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import sympy
from hypothesis import HealthCheck, Phase, Verbosity, given, reject, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from sympy import Indexed, IndexedBase, MatrixSymbol, Sum
from sympy.matrices.expressions.matexpr import MatrixElement, MatrixExpr

from theorems.core import (
    PROFILES,
    Context,
    Evidence,
    Status,
    Theorem,
    Verdict,
    fold_status,
    jsonable,
)
from theorems.symbolic.expectation import Expectation, bernoulli_moments, linearity
from theorems.symbolic.sums import canonical

__all__ = ["Claim", "falsify", "resolve", "RELATIONS", "CONFIDENT", "DIGITS", "DEFAULT_EXAMPLES"]

RELATIONS = ("==", "<=", ">=", "<", ">")
# A float64 violation is accepted as a counterexample without higher precision only when
# it exceeds 1e-6 relative: 10^10 times the unit round-off (2.2e-16), far more than any
# well-conditioned computation on the small instances drawn here can accumulate.
CONFIDENT = 1e-6
DIGITS = 50  # mpmath precision of a claim's `precise` re-check
MP_CONFIDENT = 1e-30  # at 50 digits, a relative gap above 1e-30 is 10^20 round-offs away
DEFAULT_EXAMPLES = 100
DEFAULT_SIZES = (1, 3)
MAX_EXPANSION_CASES = 27  # size/index combinations expanded exactly for a fixed-size check
FALSIFY_PROFILE = "falsify"  # the `profile` field of a falsify verdict


# -- results of one evaluation ---------------------------------------------------------


@dataclass
class _Outcome:
    """The claim at one instance: holds, counterexample, borderline or error."""

    kind: str
    lhs: Any = None
    rhs: Any = None
    gap: float | None = None
    recheck: str = ""
    error: str = ""


class _BadClaim(Exception):
    """Raised inside the search for a defect of the claim itself (turned into ValueError)."""


class _Found(Exception):
    def __init__(self, instance: Any, outcome: _Outcome):
        super().__init__("counterexample")
        self.instance = instance
        self.outcome = outcome


def _check_relation(relation: str, name: str) -> str:
    relation = "==" if relation == "=" else relation
    if relation not in RELATIONS:
        raise ValueError(f"claim {name!r}: relation: expected one of {', '.join(RELATIONS)}, "
                         f"got {relation!r}")
    return relation


def _float_gap(lhs: np.ndarray, rhs: np.ndarray, relation: str, floor: float) -> float:
    """Relative violation: the claim holds when it is <= 0 (< 0 for strict relations).

    For "==" it is max |lhs - rhs| / max(|lhs|, |rhs|, floor) (never negative); for
    "<=" and "<" it is (lhs - rhs) / max(|lhs|, |rhs|, floor); ">=" and ">" swap sides.
    """
    scale = max(float(np.max(np.abs(lhs), initial=0.0)), float(np.max(np.abs(rhs), initial=0.0)),
                floor)
    if relation == "==":
        return float(np.max(np.abs(lhs - rhs), initial=0.0)) / scale
    diff = float(lhs - rhs) if relation in ("<=", "<") else float(rhs - lhs)
    return diff / scale


def _float_verdict(gap: float, relation: str, rtol: float) -> str:
    """'holds', 'counterexample' (beyond round-off) or 'borderline' for a float64 gap."""
    strict = relation in ("<", ">")
    if gap >= CONFIDENT:
        return "counterexample"
    if (strict and gap >= -rtol) or (not strict and gap > rtol):
        return "borderline"
    return "holds"


def _is_exact(value: Any) -> bool:
    if isinstance(value, bool | np.bool_):
        return False
    if isinstance(value, numbers.Rational | fractions.Fraction):
        return True
    if isinstance(value, sympy.MatrixBase):
        return all(_is_exact(v) for v in value)
    if isinstance(value, sympy.Basic):
        return value.is_number and not value.has(sympy.Float)
    if isinstance(value, list | tuple):
        return all(_is_exact(v) for v in value)
    return False


def _exact_violated(lhs: Any, rhs: Any, relation: str) -> bool | None:
    """Decide the relation in exact arithmetic: True when violated, None if undecided."""
    def sign(expr: sympy.Expr) -> int | None:
        expr = sympy.nsimplify(expr) if isinstance(expr, float) else expr
        if expr.is_zero:
            return 0
        if expr.is_positive:
            return 1
        if expr.is_negative:
            return -1
        simple = sympy.simplify(expr)
        if simple.is_zero:
            return 0
        value = sympy.N(simple, 2 * DIGITS)
        if not value.is_real:
            return None
        if abs(value) < sympy.Float(10) ** (-DIGITS):
            return None  # cannot tell zero from tiny
        return 1 if value > 0 else -1

    if isinstance(lhs, sympy.MatrixBase) or isinstance(rhs, sympy.MatrixBase):
        lm, rm = sympy.Matrix(lhs), sympy.Matrix(rhs)
        signs = [sign(sympy.sympify(a - b)) for a, b in zip(lm, rm, strict=True)]
        if any(s not in (0, None) for s in signs):
            return True
        return None if None in signs else False
    s = sign(sympy.sympify(lhs) - sympy.sympify(rhs))
    if s is None:
        return None
    return {"==": s != 0, "<=": s > 0, "<": s >= 0, ">=": s < 0, ">": s <= 0}[relation]


def _jsonable_value(value: Any) -> Any:
    """Plain JSON for an instance value: exact rationals as strings, arrays as lists."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, sympy.Integer | numbers.Integral):
        return int(value)
    if isinstance(value, sympy.Rational | fractions.Fraction):
        return str(value)
    if isinstance(value, sympy.MatrixBase):
        return [[_jsonable_value(v) for v in row] for row in value.tolist()]
    if isinstance(value, sympy.Basic):
        return str(value)
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            return [_jsonable_value(v) for v in value.tolist()]
        return jsonable(value)
    if isinstance(value, dict):
        return {str(k): _jsonable_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable_value(v) for v in value]
    return jsonable(value)


def _shape_of(value: Any) -> Any:
    """Shapes of the arrays in a drawn value (recursing into tuples), None if it holds none."""
    if isinstance(value, np.ndarray | sympy.MatrixBase):
        return [int(s) for s in value.shape]
    if isinstance(value, list | tuple):
        shapes = [_shape_of(v) for v in value]
        return shapes if any(s is not None for s in shapes) else None
    return None


# -- callable claims -------------------------------------------------------------------


class _CallableEngine:
    """Both sides are callables of the drawn keyword arguments (or constants)."""

    kind = "callable"

    def __init__(self, claim: Claim, given_: Mapping[str, Any], precise: Callable | None):
        name = claim.name
        if not isinstance(given_, Mapping) or not given_:
            raise ValueError(f"claim {name!r}: given: expected a non-empty mapping from argument "
                             "names to Hypothesis strategies")
        for key, strategy in given_.items():
            if not isinstance(key, str) or not key.isidentifier():
                raise ValueError(f"claim {name!r}: given: argument names must be identifiers, "
                                 f"got {key!r}")
            if not isinstance(strategy, st.SearchStrategy):
                raise ValueError(f"claim {name!r}: given[{key!r}]: expected a Hypothesis "
                                 f"strategy, got {type(strategy).__name__}")
            if strategy.is_empty:
                raise ValueError(f"claim {name!r}: given[{key!r}]: the strategy is empty "
                                 "(an empty domain), nothing can be drawn from it")
        self.claim = claim
        self.given = dict(given_)
        for side in ("lhs", "rhs", "precise"):
            fn = precise if side == "precise" else getattr(claim, side)
            if callable(fn):
                self._check_signature(fn, side)
            elif side != "precise" and not _is_constant(fn):
                raise ValueError(f"claim {name!r}: {side}: expected a callable or a real "
                                 f"constant, got {type(fn).__name__}")
        self.precise = precise

    def _check_signature(self, fn: Callable, side: str) -> None:
        try:
            signature = inspect.signature(fn)
        except (TypeError, ValueError):
            return  # builtins without a signature: checked when called
        try:
            signature.bind(**{k: None for k in self.given})
        except TypeError as exc:
            raise ValueError(
                f"claim {self.claim.name!r}: {side} cannot be called with the drawn arguments "
                f"({', '.join(self.given)}): {exc}") from None

    def strategy(self) -> st.SearchStrategy:
        return st.fixed_dictionaries(self.given)

    def describe_strategies(self) -> dict[str, str]:
        return {k: _short(repr(v)) for k, v in self.given.items()}

    def _side(self, which: str, instance: dict) -> np.ndarray:
        fn = getattr(self.claim, which)
        value = fn(**instance) if callable(fn) else fn
        try:
            arr = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            raise _SideError(f"{which} returned {type(value).__name__}, not a real number "
                             "or array") from None
        if not np.all(np.isfinite(arr)):
            raise _SideError(f"{which} returned a non-finite value ({value!r})")
        return arr

    def evaluate(self, instance: dict) -> _Outcome:
        name, relation = self.claim.name, self.claim.relation
        try:
            lhs = self._side("lhs", instance)
            rhs = self._side("rhs", instance)
        except _SideError as exc:
            return _Outcome("error", error=str(exc))
        except Exception as exc:  # noqa: BLE001 - a raising side is reported, never passed
            return _Outcome("error", error=f"a side raised {type(exc).__name__}: {exc}")
        if lhs.shape != rhs.shape:
            raise _BadClaim(f"claim {name!r}: the two sides have different shapes: lhs "
                            f"{lhs.shape}, rhs {rhs.shape}")
        if relation != "==" and lhs.shape != ():
            raise _BadClaim(f"claim {name!r}: relation {relation!r} needs scalar sides, got "
                            f"shape {lhs.shape}")
        gap = _float_gap(lhs, rhs, relation, self.claim.floor)
        verdict = _float_verdict(gap, relation, self.claim.rtol)
        out = _Outcome(verdict, _plain(lhs), _plain(rhs), gap)
        if verdict == "holds":
            return out
        if self.precise is not None:
            # the claim can evaluate itself exactly or in 50 digits: let that decide, so a
            # badly conditioned float64 computation can never produce the verdict
            return self._recheck(instance, out)
        if verdict == "counterexample":
            out.recheck = (f"float64: relative margin {gap:.3g} >= {CONFIDENT:g}, "
                           "far beyond round-off")
        else:
            out.recheck = (f"float64 margin {gap:.3g} is below {CONFIDENT:g} and the claim "
                           "has no precise evaluation to confirm it")
        return out

    def _recheck(self, instance: dict, out: _Outcome) -> _Outcome:
        """Decide a float64 violation with the claim's precise evaluation."""
        import mpmath

        try:
            with mpmath.workdps(DIGITS):
                lhs, rhs = self.precise(**instance)
                if _is_exact(lhs) and _is_exact(rhs):
                    violated = _exact_violated(lhs, rhs, self.claim.relation)
                    how = "exact arithmetic"
                else:
                    violated = self._mp_violated(lhs, rhs)
                    how = f"mpmath, {DIGITS} digits"
        except Exception as exc:  # noqa: BLE001 - a failing re-check confirms nothing
            out.kind, out.error = "error", f"precise raised {type(exc).__name__}: {exc}"
            return out
        if violated is True:
            out.kind, out.recheck = "counterexample", f"confirmed in {how}"
            out.lhs, out.rhs = _jsonable_value(lhs), _jsonable_value(rhs)
        elif violated is False:
            out.kind = "holds"
        else:
            out.kind, out.recheck = "borderline", f"{how} could not decide"
        return out

    def _mp_violated(self, lhs: Any, rhs: Any) -> bool | None:
        import mpmath

        lv = [mpmath.mpf(v) for v in np.ravel(np.asarray(lhs, dtype=object))]
        rv = [mpmath.mpf(v) for v in np.ravel(np.asarray(rhs, dtype=object))]
        if len(lv) != len(rv):
            raise _BadClaim(f"claim {self.claim.name!r}: precise returned sides of different "
                            "sizes")
        scale = max([abs(v) for v in lv + rv] + [mpmath.mpf(self.claim.floor)])
        relation = self.claim.relation
        # equality to 30 digits counts as holding for "==", "<=", ">=" (every passing
        # instance is a numerical statement anyway); for a strict relation it is undecided:
        # only exact arithmetic tells equality from a tiny gap
        if relation == "==":
            gap = max(abs(a - b) for a, b in zip(lv, rv, strict=True)) / scale
            return bool(gap > MP_CONFIDENT)
        diff = (lv[0] - rv[0]) if relation in ("<=", "<") else (rv[0] - lv[0])
        gap = diff / scale
        if gap > MP_CONFIDENT:
            return True
        if gap < -MP_CONFIDENT or relation in ("<=", ">="):
            return False
        return None

    def describe_instance(self, instance: dict) -> tuple[dict, dict]:
        shapes = {k: _shape_of(v) for k, v in instance.items() if _shape_of(v) is not None}
        return {k: _jsonable_value(v) for k, v in instance.items()}, shapes


class _SideError(Exception):
    pass


def _plain(arr: np.ndarray) -> Any:
    return float(arr) if arr.shape == () else arr.tolist()


def _is_constant(value: Any) -> bool:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return bool(np.all(np.isfinite(arr)))


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


# -- symbolic claims -------------------------------------------------------------------


def _simple_values(domain: sympy.Set, name: str, symbol: sympy.Symbol) -> list[sympy.Expr]:
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


def _to_indexed(expr: sympy.Expr) -> sympy.Expr:
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
class _Instantiated:
    """Both sides at fixed sizes and index values: exact expressions of the entries."""

    lhs: Any
    rhs: Any
    entries: list[sympy.Expr]          # MatrixElement / Indexed atoms, in a fixed order
    dummies: list[sympy.Symbol]        # one plain symbol per entry (for lambdify)
    scalars: list[sympy.Symbol]
    numeric: Callable | None = None    # float64 evaluation of (lhs, rhs)


@dataclass(frozen=True)
class _SymbolicInstance:
    sizes: tuple[int, ...]
    indices: tuple[int, ...]
    scalars: tuple[sympy.Expr, ...]
    entries: tuple[int, ...]


class _SymbolicEngine:
    """Both sides are SymPy expressions; instances are small sizes, simple exact values."""

    kind = "symbolic"

    def __init__(self, claim: Claim, domains, sizes, indices, random, entries):
        name = claim.name
        self.claim = claim
        try:
            lhs = sympy.sympify(claim.lhs)
            rhs = sympy.sympify(claim.rhs)
        except (sympy.SympifyError, TypeError) as exc:
            raise ValueError(f"claim {name!r}: sides must be SymPy expressions: {exc}") from None
        # a float in a symbolic claim means the decimal it prints as (0.1 is 1/10), so
        # that exact arithmetic stays exact
        lhs, rhs = (e.xreplace({f: sympy.Rational(str(f)) for f in e.atoms(sympy.Float)})
                    for e in (lhs, rhs))
        lhs, rhs = self._shapes(lhs, rhs)
        self.lhs, self.rhs = lhs, rhs
        both = [lhs, rhs]
        self.matrix = isinstance(lhs, MatrixExpr | sympy.MatrixBase)

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
        indices = dict(indices or {})
        sizes = dict(sizes or {})
        domains = dict(domains or {})
        random = dict(random or {})
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
        self.size_syms = sorted(size_syms, key=str)
        self.index_syms = sorted(indices, key=str)
        scalars = free - size_syms - set(indices)
        self.scalar_syms = sorted(scalars, key=str)

        # sizes: (low, high) ranges
        self.size_ranges: dict[sympy.Symbol, tuple[int, int]] = {}
        for s in self.size_syms:
            rng = sizes.get(s, DEFAULT_SIZES)
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
            self.size_ranges[s] = (lo, hi)
        self.index_ranges = {s: tuple(sympy.sympify(b) for b in indices[s])
                             for s in self.index_syms}

        # domains of the scalars
        for key in domains:
            if key not in scalars:
                raise ValueError(f"claim {name!r}: domains: {key} is not a scalar symbol of "
                                 f"the claim (scalars: {', '.join(map(str, self.scalar_syms))})")
        self.domains: dict[sympy.Symbol, sympy.Set] = {}
        self.values: dict[sympy.Symbol, list[sympy.Expr]] = {}
        for s in self.scalar_syms:
            dom = domains.get(s, _default_domain(s))
            if not isinstance(dom, sympy.Set):
                raise ValueError(f"claim {name!r}: domains[{s}]: expected a SymPy set such as "
                                 f"Interval.Lopen(0, 1), got {dom!r}")
            if dom.is_empty:
                raise ValueError(f"claim {name!r}: domains[{s}] = {dom} is empty")
            self.domains[s] = dom
            self.values[s] = _simple_values(dom, name, s)

        # random bases and expectations
        for base, keep in random.items():
            if not isinstance(base, IndexedBase):
                raise ValueError(f"claim {name!r}: random: keys must be IndexedBase objects, "
                                 f"got {base!r}")
            extra = sympy.sympify(keep).free_symbols - scalars
            if extra:
                raise ValueError(f"claim {name!r}: random[{base}]: the keep probability uses "
                                 f"{sorted(map(str, extra))}, which are not scalars of the claim")
        self.random = {b: sympy.sympify(k) for b, k in random.items()}
        has_expectation = any(e.has(Expectation) for e in both)
        if has_expectation and not self.random:
            raise ValueError(f"claim {name!r}: the claim takes an expectation but declares no "
                             "random variables; pass random={r: theta} (Bernoulli keep "
                             "probability of each IndexedBase)")
        for e in both:
            outside = e.replace(lambda x: isinstance(x, Expectation), lambda x: sympy.S.Zero)
            bad = {ix.base for ix in outside.atoms(Indexed)} & set(self.random)
            if bad:
                raise ValueError(f"claim {name!r}: random variable(s) {sorted(map(str, bad))} "
                                 "occur outside an expectation")
        lo_e, hi_e = entries
        if not (isinstance(lo_e, numbers.Integral) and isinstance(hi_e, numbers.Integral)
                and lo_e <= hi_e):
            raise ValueError(f"claim {name!r}: entries: expected (low, high) integers, "
                             f"got {entries!r}")
        self.entry_range = (int(lo_e), int(hi_e))
        self.has_entries = bool(matsyms) or any(
            ix.base not in self.random for e in both for ix in e.atoms(Indexed))
        self._cache: dict[tuple, _Instantiated | None] = {}

    def _shapes(self, lhs, rhs):
        name = self.claim.name
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
            if self.claim.relation != "==":
                raise ValueError(f"claim {name!r}: relation {self.claim.relation!r} needs "
                                 "scalar sides; matrices can only be claimed equal")
        return lhs, rhs

    # -- instantiation at fixed sizes --------------------------------------------------

    def _expectation(self, arg: sympy.Expr) -> sympy.Expr:
        """E over independent Bernoulli entries of a polynomial, by multilinearity."""
        arg = sympy.expand(arg.doit())
        out = []
        for term in sympy.Add.make_args(arg):
            masks = {a for a in term.atoms(Indexed) if a.base in self.random}
            prob = sympy.Mul(*[self.random[a.base] for a in masks])
            out.append(term.xreplace({a: sympy.S.One for a in masks}) * prob)
        return sympy.Add(*out)

    def _concrete(self, side: Any, sub: dict) -> Any:
        e = side.xreplace(sub)
        mats = {M: M.as_explicit() for M in e.atoms(MatrixSymbol)}
        if mats:
            e = e.xreplace(mats)
        e = e.doit()
        if isinstance(e, MatrixExpr) and not isinstance(e, sympy.MatrixBase):
            e = e.as_explicit()
        if e.has(Expectation):
            e = e.replace(lambda x: isinstance(x, Expectation),
                          lambda x: self._expectation(x.args[0]))
        return e

    def instantiate(self, sizes: tuple[int, ...], index_values: tuple[int, ...]
                    ) -> _Instantiated:
        key = (sizes, index_values)
        if key not in self._cache:
            sub = {s: sympy.Integer(v) for s, v in zip(self.size_syms, sizes, strict=True)}
            sub.update({s: sympy.Integer(v)
                        for s, v in zip(self.index_syms, index_values, strict=True)})
            lhs, rhs = self._concrete(self.lhs, sub), self._concrete(self.rhs, sub)
            atoms = set()
            for e in (lhs, rhs):
                atoms |= {a for a in e.atoms(MatrixElement)}
                atoms |= {a for a in e.atoms(Indexed) if a.base not in self.random}
            entries = sorted(atoms, key=lambda a: (str(getattr(a, "parent", None) or a.base),
                                                   str(a)))
            dummies = [sympy.Symbol(f"_e{k}") for k in range(len(entries))]
            swap = dict(zip(entries, dummies, strict=True))
            self._cache[key] = _Instantiated(lhs.xreplace(swap), rhs.xreplace(swap), entries,
                                             dummies, list(self.scalar_syms))
        return self._cache[key]

    # -- the search --------------------------------------------------------------------

    def strategy(self) -> st.SearchStrategy:
        @st.composite
        def instances(draw):
            sizes = tuple(draw(st.integers(*self.size_ranges[s])) for s in self.size_syms)
            sub = {s: sympy.Integer(v) for s, v in zip(self.size_syms, sizes, strict=True)}
            index_values = []
            for s in self.index_syms:
                lo, hi = (int(b.xreplace(sub)) for b in self.index_ranges[s])
                if hi < lo:
                    reject()  # empty index range at these sizes
                index_values.append(draw(st.integers(lo, hi)))
            scalars = tuple(draw(st.sampled_from(self.values[s])) for s in self.scalar_syms)
            inst = self.instantiate(sizes, tuple(index_values))
            k = len(inst.entries)
            entries = draw(st.lists(st.integers(*self.entry_range), min_size=k, max_size=k))
            return _SymbolicInstance(sizes, tuple(index_values), scalars, tuple(entries))

        return instances()

    def describe_strategies(self) -> dict[str, str]:
        out = {str(s): f"sizes {lo}..{hi}" for s, (lo, hi) in self.size_ranges.items()}
        out.update({str(s): f"indices {lo}..{hi}" for s, (lo, hi) in self.index_ranges.items()})
        for s in self.scalar_syms:
            shown = ", ".join(str(v) for v in self.values[s][:6])
            out[str(s)] = f"simple exact values in {self.domains[s]}: {shown}, ..."
        if self.has_entries:
            lo, hi = self.entry_range
            out["entries"] = f"integers in [{lo}, {hi}]"
        return out

    def _numeric(self, inst: _Instantiated) -> Callable:
        if inst.numeric is None:
            args = inst.dummies + inst.scalars
            inst.numeric = sympy.lambdify(args, [inst.lhs, inst.rhs], modules="numpy")
        return inst.numeric

    def evaluate(self, instance: _SymbolicInstance) -> _Outcome:
        relation = self.claim.relation
        inst = self.instantiate(instance.sizes, instance.indices)
        try:
            with np.errstate(all="ignore"):
                lhs, rhs = self._numeric(inst)(*(float(v) for v in instance.entries),
                                               *(float(v) for v in instance.scalars))
            lhs = np.asarray(lhs, dtype=np.float64)
            rhs = np.asarray(rhs, dtype=np.float64)
            finite = bool(np.all(np.isfinite(lhs)) and np.all(np.isfinite(rhs)))
        except Exception:  # noqa: BLE001 - no float64 answer: exact arithmetic decides
            finite = False
        if finite:
            gap = _float_gap(lhs, rhs, relation, self.claim.floor)
            if _float_verdict(gap, relation, self.claim.rtol) == "holds":
                return _Outcome("holds", gap=gap)
        else:
            gap = None
        # a candidate (or a float64 failure): decide in exact rational arithmetic
        values = dict(zip(inst.dummies, (sympy.Integer(v) for v in instance.entries),
                          strict=True))
        values.update(dict(zip(inst.scalars, instance.scalars, strict=True)))
        try:
            lx, rx = inst.lhs.xreplace(values), inst.rhs.xreplace(values)
            bad = [v for v in (lx, rx) if _not_finite(v)]
            if bad:
                return _Outcome("error", error=f"a side is undefined or not real here "
                                f"({bad[0]})")
            violated = _exact_violated(lx, rx, relation)
        except Exception as exc:  # noqa: BLE001 - an evaluation failure is not a verdict
            return _Outcome("error", error=f"exact evaluation raised {type(exc).__name__}: {exc}")
        if violated is None:
            return _Outcome("borderline", _jsonable_value(lx), _jsonable_value(rx), gap,
                            recheck="exact arithmetic could not decide")
        if not violated:
            return _Outcome("holds", gap=gap)
        if gap is None:
            gap = float(_exact_gap(lx, rx, relation, self.claim.floor))
        return _Outcome("counterexample", _jsonable_value(lx), _jsonable_value(rx), gap,
                        recheck="exact rational arithmetic")

    def describe_instance(self, instance: _SymbolicInstance) -> tuple[dict, dict]:
        inst = self.instantiate(instance.sizes, instance.indices)
        out: dict[str, Any] = {}
        sizes = {str(s): v for s, v in zip(self.size_syms, instance.sizes, strict=True)}
        out.update(sizes)
        out.update({str(s): v for s, v in zip(self.index_syms, instance.indices, strict=True)})
        out.update({str(s): _jsonable_value(v)
                    for s, v in zip(self.scalar_syms, instance.scalars, strict=True)})
        groups: dict[str, dict[tuple[int, ...], int]] = {}
        for atom, value in zip(inst.entries, instance.entries, strict=True):
            if isinstance(atom, MatrixElement):
                label, idx = atom.parent.name, (int(atom.i), int(atom.j))
            else:
                label, idx = str(atom.base.label), tuple(int(i) for i in atom.indices)
            groups.setdefault(label, {})[idx] = int(value)
        shapes = {}
        for label, table in groups.items():
            out[label], shapes[label] = _nested(table)
        return out, (sizes or shapes)

    # -- symbolic routes ---------------------------------------------------------------

    def proof(self) -> tuple[list[Evidence], dict[str, Any]]:
        """A canonical-form proof for symbolic sizes (an empty list when there is none)."""
        notes: dict[str, Any] = {}
        if self.claim.relation != "==":
            notes["symbolic"] = "inequalities are searched, not proved"
            return [], notes
        has_objects = any(e.atoms(Indexed) or e.atoms(MatrixSymbol) for e in (self.lhs, self.rhs))
        if self.size_syms or not has_objects:
            start = time.perf_counter()
            try:
                ok = self._canonical_equal()
            except Exception as exc:  # noqa: BLE001 - no proof, not a disproof
                ok, notes["canonical"] = False, f"{type(exc).__name__}: {exc}"
            if ok:
                scope = ("every value of " + ", ".join(map(str, self.size_syms)) + " >= 1"
                         if self.size_syms else "every value of the scalars")
                return [Evidence("symbolic", "canonical forms agree for symbolic sizes", True,
                                 measured=0.0, tolerance=0.0, general=True,
                                 details={"scope": scope, "proves": [0],
                                          "sizes": [str(s) for s in self.size_syms],
                                          "route": "theorems.symbolic.sums.canonical"
                                                   + (" after linearity and Bernoulli moments"
                                                      if self.random else "")},
                                 seconds=time.perf_counter() - start)], notes
            notes.setdefault("canonical", "the canonical forms differ (not by itself a "
                                          "counterexample)")
        return [], notes

    def _canonical_equal(self) -> bool:
        sides = []
        i0, j0 = sympy.Dummy("i", integer=True), sympy.Dummy("j", integer=True)
        for side in (self.lhs, self.rhs):
            if self.matrix:
                side = side[i0, j0]  # a generic entry, the same on both sides
            side = _to_indexed(side)
            if self.random:
                side = bernoulli_moments(linearity(side, set(self.random)), self.random)
            sides.append(side)
        diff = canonical(sides[0]) - canonical(sides[1])
        if diff.is_zero():
            return True
        # the canonicalizer files sum-free factors as coefficient or body depending on how a
        # term was built (x**2 vs x*x); a sum-free remainder is decided by SymPy itself
        rest = diff.to_expr()
        return not rest.has(Sum) and sympy.simplify(rest) == 0

    def expansion(self, notes: dict) -> list[Evidence]:
        """Exact expansion at every size of the searched ranges (equalities only).

        Run after a search that found nothing: all differences zero is a fixed-size
        check of every entry value; a nonzero polynomial difference is recorded in
        ``notes["expansion_nonzero"]``.
        """
        if self.claim.relation != "==":
            return []
        start = time.perf_counter()
        size_grid = list(itertools.product(*[range(lo, hi + 1)
                                             for lo, hi in self.size_ranges.values()]))
        cases = []
        for sizes in size_grid:
            sub = {s: sympy.Integer(v) for s, v in zip(self.size_syms, sizes, strict=True)}
            ranges = []
            for s in self.index_syms:
                lo, hi = (int(b.xreplace(sub)) for b in self.index_ranges[s])
                ranges.append(range(lo, hi + 1))
            cases += [(sizes, idx) for idx in itertools.product(*ranges)]
        if not cases or len(cases) > MAX_EXPANSION_CASES:
            notes["expansion"] = (f"{len(cases)} size/index combinations: not expanded "
                                  f"(limit {MAX_EXPANSION_CASES})")
            return []
        nonzero, undecided = [], []
        for sizes, idx in cases:
            inst = self.instantiate(sizes, idx)
            diff = inst.lhs - inst.rhs
            entries = list(diff) if isinstance(diff, sympy.MatrixBase) else [diff]
            variables = inst.dummies + inst.scalars
            for e in entries:
                e = sympy.expand(sympy.together(e))
                num, _ = sympy.fraction(sympy.together(e))
                if sympy.expand(num) == 0:
                    continue
                finite = [x for x in inst.scalars
                          if x in num.free_symbols and self.domains[x].is_finite_set]
                if num.is_polynomial(*variables) and not finite:
                    # a nonzero polynomial is nonzero somewhere on any infinite domain
                    nonzero.append((sizes, idx, e))
                else:
                    undecided.append((sizes, idx))
                break
        label = [self._label(sizes, idx) for sizes, idx in cases]
        if nonzero:
            # strong evidence against the claim, but the verdict waits for a concrete instance
            # from the search (a polynomial can vanish on a finite domain)
            sizes, idx, e = nonzero[0]
            inst = self.instantiate(sizes, idx)
            e = e.xreplace(dict(zip(inst.dummies, inst.entries, strict=True)))
            notes["expansion_nonzero"] = (f"lhs - rhs is a nonzero polynomial at "
                                          f"{self._label(sizes, idx)}: {_short(str(e))}")
            return []
        if undecided:
            notes["expansion"] = ("expansion did not decide at " +
                                  ", ".join(str(self._label(*u)) for u in undecided[:3]))
            return []
        return [Evidence("symbolic", "exact expansion at fixed sizes", True, measured=0.0,
                         tolerance=0.0, instances=len(cases),
                         details={"sizes": label, "scope": "fixed sizes, every entry a symbol"},
                         seconds=time.perf_counter() - start)]

    def _label(self, sizes, idx) -> dict[str, int]:
        out = {str(s): v for s, v in zip(self.size_syms, sizes, strict=True)}
        out.update({str(s): v for s, v in zip(self.index_syms, idx, strict=True)})
        if not out:
            out = {str(M.name): list(M.shape) for M in sorted(
                {M for e in (self.lhs, self.rhs) for M in e.atoms(MatrixSymbol)}, key=str)}
        return out


def _default_domain(symbol: sympy.Symbol) -> sympy.Set:
    if symbol.is_positive:
        return sympy.Interval.open(0, sympy.oo)
    if symbol.is_nonnegative:
        return sympy.Interval(0, sympy.oo)
    if symbol.is_integer:
        return sympy.S.Integers
    return sympy.S.Reals


def _not_finite(value: Any) -> bool:
    items = list(value) if isinstance(value, sympy.MatrixBase) else [value]
    for v in items:
        v = sympy.sympify(v)
        if v.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan) or v.is_real is False:
            return True
    return False


def _exact_gap(lhs: Any, rhs: Any, relation: str, floor: float) -> float:
    def arr(v):
        if isinstance(v, sympy.MatrixBase):
            return np.array([float(x) for x in v], dtype=float)
        return np.asarray(float(v))
    return _float_gap(arr(lhs), arr(rhs), relation, floor)


def _nested(table: dict[tuple[int, ...], int]) -> tuple[Any, list[int]]:
    """Entries {(i, j): v} as nested lists (from the smallest index), and their shape."""
    dims = len(next(iter(table)))
    lows = [min(k[a] for k in table) for a in range(dims)]
    lows = [1 if lo >= 1 else 0 for lo in lows]
    shape = [max(k[a] for k in table) - lows[a] + 1 for a in range(dims)]

    def build(prefix: tuple[int, ...], axis: int):
        if axis == dims:
            return table.get(prefix)
        return [build(prefix + (lows[axis] + t,), axis + 1) for t in range(shape[axis])]

    return build((), 0), shape


# -- theorems seen as claims -----------------------------------------------------------


class _TheoremEngine:
    """A catalog theorem: its symbolic checks once, its other checks under several seeds."""

    kind = "theorem"

    def __init__(self, theorem: Theorem, seeds: int, profile: str):
        self.theorem = theorem
        self.seeds = seeds
        self.profile = profile


# -- the claim -------------------------------------------------------------------------


class Claim:
    """A conjectured identity or inequality ``lhs <relation> rhs``.

    Parameters
    ----------
    name : str
        Short identifier, shown as the verdict's ``theorem`` field.
    lhs, rhs : SymPy expression, callable or constant
        Both SymPy (a symbolic claim), or callables of the keyword arguments in
        ``given`` / real constants (a numeric claim).
    relation : {"==", "<=", ">=", "<", ">"}
    given : mapping of str to Hypothesis strategy, optional
        Numeric claims: the strategy of each keyword argument (for instance
        :mod:`theorems.strategies`).
    domains : mapping of Symbol to sympy.Set, optional
        Symbolic claims: the domain of each scalar symbol, e.g.
        ``{theta: Interval.Lopen(0, 1)}`` (default from the symbol's assumptions:
        positive -> (0, oo), else the reals).  Values are drawn from simple exact
        points of the domain (1, 1/2, 1/3, ...).
    sizes : mapping of Symbol to (low, high), optional
        Symbolic claims: the range searched for each size symbol (default 1..3).
    indices : mapping of Symbol to (low, high), optional
        Symbolic claims: the range of each free index, e.g. ``{i: (1, d)}``.
    random : mapping of IndexedBase to keep probability, optional
        Symbolic claims: ``Expectation`` is over independent Bernoulli entries of these.
    entries : (int, int)
        Symbolic claims: entries of matrices are integers in this range.
    rtol : float
        Relative tolerance of the float64 comparison (default 1e-9, round-off with
        headroom); violations below it count as holding.
    floor : float
        Smallest scale a relative gap is measured against: gap = |lhs - rhs| /
        max(|lhs|, |rhs|, floor).
    precise : callable, optional
        Numeric claims: ``precise(**instance) -> (lhs, rhs)`` in exact numbers
        (int, Fraction, SymPy) or mpmath values; called under 50-digit mpmath
        precision on every float64 violation, and its answer decides.  Without
        it, a violation counts only when its float64 margin reaches
        :data:`CONFIDENT` (which assumes the sides are computed stably); smaller
        margins leave the verdict inconclusive.
    explanation : str
        One line shown as the verdict title (e.g. the mistake of a false claim).

    Raises
    ------
    ValueError
        A badly stated claim, naming the claim and the cause.
    """

    def __init__(self, name: str, lhs: Any = None, rhs: Any = None, relation: str = "==", *,
                 given: Mapping[str, st.SearchStrategy] | None = None,
                 domains: Mapping[sympy.Symbol, sympy.Set] | None = None,
                 sizes: Mapping[sympy.Symbol, Any] | None = None,
                 indices: Mapping[sympy.Symbol, tuple] | None = None,
                 random: Mapping[IndexedBase, Any] | None = None,
                 entries: tuple[int, int] = (-3, 3), rtol: float = 1e-9, floor: float = 1.0,
                 precise: Callable | None = None, explanation: str = ""):
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"name: expected a non-empty string, got {name!r}")
        self.name = name
        self.lhs, self.rhs = lhs, rhs
        self.relation = _check_relation(relation, name)
        self.explanation = str(explanation)
        for label, value in (("rtol", rtol), ("floor", floor)):
            if isinstance(value, bool) or not isinstance(value, numbers.Real) \
                    or not (value > 0 and math.isfinite(value)):
                raise ValueError(f"claim {name!r}: {label}: expected a positive number, "
                                 f"got {value!r}")
        if rtol >= CONFIDENT:
            raise ValueError(f"claim {name!r}: rtol: expected a tolerance below {CONFIDENT:g} "
                             f"(the margin that confirms a counterexample), got {rtol!r}")
        self.rtol, self.floor = float(rtol), float(floor)
        if lhs is None or rhs is None:
            raise ValueError(f"claim {name!r}: both sides are required (lhs and rhs)")
        exprs = (sympy.Basic, sympy.MatrixBase)
        symbolic = isinstance(lhs, exprs) or isinstance(rhs, exprs)
        if any(callable(side) and not isinstance(side, exprs) for side in (lhs, rhs)):
            symbolic = False
        if symbolic:
            if given is not None or precise is not None:
                raise ValueError(f"claim {name!r}: given and precise are for numeric claims "
                                 "(callable sides); a symbolic claim draws its own instances")
            self._engine: Any = _SymbolicEngine(self, domains, sizes, indices, random, entries)
        else:
            if any(v is not None for v in (domains, sizes, indices, random)):
                raise ValueError(f"claim {name!r}: domains, sizes, indices and random are for "
                                 "symbolic claims; a numeric claim takes given={...}")
            if given is None:
                raise ValueError(f"claim {name!r}: a numeric claim needs given={{argument: "
                                 "strategy}} to draw its instances from")
            self._engine = _CallableEngine(self, given, precise)

    @classmethod
    def from_theorem(cls, theorem: Theorem, seeds: int = 3, profile: str = "quick") -> Claim:
        """A catalog theorem as a claim: its checks are the search.

        Falsifying it runs the theorem's symbolic checks once and its other
        checks (numeric, convex, landscape) under ``seeds`` consecutive seeds
        (``max_examples`` overrides the count), each seed drawing the check's
        own random instances.  A failure is a counterexample reproducible from
        its seed; a general symbolic pass makes it ``proved``.

        >>> import theorems
        >>> c = Claim.from_theorem(theorems.get("dropout.doubling"), seeds=1)
        >>> c.name, falsify(c).status.value
        ('dropout.doubling', 'proved')
        """
        if not isinstance(theorem, Theorem):
            raise ValueError(f"theorem: expected a Theorem, got {type(theorem).__name__}")
        if isinstance(seeds, bool) or not isinstance(seeds, numbers.Integral) or seeds < 1:
            raise ValueError(f"seeds: expected an integer >= 1, got {seeds!r}")
        if profile not in PROFILES:
            raise ValueError(f"profile: expected one of {', '.join(PROFILES)}, got {profile!r}")
        claim = cls.__new__(cls)
        claim.name = theorem.id
        claim.lhs = claim.rhs = None
        claim.relation = "=="
        claim.explanation = theorem.title
        claim.rtol, claim.floor = 1e-9, 1.0
        claim._engine = _TheoremEngine(theorem, int(seeds), profile)
        return claim

    @property
    def kind(self) -> str:
        """``symbolic``, ``callable`` or ``theorem``."""
        return self._engine.kind

    @cached_property
    def title(self) -> str:
        if self.explanation:
            return self.explanation
        if self.kind == "symbolic":
            return f"{sympy.sstr(self._engine.lhs)} {self.relation} {sympy.sstr(self._engine.rhs)}"
        return f"{_describe(self.lhs)} {self.relation} {_describe(self.rhs)}"

    def strategy(self) -> st.SearchStrategy:
        """The Hypothesis strategy of this claim's instances (for your own ``@given`` tests).

        Symbolic claims draw sizes, index values, simple exact scalars and
        small integer entries; numeric claims draw ``dict(**given)``.
        """
        if self.kind == "theorem":
            raise ValueError(f"claim {self.name!r}: a theorem claim has no instance strategy; "
                             "its checks draw their own instances from seeds")
        return self._engine.strategy()

    def check(self, instance: Any) -> dict[str, Any]:
        """Evaluate the claim at one instance drawn from :meth:`strategy`.

        Returns a dict with ``holds`` (True, False, or None when undecided), both
        sides, the relative gap and how a violation was re-checked.
        """
        if self.kind == "theorem":
            raise ValueError(f"claim {self.name!r}: a theorem claim is checked with falsify()")
        try:
            out = self._engine.evaluate(instance)
        except _BadClaim as exc:
            raise ValueError(str(exc)) from None
        shown, _ = self._engine.describe_instance(instance)
        holds = {"holds": True, "counterexample": False}.get(out.kind)
        return {"holds": holds, "instance": shown, "lhs": out.lhs, "rhs": out.rhs,
                "gap": out.gap, "recheck": out.recheck, "error": out.error}

    def __repr__(self) -> str:
        return f"<Claim {self.name} ({self.kind}): {self.title}>"


def _describe(side: Any) -> str:
    if callable(side):
        return getattr(side, "__name__", type(side).__name__)
    return repr(side)


# -- falsify ---------------------------------------------------------------------------


def _check_count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name}: expected an integer >= 1, got {value!r}")
    return int(value)


def falsify(claim: Claim | Theorem, max_examples: int | None = None, seed: int = 0) -> Verdict:
    """Try to break a claim; prove it when a symbolic route closes.

    Parameters
    ----------
    claim : Claim or Theorem
        A theorem is wrapped with :meth:`Claim.from_theorem`.
    max_examples : int, optional
        Examples Hypothesis draws (default 100); for a theorem, the number of
        seeds its checks run under (default 3).
    seed : int
        Seeds the search; the same seed gives the same verdict and the same
        minimal counterexample.

    Returns
    -------
    Verdict
        ``theorem`` is the claim's name and ``profile`` is ``"falsify"``.  When
        refuted, ``counterexample`` holds the shrunk instance, both sides, the
        relative gap, how it was re-checked, and the seed.
    """
    if isinstance(claim, Theorem):
        claim = Claim.from_theorem(claim)
    if not isinstance(claim, Claim):
        raise ValueError(f"claim: expected a Claim or a Theorem, got {type(claim).__name__}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed: expected a non-negative integer, got {seed!r}")
    seed = int(seed)
    start = time.perf_counter()
    if claim.kind == "theorem":
        n = claim._engine.seeds if max_examples is None else _check_count(max_examples,
                                                                          "max_examples")
        evidence = _run_theorem(claim._engine, n, seed)
    else:
        n = DEFAULT_EXAMPLES if max_examples is None else _check_count(max_examples,
                                                                       "max_examples")
        evidence, notes = ([], {}) if claim.kind != "symbolic" else claim._engine.proof()
        search = _search(claim, n, seed, notes)
        if claim.kind == "symbolic" and search.passed is True and not evidence:
            # no proof and no counterexample: expand exactly at the searched sizes
            evidence.extend(claim._engine.expansion(notes))
            if "expansion_nonzero" in notes:
                search.passed = None
                search.name = "Hypothesis search for a counterexample"
                search.details["error"] = (
                    f"claim {claim.name!r}: no counterexample among {search.instances} simple "
                    f"instances, yet {notes['expansion_nonzero']}")
            search.details.update({k: v for k, v in notes.items() if k not in search.details})
        evidence.append(search)
    status = fold_status(evidence)
    counterexample = None
    if status is Status.REFUTED:
        failed = next(ev for ev in evidence if ev.passed is False)
        counterexample = dict(failed.counterexample or {"check": failed.name})
        counterexample.setdefault("seed", seed)
    return Verdict(theorem=claim.name, title=claim.title, status=status, seed=seed,
                   profile=FALSIFY_PROFILE, seconds=time.perf_counter() - start,
                   evidence=evidence, counterexample=counterexample)


def _search(claim: Claim, max_examples: int, seed: int, notes: dict) -> Evidence:
    """Run Hypothesis on the claim; the shrunk failure is the counterexample."""
    engine = claim._engine
    state: dict[str, Any] = {"calls": 0, "found_at": None, "errors": [], "borderline": []}
    start = time.perf_counter()

    @hypothesis_seed(seed)
    @settings(database=None, derandomize=False, max_examples=max_examples, deadline=None,
              suppress_health_check=list(HealthCheck), verbosity=Verbosity.quiet,
              report_multiple_bugs=False,
              phases=(Phase.explicit, Phase.generate, Phase.shrink))
    @given(engine.strategy())
    def search(instance):
        state["calls"] += 1
        out = engine.evaluate(instance)
        if out.kind == "counterexample":
            if state["found_at"] is None:
                state["found_at"] = state["calls"]
            raise _Found(instance, out)
        if out.kind == "error":
            state["errors"].append((instance, out.error))
            reject()  # keep looking for a genuine counterexample elsewhere
        if out.kind == "borderline":
            state["borderline"].append((instance, out))

    details: dict[str, Any] = {
        "strategies": engine.describe_strategies(),
        "relation": claim.relation,
        "rtol": claim.rtol,
        "floor": claim.floor,
        "confident_margin": CONFIDENT,
        "seed": seed,
        "max_examples": max_examples,
        **notes,
    }
    name = "Hypothesis search for a counterexample"
    try:
        search()
    except _Found as found:
        shown, sizes = engine.describe_instance(found.instance)
        out = found.outcome
        cex = {"claim": claim.name, "instance": shown, "size": sizes, "lhs": out.lhs,
               "rhs": out.rhs, "relation": claim.relation, "gap": out.gap,
               "recheck": out.recheck, "seed": seed, "max_examples": max_examples,
               "examples_until_found": state["found_at"],
               "reproduce": f"falsify(claim, max_examples={max_examples}, seed={seed})"}
        details["examples_until_found"] = state["found_at"]
        return Evidence("numeric", name, False, measured=out.gap, tolerance=claim.rtol,
                        instances=state["found_at"] or state["calls"], details=details,
                        counterexample=cex, seconds=time.perf_counter() - start)
    except _BadClaim as exc:
        raise ValueError(str(exc)) from None
    except Unsatisfiable as exc:
        if not state["errors"]:
            raise ValueError(f"claim {claim.name!r}: no instance could be drawn: the domain "
                             f"is empty ({exc})") from None
    except Exception as exc:  # noqa: BLE001 - the search broke: no verdict either way
        details["error"] = f"claim {claim.name!r}: the search raised {type(exc).__name__}: {exc}"
        return Evidence("numeric", name, None, instances=state["calls"], details=details,
                        seconds=time.perf_counter() - start)
    examples = state["calls"] - len(state["errors"])
    details["examples"] = examples
    if state["errors"]:
        instance, error = state["errors"][0]
        shown, _ = engine.describe_instance(instance)
        details["error"] = (f"claim {claim.name!r}: {error} at {shown} "
                            f"({len(state['errors'])} of {state['calls']} examples)")
        return Evidence("numeric", name, None, instances=examples, details=details,
                        seconds=time.perf_counter() - start)
    if state["borderline"]:
        instance, out = state["borderline"][0]
        shown, _ = engine.describe_instance(instance)
        details["error"] = (f"claim {claim.name!r}: {len(state['borderline'])} example(s) violate "
                            f"the claim by a margin too small to confirm ({out.recheck}); "
                            f"first at {shown}: lhs {out.lhs}, rhs {out.rhs}")
        return Evidence("numeric", name, None, instances=examples, details=details,
                        seconds=time.perf_counter() - start)
    details["statement"] = (f"no counterexample in {examples} examples drawn from these "
                            "strategies")
    return Evidence("numeric", f"no counterexample in {examples} examples (Hypothesis)", True,
                    measured=None, tolerance=claim.rtol, instances=examples, details=details,
                    seconds=time.perf_counter() - start)


def _run_theorem(engine: _TheoremEngine, n_seeds: int, seed: int) -> list[Evidence]:
    profile = PROFILES[engine.profile]
    evidence: list[Evidence] = []
    symbolic = [c for c in engine.theorem.checks if c.kind == "symbolic"]
    others = [c for c in engine.theorem.checks if c.kind != "symbolic"]
    for check in symbolic:
        evidence.extend(check(Context(seed, profile)))
    for k in range(n_seeds if others else 0):
        ctx = Context(seed + k, profile)
        for check in others:
            for ev in check(ctx):
                ev.name = f"{ev.name} [seed {seed + k}]"
                if ev.counterexample is not None:
                    ev.counterexample.setdefault("seed", seed + k)
                evidence.append(ev)
    return evidence


# -- command-line targets --------------------------------------------------------------


def resolve(target: str) -> list[Claim]:
    """The claims named by ``MODULE:ATTRIBUTE`` (the argument of ``mathdl falsify``).

    The attribute may be a :class:`Claim`, a :class:`~theorems.core.Theorem`, an
    object with a ``claim`` attribute (a gallery entry), a list, tuple or dict of
    those, or a zero-argument callable returning one of them.  The current
    directory is importable, so ``examples.test_my_claims:wrong_claim`` works from
    the project root.

    Raises
    ------
    ValueError
        One line naming what is wrong with the target.

    >>> [c.name for c in resolve("theorems.gallery:FALSE_CLAIMS")][:1]
    ['gallery.dropout_without_rescaling']
    """
    import importlib
    import os
    import sys

    if not isinstance(target, str) or target.count(":") != 1:
        raise ValueError(f"target: expected MODULE:ATTRIBUTE, got {target!r}")
    module_name, attribute = target.split(":")
    if not module_name or not attribute:
        raise ValueError(f"target: expected MODULE:ATTRIBUTE, got {target!r}")
    cwd = os.getcwd()
    if cwd not in sys.path:
        sys.path.insert(0, cwd)
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:  # noqa: BLE001 - any import failure is bad input
        raise ValueError(f"cannot import module {module_name!r}: {type(exc).__name__}: "
                         f"{exc}".splitlines()[0]) from None
    obj: Any = module
    for part in attribute.split("."):
        if not hasattr(obj, part):
            raise ValueError(f"module {module_name!r} has no attribute {attribute!r}")
        obj = getattr(obj, part)
    claims = _flatten(obj, target, called=False)
    if not claims:
        raise ValueError(f"{target} holds no claim")
    return claims


def _flatten(obj: Any, target: str, called: bool) -> list[Claim]:
    if isinstance(obj, Claim):
        return [obj]
    if isinstance(obj, Theorem):
        return [Claim.from_theorem(obj)]
    if isinstance(getattr(obj, "claim", None), Claim):
        return [obj.claim]
    if isinstance(obj, Mapping):
        obj = list(obj.values())
    if isinstance(obj, list | tuple):
        return [c for item in obj for c in _flatten(item, target, called)]
    if callable(obj) and not called:
        try:
            produced = obj()
        except TypeError as exc:
            raise ValueError(f"{target}: calling it without arguments failed: {exc}") from None
        return _flatten(produced, target, called=True)
    raise ValueError(f"{target}: expected a Claim, a Theorem or a list of them, got "
                     f"{type(obj).__name__}")
