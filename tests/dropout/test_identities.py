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
from theorems.derivation import Derivation

THETA, P, d = D.THETA, D.P, D.d


@pytest.mark.parametrize("theorem_id", ["dropout.matrix_factorization", "dropout.doubling",
                                        "dropout.linear_regression", "dropout.linear_network"])
def test_identity_theorems_are_proved(theorem_id):
    verdict = theorems.get(theorem_id).verify(seed=1, profile="quick")
    assert verdict.status.value == "proved", verdict.summary()
    assert any(ev.general for ev in verdict.evidence)
    assert all(ev.passed for ev in verdict.evidence)


# every wrong version a theorem declares (Theorem.variants), and the evidence that must
# fail for it: the declared caught_by first, and these as well
ALSO_FAILING = {
    ("dropout.matrix_factorization", "lambda = 1 - theta"):
        {"derivation for symbolic m, n, d", "identity at fixed sizes, symbolic entries",
         "formula against the exact mean over all 2^d masks"},
    ("dropout.matrix_factorization", "no rescaling"):
        {"derivation for symbolic m, n, d", "formula against the exact mean over all 2^d masks"},
    ("dropout.matrix_factorization", "power 1"): {"derivation for symbolic m, n, d"},
    ("dropout.matrix_factorization", "power 4"): {"derivation for symbolic m, n, d"},
    ("dropout.matrix_factorization", "lambda / theta"):
        {"formula against the exact mean over all 2^d masks"},
    ("dropout.doubling", "ratio 1/4"): {"regularizer ratio"},
    ("dropout.doubling", "fixed rate"): {"lambda(theta(d))/d is independent of d"},
    ("dropout.linear_regression", "coefficient p^2"):
        {"derivation for symbolic N, k", "formula against the exact mean over all masks"},
    ("dropout.linear_regression", "ridge 1 - p"):
        {"ridge minimizer against the enumerated objective's minimizer"},
    ("dropout.linear_network", "data ignored"):
        {"hidden dropout, linear activation, symbolic m, n, d, N"},
    ("dropout.linear_network", "lambda = 1 - theta"):
        {"relu: formula against the exact mean over all 2^d masks"},
    # near misses, relative 1e-6: the exact float64 checks (tolerance 1e-10) see them too
    ("dropout.matrix_factorization", "lambda off by 1e-6"):
        {"derivation for symbolic m, n, d", "identity at fixed sizes, symbolic entries",
         "formula against the exact mean over all 2^d masks"},
    ("dropout.doubling", "ratio off by 1e-6"):
        {"the regularizer of the doubled factors (symbolic m, n, d)", "regularizer ratio"},
    ("dropout.linear_regression", "ridge off by 1e-6"):
        {"ridge minimizer against the enumerated objective's minimizer"},
    ("dropout.linear_network", "lambda off by 1e-6"):
        {"hidden dropout, any activation (h_it = sigma(v_i^T x_t)), symbolic m, d, N",
         "linear: formula against the exact mean over all 2^d masks"},
}
FACTORIES = {f().id: f for f in (D.matrix_factorization, D.doubling, D.linear_regression,
                                 D.linear_network)}
WRONG_VARIANTS = [(tid, variant) for tid, f in FACTORIES.items() for variant in f().variants]


def test_every_listed_variant_is_declared():
    assert {(tid, v.name) for tid, v in WRONG_VARIANTS} == set(ALSO_FAILING)
    for f in FACTORIES.values():  # variants of variants are empty
        assert all(not v.build().variants for v in f().variants)


@pytest.mark.parametrize(("theorem_id", "variant"), WRONG_VARIANTS,
                         ids=[f"{tid}-{v.name}" for tid, v in WRONG_VARIANTS])
def test_wrong_variants_are_refuted_reproducibly(theorem_id, variant):
    verdict = variant.build().verify(seed=2, profile="quick")
    assert verdict.status.value == "refuted"
    assert "(variant)" in verdict.title
    first = next(ev for ev in verdict.evidence if ev.passed is False)
    assert first.name in variant.caught_by, first.name
    failed = {ev.name for ev in verdict.evidence if ev.passed is False}
    assert ALSO_FAILING[(theorem_id, variant.name)] <= failed, failed
    assert verdict.counterexample is not None
    again = variant.build().verify(seed=2, profile="quick")
    assert again.counterexample == verdict.counterexample


@pytest.mark.parametrize("factory", [D.matrix_factorization, D.doubling, D.linear_regression,
                                     D.linear_network, D.induced_regularizer])
def test_derivations_are_zero_argument_callables_returning_derivations(factory):
    theorem = factory()
    assert theorem.derivations
    for name, build in theorem.derivations.items():
        assert callable(build), name  # linear_network passed Derivation objects here
        der = build()
        assert isinstance(der, Derivation), name
        assert der.check().valid is True, name


def test_linear_network_report_page_shows_its_derivations():
    from theorems.report.render import collect

    theorem = D.linear_network()
    verdict = theorem.verify(seed=0, profile="quick")
    page = collect(theorem, verdict, "mathdl verify dropout.linear_network", "test")
    assert not [e for e in page.errors if e.startswith("derivation")], page.errors
    assert [der.title for der, _ in page.derivations] == [
        "hidden dropout, any activation (h_it = sigma(v_i^T x_t)), symbolic m, d, N",
        "hidden dropout, linear activation, symbolic m, n, d, N"]
    assert all(result.valid for _, result in page.derivations)


def test_claims_validate_their_constants():
    from theorems.dropout.factorization import FactorizationClaim
    from theorems.dropout.network import NetworkClaim
    from theorems.dropout.width import DoublingClaim

    with pytest.raises(ValueError, match="coefficient: expected an expression in"):
        FactorizationClaim(coefficient=THETA + P)
    with pytest.raises(ValueError, match="power: expected a positive number"):
        FactorizationClaim(power=0)
    with pytest.raises(ValueError, match="rate: expected an expression in"):
        DoublingClaim(rate=THETA)
    with pytest.raises(ValueError, match="covariance"):
        NetworkClaim(covariance="no")
    assert not FactorizationClaim().variant and FactorizationClaim(power=4).variant


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
