"""Text views of verdicts and theorems for people: rounded numbers, escaped text.

Used by :class:`~theorems.core.Verdict`'s ``summary`` and notebook views; imports no
other module of the library (it sits beside the core).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["verdict_latex", "verdict_markdown", "_comparison", "_md", "_readable", "_tex"]


def _readable(value: Any) -> str:
    """A number rounded for reading (3 significant digits), None as a dash, nesting kept."""
    if value is None:
        return "\u2013"
    if isinstance(value, float | np.floating):
        return f"{float(value) + 0.0:.3g}"  # + 0.0 turns -0.0 into 0.0
    value = value.tolist() if isinstance(value, np.ndarray) else value
    if isinstance(value, list | tuple):
        return "[" + ", ".join(map(_readable, value[:8])) + (", \u2026" * (len(value) > 8)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_readable(v)}" for k, v in value.items()) + "}"
    return str(value)


def _comparison(ev: Any) -> str:
    """``  measured 0.426 > tolerance 1e-10``: the relation printed is the one that holds."""
    if ev.measured is None or ev.tolerance is None:
        return "" if ev.measured is None else f"  measured {_readable(ev.measured)}"
    relation = "<=" if ev.measured <= ev.tolerance else ">"
    return f"  measured {_readable(ev.measured)} {relation} tolerance {_readable(ev.tolerance)}"


def _md(text: Any) -> str:
    """Markdown-escaped text on one line (no inline HTML, emphasis or math)."""
    return "".join("\\" + ch if ch in "\\`*_{}[]<>()#+!|$" else ch for ch in str(text)).replace(
        "\n", " ")


_TEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
        "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _tex(text: Any) -> str:
    return "".join(_TEX.get(ch, ch) for ch in str(text))


def verdict_markdown(self: Any) -> str:
    """Escaped, rounded; a refuted verdict leads with its failing check and counterexample."""
    failed = next((ev for ev in self.evidence if ev.passed is False), None)
    out = [f"**{_md(self.theorem)}** ({_md(self.title)}): **{self.status.value}** "
           f"(seed {self.seed}, profile {_md(self.profile)})", ""]
    if failed is not None:
        out += [f"Failing check: **{_md(failed.name)}**{_md(_comparison(failed))}", ""]
    cex = (self.counterexample or {}).items()
    out += ["Counterexample:", ""] * bool(cex) + [f"- {_md(k)}: {_md(_readable(v))}"
                                                  for k, v in cex]
    out += ["", "| | kind | check | measured | tolerance | instances |", "|" + "---|" * 6]
    out += [f"| {({True: 'pass', False: '**fail**', None: 'n/a'})[ev.passed]} | {_md(ev.kind)} "
            f"| {_md(ev.name)} | {_readable(ev.measured)} | {_readable(ev.tolerance)} "
            f"| {ev.instances} |" for ev in self.evidence]
    return "\n".join(out)

def verdict_latex(self: Any) -> str:
    """A verdict as display math (status, seed, profile; the failing check if any)."""
    failed = next((ev for ev in self.evidence if ev.passed is False), None)
    tail = "" if failed is None else (rf"\\ \text{{failing check: {_tex(failed.name)}"
                                      rf"{_tex(_comparison(failed))}}}")
    return (rf"$$\text{{{_tex(self.theorem)}: }}\textbf{{{self.status.value}}}\text{{ (seed "
            rf"{self.seed}, profile {_tex(self.profile)})}}{tail}$$")
