"""Linear-network family benchmarks: ratios measured in one process.

Run:  .venv/bin/python benchmarks/bench_linear_networks.py [--starts 1000]

1. Every critical point of a two-layer network, d_x = d_y = n = 8, p = 3 (93 classes):
   analytic batched Hessians and their spectra against PyTorch autograd Hessians on
   the CPU (a loop of torch.autograd.functional.hessian, and torch.func.vmap of
   torch.func.hessian), same float64 eigenvalue routine on each side.  Target: >= 4x,
   Hessians equal within 1e-10 relative.
2. Batched deep-linear descent (depth 4, widths 6-3-6, d_x = 6, d_y = 4), 1000
   initializations, the same monotone per-run step-size algorithm in NumPy
   (numerics.descent.batched_descent) and in PyTorch on the CPU.  Target: ratio >= 1.
3. The standard profile of the four linear theorems (seconds; target < 60 s).

PyTorch is a benchmark-only dependency: without it, the ratios against it are skipped.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from _timing import best_of  # benchmarks/ is on sys.path when run as a script


def torch_or_none():
    try:
        import torch
    except ImportError:
        return None
    return torch


def bench_hessians(torch) -> None:
    from numerics import linear as nl

    rng = np.random.default_rng(0)
    X, Y = nl.regression_instance(8, 8, 40, rng)
    cov = nl.covariances(X, Y)
    cp = nl.critical_points(X, Y, 3, gauge=rng)
    K = len(cp.index_sets)

    def analytic():
        H = nl.two_layer_hessian(cp.A, cp.B, cov=cov)
        return H, nl.hessian_spectra(H)

    t_analytic = best_of(analytic, 5)
    H, spec = analytic()
    print(f"[1] {K} critical points (n = 8, p = 3, {H.shape[1]} parameters): analytic Hessians "
          f"+ spectra {t_analytic * 1e3:.2f} ms; PSD classes: {int(spec.psd.sum())}, "
          f"p^2 zero eigenvalues at the minimum: {int(spec.zero_count[cp.is_global][0])}")
    if torch is None:
        print("    PyTorch not installed: autograd ratio skipped "
              "(.venv/bin/pip install torch==2.13.0)")
        return
    Xt = torch.tensor(X)
    Yt = torch.tensor(Y)
    na = 8 * 3

    def loss(theta):
        A = theta[:na].reshape(8, 3)
        B = theta[na:].reshape(3, 8)
        return ((Yt - A @ B @ Xt) ** 2).sum()

    thetas = torch.tensor(np.concatenate([cp.A.reshape(K, -1), cp.B.reshape(K, -1)], 1))

    def loop():
        Hs = torch.stack([torch.autograd.functional.hessian(loss, th) for th in thetas])
        return Hs, torch.linalg.eigvalsh(Hs)

    from torch.func import hessian, vmap

    batched = vmap(hessian(loss))

    def vmapped():
        Hs = batched(thetas)
        return Hs, torch.linalg.eigvalsh(Hs)

    t_loop = best_of(loop, 3)
    t_vmap = best_of(vmapped, 3)
    Ht = loop()[0].numpy()
    Hv = vmapped()[0].numpy()
    err = max(np.linalg.norm(Ht - H) / np.linalg.norm(Ht), np.linalg.norm(Hv - H)
              / np.linalg.norm(Hv))
    mu_t = np.linalg.eigvalsh(Ht)
    eig_err = float(np.max(np.abs(mu_t - spec.eigenvalues)) / np.max(np.abs(mu_t)))
    print(f"    PyTorch autograd loop {t_loop * 1e3:.1f} ms -> ratio {t_loop / t_analytic:.1f}x; "
          f"torch.func vmap {t_vmap * 1e3:.1f} ms -> ratio {t_vmap / t_analytic:.1f}x "
          f"(target >= 4x)")
    print(f"    Hessians agree to {err:.1e} relative, spectra to {eig_err:.1e} "
          f"(target <= 1e-10)")


def torch_batched_descent(torch, objective, params, step=0.1, iterations=1000,
                          grad_tol=1e-9, min_step=1e-12):
    """numerics.descent.batched_descent, line for line, on torch tensors."""
    params = [p.clone() for p in params]
    batch = params[0].shape[0]
    steps = torch.full((batch,), float(step), dtype=torch.float64)
    losses, grads = objective(params)
    done = torch.zeros(batch, dtype=torch.bool)

    def expand(v, like):
        return v.reshape((-1,) + (1,) * (like.dim() - 1))

    it = 0
    for it in range(1, iterations + 1):  # noqa: B007
        gnorm = torch.sqrt(sum((g.reshape(batch, -1) ** 2).sum(1) for g in grads))
        done |= (gnorm < grad_tol) | (steps < min_step)
        if bool(done.all()):
            break
        active = (~done).to(torch.float64)
        trial = [p - expand(steps * active, p) * g for p, g in zip(params, grads, strict=True)]
        new_losses, new_grads = objective(trial)
        accept = (new_losses <= losses) & ~done
        for k, p in enumerate(params):
            keep = expand(accept, p)
            params[k] = torch.where(keep, trial[k], p)
            grads[k] = torch.where(keep, new_grads[k], grads[k])
        losses = torch.where(accept, new_losses, losses)
        steps = torch.where(accept, steps * 1.05, torch.where(done, steps, steps * 0.5))
    return params, losses, it


def bench_descent(torch, starts: int) -> None:
    from numerics import linear as nl
    from numerics.descent import batched_descent

    rng = np.random.default_rng(1)
    X, Y = nl.regression_instance(6, 4, 40, rng)
    cov = nl.covariances(X, Y)
    widths = [6, 3, 6]
    ws = nl.random_weights(widths, 6, 4, starts, rng, init="orthogonal")
    iters = 400
    obj = nl.squared_objective(X, Y)
    # grad_tol = 0: every run does the same number of iterations on both sides
    t_np = best_of(lambda: batched_descent(obj, ws, step=0.1, iterations=iters, grad_tol=0.0),
                   3)
    res = batched_descent(obj, ws, step=0.1, iterations=iters, grad_tol=0.0)
    print(f"[2] batched deep-linear descent, {starts} starts, depth {len(widths) + 1}, "
          f"{iters} iterations: NumPy {t_np:.3f} s")
    if torch is None:
        print("    PyTorch not installed: ratio skipped")
        return
    sxx, syx = torch.tensor(cov.sxx), torch.tensor(cov.syx)
    tyy = cov.trace_yy

    def tobj(params):
        # numerics.linear.deep_loss_and_gradient, line for line
        prefix = [params[0]]
        for w in params[1:]:
            prefix.append(w @ prefix[-1])
        W = prefix[-1]
        WS = W @ sxx
        G = WS - syx
        losses = 0.5 * (tyy + ((WS - 2 * syx) * W).sum((1, 2)))
        grads = [None] * len(params)
        delta = G
        for k in range(len(params) - 1, -1, -1):
            grads[k] = delta if k == 0 else delta @ prefix[k - 1].transpose(1, 2)
            if k > 0:
                delta = params[k].transpose(1, 2) @ delta
        return losses, grads

    tws = [torch.tensor(w) for w in ws]
    threads = torch.get_num_threads()
    for n_threads in sorted({threads, 1}, reverse=True):
        torch.set_num_threads(n_threads)
        t_torch = best_of(lambda: torch_batched_descent(torch, tobj, tws, step=0.1,
                                                        iterations=iters, grad_tol=0.0), 3)
        print(f"    PyTorch CPU, {n_threads} thread(s): {t_torch:.3f} s -> ratio "
              f"{t_torch / t_np:.2f} (target >= 1; NumPy's stacked matmul is single-threaded)")
    torch.set_num_threads(threads)
    _, tl, _ = torch_batched_descent(torch, tobj, tws, step=0.1, iterations=iters, grad_tol=0.0)
    diff = float(np.max(np.abs(tl.numpy() - res.losses)) / np.max(np.abs(res.losses)))
    print(f"    final losses of the two implementations agree to {diff:.1e} (relative)")


def bench_profile() -> None:
    import theorems

    ids = ["linear.baldi_hornik", "linear.deep_no_spurious_minima", "linear.degenerate_saddle",
           "linear.convex_loss"]
    start = time.perf_counter()
    verdicts = theorems.verify(ids, seed=0, profile="standard")
    total = time.perf_counter() - start
    parts = ", ".join(f"{v.theorem} {v.status.value} {v.seconds:.1f} s" for v in verdicts)
    print(f"[3] standard profile: {total:.1f} s in total (target < 60 s): {parts}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=1000)
    args = parser.parse_args()
    torch = torch_or_none()
    if torch is not None:
        torch.set_default_dtype(torch.float64)
    bench_hessians(torch)
    bench_descent(torch, args.starts)
    bench_profile()


if __name__ == "__main__":
    main()
