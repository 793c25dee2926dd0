"""Claims: state a conjecture, then prove it or break it with a minimal counterexample.

A :class:`Claim` is ``lhs <relation> rhs`` stated in one of two ways:

* **symbolically**: both sides are SymPy expressions over matrix symbols
  (``MatrixSymbol``), indexed sums (``IndexedBase`` with ``Sum``), scalar
  symbols with declared domains (``theta`` in ``Interval.Lopen(0, 1)``) and
  expectations over independent Bernoulli masks
  (:class:`~theorems.symbolic.expectation.Expectation` with ``random={r: theta}``);
* **numerically**: both sides are Python callables of keyword arguments drawn
  from Hypothesis strategies (``given={"M": strategies.integer_matrices()}``),
  or constants.

:func:`falsify` returns a :class:`~theorems.core.Verdict`:

* ``refuted``: Hypothesis found an instance that breaks the claim and shrank
  it (smallest sizes, simplest values); the instance is re-checked far beyond
  round-off (exact rational arithmetic for symbolic claims; for callables the
  claim's ``precise`` evaluation, exact or 50-digit mpmath, when it has one,
  else a float64 margin of at least :data:`CONFIDENT`);
* ``proved``: an equality with symbolic sizes whose two sides have the same
  canonical form (:func:`theorems.symbolic.sums.canonical`), valid for every size;
* ``verified``: exact expansion at the fixed sizes of the claim, or "no
  counterexample in N examples from these strategies" (N and the strategies
  are in the evidence details);
* ``inconclusive``: a side raised or returned a non-finite value, or every
  violation found was too close to round-off to be confirmed.  Never a false
  verdict.

A badly stated claim (sides of different shapes, an empty domain, an
undeclared free index, a callable that does not accept the drawn arguments)
raises ``ValueError`` naming the claim and the cause.

The package: :mod:`~theorems.claims.claim` (the :class:`Claim`),
:mod:`~theorems.claims.search` (:func:`falsify`), the engines
:mod:`~theorems.claims.callable_engine`, :mod:`~theorems.claims.symbolic_engine`
and :mod:`~theorems.claims.theorem_engine` (one protocol,
:class:`~theorems.claims.outcome.Engine`), :mod:`~theorems.claims.exact` (exact
and mpmath re-checks) and :mod:`~theorems.claims.targets` (:func:`resolve`).

Examples
--------
>>> import sympy
>>> from hypothesis import strategies as st
>>> from theorems.claims import Claim, falsify
>>> x = sympy.Symbol("x")
>>> falsify(Claim("square", (x + 1)**2, x**2 + 2*x + 1)).status.value
'proved'
>>> c = Claim("am-gm", lambda a, b: a * b, lambda a, b: (a * a + b * b) / 2, "<=",
...           given={"a": st.integers(-9, 9), "b": st.integers(-9, 9)})
>>> falsify(c, max_examples=50).status.value
'verified'
>>> c = Claim("bad am-gm", lambda a, b: a * b, lambda a, b: (a + b) / 2, "<=",
...           given={"a": st.integers(0, 9), "b": st.integers(0, 9)})
>>> v = falsify(c, max_examples=50)
>>> v.status.value, v.counterexample["instance"]
('refuted', {'a': 1, 'b': 2})
"""

from theorems.claims.claim import Claim
from theorems.claims.gallery_entry import GalleryEntry
from theorems.claims.outcome import CONFIDENT, DEFAULT_EXAMPLES, DIGITS, RELATIONS
from theorems.claims.search import falsify
from theorems.claims.targets import resolve

__all__ = ["Claim", "falsify", "resolve", "RELATIONS", "CONFIDENT", "DIGITS", "DEFAULT_EXAMPLES",
           "GalleryEntry"]
