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


def test_version_and_defaults_in_help(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"mathdl {theorems_version()}"
    with pytest.raises(SystemExit):
        main(["verify", "--help"])
    out = capsys.readouterr().out
    assert "(default: standard)" in out and "(default: 0)" in out


def theorems_version():
    import theorems

    return theorems.__version__


@pytest.mark.parametrize(("argv", "fragment"), [
    (["verify", "dropout.dubling"], "did you mean 'dropout.doubling'?"),
    (["report", "dropout.doubling", "--out", ""], "--out: expected a folder name"),
    (["report", "dropout.doubling", "--out", "README.md"], "exists and is not a folder"),
    (["report", "dropout.doubling", "--out", "README.md/sub"], "is not a folder"),
    (["verify", "dropout.doubling", "--report", "pyproject.toml"], "not a folder"),
])
def test_bad_arguments_are_caught_before_any_work(capsys, monkeypatch, argv, fragment):
    from tests.conftest import ROOT

    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(catalog_module, "catalog",
                        lambda: pytest.fail("the catalog was loaded before the error"))
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert fragment in err and len(err.strip().splitlines()) == 1


def test_list_imports_no_family():
    code = ("import sys, theorems.cli as c; c.main(['list']);"
            "loaded = [m for m in sys.modules if m.startswith(('theorems.dropout', "
            "'theorems.linear', 'sympy', 'cvxpy'))]; print(loaded)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_the_index_is_the_catalog():
    """`mathdl list` reads catalog_index.json; after adding a theorem run `make index`."""
    assert json.loads(catalog_module.INDEX.read_text()) == catalog_module.index_document()


def test_python_api_rejects_a_non_iterable_id():
    import theorems

    with pytest.raises(ValueError, match="ids_: expected a theorem id"):
        theorems.verify(123)


@pytest.mark.parametrize(("exc", "code", "word"), [(KeyboardInterrupt, 130, "interrupted"),
                                                   (None, 143, "terminated")])
def test_interrupts_exit_with_one_line_and_keep_finished_verdicts(capsys, monkeypatch,
                                                                  exc, code, word):
    from theorems import cli

    real = theorems_get = catalog_module.get("dropout.doubling")
    calls = []

    def verify(seed=0, profile="standard"):
        calls.append(1)
        if len(calls) == 2:
            raise exc() if exc else cli.Terminated()
        return real.__class__.verify(real, seed=seed, profile=profile)

    monkeypatch.setattr(theorems_get, "verify", verify)
    status, out, err = run(capsys, "verify", "dropout.doubling", "dropout.doubling",
                           "--profile", "quick", "--json")
    assert status == code
    assert err.strip() == f"mathdl: {word}: stopped after 1 finished verdict(s)"
    assert [v["theorem"] for v in json.loads(out)["verdicts"]] == ["dropout.doubling"]


def test_sigterm_ends_a_real_run_with_143_and_no_traceback(tmp_path):
    import os
    import signal

    proc = subprocess.Popen([sys.executable, "-m", "theorems", "report", "--all",
                             "--profile", "quick", "--out", str(tmp_path / "r")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert proc.stdout.readline().startswith("dropout.")  # the run is under way
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert "Traceback" not in err and err.strip().endswith("finished verdict(s)")
    leftovers = list((tmp_path / "r").glob(".report-*")) if (tmp_path / "r").exists() else []
    assert leftovers == []
