"""Symbols, tolerances and evidence helpers shared by the dropout identities (MATH 1-2)."""

from __future__ import annotations

from collections.abc import Callable

import sympy
from sympy import IndexedBase, Matrix, Rational, symbols

from theorems.core import Context, Evidence
from theorems.derivation import EXPAND, Step, Transform
from theorems.symbolic.expectation import bernoulli_moments, linearity

__all__ = ["THETA", "P", "LAMBDA", "Z_SCORE", "ROUNDOFF", "SMALL", "AT", "lam",
           "symbolic_matrix", "fixed_size_evidence", "generated_steps", "check_rate"]

THETA = sympy.Symbol("theta", positive=True)  # keep probability of a hidden unit
P = sympy.Symbol("p", positive=True)  # keep probability of an input (and of width 1)
m, n, d, N, k = symbols("m n d N k", integer=True, positive=True)
a, b, i, j, t = symbols("a b i j t", integer=True, positive=True)
X, U, V, r = IndexedBase("X"), IndexedBase("U"), IndexedBase("V"), IndexedBase("r")
y, w, R, Y, H = (IndexedBase("y"), IndexedBase("w"), IndexedBase("R"), IndexedBase("Y"),
                 IndexedBase("H"))

LAMBDA = (1 - THETA) / THETA
Z_SCORE = 5.0  # Monte Carlo checks: |mean - claim| <= 5 standard errors (two-sided p ~ 6e-7)
ROUNDOFF = 1e-10  # exact float64 checks: relative error, far above accumulated round-off
SMALL = 2  # size given to every size symbol in the concrete counterexample search
AT = {THETA: Rational(1, 3), P: Rational(1, 3)}  # exact rate used in that search


def check_rate(name: str, expr: object, allowed: set) -> sympy.Expr:
    """``expr`` as a SymPy expression whose free symbols are among ``allowed``.

    >>> check_rate("coefficient", 1 - THETA, {THETA})
    1 - theta
    """
    try:
        value = sympy.sympify(expr)
    except (sympy.SympifyError, TypeError) as exc:
        raise ValueError(f"{name}: expected a SymPy expression, got {expr!r}") from exc
    extra = value.free_symbols - set(allowed)
    if extra:
        raise ValueError(f"{name}: expected an expression in {sorted(map(str, allowed))}, "
                         f"found {sorted(map(str, extra))}")
    return value


def lam(expr: sympy.Expr) -> Callable[[float], float]:
    """A float function of theta (or p) from a SymPy expression.

    >>> lam(1 / THETA)(0.5)
    2.0
    """
    fn = sympy.lambdify([THETA, P], expr, "math")
    return lambda value: float(fn(value, value))


def symbolic_matrix(name: str, rows: int, cols: int) -> Matrix:
    """A rows x cols matrix of distinct symbols name_pq."""
    return Matrix(rows, cols, lambda p_, q_: sympy.Symbol(f"{name}_{p_ + 1}{q_ + 1}"))


def fixed_size_evidence(name: str, cases: list[tuple[dict, sympy.Expr, sympy.Expr]],
                        ctx: Context) -> Evidence:
    """Exact polynomial identity at fixed sizes; a nonzero difference is evaluated at
    seeded small integers and theta = 1/3 to give a concrete counterexample."""
    rng = ctx.rng(name)
    scope = {"sizes": [c[0] for c in cases], "scope": "fixed sizes, every entry a symbol"}
    for sizes, lhs, rhs in cases:
        diff = sympy.expand(lhs - rhs)
        if diff == 0:
            continue
        values = {s: sympy.Integer(int(rng.integers(-3, 4))) for s in diff.free_symbols
                  if s not in (THETA, P)}
        values.update({THETA: Rational(1, 3), P: Rational(1, 3)})
        residue = sympy.nsimplify(diff.xreplace(values))
        cex = {"sizes": sizes, "theta": "1/3", "difference": str(residue),
               "entries": {str(s): int(v) for s, v in values.items() if s not in AT}}
        if residue == 0:  # a nonzero polynomial that vanished at the drawn point
            return Evidence.inconclusive(
                "symbolic", name, "the difference is a nonzero polynomial that vanishes at "
                "the drawn integer point, so no concrete counterexample was found", **scope)
        return Evidence("symbolic", name, False, instances=len(cases), details=scope,
                        counterexample=cex)
    return Evidence("symbolic", name, True, measured=0.0, tolerance=0.0, instances=len(cases),
                    details=scope)


def generated_steps(start: sympy.Expr, random: dict, claim: sympy.Expr) -> list[Step]:
    """Steps produced by the rules themselves, then the claim.

    The intermediate expressions are what linearity and the Bernoulli moments
    give (so those steps display the computation); the last step, the claim,
    is where a wrong statement fails.
    """
    lin = Transform("linearity of expectation", lambda e: linearity(e, set(random)),
                    "E is linear; everything but the masks is deterministic")
    mom = Transform("Bernoulli moments", lambda e: bernoulli_moments(e, random),
                    "moment-cumulant formula for independent Bernoulli masks")
    after_lin = lin.apply(start)
    after_mom = mom.apply(after_lin)
    return [Step(after_lin, lin), Step(after_mom, mom),
            Step(claim, EXPAND, note="collapse deltas, recognize the claimed form")]
