"""The references of the dropout family (shared entries come from :mod:`theorems.references`).

Each theorem lists the ones it rests on; :data:`REFERENCES` is the family's list.
"""

from theorems.core import Reference
from theorems.references import ARORA, CAVAZZA, HAEFFELE_2020, MIANJY, SEED, SRIVASTAVA, WAGER

__all__ = ["CAVAZZA", "SEED", "SRIVASTAVA", "WAGER", "MIANJY", "ARORA", "HAEFFELE_2020",
           "VON_NEUMANN", "HORN", "REFERENCES"]

VON_NEUMANN = Reference(
    "J. von Neumann", "Some matrix-inequalities and metrization of matric-space",
    "Tomsk University Review 1:286-300", 1937,
    where="trace inequality |tr(A^T B)| <= sum_i sigma_i(A) sigma_i(B)",
)
HORN = Reference(
    "A. Horn", "Doubly stochastic matrices and the diagonal of a rotation matrix",
    "American Journal of Mathematics 76(3):620-630", 1954,
    where="Schur-Horn: a diagonal majorized by the spectrum is reached by a rotation",
)

REFERENCES: tuple[Reference, ...] = (CAVAZZA, SEED, SRIVASTAVA, WAGER, MIANJY, ARORA,
                                     HAEFFELE_2020, VON_NEUMANN, HORN)
