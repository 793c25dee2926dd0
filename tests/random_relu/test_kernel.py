"""random_relu.kernel: the verdict, its variants, and checks that can fail."""

import json

import numpy as np
import pytest
import sympy

from numerics import random_relu as nr
from theorems.core import PROFILES, Context, Status, jsonable
from theorems.random_relu import kernel as km
from theorems.random_relu import kernel_derivation as kd
from theorems.random_relu.symbols import NY

QUICK = Context(0, PROFILES["quick"])


def test_true_kernel_is_proved():
    verdict = km.kernel_theorem().verify(seed=0, profile="quick")
    assert verdict.status is Status.PROVED, verdict.summary()


@pytest.mark.parametrize("variant", km.VARIANTS, ids=[v.name for v in km.VARIANTS])
def test_variant_refuted_by_its_check(variant):
    verdict = variant.build().verify(seed=0, profile="quick")
    assert verdict.status is Status.REFUTED
    first = next(ev for ev in verdict.evidence if ev.passed is False)
    assert first.name in variant.caught_by
    check = next(c for c in variant.build().checks if c.name == first.name)
    again = next(ev for ev in check(QUICK) if ev.passed is False)
    assert json.dumps(jsonable(again.counterexample)) == json.dumps(
        jsonable(first.counterexample))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_monte_carlo_alone_refutes_the_near_misses(seed):
    ctx = Context(seed, PROFILES["quick"])
    assert km.check_monte_carlo(ctx, km.KernelClaim()).passed is True
    for claim in (km.KernelClaim(norm=sympy.Rational(103, 100) / (2 * sympy.pi)),
                  km.KernelClaim(cross=-1), km.KernelClaim(shape="cos_half")):
        assert km.check_monte_carlo(ctx, claim).passed is False
    near = km.KernelClaim(norm=sympy.Rational(7, 44))  # 0.04%: quadrature sees it
    assert km.check_quadrature(ctx, near).passed is False


def test_rotation_lemma_rejects_a_wrong_covariance():
    after = kd.pair_form().xreplace({NY: 2 * NY})
    ok, _ = kd.ROTATION.check(kd.kernel_lhs(), after, "=")
    assert ok is False


def test_sector_lemma_rejects_a_wrong_branch():
    # sector 1 has cos p > 0 > cos(p - t): coefficient a b, not b^2.  (Swapping a^2 and
    # b^2 of sectors 2 and 4 is no error: those sectors differ by pi and have equal
    # integrals, and the lemma rightly accepts it.)
    a, b = sympy.symbols("a b", real=True)
    first = kd._sector(*kd.SECTORS[0])
    wrong = kd.sector_form() + kd.NX * kd.NY / sympy.pi * (b**2 - a * b) * first
    ok, _ = kd.SIGNS.check(kd._radial(kd.polar_form()), wrong, "=")
    assert ok is False
    swapped = kd.sector_form().xreplace({a: b, b: a})
    assert kd.SIGNS.check(kd._radial(kd.polar_form()), swapped, "=")[0] is True


def test_polar_lemma_rejects_a_missing_jacobian():
    wrong = kd.polar_form().replace(lambda e: e == sympy.Symbol("r", positive=True) ** 3,
                                    lambda e: sympy.Symbol("r", positive=True) ** 2)
    ok, _ = kd.POLAR.check(kd.pair_form(), wrong, "=")
    assert ok is False


def test_kernel_matrix_is_the_pairwise_closed_form():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((7, 4))
    K = nr.relu_kernel(X)
    ii, jj = np.triu_indices(7)
    assert np.allclose(K[ii, jj], nr.ab_kernel(X[ii], X[jj], 0.0, 1.0), rtol=1e-12)
    assert np.allclose(np.diag(K), np.sum(X**2, axis=1) / 2)
    assert np.min(np.linalg.eigvalsh(K)) > -1e-12


@pytest.mark.parametrize("call", [
    lambda: nr.relu_kernel(np.zeros((2, 3))),
    lambda: nr.relu_kernel(np.ones((2, 3)), np.ones((2, 4))),
    lambda: nr.relu_kernel([[np.nan, 1.0]]),
    lambda: nr.ab_kernel([1.0, 0.0], [1.0, 0.0, 0.0]),
    lambda: nr.ab_kernel([1.0, 0.0], [0.0, 1.0], a=np.inf),
    lambda: nr.correlation_map(0.5, depth=-1),
    lambda: nr.correlation_map(1.5),
    lambda: nr.expected_sq_distance([0.0, 0.0], [1.0, 0.0]),
])
def test_bad_input_is_a_value_error(call):
    with pytest.raises(ValueError):
        call()


def test_polar_lemma_rejects_a_half_line_of_the_wrong_range():
    r = sympy.Symbol("r", positive=True)
    wrong = kd.polar_form().replace(
        lambda e: isinstance(e, sympy.Integral) and e.limits[0][0] == r,
        lambda e: sympy.Integral(e.function, (r, 0, 1)))
    assert kd.POLAR.check(kd.pair_form(), wrong, "=")[0] is False
