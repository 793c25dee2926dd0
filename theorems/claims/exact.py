"""Deciding a relation beyond round-off: float64 margins, exact arithmetic, 50-digit mpmath.

A float64 evaluation only proposes: a violation is a counterexample when its
relative margin reaches :data:`~theorems.claims.outcome.CONFIDENT`, or when
exact rational arithmetic (:func:`exact_violated`) or a 50-digit mpmath
evaluation (:func:`mp_violated`) confirms it.
"""

from __future__ import annotations

import fractions
import numbers
from typing import Any

import numpy as np
import sympy

from theorems.claims.outcome import CONFIDENT, DIGITS, MP_CONFIDENT, BadClaim

__all__ = ["float_gap", "float_verdict", "is_exact", "exact_violated", "mp_violated",
           "exact_gap", "not_finite", "is_constant"]


def float_gap(lhs: np.ndarray, rhs: np.ndarray, relation: str, floor: float) -> float:
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


def float_verdict(gap: float, relation: str, rtol: float) -> str:
    """'holds', 'counterexample' (beyond round-off) or 'borderline' for a float64 gap."""
    strict = relation in ("<", ">")
    if gap >= CONFIDENT:
        return "counterexample"
    if (strict and gap >= -rtol) or (not strict and gap > rtol):
        return "borderline"
    return "holds"


def is_exact(value: Any) -> bool:
    """True for exact numbers: Python and SymPy rationals, SymPy numbers without floats."""
    if isinstance(value, bool | np.bool_):
        return False
    if isinstance(value, numbers.Rational | fractions.Fraction):
        return True
    if isinstance(value, sympy.MatrixBase):
        return all(is_exact(v) for v in value)
    if isinstance(value, sympy.Basic):
        return value.is_number and not value.has(sympy.Float)
    if isinstance(value, list | tuple):
        return all(is_exact(v) for v in value)
    return False


def exact_violated(lhs: Any, rhs: Any, relation: str) -> bool | None:
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


def mp_violated(lhs: Any, rhs: Any, relation: str, floor: float, name: str) -> bool | None:
    """Decide the relation between mpmath values (call under ``mpmath.workdps(DIGITS)``).

    True when violated by more than :data:`MP_CONFIDENT` relative, False when it holds,
    None when undecided.
    """
    import mpmath

    lv = [mpmath.mpf(v) for v in np.ravel(np.asarray(lhs, dtype=object))]
    rv = [mpmath.mpf(v) for v in np.ravel(np.asarray(rhs, dtype=object))]
    if len(lv) != len(rv):
        raise BadClaim(f"claim {name!r}: precise returned sides of different sizes")
    scale = max([abs(v) for v in lv + rv] + [mpmath.mpf(floor)])
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


def not_finite(value: Any) -> bool:
    """True when an exact value (or an entry of a matrix) is infinite, undefined or not real."""
    items = list(value) if isinstance(value, sympy.MatrixBase) else [value]
    for v in items:
        v = sympy.sympify(v)
        if v.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan) or v.is_real is False:
            return True
    return False


def exact_gap(lhs: Any, rhs: Any, relation: str, floor: float) -> float:
    """:func:`float_gap` of exact values (the gap reported with an exact counterexample)."""
    def arr(v):
        if isinstance(v, sympy.MatrixBase):
            return np.array([float(x) for x in v], dtype=float)
        return np.asarray(float(v))
    return float_gap(arr(lhs), arr(rhs), relation, floor)


def is_constant(value: Any) -> bool:
    """True for a finite real number or array (a constant side of a numeric claim)."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return bool(np.all(np.isfinite(arr)))
