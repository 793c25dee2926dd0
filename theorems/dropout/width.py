"""dropout.doubling: doubling the width halves the regularizer; an adaptive rate compensates.

U' = [U U]/sqrt 2, V' = [V V]/sqrt 2 keep U'V'^T = U V^T and halve
sum_i ||u_i||^2 ||v_i||^2; theta(d) = p/(p + d(1 - p)) keeps lambda(d)/d = (1 - p)/p
(MATH 1.2).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import sympy
from sympy import Eq, IndexedBase, Rational, Sum

from numerics import dropout as nd
from numerics.instances import conditioned_matrix, random_factors
from theorems.checks import random_shapes, relative_error, worst_case
from theorems.core import Check, Context, Evidence, Status, Theorem, Variant
from theorems.derivation import EXPAND, Derivation, Step, Transform, run_derivation
from theorems.dropout.common import AT, ROUNDOFF, SMALL, P, U, V, a, b, check_rate, d, i, m, n
from theorems.dropout.references import CAVAZZA, MIANJY

__all__ = ["DoublingClaim", "doubling", "doubling_derivations", "doubling_statement",
           "check_doubling_derivations", "check_rate_invariance", "check_doubling_numerics",
           "HALF", "VARIANTS"]

Up, Vp = IndexedBase("U'"), IndexedBase("V'")
HALF = Rational(1, 2)


@dataclass(frozen=True)
class DoublingClaim:
    """Claimed regularizer ratio (doubled / original) and adaptive keep probability theta(d).

    >>> DoublingClaim(rate=P).variant
    True
    """

    ratio: sympy.Expr = HALF
    rate: sympy.Expr = P / (P + d * (1 - P))

    def __post_init__(self) -> None:
        object.__setattr__(self, "ratio", check_rate("ratio", self.ratio, set()))
        object.__setattr__(self, "rate", check_rate("rate", self.rate, {P, d}))

    @property
    def variant(self) -> bool:
        return self != DoublingClaim()

    @property
    def rate_conjunct(self) -> sympy.Expr:
        """lambda(theta(d))/d = (1 - p)/p, with theta(d) the claimed rate."""
        return Eq((1 - self.rate) / (d * self.rate), (1 - P) / P, evaluate=False)


def doubling_statement(claim: DoublingClaim) -> sympy.Expr:
    return sympy.And(
        Eq(Sum(Sum(Up[a, i] ** 2, (a, 1, m)) * Sum(Vp[b, i] ** 2, (b, 1, n)), (i, 1, 2 * d)),
           claim.ratio * Sum(Sum(U[a, i] ** 2, (a, 1, m)) * Sum(V[b, i] ** 2, (b, 1, n)),
                             (i, 1, d))),
        claim.rate_conjunct)


def _unfold_doubling(expr: sympy.Expr) -> sympy.Expr:
    """Definition of ([U U]/sqrt 2, [V V]/sqrt 2): a sum over the 2d columns splits into
    the two blocks, and column i of either block is (u_i/sqrt 2, v_i/sqrt 2)."""

    def split(s: Sum) -> sympy.Expr:
        (var, lo, hi), = s.limits
        if (lo, hi) != (1, 2 * d) or not s.function.has(Up, Vp):
            return s
        body = s.function.replace(
            lambda e: isinstance(e, sympy.Indexed) and e.base in (Up, Vp),
            lambda e: (U if e.base == Up else V)[e.indices[0], e.indices[1]] / sympy.sqrt(2))
        return 2 * Sum(body, (var, 1, d))  # both blocks give the same terms

    return expr.replace(lambda e: isinstance(e, Sum) and len(e.limits) == 1, split)


def doubling_derivations(claim: DoublingClaim) -> dict[str, Derivation]:
    """The product U'V'^T = U V^T and the regularizer ratio, symbolic m, n, d."""
    unfold = Transform("definition of the doubled factors", _unfold_doubling,
                       "columns of [U U]/sqrt2 are u_i/sqrt2, twice each")
    sizes = {m: SMALL, n: SMALL, d: SMALL}
    product = Derivation(
        "the product U'V'^T equals U V^T (entry a, b; symbolic m, n, d)",
        Sum(Up[a, i] * Vp[b, i], (i, 1, 2 * d)),
        [Step(2 * Sum(U[a, i] * V[b, i] / 2, (i, 1, d)), unfold),
         Step(Sum(U[a, i] * V[b, i], (i, 1, d)), EXPAND)],
        sizes=sizes, values=AT,
    )
    reg = Sum(Sum(U[a, i] ** 2, (a, 1, m)) * Sum(V[b, i] ** 2, (b, 1, n)), (i, 1, d))
    regularizer = Derivation(
        "the regularizer of the doubled factors (symbolic m, n, d)",
        Sum(Sum(Up[a, i] ** 2, (a, 1, m)) * Sum(Vp[b, i] ** 2, (b, 1, n)), (i, 1, 2 * d)),
        [Step(2 * Sum(Sum(U[a, i] ** 2 / 2, (a, 1, m)) * Sum(V[b, i] ** 2 / 2, (b, 1, n)),
                      (i, 1, d)), unfold),
         Step(claim.ratio * reg, EXPAND, note="the claimed ratio")],
        sizes=sizes, values=AT,
    )
    rate = Derivation(
        "lambda(theta(d))/d at the adaptive rate (symbolic p, d)",
        claim.rate_conjunct.lhs,
        [Step(claim.rate_conjunct.rhs, SIMPLIFY, note="the width-1 value (1 - p)/p")])
    return {"product": product, "regularizer": regularizer, "rate": rate}


SIMPLIFY = Transform("rational simplification", sympy.simplify,
                     "cancel the rational function of p and d (sympy.simplify)")


def check_doubling_derivations(ctx: Context, claim: DoublingClaim) -> list[Evidence]:
    """Both doubling derivations; the regularizer's is bound to the first conjunct."""
    statement = doubling_statement(claim)
    derivations = doubling_derivations(claim)
    return [run_derivation(derivations[key], derivations[key].title, seed=ctx.seed,
                           statement=statement) for key in ("product", "regularizer")]


def check_rate_invariance(ctx: Context, claim: DoublingClaim) -> Evidence:
    """lambda(theta(d))/d is independent of d and equals (1 - p)/p (the second conjunct)."""
    name = "lambda(theta(d))/d is independent of d"
    lam_d = (1 - claim.rate) / claim.rate
    conjunct = claim.rate_conjunct
    # lambda(d)/d is constant in d iff its derivative in d vanishes identically; the
    # statement's second conjunct is lambda(theta(d))/d = (1 - p)/p, decided on its sides:
    # SymPy simplifies lhs - rhs to 0 for symbolic p and d, an exact decision of both sides
    slope = sympy.simplify(sympy.diff(lam_d / d, d))
    details = {"lambda(d)/d": str(sympy.simplify(lam_d / d)), "d/dd": str(slope)}
    if slope == 0 and sympy.simplify(conjunct.lhs - conjunct.rhs) == 0:
        # a one-step derivation from the conjunct's left side to its right side, bound to
        # the statement like every other derivation
        ev = run_derivation(doubling_derivations(claim)["rate"], name, seed=ctx.seed,
                            statement=doubling_statement(claim))
        ev.details.update(details)
        return ev
    # exact values at p = 1/2, d = 1, 2 against the width-1 value (1 - p)/p = 1
    values = [sympy.nsimplify((lam_d / d).subs({P: Rational(1, 2), d: dd})) for dd in (1, 2)]
    if values == [1, 1]:
        return Evidence.inconclusive(
            "symbolic", name,
            "SymPy could not simplify lambda(theta(d))/d - (1 - p)/p to 0, and the exact "
            "values at p = 1/2, d = 1, 2 agree with it", **details)
    return Evidence("symbolic", name, False, details=details,
                    counterexample={"p": "1/2", "(1 - p)/p": "1",
                                    "lambda(1)/1": str(values[0]),
                                    "lambda(2)/2": str(values[1])})


def check_doubling_numerics(ctx: Context, claim: DoublingClaim) -> list[Evidence]:
    """U'V'^T = U V^T, the ratio, and the exact dropout objective at theta(d) vs theta(2d)."""
    rng = ctx.rng("doubling")
    rate_fn = sympy.lambdify([P, d], claim.rate, "math")
    ratio = float(claim.ratio)
    product_rows, ratio_rows, objective_rows = [], [], []
    for mm, nn, dd in random_shapes(rng, ctx.profile.instances, max_d=6):
        Xm = conditioned_matrix(mm, nn, rng)
        Um, Vm = random_factors(mm, nn, dd, rng)
        U2, V2 = nd.double_columns(Um, Vm)
        inst = {"m": mm, "n": nn, "d": dd}
        product_rows.append((float(np.linalg.norm(U2 @ V2.T - Um @ Vm.T)
                                   / np.linalg.norm(Um @ Vm.T)), inst))
        reg, reg2 = nd.product_regularizer(Um, Vm), nd.product_regularizer(U2, V2)
        ratio_rows.append((relative_error(reg2, ratio * reg, 1e-12),
                           {**inst, "regularizer": reg, "doubled": reg2}))
        p_ = float(rng.uniform(0.3, 0.95))
        th1, th2 = float(rate_fn(p_, dd)), float(rate_fn(p_, 2 * dd))
        if not (0 < th1 <= 1 and 0 < th2 <= 1):
            objective_rows.append((np.inf, {**inst, "p": p_, "theta(d)": th1,
                                            "theta(2d)": th2}))
            continue
        e1 = nd.exact_expectation(Xm, Um, Vm, th1)
        e2 = nd.exact_expectation(Xm, U2, V2, th2)
        objective_rows.append((relative_error(e2, e1, 1e-12),
                               {**inst, "p": p_, "width d": e1, "width 2d": e2}))
    tol = {"measure": "relative error", "tolerance_reason": "float64 round-off"}
    return [
        worst_case("numeric", "U'V'^T = U V^T", product_rows, ROUNDOFF, ctx, tol),
        worst_case("numeric", "regularizer ratio", ratio_rows, ROUNDOFF, ctx, tol),
        worst_case("numeric", "adaptive rate: exact dropout objective unchanged by doubling",
                   objective_rows, ROUNDOFF, ctx, tol),
    ]


def doubling(ratio: sympy.Expr = HALF, rate: sympy.Expr | None = None) -> Theorem:
    """Doubling the width halves dropout's regularizer; theta(d) = p/(p + d(1-p))
    keeps lambda(d)/d = (1-p)/p fixed (MATH 1.2).

    Parameters
    ----------
    ratio : claimed regularizer(doubled) / regularizer(original), default 1/2.
    rate : claimed adaptive keep probability as a SymPy expression in P and the width
        symbol ``d`` of this family, default p/(p + d(1 - p)).

    Examples
    --------
    >>> doubling(ratio=Rational(1, 4)).verify(profile="quick").status.value
    'refuted'
    """
    claim = DoublingClaim(ratio) if rate is None else DoublingClaim(ratio, rate)
    bind = functools.partial
    return Theorem(
        id="dropout.doubling",
        title="Doubling the width halves the dropout regularizer; the adaptive rate "
              "compensates" + (" (variant)" if claim.variant else ""),
        statement=doubling_statement(claim),
        hypotheses=["U' = [U U]/sqrt(2), V' = [V V]/sqrt(2), so U'V'^T = UV^T",
                    "p in (0, 1] is the keep probability at width 1"],
        references=[CAVAZZA, MIANJY],
        note="proofs_notes/dropout.md",
        checks=[
            Check("doubling derivations", "symbolic",
                  bind(check_doubling_derivations, claim=claim),
                  "theorems.symbolic.sums.canonical"),
            Check("adaptive rate", "symbolic", bind(check_rate_invariance, claim=claim),
                  "sympy.simplify, sympy.diff"),
            Check("doubling numerics", "numeric", bind(check_doubling_numerics, claim=claim),
                  "numerics.dropout.double_columns, numerics.dropout.exact_expectation"),
        ],
        derivations={key: bind(lambda key: doubling_derivations(claim)[key], key)
                     for key in ("product", "regularizer", "rate")},
        expected=Status.PROVED,
        variants=() if claim.variant else VARIANTS,
    )


VARIANTS: tuple[Variant, ...] = (
    Variant("ratio 1/4", lambda: doubling(ratio=Rational(1, 4)),
            ("the regularizer of the doubled factors (symbolic m, n, d)",),
            "doubling halves the regularizer, it does not quarter it"),
    Variant("fixed rate", lambda: doubling(rate=P),
            ("lambda(theta(d))/d is independent of d",),
            "keeping theta = p at every width lets lambda/d fall like 1/d"),
    Variant("ratio off by 1e-6", lambda: doubling(ratio=Rational(1000001, 2000000)),
            ("the regularizer of the doubled factors (symbolic m, n, d)",),
            "a near miss: (1 + 10^-6)/2"),
)
