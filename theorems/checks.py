"""Small helpers that turn per-instance measurements into :class:`Evidence`.

Every numeric check of the library measures one discrepancy per instance and
holds the worst one to a tolerance stated beside the check; these helpers do
the bookkeeping (worst instance, counterexample, instance count) in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from theorems.core import Context, Evidence

__all__ = ["relative_error", "worst_case", "random_shapes"]


def relative_error(measured: float, expected: float, floor: float = 1.0) -> float:
    """|measured - expected| / max(|expected|, floor): relative, guarded near zero."""
    return float(abs(measured - expected) / max(abs(expected), floor))


def worst_case(
    kind: str,
    name: str,
    rows: Sequence[tuple[float, dict[str, Any]]],
    tolerance: float,
    ctx: Context,
    details: dict[str, Any] | None = None,
) -> Evidence:
    """Evidence from ``(measured, instance)`` rows: passes when every measured <= tolerance.

    The worst row is reported as ``measured``; when it exceeds the tolerance
    its instance becomes the counterexample (with the seed that reproduces it).
    A NaN measurement fails the check.
    """
    if not rows:
        return Evidence(kind, name, None, details={"error": "no instances were measured"})
    values = np.array([r[0] for r in rows], dtype=float)
    worst = int(np.argmax(np.where(np.isnan(values), np.inf, values)))
    passed = bool(np.all(values <= tolerance))
    counterexample = None
    if not passed:
        counterexample = {"seed": ctx.seed, "profile": ctx.profile.name, "instance": worst,
                          "measured": float(values[worst]), **rows[worst][1]}
    return Evidence(
        kind=kind,
        name=name,
        passed=passed,
        measured=float(values[worst]),
        tolerance=tolerance,
        instances=len(rows),
        details=dict(details or {}),
        counterexample=counterexample,
    )


def random_shapes(rng: np.random.Generator, count: int, max_m: int = 8, max_n: int = 8,
                  max_d: int = 6) -> list[tuple[int, int, int]]:
    """``count`` shapes (m, n, d), always including a degenerate one (1 x 1, d = 1) first."""
    shapes = [(1, 1, 1)]
    while len(shapes) < count:
        shapes.append((int(rng.integers(1, max_m + 1)), int(rng.integers(1, max_n + 1)),
                       int(rng.integers(1, max_d + 1))))
    return shapes[:count]
