"""What a sweep task does, in a worker: one verification or one falsification, as JSON.

Tasks are plain module-level functions of plain arguments, so Dask ships them by
reference; each returns the verdict's JSON document, exactly what ``mathdl verify
--seed S --json`` prints for that seed (timings aside).
"""

from __future__ import annotations

__all__ = ["BLAS_ENV", "claim_targets", "run_task"]

# one BLAS thread per worker process: the parallelism is the workers'
BLAS_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def claim_targets(target: str) -> list[str]:
    """Keys ``MODULE:ATTR[i]`` of the claims a falsify target names (checked here, early)."""
    from theorems.claims import resolve

    return [f"{target}[{i}]" for i, _ in enumerate(resolve(target))]


def run_task(key: str, seed: int, profile: str, max_examples: int | None = None) -> dict:
    """Verify the theorem (or falsify the claim) ``key`` at ``seed``; its verdict as a dict.

    ``key`` is a theorem id, or ``MODULE:ATTR[i]`` for the i-th claim of a falsify target.
    """
    if ":" in key and key.endswith("]"):
        from theorems.claims import falsify, resolve

        target, _, index = key[:-1].rpartition("[")
        claim = resolve(target)[int(index)]
        return falsify(claim, max_examples=max_examples, seed=seed).to_dict()
    from theorems.catalog import get

    return get(key).verify(seed=seed, profile=profile).to_dict()
