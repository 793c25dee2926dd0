"""Lemma combinators for derivations: rewriting under hypotheses, monotonicity, certificates.

The pieces every inequality derivation of the catalog is built from:

* :func:`orthonormal` applies "the columns of B are orthonormal" to a canonical sum;
* :func:`equal_mod` compares two expressions after such rewrites;
* :func:`nondecreasing_in` decides (without cancellation) that an expression cannot
  decrease when a non-negative factor grows, the licence for replacing a factor by
  a larger one;
* :func:`lagrange_certificate` and :func:`bessel_certificate` are the identities
  behind Cauchy-Schwarz and Bessel, checked for symbolic lengths;
* :func:`confirmed_lemma` wraps a symbolic lemma so that each step is also
  evaluated on a concrete instance (a failure there refutes the step);
* :func:`under_square` applies a rule inside x -> c x^2.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy
from sympy import Add, Indexed, IndexedBase, KroneckerDelta, Mul, Pow, Rational, Sum

from theorems.derivation import Lemma, Rule
from theorems.symbolic.sums import Term, canonical, manifestly_nonnegative, terms

__all__ = [
    "CheckFn",
    "orthonormal",
    "equal_mod",
    "nondecreasing_in",
    "lagrange_certificate",
    "bessel_certificate",
    "confirmed_lemma",
    "root",
    "under_square",
]

CheckFn = Callable[[sympy.Expr, sympy.Expr, str], tuple[bool | None, str]]

_k, _l, _a, _c = sympy.symbols("k l a c", integer=True, positive=True)
_m, _r = sympy.symbols("m r", integer=True, positive=True)
_x, _y = IndexedBase("x", real=True), IndexedBase("y", real=True)
_A = IndexedBase("A", real=True)


def orthonormal(expr: sympy.Expr, base: IndexedBase, axis: int, length: sympy.Expr) -> sympy.Expr:
    """Apply the hypothesis "the columns (axis 0 summed) of ``base`` are orthonormal".

    In every flattened term, a dummy that runs over 1..length and occurs exactly
    in two factors base[dummy, p] base[dummy, q] (with ``axis`` the position of the
    dummy) is summed out into KroneckerDelta(p, q).  The result is equal to ``expr``
    whenever sum_c base[c, p] base[c, q] = delta_pq, for every size.

    >>> i, j, n = sympy.symbols("i j n", integer=True, positive=True)
    >>> B = IndexedBase("B")
    >>> orthonormal(Sum(B[_a, i] * B[_a, j], (_a, 1, n)), B, 0, n)
    KroneckerDelta(i, j)
    """
    out = []
    for term in terms(expr):
        changed = True
        while changed:
            changed = False
            for var, lo, hi in term.limits:
                if lo != 1 or hi != length:
                    continue
                partners = _orthonormal_partners(Mul.make_args(term.body), var, base, axis)
                if partners is None:
                    continue
                rest = Mul(*[f for f in Mul.make_args(term.body) if var not in f.free_symbols])
                limits = tuple(lim for lim in term.limits if lim[0] != var)
                term = Term(term.coeff, limits, rest * KroneckerDelta(*partners))
                changed = True
                break
        out.append(term.to_expr())
    return Add(*out)


def _orthonormal_partners(factors, var, base, axis) -> list[sympy.Expr] | None:
    """The two other indices of base[var, p] base[var, q] among ``factors``, else None."""
    partners: list[sympy.Expr] = []
    for f in factors:
        if var not in f.free_symbols:
            continue
        root_, power = (f.base, f.exp) if isinstance(f, Pow) else (f, sympy.S.One)
        if not (isinstance(root_, Indexed) and len(root_.indices) == 2):
            return None
        other = root_.indices[1 - axis]
        if not (root_.base == base and root_.indices[axis] == var
                and var not in other.free_symbols and power.is_Integer and power > 0):
            return None
        partners += [other] * int(power)
    return partners if len(partners) == 2 else None


def equal_mod(before: sympy.Expr, after: sympy.Expr,
              rewrites: list[Callable[[sympy.Expr], sympy.Expr]]) -> tuple[bool, str]:
    """Whether both sides have the same canonical form after the same rewrites.

    >>> equal_mod(_x[_k] * 2, _x[_k] + _x[_k], [])
    (True, 'canonical forms agree modulo the hypotheses')
    """
    lhs, rhs = before, after
    for rw in rewrites:
        lhs, rhs = rw(lhs), rw(rhs)
    diff = canonical(lhs) - canonical(rhs)
    if diff.is_zero():
        return True, "canonical forms agree modulo the hypotheses"
    return False, f"canonical forms differ by {len(diff)} term(s): {diff.to_expr()}"


def nondecreasing_in(expr: sympy.Expr, old: sympy.Expr) -> tuple[bool, str]:
    """Whether ``expr`` is manifestly non-decreasing in ``old`` on old >= 0.

    Every occurrence of ``old`` is replaced by a fresh symbol w >= 0 and the derivative
    in w must be manifestly non-negative (:func:`manifestly_nonnegative`).  Since that test uses
    no cancellation, each occurrence contributes a non-negative partial derivative on
    its own, whatever the others hold; so raising each occurrence from ``old`` to any
    larger value (possibly different for each unit i of a sum) cannot lower ``expr``.
    "``expr`` is non-negative" would not do: (c - old)^2 and 1/(1 + old) are, and
    decrease in ``old``.

    >>> w = sympy.Symbol("x", nonnegative=True)
    >>> nondecreasing_in(w**2 + w, w)[0], nondecreasing_in((2 - w) ** 2, w)[0]
    (True, False)
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


def lagrange_certificate(length: sympy.Expr) -> tuple[bool, str]:
    """Cauchy-Schwarz in R^length from the Lagrange identity, for symbolic length:
    (sum x^2)(sum y^2) - (sum x y)^2 = 1/2 sum_k sum_l (x_k y_l - x_l y_k)^2 >= 0.

    >>> lagrange_certificate(sympy.Symbol("d", integer=True, positive=True))[0]
    True
    """
    lhs = (Sum(_x[_k] ** 2, (_k, 1, length)) * Sum(_y[_k] ** 2, (_k, 1, length))
           - Sum(_x[_k] * _y[_k], (_k, 1, length)) ** 2)
    rhs = Rational(1, 2) * Sum((_x[_k] * _y[_l] - _x[_l] * _y[_k]) ** 2, (_k, 1, length),
                               (_l, 1, length))
    ok = canonical(lhs) == canonical(rhs)
    return ok, ("Lagrange identity (sum x^2)(sum y^2) - (sum xy)^2 = 1/2 sum_kl "
                f"(x_k y_l - x_l y_k)^2 checked for symbolic length {length}: "
                + ("canonical forms agree" if ok else "FAILED"))


def bessel_certificate() -> tuple[bool, str]:
    """sum_k (a_k . u)^2 = ||u||^2 - ||u - sum_k (a_k . u) a_k||^2 when A^T A = I.

    Checked for symbolic m (rows) and r (orthonormal columns).

    >>> bessel_certificate()[0]
    True
    """
    proj = Sum(_A[_a, _k] * Sum(_A[_c, _k] * _x[_c], (_c, 1, _m)), (_k, 1, _r))
    residual = Sum((_x[_a] - proj) ** 2, (_a, 1, _m))
    rhs = (Sum(_x[_a] ** 2, (_a, 1, _m))
           - Sum(Sum(_A[_a, _k] * _x[_a], (_a, 1, _m)) ** 2, (_k, 1, _r)))
    ok, detail = equal_mod(residual, rhs, [lambda ex: orthonormal(ex, _A, 0, _m)])
    return ok, ("Bessel identity ||u - A A^T u||^2 = ||u||^2 - ||A^T u||^2 for any A with "
                f"A^T A = I, symbolic m, r: {detail}")


def confirmed_lemma(name: str, description: str, check: CheckFn,
                    evaluate: Callable[[sympy.Expr], float], where: str,
                    rtol: float = 1e-12) -> Lemma:
    """A symbolic lemma whose steps are also evaluated on a concrete instance.

    ``evaluate`` maps an expression to its float value on the instance (``where``
    describes it).  A step the instance violates is refuted; a symbolically
    unproved step stays unproved whatever the instance says; ``rtol`` is the
    relative round-off allowance of the float evaluation.
    """

    def confirm(before: sympy.Expr, after: sympy.Expr, relation: str) -> tuple[bool | None, str]:
        try:
            lv, rv = evaluate(before), evaluate(after)
        except Exception as exc:  # noqa: BLE001 - an unevaluated side is not a pass
            return None, f"numeric evaluation failed: {type(exc).__name__}: {exc}"
        scale = max(abs(lv), abs(rv), 1e-300)
        holds = {"<=": lv <= rv + rtol * scale, "=": abs(lv - rv) <= rtol * scale}[relation]
        return holds, (f"numerically {where}: {lv:.12g} {relation} {rv:.12g}"
                       + ("" if holds else " is false"))

    def run(before: sympy.Expr, after: sympy.Expr, relation: str) -> tuple[bool | None, str]:
        ok, detail = check(before, after, relation)
        if ok is False:
            return ok, detail
        num_ok, num_detail = confirm(before, after, relation)
        if num_ok is False:  # a concrete instance where the step fails refutes it
            return False, f"{detail}; and {num_detail}"
        if ok is None:  # unproved stays unproved, whatever one instance says
            return None, f"{detail}; {num_detail}"
        return ok if num_ok else None, f"{detail}; {num_detail}"

    return Lemma(name, run, description, symbolic=True)


def root(expr: sympy.Expr, constant: sympy.Expr) -> sympy.Expr:
    """x from ``constant * x**2``; ValueError when ``expr`` has another form.

    >>> root(3 * _x[_k] ** 2, sympy.Integer(3))
    x[k]
    """
    squared = expr / constant
    if not (isinstance(squared, Pow) and squared.exp == 2):
        raise ValueError(f"expected {constant} * (...)**2, got {expr}")
    return squared.base


def under_square(rule: Rule, constant: sympy.Expr, bounds_absolute: bool = False) -> Lemma:
    """Apply ``rule`` inside x -> constant * x^2.

    For an equality nothing more is needed.  For ``<=`` the map must be increasing
    on the values involved: constant > 0 and 0 <= x_before, or the inner lemma
    bounds |x_before| itself (``bounds_absolute``).
    """

    def check(before: sympy.Expr, after: sympy.Expr, relation: str) -> tuple[bool | None, str]:
        xb, xa = root(before, constant), root(after, constant)
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
