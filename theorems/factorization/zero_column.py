"""factorization.zero_column: a local minimum with a zero column pair is a global minimum.

At a non-optimal stationary point the zero pair's top singular direction of -G
descends by t^2 (lam - ||G||_2) + t^4/2 (Haeffele and Vidal), which gives the
grow-and-certify algorithm.  Whether local minimality is required is the
variant knob.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy
from sympy import Sum

from numerics import factorization as nf
from theorems.checks import relative_error, worst_case
from theorems.core import Check, Context, Evidence, Status, Theorem, Variant
from theorems.derivation import EXPAND, Derivation, Step
from theorems.factorization.common import (
    AT,
    DESCENT_REL,
    LAM,
    SMALL,
    M,
    Y,
    a,
    b,
    derivation_evidence,
    m,
    n,
    t,
    x,
    y,
)
from theorems.factorization.references import ZERO_COLUMN as REFERENCES

__all__ = ["ZeroColumnClaim", "zero_column", "VARIANTS"]

# classification of a point by the Hessian's smallest eigenvalue, relative to its largest:
# smooth_hessian's error is ~1e-10 of the scale, and flat (rotation) directions are 0 up
# to it: -1e-6 leaves a 1e4 margin.  Saddles of these instances curve down by about
# lam - sigma_j <= -1.2 lam, over 1e-2 of the scale; in between is ambiguous, counted apart
MIN_EIG = -1e-6
SADDLE_EIG = -1e-3
DIRECTION_REL = 1e-8  # the change along the zero pair: float64 round-off of a difference
SIDE = 6  # instances of side <= 6: Hessians of at most 2 * 6 * 7 = 84 variables
SCOPE = ("symbolic sizes; proves the expansion, while 'a local minimum with a zero column "
         "is global' is checked numerically only")


@dataclass(frozen=True)
class ZeroColumnClaim:
    """``require_local_min`` True (the theorem) or False (every stationary point)."""

    require_local_min: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.require_local_min, bool | np.bool_):
            raise ValueError("require_local_min: expected a bool, got "
                             f"{self.require_local_min!r}")
        object.__setattr__(self, "require_local_min", bool(self.require_local_min))

    @property
    def is_default(self) -> bool:
        return self.require_local_min


def expansion_derivation() -> Derivation:
    """F along a zero column pair (t x, t y), squared loss, symbolic m, n."""
    fit = lambda extra: Sum((M[a, b] + extra - Y[a, b]) ** 2, (a, 1, m), (b, 1, n)) / 2  # noqa: E731
    nx, ny = Sum(x[a] ** 2, (a, 1, m)), Sum(y[b] ** 2, (b, 1, n))
    start = fit(t**2 * x[a] * y[b]) + LAM / 2 * t**2 * (nx + ny) - fit(0)
    expansion = (t**2 * (Sum((M[a, b] - Y[a, b]) * x[a] * y[b], (a, 1, m), (b, 1, n))
                         + LAM / 2 * (nx + ny))
                 + t**4 / 2 * nx * ny)
    return Derivation(
        "F(column = (t x, t y)) - F(column = 0) = t^2 (x^T G y + lam/2 (|x|^2 + |y|^2)) "
        "+ t^4 |x|^2 |y|^2 / 2, G = M - Y",
        start,
        [Step(expansion, EXPAND, note="exact for the squared loss")],
        general=True, sizes=SMALL, values=AT,
    )



# -- checks ----------------------------------------------------------------------------------


def check_expansion(ctx: Context, claim: ZeroColumnClaim) -> Evidence:
    """The exact second-order expansion of F along a zero column (symbolic m, n)."""
    return derivation_evidence(ctx, expansion_derivation,
                               "second-order expansion along a zero column (symbolic m, n)",
                               SCOPE)


def _points(ctx: Context, name: str) -> Iterator[tuple[dict[str, Any], float, int,
                                                        np.ndarray, np.ndarray]]:
    """Stationary points with a zero column: width-r descent ends plus a zero pair."""
    rng = ctx.rng(name)
    for _ in range(ctx.profile.instances):
        inst = nf.squared_instance(rng, max_side=SIDE, min_rank=2)  # widths below the rank
        Y_, lam = inst["Y"], inst["lam"]
        optimum = nf.soft_threshold_value(Y_, lam)
        for width in range(1, inst["rank"] + 2):
            Ub, Vb = nf.descend(Y_, lam, width, 2, rng)
            for Uf, Vf in zip(Ub, Vb, strict=True):
                U1 = np.hstack([Uf, np.zeros((Y_.shape[0], 1))])
                V1 = np.hstack([Vf, np.zeros((Y_.shape[1], 1))])
                yield inst, optimum, width, U1, V1


def check_local_global(ctx: Context, claim: ZeroColumnClaim) -> Evidence:
    """Points with a zero column pair that the claim covers are global minima.

    A point is a local minimum when the smallest Hessian eigenvalue is >= MIN_EIG
    of the scale, a saddle below SADDLE_EIG; ambiguous points are counted apart.
    """
    rows, skipped, ambiguous = [], 0, 0
    for inst, optimum, width, U1, V1 in _points(ctx, "local-global"):
        Y_, lam = inst["Y"], inst["lam"]
        grad = nf.gradient_norm(Y_, U1, V1, lam)
        eig = np.linalg.eigvalsh(nf.smooth_hessian(Y_, U1, V1, lam))
        scale = float(np.max(np.abs(eig)))
        is_min = eig[0] >= MIN_EIG * scale
        is_saddle = eig[0] <= SADDLE_EIG * scale
        if not (is_min or is_saddle):
            ambiguous += 1
            continue
        if claim.require_local_min and not is_min:
            skipped += 1
            continue
        excess = (nf.factorized_objective(Y_, U1, V1, lam) - optimum) / max(optimum, 1.0)
        # a point below the closed-form optimum would be as wrong as one above it
        rows.append((abs(excess), {
            "shape": list(Y_.shape), "lam": lam, "width_with_zero_column": width + 1,
            "rank_of_optimum": inst["rank"], "local_min": bool(is_min),
            "min_hessian_eigenvalue": float(eig[0]), "gradient_norm": grad,
            "excess_over_global": excess, "Y": Y_, "U": U1, "V": V1}))
    covered = "local minima" if claim.require_local_min else "all stationary points"
    return worst_case("numeric", f"{covered} with a zero column pair are global", rows,
                      DESCENT_REL, ctx, {
                          "measure": "relative excess of F over the closed-form optimum",
                          "classification": "Hessian by central differences of the exact "
                                            "gradient (batched)",
                          "saddles_not_covered": skipped, "ambiguous_hessian": ambiguous})


def check_descent_direction(ctx: Context, claim: ZeroColumnClaim) -> Evidence:
    """At non-optimal points, the zero pair along the top singular pair of -G descends
    by exactly t^2 (lam - ||G||_2) + t^4/2."""
    rows = []
    for inst, _optimum, width, U1, V1 in _points(ctx, "direction"):
        Y_, lam = inst["Y"], inst["lam"]
        G = U1 @ V1.T - Y_
        if nf.certify(Y_, U1, V1, lam).optimal:
            continue
        a_, s_, bt = np.linalg.svd(G)
        step = 0.3 * np.sqrt(lam)
        U2, V2 = U1.copy(), V1.copy()
        U2[:, -1], V2[:, -1] = step * a_[:, 0], -step * bt[0]
        change = nf.smooth_value(Y_, U2, V2, lam) - nf.smooth_value(Y_, U1, V1, lam)
        predicted = step**2 * (lam - s_[0]) + step**4 / 2
        err = relative_error(change, predicted, 1e-12)
        rows.append((err if change < 0 else np.inf, {
            "shape": list(Y_.shape), "lam": lam, "width_with_zero_column": width + 1,
            "spectral_norm": float(s_[0]), "change": change, "predicted": predicted}))
    if not rows:
        return Evidence.inconclusive("numeric", "descent direction",
                                     "no non-optimal point was found")
    return worst_case("numeric", "non-optimal stationary points: the zero pair along the top "
                      "singular pair of -G descends by t^2 (lam - ||G||_2) + t^4/2", rows,
                      DIRECTION_REL, ctx,
                      {"measure": "relative error of the change (inf if >= 0)",
                       "tolerance_reason": "float64 round-off of a difference"})


def _grow(Y_: np.ndarray, lam: float, rng: np.random.Generator
          ) -> tuple[nf.Certificate, int, list[dict[str, float]]]:
    """Grow by a zero column along the top singular pair of -G, descend, certify; repeat."""
    Ub, Vb = nf.descend(Y_, lam, 1, 1, rng)
    Uf, Vf = Ub[0], Vb[0]
    history = []
    while True:
        cert = nf.certify(Y_, Uf, Vf, lam)
        history.append({"width": Uf.shape[1], "spectral_norm": cert.spectral_norm,
                        "gap_bound": cert.gap_bound})
        if cert.optimal or Uf.shape[1] >= min(Y_.shape) + 1:
            return cert, Uf.shape[1], history
        a_, s_, bt = np.linalg.svd(Uf @ Vf.T - Y_)
        t_ = np.sqrt(max(s_[0] - lam, 0.0))  # minimizes t^2 (lam - s) + t^4 / 2
        Uf = np.hstack([Uf, t_ * a_[:, :1]])
        Vf = np.hstack([Vf, -t_ * bt[:1].T])
        Ub, Vb = nf.descend(Y_, lam, Uf.shape[1], 1, rng, init=(Uf[None], Vf[None]))
        Uf, Vf = Ub[0], Vb[0]


def check_grow(ctx: Context, claim: ZeroColumnClaim) -> Evidence:
    """Grow-and-certify from width 1 reaches the closed-form optimum (certified)."""
    rng = ctx.rng("grow")
    rows = []
    for _ in range(ctx.profile.instances):
        inst = nf.squared_instance(rng, max_side=SIDE)
        Y_, lam = inst["Y"], inst["lam"]
        optimum = nf.soft_threshold_value(Y_, lam)
        cert, final_width, history = _grow(Y_, lam, rng)
        excess = (cert.objective - optimum) / max(optimum, 1.0)
        rows.append((excess if cert.optimal else np.inf, {
            "shape": list(Y_.shape), "lam": lam, "rank_of_optimum": inst["rank"],
            "final_width": final_width, "history": history}))
    return worst_case("landscape", "grow by a zero column along the top singular pair, "
                      "descend, certify: reaches the global optimum", rows, DESCENT_REL, ctx,
                      {"measure": "relative excess over the closed form (inf if never "
                                  "certified)", "observed": "final widths in the rows"})


# -- the theorem -----------------------------------------------------------------------------


def zero_column(require_local_min: bool = True) -> Theorem:
    """A local minimum with a zero column pair is a global minimum (Haeffele and Vidal).

    Parameters
    ----------
    require_local_min : bool, default True
        False claims the conclusion for every stationary point with a zero
        column pair, which is false.

    Examples
    --------
    >>> zero_column(require_local_min=False).verify(seed=0, profile="quick").status.value
    'refuted'
    """
    claim = ZeroColumnClaim(require_local_min)
    statement = sympy.Implies(
        sympy.And(sympy.Symbol("local_minimum"), sympy.Symbol("zero_column_pair"))
        if claim.require_local_min else sympy.And(sympy.Symbol("stationary"),
                                                  sympy.Symbol("zero_column_pair")),
        sympy.Symbol("global_minimum"))

    def wire(fn, kind: str, name: str, backed_by: str) -> Check:
        return Check(name, kind, functools.partial(fn, claim=claim), backed_by)

    return Theorem(
        id="factorization.zero_column",
        title="A local minimum with a zero column pair is global"
        + ("" if claim.is_default else " (variant)"),
        statement=statement,
        hypotheses=[
            "F(U, V) = loss(U V^T) + lam sum_i theta(u_i, v_i), loss convex, theta and "
            "the map (u, v) -> u v^T positively homogeneous of the same degree",
            "checked here for the squared loss and the smooth form "
            "(lam/2)(||U||_F^2 + ||V||_F^2), whose stationary points are balanced",
            "(U, V) is a local minimum with some column pair (u_k, v_k) = (0, 0)",
        ],
        references=list(REFERENCES),
        note="proofs_notes/factorization.md",
        checks=[
            wire(check_expansion, "symbolic", "expansion along a zero column",
                 "theorems.derivation.run_derivation"),
            wire(check_local_global, "numeric", "zero-column local minima are global",
                 "numerics.factorization.smooth_hessian, numerics.factorization.descend"),
            wire(check_descent_direction, "numeric", "descent direction at non-optimal points",
                 "numerics.factorization.certify, numerics.factorization.smooth_value"),
            wire(check_grow, "landscape", "grow-and-certify reaches the optimum",
                 "numerics.factorization.descend, numerics.factorization.certify"),
        ],
        derivations={"expansion": expansion_derivation},
        expected=Status.VERIFIED,
        variants=VARIANTS if claim.is_default else (),
    )


VARIANTS: tuple[Variant, ...] = (
    Variant("every stationary point", functools.partial(zero_column, require_local_min=False),
            ("all stationary points with a zero column pair are global",),
            "saddles with a zero column (widths below the rank) are not global"),
)
"""The wrong statement the theorem must refute, with the check that refutes it first."""
