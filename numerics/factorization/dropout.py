"""Dropout matrix factorization certified through the nuclear-norm problem (MATH 1 and 4)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from numerics.factorization._validation import check_lam, factors
from numerics.factorization.certificate import Certificate, certify
from numerics.factorization.variational import balanced_factors

__all__ = ["DropoutCertificate", "certify_dropout"]


@dataclass(frozen=True)
class DropoutCertificate:
    """The outcome of :func:`certify_dropout`.

    Attributes
    ----------
    optimal : bool
        gap_bound <= rtol * objective: (U, V) is certified globally optimal
        for the dropout objective at its width (and at any width).
    objective : float
        f(U, V) = ||X - U V^T||_F^2 + lam sum_i ||u_i||^2 ||v_i||^2.
    lower_bound : float
        A certified lower bound on min_M ||X - M||_F^2 + (lam/d) ||M||_*^2,
        hence on the dropout optimum at width d.
    gap_bound : float
        objective - lower_bound.
    equalization_gap : float
        f(U, V) - h(U V^T) = lam (sum_i ||u_i||^2 ||v_i||^2 - ||U V^T||_*^2 / d) >= 0.
    tau : float
        The threshold kappa ||U V^T||_* (kappa = lam/d) of the nuclear-norm problem.
    nuclear : Certificate
        The certificate of U V^T for (1/2)||X - M||_F^2 + tau ||M||_*.
    """

    optimal: bool
    objective: float
    lower_bound: float
    gap_bound: float
    equalization_gap: float
    tau: float
    nuclear: Certificate


def certify_dropout(X: object, U: object, V: object, lam: float, *,
                    rtol: float = 1e-6) -> DropoutCertificate:
    """Certify a factorization for the dropout objective of MATH 1 and 4.

    f(U, V) = ||X - U V^T||_F^2 + lam sum_i ||u_i||^2 ||v_i||^2 at width d is
    bounded below by h(M) = ||X - M||_F^2 + kappa ||M||_*^2 (kappa = lam/d,
    M = U V^T), since sum_i ||u_i||^2 ||v_i||^2 >= ||M||_*^2 / d.  For every
    tau > 0, kappa a^2 >= 2 tau a - tau^2 / kappa, so

        min h >= 2 min_M [(1/2)||X - M||^2 + tau ||M||_*] - tau^2 / kappa
              >= 2 D_tau(Z) - tau^2 / kappa

    for any dual feasible Z.  With tau = kappa ||M||_* the bound is tight at
    the optimum: M* is soft-thresholding of X at tau (MATH 4), and :func:`certify`
    of the balanced factors of M with lam = tau gives Z.  The gap bound is
    ``equalization_gap + 2 * nuclear.gap_bound``.  When the width binds
    (the uncapped threshold rule keeps more than d values), min f > min h and
    no factorization is certified: the bound stays positive, as it should.

    Parameters
    ----------
    X : array_like, shape (m, n)
    U, V : array_like, shapes (m, d), (n, d)
    lam : float
        Dropout's lambda = (1 - theta)/theta, > 0.
    rtol : float

    Returns
    -------
    DropoutCertificate
    """
    X, U, V = factors(X, U, V)
    lam = check_lam(lam)
    d = U.shape[1]
    kappa = lam / d
    M = U @ V.T
    weights = np.sum(U * U, axis=0) * np.sum(V * V, axis=0)
    objective = float(np.sum((X - M) ** 2) + lam * np.sum(weights))
    s = np.linalg.svd(M, compute_uv=False)
    nuc = float(np.sum(s))
    equalization = float(lam * (np.sum(weights) - nuc * nuc / d))
    # tau = kappa ||M||_* (tight at the optimum); at M = 0 any tau > 0 is valid
    tau = kappa * nuc if nuc > 0 else kappa * float(np.linalg.norm(X, 2)) or 1.0
    Ub, Vb = balanced_factors(M, width=d)
    cert = certify(X, Ub, Vb, tau, rtol=rtol)
    lower = 2.0 * cert.dual_value - tau * tau / kappa
    gap = objective - lower
    return DropoutCertificate(
        optimal=bool(gap <= rtol * max(objective, 0.0)),
        objective=objective, lower_bound=float(lower), gap_bound=float(gap),
        equalization_gap=equalization, tau=float(tau), nuclear=cert)
