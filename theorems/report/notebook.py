"""Notebook views of theorems and verdicts, printed with the report's notation.

The core objects carry plain views (``Verdict._repr_latex_`` and friends, SymPy's
own printer); these use the report printers (upright names, norms, every bound
index), and the package facade can attach them as it attaches the HTML views:

>>> import sympy
>>> from theorems.core import Theorem
>>> G, lam = sympy.symbols("G lambda")
>>> statement = sympy.Equivalent(sympy.Symbol("globally_optimal"),
...                              sympy.Function("spectral_norm")(G) <= lam)
>>> t = Theorem("x.certificate", "a certificate", statement, ["G_1 > 0"], [], "", [])
>>> print(theorem_latex(t))
$$\\text{globally optimal} \\Leftrightarrow \\left\\|G\\right\\|_{2} \\leq \\lambda$$
>>> print(theorem_markdown(t).splitlines()[-4])
- G\\_1 \\> 0
"""

from __future__ import annotations

from theorems.core import Theorem, Verdict
from theorems.report.html import theorem_html, verdict_html
from theorems.report.latex import latex, tex_escape
from theorems.report.markdown import hypothesis, md_escape

__all__ = ["theorem_latex", "theorem_markdown", "verdict_latex", "verdict_html",
           "theorem_html"]


def theorem_latex(theorem: Theorem) -> str:
    """The statement as display math."""
    if theorem.statement is None:
        return rf"$\text{{{tex_escape(theorem.id)}: {tex_escape(theorem.title)}}}$"
    return f"$${latex(theorem.statement)}$$"


def theorem_markdown(theorem: Theorem) -> str:
    """Id, title, statement, hypotheses and references, escaped."""
    hyp = "\n".join(f"- {hypothesis(h)}" for h in theorem.hypotheses)
    refs = "\n".join(f"- {md_escape(r)}" for r in theorem.references)
    statement = f"$${latex(theorem.statement)}$$\n\n" if theorem.statement is not None else ""
    return (f"**{md_escape(theorem.id)}**: {md_escape(theorem.title)}\n\n{statement}"
            f"Hypotheses:\n{hyp}\n\nReferences:\n{refs}\n")


def verdict_latex(verdict: Verdict) -> str:
    """The verdict's one-line LaTeX view (the core's, which leads with a failing check)."""
    return verdict._repr_latex_()
