"""Public Hypothesis strategies for the objects of deep-learning theory.

Matrices are built from chosen singular values and Haar-random orthogonal
factors (drawn from a seed that Hypothesis chooses), never from raw float
arrays, so every generated instance has a known, controlled conditioning and
shrinks towards small, simple cases.

Examples
--------
>>> from hypothesis import given
>>> from theorems import strategies as st_dl
>>> @given(st_dl.matrices(max_side=4))
... def test_shape(M):
...     assert M.ndim == 2
>>> test_shape()
"""

from __future__ import annotations

import os

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from numerics.instances import geometric_spectrum, with_singular_values

__all__ = [
    "register_profiles",
    "seeds",
    "shapes",
    "widths",
    "dropout_rates",
    "singular_values",
    "matrices",
    "matrices_with_singular_values",
    "factor_pairs",
    "dropout_problems",
]


def register_profiles(load: bool = True) -> str:
    """Register the Hypothesis profiles "ci" and "dev"; load "ci" when CI=true.

    "ci" is derandomized (a failure reproduces exactly, and a run never flakes)
    and has no deadline (shared machines have noisy timings).

    Returns
    -------
    str
        The name of the profile chosen for this environment.
    """
    common = {"deadline": None, "max_examples": 40,
              "suppress_health_check": [HealthCheck.too_slow]}
    settings.register_profile("ci", derandomize=True, **common)
    settings.register_profile("dev", **common)
    name = "ci" if os.environ.get("CI") == "true" else "dev"
    if load:
        settings.load_profile(name)
    return name


def seeds() -> st.SearchStrategy[int]:
    """Seeds for NumPy generators (shrink to 0)."""
    return st.integers(min_value=0, max_value=2**32 - 1)


def shapes(min_side: int = 1, max_side: int = 8) -> st.SearchStrategy[tuple[int, int]]:
    """(m, n) with sides in [min_side, max_side]."""
    side = st.integers(min_value=min_side, max_value=max_side)
    return st.tuples(side, side)


def widths(min_width: int = 1, max_width: int = 8) -> st.SearchStrategy[int]:
    """Factorization widths d (numbers of hidden units)."""
    return st.integers(min_value=min_width, max_value=max_width)


def dropout_rates(min_keep: float = 0.05, allow_one: bool = True) -> st.SearchStrategy[float]:
    """Keep probabilities theta in [min_keep, 1] (theta = 1 means no dropout)."""
    if not 0.0 < min_keep <= 1.0:
        raise ValueError(f"min_keep: expected a number in (0, 1], got {min_keep!r}")
    rates = st.floats(min_value=min_keep, max_value=1.0, exclude_max=not allow_one,
                      allow_nan=False)
    return st.one_of(st.just(1.0), rates) if allow_one else rates


def singular_values(k: int, max_condition: float = 100.0,
                    distinct: bool = False) -> st.SearchStrategy[np.ndarray]:
    """k decreasing positive values with largest 1 and condition number <= max_condition.

    With ``distinct=True`` consecutive values differ by at least a factor
    ``max_condition ** (1 / (4 k))``, so eigen-gaps are bounded away from 0.
    """
    if k < 1:
        raise ValueError(f"k: expected an integer >= 1, got {k!r}")
    if distinct:
        return st.floats(min_value=1.0, max_value=max_condition).map(
            lambda c: geometric_spectrum(k, max(c, max_condition ** 0.25)))
    ratios = st.lists(st.floats(min_value=1.0 / max_condition ** (1.0 / max(k - 1, 1)),
                                max_value=1.0), min_size=k - 1, max_size=k - 1)
    return ratios.map(lambda rs: np.cumprod([1.0, *rs]))


@st.composite
def matrices_with_singular_values(draw, m: int, n: int, values: np.ndarray) -> np.ndarray:
    """An m x n matrix A diag(values) B^T with Haar-random A, B."""
    rng = np.random.default_rng(draw(seeds()))
    return with_singular_values(m, n, values, rng)


@st.composite
def matrices(draw, min_side: int = 1, max_side: int = 8, max_condition: float = 100.0,
             rank: int | None = None, scale: float = 1.0) -> np.ndarray:
    """Matrices of random shape with a condition number at most ``max_condition``.

    ``rank`` fixes the rank (capped at min(m, n)); by default the rank is full.
    """
    m, n = draw(shapes(min_side, max_side))
    k = min(m, n) if rank is None else min(rank, m, n)
    values = draw(singular_values(k, max_condition)) * scale
    return draw(matrices_with_singular_values(m, n, values))


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


# -- exact, readable instances for falsification (theorems.claims, theorems.gallery) -----
#
# Small integer matrices and simple rational rates shrink to counterexamples a reader can
# check by hand (sizes 1 or 2, entries 0 and 1), where Haar-random factors would shrink
# only their seed.

SIMPLE_RATES = (1.0, 1 / 2, 1 / 3, 2 / 3, 1 / 4, 3 / 4, 1 / 5, 2 / 5, 3 / 5, 4 / 5, 1 / 10,
                9 / 10)


def simple_rates(allow_one: bool = True) -> st.SearchStrategy[float]:
    """Keep probabilities from simple fractions (1, 1/2, 1/3, 2/3, ...), simplest first."""
    return st.sampled_from(SIMPLE_RATES if allow_one else SIMPLE_RATES[1:])


@st.composite
def integer_matrices(draw, min_side: int = 1, max_side: int = 3, bound: int = 3,
                     rows: int | None = None, cols: int | None = None) -> np.ndarray:
    """A float array of small integers in [-bound, bound]; ``rows``/``cols`` fix the shape.

    Shrinks to the smallest shape, then to entries 0 and 1.
    """
    if bound < 1:
        raise ValueError(f"bound: expected an integer >= 1, got {bound!r}")
    m = rows if rows is not None else draw(st.integers(min_side, max_side))
    n = cols if cols is not None else draw(st.integers(min_side, max_side))
    entries = draw(st.lists(st.integers(-bound, bound), min_size=m * n, max_size=m * n))
    return np.array(entries, dtype=np.float64).reshape(m, n)


@st.composite
def integer_factor_pairs(draw, max_side: int = 3, max_width: int = 3,
                         bound: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """(U, V) with U m x d and V n x d, small integer entries (a factorization of U V^T)."""
    m, n = draw(shapes(1, max_side))
    d = draw(widths(1, max_width))
    return (draw(integer_matrices(rows=m, cols=d, bound=bound)),
            draw(integer_matrices(rows=n, cols=d, bound=bound)))


@st.composite
def integer_products(draw, max_side: int = 3, bound: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """(A, B) with A m x k and B k x n (a product A B is defined), small integer entries."""
    m, k, n = (draw(st.integers(1, max_side)) for _ in range(3))
    return (draw(integer_matrices(rows=m, cols=k, bound=bound)),
            draw(integer_matrices(rows=k, cols=n, bound=bound)))


__all__ += ["nuclear_problems", "simple_rates", "integer_matrices", "integer_factor_pairs",
            "integer_products"]
