"""Figures of the generalization family (the margin figure lives beside its instances, in
:mod:`theorems.generalization.margin`)."""

from __future__ import annotations

import numpy as np

from numerics import generalization as ng
from theorems.core import Context
from theorems.figures import new_figure

__all__ = ["rademacher_ratio_figure"]


def rademacher_ratio_figure(ctx: Context):
    """R_S/T for random samples of each size m, against the constants 1/sqrt2 and 1."""
    rng = ctx.rng("figure: rademacher")
    fig, ax = new_figure()
    sizes = np.arange(1, 15)
    for mm in sizes:
        ratios = []
        for _ in range(8):
            X = rng.standard_normal((mm, 3)) * rng.uniform(0.5, 2.0, size=(mm, 1))
            ratios.append(ng.rademacher_linear(X) / ng.frobenius_term(X))
        ax.scatter(np.full(len(ratios), mm), ratios, s=12, color="tab:blue")
    ax.scatter([2], [2 ** -0.5], marker="*", s=120, color="tab:red", label="m = 2, x_1 = x_2")
    ax.axhline(1.0, color="black", ls="--", lw=1, label="upper constant 1")
    ax.axhline(2 ** -0.5, color="tab:red", ls="--", lw=1, label="lower constant 1/sqrt2")
    ax.set_xlabel("sample size m")
    ax.set_ylabel("R_S / ((B/m) sqrt(sum ||x_i||^2))")
    ax.set_title("Exact Rademacher complexity of the l2 ball, Gaussian samples in R^3")
    ax.legend(loc="lower right")
    return fig
