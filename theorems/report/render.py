"""Derivation reports in HTML (MathML, inline SVG), Markdown ($...$ math) and LaTeX.

:func:`collect` gathers what a page shows (the verdict, each derivation
re-checked step by step, the figures drawn once); the ``*_page`` functions
turn that into text.  Every string that did not come from this module (ids,
titles, check names, details) is escaped for the target format.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sympy

from theorems.core import Context, Evidence, Theorem, Verdict, _profile, jsonable
from theorems.derivation import Derivation, DerivationResult

__all__ = ["Page", "FigureOut", "collect", "html_page", "html_index", "markdown_page",
           "markdown_index", "latex_page", "project_root"]

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
    ctx = Context(verdict.seed, _profile(verdict.profile))
    for number, (name, draw) in enumerate(theorem.figures.items(), start=1):
        try:
            fig = draw(ctx)
        except Exception as exc:  # noqa: BLE001
            errors.append(f"figure {name}: {type(exc).__name__}: {exc}")
            continue
        stem = re.sub(r"[^A-Za-z0-9]+", "-", f"{theorem.id}-figure-{number}").lower()
        figures.append(FigureOut(name, stem, fig_mod.to_svg(fig), fig_mod.to_pdf(fig)))
        fig_mod.close(fig)
    note = project_root() / theorem.note
    note_text = note.read_text() if note.is_file() else None
    return Page(theorem, verdict, derivations, figures, command, version, note_text, errors)


# -- shared pieces ---------------------------------------------------------------------


def statements(theorem: Theorem) -> list[Any]:
    st = theorem.statement
    if isinstance(st, sympy.And):
        return list(st.args)
    return [st] if st is not None else []


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def _mark(ok: bool | None) -> str:
    return {True: "pass", False: "FAIL", None: "n/a"}[ok]


def _step_scope(symbolic: bool) -> str:
    return "checked symbolically" if symbolic else "checked numerically only"


# -- HTML ------------------------------------------------------------------------------

CSS = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #1d1d1f; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } .id { color: #666; font-family: monospace; }
.banner { color: white; padding: 0.6rem 1rem; border-radius: 6px; font-weight: bold;
          margin: 1rem 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.5rem; text-align: left;
         vertical-align: top; }
.math { overflow-x: auto; padding: 0.3rem 0; }
math { font-size: 1.1rem; }
ol.steps li { margin: 0.6rem 0; } .rule { color: #444; font-size: 0.9rem; }
.ok { color: #1b7f3b; font-weight: bold; } .fail { color: #b3261e; font-weight: bold; }
.unk { color: #8a6d00; font-weight: bold; }
figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; }
footer { margin-top: 2rem; border-top: 1px solid #ddd; padding-top: 0.5rem; color: #555;
         font-size: 0.85rem; }
pre { background: #f5f5f7; padding: 0.5rem; overflow-x: auto; font-size: 0.8rem; }
"""

from theorems.report.mathml import MATH_NS, mathml  # noqa: E402
from theorems.report.mathml import mathml_body as _mathml_body  # noqa: E402


def _css_class(ok: bool | None) -> str:
    return {True: "ok", False: "fail", None: "unk"}[ok]


def _html_shell(title: str, body: str, footer: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            f"{body}\n<footer>{footer}</footer>\n</body>\n</html>\n")


def _footer_html(page_version: str, seed: int, profile: str, command: str) -> str:
    return (f"mathdl {html.escape(page_version)} &middot; seed {seed} &middot; profile "
            f"{html.escape(profile)} &middot; reproduce with <code>{html.escape(command)}</code>")


def _evidence_rows_html(evidence: list[Evidence], seed: int) -> str:
    rows = []
    for ev in evidence:
        rows.append(
            f'<tr><td class="{_css_class(ev.passed)}">{_mark(ev.passed)}</td>'
            f"<td>{html.escape(ev.kind)}</td><td>{html.escape(ev.name)}"
            f"{' <em>(symbolic sizes)</em>' if ev.general else ''}</td>"
            f"<td>{html.escape(_fmt(ev.measured))}</td><td>{html.escape(_fmt(ev.tolerance))}</td>"
            f"<td>{ev.instances}</td><td>{seed}</td><td>{ev.seconds:.2f}</td></tr>")
    head = ("<tr><th></th><th>kind</th><th>check</th><th>measured</th><th>tolerance</th>"
            "<th>instances</th><th>seed</th><th>seconds</th></tr>")
    return f"<table>\n{head}\n" + "\n".join(rows) + "\n</table>"


def html_page(page: Page) -> str:
    """One self-contained HTML page: MathML, inline SVG, no script, no network."""
    t, v = page.theorem, page.verdict
    parts = ['<nav><a href="index.html">&larr; all theorems</a></nav>',
             f"<h1>{html.escape(t.title)}</h1>", f'<p class="id">{html.escape(t.id)}</p>',
             f'<div class="banner" style="background:{STATUS_COLORS[v.status.value]}">'
             f"{v.status.value.upper()} &middot; {len(v.evidence)} checks &middot; "
             f"{v.seconds:.1f} s</div>", "<h2>Statement</h2>"]
    for st in statements(t):
        parts.append(f'<div class="math">{mathml(st)}</div>')
    parts.append("<h2>Hypotheses</h2><ul>"
                 + "".join(f"<li>{html.escape(h)}</li>" for h in t.hypotheses) + "</ul>")
    if page.derivations:
        parts.append("<h2>Derivations</h2>")
    for der, result in page.derivations:
        scope = "symbolic sizes" if der.general else "fixed sizes"
        parts.append(f"<h3>{html.escape(der.title)}</h3><p>Sizes: {scope}.</p>")
        items = [f'<li value="0"><div class="math">{mathml(der.start)}</div></li>']
        for step, res in zip(der.steps, result.steps, strict=True):
            rel = RELATIONS.get(step.relation, (step.relation,) * 3)[2]
            note = f" &mdash; {html.escape(step.note)}" if step.note else ""
            items.append(
                f'<li><div class="math"><math xmlns="{MATH_NS}" display="block"><mrow>'
                f"<mo>{rel}</mo>{_mathml_body(step.expr)}</mrow>"
                f'</math></div><span class="rule">rule: <strong>{html.escape(res.rule)}'
                f"</strong> ({_step_scope(res.symbolic)}){note} &middot; "
                f'<span class="{_css_class(res.ok)}">{_mark(res.ok)}</span></span></li>')
        parts.append('<ol class="steps" start="0">' + "\n".join(items) + "</ol>")
    parts.append("<h2>Evidence</h2>" + _evidence_rows_html(v.evidence, v.seed))
    if v.counterexample:
        parts.append("<h3>Counterexample</h3><pre>"
                     + html.escape(json.dumps(jsonable(v.counterexample), indent=2)[:20000])
                     + "</pre>")
    if page.figures:
        parts.append("<h2>Figures</h2>")
    for fig in page.figures:
        parts.append(f'<figure id="fig-{html.escape(fig.stem)}">{fig.svg}'
                     f"<figcaption>{html.escape(fig.name)}</figcaption></figure>")
    if page.errors:
        parts.append("<h2>Problems while writing this page</h2><ul>"
                     + "".join(f"<li>{html.escape(e)}</li>" for e in page.errors) + "</ul>")
    parts.append("<h2>References</h2><ul>"
                 + "".join(f"<li>{html.escape(str(r))}</li>" for r in t.references) + "</ul>")
    if page.note_text is not None:
        name = Path(t.note).name
        parts.append(f'<p>Proof note: <a href="notes/{html.escape(name)}">'
                     f"{html.escape(t.note)}</a></p>")
    return _html_shell(t.title, "\n".join(parts),
                       _footer_html(page.version, v.seed, v.profile, page.command))


def verdict_html(verdict: Verdict) -> str:
    """A verdict as an HTML fragment (banner and evidence table), for notebooks."""
    color = STATUS_COLORS[verdict.status.value]
    return (f'<div><div style="background:{color};color:white;padding:4px 8px">'
            f"<strong>{html.escape(verdict.theorem)}</strong>: {verdict.status.value}</div>"
            f"{_evidence_rows_html(verdict.evidence, verdict.seed)}</div>")


def theorem_html(theorem: Theorem) -> str:
    """A theorem as an HTML fragment (title, statement in MathML, hypotheses)."""
    shown = "".join(mathml(st) for st in statements(theorem))
    hyp = "".join(f"<li>{html.escape(h)}</li>" for h in theorem.hypotheses)
    return (f"<div><strong>{html.escape(theorem.id)}</strong>: {html.escape(theorem.title)}"
            f"{shown}<ul>{hyp}</ul></div>")


def html_index(pages: list[Page], command: str, version: str, seed: int, profile: str) -> str:
    rows = []
    for p in pages:
        v = p.verdict
        rows.append(f'<tr><td><a href="{html.escape(p.slug)}.html">{html.escape(v.theorem)}</a>'
                    f"</td><td>{html.escape(v.title)}</td>"
                    f'<td style="color:{STATUS_COLORS[v.status.value]}"><strong>'
                    f"{v.status.value}</strong></td><td>{v.seconds:.1f}</td></tr>")
    counts: dict[str, int] = {}
    for p in pages:
        counts[p.verdict.status.value] = counts.get(p.verdict.status.value, 0) + 1
    summary = ", ".join(f"{n} {s}" for s, n in counts.items())
    body = ("<h1>mathdl: derivation reports</h1>"
            f"<p>{len(pages)} theorems: {html.escape(summary)}.</p>"
            "<table><tr><th>theorem</th><th>title</th><th>verdict</th><th>seconds</th></tr>"
            + "\n".join(rows) + "</table>"
            "<p>Markdown and LaTeX versions of each page sit beside it "
            "(<code>ID.md</code>, <code>ID.tex</code>).</p>")
    return _html_shell("mathdl reports", body, _footer_html(version, seed, profile, command))


# -- Markdown --------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|$])")


def md_escape(text: str) -> str:
    """Escape Markdown syntax (and inline HTML) in user text."""
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def markdown_page(page: Page) -> str:
    """One Markdown page with $...$ / $$...$$ math that renders on common code hosts."""
    t, v = page.theorem, page.verdict
    out = [f"# {md_escape(t.title)}", "", f"`{t.id}` · **{v.status.value.upper()}** · "
           f"{len(v.evidence)} checks · {v.seconds:.1f} s", "", "## Statement", ""]
    for st in statements(t):
        out += ["$$", sympy.latex(st), "$$", ""]
    out += ["## Hypotheses", ""] + [f"- {md_escape(h)}" for h in t.hypotheses] + [""]
    if page.derivations:
        out += ["## Derivations", ""]
    for der, result in page.derivations:
        scope = "symbolic sizes" if der.general else "fixed sizes"
        out += [f"### {md_escape(der.title)}", "", f"Sizes: {scope}.", "", "$$",
                sympy.latex(der.start), "$$", ""]
        for k, (step, res) in enumerate(zip(der.steps, result.steps, strict=True), start=1):
            rel = RELATIONS.get(step.relation, (step.relation,) * 3)[1]
            out += [f"{k}. rule **{md_escape(res.rule)}** ({_step_scope(res.symbolic)}): "
                    f"{_mark(res.ok)}", "", "$$", f"{rel} {sympy.latex(step.expr)}", "$$", ""]
    out += ["## Evidence", "",
            "| | kind | check | measured | tolerance | instances | seed | seconds |",
            "|---|---|---|---|---|---|---|---|"]
    for ev in v.evidence:
        out.append(f"| {_mark(ev.passed)} | {ev.kind} | {md_escape(ev.name)} | "
                   f"{_fmt(ev.measured)} | {_fmt(ev.tolerance)} | {ev.instances} | {v.seed} | "
                   f"{ev.seconds:.2f} |")
    out.append("")
    if v.counterexample:
        out += ["### Counterexample", "", "```json",
                json.dumps(jsonable(v.counterexample), indent=2)[:20000], "```", ""]
    if page.figures:
        out += ["## Figures", ""]
    for fig in page.figures:
        out += [f"![{md_escape(fig.name)}](figures/{fig.stem}.svg)", ""]
    out += ["## References", ""] + [f"- {md_escape(str(r))}" for r in t.references] + [""]
    if page.note_text is not None:
        out += [f"Proof note: [{t.note}](notes/{Path(t.note).name})", ""]
    out += ["---", "", f"mathdl {page.version} · seed {v.seed} · profile {v.profile} · "
            f"reproduce with `{page.command}`", ""]
    return "\n".join(out)


def markdown_index(pages: list[Page]) -> str:
    out = ["# mathdl: derivation reports", "", "| theorem | title | verdict |", "|---|---|---|"]
    for p in pages:
        out.append(f"| [{p.verdict.theorem}]({p.slug}.md) | {md_escape(p.verdict.title)} | "
                   f"{p.verdict.status.value} |")
    return "\n".join(out) + "\n"


# -- LaTeX -----------------------------------------------------------------------------

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
\usepackage{amsmath,amssymb,graphicx,xcolor,longtable}
\newsavebox{\eqbox}
% a display that shrinks to the line width when it is wider
\newcommand{\fiteq}[1]{\begin{center}\savebox{\eqbox}{$\displaystyle #1$}%
\ifdim\wd\eqbox>\linewidth\resizebox{\linewidth}{!}{\usebox{\eqbox}}\else\usebox{\eqbox}\fi
\end{center}}
"""


def latex_page(page: Page) -> str:
    """A standalone LaTeX document for one theorem (figures as PDF files beside it)."""
    t, v = page.theorem, page.verdict
    out = [TEX_PREAMBLE, r"\begin{document}", rf"\section*{{{tex_escape(t.title)}}}",
           rf"\texttt{{{tex_escape(t.id)}}} --- \textbf{{{v.status.value.upper()}}}, "
           rf"{len(v.evidence)} checks, {v.seconds:.1f} s", r"\subsection*{Statement}"]
    for st in statements(t):
        out.append(rf"\fiteq{{{sympy.latex(st)}}}")
    out += [r"\subsection*{Hypotheses}", r"\begin{itemize}"]
    out += [rf"\item {tex_escape(h)}" for h in t.hypotheses] + [r"\end{itemize}"]
    for der, result in page.derivations:
        scope = "symbolic sizes" if der.general else "fixed sizes"
        out += [rf"\subsection*{{{tex_escape(der.title)}}}", f"Sizes: {scope}.",
                rf"\fiteq{{{sympy.latex(der.start)}}}"]
        for k, (step, res) in enumerate(zip(der.steps, result.steps, strict=True), start=1):
            rel = RELATIONS.get(step.relation, (step.relation,) * 3)[1]
            out += [rf"\noindent Step {k}, rule \textbf{{{tex_escape(res.rule)}}} "
                    rf"({_step_scope(res.symbolic)}): {_mark(res.ok)}",
                    rf"\fiteq{{{rel} {sympy.latex(step.expr)}}}"]
    out += [r"\subsection*{Evidence}", r"\begin{longtable}{lllp{6cm}lll}",
            r"& kind & check & measured & tolerance & instances & seconds\\ \hline"]
    for ev in v.evidence:
        out.append(rf"{_mark(ev.passed)} & {ev.kind} & {tex_escape(ev.name)} & "
                   rf"{tex_escape(_fmt(ev.measured))} & {tex_escape(_fmt(ev.tolerance))} & "
                   rf"{ev.instances} & {ev.seconds:.2f}\\")
    out.append(r"\end{longtable}")
    for fig in page.figures:
        out += [r"\begin{figure}[h]\centering",
                rf"\includegraphics[width=0.8\linewidth]{{figures/{fig.stem}.pdf}}",
                rf"\par\small {tex_escape(fig.name)}", r"\end{figure}"]
    out += [r"\subsection*{References}", r"\begin{itemize}"]
    out += [rf"\item {tex_escape(str(r))}" for r in t.references] + [r"\end{itemize}"]
    out += [r"\vfill\noindent\small " + tex_escape(
        f"mathdl {page.version}, seed {v.seed}, profile {v.profile}, reproduce with: "
        f"{page.command}"), r"\end{document}", ""]
    return "\n".join(out)
