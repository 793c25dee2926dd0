"""The references of the unified chain (shared ones come from theorems.references)."""

from theorems.generalization.references import BARTLETT_MENDELSON, NEYSHABUR_COLT, SOKOLIC_TSP
from theorems.references import CAVAZZA, HAEFFELE_2020, MIANJY, SEED

__all__ = ["BARTLETT_MENDELSON", "CAVAZZA", "HAEFFELE_2020", "MIANJY", "NEYSHABUR_COLT",
           "SEED", "SOKOLIC_TSP", "DROPOUT_CHAIN"]

# what unified.dropout_chain rests on, in the order its page lists them
DROPOUT_CHAIN = [SEED, CAVAZZA, MIANJY, HAEFFELE_2020, NEYSHABUR_COLT, BARTLETT_MENDELSON,
                 SOKOLIC_TSP]
