"""Falsify your own claims: a complete pytest file to copy into your tests/ folder."""

import numpy as np
import sympy
from hypothesis import strategies as st

import theorems
from theorems import Claim, falsify
from theorems import strategies as sdl
from theorems.testing import assert_refuted, parametrize_with_claims, property_test


def nuclear(M):
    return float(np.linalg.svd(M, compute_uv=False).sum())


# A numeric claim: both sides are functions of arguments drawn from Hypothesis strategies.
frobenius_below_nuclear = Claim(
    "frobenius <= nuclear", lambda M: float(np.linalg.norm(M)), nuclear, "<=",
    given={"M": sdl.integer_matrices(max_side=3)})

# A symbolic claim with symbolic sizes: the canonicalizer proves it for every m, n, d.
m, n, d = sympy.symbols("m n d", integer=True, positive=True)
U, V = sympy.MatrixSymbol("U", m, d), sympy.MatrixSymbol("V", n, d)
gram_trace = Claim("||U V^T||_F^2 = tr(U^T U V^T V)",
                   sympy.Trace(U * V.T * V * U.T), sympy.Trace(U.T * U * V.T * V))

# A conjecture that looks right and is false: the nuclear norm is not additive.
nuclear_additive = Claim(
    "nuclear norm is additive", lambda A, B: nuclear(A + B),
    lambda A, B: nuclear(A) + nuclear(B),
    given={"A": sdl.integer_matrices(rows=2, cols=2), "B": sdl.integer_matrices(rows=2, cols=2)})

# One line turns a claim into a test.
test_frobenius_below_nuclear = property_test(frobenius_below_nuclear, max_examples=50)


# Or parametrize one test over claims and catalog theorems (one pytest case each).
@parametrize_with_claims([frobenius_below_nuclear, gram_trace,
                          theorems.get("dropout.doubling")], max_examples=50)
def test_claims(claim, check):
    check(claim)


def test_gram_trace_is_proved_for_every_size():
    assert falsify(gram_trace, max_examples=20).status.value == "proved"


def test_nuclear_norm_is_not_additive():
    verdict = assert_refuted(nuclear_additive, seed=0)
    cex = verdict.counterexample
    assert cex["lhs"] < cex["rhs"]  # the triangle inequality is strict here
    assert cex["instance"].keys() == {"A", "B"}
    # the same seed reproduces the same minimal counterexample
    assert falsify(nuclear_additive, seed=0).counterexample["instance"] == cex["instance"]


def test_a_square_is_nonnegative():
    x = st.integers(-10, 10)
    claim = Claim("(a - b)^2 >= 0", lambda a, b: (a - b) ** 2, 0, ">=", given={"a": x, "b": x})
    assert falsify(claim, max_examples=30).ok
