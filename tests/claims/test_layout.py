"""The falsification layer's layout: family galleries and strategies, exports, import order."""

import ast
import importlib
import importlib.util
import subprocess
import sys

import pytest
from hypothesis import strategies as st

import theorems.gallery as gallery
from tests.conftest import ROOT
from theorems import strategies as sdl
from theorems.claims import GalleryEntry
from theorems.families import FAMILIES

FAMILY_STRATEGIES = [f for f in FAMILIES
                     if importlib.util.find_spec(f"theorems.{f}.strategies") is not None]
FAMILY_GALLERIES = [f for f in FAMILIES
                    if importlib.util.find_spec(f"theorems.{f}.gallery") is not None]


# -- theorems.strategies ---------------------------------------------------------------


@pytest.mark.parametrize("name", sdl.__all__)
def test_every_exported_strategy_resolves(name):
    # like Hypothesis's own export check: every name in __all__ is a documented callable
    obj = getattr(sdl, name)
    assert callable(obj) and obj.__doc__, name
    assert obj.__module__ in {"theorems.strategies",
                              *(f"theorems.{f}.strategies" for f in FAMILY_STRATEGIES)}


def test_star_import_gives_all_and_nothing_is_exported_twice():
    namespace: dict = {}
    exec("from theorems.strategies import *", namespace)  # noqa: S102 - the export under test
    assert set(sdl.__all__) <= set(namespace)
    assert len(set(sdl.__all__)) == len(sdl.__all__)
    assert set(sdl.__all__) <= set(dir(sdl))


@pytest.mark.parametrize("family", FAMILY_STRATEGIES)
def test_family_strategies_are_reexported(family):
    module = importlib.import_module(f"theorems.{family}.strategies")
    assert module.__all__
    for name in module.__all__:
        assert getattr(sdl, name) is getattr(module, name)


def test_family_strategies_draw():
    assert isinstance(sdl.factor_pairs(max_side=2, max_width=2), st.SearchStrategy)
    assert isinstance(sdl.dropout_problems(max_side=2), st.SearchStrategy)
    assert isinstance(sdl.simple_rates(), st.SearchStrategy)
    with pytest.raises(AttributeError, match="no attribute 'not_a_strategy'"):
        sdl.not_a_strategy  # noqa: B018 - the lookup is the test


# -- theorems.gallery ------------------------------------------------------------------


def test_gallery_is_every_family_gallery_in_family_order():
    expected = [e for f in FAMILY_GALLERIES
                for e in importlib.import_module(f"theorems.{f}.gallery").ENTRIES]
    assert list(gallery.GALLERY) == expected
    assert all(isinstance(e, GalleryEntry) for e in expected)
    assert gallery.FALSE_CLAIMS == [e.claim for e in expected]
    assert gallery.TRUE_CLAIMS == [e.corrected for e in expected]
    assert {"dropout", "factorization", "linear"} <= set(FAMILY_GALLERIES)


def test_gallery_reexports_family_helpers():
    from theorems.linear import gallery as linear_gallery

    assert "deep_linear_hessian" in gallery.__all__
    assert gallery.deep_linear_hessian is linear_gallery.deep_linear_hessian
    with pytest.raises(ValueError, match="known: dropout_without_rescaling"):
        gallery.entry("no_such_entry")


# -- imports ---------------------------------------------------------------------------

FALSIFICATION = [ROOT / "theorems" / "gallery.py", ROOT / "theorems" / "strategies.py",
                 ROOT / "theorems" / "testing.py",
                 *sorted((ROOT / "theorems" / "claims").glob("*.py"))]


def _imports(path):
    """Every module a file imports, at module level or inside functions."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


@pytest.mark.parametrize("path", FALSIFICATION, ids=[p.name for p in FALSIFICATION])
def test_falsification_layer_never_imports_presentation(path):
    bad = [m for m in _imports(path)
           if m in ("theorems", "theorems.catalog", "theorems.cli")
           or m.startswith("theorems.report")]
    assert not bad, f"{path.name} imports {bad}"


def test_claims_submodules_never_import_their_package():
    for path in (ROOT / "theorems" / "claims").glob("*.py"):
        if path.name != "__init__.py":
            assert "theorems.claims" not in set(_imports(path)), path.name


def test_family_packages_do_not_import_their_gallery():
    # building the whole catalog loads no gallery, no strategies and no claims module
    code = ("import sys; from theorems.catalog import catalog; catalog(); "
            "print(sorted(m for m in sys.modules if m.startswith('theorems.') and "
            "(m.endswith(('.gallery', '.strategies')) or m.startswith('theorems.claims'))))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == "[]", out
