"""Tests of numerics.losses: the one Huber convention, gradients, conjugates, bad input."""

import cvxpy as cp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from numerics import losses
from numerics.finite_differences import central_gradient


def _data(loss, rng, m=3, n=4):
    Y = rng.standard_normal((m, n))
    if loss == "logistic":
        Y = np.where(Y >= 0, 1.0, -1.0)
    return Y, 1.5 * rng.standard_normal((m, n))


def test_huber_is_half_of_cvxpy_huber():
    r = np.array([-3.0, -1.0, -0.2, 0.0, 0.7, 1.0, 2.5])
    delta = 1.0
    ours = losses.huber(r, delta)
    np.testing.assert_allclose(ours, np.where(np.abs(r) <= delta, r**2 / 2,
                                              delta * np.abs(r) - delta**2 / 2))
    np.testing.assert_allclose(2 * ours, cp.huber(r, delta).value, rtol=1e-12)
    # the registry's Huber loss is the same convention, and the r^2 convention is refuted
    value, grad = losses.value_and_gradient(np.zeros((1, r.size)), r[None], "huber", delta)
    assert value == pytest.approx(float(ours.sum()), rel=1e-15)
    assert value != pytest.approx(float(np.sum(cp.huber(r, delta).value)), rel=1e-3)
    np.testing.assert_array_equal(grad[0], np.clip(r, -delta, delta))
    np.testing.assert_array_equal(losses.huber_gradient(r, delta), np.clip(r, -1, 1))


@pytest.mark.parametrize("loss", losses.LOSS_NAMES)
def test_gradient_matches_central_differences(loss):
    rng = np.random.default_rng(3)
    Y, M = _data(loss, rng)
    _, G = losses.value_and_gradient(Y, M, loss, delta=0.8)

    def f(P):
        return losses.value_and_gradient(Y, P.reshape(-1, *Y.shape), loss, delta=0.8)[0]

    fd = central_gradient(f, M.ravel(), h=1e-6).reshape(Y.shape)
    # h = 1e-6: truncation ~1e-12, round-off ~eps |loss| / h ~ 1e-9 (Huber's kink is
    # avoided: no entry of M - Y within 1e-6 of +-delta at this seed)
    assert np.max(np.abs(fd - G)) <= 1e-7 * max(1.0, np.max(np.abs(G)))


@pytest.mark.parametrize("loss", losses.LOSS_NAMES)
def test_fenchel_young_is_tight_at_the_gradient(loss):
    rng = np.random.default_rng(5)
    Y, M = _data(loss, rng)
    value, G = losses.value_and_gradient(Y, M, loss, delta=0.8)
    # loss(M) + loss^*(G) = <G, M> at G = grad loss(M), and >= at any other W
    conj = losses.conjugate(Y, G, loss, delta=0.8)
    assert value + conj == pytest.approx(float(np.sum(G * M)), rel=1e-10, abs=1e-10)
    W = 0.5 * G + 0.01
    assert value + losses.conjugate(Y, W, loss, delta=0.8) >= float(np.sum(W * M)) - 1e-12
    assert losses.dual_objective(Y, -G, loss, delta=0.8) == pytest.approx(-conj, rel=1e-15)


def test_conjugates_are_infinite_outside_their_domains():
    Y = np.ones((1, 2))
    assert losses.conjugate(Y, np.array([[1.5, 0.0]]), "huber", delta=1.0) == np.inf
    assert losses.conjugate(Y, np.array([[0.5, 0.0]]), "logistic") == np.inf  # -w y < 0
    assert np.isfinite(losses.conjugate(Y, np.array([[1e3, 0.0]]), "squared"))


@settings(max_examples=30, deadline=None)
@given(st.floats(-5, 5), st.floats(0.1, 3))
def test_huber_is_continuous_and_below_the_squared_loss(r, delta):
    h = float(losses.huber(np.array([r]), delta)[0])
    assert 0.0 <= h <= r * r / 2 + 1e-15
    # continuity at the joint: both branches agree at |r| = delta
    assert float(losses.huber(np.array([delta]), delta)[0]) == pytest.approx(delta**2 / 2)


def test_bad_input_names_the_argument():
    Y = np.ones((2, 2))
    with pytest.raises(ValueError, match="loss"):
        losses.get_loss("hinge")
    with pytest.raises(ValueError, match="delta"):
        losses.huber(np.ones(2), 0.0)
    with pytest.raises(ValueError, match="delta"):
        losses.value_and_gradient(Y, Y, "huber", delta=-1.0)
    with pytest.raises(ValueError, match="Y"):
        losses.value_and_gradient(0.5 * Y, Y, "logistic")
    with pytest.raises(ValueError, match="M"):
        losses.value_and_gradient(Y, np.ones((2, 3)))
    with pytest.raises(ValueError, match="Z"):
        losses.dual_objective(Y, np.full((2, 2), np.nan))
