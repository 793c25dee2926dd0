"""random_relu.angle_map: verdict, variants, and the numbers MATH 8.2 reports."""

import numpy as np
import pytest

from numerics import random_relu as nr
from theorems.core import PROFILES, Context, Status
from theorems.random_relu import angle_map as am

QUICK = Context(0, PROFILES["quick"])


def test_true_angle_map_is_verified():
    verdict = am.angle_map_theorem().verify(seed=0, profile="quick")
    assert verdict.status is Status.VERIFIED, verdict.summary()


@pytest.mark.parametrize("variant", am.VARIANTS, ids=[v.name for v in am.VARIANTS])
def test_variant_refuted_by_its_check(variant):
    verdict = variant.build().verify(seed=0, profile="quick")
    assert verdict.status is Status.REFUTED
    first = next(ev for ev in verdict.evidence if ev.passed is False)
    assert first.name in variant.caught_by


def test_missing_he_factor_is_also_seen_by_monte_carlo():
    assert am.check_finite_width(QUICK, am.AngleClaim(he=1)).passed is False


def test_depth_numbers_match_math_8_2():
    prof = dict(am.depth_profile(10_000))
    assert abs(1000 * float(prof[1000]) - 9.2876) < 1e-4
    assert abs(10_000 * float(prof[10_000]) - 9.4076) < 1e-4


def test_correlation_map_iterates_and_fixes_one():
    c = np.array([-1.0, 0.0, 0.3, 1.0])
    twice = nr.correlation_map(c, depth=2)
    assert np.allclose(twice, nr.correlation_map(nr.correlation_map(c)))
    assert twice[-1] == 1.0
    assert np.allclose(nr.correlation_map(c, depth=0), c)
    assert np.isclose(nr.angle_map(np.pi / 2), np.arccos(1 / np.pi))
