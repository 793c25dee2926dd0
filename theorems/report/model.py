"""The page model: what a theorem's page shows, gathered once and walked by every writer.

:func:`collect` re-checks each derivation step by step and draws the figures once
(dense curves thinned, see :func:`theorems.figures.thin`); the writers
(:mod:`~theorems.report.html`, :mod:`~theorems.report.markdown`,
:mod:`~theorems.report.latex`) and the notebook views turn the same
:class:`Page` into text, so the formats cannot disagree.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sympy

from theorems.core import PROFILES, Context, Evidence, Theorem, Verdict, jsonable
from theorems.derivation import Derivation, DerivationResult
from theorems.views import _comparison

__all__ = ["Page", "FigureOut", "collect", "statements", "fmt", "mark", "step_scope",
           "RELATIONS", "STATUS_COLORS", "project_root", "failure", "is_math",
           "counterexample_json"]

RELATIONS = {"=": ("=", "=", "="), "<=": ("≤", r"\leq", "&#x2264;"),
             ">=": ("≥", r"\geq", "&#x2265;"), "<": ("<", "<", "&lt;"), ">": (">", ">", "&gt;")}
STATUS_COLORS = {"proved": "#1b7f3b", "verified": "#2a6fb0", "refuted": "#b3261e",
                 "inconclusive": "#8a6d00"}


def project_root() -> Path:
    """The folder holding theorems/, numerics/ and proofs_notes/ (editable installs)."""
    return Path(__file__).resolve().parents[2]


@dataclass
class FigureOut:
    """One figure, serialized once: inline SVG text and PDF bytes."""

    name: str
    stem: str
    svg: str
    pdf: bytes
    note: str = ""  # what was done to draw it (curves thinned to how many points)

    @property
    def caption(self) -> str:
        return f"{self.name} ({self.note})" if self.note else self.name


@dataclass
class Page:
    """Everything a theorem's page shows."""

    theorem: Theorem
    verdict: Verdict
    derivations: list[tuple[Derivation, DerivationResult]]
    figures: list[FigureOut]
    command: str
    version: str
    note_text: str | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return re.sub(r"[^A-Za-z0-9_.-]", "_", self.theorem.id)


def collect(theorem: Theorem, verdict: Verdict, command: str, version: str) -> Page:
    """Re-check the derivations and draw the figures of one theorem."""
    from theorems import figures as fig_mod

    derivations, errors = [], []
    for name, factory in theorem.derivations.items():
        try:
            der = factory() if callable(factory) else factory  # the contract wants callables
            derivations.append((der, der.check(seed=verdict.seed)))
        except Exception as exc:  # noqa: BLE001 - shown on the page, never hidden
            errors.append(f"derivation {name}: {type(exc).__name__}: {exc}")
    figures = []
    # a claim's verdict has the profile "falsify": its figures (if any) are drawn at quick
    ctx = Context(verdict.seed, PROFILES.get(verdict.profile, PROFILES["quick"]))
    for number, (name, draw) in enumerate(theorem.figures.items(), start=1):
        try:
            fig = draw(ctx)
        except Exception as exc:  # noqa: BLE001
            errors.append(f"figure {name}: {type(exc).__name__}: {exc}")
            continue
        stem = re.sub(r"[^A-Za-z0-9]+", "-", f"{theorem.id}-figure-{number}").lower()
        note = fig_mod.thin(fig)
        figures.append(FigureOut(name, stem, fig_mod.to_svg(fig), fig_mod.to_pdf(fig), note))
        fig_mod.close(fig)
    note = project_root() / theorem.note
    note_text = note.read_text() if note.is_file() else None
    return Page(theorem, verdict, derivations, figures, command, version, note_text, errors)


def statements(theorem: Theorem) -> list[Any]:
    st = theorem.statement
    if isinstance(st, sympy.And):
        return list(st.args)
    return [st] if st is not None else []


def is_math(value: Any) -> bool:
    """A hypothesis written as a SymPy object (printed as mathematics, not as words)."""
    return isinstance(value, sympy.Basic)


def fmt(value: Any) -> str:
    """A number rounded for reading (3 significant digits); no value is an en dash."""
    from theorems.views import _readable

    return _readable(value)


def mark(ok: bool | None) -> str:
    return {True: "pass", False: "FAIL", None: "n/a"}[ok]


def step_scope(symbolic: bool) -> str:
    return "checked symbolically" if symbolic else "checked numerically only"


COUNTEREXAMPLE_CHARS = 20_000  # a counterexample is for reading: longer ones are cut, and say so


def failure(verdict: Verdict) -> tuple[Evidence, str] | None:
    """The first failing evidence and its comparison ("measured 0.426 > tolerance 1e-10")."""
    failed = next((ev for ev in verdict.evidence if ev.passed is False), None)
    return None if failed is None else (failed, _comparison(failed).strip())


def counterexample_json(verdict: Verdict) -> str:
    """The counterexample as indented JSON (what reproduces it: the seed is in it)."""
    text = json.dumps(jsonable(verdict.counterexample), indent=2)
    if len(text) > COUNTEREXAMPLE_CHARS:
        text = text[:COUNTEREXAMPLE_CHARS] + f"\n... (cut at {COUNTEREXAMPLE_CHARS:,} characters)"
    return text
