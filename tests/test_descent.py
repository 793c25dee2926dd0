"""numerics.descent.batched_descent: per-run step control, the out= protocol, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from numerics import dropout as nd
from numerics.descent import batched_descent
from numerics.instances import conditioned_matrix


def quadratic(curvatures: np.ndarray):
    """f_b(x) = (1/2) c_b ||x - 1||^2, one curvature per run."""

    def objective(params):
        (x,) = params
        r = x - 1.0
        c = curvatures[:, None]
        return 0.5 * curvatures * np.sum(r * r, axis=1), [c * r]

    return objective


def test_every_run_keeps_its_own_step():
    # step 0.1 diverges for curvature 100 (needs < 0.02): that run must halve its step
    # until it descends, while the gentle run keeps growing its own
    curv = np.array([1.0, 100.0])
    # (a shared step of 0.02 would leave the gentle run at 0.98^300 ~ 2e-3 of its start)
    res = batched_descent(quadratic(curv), [np.zeros((2, 3))], step=0.1, iterations=300,
                          grad_tol=1e-10)
    assert res.converged.all()
    np.testing.assert_allclose(res.params[0], 1.0, rtol=0, atol=1e-10)
    assert np.all(res.grad_norms < 1e-10)


def test_converged_runs_stop_moving():
    curv = np.array([1.0, 1.0])
    start = np.array([[1.0, 1.0], [5.0, -3.0]])  # run 0 starts at its minimizer
    res = batched_descent(quadratic(curv), [start], step=0.1, iterations=50, grad_tol=1e-12)
    np.testing.assert_array_equal(res.params[0][0], [1.0, 1.0])
    assert res.losses[1] < 0.5 * (16 + 16)


def test_out_protocol_gives_the_same_runs():
    # the dropout objective writes into out= when given; hiding that must change nothing
    rng = np.random.default_rng(0)
    X = conditioned_matrix(6, 5, rng, condition=5.0)
    objective = nd.factorized_objective(X, 1.0)
    U0, V0 = rng.standard_normal((8, 6, 3)), rng.standard_normal((8, 5, 3))
    a = batched_descent(objective, [U0, V0], step=0.01, iterations=200)
    b = batched_descent(lambda params: objective(params), [U0, V0], step=0.01, iterations=200)
    for pa, pb in zip(a.params, b.params, strict=True):
        np.testing.assert_array_equal(pa, pb)
    np.testing.assert_array_equal(a.losses, b.losses)
    # and the starting arrays are left alone
    assert not np.shares_memory(a.params[0], U0)


@pytest.mark.parametrize("kwargs, message", [
    ({"step": 0.0}, "step"),
    ({"iterations": 0}, "iterations"),
])
def test_bad_input_says_what_is_wrong(kwargs, message):
    with pytest.raises(ValueError, match=message):
        batched_descent(quadratic(np.ones(2)), [np.zeros((2, 3))], **kwargs)


def test_mismatched_run_axes_are_refused():
    with pytest.raises(ValueError, match="leading"):
        batched_descent(quadratic(np.ones(2)), [np.zeros((2, 3)), np.zeros((3, 3))])
