"""Figures of the linear-network theorems, drawn from seeded instances (theorems.figures)."""

from __future__ import annotations

import numpy as np

from numerics import linear as nl
from numerics.descent import batched_descent
from theorems.core import Context
from theorems.figures import class_minimum_figure, histogram_figure
from theorems.linear.common import EIG_RTOL, GRAD_STOP

__all__ = ["classes_figure", "final_losses_figure"]


def classes_figure(ctx: Context):
    """Minimum Hessian eigenvalue per class J, d_x = 6, d_y = 5, p = 2 (16 classes)."""
    X, Y = nl.regression_instance(6, 5, 40, ctx.rng("classes figure"))
    cp = nl.critical_points(X, Y, 2)
    spec = nl.hessian_spectra(nl.two_layer_hessian(cp.A, cp.B, X, Y), EIG_RTOL)
    labels = ["{" + ",".join(str(j + 1) for j in J) + "}" + (" (top-p)" if g else "")
              for J, g in zip(cp.index_sets, cp.is_global, strict=True)]
    return class_minimum_figure(labels, spec.min_eigenvalue,
                                "index set J of the critical point (d_y = 5, p = 2)")


def final_losses_figure(ctx: Context):
    """Histogram of end losses of batched descent, widths [3, 3], against (1/2) RRR_p."""
    rng = ctx.rng("final losses figure")
    X, Y = nl.regression_instance(5, 4, 30, rng)
    cov = nl.covariances(X, Y)
    ws = nl.random_weights([3, 3], 5, 4, ctx.profile.starts, rng, init="orthogonal")
    res = batched_descent(nl.squared_objective(X, Y), ws, step=0.1, iterations=5000,
                          grad_tol=GRAD_STOP * np.linalg.norm(cov.syx))
    _, value = nl.reduced_rank_regression(X, Y, 3)
    return histogram_figure(res.losses, 0.5 * value,
                            f"{res.losses.size} starts, widths 5-3-3-4, p = 3",
                            "final loss", "(1/2) reduced-rank regression value")
