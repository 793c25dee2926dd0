"""The seed's "unified theory" as one executable chain (MATH.md sections 1, 3, 4, 7, 10).

Theorem
-------
unified.dropout_chain
    Dropout training of a factorization U V^T
      -> is a product-of-weights regularizer       (dropout.matrix_factorization)
      -> whose minimum over factorizations is (lambda/d) ||M||_*^2
                                                   (dropout.induced_regularizer)
      -> so the global optimum is a shrinkage of X's singular values, matched by CVXPY
                                                   (dropout.global_optimum)
      -> that optimum is a nuclear-norm optimum at threshold tau = kappa ||M*||_*, so
         Haeffele and Vidal's certificate applies  (factorization.certificate, and here)
      -> descent from random starts reaches it     (observed, and certified per run)
      -> its capacity is at most least squares'    (generalization.path_norm,
         (path norm, Lipschitz constant, exact      generalization.rademacher_linear,
         Rademacher complexity) and the margin      generalization.jacobian_margin,
         bound holds                                generalization.margin_bound_coverage,
                                                    and here: a bound, not a gap)

These serve the three links of the seed's slide (``links.SEED_LINKS``): dropout is
a product-of-weights regularizer; such regularizers have no spurious local minima;
they generalize well.  The verdict composes the other theorems' verdicts (each
verified once per call, at the caller's seed and profile) with three checks of
its own, and says for every link how it is known (``links.HOWS``): proved
symbolically for general sizes, proved in part, checked numerically, or
observed.  The linked theorems come from their families' packages
(``theorems.dropout``, ``theorems.factorization``, ``theorems.generalization``),
never from the catalog.  "Generalize well" is read as what can be computed
exactly: capacity quantities of the dropout optimum, the inequalities between
them checked by links 6-9; no generalization gap of a trained network is observed.  The
absence of spurious local minima for dropout is observed (descent from random
starts) and certified run by run, never proved: dropout's
regularizer sum_i ||u_i||^2 ||v_i||^2 has degree 4 while U V^T has degree 2, so
Haeffele and Vidal's theorem (equal degrees) does not apply to it directly.  A
composed verdict is never ``proved``: its link evidence is not marked ``general``.
"""

from __future__ import annotations

from theorems.unified.capacity import CapacityClaim
from theorems.unified.chain import ChainClaim, dropout_chain
from theorems.unified.links import LINKS, SEED_LINKS, Link

__all__ = ["LINKS", "SEED_LINKS", "Link", "CapacityClaim", "ChainClaim", "dropout_chain",
           "THEOREMS"]

THEOREMS = [dropout_chain]
