"""Presentation MathML for the HTML pages: SymPy's printer with its defects fixed.

SymPy 1.14's presentation printer shows only the first index of a sum over
several indices (``Sum(f, (a, 1, m), (b, 1, n))`` loses ``b``), prints
``Order`` and ``Product`` as the words ``order(...)`` and ``product(...)``, the
names of undefined functions as raw words (``theta(d)``, ``Omega_d(M)``), and
minus signs as hyphens.  :class:`Presentation` fixes each of these, shows
snake_case names as upright text (:func:`theorems.symbolic.printing.name_kind`)
and uses the notation of the notes (``X_{a,b}``, ``δ_{ij}``, ``𝔼[·]``).

>>> import sympy
>>> a, b, m, n = sympy.symbols("a b m n")
>>> X = sympy.IndexedBase("X")
>>> body = mathml_body(sympy.Sum(X[a, b], (a, 1, m), (b, 1, n)))
>>> body.count("<munderover>"), "<mi>b</mi>" in body
(2, True)
"""

from __future__ import annotations

import html
from typing import Any

import sympy
from sympy.core.function import AppliedUndef
from sympy.printing.mathml import MathMLPresentationPrinter
from sympy.printing.precedence import precedence_traditional

from theorems.symbolic.printing import mml_element, name_kind, notate, words

__all__ = ["MATH_NS", "Presentation", "mathml_body", "mathml", "MINUS"]

MATH_NS = "http://www.w3.org/1998/Math/MathML"
MINUS = "\u2212"


class Presentation(MathMLPresentationPrinter):
    """SymPy's presentation printer with every bound index shown and names printed as names."""

    def _element(self, tag: str, *children, text: str | None = None, **attrs):
        return mml_element(self, tag, *children, text=text, **attrs)

    def doprint(self, expr, *args, **kwargs) -> str:
        element = self._print(expr)
        _fix_text(element)
        return element.toxml()

    def _subscript(self, base, indices):
        row = self._element("mrow")
        for k, index in enumerate(indices):
            if k:
                row.appendChild(self._element("mo", text=","))
            row.appendChild(self._print(index))
        return self._element("msub", base, row)

    def _print_Indexed(self, expr):
        return self._subscript(self._print(expr.base.label), expr.indices)

    def _print_KroneckerDelta(self, expr):
        return self._subscript(self._element("mi", text="\u03b4"), expr.args)

    def _print_Expectation(self, expr):
        return self._element("mrow", self._element("mi", text="\U0001d53c"),
                             self._element("mo", text="["), self._print(expr.args[0]),
                             self._element("mo", text="]"))

    def _big_operator(self, expr, symbol: str):
        """One big operator per bound index, the first limit outermost (as LaTeX prints)."""
        row = self._element("mrow")
        for var, low, high in expr.limits:
            under = self._element("mrow", self._print(var), self._element("mo", text="="),
                                  self._print(low))
            row.appendChild(self._element("munderover", self._element("mo", text=symbol),
                                          under, self._print(high)))
        row.appendChild(self.parenthesize(expr.function, precedence_traditional(expr)))
        return row

    def _print_Sum(self, expr):
        return self._big_operator(expr, "\u2211")

    def _print_Product(self, expr):
        return self._big_operator(expr, "\u220f")

    def _print_Order(self, expr):
        row = self._element("mrow", self._element("mi", text="O", mathvariant="script"),
                            self._element("mo", text="("), self._print(expr.expr))
        point = expr.point
        if expr.variables and any(p != 0 for p in point):
            row.appendChild(self._element("mo", text=";"))
            for k, (var, at) in enumerate(zip(expr.variables, point, strict=True)):
                if k:
                    row.appendChild(self._element("mo", text=","))
                row.appendChild(self._print(var))
                row.appendChild(self._element("mo", text="\u2192"))
                row.appendChild(self._print(at))
        row.appendChild(self._element("mo", text=")"))
        return row

    def _print_Symbol(self, sym, style="plain"):
        kind = name_kind(sym.name)
        if kind is not None and kind[0] == "text":
            return self._element("mtext", text=words(sym.name))
        return super()._print_Symbol(sym, style)

    def _function_head(self, name: str):
        kind = name_kind(name)
        if kind is None:
            return self._print_Symbol(sympy.Symbol(name))
        if kind[0] == "op":
            return self._element("munder", self._element("mo", text=kind[1],
                                                         movablelimits="true"),
                                 self._print_Symbol(sympy.Symbol(kind[2])))
        return self._element("mi", text=name, mathvariant="normal")

    def _print_Function(self, expr):
        if not isinstance(expr, AppliedUndef):
            return super()._print_Function(expr)
        return self._element("mrow", self._function_head(expr.func.__name__),
                             self._paren_comma_separated(*expr.args))

    def _print_Trace(self, expr):
        return self._element("mrow", self._element("mi", text="tr", mathvariant="normal"),
                             self._paren_comma_separated(expr.arg))


def _fix_text(element) -> None:
    """Make every text node well-formed XML and print minus signs as U+2212.

    SymPy writes text nodes raw (entities such as ``&InvisibleTimes;`` and any
    ``<`` in a symbol's name go out unescaped); here entities become characters and
    the text is escaped, so each ``<math>`` element parses as XML.
    """
    for child in list(element.childNodes):
        if child.nodeType == child.ELEMENT_NODE:
            _fix_text(child)
        elif child.nodeType == child.TEXT_NODE:
            data = html.unescape(child.data)
            if element.tagName in ("mo", "mn") and data.startswith("-"):
                data = MINUS + data[1:]
            child.data = html.escape(data, quote=False)


def mathml_body(expr: Any) -> str:
    """The MathML of a SymPy expression, without the ``<math>`` element."""
    return Presentation().doprint(notate(sympy.sympify(expr)))


def mathml(expr: Any, display: str = "block") -> str:
    """A ``<math>`` element for a SymPy expression."""
    return f'<math xmlns="{MATH_NS}" display="{display}">{mathml_body(expr)}</math>'
