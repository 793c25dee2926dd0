"""An expectation operator for independent Bernoulli masks, with symbolic indices.

``sympy.stats`` enumerates outcomes (2^n of them for n Bernoulli variables)
and its ``BernoulliProcess`` gives ``E[B_i B_j] = theta**2`` for symbolic i, j,
wrong when i = j (DESIGN.md, "Known traps").  Here the moments come from the
moment-cumulant formula, valid for any index pattern:

    E[r_{i_1} ... r_{i_k}] = sum over set partitions P of {1..k} of
                             prod_{B in P} kappa_{|B|} * [all indices in B are equal],

because joint cumulants of independent variables vanish unless all the
variables are the same one.  The indicator of equal indices is a product of
Kronecker deltas, which the sum canonicalizer then collapses.  For
Bernoulli(theta), kappa_1 = theta, kappa_2 = theta (1 - theta), ...
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

import sympy
from sympy import Expr, Indexed, IndexedBase, KroneckerDelta, Mul, Pow, Sum
from sympy.utilities.iterables import multiset_partitions

from theorems.symbolic.sums import terms

__all__ = ["Expectation", "bernoulli_cumulant", "linearity", "bernoulli_moments"]


class Expectation(sympy.Function):
    """An unevaluated expectation ``E[arg]`` over the random variables of a derivation."""

    nargs = 1
    is_expectation = True  # the canonicalizer normalizes the argument

    def _latex(self, printer, *args) -> str:
        return rf"\mathbb{{E}}\left[{printer._print(self.args[0])}\right]"

    def _sympystr(self, printer) -> str:
        return f"E[{printer._print(self.args[0])}]"


@cache
def _bernoulli_cumulants(k: int) -> tuple[Expr, ...]:
    t, p = sympy.symbols("t p")
    cgf = sympy.log(1 - p + p * sympy.exp(t))
    out, g = [], cgf
    for _ in range(k):
        g = sympy.diff(g, t)
        out.append(sympy.factor(sympy.simplify(g.subs(t, 0))))
    return tuple(out)


def bernoulli_cumulant(k: int, theta: Expr) -> Expr:
    """The k-th cumulant of a Bernoulli(theta) variable.

    >>> import sympy
    >>> th = sympy.Symbol("theta")
    >>> bernoulli_cumulant(2, th)
    -theta*(theta - 1)
    """
    if k < 1:
        raise ValueError(f"k: expected a positive integer, got {k}")
    p = sympy.Symbol("p")
    return _bernoulli_cumulants(k)[k - 1].subs(p, theta)


def _is_random(expr: Expr, bases: frozenset[IndexedBase]) -> bool:
    return any(isinstance(a, Indexed) and a.base in bases for a in expr.atoms(Indexed))


def linearity(expr: Expr, random: set[IndexedBase] | frozenset[IndexedBase]) -> Expr:
    """Push every :class:`Expectation` through sums and deterministic factors.

    ``E[sum_i c_i X_i] = sum_i c_i E[X_i]`` where ``c_i`` holds no variable of
    ``random``; what remains inside each expectation is a monomial in them.
    """
    bases = frozenset(random)

    def push(arg: Expr) -> Expr:
        out = []
        for term in terms(arg):
            rand, det = [], []
            coeff = []
            for factor in Mul.make_args(term.coeff):
                # a random factor free of the sum's dummies (E[r_i r_j], i, j free) still
                # belongs inside the expectation
                (rand if _is_random(factor, bases) else coeff).append(factor)
            for factor in Mul.make_args(term.body):
                (rand if _is_random(factor, bases) else det).append(factor)
            body = Mul(*det) * (Expectation(Mul(*rand)) if rand else 1)
            inner = Sum(body, *reversed(term.limits)) if term.limits else body
            out.append(Mul(*coeff) * inner)
        return sympy.Add(*out)

    return expr.replace(lambda e: isinstance(e, Expectation), lambda e: push(e.args[0]))


def _indicator(indices: list[tuple[Expr, ...]]) -> Expr:
    """Product of Kronecker deltas saying all index tuples in a block are equal."""
    first = indices[0]
    out = sympy.S.One
    for other in indices[1:]:
        for a, b in zip(first, other, strict=True):
            out *= KroneckerDelta(a, b)
    return out


def _moment(monomial: Expr, theta: Mapping[IndexedBase, Expr]) -> Expr:
    groups: dict[IndexedBase, list[tuple[Expr, ...]]] = {}
    rest = []
    for factor in Mul.make_args(monomial):
        base, power = (factor.base, factor.exp) if isinstance(factor, Pow) else (factor, 1)
        if isinstance(base, Indexed) and base.base in theta:
            if not (sympy.sympify(power).is_Integer and power >= 1):
                raise ValueError(f"cannot take the moment of {factor}: not a positive power")
            # r**k == r for a 0/1 variable
            groups.setdefault(base.base, []).append(tuple(base.indices))
        else:
            rest.append(factor)
    if rest:
        raise ValueError(f"non-random factors left inside an expectation: {Mul(*rest)}")
    out = sympy.S.One
    for base, idx in groups.items():
        total = sympy.S.Zero
        for partition in multiset_partitions(list(range(len(idx)))):
            piece = sympy.S.One
            for block in partition:
                piece *= bernoulli_cumulant(len(block), theta[base])
                piece *= _indicator([idx[k] for k in block])
            total += piece
        out *= total
    return out


def bernoulli_moments(expr: Expr, theta: Mapping[IndexedBase, Expr]) -> Expr:
    """Replace each ``E[monomial]`` by its value for independent Bernoulli entries.

    Parameters
    ----------
    expr : Expr
        An expression whose expectations hold monomials in the random bases
        (apply :func:`linearity` first).
    theta : mapping
        Each random ``IndexedBase`` to its keep probability; all entries of a
        base are independent Bernoulli(theta) variables.

    Examples
    --------
    >>> import sympy
    >>> from sympy import IndexedBase, symbols
    >>> r = IndexedBase("r"); i, j = symbols("i j", integer=True); th = symbols("theta")
    >>> sympy.factor(bernoulli_moments(Expectation(r[i] * r[j]), {r: th}))
    -theta*(theta*KroneckerDelta(i, j) - theta - KroneckerDelta(i, j))
    """
    return expr.replace(
        lambda e: isinstance(e, Expectation), lambda e: _moment(e.args[0], theta)
    )
