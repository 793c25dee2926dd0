"""The symbolic engine: both sides are SymPy expressions over sizes, indices and scalars.

Instances are small sizes, index values, simple exact scalars and small integer
entries; a float64 evaluation proposes and exact rational arithmetic decides.
Two symbolic routes come first: a canonical-form proof for symbolic sizes
(:meth:`SymbolicEngine.proof`) and, when the search finds nothing, an exact
expansion at every searched size (:meth:`SymbolicEngine.expansion`).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy
from hypothesis import reject
from hypothesis import strategies as st
from sympy import Indexed, MatrixSymbol, Sum
from sympy.matrices.expressions.matexpr import MatrixElement

from theorems.claims.exact import exact_gap, exact_violated, float_gap, float_verdict, not_finite
from theorems.claims.instantiate import Instantiated, SymbolicInstance, instantiate, to_indexed
from theorems.claims.outcome import MAX_EXPANSION_CASES, Outcome
from theorems.claims.symbolic_spec import parse
from theorems.claims.values import jsonable_value, nested, short
from theorems.core import Evidence
from theorems.symbolic.expectation import bernoulli_moments, linearity
from theorems.symbolic.sums import canonical

if TYPE_CHECKING:
    from theorems.claims.claim import Claim

__all__ = ["SymbolicEngine"]


class SymbolicEngine:
    """Both sides are SymPy expressions; instances are small sizes, simple exact values."""

    kind = "symbolic"

    def __init__(self, claim: Claim, domains, sizes, indices, random, entries):
        self.claim = claim
        spec = parse(claim, domains, sizes, indices, random, entries)
        self.lhs, self.rhs, self.matrix = spec.lhs, spec.rhs, spec.matrix
        self.size_syms, self.index_syms = spec.size_syms, spec.index_syms
        self.scalar_syms = spec.scalar_syms
        self.size_ranges, self.index_ranges = spec.size_ranges, spec.index_ranges
        self.domains, self.values = spec.domains, spec.values
        self.random, self.entry_range = spec.random, spec.entry_range
        self.has_entries = spec.has_entries
        self._cache: dict[tuple, Instantiated] = {}

    def instantiate(self, sizes: tuple[int, ...], index_values: tuple[int, ...]
                    ) -> Instantiated:
        """Both sides at these sizes and index values (cached)."""
        key = (sizes, index_values)
        if key not in self._cache:
            sub = {s: sympy.Integer(v) for s, v in zip(self.size_syms, sizes, strict=True)}
            sub.update({s: sympy.Integer(v)
                        for s, v in zip(self.index_syms, index_values, strict=True)})
            self._cache[key] = instantiate(self.lhs, self.rhs, sub, self.random,
                                           self.scalar_syms, self.claim.name)
        return self._cache[key]

    # -- the search --------------------------------------------------------------------

    def strategy(self) -> st.SearchStrategy:
        @st.composite
        def instances(draw):
            sizes = tuple(draw(st.integers(*self.size_ranges[s])) for s in self.size_syms)
            sub = {s: sympy.Integer(v) for s, v in zip(self.size_syms, sizes, strict=True)}
            index_values = []
            for s in self.index_syms:
                lo, hi = (int(b.xreplace(sub)) for b in self.index_ranges[s])
                if hi < lo:
                    reject()  # empty index range at these sizes
                index_values.append(draw(st.integers(lo, hi)))
            scalars = tuple(draw(st.sampled_from(self.values[s])) for s in self.scalar_syms)
            inst = self.instantiate(sizes, tuple(index_values))
            k = len(inst.entries)
            entries = draw(st.lists(st.integers(*self.entry_range), min_size=k, max_size=k))
            return SymbolicInstance(sizes, tuple(index_values), scalars, tuple(entries))

        return instances()

    def describe_strategies(self) -> dict[str, str]:
        out = {str(s): f"sizes {lo}..{hi}" for s, (lo, hi) in self.size_ranges.items()}
        out.update({str(s): f"indices {lo}..{hi}" for s, (lo, hi) in self.index_ranges.items()})
        for s in self.scalar_syms:
            shown = ", ".join(str(v) for v in self.values[s][:6])
            out[str(s)] = f"simple exact values in {self.domains[s]}: {shown}, ..."
        if self.has_entries:
            lo, hi = self.entry_range
            out["entries"] = f"integers in [{lo}, {hi}]"
        return out

    def _numeric(self, inst: Instantiated) -> Callable:
        if inst.numeric is None:
            args = inst.dummies + inst.scalars
            inst.numeric = sympy.lambdify(args, [inst.lhs, inst.rhs], modules="numpy")
        return inst.numeric

    def evaluate(self, instance: SymbolicInstance) -> Outcome:
        relation = self.claim.relation
        inst = self.instantiate(instance.sizes, instance.indices)
        try:
            with np.errstate(all="ignore"):
                lhs, rhs = self._numeric(inst)(*(float(v) for v in instance.entries),
                                               *(float(v) for v in instance.scalars))
            lhs = np.asarray(lhs, dtype=np.float64)
            rhs = np.asarray(rhs, dtype=np.float64)
            finite = bool(np.all(np.isfinite(lhs)) and np.all(np.isfinite(rhs)))
        except Exception:  # noqa: BLE001 - no float64 answer: exact arithmetic decides
            finite = False
        if finite:
            gap = float_gap(lhs, rhs, relation, self.claim.floor)
            if float_verdict(gap, relation, self.claim.rtol) == "holds":
                return Outcome("holds", gap=gap)
        else:
            gap = None
        # a candidate (or a float64 failure): decide in exact rational arithmetic
        values = dict(zip(inst.dummies, (sympy.Integer(v) for v in instance.entries),
                          strict=True))
        values.update(dict(zip(inst.scalars, instance.scalars, strict=True)))
        try:
            lx, rx = inst.lhs.xreplace(values), inst.rhs.xreplace(values)
            bad = [v for v in (lx, rx) if not_finite(v)]
            if bad:
                return Outcome("error", error=f"a side is undefined or not real here "
                                f"({bad[0]})")
            violated = exact_violated(lx, rx, relation)
        except Exception as exc:  # noqa: BLE001 - an evaluation failure is not a verdict
            return Outcome("error", error=f"exact evaluation raised {type(exc).__name__}: {exc}")
        if violated is None:
            return Outcome("borderline", jsonable_value(lx), jsonable_value(rx), gap,
                            recheck="exact arithmetic could not decide")
        if not violated:
            return Outcome("holds", gap=gap)
        if gap is None:
            gap = float(exact_gap(lx, rx, relation, self.claim.floor))
        return Outcome("counterexample", jsonable_value(lx), jsonable_value(rx), gap,
                        recheck="exact rational arithmetic")

    def describe_instance(self, instance: SymbolicInstance) -> tuple[dict, dict]:
        inst = self.instantiate(instance.sizes, instance.indices)
        out: dict[str, Any] = {}
        sizes = {str(s): v for s, v in zip(self.size_syms, instance.sizes, strict=True)}
        out.update(sizes)
        out.update({str(s): v for s, v in zip(self.index_syms, instance.indices, strict=True)})
        out.update({str(s): jsonable_value(v)
                    for s, v in zip(self.scalar_syms, instance.scalars, strict=True)})
        groups: dict[str, dict[tuple[int, ...], int]] = {}
        for atom, value in zip(inst.entries, instance.entries, strict=True):
            if isinstance(atom, MatrixElement):
                label, idx = atom.parent.name, (int(atom.i), int(atom.j))
            else:
                label, idx = str(atom.base.label), tuple(int(i) for i in atom.indices)
            groups.setdefault(label, {})[idx] = int(value)
        shapes = {}
        for label, table in groups.items():
            out[label], shapes[label] = nested(table)
        return out, (sizes or shapes)

    # -- symbolic routes ---------------------------------------------------------------

    def proof(self) -> tuple[list[Evidence], dict[str, Any]]:
        """A canonical-form proof for symbolic sizes (an empty list when there is none)."""
        notes: dict[str, Any] = {}
        if self.claim.relation != "==":
            notes["symbolic"] = "inequalities are searched, not proved"
            return [], notes
        has_objects = any(e.atoms(Indexed) or e.atoms(MatrixSymbol) for e in (self.lhs, self.rhs))
        if self.size_syms or not has_objects:
            start = time.perf_counter()
            try:
                ok = self._canonical_equal()
            except Exception as exc:  # noqa: BLE001 - no proof, not a disproof
                ok, notes["canonical"] = False, f"{type(exc).__name__}: {exc}"
            if ok:
                scope = ("every value of " + ", ".join(map(str, self.size_syms)) + " >= 1"
                         if self.size_syms else "every value of the scalars")
                return [Evidence("symbolic", "canonical forms agree for symbolic sizes", True,
                                 measured=0.0, tolerance=0.0, general=True,
                                 details={"scope": scope, "proves": [0],
                                          "sizes": [str(s) for s in self.size_syms],
                                          "route": "theorems.symbolic.sums.canonical"
                                                   + (" after linearity and Bernoulli moments"
                                                      if self.random else "")},
                                 seconds=time.perf_counter() - start)], notes
            notes.setdefault("canonical", "the canonical forms differ (not by itself a "
                                          "counterexample)")
        return [], notes

    def _canonical_equal(self) -> bool:
        sides = []
        i0, j0 = sympy.Dummy("i", integer=True), sympy.Dummy("j", integer=True)
        for side in (self.lhs, self.rhs):
            if self.matrix:
                side = side[i0, j0]  # a generic entry, the same on both sides
            side = to_indexed(side)
            if self.random:
                side = bernoulli_moments(linearity(side, set(self.random)), self.random)
            sides.append(side)
        diff = canonical(sides[0]) - canonical(sides[1])
        if diff.is_zero():
            return True
        # the canonicalizer files sum-free factors as coefficient or body depending on how a
        # term was built (x**2 vs x*x); a sum-free remainder is decided by SymPy itself
        rest = diff.to_expr()
        return not rest.has(Sum) and sympy.simplify(rest) == 0

    def expansion(self, notes: dict) -> list[Evidence]:
        """Exact expansion at every size of the searched ranges (equalities only).

        Run after a search that found nothing: all differences zero is a fixed-size
        check of every entry value; a nonzero polynomial difference is recorded in
        ``notes["expansion_nonzero"]``.
        """
        if self.claim.relation != "==":
            return []
        start = time.perf_counter()
        size_grid = list(itertools.product(*[range(lo, hi + 1)
                                             for lo, hi in self.size_ranges.values()]))
        cases = []
        for sizes in size_grid:
            sub = {s: sympy.Integer(v) for s, v in zip(self.size_syms, sizes, strict=True)}
            ranges = []
            for s in self.index_syms:
                lo, hi = (int(b.xreplace(sub)) for b in self.index_ranges[s])
                ranges.append(range(lo, hi + 1))
            cases += [(sizes, idx) for idx in itertools.product(*ranges)]
        if not cases or len(cases) > MAX_EXPANSION_CASES:
            notes["expansion"] = (f"{len(cases)} size/index combinations: not expanded "
                                  f"(limit {MAX_EXPANSION_CASES})")
            return []
        nonzero, undecided = [], []
        for sizes, idx in cases:
            inst = self.instantiate(sizes, idx)
            diff = inst.lhs - inst.rhs
            entries = list(diff) if isinstance(diff, sympy.MatrixBase) else [diff]
            variables = inst.dummies + inst.scalars
            for e in entries:
                e = sympy.expand(sympy.together(e))
                num, _ = sympy.fraction(sympy.together(e))
                if sympy.expand(num) == 0:
                    continue
                finite = [x for x in inst.scalars
                          if x in num.free_symbols and self.domains[x].is_finite_set]
                if num.is_polynomial(*variables) and not finite:
                    # a nonzero polynomial is nonzero somewhere on any infinite domain
                    nonzero.append((sizes, idx, e))
                else:
                    undecided.append((sizes, idx))
                break
        label = [self._label(sizes, idx) for sizes, idx in cases]
        if nonzero:
            # strong evidence against the claim, but the verdict waits for a concrete instance
            # from the search (a polynomial can vanish on a finite domain)
            sizes, idx, e = nonzero[0]
            inst = self.instantiate(sizes, idx)
            e = e.xreplace(dict(zip(inst.dummies, inst.entries, strict=True)))
            notes["expansion_nonzero"] = (f"lhs - rhs is a nonzero polynomial at "
                                          f"{self._label(sizes, idx)}: {short(str(e))}")
            return []
        if undecided:
            notes["expansion"] = ("expansion did not decide at " +
                                  ", ".join(str(self._label(*u)) for u in undecided[:3]))
            return []
        return [Evidence("symbolic", "exact expansion at fixed sizes", True, measured=0.0,
                         tolerance=0.0, instances=len(cases),
                         details={"sizes": label, "scope": "fixed sizes, every entry a symbol"},
                         seconds=time.perf_counter() - start)]

    def _label(self, sizes, idx) -> dict[str, int]:
        out = {str(s): v for s, v in zip(self.size_syms, sizes, strict=True)}
        out.update({str(s): v for s, v in zip(self.index_syms, idx, strict=True)})
        if not out:
            out = {str(M.name): list(M.shape) for M in sorted(
                {M for e in (self.lhs, self.rhs) for M in e.atoms(MatrixSymbol)}, key=str)}
        return out

