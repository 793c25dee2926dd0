"""Property-based tests from claims and theorems, in one line.

In the spirit of scikit-learn's ``parametrize_with_checks``: a :class:`~theorems.claims.Claim`
or a :class:`~theorems.core.Theorem` becomes a pytest test.

``property_test(obj)``
    A zero-argument test function that runs :func:`~theorems.claims.falsify`
    and fails with the verdict (counterexample, seed) unless the claim is
    proved or verified: ``test_my_claim = property_test(my_claim)``.
``hypothesis_test(claim)``
    A Hypothesis ``@given`` test over the claim's own instances, run under your
    Hypothesis settings profile (example database, shrinking, ``max_examples``).
``parametrize_with_claims([...])``
    A decorator for ``def test_claims(claim, check): check(claim)``, one pytest
    case per claim, with the claim's name as the test id.
``assert_holds(obj)``, ``assert_refuted(obj)``
    Assertions returning the verdict, for tests that want to inspect it.

Examples
--------
>>> import numpy as np
>>> from theorems.claims import Claim
>>> from theorems import strategies as sdl
>>> frob = lambda M: float(np.linalg.norm(M))
>>> spectral = lambda M: float(np.linalg.norm(M, 2))
>>> claim = Claim("spectral <= frobenius", spectral, frob, "<=",
...               given={"M": sdl.integer_matrices(max_side=3)})
>>> test_spectral = property_test(claim, max_examples=20)
>>> test_spectral()   # passes silently
>>> assert_refuted(Claim("frobenius <= spectral", frob, spectral, "<=",
...                      given={"M": sdl.integer_matrices(max_side=3)})).status.value
'refuted'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from typing import Any

from hypothesis import given, settings

from theorems.claims import Claim, falsify
from theorems.core import Status, Theorem, Verdict

__all__ = ["assert_holds", "assert_refuted", "property_test", "hypothesis_test",
           "parametrize_with_claims"]


def _as_claim(obj: Claim | Theorem) -> Claim:
    if isinstance(obj, Theorem):
        return Claim.from_theorem(obj)
    if isinstance(obj, Claim):
        return obj
    if isinstance(getattr(obj, "claim", None), Claim):  # a gallery entry
        return obj.claim
    raise ValueError(f"expected a Claim or a Theorem, got {type(obj).__name__}")


def assert_holds(obj: Claim | Theorem, max_examples: int | None = None,
                 seed: int = 0) -> Verdict:
    """Falsify and fail unless the verdict is ``proved`` or ``verified``.

    Raises
    ------
    AssertionError
        With the verdict summary: the shrunk counterexample and the seed that
        reproduces it, or the reason the verdict is inconclusive.
    """
    verdict = falsify(_as_claim(obj), max_examples=max_examples, seed=seed)
    if not verdict.ok:
        raise AssertionError(f"expected {verdict.theorem} to hold, got "
                             f"{verdict.status.value}\n{verdict.summary()}")
    return verdict


def assert_refuted(obj: Claim | Theorem, max_examples: int | None = None,
                   seed: int = 0) -> Verdict:
    """Falsify and fail unless the verdict is ``refuted`` (for claims known to be false)."""
    verdict = falsify(_as_claim(obj), max_examples=max_examples, seed=seed)
    if verdict.status is not Status.REFUTED:
        raise AssertionError(f"expected {verdict.theorem} to be refuted, got "
                             f"{verdict.status.value}\n{verdict.summary()}")
    return verdict


def _test_name(name: str) -> str:
    return "test_" + (re.sub(r"\W+", "_", name).strip("_").lower() or "claim")


def property_test(obj: Claim | Theorem, max_examples: int | None = None,
                  seed: int = 0) -> Callable[[], None]:
    """A pytest test function asserting that ``obj`` holds: ``test_x = property_test(claim)``.

    The test runs :func:`assert_holds` (symbolic routes first, then the
    Hypothesis search, seeded by ``seed`` so a failure reproduces exactly).
    """
    claim = _as_claim(obj)

    def test() -> None:
        assert_holds(claim, max_examples=max_examples, seed=seed)

    test.__name__ = test.__qualname__ = _test_name(claim.name)
    test.__doc__ = f"{claim.name}: {claim.title}"
    return test


def hypothesis_test(claim: Claim, max_examples: int | None = None) -> Callable[[], None]:
    """A Hypothesis test over the claim's instances, under the active settings profile.

    Each example asserts the claim at one instance; a confirmed violation or a
    side that raises fails the example and Hypothesis shrinks it (with your
    example database, if any).  A violation too small to confirm passes.
    """
    claim = _as_claim(claim)
    strategy = claim.strategy()

    @given(strategy)
    def test(instance: Any) -> None:
        out = claim.check(instance)
        if out["error"]:
            raise AssertionError(f"{claim.name}: {out['error']} at {out['instance']}")
        if out["holds"] is False:
            raise AssertionError(f"{claim.name} fails at {out['instance']}: lhs {out['lhs']}, "
                                 f"rhs {out['rhs']} (relation {claim.relation}, {out['recheck']})")

    if max_examples is not None:
        test = settings(max_examples=max_examples)(test)
    test.__name__ = test.__qualname__ = _test_name(claim.name)
    return test


def parametrize_with_claims(objs: Iterable[Claim | Theorem], max_examples: int | None = None,
                            seed: int = 0) -> Callable[[Callable], Callable]:
    """Parametrize a test ``(claim, check)`` over claims and theorems, like scikit-learn's
    ``parametrize_with_checks``; ``check(claim)`` is :func:`assert_holds`.

    Called without arguments (outside pytest), the decorated test runs every case.

    Examples
    --------
    ``@parametrize_with_claims([claim_a, theorems.get("dropout.doubling")])``
    then ``def test_claims(claim, check): check(claim)``.
    """
    import pytest

    claims = [_as_claim(o) for o in objs]
    check = functools.partial(assert_holds, max_examples=max_examples, seed=seed)
    functools.update_wrapper(check, assert_holds)

    def decorate(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            if args or kwargs:
                return fn(*args, **kwargs)
            for claim in claims:
                fn(claim, check)
            return None

        return pytest.mark.parametrize(("claim", "check"), [(c, check) for c in claims],
                                       ids=[c.name for c in claims])(run)

    return decorate
