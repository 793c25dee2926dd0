"""A catalog theorem seen as a claim: its own checks are the search.

Its symbolic checks run once; its other checks (numeric, convex, landscape)
run under several consecutive seeds, each seed drawing the check's own random
instances, so a failure is a counterexample reproducible from its seed.
"""

from __future__ import annotations

from theorems.core import PROFILES, Context, Evidence, Theorem

__all__ = ["TheoremEngine", "run_theorem"]


class TheoremEngine:
    """A catalog theorem: its symbolic checks once, its other checks under several seeds."""

    kind = "theorem"

    def __init__(self, theorem: Theorem, seeds: int, profile: str):
        self.theorem = theorem
        self.seeds = seeds
        self.profile = profile


def run_theorem(engine: TheoremEngine, n_seeds: int, seed: int) -> list[Evidence]:
    """The symbolic checks once, the other checks under ``n_seeds`` seeds from ``seed``."""
    profile = PROFILES[engine.profile]
    evidence: list[Evidence] = []
    symbolic = [c for c in engine.theorem.checks if c.kind == "symbolic"]
    others = [c for c in engine.theorem.checks if c.kind != "symbolic"]
    for check in symbolic:
        evidence.extend(check(Context(seed, profile)))
    for k in range(n_seeds if others else 0):
        ctx = Context(seed + k, profile)
        for check in others:
            for ev in check(ctx):
                ev.name = f"{ev.name} [seed {seed + k}]"
                if ev.counterexample is not None:
                    ev.counterexample.setdefault("seed", seed + k)
                evidence.append(ev)
    return evidence

