"""Dropout family benchmarks: ratios measured in one process.

Run:  .venv/bin/python benchmarks/bench_dropout.py [--masks 1000000]

1. The general-size proof of dropout.matrix_factorization (seconds; target < 1 s).
2. Monte Carlo with 10^6 masks, X 20 x 20, d = 10: the sufficient-statistics
   estimator against the direct one that forms every residual matrix
   (ratio; target >= 20).
3. The standard profile of the dropout identity theorems (seconds; target < 60 s).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from _timing import best_of  # benchmarks/ is on sys.path when run as a script


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--masks", type=int, default=1_000_000)
    args = parser.parse_args()

    from numerics import dropout as nd
    from theorems.dropout.factorization import FactorizationClaim, mf_derivation

    # 1. general-size proof (a fresh derivation each time: nothing cached but SymPy's own)
    proof = best_of(lambda: mf_derivation(FactorizationClaim()).check())
    print(f"general-size proof of dropout.matrix_factorization: {proof:.3f} s (target < 1 s)")

    # 2. Monte Carlo estimators on the same masks
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 20))
    U, V = rng.standard_normal((20, 10)), rng.standard_normal((20, 10))
    masks = nd.sample_masks(args.masks, 10, 0.5, rng)
    fast = best_of(lambda: nd.mask_losses_fast(X, U, V, 0.5, masks))
    direct = best_of(lambda: nd.mask_losses_direct(X, U, V, 0.5, masks))
    a = nd.mask_losses_fast(X, U, V, 0.5, masks[:5000])  # > 2^10 masks: the tabulated path
    b = nd.mask_losses_direct(X, U, V, 0.5, masks[:5000])
    agree = float(np.max(np.abs(a - b)) / np.max(np.abs(b)))
    print(f"Monte Carlo, {args.masks} masks, 20x20, d=10: direct {direct:.2f} s, "
          f"fast {fast:.3f} s, ratio {direct / fast:.1f}x (target >= 20x); "
          f"max relative difference {agree:.1e}")

    # 3. the family in the standard profile
    import theorems

    ids = ["dropout.matrix_factorization", "dropout.doubling", "dropout.linear_regression",
           "dropout.linear_network"]
    start = time.perf_counter()
    verdicts = theorems.verify(ids, seed=0, profile="standard")
    total = time.perf_counter() - start
    statuses = ", ".join(f"{v.theorem}={v.status.value}" for v in verdicts)
    print(f"standard profile, dropout identity theorems: {total:.1f} s (target < 60 s): "
          f"{statuses}")


if __name__ == "__main__":
    main()
