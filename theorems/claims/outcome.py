"""The vocabulary shared by the engines: constants, one evaluation's outcome, the protocol.

An engine turns a claim into a Hypothesis search: it draws instances
(:meth:`Engine.strategy`), evaluates the claim at one of them
(:meth:`Engine.evaluate`, an :class:`Outcome`), shows an instance as plain JSON
(:meth:`Engine.describe_instance`) and may offer symbolic routes that decide
the claim for every size (:meth:`Engine.proof`) or at the searched fixed sizes
(:meth:`Engine.expansion`).  :mod:`theorems.claims.callable_engine` and
:mod:`theorems.claims.symbolic_engine` are the two engines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from hypothesis import strategies as st

from theorems.core import Evidence

__all__ = ["RELATIONS", "CONFIDENT", "DIGITS", "MP_CONFIDENT", "DEFAULT_EXAMPLES",
           "DEFAULT_SIZES", "MAX_EXPANSION_CASES", "FALSIFY_PROFILE", "Outcome", "BadClaim",
           "SideError", "Found", "Engine", "check_relation"]

RELATIONS = ("==", "<=", ">=", "<", ">")
# A float64 violation is accepted as a counterexample without higher precision only when
# it exceeds 1e-6 relative: 10^10 times the unit round-off (2.2e-16), far more than any
# well-conditioned computation on the small instances drawn here can accumulate.
CONFIDENT = 1e-6
DIGITS = 50  # mpmath precision of a claim's `precise` re-check
MP_CONFIDENT = 1e-30  # at 50 digits, a relative gap above 1e-30 is 10^20 round-offs away
DEFAULT_EXAMPLES = 100
DEFAULT_SIZES = (1, 3)
MAX_EXPANSION_CASES = 27  # size/index combinations expanded exactly for a fixed-size check
FALSIFY_PROFILE = "falsify"  # the `profile` field of a falsify verdict


@dataclass
class Outcome:
    """The claim at one instance: holds, counterexample, borderline or error."""

    kind: str
    lhs: Any = None
    rhs: Any = None
    gap: float | None = None
    recheck: str = ""
    error: str = ""


class BadClaim(Exception):
    """Raised inside the search for a defect of the claim itself (turned into ValueError)."""


class SideError(Exception):
    """A side returned something that is not a finite real number or array."""


class Found(Exception):
    """Raised by the search at a confirmed counterexample (Hypothesis then shrinks it)."""

    def __init__(self, instance: Any, outcome: Outcome):
        super().__init__("counterexample")
        self.instance = instance
        self.outcome = outcome


class Engine(Protocol):
    """What :func:`theorems.claims.falsify` needs from a claim's engine."""

    kind: str

    def strategy(self) -> st.SearchStrategy:
        """The Hypothesis strategy of the claim's instances."""

    def describe_strategies(self) -> dict[str, str]:
        """One line per argument: what the search draws (shown in the evidence)."""

    def evaluate(self, instance: Any) -> Outcome:
        """The claim at one instance; a violation is re-checked beyond round-off."""

    def describe_instance(self, instance: Any) -> tuple[dict, dict]:
        """(the instance as plain JSON, its sizes or array shapes)."""

    def proof(self) -> tuple[list[Evidence], dict[str, Any]]:
        """Evidence that decides the claim for every size (empty when there is none),
        and notes for the search's evidence."""

    def expansion(self, notes: dict) -> list[Evidence]:
        """After a search that found nothing: a fixed-size exact check (may be empty);
        records in ``notes`` what it found."""


def check_relation(relation: str, name: str) -> str:
    """``relation`` normalized ("=" is "=="); ValueError naming the claim otherwise."""
    relation = "==" if relation == "=" else relation
    if relation not in RELATIONS:
        raise ValueError(f"claim {name!r}: relation: expected one of {', '.join(RELATIONS)}, "
                         f"got {relation!r}")
    return relation
