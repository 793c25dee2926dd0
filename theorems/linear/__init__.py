"""Linear networks have no spurious local minima (MATH.md sections 5 and 6).

Theorems
--------
linear.baldi_hornik
    E(A, B) = ||Y - A B X||_F^2: the critical points are A = [U_J, 0] C,
    B = C^{-1} [U_J^T Sigma_YX Sigma_XX^{-1}; Z] (|J| <= p); only the top-p class is a
    minimum (Hessian PSD with p^2 zero eigenvalues), every other one a saddle with a
    negative Hessian eigenvalue; the global value is reduced-rank regression.
linear.deep_no_spurious_minima
    Deep linear networks: descent from many initializations ends at the reduced-rank
    value; a global-optimality test (rank, or value under a bottleneck) classifies
    descent end points and constructed saddles.
linear.degenerate_saddle
    For two or more hidden layers W = 0 is a critical point with a zero Hessian and
    L(t) - L(0) = -t^(H+1) sigma_1(Y X^T) + (1/2) t^(2H+2) ||a^T X||^2 along the aligned
    direction; for one hidden layer the Hessian at 0 has eigenvalues +-sigma_i(Y X^T).
linear.convex_loss
    Convex differentiable losses of the end-to-end matrix: with hidden widths
    >= min(d_x, d_y) descent reaches the convex optimum (CVXPY); a bottleneck or a
    non-differentiable loss breaks it.

Each factory takes the claimed constants or conditions as keyword arguments
(defaults: the true statement), validated by the theorem's claim dataclass, so a
deliberately wrong variant is built by the same code and must come out ``refuted``;
the default theorem lists those variants in ``variants``.
"""

from __future__ import annotations

from theorems.linear.baldi_hornik import BaldiHornikClaim, baldi_hornik, critical_point_table
from theorems.linear.common import (
    CLASS_RTOL,
    CONVEX_RTOL,
    DESCENT_RTOL,
    EIG_RTOL,
    FD_RTOL,
    FD_STEP,
    HESSIAN_FORM_RTOL,
    HESSIAN_ZERO_RTOL,
    MINIMIZER_RTOL,
    NOTE,
    ROUNDOFF,
    H,
)
from theorems.linear.convex_loss import ConvexClaim, convex_loss
from theorems.linear.deep import DeepClaim, deep_no_spurious_minima
from theorems.linear.degenerate_saddle import (
    SaddleClaim,
    degenerate_saddle,
    saddle_derivation,
    taylor_coefficient_at_zero,
)

__all__ = [
    "H", "NOTE", "ROUNDOFF", "FD_STEP", "FD_RTOL", "EIG_RTOL", "DESCENT_RTOL", "CONVEX_RTOL",
    "CLASS_RTOL", "MINIMIZER_RTOL", "HESSIAN_ZERO_RTOL", "HESSIAN_FORM_RTOL",
    "BaldiHornikClaim", "DeepClaim", "SaddleClaim", "ConvexClaim",
    "baldi_hornik", "deep_no_spurious_minima", "degenerate_saddle", "convex_loss",
    "critical_point_table", "saddle_derivation", "taylor_coefficient_at_zero", "THEOREMS",
]

THEOREMS = [baldi_hornik, deep_no_spurious_minima, degenerate_saddle, convex_loss]
