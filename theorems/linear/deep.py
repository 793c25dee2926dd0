"""linear.deep_no_spurious_minima: every local minimum of a deep linear network is global.

Descent from many initializations ends at the reduced-rank value; a global-optimality
test (rank without a bottleneck, value under one) classifies descent end points and
constructed saddles (Kawaguchi 2016; Lu and Kawaguchi 2017; Yun, Sra and Jadbabaie 2018).
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass

import numpy as np
from sympy import Eq, Float, Rational, Symbol

from numerics import linear as nl
from numerics.descent import batched_descent
from numerics.linalg import spectral_norm
from theorems.checks import worst_case
from theorems.core import Check, Context, Evidence, Status, Theorem, Variant
from theorems.linear.common import (
    DESCENT_RTOL,
    EIG_RTOL,
    FD_STEP,
    GRAD_STOP,
    HESSIAN_FORM_RTOL,
    MINIMIZER_RTOL,
    NOTE,
    ROUNDOFF,
    descent_evidence,
)
from theorems.linear.figures import final_losses_figure
from theorems.linear.references import REFERENCES

__all__ = ["ARCHITECTURES", "DeepClaim", "deep_no_spurious_minima", "check_descent",
           "check_constructed_saddles"]

# hidden widths for d_x = 5, d_y = 4: depths 2 to 5, with and without a bottleneck
ARCHITECTURES: list[list[int]] = [
    [4], [2], [5, 4], [6, 3], [4, 6, 5], [5, 2, 5], [6, 6, 6, 6], [4, 3, 4, 4],
]
ESCAPE_TS = (0.2, 0.1, 0.05)  # distances of the escape points from a constructed saddle
FORM_PAIRS = 4  # random unit direction pairs per constructed point (Hessian forms)


@dataclass(frozen=True)
class DeepClaim:
    """The claimed global-optimality test of linear.deep_no_spurious_minima.

    Attributes
    ----------
    rule : {"auto", "rank", "value"}
        "auto" (the theorem): rank(W) = p without a bottleneck, the reduced-rank value
        with one; "rank" applies the rank test under a bottleneck too (false).
    value_scale : float
        The claimed min L is value_scale * (1/2) RRR_p: 1 is the theorem; 1 + 1e-6 is the
        near miss that pins DESCENT_RTOL.
    """

    rule: str = "auto"
    value_scale: float = 1.0

    def __post_init__(self) -> None:
        if self.rule not in ("auto", "rank", "value"):
            raise ValueError(f"rule: expected 'auto', 'rank' or 'value', got {self.rule!r}")
        if not (math.isfinite(self.value_scale) and self.value_scale > 0):
            raise ValueError(f"value_scale: expected a positive number, got "
                             f"{self.value_scale!r}")

    @property
    def is_variant(self) -> bool:
        return self.rule != "auto" or self.value_scale != 1.0


def _instance(ctx: Context, name: str):
    rng = ctx.rng(name)
    X, Y = nl.regression_instance(5, 4, 30, rng)
    return rng, X, Y


def _judge_end_points(res, X, Y, U, M, p, claim: DeepClaim, inst: dict) -> tuple[float, dict]:
    """One row of the end-point classification: stopped runs the test misjudges.

    The truth comes from neither the test's loss values, its reference value nor its
    ranks: the rank-p problem has the unique minimizer W* = U_p U_p' Sigma_YX Sigma_XX^-1
    (distinct eigenvalues of Sigma), so an end point is global iff its product is W*.
    Second-order information would not do: for depth >= 3 some saddles have a PSD Hessian
    (linear.degenerate_saddle).
    """
    crit = res.converged  # descent's own gradient test, not the classifier's
    test = nl.global_optimality(res.params, X, Y, rule=claim.rule)
    Wstar = nl.rank_p_minimizer(U, M, p)
    dist = (np.linalg.norm(nl.end_to_end(res.params) - Wstar, axis=(1, 2))
            / np.linalg.norm(Wstar))
    truth = dist <= MINIMIZER_RTOL
    # a stopped run must be called critical, and global exactly when it is at W*
    wrong = crit & ((test.verdict == "not critical")
                    | ((test.verdict == "global minimum") != truth))
    verdicts = dict(zip(*np.unique(test.verdict, return_counts=True), strict=True))
    row = {**inst, "rule": test.rule, "judged": int(np.sum(crit)),
           "at_minimizer": int(np.sum(crit & truth)),
           "worst_distance_at_minimizer": float(np.max(dist[crit & truth], initial=0.0)),
           "class_separation": nl.class_separation(U, M) / np.linalg.norm(Wstar),
           "verdicts": {str(k): int(v) for k, v in verdicts.items()}}
    if np.any(wrong):
        k = int(np.flatnonzero(wrong)[0])
        row.update({"run": k, "verdict": str(test.verdict[k]),
                    "distance_to_minimizer": float(dist[k]),
                    "loss": float(res.losses[k]), "rank": int(test.rank[k])})
    return float(np.sum(wrong)), row


def check_descent(ctx: Context, claim: DeepClaim) -> list[Evidence]:
    """Descent on every architecture ends at (1/2) RRR_p, and the claimed optimality test
    classifies every stopped end point as the product-equals-W* truth does."""
    rng, X, Y = _instance(ctx, "deep descent")
    cov = nl.covariances(X, Y)
    obj = nl.squared_objective(X, Y)
    _, U, _ = nl.principal_decomposition(X, Y)
    M = nl.least_squares_map(cov)
    rows, agree, stuck = [], [], []
    for widths in ARCHITECTURES:
        p = min(widths + [4])
        ws = nl.random_weights(widths, 5, 4, ctx.profile.starts, rng, init="orthogonal")
        res = batched_descent(obj, ws, step=0.1, iterations=5000,
                              grad_tol=GRAD_STOP * np.linalg.norm(cov.syx))
        _, rrr = nl.reduced_rank_regression(X, Y, p)
        claimed = claim.value_scale * (rrr / 2)
        rel = (res.losses - claimed) / claimed
        crit = res.converged
        inst = {"widths": widths, "depth": len(widths) + 1, "p": p,
                "bottleneck": p < 4, "starts": len(rel),
                "worst_relative_gap": float(np.max(rel)),
                # a critical end point above the value, or any point below it,
                # contradicts the theorem; a run still far from critical does not
                "critical_off_value": bool(np.any(crit & (rel > DESCENT_RTOL))
                                           or np.any(rel < -DESCENT_RTOL))}
        rows.append((float(np.max(np.abs(rel))), inst))
        if not np.all(crit):
            stuck.append({"widths": widths, "runs": int(np.sum(~crit))})
        agree.append(_judge_end_points(res, X, Y, U, M, p, claim, inst))
    name = ("the global-optimality test classifies every descent end point "
            "correctly (truth: the product equals the unique rank-p minimizer)")
    details = {"measure": "stopped runs misclassified",
               "truth": "||W_L...W_1 - U_p U_p' Sigma_YX Sigma_XX^-1|| <= "
                        f"{MINIMIZER_RTOL:g} ||W*||, independent of the test's loss "
                        "values, reference value and ranks",
               "minimizer_rtol": MINIMIZER_RTOL}
    classified = worst_case("landscape", name, agree, 0.0, ctx, details)
    if classified.passed and not any(r[1]["judged"] for r in agree):
        classified = Evidence.inconclusive("landscape", name, "no descent run stopped at a "
                                           "critical point", **details)
    return [
        descent_evidence("descent on deep networks (depth 2-5) ends at the reduced-rank "
                         "value", rows, stuck, DESCENT_RTOL, ctx,
                         {"measure": "max relative gap to (1/2) RRR value"}),
        classified,
    ]


def _classify_constructed(X, Y, cov, widths, sets, test) -> tuple[float, dict]:
    """Row of the optimality test on the constructed points: global iff J is the top set,
    and every other point has a lower loss at distance O(t) (an escape path)."""
    p = min(widths + [4])
    gl = np.array([J == tuple(range(p)) for J in sets])
    escaped = np.zeros(len(sets), dtype=bool)
    for k in np.flatnonzero(~gl):
        path = nl.escape_path(X, Y, widths, sets[k], ESCAPE_TS)
        losses, _ = nl.deep_loss_and_gradient(path, cov)
        escaped[k] = bool(np.all(losses < test.loss[k]))
    said_saddle = test.verdict == "saddle"
    wrong = (said_saddle == gl) | (~gl & ~escaped) | (gl & (test.verdict != "global minimum"))
    bad = np.flatnonzero(wrong)
    inst = {"widths": widths, "p": p, "bottleneck": test.bottleneck,
            "rule": test.rule, "points": len(sets), "saddles": int(np.sum(~gl)),
            "escape_certified": int(np.sum(escaped))}
    if bad.size:
        k = int(bad[0])
        inst.update({"index_set": list(sets[k]), "verdict": str(test.verdict[k]),
                     "rank": int(test.rank[k]), "loss": float(test.loss[k]),
                     "global_value": test.rrr_value, "lower_loss_nearby": bool(escaped[k])})
    return float(bad.size), inst


def check_constructed_saddles(ctx: Context, claim: DeepClaim) -> list[Evidence]:
    """Constructed points W_L...W_1 = U_J U_J' M are critical; the claimed test calls
    exactly the top set global (the others escape); depth 2 saddles are strict while
    depth >= 3 has one with no negative eigenvalue; the analytic Hessians the count
    relies on equal central differences of the loss (random unit direction pairs)."""
    _, X, Y = _instance(ctx, "constructed saddles")
    cov = nl.covariances(X, Y)
    rows, crit_rows, hess_rows, fd_rows = [], [], [], []
    fd_rng = ctx.rng("constructed saddles, Hessian forms")
    sig1 = spectral_norm(cov.syx)
    for widths in ARCHITECTURES:
        p = min(widths + [4])
        sets = [J for r in range(p + 1) for J in itertools.combinations(range(4), r)]
        points = [nl.deep_critical_point(X, Y, widths, J) for J in sets]
        ws = [np.concatenate([pt[k] for pt in points]) for k in range(len(points[0]))]
        test = nl.global_optimality(ws, X, Y, rule=claim.rule)
        gl = np.array([J == tuple(range(p)) for J in sets])
        crit_rows.append((float(np.max(test.grad_norm) / np.linalg.norm(cov.syx)),
                          {"widths": widths}))
        rows.append(_classify_constructed(X, Y, cov, widths, sets, test))
        # Kawaguchi: depth 2 saddles are strict; depth >= 3 has saddles with no negative
        # Hessian eigenvalue (the origin)
        hessians = nl.deep_hessian(ws, cov)
        spec = nl.hessian_spectra(hessians, EIG_RTOL)
        no_neg = int(np.sum(~spec.strictly_negative & ~gl))
        ok = no_neg == 0 if len(widths) == 1 else no_neg >= 1
        hess_rows.append((0.0 if ok else 1.0, {"widths": widths, "depth": len(widths) + 1,
                                               "saddles_without_negative_eigenvalue": no_neg}))
        dims = [X.shape[0], *widths, Y.shape[0]]
        D = nl.unit_directions(fd_rng, dims, FORM_PAIRS)
        E = nl.unit_directions(fd_rng, dims, FORM_PAIRS)
        for k in range(len(sets)):
            fd = nl.fd_hessian_forms([w[k:k + 1] for w in ws], D, E, X, Y, FD_STEP)
            analytic = nl.hessian_forms(hessians[k], D, E)
            fd_rows.append((float(np.max(np.abs(analytic - fd))) / sig1,
                            {"widths": widths, "index_set": list(sets[k]),
                             "min_eigenvalue": float(spec.min_eigenvalue[k])}))
    return [
        worst_case("numeric", "constructed points W_L...W_1 = U_J U_J' Sigma_YX "
                   "Sigma_XX^-1 are critical", crit_rows, ROUNDOFF, ctx),
        worst_case("landscape", f"optimality test ({claim.rule}) on constructed critical "
                   "points: global iff J is the top set; every other one has lower loss at "
                   "distance O(t), t = 0.2, 0.1, 0.05", rows, 0.0, ctx,
                   {"measure": "misclassified points"}),
        worst_case("landscape", "depth 2: every saddle strict; depth >= 3: a saddle with "
                   "no negative Hessian eigenvalue exists", hess_rows, 0.0, ctx),
        worst_case("numeric", "analytic Hessians at the constructed points = central "
                   "differences of the loss", fd_rows, HESSIAN_FORM_RTOL, ctx,
                   {"measure": "max |D' (H_analytic - H_fd) E| / sigma_1 over 4 random "
                               "unit direction pairs per point", "h": FD_STEP}),
    ]


STATEMENT = Eq(Symbol("min_W L(W)"), Rational(1, 2) * Symbol("RRR_p(X, Y)"))
NEAR_MISS = 1 + 1e-6  # a value_scale the descent check must refute

HYPOTHESES = [
    "L(W) = (1/2) ||W_{H+1} ... W_1 X - Y||_F^2, one sample per column",
    "X X^T and X Y^T of full rank, d_y <= d_x, Sigma with distinct eigenvalues",
    "p = min(d_x, d_y, d_1, ..., d_H)",
]


def _variants() -> tuple[Variant, ...]:
    return (
        Variant("rank test under a bottleneck",
                functools.partial(deep_no_spurious_minima, rule="rank"),
                ("optimality test (rank) on constructed critical points: global iff J is the "
                 "top set; every other one has lower loss at distance O(t), t = 0.2, 0.1, "
                 "0.05",),
                "rank(W) = p does not make a critical point global when p < min(d_x, d_y)"),
        Variant("value off by 1e-6",
                functools.partial(deep_no_spurious_minima, value_scale=NEAR_MISS),
                ("descent on deep networks (depth 2-5) ends at the reduced-rank value",),
                "min L = (1 + 1e-6) (1/2) RRR_p: a near miss of the value"),
    )


def deep_no_spurious_minima(rule: str = "auto", value_scale: float = 1.0) -> Theorem:
    """Deep linear networks: every local minimum is global (Kawaguchi; Lu and Kawaguchi).

    Parameters
    ----------
    rule : {"auto", "rank", "value"}
        The global-optimality test: "auto" (the theorem) uses rank(W) = p without a
        bottleneck (Yun, Sra and Jadbabaie) and the reduced-rank value with one;
        "rank" applies the rank test under a bottleneck too, a false variant.
    value_scale : float
        The claimed value is value_scale * (1/2) RRR_p; 1 is the theorem (1 + 1e-6: a
        near-miss variant).

    Examples
    --------
    >>> deep_no_spurious_minima(rule="rank").verify(seed=0, profile="quick").status.value
    'refuted'
    """
    claim = DeepClaim(rule, float(value_scale))
    statement = STATEMENT if claim.value_scale == 1.0 else Eq(
        STATEMENT.lhs, Float(claim.value_scale) * STATEMENT.rhs)
    return Theorem(
        id="linear.deep_no_spurious_minima",
        title="Deep linear networks: every local minimum is global"
        + (" (variant)" if claim.is_variant else ""),
        statement=statement,
        hypotheses=list(HYPOTHESES),
        references=list(REFERENCES["linear.deep_no_spurious_minima"]),
        note=NOTE,
        checks=[
            Check("descent on deep linear networks", "landscape",
                  functools.partial(check_descent, claim=claim),
                  "numerics.descent.batched_descent, numerics.linear.global_optimality"),
            Check("constructed saddles", "landscape",
                  functools.partial(check_constructed_saddles, claim=claim),
                  "numerics.linear.deep_critical_point, numerics.linear.deep_hessian"),
        ],
        figures={"final losses of descent on a depth-3 network against the reduced-rank "
                 "value": final_losses_figure},
        expected=Status.VERIFIED,
        variants=() if claim.is_variant else _variants(),
    )
