"""A canonical form for polynomial expressions built from nested indexed sums.

SymPy's ``simplify`` does not decide equalities such as

    sum_a sum_b (sum_i U[a,i] V[b,i])**2 == sum_i sum_j (sum_a U[a,i] U[a,j]) (sum_b V[b,i] V[b,j])

for symbolic sizes (DESIGN.md, "Known traps").  This module decides them for
the polynomial case by bringing both sides to one normal form:

1. **flatten**: distribute products and integer powers over sums, pull every
   ``Sum`` out to the front of its term (renaming its dummy so that no two
   sums share one), so a term is ``coefficient * Sum(monomial, limits)``;
2. **collapse Kronecker deltas**: ``sum_j f(j) delta(i, j) = f(i)`` when the
   two indices run over the same range;
3. **drop idle sums**: a dummy absent from the monomial contributes its range
   length as a factor;
4. **rename dummies** canonically: among all orders of a term's dummies take
   the one whose renamed monomial prints smallest, so two terms equal up to
   the names of their dummies get the same key;
5. **collect** coefficients of equal keys and cancel them.

Non-polynomial factors (a square root, a reciprocal, an expectation) are atoms,
but their arguments are brought to the same normal form first, with dummy
names of their own nesting level, so that renaming an outer dummy never
captures an inner one.

Two expressions are equal for every size when their normal forms are equal.
The converse need not hold (non-polynomial factors are left as atoms), so a
nonzero difference is not by itself a counterexample: see
:func:`theorems.derivation.search_counterexample`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import sympy
from sympy import Add, Expr, Indexed, KroneckerDelta, Mul, Pow, Sum, Symbol

__all__ = ["Term", "terms", "canonical", "CanonicalForm", "equivalent", "fresh_index",
           "manifestly_nonnegative"]

_counter = itertools.count()

Limit = tuple[Symbol, Expr, Expr]


def fresh_index(prefix: str = "_k") -> Symbol:
    """A new integer symbol that no user expression contains."""
    return Symbol(f"{prefix}{next(_counter)}", integer=True)


@dataclass(frozen=True)
class Term:
    """``coeff * Sum(body, *limits)`` with ``coeff`` free of the dummies."""

    coeff: Expr
    limits: tuple[Limit, ...]
    body: Expr

    @property
    def dummies(self) -> tuple[Symbol, ...]:
        return tuple(lim[0] for lim in self.limits)

    def times(self, other: Term) -> Term:
        return Term(self.coeff * other.coeff, self.limits + other.limits, self.body * other.body)

    def to_expr(self) -> Expr:
        if not self.limits:
            return self.coeff * self.body
        return self.coeff * Sum(self.body, *reversed(self.limits))


def _split(term: Term) -> Term:
    """Put the factors that involve a dummy in the body, the others in the coefficient."""
    dummies = set(term.dummies)
    coeff, body = [], []
    for factor in Mul.make_args(term.coeff * term.body):
        (body if factor.free_symbols & dummies else coeff).append(factor)
    return Term(Mul(*coeff), term.limits, Mul(*body))


def _is_polynomial_pow(expr: Expr) -> bool:
    return (
        isinstance(expr, Pow)
        and expr.exp.is_Integer
        and expr.exp > 1
        and (expr.base.has(Sum) or isinstance(expr.base, Add))
    )


def terms(expr: Expr, _depth: int = 0) -> list[Term]:
    """Flatten ``expr`` into a list of :class:`Term` (step 1 of the normal form)."""
    expr = sympy.sympify(expr)
    if isinstance(expr, Add):
        return [t for arg in expr.args for t in terms(arg, _depth)]
    if isinstance(expr, Mul):
        acc = [Term(sympy.S.One, (), sympy.S.One)]
        for arg in expr.args:
            acc = [a.times(b) for a in acc for b in terms(arg, _depth)]
        return [_split(t) for t in acc]
    if _is_polynomial_pow(expr):
        # each factor is expanded on its own, so each copy gets fresh dummies
        acc = [Term(sympy.S.One, (), sympy.S.One)]
        for _ in range(int(expr.exp)):
            acc = [a.times(b) for a in acc for b in terms(expr.base, _depth)]
        return [_split(t) for t in acc]
    if isinstance(expr, Sum):
        body = expr.function
        limits: list[Limit] = []
        for var, lo, hi in expr.limits:  # innermost first in SymPy
            new = fresh_index()
            body = body.xreplace({var: new})
            limits.insert(0, (new, lo, hi))
        return [_split(Term(t.coeff, tuple(limits) + t.limits, t.body))
                for t in terms(body, _depth)]
    if getattr(expr, "is_expectation", False):
        # an expectation is an atom of the outer sum; its argument gets its own normal form
        expr = type(expr)(canonical(expr.args[0], _depth + 1).to_expr())
    elif expr.args and expr.has(Sum) and not isinstance(expr, Indexed):
        # a function of sums (sqrt, a reciprocal, ...) is an atom too, and its arguments get
        # their own normal form, so sqrt(sum_a x_a^2) and sqrt(sum_b x_b^2) are one atom
        expr = expr.func(*[canonical(arg, _depth + 1).to_expr() if arg.has(Sum) else arg
                           for arg in expr.args])
    # through _split like every other term: a constant (0 included) lands in the coefficient
    return [_split(Term(sympy.S.One, (), expr))]


def _collapse_deltas(term: Term) -> Term:
    """Sum out Kronecker deltas whose index is a dummy over a matching range."""
    changed = True
    while changed:
        changed = False
        ranges = {v: (lo, hi) for v, lo, hi in term.limits}
        for factor in Mul.make_args(term.body):
            base = factor.base if isinstance(factor, Pow) else factor
            if not isinstance(base, KroneckerDelta):
                continue
            p, q = base.args
            if q not in ranges and p in ranges:
                p, q = q, p
            if q not in ranges:
                continue
            if p in ranges and ranges[p] != ranges[q]:
                continue
            if p not in ranges and not (p.is_Integer or p.is_Symbol):
                continue
            # delta**k == delta, so the whole factor goes
            rest = Mul(*[f for f in Mul.make_args(term.body) if f is not factor])
            limits = tuple(lim for lim in term.limits if lim[0] != q)
            term = _split(Term(term.coeff, limits, rest.xreplace({q: p})))
            changed = True
            break
    return term


def _drop_idle(term: Term) -> Term:
    keep, coeff = [], term.coeff
    for var, lo, hi in term.limits:
        if var in term.body.free_symbols:
            keep.append((var, lo, hi))
        else:
            coeff = coeff * (hi - lo + 1)
    return Term(coeff, tuple(keep), term.body)


def _canonical_names(n: int, depth: int = 0) -> list[Symbol]:
    # each nesting level (the argument of sqrt, E[.], ...) has its own names, so renaming an
    # outer dummy can never capture a bound one inside
    prefix = "_c" if depth == 0 else f"_c{depth}_"
    return [Symbol(f"{prefix}{k}", integer=True) for k in range(n)]


def _rename(term: Term, depth: int = 0) -> tuple[tuple, Expr]:
    """Key of the term: (limits with canonical dummies, canonical body)."""
    dummies = list(term.dummies)
    if not dummies:
        return ((), term.body)
    names = _canonical_names(len(dummies), depth)
    ranges = {v: (lo, hi) for v, lo, hi in term.limits}
    best = None
    orders = itertools.permutations(dummies) if len(dummies) <= 6 else [tuple(dummies)]
    for order in orders:
        mapping = dict(zip(order, names, strict=True))
        body = term.body.xreplace(mapping)
        lims = tuple((names[k], *ranges[v]) for k, v in enumerate(order))
        key = (str(lims), str(body))
        if best is None or key < best[0]:
            best = (key, lims, body)
    return best[1], best[2]


class CanonicalForm:
    """A normal form: a mapping from (limits, monomial) to a coefficient."""

    def __init__(self, table: dict[tuple[tuple, Expr], Expr]):
        self.table = table

    def __sub__(self, other: CanonicalForm) -> CanonicalForm:
        table = dict(self.table)
        for key, coeff in other.table.items():
            table[key] = table.get(key, sympy.S.Zero) - coeff
        return CanonicalForm(_cancel(table))

    def is_zero(self) -> bool:
        return not self.table

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CanonicalForm):
            return NotImplemented
        return (self - other).is_zero()

    def __hash__(self) -> int:  # pragma: no cover - not meant as dict keys
        return id(self)

    def to_expr(self) -> Expr:
        """The normal form as a SymPy expression (a sum of Sums)."""
        out = []
        for (lims, body), coeff in sorted(self.table.items(), key=lambda kv: str(kv[0])):
            out.append(coeff * (Sum(body, *reversed(lims)) if lims else body))
        return Add(*out)

    def __len__(self) -> int:
        return len(self.table)

    def __repr__(self) -> str:
        return f"CanonicalForm({self.to_expr()})"


def _cancel(table: dict) -> dict:
    out = {}
    for key, coeff in table.items():
        c = sympy.factor(sympy.cancel(sympy.together(coeff)))
        if c != 0:
            out[key] = c
    return out


def canonical(expr: Expr, _depth: int = 0) -> CanonicalForm:
    """The normal form of ``expr`` (see the module docstring).

    Examples
    --------
    >>> from sympy import IndexedBase, Sum, symbols
    >>> a, i, j, m, d = symbols("a i j m d", integer=True, positive=True)
    >>> U = IndexedBase("U")
    >>> lhs = Sum(Sum(U[a, i], (i, 1, d))**2, (a, 1, m))
    >>> rhs = Sum(Sum(Sum(U[a, i] * U[a, j], (j, 1, d)), (i, 1, d)), (a, 1, m))
    >>> canonical(lhs) == canonical(rhs)
    True
    """
    table: dict[tuple[tuple, Expr], Expr] = {}
    for term in terms(expr, _depth):
        term = _drop_idle(_collapse_deltas(term))
        lims, body = _rename(term, _depth)
        key = (lims, body)
        table[key] = table.get(key, sympy.S.Zero) + term.coeff
    return CanonicalForm(_cancel(table))


def equivalent(lhs: Expr, rhs: Expr) -> bool:
    """True when both sides have the same normal form (equal for every size)."""
    return canonical(lhs) == canonical(rhs)


def manifestly_nonnegative(expr: Expr) -> bool:
    """True when ``expr`` is manifestly >= 0: built by +, *, Sum and sqrt from squares,
    positive symbols and non-negative numbers.

    No cancellation is ever used: every term, factor and summand must be >= 0 on its
    own, for every value of the symbols that their assumptions allow.
    """
    if expr.is_nonnegative:
        return True
    if isinstance(expr, Add | Mul):
        return all(manifestly_nonnegative(arg) for arg in expr.args)
    if isinstance(expr, Pow):
        if expr.exp.is_Integer and expr.exp % 2 == 0:
            return True
        return (bool(expr.exp.is_positive or expr.exp.is_Integer)
                and manifestly_nonnegative(expr.base))
    if isinstance(expr, Sum):
        # SymPy's Sum over hi < lo - 1 is minus a sum (Karr's convention): ranges must not
        # be reversed for a sum of non-negative terms to be non-negative
        ranges_ok = all((hi - lo + 1).is_nonnegative for _, lo, hi in expr.limits)
        return ranges_ok and manifestly_nonnegative(expr.function)
    return False
