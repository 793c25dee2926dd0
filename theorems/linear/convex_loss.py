"""linear.convex_loss: deep linear networks with a convex differentiable loss (Laurent and
von Brecht 2018).

With hidden widths >= min(d_x, d_y), every local minimum of l(W_{H+1} ... W_1) is global
for a convex differentiable l: descent reaches the CVXPY optimum of min_M l(M).  Both
hypotheses are sharp: a bottleneck, or the non-differentiable l1 loss, leaves a
sub-optimal local minimum.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from sympy import Eq, Float, Symbol

from numerics import linear as nl
from theorems.checks import worst_case
from theorems.core import Check, Context, Evidence, Status, Theorem, Variant
from theorems.linear.common import CONVEX_RTOL, L1_MIDPOINT, L1_ROUNDOFF, NOTE, SHARP_GAP
from theorems.linear.references import REFERENCES

__all__ = ["ConvexClaim", "convex_loss", "check_reach", "check_sharp_nondifferentiable",
           "check_sharp_bottleneck", "BUDGET"]

BUDGET = 20_000  # descent iterations per run
START_SCALE = 0.05  # perturbation of the l1 local minimum for the descent starts
BOX = 0.1  # half-width of the box of sampled neighbours of the l1 local minimum
SMOOTH_DELTA = 0.1  # the Huber threshold of the smoothed l1 run


@dataclass(frozen=True)
class ConvexClaim:
    """The claimed conditions of linear.convex_loss.

    Attributes
    ----------
    differentiable : bool
        True (the theorem); False claims the result for every convex loss, l1 included.
    width_margin : int
        The claim covers hidden widths >= min(d_x, d_y) - width_margin (0: the theorem).
    losses : tuple of str
        Differentiable losses tested (names of numerics.linear.DIFFERENTIABLE).
    optimum_scale : float
        The claimed min over W is optimum_scale times the convex optimum: 1 is the
        theorem; 1 - 1e-5 is the near miss that pins CONVEX_RTOL.
    """

    differentiable: bool = True
    width_margin: int = 0
    losses: tuple[str, ...] = nl.DIFFERENTIABLE
    optimum_scale: float = 1.0

    def __post_init__(self) -> None:
        losses = tuple(self.losses)
        if len(losses) < 1 or any(lo not in nl.DIFFERENTIABLE for lo in losses):
            raise ValueError(f"losses: expected names among {nl.DIFFERENTIABLE}, got "
                             f"{list(losses)!r}")
        object.__setattr__(self, "losses", losses)
        if isinstance(self.width_margin, bool) or not isinstance(self.width_margin, int) \
                or self.width_margin < 0:
            raise ValueError(f"width_margin: expected an integer >= 0, got "
                             f"{self.width_margin!r}")

        if not (np.isfinite(self.optimum_scale) and self.optimum_scale > 0):
            raise ValueError(f"optimum_scale: expected a positive number, got "
                             f"{self.optimum_scale!r}")

    @property
    def is_variant(self) -> bool:
        return not self.differentiable or self.width_margin != 0 or self.optimum_scale != 1.0


def _row(loss, widths, starts, opt, res, gap, **extra) -> tuple[float, dict]:
    """A run that ends above the optimum is a counterexample when it has stopped
    (converged, or stalled: no step decreases the loss); if the iteration budget ran out
    first, it is only unfinished and the check is inconclusive."""
    off = gap > CONVEX_RTOL
    finished = res.iterations < BUDGET
    return (float(np.max(np.abs(gap))),
            {"loss": loss, "widths": widths, "starts": starts,
             "convex_optimum": opt.value, "worst_final": float(res.losses.max()),
             "solver": opt.solver, "iterations": res.iterations,
             "stopped_above": bool(np.any(off & (res.converged | finished))),
             "unfinished_above": bool(np.any(off & ~res.converged & ~finished)), **extra})


def _l1_row(rng: np.random.Generator, starts: int, scale: float) -> tuple[float, dict]:
    X, Y, point = nl.l1_spurious_example()
    opt = nl.convex_optimum("l1", X, Y)
    ws = nl.perturbed_starts(point, starts, START_SCALE, rng)
    res = nl.convex_descent("l1", X, Y, ws, BUDGET)
    # the optimum is 0: the gap is absolute here
    return _row("l1", [1], starts, opt, res, res.losses - scale * opt.value,
                init="near w1 = 0, w2 = e1")


def check_reach(ctx: Context, claim: ConvexClaim) -> list[Evidence]:
    """Descent on three architectures of the claimed widths reaches the CVXPY optimum of
    the end-to-end problem, for every tested loss (and l1 when claimed)."""
    rng = ctx.rng("convex reach")
    starts = max(ctx.profile.starts // 4, 8)
    rows, solver_rows = [], []
    for loss in claim.losses:
        dy = 2 if loss == "logistic" else 3
        X, Y = nl.convex_data(loss, rng, dy=dy)
        opt = nl.convex_optimum(loss, X, Y)
        solver_rows.append({"loss": loss, "solver": opt.solver, "status": opt.status,
                            "value": opt.value})
        if not opt.optimal:
            return [Evidence.inconclusive("convex", "CVXPY optimum of the end-to-end problem",
                                          f"solver status {opt.status!r} for {loss}",
                                          solves=solver_rows)]
        m = min(4, dy) - claim.width_margin
        for widths in ([m], [m, m + 1], [m + 1, m, m + 2]):
            ws = nl.random_weights(widths, 4, dy, starts, rng, init="orthogonal")
            res = nl.convex_descent(loss, X, Y, ws, BUDGET)
            target = claim.optimum_scale * opt.value
            gap = (res.losses - target) / abs(target)
            rows.append(_row(loss, widths, starts, opt, res, gap))
    if not claim.differentiable:
        rows.append(_l1_row(rng, starts, claim.optimum_scale))
    said = ("widths >= min(d_x, d_y)" if claim.width_margin == 0 else
            f"widths >= min(d_x, d_y) - {claim.width_margin}")
    name = f"descent on deep networks ({said}) reaches the CVXPY optimum"
    details = {"solves": solver_rows, "measure": "max relative gap",
               "iteration_budget": BUDGET}
    ev = worst_case("convex", name, rows, CONVEX_RTOL, ctx, details)
    if ev.passed is False and not any(r[1]["stopped_above"] for r in rows):
        out = Evidence.inconclusive("convex", name, "runs above the optimum had not stopped "
                                    "in the budget", **details)
        out.measured, out.tolerance, out.instances = ev.measured, ev.tolerance, ev.instances
        return [out]
    return [ev]


def check_sharp_nondifferentiable(ctx: Context, claim: ConvexClaim) -> Evidence:
    """The l1 example: descent near the local minimum stalls there (gap >= 1/2), no
    sampled neighbour lies below it, and Huber(0.1) from the same starts reaches the
    optimum (so the stall is the non-differentiability, not the starts)."""
    rng = ctx.rng("l1 example")
    X, Y, point = nl.l1_spurious_example()
    opt = nl.convex_optimum("l1", X, Y)
    if not opt.optimal:
        return Evidence.inconclusive("convex", "l1 example", f"solver status {opt.status!r}",
                                     status=opt.status)
    starts = max(ctx.profile.starts // 4, 8)
    ws = nl.perturbed_starts(point, starts, START_SCALE, rng)
    stall = nl.convex_descent("l1", X, Y, ws, BUDGET)
    smooth = nl.convex_descent(lambda W, X_, Y_: nl.huber_loss(W, X_, Y_, SMOOTH_DELTA),
                               X, Y, ws, 3000, grad_tol=1e-9)
    smooth_l1 = nl.l1_loss(nl.end_to_end(smooth.params), X, Y)[0]
    # local minimality: sampled perturbations in a box of half-width BOX never go below
    n = 20_000 if ctx.profile.name == "quick" else 100_000
    margin, base = nl.l1_box_margin(point, X, Y, BOX, n, rng)
    # Huber(0.1) has the same minimizer W = (0, 1)^T with zero residual: descent stopped at
    # ||grad|| <= 1e-9 is within ~1e-9 of it in l1 (measured ~7e-10), below CONVEX_RTOL
    ok = (np.min(stall.losses) - opt.value >= L1_MIDPOINT and margin >= -L1_ROUNDOFF
          and np.max(smooth_l1) - opt.value <= CONVEX_RTOL)
    return Evidence(
        "landscape", "sharpness: the convex, non-differentiable l1 loss has a sub-optimal "
        "local minimum (width 1 >= min(d_x, d_y) = 1)", bool(ok),
        instances=starts,
        details={"required": f"descent gap >= {L1_MIDPOINT} (midpoint of the exact "
                             "values 1 and 0), no sampled neighbour below the local value "
                             f"by more than {L1_ROUNDOFF:g}, Huber(0.1) from the same "
                             f"starts within {CONVEX_RTOL:g} of the optimum in l1",
                 "descent_gap": float(np.min(stall.losses) - opt.value),
                 "convex_optimum": opt.value, "solver": opt.solver, "local_value": base,
                 "descent_l1_best": float(np.min(stall.losses)),
                 "sampled_neighbours": n, "min_neighbour_minus_local": margin,
                 "huber_0.1_from_same_starts_l1_worst": float(np.max(smooth_l1))},
        counterexample=None if ok else {"seed": ctx.seed, "stall": float(stall.losses.min()),
                                        "margin": margin})


def check_sharp_bottleneck(ctx: Context, claim: ConvexClaim) -> Evidence:
    """With a width-1 bottleneck (< min(d_x, d_y) = 3) every descent run stops above the
    Huber optimum, whose rank exceeds 1."""
    rng = ctx.rng("bottleneck")
    X, Y = nl.convex_data("huber", rng, dy=3)
    opt = nl.convex_optimum("huber", X, Y)
    if not opt.optimal:
        return Evidence.inconclusive("convex", "bottleneck", f"solver status {opt.status!r}",
                                     status=opt.status)
    s = nl.singular_values(opt.variables["W"])
    starts = max(ctx.profile.starts // 4, 8)
    ws = nl.random_weights([1], 4, 3, starts, rng, init="orthogonal")
    res = nl.convex_descent("huber", X, Y, ws, BUDGET)
    gap = (res.losses - opt.value) / abs(opt.value)
    ok = bool(np.min(gap) > SHARP_GAP and s[1] > SHARP_GAP * s[0])
    return Evidence(
        "landscape", "sharpness: with a bottleneck (width 1 < min(d_x, d_y) = 3) descent "
        "stops above the convex optimum", ok, instances=starts,
        details={"required": f"every run's relative gap > {SHARP_GAP:g} and "
                             f"sigma_2(optimum) > {SHARP_GAP:g} sigma_1 (rank > 1)",
                 "smallest_relative_gap": float(np.min(gap)),
                 "convex_optimum": opt.value, "singular_values_of_optimum": s,
                 "solver": opt.solver, "best_descent": float(np.min(res.losses))})


STATEMENT = Eq(Symbol("min_W l(W_{H+1} ... W_1)"), Symbol("min_M l(M)"))

NEAR_MISS = 1 - 1e-5  # an optimum_scale the descent check must refute (CONVEX_RTOL = 1e-6)

HYPOTHESES = [
    "l convex and differentiable on d_y x d_x matrices, with a minimizer",
    "hidden widths d_1, ..., d_H >= min(d_x, d_y)",
]


def _variants() -> tuple[Variant, ...]:
    return (
        Variant("any convex loss", functools.partial(convex_loss, differentiable=False),
                ("descent on deep networks (widths >= min(d_x, d_y)) reaches the CVXPY "
                 "optimum",),
                "drops differentiability: the l1 loss has a sub-optimal local minimum"),
        Variant("bottleneck", functools.partial(convex_loss, width_margin=1),
                ("descent on deep networks (widths >= min(d_x, d_y) - 1) reaches the CVXPY "
                 "optimum",),
                "widths one below min(d_x, d_y): a bottleneck"),
        Variant("optimum off by 1e-5", functools.partial(convex_loss, optimum_scale=NEAR_MISS),
                ("descent on deep networks (widths >= min(d_x, d_y)) reaches the CVXPY "
                 "optimum",),
                "min_W l = (1 - 1e-5) min_M l: a near miss of the value"),
    )


def convex_loss(differentiable: bool = True, width_margin: int = 0,
                losses=nl.DIFFERENTIABLE, optimum_scale: float = 1.0) -> Theorem:
    """Laurent and von Brecht (2018): convex differentiable losses, wide enough layers.

    Parameters
    ----------
    differentiable : bool
        True (the theorem).  False claims the result for every convex loss, including
        the non-differentiable l1 loss: a false variant.
    width_margin : int
        The claim covers hidden widths >= min(d_x, d_y) - width_margin; 0 is the
        theorem, 1 or more a false variant (a bottleneck).
    losses : sequence of str
        Differentiable losses to test (among logistic, softmax, huber).
    optimum_scale : float
        The claimed min over W is optimum_scale times min_M l(M): 1 is the theorem
        (1 - 1e-5: a near-miss variant).

    Examples
    --------
    >>> convex_loss(differentiable=False).verify(seed=0, profile="quick").status.value
    'refuted'
    """
    claim = ConvexClaim(differentiable, width_margin, tuple(losses), float(optimum_scale))
    statement = STATEMENT if claim.optimum_scale == 1.0 else Eq(
        STATEMENT.lhs, Float(claim.optimum_scale) * STATEMENT.rhs)

    def check(name, kind, fn, backed_by):
        return Check(name, kind, functools.partial(fn, claim=claim), backed_by)

    return Theorem(
        id="linear.convex_loss",
        title="Deep linear networks with a convex differentiable loss: local minima are global"
        + (" (variant)" if claim.is_variant else ""),
        statement=statement,
        hypotheses=list(HYPOTHESES),
        references=list(REFERENCES["linear.convex_loss"]),
        note=NOTE,
        checks=[
            check("descent reaches the convex optimum", "convex", check_reach,
                  "numerics.linear.convex_optimum, numerics.linear.convex_descent"),
            check("sharpness: non-differentiable loss", "landscape",
                  check_sharp_nondifferentiable, "numerics.linear.l1_loss"),
            check("sharpness: bottleneck", "landscape", check_sharp_bottleneck,
                  "numerics.linear.huber_loss"),
        ],
        expected=Status.VERIFIED,
        variants=() if claim.is_variant else _variants(),
    )
