""":func:`falsify`: symbolic routes first, then a seeded Hypothesis search that shrinks.

Every engine (:class:`~theorems.claims.outcome.Engine`) is searched the same
way: the engine's proof, if any; the Hypothesis search over its instances (a
confirmed violation stops it and Hypothesis shrinks the instance); when the
search found nothing, the engine's fixed-size expansion.  A catalog theorem
runs its own checks under consecutive seeds instead.
"""

from __future__ import annotations

import numbers
import time
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, given, reject, settings
from hypothesis import seed as hypothesis_seed
from hypothesis.errors import Unsatisfiable

from theorems.claims.claim import Claim
from theorems.claims.outcome import (
    CONFIDENT,
    DEFAULT_EXAMPLES,
    FALSIFY_PROFILE,
    BadClaim,
    Engine,
    Found,
)
from theorems.claims.theorem_engine import run_theorem
from theorems.core import Evidence, Status, Theorem, Verdict, fold_status

__all__ = ["falsify"]

SEARCH = "Hypothesis search for a counterexample"  # the name of the search's evidence


def _check_count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name}: expected an integer >= 1, got {value!r}")
    return int(value)


def falsify(claim: Claim | Theorem, max_examples: int | None = None, seed: int = 0) -> Verdict:
    """Try to break a claim; prove it when a symbolic route closes.

    Parameters
    ----------
    claim : Claim or Theorem
        A theorem is wrapped with :meth:`Claim.from_theorem`.
    max_examples : int, optional
        Examples Hypothesis draws (default 100); for a theorem, the number of
        seeds its checks run under (default 3).
    seed : int
        Seeds the search; the same seed gives the same verdict and the same
        minimal counterexample.

    Returns
    -------
    Verdict
        ``theorem`` is the claim's name and ``profile`` is ``"falsify"``.  When
        refuted, ``counterexample`` holds the shrunk instance, both sides, the
        relative gap, how it was re-checked, and the seed.
    """
    if isinstance(claim, Theorem):
        claim = Claim.from_theorem(claim)
    if not isinstance(claim, Claim):
        raise ValueError(f"claim: expected a Claim or a Theorem, got {type(claim).__name__}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed: expected a non-negative integer, got {seed!r}")
    seed = int(seed)
    start = time.perf_counter()
    if claim.kind == "theorem":
        n = claim._engine.seeds if max_examples is None else _check_count(max_examples,
                                                                          "max_examples")
        evidence = run_theorem(claim._engine, n, seed)
    else:
        n = DEFAULT_EXAMPLES if max_examples is None else _check_count(max_examples,
                                                                       "max_examples")
        evidence = _falsify_engine(claim, claim._engine, n, seed)
    status = fold_status(evidence)
    counterexample = None
    if status is Status.REFUTED:
        failed = next(ev for ev in evidence if ev.passed is False)
        counterexample = dict(failed.counterexample or {"check": failed.name})
        counterexample.setdefault("seed", seed)
    return Verdict(theorem=claim.name, title=claim.title, status=status, seed=seed,
                   profile=FALSIFY_PROFILE, seconds=time.perf_counter() - start,
                   evidence=evidence, counterexample=counterexample)


def _falsify_engine(claim: Claim, engine: Engine, n: int, seed: int) -> list[Evidence]:
    """The engine's proof, the search, and (when both found nothing) its expansion."""
    evidence, notes = engine.proof()
    search = _search(claim, engine, n, seed, notes)
    if search.passed is True and not evidence:
        # no proof and no counterexample: expand exactly at the searched sizes
        evidence.extend(engine.expansion(notes))
        if "expansion_nonzero" in notes:
            search.passed = None
            search.name = SEARCH
            search.details["error"] = (
                f"claim {claim.name!r}: no counterexample among {search.instances} simple "
                f"instances, yet {notes['expansion_nonzero']}")
        search.details.update({k: v for k, v in notes.items() if k not in search.details})
    evidence.append(search)
    return evidence


def _search(claim: Claim, engine: Engine, max_examples: int, seed: int,
            notes: dict) -> Evidence:
    """Run Hypothesis on the claim; the shrunk failure is the counterexample."""
    state: dict[str, Any] = {"calls": 0, "found_at": None, "errors": [], "borderline": []}
    start = time.perf_counter()

    @hypothesis_seed(seed)
    @settings(database=None, derandomize=False, max_examples=max_examples, deadline=None,
              suppress_health_check=list(HealthCheck), verbosity=Verbosity.quiet,
              report_multiple_bugs=False,
              phases=(Phase.explicit, Phase.generate, Phase.shrink))
    @given(engine.strategy())
    def search(instance):
        state["calls"] += 1
        out = engine.evaluate(instance)
        if out.kind == "counterexample":
            if state["found_at"] is None:
                state["found_at"] = state["calls"]
            raise Found(instance, out)
        if out.kind == "error":
            state["errors"].append((instance, out.error))
            reject()  # keep looking for a genuine counterexample elsewhere
        if out.kind == "borderline":
            state["borderline"].append((instance, out))

    details: dict[str, Any] = {
        "strategies": engine.describe_strategies(),
        "relation": claim.relation,
        "rtol": claim.rtol,
        "floor": claim.floor,
        "confident_margin": CONFIDENT,
        "seed": seed,
        "max_examples": max_examples,
        **notes,
    }
    try:
        search()
    except Found as found:
        return _refuted(claim, engine, found, state, details, start, max_examples, seed)
    except BadClaim as exc:
        raise ValueError(str(exc)) from None
    except Unsatisfiable as exc:
        if not state["errors"]:
            raise ValueError(f"claim {claim.name!r}: no instance could be drawn: the domain "
                             f"is empty ({exc})") from None
    except Exception as exc:  # noqa: BLE001 - the search broke: no verdict either way
        details["error"] = f"claim {claim.name!r}: the search raised {type(exc).__name__}: {exc}"
        return Evidence("numeric", SEARCH, None, instances=state["calls"], details=details,
                        seconds=time.perf_counter() - start)
    return _not_refuted(claim, engine, state, details, start)


def _refuted(claim: Claim, engine: Engine, found: Found, state: dict, details: dict,
             start: float, max_examples: int, seed: int) -> Evidence:
    """The failing evidence of a search that found (and shrank) a counterexample."""
    shown, sizes = engine.describe_instance(found.instance)
    out = found.outcome
    cex = {"claim": claim.name, "instance": shown, "size": sizes, "lhs": out.lhs,
           "rhs": out.rhs, "relation": claim.relation, "gap": out.gap,
           "recheck": out.recheck, "seed": seed, "max_examples": max_examples,
           "examples_until_found": state["found_at"],
           "reproduce": f"falsify(claim, max_examples={max_examples}, seed={seed})"}
    details["examples_until_found"] = state["found_at"]
    return Evidence("numeric", SEARCH, False, measured=out.gap, tolerance=claim.rtol,
                    instances=state["found_at"] or state["calls"], details=details,
                    counterexample=cex, seconds=time.perf_counter() - start)


def _not_refuted(claim: Claim, engine: Engine, state: dict, details: dict,
                 start: float) -> Evidence:
    """Passing evidence, or inconclusive when sides raised or violations were too small."""
    examples = state["calls"] - len(state["errors"])
    details["examples"] = examples
    if state["errors"]:
        instance, error = state["errors"][0]
        shown, _ = engine.describe_instance(instance)
        details["error"] = (f"claim {claim.name!r}: {error} at {shown} "
                            f"({len(state['errors'])} of {state['calls']} examples)")
        return Evidence("numeric", SEARCH, None, instances=examples, details=details,
                        seconds=time.perf_counter() - start)
    if state["borderline"]:
        instance, out = state["borderline"][0]
        shown, _ = engine.describe_instance(instance)
        details["error"] = (f"claim {claim.name!r}: {len(state['borderline'])} example(s) violate "
                            f"the claim by a margin too small to confirm ({out.recheck}); "
                            f"first at {shown}: lhs {out.lhs}, rhs {out.rhs}")
        return Evidence("numeric", SEARCH, None, instances=examples, details=details,
                        seconds=time.perf_counter() - start)
    details["statement"] = (f"no counterexample in {examples} examples drawn from these "
                            "strategies")
    return Evidence("numeric", f"no counterexample in {examples} examples (Hypothesis)", True,
                    measured=None, tolerance=claim.rtol, instances=examples, details=details,
                    seconds=time.perf_counter() - start)
