"""The closed-form ReLU kernel matrix against Monte Carlo over random layers (issue 16).

Run:  .venv/bin/python benchmarks/bench_random_relu.py [--inputs 1000] [--dim 100]

1,000 inputs in dimension 100: the closed form `numerics.random_relu.relu_kernel` against
`mc_relu_gram` (BLAS Gram products of relu(W X^T)) with enough Gaussian rows that 99% of
the entries have a standard error below 1% of the closed form. The sample count comes
from a pilot run (the relative standard error falls like 1/sqrt(S)); the timed Monte
Carlo run then checks that it reached the target. Both run in this process.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from numerics.random_relu import mc_relu_gram, relu_kernel


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--inputs", type=int, default=1000)
    parser.add_argument("--dim", type=int, default=100)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    X = rng.standard_normal((args.inputs, args.dim))

    t0 = time.perf_counter()
    K = relu_kernel(X)
    closed = time.perf_counter() - t0

    pilot = 2_000
    _, se = mc_relu_gram(X, pilot, np.random.default_rng(1))
    rel = np.quantile(se / np.abs(K), 0.99)
    samples = int(np.ceil(pilot * (rel / 0.01) ** 2))
    t0 = time.perf_counter()
    mean, se = mc_relu_gram(X, samples, np.random.default_rng(2))
    mc = time.perf_counter() - t0
    reached = float(np.quantile(se / np.abs(K), 0.99))
    err = float(np.quantile(np.abs(mean - K) / np.abs(K), 0.99))
    print(f"closed form {args.inputs} x {args.inputs} kernel: {closed * 1e3:.1f} ms")
    print(f"Monte Carlo: {samples} Gaussian rows, {mc:.2f} s; 99% of entries with relative "
          f"SE <= {reached:.4f} (target 0.01), relative error {err:.4f}")
    print(f"ratio Monte Carlo / closed form: {mc / closed:.0f}x (target 1000x)")


if __name__ == "__main__":
    main()
