"""energy.local_entropy_quadratic: the closed form for quadratic losses (MATH 9.3, 9.1).

For f(y) = y^T A y/2 + b^T y with A + gamma I > 0 (gamma the coupling), the tilted
law p_x is Gaussian and

    E(x; gamma) = x^T gamma A (A + gamma I)^{-1} x / 2 + gamma x^T M^{-1} b
                  - b^T M^{-1} b / 2 + log det M / 2 - (n/2) log(2 pi),   M = A + gamma I,

so the curvatures map as a -> a gamma/(a + gamma): positive curvature is
flattened (into (0, min(a, gamma))), negative curvature in (-gamma, 0) is
*amplified* (a gamma/(a + gamma) < a).  The "smoother landscape" slogan is
one-sided.  The same module checks the conversion to deep relaxation (9.1).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import sympy
from sympy import Eq, Symbol

from numerics import energy as ne
from numerics.instances import haar_orthogonal
from theorems.checks import relative_error, worst_case
from theorems.core import Check, Context, Evidence, Status, Theorem, Variant
from theorems.energy.common import CONVENTION, CURV, GAMMA, TRUE_MAP, T, as_map, map_of
from theorems.energy.figures import curvature_map_figure, double_well_figure
from theorems.energy.quadratic_symbolic import (
    check_fixed_sizes,
    check_one_dimension,
    fixed_size_derivation,
)
from theorems.energy.references import DEEP_RELAXATION, ENERGY_SEED, ENTROPY_SGD

__all__ = ["QuadraticClaim", "local_entropy_quadratic", "VARIANTS"]

ROUNDOFF = 1e-9  # quadrature vs closed form, relative: trapezoid error < 1e-12 (estimated)
#                  plus log-sum-exp round-off over 1e5-1e6 grid points (~1e-11)
Z_SCORE = 5.0  # Langevin <y>: |mean - claim| <= 5 standard errors (two-sided p ~ 6e-7)
MC_DIM = 8  # dimension of the Langevin check (beyond quadrature)
BURN_IN = 1e-10  # Langevin burn-in: the chains' mean bias (contraction) is below this


@dataclass(frozen=True)
class QuadraticClaim:
    """What is claimed of the quadratic local entropy.

    Attributes
    ----------
    curvature_map : SymPy expression in a and gamma
        The claimed Hessian eigenvalue of E for a curvature a of f (true: a gamma/(a + gamma)).
    negative_flattened : bool
        Claim that negative curvature is flattened too (|phi(a)| <= |a|): false.
    coupling_of_time : SymPy expression in t
        The coupling matching deep relaxation's time t in 9.1 (true: 1/t).
    log_sign : int
        Sign of (n/2) log(2 pi t) in u(x, t) = E(x; 1/t) + (n/2) log(2 pi t) (true: +1).
    """

    curvature_map: sympy.Expr = TRUE_MAP
    negative_flattened: bool = False
    coupling_of_time: sympy.Expr = 1 / T
    log_sign: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "curvature_map", as_map(self.curvature_map, "curvature_map"))
        cot = sympy.sympify(self.coupling_of_time)
        if not cot.free_symbols <= {T}:
            raise ValueError(f"coupling_of_time: expected an expression in t, got {cot}")
        object.__setattr__(self, "coupling_of_time", cot)
        if self.log_sign not in (1, -1):
            raise ValueError(f"log_sign: expected +1 or -1, got {self.log_sign!r}")

    @property
    def is_true(self) -> bool:
        return self == QuadraticClaim()


def _instance(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray, float]:
    """A generic quadratic: gamma in [1, 3], eigenvalues of both signs (> -0.7 gamma)."""
    gamma = float(rng.uniform(1.0, 3.0))
    eig = rng.uniform(0.3, 3.0, size=n)
    neg = rng.permutation(n)[: max(1, n // 2)] if n > 1 else np.array([0])
    if n == 1 and rng.uniform() < 0.5:
        neg = np.array([], dtype=int)
    eig[neg] = -gamma * rng.uniform(0.15, 0.7, size=neg.size)
    Q = haar_orthogonal(n, rng)
    A = (Q * eig) @ Q.T
    return 0.5 * (A + A.T), rng.uniform(-1.0, 1.0, size=n), gamma


def claimed_energy(claim: QuadraticClaim, A: np.ndarray, b: np.ndarray, X: np.ndarray,
                   gamma: float) -> tuple[np.ndarray, np.ndarray]:
    """Value (K,) and gradient (K, n) of E as the claim states it (its curvature map on the
    quadratic part; the b terms and the normalization are those of the closed form)."""
    eig, Q = np.linalg.eigh(A)
    phi = np.asarray(map_of(claim.curvature_map)(eig, gamma), dtype=float) * np.ones_like(eig)
    H = (Q * phi) @ Q.T
    Minv_b = Q @ ((Q.T @ b) / (eig + gamma))
    n = A.shape[0]
    value = (0.5 * np.einsum("ki,ij,kj->k", X, H, X) + gamma * X @ Minv_b - 0.5 * b @ Minv_b
             + 0.5 * float(np.sum(np.log(eig + gamma))) - 0.5 * n * ne.LOG_2PI)
    return value, X @ H + gamma * Minv_b


def check_langevin(ctx: Context, claim: QuadraticClaim) -> Evidence:
    """<y> by Langevin chains in dimension 8 against the claim's <y> = x - grad E / gamma.

    For a quadratic the unadjusted chain's stationary mean is exact; the burn-in
    makes its residual bias below BURN_IN, so the z-score tests the claim alone.
    """
    rng = ctx.rng("langevin")
    chains = max(ctx.profile.samples // 2, 1000)
    rows = []
    for _ in range(2):
        A, b, gamma = _instance(rng, MC_DIM)
        x = rng.uniform(-3.0, 3.0, size=MC_DIM)  # far out: <y> - x is large
        eig = np.linalg.eigvalsh(A) + gamma
        step = 0.5 / eig[-1]
        steps = int(np.ceil(np.log(BURN_IN) / np.log1p(-step * eig[0])))
        mean, se = ne.langevin_mean(lambda Y, A=A, b=b: Y @ A + b, x, gamma, step=step,
                                    steps=steps, chains=chains, rng=rng)
        if not np.all(se > 0):
            return Evidence.inconclusive("numeric", "Langevin <y> in dimension 8",
                                         "zero standard error: the chains did not move")
        _, grad = claimed_energy(claim, A, b, x[None, :], gamma)
        want = x - grad[0] / gamma
        z = float(np.max(np.abs(mean - want) / se))
        rows.append((z, {"n": MC_DIM, "gamma": gamma, "eigenvalues": np.linalg.eigvalsh(A),
                         "x": x, "langevin_mean": mean, "standard_error": se,
                         "claimed_mean": want, "chains": chains, "steps": steps}))
    return worst_case("numeric", "Langevin <y> in dimension 8", rows, Z_SCORE, ctx,
                      {"measure": "max_i |mean_i - claim_i| / standard error_i",
                       "tolerance_reason": f"z-score {Z_SCORE} over {chains} independent "
                                           "chains, stationary mean exact for a quadratic",
                       "convention": CONVENTION})


def check_quadrature(ctx: Context, claim: QuadraticClaim) -> Evidence:
    """Closed form (the kernel and the claim) against quadrature in 1 and 2 dimensions."""
    rng = ctx.rng("quadrature")
    rows = []
    for k in range(max(ctx.profile.instances, 2)):
        n = 1 + k % 2
        A, b, gamma = _instance(rng, n)
        X = rng.uniform(-1.5, 1.5, size=(3, n))
        mean, _ = ne.quadratic_tilted_moments(A, b, X, gamma)
        # the grid covers every tilted law to 45 nats: half-width |m| + sqrt(90 / mu_min)
        width = float(np.max(np.abs(mean))) + np.sqrt(90.0 / (np.linalg.eigvalsh(A)[0] + gamma))
        if n == 1:
            q = ne.local_entropy_1d(ne.quadratic_loss(A, b), X[:, 0], gamma,
                                    lo=-width, hi=width)
        else:
            q = ne.local_entropy_2d(ne.quadratic_loss(A, b), X, gamma, lo=-width, hi=width,
                                    points=601)
        if q.error > ROUNDOFF / 100:
            return Evidence.inconclusive("numeric", "closed form against quadrature (1-2 D)",
                                         f"quadrature error estimate {q.error:.2g} too large")
        grad_q = gamma * (X - q.mean)
        kv, kg = ne.quadratic_local_entropy(A, b, X, gamma)
        cv, cg = claimed_energy(claim, A, b, X, gamma)
        scale = max(1.0, float(np.max(np.abs(q.value))), float(np.max(np.abs(grad_q))))
        err = max(float(np.max(np.abs(cv - q.value))), float(np.max(np.abs(cg - grad_q))),
                  float(np.max(np.abs(kv - q.value))), float(np.max(np.abs(kg - grad_q))))
        rows.append((err / scale, {"n": n, "gamma": gamma, "A": A, "b": b, "x": X,
                                   "quadrature_value": q.value, "claimed_value": cv,
                                   "quadrature_gradient": grad_q, "claimed_gradient": cg,
                                   "quadrature_error_estimate": q.error}))
    return worst_case("numeric", "closed form against quadrature (1-2 D)", rows, ROUNDOFF, ctx,
                      {"measure": "max error of value and gradient / max(1, |values|)",
                       "tolerance_reason": "trapezoid error (estimated < 1e-11) and "
                                           "round-off", "convention": CONVENTION})


def check_both_signs(ctx: Context, claim: QuadraticClaim) -> Evidence:
    """Curvature of E, from the kernel's gradient, on both signs of a: flattened if a > 0,
    amplified if a < 0 (and the claimed slogan about negative curvature is tested)."""
    rng = ctx.rng("signs")
    rows = []
    for gamma in (0.7, 2.3):
        for a in (*rng.uniform(0.2, 5.0, 2), *(-gamma * rng.uniform(0.1, 0.9, 2))):
            g1 = ne.quadratic_local_entropy([[a]], [0.31], [[1.0], [0.0]], gamma)[1][:, 0]
            h = float(g1[0] - g1[1])  # gradient is affine: exact slope
            claimed = float(map_of(claim.curvature_map)(a, gamma))
            bad = relative_error(claimed, h, 1.0)
            if a > 0 and not 0 < h < min(a, gamma):
                bad = max(bad, 1.0)  # positive curvature not flattened
            if a < 0 and not h < a:
                bad = max(bad, 1.0)  # negative curvature not amplified
            if a < 0 and claim.negative_flattened and abs(h) > abs(a):
                bad = max(bad, abs(h) - abs(a))  # the slogan "flattened too" is false here
            rows.append((bad, {"a": float(a), "gamma": gamma, "hessian": h,
                               "claimed": claimed}))
    return worst_case("numeric", "both signs of curvature: flattened and amplified", rows,
                      ROUNDOFF, ctx, {"measure": "relative error, or a violated sign claim",
                                      "convention": CONVENTION})


def check_conversion(ctx: Context, claim: QuadraticClaim) -> Evidence:
    """MATH 9.1: deep relaxation's u(x, t) (heat kernel, beta = 1) against
    E(x; coupling(t)) + sign (1/2) log(2 pi t), on a quadratic and a double well."""
    rng = ctx.rng("conversion")
    cot = sympy.lambdify([T], claim.coupling_of_time)
    rows = []
    losses = {"quadratic 1.7 y^2/2 - 0.4 y": lambda y: 0.85 * y ** 2 - 0.4 * y,
              "double well": ne.LOSSES["double well"].f}
    for name, f in losses.items():
        for t in (0.4, float(rng.uniform(0.6, 1.6))):
            X = rng.uniform(-1.2, 1.2, size=4)
            u = ne.heat_kernel_value_1d(f, X, t)
            q = ne.local_entropy_1d(f, X, float(cot(t)))
            want = q.value + claim.log_sign * 0.5 * np.log(2 * np.pi * t)
            err = float(np.max(np.abs(u - want))) / max(1.0, float(np.max(np.abs(u))))
            rows.append((err, {"loss": name, "t": t, "x": X, "u": u, "claimed": want}))
    return worst_case("numeric", "conversion to deep relaxation (9.1)", rows, ROUNDOFF, ctx,
                      {"measure": "relative error", "identity":
                       "u(x, t) = E(x; 1/t) + (n/2) log(2 pi t) at beta = 1",
                       "convention": CONVENTION})


def local_entropy_quadratic(claim: QuadraticClaim | None = None) -> Theorem:
    """The quadratic local entropy (MATH 9.3) and the gamma conversion (9.1).

    >>> local_entropy_quadratic().verify(seed=0, profile="quick").status.value
    'verified'
    """
    claim = QuadraticClaim() if claim is None else claim
    p = functools.partial
    statement = Eq(Symbol("eig hess E(x; gamma)"), claim.curvature_map.subs(CURV, Symbol("a")))
    return Theorem(
        id="energy.local_entropy_quadratic",
        title="Local entropy of a quadratic: curvature a -> a gamma/(a + gamma), flattened if "
              "a > 0, amplified if a < 0" + ("" if claim.is_true else " (variant)"),
        statement=statement,
        hypotheses=[CONVENTION,
                    "f(y) = y^T A y/2 + b^T y, A symmetric (possibly indefinite), "
                    "A + gamma I positive definite (else the integral diverges)",
                    "a is an eigenvalue of A; the eigenvalues of hess E are a gamma/(a + gamma)",
                    "the 'smoothing' slogan is one-sided: a in (-gamma, 0) maps below a",
                    "deep relaxation (time t = 1/gamma, beta = 1): "
                    "u(x, t) = E(x; 1/t) + (n/2) log(2 pi t)"],
        references=[ENTROPY_SGD, DEEP_RELAXATION, ENERGY_SEED],
        note="proofs_notes/energy.md",
        checks=[
            Check("Langevin <y> in dimension 8", "numeric", p(check_langevin, claim=claim),
                  "numerics.energy.langevin_mean"),
            Check("closed form against quadrature (1-2 D)", "numeric",
                  p(check_quadrature, claim=claim), "numerics.energy.local_entropy_2d"),
            Check("both signs of curvature", "numeric", p(check_both_signs, claim=claim),
                  "numerics.energy.quadratic_local_entropy"),
            Check("conversion to deep relaxation (9.1)", "numeric",
                  p(check_conversion, claim=claim), "numerics.energy.heat_kernel_value_1d"),
            Check("Gaussian integral, n = 1, symbolic entries", "symbolic",
                  p(check_one_dimension, claim=claim), "sympy.integrate"),
            Check("completing the square, n = 2 and 3, symbolic entries", "symbolic",
                  p(check_fixed_sizes, claim=claim), "sympy.Matrix"),
        ],
        derivations={"n = 2": p(fixed_size_derivation, 2, claim)},
        figures={"curvature map, both signs": curvature_map_figure,
                 "double well and its local entropy": double_well_figure},
        expected=Status.VERIFIED,
        variants=VARIANTS if claim.is_true else (),
    )


def _variant(**changes) -> functools.partial:
    return functools.partial(local_entropy_quadratic, QuadraticClaim(**changes))


VARIANTS: tuple[Variant, ...] = (
    Variant("a -> a + gamma", _variant(curvature_map=CURV + GAMMA),
            ("Langevin <y> in dimension 8",), "adds the coupling instead of flattening"),
    Variant("a -> a gamma/(a - gamma)", _variant(curvature_map=CURV * GAMMA / (CURV - GAMMA)),
            ("Langevin <y> in dimension 8",), "sign error in the denominator"),
    Variant("near miss, 5%", _variant(curvature_map=1.05 * TRUE_MAP),
            ("Langevin <y> in dimension 8",), "pins the Langevin z-score tolerance"),
    Variant("near miss, 1e-6", _variant(curvature_map=(1 + sympy.Rational(1, 10 ** 6))
                                        * TRUE_MAP),
            ("closed form against quadrature (1-2 D)",), "pins the quadrature tolerance"),
    Variant("negative curvature is flattened too", _variant(negative_flattened=True),
            ("both signs of curvature: flattened and amplified",),
            "the smoothing slogan applied to a < 0"),
    Variant("conventions mixed: gamma = t", _variant(coupling_of_time=T),
            ("conversion to deep relaxation (9.1)",), "deep relaxation's t is a variance"),
    Variant("wrong sign of log(2 pi t)", _variant(log_sign=-1),
            ("conversion to deep relaxation (9.1)",), "normalization of the heat kernel"),
)
