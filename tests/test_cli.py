"""The command-line contract of DESIGN.md: JSON document and exit statuses."""

import importlib
import json
import subprocess
import sys

import pytest

from theorems.cli import main
from theorems.core import Check, Evidence, Theorem

# the module, not the function theorems.catalog that shadows it as an attribute
catalog_module = importlib.import_module("theorems.catalog")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list(capsys):
    code, out, _ = run(capsys, "list")
    assert code == 0
    assert "dropout.matrix_factorization" in out
    code, out, _ = run(capsys, "list", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["schema"] == "mathdl.catalog/1"
    assert any(t["id"] == "dropout.doubling" for t in doc["theorems"])


def test_verify_json_reports_proved(capsys):
    code, out, _ = run(capsys, "verify", "dropout.matrix_factorization", "--json",
                       "--profile", "quick", "--seed", "5")
    doc = json.loads(out)
    assert code == 0
    assert doc["schema"] == "mathdl.verdicts/1"
    (verdict,) = doc["verdicts"]
    assert verdict["status"] == "proved" and verdict["seed"] == 5
    assert verdict["profile"] == "quick"
    keys = {"kind", "name", "passed", "measured", "tolerance", "instances", "details"}
    assert all(keys <= set(ev) for ev in verdict["evidence"])


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["verify", "no.such_theorem"], "unknown theorem id 'no.such_theorem'"),
        (["verify"], "at least one theorem id"),
        (["verify", "--all", "dropout.doubling"], "not both"),
        (["verify", "dropout.doubling", "--seed", "-3"], "non-negative integer"),
        (["verify", "dropout.doubling", "--seed", "x"], "non-negative integer"),
        (["verify", "dropout.doubling", "--profile", "fast"], "invalid choice"),
        (["frobnicate"], "invalid choice"),
        ([], "required"),
    ],
)
def test_bad_usage_exits_2_with_one_line(capsys, argv, fragment):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert fragment in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


@pytest.fixture
def extra_theorems(monkeypatch):
    table = dict(catalog_module._load())

    def make(tid, passed):
        return Theorem(tid, tid, None, [], [], "proofs_notes/dropout.md",
                       [Check("c", "numeric", lambda ctx: Evidence("numeric", "c", passed))])

    table["test.false"] = make("test.false", False)
    table["test.unknown"] = make("test.unknown", None)
    monkeypatch.setattr(catalog_module, "_cache", table)


def test_exit_statuses(capsys, extra_theorems):
    assert run(capsys, "verify", "dropout.doubling", "--profile", "quick")[0] == 0
    assert run(capsys, "verify", "test.false", "test.unknown")[0] == 1
    assert run(capsys, "verify", "test.unknown", "dropout.doubling", "--profile", "quick")[0] == 3


def test_python_dash_m_is_the_same_program():
    proc = subprocess.run([sys.executable, "-m", "theorems", "list"], capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0
    assert "dropout.linear_network" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "theorems", "verify", "bogus"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert proc.stderr.startswith("mathdl: error: unknown theorem id")
