"""SymPy helpers: a canonicalizer for indexed sums, a Bernoulli expectation operator."""

from theorems.symbolic.expectation import (
    Expectation,
    bernoulli_cumulant,
    bernoulli_moments,
    linearity,
)
from theorems.symbolic.sums import CanonicalForm, canonical, equivalent, terms

__all__ = [
    "CanonicalForm",
    "Expectation",
    "bernoulli_cumulant",
    "bernoulli_moments",
    "canonical",
    "equivalent",
    "linearity",
    "terms",
]
