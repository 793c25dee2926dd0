"""random_relu.angle_map: the He-scaled correlation and angle maps (MATH 8.2).

With W_ij ~ N(0, 2/m) (He scaling, no bias), kappa(c) = (sqrt(1 - c^2) + (pi - arccos c) c)/pi:
kappa(1) = 1, kappa(0) = 1/pi, kappa(-1) = 0; increasing, convex, kappa(c) > c on [-1, 1),
kappa'(1) = 1; the angle map theta' = theta - theta^2/(3 pi) - theta^3/(18 pi^2) + O(theta^4);
l theta_l -> 3 pi (algebraic, not geometric, contraction); at finite width the layer
inner products have the map as their mean.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import mpmath
import numpy as np
import sympy
from sympy import Eq, acos, cos, pi, sin, sqrt

from numerics import random_relu as nr
from numerics.instances import haar_orthogonal
from theorems.checks import worst_case
from theorems.core import Check, Context, Evidence, Status, Theorem, Variant
from theorems.random_relu.references import GIRYES, LEE, SEED

__all__ = ["AngleClaim", "angle_map_theorem", "VARIANTS", "check_kappa_symbolic",
           "check_kappa_grid", "check_series", "check_depth_limit", "check_contraction",
           "check_finite_width", "check_concentration", "depth_profile"]

C, TH = sympy.Symbol("c", real=True), sympy.Symbol("theta", positive=True)
Z_SCORE = 5.0  # Monte Carlo: |mean - claim| <= 5 standard errors
GRID_TOL = 1e-12  # float64 round-off of kappa and its differences on the grid
DRIFT_TOL = 0.02  # |D(L) - D(L/10)| with D(l) = 1/theta_l - l/limit - log(l)/(2 pi): true
#                   value O(log l / l) (1.4e-3 at L = 1e4); a wrong limit drifts ~ L eps/(3 pi)
ALGEBRAIC_TOL = 0.05  # |L (1 - theta_{L+1}/theta_L) - 1|: O(log L / L) corrections
RATE_TOL = 0.15  # |sd(m)/sd(4m) / 4^exponent - 1|: sd from >= 1000 layers (relative
#                  error ~2.2% each, 3.2% on the ratio), plus O(1/m) corrections (~9% at
#                  m = 16, so m = 64 and 256); 1/m instead of 1/sqrt(m) is off by 50%
DPS = 30  # mpmath digits for the angle iteration (theta_l ~ 1e-5: 1 - kappa ~ 1e-10)

NAMES = {
    "symbolic": "kappa(1), kappa(0), kappa(-1), kappa'(1), kappa'' (symbolic)",
    "grid": "kappa increasing, convex, above the diagonal (grid)",
    "series": "angle map to O(theta^4) (symbolic)",
    "limit": "l theta_l -> limit (mpmath)",
    "contraction": "algebraic, not geometric, contraction (mpmath)",
    "width": "finite-width layer inner products against the map (Monte Carlo)",
    "rate": "empirical angle concentrates at rate 1/sqrt(m)",
}


@dataclass(frozen=True)
class AngleClaim:
    """Claimed constants: kappa = (he/2) K(c); theta' = theta + c2 theta^2 + c3 theta^3;
    l theta_l -> limit; ``geometric_rate``: None (algebraic) or a claimed r < 1 with
    theta_{l+1} <= r theta_l; the empirical angle at width m has sd ~ m^(-rate_exponent)."""

    he: sympy.Expr = sympy.Integer(2)
    kappa_zero: sympy.Expr = 1 / pi
    c2: sympy.Expr = -1 / (3 * pi)
    c3: sympy.Expr = -1 / (18 * pi**2)
    limit: sympy.Expr = 3 * pi
    geometric_rate: float | None = None
    rate_exponent: float = 0.5

    def __post_init__(self) -> None:
        for name in ("he", "kappa_zero", "c2", "c3", "limit"):
            value = sympy.sympify(getattr(self, name))
            if value.free_symbols or not value.is_finite:
                raise ValueError(f"{name}: expected a finite constant, got {value!r}")
            object.__setattr__(self, name, value)
        if not (self.he > 0 and self.limit > 0):
            raise ValueError("he and limit: expected positive constants")
        if self.geometric_rate is not None and not 0 < self.geometric_rate < 1:
            raise ValueError(f"geometric_rate: expected None or a rate in (0, 1), got "
                             f"{self.geometric_rate!r}")
        if not 0 < self.rate_exponent <= 2:
            raise ValueError(f"rate_exponent: expected a number in (0, 2], got "
                             f"{self.rate_exponent!r}")

    @property
    def is_default(self) -> bool:
        return self == AngleClaim()

    def kappa_sym(self, c: sympy.Expr = C) -> sympy.Expr:
        return self.he / 2 * (sqrt(1 - c**2) + (pi - acos(c)) * c) / pi

    def kappa(self, c: np.ndarray) -> np.ndarray:
        return float(self.he) / 2 * nr.correlation_map(c)


def _statement(claim: AngleClaim) -> sympy.Expr:
    k = sympy.Lambda(C, claim.kappa_sym())
    return sympy.And(Eq(k(1), 1, evaluate=False), Eq(k(0), claim.kappa_zero, evaluate=False),
                     Eq(k(-1), 0, evaluate=False),
                     Eq(sympy.Derivative(k(C), C).subs(C, 1), 1, evaluate=False),
                     evaluate=False)


def check_kappa_symbolic(ctx: Context, claim: AngleClaim) -> Evidence:
    """Values, first and second derivative of the claimed kappa, in SymPy."""
    k = claim.kappa_sym()
    d1 = sympy.simplify(sympy.diff(k, C))
    d2 = sympy.simplify(sympy.diff(k, C, 2))
    facts = {
        "kappa(1) = 1": sympy.simplify(k.subs(C, 1) - 1) == 0,
        "kappa(0) = claimed": sympy.simplify(k.subs(C, 0) - claim.kappa_zero) == 0,
        "kappa(-1) = 0": sympy.simplify(k.subs(C, -1)) == 0,
        "kappa' = (pi - arccos c)/pi": sympy.simplify(d1 - (pi - acos(C)) / pi) == 0,
        "kappa'(1) = 1": sympy.simplify(sympy.limit(d1, C, 1, "-") - 1) == 0,
        "kappa'' = 1/(pi sqrt(1 - c^2))": sympy.simplify(d2 - 1 / (pi * sqrt(1 - C**2))) == 0,
    }
    failed = [key for key, ok in facts.items() if not ok]
    if failed:
        return Evidence("symbolic", NAMES["symbolic"], False, instances=len(facts),
                        counterexample={"failed": failed, "kappa": str(k),
                                        "kappa(0)": str(sympy.simplify(k.subs(C, 0))),
                                        "kappa(1)": str(sympy.simplify(k.subs(C, 1)))})
    return Evidence("symbolic", NAMES["symbolic"], True, measured=0.0, tolerance=0.0,
                    instances=len(facts), details={"facts": list(facts)})


def check_kappa_grid(ctx: Context, claim: AngleClaim) -> Evidence:
    """On 10 * samples points of [-1, 1]: increasing, convex (second differences), and
    kappa(c) - c > 0 except at c = 1; the worst violation is measured."""
    c = np.linspace(-1.0, 1.0, 10 * ctx.profile.samples + 1)
    k = claim.kappa(c)
    d1, d2 = np.diff(k), np.diff(k, 2)
    above = (k - c)[:-1]
    violation = max(float(-d1.min()), float(-d2.min()) - GRID_TOL, float(-above.min()), 0.0)
    rows = [(violation, {"points": c.size, "min_increment": float(d1.min()),
                         "min_second_difference": float(d2.min()),
                         "min_kappa_minus_c": float(above.min()),
                         "at": float(c[:-1][np.argmin(above)])})]
    return worst_case("numeric", NAMES["grid"], rows, 0.0, ctx,
                      {"measure": "worst violation of the three inequalities",
                       "tolerance_reason": f"second differences allowed {GRID_TOL} round-off"})


def check_series(ctx: Context, claim: AngleClaim) -> Evidence:
    """cos(theta + c2 theta^2 + c3 theta^3) - kappa(cos theta) = O(theta^5) in SymPy, which
    is equivalent to the claimed expansion of theta' to O(theta^4) (cos is invertible near 0
    with derivative ~ -theta).  On (0, pi), kappa(cos theta) = (sin theta + (pi - theta)
    cos theta) (he/2)/pi exactly."""
    k = claim.he / 2 * (sin(TH) + (pi - TH) * cos(TH)) / pi
    guess = cos(TH + claim.c2 * TH**2 + claim.c3 * TH**3)
    ser = sympy.series(k - guess, TH, 0, 5).removeO()
    coeffs = [sympy.simplify(ser.coeff(TH, e)) for e in range(5)]
    bad = {e: str(v) for e, v in enumerate(coeffs) if v != 0}
    if bad:
        return Evidence("symbolic", NAMES["series"], False,
                        counterexample={"nonzero coefficients of theta^e": bad,
                                        "c2": str(claim.c2), "c3": str(claim.c3)})
    return Evidence("symbolic", NAMES["series"], True, measured=0.0, tolerance=0.0,
                    details={"series": "theta - theta^2/(3 pi) - theta^3/(18 pi^2) + O(theta^4)"
                             if claim.is_default else str(guess)})


@functools.lru_cache(maxsize=8)
def depth_profile(depth: int, dps: int = DPS) -> tuple[tuple[int, str], ...]:
    """theta_l from theta_0 = pi/2 at l = 1, 2, 5, 10, ..., depth and depth + 1 (mpmath)."""
    marks = sorted({int(v) for e in range(int(np.log10(depth)) + 1)
                    for v in (10**e, 2 * 10**e, 5 * 10**e) if v <= depth}
                   | {depth // 10, depth, depth + 1})
    return tuple(nr.angle_iteration(float(mpmath.pi / 2), marks, dps=dps).items())


def _depth(ctx: Context) -> int:
    return 10_000 if ctx.profile.name == "quick" else 100_000


def check_depth_limit(ctx: Context, claim: AngleClaim) -> Evidence:
    """D(l) = 1/theta_l - l/limit - log(l)/(2 pi) settles (MATH: 0.4658 for theta_0 = pi/2)
    only for the true limit; |D(L) - D(L/10)| <= DRIFT_TOL."""
    depth = _depth(ctx)
    prof = {d: mpmath.mpf(v) for d, v in depth_profile(depth)}
    lim = mpmath.mpf(str(sympy.N(claim.limit, 30)))

    def offset(level):
        return 1 / prof[level] - level / lim - mpmath.log(level) / (2 * mpmath.pi)

    drift = float(abs(offset(depth) - offset(depth // 10)))
    rows = [(drift, {"depth": depth, "l_theta_l": float(depth * prof[depth]),
                     "offset_at_L": float(offset(depth)),
                     "offset_at_L_over_10": float(offset(depth // 10)),
                     "claimed_limit": float(lim)})]
    return worst_case("numeric", NAMES["limit"], rows, DRIFT_TOL, ctx, {
        "l_theta_l": {str(d): float(d * v) for d, v in prof.items()},
        "3_pi": float(3 * mpmath.pi), "digits": DPS})


def check_contraction(ctx: Context, claim: AngleClaim) -> Evidence:
    """The ratio theta_{L+1}/theta_L: 1 - ratio ~ 1/L (algebraic) for the true claim; for a
    claimed geometric rate r the check holds the ratio to r."""
    depth = _depth(ctx)
    prof = {d: mpmath.mpf(v) for d, v in depth_profile(depth)}
    ratio = prof[depth + 1] / prof[depth]
    info = {"depth": depth, "ratio": float(ratio), "L_times_1_minus_ratio":
            float(depth * (1 - ratio))}
    if claim.geometric_rate is not None:
        excess = float(ratio) - claim.geometric_rate
        return worst_case("numeric", NAMES["contraction"], [(max(excess, 0.0), info)], 0.0,
                          ctx, {"claimed_rate": claim.geometric_rate})
    return worst_case("numeric", NAMES["contraction"],
                      [(abs(float(depth * (1 - ratio)) - 1), info)], ALGEBRAIC_TOL, ctx,
                      {"measure": "|L (1 - theta_{L+1}/theta_L) - 1|"})


def _pairs(ctx: Context, name: str, separated: bool = False):
    """Generic pairs (unequal norms, n in 3..8); with ``separated`` the angle is drawn in
    [pi/6, 5 pi/6] by construction (an orthonormal frame), away from the degenerate ends."""
    rng = ctx.rng(name)
    dim = int(rng.integers(3, 9))
    count = ctx.profile.instances
    xs = rng.standard_normal((count, dim)) * rng.uniform(0.3, 3.0, (count, 1))
    ys = rng.standard_normal((count, dim)) * rng.uniform(0.3, 3.0, (count, 1))
    if separated:
        for p_ in range(count):
            q = haar_orthogonal(dim, rng, 2)
            ang = rng.uniform(np.pi / 6, 5 * np.pi / 6)
            xs[p_] = np.linalg.norm(xs[p_]) * q[:, 0]
            ys[p_] = np.linalg.norm(ys[p_]) * (np.cos(ang) * q[:, 0] + np.sin(ang) * q[:, 1])
    return xs, ys


def check_finite_width(ctx: Context, claim: AngleClaim) -> Evidence:
    """Width-m He layers (m = 16, 64): the per-layer h_x.h_y, |h_x|^2 have means
    |x||y| kappa(c) and |x|^2 kappa(1) exactly; |z| <= Z_SCORE over independent layers."""
    xs, ys = _pairs(ctx, "angle-width")
    nx, ny = np.linalg.norm(xs, axis=1), np.linalg.norm(ys, axis=1)
    c = np.clip(np.sum(xs * ys, axis=1) / (nx * ny), -1, 1)
    rows = []
    for width in (16, 64):
        layers = max(ctx.profile.samples // width * 10, 100)
        out = nr.mc_layer_correlation(xs, ys, width, layers, ctx.rng(f"angle-width-{width}"))
        for key, target in (("xy", nx * ny * claim.kappa(c)),
                            ("xx", nx**2 * claim.kappa(np.ones_like(c)))):
            mean = out[key].mean(0)
            se = out[key].std(0, ddof=1) / np.sqrt(layers)
            for p_ in range(len(xs)):
                rows.append((abs(mean[p_] - target[p_]) / se[p_],
                             {"width": width, "layers": layers, "statistic": key,
                              "c": c[p_], "mean": mean[p_], "standard_error": se[p_],
                              "claimed": target[p_]}))
    return worst_case("numeric", NAMES["width"], rows, Z_SCORE, ctx,
                      {"measure": "|mean - claim| / standard error"})


def check_concentration(ctx: Context, claim: AngleClaim) -> Evidence:
    """sd of the empirical angle of a width-m He layer: sd(m)/sd(4m) ~ 4^exponent
    (m = 64, 256), for input angles in [pi/6, 5 pi/6] (near 0 the O(1/m) corrections are
    large relative to the angle);
    the mean empirical angle minus arccos kappa(c), times m, is reported (O(1/m) bias)."""
    xs, ys = _pairs(ctx, "angle-rate", separated=True)
    nx, ny = np.linalg.norm(xs, axis=1), np.linalg.norm(ys, axis=1)
    target = np.arccos(claim.kappa(np.clip(np.sum(xs * ys, 1) / (nx * ny), -1, 1)).clip(-1, 1))
    layers = max(ctx.profile.samples // 20, 200)
    sds, bias = {}, {}
    for width in (64, 256):
        out = nr.mc_layer_correlation(xs, ys, width, layers, ctx.rng(f"angle-rate-{width}"))
        ang = np.arccos(np.clip(out["corr"], -1, 1))
        sds[width] = ang.std(0, ddof=1)
        bias[width] = ((ang.mean(0) - target) * width).tolist()
    rows = []
    expected = 4.0**claim.rate_exponent
    for small, big in ((64, 256),):
        ratio = sds[small] / sds[big]
        for p_ in range(len(xs)):
            rows.append((abs(ratio[p_] / expected - 1),
                         {"widths": [small, big], "sd_ratio": ratio[p_],
                          "claimed_ratio": expected}))
    return worst_case("numeric", NAMES["rate"], rows, RATE_TOL, ctx, {
        "layers": layers, "sd_times_sqrt_m": {str(m_): (sds[m_] * np.sqrt(m_)).tolist()
                                             for m_ in sds},
        "bias_times_m": {str(m_): b_ for m_, b_ in bias.items()}})


def _figure(ctx: Context, claim: AngleClaim):
    from theorems.random_relu.figures import angle_figure

    prof = depth_profile(_depth(ctx))
    return angle_figure(ctx, [d for d, _ in prof], [float(v) for _, v in prof])


def angle_map_theorem(claim: AngleClaim | None = None) -> Theorem:
    """The He-scaled ReLU correlation and angle maps (MATH 8.2).

    Examples
    --------
    >>> angle_map_theorem(AngleClaim(kappa_zero=0)).verify(profile="quick").status.value
    'refuted'
    """
    claim = AngleClaim() if claim is None else claim

    def wire(key, kind, fn, backed_by):
        return Check(NAMES[key], kind, functools.partial(fn, claim=claim), backed_by)

    return Theorem(
        id="random_relu.angle_map",
        title="He-scaled ReLU layers: the correlation map and the slow contraction of angles"
        + ("" if claim.is_default else " (variant)"),
        statement=_statement(claim),
        hypotheses=["W_ij ~ N(0, 2/m) (He scaling), no bias; infinite width for the maps",
                    "unit inputs with correlation c in [-1, 1], angle theta in [0, pi]",
                    "finite width m: expectations over W; the empirical angle is random"],
        references=[GIRYES, LEE, SEED],
        note="proofs_notes/random_relu.md",
        checks=[
            wire("symbolic", "symbolic", check_kappa_symbolic, "sympy.diff"),
            wire("grid", "numeric", check_kappa_grid, "numerics.random_relu.correlation_map"),
            wire("series", "symbolic", check_series, "sympy.series"),
            wire("limit", "numeric", check_depth_limit,
                 "numerics.random_relu.angle_iteration"),
            wire("contraction", "numeric", check_contraction,
                 "numerics.random_relu.angle_map_mp"),
            wire("width", "numeric", check_finite_width,
                 "numerics.random_relu.mc_layer_correlation"),
            wire("rate", "numeric", check_concentration,
                 "numerics.random_relu.mc_layer_correlation"),
        ],
        figures={"l theta_l against depth (mpmath), with 3 pi":
                 functools.partial(_figure, claim=claim)},
        expected=Status.VERIFIED,
        variants=VARIANTS if claim.is_default else (),
    )


def _variant(name: str, caught: tuple[str, ...], why: str, **changes) -> Variant:
    return Variant(name, functools.partial(angle_map_theorem, AngleClaim(**changes)),
                   tuple(NAMES[c] for c in caught), why)


VARIANTS: tuple[Variant, ...] = (
    _variant("kappa(0) = 0", ("symbolic",), "orthogonal inputs stay correlated: 1/pi",
             kappa_zero=0),
    _variant("missing He factor", ("symbolic",), "with N(0, 1/m) kappa(1) = 1/2", he=1),
    _variant("theta^2 coefficient -1/(2 pi)", ("series",), "the true one is -1/(3 pi)",
             c2=-1 / (2 * pi)),
    _variant("theta^3 coefficient +1/(18 pi^2)", ("series",), "wrong sign", c3=1 / (18 * pi**2)),
    _variant("l theta_l -> pi^2", ("limit",), "9.87, not 3 pi = 9.42", limit=pi**2),
    _variant("l theta_l -> 3 pi (1 + 1e-3) (near miss)", ("limit",),
             "pins DRIFT_TOL", limit=3 * pi * sympy.Rational(1001, 1000)),
    _variant("geometric contraction, rate 0.999", ("contraction",),
             "the ratio theta_{l+1}/theta_l tends to 1", geometric_rate=0.999),
    _variant("empirical angle concentrates at rate 1/m", ("rate",),
             "the fluctuations are 1/sqrt(m)", rate_exponent=1.0),
)
