"""Product-of-norms factorization: Haeffele and Vidal's global-optimality theory (MATH.md 7).

Theorems
--------
factorization.nuclear_variational
    ||M||_* = min over U V^T = M of sum_i ||u_i|| ||v_i|| = min (1/2)(||U||_F^2 + ||V||_F^2),
    attained at U = A S^(1/2), V = B S^(1/2).
factorization.certificate
    A stationary (U, V) of loss(U V^T) + lam sum_i ||u_i|| ||v_i|| is globally
    optimal iff ||grad loss(U V^T)||_2 <= lam (checked with
    :func:`numerics.factorization.certify` for the squared, logistic and Huber losses).
factorization.zero_column
    A local minimum with a zero column pair is a global minimum; at a
    non-optimal stationary point the zero pair's top singular direction descends.

Each factory takes the claimed constants or conditions as keyword arguments
(defaults = the true statement), validated by the theorem's frozen claim
dataclass, so a deliberately wrong variant is built by the same code and must
come out ``refuted``; each module declares its wrong versions in ``VARIANTS``.
The kernels (descent, Hessians, instances, CVXPY models) live in
:mod:`numerics.factorization`.
"""

from __future__ import annotations

from numerics.factorization import descend, squared_instance
from theorems.factorization.certificate import CertificateClaim, certificate
from theorems.factorization.common import LAM
from theorems.factorization.nuclear_variational import (
    NuclearVariationalClaim,
    nuclear_variational,
)
from theorems.factorization.zero_column import ZeroColumnClaim, zero_column

__all__ = [
    "LAM",
    "nuclear_variational",
    "certificate",
    "zero_column",
    "NuclearVariationalClaim",
    "CertificateClaim",
    "ZeroColumnClaim",
    "squared_instance",
    "descend",
    "THEOREMS",
]

THEOREMS = [nuclear_variational, certificate, zero_column]
