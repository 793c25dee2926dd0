"""Dropout's Hypothesis strategies: keep probabilities and dropout factorization problems.

Re-exported by :mod:`theorems.strategies` (``strategies.dropout_rates``).

>>> from hypothesis import given
>>> @given(simple_rates())
... def test_rate(theta):
...     assert 0 < theta <= 1
>>> test_rate()
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from theorems.strategies import matrices_with_singular_values, shapes, singular_values, widths

__all__ = ["dropout_rates", "dropout_problems", "simple_rates"]


def dropout_rates(min_keep: float = 0.05, allow_one: bool = True) -> st.SearchStrategy[float]:
    """Keep probabilities theta in [min_keep, 1] (theta = 1 means no dropout)."""
    if not 0.0 < min_keep <= 1.0:
        raise ValueError(f"min_keep: expected a number in (0, 1], got {min_keep!r}")
    rates = st.floats(min_value=min_keep, max_value=1.0, exclude_max=not allow_one,
                      allow_nan=False)
    return st.one_of(st.just(1.0), rates) if allow_one else rates


@st.composite
def dropout_problems(draw, max_side: int = 8, max_width: int = 10,
                     max_condition: float = 100.0) -> tuple[np.ndarray, float, int]:
    """(X, theta, d) for dropout matrix factorization at width d (MATH 4).

    X has a random shape and rank (often rank-deficient), its nonzero singular
    values have condition number at most ``max_condition`` and a top value in
    [0.1, 10]; theta is a keep probability (1 included); d is any width, below or
    above rank(X).
    """
    m, n = draw(shapes(1, max_side))
    rank = draw(st.integers(min_value=1, max_value=min(m, n)))
    top = draw(st.floats(min_value=0.1, max_value=10.0))
    X = draw(matrices_with_singular_values(m, n, draw(singular_values(rank, max_condition))
                                           * top))
    theta = draw(dropout_rates(min_keep=0.1))
    return X, theta, draw(widths(1, max_width))


# Simple rational keep probabilities shrink to counterexamples a reader can check by hand
# (theorems.claims, theorems.gallery).
SIMPLE_RATES = (1.0, 1 / 2, 1 / 3, 2 / 3, 1 / 4, 3 / 4, 1 / 5, 2 / 5, 3 / 5, 4 / 5, 1 / 10,
                9 / 10)


def simple_rates(allow_one: bool = True) -> st.SearchStrategy[float]:
    """Keep probabilities from simple fractions (1, 1/2, 1/3, 2/3, ...), simplest first."""
    return st.sampled_from(SIMPLE_RATES if allow_one else SIMPLE_RATES[1:])
