"""Figures of the random_relu family, drawn from the same seeded draws as the checks."""

from __future__ import annotations

import numpy as np

from numerics import random_relu as nr
from numerics.instances import haar_orthogonal
from theorems.core import Context

__all__ = ["kernel_figure", "angle_figure"]


def kernel_figure(ctx: Context, claim):
    """The claimed ReLU kernel over the angle, with Monte Carlo estimates +- 2 s.e."""
    from theorems.figures import new_figure

    rng = ctx.rng("kernel-figure")
    q = haar_orthogonal(5, rng)
    grid = np.linspace(0.0, np.pi, 13)
    xs = np.tile(1.5 * q[:, 0], (grid.size, 1))
    ys = 0.8 * (np.cos(grid)[:, None] * q[:, 0] + np.sin(grid)[:, None] * q[:, 1])
    mean, se = nr.mc_ab_kernel(xs, ys, 0.0, 1.0, ctx.profile.samples, rng)
    fine = np.linspace(0.0, np.pi, 200)
    fx = np.tile(1.5 * q[:, 0], (fine.size, 1))
    fy = 0.8 * (np.cos(fine)[:, None] * q[:, 0] + np.sin(fine)[:, None] * q[:, 1])
    fig, ax = new_figure()
    ax.plot(fine, claim.value(fx, fy, 0.0, 1.0), label="claimed closed form")
    ax.errorbar(grid, mean, yerr=2 * se, fmt="o", ms=3, label="Monte Carlo +- 2 s.e.")
    ax.set_xlabel("angle theta")
    ax.set_ylabel("E[relu(w.x) relu(w.y)]")
    ax.set_title(f"|x| = 1.5, |y| = 0.8, n = 5, {ctx.profile.samples} draws")
    ax.legend(loc="best")
    return fig


def angle_figure(ctx: Context, depths, values):
    """l * theta_l against l (log scale), with the limit 3 pi."""
    from theorems.figures import new_figure

    fig, ax = new_figure()
    ax.plot(depths, np.asarray(depths) * np.asarray(values, dtype=float), "o-", ms=3,
            label="l theta_l (mpmath)")
    ax.axhline(3 * np.pi, color="black", ls="--", lw=1, label="3 pi")
    ax.set_xscale("log")
    ax.set_xlabel("depth l")
    ax.set_ylabel("l theta_l")
    ax.set_title("ReLU angle map from theta_0 = pi/2: algebraic contraction")
    ax.legend(loc="best")
    return fig
