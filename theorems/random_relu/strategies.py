"""Hypothesis strategies for the random_relu family: pairs of nonzero input vectors.

Examples
--------
>>> from hypothesis import given, settings
>>> from theorems.random_relu.strategies import input_pairs
>>> @settings(max_examples=5, database=None)
... @given(input_pairs())
... def run(pair):
...     x, y = pair
...     assert x.shape == y.shape and np.linalg.norm(x) > 0
>>> run()
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

__all__ = ["input_pairs", "input_sets"]

_COORD = st.floats(-3.0, 3.0, allow_nan=False, allow_infinity=False)


def _nonzero(v: np.ndarray) -> bool:
    return bool(np.linalg.norm(v) > 1e-3)


@st.composite
def input_pairs(draw, min_dim: int = 1, max_dim: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """Two nonzero vectors of one dimension (norms above 1e-3), any angle, parallel
    and antiparallel pairs included (``y = c x`` is drawn a tenth of the time)."""
    dim = draw(st.integers(min_dim, max_dim))
    vec = st.lists(_COORD, min_size=dim, max_size=dim).map(np.array).filter(_nonzero)
    x = draw(vec)
    if draw(st.integers(0, 9)) == 0:
        c = draw(st.sampled_from([-2.0, -0.5, 0.5, 3.0]))
        return x, c * x
    return x, draw(vec)


@st.composite
def input_sets(draw, max_inputs: int = 6, max_dim: int = 5) -> np.ndarray:
    """A few nonzero inputs as rows (for kernel matrices)."""
    dim = draw(st.integers(1, max_dim))
    count = draw(st.integers(1, max_inputs))
    vec = st.lists(_COORD, min_size=dim, max_size=dim).map(np.array).filter(_nonzero)
    return np.stack(draw(st.lists(vec, min_size=count, max_size=count)))
