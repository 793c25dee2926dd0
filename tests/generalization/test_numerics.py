"""Kernels of numerics.generalization: exact values, input validation, independent checks."""

import math

import numpy as np
import pytest

from numerics import generalization as ng


def test_rademacher_closed_cases():
    # m = 2, x_1 = x_2: signs give ||2x||, 0, 0, ||2x||
    x = np.array([[3.0, 4.0], [3.0, 4.0]])
    assert ng.rademacher_linear(x) == pytest.approx(5.0 / 2, rel=1e-15)
    # orthogonal rows: every ||sum s_i x_i|| = sqrt(sum ||x_i||^2)
    X = ng.orthogonal_rows(6, 8, np.random.default_rng(0))
    assert ng.rademacher_linear(X) == pytest.approx(ng.frobenius_term(X), rel=1e-13)
    # m = 1: R_S = B ||x||_dual
    assert ng.rademacher_linear([[1.0, -2.0]], B=3.0, norm=1) == pytest.approx(6.0)


@pytest.mark.parametrize("norm", [1, 2])
def test_vectorized_matches_loop(norm):
    X = np.random.default_rng(1).standard_normal((9, 3))
    exact = ng.rademacher_linear(X, 2.0, norm)
    assert exact == pytest.approx(ng.rademacher_linear_loop(X, 2.0, norm), rel=1e-13)


def test_chunked_enumeration_large_m():
    # 2^17 sign vectors: more than one chunk; against a Monte Carlo estimate
    rng = np.random.default_rng(2)
    X = rng.standard_normal((18, 4))
    mean, se = ng.rademacher_monte_carlo(X, 50_000, rng)
    assert abs(ng.rademacher_linear(X) - mean) <= 5 * se


@pytest.mark.parametrize("bad, match", [
    (dict(X=np.ones((25, 2))), "at most"),
    (dict(X=np.ones((2, 2)), norm=3), "norm"),
    (dict(X=np.ones((2, 2)), B=-1.0), "B"),
    (dict(X=[[np.nan]]), "finite"),
])
def test_rademacher_validation(bad, match):
    with pytest.raises(ValueError, match=match):
        ng.rademacher_linear(**bad)


def test_massart_least_constant_at_m_1():
    # m = d = 1: R_S = |x| and Massart is |x| sqrt(c log 2): c = 1/log 2 is the least
    assert ng.massart_bound([[2.0]], constant=1 / math.log(2)) == pytest.approx(2.0)


def test_input_margin_linear_and_kink():
    W = np.array([[1.0, 0.0], [-1.0, 0.0]])
    assert ng.input_margin([W], [1.0, 0.0], 0).margin == pytest.approx(1.0, rel=1e-7)
    ws = [np.array([[1.0, 0.0]]), np.array([[-10.0], [0.0]])]
    bs = [np.array([-0.5]), np.array([1.0, 0.0])]
    res = ng.input_margin(ws, np.zeros(2), 0, bs)
    assert res.margin == pytest.approx(0.6, rel=1e-7)
    assert np.linalg.norm(ng.jacobian(ws, np.zeros(2), bs)) == 0.0


def test_input_margin_against_a_radial_search():
    rng = np.random.default_rng(3)
    ws = [rng.standard_normal((4, 2)), rng.standard_normal((3, 4))]
    bs = [0.5 * rng.standard_normal(4), 0.5 * rng.standard_normal(3)]
    x = rng.standard_normal(2)
    y = int(np.argmax(ng.forward(ws, x, bs)))
    res = ng.input_margin(ws, x, y, bs)
    angles = np.linspace(0, 2 * np.pi, 4001)
    dirs = np.column_stack([np.cos(angles), np.sin(angles)])
    radii = np.linspace(0, 2 * res.margin, 2001)[:, None, None]
    pts = x + radii * dirs
    wrong = np.argmax(ng.forward(ws, pts.reshape(-1, 2), bs), axis=1).reshape(2001, -1) != y
    first = radii[np.argmax(wrong.any(axis=1)), 0, 0]
    assert res.margin <= first + 1e-9 and first <= res.margin + 2 * res.margin / 2000 + 1e-3


def test_margin_validation():
    with pytest.raises(ValueError, match="label"):
        ng.input_margin([np.eye(2)], [1.0, 0.0], 5)
    with pytest.raises(ValueError, match="hidden"):
        ng.input_margin([np.ones((13, 2)), np.ones((2, 13))], [1.0, 0.0], 0)
    with pytest.raises(ValueError, match="layer 1"):
        ng.forward([np.ones((3, 2)), np.ones((2, 4))], [1.0, 0.0])


def test_spectral_product_bounds_every_jacobian():
    rng = np.random.default_rng(4)
    ws = [rng.standard_normal((5, 3)), rng.standard_normal((4, 5)), rng.standard_normal((2, 4))]
    bound = ng.spectral_product(ws)
    for x in rng.standard_normal((50, 3)):
        assert np.linalg.norm(ng.jacobian(ws, x), 2) <= bound * (1 + 1e-12)


@pytest.mark.parametrize("p", [1, 2, 3])
def test_path_norm_dp_matches_enumeration(p):
    rng = np.random.default_rng(5)
    ws = [rng.standard_normal((6, 3)), rng.standard_normal((5, 6)), rng.standard_normal((2, 5))]
    assert ng.path_norm(ws, p) == pytest.approx(ng.path_norm_enumerated(ws, p), rel=1e-13)


def test_rescaling_keeps_function_and_path_norm_not_frobenius():
    rng = np.random.default_rng(6)
    ws = [rng.standard_normal((4, 3)), rng.standard_normal((1, 4))]
    new = ng.rescale(ws, 0, 2, 7.0)
    x = rng.standard_normal((10, 3))
    assert np.allclose(ng.forward(ws, x), ng.forward(new, x), rtol=1e-13, atol=0)
    assert ng.path_norm(new, 2) == pytest.approx(ng.path_norm(ws, 2), rel=1e-13)
    fro = lambda w: np.prod([np.linalg.norm(a) for a in w])  # noqa: E731
    assert abs(fro(new) - fro(ws)) > 1e-3 * fro(ws)
    with pytest.raises(ValueError, match="hidden unit"):
        ng.rescale(ws, 1, 0, 2.0)


def test_min_rescaled_product_is_the_path_norm_for_one_output():
    rng = np.random.default_rng(7)
    ws = [rng.standard_normal((3, 1)), rng.standard_normal((4, 3)), rng.standard_normal((1, 4))]
    for p in (1, 2):
        value, scales, status = ng.min_rescaled_row_product(ws, p)
        assert status == "optimal"
        assert value == pytest.approx(ng.path_norm(ws, p), rel=1e-6)
    # two equal outputs: phi_p^p doubles, the max-row product does not (MATH 10.3(d) needs
    # a single output)
    two = ws[:-1] + [np.vstack([ws[-1], ws[-1]])]
    value, _, _ = ng.min_rescaled_row_product(two, 1)
    assert value == pytest.approx(ng.path_norm(two, 1) / 2, rel=1e-6)


def test_angle_risk_and_validation():
    assert ng.angle_risk([1.0, 1.0], [1.0, 0.0], 0.1) == pytest.approx(0.1 + 0.8 / 4)
    with pytest.raises(ValueError, match="eta"):
        ng.angle_risk([1.0], [1.0], 0.5)
    rng = np.random.default_rng(8)
    X, y = ng.gaussian_sample(1, 100_000, np.array([1.0, 0.0]), 0.2, rng)
    assert np.mean(np.sign(X[0, :, 0]) != y[0]) == pytest.approx(0.2, abs=5 * 0.0013)


def test_margin_bound_is_at_least_the_training_error():
    rng = np.random.default_rng(9)
    risks, bound = ng.bound_coverage(20, 500, 2, 0.1, 0.5, 0.05, rng)
    _, train = ng.bound_coverage(20, 500, 2, 0.1, 0.0, 0.05, np.random.default_rng(9),
                                 complexity=0, confidence=0)
    assert np.all(bound >= train) and np.all(risks >= 0.1)
    with pytest.raises(ValueError, match="delta"):
        ng.margin_bound(np.ones((1, 2, 2)), np.ones((1, 2)), np.ones((1, 2)), 0.5, 1.5)


def test_chain_capacity_path_norm_is_the_dropout_regularizer():
    rng = np.random.default_rng(10)
    U, V = rng.standard_normal((4, 3)), rng.standard_normal((5, 3))
    q = ng.chain_capacity(U, V, samples=rng.standard_normal((6, 5)))
    assert q["path_norm_2"] ** 2 == pytest.approx(q["product_regularizer"], rel=1e-13)
    assert q["end_to_end_spectral"] <= q["spectral_product"] * (1 + 1e-12)
    assert q["path_norm_2"] <= q["frobenius_product"] * (1 + 1e-12)
    c = np.array([2.0, 0.5, 3.0])  # u_i c_i, v_i / c_i keeps U V^T and the regularizer
    q2 = ng.chain_capacity(U * c, V / c)
    assert q2["product_regularizer"] == pytest.approx(q["product_regularizer"], rel=1e-13)
    assert q["rademacher_l2"] > 0
