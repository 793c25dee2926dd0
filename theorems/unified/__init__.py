"""The seed's "unified theory" as one executable chain (MATH.md sections 1, 3, 4, 7).

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

The verdict composes the other theorems' verdicts (each verified once per
call, at the caller's seed and profile) with two checks of its own, and says
for every link how it is known: proved symbolically for general sizes, checked
numerically, or observed.  The linked theorems come from their families'
packages (``theorems.dropout``, ``theorems.factorization``), never from the
catalog.  The absence of spurious local minima for dropout is observed (descent
from random starts) and certified run by run, never proved: dropout's
regularizer sum_i ||u_i||^2 ||v_i||^2 has degree 4 while U V^T has degree 2, so
Haeffele and Vidal's theorem (equal degrees) does not apply to it directly.  A
composed verdict is never ``proved``: its link evidence is not marked ``general``.
"""

from __future__ import annotations

from theorems.unified.chain import ChainClaim, dropout_chain
from theorems.unified.links import LINKS, Link

__all__ = ["LINKS", "Link", "ChainClaim", "dropout_chain", "THEOREMS"]

THEOREMS = [dropout_chain]
