"""The energy family: kernels, the gamma convention, and every declared variant refuted."""

import functools
import importlib

import numpy as np
import pytest

from numerics import energy as ne
from tests.conftest import without_seconds
from theorems.core import Status
from theorems.energy import THEOREMS

BUILT = {factory().id: factory() for factory in THEOREMS}


# -- kernels -------------------------------------------------------------------------


@pytest.mark.parametrize("gamma", [0.0, -1.0, np.inf, "x", True])
def test_gamma_must_be_a_positive_coupling(gamma):
    with pytest.raises(ValueError, match="gamma"):
        ne.quadratic_local_entropy([[1.0]], [0.0], [0.0], gamma)


def test_divergent_integral_names_the_condition():
    A = np.diag([2.0, -1.5])
    with pytest.raises(ValueError, match=r"gamma > -lambda_min\(A\) = 1.5"):
        ne.quadratic_local_entropy(A, [0.0, 0.0], [0.0, 0.0], 1.5)
    value, grad = ne.quadratic_local_entropy(A, [0.0, 0.0], [0.0, 0.0], 1.6)
    assert np.isfinite(value) and grad.shape == (2,)


def test_bad_shapes_are_named():
    with pytest.raises(ValueError, match="A"):
        ne.quadratic_local_entropy([[1.0, 2.0], [0.0, 1.0]], [0.0, 0.0], [0.0, 0.0], 1.0)
    with pytest.raises(ValueError, match="x"):
        ne.quadratic_local_entropy([[1.0]], [0.0], [[0.0, 1.0]], 1.0)
    with pytest.raises(ValueError, match="grid"):
        ne.local_entropy_1d(lambda y: 0 * y, [0.0], 0.01)  # mass at the grid ends
    with pytest.raises(ValueError, match="x"):
        ne.local_entropy(lambda y: 0 * y, np.zeros((2, 3)), 1.0)


def test_closed_form_matches_quadrature_on_an_indefinite_2d_quadratic():
    rng = np.random.default_rng(3)
    A = np.array([[1.3, 0.7], [0.7, -0.6]])
    b = np.array([0.2, -0.45])
    X = rng.uniform(-1, 1, size=(4, 2))
    q = ne.local_entropy_2d(ne.quadratic_loss(A, b), X, 1.9, lo=-14, hi=14, points=801)
    value, grad = ne.quadratic_local_entropy(A, b, X, 1.9)
    mean, cov = ne.quadratic_tilted_moments(A, b, X, 1.9)
    assert np.allclose(q.value, value, rtol=0, atol=1e-10)
    assert np.allclose(1.9 * (X - q.mean), grad, atol=1e-10)
    assert np.allclose(q.cov, cov[None], atol=1e-10)
    assert np.allclose(mean, q.mean, atol=1e-10)


def test_hessian_map_has_both_signs():
    for a in (0.4, 5.0, -0.3, -1.7):
        gamma = 2.0
        mapped = a * gamma / (a + gamma)
        g = ne.quadratic_local_entropy([[a]], [0.0], [[1.0], [0.0]], gamma)[1][:, 0]
        assert g[0] - g[1] == pytest.approx(mapped, rel=1e-12)
        if a > 0:
            assert 0 < mapped < min(a, gamma)
        else:
            assert mapped < a  # amplified, not flattened


def test_langevin_mean_is_seeded_and_has_standard_errors():
    run = functools.partial(ne.langevin_mean, lambda Y: 2.0 * Y, [1.0], 1.0, step=0.1,
                            steps=100, chains=500)
    m1, s1 = run(rng=np.random.default_rng(5))
    m2, s2 = run(rng=np.random.default_rng(5))
    assert np.array_equal(m1, m2) and np.all(s1 > 0)
    assert abs(m1[0] - 1.0 / 3.0) < 5 * s1[0]
    with pytest.raises(ValueError, match="chains"):
        ne.langevin_mean(lambda Y: Y, [0.0], 1.0, step=0.1, steps=1, chains=1,
                         rng=np.random.default_rng(0))


def test_conversion_identity_9_1():
    f = ne.LOSSES["sine"].f
    x, t = np.array([-0.7, 0.2, 0.9]), 0.65
    u = ne.heat_kernel_value_1d(f, x, t)
    E = ne.local_entropy_1d(f, x, 1 / t).value
    assert np.allclose(u, E + 0.5 * np.log(2 * np.pi * t), atol=1e-10)


# -- theorems ------------------------------------------------------------------------


@pytest.mark.parametrize("tid", sorted(BUILT))
def test_true_theorem_verifies_and_states_the_convention(tid):
    theorem = BUILT[tid]
    assert theorem.expected is Status.VERIFIED
    assert any("gamma is the coupling" in h or "no coupling gamma" in h
               for h in theorem.hypotheses)
    verdict = theorem.verify(seed=1, profile="quick")
    assert verdict.status is theorem.expected, verdict.summary()
    for check in theorem.checks:
        assert isinstance(check.run, functools.partial)
        assert check.run.func.__qualname__ == check.run.func.__name__  # module level
        module, _, name = check.backed_by.rpartition(".")
        assert callable(getattr(importlib.import_module(module), name)), check.backed_by


VARIANTS = [(tid, v) for tid, t in sorted(BUILT.items()) for v in t.variants]


def test_same_seed_same_json():
    theorem = BUILT["energy.local_entropy_gradient"]
    assert without_seconds(theorem.verify(seed=2, profile="quick")) == without_seconds(
        theorem.verify(seed=2, profile="quick"))


def test_ou_kernels_validate_and_match_the_closed_form():
    with pytest.raises(ValueError, match="D"):
        ne.ou_stationary_covariance(np.eye(2), -np.eye(2))
    with pytest.raises(ValueError, match="H"):
        ne.ou_stationary_covariance([[1.0, 2.0], [0.0, 1.0]], np.eye(2))
    H, D = np.diag([2.0, 0.5]), np.diag([0.3, 1.7])
    S = ne.ou_stationary_covariance(H, D, beta=2.0)
    assert np.allclose(S, np.linalg.solve(H, D) / 2.0, atol=1e-13)
    assert np.allclose(ne.ou_current_matrix(H, D, 2.0), 0.0, atol=1e-12)
    small = ne.sgd_discrete_covariance(H, D, 1e-4, beta=2.0)
    assert np.abs(small - S).max() < 1e-3  # O(step)
