"""Benchmark (issue 17): the closed-form local entropy of a 50-dimensional quadratic,
value and gradient, against a Langevin estimate of the gradient at 1% relative accuracy.

Convention: gamma is the coupling; grad E = gamma (x - <y>).

Run:  .venv/bin/python benchmarks/bench_energy.py

It is not a test (no timed tests); the note records a measured ratio.
"""

from __future__ import annotations

import time

import numpy as np

from numerics import energy as ne
from numerics.instances import haar_orthogonal

__all__ = ["run"]


def run(n: int = 50, gamma: float = 2.0, seed: int = 0, accuracy: float = 0.01,
        batch: int = 500) -> dict:
    """Wall times of the closed form and of Langevin chains (added in batches until the
    gradient's relative error is below ``accuracy``), and their ratio."""
    rng = np.random.default_rng(seed)
    eig = rng.uniform(-0.5 * gamma, 3.0, n)
    Q = haar_orthogonal(n, rng)
    A = (Q * eig) @ Q.T
    A = 0.5 * (A + A.T)
    b = rng.uniform(-1, 1, n)
    x = rng.uniform(-2, 2, n)
    start = time.perf_counter()
    reps = 200
    for _ in range(reps):
        _, grad = ne.quadratic_local_entropy(A, b, x, gamma)
    closed = (time.perf_counter() - start) / reps
    mu = np.linalg.eigvalsh(A) + gamma
    step = 0.5 / mu[-1]
    steps = int(np.ceil(np.log(1e-10) / np.log1p(-step * mu[0])))
    start = time.perf_counter()
    total, sums, chains = 0, np.zeros(n), 0
    while True:
        mean, _ = ne.langevin_mean(lambda Y: Y @ A + b, x, gamma, step=step, steps=steps,
                                   chains=batch, rng=rng)
        sums += mean * batch
        chains += batch
        estimate = gamma * (x - sums / chains)
        error = float(np.linalg.norm(estimate - grad) / np.linalg.norm(grad))
        total += 1
        if error < accuracy or chains >= 200_000:
            break
    langevin = time.perf_counter() - start
    return {"n": n, "gamma": gamma, "closed_form_seconds": closed,
            "langevin_seconds": langevin, "chains": chains, "steps": steps,
            "relative_error": error, "ratio": langevin / closed}


if __name__ == "__main__":
    print(run())
