"""The Markdown writer: $...$ / $$...$$ math that renders on common code hosts."""

from __future__ import annotations

import re
from pathlib import Path

from theorems.report.latex import latex
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

__all__ = ["hypothesis", "md_escape", "markdown_page", "markdown_index"]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|$])")


def md_escape(text: str) -> str:
    """Escape Markdown syntax (and inline HTML) in user text."""
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def hypothesis(h) -> str:
    """A hypothesis: SymPy objects as inline $...$ math, words escaped."""
    return f"${latex(h)}$" if is_math(h) else md_escape(str(h))


def _failure(verdict) -> list[str]:
    """A refuted verdict leads with the failing check and its counterexample."""
    found = failure(verdict)
    if found is None:
        return []
    failed, comparison = found
    return ["## Counterexample", "", f"Failing check: **{md_escape(failed.name)}** "
            f"({md_escape(failed.kind)}){': ' + md_escape(comparison) if comparison else ''}.",
            "", "```json", counterexample_json(verdict), "```", ""]


def markdown_page(page: Page) -> str:
    """One Markdown page with $...$ / $$...$$ math that renders on common code hosts."""
    t, v = page.theorem, page.verdict
    out = [f"# {md_escape(t.title)}", "", f"`{t.id}` · **{v.status.value.upper()}** · "
           f"{len(v.evidence)} checks · {v.seconds:.1f} s", "", *_failure(v), "## Statement", ""]
    for st in statements(t):
        out += ["$$", latex(st), "$$", ""]
    if t.hypotheses:
        out += ["## Hypotheses", ""] + [f"- {hypothesis(h)}" for h in t.hypotheses] + [""]
    if page.derivations:
        out += ["## Derivations", ""]
    for der, result in page.derivations:
        scope = "symbolic sizes" if der.general else "fixed sizes"
        out += [f"### {md_escape(der.title)}", "", f"Sizes: {scope}.", "", "$$",
                latex(der.start), "$$", ""]
        for k, (step, res) in enumerate(zip(der.steps, result.steps, strict=True), start=1):
            rel = RELATIONS.get(step.relation, (step.relation,) * 3)[1]
            out += [f"{k}. rule **{md_escape(res.rule)}** ({step_scope(res.symbolic)}): "
                    f"{mark(res.ok)}", "", "$$", f"{rel} {latex(step.expr)}", "$$", ""]
    out += ["## Evidence", "",
            "| | kind | check | measured | tolerance | instances | seed | seconds |",
            "|---|---|---|---|---|---|---|---|"]
    for ev in v.evidence:
        out.append(f"| {mark(ev.passed)} | {ev.kind} | {md_escape(ev.name)} | "
                   f"{fmt(ev.measured)} | {fmt(ev.tolerance)} | {ev.instances} | {v.seed} | "
                   f"{ev.seconds:.2f} |")
    out.append("")
    if page.figures:
        out += ["## Figures", ""]
    for fig in page.figures:
        out += [f"![{md_escape(fig.name)}](figures/{fig.stem}.svg)", "",
                md_escape(fig.caption), ""]
    if t.references:
        out += ["## References", ""] + [f"- {md_escape(str(r))}" for r in t.references] + [""]
    if page.note_text is not None:
        out += [f"Proof note: [{t.note}](notes/{Path(t.note).name})", ""]
    out += ["---", "", f"mathdl {page.version} · seed {v.seed} · profile {v.profile} · "
            f"reproduce with `{page.command}`", ""]
    return "\n".join(out)


def markdown_index(entries) -> str:
    """The index of every page in the folder, with the run that wrote each."""
    out = ["# mathdl: derivation reports", "", "| theorem | title | verdict | written by |",
           "|---|---|---|---|"]
    for e in entries:
        name = f"[{md_escape(e.theorem)}]({e.slug}.md)" if "md" in e.formats else \
            md_escape(e.theorem)
        out.append(f"| {name} | {md_escape(e.title)} | {e.status} | seed {e.seed}, "
                   f"{md_escape(e.profile)}: `{e.command}` ({e.written}) |")
    return "\n".join(out) + "\n"
