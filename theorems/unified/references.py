"""The references of the unified chain (shared ones come from theorems.references)."""

from theorems.references import CAVAZZA, HAEFFELE_2020, MIANJY, SEED

__all__ = ["CAVAZZA", "HAEFFELE_2020", "MIANJY", "SEED", "DROPOUT_CHAIN"]

# what unified.dropout_chain rests on, in the order its page lists them
DROPOUT_CHAIN = [SEED, CAVAZZA, MIANJY, HAEFFELE_2020]
