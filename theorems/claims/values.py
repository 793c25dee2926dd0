"""Showing instances and values as plain JSON (exact rationals as strings, arrays as lists)."""

from __future__ import annotations

import fractions
import numbers
from typing import Any

import numpy as np
import sympy

from theorems.core import jsonable

__all__ = ["jsonable_value", "shape_of", "nested", "short", "plain"]


def jsonable_value(value: Any) -> Any:
    """Plain JSON for an instance value: exact rationals as strings, arrays as lists."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, sympy.Integer | numbers.Integral):
        return int(value)
    if isinstance(value, sympy.Rational | fractions.Fraction):
        return str(value)
    if isinstance(value, sympy.MatrixBase):
        return [[jsonable_value(v) for v in row] for row in value.tolist()]
    if isinstance(value, sympy.Basic):
        return str(value)
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            return [jsonable_value(v) for v in value.tolist()]
        return jsonable(value)
    if isinstance(value, dict):
        return {str(k): jsonable_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable_value(v) for v in value]
    return jsonable(value)


def shape_of(value: Any) -> Any:
    """Shapes of the arrays in a drawn value (recursing into tuples), None if it holds none."""
    if isinstance(value, np.ndarray | sympy.MatrixBase):
        return [int(s) for s in value.shape]
    if isinstance(value, list | tuple):
        shapes = [shape_of(v) for v in value]
        return shapes if any(s is not None for s in shapes) else None
    return None


def nested(table: dict[tuple[int, ...], int]) -> tuple[Any, list[int]]:
    """Entries {(i, j): v} as nested lists (from the smallest index), and their shape."""
    dims = len(next(iter(table)))
    lows = [min(k[a] for k in table) for a in range(dims)]
    lows = [1 if lo >= 1 else 0 for lo in lows]
    shape = [max(k[a] for k in table) - lows[a] + 1 for a in range(dims)]

    def build(prefix: tuple[int, ...], axis: int):
        if axis == dims:
            return table.get(prefix)
        return [build(prefix + (lows[axis] + t,), axis + 1) for t in range(shape[axis])]

    return build((), 0), shape


def plain(arr: np.ndarray) -> Any:
    """A float64 side as a float (a scalar) or nested lists (an array)."""
    return float(arr) if arr.shape == () else arr.tolist()


def short(text: str, limit: int = 160) -> str:
    """``text`` cut to ``limit`` characters (with "...")."""
    return text if len(text) <= limit else text[: limit - 3] + "..."

