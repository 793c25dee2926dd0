"""What the linear-network theorems share: the depth symbol, the tolerances and the note.

Every tolerance is relative and carries the reason for its value.
"""

from __future__ import annotations

from sympy import Symbol

from numerics.finite_differences import FD_STEP
from theorems.checks import worst_case
from theorems.core import Context, Evidence

__all__ = [
    "H", "NOTE", "ROUNDOFF", "FD_STEP", "FD_RTOL", "EIG_RTOL", "DESCENT_RTOL", "CONVEX_RTOL",
    "SHARP_GAP", "L1_MIDPOINT", "L1_ROUNDOFF", "GRAD_STOP", "CLASS_RTOL", "MINIMIZER_RTOL",
    "HESSIAN_ZERO_RTOL", "HESSIAN_FORM_RTOL", "DECREASE_RTOL", "descent_evidence",
]

H = Symbol("H", integer=True, positive=True)  # number of hidden layers (depth H + 1)

NOTE = "proofs_notes/linear.md"

# Tolerances (relative), with the reason for each.
ROUNDOFF = 1e-10  # closed forms evaluated in float64: accumulated round-off is ~1e-14
# FD_STEP = 1e-4 (numerics.finite_differences): the step of every central difference here
# (loss -> gradient, gradient -> Hessian, loss -> Hessian forms)
FD_RTOL = 1e-6  # central differences with h = FD_STEP: truncation h^2/6 |f'''| ~1e-9 relative
# (E is a quartic polynomial), round-off 1e-16 |f| / h ~1e-12; measured <= 1e-11 (seeds 0-29)
EIG_RTOL = 1e-9  # Hessian eigenvalue counts as zero below 1e-9 x max |eigenvalue| (eigvalsh
# is backward stable to ~1e-15 x norm; instances keep eigen-gaps >= 10^(1/5) by construction)
DESCENT_RTOL = 1e-8  # descent stops at ||grad|| <= 1e-7 ||Sigma_YX||: loss error ~ ||grad||^2
CONVEX_RTOL = 1e-6  # Clarabel's duality gap ~1e-8 relative; descent stops at ||grad|| ~ 1e-6 N
# A sharpness example must beat that error by three orders of magnitude to count: a relative
# gap above SHARP_GAP cannot be solver or descent error (measured gap ~3e-2 at seed 0), and a
# singular value of the CVXPY optimum above SHARP_GAP * sigma_1 is not round-off.
SHARP_GAP = 1e3 * CONVEX_RTOL
# The l1 example has exact values: local minimum 1, optimum 0 (unit scale, so absolute
# tolerances are relative to the gap).  A run ends in the local basin when its loss is at
# least the midpoint 1/2; a sampled neighbour computed in float64 is "below" the local value
# only beyond round-off (a few 1e-16; L1_ROUNDOFF leaves a factor 1e3).
L1_MIDPOINT = 0.5
L1_ROUNDOFF = 1e-12
GRAD_STOP = 1e-7  # descent stops once ||grad|| <= GRAD_STOP * ||Sigma_YX||_F
# A point found by Levenberg-Marquardt (stopped at ||grad E|| <= ROUNDOFF ||Sigma_YX||) lies in
# class J when ||A B - U_J U_J' M|| <= CLASS_RTOL ||M||, M = Sigma_YX Sigma_XX^-1: the product
# is within ~1e-10 x (conditioning) of its class (measured <= 1e-13, seeds 0-29), while two
# classes differ by at least min_i ||u_i' M|| / ||M|| (>= 0.1 here; reported per instance).
CLASS_RTOL = 1e-8
# A descent end point (||grad|| <= GRAD_STOP ||Sigma_YX||) is the global minimizer when its
# product is within MINIMIZER_RTOL (relative) of W* = U_p U_p' Sigma_YX Sigma_XX^-1: measured
# distances are <= 1.3e-6 (seeds 0-19), while every other critical product differs from W* by
# at least min_i ||u_i' M|| / ||W*|| (>= 0.1 on these instances; reported per run).
MINIMIZER_RTOL = 1e-4
# The Hessian at W = 0 from the loss itself: 4-point central differences with h = FD_STEP along
# unit random direction pairs.  The stencil cancels every term odd in either direction, so the
# error is round-off 1e-16 L(0) / h^2 ~ 2e-8 sigma_1 (L(0) <= ~2 sigma_1 here, reported) plus
# h^2 times a fourth-order coefficient (<= 8 ||Sigma_YX||_F at H = 3): <= 2e-7 sigma_1 in all;
# measured <= 3.3e-8 sigma_1 (seeds 0-9).  A nonzero Hessian shows up at ~1e-1 sigma_1.
HESSIAN_ZERO_RTOL = 1e-6
# The same forms at the constructed critical points (weights O(1), not 0): measured
# <= 3.7e-8 sigma_1 (seeds 0-11), round-off 1e-16 L / h^2 plus O(h^2) truncation; a 1% error in
# the analytic Hessian shows up at ~1e-3 sigma_1.
HESSIAN_FORM_RTOL = 1e-6
# L(t) - L(0) against its closed form, relative to sigma_1 t^(H+1): cancellation in the
# difference costs ~1e-16 L(0) / t^(H+1) <= 1e-10 for t >= 0.1, H <= 5.
DECREASE_RTOL = 1e-8


def descent_evidence(name: str, rows: list[tuple[float, dict]], stuck: list[dict],
                     tolerance: float, ctx: Context, details: dict) -> Evidence:
    """worst_case, except that runs still far from critical make the check inconclusive.

    A failed comparison counts only when some row says ``critical_off_value`` (a stopped
    run off the claimed value, or a run below it); otherwise, if runs had not stopped,
    the evidence is inconclusive, with that reason.
    """
    ev = worst_case("landscape", name, rows, tolerance, ctx, details)
    if ev.passed is False and not any(r[1].get("critical_off_value") for r in rows) and stuck:
        out = Evidence.inconclusive("landscape", name, "runs stopped before reaching a "
                                    "critical point", **ev.details)
        out.measured, out.tolerance, out.instances = ev.measured, ev.tolerance, ev.instances
        ev = out
    ev.details["not_converged"] = stuck
    return ev
