"""random_relu.distances: verdict, variants, and the refutation of "closer pairs shrink more"."""

import numpy as np
import pytest
import sympy

from numerics import random_relu as nr
from theorems.core import PROFILES, Context, Status
from theorems.random_relu import distances as dm


def test_true_distances_hold():
    verdict = dm.distances_theorem().verify(seed=0, profile="quick")
    assert verdict.status is dm.distances_theorem().expected, verdict.summary()


@pytest.mark.parametrize("variant", dm.VARIANTS, ids=[v.name for v in dm.VARIANTS])
def test_variant_refuted_by_its_check(variant):
    verdict = variant.build().verify(seed=0, profile="quick")
    assert verdict.status is Status.REFUTED
    first = next(ev for ev in verdict.evidence if ev.passed is False)
    assert first.name in variant.caught_by


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_monte_carlo_alone_refutes_near_miss_and_closer_pairs_claim(seed):
    ctx = Context(seed, PROFILES["quick"])
    near = dm.DistanceClaim(psi_norm=sympy.Rational(105, 100) / sympy.pi)
    assert dm.check_monte_carlo(ctx, near).passed is False
    wrong = dm.check_close_versus_far(ctx, dm.DistanceClaim(decreasing=False))
    assert wrong.passed is False
    assert wrong.counterexample["ratio_close"] > wrong.counterexample["ratio_far"]


def test_rho_limits_and_library_formula():
    th = np.array([1e-6, 1e-3, 0.5, np.pi])
    rho = nr.distance_ratio(th)
    assert abs(rho[0] - 0.5) < 1e-6 and abs(rho[-1] - 0.25) < 1e-15
    assert np.all(np.diff(rho) < 0)
    x, y = np.array([1.0, 2.0, 0.0]), np.array([0.5, -1.0, 3.0])
    assert np.isclose(nr.expected_sq_distance(x, y),
                      0.5 * (x @ x + y @ y) - 2 * nr.relu_kernel(x, y)[0, 0])
