"""The symbolic side of generalization.rademacher_linear: statement, Jensen derivation, m = 2.

The upper bound is derived for symbolic m and n:

    (B/m) E sqrt(sum_a (sum_i s_i x_ia)^2)
        <= (B/m) sqrt(E sum_a (sum_i s_i x_ia)^2)          (Jensen: sqrt is concave)
         = (B/m) sqrt(E sum_a (sum_i (2 r_i - 1) x_ia)^2)  (s_i = 2 r_i - 1, r_i ~ Bernoulli(1/2))
         = (B/m) sqrt(sum_i sum_a x_ia^2)                  (E[s_i s_j] = delta_ij)

where the last two links are checked by the library's canonicalizer and Bernoulli
moments, and the Jensen link by a lemma that checks its shape (an expectation of a
square root, with a nonnegative coefficient, becomes the square root of the expectation).
"""

from __future__ import annotations

import sympy
from sympy import And, Indexed, Le, Rational, Sum, sqrt

from theorems.core import Evidence
from theorems.derivation import Derivation, Lemma, Step, Transform
from theorems.symbolic.expectation import Expectation, bernoulli_moments, linearity
from theorems.symbolic.sums import equivalent

__all__ = ["sides", "statement", "upper_derivation", "two_point_evidence"]

m, n, d = sympy.symbols("m n d", integer=True, positive=True)
i, a = sympy.symbols("i a", integer=True, positive=True)
B = sympy.Symbol("B", positive=True)
X, s, r = sympy.IndexedBase("x"), sympy.IndexedBase("s"), sympy.IndexedBase("r")
XMAX = sympy.Symbol("max|x_ij|")


def sides() -> tuple[sympy.Expr, sympy.Expr]:
    """R_S = (B/m) E||sum_i s_i x_i|| and T = (B/m) sqrt(sum_i ||x_i||^2), symbolic m, n."""
    rs = B / m * Expectation(sqrt(Sum(Sum(s[i] * X[i, a], (i, 1, m)) ** 2, (a, 1, n))))
    t = B / m * sqrt(Sum(X[i, a] ** 2, (i, 1, m), (a, 1, n)))
    return rs, t


def statement(claim) -> sympy.Expr:
    """lower T <= R_S <= upper T, and R_S(l1 ball) <= B max|x_ij| sqrt(c log(2d)/m)."""
    rs, t = sides()
    ball = sympy.Symbol(f"R_S(l{claim.massart_ball} ball)")
    massart = B * XMAX * sqrt(claim.massart * sympy.log(2 * d) / m)
    return And(Le(claim.lower * t, rs), Le(rs, claim.upper * t), Le(ball, massart))


def _jensen(before: sympy.Expr, after: sympy.Expr, relation: str) -> tuple[bool, str]:
    """c E[sqrt(Q)] <= c sqrt(E[Q]) for c >= 0 (Jensen's inequality, sqrt concave)."""
    if relation != "<=":
        return False, f"Jensen gives E sqrt(Q) <= sqrt(E Q), not {relation!r}"
    found = [e for e in before.atoms(Expectation)]
    if len(found) != 1 or not (isinstance(found[0].args[0], sympy.Pow)
                               and found[0].args[0].exp == Rational(1, 2)):
        return False, "expected exactly one expectation of a square root"
    inner = found[0].args[0].base
    coefficient = sympy.simplify(before / found[0])
    if coefficient.has(Expectation) or coefficient.is_nonnegative is not True:
        return False, f"the coefficient {coefficient} is not manifestly nonnegative"
    target = coefficient * sqrt(Expectation(inner))
    ok = equivalent(target, after)
    return ok, "E sqrt(Q) <= sqrt(E Q)" if ok else f"expected {target}"


JENSEN = Lemma("Jensen (sqrt is concave)", _jensen,
               "E[sqrt(Q)] <= sqrt(E[Q]) for a nonnegative random Q")


def _as_bernoulli(expr: sympy.Expr) -> sympy.Expr:
    return expr.replace(lambda e: isinstance(e, Indexed) and e.base == s,
                        lambda e: 2 * r[e.indices[0]] - 1)


def _moments(expr: sympy.Expr) -> sympy.Expr:
    return expr.replace(lambda e: isinstance(e, Expectation),
                        lambda e: bernoulli_moments(linearity(e, {r}), {r: Rational(1, 2)}))


ONE = sympy.Integer(1)


def upper_derivation(upper: sympy.Expr = ONE) -> Derivation:
    """R_S <= upper T for symbolic m, n (Jensen, then the second moment of the signs)."""
    rs, t = sides()
    square = Sum(Sum(s[i] * X[i, a], (i, 1, m)) ** 2, (a, 1, n))
    step1 = B / m * sqrt(Expectation(square))
    step2 = B / m * sqrt(Expectation(_as_bernoulli(square)))
    return Derivation(
        "upper bound: Jensen, then E[s_i s_j] = delta_ij (symbolic m, n)",
        rs,
        [Step(step1, JENSEN, "<="),
         Step(step2, Transform("Rademacher signs", _as_bernoulli,
                               "s_i = 2 r_i - 1 with r_i independent Bernoulli(1/2)")),
         Step(upper * t, Transform("linearity and Bernoulli moments", _moments,
                                   "E[(2r_i - 1)(2r_j - 1)] = delta_ij"),
              note="the claimed upper bound")],
        general=True,
        sizes={m: 2, n: 2},
        values={B: 1},
    )


def two_point_evidence(claim) -> Evidence:
    """m = 2, n = 3, symbolic entries: the average over the four sign vectors, the claimed
    lower bound, and its equality case x_1 = x_2."""
    name = "m = 2: exact value, lower bound and its equality case (symbolic entries)"
    p = sympy.Matrix(sympy.symbols("p1:4", real=True))
    q = sympy.Matrix(sympy.symbols("q1:4", real=True))
    norm = lambda v: sqrt(sympy.expand(v.dot(v)))  # noqa: E731
    signs = [(1, 1), (1, -1), (-1, 1), (-1, -1)]
    exact = B / 2 * sum(norm(s1 * p + s2 * q) for s1, s2 in signs) / 4
    closed = B * (norm(p + q) + norm(p - q)) / 4
    t = B / 2 * sqrt(sympy.expand(p.dot(p) + q.dot(q)))
    details = {"R_S": str(closed), "T": str(t)}
    if sympy.simplify(exact - closed) != 0:
        return Evidence("symbolic", name, False, details=details,
                        counterexample={"reason": "enumeration differs from the closed form"})
    # with P = ||x1 + x2||, Q = ||x1 - x2||: P^2 + Q^2 = 2 (||x1||^2 + ||x2||^2), so
    # R_S >= c T  <=>  (P + Q)^2 >= 2 c^2 (P^2 + Q^2)  <=>  (1 - 2c^2)(P^2 + Q^2) + 2PQ >= 0
    parallelogram = sympy.expand((p + q).dot(p + q) + (p - q).dot(p - q)
                                 - 2 * (p.dot(p) + q.dot(q)))
    c = claim.lower
    holds = parallelogram == 0 and bool(1 - 2 * c**2 >= 0)
    equality = sympy.simplify((closed - c * t).subs(dict(zip(q, p, strict=True)))) == 0
    details.update({"parallelogram": str(parallelogram), "1 - 2c^2": str(1 - 2 * c**2),
                    "equality at x_1 = x_2": equality})
    if holds and equality:
        return Evidence("symbolic", name, True, measured=0.0, tolerance=0.0, details=details)
    at = {str(v): 1 if k == 0 else 0 for k, v in enumerate(list(p))}
    return Evidence("symbolic", name, False, details=details,
                    counterexample={"x_1 = x_2": at, "R_S": "B/2",
                                    "claimed lower": str(sympy.nsimplify(c / sqrt(2)) * B),
                                    "why": "bound violated" if not holds else "not attained"})
