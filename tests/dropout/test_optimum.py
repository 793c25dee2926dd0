"""Induced regularizer and global optimum of dropout (MATH 3 and 4): verdicts, refutations,
derivation steps that can fail, kernels across shapes, spectra, theta and d, bad input."""

import dataclasses
import json

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import theorems
from numerics import dropout as nd
from numerics.instances import conditioned_matrix, geometric_spectrum, with_singular_values
from numerics.linalg import rank_cut_svd
from theorems import cli
from theorems import strategies as sdl
from theorems.derivation import Derivation, Step
from theorems.dropout import attainment as AT
from theorems.dropout import lower_bound as LB
from theorems.dropout import optimum as DO
from theorems.dropout import regularizer as RG
from theorems.dropout import spectral as S
from theorems.symbolic.lemmas import nondecreasing_in, orthonormal
from theorems.symbolic.sums import canonical, manifestly_nonnegative

KAPPA, S_RHO, RHO, LAMBDA, D = DO.KAPPA, DO.S_RHO, DO.RHO, DO.LAMBDA, DO.D


# -- verdicts ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def verdicts():
    return {tid: theorems.get(tid).verify(seed=3, profile="quick")
            for tid in ("dropout.induced_regularizer", "dropout.global_optimum")}


def test_induced_regularizer_is_proved_by_derivations_bound_to_its_conjuncts(verdicts):
    v = verdicts["dropout.induced_regularizer"]
    # the statement is the lower bound for every factorization, the equalized product and
    # its attainment; each conjunct is the two ends of one general derivation
    assert v.status.value == "proved", v.summary()
    assert all(ev.passed for ev in v.evidence)
    general = [ev for ev in v.evidence if ev.general]
    assert {ev.name.split(":")[0] for ev in general} >= {"lower bound"}
    statement = RG.induced_regularizer().statement
    assert len(statement.args) == 3
    proves = {ev.name: set(ev.proves) for ev in general}
    assert set().union(*proves.values()) == {0, 1, 2}
    assert all(len(p) == 1 for p in proves.values()) and len(proves) == 3
    lower = next(ev for ev in v.evidence if ev.name.startswith("lower bound"))
    # the verdict says which steps are symbolic: every one of them here, numerics beside
    assert lower.details["numeric_steps"] == 0
    assert [s["relation"] for s in lower.details["steps"]].count("<=") == 4
    assert all("numerically at" in s["detail"] for s in lower.details["steps"]
               if s["relation"] == "<=")
    assert {ev.kind for ev in v.evidence} == {"symbolic", "numeric", "landscape"}


def test_induced_regularizer_binding_needs_the_statement_sides():
    # a derivation of the lower bound for another constant does not bind to this statement
    from theorems.derivation import binding

    statement = RG.induced_regularizer().statement
    assert binding(statement, DO.lower_bound_derivation())[0] != []
    assert binding(statement, DO.lower_bound_derivation(1 / (2 * D)))[0] == []
    assert binding(statement, DO.attainment_derivation(1 / (2 * D)))[0] == []


def test_global_optimum_is_verified_with_symbolic_convex_and_landscape_evidence(verdicts):
    v = verdicts["dropout.global_optimum"]
    assert v.status.value == "verified", v.summary()
    assert all(ev.passed for ev in v.evidence)
    assert {ev.kind for ev in v.evidence} == {"symbolic", "numeric", "convex", "landscape"}
    symbolic = next(ev for ev in v.evidence if ev.kind == "symbolic")
    assert not symbolic.general  # von Neumann and the cap are numeric: not a general proof
    assert "kappa*Sum(sigma[k], (k, 1, rho))/(kappa*rho + 1)" in symbolic.details["derived_tau"]


def test_width_binding_regime_reports_a_strictly_lower_convex_value(verdicts):
    v = verdicts["dropout.global_optimum"]
    ev = next(e for e in v.evidence if e.name.startswith("width binds: the convex"))
    assert ev.passed and ev.measured <= ev.tolerance < 0  # minus the gap, below minus a margin
    assert "not a failure" in ev.details["expected"]
    for row in ev.details["rows"]:
        assert row["uncapped_rho"] > row["d"] >= row["claimed_rho"]
        assert row["convex_value"] < row["claimed_value"]


def test_landscape_reports_fraction_and_spread(verdicts):
    v = verdicts["dropout.global_optimum"]
    ev = next(e for e in v.evidence if e.name.startswith("batched descent"))
    table = ev.details["runs"]
    assert {row["width_binds"] for row in table} == {True, False}
    for row in table:
        assert row["runs"] == theorems.PROFILES["quick"].starts
        assert 0 < row["fraction"] <= 1
        assert row["at_global_value"] == round(row["fraction"] * row["runs"])


def test_cli_json_for_both_theorems(capsys):
    code = cli.main(["verify", "dropout.induced_regularizer", "dropout.global_optimum",
                     "--profile", "quick", "--seed", "5", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [v["status"] for v in doc["verdicts"]] == ["proved", "verified"]


def _without_seconds(value):
    if isinstance(value, dict):
        return {k: _without_seconds(v) for k, v in value.items() if k != "seconds"}
    if isinstance(value, list):
        return [_without_seconds(v) for v in value]
    return value


def test_same_seed_same_json_except_seconds(verdicts):
    again = theorems.get("dropout.global_optimum").verify(seed=3, profile="quick")
    first = verdicts["dropout.global_optimum"]
    assert _without_seconds(json.loads(again.to_json())) == \
        _without_seconds(json.loads(first.to_json()))


# -- refutations ---------------------------------------------------------------------------

# every declared wrong version (Theorem.variants): the first failing evidence is the
# declared caught_by, and these fail as well
ALSO_FAILING = {
    ("dropout.induced_regularizer", "c = 1"):
        {"lower bound: variational form, then Cauchy-Schwarz (symbolic m, n, r, d)",
         "no factorization goes below the claim (random and near-equalized factorizations)"},
    ("dropout.induced_regularizer", "c = 1/d^2"):
        {"attainment by an equalized factorization (symbolic m, n, r, d)",
         "equalized factorization reaches the claim for d >= rank (any d, not only powers of "
         "two)"},
    ("dropout.global_optimum", "tau doubled"):
        {"kappa, tau and the rule for rho from the KKT conditions (rho symbolic)",
         "closed form against exhaustive search over supports of at most d singular values",
         "closed form against the public kernel numerics.dropout.global_minimizer",
         "uncapped rho <= d: CVXPY agrees with the closed form (value and minimizer)",
         "no descent run ends below the closed-form value"},
    ("dropout.global_optimum", "no cap at d"):
        {"closed form against exhaustive search over supports of at most d singular values",
         "width binds: the convex problem (no rank cap) is strictly lower",
         "batched descent from many starts reaches the closed-form value"},
    ("dropout.global_optimum", "kappa = lambda"):
        {"kappa, tau and the rule for rho from the KKT conditions (rho symbolic)",
         "an equalized factorization of M* attains the claimed value in the dropout objective",
         "no descent run ends below the closed-form value"},
    # near misses, relative 1e-6
    ("dropout.induced_regularizer", "c = (1 + 1e-6)/d"):
        {"lower bound: variational form, then Cauchy-Schwarz (symbolic m, n, r, d)",
         "no factorization goes below the claim (random and near-equalized factorizations)"},
    ("dropout.induced_regularizer", "c = (1 - 1e-6)/d"):
        {"attainment by an equalized factorization (symbolic m, n, r, d)",
         "equalized factorization reaches the claim for d >= rank (any d, not only powers of "
         "two)"},
    ("dropout.global_optimum", "tau off by 1e-6"):
        {"kappa, tau and the rule for rho from the KKT conditions (rho symbolic)",
         "closed form against the public kernel numerics.dropout.global_minimizer"},
}
WRONG = [(f().id, v) for f in (RG.induced_regularizer, DO.global_optimum) for v in f().variants]


def test_every_listed_variant_is_declared():
    assert {(tid, v.name) for tid, v in WRONG} == set(ALSO_FAILING)
    assert all(not v.build().variants for _, v in WRONG)


@pytest.mark.parametrize(("theorem_id", "variant"), WRONG,
                         ids=[f"{tid}-{v.name}" for tid, v in WRONG])
def test_wrong_claims_are_refuted_with_a_counterexample(theorem_id, variant):
    verdict = variant.build().verify(seed=4, profile="quick")
    assert verdict.status.value == "refuted"
    first = next(ev for ev in verdict.evidence if ev.passed is False)
    assert first.name in variant.caught_by, first.name
    failed = {ev.name for ev in verdict.evidence if ev.passed is False}
    assert ALSO_FAILING[(theorem_id, variant.name)] <= failed, failed
    assert verdict.counterexample and len(verdict.counterexample) > 2
    assert "(variant)" in verdict.title


def _wrong_kernel(true_kernel, factor):
    def kernel(X, theta, d):
        g = true_kernel(X, theta, d)
        return dataclasses.replace(g, tau=g.tau * factor, value=g.value * factor)
    return kernel


@pytest.mark.parametrize("factor", [2.0, 1 + 1e-6])
def test_a_wrong_public_kernel_refutes_the_global_optimum(monkeypatch, factor):
    # the theorem's checks call numerics.dropout.global_minimizer: a bug there, even a
    # near-miss of 1e-6, flips the verdict of the true statement
    monkeypatch.setattr(nd, "global_minimizer", _wrong_kernel(nd.global_minimizer, factor))
    verdict = DO.global_optimum().verify(seed=0, profile="quick")
    assert verdict.status.value == "refuted"
    first = next(ev for ev in verdict.evidence if ev.passed is False)
    assert first.name == "closed form against the public kernel numerics.dropout.global_minimizer"
    assert verdict.counterexample["check"] == first.name


def test_factor_two_in_tau_counterexample_is_exact():
    threshold = 2 * KAPPA * S_RHO / (1 + KAPPA * RHO)
    out = DO.stationarity(threshold)
    assert not out["ok"]
    cex = out["counterexample"]
    assert sympy.Rational(cex["claimed_tau"]) == 2 * sympy.Rational(cex["derived_tau"])


def test_no_cap_counterexample_is_reproducible():
    first = DO.global_optimum(capped=False).verify(seed=6, profile="quick")
    again = DO.global_optimum(capped=False).verify(seed=6, profile="quick")
    assert first.to_dict()["counterexample"] == again.to_dict()["counterexample"]
    assert first.to_dict()["evidence"][1]["counterexample"] is not None


# -- derivation steps can fail ---------------------------------------------------------------


def test_lower_bound_steps_are_all_symbolic_and_general():
    result = DO.lower_bound_derivation().check()
    assert result.valid is True and result.general
    assert result.symbolic_steps == len(result.steps) == 7


def test_bessel_lemma_rejects_a_step_in_the_wrong_direction():
    der = DO.lower_bound_derivation()
    rule = der.steps[4].rule  # Bessel for u_i
    before, after = der.steps[3].expr, der.steps[4].expr
    assert rule.check(before, after, "<=")[0] is True
    ok, _ = rule.check(after, before, "<=")  # claims ||u|| <= ||A^T u||
    assert ok is not True


def _bessel_factors():
    a, k, i, m, r = S.a, S.k, S.i, S.m, S.r
    old = sympy.sqrt(sympy.Sum(sympy.Sum(S.A[a, k] * S.U[a, i], (a, 1, m)) ** 2, (k, 1, r)))
    new = sympy.sqrt(sympy.Sum(S.U[a, i] ** 2, (a, 1, m)))
    return old, new


def _over_units(body):
    return sympy.Sum(body, (S.i, 1, D))


# each left side is manifestly non-negative, yet decreases somewhere as ||A^T u_i|| grows
# to ||u_i||: "before >= 0" is no licence to replace a factor by a larger one
NOT_MONOTONE = {
    "(5 - old)^2": lambda old: (5 - old) ** 2,
    "(1/2 - old)^2": lambda old: (sympy.Rational(1, 2) - old) ** 2,
    "1/(1 + old)": lambda old: 1 / (1 + old),
    "(old - 3)^4 + old": lambda old: (old - 3) ** 4 + old,
}


@pytest.mark.parametrize("body", NOT_MONOTONE.values(), ids=NOT_MONOTONE.keys())
def test_bessel_step_needs_monotonicity_in_the_replaced_factor(body):
    old, new = _bessel_factors()
    before = _over_units(body(old))
    after = before.xreplace({old: new})
    # the former test, "before >= 0", let every one of them by
    assert manifestly_nonnegative(before)
    ok, detail = LB.bessel_check(S.A, S.U, S.a, S.m)(before, after, "<=")
    assert ok is None and "cannot show the left side is non-decreasing" in detail
    assert LB.bessel_lemma(S.A, S.U, S.a, S.m, "u_i").check(before, after, "<=")[0] \
        is not True


def test_bessel_step_that_only_one_instance_supports_is_not_accepted():
    # (1/2 - old)^2 grows with old on the concrete instance (every ||A^T u_i|| > 1/2), so
    # the numeric confirmation passes; it is false for ||A^T u|| = 0, ||u|| = 1/2
    old, new = _bessel_factors()
    before = _over_units((sympy.Rational(1, 2) - old) ** 2)
    ok, detail = LB.bessel_lemma(S.A, S.U, S.a, S.m, "u_i").check(
        before, before.xreplace({old: new}), "<=")
    assert ok is None and "numerically at" in detail and "is false" not in detail
    # a decrease that the instance exhibits is refuted outright
    before = _over_units((5 - old) ** 2)
    ok, detail = LB.bessel_lemma(S.A, S.U, S.a, S.m, "u_i").check(
        before, before.xreplace({old: new}), "<=")
    assert ok is False and "is false" in detail


def test_bessel_step_accepts_a_monotone_left_side():
    old, new = _bessel_factors()
    before = _over_units(old**3 + 2 * old * sympy.sqrt(sympy.Sum(S.V[S.b, S.i] ** 2,
                                                                 (S.b, 1, S.n))) + 1)
    ok, detail = LB.bessel_check(S.A, S.U, S.a, S.m)(before, before.xreplace({old: new}),
                                                          "<=")
    assert ok is True and "non-decreasing in" in detail


def test_monotonicity_and_sign_helpers_can_fail():
    w = sympy.Symbol("x", nonnegative=True)
    assert nondecreasing_in(w**2 + 3 * w, w)[0]
    assert not nondecreasing_in(1 / (1 + w), w)[0]  # old in a denominator
    assert not nondecreasing_in((2 - w) ** 2, w)[0]
    assert not nondecreasing_in(w**2, sympy.Symbol("y", real=True))[0]  # old absent
    # a reversed range is minus a sum in SymPy (Karr): not manifestly non-negative
    reversed_sum = sympy.Sum(S.k**2, (S.k, 1, -3))
    assert reversed_sum.doit() < 0 and not manifestly_nonnegative(reversed_sum)
    assert manifestly_nonnegative(sympy.Sum(S.k**2, (S.k, 1, D)))


def test_equalizing_lemma_checks_the_loop_invariant_for_symbolic_k_and_d():
    result = DO.attainment_derivation().check()
    assert result.valid is True and result.general
    step = result.steps[1]
    assert step.rule == "equalizing rotation (Schur-Horn, Givens)" and step.symbolic
    assert "FAILED" not in step.detail
    for fact in ("Givens step, symbolic k, N: the partner's diagonal entry becomes mu: ok",
                 "the fixed block H (diagonal mu) is unchanged: ok",
                 "a partner on the other side of mu exists: ok",
                 "after d - 1 rotations the running entry T - (d - 1) mu equals mu: ok"):
        assert fact in step.detail
    assert "In words only: min <= mean <= max" in step.detail


def test_equalizing_lemma_refutes_a_wrong_target():
    # constant d/(d-1)^2 makes the last step consistent with mu' = ||M||_*/(d-1): the
    # equalizing lemma alone must catch it
    der = DO.attainment_derivation(constant=D / (D - 1) ** 2, target=S.NUCLEAR / (D - 1))
    result = der.check()
    assert result.valid is False
    assert [s.ok for s in result.steps] == [True, False, True]
    detail = result.steps[1].detail
    assert "trace: d mu = tr diag(s, 0) = ||M||_*: FAILED" in detail
    assert "a partner on the other side of mu exists: FAILED" in detail
    assert "The target is false: at d = 2" in detail


def test_equalizing_lemma_needs_the_hypothesis_width_at_least_rank():
    result = DO.attainment_derivation(width_at_least_rank=False).check()
    assert result.valid is None
    assert result.steps[1].ok is None and "d >= rank(M)" in result.steps[1].detail
    assert AT.equalizing_invariant(S.NUCLEAR / D)[0] is True


def test_cauchy_schwarz_lemma_rejects_a_false_constant():
    der = DO.lower_bound_derivation(constant=2 / D)
    result = der.check()
    assert result.valid is False
    failed = result.failed()
    assert failed.rule == "Cauchy-Schwarz in R^d" and "fails for d = 1" in failed.detail


def test_orthonormal_rewrite_needs_orthonormal_columns():
    a, k, k2, m = S.a, S.k, S.l, S.m
    gram = sympy.Sum(S.A[a, k] * S.A[a, k2], (a, 1, m))
    assert orthonormal(gram, S.A, 0, m) == sympy.KroneckerDelta(k, k2)
    # a sum over another range, or of another base, is left alone
    assert canonical(orthonormal(gram, S.B, 0, m)) == canonical(gram)
    assert canonical(orthonormal(gram, S.A, 0, S.n)) == canonical(gram)
    assert orthonormal(sympy.Sum(S.A[a, k] ** 3, (a, 1, m)), S.A, 0, m).has(sympy.Sum)


def test_a_wrong_equalization_step_is_refuted_exactly():
    der = DO.attainment_derivation()
    wrong = Derivation(der.title, der.start,
                       [der.steps[0], Step(der.steps[1].expr * 2, der.steps[1].rule),
                        der.steps[2]], general=True, sizes=der.sizes)
    assert wrong.check().valid is False


# -- kernels --------------------------------------------------------------------------------


@settings(max_examples=25)
@given(sdl.matrices(max_side=7, rank=None), st.integers(0, 12), st.data())
def test_equalized_factorization_any_width(M, extra, data):
    rank = np.linalg.matrix_rank(M)
    drop = data.draw(st.integers(0, rank - 1))
    M = with_singular_values(*M.shape, np.linalg.svd(M, compute_uv=False)[: rank - drop],
                             np.random.default_rng(extra))
    rank -= drop
    d = rank + extra
    U, V = nd.equalized_factorization(M, d)
    nuc = nd.nuclear_norm(M)
    products = np.linalg.norm(U, axis=0) * np.linalg.norm(V, axis=0)
    # float64 round-off of one SVD and d - 1 rotations
    assert np.linalg.norm(U @ V.T - M) <= 1e-12 * d * np.linalg.norm(M)
    assert np.max(np.abs(products - nuc / d)) <= 1e-11 * (nuc / d)
    assert np.sum(products**2) == pytest.approx(nd.induced_regularizer(M, d), rel=1e-11)


@settings(max_examples=25)
@given(st.lists(st.floats(0.0, 10.0), min_size=1, max_size=40))
def test_equalizing_rotation_is_orthogonal_with_constant_diagonal(values):
    s = np.array(values)
    Q = nd.equalizing_rotation(s)
    assert np.allclose(Q.T @ Q, np.eye(s.size), atol=1e-12)
    diag = np.diag(Q.T @ np.diag(s) @ Q)
    assert np.max(np.abs(diag - s.mean())) <= 1e-12 * max(s.max(), 1.0) * s.size


def test_width_below_rank_is_refused_with_the_reason():
    M = conditioned_matrix(5, 4, np.random.default_rng(0), rank=3)
    with pytest.raises(ValueError, match=r"d: expected a width d >= rank\(M\) = 3.*rank at most 2"):
        nd.equalized_factorization(M, 2)
    with pytest.raises(ValueError, match="rank"):
        nd.induced_regularizer(M, 1)


@settings(max_examples=25, deadline=None)
@given(sdl.dropout_problems(max_side=7, max_width=8))
def test_global_minimizer_across_shapes_spectra_theta_and_width(problem):
    X, theta, d = problem
    g = nd.global_minimizer(X, theta, d)
    assert 0 <= g.rho <= d and g.U.shape == (X.shape[0], d) and g.V.shape == (X.shape[1], d)
    scale = max(g.value, 1e-12 * np.sum(X * X))
    # the value formula, the convex objective at M*, the dropout objective at (U, V) and the
    # exhaustive search over supports all agree (float64 round-off)
    assert abs(nd.nuclear_squared_objective(X, g.M, g.kappa) - g.value) <= 1e-10 * scale
    assert abs(nd.factorized_losses(X, g.U[None], g.V[None], g.lam)[0] - g.value) <= 1e-9 * scale
    sigma = rank_cut_svd(X)[1]
    assert abs(nd.support_search(sigma, g.kappa, d) - g.value) <= 1e-10 * scale
    assert np.allclose(g.U @ g.V.T, g.M, atol=1e-12 * max(np.linalg.norm(X), 1))
    if g.rho:
        assert np.linalg.matrix_rank(g.M) == g.rho
        assert nd.equalization_error(g.U[None], g.V[None])[0] <= 1e-9


def test_no_dropout_is_eckart_young():
    X = conditioned_matrix(6, 5, np.random.default_rng(1))
    A, s, Bt = np.linalg.svd(X)
    g = nd.global_minimizer(X, 1.0, 2)
    assert g.rho == 2 and g.tau == 0.0
    assert np.allclose(g.M, (A[:, :2] * s[:2]) @ Bt[:2])
    assert g.value == pytest.approx(np.sum(s[2:] ** 2), rel=1e-12)


@settings(max_examples=25)
@given(sdl.singular_values(6, 50.0), st.floats(0.0, 5.0), st.integers(1, 6))
def test_threshold_rule_selects_a_prefix(sigma, kappa, d):
    rho, tau = nd.dropout_threshold(sigma, kappa, d)
    j = np.arange(1, sigma.size + 1)
    valid = sigma > kappa * np.cumsum(sigma) / (1 + kappa * j)
    assert valid[:rho].all() and rho <= d
    assert rho == min(d, int(valid.sum()))  # valid j form a prefix
    if rho < sigma.size:  # KKT for the first inactive unit, when it is not excluded by the cap
        assert rho == d or sigma[rho] <= tau * (1 + 1e-12)


@settings(max_examples=25)
@given(sdl.singular_values(6, 50.0), st.floats(0.0, 5.0), st.integers(1, 6))
def test_threshold_rule_with_the_true_threshold_is_the_kernel_rule(sigma, kappa, d):
    def true(k, S, j):
        return k * S / (1 + k * j)

    for cap in (d, None):
        rho, tau = nd.threshold_rule(sigma, kappa, true, cap)
        k_rho, k_tau = nd.dropout_threshold(sigma, kappa, cap)
        assert rho == k_rho and tau == pytest.approx(k_tau, rel=1e-12, abs=1e-300)
    wrong = nd.threshold_rule(sigma, kappa, lambda k, S, j: 2 * true(k, S, j), d)
    assert wrong[0] <= nd.dropout_threshold(sigma, kappa, d)[0]


def test_convex_kernel_in_both_regimes():
    rng = np.random.default_rng(2)
    X = with_singular_values(6, 5, geometric_spectrum(5, 2.0), rng)
    kappa = 0.2 / 2
    free_rho, free_tau = nd.dropout_threshold(np.linalg.svd(X, compute_uv=False), kappa)
    res, M = nd.solve_nuclear_squared(X, kappa)
    assert res.optimal and res.solver == "SCS"
    sigma = np.linalg.svd(X, compute_uv=False)
    free_value = nd.threshold_value(sigma, kappa, free_rho, free_tau)
    assert res.value == pytest.approx(free_value, rel=DO.SCS_VALUE_TOL)
    assert free_rho == 5
    capped = nd.global_minimizer(X, 1 / 1.2, 2)  # lambda = 0.2, d = 2: kappa = 0.1
    assert capped.kappa == pytest.approx(kappa) and capped.rho == 2
    assert capped.value > res.value * (1 + 100 * DO.SCS_VALUE_TOL)  # the width binds


def _finite_difference(fn, params, directions, h=1e-6):
    plus = fn([p + h * e for p, e in zip(params, directions, strict=True)])[0]
    minus = fn([p - h * e for p, e in zip(params, directions, strict=True)])[0]
    return (plus - minus) / (2 * h)


def test_factorized_objective_gradient_and_losses():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((5, 4))
    objective = nd.factorized_objective(X, 0.7)
    params = [rng.standard_normal((6, 5, 3)), rng.standard_normal((6, 4, 3))]
    losses, grads = objective(params)
    assert np.allclose(losses, nd.factorized_losses(X, *params, 0.7), rtol=1e-12)
    dirs = [rng.standard_normal(p.shape) for p in params]
    predicted = sum(np.sum(g * e, axis=(1, 2)) for g, e in zip(grads, dirs, strict=True))
    # central differences: O(h^2) truncation with h = 1e-6
    assert np.allclose(_finite_difference(objective, params, dirs), predicted, rtol=1e-6,
                       atol=1e-6)


def test_reduced_regularizer_gradient_and_minimum():
    rng = np.random.default_rng(4)
    s = np.array([2.0, 1.0, 0.3])

    def fn(params):
        return nd.reduced_regularizer(params[0], s)

    C = rng.standard_normal((5, 3, 4))
    values, grads = fn([C])
    dirs = [rng.standard_normal(C.shape)]
    assert np.allclose(_finite_difference(fn, [C], dirs), np.sum(grads * dirs[0], axis=(1, 2)),
                       rtol=1e-5, atol=1e-7)
    assert np.all(values >= s.sum() ** 2 / 4 * (1 - 1e-12))
    Q = nd.equalizing_rotation(np.concatenate([s, [0.0]]))
    C_eq = (np.sqrt(s)[:, None] * Q[:3])[None]
    assert fn([C_eq])[0][0] == pytest.approx(s.sum() ** 2 / 4, rel=1e-12)


def test_dropout_sgd_is_seeded_and_lowers_the_objective():
    rng = np.random.default_rng(5)
    X = conditioned_matrix(6, 5, rng)
    U0, V0 = rng.standard_normal((3, 6, 2)) * 0.3, rng.standard_normal((3, 5, 2)) * 0.3
    a = nd.dropout_sgd(X, U0, V0, 0.6, 500, np.random.default_rng(9))
    b = nd.dropout_sgd(X, U0, V0, 0.6, 500, np.random.default_rng(9))
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    lam = nd.dropout_lambda(0.6)
    assert np.all(nd.factorized_losses(X, *a, lam) < nd.factorized_losses(X, U0, V0, lam))


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: nd.equalized_factorization(np.eye(3), 0), "d: expected an integer >= 1"),
        (lambda: nd.equalized_factorization([[np.inf]], 1), "M: expected finite"),
        (lambda: nd.global_minimizer(np.eye(2), 0.0, 2), "theta: expected a keep probability"),
        (lambda: nd.global_minimizer(np.eye(2), 0.5, 1.5), "d: expected an integer"),
        (lambda: nd.global_minimizer(np.ones(3), 0.5, 1), "X: expected a 2-D array"),
        (lambda: nd.dropout_threshold([1.0, 2.0], 0.1), "sigma: expected non-negative values "
                                                        "in decreasing order"),
        (lambda: nd.dropout_threshold([2.0, 1.0], -0.1), "kappa: expected a non-negative"),
        (lambda: nd.solve_nuclear_squared(np.eye(2), float("nan")), "kappa"),
        (lambda: nd.factorized_losses(np.eye(2), np.ones((1, 3, 1)), np.ones((1, 2, 1)), 0.5),
         "U: expected 2 rows"),
        (lambda: nd.factorized_losses(np.eye(2), np.ones((2, 1)), np.ones((2, 1)), 0.5),
         "U: expected a non-empty \\(runs, rows, width\\) array"),
        (lambda: nd.dropout_sgd(np.eye(2), np.ones((1, 2, 2)), np.ones((1, 2, 3)), 0.5, 10,
                                np.random.default_rng()), "U and V: mismatched shapes"),
        (lambda: nd.reduced_regularizer(np.ones((1, 2, 3)), [1.0]), "s: expected 2 entries"),
        (lambda: nd.equalizing_rotation([]), "s: expected a non-empty 1-D array"),
        (lambda: nd.equalization_error(np.ones((1, 2, 2)), np.ones((1, 2, 3))),
         "U and V: expected stacks"),
        (lambda: nd.threshold_rule([2.0, 1.0], -1.0, lambda k, S, j: k * S), "kappa"),
        (lambda: nd.threshold_rule([2.0, 1.0], 0.1, lambda k, S, j: k * S, d=0), "d:"),
        (lambda: nd.shrink_top(np.eye(2), 3, 0.1), "rho: expected an integer in \\[0, 2\\]"),
        (lambda: nd.support_search([2.0, 1.0], 0.1, 0), "d: expected an integer"),
        (lambda: nd.descent_starts(np.eye(2), 2, 0, np.random.default_rng()), "runs"),
        (lambda: nd.weighted_ridge(np.eye(2), np.ones(2), -1.0), "weight: expected a non-neg"),
    ],
)
def test_bad_input_names_the_argument(call, fragment):
    with pytest.raises(ValueError, match=fragment):
        call()
