"""The verdict rule, determinism, and the Python API's input checks."""

import json

import pytest

import theorems
from tests.conftest import without_seconds
from theorems.core import Check, Evidence, Status, Theorem, fold_status


def _ev(passed, general=False, kind="numeric", proves=(0,)):
    return Evidence(kind, "e", passed, general=general, details={"proves": list(proves)})


@pytest.mark.parametrize(
    ("evidence", "expected"),
    [
        ([], Status.INCONCLUSIVE),
        ([_ev(True)], Status.VERIFIED),
        ([_ev(True, general=True, kind="symbolic"), _ev(True)], Status.PROVED),
        # a general derivation of something other than the statement is not a proof of it
        ([_ev(True, general=True, kind="symbolic", proves=())], Status.VERIFIED),
        # general numeric evidence is not a proof
        ([_ev(True, general=True, kind="numeric")], Status.VERIFIED),
        ([_ev(True, general=True, kind="symbolic"), _ev(None)], Status.INCONCLUSIVE),
        ([_ev(None), _ev(False)], Status.REFUTED),
        ([_ev(True, general=True, kind="symbolic"), _ev(False)], Status.REFUTED),
    ],
)
def test_fold_status(evidence, expected):
    assert fold_status(evidence) is expected


def test_proved_needs_every_conjunct_of_the_statement():
    first, second = _ev(True, True, "symbolic", (0,)), _ev(True, True, "symbolic", (1,))
    assert fold_status([first], conjuncts=2) is Status.VERIFIED
    assert fold_status([first, second], conjuncts=2) is Status.PROVED


def test_inconclusive_evidence_always_says_why():
    ev = Evidence.inconclusive("convex", "solve", "SCS returned optimal_inaccurate",
                               status="optimal_inaccurate")
    assert ev.passed is None and ev.details == {"status": "optimal_inaccurate",
                                                "error": "SCS returned optimal_inaccurate"}
    with pytest.raises(ValueError, match="say why"):
        Evidence.inconclusive("convex", "solve", "")


def _theorem(run):
    return Theorem("test.t", "t", None, [], [], "proofs_notes/dropout.md",
                   [Check("c", "numeric", run)])


def test_a_check_that_raises_is_inconclusive_never_passed():
    def boom(ctx):
        raise RuntimeError("solver exploded")

    verdict = _theorem(boom).verify(profile="quick")
    assert verdict.status is Status.INCONCLUSIVE
    assert "solver exploded" in verdict.evidence[0].details["error"]


def test_refuted_verdict_carries_counterexample_and_seed():
    def fails(ctx):
        return Evidence("numeric", "c", False, counterexample={"x": 1})

    verdict = _theorem(fails).verify(seed=7, profile="quick")
    assert verdict.status is Status.REFUTED
    assert verdict.counterexample == {"x": 1, "check": "c", "seed": 7}


def test_same_seed_same_json_except_seconds():
    first = theorems.get("dropout.matrix_factorization").verify(seed=3, profile="quick")
    second = theorems.get("dropout.matrix_factorization").verify(seed=3, profile="quick")
    other = theorems.get("dropout.matrix_factorization").verify(seed=4, profile="quick")
    a, b, c = (without_seconds(json.loads(v.to_json())) for v in (first, second, other))
    assert a == b
    assert a != c  # the seed does reach the instances


def test_api_rejects_bad_input():
    with pytest.raises(ValueError, match="unknown theorem id 'nope'"):
        theorems.get("nope")
    with pytest.raises(ValueError, match="seed"):
        theorems.get("dropout.doubling").verify(seed=-1)
    with pytest.raises(ValueError, match="profile"):
        theorems.get("dropout.doubling").verify(profile="fast")
    with pytest.raises(ValueError, match="unknown theorem id"):
        theorems.verify(["dropout.doubling", "missing.one"])


def test_catalog_ids_are_unique_and_namespaced():
    ids = theorems.ids()
    assert len(ids) == len(set(ids))
    assert all("." in i for i in ids)
    assert {"dropout.matrix_factorization", "dropout.doubling", "dropout.linear_regression",
            "dropout.linear_network"} <= set(ids)


def test_verdict_renders_for_people():
    verdict = theorems.verify("dropout.doubling", profile="quick")[0]
    assert verdict.summary().startswith("dropout.doubling: PROVED")
    assert "| pass |" in verdict._repr_markdown_()
    assert "dropout.doubling" in theorems.get("dropout.doubling")._repr_markdown_()
