"""One contract over the whole catalog (as scikit-learn's ``parametrize_with_checks``).

Every theorem the catalog registers, present and future, is held to the same checks:
its expected verdict; its declared wrong variants refuted, reproducibly; callable,
valid derivations; ``proved`` only with a derivation bound to the statement; its note;
its report page; real ``backed_by`` callables; module-level checks; determinism.
"""

from __future__ import annotations

import functools
import html
import importlib
import inspect
import json
import re

import pytest

import theorems
from tests.conftest import ROOT, without_seconds
from theorems.core import Status, Theorem
from theorems.derivation import Derivation, binding, conjuncts

PROFILE = "quick"
SEED = 0
CATALOG = theorems.catalog()
IDS = [t.id for t in CATALOG]
VARIANTS = [(t, v) for t in CATALOG for v in t.variants]


@functools.cache
def _verdict(theorem_id: str):
    return theorems.get(theorem_id).verify(seed=SEED, profile=PROFILE)


@pytest.mark.parametrize("theorem", CATALOG, ids=IDS)
def test_verifies_with_its_expected_status(theorem: Theorem):
    verdict = _verdict(theorem.id)
    assert verdict.status is theorem.expected, verdict.summary()


@pytest.mark.parametrize("theorem", CATALOG, ids=IDS)
def test_declares_wrong_variants(theorem: Theorem):
    """A theorem whose checks were never seen to fail is not checked: at least one variant."""
    assert theorem.variants, f"{theorem.id} declares no wrong variant"
    names = [v.name for v in theorem.variants]
    assert len(set(names)) == len(names), f"duplicate variant names in {names}"


@pytest.mark.parametrize(("theorem", "variant"), VARIANTS,
                         ids=[f"{t.id}-{v.name}" for t, v in VARIANTS])
def test_each_variant_is_refuted_reproducibly(theorem, variant):
    wrong = variant.build()
    assert wrong.id == theorem.id
    first = wrong.verify(seed=SEED, profile=PROFILE)
    assert first.status is Status.REFUTED, f"{variant.name}: {first.summary()}"
    failed = next(ev for ev in first.evidence if ev.passed is False)
    assert failed.name in variant.caught_by, (
        f"{variant.name}: first failing check is {failed.name!r}, declared {variant.caught_by}")
    assert first.counterexample, "a refutation carries its counterexample"
    again = variant.build().verify(seed=SEED, profile=PROFILE)
    assert json.dumps(again.to_dict()["counterexample"]) == json.dumps(
        first.to_dict()["counterexample"]), "the same seed reproduces the counterexample"


@pytest.mark.parametrize("theorem", CATALOG, ids=IDS)
def test_derivations_are_callable_and_valid(theorem: Theorem):
    for name, factory in theorem.derivations.items():
        assert callable(factory), f"derivation {name!r} is {type(factory).__name__}, not callable"
        derivation = factory()
        assert isinstance(derivation, Derivation), name
        result = derivation.check(seed=SEED)
        assert result.valid is True, f"derivation {name!r}: {result.failed()}"


PROVED = [t for t in CATALOG if t.expected is Status.PROVED]


@pytest.mark.parametrize("theorem", PROVED, ids=[t.id for t in PROVED])
def test_proved_means_a_derivation_bound_to_the_statement(theorem: Theorem):
    """Independently of the verdict rule: every conjunct of a proved statement is joined
    by a general derivation whose ends are canonically its two sides (the theorems
    expected to be proved; the first test holds every theorem to its expected status)."""
    parts = conjuncts(theorem.statement)
    assert parts, "a proved statement is a relation (or an And of relations)"
    bound: set[int] = set()
    for factory in theorem.derivations.values():
        derivation = factory()
        if derivation.general and derivation.check(seed=SEED).valid:
            bound.update(binding(theorem.statement, derivation)[0])
    assert bound == set(range(len(parts))), (
        f"conjuncts {sorted(set(range(len(parts))) - bound)} of the statement have no "
        "general derivation among theorem.derivations")


@pytest.mark.parametrize("theorem", CATALOG, ids=IDS)
def test_note_is_the_familys_and_exists(theorem: Theorem):
    assert theorem.note == f"proofs_notes/{theorem.family}.md"
    note = ROOT / theorem.note
    assert note.is_file() and ">>> " in note.read_text()


@pytest.mark.parametrize("theorem", CATALOG, ids=IDS)
def test_report_page_renders_with_its_derivations(theorem: Theorem):
    from theorems.report import render

    page = render.collect(theorem, _verdict(theorem.id), "mathdl report", theorems.__version__)
    assert page.errors == []
    assert len(page.derivations) == len(theorem.derivations)
    page_html = render.html_page(page)
    for derivation, _ in page.derivations:
        assert html.escape(derivation.title) in page_html, derivation.title


_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _resolve(dotted: str):
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(dotted)


def backed_by_callables(text: str) -> list[object]:
    """The callables a ``backed_by`` names: comma-separated dotted paths (a parenthetical
    remark after each is allowed); a bare name refers to the previous path's module."""
    items = [re.sub(r"\s*\(.*?\)\s*$", "", item).strip() for item in text.split(",")]
    if not items or not _DOTTED.match(items[0]):
        raise ValueError(f"backed_by {text!r} must start with a dotted path")
    found, module = [], None
    for item in items:
        if _DOTTED.match(item):
            found.append(_resolve(item))
            module = item.rpartition(".")[0]
        elif _NAME.match(item) and module:
            found.append(_resolve(f"{module}.{item}"))
        else:
            raise ValueError(f"backed_by {text!r}: {item!r} is not a name")
    return found


def test_backed_by_parser_rejects_prose_and_unknown_names():
    assert backed_by_callables("numerics.linalg.nuclear_norm, spectral_norm (SVD)")
    for text in ("canonicalizer", "numerics.linalg.no_such_kernel", "numerics.linalg"):
        with pytest.raises((ValueError, ImportError, AttributeError, AssertionError)):
            assert all(callable(c) for c in backed_by_callables(text))


@pytest.mark.parametrize("theorem", CATALOG, ids=IDS)
def test_every_backed_by_names_a_real_callable(theorem: Theorem):
    for check in theorem.checks:
        named = backed_by_callables(check.backed_by)
        assert all(callable(obj) for obj in named), (check.name, check.backed_by)


@pytest.mark.parametrize("theorem", CATALOG, ids=IDS)
def test_checks_are_documented_module_level_functions(theorem: Theorem):
    for check in theorem.checks:
        fn = check.run
        while isinstance(fn, functools.partial):
            fn = fn.func
        assert inspect.isfunction(fn), f"{check.name}: {fn!r}"
        assert "<locals>" not in fn.__qualname__, f"{check.name}: a closure ({fn.__qualname__})"
        assert inspect.getdoc(fn), f"{check.name}: {fn.__qualname__} has no docstring"


@pytest.mark.parametrize("theorem", CATALOG, ids=IDS)
def test_the_same_seed_gives_the_same_json(theorem: Theorem):
    again = theorem.verify(seed=SEED, profile=PROFILE)
    assert without_seconds(again) == without_seconds(_verdict(theorem.id))
