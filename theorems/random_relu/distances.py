"""random_relu.distances: what a random ReLU layer does to distances (MATH 8.3).

For W in R^{m x n} with iid N(0, 1/m) entries and any m >= 1,

    E ||relu(W x) - relu(W y)||^2 = (1/2)||x - y||^2 - |x||y| psi(theta),
    psi(theta) = (sin theta - theta cos theta)/pi,

and for unit vectors rho(theta) = E||relu(Wx) - relu(Wy)||^2 / ||x - y||^2 decreases from
1/2 to 1/4: far-apart pairs shrink more, relatively (Gulcu and Gungor's comment), not close
ones (the reading the comment attributes to Giryes et al., which the library refutes).
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass

import numpy as np
import sympy
from sympy import Eq, Max, Sum, cos, pi, sin

from numerics import random_relu as nr
from numerics.instances import haar_orthogonal
from theorems.checks import relative_error, worst_case
from theorems.core import Check, Context, Evidence, Status, Theorem, Variant
from theorems.derivation import run_derivation
from theorems.random_relu.distances_derivation import distance_derivation
from theorems.random_relu.references import GIRYES, GULCU, SEED
from theorems.random_relu.symbols import NX, NY, T, W, i, k, m, n, x, y
from theorems.symbolic.expectation import Expectation

__all__ = ["DistanceClaim", "distances_theorem", "VARIANTS", "statement", "check_derivation",
           "check_monte_carlo", "check_against_kernel", "check_rho_symbolic",
           "check_rho_grid", "check_close_versus_far", "distance_lhs"]

Z_SCORE = 5.0  # Monte Carlo: |mean - claim| <= 5 standard errors
ROUNDOFF = 1e-12  # exact float64 comparison with the kernel identity, relative to |x||y|
WIDTHS = (1, 3, 64)  # any m >= 1, including a single unit
CLOSE, FAR = 0.3, 2.5  # the pair of angles of the close-versus-far experiment
TH = sympy.Symbol("theta", positive=True)

NAMES = {
    "derivation": "derivation from random_relu.kernel, symbolic m, n",
    "mc": "closed form against Monte Carlo over random layers (m = 1, 3, 64)",
    "kernel": "closed form against (|x|^2 + |y|^2)/2 - 2 relu_kernel (exact)",
    "rho_symbolic": "direction of rho(theta) (symbolic derivative)",
    "rho_grid": "rho(theta) on a grid: monotone, from 1/2 to 1/4",
    "close_far": "Monte Carlo: a close pair shrinks less than a far pair",
}


@dataclass(frozen=True)
class DistanceClaim:
    """``half ||x-y||^2 + sign psi_norm |x||y| (sin t - t cos t)`` for W ~ N(0, variance/m);
    ``decreasing``: the claimed direction of rho (False: "closer pairs shrink more")."""

    half: sympy.Expr = sympy.Rational(1, 2)
    psi_norm: sympy.Expr = 1 / pi
    sign: int = -1
    variance: sympy.Expr = sympy.Integer(1)
    decreasing: bool = True

    def __post_init__(self) -> None:
        for name in ("half", "psi_norm", "variance"):
            value = sympy.sympify(getattr(self, name))
            if value.free_symbols or not value.is_finite or not value > 0:
                raise ValueError(f"{name}: expected a positive constant, got {value!r}")
            object.__setattr__(self, name, value)
        if self.sign not in (-1, 1):
            raise ValueError(f"sign: expected -1 or 1, got {self.sign!r}")

    @property
    def is_default(self) -> bool:
        return self == DistanceClaim()

    def value(self, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        nx, ny = np.linalg.norm(xs, axis=1), np.linalg.norm(ys, axis=1)
        th = nr.angles(xs, ys)
        return (float(self.half) * np.sum((xs - ys) ** 2, axis=1)
                + self.sign * float(self.psi_norm) * nx * ny * (np.sin(th) - th * np.cos(th)))

    def rhs(self) -> sympy.Expr:
        return (self.half * Sum((x[i] - y[i]) ** 2, (i, 1, n))
                + self.sign * self.psi_norm * NX * NY * (sin(T) - T * cos(T)))


def distance_lhs() -> sympy.Expr:
    """E ||relu(W x) - relu(W y)||^2 for W (m x n), symbolic m and n."""
    row = (Max(Sum(W[k, i] * x[i], (i, 1, n)), 0) - Max(Sum(W[k, i] * y[i], (i, 1, n)), 0))
    return Expectation(Sum(row**2, (k, 1, m)))


def statement(claim: DistanceClaim) -> sympy.Eq:
    return Eq(distance_lhs(), claim.rhs())


@functools.lru_cache(maxsize=16)
def _derived(claim: DistanceClaim, seed: int) -> Evidence:
    derivation = distance_derivation(claim.rhs(), distance_lhs(), claim.variance)
    return run_derivation(derivation, NAMES["derivation"], seed=seed,
                          statement=statement(claim))


def check_derivation(ctx: Context, claim: DistanceClaim) -> Evidence:
    """The four-step derivation from the kernel (``distance_derivation``), bound to the
    statement; the SymPy work depends only on the claim, so it is cached and copied."""
    return copy.deepcopy(_derived(claim, ctx.seed))


def _pairs(ctx: Context, name: str):
    """Generic pairs (unequal norms, n in 2..8); the first has its angle drawn in
    [3 pi/4, 11 pi/12] by construction, where psi carries a large share of the distance."""
    rng = ctx.rng(name)
    dim = int(rng.integers(2, 9))
    count = ctx.profile.instances
    xs = rng.standard_normal((count, dim)) * rng.uniform(0.3, 3.0, (count, 1))
    ys = rng.standard_normal((count, dim)) * rng.uniform(0.3, 3.0, (count, 1))
    q = haar_orthogonal(dim, rng, 2)
    ang = rng.uniform(3 * np.pi / 4, 11 * np.pi / 12)
    xs[0] = 1.3 * q[:, 0]
    ys[0] = 0.9 * (np.cos(ang) * q[:, 0] + np.sin(ang) * q[:, 1])
    return xs, ys


def check_monte_carlo(ctx: Context, claim: DistanceClaim) -> Evidence:
    """Layers of width m = 1, 3, 64 with entries N(0, variance/m) (the claim's variance):
    the per-layer squared distance averaged over independent layers, |z| <= Z_SCORE."""
    xs, ys = _pairs(ctx, "distance-mc")
    claimed = claim.value(xs, ys)
    rows = []
    for width in WIDTHS:
        layers = max(10 * ctx.profile.samples // width, 100)
        scale = float(sympy.sqrt(claim.variance))
        mean, se = nr.mc_sq_distance(scale * xs, scale * ys, width, layers,
                                     ctx.rng(f"distance-layers-{width}"))
        for p_ in range(len(xs)):
            if not se[p_] > 0:
                return Evidence.inconclusive("numeric", NAMES["mc"], "a zero standard error")
            rows.append((abs(mean[p_] - claimed[p_]) / se[p_],
                         {"width": width, "layers": layers, "x": xs[p_], "y": ys[p_],
                          "mean": mean[p_], "standard_error": se[p_],
                          "claimed": claimed[p_]}))
    return worst_case("numeric", NAMES["mc"], rows, Z_SCORE, ctx,
                      {"measure": "|mean - claim| / standard error",
                       "note": "W x with W ~ N(0, v/m) is sqrt(v) W' x with W' ~ N(0, 1/m)"})


def check_against_kernel(ctx: Context, claim: DistanceClaim) -> Evidence:
    """The claim against E relu(w.x)^2 + E relu(w.y)^2 - 2 E relu(w.x) relu(w.y), from the
    proved kernel (random_relu.kernel), in float64."""
    xs, ys = _pairs(ctx, "distance-kernel")
    exact = (np.sum(xs**2, 1) + np.sum(ys**2, 1)) / 2 - 2 * nr.ab_kernel(xs, ys, 0.0, 1.0)
    library = nr.expected_sq_distance(xs, ys)
    claimed = claim.value(xs, ys)
    scale = np.linalg.norm(xs, axis=1) * np.linalg.norm(ys, axis=1)
    rows = [(relative_error(claimed[p_], exact[p_], floor=scale[p_]),
             {"x": xs[p_], "y": ys[p_], "from_kernel": exact[p_], "claimed": claimed[p_],
              "expected_sq_distance": library[p_]}) for p_ in range(len(xs))]
    return worst_case("numeric", NAMES["kernel"], rows, ROUNDOFF, ctx,
                      {"tolerance_reason": "float64 round-off, relative to |x||y|"})


def check_rho_symbolic(ctx: Context, claim: DistanceClaim) -> Evidence:
    """rho = 1/2 - f, f = psi/(2 - 2 cos theta): pi (2 - 2 cos)^2 f' = 2 sin theta
    (theta - sin theta) in SymPy, positive on (0, pi) (sin > 0 and theta > sin theta: in
    words), so rho decreases; the claimed direction must agree."""
    f = (sin(TH) - TH * cos(TH)) / (pi * (2 - 2 * cos(TH)))
    numerator = sympy.simplify(sympy.diff(f, TH) * pi * (2 - 2 * cos(TH)) ** 2)
    ok = sympy.simplify(numerator - 2 * sin(TH) * (TH - sin(TH))) == 0
    if not ok:
        return Evidence.inconclusive("symbolic", NAMES["rho_symbolic"],
                                     f"derivative not reduced: {numerator}")
    if not claim.decreasing:
        rho = {a_: float(nr.distance_ratio(a_)) for a_ in (CLOSE, FAR)}
        return Evidence("symbolic", NAMES["rho_symbolic"], False, counterexample={
            "claim": "closer pairs shrink more (rho increasing)",
            "found": "rho' = -2 sin t (t - sin t)/(pi (2 - 2 cos t)^2) < 0 on (0, pi)",
            "rho(0.3)": rho[CLOSE], "rho(2.5)": rho[FAR]})
    return Evidence("symbolic", NAMES["rho_symbolic"], True, measured=0.0, tolerance=0.0,
                    details={"rho_prime": "-2 sin t (t - sin t) / (pi (2 - 2 cos t)^2)"})


def check_rho_grid(ctx: Context, claim: DistanceClaim) -> Evidence:
    """rho on 5 * samples angles of (0, pi]: monotone in the claimed direction, with the
    claimed constants' limits: ends at rho(pi) and starts at 1/2 (theta -> 0)."""
    th = np.linspace(0.0, np.pi, 5 * ctx.profile.samples + 1)[1:]
    xs = np.stack([np.ones_like(th), np.zeros_like(th)], 1)
    ys = np.stack([np.cos(th), np.sin(th)], 1)
    rho = claim.value(xs, ys) / np.sum((xs - ys) ** 2, 1)
    true = nr.distance_ratio(th)
    steps = np.diff(rho) if claim.decreasing else -np.diff(rho)
    worst = int(np.argmax(steps))
    info = {"points": th.size, "rho_first": float(rho[0]), "rho_last": float(rho[-1]),
            "true_first": float(true[0]), "true_last": float(true[-1]),
            "worst_step_at": float(th[worst])}
    violation = max(float(steps.max()), abs(float(rho[-1]) - 0.25),
                    abs(float(rho[0]) - 0.5) - 1e-4, 0.0)  # first grid point ~6e-5 from 0
    return worst_case("numeric", NAMES["rho_grid"], [(violation, info)], ROUNDOFF, ctx,
                      {"measure": "worst step against the claimed direction, or end error"})


def check_close_versus_far(ctx: Context, claim: DistanceClaim) -> Evidence:
    """Unit pairs at angles 0.3 and 2.5, width 16, W ~ N(0, 1/m): the Monte Carlo ratios
    r = ||relu(Wx) - relu(Wy)||^2 / ||x - y||^2; z = (r_close - r_far)/s.e. must be
    >= Z_SCORE in the claimed direction (close pairs shrink less when rho decreases)."""
    rng = ctx.rng("close-far")
    q = haar_orthogonal(6, rng, 2)
    xs = np.tile(q[:, 0], (2, 1))
    ys = np.stack([np.cos(a_) * q[:, 0] + np.sin(a_) * q[:, 1] for a_ in (CLOSE, FAR)])
    layers = max(ctx.profile.samples // 2, 500)
    mean, se = nr.mc_sq_distance(xs, ys, 16, layers, rng)
    gap = np.sum((xs - ys) ** 2, 1)
    ratio, rse = mean / gap, se / gap
    z = (ratio[0] - ratio[1]) / np.hypot(rse[0], rse[1])
    signed = z if claim.decreasing else -z
    info = {"ratio_close": float(ratio[0]), "ratio_far": float(ratio[1]),
            "standard_errors": rse.tolist(), "z_close_minus_far": float(z),
            "rho_close": float(nr.distance_ratio(CLOSE)), "rho_far": float(nr.distance_ratio(FAR)),
            "layers": layers}
    return worst_case("numeric", NAMES["close_far"], [(-signed, info)], -Z_SCORE, ctx,
                      {"measure": "-(z in the claimed direction); passes when <= -5", **info})


def distances_theorem(claim: DistanceClaim | None = None) -> Theorem:
    """Random ReLU layers and distances (MATH 8.3); ``claim`` sets the constants.

    Examples
    --------
    >>> distances_theorem(DistanceClaim(decreasing=False)).verify(profile="quick").status.value
    'refuted'
    """
    claim = DistanceClaim() if claim is None else claim

    def wire(key, kind, fn, backed_by):
        return Check(NAMES[key], kind, functools.partial(fn, claim=claim), backed_by)

    return Theorem(
        id="random_relu.distances",
        title="A random ReLU layer shrinks far-apart pairs more, relatively"
        + ("" if claim.is_default else " (variant)"),
        statement=statement(claim),
        hypotheses=["W in R^{m x n}, iid N(0, 1/m) entries, any m, n >= 1",
                    "x, y nonzero; theta their angle; rho for unit vectors"],
        references=[GIRYES, GULCU, SEED],
        note="proofs_notes/random_relu.md",
        checks=[
            wire("derivation", "symbolic", check_derivation,
                 "theorems.random_relu.distances_derivation.distance_derivation"),
            wire("kernel", "numeric", check_against_kernel, "numerics.random_relu.ab_kernel"),
            wire("mc", "numeric", check_monte_carlo, "numerics.random_relu.mc_sq_distance"),
            wire("rho_symbolic", "symbolic", check_rho_symbolic, "sympy.diff"),
            wire("rho_grid", "numeric", check_rho_grid, "numerics.random_relu.distance_ratio"),
            wire("close_far", "numeric", check_close_versus_far,
                 "numerics.random_relu.mc_sq_distance"),
        ],
        derivations={"general": functools.partial(distance_derivation, claim.rhs(),
                                                  distance_lhs(), claim.variance)},
        expected=Status.PROVED,
        variants=VARIANTS if claim.is_default else (),
    )


def _variant(name: str, caught: tuple[str, ...], why: str, **changes) -> Variant:
    return Variant(name, functools.partial(distances_theorem, DistanceClaim(**changes)),
                   tuple(NAMES[c] for c in caught), why)


VARIANTS: tuple[Variant, ...] = (
    _variant("closer pairs shrink more", ("rho_symbolic",),
             "the reading of Giryes et al. in 1901.02182: rho decreases", decreasing=False),
    _variant("psi with 1/(2 pi)", ("derivation",), "psi = (sin - t cos)/pi",
             psi_norm=1 / (2 * pi)),
    _variant("psi 5% large (near miss)", ("derivation",), "pins ROUNDOFF (and Monte Carlo)",
             psi_norm=sympy.Rational(105, 100) / pi),
    _variant("wrong sign of psi", ("derivation",), "the layer shrinks: minus", sign=1),
    _variant("isometry: coefficient 1 of ||x - y||^2", ("derivation",),
             "relu halves the expected energy", half=1),
    _variant("He scaling N(0, 2/m)", ("derivation",),
             "the formula is for N(0, 1/m); He doubles it",
             variance=2),
)
