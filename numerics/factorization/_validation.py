"""Input checks shared by the factorization kernels (ValueError naming the argument)."""

from __future__ import annotations

import numbers

import numpy as np

from numerics.validation import as_factors

__all__ = ["check_lam", "factors"]


def check_lam(lam: object) -> float:
    """A positive finite regularization weight."""
    if isinstance(lam, bool) or not isinstance(lam, numbers.Real) or not np.isfinite(lam) \
            or not lam > 0:
        raise ValueError(f"lam: expected a positive finite number, got {lam!r}")
    return float(lam)


def factors(Y: object, U: object, V: object) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Y (m x n) with factors U (m x r), V (n x r), checked together."""
    return as_factors(Y, U, V, name="Y")
