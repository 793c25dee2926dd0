"""Seeded instances (X, theta, d) for the global-optimum checks (MATH 4).

Every instance is well conditioned by construction (numerics.instances); the
convex and landscape regimes are drawn to exercise both a free and a binding width.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from numerics import dropout as nd
from numerics.instances import conditioned_matrix
from numerics.linalg import rank_cut_svd
from theorems.core import Context
from theorems.dropout.spectral import STRICT_GAP

__all__ = ["random_instance", "shape_info", "convex_instances", "landscape_instances"]


def random_instance(rng: np.random.Generator, max_side: int = 8) -> tuple[np.ndarray, float, int]:
    """(X, theta, d): random shape, sometimes rank-deficient, theta = 1 one time in ten."""
    mm, nn = int(rng.integers(1, max_side + 1)), int(rng.integers(1, max_side + 1))
    rank = int(rng.integers(1, min(mm, nn) + 1))
    X = conditioned_matrix(mm, nn, rng, condition=float(rng.choice([3.0, 10.0, 30.0])),
                           rank=rank, top=float(rng.uniform(0.5, 3.0)))
    theta = float(rng.choice([1.0, rng.uniform(0.15, 0.95)], p=[0.1, 0.9]))
    d = int(rng.integers(1, min(mm, nn) + 3))
    return X, theta, d


def shape_info(X: np.ndarray, theta: float, d: int) -> dict[str, Any]:
    return {"m": X.shape[0], "n": X.shape[1], "d": d, "theta": theta}


def convex_instances(ctx: Context, claim: Any, binding: bool) -> list[tuple]:
    """Regime A (uncapped rho <= d) or B (the width binds, closed-form gap >= STRICT_GAP).

    ``claim.kappa(lam, d)`` is the claimed weight of ||M||_*^2 (the regimes are those of
    the claim, so a claim that ignores the width meets binding instances).
    """
    rng = ctx.rng("convex-binding" if binding else "convex-free")
    out = []
    for _ in range(400):
        if len(out) == max(2, ctx.profile.instances // 4):
            break
        mm, nn = int(rng.integers(4, 9)), int(rng.integers(4, 9))
        cond = 3.0 if binding else 10.0
        X = conditioned_matrix(mm, nn, rng, condition=cond, top=float(rng.uniform(0.5, 3)))
        theta = float(rng.uniform(0.7, 0.9) if binding else rng.uniform(0.3, 0.7))
        lam = (1 - theta) / theta
        sig = rank_cut_svd(X)[1]
        free = [dd for dd in range(1, min(mm, nn) + 1)
                if nd.dropout_threshold(sig, claim.kappa(lam, dd))[0] <= dd]
        if binding:
            cands = [dd for dd in range(1, min(mm, nn) - 1) if dd not in free]
            if not cands:
                continue
            dd = int(rng.choice(cands))
            kp = claim.kappa(lam, dd)
            capped_v = nd.threshold_value(sig, kp, *nd.dropout_threshold(sig, kp, dd))
            free_v = nd.threshold_value(sig, kp, *nd.dropout_threshold(sig, kp))
            if (capped_v - free_v) / capped_v < STRICT_GAP:
                continue
        else:
            if not free:
                continue
            dd = min(free) + int(rng.integers(0, 2))
            dd = min(dd, min(mm, nn))
        out.append((X, theta, dd))
    return out


def landscape_instances(ctx: Context, claim: Any) -> list[tuple]:
    """(X, theta, d, binds): the first with a binding width, the second free, then either."""
    rng = ctx.rng("landscape")
    count = {"quick": 2, "standard": 3}.get(ctx.profile.name, 6)
    out = []
    while len(out) < count:
        mm, nn = int(rng.integers(5, 9)), int(rng.integers(5, 9))
        X = conditioned_matrix(mm, nn, rng, condition=float(rng.uniform(3.0, 10.0)))
        theta = float(rng.uniform(0.25, 0.95))
        dd = int(rng.integers(2, 6))
        lam = (1 - theta) / theta
        binds = nd.dropout_threshold(rank_cut_svd(X)[1], claim.kappa(lam, dd))[0] > dd
        if (len(out) == 0 and not binds) or (len(out) == 1 and binds):
            continue
        out.append((X, theta, dd, binds))
    return out
