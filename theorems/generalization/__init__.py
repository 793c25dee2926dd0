"""Generalization: the quantities of MATH.md section 10 that can be computed exactly.

Theorems
--------
generalization.rademacher_linear
    The exact empirical Rademacher complexity of l2- and l1-ball linear classes (an
    average over all 2^m sign vectors) against its Khintchine bounds, both attained,
    and Massart's bound.
generalization.jacobian_margin
    Input margin >= min(r, o(x)/(sqrt2 L)) when ||J||_2 <= L on the ball B(x, r); for
    ReLU networks L <= prod_l ||W_l||_2.  Exact margins of small ReLU networks by
    activation patterns and one QP per (pattern, class).
generalization.path_norm
    phi_p by dynamic programming against path enumeration; invariance under node
    rescalings (symbolic); phi_2 <= prod ||W_l||_F; |f(x)| <= phi_1 ||x||_inf; and
    phi_p = min over rescalings of prod_l max-row p-norms (CVXPY, log-scales).
generalization.margin_bound_coverage
    A margin bound at confidence 1 - delta fails on at most a delta fraction of seeded
    draws from a distribution with known risk: a statistical check, not a proof.

Each theorem module holds a frozen claim dataclass (the claimed constants), its checks
as module-level functions, the factory and VARIANTS, the wrong versions it refutes.
"""

from theorems.generalization import coverage, margin, path, rademacher
from theorems.generalization.coverage import CoverageClaim, margin_bound_coverage
from theorems.generalization.margin import MarginClaim, jacobian_margin
from theorems.generalization.path import PathClaim, path_norm
from theorems.generalization.rademacher import RademacherClaim, rademacher_linear

__all__ = ["THEOREMS", "RademacherClaim", "rademacher_linear", "MarginClaim",
           "jacobian_margin", "PathClaim", "path_norm", "CoverageClaim",
           "margin_bound_coverage", "rademacher", "margin", "path", "coverage"]

THEOREMS = [rademacher_linear, jacobian_margin, path_norm, margin_bound_coverage]
