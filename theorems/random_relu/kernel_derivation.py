"""The derivation of MATH 8.1 for symbolic dimension n, symbolic a, b and angle.

Five steps from ``E[phi(w.x) phi(w.y)]`` (w ~ N(0, I_n)) to the claimed closed form;
each step is a :class:`~theorems.derivation.Lemma` whose check is symbolic.  What
each check computes, and what it takes from textbooks in words, is in its
``description`` (and in ``proofs_notes/random_relu.md``):

1. rotation invariance: checked symbolically are the identity of the integrand as a
   function of the pair and the three covariances, for symbolic n (the canonical
   sum normal form collapses ``E[w_i w_j] = delta_ij``); in words: both pairs are
   centered Gaussian and a centered Gaussian law is fixed by its covariance;
2. polar coordinates: the Jacobian, the density, the rewriting of the integrand by
   positive homogeneity (phi(l z) = l phi(z), l > 0, checked by cases) are computed;
   in words: Fubini (the integrand factors) and the change of variables;
3. the radial integral (SymPy);
4. the sign sectors: the breakpoints are zeros, tile one period, are ordered for
   every t in (0, pi) (with t = pi/(1+q), q > 0), every zero in the period is a
   breakpoint, and the sign at each midpoint reduces to +-sin(t/2) or +-cos(t/2);
   in words: cos vanishes only at pi/2 + k pi, sin and cos are positive on
   (0, pi/2), and a continuous function without zeros keeps its sign;
5. the sector integrals (SymPy, symbolic limits) against the claimed form.
"""

from __future__ import annotations

import sympy
from sympy import Integral, KroneckerDelta, Max, Min, Sum, cos, exp, oo, pi, sin

from theorems.derivation import Derivation, Lemma, Step
from theorems.random_relu.symbols import (
    DOT,
    NX,
    NY,
    SX,
    SY,
    XN,
    YN,
    A,
    B,
    T,
    g,
    i,
    j,
    n,
    p,
    phi,
    q,
    r,
    reduce_polar,
    same,
    sample_point,
    t,
    w,
    x,
    y,
)
from theorems.symbolic.expectation import Expectation
from theorems.symbolic.sums import equivalent

__all__ = ["kernel_lhs", "kernel_derivation", "sector_form", "pair_form", "polar_form"]

LX = Sum(w[i] * x[i], (i, 1, n))
LY = Sum(w[i] * y[i], (i, 1, n))
C = DOT / (NX * NY)
S = sympy.sqrt(1 - C**2)
M1 = NX * g[1]
M2 = NY * (C * g[1] + S * g[2])
LO, HI = -pi / 2, 3 * pi / 2  # one period of the angular integrand
U, V = sympy.symbols("u v", real=True)


def kernel_lhs() -> sympy.Expr:
    """``E[phi(w.x) phi(w.y)]`` for w ~ N(0, I_n), x, y indexed vectors of symbolic size n."""
    return Expectation(phi(LX) * phi(LY))


def pair_form() -> sympy.Expr:
    """The same expectation over a standard Gaussian pair (g_1, g_2)."""
    return Expectation(phi(M1) * phi(M2))


def polar_form() -> sympy.Expr:
    """(1/2pi) int_0^oo r^3 e^{-r^2/2} dr * |x||y| int over one period."""
    radial = Integral(r**3 * exp(-(r**2) / 2), (r, 0, oo))
    angular = Integral(phi(cos(p)) * phi(cos(p - T)), (p, LO, HI))
    return radial * NX * NY * angular / (2 * pi)


def _sector(lo: sympy.Expr, hi: sympy.Expr) -> sympy.Expr:
    return Integral(cos(p) * cos(p - T), (p, lo, hi))


SECTORS = ((LO, T - pi / 2), (T - pi / 2, pi / 2), (pi / 2, T + pi / 2), (T + pi / 2, HI))


def sector_form() -> sympy.Expr:
    """|x||y|/pi times the sum over the four sign sectors with their coefficients."""
    coeffs = (A * B, B**2, A * B, A**2)
    return NX * NY / pi * sum((c * _sector(lo, hi) for c, (lo, hi) in
                               zip(coeffs, SECTORS, strict=True)), sympy.S.Zero)


def _covariance_n(left: sympy.Expr, right: sympy.Expr) -> sympy.Expr:
    """E[(sum_i w_i c_i)(sum_j w_j d_j)] with E[w_i w_j] = delta_ij, for symbolic n."""
    c_i = left.function.subs(w[i], 1)
    d_j = right.function.subs(w[i], 1).subs(i, j)
    return Sum(Sum(c_i * d_j * KroneckerDelta(i, j), (j, 1, n)), (i, 1, n))


def _covariance_2(left: sympy.Expr, right: sympy.Expr) -> sympy.Expr:
    return sum((sympy.diff(left, g[k_]) * sympy.diff(right, g[k_]) for k_ in (1, 2)),
               sympy.S.Zero)


def _check_rotation(before, after, relation):
    if relation != "=":
        return False, "an equality of expectations"
    if before.func is not Expectation or after.func is not Expectation:
        return False, "both sides must be expectations"
    same_f = sympy.expand(before.args[0].xreplace({LX: U, LY: V})
                          - after.args[0].xreplace({M1: U, M2: V})) == 0
    if not same_f:
        return False, "the integrands are not the same function of the pair"
    pairs = (((LX, LX), (M1, M1)), ((LX, LY), (M1, M2)), ((LY, LY), (M2, M2)))
    for (l1, l2), (m1, m2) in pairs:
        lhs = _covariance_n(l1, l2)
        rhs = sympy.simplify(_covariance_2(m1, m2))
        # rhs is SX, DOT or SY; the delta sum is collapsed by the canonical form
        if not equivalent(lhs, rhs):
            return False, f"covariance mismatch: {lhs} vs {rhs}"
    return True, ("same integrand; covariances SX, DOT, SY agree for symbolic n "
                  "(checked); Gaussian laws equal by their covariance (in words)")


def _homogeneous(expr: sympy.Expr) -> sympy.Expr:
    """Pull positive factors out of Max(., 0) and Min(., 0): phi(l z) = l phi(z), l > 0."""
    def pull(e):
        if len(e.args) != 2 or sympy.S.Zero not in e.args:
            return e
        z = sympy.factor_terms(next(a_ for a_ in e.args if a_ != 0))
        pos, rest = sympy.S.One, sympy.S.One
        for f in sympy.Mul.make_args(z):
            if f.is_positive:
                pos *= f
            else:
                rest *= f
        return pos * e.func(rest, 0)
    return expr.replace(lambda e: isinstance(e, (Max, Min)), pull)


def _check_polar(before, after, relation):
    u = sympy.Symbol("u", positive=True)
    lam = sympy.Symbol("lambda", positive=True)
    for z in (u, -u):  # positive homogeneity of phi, both signs of the argument
        if sympy.simplify(phi(lam * z) - lam * phi(z)) != 0:
            return False, "phi is not positively homogeneous"
    g1, g2 = r * cos(p), r * sin(p)
    jac = sympy.simplify(sympy.Matrix([g1, g2]).jacobian([r, p]).det())
    density = exp(-(g1**2 + g2**2) / 2) / (2 * pi)
    body = reduce_polar(before.args[0]).xreplace({g[1]: g1, g[2]: g2})
    computed = _homogeneous(sympy.simplify(density) * jac * body)
    integrals = sorted(after.atoms(Integral), key=lambda e: str(e.limits))
    limits = sorted(str(e.limits) for e in integrals)
    by_var = {e.limits[0][0]: e.limits[0] for e in integrals}
    if len(integrals) != 2 or set(by_var) != {p, r} or by_var[r][1:] != (0, oo) \
            or sympy.simplify(reduce_polar(by_var[p][2] - by_var[p][1]) - 2 * pi) != 0:
        return False, f"expected r over (0, oo) and p over one period, got {limits}"
    claimed = reduce_polar(after.xreplace({e: e.function for e in integrals}))
    if not same(_homogeneous(sympy.expand_trig(computed)),
                _homogeneous(sympy.expand_trig(claimed))):
        return False, "the polar integrand differs from the claimed product"
    return True, (f"Jacobian {jac}, density e^(-r^2/2)/(2 pi), phi(l z) = l phi(z) (cases), "
                  "cos(p - t) expanded: integrands agree (checked); Fubini, change of "
                  "variables and periodicity in words")


def _check_by(fn):
    """A check: ``fn(before)`` equals ``after`` in the reduced variables X, Y, t."""
    def check(before, after, relation):
        if relation != "=":
            return False, "an equality"
        lhs, rhs = reduce_polar(fn(before)), reduce_polar(after)
        if same(lhs, rhs):
            return True, "equal in X, Y, t (symbolic a, b)"
        at = sample_point()
        lv = sympy.N(lhs.subs(at), 15)
        rv = sympy.N(rhs.subs(at), 15)
        return False, (f"differ: at a=-1/3, b=1, t=1, |x|=2, |y|=1/2 the left side is {lv} "
                       f"and the claimed side {rv}")
    return check


def _radial(expr: sympy.Expr) -> sympy.Expr:
    return expr.replace(lambda e: isinstance(e, Integral) and e.limits[0][0] == r,
                        lambda e: e.doit())


def _check_sectors(before, after, relation):
    (angular,) = [e for e in reduce_polar(before).atoms(Integral) if e.limits[0][0] == p]
    _, lo, hi = angular.limits[0]
    cuts = [lo] + [reduce_polar(h) for _, h in SECTORS]
    if sympy.simplify(cuts[-1] - hi) != 0:
        return False, "the sectors do not end at the end of the period"
    at_q = {t: pi / (1 + q)}  # every t in (0, pi), q > 0
    for c0, c1 in zip(cuts[:-1], cuts[1:], strict=True):
        if not sympy.simplify((c1 - c0).subs(at_q)).is_positive:
            return False, f"sector ({c0}, {c1}) is not ordered for every t in (0, pi)"
    for c in cuts[1:-1]:
        if cos(c) != 0 and cos(c - t) != 0:
            return False, f"breakpoint {c} is not a zero of cos p or cos(p - t)"
    # zeros of cos(p - t) at t + pi/2 + k pi: k = -2 and k = 1 fall outside the period
    if not (sympy.simplify((lo - (t - 3 * pi / 2)).subs(at_q)).is_positive
            and sympy.simplify((t + 3 * pi / 2 - hi).subs(at_q)).is_positive):
        return False, "a zero of cos(p - t) lies inside a sector"
    half = {sin(t / 2): 1, cos(t / 2): 1, -sin(t / 2): -1, -cos(t / 2): -1}
    expected = reduce_polar(after)
    total = sympy.S.Zero
    for c0, c1 in zip(cuts[:-1], cuts[1:], strict=True):
        mid = sympy.simplify((c0 + c1) / 2)
        s1, s2 = half.get(sympy.simplify(cos(mid))), half.get(sympy.simplify(cos(mid - t)))
        if s1 is None or s2 is None:
            return False, f"sign at midpoint {mid} not reduced to +-sin(t/2), +-cos(t/2)"
        coeff = (B if s1 > 0 else A) * (B if s2 > 0 else A)
        total += coeff * Integral(cos(p) * cos(p - t), (p, c0, c1))
    computed = reduce_polar(before).xreplace({angular: total})
    if not same(computed.doit(), expected.doit()):
        return False, "the sector coefficients differ from the claimed ones"
    return True, ("breakpoints are zeros, ordered for t = pi/(1+q), q > 0, tile the period; "
                  "midpoint signs reduce to +-sin(t/2), +-cos(t/2) (checked); positivity of "
                  "sin, cos on (0, pi/2) and constancy of sign between zeros in words")


ROTATION = Lemma("rotation invariance (n -> 2)", _check_rotation,
                 "(w.x, w.y) and (|x| g1, |y|(c g1 + s g2)) have the same covariance, for "
                 "symbolic n (checked); equal centered Gaussian laws (in words)",
                 constrained=True)
POLAR = Lemma("polar coordinates, positive homogeneity", _check_polar,
              "g = r(cos p, sin p): Jacobian r, phi(l z) = l phi(z) for l > 0 (checked)",
              constrained=True)
RADIAL = Lemma("radial integral", _check_by(_radial),
               "int_0^oo r^3 exp(-r^2/2) dr = 2 (SymPy)", constrained=True)
SIGNS = Lemma("sign sectors", _check_sectors,
              "phi(cos p) phi(cos(p - t)) is a fixed product of branches on each of four "
              "sectors (breakpoints, order, signs checked)", constrained=True)
EVALUATE = Lemma("sector integrals", _check_by(lambda e: e.doit()),
                 "int cos p cos(p - t) dp over each sector, symbolic t (SymPy), against the "
                 "claimed closed form", constrained=True)


def kernel_derivation(claimed_rhs: sympy.Expr) -> Derivation:
    """E[phi(w.x) phi(w.y)] = claimed_rhs, for symbolic n, a, b and 0 < theta < pi."""
    return Derivation(
        "arc-cosine kernel of phi_ab, symbolic n, a, b, theta",
        kernel_lhs(),
        [Step(pair_form(), ROTATION, note="reduce to a standard Gaussian pair"),
         Step(polar_form(), POLAR, note="polar coordinates; phi(r c) = r phi(c)"),
         Step(_radial(polar_form()), RADIAL,
              note="the radial integral is 2"),
         Step(sector_form(), SIGNS, note="split the period at the zeros of the factors"),
         Step(claimed_rhs, EVALUATE, note="integrate over the sectors")],
        general=True,
    )


_ = (SX, SY, XN, YN)
