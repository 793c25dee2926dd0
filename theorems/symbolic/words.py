"""Matrix words modulo relations: a rewriting normal form valid for every size.

A matrix expression (a sum of products of matrix symbols) is a linear combination
of *words*, tuples of letters.  A letter is a symbol name, optionally with a
suffix: ``'`` (transpose), ``^-1`` (inverse) or ``^-T`` (inverse transpose); a
symmetric matrix (named in ``symmetric``) has no transpose suffix.  Rewriting a
word with relations such as ``U' U -> I`` uses nothing but associativity, so two
expressions with the same normal form are equal for symbolic sizes whenever the
relations hold.  Under a trace, words are also compared up to cyclic rotation.

>>> import sympy
>>> n = sympy.Symbol("n", integer=True, positive=True)
>>> U, S = sympy.MatrixSymbol("U", n, n), sympy.MatrixSymbol("S", n, n)
>>> reduce_words(to_words(U.T * U * S), [rule("U' U")])
{('S',): 1}
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

import sympy
from sympy import Identity, Inverse, MatAdd, MatMul, MatrixSymbol, Trace, Transpose, ZeroMatrix

from theorems.derivation import Lemma

__all__ = ["Word", "Poly", "to_words", "reduce_words", "reduce_trace", "scalar_words",
           "rule", "words_lemma"]

Word = tuple[str, ...]
Poly = dict[Word, sympy.Expr]


def _letter(atom: sympy.Basic, symmetric: Collection[str]) -> str:
    if isinstance(atom, MatrixSymbol):
        return atom.name
    if isinstance(atom, Transpose) and isinstance(atom.arg, MatrixSymbol):
        name = atom.arg.name
        return name if name in symmetric else name + "'"
    if isinstance(atom, Inverse) and isinstance(atom.arg, MatrixSymbol):
        return atom.arg.name + "^-1"
    if isinstance(atom, Inverse) and isinstance(atom.arg, Transpose):
        name = atom.arg.arg.name
        return name + ("^-1" if name in symmetric else "^-T")
    if isinstance(atom, Transpose) and isinstance(atom.arg, Inverse):
        name = atom.arg.arg.name
        return name + ("^-1" if name in symmetric else "^-T")
    raise ValueError(f"cannot read {atom!r} as a matrix letter")


def _add(poly: Poly, word: Word, coeff: sympy.Expr) -> None:
    value = sympy.expand(poly.get(word, sympy.S.Zero) + coeff)
    if value == 0:
        poly.pop(word, None)
    else:
        poly[word] = value


def to_words(expr: sympy.Basic, symmetric: Collection[str] = ()) -> Poly:
    """A matrix expression (sum of products of letters) as a word polynomial.

    Parameters
    ----------
    expr : sympy matrix expression
    symmetric : collection of str
        Names of symmetric matrices (their transpose is the matrix itself).
    """
    expr = expr.doit() if hasattr(expr, "doit") else expr
    out: Poly = {}
    if isinstance(expr, ZeroMatrix) or expr == 0:
        return out
    if isinstance(expr, Identity):
        return {(): sympy.S.One}
    if isinstance(expr, MatAdd):
        for arg in expr.args:
            for w, c in to_words(arg, symmetric).items():
                _add(out, w, c)
        return out
    if isinstance(expr, MatMul):
        acc: Poly = {(): sympy.S.One}
        for arg in expr.args:
            if not getattr(arg, "is_Matrix", False):
                acc = {w: c * arg for w, c in acc.items()}
                continue
            part = to_words(arg, symmetric)
            new: Poly = {}
            for w1, c1 in acc.items():
                for w2, c2 in part.items():
                    _add(new, w1 + w2, c1 * c2)
            acc = new
        return acc
    return {(_letter(expr, symmetric),): sympy.S.One}


def _find(word: Word, lhs: Word) -> int:
    n = len(lhs)
    for k in range(len(word) - n + 1):
        if word[k:k + n] == lhs:
            return k
    return -1


def reduce_words(poly: Poly, rules: Sequence[tuple[Word, Poly]], limit: int = 10_000) -> Poly:
    """Rewrite every word with the first applicable rule until none applies.

    Raises RuntimeError after ``limit`` rewrites (a non-terminating rule set).
    """
    todo = list(poly.items())
    out: Poly = {}
    steps = 0
    while todo:
        word, coeff = todo.pop()
        steps += 1
        if steps > limit:
            raise RuntimeError("word rewriting did not terminate")
        for lhs, rhs in rules:
            k = _find(word, lhs)
            if k >= 0:
                for w, c in rhs.items():
                    todo.append((word[:k] + w + word[k + len(lhs):], coeff * c))
                break
        else:
            _add(out, word, coeff)
    return out


def reduce_trace(poly: Poly, rules: Sequence[tuple[Word, Poly]]) -> Poly:
    """Normal form of tr(poly): each word reduced in its shortest cyclic rotation."""
    out: Poly = {}
    for word, coeff in poly.items():
        best: Poly | None = None
        for k in range(max(len(word), 1)):
            red = reduce_words({word[k:] + word[:k]: sympy.S.One}, rules)
            size = sum(len(w) for w in red) + len(red)
            if best is None or size < sum(len(w) for w in best) + len(best):
                best = red
        for w, c in (best or {}).items():
            rot = min((w[k:] + w[:k] for k in range(max(len(w), 1))), default=w)
            _add(out, rot, coeff * c)
    return out


def scalar_words(expr: sympy.Expr, symmetric: Collection[str] = ()) -> tuple[Poly, sympy.Expr]:
    """Split a scalar sum of traces into (word polynomial under the trace, remainder)."""
    poly: Poly = {}
    rest = sympy.S.Zero
    for term in sympy.Add.make_args(sympy.expand(expr)):
        coeff, traces = sympy.S.One, []
        for factor in sympy.Mul.make_args(term):
            (traces if isinstance(factor, Trace) else [coeff]).append(factor)
            if not isinstance(factor, Trace):
                coeff = factor if coeff == 1 else coeff * factor
        if len(traces) == 1:
            for w, c in to_words(traces[0].arg, symmetric).items():
                _add(poly, w, coeff * c)
        else:
            rest += term
    return poly, rest


def rule(lhs: str, rhs: str = "") -> tuple[Word, Poly]:
    """The relation ``lhs -> rhs`` between words written as space-separated letters.

    >>> rule("U' U")
    (("U'", 'U'), {(): 1})
    """
    return tuple(lhs.split()), {tuple(rhs.split()): sympy.S.One}


def _residue(before: sympy.Basic, after: sympy.Basic, rules, trace: bool,
             symmetric: Collection[str]) -> tuple[bool, str]:
    if trace:
        lb, rb = scalar_words(before, symmetric)
        la, ra = scalar_words(after, symmetric)
        diff = reduce_trace(lb, rules)
        for w, c in reduce_trace(la, rules).items():
            _add(diff, w, -c)
        rest = sympy.simplify(rb - ra)
        ok = not diff and rest == 0
        left = {" ".join(w): str(c) for w, c in diff.items()}
        return ok, "normal forms agree" if ok else f"residue {left} + {rest}"
    diff = reduce_words(to_words(before, symmetric), rules)
    for w, c in reduce_words(to_words(after, symmetric), rules).items():
        _add(diff, w, -c)
    ok = not diff
    left = {" ".join(w): str(c) for w, c in diff.items()}
    return ok, "normal forms agree" if ok else f"residue {left}"


def words_lemma(name: str, rules: Sequence[tuple[Word, Poly]], description: str,
                trace: bool = False,
                transform: Callable[[sympy.Basic], sympy.Basic] | None = None,
                symmetric: Collection[str] = ()) -> Lemma:
    """A lemma whose check rewrites both sides with ``rules`` (after ``transform`` of the
    left side) and compares the normal forms (under a trace when ``trace``).

    The rules are relations among the matrices, which random entries would violate,
    so the lemma is ``constrained`` (no random counterexample search).
    """
    symmetric = frozenset(symmetric)

    def check(before, after, relation):
        if transform is not None:
            before = transform(before)
        if relation != "=":
            return False, f"{name} justifies equalities only"
        return _residue(before, after, rules, trace, symmetric)

    return Lemma(name, check, description, constrained=True)
