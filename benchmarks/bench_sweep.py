"""Sweep scaling: the quick catalog over 16 seeds, 1 and 2 Dask workers, against a serial loop.

Run:  .venv/bin/python benchmarks/bench_sweep.py [--seeds 16]

Prints, from one process: the serial loop's time, each sweep's time and speedup over
the loop, the engine's per-task overhead (sweep time x workers - the summed task times,
per task, as a fraction of the median task), and the time of a rerun over the store.
Cluster start-up is timed apart (it is paid once per sweep, not per task).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import theorems
from theorems.sweeps import sweep


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=16)
    args = parser.parse_args()
    ids = theorems.ids()
    seeds = range(args.seeds)

    start = time.perf_counter()
    task_seconds = []
    for tid in ids:
        theorem = theorems.get(tid)
        for seed in seeds:
            t0 = time.perf_counter()
            theorem.verify(seed=seed, profile="quick")
            task_seconds.append(time.perf_counter() - t0)
    serial = time.perf_counter() - start
    median = statistics.median(task_seconds)
    print(f"serial loop: {len(task_seconds)} tasks in {serial:.1f} s "
          f"(median task {median * 1e3:.0f} ms)")

    with tempfile.TemporaryDirectory() as tmp:
        for workers in (1, 2):
            store = Path(tmp) / f"w{workers}.sqlite"
            t0 = time.perf_counter()
            result = sweep(ids, seeds=seeds, workers=workers, store=store)
            total = time.perf_counter() - t0
            worked = sum(v["seconds"] for _, _, v in result.records)
            overhead = max(total * workers - worked, 0.0) / len(result.records)
            print(f"{workers} worker(s): {total:.1f} s, {serial / total:.2f}x the loop; "
                  f"engine overhead {overhead * 1e3:.0f} ms per task "
                  f"({overhead / median:.1%} of the median task, cluster start included)")
            t0 = time.perf_counter()
            again = sweep(ids, seeds=seeds, workers=workers, store=store)
            print(f"  rerun over the store: {time.perf_counter() - t0:.2f} s "
                  f"({again.reused} reused, {again.ran} run)")


if __name__ == "__main__":
    main()
