"""ruff, with the size budget of ARCHITECTURE.md (C901, PLR0915 in pyproject), holds in CI."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def _ruff() -> str:
    beside = Path(sys.executable).with_name("ruff")
    found = str(beside) if beside.exists() else shutil.which("ruff")
    if found is None:
        pytest.fail("ruff not found: it is in the test extra (pip install -e '.[test]')")
    return found


def test_ruff_is_clean_with_the_complexity_budget():
    proc = subprocess.run([_ruff(), "check", "theorems", "numerics", "mathdl", "tests",
                           "benchmarks", "examples"], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stdout[-3000:]
