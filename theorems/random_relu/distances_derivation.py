"""MATH 8.3 from MATH 8.1 for symbolic m and n: four steps, each a checked lemma.

1. rows: W_k = sqrt(v/m) w with w ~ N(0, I_n) for every row k (in words: the rows are
   identically distributed, and E is linear); checked: the summand with
   W_ki -> sqrt(v/m) w_i, positive homogeneity of relu, and the m equal terms;
2. expand the square, linearity of E (checked by expansion);
3. the diagonal E relu(w.x)^2 = |x|^2/2 (checked: relu(u)^2 + relu(-u)^2 = u^2 by cases,
   E (w.x)^2 = sum x_i^2 for symbolic n; in words: w and -w have the same law) and the
   cross term by ``random_relu.kernel`` at (a, b) = (0, 1): its derivation is re-run and
   must be valid (so the hypothesis 0 < theta < pi is inherited);
4. algebra: |x - y|^2 = |x|^2 + |y|^2 - 2 x.y and x.y = |x||y| cos theta (checked).
"""

from __future__ import annotations

import functools

import sympy
from sympy import Indexed, KroneckerDelta, Max, Sum, pi, sqrt

from theorems.derivation import Derivation, Lemma, Step
from theorems.random_relu.kernel_derivation import _homogeneous, kernel_lhs
from theorems.random_relu.symbols import (
    DOT,
    NX,
    NY,
    SX,
    SY,
    A,
    B,
    T,
    W,
    i,
    j,
    m,
    n,
    reduce_polar,
    same,
    w,
    x,
    y,
)
from theorems.symbolic.expectation import Expectation
from theorems.symbolic.sums import equivalent

__all__ = ["distance_derivation"]

LX = Sum(w[i] * x[i], (i, 1, n))
LY = Sum(w[i] * y[i], (i, 1, n))
RX, RY = Max(LX, 0), Max(LY, 0)


def _kernel_rhs_relu() -> sympy.Expr:
    return (NX * NY * sympy.sin(T) + (pi - T) * DOT) / (2 * pi)


@functools.lru_cache(maxsize=1)
def _kernel_valid() -> bool:
    from theorems.random_relu.kernel import KernelClaim, derived_evidence

    # the same (cached) run as the kernel theorem's own derivation check
    return derived_evidence(KernelClaim(), 0).passed is True


def _split_sums(expr: sympy.Expr) -> sympy.Expr:
    """Sum(f1 + c f2, (i, 1, n)) -> Sum(f1) + c Sum(f2): linearity of finite sums."""
    def split(s):
        if len(s.limits) != 1:
            return s
        var = s.limits[0][0]
        out = sympy.S.Zero
        for term in sympy.Add.make_args(sympy.expand(s.function)):
            coeff, rest = term.as_independent(var)
            out += coeff * Sum(rest, s.limits[0])
        return out
    return expr.replace(lambda e: isinstance(e, Sum), split)


def _rows_check(variance):
    def check(before, after, relation):
        (summand_sum,) = before.args
        (_, lo, hi), = summand_sum.limits
        count = hi - lo + 1
        body = summand_sum.function.replace(
            lambda e: isinstance(e, Indexed) and e.base == W,
            lambda e: sqrt(variance) * w[e.indices[1]] / sqrt(m))
        computed = sympy.expand(count * _homogeneous(body))
        claimed = sympy.expand(after.args[0])
        if sympy.simplify(computed - claimed) != 0:
            return False, f"m equal rows give {computed}, not {claimed}"
        return True, ("W_k = sqrt(v/m) w, relu(c z) = c relu(z) for c > 0, m equal terms "
                      "(checked); identical row laws and linearity of E (in words)")
    return check


def _expand_check(before, after, relation):
    (arg,) = before.args
    pushed = sympy.S.Zero
    for term in sympy.Add.make_args(sympy.expand(arg)):
        coeff, rest = term.as_independent(w)
        pushed += coeff * Expectation(rest)
    if sympy.expand(pushed - after) != 0:
        return False, f"linearity gives {pushed}"
    return True, "square expanded, E pushed through the sum (checked)"


def _diagonal_and_kernel(before, after, relation):
    u = sympy.Symbol("u", positive=True)
    if any(sympy.simplify(Max(z, 0) ** 2 + Max(-z, 0) ** 2 - z**2) != 0 for z in (u, -u)):
        return False, "relu(u)^2 + relu(-u)^2 != u^2"
    for lin, square in ((LX, SX), (LY, SY)):
        cov = Sum(Sum(lin.function.subs(w[i], 1) * lin.function.subs(w[i], 1).subs(i, j)
                      * KroneckerDelta(i, j), (j, 1, n)), (i, 1, n))
        if not equivalent(cov, square):
            return False, "E (w.x)^2 is not sum x_i^2"
    relu_case = kernel_lhs().subs({A: 0, B: 1})
    if relu_case != Expectation(RX * RY) or not _kernel_valid():
        return False, "random_relu.kernel at (a, b) = (0, 1) does not give this expectation"
    computed = before.xreplace({Expectation(RX**2): SX / 2, Expectation(RY**2): SY / 2,
                                Expectation(RX * RY): _kernel_rhs_relu()})
    if not same(reduce_polar(computed), reduce_polar(after)):
        return False, "the substituted expectations differ from the claimed expression"
    return True, ("E relu(w.x)^2 = |x|^2/2 (cases + covariance, checked; symmetry of w in "
                  "words); E relu relu from the re-run, valid kernel derivation")


def _algebra_check(before, after, relation):
    lhs, rhs = reduce_polar(_split_sums(before)), reduce_polar(_split_sums(after))
    if same(lhs, rhs):
        return True, "equal in |x|, |y|, theta"
    at = {sympy.Symbol("X", positive=True): 2, sympy.Symbol("Y", positive=True): 1,
          sympy.Symbol("t", positive=True): 1}
    return False, (f"differ: at |x| = 2, |y| = 1, theta = 1 the left side is "
                   f"{sympy.N(lhs.subs(at), 12)}, the claimed side {sympy.N(rhs.subs(at), 12)}")


def distance_derivation(claimed_rhs: sympy.Expr, lhs: sympy.Expr,
                        variance: sympy.Expr = 1) -> Derivation:
    """E ||relu(Wx) - relu(Wy)||^2 = claimed_rhs for W ~ N(0, variance/m), symbolic m, n."""
    rows = Lemma("identical rows, scaling", _rows_check(sympy.sympify(variance)),
                 "W_k = sqrt(v/m) w; relu positively homogeneous; m equal terms",
                 constrained=True)
    expand = Lemma("expand the square, linearity", _expand_check,
                   "E[(a - b)^2] = E a^2 + E b^2 - 2 E ab", constrained=True)
    kernel = Lemma("diagonal and random_relu.kernel", _diagonal_and_kernel,
                   "E relu(w.x)^2 = |x|^2/2; E relu(w.x) relu(w.y) = |x||y| J_1/(2 pi)",
                   constrained=True)
    algebra = Lemma("algebra", _algebra_check, "|x - y|^2 = |x|^2 + |y|^2 - 2 x.y",
                    constrained=True)
    step1 = Expectation((RX - RY) ** 2)
    step2 = Expectation(RX**2) + Expectation(RY**2) - 2 * Expectation(RX * RY)
    step3 = SX / 2 + SY / 2 - 2 * _kernel_rhs_relu()
    return Derivation(
        "distances after a random ReLU layer, symbolic m, n",
        lhs,
        [Step(step1, rows), Step(step2, expand), Step(step3, kernel),
         Step(claimed_rhs, algebra)],
        general=True,
    )
