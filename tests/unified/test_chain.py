"""Tests of the unified chain: how each link is known, broken and missing links."""

import importlib

import pytest

import theorems
from theorems.core import PROFILES
from theorems.unified import dropout_chain


def test_chain_states_how_each_link_is_known():
    verdict = theorems.get("unified.dropout_chain").verify(seed=0, profile="quick")
    assert verdict.status.value == "verified", verdict.summary()
    assert not any(ev.general for ev in verdict.evidence)  # composed: never "proved"
    hows = [ev.details.get("how") for ev in verdict.evidence[:5]]
    assert hows[0] == hows[1] == "proved symbolically (general sizes)"
    assert hows[2] == "checked numerically" and hows[3] == "observed"
    assert "observed per run, not proved" in verdict.evidence[-1].name


CHAIN = importlib.import_module("theorems.unified.chain")
LINKS = importlib.import_module("theorems.unified.links")


@pytest.mark.parametrize("variant", CHAIN.VARIANTS, ids=[v.name for v in CHAIN.VARIANTS])
def test_declared_broken_links_are_refuted(variant):
    wrong = variant.build()
    assert wrong.variants == ()
    verdict = wrong.verify(seed=0, profile="quick")
    assert verdict.status.value == "refuted"
    first = next(ev for ev in verdict.evidence if ev.passed is False)
    assert first.name in variant.caught_by
    assert verdict.counterexample["check"] == first.name
    # the counterexample names the broken theorem (and only that link fails)
    broken = {"link 1": "dropout.matrix_factorization", "link 5": "factorization.certificate"}
    assert verdict.counterexample["theorem"] == broken[first.name[:6]]
    assert [ev.passed for ev in verdict.evidence].count(False) == 1


def _assert_all_links_unchecked(verdict, reason):
    assert verdict.status.value == "inconclusive"
    unchecked = [ev for ev in verdict.evidence if ev.passed is None]
    assert len(unchecked) == 5
    assert "dropout.global_optimum is not available" in unchecked[2].details["error"]
    assert all(reason in ev.details["error"] for ev in unchecked)
    assert all(ev.passed for ev in verdict.evidence[5:])  # the chain's own checks still run


def test_chain_with_a_missing_family_is_inconclusive(monkeypatch):
    # no family to take the linked theorems from: every link is unchecked
    monkeypatch.setattr(LINKS, "FAMILIES", {})
    verdict = dropout_chain().verify(seed=0, profile="quick")
    _assert_all_links_unchecked(verdict, "the chain links no family")


def test_chain_with_removed_links_is_inconclusive():
    removed = dict.fromkeys(LINKS.LINKED_IDS)
    verdict = dropout_chain(overrides=removed).verify(seed=0, profile="quick")
    _assert_all_links_unchecked(verdict, "removed by the overrides")


def test_chain_takes_its_links_from_the_families_not_the_catalog():
    import ast
    from pathlib import Path

    for path in Path(CHAIN.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        names = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        names |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                  for alias in node.names}
        assert not any(n and n.startswith(("theorems.catalog", "theorems.report",
                                           "theorems.cli")) for n in names), path.name
    from theorems.dropout import matrix_factorization
    from theorems.factorization import certificate

    assert LINKS.default_factory("dropout.matrix_factorization") == (matrix_factorization,
                                                                     None)
    assert LINKS.default_factory("factorization.certificate") == (certificate, None)
    for theorem_id in LINKS.LINKED_IDS:
        factory, why = LINKS.default_factory(theorem_id)
        assert why is None and factory().id == theorem_id


def test_chain_claim_rejects_unknown_links():
    with pytest.raises(ValueError, match="overrides"):
        dropout_chain(overrides={"dropout.doubling": lambda: None})
    with pytest.raises(ValueError, match="overrides"):
        dropout_chain(overrides={"dropout.global_optimum": "not a factory"})


def test_chain_computes_lambda_itself(monkeypatch):
    # issue 12: lambda = (1 - theta)/theta is computed by the chain, not taken from the
    # kernel under test, so a dropout kernel with a wrong lambda is refuted
    from numerics import dropout as nd
    from theorems.core import Context

    ctx = Context(0, PROFILES["quick"])
    claim = CHAIN.ChainClaim()
    assert CHAIN.check_closed_form(ctx, claim).passed
    import numerics.dropout.identities as identities
    import numerics.dropout.optimum as optimum

    true_lambda = nd.dropout_lambda
    wrong = lambda theta: 1.01 * true_lambda(theta)  # noqa: E731
    for module in (nd, identities, optimum):  # every module that holds the name
        monkeypatch.setattr(module, "dropout_lambda", wrong)
    ev = CHAIN.check_closed_form(ctx, claim)
    assert ev.passed is False and ev.counterexample["regime"] == "free"
    assert CHAIN.dropout_lambda(0.25) == 3.0
