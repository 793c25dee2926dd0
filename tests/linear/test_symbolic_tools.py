"""The framework pieces the linear family moved out: matrix words and termwise calculus."""

import numpy as np
import pytest
import sympy

from theorems.symbolic.matrix_calculus import lambdify_matrix, naive_gradient, termwise_gradient
from theorems.symbolic.words import reduce_trace, reduce_words, rule, to_words, words_lemma

n = sympy.Symbol("n", integer=True, positive=True)
U, S, P = (sympy.MatrixSymbol(name, n, n) for name in ("U", "S", "P"))


def test_symmetric_letters_have_no_transpose():
    assert to_words(S.T * U) == {("S'", "U"): 1}
    assert to_words(S.T * U, symmetric={"S"}) == {("S", "U"): 1}
    assert to_words(sympy.Inverse(S.T), symmetric={"S"}) == {("S^-1",): 1}
    assert to_words(sympy.Inverse(U.T)) == {("U^-T",): 1}


def test_rewriting_uses_the_relations_and_nothing_else():
    rules = [rule("U' U")]
    assert reduce_words(to_words(U.T * U * S - S), rules) == {}
    assert reduce_words(to_words(U * U.T * S - S), rules)  # U U' = I is not a relation


def test_trace_normal_form_is_cyclic():
    rules = [rule("U' U")]
    assert reduce_trace(to_words(S * U.T * U), rules) == reduce_trace(to_words(U.T * U * S),
                                                                      rules)
    assert reduce_trace(to_words(S * P - P * S), []) == {}


def test_non_terminating_rules_raise():
    with pytest.raises(RuntimeError, match="did not terminate"):
        reduce_words(to_words(U), [rule("U", "U U")], limit=50)


def test_words_lemma_checks_equalities_only():
    lemma = words_lemma("orthonormal", [rule("U' U")], "U' U = I")
    assert lemma.check(U.T * U * S, S, "=")[0] is True
    ok, detail = lemma.check(U.T * U * S, 2 * S, "=")
    assert ok is False and "residue" in detail
    assert lemma.check(S, S, "<=")[0] is False


def test_termwise_gradient_matches_numbers_where_the_whole_sum_may_not():
    terms = [(1, sympy.Trace(U * S)), (3, sympy.Trace(U.T * U))]
    g = termwise_gradient(terms, U)
    rng = np.random.default_rng(0)
    Un, Sn = rng.standard_normal((3, 3)), rng.standard_normal((3, 3))
    assert np.allclose(lambdify_matrix([U, S], g)(Un, Sn), Sn.T + 6 * Un, rtol=1e-13)
    naive = naive_gradient(terms, U)
    assert str(naive) in ("0", str(g)) or sympy.simplify(naive - g) == sympy.ZeroMatrix(n, n)
    with pytest.raises(ValueError, match="wrt"):
        termwise_gradient(terms, sympy.Symbol("x"))
