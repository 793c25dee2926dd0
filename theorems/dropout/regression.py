"""dropout.linear_regression: input dropout in least squares is a data-dependent ridge.

E_R ||y - (R o X) w||^2 = ||y - p X w||^2 + p(1-p) ||Gamma w||^2, Gamma = diag(X^T X)^(1/2),
so p w minimizes ||y - X w~||^2 + ((1-p)/p) ||Gamma w~||^2 (MATH 2.1).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import sympy
from sympy import Eq, Sum

from numerics import dropout as nd
from numerics.instances import conditioned_matrix
from theorems.checks import random_shapes, relative_error, worst_case
from theorems.core import Check, Context, Evidence, Status, Theorem, Variant
from theorems.derivation import Derivation, run_derivation
from theorems.dropout.common import (
    AT,
    ROUNDOFF,
    SMALL,
    N,
    P,
    R,
    X,
    check_rate,
    generated_steps,
    j,
    k,
    lam,
    t,
    w,
    y,
)
from theorems.dropout.references import SRIVASTAVA, WAGER
from theorems.symbolic.expectation import Expectation

__all__ = ["RegressionClaim", "linear_regression", "regression_derivation",
           "check_regression_derivation", "check_regression_numerics", "ARGMIN_TOL",
           "VARIANTS"]

# the normal equations have condition number <= ~10^2 by construction:
# 1e-8 leaves six orders of magnitude above float64 round-off
ARGMIN_TOL = 1e-8


@dataclass(frozen=True)
class RegressionClaim:
    """Claimed factor of X w in the fit, regularization constant, and ridge weight.

    >>> RegressionClaim(ridge=1 - P).variant
    True
    """

    scale: sympy.Expr = P
    coefficient: sympy.Expr = P * (1 - P)
    ridge: sympy.Expr = (1 - P) / P

    def __post_init__(self) -> None:
        for name in ("scale", "coefficient", "ridge"):
            object.__setattr__(self, name, check_rate(name, getattr(self, name), {P}))

    @property
    def variant(self) -> bool:
        return self != RegressionClaim()

    def sides(self) -> tuple[sympy.Expr, sympy.Expr]:
        start = Expectation(Sum((y[t] - Sum(R[t, j] * X[t, j] * w[j], (j, 1, k))) ** 2,
                                (t, 1, N)))
        claim = (Sum((y[t] - self.scale * Sum(X[t, j] * w[j], (j, 1, k))) ** 2, (t, 1, N))
                 + self.coefficient * Sum(Sum(X[t, j] ** 2, (t, 1, N)) * w[j] ** 2, (j, 1, k)))
        return start, claim


def regression_derivation(claim: RegressionClaim) -> Derivation:
    """Linearity of expectation and Bernoulli moments, then the claimed form (symbolic N, k)."""
    start, rhs = claim.sides()
    return Derivation("input dropout in least squares, symbolic N, k", start,
                      generated_steps(start, {R: P}, rhs), sizes={N: SMALL, k: SMALL},
                      values=AT)


def check_regression_derivation(ctx: Context, claim: RegressionClaim) -> Evidence:
    """The derivation for symbolic sizes, bound to the statement's sides."""
    return run_derivation(regression_derivation(claim), "derivation for symbolic N, k",
                          seed=ctx.seed, statement=Eq(*claim.sides()))


def check_regression_numerics(ctx: Context, claim: RegressionClaim) -> list[Evidence]:
    """The claimed value against the enumerated mean, and the claimed ridge minimizer
    (:func:`numerics.dropout.input_dropout_ridge` weights) against the enumerated one."""
    rng = ctx.rng("regression")
    sc_of, co_of, rg_of = lam(claim.scale), lam(claim.coefficient), lam(claim.ridge)
    value_rows, argmin_rows = [], []
    for nn, kk, _ in random_shapes(rng, ctx.profile.instances, max_m=12, max_n=8):
        nn = max(nn, kk)  # least squares needs N >= k for a unique minimizer
        Xm = conditioned_matrix(nn, kk, rng, condition=10.0)
        yv = rng.standard_normal(nn)
        wv = rng.standard_normal(kk)
        p_ = float(rng.uniform(0.1, 1.0))
        exact = nd.input_dropout_exact(Xm, yv, wv, p_)
        gamma2 = np.sum(Xm * Xm, axis=0)
        claimed = float(np.sum((yv - sc_of(p_) * Xm @ wv) ** 2)
                        + co_of(p_) * np.sum(gamma2 * wv * wv))
        inst = {"N": nn, "k": kk, "p": p_, "X": Xm, "y": yv, "w": wv}
        value_rows.append((relative_error(claimed, exact, 1e-12),
                           {**inst, "exact": exact, "claimed": claimed}))
        w_exact = nd.input_dropout_minimizer_exact(Xm, yv, p_)
        w_tilde = nd.weighted_ridge(Xm, yv, rg_of(p_))
        err = float(np.linalg.norm(p_ * w_exact - w_tilde) / max(np.linalg.norm(w_tilde),
                                                                    1e-12))
        argmin_rows.append((err, {**inst, "p_w_exact": p_ * w_exact, "ridge": w_tilde}))
    return [
        worst_case("numeric", "formula against the exact mean over all masks",
                   value_rows, ROUNDOFF, ctx, {"measure": "relative error"}),
        worst_case("numeric", "ridge minimizer against the enumerated objective's minimizer",
                   argmin_rows, ARGMIN_TOL, ctx, {"measure": "relative error of p w"}),
    ]


def linear_regression(scale: sympy.Expr | None = None, coefficient: sympy.Expr | None = None,
                      ridge: sympy.Expr | None = None) -> Theorem:
    """Dropout on the inputs of least squares is a data-dependent ridge (MATH 2.1).

    E_R ||y - (R o X) w||^2 = ||y - p X w||^2 + p(1-p) ||Gamma w||^2, Gamma = diag(X^T X)^(1/2),
    so p w minimizes ||y - X w~||^2 + ((1-p)/p) ||Gamma w~||^2.

    Parameters
    ----------
    scale : claimed factor of X w in the fit term (default p).
    coefficient : claimed regularization constant (default p(1 - p)).
    ridge : claimed ridge weight of the minimizer (default (1 - p)/p).
    """
    given = {"scale": scale, "coefficient": coefficient, "ridge": ridge}
    claim = RegressionClaim(**{key: v for key, v in given.items() if v is not None})
    bind = functools.partial
    return Theorem(
        id="dropout.linear_regression",
        title="Input dropout in least squares is ridge regression with weights diag(X^T X)"
              + (" (variant)" if claim.variant else ""),
        statement=Eq(*claim.sides()),
        hypotheses=["X in R^{N x k}, y in R^N, w in R^k",
                    "R_tj independent Bernoulli(p), p in (0, 1]; no rescaling of kept inputs",
                    "for the minimizer: X^T X invertible"],
        references=[SRIVASTAVA, WAGER],
        note="proofs_notes/dropout.md",
        checks=[
            Check("derivation for symbolic N, k", "symbolic",
                  bind(check_regression_derivation, claim=claim),
                  "theorems.symbolic.expectation.bernoulli_moments"),
            Check("enumerated expectation and minimizer", "numeric",
                  bind(check_regression_numerics, claim=claim),
                  "numerics.dropout.input_dropout_exact, "
                  "numerics.dropout.input_dropout_minimizer_exact, "
                  "numerics.dropout.weighted_ridge"),
        ],
        derivations={"general": bind(regression_derivation, claim)},
        expected=Status.PROVED,
        variants=() if claim.variant else VARIANTS,
    )


VARIANTS: tuple[Variant, ...] = (
    Variant("coefficient p^2", lambda: linear_regression(coefficient=P**2),
            ("derivation for symbolic N, k",), "the variance of a mask is p(1 - p), not p^2"),
    Variant("ridge 1 - p", lambda: linear_regression(ridge=1 - P),
            ("ridge minimizer against the enumerated objective's minimizer",),
            "dividing the objective by p^2 gives the weight (1 - p)/p, not 1 - p"),
    Variant("ridge off by 1e-6", lambda: linear_regression(
        ridge=(1 - P) / P * sympy.Rational(1000001, 1000000)),
        ("ridge minimizer against the enumerated objective's minimizer",),
        "a near miss the symbolic identity cannot see (the ridge weight is not in it): "
        "pins ARGMIN_TOL"),
)
