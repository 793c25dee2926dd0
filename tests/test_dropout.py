"""Dropout family: the theorems are proved, their false variants refuted, the kernels agree."""

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import theorems
from numerics import dropout as nd
from theorems import dropout as D
from theorems import strategies as sdl

THETA, P, d = D.THETA, D.P, D.d


@pytest.mark.parametrize("theorem_id", ["dropout.matrix_factorization", "dropout.doubling",
                                        "dropout.linear_regression", "dropout.linear_network"])
def test_identity_theorems_are_proved(theorem_id):
    verdict = theorems.get(theorem_id).verify(seed=1, profile="quick")
    assert verdict.status.value == "proved", verdict.summary()
    assert any(ev.general for ev in verdict.evidence)
    assert all(ev.passed for ev in verdict.evidence)


WRONG_VARIANTS = [
    # (factory, claim, checks that must catch it)
    (D.matrix_factorization, {"coefficient": 1 - THETA},
     {"derivation for symbolic m, n, d", "identity at fixed sizes, symbolic entries",
      "formula against the exact mean over all 2^d masks"}),
    (D.matrix_factorization, {"rescale": sympy.S.One},
     {"derivation for symbolic m, n, d", "formula against the exact mean over all 2^d masks"}),
    (D.matrix_factorization, {"power": 1}, {"derivation for symbolic m, n, d"}),
    (D.matrix_factorization, {"power": 4}, {"derivation for symbolic m, n, d"}),
    (D.matrix_factorization, {"coefficient": (1 - THETA) / THETA**2},
     {"formula against the exact mean over all 2^d masks"}),
    (D.doubling, {"ratio": sympy.Rational(1, 4)}, {"regularizer ratio"}),
    (D.doubling, {"rate": P}, {"lambda(theta(d))/d is independent of d"}),
    (D.linear_regression, {"coefficient": P**2},
     {"derivation for symbolic N, k", "formula against the exact mean over all masks"}),
    (D.linear_regression, {"ridge": 1 - P},
     {"ridge minimizer against the enumerated objective's minimizer"}),
    (D.linear_network, {"covariance": False},
     {"hidden dropout, linear activation, symbolic m, n, d, N"}),
    (D.linear_network, {"coefficient": 1 - THETA},
     {"relu: formula against the exact mean over all 2^d masks"}),
]


@pytest.mark.parametrize(("factory", "claim", "catching"), WRONG_VARIANTS,
                         ids=[f"{f.__name__}-{sorted(c)[0]}" for f, c, _ in WRONG_VARIANTS])
def test_wrong_variants_are_refuted_reproducibly(factory, claim, catching):
    verdict = factory(**claim).verify(seed=2, profile="quick")
    assert verdict.status.value == "refuted"
    failed = {ev.name for ev in verdict.evidence if ev.passed is False}
    assert catching <= failed, failed
    assert verdict.counterexample is not None
    again = factory(**claim).verify(seed=2, profile="quick")
    assert again.counterexample == verdict.counterexample


def test_symbolic_counterexample_is_exact_and_breaks_the_claim():
    verdict = D.matrix_factorization(coefficient=1 - THETA).verify(profile="quick")
    cex = next(ev for ev in verdict.evidence if ev.name.startswith("derivation")).counterexample
    assert cex["sizes"] == {"m": 2, "n": 2, "d": 2}
    assert sympy.Rational(cex["lhs"]) != sympy.Rational(cex["rhs"])


# -- kernels ---------------------------------------------------------------------------

@settings(max_examples=25)
@given(sdl.factor_pairs(max_side=6, max_width=5), sdl.dropout_rates(min_keep=0.1), sdl.seeds(),
       st.sampled_from([3, 200]))
def test_fast_and_direct_mask_losses_agree(factors, theta, seed, n_masks):
    # 200 > 2^5 masks exercises the tabulated path, 3 the per-mask quadratic form
    X, U, V = factors
    masks = nd.sample_masks(n_masks, U.shape[1], theta, np.random.default_rng(seed))
    fast = nd.mask_losses_fast(X, U, V, theta, masks)
    direct = nd.mask_losses_direct(X, U, V, theta, masks)
    # both are sums of O(m n d) products of O(1/theta) terms: relative 1e-9 of the scale
    scale = np.max(np.abs(direct)) + np.sum(X * X)
    assert np.max(np.abs(fast - direct)) <= 1e-9 * scale


@settings(max_examples=25)
@given(sdl.factor_pairs(max_side=5, max_width=6), sdl.dropout_rates(min_keep=0.1))
def test_exact_expectation_matches_the_closed_form(factors, theta):
    X, U, V = factors
    exact = nd.exact_expectation(X, U, V, theta)
    assert exact == pytest.approx(nd.dropout_objective(X, U, V, theta), rel=1e-10)


def test_monte_carlo_reports_a_standard_error_that_covers_the_truth():
    rng = np.random.default_rng(0)
    X, U, V = rng.standard_normal((6, 5)), rng.standard_normal((6, 4)), rng.standard_normal((5, 4))
    truth = nd.dropout_objective(X, U, V, 0.4)
    for method in ("fast", "direct"):
        mean, se = nd.monte_carlo(X, U, V, 0.4, 20_000, rng, method=method)
        assert se > 0
        assert abs(mean - truth) <= 5 * se


@settings(max_examples=20)
@given(st.floats(0.05, 1.0), st.integers(1, 50))
def test_adaptive_rate_keeps_lambda_over_d(p, width):
    assert nd.dropout_lambda(nd.adaptive_theta(p, width)) / width == pytest.approx((1 - p) / p)


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: nd.dropout_objective(np.ones((2, 2)), np.ones((2, 1)), np.ones((2, 1)), 0.0),
         "theta: expected a keep probability in \\(0, 1\\]"),
        (lambda: nd.dropout_objective(np.ones((2, 2)), np.ones((2, 1)), np.ones((2, 1)), 1.5),
         "theta"),
        (lambda: nd.dropout_objective(np.ones((2, 2)), np.ones((3, 1)), np.ones((2, 1)), 0.5),
         "U: expected 2 rows"),
        (lambda: nd.dropout_objective(np.ones((2, 2)), np.ones((2, 1)), np.ones((2, 2)), 0.5),
         "U and V: mismatched shapes"),
        (lambda: nd.dropout_objective([[np.nan]], [[1.0]], [[1.0]], 0.5), "X: expected finite"),
        (lambda: nd.sample_masks(10, 0, 0.5, np.random.default_rng()), "d: expected an integer"),
        (lambda: nd.all_masks(40, 0.5), "d: enumeration supports"),
        (lambda: nd.adaptive_theta(0.5, True), "d: expected an integer"),
        (lambda: nd.monte_carlo(np.ones((1, 1)), np.ones((1, 1)), np.ones((1, 1)), 0.5, 10,
                                np.random.default_rng(), method="exact"), "method"),
        (lambda: nd.hidden_dropout_exact(np.ones((2, 3)), np.ones((1, 3)), np.ones((1, 1)),
                                         np.ones((2, 1)), 0.5, "sigmoid"), "activation"),
        (lambda: nd.input_dropout_exact(np.ones((3, 2)), np.ones(4), np.ones(2), 0.5),
         "y: expected 3 entries"),
    ],
)
def test_bad_input_names_the_argument(call, fragment):
    with pytest.raises(ValueError, match=fragment):
        call()


@settings(max_examples=25)
@given(st.integers(1, 6), st.integers(1, 6), st.floats(1.0, 1e3), sdl.seeds())
def test_strategy_matrices_have_the_prescribed_condition_number(m, n, cond, seed):
    from numerics.instances import conditioned_matrix

    M = conditioned_matrix(m, n, np.random.default_rng(seed), condition=cond)
    s = np.linalg.svd(M, compute_uv=False)
    assert s[0] == pytest.approx(1.0, rel=1e-12)
    assert s[0] / s[-1] == pytest.approx(cond if min(m, n) > 1 else 1.0, rel=1e-9)
