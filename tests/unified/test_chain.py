"""Tests of the unified chain: how each link is known, broken and missing links."""

import dataclasses
import importlib

import numpy as np
import pytest

import theorems
from theorems.core import PROFILES
from theorems.unified import dropout_chain


def test_chain_states_how_each_link_is_known():
    verdict = theorems.get("unified.dropout_chain").verify(seed=0, profile="quick")
    assert verdict.status.value == "verified", verdict.summary()
    assert not any(ev.general for ev in verdict.evidence)  # composed: never "proved"
    links = verdict.evidence[:9]
    hows = [ev.details.get("how") for ev in links]
    assert hows[0] == hows[1] == "proved symbolically (general sizes)"
    assert hows[2] == "checked numerically" and hows[3] == hows[8] == "observed"
    assert all(h in LINKS.HOWS for h in hows)
    # every link serves one of the seed slide's three links, and each of them is served
    assert [ev.details["seed_link"] for ev in links] == [1, 1, 2, 2, 2, 3, 3, 3, 3]
    assert {ev.details["seed_claim"] for ev in links} == set(LINKS.SEED_LINKS)
    # "proved" only where the linked theorem itself is proved
    for ev in links:
        if ev.details["how"] == LINKS.HOWS[0]:
            assert ev.details["linked_verdict_status"] == "proved", ev.name
    assert "observed per run, not proved" in verdict.evidence[-2].name
    assert "not an observed generalization gap" in verdict.evidence[-1].name


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
    if first.name.startswith("link"):
        assert verdict.counterexample["theorem"] == broken[first.name[:6]]
    else:  # a wrong capacity constant: the chain's own check, with its instance
        assert first.name == CHAIN.CAPACITY_NAME and "ratios" in verdict.counterexample
    assert [ev.passed for ev in verdict.evidence].count(False) == 1


def _assert_all_links_unchecked(verdict, reason):
    assert verdict.status.value == "inconclusive"
    unchecked = [ev for ev in verdict.evidence if ev.passed is None]
    assert len(unchecked) == len(LINKS.LINKS) == 9
    assert "dropout.global_optimum is not available" in unchecked[2].details["error"]
    assert "generalization.path_norm is not available" in unchecked[5].details["error"]
    assert all(reason in ev.details["error"] for ev in unchecked)
    assert all(ev.passed for ev in verdict.evidence[9:])  # the chain's own checks still run


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


# -- the third link's own check: capacity at the dropout optimum -----------------------------


def _capacity(claim=None):
    from theorems.core import Context

    chain_claim = CHAIN.ChainClaim(capacity=claim or CHAIN.CapacityClaim())
    return CHAIN.check_capacity(Context(0, PROFILES["quick"]), chain_claim)


def test_capacity_of_the_dropout_optimum_is_below_least_squares():
    ev = _capacity()
    assert ev.passed, ev.details
    assert ev.measured <= CHAIN.capacity.CAPACITY_RTOL
    for low, high in ev.details["capacity_ratio_range"].values():
        assert 0 < low <= high < 1  # strictly smaller: tau > 0 shrinks every singular value
    assert ev.details["margin_looseness_median"] > 1  # the bound is below the exact margin


@pytest.mark.parametrize("wrong", [{"path_norm_d_power": 1.01}, {"path_norm_d_power": 0.99},
                                   {"margin_constant": 1.3}, {"dropout_smaller": False}])
def test_capacity_refutes_near_miss_constants(wrong):
    ev = _capacity(CHAIN.CapacityClaim(**wrong))
    assert ev.passed is False and ev.counterexample["measured"] > 1e3 * ev.tolerance


def _factors_like(transform):
    """A global_minimizer whose factors are changed by ``transform`` (U V^T kept)."""
    from numerics import dropout as nd

    true = nd.global_minimizer

    def fake(X, theta, d):
        g = true(X, theta, d)
        U, V = transform(g.U, g.V)
        np.testing.assert_allclose(U @ V.T, g.U @ g.V.T, atol=1e-12 * np.abs(g.M).max())
        return dataclasses.replace(g, U=U, V=V)
    return fake


def _unbalanced(U, V):
    c = np.linspace(1.0, 2.0, U.shape[1])  # per-column rescaling u_i c_i, v_i / c_i
    return U * c, V / c


def _not_equalized(U, V):
    # the SVD factorization U_r S^(1/2), V_r S^(1/2), padded with zero columns: balanced,
    # same product, but sum_i ||u_i||^2 ||v_i||^2 = sum sigma_i^2 > (sum sigma_i)^2 / d
    Ur, s, Vrt = np.linalg.svd(U @ V.T, full_matrices=False)
    r = int(np.sum(s > 1e-12 * s[0]))
    Uo, Vo = np.zeros_like(U), np.zeros_like(V)
    Uo[:, :r], Vo[:, :r] = Ur[:, :r] * np.sqrt(s[:r]), Vrt[:r].T * np.sqrt(s[:r])
    return Uo, Vo


@pytest.mark.parametrize("transform", [_unbalanced, _not_equalized])
def test_capacity_reads_the_kernels_factors(monkeypatch, transform):
    # generic factorizations of the same product: an unbalanced one has a larger spectral
    # product, a non-equalized one a larger path norm; both must be refuted
    from numerics import dropout as nd

    monkeypatch.setattr(nd, "global_minimizer", _factors_like(transform))
    ev = _capacity()
    assert ev.passed is False, ev.details
    assert ev.counterexample["worst"] in {"path_norm", "balanced", "product_regularizer"}


def test_capacity_claim_rejects_bad_constants():
    with pytest.raises(ValueError, match="margin_constant"):
        CHAIN.CapacityClaim(margin_constant=0.0)
    with pytest.raises(ValueError, match="path_norm_d_power"):
        CHAIN.CapacityClaim(path_norm_d_power=float("nan"))
    with pytest.raises(ValueError, match="capacity"):
        CHAIN.ChainClaim(capacity="sqrt2")
    with pytest.raises(ValueError, match="seed"):
        LINKS.Link("dropout.global_optimum", "a claim", seed=4)
