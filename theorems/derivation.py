"""Derivations: chains of expressions, each link justified by a rule that checks it.

A :class:`Derivation` starts from an expression and lists :class:`Step` objects;
step k claims ``previous <relation> step.expr`` and names the :class:`Rule`
that justifies it.  :meth:`Derivation.check` asks each rule to check its own
step.  A rule is either

* a :class:`Transform`: it rewrites the previous expression (expansion,
  linearity of expectation, Bernoulli moments, ...) and the step holds when
  the rewrite and the claimed expression have the same canonical form
  (:mod:`theorems.symbolic.sums`), an exact check for symbolic sizes; or
* a :class:`Lemma`: a named fact (Cauchy-Schwarz, ...) with a check function
  of its own, symbolic or numeric; a numeric lemma says so in the result.

When a step fails, :func:`search_counterexample` instantiates both sides at
small concrete sizes with exact rational entries: a nonzero difference is a
counterexample, a zero one leaves the step unproved (inconclusive).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy
from sympy import Expr, Indexed, Sum

from theorems.symbolic.sums import canonical, equivalent

__all__ = [
    "Rule",
    "Transform",
    "Lemma",
    "Step",
    "StepResult",
    "Derivation",
    "DerivationResult",
    "binding",
    "chain_relation",
    "conjuncts",
    "EXPAND",
    "search_counterexample",
]


@dataclass(frozen=True)
class StepResult:
    """The outcome of checking one step."""

    index: int
    rule: str
    relation: str
    ok: bool | None
    symbolic: bool
    detail: str = ""
    counterexample: dict[str, Any] | None = None


class Rule:
    """A justification for one step; subclasses have ``name``, ``description``,
    ``symbolic`` (False when the check is numeric) and implement :meth:`check`."""

    name: str
    description: str
    symbolic: bool

    def check(self, before: Expr, after: Expr, relation: str) -> tuple[bool | None, str]:
        raise NotImplementedError


@dataclass(frozen=True)
class Transform(Rule):
    """A rewrite rule: the step holds when ``apply(before)`` and ``after`` are canonically equal.

    Parameters
    ----------
    name : str
        A short name shown in reports ("expand", "linearity of expectation").
    apply : callable
        Maps the previous expression to a rewritten one (an equality).
    description : str
    """

    name: str
    apply: Callable[[Expr], Expr]
    description: str = ""
    symbolic: bool = True

    def check(self, before: Expr, after: Expr, relation: str) -> tuple[bool | None, str]:
        if relation != "=":
            return False, f"rule {self.name!r} justifies equalities only, not {relation!r}"
        diff = canonical(self.apply(before)) - canonical(after)
        if diff.is_zero():
            return True, "canonical forms agree"
        return False, f"canonical forms differ by {len(diff)} term(s): {diff.to_expr()}"


@dataclass(frozen=True)
class Lemma(Rule):
    """A named lemma with its own check, ``check_fn(before, after, relation) -> (ok, detail)``.

    ``constrained`` marks a lemma that holds only for entries satisfying relations
    (orthonormal columns, singular pairs, ...): random entries would violate them,
    so a failed step gets no random counterexample search, and the lemma's own
    detail is the reason given.
    """

    name: str
    check_fn: Callable[[Expr, Expr, str], tuple[bool | None, str]]
    description: str = ""
    symbolic: bool = True
    constrained: bool = False

    def check(self, before: Expr, after: Expr, relation: str) -> tuple[bool | None, str]:
        return self.check_fn(before, after, relation)


EXPAND = Transform(
    "expand",
    lambda e: e,
    "distribute products and powers over sums, rename dummies, collect terms",
)


@dataclass
class Step:
    """``previous <relation> expr``, justified by ``rule``."""

    expr: Expr
    rule: Rule
    relation: str = "="
    note: str = ""


@dataclass
class DerivationResult:
    """Per-step results and the overall outcome of a derivation."""

    title: str
    steps: list[StepResult]
    general: bool

    @property
    def valid(self) -> bool | None:
        """True when every step holds, False when one is refuted, else None."""
        if any(s.ok is False for s in self.steps):
            return False
        if any(s.ok is None for s in self.steps):
            return None
        return True

    @property
    def symbolic_steps(self) -> int:
        return sum(1 for s in self.steps if s.symbolic)

    def failed(self) -> StepResult | None:
        return next((s for s in self.steps if s.ok is not True), None)


@dataclass
class Derivation:
    """A chain ``start = e1 = e2 <= ...`` with a rule for each link.

    Parameters
    ----------
    title : str
    start : Expr
    steps : list of Step
    general : bool
        True when the sizes are symbols, so a valid derivation is a proof for
        every size; False for a derivation at fixed sizes.
    sizes : mapping, optional
        Size symbols to the small values used when searching a counterexample.
    values : mapping, optional
        Scalar symbols (theta, ...) to the exact values used in that search.
    """

    title: str
    start: Expr
    steps: list[Step]
    general: bool = True
    sizes: Mapping[sympy.Symbol, int] = field(default_factory=dict)
    values: Mapping[sympy.Symbol, Any] = field(default_factory=dict)

    def check(self, seed: int = 0) -> DerivationResult:
        """Check every step by its rule; a failing step gets a counterexample search."""
        results = []
        before = self.start
        for k, step in enumerate(self.steps, start=1):
            try:
                ok, detail = step.rule.check(before, step.expr, step.relation)
            except Exception as exc:  # noqa: BLE001 - an unchecked step is not a pass
                ok, detail = None, f"{type(exc).__name__}: {exc}"
            cex = None
            if ok is False and getattr(step.rule, "constrained", False):
                detail += ("; no random counterexample search: random entries would violate "
                           "the lemma's relations")
            elif ok is False and step.relation == "=":
                # compare the rule's own rewrite with the claim (the rewrite has no open
                # expectation left, so it can be instantiated)
                target = step.rule.apply(before) if isinstance(step.rule, Transform) else before
                cex = search_counterexample(target, step.expr, self.sizes, self.values, seed)
                if cex is None:
                    ok, detail = None, detail + "; no concrete counterexample found"
            results.append(
                StepResult(k, step.rule.name, step.relation, ok, step.rule.symbolic, detail, cex)
            )
            before = step.expr
        return DerivationResult(self.title, results, self.general)

    def expressions(self) -> list[Expr]:
        return [self.start] + [s.expr for s in self.steps]


def _instantiate(expr: Expr, sizes: Mapping, values: Mapping, entries: dict) -> Expr:
    from theorems.symbolic.expectation import Expectation

    if expr.has(Expectation):
        raise ValueError("cannot instantiate an expression with an open expectation")
    out = expr.subs(dict(sizes)).subs(dict(values)).doit()
    for atom in sorted(out.atoms(Indexed), key=str):
        entries.setdefault(atom, None)
    return out


def search_counterexample(
    lhs: Expr,
    rhs: Expr,
    sizes: Mapping[sympy.Symbol, int],
    values: Mapping[sympy.Symbol, Any],
    seed: int = 0,
    tries: int = 3,
) -> dict[str, Any] | None:
    """Look for exact values at which ``lhs != rhs``.

    Both sides are instantiated at the given small sizes and scalar values,
    every remaining indexed entry gets a small random integer (seeded), and
    the difference is computed in exact rational arithmetic.

    Returns
    -------
    dict or None
        The sizes, values, entries and both sides where they differ, or None.
    """
    if not sizes and (lhs.has(Sum) or rhs.has(Sum)):
        return None
    rng = np.random.default_rng(seed)
    for _ in range(tries):
        entries: dict = {}
        try:
            left = _instantiate(lhs, sizes, values, entries)
            right = _instantiate(rhs, sizes, values, entries)
        except (ValueError, TypeError):
            return None
        assign = {a: sympy.Integer(int(rng.integers(-3, 4))) for a in entries}
        lv = sympy.nsimplify(left.xreplace(assign))
        rv = sympy.nsimplify(right.xreplace(assign))
        if lv.free_symbols or rv.free_symbols:
            return None
        if sympy.simplify(lv - rv) != 0:
            return {
                "sizes": {str(k): int(v) for k, v in sizes.items()},
                "values": {str(k): str(v) for k, v in values.items()},
                "entries": {str(k): int(v) for k, v in assign.items()},
                "lhs": str(lv),
                "rhs": str(rv),
                "seed": seed,
            }
    return None


_FLIP = {"=": "=", "<=": ">=", ">=": "<=", "<": ">", ">": "<"}
_OF_RELATIONAL = {"Equality": "=", "LessThan": "<=", "GreaterThan": ">=",
                  "StrictLessThan": "<", "StrictGreaterThan": ">"}


def chain_relation(relations: Sequence[str]) -> str | None:
    """The relation between the first and last expression of a chain of steps.

    ``=`` steps keep any relation; ``<=`` and ``<`` compose to ``<`` when one is
    strict; a chain that mixes ``<``-type and ``>``-type steps proves nothing (None).
    """
    ups = {r for r in relations if r in ("<=", "<")}
    downs = {r for r in relations if r in (">=", ">")}
    if ups and downs:
        return None
    if ups:
        return "<" if "<" in ups else "<="
    if downs:
        return ">" if ">" in downs else ">="
    return "="


def _implies(chain: str, claimed: str) -> bool:
    """Whether ``a chain b`` establishes ``a claimed b``."""
    allowed = {"=": {"="}, "<=": {"=", "<=", "<"}, ">=": {"=", ">=", ">"},
               "<": {"<"}, ">": {">"}}
    return chain in allowed[claimed]


def _same(a: Expr, b: Expr) -> bool:
    try:
        if equivalent(a, b):
            return True
    except Exception:  # noqa: BLE001 - the canonicalizer does not cover every expression
        pass
    try:
        return sympy.expand(sympy.sympify(a) - sympy.sympify(b)) == 0
    except Exception:  # noqa: BLE001
        return False


def conjuncts(statement: Any) -> list[tuple[Expr, str, Expr]]:
    """The statement as ``(lhs, relation, rhs)`` triples, one per conjunct of an ``And``.

    A statement that is not a relation (or an ``And`` of relations) has no sides,
    so no derivation can be bound to it.
    """
    parts = statement.args if isinstance(statement, sympy.And) else (statement,)
    out = []
    for part in parts:
        rel = _OF_RELATIONAL.get(type(part).__name__)
        if rel is None:
            return []
        out.append((part.lhs, rel, part.rhs))
    return out


def binding(statement: Any, derivation: Derivation) -> tuple[list[int], str]:
    """Which conjuncts of ``statement`` the derivation establishes, and why (or why not).

    A conjunct ``lhs R rhs`` is established when the derivation starts at ``lhs`` and
    ends at ``rhs`` (or the reverse, with the relation flipped), both canonically the
    same expressions, and its steps compose to a relation that implies ``R``.
    """
    exprs = derivation.expressions()
    first, last = exprs[0], exprs[-1]
    chain = chain_relation([s.relation for s in derivation.steps])
    parts = conjuncts(statement)
    if not parts:
        return [], "the statement is not a relation (or an And of relations)"
    if chain is None:
        return [], "the steps mix <= and >=, so the chain relates nothing"
    bound = []
    for k, (lhs, rel, rhs) in enumerate(parts):
        forward = _same(first, lhs) and _same(last, rhs) and _implies(chain, rel)
        backward = _same(first, rhs) and _same(last, lhs) and _implies(_FLIP[chain], rel)
        if forward or backward:
            bound.append(k)
    if bound:
        return bound, f"starts and ends at the two sides of conjunct(s) {bound}"
    return [], ("its first and last expressions are not the two sides of the statement "
                "(a derivation of something else)")


def run_derivation(
    derivation: Derivation, name: str, seed: int = 0, kind: str = "symbolic",
    statement: Any = None,
) -> Any:
    """Check a derivation and wrap the outcome as :class:`~theorems.core.Evidence`.

    With ``statement`` (the theorem's own), the evidence records in
    ``details["proves"]`` the conjuncts whose two sides the derivation joins
    (:func:`binding`): only such a general derivation can make a verdict ``proved``.
    """
    from theorems.core import Evidence

    result = derivation.check(seed=seed)
    failed = result.failed()
    symbolic_only = all(s.symbolic for s in result.steps)
    details = {
        "title": derivation.title,
        "steps": [
            {"rule": s.rule, "relation": s.relation, "ok": s.ok, "symbolic": s.symbolic,
             "detail": s.detail}
            for s in result.steps
        ],
        "symbolic_steps": result.symbolic_steps,
        "numeric_steps": len(result.steps) - result.symbolic_steps,
        "sizes": "symbolic" if derivation.general else "fixed",
    }
    if failed is not None:
        details["failed_step"] = failed.index
    if statement is not None:
        details["proves"], details["binding"] = binding(statement, derivation)
    return Evidence(
        kind=kind,
        name=name,
        passed=result.valid,
        instances=1,
        general=derivation.general and symbolic_only and result.valid is True,
        details=details,
        counterexample=None if failed is None else (
            failed.counterexample or {"failed_step": failed.index, "rule": failed.rule,
                                      "relation": failed.relation, "detail": failed.detail}),
    )


def steps_summary(result: DerivationResult) -> Sequence[str]:
    """Human-readable lines, one per step."""
    marks = {True: "ok", False: "FAILED", None: "unchecked"}
    return [
        f"step {s.index} ({s.relation}, {s.rule}): {marks[s.ok]}"
        + ("" if s.symbolic else " [numeric]")
        for s in result.steps
    ]
