"""The HTML writer: one self-contained page per theorem (MathML, inline SVG, no script).

Every string that did not come from this module (ids, titles, check names,
details) is escaped.
"""

from __future__ import annotations

import html
from pathlib import Path

from theorems.core import Evidence, Theorem, Verdict
from theorems.report.mathml import MATH_NS, mathml, mathml_body
from theorems.report.model import (
    RELATIONS,
    STATUS_COLORS,
    Page,
    counterexample_json,
    failure,
    fmt,
    is_math,
    mark,
    statements,
    step_scope,
)

__all__ = ["CSS", "html_page", "html_index", "verdict_html", "theorem_html"]

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

def _hypothesis(h) -> str:
    """A hypothesis: SymPy objects as inline MathML, words escaped."""
    return mathml(h, display="inline") if is_math(h) else html.escape(str(h))


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
            f'<tr><td class="{_css_class(ev.passed)}">{mark(ev.passed)}</td>'
            f"<td>{html.escape(ev.kind)}</td><td>{html.escape(ev.name)}"
            f"{' <em>(symbolic sizes)</em>' if ev.general else ''}</td>"
            f"<td>{html.escape(fmt(ev.measured))}</td><td>{html.escape(fmt(ev.tolerance))}</td>"
            f"<td>{ev.instances}</td><td>{seed}</td><td>{ev.seconds:.2f}</td></tr>")
    head = ("<tr><th></th><th>kind</th><th>check</th><th>measured</th><th>tolerance</th>"
            "<th>instances</th><th>seed</th><th>seconds</th></tr>")
    return f"<table>\n{head}\n" + "\n".join(rows) + "\n</table>"


def _failure_html(verdict: Verdict, heading: str = "h2") -> str:
    """A refuted verdict leads with the failing check and its counterexample."""
    found = failure(verdict)
    if found is None:
        return ""
    failed, comparison = found
    return (f"<{heading}>Counterexample</{heading}><p>Failing check: "
            f'<strong class="fail">{html.escape(failed.name)}</strong> ({html.escape(failed.kind)})'
            f"{': ' + html.escape(comparison) if comparison else ''}.</p>"
            f"<pre>{html.escape(counterexample_json(verdict))}</pre>")


def html_page(page: Page) -> str:
    """One self-contained HTML page: MathML, inline SVG, no script, no network."""
    t, v = page.theorem, page.verdict
    parts = ['<nav><a href="index.html">&larr; all theorems</a></nav>',
             f"<h1>{html.escape(t.title)}</h1>", f'<p class="id">{html.escape(t.id)}</p>',
             f'<div class="banner" style="background:{STATUS_COLORS[v.status.value]}">'
             f"{v.status.value.upper()} &middot; {len(v.evidence)} checks &middot; "
             f"{v.seconds:.1f} s</div>", _failure_html(v), "<h2>Statement</h2>"]
    for st in statements(t):
        parts.append(f'<div class="math">{mathml(st)}</div>')
    if t.hypotheses:
        parts.append("<h2>Hypotheses</h2><ul>"
                     + "".join(f"<li>{_hypothesis(h)}</li>" for h in t.hypotheses) + "</ul>")
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
                f"<mo>{rel}</mo>{mathml_body(step.expr)}</mrow>"
                f'</math></div><span class="rule">rule: <strong>{html.escape(res.rule)}'
                f"</strong> ({step_scope(res.symbolic)}){note} &middot; "
                f'<span class="{_css_class(res.ok)}">{mark(res.ok)}</span></span></li>')
        parts.append('<ol class="steps" start="0">' + "\n".join(items) + "</ol>")
    parts.append("<h2>Evidence</h2>" + _evidence_rows_html(v.evidence, v.seed))
    if page.figures:
        parts.append("<h2>Figures</h2>")
    for fig in page.figures:
        parts.append(f'<figure id="fig-{html.escape(fig.stem)}">{fig.svg}'
                     f"<figcaption>{html.escape(fig.caption)}</figcaption></figure>")
    if page.errors:
        parts.append("<h2>Problems while writing this page</h2><ul>"
                     + "".join(f"<li>{html.escape(e)}</li>" for e in page.errors) + "</ul>")
    if t.references:
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
            f"<strong>{html.escape(verdict.theorem)}</strong>: {verdict.status.value} "
            f"(seed {verdict.seed}, profile {html.escape(verdict.profile)})</div>"
            f"{_failure_html(verdict, 'h4')}"
            f"{_evidence_rows_html(verdict.evidence, verdict.seed)}</div>")


def theorem_html(theorem: Theorem) -> str:
    """A theorem as an HTML fragment (title, statement in MathML, hypotheses)."""
    shown = "".join(mathml(st) for st in statements(theorem))
    hyp = "".join(f"<li>{_hypothesis(h)}</li>" for h in theorem.hypotheses)
    return (f"<div><strong>{html.escape(theorem.id)}</strong>: {html.escape(theorem.title)}"
            f"{shown}<ul>{hyp}</ul></div>")


def html_index(entries, command: str, version: str, seed: int, profile: str) -> str:
    """The index of every page in the folder (:mod:`theorems.report.index` entries)."""
    rows = []
    for e in entries:
        name = html.escape(e.theorem)
        link = f'<a href="{html.escape(e.slug)}.html">{name}</a>' if "html" in e.formats else name
        others = " ".join(f'<a href="{html.escape(e.slug)}.{fmt_}">{fmt_}</a>'
                          for fmt_ in e.formats if fmt_ != "html")
        rows.append(f"<tr><td>{link}</td><td>{html.escape(e.title)}</td>"
                    f'<td style="color:{STATUS_COLORS.get(e.status, "#333")}"><strong>'
                    f"{html.escape(e.status)}</strong></td><td>{e.seconds:.1f}</td>"
                    f"<td>{others}</td><td>seed {e.seed}, {html.escape(e.profile)}: "
                    f"<code>{html.escape(e.command)}</code> ({html.escape(e.written)}, "
                    f"mathdl {html.escape(e.version)})</td></tr>")
    counts: dict[str, int] = {}
    for e in entries:
        counts[e.status] = counts.get(e.status, 0) + 1
    summary = ", ".join(f"{n} {s}" for s, n in counts.items())
    body = ("<h1>mathdl: derivation reports</h1>"
            f"<p>{len(entries)} pages: {html.escape(summary)}.</p>"
            "<table><tr><th>theorem</th><th>title</th><th>verdict</th><th>seconds</th>"
            "<th>also</th><th>written by</th></tr>" + "\n".join(rows) + "</table>")
    return _html_shell("mathdl reports", body, _footer_html(version, seed, profile, command))
