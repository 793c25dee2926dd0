"""Symbols and tolerances of the induced regularizer and the global optimum (MATH 3, 4)."""

from __future__ import annotations

import sympy
from sympy import IndexedBase, Sum, symbols

__all__ = ["D", "LAMBDA", "KAPPA", "S_RHO", "RHO", "NUCLEAR", "TRUE_CONSTANT", "TRUE_KAPPA",
           "TRUE_THRESHOLD", "SIZES", "ROUNDOFF", "SCS_VALUE_TOL", "STRICT_GAP",
           "LANDSCAPE_TOL", "AT_OPTIMUM", "EQUALIZED_TOL", "SGD_TOL"]

m, n, r, D = symbols("m n r d", integer=True, positive=True)  # sizes; r = rank(M), D = width
a, b, c, e, k, l, i, j = symbols("a b c e k l i j", integer=True, positive=True)  # noqa: E741
A, B, Mx = IndexedBase("A", real=True), IndexedBase("B", real=True), IndexedBase("M", real=True)
U, V, Q = IndexedBase("U", real=True), IndexedBase("V", real=True), IndexedBase("Q", real=True)
s = IndexedBase("s", positive=True)  # nonzero singular values of M

LAMBDA = sympy.Symbol("lambda", nonnegative=True)  # (1 - theta)/theta
KAPPA = sympy.Symbol("kappa", nonnegative=True)
S_RHO = sympy.Symbol("S_rho", nonnegative=True)  # sigma_1 + ... + sigma_rho
RHO = sympy.Symbol("rho", integer=True, positive=True)

NUCLEAR = Sum(s[k], (k, 1, r))  # ||M||_*
TRUE_CONSTANT = 1 / D
TRUE_KAPPA = LAMBDA / D
TRUE_THRESHOLD = KAPPA * S_RHO / (1 + KAPPA * RHO)
SIZES = {m: 2, n: 2, r: 2, D: 3}  # small sizes for the concrete counterexample search

ROUNDOFF = 1e-10  # float64 closed forms and factorizations: relative error, far above round-off
SCS_VALUE_TOL = 1e-5  # SCS eps is 1e-7 on residuals and gap; objective values agree to ~1e-7
STRICT_GAP = 1e-3  # width-binding instances are drawn with a closed-form gap above this
LANDSCAPE_TOL = 1e-6  # relative gap at which a descent run counts as "at the global value"
AT_OPTIMUM = 1e-9  # runs this close are compared for equalization
EQUALIZED_TOL = 1e-3  # equalization error is first order in the distance to the optimal set,
#                       the value gap second order: gap 1e-9 -> deviation ~ 3e-5 / curvature
SGD_TOL = 1e-2  # SGD with steps decaying to lr/(1 + decay T) leaves an excess of order
#                 step x gradient variance; measured medians are ~5e-4, so 1e-2 is 20x margin
