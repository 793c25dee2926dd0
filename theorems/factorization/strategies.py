"""Factorization's Hypothesis strategies: data with a factorization, nuclear-norm problems.

Re-exported by :mod:`theorems.strategies` (``strategies.factor_pairs``).

>>> from hypothesis import given
>>> @given(factor_pairs(max_side=3, max_width=2))
... def test_shapes(XUV):
...     X, U, V = XUV
...     assert (X @ V).shape == U.shape
>>> test_shapes()
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from theorems.strategies import matrices_with_singular_values, shapes, singular_values, widths

__all__ = ["factor_pairs", "nuclear_problems"]


@st.composite
def factor_pairs(draw, max_side: int = 8, max_width: int = 6,
                 max_condition: float = 100.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(X, U, V) with X m x n, U m x d, V n x d, all conditioned by construction."""
    m, n = draw(shapes(1, max_side))
    d = draw(widths(1, max_width))
    X = draw(matrices_with_singular_values(m, n, draw(singular_values(min(m, n),
                                                                      max_condition))))
    U = draw(matrices_with_singular_values(m, d, draw(singular_values(min(m, d),
                                                                      max_condition))))
    V = draw(matrices_with_singular_values(n, d, draw(singular_values(min(n, d),
                                                                      max_condition))))
    return X, U, V


@st.composite
def nuclear_problems(draw, max_side: int = 8) -> tuple[np.ndarray, float, int]:
    """(Y, lam, rank) for min (1/2)||Y - M||_F^2 + lam ||M||_*, with a clear optimal rank.

    The top ``rank`` singular values of Y lie in [2.2 lam, 5 lam] and the others
    in [0.2 lam, 0.6 lam], so soft-thresholding keeps exactly ``rank`` of them.
    """
    m, n = draw(shapes(1, max_side))
    k = min(m, n)
    rank = draw(st.integers(min_value=1, max_value=k))
    lam = draw(st.floats(min_value=0.1, max_value=10.0))
    top = np.sort(draw(st.lists(st.floats(min_value=2.2, max_value=5.0), min_size=rank,
                                max_size=rank)))[::-1]
    tail = np.sort(draw(st.lists(st.floats(min_value=0.2, max_value=0.6),
                                 min_size=k - rank, max_size=k - rank)))[::-1]
    values = lam * np.concatenate([top, tail])
    return draw(matrices_with_singular_values(m, n, values)), float(lam), rank
