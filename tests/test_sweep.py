"""Sweeps on Dask: equal to per-seed verify, resumable, robust to a dying worker."""

from __future__ import annotations

import json
import os
import sys

import pytest

pytest.importorskip("distributed", reason="make test installs mathdl[distributed]")

import theorems  # noqa: E402
from tests.conftest import without_seconds  # noqa: E402
from theorems.claims import Claim  # noqa: E402
from theorems.cli import main  # noqa: E402
from theorems.sweeps import INSTALL_HINT, parse_seeds, sweep  # noqa: E402
from theorems.sweeps.store import Store  # noqa: E402

CHEAP = ["dropout.doubling", "factorization.zero_column"]


@pytest.mark.parametrize("text", ["", "3:1", "2:2", "-1:3", "a:b", "1:2:3"])
def test_bad_seed_ranges_are_refused(text):
    with pytest.raises(ValueError, match="--seeds"):
        parse_seeds(text)


def test_sweep_equals_per_seed_verify_whatever_the_workers_and_resumes(tmp_path):
    two = sweep(CHEAP, seeds="0:3", workers=2, store=tmp_path / "two.sqlite")
    assert (two.ran, two.reused) == (6, 0)
    for key, seed, verdict in two.records:
        expected = theorems.get(key).verify(seed=seed, profile="quick").to_dict()
        assert without_seconds(verdict) == without_seconds(expected)
    one = sweep(CHEAP, seeds="0:3", workers=1, store=tmp_path / "one.sqlite")
    assert ([without_seconds(v) for *_, v in one.records]
            == [without_seconds(v) for *_, v in two.records])
    again = sweep(CHEAP, seeds="0:4", workers=1, store=tmp_path / "two.sqlite")
    assert (again.ran, again.reused) == (2, 6)  # only seed 3 of each theorem is new
    assert {t["target"]: t["seeds"] for t in again.summary["targets"]} == {k: 4 for k in CHEAP}


def test_an_interrupted_sweep_keeps_what_finished(tmp_path, monkeypatch):
    path = tmp_path / "s.sqlite"
    real_put, puts = Store.put, []

    def put(self, *args):
        real_put(self, *args)
        puts.append(args)
        if len(puts) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(Store, "put", put)
    with pytest.raises(KeyboardInterrupt):
        sweep(["dropout.doubling"], seeds="0:4", workers=1, store=path)
    monkeypatch.setattr(Store, "put", real_put)
    store = Store(path)
    assert len(store.missing([("dropout.doubling", s) for s in range(4)], "quick",
                             theorems.__version__)) == 2
    store.close()
    rest = sweep(["dropout.doubling"], seeds="0:4", workers=1, store=path)
    assert (rest.ran, rest.reused) == (2, 2)
    assert rest.statuses == {"proved"}


def _dies_once(x: int) -> int:
    """Kills the worker process the first time any worker calls it."""
    marker = os.environ["MATHDL_SWEEP_KILL_MARKER"]
    if not os.path.exists(marker):
        with open(marker, "w") as fh:
            fh.write("killed")
        os._exit(1)
    return x * x


SQUARES = Claim("x^2 >= 0, evaluated by a worker that dies once", _dies_once, 0, ">=",
                given={"x": __import__("hypothesis").strategies.integers(-5, 5)})


def test_a_worker_that_dies_has_its_task_rerun(tmp_path, monkeypatch):
    marker = tmp_path / "killed"
    monkeypatch.setenv("MATHDL_SWEEP_KILL_MARKER", str(marker))
    result = sweep(falsify="tests.test_sweep:SQUARES", seeds="0:2", max_examples=20,
                   workers=2, store=tmp_path / "s.sqlite")
    assert marker.exists()  # a worker did die
    assert result.ran == 2 and result.statuses == {"verified"}


def test_the_command_line_sweeps_and_prints_a_summary(tmp_path, capsys):
    store = str(tmp_path / "cli.sqlite")
    code = main(["sweep", "dropout.doubling", "--seeds", "0:2", "--workers", "1",
                 "--store", store, "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and doc["schema"] == "mathdl.sweep/1" and doc["ran"] == 2
    code = main(["sweep", "dropout.doubling", "--seeds", "0:2", "--store", store])
    out = capsys.readouterr().out
    assert code == 0
    assert "dropout.doubling: 2 seeds (2 proved)" in out and "0 task(s) run, 2 from" in out


def test_without_dask_the_sweep_says_how_to_install_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ImportError, match="mathdl\\[distributed\\]"):
        sweep(["dropout.doubling"], seeds="0:1", store=tmp_path / "s.sqlite")
    assert main(["sweep", "dropout.doubling", "--seeds", "0:1", "--store",
                 str(tmp_path / "s.sqlite")]) == 2
    assert INSTALL_HINT in capsys.readouterr().err
