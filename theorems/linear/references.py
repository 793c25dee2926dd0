"""References of the linear-network theorems (shared entries come from theorems.references)."""

from theorems.references import BALDI, KAWAGUCHI, LAURENT, LU_KAWAGUCHI, SEED, YUN

__all__ = ["BALDI", "KAWAGUCHI", "LAURENT", "LU_KAWAGUCHI", "SEED", "YUN", "REFERENCES"]

# the references each theorem rests on, by theorem id
REFERENCES = {
    "linear.baldi_hornik": [BALDI, SEED],
    "linear.deep_no_spurious_minima": [KAWAGUCHI, LU_KAWAGUCHI, YUN, SEED],
    "linear.degenerate_saddle": [KAWAGUCHI, SEED],
    "linear.convex_loss": [LAURENT, SEED],
}
