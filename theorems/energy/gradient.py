"""energy.local_entropy_gradient: grad E = gamma (x - <y>), hess E = gamma - gamma^2 Var
(MATH 9.2), against finite differences of quadrature-evaluated E on non-quadratic losses.

Convention: gamma is the coupling, E(x; gamma) = -F(x; gamma) = -log int exp(-f(y)
- gamma (x - y)^2/2) dy is the minimized energy, <y> and Var are moments of
p_x(y) ~ exp(-f(y) - gamma (x - y)^2/2).  (The reference code's outer step
x - <y> omits gamma: MATH 9.7; as a formula for grad E it is wrong unless gamma = 1.)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import sympy
from sympy import And, Eq, Symbol

from numerics import energy as ne
from numerics.finite_differences import FD_STEP, central_gradient
from theorems.checks import worst_case
from theorems.core import Check, Context, Evidence, Status, Theorem, Variant
from theorems.energy.common import CONVENTION, GAMMA
from theorems.energy.references import DEEP_RELAXATION, ENERGY_SEED, ENTROPY_SGD

__all__ = ["GradientClaim", "local_entropy_gradient", "VARIANTS", "CASES"]

GRAD_TOL = 1e-7  # central difference, h = 1e-4: truncation h^2 |E'''|/6 <~ 2e-8 for these
#                  losses, round-off eps |E| / h ~ 1e-11; quadrature error < 1e-13
HESS_STEP = 1e-3  # nested central differences (step 2h overall) for the second derivative
HESS_TOL = 2e-5  # truncation h^2 |E''''|/12 <~ 2e-6 measured; round-off eps |E| / h^2 ~ 1e-10
QUAD_TOL = 1e-12  # the quadrature's own error estimate must be below this to conclude

#: (loss name, gamma, points x): generic points, no symmetry of the loss about them.
CASES = (("double well", 2.0, (-0.83, 0.137, 0.61, 1.29)),
         ("sine", 5.0, (-1.07, -0.21, 0.44, 1.63)),
         ("quartic, concave at 0", 2.0, (-2.3, 0.0, 0.29, 3.1)),
         ("near quadratic -", 3.0, (-0.77, 0.52, 1.9)))


@dataclass(frozen=True)
class GradientClaim:
    """grad E = grad_sign grad_factor gamma^grad_power (x - <y>),
    hess E = gamma - hess_factor gamma^hess_power Var (true: +1, 1, 1, 1, 2)."""

    grad_sign: int = 1
    grad_factor: float = 1.0
    grad_power: int = 1
    hess_factor: float = 1.0
    hess_power: int = 2

    def __post_init__(self) -> None:
        if self.grad_sign not in (1, -1):
            raise ValueError(f"grad_sign: expected +1 or -1, got {self.grad_sign!r}")
        for name in ("grad_factor", "hess_factor"):
            if not (np.isfinite(getattr(self, name)) and getattr(self, name) > 0):
                raise ValueError(f"{name}: expected a positive number")
        for name in ("grad_power", "hess_power"):
            if getattr(self, name) not in (0, 1, 2):
                raise ValueError(f"{name}: expected 0, 1 or 2")

    @property
    def is_true(self) -> bool:
        return self == GradientClaim()

    def gradient(self, x, mean, gamma):
        return self.grad_sign * self.grad_factor * gamma ** self.grad_power * (x - mean)

    def hessian(self, var, gamma):
        return gamma - self.hess_factor * gamma ** self.hess_power * var


def _cases(ctx: Context, name: str):
    """CASES, each with seeded extra points in [-1.5, 1.5] (ctx.profile.instances // 2)."""
    rng = ctx.rng(name)
    for loss_name, gamma, xs in CASES:
        extra = rng.uniform(-1.5, 1.5, size=max(ctx.profile.instances // 2, 1))
        yield ne.LOSSES[loss_name], gamma, np.concatenate([xs, extra])


def _energy(loss: ne.Loss, gamma: float):
    """Batched E(x) by quadrature, for numerics.finite_differences ((K, 1) -> (K,))."""
    return lambda P: ne.local_entropy_1d(loss.f, np.asarray(P).ravel(), gamma).value


def check_gradient(ctx: Context, claim: GradientClaim) -> Evidence:
    """Claimed gradient from quadrature moments against central differences of E."""
    name = "gradient against finite differences of quadrature E"
    rows = []
    for loss, gamma, xs in _cases(ctx, "gradient points"):
        q = ne.local_entropy_1d(loss.f, xs, gamma)
        if q.error > QUAD_TOL:
            return Evidence.inconclusive("numeric", name, f"quadrature error {q.error:.2g}")
        energy = _energy(loss, gamma)
        for k, x in enumerate(xs):
            fd = float(central_gradient(energy, [float(x)], FD_STEP)[0])
            claimed = float(claim.gradient(x, q.mean[k, 0], gamma))
            rows.append((abs(fd - claimed) / max(abs(fd), 1.0),
                         {"loss": loss.name, "gamma": gamma, "x": x, "finite_difference": fd,
                          "claimed": claimed, "mean": q.mean[k, 0]}))
    return worst_case("numeric", name, rows, GRAD_TOL, ctx,
                      {"measure": "|fd - claim| / max(|fd|, 1)", "step": FD_STEP,
                       "tolerance_reason": "central-difference truncation", "convention":
                       CONVENTION})


def check_hessian(ctx: Context, claim: GradientClaim) -> Evidence:
    """Claimed Hessian from the quadrature variance against nested central differences."""
    name = "Hessian against finite differences of quadrature E"
    rows = []
    for loss, gamma, xs in _cases(ctx, "hessian points"):
        q = ne.local_entropy_1d(loss.f, xs, gamma)
        energy = _energy(loss, gamma)
        for k, x in enumerate(xs):
            grad_fd = lambda P, e=energy: np.array(  # noqa: E731 - a batched FD gradient
                [central_gradient(e, p, HESS_STEP)[0] for p in np.asarray(P).reshape(-1, 1)])
            fd = float(central_gradient(grad_fd, [float(x)], HESS_STEP)[0])
            claimed = float(claim.hessian(q.cov[k, 0, 0], gamma))
            rows.append((abs(fd - claimed) / max(abs(fd), 1.0),
                         {"loss": loss.name, "gamma": gamma, "x": x, "finite_difference": fd,
                          "claimed": claimed, "variance": q.cov[k, 0, 0]}))
    return worst_case("numeric", name, rows, HESS_TOL, ctx,
                      {"measure": "|fd - claim| / max(|fd|, 1)", "step": HESS_STEP,
                       "tolerance_reason": "second-difference truncation",
                       "convention": CONVENTION})


def _loss_2d(Y: np.ndarray) -> np.ndarray:
    """A non-quadratic, non-symmetric 2-D loss: a tilted double well coupled to y2."""
    y1, y2 = Y[:, 0], Y[:, 1]
    return 4 * (y1 ** 2 - 1) ** 2 + 0.3 * y1 + 0.5 * y2 ** 2 + 0.6 * np.sin(y1 + 2 * y2)


def check_two_dimensions(ctx: Context, claim: GradientClaim) -> Evidence:
    """2-D: the claimed gradient vector and Hessian matrix (gamma I - gamma^2 Cov) against
    central differences of E from tensor-grid quadrature, all points in one call."""
    name = "2-D gradient and Hessian matrix against finite differences"
    rng = ctx.rng("two dimensions")
    gamma, h = 3.0, HESS_STEP
    rows = []
    for x in rng.uniform(-1.0, 1.0, size=(max(ctx.profile.instances // 4, 1), 2)):
        E = np.eye(2)
        offs = [s1 * h * E[i] + s2 * h * E[j] for i in range(2) for j in range(2)
                for s1 in (1, -1) for s2 in (1, -1)]
        pts = np.vstack([x, x + h * E, x - h * E, x + np.array(offs)])
        q = ne.local_entropy_2d(_loss_2d, pts, gamma, lo=-7.0, hi=7.0, points=561)
        if q.error > QUAD_TOL * 100:
            return Evidence.inconclusive("numeric", name, f"quadrature error {q.error:.2g}")
        v = q.value
        grad_fd = (v[1:3] - v[3:5]) / (2 * h)
        second = v[5:].reshape(2, 2, 2, 2)  # (i, j, s1, s2)
        hess_fd = (second[:, :, 0, 0] - second[:, :, 0, 1] - second[:, :, 1, 0]
                   + second[:, :, 1, 1]) / (4 * h * h)
        grad_c = claim.gradient(x, q.mean[0], gamma)
        hess_c = claim.hessian(q.cov[0], gamma) - gamma + gamma * np.eye(2)
        scale = max(1.0, float(np.abs(hess_fd).max()))
        err = max(float(np.abs(grad_fd - grad_c).max()) / max(1.0, float(np.abs(grad_fd).max())),
                  float(np.abs(hess_fd - hess_c).max()) / scale)
        rows.append((err, {"x": x, "gamma": gamma, "gradient_fd": grad_fd,
                           "gradient_claimed": grad_c, "hessian_fd": hess_fd,
                           "hessian_claimed": hess_c}))
    return worst_case("numeric", name, rows, HESS_TOL, ctx,
                      {"measure": "max relative entry error of gradient and Hessian",
                       "step": h, "convention": CONVENTION})


def _to_moments(expr: sympy.Expr, weight: sympy.Expr, y: sympy.Symbol, moments) -> sympy.Expr:
    """Replace each Integral(h(y) weight, y) by sum_k h_k M_k (h a polynomial in y)."""
    def swap(integral):
        ratio = sympy.powsimp(sympy.expand(integral.function / weight), combine="exp")
        if ratio.has(sympy.exp) or ratio.has(sympy.Function("f")):
            raise ValueError(f"integrand {integral.function} is not a polynomial times the "
                             "weight")
        poly = sympy.Poly(sympy.expand(ratio), y)
        return sum(c * moments[k] for (k,), c in poly.terms())
    return expr.replace(lambda e: isinstance(e, sympy.Integral), swap)


def check_leibniz(ctx: Context, claim: GradientClaim) -> Evidence:
    """For an undefined smooth f: differentiate E under the integral sign (SymPy) and
    compare with the claim, moments M_k = int y^k exp(-f - gamma (x - y)^2/2) dy."""
    name = "differentiation under the integral, any f (symbolic)"
    x, y = sympy.symbols("x y", real=True)
    f = sympy.Function("f")
    weight = sympy.exp(-f(y) - GAMMA * (x - y) ** 2 / 2)
    energy = -sympy.log(sympy.Integral(weight, (y, -sympy.oo, sympy.oo)))
    moments = sympy.symbols("M0:3", positive=True)
    d1 = _to_moments(sympy.diff(energy, x), weight, y, moments)
    d2 = _to_moments(sympy.diff(energy, x, 2), weight, y, moments)
    mean = moments[1] / moments[0]
    var = moments[2] / moments[0] - mean ** 2
    gaps = [sympy.cancel(d1 - claim.gradient(x, mean, GAMMA)),
            sympy.cancel(d2 - claim.hessian(var, GAMMA))]
    details = {"gradient": str(sympy.cancel(d1)), "hessian": str(sympy.cancel(d2)),
               "convention": CONVENTION}
    if all(g == 0 for g in gaps):
        return Evidence("symbolic", name, True, measured=0.0, tolerance=0.0, details=details)
    which = "gradient" if gaps[0] != 0 else "hessian"
    return Evidence("symbolic", name, False, details=details,
                    counterexample={"which": which, "difference": str(gaps[0] or gaps[1])})


def local_entropy_gradient(claim: GradientClaim | None = None) -> Theorem:
    """The gradient and Hessian of the local entropy energy (MATH 9.2).

    >>> local_entropy_gradient().verify(seed=0, profile="quick").status.value
    'verified'
    """
    claim = GradientClaim() if claim is None else claim
    p = functools.partial
    x, mean, var = Symbol("x"), Symbol("<y>"), Symbol("Var(y)")
    statement = And(Eq(Symbol("grad E(x; gamma)"), claim.gradient(x, mean, GAMMA)),
                    Eq(Symbol("hess E(x; gamma)"), claim.hessian(var, GAMMA)))
    return Theorem(
        id="energy.local_entropy_gradient",
        title="Gradient and Hessian of local entropy: gamma (x - <y>) and gamma - gamma^2 Var"
              + ("" if claim.is_true else " (variant)"),
        statement=statement,
        hypotheses=[CONVENTION,
                    "f smooth with int exp(-f(y) - gamma ||x - y||^2/2) dy finite near x",
                    "<y>, Var: mean and covariance of p_x(y) ~ exp(-f(y) - gamma ||x - y||^2/2)",
                    "numerics in one dimension on non-quadratic losses (double well, sine, "
                    "quartic); in n dimensions Var is the covariance matrix"],
        references=[ENTROPY_SGD, DEEP_RELAXATION, ENERGY_SEED],
        note="proofs_notes/energy.md",
        checks=[
            Check("gradient against finite differences of quadrature E", "numeric",
                  p(check_gradient, claim=claim), "numerics.finite_differences.central_gradient"),
            Check("Hessian against finite differences of quadrature E", "numeric",
                  p(check_hessian, claim=claim), "numerics.energy.local_entropy_1d"),
            Check("2-D gradient and Hessian matrix against finite differences", "numeric",
                  p(check_two_dimensions, claim=claim), "numerics.energy.local_entropy_2d"),
            Check("differentiation under the integral, any f (symbolic)", "symbolic",
                  p(check_leibniz, claim=claim), "sympy.diff"),
        ],
        expected=Status.VERIFIED,
        variants=VARIANTS if claim.is_true else (),
    )


def _variant(**changes) -> functools.partial:
    return functools.partial(local_entropy_gradient, GradientClaim(**changes))


_GRAD = ("gradient against finite differences of quadrature E",)
_HESS = ("Hessian against finite differences of quadrature E",)
VARIANTS: tuple[Variant, ...] = (
    Variant("sign: gamma (<y> - x)", _variant(grad_sign=-1), _GRAD,
            "the gradient of F, not of the minimized E = -F"),
    Variant("no gamma: x - <y>", _variant(grad_power=0), _GRAD,
            "the reference code's step, as a gradient (MATH 9.7)"),
    Variant("near miss: gradient x (1 + 1e-5)", _variant(grad_factor=1 + 1e-5), _GRAD,
            "pins the finite-difference tolerance of the gradient"),
    Variant("Hessian gamma - gamma Var", _variant(hess_power=1), _HESS, "gamma^2 -> gamma"),
    Variant("near miss: Hessian gamma - (1 + 1e-3) gamma^2 Var", _variant(hess_factor=1.001),
            _HESS, "pins the second-difference tolerance"),
)
