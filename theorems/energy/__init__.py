"""The energy landscape: local entropy, deep relaxation (MATH.md section 9).

Convention on every page: gamma is the coupling (inverse variance) of
Entropy-SGD and E(x; gamma) = -F(x; gamma) = -log int exp(-f(y) - gamma ||x - y||^2/2) dy
is the objective it minimizes; deep relaxation's time is t = 1/gamma
(u(x, t) = E(x; 1/t) + (n/2) log(2 pi t), MATH 9.1).

Theorems
--------
energy.local_entropy_quadratic
    Quadratic f: closed form, curvatures a -> a gamma/(a + gamma) (both signs).
energy.local_entropy_gradient
    grad E = gamma (x - <y>), hess E = gamma I - gamma^2 Cov (non-quadratic f).
energy.curvature_bounds
    a <= f'' <= alpha gives a gamma/(a + gamma) <= hess E <= alpha gamma/(alpha + gamma) < gamma.
energy.viscous_hamilton_jacobi
    u(x, t) (deep relaxation, t = 1/gamma) solves u_t = -|grad u|^2/2 + Laplacian u/(2 beta);
    beta -> infinity gives the Moreau envelope.
energy.sgd_stationary_law
    Linear SGD as an Ornstein-Uhlenbeck process: Lyapunov covariance, Gibbs iff D = I,
    no probability current iff H D = D H.
"""

from theorems.energy.bounds import BoundsClaim, curvature_bounds
from theorems.energy.gradient import GradientClaim, local_entropy_gradient
from theorems.energy.hamilton_jacobi import HJClaim, viscous_hamilton_jacobi
from theorems.energy.quadratic import QuadraticClaim, local_entropy_quadratic
from theorems.energy.sgd import SGDClaim, sgd_stationary_law

__all__ = ["THEOREMS", "QuadraticClaim", "local_entropy_quadratic", "GradientClaim",
           "local_entropy_gradient", "BoundsClaim", "curvature_bounds", "SGDClaim",
           "sgd_stationary_law", "HJClaim", "viscous_hamilton_jacobi"]

THEOREMS = [local_entropy_quadratic, local_entropy_gradient, curvature_bounds,
            viscous_hamilton_jacobi, sgd_stationary_law]
