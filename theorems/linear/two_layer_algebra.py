"""The algebra of linear.baldi_hornik for symbolic sizes: E(A, B) as a sum of traces, its
term-by-term gradients, and the derivations (by matrix-word rewriting) that the claimed
points are critical with E = tr Sigma_YY - sum_{i in I} lambda_i there (MATH 5).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import sympy
from sympy import Inverse, MatrixSymbol, Trace, ZeroMatrix, symbols

from theorems.derivation import Derivation, Step
from theorems.symbolic.matrix_calculus import as_sum, naive_gradient, termwise_gradient
from theorems.symbolic.words import rule, words_lemma

__all__ = ["symbolic_gradients", "substitute", "gradient_derivation", "loss_derivation",
           "bh_derivations", "LOSS", "LOSS_TERMS", "POINT", "DATA_RULES", "POINT_RULES",
           "SYMMETRIC", "A_s", "B_s", "X_s", "Y_s", "U_s", "C_s", "SXX_s", "SYX_s", "SYY_s",
           "LAM_s", "p_"]

# -- symbolic sizes and the critical point ------------------------------------------------

n_, p_, nx_, N_ = symbols("n p n_x N", integer=True, positive=True)
A_s, B_s = MatrixSymbol("A", n_, p_), MatrixSymbol("B", p_, nx_)
X_s, Y_s = MatrixSymbol("X", nx_, N_), MatrixSymbol("Y", n_, N_)
U_s, C_s = MatrixSymbol("U", n_, p_), MatrixSymbol("C", p_, p_)
SXX_s, SYX_s = MatrixSymbol("Sigma_XX", nx_, nx_), MatrixSymbol("Sigma_YX", n_, nx_)
SYY_s, LAM_s = MatrixSymbol("Sigma_YY", n_, n_), MatrixSymbol("Lambda", p_, p_)
SYMMETRIC = frozenset({"Sigma_XX", "Sigma_YY", "Sigma", "Lambda"})

# E(A, B) = ||Y - A B X||_F^2 written as a sum of traces, term by term.
LOSS_TERMS = [(1, Trace(Y_s * Y_s.T)), (-2, Trace(A_s * B_s * X_s * Y_s.T)),
              (1, Trace(A_s * B_s * X_s * X_s.T * B_s.T * A_s.T))]
LOSS = as_sum(LOSS_TERMS)
POINT = {A_s: U_s * C_s, B_s: Inverse(C_s) * U_s.T * SYX_s * Inverse(SXX_s)}

# Data and critical-point relations of MATH 5 (each a hypothesis or a definition):
DATA_RULES = [
    rule("X X'", "Sigma_XX"), rule("Y X'", "Sigma_YX"), rule("X Y'", "Sigma_YX'"),
    rule("Y Y'", "Sigma_YY"),
]
POINT_RULES = [
    *DATA_RULES,
    rule("Sigma_XX^-1 Sigma_XX"), rule("Sigma_XX Sigma_XX^-1"),  # Sigma_XX invertible
    rule("C^-1 C"), rule("C C^-1"), rule("C' C^-T"), rule("C^-T C'"),  # C invertible
    rule("U' U"),  # orthonormal eigenvectors: U_I^T U_I = I
    rule("Sigma_YX Sigma_XX^-1 Sigma_YX'", "Sigma"),  # definition of Sigma
    rule("Sigma U", "U Lambda"), rule("U' Sigma", "Lambda U'"),  # Sigma U_I = U_I Lambda_I
]


def symbolic_gradients() -> tuple[sympy.Basic, sympy.Basic, sympy.Basic]:
    """(dE/dA, dE/dB, the naive diff of the whole sum), by SymPy matrix calculus.

    The gradient is taken term by term: ``diff`` of the whole sum of traces with
    respect to a MatrixSymbol silently returns 0 in SymPy (DESIGN.md, known traps),
    which the third value records.
    """
    return (termwise_gradient(LOSS_TERMS, A_s), termwise_gradient(LOSS_TERMS, B_s),
            naive_gradient(LOSS_TERMS, A_s))


def substitute(expr: sympy.Basic) -> sympy.Basic:
    """``expr`` at A = U C, B = C^-1 U' Sigma_YX Sigma_XX^-1."""
    return expr.xreplace(POINT).doit()


def _lemmas():
    name = "substitute A = U C, B = C^-1 U' Sigma_YX Sigma_XX^-1"
    subst = words_lemma(name, DATA_RULES, "plug the critical point in (matrix algebra only)",
                        transform=substitute, symmetric=SYMMETRIC)
    relations = words_lemma(
        "relations of the critical point", POINT_RULES,
        "U_I' U_I = I, Sigma U_I = U_I Lambda_I, C C^-1 = I, Sigma_XX Sigma_XX^-1 = I, "
        "Sigma = Sigma_YX Sigma_XX^-1 Sigma_XY", symmetric=SYMMETRIC)
    subst_tr = words_lemma(name, DATA_RULES, "plug the critical point in", trace=True,
                           transform=substitute, symmetric=SYMMETRIC)
    relations_tr = words_lemma("relations of the critical point and trace cyclicity",
                               POINT_RULES, "as above, and tr(P Q) = tr(Q P)", trace=True,
                               symmetric=SYMMETRIC)
    return subst, relations, subst_tr, relations_tr


def gradient_derivation(which: str) -> Derivation:
    """dE/dA or dE/dB (``which``) vanishes at the critical point, for symbolic sizes."""
    gA, gB, _ = symbolic_gradients()
    g = {"dE/dA": gA, "dE/dB": gB}[which]
    subst, relations, _, _ = _lemmas()
    return Derivation(
        f"{which} vanishes at A = U_I C, B = C^-1 U_I' Sigma_YX Sigma_XX^-1",
        g, [Step(substitute(g), subst), Step(ZeroMatrix(*g.shape), relations)], general=True)


def loss_derivation() -> Derivation:
    """E at the critical point is tr Sigma_YY - tr Lambda_I, for symbolic sizes."""
    _, _, subst_tr, relations_tr = _lemmas()
    value = Trace(SYY_s) - Trace(LAM_s)
    return Derivation(
        "E at the critical point is tr Sigma_YY - sum_{i in I} lambda_i", LOSS,
        [Step(sympy.expand(substitute(LOSS)), subst_tr), Step(value, relations_tr)],
        general=True)


def bh_derivations() -> dict[str, Callable[[], Derivation]]:
    """Criticality of A = U_I C, B = C^{-1} U_I^T Sigma_YX Sigma_XX^{-1} and the loss there."""
    return {"dE/dA": functools.partial(gradient_derivation, "dE/dA"),
            "dE/dB": functools.partial(gradient_derivation, "dE/dB"),
            "loss": loss_derivation}
