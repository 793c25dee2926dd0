"""Input checks at the public boundary: every failure is a ValueError naming the argument."""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["as_matrix", "as_vector", "as_factors", "check_theta", "check_positive_int",
           "check_same_rows"]


def as_matrix(name: str, value: object, *, rows: int | None = None,
              cols: int | None = None) -> np.ndarray:
    """``value`` as a finite 2-D float64 array, with optional expected shape."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected a 2-D array of real numbers") from None
    if arr.ndim != 2:
        raise ValueError(f"{name}: expected a 2-D array, got {arr.ndim} dimension(s)")
    if arr.size == 0:
        raise ValueError(f"{name}: expected a non-empty array, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}: expected finite entries, found NaN or infinity")
    if rows is not None and arr.shape[0] != rows:
        raise ValueError(f"{name}: expected {rows} rows, got shape {arr.shape}")
    if cols is not None and arr.shape[1] != cols:
        raise ValueError(f"{name}: expected {cols} columns, got shape {arr.shape}")
    return arr


def as_vector(name: str, value: object, *, size: int | None = None) -> np.ndarray:
    """``value`` as a finite 1-D float64 array."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected a 1-D array of real numbers") from None
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name}: expected a non-empty 1-D array, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}: expected finite entries, found NaN or infinity")
    if size is not None and arr.size != size:
        raise ValueError(f"{name}: expected {size} entries, got {arr.size}")
    return arr


def check_theta(theta: object, name: str = "theta") -> float:
    """A keep probability in (0, 1]."""
    if isinstance(theta, bool) or not isinstance(theta, numbers.Real):
        raise ValueError(f"{name}: expected a real number in (0, 1], got {theta!r}")
    value = float(theta)
    if not (0.0 < value <= 1.0):
        raise ValueError(f"{name}: expected a keep probability in (0, 1], got {theta!r}")
    return value


def check_positive_int(value: object, name: str) -> int:
    """An integer >= 1 (bools are refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name}: expected an integer >= 1, got {value!r}")
    return int(value)


def check_same_rows(name_a: str, a: np.ndarray, name_b: str, b: np.ndarray,
                    axis_a: int = 0, axis_b: int = 0) -> None:
    """Raise when two arrays disagree on a shared dimension."""
    if a.shape[axis_a] != b.shape[axis_b]:
        raise ValueError(
            f"{name_a} and {name_b}: mismatched shapes {a.shape} and {b.shape}"
            f" (axis {axis_a} of {name_a} must equal axis {axis_b} of {name_b})"
        )


def as_factors(X: object, U: object, V: object, name: str = "X"
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A target m x n with factors U (m x d) and V (n x d), checked together."""
    X = as_matrix(name, X)
    U = as_matrix("U", U, rows=X.shape[0])
    V = as_matrix("V", V, rows=X.shape[1])
    check_same_rows("U", U, "V", V, axis_a=1, axis_b=1)
    return X, U, V
