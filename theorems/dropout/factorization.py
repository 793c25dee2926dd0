"""dropout.matrix_factorization: dropout in matrix factorization is a product regularizer.

E_r ||X - (1/theta) U diag(r) V^T||_F^2 = ||X - U V^T||_F^2 + lambda sum_i ||u_i||^2 ||v_i||^2
with lambda = (1 - theta)/theta (MATH 1.1).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import sympy
from sympy import Eq, Sum, symbols

from numerics import dropout as nd
from numerics.instances import conditioned_matrix, random_factors
from theorems.checks import random_shapes, relative_error, worst_case
from theorems.core import Check, Context, Evidence, Status, Theorem, Variant
from theorems.derivation import EXPAND, Derivation, Step, Transform, run_derivation
from theorems.dropout.common import (
    AT,
    LAMBDA,
    ROUNDOFF,
    SMALL,
    THETA,
    Z_SCORE,
    U,
    V,
    X,
    a,
    b,
    check_rate,
    d,
    fixed_size_evidence,
    i,
    j,
    lam,
    m,
    n,
    r,
    symbolic_matrix,
)
from theorems.dropout.figures import mc_running_mean
from theorems.dropout.references import CAVAZZA, SEED
from theorems.symbolic.expectation import Expectation, bernoulli_moments, linearity
from theorems.symbolic.multilinear import fixed_size_expectation

__all__ = ["FactorizationClaim", "matrix_factorization", "mf_derivation", "mf_statement",
           "check_derivation", "check_fixed_sizes", "check_enumeration",
           "check_direct_monte_carlo", "check_fast_monte_carlo", "VARIANTS"]

FIXED_SIZES = [(1, 1, 1), (2, 2, 2), (2, 3, 3), (3, 2, 4)]  # (m, n, d), every entry a symbol


@dataclass(frozen=True)
class FactorizationClaim:
    """The claimed constants: rescale of kept units, lambda, and the regularizer's power.

    >>> FactorizationClaim(coefficient=1 - THETA).variant
    True
    >>> FactorizationClaim(power=-1)
    Traceback (most recent call last):
    ...
    ValueError: power: expected a positive number, got -1
    """

    rescale: sympy.Expr = 1 / THETA
    coefficient: sympy.Expr = LAMBDA
    power: sympy.Expr = sympy.Integer(2)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rescale", check_rate("rescale", self.rescale, {THETA}))
        object.__setattr__(self, "coefficient",
                           check_rate("coefficient", self.coefficient, {THETA}))
        power = check_rate("power", self.power, set())
        if not (power.is_number and power.is_positive):
            raise ValueError(f"power: expected a positive number, got {self.power!r}")
        object.__setattr__(self, "power", power)

    @property
    def variant(self) -> bool:
        return self != FactorizationClaim()

    def claimed(self, Xm: np.ndarray, Um: np.ndarray, Vm: np.ndarray, theta: float) -> float:
        """The claimed right side at float values."""
        fit = float(np.sum((Xm - Um @ Vm.T) ** 2))
        return fit + lam(self.coefficient)(theta) * nd.product_regularizer(
            Um, Vm, power=float(self.power))


def mf_sides(claim: FactorizationClaim) -> tuple[sympy.Expr, sympy.Expr]:
    """The two sides of the claimed identity, symbolic m, n, d."""
    inner = X[a, b] - claim.rescale * Sum(U[a, i] * r[i] * V[b, i], (i, 1, d))
    lhs = Expectation(Sum(inner**2, (a, 1, m), (b, 1, n)))
    fit = Sum((X[a, b] - Sum(U[a, i] * V[b, i], (i, 1, d))) ** 2, (a, 1, m), (b, 1, n))
    half = claim.power / 2
    reg = Sum(Sum(U[a, i] ** 2, (a, 1, m)) ** half * Sum(V[b, i] ** 2, (b, 1, n)) ** half,
              (i, 1, d))
    return lhs, fit + claim.coefficient * reg


def mf_statement(claim: FactorizationClaim) -> sympy.Expr:
    return Eq(*mf_sides(claim))


def mf_derivation(claim: FactorizationClaim) -> Derivation:
    """The proof of MATH 1.1 for symbolic m, n, d, written out step by step."""
    s = claim.rescale
    lhs, rhs = mf_sides(claim)
    xuv = X[a, b] * U[a, i] * V[b, i]
    uuvv = U[a, i] * U[a, j] * V[b, i] * V[b, j]
    over = ((i, 1, d), (a, 1, m), (b, 1, n))
    over2 = ((i, 1, d), (j, 1, d), (a, 1, m), (b, 1, n))
    sq = Sum(X[a, b] ** 2, (a, 1, m), (b, 1, n))
    step1 = Expectation(sq - 2 * s * Sum(xuv * r[i], *over)
                        + s**2 * Sum(uuvv * r[i] * r[j], *over2))
    step2 = (sq - 2 * s * Sum(xuv * Expectation(r[i]), *over)
             + s**2 * Sum(uuvv * Expectation(r[i] * r[j]), *over2))
    moment2 = THETA**2 + THETA * (1 - THETA) * sympy.KroneckerDelta(i, j)
    step3 = (sq - 2 * s * Sum(xuv * THETA, *over) + s**2 * Sum(uuvv * moment2, *over2))
    step4 = (sq - 2 * s * THETA * Sum(xuv, *over) + s**2 * THETA**2 * Sum(uuvv, *over2)
             + s**2 * THETA * (1 - THETA) * Sum(U[a, i] ** 2 * V[b, i] ** 2, *over))
    return Derivation(
        "dropout in matrix factorization, symbolic m, n, d",
        lhs,
        [
            Step(step1, EXPAND, note="expand the square entrywise"),
            Step(step2, Transform("linearity of expectation",
                                  lambda e: linearity(e, {r}),
                                  "E is linear; X, U, V are deterministic")),
            Step(step3, Transform("Bernoulli moments",
                                  lambda e: bernoulli_moments(e, {r: THETA}),
                                  "E[r_i] = theta, "
                                  "E[r_i r_j] = theta^2 + theta(1-theta) delta_ij")),
            Step(step4, Transform("collapse Kronecker delta", lambda e: e,
                                  "sum_j f(j) delta_ij = f(i)")),
            Step(rhs, EXPAND, note="recognize ||X - U V^T||_F^2 and ||u_i||^2 ||v_i||^2"),
        ],
        general=True,
        sizes={m: SMALL, n: SMALL, d: SMALL},
        values=AT,
    )


def check_derivation(ctx: Context, claim: FactorizationClaim) -> Evidence:
    """The step-by-step derivation for symbolic sizes, bound to the statement's sides."""
    return run_derivation(mf_derivation(claim), "derivation for symbolic m, n, d",
                          statement=mf_statement(claim), seed=ctx.seed)


def check_fixed_sizes(ctx: Context, claim: FactorizationClaim) -> Evidence:
    """The identity as a polynomial at fixed sizes, every entry a symbol (no canonicalizer)."""
    cases = []
    for mm, nn, dd in FIXED_SIZES:
        Xs, Us, Vs = (symbolic_matrix("x", mm, nn), symbolic_matrix("u", mm, dd),
                      symbolic_matrix("v", nn, dd))
        masks = list(symbols(f"r1:{dd + 1}"))
        resid = Xs - claim.rescale * Us * sympy.diag(*masks) * Vs.T
        left = fixed_size_expectation(sum(e**2 for e in resid), masks, THETA)
        fit = sum(e**2 for e in Xs - Us * Vs.T)
        half = claim.power / 2
        reg = sum((sum(Us[q, c_] ** 2 for q in range(mm)) ** half)
                  * (sum(Vs[q, c_] ** 2 for q in range(nn)) ** half) for c_ in range(dd))
        cases.append(({"m": mm, "n": nn, "d": dd}, left, fit + claim.coefficient * reg))
    return fixed_size_evidence("identity at fixed sizes, symbolic entries", cases, ctx)


def _instances(ctx: Context, name: str, max_d: int) -> Iterator[tuple]:
    """Seeded (shape, theta, X, U, V); theta = 1 one time in ten, condition numbers <= 10."""
    rng = ctx.rng(name)
    for shape in random_shapes(rng, ctx.profile.instances, max_d=max_d):
        mm, nn, dd = shape
        theta = float(rng.choice([1.0, rng.uniform(0.1, 0.95)], p=[0.1, 0.9]))
        Xm = conditioned_matrix(mm, nn, rng, condition=10.0)
        Um, Vm = random_factors(mm, nn, dd, rng, condition=10.0)
        yield shape, theta, Xm, Um, Vm


def check_enumeration(ctx: Context, claim: FactorizationClaim) -> Evidence:
    """The claimed right side against the exact mean over all 2^d masks (float64)."""
    rows = []
    scale = lam(claim.rescale)
    for shape, theta, Xm, Um, Vm in _instances(ctx, "enumeration", max_d=8):
        exact = nd.exact_expectation(Xm, Um, Vm, theta, scale=scale(theta))
        value = claim.claimed(Xm, Um, Vm, theta)
        rows.append((relative_error(value, exact, floor=1e-12),
                     {"m": shape[0], "n": shape[1], "d": shape[2], "theta": theta,
                      "exact": exact, "claimed": value, "X": Xm, "U": Um, "V": Vm}))
    return worst_case("numeric", "formula against the exact mean over all 2^d masks",
                      rows, ROUNDOFF, ctx, {"measure": "relative error",
                                            "tolerance_reason": "float64 round-off"})


def _monte_carlo(ctx: Context, claim: FactorizationClaim, method: str,
                 samples: int) -> Evidence:
    rows = []
    rng = ctx.rng(f"masks-{method}")
    scale = lam(claim.rescale)
    for shape, theta, Xm, Um, Vm in _instances(ctx, f"mc-{method}", max_d=10):
        mean, se = nd.monte_carlo(Xm, Um, Vm, theta, samples, rng, method=method,
                                  scale=scale(theta))
        value = claim.claimed(Xm, Um, Vm, theta)
        # with theta = 1 every mask is the same and se is round-off (~1e-17):
        # floor it at float64 round-off of the mean, relative 1e-12
        z = abs(mean - value) / max(se, 1e-12 * max(abs(value), 1e-12))
        rows.append((z, {"m": shape[0], "n": shape[1], "d": shape[2], "theta": theta,
                         "mean": mean, "standard_error": se, "claimed": value}))
    return worst_case("numeric", f"formula against {method} Monte Carlo ({samples} masks)",
                      rows, Z_SCORE, ctx, {"measure": "|mean - claim| / standard error"})


def check_direct_monte_carlo(ctx: Context, claim: FactorizationClaim) -> Evidence:
    """Monte Carlo with residual matrices formed mask by mask (samples / 20, >= 1000)."""
    return _monte_carlo(ctx, claim, "direct", max(ctx.profile.samples // 20, 1000))


def check_fast_monte_carlo(ctx: Context, claim: FactorizationClaim) -> Evidence:
    """Monte Carlo from sufficient statistics, the profile's number of masks."""
    return _monte_carlo(ctx, claim, "fast", ctx.profile.samples)


def matrix_factorization(rescale: sympy.Expr | None = None,
                         coefficient: sympy.Expr | None = None,
                         power: int | sympy.Expr = 2) -> Theorem:
    """Dropout in matrix factorization equals a product-of-weights regularizer (MATH 1.1).

    Parameters
    ----------
    rescale : SymPy expression in THETA, default 1/theta
        The factor applied to kept units.
    coefficient : SymPy expression in THETA, default (1 - theta)/theta
        The claimed regularization constant lambda.
    power : default 2
        The claimed regularizer is sum_i (||u_i|| ||v_i||)^power.

    Any other choice states a false identity, which verification must refute.

    Examples
    --------
    >>> v = matrix_factorization(coefficient=1 - THETA).verify(seed=0, profile="quick")
    >>> v.status.value
    'refuted'
    """
    claim = FactorizationClaim(**{key: value for key, value in
                                  {"rescale": rescale, "coefficient": coefficient}.items()
                                  if value is not None}, power=power)
    bind = functools.partial
    return Theorem(
        id="dropout.matrix_factorization",
        title="Dropout in matrix factorization is a product-of-weights regularizer"
        + (" (variant)" if claim.variant else ""),
        statement=mf_statement(claim),
        hypotheses=[
            "X in R^{m x n}, U in R^{m x d}, V in R^{n x d}, any m, n, d >= 1",
            "r_1, ..., r_d independent Bernoulli(theta), theta in (0, 1]",
            "kept units are rescaled by 1/theta; lambda = (1 - theta)/theta",
        ],
        references=[CAVAZZA, SEED],
        note="proofs_notes/dropout.md",
        checks=[
            Check("derivation for symbolic m, n, d", "symbolic",
                  bind(check_derivation, claim=claim),
                  "theorems.symbolic.expectation.bernoulli_moments, "
                  "theorems.symbolic.sums.canonical"),
            Check("identity at fixed sizes, symbolic entries", "symbolic",
                  bind(check_fixed_sizes, claim=claim),
                  "theorems.symbolic.multilinear.fixed_size_expectation"),
            Check("exact mean over all masks", "numeric", bind(check_enumeration, claim=claim),
                  "numerics.dropout.exact_expectation"),
            Check("direct Monte Carlo", "numeric", bind(check_direct_monte_carlo, claim=claim),
                  "numerics.dropout.mask_losses_direct"),
            Check("fast Monte Carlo", "numeric", bind(check_fast_monte_carlo, claim=claim),
                  "numerics.dropout.mask_losses_fast"),
        ],
        derivations={"general": bind(mf_derivation, claim)},
        figures={"Monte Carlo estimate with a standard-error band against the number of masks":
                 bind(mc_running_mean, claim=claim)},
        expected=Status.PROVED,
        variants=() if claim.variant else VARIANTS,
    )



VARIANTS: tuple[Variant, ...] = (
    Variant("lambda = 1 - theta", lambda: matrix_factorization(coefficient=1 - THETA),
            ("derivation for symbolic m, n, d",), "the coefficient forgets the 1/theta"),
    Variant("no rescaling", lambda: matrix_factorization(rescale=sympy.S.One),
            ("derivation for symbolic m, n, d",),
            "kept units are not rescaled, so the fit term is ||X - theta U V^T||^2"),
    Variant("power 1", lambda: matrix_factorization(power=1),
            ("derivation for symbolic m, n, d",), "sum_i ||u_i|| ||v_i|| is not it"),
    Variant("power 4", lambda: matrix_factorization(power=4),
            ("derivation for symbolic m, n, d",), "sum_i (||u_i|| ||v_i||)^4 is not it"),
    Variant("lambda / theta", lambda: matrix_factorization(
        coefficient=(1 - THETA) / THETA**2), ("derivation for symbolic m, n, d",),
        "an extra 1/theta in the coefficient"),
    Variant("lambda off by 1e-6", lambda: matrix_factorization(
        coefficient=LAMBDA * sympy.Rational(1000001, 1000000)),
        ("derivation for symbolic m, n, d",), "a near miss: lambda (1 + 10^-6)"),
)
