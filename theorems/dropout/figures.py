"""Figures of the dropout family, drawn from the same seeded instances as the checks.

Each builder takes the context (and the claim where the figure shows a claimed value)
and returns a matplotlib figure made with :mod:`theorems.figures` primitives.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from numerics import dropout as nd
from numerics.descent import batched_descent
from numerics.instances import conditioned_matrix, random_factors
from theorems.core import Context
from theorems.dropout.common import lam

__all__ = ["mc_running_mean", "optimum_spectrum", "final_losses"]


def mc_running_mean(ctx: Context, claim: Any):
    """Running Monte Carlo mean of the dropout loss against the claimed closed form.

    ``claim`` has ``rescale`` (SymPy in theta) and ``claimed(X, U, V, theta)``.
    """
    from theorems.figures import running_mean_figure  # matplotlib only when drawing

    rng = ctx.rng("figure")
    Xm = conditioned_matrix(20, 20, rng)
    Um, Vm = random_factors(20, 20, 10, rng)
    theta = 0.5
    masks = nd.sample_masks(ctx.profile.samples, 10, theta, rng)
    losses = nd.mask_losses_fast(Xm, Um, Vm, theta, masks, scale=lam(claim.rescale)(theta))
    return running_mean_figure(losses, claim.claimed(Xm, Um, Vm, theta),
                               "X 20 x 20, d = 10, theta = 0.5")


def _figure_instance(ctx: Context) -> tuple[np.ndarray, float, int]:
    """A 20 x 15 instance of rank 12, theta = 0.5, d = 10 (rho = 7 < d: the width is free)."""
    rng = ctx.rng("figure instance")
    X = conditioned_matrix(20, 15, rng, condition=10.0, rank=12, top=3.0)
    return X, 0.5, 10


def optimum_spectrum(ctx: Context):
    """Singular values of X and of the closed-form optimum M* (the top rho shrink by tau)."""
    from theorems.figures import spectrum_figure

    X, theta, d = _figure_instance(ctx)
    g = nd.global_minimizer(X, theta, d)
    sigma = np.linalg.svd(X, compute_uv=False)
    optimum = np.linalg.svd(g.M, compute_uv=False)
    return spectrum_figure({"X": sigma, f"M* (rho = {g.rho}, tau = {g.tau:.3g})": optimum},
                           f"X 20 x 15, theta = {theta}, d = {d}: top rho values shrink by tau")


def final_losses(ctx: Context):
    """Final dropout objectives of batched descent from many starts, against the optimum."""
    from theorems.figures import histogram_figure

    X, theta, d = _figure_instance(ctx)
    g = nd.global_minimizer(X, theta, d)
    U0, V0 = nd.descent_starts(X, d, ctx.profile.starts, ctx.rng("figure starts"))
    res = batched_descent(nd.factorized_objective(X, g.lam), [U0, V0],
                          step=0.1 / np.linalg.norm(X, 2), iterations=2000, grad_tol=1e-10)
    values = nd.factorized_losses(X, *res.params, g.lam)
    return histogram_figure(values, g.value, f"{values.size} starts, X 20 x 15, d = {d}",
                            "final dropout objective", "closed-form value")
