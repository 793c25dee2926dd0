"""energy.curvature_bounds: a <= f'' <= alpha gives
a gamma/(a + gamma) <= hess E <= alpha gamma/(alpha + gamma) < gamma (MATH 9.4).

Convention: gamma is the coupling; E(x; gamma) = -F(x; gamma) is the minimized
energy and hess E = gamma - gamma^2 Var (9.2, checked by energy.local_entropy_gradient).
The upper side is Cramer-Rao, the lower side Brascamp-Lieb; both are attained by
quadratics, and hess E < gamma for every f (the cap, the alpha -> infinity limit of
the upper bound).  The lower bound lies *below* a when a < 0: an upper curvature
bound improves, a lower one can get worse ("smoother" is one-sided).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import sympy
from sympy import And, Symbol

from numerics import energy as ne
from theorems.checks import worst_case
from theorems.core import Check, Context, Evidence, Status, Theorem, Variant
from theorems.energy.common import ALPHA, CONVENTION, CURV, GAMMA, TRUE_MAP
from theorems.energy.quadratic_symbolic import C1, X1, one_dimensional_energy
from theorems.energy.references import BRASCAMP_LIEB, DEEP_RELAXATION, ENTROPY_SGD

__all__ = ["BoundsClaim", "curvature_bounds", "VARIANTS"]

BOUND_TOL = 1e-8  # relative: hess E = gamma - gamma^2 Var from quadrature, error < 1e-10
#                   (quadrature error estimate < 1e-12, gamma^2 up to 6400)
ATTAIN_TOL = 1e-9  # quadratics: quadrature hess E equals both bounds to round-off
#: (loss, couplings) with bounded curvature: sine (wide range), near-quadratic (tight)
BOUNDED = (("sine", (2.0, 9.0, 20.0, 80.0)), ("near quadratic +", (2.0, 9.0, 20.0)),
           ("near quadratic -", (3.0, 6.0)), ("quartic, concave at 0", (2.0, 5.0)))
#: losses with unbounded curvature, for the cap gamma
STEEP = {"cosh 2y": lambda y: np.cosh(2 * y), "double well": ne.LOSSES["double well"].f}


@dataclass(frozen=True)
class BoundsClaim:
    """Claimed bounds: lower(a, gamma) <= hess E <= upper(alpha, gamma) and hess E < cap.

    ``lower`` is in a and gamma (used when a + gamma > 0, else -infinity), ``upper`` in
    alpha and gamma, ``cap`` in gamma.  The claim includes that quadratics attain both
    bounds and that the cap is the alpha -> infinity limit of the upper bound.
    """

    lower: sympy.Expr = TRUE_MAP
    upper: sympy.Expr = TRUE_MAP.subs(CURV, ALPHA)
    cap: sympy.Expr = GAMMA

    def __post_init__(self) -> None:
        for name, allowed in (("lower", {CURV, GAMMA}), ("upper", {ALPHA, GAMMA}),
                              ("cap", {GAMMA})):
            expr = sympy.sympify(getattr(self, name))
            if not expr.free_symbols <= allowed:
                raise ValueError(f"{name}: expected an expression in "
                                 f"{sorted(map(str, allowed))}, got {expr}")
            object.__setattr__(self, name, expr)

    @property
    def is_true(self) -> bool:
        return self == BoundsClaim()

    def bounds(self, a: float, alpha: float, gamma: float) -> tuple[float, float]:
        lo = (float(self.lower.subs({CURV: a, GAMMA: gamma})) if np.isfinite(a)
              and a + gamma > 0 else -np.inf)
        up = (float(self.upper.subs({ALPHA: alpha, GAMMA: gamma})) if np.isfinite(alpha)
              else np.inf)
        return lo, up


def _hessian(f, xs: np.ndarray, gamma: float) -> tuple[np.ndarray, float]:
    q = ne.local_entropy_1d(f, xs, gamma)
    return gamma - gamma ** 2 * q.cov[:, 0, 0], q.error


def check_bounded(ctx: Context, claim: BoundsClaim) -> Evidence:
    """hess E on a grid of 121 seeded points in [-3, 3], against the claimed interval."""
    name = "non-quadratic losses: hess E within the bounds"
    rng = ctx.rng("bounded")
    rows = []
    for loss_name, gammas in BOUNDED:
        loss = ne.LOSSES[loss_name]
        for gamma in gammas:
            xs = np.linspace(-3, 3, 121) + rng.uniform(-0.02, 0.02)
            H, err = _hessian(loss.f, xs, gamma)
            lo, up = claim.bounds(loss.a, loss.alpha, gamma)
            gap = max(lo - H.min(), H.max() - up, 0.0) / max(1.0, abs(H).max())
            rows.append((gap, {"loss": loss.name, "gamma": gamma, "a": loss.a,
                               "alpha": loss.alpha, "min_hessian": H.min(),
                               "max_hessian": H.max(), "claimed_lower": lo,
                               "claimed_upper": up, "quadrature_error": err}))
    return worst_case("numeric", name, rows, BOUND_TOL, ctx,
                      {"measure": "largest violation / max(1, |hess E|)",
                       "convention": CONVENTION})


def check_cap(ctx: Context, claim: BoundsClaim) -> Evidence:
    """Losses of unbounded curvature: hess E < cap everywhere (and it comes close)."""
    name = "unbounded curvature: hess E below the cap"
    rng = ctx.rng("cap")
    rows = []
    for loss_name, f in STEEP.items():
        for gamma in (1.0, 4.0):
            xs = np.linspace(-6, 6, 49) + rng.uniform(-0.1, 0.1)
            H, _ = _hessian(f, xs, gamma)
            cap = float(claim.cap.subs(GAMMA, gamma))
            rows.append((max(H.max() - cap, 0.0) / gamma, {"loss": loss_name, "gamma": gamma,
                                                            "max_hessian": H.max(),
                                                            "claimed_cap": cap}))
    return worst_case("numeric", name, rows, BOUND_TOL, ctx,
                      {"measure": "(max hess E - cap) / gamma", "convention": CONVENTION})


def check_attained(ctx: Context, claim: BoundsClaim) -> Evidence:
    """For f = c y^2/2 (a = alpha = c), quadrature hess E equals both claimed bounds."""
    name = "quadratics attain both bounds (quadrature)"
    rng = ctx.rng("attained")
    rows = []
    for _ in range(max(ctx.profile.instances, 2)):
        gamma = float(rng.uniform(0.8, 4.0))
        for c in (float(rng.uniform(0.3, 5.0)), -gamma * float(rng.uniform(0.2, 0.7))):
            xs = rng.uniform(-1.0, 1.0, size=3)
            width = 1.0 + np.sqrt(90.0 / (c + gamma)) + abs(gamma / (c + gamma))
            q = ne.local_entropy_1d(lambda y, c=c: 0.5 * c * y ** 2 + 0.37 * y, xs, gamma,
                                    lo=-width, hi=width)
            H = gamma - gamma ** 2 * q.cov[:, 0, 0]
            lo, up = claim.bounds(c, c, gamma)
            gap = max(np.abs(H - lo).max(), np.abs(H - up).max()) / max(1.0, abs(H).max())
            rows.append((float(gap), {"c": c, "gamma": gamma, "hessian": H,
                                      "claimed_lower": lo, "claimed_upper": up}))
    return worst_case("numeric", name, rows, ATTAIN_TOL, ctx,
                      {"measure": "max |hess E - bound| / max(1, |hess E|)",
                       "tolerance_reason": "quadrature round-off", "convention": CONVENTION})


def check_symbolic(ctx: Context, claim: BoundsClaim) -> Evidence:
    """Symbolic: for f = c y^2/2 + b y the exact hess E equals lower(c) and upper(c), and
    the upper bound tends to the cap as alpha -> infinity; hess E <= gamma since Var >= 0."""
    name = "quadratic case and the cap (symbolic)"
    hess = sympy.diff(one_dimensional_energy(), X1, 2)  # a = c - gamma, c = a + gamma > 0
    gaps = {"lower": sympy.simplify(hess - claim.lower.subs(CURV, C1 - GAMMA)),
            "upper": sympy.simplify(hess - claim.upper.subs(ALPHA, C1 - GAMMA)),
            "cap": sympy.simplify(sympy.limit(claim.upper, ALPHA, sympy.oo) - claim.cap),
            "cap is gamma": sympy.simplify(claim.cap - GAMMA)}
    details = {"hessian": str(sympy.simplify(hess)), "convention": CONVENTION,
               "gaps": {k: str(v) for k, v in gaps.items()}}
    bad = [k for k, v in gaps.items() if v != 0]
    if not bad:
        return Evidence("symbolic", name, True, measured=0.0, tolerance=0.0, details=details)
    return Evidence("symbolic", name, False, details=details,
                    counterexample={"part": bad[0], "difference": str(gaps[bad[0]])})


def curvature_bounds(claim: BoundsClaim | None = None) -> Theorem:
    """Curvature bounds of the local entropy energy (MATH 9.4).

    >>> curvature_bounds().verify(seed=0, profile="quick").status.value
    'verified'
    """
    claim = BoundsClaim() if claim is None else claim
    p = functools.partial
    H = Symbol("hess E(x; gamma)")
    a_, alpha_ = Symbol("a"), Symbol("alpha")
    statement = And(claim.lower.subs(CURV, a_) <= H, H <= claim.upper.subs(ALPHA, alpha_),
                    H < claim.cap)
    return Theorem(
        id="energy.curvature_bounds",
        title="Curvature bounds of local entropy: a gamma/(a + gamma) <= hess E <= "
              "alpha gamma/(alpha + gamma) < gamma" + ("" if claim.is_true else " (variant)"),
        statement=statement,
        hypotheses=[CONVENTION,
                    "a <= f'' <= alpha (either side may be absent: then no bound on it)",
                    "lower bound needs a + gamma > 0, upper bound alpha + gamma > 0",
                    "hess E < gamma for every f (alpha = infinity); quadratics attain both",
                    "one-sided smoothing: for a < 0 the lower bound a gamma/(a + gamma) < a"],
        references=[ENTROPY_SGD, DEEP_RELAXATION, BRASCAMP_LIEB],
        note="proofs_notes/energy.md",
        checks=[
            Check("non-quadratic losses: hess E within the bounds", "numeric",
                  p(check_bounded, claim=claim), "numerics.energy.local_entropy_1d"),
            Check("unbounded curvature: hess E below the cap", "numeric",
                  p(check_cap, claim=claim), "numerics.energy.local_entropy_1d"),
            Check("quadratics attain both bounds (quadrature)", "numeric",
                  p(check_attained, claim=claim), "numerics.energy.local_entropy_1d"),
            Check("quadratic case and the cap (symbolic)", "symbolic",
                  p(check_symbolic, claim=claim), "sympy.limit"),
        ],
        expected=Status.VERIFIED,
        variants=VARIANTS if claim.is_true else (),
    )


def _variant(**changes) -> functools.partial:
    return functools.partial(curvature_bounds, BoundsClaim(**changes))


_BOUNDED = ("non-quadratic losses: hess E within the bounds",)
_ATTAIN = ("quadratics attain both bounds (quadrature)",)
VARIANTS: tuple[Variant, ...] = (
    Variant("missing cap: upper bound alpha", _variant(upper=ALPHA), _ATTAIN,
            "f's own curvature bound, never capped by gamma: not attained, infinite limit"),
    Variant("negative curvature flattened: lower bound a", _variant(lower=CURV), _BOUNDED,
            "the smoothing slogan for the lower side"),
    Variant("a -> a + gamma", _variant(lower=CURV + GAMMA, upper=ALPHA + GAMMA), _BOUNDED,
            "wrong curvature map"),
    Variant("a -> a gamma/(a - gamma)", _variant(lower=CURV * GAMMA / (CURV - GAMMA)),
            _BOUNDED, "sign error in the denominator"),
    Variant("near miss: upper x (1 - 1e-3)", _variant(upper=TRUE_MAP.subs(CURV, ALPHA)
                                                       * sympy.Rational(999, 1000)),
            _BOUNDED, "pins the bound check on near-quadratic losses"),
    Variant("near miss: upper x (1 - 1e-6)", _variant(upper=TRUE_MAP.subs(CURV, ALPHA)
                                                       * (1 - sympy.Rational(1, 10 ** 6))),
            _ATTAIN, "pins the quadrature tolerance of attainment"),
    Variant("cap 0.8 gamma", _variant(cap=sympy.Rational(4, 5) * GAMMA),
            ("unbounded curvature: hess E below the cap",), "a cap below the true one"),
)
