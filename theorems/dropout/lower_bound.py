"""The lower bound of MATH 3: c ||M||_*^2 <= sum_i ||u_i||^2 ||v_i||^2 for every U V^T = M.

A :class:`~theorems.derivation.Derivation` for symbolic sizes m, n, r = rank(M), d:
the variational form of the nuclear norm (SVD with orthonormal singular vectors,
then Cauchy-Schwarz in R^r, then Bessel's inequality), then Cauchy-Schwarz in R^d.
Every inequality is a lemma whose check (i) matches the step to the lemma's
pattern, (ii) checks the lemma's own certificate symbolically (the Lagrange
identity, the Bessel identity modulo A^T A = I) for symbolic sizes, and that the
side it bounds is manifestly non-decreasing in the bounded factor, and (iii)
evaluates both sides on a concrete instance (:func:`theorems.symbolic.lemmas.confirmed_lemma`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import sympy
from sympy import Indexed, IndexedBase, Mul, Pow, Rational, Sum

from numerics.instances import haar_orthogonal
from theorems.derivation import EXPAND, Derivation, Lemma, Step, Transform
from theorems.dropout.spectral import (
    NUCLEAR,
    SIZES,
    TRUE_CONSTANT,
    A,
    B,
    D,
    Mx,
    U,
    V,
    a,
    b,
    i,
    j,
    k,
    l,
    m,
    n,
    r,
    s,
)
from theorems.symbolic.lemmas import (
    CheckFn,
    bessel_certificate,
    confirmed_lemma,
    equal_mod,
    lagrange_certificate,
    nondecreasing_in,
    orthonormal,
    root,
    under_square,
)
from theorems.symbolic.sums import canonical

__all__ = ["lower_bound_derivation", "bessel_check", "bessel_lemma", "WHERE"]


# -- a concrete instance on which every inequality step is also evaluated ---------------


def _concrete_instance() -> dict[Any, Any]:
    """m = 3, n = 4, r = 2, d = 3: M = A diag(s) B^T and a factorization U V^T = M whose
    columns leave range(A) (so Bessel's inequality is strict, not an identity)."""
    rng = np.random.default_rng(20180710)
    mm, nn, rr, dd = 3, 4, 2, 3
    Am, Bm = haar_orthogonal(mm, rng, rr), haar_orthogonal(nn, rng, rr)
    sv = np.array([2.0, 0.7])
    C = rng.standard_normal((rr, dd))
    Dm = (np.linalg.pinv(C) @ np.diag(sv)).T  # C D^T = diag(s)
    Um, Vm = Am @ C, Bm @ Dm
    z = np.linalg.svd(Vm)[2][-1]  # V z = 0 (V has rank r < d)
    Um = Um + np.outer(rng.standard_normal(mm), z)  # leaves U V^T unchanged
    return {"sizes": {m: mm, n: nn, r: rr, D: dd},
            "arrays": {"A": Am, "B": Bm, "s": sv, "U": Um, "V": Vm,
                       "M": (Am * sv) @ Bm.T}}


_INSTANCE: dict[Any, Any] | None = None


def _evaluate(expr: sympy.Expr) -> float:
    global _INSTANCE
    if _INSTANCE is None:
        _INSTANCE = _concrete_instance()
    arrays = _INSTANCE["arrays"]
    out = expr.subs(_INSTANCE["sizes"]).doit()

    def value(ix: Indexed) -> sympy.Float:
        idx = tuple(int(t) - 1 for t in ix.indices)
        return sympy.Float(float(arrays[str(ix.base.label)][idx]))

    out = out.replace(lambda t: isinstance(t, Indexed), value)
    return float(sympy.N(out))


WHERE = "at m=3, n=4, r=2, d=3 (a factorization leaving range(A))"


def _lemma(name: str, description: str, check: CheckFn) -> Lemma:
    """A symbolic lemma whose steps are also evaluated on the concrete instance."""
    return confirmed_lemma(name, description, check, _evaluate, WHERE)


# -- the lower bound: variational form, then Cauchy-Schwarz --------------------------------


def _svd_lemma() -> Lemma:
    def check(before, after, relation):
        if relation != "=":
            return False, "the SVD lemma states an equality"
        svd = lambda ex: ex.replace(  # noqa: E731 - M = A diag(s) B^T
            lambda t: isinstance(t, Indexed) and t.base == Mx,
            lambda t: Sum(s[l] * A[t.indices[0], l] * B[t.indices[1], l], (l, 1, r)))
        return equal_mod(before, after, [svd, lambda ex: orthonormal(ex, A, 0, m),
                                          lambda ex: orthonormal(ex, B, 0, n)])

    return _lemma("variational form (1/4): SVD", "M = A diag(s) B^T with A^T A = B^T B = I_r, "
                  "so ||M||_* = sum_k s_k = sum_k a_k^T M b_k", check)


def _factorization_transform() -> Transform:
    def apply(ex):
        return ex.replace(lambda t: isinstance(t, Indexed) and t.base == Mx,
                          lambda t: Sum(U[t.indices[0], j] * V[t.indices[1], j], (j, 1, D)))

    return Transform("variational form (2/4): M = U V^T", apply,
                     "substitute the factorization M = sum_i u_i v_i^T")


def _cauchy_schwarz_termwise() -> Lemma:
    """sum_i sum_k p_ki q_ki <= sum_i sqrt(sum_k p_ki^2) sqrt(sum_k q_ki^2), and in fact
    |sum_i sum_k p q| <= the right side."""

    def check(before, after, relation):
        if relation != "<=":
            return False, f"Cauchy-Schwarz gives '<=', not {relation!r}"
        if not (isinstance(after, Sum) and len(after.limits) == 1):
            return False, "right side is not a single sum over the units"
        unit = after.limits[0]
        roots = Mul.make_args(after.function)
        if len(roots) != 2 or not all(isinstance(t, Pow) and t.exp == Rational(1, 2)
                                      for t in roots):
            return False, "right side is not sum_i sqrt(.) sqrt(.)"
        inner = [t.base for t in roots]
        if not all(isinstance(t, Sum) and len(t.limits) == 1 and isinstance(t.function, Pow)
                   and t.function.exp == 2 for t in inner):
            return False, "the square roots are not of sums of squares"
        (kv, klo, khi), (kv2, klo2, khi2) = inner[0].limits[0], inner[1].limits[0]
        if (klo, khi) != (klo2, khi2):
            return False, "the two sums of squares run over different ranges"
        p = inner[0].function.base
        q = inner[1].function.base.xreplace({kv2: kv})
        pattern = Sum(Sum(p * q, (kv, klo, khi)), unit)
        same = canonical(before) == canonical(pattern)
        if not same:
            return False, f"left side is not sum_i sum_k p q with p = {p}, q = {q}"
        ok, detail = lagrange_certificate(khi)
        return ok, "matched sum_i sum_k p_ki q_ki; termwise " + detail

    return _lemma("variational form (3/4): Cauchy-Schwarz in R^r",
                  "|sum_k p_k q_k| <= ||p|| ||q|| for each unit i", check)


def bessel_check(basis: IndexedBase, factor: IndexedBase, row: sympy.Symbol,
                  rows: sympy.Expr) -> Callable[[sympy.Expr, sympy.Expr, str],
                                                tuple[bool | None, str]]:
    """The symbolic part of the Bessel lemma: ``before <= after`` where ``after`` is
    ``before`` with ||basis^T factor_i|| raised to ||factor_i||."""
    old = sympy.sqrt(Sum(Sum(basis[row, k] * factor[row, i], (row, 1, rows)) ** 2, (k, 1, r)))
    new = sympy.sqrt(Sum(factor[row, i] ** 2, (row, 1, rows)))

    def check(before, after, relation):
        if relation != "<=":
            return False, f"Bessel's inequality gives '<=', not {relation!r}"
        if not before.has(old):
            return False, f"left side has no factor {old}"
        if after != before.xreplace({old: new}):
            return False, f"right side is not the left side with {old} -> {new}"
        # old <= new (Bessel) raises the left side only where it is non-decreasing in old
        monotone, why = nondecreasing_in(before, old)
        if not monotone:
            return None, why
        ok, detail = bessel_certificate()
        return ok, f"||{basis}^T {factor}_i|| <= ||{factor}_i||; {why}; {detail}"

    return check


def bessel_lemma(basis: IndexedBase, factor: IndexedBase, row: sympy.Symbol,
                  rows: sympy.Expr, label: str) -> Lemma:
    return _lemma(f"variational form (4/4): Bessel for {label}",
                  f"columns of {basis} are orthonormal, so ||{basis}^T w|| <= ||w||",
                  bessel_check(basis, factor, row, rows))


def _cauchy_schwarz_units(constant: sympy.Expr) -> Lemma:
    """constant (sum_i w_i)^2 <= sum_i w_i^2, true for all w iff 0 <= constant <= 1/d."""

    def check(before, after, relation):
        if relation != "<=":
            return False, f"Cauchy-Schwarz gives '<=', not {relation!r}"
        total = root(before, constant)
        if not (isinstance(total, Sum) and len(total.limits) == 1):
            return False, "left side is not constant * (sum_i w_i)^2"
        w, (iv, lo, hi) = total.function, total.limits[0]
        if after != Sum(w**2, (iv, lo, hi)):
            return False, f"right side is not sum_i w_i^2 with w_i = {w}"
        ok, detail = lagrange_certificate(hi)
        if not ok:
            return False, detail
        # sum w^2 - c (sum w)^2 = (1 - c d) sum w^2 + (c/2) sum_ij (w_i - w_j)^2: enough that
        # 1 - c d >= 0 and c >= 0; a violation at some d is a counterexample (w = ones)
        wv = IndexedBase("w", real=True)
        split = equal_mod(
            Sum(wv[k] ** 2, (k, 1, hi)) - constant * Sum(wv[k], (k, 1, hi)) ** 2,
            (1 - constant * hi) * Sum(wv[k] ** 2, (k, 1, hi))
            + constant / 2 * Sum((wv[k] - wv[l]) ** 2, (k, 1, hi), (l, 1, hi)), [])[0]
        if not split:
            return None, f"could not check the decomposition of sum w^2 - c (sum w)^2; {detail}"
        slack = sympy.simplify(1 - constant * hi)
        if slack.is_nonnegative and constant.is_nonnegative:
            return True, (f"with 1 - c d = {slack} >= 0 and c >= 0: sum w^2 - c (sum w)^2 = "
                          "(1 - c d) sum w^2 + (c/2) sum_ij (w_i - w_j)^2 >= 0 (identity checked "
                          "for symbolic d by canonical forms); " + detail)
        for dd in range(1, 65):
            cv = float(constant.subs(hi, dd))
            if cv * dd * dd > dd * (1 + 1e-12):
                return False, (f"fails for d = {dd}, w = (1, ..., 1): c (sum w)^2 = "
                               f"{cv * dd * dd:.6g} > sum w^2 = {dd}")
        return None, f"could not decide the sign of 1 - c d = {slack}"

    return _lemma("Cauchy-Schwarz in R^d", "(sum_i w_i)^2 <= d sum_i w_i^2", check)


def lower_bound_derivation(constant: sympy.Expr = TRUE_CONSTANT) -> Derivation:
    """constant * ||M||_*^2 <= sum_i ||u_i||^2 ||v_i||^2 for every factorization U V^T = M,
    for symbolic m, n, r = rank(M) and d (MATH 3, lower bound)."""
    cst = sympy.sympify(constant)
    sq = lambda t: cst * t**2  # noqa: E731
    p_ki = Sum(A[a, k] * U[a, i], (a, 1, m))
    q_ki = Sum(B[b, k] * V[b, i], (b, 1, n))
    u_norm = sympy.sqrt(Sum(U[a, i] ** 2, (a, 1, m)))
    v_norm = sympy.sqrt(Sum(V[b, i] ** 2, (b, 1, n)))
    e1 = Sum(A[a, k] * Mx[a, b] * B[b, k], (b, 1, n), (a, 1, m), (k, 1, r))
    e2 = Sum(A[a, k] * B[b, k] * Sum(U[a, i] * V[b, i], (i, 1, D)), (b, 1, n), (a, 1, m),
             (k, 1, r))
    e3 = Sum(p_ki * q_ki, (k, 1, r), (i, 1, D))
    e4 = Sum(sympy.sqrt(Sum(p_ki**2, (k, 1, r))) * sympy.sqrt(Sum(q_ki**2, (k, 1, r))),
             (i, 1, D))
    e5 = Sum(u_norm * sympy.sqrt(Sum(q_ki**2, (k, 1, r))), (i, 1, D))
    e6 = Sum(u_norm * v_norm, (i, 1, D))
    e7 = Sum(Sum(U[a, i] ** 2, (a, 1, m)) * Sum(V[b, i] ** 2, (b, 1, n)), (i, 1, D))
    return Derivation(
        "lower bound: c ||M||_*^2 <= sum_i ||u_i||^2 ||v_i||^2, symbolic m, n, r, d",
        sq(NUCLEAR),
        [
            Step(sq(e1), under_square(_svd_lemma(), cst)),
            Step(sq(e2), under_square(_factorization_transform(), cst)),
            Step(sq(e3), under_square(EXPAND, cst), note="regroup as sum_i sum_k p_ki q_ki"),
            Step(sq(e4), under_square(_cauchy_schwarz_termwise(), cst, bounds_absolute=True),
                 relation="<="),
            Step(sq(e5), under_square(bessel_lemma(A, U, a, m, "u_i"), cst), relation="<="),
            Step(sq(e6), under_square(bessel_lemma(B, V, b, n, "v_i"), cst), relation="<="),
            Step(e7, _cauchy_schwarz_units(cst), relation="<="),
        ],
        general=True,
        sizes=SIZES,
    )
