"""Product-of-norms matrix factorization: variational nuclear norm, soft-thresholding,
global-optimality certificates (MATH.md section 7, Haeffele and Vidal).

Conventions: Y is m x n, U is m x r, V is n x r, M = U V^T, columns u_i, v_i.
The factorized problem and its convex counterpart are

    F(U, V) = loss(U V^T) + lam * sum_i ||u_i|| ||v_i||,
    P(M)    = loss(M) + lam * ||M||_*,

with min F = min P as soon as r >= rank of a minimizer of P, because
||M||_* = min over U V^T = M of sum_i ||u_i|| ||v_i||.  Fenchel duality gives,
for every Z with ||Z||_2 <= lam,

    min P >= D(Z) := -loss^*(-Z),

so ``F(U, V) - D(Z)`` bounds the suboptimality of (U, V) for both problems.
:func:`certify` builds Z from the loss gradient G = grad loss(U V^T), scaled
into the spectral ball: Z = -G * min(1, lam / ||G||_2).  At a stationary point
with ||G||_2 <= lam the bound is zero (the Haeffele-Vidal certificate).

Losses (``loss=``, the registry :mod:`numerics.losses`): ``"squared"``
(1/2)||Y - M||_F^2; ``"logistic"`` sum log(1 + exp(-Y o M)) with labels Y in
{-1, +1}; ``"huber"`` sum h_delta(M - Y), h_delta(r) = r^2/2 for |r| <= delta,
delta |r| - delta^2/2 beyond (half of CVXPY's ``huber``).

Modules: :mod:`~numerics.factorization.variational` (nuclear norm, balanced
factors, soft-thresholding), :mod:`~numerics.factorization.spectral` (certified
spectral norm), :mod:`~numerics.factorization.certificate` (objective, dual,
:func:`certify`), :mod:`~numerics.factorization.dropout` (:func:`certify_dropout`),
:mod:`~numerics.factorization.problems` (batched and CVXPY objectives),
:mod:`~numerics.factorization.landscape` (descent, Hessian, shrinkage points),
:mod:`~numerics.factorization.instances` (seeded instances).

>>> from numerics import factorization as nf
>>> Y = np.diag([3.0, 0.5])
>>> U, V = nf.balanced_factors(nf.soft_threshold(Y, 1.0), width=1)
>>> nf.certify(Y, U, V, 1.0).optimal
True
"""

from __future__ import annotations

import numpy as np  # noqa: F401 - used by the doctests

from numerics.factorization.certificate import (
    Certificate,
    certify,
    dual_value,
    factorized_objective,
    loss_gradient,
    loss_value,
    stationarity_residual,
)
from numerics.factorization.dropout import DropoutCertificate, certify_dropout
from numerics.factorization.instances import random_factorizations, squared_instance
from numerics.factorization.landscape import (
    descend,
    gradient_norm,
    shrinkage_point,
    smooth_hessian,
    smooth_value,
)
from numerics.factorization.problems import (
    batched_objective,
    convex_problem,
    nuclear_norm_problems,
)
from numerics.factorization.spectral import (  # noqa: F401 - _top_vector: tested directly
    DENSE_LIMIT,
    _top_vector,
    spectral_norm_bounds,
)
from numerics.factorization.variational import (
    balanced_factors,
    frobenius_penalty,
    nuclear_norm,
    product_norm_sum,
    soft_threshold,
    soft_threshold_value,
)
from numerics.losses import LOSS_NAMES as LOSSES

__all__ = [
    "LOSSES",
    "Certificate",
    "certify",
    "nuclear_norm",
    "product_norm_sum",
    "frobenius_penalty",
    "balanced_factors",
    "soft_threshold",
    "soft_threshold_value",
    "loss_value",
    "loss_gradient",
    "dual_value",
    "spectral_norm_bounds",
    "stationarity_residual",
    "factorized_objective",
    "batched_objective",
    "convex_problem",
    "nuclear_norm_problems",
    "DropoutCertificate",
    "certify_dropout",
    "descend",
    "smooth_value",
    "smooth_hessian",
    "gradient_norm",
    "shrinkage_point",
    "squared_instance",
    "random_factorizations",
]
