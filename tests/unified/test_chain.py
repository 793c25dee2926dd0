"""Tests of the unified chain: how each link is known, broken and missing links."""

import theorems


def test_chain_states_how_each_link_is_known():
    verdict = theorems.get("unified.dropout_chain").verify(seed=0, profile="quick")
    assert verdict.status.value == "verified", verdict.summary()
    assert not any(ev.general for ev in verdict.evidence)  # composed: never "proved"
    hows = [ev.details.get("how") for ev in verdict.evidence[:5]]
    assert hows[0] == hows[1] == "proved symbolically (general sizes)"
    assert hows[2] == "checked numerically" and hows[3] == "observed"
    assert "observed per run, not proved" in verdict.evidence[-1].name


def test_chain_with_a_broken_link_is_refuted():
    from theorems.dropout import THETA, matrix_factorization
    from theorems.unified import dropout_chain

    bad = {"dropout.matrix_factorization": lambda: matrix_factorization(coefficient=THETA)}
    verdict = dropout_chain(overrides=bad).verify(seed=0, profile="quick")
    assert verdict.status.value == "refuted"
    assert verdict.counterexample["theorem"] == "dropout.matrix_factorization"


def test_chain_with_a_missing_link_is_inconclusive(monkeypatch):
    import sys

    from theorems.unified import dropout_chain

    def missing(theorem_id):
        raise ValueError(f"unknown theorem id {theorem_id!r}")

    # the module, not the function theorems.catalog that the package exports
    monkeypatch.setattr(sys.modules["theorems.catalog"], "get", missing)
    verdict = dropout_chain().verify(seed=0, profile="quick")
    assert verdict.status.value == "inconclusive"
    unchecked = [ev for ev in verdict.evidence if ev.passed is None]
    assert len(unchecked) == 5
    assert "dropout.global_optimum is not available" in unchecked[2].details["error"]
