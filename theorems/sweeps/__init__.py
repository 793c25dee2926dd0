"""Sweeps: verify theorems, or falsify claims, over many seeds on Dask distributed.

One code path: with no scheduler address a ``LocalCluster`` is started on this
machine (``workers`` processes, one thread each, BLAS pinned to one thread);
with ``scheduler="tcp://host:8786"`` the same tasks run on a real cluster.  Every
finished task is written to a SQLite store at once (:mod:`theorems.sweeps.store`),
so a rerun skips what is stored and an interrupted sweep loses at most the tasks
in flight.  A task's result is its verdict's JSON, the same as ``mathdl verify
--seed S --json`` prints (timings aside), whatever the number of workers.  A
worker that dies has its tasks rerun elsewhere by the scheduler.

Dask is an optional extra: ``pip install 'mathdl[distributed]'``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from theorems.core import PROFILES
from theorems.sweeps.store import Store
from theorems.sweeps.summary import summarize, summary_lines
from theorems.sweeps.tasks import BLAS_ENV, claim_targets, run_task

__all__ = ["SweepResult", "parse_seeds", "sweep", "DEFAULT_STORE"]

DEFAULT_STORE = "mathdl-sweep.sqlite"
INSTALL_HINT = "sweeps run on Dask distributed: pip install 'mathdl[distributed]'"


def parse_seeds(text: str) -> range:
    """``"A:B"`` (seeds A..B-1) or ``"N"`` (seed N alone), as a range.

    >>> parse_seeds("0:8"), parse_seeds("5")
    (range(0, 8), range(5, 6))
    """
    match = re.fullmatch(r"\s*(\d+)\s*(?::\s*(\d+)\s*)?", str(text))
    if not match:
        raise ValueError(f"--seeds: expected A:B with 0 <= A < B (or one seed N), got {text!r}")
    start = int(match.group(1))
    stop = int(match.group(2)) if match.group(2) is not None else start + 1
    if stop <= start:
        raise ValueError(f"--seeds: expected A < B, got {text!r}")
    return range(start, stop)


@dataclass
class SweepResult:
    """The verdicts of a sweep (``(key, seed, verdict JSON)``, in task order) and its summary.

    ``ran`` tasks were computed now, ``reused`` came from the store.
    """

    records: list[tuple[str, int, dict]]
    summary: dict
    ran: int
    reused: int

    @property
    def statuses(self) -> set[str]:
        return {verdict["status"] for _, _, verdict in self.records}

    def document(self) -> dict:
        """The JSON document of ``mathdl sweep --json``."""
        return {"schema": "mathdl.sweep/1", "ran": self.ran, "reused": self.reused,
                "verdicts": [v for _, _, v in self.records], "summary": self.summary}

    def lines(self) -> list[str]:
        return summary_lines(self.summary)


def _keys(ids: Sequence[str] | None, falsify: str | None) -> list[str]:
    from theorems.catalog import check_ids, index

    if falsify is not None:
        if ids:
            raise ValueError("give theorem ids or --falsify TARGET, not both")
        return claim_targets(falsify)
    if ids is None:
        return [row["id"] for row in index()]
    if isinstance(ids, str):
        ids = [ids]
    return check_ids(list(ids))


def _client(workers: int, scheduler: str | None):
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ImportError(INSTALL_HINT) from None
    if scheduler:
        return Client(scheduler), None
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR, env=BLAS_ENV)
    return Client(cluster), cluster


def _run(todo, store, profile_key, version, profile, max_examples, workers, scheduler,
         progress) -> None:
    from tqdm import tqdm

    client, cluster = _client(workers, scheduler)  # says how to install Dask if missing
    from distributed import as_completed

    try:
        futures = {client.submit(run_task, key, seed, profile, max_examples,
                                 key=f"mathdl-{key}-{seed}-{profile_key}", pure=False): (key, seed)
                   for key, seed in todo}
        bar = tqdm(total=len(futures), desc="sweep", unit="task", disable=not progress)
        try:
            for future in as_completed(futures):
                key, seed = futures[future]
                store.put(key, seed, profile_key, version, future.result())
                bar.update(1)
        finally:
            bar.close()
            for future in futures:
                future.cancel()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def sweep(ids: Sequence[str] | str | None = None, seeds: Iterable[int] | str = range(8),
          profile: str = "quick", *, falsify: str | None = None,
          max_examples: int | None = None, workers: int = 2, scheduler: str | None = None,
          store: str | Path = DEFAULT_STORE, progress: bool = False) -> SweepResult:
    """Verify theorems (or falsify the claims of a target) for every seed; resumable.

    Parameters
    ----------
    ids : theorem ids; None means the whole catalog.
    seeds : iterable of int, or ``"A:B"``.
    profile : {"quick", "standard", "thorough"} (verifications only).
    falsify : ``MODULE:ATTR`` naming a Claim or a list of claims (instead of ids).
    max_examples : examples per falsification (default: falsify's own).
    workers : processes of the local cluster (ignored with ``scheduler``).
    scheduler : address of a running Dask scheduler, e.g. ``tcp://host:8786``.
    store : SQLite file of the results (``":memory:"`` keeps nothing).
    progress : a progress bar on stderr.
    """
    from theorems import __version__

    if profile not in PROFILES:
        raise ValueError(f"profile: expected one of {', '.join(PROFILES)}, got {profile!r}")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers: expected a positive integer, got {workers!r}")
    seed_list = list(parse_seeds(seeds) if isinstance(seeds, str) else seeds)
    if not seed_list or any(isinstance(s, bool) or not isinstance(s, int) or s < 0
                            for s in seed_list):
        raise ValueError(f"seeds: expected non-negative integers, got {seeds!r}")
    keys = _keys(ids, falsify)
    profile_key = profile if falsify is None else f"falsify-{max_examples or 'default'}"
    db = Store(store)
    try:
        tasks = [(k, s) for k in keys for s in seed_list]
        todo = db.missing(tasks, profile_key, __version__)
        if todo:
            _run(todo, db, profile_key, __version__, profile, max_examples, workers,
                 scheduler, progress)
        records = [(k, s, db.get(k, s, profile_key, __version__)) for k, s in tasks]
    finally:
        db.close()
    return SweepResult(records, summarize(records, profile, max_examples),
                       ran=len(todo), reused=len(tasks) - len(todo))
