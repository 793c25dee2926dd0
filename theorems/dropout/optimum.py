"""Dropout's induced regularizer and the global optimum it leads to (MATH.md sections 3, 4).

Theorems
--------
dropout.induced_regularizer
    Omega_d(M) := min over U V^T = M of sum_i ||u_i||^2 ||v_i||^2 = ||M||_*^2 / d for
    every width d >= rank(M).
dropout.global_optimum
    min_{U, V} ||X - U V^T||_F^2 + lambda sum_i ||u_i||^2 ||v_i||^2 is attained by
    shrinking the top rho singular values of X by tau = kappa S_rho / (1 + kappa rho),
    kappa = lambda / d, rho = max{j <= d : sigma_j > kappa S_j / (1 + kappa j)}.

The identity theorems of the family (section 1) live in :mod:`theorems.dropout`.
Each factory takes the claimed constants as keyword arguments (defaults = the true
statement), so a deliberately wrong variant is built by the same code and must
come out ``refuted``.

How the evidence is organised
-----------------------------
* The lower bound of section 3 is a :class:`~theorems.derivation.Derivation` for
  symbolic sizes m, n, r = rank(M), d: the variational form of the nuclear norm
  (SVD with orthonormal singular vectors, then Cauchy-Schwarz in R^r, then
  Bessel's inequality), then Cauchy-Schwarz in R^d.  Every inequality is a
  :class:`~theorems.derivation.Lemma` whose check (i) matches the step to the
  lemma's pattern, (ii) checks the lemma's own certificate symbolically (the
  Lagrange identity, the Bessel identity modulo A^T A = I) for symbolic sizes,
  and that the side it bounds is manifestly non-decreasing in the bounded factor,
  and (iii) evaluates both sides on a concrete instance.
* The attainment half is a second derivation: an equalized factorization has
  sum_i ||u_i||^2 ||v_i||^2 = ||M||_*^2 / d; its key lemma (d - 1 Givens
  rotations make diag(Q^T diag(s, 0) Q) constant) is an induction whose loop
  invariant is checked with SymPy for a symbolic number k of rotations done and
  symbolic d (block matrices of symbolic size); only min <= mean <= max, the
  order in which coordinates are listed and the induction principle are in
  words.  The construction is also run numerically for many (rank, d).
* Section 4's tau and rho come from the KKT conditions of the problem on singular
  values, derived with SymPy for symbolic rho; global optimality over rank <= d
  rests on von Neumann's trace inequality, which is checked numerically
  (exhaustive search over supports, CVXPY, descent), so that evidence is not
  marked ``general``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
import sympy
from sympy import (
    Add,
    BlockMatrix,
    Eq,
    Identity,
    Indexed,
    IndexedBase,
    KroneckerDelta,
    MatrixSymbol,
    Mul,
    Pow,
    Rational,
    Sum,
    ZeroMatrix,
    block_collapse,
    symbols,
)

from numerics import dropout as nd
from numerics.descent import batched_descent
from numerics.instances import (
    conditioned_matrix,
    geometric_spectrum,
    haar_orthogonal,
)
from theorems.checks import relative_error, worst_case
from theorems.core import Check, Context, Evidence, Theorem
from theorems.derivation import EXPAND, Derivation, Lemma, Rule, Step, Transform, run_derivation
from theorems.references import CAVAZZA, HAEFFELE_2020, MIANJY, SEED
from theorems.symbolic.sums import Term, canonical, manifestly_nonnegative, terms

__all__ = [
    "D",
    "KAPPA",
    "LAMBDA",
    "S_RHO",
    "RHO",
    "induced_regularizer",
    "global_optimum",
    "lower_bound_derivation",
    "attainment_derivation",
    "product_derivation",
    "stationarity",
    "THEOREMS",
]

# -- symbols ---------------------------------------------------------------------------

m, n, r, D = symbols("m n r d", integer=True, positive=True)  # sizes; r = rank(M), D = width
a, b, c, e, k, l, i, j = symbols("a b c e k l i j", integer=True, positive=True)  # noqa: E741
A, B, Mx = IndexedBase("A", real=True), IndexedBase("B", real=True), IndexedBase("M", real=True)
U, V, Q = IndexedBase("U", real=True), IndexedBase("V", real=True), IndexedBase("Q", real=True)
s = IndexedBase("s", positive=True)  # nonzero singular values of M
x_, y_ = IndexedBase("x", real=True), IndexedBase("y", real=True)

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



# -- symbolic helpers -------------------------------------------------------------------


def orthonormal(expr: sympy.Expr, base: IndexedBase, axis: int, length: sympy.Expr) -> sympy.Expr:
    """Apply the hypothesis "the columns (axis 0 summed) of ``base`` are orthonormal".

    In every flattened term, a dummy that runs over 1..length and occurs exactly
    in two factors base[dummy, p] base[dummy, q] (with ``axis`` the position of the
    dummy) is summed out into KroneckerDelta(p, q).  The result is equal to ``expr``
    whenever sum_c base[c, p] base[c, q] = delta_pq, for every size.
    """
    out = []
    for term in terms(expr):
        changed = True
        while changed:
            changed = False
            for var, lo, hi in term.limits:
                if lo != 1 or hi != length:
                    continue
                factors = Mul.make_args(term.body)
                partners: list[sympy.Expr] = []
                usable = True
                for f in factors:
                    if var not in f.free_symbols:
                        continue
                    root, power = (f.base, f.exp) if isinstance(f, Pow) else (f, sympy.S.One)
                    if not (isinstance(root, Indexed) and len(root.indices) == 2):
                        usable = False
                        break
                    other = root.indices[1 - axis]
                    if not (root.base == base and root.indices[axis] == var
                            and var not in other.free_symbols
                            and power.is_Integer and power > 0):
                        usable = False
                        break
                    partners += [other] * int(power)
                if not usable or len(partners) != 2:
                    continue
                rest = Mul(*[f for f in factors if var not in f.free_symbols])
                limits = tuple(lim for lim in term.limits if lim[0] != var)
                term = Term(term.coeff, limits, rest * KroneckerDelta(*partners))
                changed = True
                break
        out.append(term.to_expr())
    return Add(*out)


def _equal_mod(before: sympy.Expr, after: sympy.Expr,
               rewrites: list[Callable[[sympy.Expr], sympy.Expr]]) -> tuple[bool, str]:
    lhs, rhs = before, after
    for rw in rewrites:
        lhs, rhs = rw(lhs), rw(rhs)
    diff = canonical(lhs) - canonical(rhs)
    if diff.is_zero():
        return True, "canonical forms agree modulo the hypotheses"
    return False, f"canonical forms differ by {len(diff)} term(s): {diff.to_expr()}"


def _nondecreasing_in(expr: sympy.Expr, old: sympy.Expr) -> tuple[bool, str]:
    """Whether ``expr`` is manifestly non-decreasing in ``old`` on old >= 0.

    Every occurrence of ``old`` is replaced by a fresh symbol w >= 0 and the derivative
    in w must be manifestly non-negative (:func:`manifestly_nonnegative`).  Since that test uses
    no cancellation, each occurrence contributes a non-negative partial derivative on
    its own, whatever the others hold; so raising each occurrence from ``old`` to any
    larger value (possibly different for each unit i of a sum) cannot lower ``expr``.
    "``expr`` is non-negative" would not do: (c - old)^2 and 1/(1 + old) are, and
    decrease in ``old``.
    """
    if not manifestly_nonnegative(old):
        return False, f"cannot show the replaced factor {old} is non-negative"
    w = sympy.Dummy("w", nonnegative=True)
    replaced = expr.xreplace({old: w})
    if not replaced.has(w):
        return False, f"{old} does not occur in {expr}"
    slope = sympy.diff(replaced, w)
    if not manifestly_nonnegative(slope):
        return False, (f"cannot show the left side is non-decreasing in {old}: with w in its "
                       f"place, d/dw = {slope} is not manifestly >= 0 for w >= 0")
    return True, f"non-decreasing in {old}: with w >= 0 in its place, d/dw = {slope} >= 0"


def _lagrange_certificate(length: sympy.Expr) -> tuple[bool, str]:
    """Cauchy-Schwarz in R^length from the Lagrange identity, for symbolic length:
    (sum x^2)(sum y^2) - (sum x y)^2 = 1/2 sum_k sum_l (x_k y_l - x_l y_k)^2 >= 0."""
    lhs = (Sum(x_[k] ** 2, (k, 1, length)) * Sum(y_[k] ** 2, (k, 1, length))
           - Sum(x_[k] * y_[k], (k, 1, length)) ** 2)
    rhs = Rational(1, 2) * Sum((x_[k] * y_[l] - x_[l] * y_[k]) ** 2, (k, 1, length),
                               (l, 1, length))
    ok = canonical(lhs) == canonical(rhs)
    return ok, ("Lagrange identity (sum x^2)(sum y^2) - (sum xy)^2 = 1/2 sum_kl "
                f"(x_k y_l - x_l y_k)^2 checked for symbolic length {length}: "
                + ("canonical forms agree" if ok else "FAILED"))


def _bessel_certificate() -> tuple[bool, str]:
    """sum_k (a_k . u)^2 = ||u||^2 - ||u - sum_k (a_k . u) a_k||^2 when A^T A = I.

    Checked for symbolic m and r."""
    proj = Sum(A[a, k] * Sum(A[c, k] * x_[c], (c, 1, m)), (k, 1, r))
    residual = Sum((x_[a] - proj) ** 2, (a, 1, m))
    rhs = Sum(x_[a] ** 2, (a, 1, m)) - Sum(Sum(A[a, k] * x_[a], (a, 1, m)) ** 2, (k, 1, r))
    ok, detail = _equal_mod(residual, rhs, [lambda ex: orthonormal(ex, A, 0, m)])
    return ok, ("Bessel identity ||u - A A^T u||^2 = ||u||^2 - ||A^T u||^2 for any A with "
                f"A^T A = I, symbolic m, r: {detail}")


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


def _numeric_confirmation(before: sympy.Expr, after: sympy.Expr,
                          relation: str) -> tuple[bool | None, str]:
    try:
        lv, rv = _evaluate(before), _evaluate(after)
    except Exception as exc:  # noqa: BLE001 - an unevaluated side is not a pass
        return None, f"numeric evaluation failed: {type(exc).__name__}: {exc}"
    scale = max(abs(lv), abs(rv), 1e-300)
    holds = {"<=": lv <= rv + 1e-12 * scale, "=": abs(lv - rv) <= 1e-12 * scale}[relation]
    where = "at m=3, n=4, r=2, d=3 (a factorization leaving range(A))"
    return holds, (f"numerically {where}: {lv:.12g} {relation} {rv:.12g}"
                   + ("" if holds else " is false"))


def _lemma(name: str, description: str,
           check: Callable[[sympy.Expr, sympy.Expr, str], tuple[bool | None, str]],
           ) -> Lemma:
    """A symbolic lemma whose steps are also evaluated on the concrete instance."""

    def run(before: sympy.Expr, after: sympy.Expr, relation: str) -> tuple[bool | None, str]:
        ok, detail = check(before, after, relation)
        if ok is False:
            return ok, detail
        num_ok, num_detail = _numeric_confirmation(before, after, relation)
        if num_ok is False:  # a concrete instance where the step fails refutes it
            return False, f"{detail}; and {num_detail}"
        if ok is None:  # unproved stays unproved, whatever one instance says
            return None, f"{detail}; {num_detail}"
        return ok if num_ok else None, f"{detail}; {num_detail}"

    return Lemma(name, run, description, symbolic=True)


def _root(expr: sympy.Expr, constant: sympy.Expr) -> sympy.Expr:
    """x from ``constant * x**2``; ValueError when ``expr`` has another form."""
    squared = expr / constant
    if not (isinstance(squared, Pow) and squared.exp == 2):
        raise ValueError(f"expected {constant} * (...)**2, got {expr}")
    return squared.base


def _under_square(rule: Rule, constant: sympy.Expr, bounds_absolute: bool = False) -> Lemma:
    """Apply ``rule`` inside x -> constant * x^2.

    For an equality nothing more is needed.  For ``<=`` the map must be increasing
    on the values involved: constant > 0 and 0 <= x_before, or the inner lemma
    bounds |x_before| itself (``bounds_absolute``).
    """

    def check(before: sympy.Expr, after: sympy.Expr, relation: str) -> tuple[bool | None, str]:
        xb, xa = _root(before, constant), _root(after, constant)
        ok, detail = rule.check(xb, xa, relation)
        if ok is not True or relation == "=":
            return ok, detail
        if not constant.is_positive:
            return None, f"{detail}; cannot show the constant {constant} is positive"
        if not (bounds_absolute or manifestly_nonnegative(xb)):
            return None, f"{detail}; cannot show the inner left side is non-negative"
        return True, f"{detail}; x -> {constant} x^2 is increasing on the values involved"

    return Lemma(f"{rule.name} [inside {constant} (.)^2]", check, rule.description,
                 symbolic=rule.symbolic)


# -- the lower bound: variational form, then Cauchy-Schwarz --------------------------------


def _svd_lemma() -> Lemma:
    def check(before, after, relation):
        if relation != "=":
            return False, "the SVD lemma states an equality"
        svd = lambda ex: ex.replace(  # noqa: E731 - M = A diag(s) B^T
            lambda t: isinstance(t, Indexed) and t.base == Mx,
            lambda t: Sum(s[l] * A[t.indices[0], l] * B[t.indices[1], l], (l, 1, r)))
        return _equal_mod(before, after, [svd, lambda ex: orthonormal(ex, A, 0, m),
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
        ok, detail = _lagrange_certificate(khi)
        return ok, "matched sum_i sum_k p_ki q_ki; termwise " + detail

    return _lemma("variational form (3/4): Cauchy-Schwarz in R^r",
                  "|sum_k p_k q_k| <= ||p|| ||q|| for each unit i", check)


def _bessel_check(basis: IndexedBase, factor: IndexedBase, row: sympy.Symbol,
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
        monotone, why = _nondecreasing_in(before, old)
        if not monotone:
            return None, why
        ok, detail = _bessel_certificate()
        return ok, f"||{basis}^T {factor}_i|| <= ||{factor}_i||; {why}; {detail}"

    return check


def _bessel_lemma(basis: IndexedBase, factor: IndexedBase, row: sympy.Symbol,
                  rows: sympy.Expr, label: str) -> Lemma:
    return _lemma(f"variational form (4/4): Bessel for {label}",
                  f"columns of {basis} are orthonormal, so ||{basis}^T w|| <= ||w||",
                  _bessel_check(basis, factor, row, rows))


def _cauchy_schwarz_units(constant: sympy.Expr) -> Lemma:
    """constant (sum_i w_i)^2 <= sum_i w_i^2, true for all w iff 0 <= constant <= 1/d."""

    def check(before, after, relation):
        if relation != "<=":
            return False, f"Cauchy-Schwarz gives '<=', not {relation!r}"
        total = _root(before, constant)
        if not (isinstance(total, Sum) and len(total.limits) == 1):
            return False, "left side is not constant * (sum_i w_i)^2"
        w, (iv, lo, hi) = total.function, total.limits[0]
        if after != Sum(w**2, (iv, lo, hi)):
            return False, f"right side is not sum_i w_i^2 with w_i = {w}"
        ok, detail = _lagrange_certificate(hi)
        if not ok:
            return False, detail
        # sum w^2 - c (sum w)^2 = (1 - c d) sum w^2 + (c/2) sum_ij (w_i - w_j)^2: enough that
        # 1 - c d >= 0 and c >= 0; a violation at some d is a counterexample (w = ones)
        wv = IndexedBase("w", real=True)
        split = _equal_mod(
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
            Step(sq(e1), _under_square(_svd_lemma(), cst)),
            Step(sq(e2), _under_square(_factorization_transform(), cst)),
            Step(sq(e3), _under_square(EXPAND, cst), note="regroup as sum_i sum_k p_ki q_ki"),
            Step(sq(e4), _under_square(_cauchy_schwarz_termwise(), cst, bounds_absolute=True),
                 relation="<="),
            Step(sq(e5), _under_square(_bessel_lemma(A, U, a, m, "u_i"), cst), relation="<="),
            Step(sq(e6), _under_square(_bessel_lemma(B, V, b, n, "v_i"), cst), relation="<="),
            Step(e7, _cauchy_schwarz_units(cst), relation="<="),
        ],
        general=True,
        sizes=SIZES,
    )


# -- attainment: the equalized factorization -------------------------------------------------


def _fixed_width_counterexample(mu: sympy.Expr, T: sympy.Symbol) -> str:
    """A width d and ||M||_* = 1 at which d * mu != ||M||_* (for the refutation's detail)."""
    for dd in range(1, 11):
        value = sympy.simplify((D * mu).subs({D: dd, T: 1}))
        if value.is_finite and value != 1:
            return (f"at d = {dd}, r = 1, s_1 = 1: the d diagonal entries of Q^T diag(s, 0) Q "
                    f"sum to its trace 1 for every orthogonal Q, but d * mu = {value}")
    return "no small d found where d * mu != ||M||_*"


def _givens_block_step(mu: sympy.Expr) -> dict[str, bool]:
    """One Givens rotation applied to a matrix in the invariant's block form, symbolic sizes.

    Coordinates in the order (running, partner, k fixed, N further fresh ones), d = k + N + 2
    (a permutation similarity, which only relabels diagonal entries).  The invariant's form
    of P = Q_k^T diag(s, 0) Q_k: running entry x with an arbitrary row g against the fixed
    block H (diag H = mu), and the fresh coordinates (partner y, block Z) untouched, i.e.
    with zero rows against every other coordinate.  R rotates (running, partner) by
    c = sqrt(1 - t^2), t = sqrt(t^2), t^2 = (mu - y)/(x - y).
    """
    kk, nn = symbols("k N", integer=True, nonnegative=True)
    x, y, cc, tt = symbols("x y c t", real=True)
    g, H, Z = MatrixSymbol("g", kk, 1), MatrixSymbol("H", kk, kk), MatrixSymbol("Z", nn, nn)
    one = Identity(1)

    def zero(rows: sympy.Expr, cols: sympy.Expr) -> ZeroMatrix:
        return ZeroMatrix(rows, cols)

    P = BlockMatrix([[x * one, zero(1, 1), g.T, zero(1, nn)],
                     [zero(1, 1), y * one, zero(1, kk), zero(1, nn)],
                     [g, zero(kk, 1), H, zero(kk, nn)],
                     [zero(nn, 1), zero(nn, 1), zero(nn, kk), Z]])
    R = BlockMatrix([[cc * one, -tt * one, zero(1, kk), zero(1, nn)],
                     [tt * one, cc * one, zero(1, kk), zero(1, nn)],
                     [zero(kk, 1), zero(kk, 1), Identity(kk), zero(kk, nn)],
                     [zero(nn, 1), zero(nn, 1), zero(nn, kk), Identity(nn)]])
    t2 = (mu - y) / (x - y)
    angle = {cc: sympy.sqrt(1 - t2), tt: sympy.sqrt(t2)}

    def scalar(block: sympy.Expr) -> sympy.Expr:  # the entry of a 1 x 1 block
        return sympy.simplify(block.as_explicit()[0, 0].subs(angle))

    gram = block_collapse(R.T * R).blocks
    new = block_collapse(R.T * P * R).blocks
    return {
        "R^T R = I (c^2 + t^2 = 1)": all(
            (scalar(gram[p, q]) - (1 if p == q else 0)) == 0 for p in range(2) for q in range(2))
        and gram[2, 2] == Identity(kk) and gram[3, 3] == Identity(nn)
        and all(gram[p, q].is_ZeroMatrix for p in range(4) for q in range(4)
                if p != q and (p >= 2 or q >= 2)),
        "the partner's diagonal entry becomes mu": sympy.simplify(scalar(new[1, 1]) - mu) == 0,
        "the running entry becomes x + y - mu":
            sympy.simplify(scalar(new[0, 0]) - (x + y - mu)) == 0,
        "the fixed block H (diagonal mu) is unchanged": new[2, 2] == H,
        "the other fresh coordinates are untouched (block Z, zero rows)":
            new[3, 3] == Z and all(new[3, q].is_ZeroMatrix and new[q, 3].is_ZeroMatrix
                                   for q in range(3)),
    }


def _equalizing_invariant(target: sympy.Expr, width_at_least_rank: bool = True,
                          ) -> tuple[bool | None, str]:
    """An orthogonal Q with (Q^T diag(s, 0) Q)_ii = target for every i, by induction.

    Loop invariant after k rotations (0 <= k <= d - 1), with P_k = Q_k^T diag(s, 0) Q_k:
    k fixed coordinates have diagonal entry mu; the running coordinate holds
    x_k = (its own entry + the k partners' entries) - k mu; the d - 1 - k fresh ones
    are untouched; and while k <= d - 2 a fresh partner y has mu between x_k and y.
    Checked with SymPy for symbolic k, N (d = k + N + 2) and ||M||_* = T; stated in
    words only: min <= mean <= max of finitely many numbers, the case x = y (then
    x = y = mu), relabelling coordinates, reading the step's weight as a diagonal entry
    of Q^T diag(s, 0) Q, and the induction principle itself.

    Returns
    -------
    (ok, detail)
        ok is False when the target contradicts tr(Q^T S Q) = tr S, None when a
        hypothesis is missing or an identity could not be checked, True otherwise.
    """
    T = sympy.Symbol("T", positive=True)  # ||M||_* = sum of the r nonzero singular values
    mu = sympy.sympify(target).xreplace({NUCLEAR: T})
    if not mu.free_symbols <= {T, D}:
        return None, f"the target {target} is not a function of ||M||_* and d alone"
    if not width_at_least_rank:
        if not (D - r).is_nonnegative:
            return None, ("cannot show d - r >= 0 without the hypothesis d >= rank(M): "
                          "diag(s) padded with zeros to length d does not exist otherwise")
    pad = sympy.Symbol("p", integer=True, nonnegative=True)
    facts: dict[str, bool] = {
        "hypothesis d >= r, i.e. d = r + p with p >= 0: diag(s) pads to length d":
            bool((D - r).subs(D, r + pad).is_nonnegative),
    }
    trace_ok = sympy.simplify(D * mu - T) == 0
    facts["trace: d mu = tr diag(s, 0) = ||M||_*"] = trace_ok
    kk, nn = symbols("k N", integer=True, nonnegative=True)
    mu_k = mu.subs(D, kk + nn + 2)  # during the loop d = k + N + 2 (a fresh partner remains)
    facts.update({f"Givens step, symbolic k, N: {name}": ok
                  for name, ok in _givens_block_step(mu_k).items()})
    x, y, done = symbols("x y P_k", real=True)  # done: sum of the processed original entries
    alpha, beta = symbols("alpha beta", nonnegative=True)
    t2 = (mu_k - y) / (x - y)
    # mu between x and y (x != y): x = mu + alpha, y = mu - beta, or x = mu - alpha, y = mu + beta
    for name, sub in (("x >= mu >= y", {x: mu_k + alpha, y: mu_k - beta}),
                      ("x <= mu <= y", {x: mu_k - alpha, y: mu_k + beta})):
        ratios = [sympy.fraction(sympy.cancel(v.subs(sub))) for v in (t2, 1 - t2)]
        shown = ", ".join(f"{num}/({den})" for num, den in ratios)
        # two ratios of non-negative terms that add up to 1 both lie in [0, 1]
        facts[f"t^2, 1 - t^2 = {shown} lie in [0, 1] when {name}, x != y"] = all(
            manifestly_nonnegative(part) for pair in ratios for part in pair)
    running = done - kk * mu_k
    facts["running entry after the step: x_k + y - mu = (P_k + y) - (k + 1) mu"] = \
        sympy.simplify(running + y - mu_k - ((done + y) - (kk + 1) * mu_k)) == 0
    fresh_mean = (T - done) / (nn + 1)  # the N + 1 fresh entries are original ones
    gap = sympy.simplify(fresh_mean - mu_k)
    facts["fresh mean - mu = (mu - x_k)/(N + 1): a partner on the other side of mu exists"] = \
        sympy.simplify(gap - (mu_k - running) / (nn + 1)) == 0
    # the sign: x_k = mu + alpha leaves a fresh mean <= mu, x_k = mu - alpha one >= mu
    facts["x_k >= mu gives fresh mean <= mu, x_k <= mu gives fresh mean >= mu"] = (
        manifestly_nonnegative(sympy.cancel(-gap.subs(done, mu_k + alpha + kk * mu_k)))
        and manifestly_nonnegative(sympy.cancel(gap.subs(done, mu_k - alpha + kk * mu_k))))
    facts["after d - 1 rotations the running entry T - (d - 1) mu equals mu"] = \
        sympy.simplify(T - (D - 1) * mu - mu) == 0
    lines = "; ".join(f"{name}: {'ok' if ok else 'FAILED'}" for name, ok in facts.items())
    summary = ("symbolic (SymPy; block matrices with k fixed and N further fresh "
               f"coordinates, d = k + N + 2, target mu = {mu} with T = ||M||_*): {lines}. "
               "In words only: min <= mean <= max of the fresh entries; x = y forces "
               "x = y = mu (no rotation needed); listing the coordinates in the order "
               "(running, partner, fixed, fresh); (Q^T diag(s, 0) Q)_ii = sum_{k <= r} "
               "s_k Q_ki^2; and induction from k = 0 (P_0 = diag(s, 0), x_0 = P_0, nothing "
               "fixed) to k = d - 1")
    if not trace_ok:
        return False, (f"{summary}. The target is false: "
                       f"{_fixed_width_counterexample(mu, T)}")
    if not all(facts.values()):
        return None, summary
    return True, summary


def _u(row_base: IndexedBase, row: sympy.Symbol) -> sympy.Expr:
    return Sum(row_base[row, k] * sympy.sqrt(s[k]) * Q[k, i], (k, 1, r))


def attainment_derivation(constant: sympy.Expr = TRUE_CONSTANT,
                          target: sympy.Expr | None = None,
                          width_at_least_rank: bool = True) -> Derivation:
    """U = A diag(s)^{1/2} Q, V = B diag(s)^{1/2} Q with an equalizing Q reaches constant *
    ||M||_*^2 (true for constant = 1/d), symbolic m, n, r, d >= r (MATH 3, attainment).

    Parameters
    ----------
    constant : SymPy expression in :data:`D`, default 1/d
        The claimed c in sum_i ||u_i||^2 ||v_i||^2 = c ||M||_*^2.
    target : SymPy expression in ||M||_* and :data:`D`, default ||M||_*/d
        The claimed common value of the diagonal of Q^T diag(s, 0) Q.
    width_at_least_rank : bool, default True
        Whether the hypothesis d >= rank(M) is granted; without it the equalizing
        lemma cannot pad diag(s) to length d and leaves its step unproved.
    """
    cst = sympy.sympify(constant)
    mu = NUCLEAR / D if target is None else sympy.sympify(target)
    weight = Sum(s[k] * Q[k, i] ** 2, (k, 1, r))  # (Q^T diag(s, 0) Q)_ii
    start = Sum(Sum(_u(A, a) ** 2, (a, 1, m)) * Sum(_u(B, b) ** 2, (b, 1, n)), (i, 1, D))
    f1 = Sum(weight**2, (i, 1, D))
    f2 = Sum(mu**2, (i, 1, D))

    def orth(before, after, relation):
        if relation != "=":
            return False, "an equality is claimed"
        return _equal_mod(before, after, [lambda ex: orthonormal(ex, A, 0, m),
                                          lambda ex: orthonormal(ex, B, 0, n)])

    def equalize(before, after, relation):
        if relation != "=":
            return False, "an equality is claimed"
        if not before.has(weight) or after != before.xreplace({weight: mu}):
            return False, f"the step is not the substitution {weight} -> {mu}"
        return _equalizing_invariant(mu, width_at_least_rank)

    return Derivation(
        "attainment: the equalized factorization has sum_i ||u_i||^2 ||v_i||^2 = c ||M||_*^2",
        start,
        [
            Step(f1, Lemma("orthonormal singular vectors", orth,
                           "||u_i||^2 = ||v_i||^2 = (Q^T diag(s) Q)_ii since A^T A = B^T B = I",
                           constrained=True)),
            Step(f2, Lemma("equalizing rotation (Schur-Horn, Givens)", equalize,
                           f"(Q^T diag(s, 0) Q)_ii = {mu} for every i"
                           + (", d >= r" if width_at_least_rank else "")
                           + ": loop invariant of d - 1 Givens rotations checked for "
                             "symbolic k and d", constrained=True)),
            Step(cst * NUCLEAR**2, EXPAND, note="d copies of (||M||_*/d)^2"),
        ],
        general=True,
        sizes=SIZES,
    )


def product_derivation() -> Derivation:
    """The equalized factorization is a factorization: sum_i u_i v_i^T = A diag(s) B^T."""

    def rows(before, after, relation):
        if relation != "=":
            return False, "an equality is claimed"
        return _equal_mod(before, after, [lambda ex: orthonormal(ex, Q, 1, D)])

    return Derivation(
        "the equalized factorization multiplies back to M",
        Sum(_u(A, a) * _u(B, b), (i, 1, D)),
        [Step(Sum(s[k] * A[a, k] * B[b, k], (k, 1, r)),
              Lemma("Q orthogonal", rows, "sum_i Q_ki Q_li = delta_kl (rows of Q orthonormal)",
                    constrained=True))],
        general=True,
        sizes=SIZES,
    )


# -- section 4: stationarity on the singular values -------------------------------------------


def stationarity(threshold: sympy.Expr = TRUE_THRESHOLD) -> dict[str, Any]:
    """Derive tau and the rule for rho from the KKT conditions, rho symbolic (MATH 4).

    On singular values (von Neumann) the problem is
    min_{mu >= 0} sum_i (sigma_i - mu_i)^2 + kappa (sum_i mu_i)^2 with mu_i = 0 for
    i > d.  On an active set {1..rho}: d/dmu_k = 0 gives mu_k = sigma_k - kappa T,
    T = sum mu; summing over k solves for T, and tau = kappa T.  An inactive
    i needs d/dmu_i >= 0 at mu_i = 0, i.e. sigma_i <= tau.

    Returns
    -------
    dict
        ``steps`` (name, ok, detail), ``tau`` (derived), ``ok`` (bool), and
        ``counterexample`` (exact values where the claimed threshold differs).
    """
    thr = sympy.sympify(threshold)
    sig, mu = IndexedBase("sigma", real=True), IndexedBase("mu", real=True)
    T = sympy.Symbol("T", nonnegative=True)
    kk = sympy.Symbol("k", integer=True, positive=True)
    objective = (Sum((sig[i] - mu[i]) ** 2, (i, 1, RHO))
                 + KAPPA * Sum(mu[i], (i, 1, RHO)) ** 2)
    steps: list[dict[str, Any]] = []
    grad = sympy.diff(objective, mu[kk]).doit()
    # 1 <= k <= rho: take the branch of each Piecewise whose condition is k <= rho
    pieces = list(grad.atoms(sympy.Piecewise))
    ok_branch = all(p.args[0][1] == (kk <= RHO) for p in pieces)
    active = grad.replace(lambda t: isinstance(t, sympy.Piecewise), lambda t: t.args[0][0])
    active = active.subs(Sum(mu[i], (i, 1, RHO)), T)
    solved = sympy.solve(sympy.Eq(active, 0), mu[kk])
    steps.append({"name": "d/dmu_k = 0 on the active set", "ok": ok_branch and len(solved) == 1,
                  "detail": f"gradient {active}; solution mu_k = {solved}"})
    mu_k = solved[0] if solved else sympy.nan
    shift = sympy.simplify(sig[kk] - mu_k)
    steps.append({"name": "every active value shrinks by the same amount", "ok":
                  shift.free_symbols <= {KAPPA, T}, "detail": f"sigma_k - mu_k = {shift}"})
    # linearity of the finite sum, term by term (Sum.doit keeps an Add with an unknown part)
    total = Add(*[Sum(term, (kk, 1, RHO)).doit() for term in Add.make_args(sympy.expand(mu_k))])
    S = Sum(sig[kk], (kk, 1, RHO))
    t_solved = sympy.solve(sympy.Eq(T, sympy.expand(total)), T)
    steps.append({"name": "T = sum_k mu_k solved for T", "ok": len(t_solved) == 1,
                  "detail": f"T = {t_solved}"})
    tau = sympy.simplify(shift.subs(T, t_solved[0])) if t_solved else sympy.nan
    claimed = thr.subs(S_RHO, S)
    agree = sympy.simplify(claimed - tau) == 0
    steps.append({"name": "derived tau equals the claimed threshold", "ok": bool(agree),
                  "detail": f"derived tau = {tau}; claimed {thr}"})
    # inactive unit k > rho at mu_k = 0 with T fixed: d/dmu_k = 2 (kappa T - sigma_k)
    inactive = sympy.diff((sig[kk] - mu[kk]) ** 2 + KAPPA * (T + mu[kk]) ** 2, mu[kk])
    inactive = inactive.subs(mu[kk], 0)
    kkt_ok = sympy.simplify(inactive - 2 * (KAPPA * T - sig[kk])) == 0
    steps.append({"name": "KKT for an inactive unit: sigma_k <= tau", "ok": bool(kkt_ok),
                  "detail": f"d/dmu_k at mu_k = 0 is {inactive} = 2 (tau - sigma_k)"})
    # the rule: j qualifies iff sigma_j > tau_{j-1} (one more active unit stays positive);
    # with S_j = S_{j-1} + sigma_j this is (1 + kappa j)(sigma_j - thr(j)) =
    # (1 + kappa (j - 1))(sigma_j - thr(j - 1)) for the true threshold
    jj, sj, sprev = sympy.symbols("j sigma_j S_prev", positive=True)
    at = lambda count, partial: thr.subs({RHO: count, S_RHO: partial})  # noqa: E731
    rule = sympy.simplify((1 + KAPPA * jj) * (sj - at(jj, sprev + sj))
                          - (1 + KAPPA * (jj - 1)) * (sj - at(jj - 1, sprev)))
    steps.append({"name": "rule for rho: sigma_j > thr(j) iff sigma_j > thr(j - 1)",
                  "ok": rule == 0,
                  "detail": f"difference of the two scaled margins: {rule}. Hence the valid j "
                            "form a prefix (sigma_j >= sigma_(j+1) > thr(j)), and j = rho + 1 "
                            "failing is exactly the inactive KKT condition sigma <= tau"})
    ok = all(st["ok"] for st in steps)
    counterexample = None
    if not ok:
        values = {KAPPA: Rational(1, 2), RHO: 2, S_RHO: 3}
        counterexample = {"values": {str(kx): str(v) for kx, v in values.items()},
                          "derived_tau": str(tau.subs(S, S_RHO).subs(values)),
                          "claimed_tau": str(thr.subs(values)),
                          "rule_margin_difference": str(rule.subs({KAPPA: Rational(1, 2),
                                                                   jj: 2, sj: 1, sprev: 2}))}
    return {"steps": steps, "tau": tau, "ok": ok, "counterexample": counterexample}


# -- numeric helpers ------------------------------------------------------------------------


def _spectrum(X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """SVD with round-off singular values set to 0 (so rank-deficient X behave exactly)."""
    A_, sig, Bt = np.linalg.svd(X, full_matrices=False)
    sig = np.where(sig > nd.RANK_RTOL * max(X.shape) * sig[0], sig, 0.0)
    return A_, sig, Bt.T


class _Claim:
    """The closed form of MATH 4 as claimed: kappa(lambda, d), threshold(kappa, S, rho), cap."""

    def __init__(self, kappa: sympy.Expr, threshold: sympy.Expr, capped: bool):
        self.kappa_expr, self.threshold_expr, self.capped = kappa, threshold, capped
        self._kappa = sympy.lambdify([LAMBDA, D], kappa, "numpy")
        self._thr = sympy.lambdify([KAPPA, S_RHO, RHO], threshold, "numpy")

    def kappa(self, lam: float, d: int) -> float:
        return float(self._kappa(lam, d))

    def solve(self, X: np.ndarray, theta: float, d: int, capped: bool | None = None
              ) -> dict[str, Any]:
        """rho, tau, kappa, value and M* of the claimed closed form."""
        capped = self.capped if capped is None else capped
        lam = (1.0 - theta) / theta
        kap = self.kappa(lam, d)
        A_, sig, B_ = _spectrum(X)
        js = np.arange(1, sig.size + 1)
        partial = np.cumsum(sig)
        thr = np.broadcast_to(np.asarray(self._thr(kap, partial, js), dtype=float), sig.shape)
        valid = sig > thr
        if capped:
            valid &= js <= d
        rho = int(js[valid].max()) if valid.any() else 0
        tau = float(self._thr(kap, partial[rho - 1], rho)) if rho else 0.0
        value = nd.threshold_value(sig, kap, rho, tau)
        M = (A_[:, :rho] * (sig[:rho] - tau)) @ B_[:, :rho].T
        return {"rho": rho, "tau": tau, "kappa": kap, "lam": lam, "value": value, "M": M,
                "sigma": sig}


def _support_search(sig: np.ndarray, kappa: float, d: int) -> float:
    """min over mu >= 0 with at most d nonzeros of sum (sigma - mu)^2 + kappa (sum mu)^2.

    Brute force over supports J (|J| <= d): the quadratic on J is solved by a linear
    system, (I + kappa 1 1^T) mu_J = sigma_J; a support whose solution is not positive
    is covered by a smaller one.  By von Neumann's trace inequality this is the
    problem min_{rank M <= d} ||X - M||^2 + kappa ||M||_*^2 on singular values.
    """
    best = float(np.sum(sig**2))
    idx = range(sig.size)
    for size in range(1, min(d, sig.size) + 1):
        for J in itertools.combinations(idx, size):
            sj = sig[list(J)]
            mu = np.linalg.solve(np.eye(size) + kappa * np.ones((size, size)), sj)
            if np.all(mu > 0):
                value = (float(np.sum(sig**2) - np.sum(sj**2)) + float(np.sum((sj - mu) ** 2))
                         + kappa * float(np.sum(mu)) ** 2)
                best = min(best, value)
    return best


def _random_instance(rng: np.random.Generator, max_side: int = 8) -> tuple[np.ndarray, float, int]:
    """(X, theta, d): random shape, sometimes rank-deficient, theta = 1 one time in ten."""
    mm, nn = int(rng.integers(1, max_side + 1)), int(rng.integers(1, max_side + 1))
    rank = int(rng.integers(1, min(mm, nn) + 1))
    X = conditioned_matrix(mm, nn, rng, condition=float(rng.choice([3.0, 10.0, 30.0])),
                           rank=rank, top=float(rng.uniform(0.5, 3.0)))
    theta = float(rng.choice([1.0, rng.uniform(0.15, 0.95)], p=[0.1, 0.9]))
    d = int(rng.integers(1, min(mm, nn) + 3))
    return X, theta, d


def _shape(X: np.ndarray, theta: float, d: int) -> dict[str, Any]:
    return {"m": X.shape[0], "n": X.shape[1], "d": d, "theta": theta}


def _descent_start(X: np.ndarray, d: int, runs: int, rng: np.random.Generator):
    """Random factors of the scale of the solution (||U V^T|| ~ ||X||_2)."""
    mm, nn = X.shape
    scale = np.sqrt(np.linalg.norm(X, 2) / d)
    return (rng.standard_normal((runs, mm, d)) * scale / np.sqrt(mm),
            rng.standard_normal((runs, nn, d)) * scale / np.sqrt(nn))


def _equalization_error(U_: np.ndarray, V_: np.ndarray) -> np.ndarray:
    """max_i | ||u_i|| ||v_i|| - ||U V^T||_*/d | / (||U V^T||_*/d) for each run."""
    products = np.linalg.norm(U_, axis=1) * np.linalg.norm(V_, axis=1)
    nuc = np.linalg.svd(U_ @ V_.transpose(0, 2, 1), compute_uv=False).sum(axis=1)
    target = nuc / U_.shape[2]
    return np.max(np.abs(products - target[:, None]), axis=1) / np.maximum(target, 1e-300)


# -- dropout.induced_regularizer --------------------------------------------------------------


def induced_regularizer(constant: sympy.Expr | None = None) -> Theorem:
    """Omega_d(M) = ||M||_*^2 / d for every d >= rank(M) (MATH 3).

    Parameters
    ----------
    constant : SymPy expression in :data:`D`, default 1/d
        The claimed c in Omega_d(M) = c ||M||_*^2.  Any other choice is false and
        must be refuted (a larger c by the lower bound, a smaller one by attainment).

    Examples
    --------
    >>> v = induced_regularizer(constant=1 / D**2).verify(seed=0, profile="quick")
    >>> v.status.value
    'refuted'
    """
    cst = TRUE_CONSTANT if constant is None else sympy.sympify(constant)
    c_of = sympy.lambdify([D], cst, "math")
    variant = constant is not None and sympy.simplify(cst - TRUE_CONSTANT) != 0

    def claim(M: np.ndarray, d: int) -> float:
        return float(c_of(d)) * float(np.linalg.svd(M, compute_uv=False).sum()) ** 2

    def lower(ctx: Context) -> Evidence:
        # a failed inequality step has no concrete counterexample: run_derivation reports
        # the step and the lemma's own finding (which names values when it has them)
        return run_derivation(
            lower_bound_derivation(cst), "lower bound: variational form, then Cauchy-Schwarz "
            "(symbolic m, n, r, d)", seed=ctx.seed)

    def attain(ctx: Context) -> list[Evidence]:
        return [run_derivation(attainment_derivation(cst), "attainment by an equalized "
                               "factorization (symbolic m, n, r, d)", seed=ctx.seed),
                run_derivation(product_derivation(), "the equalized factors multiply back "
                               "to M (symbolic m, n, r, d)", seed=ctx.seed)]

    def widths(ctx: Context):
        """Instances (M, d) with d >= rank(M): random ones and fixed awkward widths."""
        rng = ctx.rng("widths")
        fixed = [(3, 4, 3, 5), (4, 4, 2, 7), (5, 3, 3, 3), (6, 5, 4, 37), (2, 2, 1, 1),
                 (1, 6, 1, 6), (7, 7, 7, 11)]
        out = []
        for mm, nn, rk, dd in fixed[: max(ctx.profile.instances, 3)]:
            out.append((conditioned_matrix(mm, nn, rng, condition=20.0, rank=rk), rk, dd))
        for _ in range(ctx.profile.instances):
            mm, nn = int(rng.integers(1, 9)), int(rng.integers(1, 9))
            rk = int(rng.integers(1, min(mm, nn) + 1))
            M = conditioned_matrix(mm, nn, rng, condition=float(rng.choice([2.0, 50.0])),
                                   rank=rk, top=float(rng.uniform(0.1, 10.0)))
            out.append((M, rk, rk + int(rng.integers(0, 10))))
        return out

    def equalized(ctx: Context) -> Evidence:
        rows = []
        for M, rk, dd in widths(ctx):
            U_, V_ = nd.equalized_factorization(M, dd)
            nuc = nd.nuclear_norm(M)
            products = np.linalg.norm(U_, axis=0) * np.linalg.norm(V_, axis=0)
            reg = float(np.sum(products**2))
            errors = {"product": float(np.linalg.norm(U_ @ V_.T - M) / np.linalg.norm(M)),
                      "equalized": float(np.max(np.abs(products - nuc / dd)) / (nuc / dd)),
                      "claim": relative_error(reg, claim(M, dd), floor=1e-300)}
            rows.append((max(errors.values()), {"m": M.shape[0], "n": M.shape[1], "rank": rk,
                                                "d": dd, "regularizer": reg,
                                                "claimed": claim(M, dd), "errors": errors}))
        return worst_case("numeric", "equalized factorization reaches the claim for d >= rank "
                          "(any d, not only powers of two)", rows, ROUNDOFF, ctx,
                          {"measure": "max of ||UV^T - M||/||M||, equalization error and "
                                      "|sum ||u_i||^2||v_i||^2 - claim| / claim",
                           "tolerance_reason": "float64 round-off of an SVD and d - 1 rotations",
                           "widths": [row[1]["d"] for row in rows]})

    def random_factorizations(ctx: Context) -> Evidence:
        rng = ctx.rng("random-factorizations")
        rows = []
        batch = 4 * ctx.profile.instances
        for _ in range(ctx.profile.instances):
            mm, nn, dd = (int(rng.integers(1, 8)), int(rng.integers(1, 8)),
                          int(rng.integers(1, 9)))
            U_ = rng.standard_normal((batch, mm, dd))
            V_ = rng.standard_normal((batch, nn, dd))
            # near-optimal ones too: equalized factors of a random M, mixed by G = I + eps E
            M0 = U_[0] @ V_[0].T
            Ue, Ve = nd.equalized_factorization(M0, dd)
            G = np.eye(dd) + 1e-3 * rng.standard_normal((batch, dd, dd))
            U2, V2 = Ue @ G, Ve @ np.linalg.inv(G).transpose(0, 2, 1)
            for UU, VV, kind in ((U_, V_, "gaussian"), (U2, V2, "near-equalized")):
                reg = np.sum(np.sum(UU**2, axis=1) * np.sum(VV**2, axis=1), axis=1)
                nuc = np.linalg.svd(UU @ VV.transpose(0, 2, 1), compute_uv=False).sum(axis=1)
                bound = float(c_of(dd)) * nuc**2
                violation = (bound - reg) / np.maximum(bound, 1e-300)
                w = int(np.argmax(violation))
                rows.append((float(violation[w]), {"m": mm, "n": nn, "d": dd, "kind": kind,
                                                   "regularizer": float(reg[w]),
                                                   "claimed_bound": float(bound[w]),
                                                   "U": UU[w], "V": VV[w]}))
        return worst_case("numeric", "no factorization goes below the claim (random and "
                          "near-equalized factorizations)", rows, ROUNDOFF, ctx,
                          {"measure": "(claim - sum ||u_i||^2 ||v_i||^2) / claim, worst of "
                                      f"{batch} factorizations per row",
                           "tolerance_reason": "float64 round-off"})

    def descent(ctx: Context) -> Evidence:
        """Minimize over factorizations from many starts; nothing may beat the claim."""
        rng = ctx.rng("descent")
        rows, table = [], []
        for _ in range(max(2, ctx.profile.instances // 4)):
            rk = int(rng.integers(1, 5))
            dd = rk + int(rng.integers(0, 5))
            sv = geometric_spectrum(rk, float(rng.uniform(1.0, 20.0)))
            C0 = rng.standard_normal((ctx.profile.starts, rk, dd))

            def objective(params, sv=sv):
                values, grads = nd.reduced_regularizer(params[0], sv)
                return values, [grads]

            res = batched_descent(objective, [C0], step=0.1, iterations=1000, grad_tol=1e-12)
            bound = float(c_of(dd)) * float(sv.sum()) ** 2
            gaps = (res.losses - bound) / bound
            table.append({"rank": rk, "d": dd, "runs": int(gaps.size),
                          "best_gap": float(gaps.min()), "median_gap": float(np.median(gaps)),
                          "fraction_within_1e-6": float(np.mean(np.abs(gaps) <= 1e-6))})
            rows.append((float(-gaps.min()), {"rank": rk, "d": dd, "singular_values": sv,
                                              "best_found": float(res.losses.min()),
                                              "claimed": bound}))
        return worst_case("landscape", "descent over factorizations from many starts never "
                          "goes below the claim", rows, ROUNDOFF, ctx,
                          {"measure": "(claim - best value found) / claim",
                           "method": "U = A C, V = B D with the best D for each C in closed "
                                     "form; batched gradient descent on C",
                           "tolerance_reason": "float64 round-off", "runs": table})

    Nsym = sympy.Symbol("||M||_*", nonnegative=True)
    return Theorem(
        id="dropout.induced_regularizer",
        title="Dropout's induced regularizer is the squared nuclear norm over d"
        + (" (variant)" if variant else ""),
        statement=Eq(sympy.Function("Omega_d")(sympy.Symbol("M")), cst * Nsym**2),
        hypotheses=[
            "M in R^{m x n} of rank r; factorizations U V^T = M of width d >= r",
            "Omega_d(M) = min over such factorizations of sum_i ||u_i||^2 ||v_i||^2",
            "d < rank(M) admits no factorization (ValueError in the kernels)",
        ],
        references=[MIANJY, CAVAZZA, HAEFFELE_2020, SEED],
        note="proofs_notes/dropout_optimum.md",
        checks=[
            Check("lower bound derivation", "symbolic", lower,
                  "theorems.symbolic.sums (canonicalizer), Lagrange and Bessel identities"),
            Check("attainment derivations", "symbolic", attain,
                  "theorems.symbolic.sums, Givens step identities"),
            Check("equalized factorizations", "numeric", equalized,
                  "numerics.dropout.equalized_factorization"),
            Check("random factorizations", "numeric", random_factorizations,
                  "numerics.dropout.equalized_factorization, numpy.linalg.svd"),
            Check("descent over factorizations", "landscape", descent,
                  "numerics.dropout.reduced_regularizer, numerics.descent.batched_descent"),
        ],
        derivations={"lower bound": lambda: lower_bound_derivation(cst),
                     "attainment": lambda: attainment_derivation(cst),
                     "product": product_derivation},
    )


# -- dropout.global_optimum -------------------------------------------------------------------


def global_optimum(kappa: sympy.Expr | None = None, threshold: sympy.Expr | None = None,
                   capped: bool = True) -> Theorem:
    """The closed-form global optimum of dropout matrix factorization (MATH 4).

    Parameters
    ----------
    kappa : SymPy expression in :data:`LAMBDA` and :data:`D`, default lambda / d
        The claimed weight of ||M||_*^2 in the equivalent problem.
    threshold : SymPy expression in :data:`KAPPA`, :data:`S_RHO`, :data:`RHO`
        The claimed tau, default kappa S_rho / (1 + kappa rho); rho is the largest j
        with sigma_j > threshold(kappa, S_j, j).
    capped : bool, default True
        Whether rho is capped at the width d.

    Any other choice states a false closed form, which verification must refute.

    Examples
    --------
    >>> v = global_optimum(capped=False).verify(seed=0, profile="quick")
    >>> v.status.value
    'refuted'
    """
    kap = TRUE_KAPPA if kappa is None else sympy.sympify(kappa)
    thr = TRUE_THRESHOLD if threshold is None else sympy.sympify(threshold)
    variant = (sympy.simplify(kap - TRUE_KAPPA) != 0 or sympy.simplify(thr - TRUE_THRESHOLD) != 0
               or not capped)
    claim = _Claim(kap, thr, capped)

    def symbolic(ctx: Context) -> Evidence:
        out = stationarity(thr)
        steps = list(out["steps"])
        reduction = sympy.simplify(kap - LAMBDA * TRUE_CONSTANT)
        steps.insert(0, {"name": "reduction: lambda Omega_d(M) = kappa ||M||_*^2 with "
                                 "Omega_d = ||M||_*^2/d (dropout.induced_regularizer)",
                         "ok": reduction == 0,
                         "detail": f"claimed kappa {kap}; lambda/d - kappa = {-reduction}"})
        ok = all(st["ok"] for st in steps)
        cex = out["counterexample"]
        if reduction != 0:
            cex = dict(cex or {})
            cex.update({"lambda": "1", "d": "2", "claimed_kappa": str(kap.subs({LAMBDA: 1,
                                                                                D: 2})),
                        "kappa_from_omega": "1/2"})
        return Evidence(
            "symbolic", "kappa, tau and the rule for rho from the KKT conditions (rho symbolic)",
            ok, instances=1, general=False,
            details={"steps": steps, "derived_tau": str(out["tau"]),
                     "scope": "symbolic rho and kappa; the reduction to singular values (von "
                              "Neumann's trace inequality) and the rank cap are checked "
                              "numerically, so this evidence is not marked general"},
            counterexample=None if ok else cex)

    def instances(ctx: Context, name: str):
        rng = ctx.rng(name)
        return [_random_instance(rng) for _ in range(3 * ctx.profile.instances)]

    def support_search(ctx: Context) -> Evidence:
        rows = []
        for X, theta, dd in instances(ctx, "support-search"):
            sol = claim.solve(X, theta, dd)
            best = _support_search(sol["sigma"], sol["kappa"], dd)
            direct = nd.nuclear_squared_objective(X, sol["M"], sol["kappa"])
            err = max(relative_error(sol["value"], best, floor=1e-12),
                      relative_error(direct, sol["value"], floor=1e-12))
            note = "feasible"
            if sol["rho"] > dd:
                err = float("inf")  # infeasible: the claimed minimizer is wider than d
                note = f"rank(M*) = {sol['rho']} > d = {dd}: no width-d factorization has it"
            rows.append((err, {**_shape(X, theta, dd), "rho": sol["rho"], "tau": sol["tau"],
                               "feasibility": note,
                               "kappa": sol["kappa"], "claimed_value": sol["value"],
                               "support_search_value": best, "objective_at_claimed_M": direct,
                               "X": X}))
        return worst_case("numeric", "closed form against exhaustive search over supports of "
                          "at most d singular values", rows, ROUNDOFF, ctx,
                          {"measure": "relative error of the claimed value against the search, "
                                      "and against the objective at the claimed M*; inf if "
                                      "rank(M*) > d",
                           "tolerance_reason": "float64 round-off"})

    def factorization(ctx: Context) -> Evidence:
        rows = []
        for X, theta, dd in instances(ctx, "factorization"):
            sol = claim.solve(X, theta, dd)
            info = {**_shape(X, theta, dd), "rho": sol["rho"], "claimed_value": sol["value"]}
            if sol["rho"] > dd:
                rows.append((float("inf"), {**info, "error": f"rank(M*) = {sol['rho']} > d"}))
                continue
            if sol["rho"] == 0:
                U_, V_ = np.zeros((X.shape[0], dd)), np.zeros((X.shape[1], dd))
            else:
                U_, V_ = nd.equalized_factorization(sol["M"], dd)
            value = float(nd.factorized_losses(X, U_[None], V_[None], sol["lam"])[0])
            eq = float(_equalization_error(U_[None], V_[None])[0]) if sol["rho"] else 0.0
            rows.append((max(relative_error(value, sol["value"], floor=1e-12), eq),
                         {**info, "dropout_objective": value, "equalization_error": eq}))
        return worst_case("numeric", "an equalized factorization of M* attains the claimed value "
                          "in the dropout objective", rows, ROUNDOFF, ctx,
                          {"measure": "relative error of ||X - UV^T||^2 + lambda sum "
                                      "||u_i||^2||v_i||^2 against the claimed value, and the "
                                      "equalization error",
                           "tolerance_reason": "float64 round-off"})

    def convex_instances(ctx: Context, binding: bool):
        """Regime A (uncapped rho <= d) or B (the width binds, closed-form gap >= STRICT_GAP)."""
        rng = ctx.rng("convex-binding" if binding else "convex-free")
        out = []
        for _ in range(400):
            if len(out) == max(2, ctx.profile.instances // 4):
                break
            mm, nn = int(rng.integers(4, 9)), int(rng.integers(4, 9))
            cond = 3.0 if binding else 10.0
            X = conditioned_matrix(mm, nn, rng, condition=cond, top=float(rng.uniform(0.5, 3)))
            theta = float(rng.uniform(0.7, 0.9) if binding else rng.uniform(0.3, 0.7))
            lam = (1 - theta) / theta
            sig = _spectrum(X)[1]
            free = [dd for dd in range(1, min(mm, nn) + 1)
                    if nd.dropout_threshold(sig, claim.kappa(lam, dd))[0] <= dd]
            if binding:
                cands = [dd for dd in range(1, min(mm, nn) - 1) if dd not in free]
                if not cands:
                    continue
                dd = int(rng.choice(cands))
                kp = claim.kappa(lam, dd)
                capped_v = nd.threshold_value(sig, kp, *nd.dropout_threshold(sig, kp, dd))
                free_v = nd.threshold_value(sig, kp, *nd.dropout_threshold(sig, kp))
                if (capped_v - free_v) / capped_v < STRICT_GAP:
                    continue
            else:
                if not free:
                    continue
                dd = min(free) + int(rng.integers(0, 2))
                dd = min(dd, min(mm, nn))
            out.append((X, theta, dd))
        return out

    def convex_free(ctx: Context) -> Evidence:
        rows, statuses = [], []
        for X, theta, dd in convex_instances(ctx, binding=False):
            sol = claim.solve(X, theta, dd)
            res, Mc = nd.solve_nuclear_squared(X, sol["kappa"])
            statuses.append(res.status)
            if not res.optimal:
                return Evidence("convex", "uncapped rho <= d: CVXPY agrees with the closed form",
                                None, details={"error": f"SCS status {res.status!r}",
                                               "instance": _shape(X, theta, dd)})
            value_err = relative_error(sol["value"], res.value, floor=1e-12)
            m_err = float(np.linalg.norm(Mc - sol["M"]) / max(np.linalg.norm(sol["M"]), 1e-12))
            # h is 2-strongly convex, so if M* minimizes it, every M (SCS's included) has
            # ||M - M*||^2 <= h(M) - h(M*): no solver tolerance, float64 round-off only
            h_star = nd.nuclear_squared_objective(X, sol["M"], sol["kappa"])
            h_cvx = nd.nuclear_squared_objective(X, Mc, sol["kappa"])
            excess = float(np.sum((Mc - sol["M"]) ** 2)) - (h_cvx - h_star)
            rows.append((max(value_err / SCS_VALUE_TOL, excess / (ROUNDOFF * h_star)),
                         {**_shape(X, theta, dd), "rho": sol["rho"],
                          "claimed_value": sol["value"], "convex_value": res.value,
                          "value_error": value_err, "minimizer_error": m_err,
                          "strong_convexity_excess": excess}))
        return worst_case("convex", "uncapped rho <= d: CVXPY agrees with the closed form "
                          "(value and minimizer)", rows, 1.0, ctx,
                          {"measure": f"max(value error / {SCS_VALUE_TOL}, (||M_scs - M*||^2 - "
                                      f"(h(M_scs) - h(M*))) / ({ROUNDOFF} h(M*))); passes at "
                                      "<= 1",
                           "solver": "SCS, eps 1e-7, status 'optimal' required",
                           "tolerance_reason": "values: SCS residual/gap tolerance 1e-7, 100x "
                                               "margin; minimizer: 2-strong convexity of h, "
                                               "float64 round-off only",
                           "statuses": statuses})

    def convex_binding(ctx: Context) -> list[Evidence]:
        name = "width binds: the convex problem (no rank cap) is strictly lower"
        rows = []
        for X, theta, dd in convex_instances(ctx, binding=True):
            sol = claim.solve(X, theta, dd)
            free = claim.solve(X, theta, dd, capped=False)
            res, _ = nd.solve_nuclear_squared(X, sol["kappa"])
            if not res.optimal:
                return [Evidence("convex", name, None,
                                 details={"error": f"SCS status {res.status!r}",
                                          "instance": _shape(X, theta, dd)})]
            rows.append({**_shape(X, theta, dd), "claimed_rho": sol["rho"],
                         "uncapped_rho": free["rho"], "claimed_value": sol["value"],
                         "convex_value": res.value,
                         "gap": (sol["value"] - res.value) / sol["value"],
                         "uncapped_error": relative_error(free["value"], res.value, 1e-12)})
        if not rows:
            return [Evidence("convex", name, None,
                             details={"error": "no width-binding instance was drawn"})]
        margin = 10 * SCS_VALUE_TOL
        worst = min(rows, key=lambda row: row["gap"])
        strict = all(row["gap"] >= margin for row in rows)
        # every check reads "measured <= tolerance"; here the gap must be large, so the
        # measured quantity is minus the smallest gap, held below minus the margin
        gap_ev = Evidence(
            "convex", name, strict, measured=-worst["gap"], tolerance=-margin,
            instances=len(rows),
            details={"measure": "-(width-d closed-form value - convex value) / closed-form "
                                "value; passes when every gap is at least -tolerance",
                     "expected": "yes: the theorem is about the width-d problem, and the "
                                 "convex problem drops rank <= d, so its value is lower here; "
                                 "this is not a failure of the closed form",
                     "what_it_checks": f"instances are drawn with a true closed-form gap >= "
                                       f"{STRICT_GAP}, so for the true statement this is a "
                                       "solver sanity check; a claim that ignores the width "
                                       "(no cap at d) lands on the convex value and fails",
                     "rows": rows, "solver": "SCS, eps 1e-7, status 'optimal' required"},
            counterexample=None if strict else {"seed": ctx.seed, **worst,
                                                "reason": "the claimed width-d optimum is not "
                                                          "above the convex relaxation"})
        worst_u = max(rows, key=lambda row: row["uncapped_error"])
        uncapped_ok = all(row["uncapped_error"] <= SCS_VALUE_TOL for row in rows)
        free_ev = Evidence(
            "convex", "width binds: the uncapped rule solves the convex problem", uncapped_ok,
            measured=worst_u["uncapped_error"], tolerance=SCS_VALUE_TOL, instances=len(rows),
            details={"measure": "relative error of the uncapped closed-form value against SCS",
                     "tolerance_reason": "SCS eps 1e-7"},
            counterexample=None if uncapped_ok else {"seed": ctx.seed, **worst_u})
        return [gap_ev, free_ev]

    def landscape_instances(ctx: Context):
        rng = ctx.rng("landscape")
        count = {"quick": 2, "standard": 3}.get(ctx.profile.name, 6)
        out = []
        while len(out) < count:
            mm, nn = int(rng.integers(5, 9)), int(rng.integers(5, 9))
            X = conditioned_matrix(mm, nn, rng, condition=float(rng.uniform(3.0, 10.0)))
            theta = float(rng.uniform(0.25, 0.95))
            dd = int(rng.integers(2, 6))
            lam = (1 - theta) / theta
            binds = nd.dropout_threshold(_spectrum(X)[1], claim.kappa(lam, dd))[0] > dd
            # first instance: the cap binds; second: it does not; then either
            if (len(out) == 0 and not binds) or (len(out) == 1 and binds):
                continue
            out.append((X, theta, dd, binds))
        return out

    def landscape(ctx: Context) -> list[Evidence]:
        rng = ctx.rng("landscape-starts")
        iterations = 1500 if ctx.profile.name == "quick" else 2000
        table, reach_rows, below_rows, eq_rows = [], [], [], []
        for X, theta, dd, binds in landscape_instances(ctx):
            sol = claim.solve(X, theta, dd)
            U0, V0 = _descent_start(X, dd, ctx.profile.starts, rng)
            res = batched_descent(nd.factorized_objective(X, sol["lam"]), [U0, V0],
                                  step=0.1 / np.linalg.norm(X, 2), iterations=iterations,
                                  grad_tol=1e-10)
            values = nd.factorized_losses(X, *res.params, sol["lam"])
            gaps = (values - sol["value"]) / sol["value"]
            at = np.abs(gaps) <= LANDSCAPE_TOL
            rest = gaps[~at]
            info = {**_shape(X, theta, dd), "claimed_rho": sol["rho"], "width_binds": binds}
            table.append({**info, "runs": int(gaps.size), "at_global_value": int(at.sum()),
                          "fraction": float(at.mean()), "best_gap": float(gaps.min()),
                          "rest_min_gap": float(rest.min()) if rest.size else None,
                          "rest_median_gap": float(np.median(rest)) if rest.size else None,
                          "rest_max_gap": float(rest.max()) if rest.size else None,
                          "median_grad_norm": float(np.median(res.grad_norms)),
                          # slow or stuck: a run still moving has a gradient far from 0
                          "rest_median_grad_norm": (float(np.median(res.grad_norms[~at]))
                                                    if rest.size else None),
                          "iterations": res.iterations})
            reach_rows.append((float(np.min(np.abs(gaps))), {**info, "claimed": sol["value"],
                                                             "best_found": float(values.min())}))
            w = int(np.argmin(gaps))
            below_rows.append((float(-gaps[w]), {**info, "claimed": sol["value"],
                                                 "found": float(values[w]),
                                                 "U": res.params[0][w], "V": res.params[1][w],
                                                 "X": X}))
            near = np.abs(gaps) <= AT_OPTIMUM
            if near.any():
                eq = _equalization_error(res.params[0][near], res.params[1][near])
                eq_rows.append((float(eq.max()), {**info, "runs_compared": int(near.sum())}))
        details = {"runs": table, "tolerance_reason": f"a run is at the global value when its "
                   f"relative gap is <= {LANDSCAPE_TOL}", "iterations": iterations}
        evidence = [
            worst_case("landscape", "batched descent from many starts reaches the closed-form "
                       "value", reach_rows, LANDSCAPE_TOL, ctx,
                       {**details, "measure": "relative gap of the best run"}),
            worst_case("landscape", "no descent run ends below the closed-form value",
                       below_rows, ROUNDOFF, ctx,
                       {"measure": "(claimed - lowest final value) / claimed",
                        "tolerance_reason": "float64 round-off of the accurate residual form"}),
        ]
        if eq_rows:
            evidence.append(worst_case(
                "landscape", "optima found by descent are equalized", eq_rows, EQUALIZED_TOL,
                ctx, {"measure": "max_i | ||u_i|| ||v_i|| - ||UV^T||_*/d | / (||UV^T||_*/d) "
                                 f"over runs within {AT_OPTIMUM} of the global value",
                      "tolerance_reason": "equalization error is first order in the distance "
                                          "to the optimal set, the value gap second order"}))
        else:
            evidence.append(Evidence("landscape", "optima found by descent are equalized", None,
                                     details={"error": "no run reached the global value"}))
        return evidence

    def sgd(ctx: Context) -> Evidence:
        rng = ctx.rng("sgd")
        count = {"quick": 1, "standard": 2}.get(ctx.profile.name, 4)
        runs = 8 if ctx.profile.name == "quick" else 16
        steps = 10_000 if ctx.profile.name == "quick" else 20_000
        rows = []
        for _ in range(count):
            mm, nn = int(rng.integers(5, 9)), int(rng.integers(5, 9))
            X = conditioned_matrix(mm, nn, rng, condition=10.0)
            theta, dd = float(rng.uniform(0.4, 0.8)), int(rng.integers(2, 5))
            sol = claim.solve(X, theta, dd)
            U0, V0 = _descent_start(X, dd, runs, rng)
            U_, V_ = nd.dropout_sgd(X, U0, V0, theta, steps, rng, lr=0.05, decay=0.002)
            gaps = (nd.factorized_losses(X, U_, V_, sol["lam"]) - sol["value"]) / sol["value"]
            # passes when the median run ends within SGD_TOL and no run ends below the value
            measured = max(float(np.median(np.abs(gaps))), float(-gaps.min()))
            rows.append((measured, {**_shape(X, theta, dd), "runs": runs, "steps": steps,
                                    "claimed": sol["value"], "median_gap": float(np.median(gaps)),
                                    "min_gap": float(gaps.min()), "max_gap": float(gaps.max())}))
        return worst_case("landscape", "stochastic dropout training (sampled masks, SGD) ends "
                          "near the closed-form value", rows, SGD_TOL, ctx,
                          {"measure": "max(median |relative gap|, largest relative amount by "
                                      "which a run ends below the value)",
                           "tolerance_reason": "SGD with steps lr/(1 + 0.002 t) keeps an excess "
                                               "of order step x gradient variance (~5e-4 "
                                               "measured); the expected loss is evaluated "
                                               "exactly"})

    tau_sym = sympy.Symbol("tau")
    return Theorem(
        id="dropout.global_optimum",
        title="The global optimum of dropout matrix factorization" + (" (variant)" if variant
                                                                      else ""),
        statement=sympy.And(Eq(KAPPA, kap), Eq(tau_sym, thr)),
        hypotheses=[
            "X in R^{m x n} with SVD sum_i sigma_i a_i b_i^T, sigma decreasing; width d >= 1",
            "theta in (0, 1], lambda = (1 - theta)/theta",
            "rho = max{j" + (" <= d" if capped else "") + " : sigma_j > threshold(kappa, S_j, "
            "j)}, M* = sum_{i <= rho} (sigma_i - tau) a_i b_i^T",
            "claimed value rho tau^2 + sum_{i > rho} sigma_i^2 + kappa (S_rho - rho tau)^2",
        ],
        references=[CAVAZZA, MIANJY, SEED],
        note="proofs_notes/dropout_optimum.md",
        checks=[
            Check("stationarity", "symbolic", symbolic, "sympy (diff, solve, Sum)"),
            Check("support search", "numeric", support_search,
                  "exhaustive search over supports (von Neumann reduction)"),
            Check("factorized value", "numeric", factorization,
                  "numerics.dropout.equalized_factorization, factorized_losses"),
            Check("convex, width free", "convex", convex_free,
                  "numerics.dropout.solve_nuclear_squared (CVXPY, SCS)"),
            Check("convex, width binds", "convex", convex_binding,
                  "numerics.dropout.solve_nuclear_squared (CVXPY, SCS)"),
            Check("landscape", "landscape", landscape,
                  "numerics.dropout.factorized_objective, numerics.descent.batched_descent"),
            Check("stochastic dropout", "landscape", sgd, "numerics.dropout.dropout_sgd"),
        ],
        figures={"singular values of X and of the dropout optimum M*": _spectrum_figure,
                 "final losses of batched descent against the closed-form value":
                 _final_losses_figure},
    )


def _figure_instance(ctx: Context) -> tuple[np.ndarray, float, int]:
    """A 20 x 15 instance of rank 12, theta = 0.5, d = 10 (rho = 7 < d: the width is free)."""
    rng = ctx.rng("figure instance")
    X = conditioned_matrix(20, 15, rng, condition=10.0, rank=12, top=3.0)
    return X, 0.5, 10


def _spectrum_figure(ctx: Context):
    from theorems.figures import spectrum_figure

    X, theta, d = _figure_instance(ctx)
    g = nd.global_minimizer(X, theta, d)
    sigma = np.linalg.svd(X, compute_uv=False)
    optimum = np.linalg.svd(g.M, compute_uv=False)
    return spectrum_figure({"X": sigma, f"M* (rho = {g.rho}, tau = {g.tau:.3g})": optimum},
                           f"X 20 x 15, theta = {theta}, d = {d}: top rho values shrink by tau")


def _final_losses_figure(ctx: Context):
    from theorems.figures import histogram_figure

    X, theta, d = _figure_instance(ctx)
    g = nd.global_minimizer(X, theta, d)
    U0, V0 = _descent_start(X, d, ctx.profile.starts, ctx.rng("figure starts"))
    res = batched_descent(nd.factorized_objective(X, g.lam), [U0, V0],
                          step=0.1 / np.linalg.norm(X, 2), iterations=2000, grad_tol=1e-10)
    values = nd.factorized_losses(X, *res.params, g.lam)
    return histogram_figure(values, g.value, f"{values.size} starts, X 20 x 15, d = {d}",
                            "final dropout objective", "closed-form value")


THEOREMS = [induced_regularizer, global_optimum]
