"""factorization.nuclear_variational: the variational forms of the nuclear norm (MATH 7).

||M||_* = min over U V^T = M of sum_i ||u_i|| ||v_i|| = min (1/2)(||U||_F^2 + ||V||_F^2),
attained at U = A S^(1/2), V = B S^(1/2) (Srebro, Rennie and Jaakkola 2004).
The claimed coefficient c of the Frobenius form is the variant knob.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

import cvxpy as cp
import numpy as np
import sympy
from sympy import Eq, Rational, Sum, sqrt
from sympy.simplify.simplify import factor_sum

from numerics import factorization as nf
from numerics.convex import solve
from numerics.instances import geometric_spectrum, with_singular_values
from theorems.checks import relative_error, worst_case
from theorems.core import Check, Context, Evidence, Status, Theorem, Variant
from theorems.derivation import EXPAND, Derivation, Lemma, Step, Transform
from theorems.factorization.common import (
    AT,
    ROUNDOFF,
    SCS_REL,
    SMALL,
    A,
    B,
    P,
    Q,
    S,
    a,
    b,
    derivation_evidence,
    i,
    m,
    n,
    r,
)
from theorems.factorization.references import NUCLEAR_VARIATIONAL as REFERENCES
from theorems.symbolic.sums import manifestly_nonnegative

__all__ = ["NuclearVariationalClaim", "nuclear_variational", "VARIANTS"]

SCOPE = ("symbolic sizes; proves AM-GM and attainment, while the lower bound "
         "||M||_* <= sum ||u_i|| ||v_i|| is checked numerically only")
SDP_INSTANCES = 6  # SDPs: keep the solver time small


@dataclass(frozen=True)
class NuclearVariationalClaim:
    """The claimed constant: ||M||_* = min over U V^T = M of c (||U||_F^2 + ||V||_F^2).

    ``coefficient`` (default 1/2, the true one) is stored as an exact SymPy number.
    """

    coefficient: sympy.Expr = Rational(1, 2)

    def __post_init__(self) -> None:
        try:
            c = sympy.nsimplify(self.coefficient)
        except (TypeError, ValueError, sympy.SympifyError):
            raise ValueError(f"coefficient: expected a number, got {self.coefficient!r}") from None
        if not (c.is_number and c.is_real and c.is_positive):
            raise ValueError(f"coefficient: expected a positive real number, got "
                             f"{self.coefficient!r}")
        object.__setattr__(self, "coefficient", c)

    @property
    def value(self) -> float:
        return float(self.coefficient)

    @property
    def is_default(self) -> bool:
        return self.coefficient == Rational(1, 2)


# -- derivations -----------------------------------------------------------------------------


def _orthonormal_columns(expr: sympy.Expr) -> sympy.Expr:
    """Replace sum_a A[a, i]^2 (a over 1..m) and sum_b B[b, i]^2 (b over 1..n) by 1."""
    def is_column_norm(e: sympy.Expr) -> bool:
        if not isinstance(e, Sum) or len(e.limits) != 1:
            return False
        var, lo, hi = e.limits[0]
        f = e.function
        if not (f.is_Pow and f.exp == 2 and isinstance(f.base, sympy.Indexed)):
            return False
        base = f.base.base
        rng = {A: m, B: n}.get(base)
        return rng is not None and lo == 1 and hi == rng and f.base.indices[0] == var
    return expr.replace(is_column_norm, lambda e: sympy.S.One)


ORTHONORMAL = Transform("orthonormal singular vectors", _orthonormal_columns,
                        "the SVD factors A, B have unit columns: sum_a A_ai^2 = 1")
PULL_OUT = Transform("pull constants out of sums",
                     lambda e: e.replace(lambda z: isinstance(z, Sum), factor_sum),
                     "sum_a c_i f(a) = c_i sum_a f(a)")


def _sum_of_squares_lemma(before: sympy.Expr, after: sympy.Expr,
                          relation: str) -> tuple[bool | None, str]:
    """before - after is a positive combination of sums of nonnegative terms."""
    if relation != ">=":
        return False, f"this lemma gives '>=' steps, not {relation!r}"
    diff = before - after  # SymPy cancels the common sum, leaving the squares
    for term in sympy.Add.make_args(diff):
        if manifestly_nonnegative(term):
            continue  # a nonnegative multiple of a sum (over a proper range) of squares
        coeff, rest = term.as_independent(Sum, as_Add=False)
        inner = rest.function if isinstance(rest, Sum) else rest
        if (coeff.is_negative and inner.is_positive) or (coeff.is_positive and inner.is_negative):
            return False, f"{term} < 0"
        return None, f"cannot decide the sign of {term}"
    return True, "the difference is a nonnegative combination of sums of squares"


AM_GM = Lemma("drop a sum of squares", _sum_of_squares_lemma,
              "sum_i (p_i - q_i)^2 / 2 >= 0 (AM-GM: p q <= (p^2 + q^2) / 2)")


def am_gm_derivation(coefficient: sympy.Expr) -> Derivation:
    start = coefficient * Sum(P[i] ** 2 + Q[i] ** 2, (i, 1, r))
    return Derivation(
        "AM-GM: c (||U||_F^2 + ||V||_F^2) >= sum_i ||u_i|| ||v_i||, p_i = ||u_i||, q_i = ||v_i||",
        start,
        [
            Step(Sum(P[i] * Q[i], (i, 1, r)) + Sum((P[i] - Q[i]) ** 2, (i, 1, r)) / 2, EXPAND,
                 note="complete the square"),
            Step(Sum(P[i] * Q[i], (i, 1, r)), AM_GM, relation=">="),
        ],
        general=True, sizes=SMALL, values=AT,
    )


def attained_frobenius_derivation(coefficient: sympy.Expr) -> Derivation:
    u2 = Sum((A[a, i] * sqrt(S[i])) ** 2, (a, 1, m), (i, 1, r))
    v2 = Sum((B[b, i] * sqrt(S[i])) ** 2, (b, 1, n), (i, 1, r))
    cols = (Sum(S[i] * Sum(A[a, i] ** 2, (a, 1, m)), (i, 1, r))
            + Sum(S[i] * Sum(B[b, i] ** 2, (b, 1, n)), (i, 1, r)))
    return Derivation(
        "attained: U = A S^(1/2), V = B S^(1/2) give c(||U||_F^2 + ||V||_F^2) = sum_i s_i",
        coefficient * (u2 + v2),
        [
            Step(coefficient * cols, EXPAND, note="group by column"),
            Step(coefficient * 2 * Sum(S[i], (i, 1, r)), ORTHONORMAL),
            Step(Sum(S[i], (i, 1, r)), EXPAND, note="= ||M||_*"),
        ],
        general=True, sizes=SMALL, values=AT,
    )


def attained_product_derivation() -> Derivation:
    nu = sqrt(Sum((A[a, i] * sqrt(S[i])) ** 2, (a, 1, m)))
    nv = sqrt(Sum((B[b, i] * sqrt(S[i])) ** 2, (b, 1, n)))
    return Derivation(
        "attained: the same factors give sum_i ||u_i|| ||v_i|| = sum_i s_i",
        Sum(nu * nv, (i, 1, r)),
        [
            Step(Sum(S[i] * sqrt(Sum(A[a, i] ** 2, (a, 1, m)))
                     * sqrt(Sum(B[b, i] ** 2, (b, 1, n))), (i, 1, r)), PULL_OUT),
            Step(Sum(S[i], (i, 1, r)), ORTHONORMAL),
        ],
        general=True, sizes=SMALL, values=AT,
    )


def reproduces_m_derivation() -> Derivation:
    return Derivation(
        "the factors reproduce M: (U V^T)_ab = sum_i A_ai s_i B_bi",
        Sum(A[a, i] * sqrt(S[i]) * B[b, i] * sqrt(S[i]), (i, 1, r)),
        [Step(Sum(A[a, i] * S[i] * B[b, i], (i, 1, r)), EXPAND)],
        general=True, sizes=SMALL, values=AT,
    )



# -- checks ----------------------------------------------------------------------------------


def check_am_gm(ctx: Context, claim: NuclearVariationalClaim) -> Evidence:
    """AM-GM for symbolic width: c (||U||_F^2 + ||V||_F^2) >= sum_i ||u_i|| ||v_i||."""
    return derivation_evidence(ctx, functools.partial(am_gm_derivation, claim.coefficient),
                               "AM-GM step for symbolic width", SCOPE)


def check_attained_frobenius(ctx: Context, claim: NuclearVariationalClaim) -> Evidence:
    """The balanced factors attain the Frobenius form, for symbolic sizes."""
    return derivation_evidence(
        ctx, functools.partial(attained_frobenius_derivation, claim.coefficient),
        "attained by A S^(1/2), B S^(1/2): Frobenius form", SCOPE)


def check_attained_product(ctx: Context, claim: NuclearVariationalClaim) -> Evidence:
    """The balanced factors attain the product form, for symbolic sizes."""
    return derivation_evidence(ctx, attained_product_derivation,
                               "attained by A S^(1/2), B S^(1/2): product form", SCOPE)


def check_reproduces_m(ctx: Context, claim: NuclearVariationalClaim) -> Evidence:
    """The balanced factors multiply back to M, for symbolic sizes."""
    return derivation_evidence(ctx, reproduces_m_derivation,
                               "A S^(1/2) (B S^(1/2))^T = A S B^T", SCOPE)


def _matrices(ctx: Context, name: str) -> Iterator[tuple[np.random.Generator, np.ndarray]]:
    """Seeded matrices of side 1..8, any rank, condition <= 20 on their nonzero spectrum."""
    rng = ctx.rng(name)
    for _ in range(ctx.profile.instances):
        mm, nn = (int(v) for v in rng.integers(1, 9, size=2))
        rank = int(rng.integers(1, min(mm, nn) + 1))
        s = geometric_spectrum(rank, float(rng.uniform(1.0, 20.0)), float(rng.uniform(.5, 5)))
        yield rng, with_singular_values(mm, nn, s, rng)


def check_lower_bound(ctx: Context, claim: NuclearVariationalClaim) -> Evidence:
    """No factorization U V^T = M (of several kinds and widths) goes below ||M||_*.

    Measures the relative shortfall of both forms below ||M||_* (and of the
    Frobenius form below the product form when c >= 1/2, where AM-GM orders them).
    """
    c_val = claim.value
    rows = []
    for rng, Mx in _matrices(ctx, "lower-bound"):
        nuc = nf.nuclear_norm(Mx)
        for kind, (Uf, Vf) in nf.random_factorizations(Mx, rng):
            # shortfall below ||M||_*: must be <= round-off for both forms
            prod = nf.product_norm_sum(Uf, Vf)
            frob = c_val * float(np.sum(Uf * Uf) + np.sum(Vf * Vf))
            worst = max(nuc - prod, nuc - frob, prod - frob if c_val >= 0.5 else 0.0) / nuc
            rows.append((max(worst, 0.0), {
                "factorization": kind, "shape": list(Mx.shape), "width": Uf.shape[1],
                "nuclear_norm": nuc, "product_form": prod, "frobenius_form": frob,
                "reproduces_M": float(np.max(np.abs(Uf @ Vf.T - Mx)))}))
    return worst_case("numeric", "random factorizations never go below ||M||_*", rows,
                      ROUNDOFF, ctx, {"measure": "relative shortfall below ||M||_*",
                                      "tolerance_reason": "float64 round-off"})


def check_attained(ctx: Context, claim: NuclearVariationalClaim) -> Evidence:
    """The balanced factors reach ||M||_* in both forms and reproduce M (round-off)."""
    c_val = claim.value
    rows = []
    for _, Mx in _matrices(ctx, "attained"):
        nuc = nf.nuclear_norm(Mx)
        Uf, Vf = nf.balanced_factors(Mx)
        prod = nf.product_norm_sum(Uf, Vf)
        frob = c_val * float(np.sum(Uf * Uf) + np.sum(Vf * Vf))
        err = max(relative_error(prod, nuc, 1e-300), relative_error(frob, nuc, 1e-300),
                  float(np.max(np.abs(Uf @ Vf.T - Mx))) / nuc)
        rows.append((err, {"shape": list(Mx.shape), "nuclear_norm": nuc,
                           "product_form": prod, "frobenius_form": frob}))
    return worst_case("numeric", "U = A S^(1/2), V = B S^(1/2) attains both forms", rows,
                      ROUNDOFF, ctx, {"measure": "relative error",
                                      "tolerance_reason": "float64 round-off"})


def check_convex(ctx: Context, claim: NuclearVariationalClaim) -> Evidence:
    """CVXPY (SCS): the lifted SDP of the claimed form and normNuc agree with the SVD."""
    rows, statuses = [], []
    for k, (_, Mx) in enumerate(_matrices(ctx, "convex")):
        if k >= min(ctx.profile.instances, SDP_INSTANCES):
            break
        sdp, nuc_problem = nf.nuclear_norm_problems(Mx, claim.value)
        res_sdp, res_nuc = solve(sdp), solve(nuc_problem)
        statuses += [res_sdp.status, res_nuc.status]
        if not (res_sdp.optimal and res_nuc.optimal):
            continue
        nuc = nf.nuclear_norm(Mx)
        err = max(relative_error(res_sdp.value, nuc, 1e-300),
                  relative_error(res_nuc.value, nuc, 1e-300))
        rows.append((err, {"shape": list(Mx.shape), "svd": nuc, "scs_lifted": res_sdp.value,
                           "scs_normNuc": res_nuc.value}))
    name = "CVXPY (SCS): lifted variational SDP and normNuc agree with the SVD"
    if any(st != cp.OPTIMAL for st in statuses):
        return Evidence.inconclusive("convex", name, "SCS status not optimal",
                                     statuses=statuses)
    return worst_case("convex", name, rows, SCS_REL, ctx,
                      {"measure": "relative error", "solver": "SCS eps 1e-7",
                       "tolerance_reason": "SCS solver tolerance"})


# -- the theorem -----------------------------------------------------------------------------


def nuclear_variational(coefficient: sympy.Expr | None = None) -> Theorem:
    """The variational forms of the nuclear norm (MATH 7).

    Parameters
    ----------
    coefficient : SymPy number, default 1/2
        The claimed c in ||M||_* = min over U V^T = M of c (||U||_F^2 + ||V||_F^2).
        Any other value states a false identity, which verification must refute.

    Examples
    --------
    >>> nuclear_variational(coefficient=1).verify(seed=0, profile="quick").status.value
    'refuted'
    """
    claim = NuclearVariationalClaim(Rational(1, 2) if coefficient is None else coefficient)
    c = claim.coefficient
    nuc = sympy.Function("nuclear_norm")(sympy.Symbol("M"))
    statement = Eq(nuc, sympy.Function("min_UVt_eq_M")(
        c * (sympy.Symbol("||U||_F") ** 2 + sympy.Symbol("||V||_F") ** 2)))

    def wire(fn, kind: str, name: str, backed_by: str) -> Check:
        return Check(name, kind, functools.partial(fn, claim=claim), backed_by)

    return Theorem(
        id="factorization.nuclear_variational",
        title="Variational forms of the nuclear norm"
        + ("" if claim.is_default else " (variant)"),
        statement=statement,
        hypotheses=["M in R^{m x n}, any m, n; U in R^{m x r}, V in R^{n x r} with U V^T = M",
                    "the minimum is over every width r >= rank(M)"],
        references=list(REFERENCES),
        note="proofs_notes/factorization.md",
        checks=[
            wire(check_am_gm, "symbolic", "AM-GM step for symbolic r",
                 "theorems.symbolic.sums.manifestly_nonnegative"),
            wire(check_attained_frobenius, "symbolic",
                 "attaining factorization, Frobenius form", "theorems.derivation.Derivation"),
            wire(check_attained_product, "symbolic", "attaining factorization, product form",
                 "theorems.derivation.Derivation"),
            wire(check_reproduces_m, "symbolic", "the factors reproduce M",
                 "theorems.derivation.Derivation"),
            wire(check_lower_bound, "numeric", "lower bound on random factorizations",
                 "numerics.factorization.product_norm_sum, numerics.linalg.nuclear_norm"),
            wire(check_attained, "numeric", "attainment",
                 "numerics.factorization.balanced_factors"),
            wire(check_convex, "convex", "CVXPY nuclear norm",
                 "numerics.factorization.nuclear_norm_problems, numerics.convex.solve"),
        ],
        derivations={
            "am_gm": functools.partial(am_gm_derivation, c),
            "attained_frobenius": functools.partial(attained_frobenius_derivation, c),
            "attained_product": attained_product_derivation,
            "reproduces_M": reproduces_m_derivation,
        },
        expected=Status.VERIFIED,
        variants=VARIANTS if claim.is_default else (),
    )


AM_GM_CHECK = "AM-GM step for symbolic width"
VARIANTS: tuple[Variant, ...] = (
    Variant("coefficient 1", functools.partial(nuclear_variational, coefficient=1),
            (AM_GM_CHECK,), "twice the Frobenius form: the AM-GM step fails"),
    Variant("coefficient 1/4", functools.partial(nuclear_variational, coefficient=Rational(1, 4)),
            (AM_GM_CHECK,), "half the Frobenius form goes below ||M||_*"),
    Variant("coefficient 1/2 + 1e-6",
            functools.partial(nuclear_variational, coefficient=Rational(500_001, 1_000_000)),
            (AM_GM_CHECK,), "a near miss: the symbolic step is exact"),
)
"""Wrong coefficients the theorem must refute (AM-GM: the first failing evidence)."""
