"""The callable engine: both sides are Python functions of drawn keyword arguments.

Each argument is drawn from its Hypothesis strategy (``given``); a float64
violation is a counterexample when its margin reaches
:data:`~theorems.claims.outcome.CONFIDENT`, or when the claim's ``precise``
evaluation (exact numbers or 50-digit mpmath) confirms it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from hypothesis import strategies as st

from theorems.claims.exact import (
    exact_violated,
    float_gap,
    float_verdict,
    is_constant,
    is_exact,
    mp_violated,
)
from theorems.claims.outcome import CONFIDENT, DIGITS, BadClaim, Outcome, SideError
from theorems.claims.values import jsonable_value, plain, shape_of, short
from theorems.core import Evidence

if TYPE_CHECKING:
    from theorems.claims.claim import Claim

__all__ = ["CallableEngine"]


class CallableEngine:
    """Both sides are callables of the drawn keyword arguments (or constants)."""

    kind = "callable"

    def __init__(self, claim: Claim, given_: Mapping[str, Any], precise: Callable | None):
        name = claim.name
        if not isinstance(given_, Mapping) or not given_:
            raise ValueError(f"claim {name!r}: given: expected a non-empty mapping from argument "
                             "names to Hypothesis strategies")
        for key, strategy in given_.items():
            if not isinstance(key, str) or not key.isidentifier():
                raise ValueError(f"claim {name!r}: given: argument names must be identifiers, "
                                 f"got {key!r}")
            if not isinstance(strategy, st.SearchStrategy):
                raise ValueError(f"claim {name!r}: given[{key!r}]: expected a Hypothesis "
                                 f"strategy, got {type(strategy).__name__}")
            if strategy.is_empty:
                raise ValueError(f"claim {name!r}: given[{key!r}]: the strategy is empty "
                                 "(an empty domain), nothing can be drawn from it")
        self.claim = claim
        self.given = dict(given_)
        for side in ("lhs", "rhs", "precise"):
            fn = precise if side == "precise" else getattr(claim, side)
            if callable(fn):
                self._check_signature(fn, side)
            elif side != "precise" and not is_constant(fn):
                raise ValueError(f"claim {name!r}: {side}: expected a callable or a real "
                                 f"constant, got {type(fn).__name__}")
        self.precise = precise

    def _check_signature(self, fn: Callable, side: str) -> None:
        try:
            signature = inspect.signature(fn)
        except (TypeError, ValueError):
            return  # builtins without a signature: checked when called
        try:
            signature.bind(**{k: None for k in self.given})
        except TypeError as exc:
            raise ValueError(
                f"claim {self.claim.name!r}: {side} cannot be called with the drawn arguments "
                f"({', '.join(self.given)}): {exc}") from None

    def strategy(self) -> st.SearchStrategy:
        return st.fixed_dictionaries(self.given)

    def describe_strategies(self) -> dict[str, str]:
        return {k: short(repr(v)) for k, v in self.given.items()}

    def _side(self, which: str, instance: dict) -> np.ndarray:
        fn = getattr(self.claim, which)
        value = fn(**instance) if callable(fn) else fn
        try:
            arr = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            raise SideError(f"{which} returned {type(value).__name__}, not a real number "
                             "or array") from None
        if not np.all(np.isfinite(arr)):
            raise SideError(f"{which} returned a non-finite value ({value!r})")
        return arr

    def evaluate(self, instance: dict) -> Outcome:
        name, relation = self.claim.name, self.claim.relation
        try:
            lhs = self._side("lhs", instance)
            rhs = self._side("rhs", instance)
        except SideError as exc:
            return Outcome("error", error=str(exc))
        except Exception as exc:  # noqa: BLE001 - a raising side is reported, never passed
            return Outcome("error", error=f"a side raised {type(exc).__name__}: {exc}")
        if lhs.shape != rhs.shape:
            raise BadClaim(f"claim {name!r}: the two sides have different shapes: lhs "
                            f"{lhs.shape}, rhs {rhs.shape}")
        if relation != "==" and lhs.shape != ():
            raise BadClaim(f"claim {name!r}: relation {relation!r} needs scalar sides, got "
                            f"shape {lhs.shape}")
        gap = float_gap(lhs, rhs, relation, self.claim.floor)
        verdict = float_verdict(gap, relation, self.claim.rtol)
        out = Outcome(verdict, plain(lhs), plain(rhs), gap)
        if verdict == "holds":
            return out
        if self.precise is not None:
            # the claim can evaluate itself exactly or in 50 digits: let that decide, so a
            # badly conditioned float64 computation can never produce the verdict
            return self._recheck(instance, out)
        if verdict == "counterexample":
            out.recheck = (f"float64: relative margin {gap:.3g} >= {CONFIDENT:g}, "
                           "far beyond round-off")
        else:
            out.recheck = (f"float64 margin {gap:.3g} is below {CONFIDENT:g} and the claim "
                           "has no precise evaluation to confirm it")
        return out

    def _recheck(self, instance: dict, out: Outcome) -> Outcome:
        """Decide a float64 violation with the claim's precise evaluation."""
        import mpmath

        try:
            with mpmath.workdps(DIGITS):
                lhs, rhs = self.precise(**instance)
                if is_exact(lhs) and is_exact(rhs):
                    violated = exact_violated(lhs, rhs, self.claim.relation)
                    how = "exact arithmetic"
                else:
                    violated = mp_violated(lhs, rhs, self.claim.relation, self.claim.floor,
                                           self.claim.name)
                    how = f"mpmath, {DIGITS} digits"
        except Exception as exc:  # noqa: BLE001 - a failing re-check confirms nothing
            out.kind, out.error = "error", f"precise raised {type(exc).__name__}: {exc}"
            return out
        if violated is True:
            out.kind, out.recheck = "counterexample", f"confirmed in {how}"
            out.lhs, out.rhs = jsonable_value(lhs), jsonable_value(rhs)
        elif violated is False:
            out.kind = "holds"
        else:
            out.kind, out.recheck = "borderline", f"{how} could not decide"
        return out

    def describe_instance(self, instance: dict) -> tuple[dict, dict]:
        shapes = {k: shape_of(v) for k, v in instance.items() if shape_of(v) is not None}
        return {k: jsonable_value(v) for k, v in instance.items()}, shapes

    def proof(self) -> tuple[list[Evidence], dict[str, Any]]:
        """Functions have no symbolic route: the search decides."""
        return [], {}

    def expansion(self, notes: dict) -> list[Evidence]:
        """Functions have no fixed-size expansion."""
        return []
