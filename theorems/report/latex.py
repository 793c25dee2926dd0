r"""The LaTeX writer (a standalone document per theorem) and the LaTeX printer of every format.

:class:`Latex` is SymPy's printer with snake_case names printed upright
(``\text{globally optimal}``, ``\operatorname{min\_uv\_dropout\_objective}``),
``min_M(...)`` as ``\min_{M}``, and the notation classes of
:mod:`theorems.symbolic.printing`; the Markdown pages and the notebook views use it too.

>>> import sympy
>>> latex(sympy.Symbol("globally_optimal") >> sympy.Symbol("x"))
'\\text{globally optimal} \\Rightarrow x'
"""

from __future__ import annotations

from typing import Any

import sympy
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter

from theorems.report.model import (
    RELATIONS,
    Page,
    counterexample_json,
    failure,
    fmt,
    is_math,
    mark,
    statements,
    step_scope,
)
from theorems.symbolic.printing import name_kind, notate, words

__all__ = ["Latex", "latex", "tex_escape", "tex_code", "latex_page", "TEX_PREAMBLE"]


class Latex(LatexPrinter):
    """SymPy's LaTeX printer with names printed as names."""

    def _print_Symbol(self, expr, style="plain"):
        kind = name_kind(expr.name)
        if kind is not None and kind[0] == "text":
            return rf"\text{{{words(expr.name)}}}"
        return super()._print_Symbol(expr, style)

    def _print_Function(self, expr, exp=None):
        kind = name_kind(expr.func.__name__) if isinstance(expr, AppliedUndef) else None
        if kind is None:
            return super()._print_Function(expr, exp)
        args = ", ".join(self._print(arg) for arg in expr.args)
        if kind[0] == "op":
            head = rf"\{kind[1]}_{{{self._print(sympy.Symbol(kind[2]))}}}"
        else:
            head = rf"\operatorname{{{tex_escape(kind[1])}}}"
        body = rf"{head}\left({args}\right)"
        return body if exp is None else rf"\left({body}\right)^{{{exp}}}"


def latex(expr: Any) -> str:
    """LaTeX of a SymPy expression with the library's notation."""
    return Latex().doprint(notate(sympy.sympify(expr)))


_TEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
                "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
                "^": r"\textasciicircum{}", "<": r"\textless{}", ">": r"\textgreater{}"}


def tex_escape(text: str) -> str:
    """Escape LaTeX's special characters in user text."""
    return "".join(_TEX_SPECIAL.get(ch, ch) for ch in str(text))


TEX_PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[margin=2cm]{geometry}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{amsmath,amssymb,graphicx,xcolor,longtable,array}
\newsavebox{\eqbox}
% a display that shrinks to the line width when it is wider
\newcommand{\fiteq}[1]{\begin{center}\savebox{\eqbox}{$\displaystyle #1$}%
\ifdim\wd\eqbox>\linewidth\resizebox{\linewidth}{!}{\usebox{\eqbox}}\else\usebox{\eqbox}\fi
\end{center}}
"""


def tex_code(text: str) -> str:
    """User text as typewriter code: ``--all`` stays two hyphens (``-{}-``), so it can be copied."""
    return r"\texttt{" + tex_escape(text).replace("-", "-{}") + "}"


def _breakable(text: str) -> str:
    """Escaped text that may break after ``_ . / = ,`` (long check names in narrow columns)."""
    out = tex_escape(text)
    for sep in (r"\_", ".", "/", "=", ","):
        out = out.replace(sep, sep + r"\allowbreak{}")
    return out


# The evidence table: fixed-width, wrapped columns that add up to the line width
# (7 columns, 12 inner separations of 3pt).
EVIDENCE_COLUMNS = (("", 0.05), ("kind", 0.11), ("check", 0.34), ("measured", 0.11),
                    ("tolerance", 0.11), ("instances", 0.11), ("seconds", 0.09))


def _evidence_table(verdict) -> list[str]:
    spec = "".join(rf">{{\raggedright\arraybackslash}}p{{\dimexpr{w}\linewidth-6pt\relax}}"
                   for _, w in EVIDENCE_COLUMNS)
    head = " & ".join(rf"\textbf{{{name}}}" for name, _ in EVIDENCE_COLUMNS)
    out = [r"{\small\setlength{\tabcolsep}{3pt}", rf"\begin{{longtable}}{{@{{}}{spec}@{{}}}}",
           rf"{head}\\ \hline\endhead"]
    for ev in verdict.evidence:
        scope = r" \emph{(symbolic sizes)}" if ev.general else ""
        out.append(rf"{mark(ev.passed)} & {tex_escape(ev.kind)} & {_breakable(ev.name)}{scope} & "
                   rf"{tex_escape(fmt(ev.measured))} & {tex_escape(fmt(ev.tolerance))} & "
                   rf"{ev.instances} & {ev.seconds:.2f}\\")
    return [*out, r"\end{longtable}}"]


def _counterexample(verdict) -> list[str]:
    """A refuted verdict leads with the failing check and its counterexample."""
    found = failure(verdict)
    if found is None:
        return []
    failed, comparison = found
    return [r"\subsection*{Counterexample}",
            rf"Failing check: \textbf{{{_breakable(failed.name)}}} ({tex_escape(failed.kind)})"
            rf"{': ' + tex_escape(comparison) if comparison else ''}.",
            r"{\small\begin{verbatim}", *_wrapped(counterexample_json(verdict)[:VERBATIM_CHARS]),
            r"\end{verbatim}}"]


VERBATIM_CHARS = 4000  # a page of JSON; the HTML and Markdown pages hold the rest
VERBATIM_WIDTH = 80  # characters of small typewriter type that fit the line


def _wrapped(text: str) -> list[str]:
    lines = []
    for line in text.splitlines():
        lines += [line[k:k + VERBATIM_WIDTH] for k in range(0, max(len(line), 1), VERBATIM_WIDTH)]
    return [line.replace("\\end{verbatim}", "\\end {verbatim}") for line in lines]


def _itemize(title: str, items: list[str]) -> list[str]:
    """A titled list, or nothing when it is empty (LaTeX rejects an empty itemize)."""
    if not items:
        return []
    return [rf"\subsection*{{{title}}}", r"\begin{itemize}", *(rf"\item {i}" for i in items),
            r"\end{itemize}"]


def latex_page(page: Page) -> str:
    """A standalone LaTeX document for one theorem (figures as PDF files beside it)."""
    t, v = page.theorem, page.verdict
    out = [TEX_PREAMBLE, r"\begin{document}", rf"\section*{{{tex_escape(t.title)}}}",
           rf"{tex_code(t.id)} --- \textbf{{{v.status.value.upper()}}}, "
           rf"{len(v.evidence)} checks, {v.seconds:.1f} s", *_counterexample(v),
           r"\subsection*{Statement}"]
    for st in statements(t):
        out.append(rf"\fiteq{{{latex(st)}}}")
    out += _itemize("Hypotheses", [f"${latex(h)}$" if is_math(h) else _breakable(str(h))
                                   for h in t.hypotheses])
    for der, result in page.derivations:
        scope = "symbolic sizes" if der.general else "fixed sizes"
        out += [rf"\subsection*{{{tex_escape(der.title)}}}", f"Sizes: {scope}.",
                rf"\fiteq{{{latex(der.start)}}}"]
        for k, (step, res) in enumerate(zip(der.steps, result.steps, strict=True), start=1):
            rel = RELATIONS.get(step.relation, (step.relation,) * 3)[1]
            out += [rf"\noindent Step {k}, rule \textbf{{{_breakable(res.rule)}}} "
                    rf"({step_scope(res.symbolic)}): {mark(res.ok)}",
                    rf"\fiteq{{{rel} {latex(step.expr)}}}"]
    out += [r"\subsection*{Evidence}", *_evidence_table(v)]
    for fig in page.figures:
        out += [r"\begin{figure}[h]\centering",
                rf"\includegraphics[width=0.8\linewidth]{{figures/{fig.stem}.pdf}}",
                rf"\par\small {tex_escape(fig.caption)}", r"\end{figure}"]
    out += _itemize("References", [_breakable(str(r)) for r in t.references])
    out += [r"\vfill\noindent\small " + tex_escape(
        f"mathdl {page.version}, seed {v.seed}, profile {v.profile}, reproduce with: ")
        + tex_code(page.command), r"\end{document}", ""]
    return "\n".join(out)
