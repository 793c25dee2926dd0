"""What the factorization theorems share: SymPy symbols, sizes, tolerances, scoped evidence."""

from __future__ import annotations

from collections.abc import Callable

import sympy
from sympy import IndexedBase, Rational, symbols

from theorems.core import Context, Evidence
from theorems.derivation import Derivation, run_derivation

__all__ = ["LAM", "SMALL", "AT", "ROUNDOFF", "SCS_REL", "DESCENT_REL", "scoped",
           "derivation_evidence"]

LAM = sympy.Symbol("lambda", positive=True)
m, n, r = symbols("m n r", integer=True, positive=True)
a, b, i = symbols("a b i", integer=True, positive=True)
t = sympy.Symbol("t", real=True)
A, B = IndexedBase("A", real=True), IndexedBase("B", real=True)
S = IndexedBase("s", positive=True)  # singular values
P, Q = IndexedBase("p", nonnegative=True), IndexedBase("q", nonnegative=True)  # column norms
U, V, Y, M = (IndexedBase(name, real=True) for name in ("U", "V", "Y", "M"))
x, y = IndexedBase("x", real=True), IndexedBase("y", real=True)

SMALL = {m: 2, n: 2, r: 2}  # sizes of the concrete counterexample search
AT = {LAM: Rational(1, 3), t: Rational(1, 2)}
ROUNDOFF = 1e-12  # float64 identities on matrices of side <= 16: error ~1e-14, 100x margin
SCS_REL = 1e-5  # SCS at eps 1e-7: objective agrees to ~1e-6 relative; 10x margin
DESCENT_REL = 1e-8  # descent stops at the round-off floor (values to ~1e-14 relative)


def scoped(ev: Evidence, scope: str) -> Evidence:
    """A valid general derivation that covers only part of the statement: never 'proved'.

    (An audit built a false certificate threshold, 1.01 lam, that came out proved
    because the zero-gap derivation does not involve the threshold at all.)
    """
    ev.general = False
    ev.details["scope"] = scope
    return ev


def derivation_evidence(ctx: Context, build: Callable[[], Derivation], label: str,
                        scope: str) -> Evidence:
    """Run the derivation ``build()`` under ``label`` and mark its partial ``scope``."""
    return scoped(run_derivation(build(), label, seed=ctx.seed), scope)
