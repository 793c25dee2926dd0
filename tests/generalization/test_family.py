"""The family's contract: expected verdicts, variants refuted by the named check,
reproducible counterexamples, module-level checks, real backed_by callables."""

import functools
import importlib
import json

import pytest

from theorems.core import Status
from theorems.generalization import THEOREMS
from theorems.generalization import margin as gm
from theorems.generalization import rademacher as gr

FACTORIES = {f().id: f for f in THEOREMS}


@pytest.mark.parametrize("theorem_id", sorted(FACTORIES))
def test_expected_status_and_determinism(theorem_id):
    theorem = FACTORIES[theorem_id]()
    first = theorem.verify(seed=0, profile="quick")
    assert first.status is theorem.expected, first.summary()
    again = FACTORIES[theorem_id]().verify(seed=0, profile="quick")
    strip = lambda v: json.dumps([{**e.to_dict(), "seconds": 0} for e in v.evidence])  # noqa: E731
    assert strip(first) == strip(again)


VARIANTS = [(t_id, v) for t_id, f in FACTORIES.items() for v in f().variants]


@pytest.mark.parametrize("theorem_id, variant", VARIANTS,
                         ids=[f"{t}:{v.name}" for t, v in VARIANTS])
def test_variant_refuted_by_named_check(theorem_id, variant):
    verdict = variant.build().verify(seed=0, profile="quick")
    assert verdict.status is Status.REFUTED, verdict.summary()
    first = next(ev for ev in verdict.evidence if ev.passed is False)
    assert first.name in variant.caught_by, (first.name, variant.caught_by)
    again = variant.build().verify(seed=0, profile="quick")
    assert json.dumps(verdict.counterexample, default=str) == json.dumps(
        again.counterexample, default=str)
    assert variant.build().variants == ()


@pytest.mark.parametrize("theorem_id", sorted(FACTORIES))
def test_checks_are_module_level_and_backed(theorem_id):
    theorem = FACTORIES[theorem_id]()
    for check in theorem.checks:
        assert isinstance(check.run, functools.partial)
        fn = check.run.func
        assert getattr(importlib.import_module(fn.__module__), fn.__name__) is fn
        assert fn.__doc__
        module, _, name = check.backed_by.rpartition(".")
        assert callable(getattr(importlib.import_module(module), name)), check.backed_by


def test_near_misses_fail_on_the_attaining_instances_and_the_derivation():
    # the near-miss constants are refuted by the instances that attain the true ones
    low = gr.rademacher_linear(gr.RademacherClaim(lower=gr.sympy.Rational(71, 100)))
    up = gr.rademacher_linear(gr.RademacherClaim(upper=gr.sympy.Rational(99, 100)))
    for theorem, name in ((low, "lower constant attained (m = 2, x_1 = x_2)"),
                          (up, "upper constant attained (orthogonal rows)")):
        evidence = {e.name: e for e in theorem.verify(seed=1, profile="quick").evidence}
        assert evidence[name].passed is False
    evidence = {e.name: e for e in up.verify(seed=0, profile="quick").evidence}
    assert evidence["upper bound: Jensen derivation for symbolic m, n"].passed is False
    # and the symbolic m = 2 case refutes the near-miss lower constant
    evidence = {e.name: e for e in low.verify(seed=0, profile="quick").evidence}
    assert evidence["m = 2: exact value, lower bound and its equality case "
                    "(symbolic entries)"].passed is False


def test_upper_derivation_is_bound_to_the_upper_conjunct_only():
    verdict = gr.rademacher_linear().verify(seed=0, profile="quick")
    derived = [e for e in verdict.evidence if e.general]
    assert len(derived) == 1 and len(derived[0].proves) == 1
    assert verdict.status is Status.VERIFIED  # the lower bound and Massart are not derived


def test_margin_no_sqrt2_counterexample_is_the_two_class_example():
    verdict = gm.jacobian_margin(gm.MarginClaim(constant=1)).verify(seed=0, profile="quick")
    cex = verdict.counterexample
    assert cex["check"] == "linear: the bound holds"


def test_claims_validate():
    with pytest.raises(ValueError, match="lower"):
        gr.RademacherClaim(lower=-1)
    with pytest.raises(ValueError, match="massart_ball"):
        gr.RademacherClaim(massart_ball=3)
    with pytest.raises(ValueError, match="lipschitz"):
        gm.MarginClaim(lipschitz="somewhere")
    with pytest.raises(ValueError, match="constant"):
        gm.MarginClaim(constant=0)
