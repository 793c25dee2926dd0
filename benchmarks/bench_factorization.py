"""Factorization family benchmarks: ratios measured in one process.

Run:  .venv/bin/python benchmarks/bench_factorization.py

1. ``certify`` on a 500 x 500 problem with a width-50 factorization against one
   full ``np.linalg.svd`` of Y (ratio; target <= 2): certify computes only the
   top singular value of the gradient (Lanczos) and certifies it with one
   Cholesky factorization, instead of a full SVD.  Two factorizations: the
   global optimum (the top singular value of the gradient equals lam with
   multiplicity rank(M*), the hard case for Lanczos) and a perturbed one.
2. The table of the issue: on one 12 x 10 instance, descent at every width r,
   then the certificate (outcome, ||grad||_2 against lam and sigma_(r+1)(Y),
   certified gap bound, true gap).
3. The standard profile of the family's theorems (seconds; target < 60 s).
"""

from __future__ import annotations

import time

import numpy as np
from _timing import best_of  # benchmarks/ is on sys.path when run as a script


def speed() -> None:
    from numerics import factorization as nf
    from numerics.instances import geometric_spectrum, with_singular_values

    rng = np.random.default_rng(0)
    n, width, lam = 500, 50, 1.0
    # signal of rank 30 well above lam, noise below it: rank(M*) = 30 <= width
    values = np.concatenate([geometric_spectrum(30, 5.0, 20.0),
                             geometric_spectrum(n - 30, 4.0, 0.8)])
    Y = with_singular_values(n, n, values, rng)
    U, V = nf.balanced_factors(nf.soft_threshold(Y, lam), width=width)
    Up = U + 1e-3 * rng.standard_normal(U.shape)
    svd = best_of(lambda: np.linalg.svd(Y), repeat=5)
    print(f"np.linalg.svd of Y ({n}x{n}): {svd * 1e3:.1f} ms")
    for label, (Uf, Vf) in [("global optimum", (U, V)), ("perturbed", (Up, V))]:
        cert = nf.certify(Y, Uf, Vf, lam)
        t = best_of(lambda Uf=Uf, Vf=Vf: nf.certify(Y, Uf, Vf, lam), repeat=5)
        print(f"certify, width {width}, {label}: {t * 1e3:.1f} ms, ratio to one SVD "
              f"{t / svd:.2f} (target <= 2); optimal={cert.optimal}, "
              f"||grad||_2 in [{cert.spectral_norm:.9f}, {cert.spectral_upper:.9f}], "
              f"gap bound {cert.gap_bound:.3g}")
    G = U @ V.T - Y
    dense = best_of(lambda: np.linalg.norm(G, 2), repeat=5)
    bounds = best_of(lambda: nf.spectral_norm_bounds(G), repeat=5)
    print(f"spectral norm of the gradient: certified bounds {bounds * 1e3:.1f} ms, "
          f"dense np.linalg.norm(G, 2) {dense * 1e3:.1f} ms")


def table() -> None:
    from numerics import factorization as nf
    from numerics.factorization import descend
    from numerics.instances import with_singular_values

    rng = np.random.default_rng(5)
    lam = 1.0
    s = np.array([5.0, 4.0, 3.2, 2.5, 0.6, 0.5, 0.4, 0.3, 0.25, 0.2])
    Y = with_singular_values(12, 10, s, rng)
    optimum = nf.soft_threshold_value(Y, lam)
    print(f"\nY 12x10, sigma = {s.tolist()}, lam = {lam}: rank(M*) = 4, "
          f"optimum {optimum:.6f}")
    print("| r | certified optimal | ||grad||_2 | sigma_(r+1)(Y) | gap bound | true gap |")
    print("|---|---|---|---|---|---|")
    for width in range(1, 7):
        Ub, Vb = descend(Y, lam, width, 4, rng)
        certs = [nf.certify(Y, U, V, lam) for U, V in zip(Ub, Vb, strict=True)]
        cert = max(certs, key=lambda c: c.objective)  # the worst of 4 starts
        nxt = f"{s[width]:.4f}" if width < s.size else "-"
        print(f"| {width} | {cert.optimal} | {cert.spectral_norm:.6f} | {nxt} | "
              f"{cert.gap_bound:.3e} | {cert.objective - optimum:.3e} |")


def profile() -> None:
    import theorems

    ids = ["factorization.nuclear_variational", "factorization.certificate",
           "factorization.zero_column"]
    start = time.perf_counter()
    verdicts = theorems.verify(ids, seed=0, profile="standard")
    total = time.perf_counter() - start
    print("\n" + ", ".join(f"{v.theorem}: {v.status.value} ({v.seconds:.1f} s)"
                           for v in verdicts))
    print(f"standard profile, factorization family: {total:.1f} s (target < 60 s)")


if __name__ == "__main__":
    speed()
    table()
    profile()
