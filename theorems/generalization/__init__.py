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

Each theorem module holds a frozen claim dataclass (the claimed constants), its checks
as module-level functions, the factory and VARIANTS, the wrong versions it refutes.
"""

from theorems.generalization import margin, rademacher
from theorems.generalization.margin import MarginClaim, jacobian_margin
from theorems.generalization.rademacher import RademacherClaim, rademacher_linear

__all__ = ["THEOREMS", "RademacherClaim", "rademacher_linear", "MarginClaim",
           "jacobian_margin", "rademacher", "margin"]

THEOREMS = [rademacher_linear, jacobian_margin]
