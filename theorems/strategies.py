"""Public Hypothesis strategies for the objects of deep-learning theory.

Matrices are built from chosen singular values and Haar-random orthogonal
factors (drawn from a seed that Hypothesis chooses), never from raw float
arrays, so every generated instance has a known, controlled conditioning and
shrinks towards small, simple cases.

The generic matrix strategies are defined here.  A family's own strategies
(keep probabilities and dropout problems, factorization problems, ...) live in
``theorems.<family>.strategies`` and are re-exported here on first use, over
:data:`theorems.families.FAMILIES`: ``strategies.factor_pairs`` is
``theorems.factorization.strategies.factor_pairs``, and adding a family never
edits this file.  ``__all__`` lists both.

Examples
--------
>>> from hypothesis import given
>>> from theorems import strategies as st_dl
>>> @given(st_dl.matrices(max_side=4))
... def test_shape(M):
...     assert M.ndim == 2
>>> test_shape()
>>> st_dl.dropout_rates.__module__
'theorems.dropout.strategies'
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from types import ModuleType
from typing import Any

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from numerics.instances import geometric_spectrum, with_singular_values
from theorems.families import FAMILIES

# the strategies defined here; every family's public strategies are added on first use
_GENERIC = (
    "register_profiles",
    "seeds",
    "shapes",
    "widths",
    "singular_values",
    "matrices",
    "matrices_with_singular_values",
    "integer_matrices",
    "integer_factor_pairs",
    "integer_products",
)


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


# -- exact, readable instances for falsification (theorems.claims, theorems.gallery) -----
#
# Small integer matrices shrink to counterexamples a reader can check by hand (sizes 1
# or 2, entries 0 and 1), where Haar-random factors would shrink only their seed.


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


# -- the families' strategies, re-exported on first use ---------------------------------

_family_exports: dict[str, ModuleType] | None = None


def _exports() -> dict[str, ModuleType]:
    """{name: module} over every ``theorems.<family>.strategies.__all__`` (imported once)."""
    global _family_exports
    if _family_exports is None:
        found: dict[str, ModuleType] = {}
        for family in FAMILIES:
            name = f"theorems.{family}.strategies"
            if importlib.util.find_spec(name) is None:
                continue
            module = importlib.import_module(name)
            for public in module.__all__:
                if public in _GENERIC or public in found:
                    raise RuntimeError(f"{name}.{public}: the strategy name is already taken")
                found[public] = module
        _family_exports = found
    return _family_exports


def __getattr__(name: str) -> Any:
    """``__all__`` and the families' strategies, imported on first use (PEP 562)."""
    if name == "__all__":
        return [*_GENERIC, *_exports()]
    if not name.startswith("_"):
        module = _exports().get(name)
        if module is not None:
            return getattr(module, name)
    raise AttributeError(f"module 'theorems.strategies' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_GENERIC, *_exports()})
