"""random_relu.deep_kernel: verdict, variants, and the recursion itself."""

import numpy as np
import pytest

from numerics import random_relu as nr
from theorems.core import Status
from theorems.random_relu import deep_kernel as dk


def test_true_deep_kernel_is_verified():
    verdict = dk.deep_kernel_theorem().verify(seed=0, profile="quick")
    assert verdict.status is Status.VERIFIED, verdict.summary()


@pytest.mark.parametrize("variant", dk.VARIANTS, ids=[v.name for v in dk.VARIANTS])
def test_variant_refuted_by_its_check(variant):
    verdict = variant.build().verify(seed=0, profile="quick")
    assert verdict.status is Status.REFUTED
    first = next(ev for ev in verdict.evidence if ev.passed is False)
    assert first.name in variant.caught_by


def test_he_recursion_keeps_the_diagonal_and_iterates_kappa():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((4, 6))
    k0 = nr.deep_kernel(X, 0)
    k3 = nr.deep_kernel(X, 3)
    assert np.allclose(np.diag(k3), np.diag(k0))  # He scaling, no bias
    c0 = k0[0, 1] / np.sqrt(k0[0, 0] * k0[1, 1])
    assert np.isclose(k3[0, 1] / np.sqrt(k3[0, 0] * k3[1, 1]), nr.correlation_map(c0, 3))


@pytest.mark.parametrize("call", [
    lambda: nr.deep_kernel(np.ones((2, 2)), -1),
    lambda: nr.deep_kernel(np.ones((2, 2)), 1, sigma_w2=0.0),
    lambda: nr.deep_kernel(np.ones((2, 2)), 1, sigma_b2=-1.0),
    lambda: nr.mc_network_kernels(np.ones((2, 2)), 1, 0, 3, np.random.default_rng(0)),
])
def test_bad_input_is_a_value_error(call):
    with pytest.raises(ValueError):
        call()
