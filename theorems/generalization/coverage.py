"""generalization.margin_bound_coverage: a margin bound, checked statistically (MATH 10.4).

With probability >= 1 - delta over a sample S of size m, for every linear classifier
with ||w||_2 <= B,

    risk(w) <= R_rho(w) + (2/rho) R_S + 3 sqrt(log(2/delta)/(2m))      (R_rho: ramp loss).

This is NOT a proof check: on a synthetic distribution whose risk is known exactly
(Gaussian inputs, a noisy half-space), the bound is computed on many seeded draws and
must fail on at most a delta fraction of them (exact one-sided binomial test).  The
verdict is ``verified`` at best and means "not refuted by the test".
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import sympy
from scipy import stats
from sympy import Le

from numerics import generalization as ng
from theorems.checks import worst_case
from theorems.core import Check, Context, Evidence, Status, Theorem, Variant
from theorems.generalization.references import BARTLETT_MENDELSON, MOHRI

__all__ = ["CoverageClaim", "margin_bound_coverage", "VARIANTS", "ALPHA", "Z_SCORE"]

ALPHA = 1e-4  # binomial test level: refute when P(Binom(trials, delta) >= failures) < ALPHA
Z_SCORE = 5.0  # Monte Carlo risk estimates: |estimate - exact| <= 5 standard errors
SETTING = {"n": 3, "m": 2000, "eta": 0.1, "delta": 0.05}  # fixed in advance


@dataclass(frozen=True)
class CoverageClaim:
    """The claimed bound's constants (the variant knobs): margin rho (0: the empirical
    0-1 risk), the factor of R_S/rho and the factor of sqrt(log(2/delta)/(2m))."""

    rho: float = 0.5
    complexity: float = 2.0
    confidence: float = 3.0

    def __post_init__(self) -> None:
        for name in ("rho", "complexity", "confidence"):
            value = getattr(self, name)
            if isinstance(value, bool) or not value >= 0:
                raise ValueError(f"{name}: expected a non-negative number, got {value!r}")

    @property
    def is_default(self) -> bool:
        return self == CoverageClaim()


def statement(claim: CoverageClaim) -> sympy.Expr:
    risk, emp, rs, m, delta = sympy.symbols("risk R_rho R_S m delta", positive=True)
    rho = sympy.nsimplify(claim.rho) if claim.rho > 0 else sympy.Symbol("rho", positive=True)
    return Le(risk, emp + sympy.nsimplify(claim.complexity) * rs / rho
              + sympy.nsimplify(claim.confidence) * sympy.sqrt(sympy.log(2 / delta) / (2 * m)))


def _trials(ctx: Context) -> int:
    return 50 * ctx.profile.instances  # 200 quick, 600 standard


def check_known_risk(ctx: Context, claim: CoverageClaim) -> Evidence:
    """The risk formula eta + (1 - 2 eta) theta/pi against test errors on fresh samples."""
    rng = ctx.rng("known risk")
    n, eta = SETTING["n"], SETTING["eta"]
    w_star = np.eye(n)[0]
    rows = []
    for _ in range(ctx.profile.instances):
        w = rng.standard_normal(n)
        X, y = ng.gaussian_sample(1, ctx.profile.samples, w_star, eta, rng)
        errors = (np.sign(X[0] @ w) != y[0]).astype(float)
        exact = ng.angle_risk(w, w_star, eta)
        se = errors.std(ddof=1) / math.sqrt(errors.size)
        if se == 0:
            return Evidence.inconclusive("numeric", "known risk against test error",
                                         "zero standard error: every test point agreed")
        rows.append((abs(errors.mean() - exact) / se, {"w": w, "exact": exact,
                                                       "test error": errors.mean()}))
    return worst_case("numeric", "known risk against test error", rows, Z_SCORE, ctx,
                      {"measure": "|test error - exact| / standard error",
                       "samples": ctx.profile.samples})


def check_surrogate(ctx: Context, claim: CoverageClaim) -> Evidence:
    """R_S is replaced by T = (B/m) sqrt(sum ||x_i||^2): T >= the exact R_S (enumerated on
    16-point subsamples), so the bound tested is at least the theorem's."""
    rng = ctx.rng("surrogate")
    rows = []
    for _ in range(ctx.profile.instances):
        X = rng.standard_normal((16, SETTING["n"]))
        exact, t = ng.rademacher_linear(X), ng.frobenius_term(X)
        rows.append((max(exact - t, 0.0) / exact, {"R_S": exact, "T": t}))
    return worst_case("numeric", "the Rademacher surrogate T bounds R_S", rows, 1e-12, ctx,
                      {"measure": "relative violation"})


def check_coverage(ctx: Context, claim: CoverageClaim) -> Evidence:
    """Statistical: the bound fails on at most a delta fraction of seeded draws (one-sided
    exact binomial test at level ALPHA)."""
    name = "coverage over repeated draws (statistical, binomial test)"
    trials, delta = _trials(ctx), SETTING["delta"]
    if trials * delta < 5:
        return Evidence.inconclusive("numeric", name, f"{trials} draws: too few for delta")
    risks, bounds = ng.bound_coverage(trials, SETTING["m"], SETTING["n"], SETTING["eta"],
                                      claim.rho, delta, ctx.rng("coverage"),
                                      complexity=claim.complexity, confidence=claim.confidence)
    failures = int(np.count_nonzero(risks > bounds))
    p_value = float(stats.binom.sf(failures - 1, trials, delta)) if failures else 1.0
    passed = p_value >= ALPHA
    details = {"statistical": "a binomial test on seeded draws, not a proof", **SETTING,
               "rho": claim.rho, "trials": trials, "failures": failures, "p_value": p_value,
               "mean risk": float(risks.mean()), "median bound": float(np.median(bounds))}
    worst = int(np.argmax(risks - bounds))
    return Evidence("numeric", name, passed, measured=max(-math.log10(max(p_value, 1e-300)), 0.0),
                    tolerance=-math.log10(ALPHA), instances=trials, details=details,
                    counterexample=None if passed else {
                        "seed": ctx.seed, "failures": failures, "trials": trials,
                        "delta": delta, "p_value": p_value, "draw": worst,
                        "risk": float(risks[worst]), "bound": float(bounds[worst])})


CHECKS = (
    ("known risk", "numeric", check_known_risk, "numerics.generalization.angle_risk"),
    ("surrogate", "numeric", check_surrogate, "numerics.generalization.frobenius_term"),
    ("coverage", "numeric", check_coverage, "numerics.generalization.bound_coverage"),
)


def margin_bound_coverage(claim: CoverageClaim | None = None) -> Theorem:
    """A standard margin bound holds with probability 1 - delta: a statistical check (10.4).

    Examples
    --------
    >>> margin_bound_coverage(CoverageClaim(rho=0, complexity=0, confidence=0)).verify(
    ...     profile="quick").status.value
    'refuted'
    """
    claim = CoverageClaim() if claim is None else claim
    checks = [Check(name, kind, functools.partial(fn, claim=claim), backed)
              for name, kind, fn, backed in CHECKS]
    return Theorem(
        id="generalization.margin_bound_coverage",
        title="A margin bound at confidence 1 - delta, checked statistically on a distribution "
              "with known risk (numeric only)" + ("" if claim.is_default else " (variant)"),
        statement=statement(claim),
        hypotheses=["with probability >= 1 - delta over S (m i.i.d. draws), for all "
                    "||w||_2 <= B = 1",
                    "R_rho: empirical ramp loss at margin rho; R_S: empirical Rademacher "
                    "complexity (replaced by its upper bound T)",
                    "checked: x ~ N(0, I_3), y = sign(x_1) flipped w.p. 0.1, m = 2000, "
                    "delta = 0.05, w = normalized sum_i y_i x_i"],
        references=[MOHRI, BARTLETT_MENDELSON],
        note="proofs_notes/generalization.md",
        checks=checks,
        expected=Status.VERIFIED,
        variants=VARIANTS if claim.is_default else (),
    )


VARIANTS = (
    Variant("the training error bounds the risk",
            functools.partial(margin_bound_coverage,
                              CoverageClaim(rho=0, complexity=0, confidence=0)),
            ("coverage over repeated draws (statistical, binomial test)",),
            "fails on about half of the draws, not on 5%"),
)
