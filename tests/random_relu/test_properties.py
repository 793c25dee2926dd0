"""Properties of the kernels on Hypothesis inputs (theorems.random_relu.strategies)."""

import numpy as np
from hypothesis import given

from numerics import random_relu as nr
from theorems.random_relu.strategies import input_pairs, input_sets


@given(input_sets())
def test_relu_kernel_is_a_positive_semidefinite_gram(X):
    K = nr.relu_kernel(X)
    assert np.allclose(K, K.T)
    scale = max(float(np.max(np.diag(K))), 1e-300)
    assert np.min(np.linalg.eigvalsh(K)) >= -1e-9 * scale


@given(input_pairs())
def test_distance_between_zero_and_half_the_squared_gap(pair):
    x, y = pair
    d = nr.expected_sq_distance(x, y)
    gap = float(np.sum((x - y) ** 2))
    tol = 1e-9 * (x @ x + y @ y)
    assert -tol <= d <= gap / 2 + tol  # 0 <= psi keeps it below half the gap


@given(input_pairs())
def test_ab_kernel_special_cases(pair):
    x, y = pair
    nx, ny = np.linalg.norm(x), np.linalg.norm(y)
    assert np.isclose(nr.ab_kernel(x, y, 1.0, 1.0)[0], x @ y, atol=1e-9 * nx * ny)
    relu = nr.ab_kernel(x, y, 0.0, 1.0)[0]
    assert np.isclose(relu, nr.relu_kernel(x, y)[0, 0], atol=1e-12 * nx * ny)
    # phi(z) = -relu(-z) has the same kernel as relu (w and -w have one law)
    assert np.isclose(nr.ab_kernel(x, y, 1.0, 0.0)[0], relu, atol=1e-12 * nx * ny)
