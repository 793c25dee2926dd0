"""Notation for theorem statements: norms, predicates and ``min`` over a set, as SymPy objects.

Each class prints itself in LaTeX (``_latex``), presentation MathML
(``_mathml_presentation``) and SymPy's pretty printer (``_pretty``), so a statement
written with them reads the same in every report format and in a terminal.

>>> import sympy
>>> from theorems.symbolic.printing import NuclearNorm, SpectralNorm, Predicate
>>> M, G, lam = sympy.symbols("M G lambda")
>>> sympy.latex(NuclearNorm(M))
'\\\\left\\\\|M\\\\right\\\\|_{*}'
>>> sympy.latex(sympy.Equivalent(Predicate("globally optimal"), SpectralNorm(G) <= lam))
'\\\\text{globally optimal} \\\\Leftrightarrow \\\\left\\\\|G\\\\right\\\\|_{2} \\\\leq \\\\lambda'
>>> print(sympy.pretty(SpectralNorm(G), use_unicode=True))
‖G‖₂

:func:`notate` replaces the plain undefined functions families used before these
classes existed (``Function("nuclear_norm")``) by them, so old statements print right too.
"""

from __future__ import annotations

import re

import sympy
from sympy.core.function import AppliedUndef

__all__ = ["Norm", "SpectralNorm", "NuclearNorm", "FrobeniusNorm", "Predicate", "MinOver",
           "NOTATIONS", "mml_element", "notate", "words"]


def mml_element(printer, tag: str, *children, text: str | None = None, **attrs):
    """A MathML element of ``printer``'s DOM with attributes, text and children."""
    el = printer.dom.createElement(tag)
    for key, value in attrs.items():
        el.setAttribute(key, value)
    if text is not None:
        el.appendChild(printer.dom.createTextNode(text))
    for child in children:
        el.appendChild(child)
    return el


class Norm(sympy.Function):
    """A matrix norm ``‖A‖_s``; subclasses set the subscript (LaTeX, MathML text, Unicode)."""

    nargs = 1
    is_extended_nonnegative = True
    sub: tuple[str, str, str] = ("", "", "")

    def _latex(self, printer, exp=None):
        body = rf"\left\|{printer._print(self.args[0])}\right\|_{{{self.sub[0]}}}"
        return body if exp is None else rf"{body}^{{{exp}}}"

    def _mathml_presentation(self, printer):
        bar = mml_element(printer, "mo", text="\u2016", fence="true", stretchy="false")
        bar2 = mml_element(printer, "mo", text="\u2016", fence="true", stretchy="false")
        row = mml_element(printer, "mrow", bar, printer._print(self.args[0]), bar2)
        upright = {"mathvariant": "normal"} if len(self.sub[1]) == 1 else {}
        sub = mml_element(printer, "mi", text=self.sub[1], **upright)
        return mml_element(printer, "msub", row, sub)

    def _pretty(self, printer):
        from sympy.printing.pretty.stringpict import prettyForm

        return prettyForm(*prettyForm("\u2016").right(printer._print(self.args[0]),
                                                          prettyForm("\u2016" + self.sub[2])))

    def _sympystr(self, printer):
        return f"||{printer._print(self.args[0])}||_{self.sub[1]}"


class SpectralNorm(Norm):
    """The spectral norm (largest singular value) ``‖A‖₂``."""

    sub = ("2", "2", "\u2082")


class NuclearNorm(Norm):
    """The nuclear norm (sum of singular values) ``‖A‖_*``."""

    sub = ("*", "*", "_*")  # Unicode has no subscript star


class FrobeniusNorm(Norm):
    """The Frobenius norm ``‖A‖_F``."""

    sub = ("F", "F", "_F")


def words(name: str) -> str:
    """``"globally_optimal"`` -> ``"globally optimal"``."""
    return " ".join(part for part in name.replace("_", " ").split())


class Predicate(sympy.Symbol):
    """A named proposition printed as upright words (``globally optimal``), usable in logic."""

    def __new__(cls, name: str, **assumptions):
        return super().__new__(cls, words(name), **assumptions)

    def _latex(self, printer):
        return rf"\text{{{self.name}}}"

    def _mathml_presentation(self, printer):
        return mml_element(printer, "mtext", text=self.name)

    def _pretty(self, printer):
        from sympy.printing.pretty.stringpict import prettyForm

        return prettyForm(self.name)


class MinOver(sympy.Function):
    """``MinOver(expr, where)``: the minimum of ``expr`` over ``where`` (printed under min).

    ``where`` is any SymPy object: a symbol, a tuple of symbols, or a relation such as
    ``Eq(U*V.T, M)``.
    """

    nargs = 2

    def _latex(self, printer, exp=None):
        body = rf"\min_{{{printer._print(self.args[1])}}} {printer._print(self.args[0])}"
        return body if exp is None else rf"\left({body}\right)^{{{exp}}}"

    def _mathml_presentation(self, printer):
        word = mml_element(printer, "mo", text="min", movablelimits="true")
        under = mml_element(printer, "munder", word, printer._print(self.args[1]))
        return mml_element(printer, "mrow", under, printer._print(self.args[0]))

    def _pretty(self, printer):
        from sympy.printing.pretty.stringpict import prettyForm

        body = printer._print(self.args[0])
        head = prettyForm(f"min[{printer._print(self.args[1])}] ")
        return prettyForm(*head.right(body))

    def _sympystr(self, printer):
        return f"min_{{{printer._print(self.args[1])}}} {printer._print(self.args[0])}"


NOTATIONS: dict[str, type[sympy.Function]] = {
    "spectral_norm": SpectralNorm,
    "nuclear_norm": NuclearNorm,
    "frobenius_norm": FrobeniusNorm,
}


_NORM_SYMBOL = re.compile(r"^\|\|(\w+)\|\|_(\*|F|2)$")
_NORM_BY_SUB = {"*": NuclearNorm, "F": FrobeniusNorm, "2": SpectralNorm}


def notate(expr):
    """Replace plain ``Function("nuclear_norm")(A)`` (and the other NOTATIONS) by the classes.

    Symbols named like a norm (``Symbol("||M||_*")``) become the norm of the symbol ``M``.
    The meaning is unchanged; only the printing differs.

    >>> import sympy
    >>> notate(sympy.Function("nuclear_norm")(sympy.Symbol("M")) + sympy.Symbol("||U||_F"))
    ||U||_F + ||M||_*
    >>> type(notate(sympy.Symbol("||U||_F"))).__name__
    'FrobeniusNorm'
    """
    expr = sympy.sympify(expr)
    if not isinstance(expr, sympy.Basic):
        return expr

    def known(e) -> bool:
        return isinstance(e, AppliedUndef) and e.func.__name__ in NOTATIONS and len(e.args) == 1

    def norm_symbol(e) -> bool:
        return type(e) is sympy.Symbol and _NORM_SYMBOL.match(e.name) is not None

    def as_norm(e):
        inner, sub = _NORM_SYMBOL.match(e.name).groups()
        return _NORM_BY_SUB[sub](sympy.Symbol(inner))

    expr = expr.replace(known, lambda e: NOTATIONS[e.func.__name__](*e.args))
    return expr.replace(norm_symbol, as_norm)


_OPERATORS = ("min", "max", "sup", "inf", "argmin", "argmax")


def name_kind(name: str) -> tuple[str, ...] | None:
    """How a printer should show a symbol or function name that SymPy would mangle.

    * ``("text", name)`` for snake_case words (``globally_optimal``,
      ``min_uv_dropout_objective``): upright text, not ``globally`` with the
      subscript ``optimal``;
    * ``("op", "min", "M")`` for an operator with a short subscript (``min_M``);
    * ``None`` for ordinary names (``x``, ``sigma_1``, ``Omega_d``, ``RRR_p``),
      which keep SymPy's subscript convention.

    >>> name_kind("globally_optimal"), name_kind("min_M"), name_kind("sigma_1")
    (('text', 'globally_optimal'), ('op', 'min', 'M'), None)
    """
    from sympy.printing.latex import greek_letters_set

    if "_" not in name or any(ch in name for ch in "{}()[], ^"):
        return None
    base, rest = name.split("_", 1)
    if base in _OPERATORS and rest and "_" not in rest and len(rest) <= 3:
        return ("op", base, rest)
    if len(base) >= 2 and base.isalpha() and base.islower() and base not in greek_letters_set:
        return ("text", name)
    return None
