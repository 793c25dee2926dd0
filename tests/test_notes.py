"""Proof notes and docstrings cannot drift from the code: their examples run here."""

import doctest
import importlib
import pkgutil

import pytest

import numerics
import theorems
from tests.conftest import ROOT

NOTES = sorted((ROOT / "proofs_notes").glob("*.md"))
OPTIONS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@pytest.mark.parametrize("note", NOTES, ids=[n.name for n in NOTES])
def test_note_examples_run(note):
    result = doctest.testfile(str(note), module_relative=False, optionflags=OPTIONS,
                              verbose=False, report=True)
    assert result.failed == 0, f"{result.failed} example(s) of {note.name} failed"


def test_every_note_has_examples():
    for note in NOTES:
        assert ">>> " in note.read_text(), f"{note.name} has no runnable example"


def test_every_theorem_has_a_note_and_every_note_a_theorem():
    used = {theorem.note for theorem in theorems.catalog()}
    for theorem in theorems.catalog():
        assert (ROOT / theorem.note).is_file(), f"{theorem.id}: missing note {theorem.note}"
    for note in NOTES:
        assert f"proofs_notes/{note.name}" in used, f"{note.name} belongs to no theorem"


def _modules():
    for package in (theorems, numerics):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if not info.name.endswith("__main__"):  # running it would start the CLI
                yield info.name


@pytest.mark.parametrize("name", sorted(set(_modules())) + ["theorems", "mathdl"])
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=OPTIONS, verbose=False)
    assert result.failed == 0


def test_readme_python_examples_run():
    """Every ```python block of the README runs, and the test functions it defines pass."""
    import re

    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 - our own README
    tests = [fn for name, fn in namespace.items() if name.startswith("test_") and callable(fn)]
    assert tests
    for fn in tests:
        fn()
