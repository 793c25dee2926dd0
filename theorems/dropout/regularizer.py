"""dropout.induced_regularizer: Omega_d(M) = ||M||_*^2 / d for every width d >= rank(M) (MATH 3).

Omega_d(M) is a minimum over factorizations, so the theorem is stated as what
makes it one: the conjunction of

1. the lower bound sum_i ||u_i||^2 ||v_i||^2 >= c ||M||_*^2 for every U V^T = M
   (:func:`~theorems.dropout.lower_bound.lower_bound_derivation`),
2. the equalized factors U = A diag(s)^{1/2} Q, V = B diag(s)^{1/2} Q multiply back
   to M = A diag(s) B^T (:func:`~theorems.dropout.attainment.product_derivation`),
3. and they attain it: sum_i ||u_i||^2 ||v_i||^2 = c ||M||_*^2 there
   (:func:`~theorems.dropout.attainment.attainment_derivation`),

each conjunct the two ends of a general derivation, so the verdict can be ``proved``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import sympy
from sympy import Eq, Ge, Sum

from numerics import dropout as nd
from numerics.descent import batched_descent
from numerics.instances import conditioned_matrix, geometric_spectrum
from theorems.checks import relative_error, worst_case
from theorems.core import Check, Context, Evidence, Status, Theorem, Variant
from theorems.derivation import run_derivation
from theorems.dropout.attainment import (
    attained_regularizer,
    attainment_derivation,
    equalized_product,
    product_derivation,
)
from theorems.dropout.common import check_rate
from theorems.dropout.lower_bound import lower_bound_derivation
from theorems.dropout.references import CAVAZZA, HAEFFELE_2020, MIANJY, SEED
from theorems.dropout.spectral import (
    NUCLEAR,
    ROUNDOFF,
    TRUE_CONSTANT,
    A,
    B,
    D,
    U,
    V,
    a,
    b,
    i,
    k,
    m,
    n,
    r,
    s,
)

__all__ = ["RegularizerClaim", "induced_regularizer", "regularizer_statement",
           "check_lower_bound", "check_attainment", "check_equalized",
           "check_random_factorizations", "check_descent", "VARIANTS"]

LOWER = "lower bound: variational form, then Cauchy-Schwarz (symbolic m, n, r, d)"
ATTAIN = "attainment by an equalized factorization (symbolic m, n, r, d)"
PRODUCT = "the equalized factors multiply back to M (symbolic m, n, r, d)"
# fixed awkward (m, n, rank, d): d = rank, d prime, d far above the rank, rank-one shapes
FIXED_WIDTHS = [(3, 4, 3, 5), (4, 4, 2, 7), (5, 3, 3, 3), (6, 5, 4, 37), (2, 2, 1, 1),
                (1, 6, 1, 6), (7, 7, 7, 11)]


@dataclass(frozen=True)
class RegularizerClaim:
    """The claimed c in Omega_d(M) = c ||M||_*^2, a SymPy expression in the width d.

    >>> RegularizerClaim(1 / D**2).variant
    True
    >>> RegularizerClaim(1 / D).c(4)
    0.25
    """

    constant: sympy.Expr = TRUE_CONSTANT

    def __post_init__(self) -> None:
        object.__setattr__(self, "constant", check_rate("constant", self.constant, {D}))

    @property
    def variant(self) -> bool:
        return sympy.simplify(self.constant - TRUE_CONSTANT) != 0

    def c(self, d: int) -> float:
        return float(sympy.lambdify([D], self.constant, "math")(d))

    def value(self, M: np.ndarray, d: int) -> float:
        """The claimed Omega_d(M)."""
        return self.c(d) * nd.nuclear_norm(M) ** 2


def regularizer_statement(claim: RegularizerClaim) -> sympy.Expr:
    """Lower bound for every factorization, the equalized product, and attainment."""
    bound = claim.constant * NUCLEAR**2
    every = Sum(Sum(U[a, i] ** 2, (a, 1, m)) * Sum(V[b, i] ** 2, (b, 1, n)), (i, 1, D))
    return sympy.And(Ge(every, bound),
                     Eq(equalized_product(), Sum(s[k] * A[a, k] * B[b, k], (k, 1, r))),
                     Eq(attained_regularizer(), bound))


def check_lower_bound(ctx: Context, claim: RegularizerClaim) -> Evidence:
    """The lower-bound derivation (symbolic m, n, r, d), bound to the first conjunct."""
    # a failed inequality step has no concrete counterexample: run_derivation reports
    # the step and the lemma's own finding (which names values when it has them)
    return run_derivation(lower_bound_derivation(claim.constant), LOWER, seed=ctx.seed,
                          statement=regularizer_statement(claim))


def check_attainment(ctx: Context, claim: RegularizerClaim) -> list[Evidence]:
    """Attainment and the product of the equalized factors, bound to their conjuncts."""
    statement = regularizer_statement(claim)
    return [run_derivation(attainment_derivation(claim.constant), ATTAIN, seed=ctx.seed,
                           statement=statement),
            run_derivation(product_derivation(), PRODUCT, seed=ctx.seed, statement=statement)]


def _widths(ctx: Context) -> list[tuple[np.ndarray, int, int]]:
    """Instances (M, rank, d) with d >= rank(M): fixed awkward widths and random ones."""
    rng = ctx.rng("widths")
    out = []
    for mm, nn, rk, dd in FIXED_WIDTHS[: max(ctx.profile.instances, 3)]:
        out.append((conditioned_matrix(mm, nn, rng, condition=20.0, rank=rk), rk, dd))
    for _ in range(ctx.profile.instances):
        mm, nn = int(rng.integers(1, 9)), int(rng.integers(1, 9))
        rk = int(rng.integers(1, min(mm, nn) + 1))
        M = conditioned_matrix(mm, nn, rng, condition=float(rng.choice([2.0, 50.0])),
                               rank=rk, top=float(rng.uniform(0.1, 10.0)))
        out.append((M, rk, rk + int(rng.integers(0, 10))))
    return out


def check_equalized(ctx: Context, claim: RegularizerClaim) -> Evidence:
    """The kernel's equalized factorization multiplies to M, is equalized, and reaches the
    claimed value (a too small constant fails here)."""
    rows = []
    for M, rk, dd in _widths(ctx):
        U_, V_ = nd.equalized_factorization(M, dd)
        nuc = nd.nuclear_norm(M)
        products = np.linalg.norm(U_, axis=0) * np.linalg.norm(V_, axis=0)
        reg = float(np.sum(products**2))
        claimed = claim.value(M, dd)
        errors = {"product": float(np.linalg.norm(U_ @ V_.T - M) / np.linalg.norm(M)),
                  "equalized": float(np.max(np.abs(products - nuc / dd)) / (nuc / dd)),
                  "claim": relative_error(reg, claimed, floor=1e-300)}
        rows.append((max(errors.values()), {"m": M.shape[0], "n": M.shape[1], "rank": rk,
                                            "d": dd, "regularizer": reg,
                                            "claimed": claimed, "errors": errors}))
    return worst_case("numeric", "equalized factorization reaches the claim for d >= rank "
                      "(any d, not only powers of two)", rows, ROUNDOFF, ctx,
                      {"measure": "max of ||UV^T - M||/||M||, equalization error and "
                                  "|sum ||u_i||^2||v_i||^2 - claim| / claim",
                       "tolerance_reason": "float64 round-off of an SVD and d - 1 rotations",
                       "widths": [row[1]["d"] for row in rows]})


def check_random_factorizations(ctx: Context, claim: RegularizerClaim) -> Evidence:
    """No Gaussian or near-equalized factorization goes below the claimed value."""
    rng = ctx.rng("random-factorizations")
    rows = []
    batch = 4 * ctx.profile.instances
    for _ in range(ctx.profile.instances):
        mm, nn, dd = int(rng.integers(1, 8)), int(rng.integers(1, 8)), int(rng.integers(1, 9))
        U_ = rng.standard_normal((batch, mm, dd))
        V_ = rng.standard_normal((batch, nn, dd))
        # near-optimal ones too: equalized factors of a random M, mixed by G = I + eps E
        Ue, Ve = nd.equalized_factorization(U_[0] @ V_[0].T, dd)
        G = np.eye(dd) + 1e-3 * rng.standard_normal((batch, dd, dd))
        U2, V2 = Ue @ G, Ve @ np.linalg.inv(G).transpose(0, 2, 1)
        for UU, VV, kind in ((U_, V_, "gaussian"), (U2, V2, "near-equalized")):
            reg = np.sum(np.sum(UU**2, axis=1) * np.sum(VV**2, axis=1), axis=1)
            bound = claim.c(dd) * nd.nuclear_norm(UU @ VV.transpose(0, 2, 1)) ** 2
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


def check_descent(ctx: Context, claim: RegularizerClaim) -> Evidence:
    """Minimize over factorizations from many starts; nothing may beat the claim."""
    rng = ctx.rng("descent")
    rows, table = [], []
    for _ in range(max(2, ctx.profile.instances // 4)):
        rk = int(rng.integers(1, 5))
        dd = rk + int(rng.integers(0, 5))
        sv = geometric_spectrum(rk, float(rng.uniform(1.0, 20.0)))
        C0 = rng.standard_normal((ctx.profile.starts, rk, dd))
        res = batched_descent(functools.partial(_reduced_objective, sv=sv), [C0], step=0.1,
                              iterations=1000, grad_tol=1e-12)
        bound = claim.c(dd) * float(sv.sum()) ** 2
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


def _reduced_objective(params, sv):
    values, grads = nd.reduced_regularizer(params[0], sv)
    return values, [grads]


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
    claim = RegularizerClaim() if constant is None else RegularizerClaim(constant)
    bind = functools.partial
    return Theorem(
        id="dropout.induced_regularizer",
        title="Dropout's induced regularizer is the squared nuclear norm over d"
        + (" (variant)" if claim.variant else ""),
        statement=regularizer_statement(claim),
        hypotheses=[
            "M = A diag(s) B^T in R^{m x n} of rank r (A^T A = B^T B = I_r, s > 0); "
            "factorizations U V^T = M of width d >= r",
            "Omega_d(M) = min over such factorizations of sum_i ||u_i||^2 ||v_i||^2: the "
            "statement is the lower bound for every factorization and its attainment by "
            "U = A diag(s)^{1/2} Q, V = B diag(s)^{1/2} Q with Q an equalizing rotation",
            "d < rank(M) admits no factorization (ValueError in the kernels)",
        ],
        references=[MIANJY, CAVAZZA, HAEFFELE_2020, SEED],
        note="proofs_notes/dropout.md",
        checks=[
            Check("lower bound derivation", "symbolic", bind(check_lower_bound, claim=claim),
                  "theorems.dropout.lower_bound.lower_bound_derivation, "
                  "theorems.symbolic.lemmas.lagrange_certificate, "
                  "theorems.symbolic.lemmas.bessel_certificate"),
            Check("attainment derivations", "symbolic", bind(check_attainment, claim=claim),
                  "theorems.dropout.attainment.attainment_derivation, "
                  "theorems.dropout.attainment.equalizing_invariant"),
            Check("equalized factorizations", "numeric", bind(check_equalized, claim=claim),
                  "numerics.dropout.equalized_factorization"),
            Check("random factorizations", "numeric",
                  bind(check_random_factorizations, claim=claim),
                  "numerics.dropout.equalized_factorization, numerics.linalg.nuclear_norm"),
            Check("descent over factorizations", "landscape", bind(check_descent, claim=claim),
                  "numerics.dropout.reduced_regularizer, numerics.descent.batched_descent"),
        ],
        derivations={"lower bound": bind(lower_bound_derivation, claim.constant),
                     "attainment": bind(attainment_derivation, claim.constant),
                     "product": product_derivation},
        expected=Status.PROVED,
        variants=() if claim.variant else VARIANTS,
    )


VARIANTS: tuple[Variant, ...] = (
    Variant("c = 1", lambda: induced_regularizer(constant=sympy.S.One),
            (LOWER,), "Cauchy-Schwarz in R^d loses a factor d: c = 1 is above the minimum"),
    Variant("c = 1/d^2", lambda: induced_regularizer(constant=1 / D**2),
            (ATTAIN,), "the equalized factorization reaches ||M||_*^2/d, above 1/d^2"),
    Variant("c = (1 + 1e-6)/d", lambda: induced_regularizer(
        constant=sympy.Rational(1000001, 1000000) / D), (LOWER,),
        "a near miss above the minimum: Cauchy-Schwarz in R^d fails at d = 1"),
    Variant("c = (1 - 1e-6)/d", lambda: induced_regularizer(
        constant=sympy.Rational(999999, 1000000) / D), (ATTAIN,),
        "a near miss below the minimum: the equalized factorization is above it"),
)
