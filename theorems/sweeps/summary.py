"""The summary of a sweep: what a person reads after thousands of verdicts.

Per target: seeds run, counts by status, the worst margin (measured / tolerance) of
each check over the seeds, and every refuted or inconclusive seed with the command
that reproduces it.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable

__all__ = ["summarize", "summary_lines"]


def _reproduce(key: str, seed: int, profile: str, max_examples: int | None) -> str:
    if ":" in key and key.endswith("]"):
        target = key.rpartition("[")[0]
        extra = f" --max-examples {max_examples}" if max_examples else ""
        return f"mathdl falsify {target} --seed {seed}{extra}"
    return f"mathdl verify {key} --seed {seed} --profile {profile}"


def _margin(ev: dict) -> float | None:
    measured, tolerance = ev.get("measured"), ev.get("tolerance")
    if not isinstance(measured, int | float) or not isinstance(tolerance, int | float):
        return None
    if tolerance > 0:
        return measured / tolerance
    return 0.0 if measured <= 0 else math.inf


def summarize(records: Iterable[tuple[str, int, dict]], profile: str,
              max_examples: int | None = None) -> dict:
    """The summary document of ``(key, seed, verdict)`` records (JSON values only)."""
    by_key: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    for key, seed, verdict in records:
        by_key[key].append((seed, verdict))
    targets = []
    for key, rows in by_key.items():
        rows.sort(key=lambda r: r[0])
        worst: dict[str, dict] = {}
        for seed, verdict in rows:
            for ev in verdict["evidence"]:
                margin = _margin(ev)
                if margin is None:
                    continue
                best = worst.get(ev["name"])
                if best is None or margin > best["margin"]:
                    worst[ev["name"]] = {"margin": margin, "seed": seed}
        flagged = [{"seed": seed, "status": v["status"],
                    "reproduce": _reproduce(key, seed, profile, max_examples)}
                   for seed, v in rows if v["status"] in ("refuted", "inconclusive")]
        targets.append({
            "target": key, "name": rows[0][1]["theorem"], "seeds": len(rows),
            "statuses": dict(Counter(v["status"] for _, v in rows)),
            "worst_margins": worst, "flagged": flagged,
        })
    return {"profile": profile, "targets": targets}


def summary_lines(summary: dict) -> list[str]:
    """The summary as lines of text."""
    lines = []
    for t in summary["targets"]:
        counts = ", ".join(f"{n} {s}" for s, n in sorted(t["statuses"].items()))
        lines.append(f"{t['name']}: {t['seeds']} seeds ({counts})")
        if t["worst_margins"]:
            name, worst = max(t["worst_margins"].items(), key=lambda kv: kv[1]["margin"])
            lines.append(f"  worst margin {worst['margin']:.3g} x tolerance: {name} "
                         f"(seed {worst['seed']})")
        for row in t["flagged"]:
            lines.append(f"  {row['status'].upper()} at seed {row['seed']}: {row['reproduce']}")
    return lines
