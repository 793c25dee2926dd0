"""The layers of ARCHITECTURE.md hold: read from the import graph with ``ast``.

Every ``import`` and ``from ... import`` of the project's modules is an edge, at
module level or inside a function (lazy imports count); imports under
``if TYPE_CHECKING:`` are not executed and are skipped.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("theorems", "numerics")
MAX_LINES = 500


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _files() -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            out[_module_name(path)] = path
    return out


FILES = _files()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(name: str, path: Path) -> set[str]:
    """Fully qualified names a module imports (``from a import b`` gives a.b or a)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in FILES else base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _project_edges() -> dict[str, set[str]]:
    edges = {}
    for name, path in FILES.items():
        targets = set()
        for imported in _imports(name, path):
            # the deepest project module named by the import
            parts = imported.split(".")
            while parts and ".".join(parts) not in FILES:
                parts.pop()
            if parts and ".".join(parts) != name:
                targets.add(".".join(parts))
        edges[name] = targets
    return edges


EDGES = _project_edges()


def _third_party(name: str) -> set[str]:
    return {i.split(".")[0] for i in _imports(name, FILES[name])}


def test_numerics_imports_neither_sympy_nor_theorems():
    bad = {name: sorted(_third_party(name) & {"sympy", "theorems"})
           for name in FILES if name.startswith("numerics")}
    assert not {k: v for k, v in bad.items() if v}


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def strong(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            strong(v)
    return out


def test_no_import_cycles_lazy_imports_included():
    assert _cycles(EDGES) == []


def test_the_cycle_finder_finds_cycles():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_a_submodule_never_imports_its_own_package_init():
    """(The top package ``theorems`` is the facade, imported by nothing below it but
    the report index, which lists the version.)"""
    bad = sorted((v, w) for v, ws in EDGES.items() for w in ws
                 if v.startswith(w + ".") and "." in w)
    assert bad == []


def _family_modules() -> dict[str, str]:
    from theorems.families import FAMILIES

    return {name: fam for name in FILES for fam in FAMILIES
            if name == f"theorems.{fam}" or name.startswith(f"theorems.{fam}.")}


FORBIDDEN_FOR_FAMILIES = ("theorems.report", "theorems.catalog", "theorems.cli")


def test_families_do_not_import_the_presentation_layer():
    bad = sorted((name, target) for name in _family_modules() for target in EDGES[name]
                 if any(target == f or target.startswith(f + ".")
                        for f in FORBIDDEN_FOR_FAMILIES))
    assert bad == []


def test_lower_layers_do_not_import_families_or_presentation():
    families = set(_family_modules())
    lower = [n for n in FILES if n in ("theorems.core", "theorems.views", "theorems.references",
                                       "theorems.checks", "theorems.figures",
                                       "theorems.families", "theorems.derivation")
             or n.startswith("theorems.symbolic")]
    upward = FORBIDDEN_FOR_FAMILIES + ("theorems.claims", "theorems.gallery",
                                       "theorems.strategies", "theorems.testing")
    bad = sorted((name, t) for name in lower for t in EDGES[name]
                 if t in families or any(t == u or t.startswith(u + ".") for u in upward))
    assert bad == []


@pytest.mark.parametrize("name", sorted(FILES))
def test_no_module_over_the_size_budget(name):
    lines = len(FILES[name].read_text().splitlines())
    assert lines <= MAX_LINES, f"{name}: {lines} lines (budget {MAX_LINES})"
