"""Benchmarks of dropout.induced_regularizer and dropout.global_optimum: ratios in one process.

Run:  .venv/bin/python benchmarks/bench_dropout_optimum.py [--runs 1000] [--iterations 100]

1. Closed-form global minimizer against CVXPY + SCS on a 40 x 40 problem
   (ratio; target >= 1000x, values within 1e-6 relative).
2. Batched gradient descent on the factorized dropout objective, 1000
   initializations of a 20 x 20 problem with d = 10, float64:
   - against a Python loop over initializations running the same code one run
     at a time (throughput ratio; target >= 3x);
   - against the same batched algorithm written with PyTorch on the CPU
     (throughput ratio; target >= 1x; skipped with a message without torch);
   - the fraction of this machine's matrix-multiply peak the batched code
     reaches, the peak measured with a large np.matmul in this run.
3. The standard profile of both theorems (seconds; target < 60 s) and the
   landscape table (runs, fraction at the global value).

Timings are the best of a few repeats (other processes share the machine).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from _timing import best_of  # benchmarks/ is on sys.path when run as a script


def matmul_peak(size: int = 2048) -> float:
    """FLOP/s of a large float64 np.matmul (the machine's practical peak)."""
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((size, size)), rng.standard_normal((size, size))
    return 2.0 * size**3 / best_of(lambda: a @ b, repeat=3)


def objective_flops(m: int, n: int, d: int) -> int:
    """Multiply-adds x 2 of one evaluation of numerics.dropout.factorized_objective, per run:
    X V, X^T U (2 m n d each), U^T U, V^T V, U G_V, V G_U (2 m d^2 or 2 n d^2 each)."""
    return 4 * m * n * d + 4 * (m + n) * d * d


def torch_batched_descent(torch, X, U0, V0, lam, step, iterations, grad_tol=0.0,
                          min_step=1e-12):
    """numerics.descent.batched_descent with numerics.dropout.factorized_objective, in PyTorch:
    the same formulas, the same per-run step control (accept and grow by 1.05, or halve)."""
    Xt = torch.from_numpy(X)
    XT = Xt.T.contiguous()
    U, V = torch.from_numpy(U0.copy()), torch.from_numpy(V0.copy())
    xx = float((Xt * Xt).sum())

    def objective(U, V):
        P, R = Xt @ V, XT @ U
        gu, gv = U.transpose(1, 2) @ U, V.transpose(1, 2) @ V
        du, dv = torch.diagonal(gu, dim1=1, dim2=2), torch.diagonal(gv, dim1=1, dim2=2)
        losses = (xx - 2.0 * (U * P).sum((1, 2)) + (gu * gv).sum((1, 2))
                  + lam * (du * dv).sum(1))
        grad_u = 2.0 * (U @ gv - P + (lam * dv)[:, None, :] * U)
        grad_v = 2.0 * (V @ gu - R + (lam * du)[:, None, :] * V)
        return losses, grad_u, grad_v

    batch = U.shape[0]
    steps = torch.full((batch,), float(step), dtype=torch.float64)
    losses, gu, gv = objective(U, V)
    done = torch.zeros(batch, dtype=torch.bool)
    for _ in range(iterations):
        gnorm = torch.sqrt((gu * gu).sum((1, 2)) + (gv * gv).sum((1, 2)))
        done |= (gnorm < grad_tol) | (steps < min_step)
        if bool(done.all()):
            break
        move = (steps * (~done)).view(batch, 1, 1)
        tu, tv = U - move * gu, V - move * gv
        new_losses, ngu, ngv = objective(tu, tv)
        accept = (new_losses <= losses) & ~done
        keep = accept.view(batch, 1, 1)
        U, V = torch.where(keep, tu, U), torch.where(keep, tv, V)
        gu, gv = torch.where(keep, ngu, gu), torch.where(keep, ngv, gv)
        losses = torch.where(accept, new_losses, losses)
        steps = torch.where(accept, steps * 1.05, torch.where(done, steps, steps * 0.5))
    return losses.numpy()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--loop-runs", type=int, default=100,
                        help="initializations timed in the Python loop (throughput is per run)")
    args = parser.parse_args()

    from numerics import dropout as nd
    from numerics.descent import batched_descent
    from numerics.instances import conditioned_matrix

    rng = np.random.default_rng(0)

    # 1. closed form against CVXPY + SCS, 40 x 40 (d = 40: the width cannot bind)
    X = conditioned_matrix(40, 40, rng, condition=10.0)
    theta, d = 0.5, 40
    closed = nd.global_minimizer(X, theta, d)
    value = nd.optimal_value(X, theta, d)
    t_value = best_of(lambda: [nd.optimal_value(X, theta, d) for _ in range(200)]) / 200
    t_closed = best_of(lambda: [nd.global_minimizer(X, theta, d) for _ in range(100)]) / 100
    solved: list = []
    t_cvx = best_of(lambda: solved.append(nd.solve_nuclear_squared(X, closed.kappa)), repeat=3)
    result, M_cvx = solved[-1]
    rel = abs(result.value - value) / value if result.optimal else float("nan")
    rel_m = (np.linalg.norm(M_cvx - closed.M) / np.linalg.norm(closed.M) if result.optimal
             else float("nan"))
    print(f"1. closed form vs CVXPY+SCS (40x40, theta={theta}, d={d}, rho={closed.rho}; "
          f"CVXPY+SCS {t_cvx * 1e3:.1f} ms, status {result.status}, eps 1e-7):")
    print(f"   optimal value from singular values (optimal_value): {t_value * 1e6:.0f} us, "
          f"ratio {t_cvx / t_value:.0f}x (target >= 1000x); relative value difference "
          f"{rel:.1e} (target <= 1e-6)")
    print(f"   minimizer M* and equalized factors (global_minimizer, full SVD): "
          f"{t_closed * 1e6:.0f} us, ratio {t_cvx / t_closed:.0f}x; ||M_cvx - M*|| / ||M*|| "
          f"= {rel_m:.1e}")

    # 2. batched descent, 20 x 20, d = 10, float64
    m = n = 20
    d = 10
    X = conditioned_matrix(m, n, rng, condition=10.0)
    lam = nd.dropout_lambda(0.5)
    scale = np.sqrt(np.linalg.norm(X, 2) / d)
    U0 = rng.standard_normal((args.runs, m, d)) * scale / np.sqrt(m)
    V0 = rng.standard_normal((args.runs, n, d)) * scale / np.sqrt(n)
    step = 0.1 / np.linalg.norm(X, 2)
    objective = nd.factorized_objective(X, lam)

    def batched():
        return batched_descent(objective, [U0, V0], step=step, iterations=args.iterations,
                               grad_tol=0.0)

    out = batched()
    t_batched = best_of(batched)
    thr_batched = args.runs * args.iterations / t_batched

    k = min(args.loop_runs, args.runs)

    def loop():
        for b in range(k):
            batched_descent(objective, [U0[b:b + 1], V0[b:b + 1]], step=step,
                            iterations=args.iterations, grad_tol=0.0)

    t_loop = best_of(loop, repeat=2)
    thr_loop = k * args.iterations / t_loop
    single = batched_descent(objective, [U0[:1], V0[:1]], step=step,
                             iterations=args.iterations, grad_tol=0.0)
    same = abs(single.losses[0] - out.losses[0]) / out.losses[0]
    print(f"2. batched descent, {args.runs} inits, {m}x{n}, d={d}, {args.iterations} "
          f"iterations: {t_batched:.3f} s ({thr_batched:.3g} run-iterations/s)")
    print(f"   Python loop over inits ({k} timed): {thr_loop:.3g} run-iterations/s; "
          f"batched / loop = {thr_batched / thr_loop:.1f}x (target >= 3x); first run "
          f"agrees to {same:.1e}")

    try:
        import torch
    except ImportError:
        print("   PyTorch is not installed: ratio against PyTorch skipped "
              "(pip install torch==2.13.0 to measure it)")
    else:
        def with_torch():
            return torch_batched_descent(torch, X, U0, V0, lam, step, args.iterations)

        tl = with_torch()
        t_torch = best_of(with_torch)
        agree = float(np.max(np.abs(tl - out.losses) / out.losses))
        print(f"   PyTorch {torch.__version__} CPU ({torch.get_num_threads()} threads), same "
              f"batched algorithm: {t_torch:.3f} s; numpy / torch throughput = "
              f"{t_torch / t_batched:.2f}x (target >= 1x); final losses agree to {agree:.1e}")
        threads = torch.get_num_threads()
        torch.set_num_threads(1)  # numpy's stacked matmul and ufuncs use one core
        t_torch1 = best_of(with_torch)
        torch.set_num_threads(threads)
        print(f"   PyTorch with 1 thread (numpy's batched code runs on one core): "
              f"{t_torch1:.3f} s; numpy / torch throughput = {t_torch1 / t_batched:.2f}x")

    peak = matmul_peak()
    # one objective evaluation per iteration, plus the first
    flops = objective_flops(m, n, d) * args.runs * (args.iterations + 1)
    print(f"   matmul peak (2048x2048 float64 np.matmul): {peak / 1e9:.1f} GFLOP/s; batched "
          f"descent reaches {flops / t_batched / 1e9:.2f} GFLOP/s = "
          f"{100 * flops / t_batched / peak:.1f}% of peak (objective matmuls only)")
    t_obj = best_of(lambda: objective([U0, V0]), repeat=5)
    print(f"   objective alone: {t_obj * 1e3:.2f} ms per evaluation = "
          f"{objective_flops(m, n, d) * args.runs / t_obj / 1e9:.2f} GFLOP/s = "
          f"{100 * objective_flops(m, n, d) * args.runs / t_obj / peak:.1f}% of peak")

    # 3. standard profile and the landscape table
    import theorems

    for tid in ("dropout.induced_regularizer", "dropout.global_optimum"):
        start = time.perf_counter()
        verdict = theorems.get(tid).verify(seed=0, profile="standard")
        print(f"3. {tid}: {verdict.status.value} in {time.perf_counter() - start:.1f} s "
              "(standard profile; target < 60 s for both)")
        for ev in verdict.evidence:
            if ev.name.startswith("batched descent"):
                print("   landscape: m x n, d, theta, width binds, runs, fraction at the "
                      "global value, best gap, spread of the rest (min/median/max gap; "
                      "median gradient norm)")
                for row in ev.details["runs"]:
                    rest = ("-" if row["rest_min_gap"] is None else
                            f"{row['rest_min_gap']:.1e}/{row['rest_median_gap']:.1e}/"
                            f"{row['rest_max_gap']:.1e}; {row['rest_median_grad_norm']:.1e}")
                    print(f"   {row['m']}x{row['n']}, d={row['d']}, theta={row['theta']:.2f}, "
                          f"{row['width_binds']}, {row['runs']}, {row['fraction']:.3f}, "
                          f"{row['best_gap']:.1e}, {rest}")


if __name__ == "__main__":
    main()
