"""``proved`` is bound to the statement: the derivation's ends are its two sides."""

import sympy
from sympy import Eq, IndexedBase, Le, Sum, symbols

from theorems.core import Check, Evidence, Status, Theorem
from theorems.derivation import EXPAND, Derivation, Step, binding, chain_relation, run_derivation

n = symbols("n", integer=True, positive=True)
i = symbols("i", integer=True)
x = IndexedBase("x")
SQUARE = Sum((x[i] + 1) ** 2, (i, 1, n))
EXPANDED = Sum(x[i] ** 2, (i, 1, n)) + 2 * Sum(x[i], (i, 1, n)) + n


def _derivation(start=SQUARE, end=EXPANDED, relation="="):
    return Derivation("expand a square", start, [Step(end, EXPAND, relation)])


def test_a_derivation_of_the_statement_binds_both_ways():
    assert binding(Eq(SQUARE, EXPANDED), _derivation())[0] == [0]
    assert binding(Eq(EXPANDED, SQUARE), _derivation())[0] == [0]


def test_a_derivation_of_something_else_does_not_bind():
    other = Eq(SQUARE, EXPANDED + 1)
    assert binding(other, _derivation())[0] == []
    assert binding(sympy.Symbol("claim"), _derivation())[0] == []


def test_the_chain_relation_must_imply_the_statement():
    assert chain_relation(["=", "<=", "<"]) == "<"
    assert chain_relation(["<=", ">="]) is None
    low, high = Sum(x[i] ** 2, (i, 1, n)), Sum(x[i] ** 2, (i, 1, n)) + n
    le = _derivation(low, high, relation="<=")
    assert binding(Le(low, high), le)[0] == [0]
    assert binding(sympy.Ge(high, low), le)[0] == [0]
    assert binding(Eq(low, high), le)[0] == []  # an inequality proves no equality
    assert binding(sympy.Ge(low, high), le)[0] == []  # nor the reverse inequality


def _theorem(statement):
    def check(ctx):
        return run_derivation(_derivation(), "expansion", statement=statement)

    return Theorem("test.bound", "t", statement, [], [], "proofs_notes/dropout.md",
                   [Check("c", "symbolic", check)])


def test_the_verdict_is_proved_only_for_the_statement_derived():
    assert _theorem(Eq(SQUARE, EXPANDED)).verify(profile="quick").status is Status.PROVED
    # the same valid general derivation, attached to another statement: verified only
    wrong = _theorem(Eq(SQUARE, 2 * EXPANDED)).verify(profile="quick")
    assert wrong.status is Status.VERIFIED
    assert wrong.evidence[0].details["proves"] == []
    # a conjunction needs every conjunct derived
    half = sympy.And(Eq(SQUARE, EXPANDED), Le(x[1], x[2]))
    assert _theorem(half).verify(profile="quick").status is Status.VERIFIED


def test_evidence_proves_only_when_passed_general_and_symbolic():
    details = {"proves": [0]}
    assert Evidence("symbolic", "e", True, general=True, details=details).proves == {0}
    assert Evidence("symbolic", "e", True, general=False, details=details).proves == set()
    assert Evidence("numeric", "e", True, general=True, details=details).proves == set()
    assert Evidence("symbolic", "e", None, general=True, details=details).proves == set()
