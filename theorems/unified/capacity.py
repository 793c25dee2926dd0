"""The chain's third link: capacity at the dropout optimum, against least squares.

The seed's slide claims that product-of-weights regularizers "generalize well".
What can be computed exactly is a *bound*: at the dropout optimum M* = U* V*^T of
width d, the capacity quantities that enter margin and Rademacher bounds
(MATH 10.1-10.3), compared with the same quantities for the unregularized
least-squares solution M = X (its best factorization of the same width).  Every
inequality used is proved (MATH 4 and 10; the linked theorems check them); the
quantities are exact.  No generalization gap is observed here: a smaller bound is
not a smaller gap, and the verdict says so.

Per instance (rho <= d, so the width does not bind and X itself is a factorization
of width d):

* path norm.  phi_2(U*, V*)^2 = sum_i ||u_i||^2 ||v_i||^2 (one path b -> i -> a per
  entry pair) and, at the equalized optimum, = ||M*||_*^2 / d, the minimum over all
  factorizations of M* (``dropout.induced_regularizer``).  So the kernel's factors
  must attain the minimal path norm; the claim's exponent of d is the knob.
* Lipschitz constant.  ||J||_2 = ||M*||_2 <= ||U*||_2 ||V*||_2, with equality for a
  balanced factorization: the product of spectral norms of the factors must be
  ||M*||_2 (an unbalanced factorization is strictly larger).
* capacity, dropout against least squares: ||M*||_* <= ||X||_*, ||M*||_2 <= ||X||_2
  and the radius max_a ||M*[a, :]||_2 of the l2-ball class containing each output
  coordinate <= that of X (the singular values shrink, the singular vectors stay);
  so the exact Rademacher complexity R_S on the samples, linear in the radius, and
  the complexity term 2 R_S / rho of the margin bound are smaller by the same ratio.
* margin.  For each sample x, labelled by its largest output, the exact linear input
  margin (closed form, MATH 10.2) is at least o(x) / (sqrt2 ||U*||_2 ||V*||_2).

Every quantity is measured against its exact value relatively; the worst
discrepancy must be round-off.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from numerics import dropout as nd
from numerics import generalization as ng
from theorems.checks import worst_case
from theorems.core import Context, Evidence

__all__ = ["CapacityClaim", "check_capacity", "measure", "CAPACITY_RTOL", "NAME", "SAMPLES"]

CAPACITY_RTOL = 1e-9  # float64 SVDs, products and sums of <= 10 x 10 matrices: ~1e-14
#                       relative; a wrong exponent of d is off by d^0.01 - 1 >= 7e-3
NAME = ("at the dropout optimum the path norm, Lipschitz constant and exact Rademacher "
        "complexity are at most least squares', and the margin bound holds [computed bound, "
        "not an observed generalization gap]")
SAMPLES = 10  # inputs of the exact Rademacher average (2^10 sign vectors) and the margins


@dataclass(frozen=True)
class CapacityClaim:
    """The constants the third link claims.

    ``path_norm_d_power``: phi_2(U*, V*)^2 = ||M*||_*^2 / d^power at the dropout
    optimum (1; 0 is the Frobenius product ||U*||_F^2 ||V*||_F^2 of a balanced,
    equalized optimum, mistaken for the path norm).  ``dropout_smaller``: the dropout
    optimum's capacity is at most least squares' (True), or at least it (False).
    ``margin_constant``: the margin bound o(x) / (c L), c = sqrt2.
    """

    path_norm_d_power: float = 1.0
    dropout_smaller: bool = True
    margin_constant: float = math.sqrt(2.0)

    def __post_init__(self) -> None:
        if not math.isfinite(self.path_norm_d_power):
            raise ValueError(f"path_norm_d_power: expected a finite number, got "
                             f"{self.path_norm_d_power!r}")
        if not (math.isfinite(self.margin_constant) and self.margin_constant > 0):
            raise ValueError(f"margin_constant: expected a positive number, got "
                             f"{self.margin_constant!r}")


def _relative(a: float, b: float) -> float:
    return abs(a - b) / max(abs(b), np.finfo(float).tiny)


def _direction(claim: CapacityClaim, ratio: float) -> float:
    """How far a dropout / least-squares ratio is on the wrong side of 1."""
    return max(0.0, ratio - 1.0) if claim.dropout_smaller else max(0.0, 1.0 - ratio)


def _margins(M: np.ndarray, L: float, samples: np.ndarray, c: float) -> np.ndarray:
    """bound / exact input margin for each sample (<= 1 when the bound holds)."""
    out = []
    for x in samples:
        f = M @ x
        y = int(np.argmax(f))
        o = float(f[y] - np.max(np.delete(f, y)))
        out.append((o / (c * L)) / ng.linear_margin(M, x, y))
    return np.array(out)


def measure(X: np.ndarray, theta: float, d: int, samples: np.ndarray,
            claim: CapacityClaim) -> tuple[float, dict[str, Any]]:
    """The worst discrepancy of one instance, and what was measured.

    The dropout side reads the kernel's factors (numerics.dropout.global_minimizer);
    the least-squares side and every exact value come from NumPy's SVD here.
    """
    g = nd.global_minimizer(X, theta, d)
    q = ng.chain_capacity(g.U, g.V, samples)
    s_opt = np.linalg.svd(g.U @ g.V.T, compute_uv=False)
    s_ls = np.linalg.svd(X, compute_uv=False)
    nuclear, nuclear_ls = float(np.sum(s_opt)), float(np.sum(s_ls))
    radius_ls = float(np.max(np.linalg.norm(X, axis=1)))
    rademacher_ls = ng.rademacher_linear(samples, radius_ls)
    margins = _margins(g.U @ g.V.T, q["spectral_product"], samples, claim.margin_constant)
    ratios = {"path_norm": (q["path_norm_2"] * math.sqrt(d)) / nuclear_ls,
              "spectral": q["spectral_product"] / s_ls[0],
              "rademacher": q["rademacher_l2"] / rademacher_ls}
    errors = {
        "path_norm": _relative(q["path_norm_2"] ** 2, nuclear ** 2 / d ** claim.path_norm_d_power),
        "product_regularizer": _relative(q["product_regularizer"], q["path_norm_2"] ** 2),
        "balanced": _relative(q["spectral_product"], float(s_opt[0])),
        "margin": max(0.0, float(np.max(margins)) - 1.0),
        **{f"{k}_direction": _direction(claim, r) for k, r in ratios.items()},
    }
    worst = max(errors, key=errors.get)
    return errors[worst], {
        "shape": list(X.shape), "theta": theta, "d": d, "rho": g.rho, "tau": g.tau,
        "worst": worst, "errors": errors, "ratios": ratios,
        "path_norm": q["path_norm_2"], "path_norm_least_squares": nuclear_ls / math.sqrt(d),
        "spectral_product": q["spectral_product"], "spectral_least_squares": float(s_ls[0]),
        "rademacher": q["rademacher_l2"], "rademacher_least_squares": rademacher_ls,
        "margin_looseness_median": float(np.median(1.0 / margins)),
    }


def check_capacity(ctx: Context, claim: CapacityClaim, instance) -> Evidence:
    """Capacity at the dropout optimum: exact quantities, proved inequalities, compared
    with least squares; a computed bound, not an observed generalization gap.

    ``instance(rng)`` draws the chain's instances (X, theta, lambda, k); the width is
    d >= k, where least squares' X is itself a factorization of width d.
    """
    rng = ctx.rng("capacity")
    rows = []
    for _ in range(ctx.profile.instances):
        inst = instance(rng)
        X, theta, k = inst["X"], inst["theta"], inst["k"]
        d = k + int(rng.integers(0, 3))
        samples = rng.standard_normal((SAMPLES, X.shape[1]))
        rows.append(measure(X, theta, d, samples, claim))
    ratios = {key: [r[1]["ratios"][key] for r in rows] for key in rows[0][1]["ratios"]}
    looseness = [r[1]["margin_looseness_median"] for r in rows]
    details = {
        "measure": "worst relative discrepancy of the path norm, the product regularizer "
                   "and the balanced spectral product from their exact values, of the "
                   "margin bound from the exact linear margin, and of each dropout / least "
                   "squares capacity ratio from the claimed side of 1",
        "tolerance_reason": "float64 round-off of SVDs and sums of small matrices",
        "capacity_ratio_range": {k: [float(min(v)), float(max(v))] for k, v in ratios.items()},
        "margin_looseness_median": float(np.median(looseness)),
        "samples": SAMPLES,
        "what_this_is": "a computed bound (exact quantities, proved inequalities); no "
                        "generalization gap is observed",
    }
    return worst_case("numeric", NAME, rows, CAPACITY_RTOL, ctx, details)
