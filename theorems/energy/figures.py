"""Figures of the energy family (drawn with theorems.figures primitives).

Convention: gamma is the coupling; E(x; gamma) = -F(x; gamma) is the minimized energy.
"""

from __future__ import annotations

import numpy as np

from numerics import energy as ne
from theorems.core import Context
from theorems.figures import new_figure

__all__ = ["curvature_map_figure", "double_well_figure"]


def curvature_map_figure(ctx: Context):
    """a -> a gamma/(a + gamma) against the identity: flattened for a > 0, amplified for
    a in (-gamma, 0)."""
    fig, ax = new_figure()
    gamma = 2.0
    a = np.linspace(-0.8 * gamma, 4 * gamma, 400)
    ax.plot(a, a * gamma / (a + gamma), label="hess E = a gamma/(a + gamma)")
    ax.plot(a, a, "--", label="hess f = a")
    ax.axhline(gamma, color="gray", lw=0.8, label="cap gamma")
    ax.set_xlabel("curvature a of f")
    ax.set_ylabel("curvature of E")
    ax.set_title(f"quadratic f, gamma = {gamma} (coupling)")
    ax.legend()
    return fig


def double_well_figure(ctx: Context):
    """The double well f and E(.; gamma) for a few couplings (E shifted to min 0)."""
    fig, ax = new_figure()
    loss = ne.LOSSES["double well"]
    x = np.linspace(-1.8, 1.8, 181)
    ax.plot(x, loss.f(x), "k", label="f")
    for gamma in (1.0, 3.0, 10.0):
        E = ne.local_entropy_1d(loss.f, x, gamma).value
        ax.plot(x, E - E.min(), label=f"E(x; {gamma:g}) - min")
    ax.set_ylim(-0.5, 6)
    ax.set_xlabel("x")
    ax.set_title(loss.name)
    ax.legend()
    return fig
