"""The :class:`Claim`: a conjectured identity or inequality, symbolic or numeric."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping
from functools import cached_property
from typing import Any

import sympy
from hypothesis import strategies as st
from sympy import IndexedBase

from theorems.claims.callable_engine import CallableEngine
from theorems.claims.outcome import CONFIDENT, BadClaim, Engine, check_relation
from theorems.claims.symbolic_engine import SymbolicEngine
from theorems.claims.theorem_engine import TheoremEngine
from theorems.core import PROFILES, Theorem

__all__ = ["Claim"]


class Claim:
    """A conjectured identity or inequality ``lhs <relation> rhs``.

    Parameters
    ----------
    name : str
        Short identifier, shown as the verdict's ``theorem`` field.
    lhs, rhs : SymPy expression, callable or constant
        Both SymPy (a symbolic claim), or callables of the keyword arguments in
        ``given`` / real constants (a numeric claim).
    relation : {"==", "<=", ">=", "<", ">"}
    given : mapping of str to Hypothesis strategy, optional
        Numeric claims: the strategy of each keyword argument (for instance
        :mod:`theorems.strategies`).
    domains : mapping of Symbol to sympy.Set, optional
        Symbolic claims: the domain of each scalar symbol, e.g.
        ``{theta: Interval.Lopen(0, 1)}`` (default from the symbol's assumptions:
        positive -> (0, oo), else the reals).  Values are drawn from simple exact
        points of the domain (1, 1/2, 1/3, ...).
    sizes : mapping of Symbol to (low, high), optional
        Symbolic claims: the range searched for each size symbol (default 1..3).
    indices : mapping of Symbol to (low, high), optional
        Symbolic claims: the range of each free index, e.g. ``{i: (1, d)}``.
    random : mapping of IndexedBase to keep probability, optional
        Symbolic claims: ``Expectation`` is over independent Bernoulli entries of these.
    entries : (int, int)
        Symbolic claims: entries of matrices are integers in this range.
    rtol : float
        Relative tolerance of the float64 comparison (default 1e-9, round-off with
        headroom); violations below it count as holding.
    floor : float
        Smallest scale a relative gap is measured against: gap = |lhs - rhs| /
        max(|lhs|, |rhs|, floor).
    precise : callable, optional
        Numeric claims: ``precise(**instance) -> (lhs, rhs)`` in exact numbers
        (int, Fraction, SymPy) or mpmath values; called under 50-digit mpmath
        precision on every float64 violation, and its answer decides.  Without
        it, a violation counts only when its float64 margin reaches
        :data:`CONFIDENT` (which assumes the sides are computed stably); smaller
        margins leave the verdict inconclusive.
    explanation : str
        One line shown as the verdict title (e.g. the mistake of a false claim).

    Raises
    ------
    ValueError
        A badly stated claim, naming the claim and the cause.
    """

    def __init__(self, name: str, lhs: Any = None, rhs: Any = None, relation: str = "==", *,
                 given: Mapping[str, st.SearchStrategy] | None = None,
                 domains: Mapping[sympy.Symbol, sympy.Set] | None = None,
                 sizes: Mapping[sympy.Symbol, Any] | None = None,
                 indices: Mapping[sympy.Symbol, tuple] | None = None,
                 random: Mapping[IndexedBase, Any] | None = None,
                 entries: tuple[int, int] = (-3, 3), rtol: float = 1e-9, floor: float = 1.0,
                 precise: Callable | None = None, explanation: str = ""):
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"name: expected a non-empty string, got {name!r}")
        self.name = name
        self.lhs, self.rhs = lhs, rhs
        self.relation = check_relation(relation, name)
        self.explanation = str(explanation)
        for label, value in (("rtol", rtol), ("floor", floor)):
            if isinstance(value, bool) or not isinstance(value, numbers.Real) \
                    or not (value > 0 and math.isfinite(value)):
                raise ValueError(f"claim {name!r}: {label}: expected a positive number, "
                                 f"got {value!r}")
        if rtol >= CONFIDENT:
            raise ValueError(f"claim {name!r}: rtol: expected a tolerance below {CONFIDENT:g} "
                             f"(the margin that confirms a counterexample), got {rtol!r}")
        self.rtol, self.floor = float(rtol), float(floor)
        if lhs is None or rhs is None:
            raise ValueError(f"claim {name!r}: both sides are required (lhs and rhs)")
        exprs = (sympy.Basic, sympy.MatrixBase)
        symbolic = isinstance(lhs, exprs) or isinstance(rhs, exprs)
        if any(callable(side) and not isinstance(side, exprs) for side in (lhs, rhs)):
            symbolic = False
        if symbolic:
            if given is not None or precise is not None:
                raise ValueError(f"claim {name!r}: given and precise are for numeric claims "
                                 "(callable sides); a symbolic claim draws its own instances")
            self._engine: Engine | TheoremEngine = SymbolicEngine(
                self, domains, sizes, indices, random, entries)
        else:
            if any(v is not None for v in (domains, sizes, indices, random)):
                raise ValueError(f"claim {name!r}: domains, sizes, indices and random are for "
                                 "symbolic claims; a numeric claim takes given={...}")
            if given is None:
                raise ValueError(f"claim {name!r}: a numeric claim needs given={{argument: "
                                 "strategy}} to draw its instances from")
            self._engine = CallableEngine(self, given, precise)

    @classmethod
    def from_theorem(cls, theorem: Theorem, seeds: int = 3, profile: str = "quick") -> Claim:
        """A catalog theorem as a claim: its checks are the search.

        Falsifying it runs the theorem's symbolic checks once and its other
        checks (numeric, convex, landscape) under ``seeds`` consecutive seeds
        (``max_examples`` overrides the count), each seed drawing the check's
        own random instances.  A failure is a counterexample reproducible from
        its seed; a general symbolic pass makes it ``proved``.

        >>> import theorems
        >>> from theorems.claims import falsify
        >>> c = Claim.from_theorem(theorems.get("dropout.doubling"), seeds=1)
        >>> c.name, falsify(c).status.value
        ('dropout.doubling', 'proved')
        """
        if not isinstance(theorem, Theorem):
            raise ValueError(f"theorem: expected a Theorem, got {type(theorem).__name__}")
        if isinstance(seeds, bool) or not isinstance(seeds, numbers.Integral) or seeds < 1:
            raise ValueError(f"seeds: expected an integer >= 1, got {seeds!r}")
        if profile not in PROFILES:
            raise ValueError(f"profile: expected one of {', '.join(PROFILES)}, got {profile!r}")
        claim = cls.__new__(cls)
        claim.name = theorem.id
        claim.lhs = claim.rhs = None
        claim.relation = "=="
        claim.explanation = theorem.title
        claim.rtol, claim.floor = 1e-9, 1.0
        claim._engine = TheoremEngine(theorem, int(seeds), profile)
        return claim

    @property
    def kind(self) -> str:
        """``symbolic``, ``callable`` or ``theorem``."""
        return self._engine.kind

    @cached_property
    def title(self) -> str:
        if self.explanation:
            return self.explanation
        if self.kind == "symbolic":
            return f"{sympy.sstr(self._engine.lhs)} {self.relation} {sympy.sstr(self._engine.rhs)}"
        return f"{_describe(self.lhs)} {self.relation} {_describe(self.rhs)}"

    def strategy(self) -> st.SearchStrategy:
        """The Hypothesis strategy of this claim's instances (for your own ``@given`` tests).

        Symbolic claims draw sizes, index values, simple exact scalars and
        small integer entries; numeric claims draw ``dict(**given)``.
        """
        if self.kind == "theorem":
            raise ValueError(f"claim {self.name!r}: a theorem claim has no instance strategy; "
                             "its checks draw their own instances from seeds")
        return self._engine.strategy()

    def check(self, instance: Any) -> dict[str, Any]:
        """Evaluate the claim at one instance drawn from :meth:`strategy`.

        Returns a dict with ``holds`` (True, False, or None when undecided), both
        sides, the relative gap and how a violation was re-checked.
        """
        if self.kind == "theorem":
            raise ValueError(f"claim {self.name!r}: a theorem claim is checked with falsify()")
        try:
            out = self._engine.evaluate(instance)
        except BadClaim as exc:
            raise ValueError(str(exc)) from None
        shown, _ = self._engine.describe_instance(instance)
        holds = {"holds": True, "counterexample": False}.get(out.kind)
        return {"holds": holds, "instance": shown, "lhs": out.lhs, "rhs": out.rhs,
                "gap": out.gap, "recheck": out.recheck, "error": out.error}

    def __repr__(self) -> str:
        return f"<Claim {self.name} ({self.kind}): {self.title}>"


def _describe(side: Any) -> str:
    """A side in a title: a function's name, or the repr of a constant."""
    if callable(side):
        return getattr(side, "__name__", type(side).__name__)
    return repr(side)

