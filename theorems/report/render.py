"""The report layer's public surface: the page model and the three writers.

Kept as one import for callers (``from theorems.report import render``); the code
lives in :mod:`~theorems.report.model`, :mod:`~theorems.report.mathml`,
:mod:`~theorems.report.html`, :mod:`~theorems.report.markdown` and
:mod:`~theorems.report.latex`.
"""

from theorems.report.html import CSS, html_index, html_page, theorem_html, verdict_html
from theorems.report.latex import TEX_PREAMBLE, latex, latex_page, tex_code, tex_escape
from theorems.report.markdown import markdown_index, markdown_page, md_escape
from theorems.report.mathml import MATH_NS, mathml, mathml_body
from theorems.report.model import (
    RELATIONS,
    STATUS_COLORS,
    FigureOut,
    Page,
    collect,
    fmt,
    mark,
    project_root,
    statements,
    step_scope,
)

__all__ = ["CSS", "FigureOut", "MATH_NS", "Page", "RELATIONS", "STATUS_COLORS", "TEX_PREAMBLE",
           "collect", "fmt", "html_index", "html_page", "latex", "latex_page", "mark",
           "markdown_index", "markdown_page", "mathml", "mathml_body", "md_escape",
           "project_root", "statements", "step_scope", "tex_code", "tex_escape",
           "theorem_html", "verdict_html"]
